/*
 * The errno names an XS_ERROR reply carries (XS-2), in the order of Xen's
 * xsd_errors: the daemon names an errno with the first entry that has
 * it, falling back to the first entry; a client maps the name back.
 * One table for both sides: dom0's xenstore and the guest runtime.
 */
#ifndef PV_XS_ERRORS_H
#define PV_XS_ERRORS_H

#include "pv/errno.h"

struct xs_errno_name {
    int err;                /* positive errno */
    const char *name;
};

static const struct xs_errno_name xs_errno_names[] = {
    { EINVAL, "EINVAL" }, { EACCES, "EACCES" }, { EEXIST, "EEXIST" },
    { EISDIR, "EISDIR" }, { ENOENT, "ENOENT" }, { ENOMEM, "ENOMEM" },
    { ENOSPC, "ENOSPC" }, { EIO, "EIO" }, { ENOTEMPTY, "ENOTEMPTY" },
    { ENOSYS, "ENOSYS" }, { EROFS, "EROFS" }, { EBUSY, "EBUSY" },
    { EAGAIN, "EAGAIN" }, { EISCONN, "EISCONN" }, { E2BIG, "E2BIG" },
    { EPERM, "EPERM" },
};

#define XS_ERRNO_NAMES (sizeof(xs_errno_names) / sizeof(xs_errno_names[0]))

#endif
