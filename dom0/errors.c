/* Error names and words (see errors.h). */
#include "errors.h"
#include "pv/errno.h"
#include "pv/grant_table.h"

struct err_entry {
    int nr;
    const char *name;
    const char *words;
};

static const struct err_entry errors[] = {
    { EPERM, "EPERM", "not permitted" },
    { ENOENT, "ENOENT", "no such object" },
    { ESRCH, "ESRCH", "no such domain" },
    { EINTR, "EINTR", "interrupted" },
    { EIO, "EIO", "I/O error or audit finding (see the hypervisor log)" },
    { ENXIO, "ENXIO", "no such device or address" },
    { E2BIG, "E2BIG", "too big" },
    { ENOEXEC, "ENOEXEC", "not a loadable image" },
    { EBADF, "EBADF", "bad handle" },
    { EAGAIN, "EAGAIN", "busy, try again" },
    { ENOMEM, "ENOMEM", "out of memory" },
    { EACCES, "EACCES", "interface version mismatch" },
    { EFAULT, "EFAULT", "bad address" },
    { EBUSY, "EBUSY", "in use" },
    { EEXIST, "EEXIST", "already exists" },
    { EXDEV, "EXDEV", "cross-domain operation refused" },
    { ENODEV, "ENODEV", "no such device" },
    { EINVAL, "EINVAL", "invalid argument" },
    { ENOSPC, "ENOSPC", "no space left in a table" },
    { ERANGE, "ERANGE", "out of range" },
    { ENOSYS, "ENOSYS", "not implemented" },
    { ENOTEMPTY, "ENOTEMPTY", "not empty" },
    { ENODATA, "ENODATA", "no data" },
    { ETIME, "ETIME", "deadline passed" },
    { EOVERFLOW, "EOVERFLOW", "a count would overflow" },
    { EOPNOTSUPP, "EOPNOTSUPP", "not supported" },
    { EISCONN, "EISCONN", "already connected" },
    { ENOTCONN, "ENOTCONN", "not connected" },
    { ETIMEDOUT, "ETIMEDOUT", "timed out" },
    { EALREADY, "EALREADY", "already in progress" },
};

static const struct err_entry *lookup(int err)
{
    uint32_t i;
    int nr = err < 0 ? -err : err;

    for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
        if (errors[i].nr == nr)
            return &errors[i];
    return 0;
}

const char *err_name(int err)
{
    const struct err_entry *e = lookup(err);

    return e ? e->name : "E?";
}

const char *err_words(int err)
{
    const struct err_entry *e = lookup(err);

    return e ? e->words : "error";
}

static const char *const gntst_names[] = {
    "okay", "general_error", "bad_domain", "bad_gntref", "bad_handle", "bad_virt_addr",
    "bad_dev_addr", "no_device_space", "permission_denied", "bad_page", "bad_copy_arg",
    "address_too_big", "eagain", "no_space",
};

const char *err_gntst_name(int status)
{
    uint32_t i = status <= 0 ? (uint32_t)-status : 0xFFFFu;

    return i < sizeof(gntst_names) / sizeof(gntst_names[0]) ? gntst_names[i] : "unknown";
}

int err_from_gntst(int status)
{
    switch (status) {
    case GNTST_okay: return 0;
    case GNTST_bad_domain: return -ESRCH;
    case GNTST_permission_denied: return -EPERM;
    case GNTST_no_device_space: return -ENOSPC;
    case GNTST_no_space: return -ENOSPC;
    case GNTST_eagain: return -EAGAIN;
    case GNTST_bad_gntref:
    case GNTST_bad_handle:
    case GNTST_bad_virt_addr:
    case GNTST_bad_dev_addr:
    case GNTST_bad_page:
    case GNTST_bad_copy_arg:
    case GNTST_address_too_big: return -EINVAL;
    default: return -EIO;
    }
}
