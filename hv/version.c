/*
 * xen_version: what a guest may learn about the hypervisor.
 *
 * Every answer is built in a zeroed local of the exact ABI size and copied
 * out whole, so a short string can never carry hypervisor stack bytes to
 * the guest after its terminator.
 */
#include "domain.h"
#include "env.h"
#include "hypercall.h"
#include "pv/elfnote.h"
#include "pv/errno.h"
#include "pv/layout.h"
#include "pv/version.h"
#include "string.h"
#include "version_info.h"

#define BULKHEAD_MAJOR 4
#define BULKHEAD_MINOR 2

static void copy_str(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);

    memcpy(dst, src, n);
}

static int32_t put_string(guest_ptr_t arg, size_t size, const char *s)
{
    char buf[XEN_CAPABILITIES_INFO_LEN];

    memset(buf, 0, sizeof(buf));
    copy_str(buf, size, s);
    return env_copy_to_guest(arg, buf, (uint32_t)size);
}

static int32_t put_compile_info(guest_ptr_t arg)
{
    struct xen_compile_info ci;

    memset(&ci, 0, sizeof(ci));
    copy_str(ci.compiler, sizeof(ci.compiler), BUILD_COMPILER);
    copy_str(ci.compile_by, sizeof(ci.compile_by), "bulkhead");
    copy_str(ci.compile_domain, sizeof(ci.compile_domain), "");
    copy_str(ci.compile_date, sizeof(ci.compile_date), BUILD_DATE);
    return env_copy_to_guest(arg, &ci, sizeof(ci));
}

static uint32_t feature_submap(uint32_t idx)
{
    uint32_t map = 0;

    if (idx != 0)
        return 0;
    map |= 1u << XENFEAT_mmu_pt_update_preserve_ad;
    if (current->privileged)
        map |= 1u << XENFEAT_dom0;
    return map;
}

static int32_t get_features(guest_ptr_t arg)
{
    struct xen_feature_info fi;

    if (env_copy_from_guest(&fi, arg, sizeof(fi)))
        return -EFAULT;
    fi.submap = feature_submap(fi.submap_idx);
    return env_copy_to_guest(arg, &fi, sizeof(fi));
}

static int32_t put_platform_parameters(guest_ptr_t arg)
{
    struct xen_platform_parameters pp;

    memset(&pp, 0, sizeof(pp));
    pp.virt_start = HYPERVISOR_VIRT_START;
    return env_copy_to_guest(arg, &pp, sizeof(pp));
}

static int32_t put_handle(guest_ptr_t arg)
{
    xen_domain_handle_t h;

    memset(h, 0, sizeof(h));
    return env_copy_to_guest(arg, h, sizeof(h));
}

int32_t do_xen_version(const uint32_t args[5])
{
    guest_ptr_t arg = guest_ptr(args[1]);

    switch (args[0]) {
    case XENVER_version:
        return (BULKHEAD_MAJOR << 16) | BULKHEAD_MINOR;
    case XENVER_extraversion:
        return put_string(arg, XEN_EXTRAVERSION_LEN, "-bulkhead");
    case XENVER_compile_info:
        return put_compile_info(arg);
    case XENVER_capabilities:
        return put_string(arg, XEN_CAPABILITIES_INFO_LEN, XEN_CAPABILITY_X86_32P);
    case XENVER_changeset:
        return put_string(arg, XEN_CHANGESET_INFO_LEN, BUILD_CHANGESET);
    case XENVER_platform_parameters:
        return put_platform_parameters(arg);
    case XENVER_get_features:
        return get_features(arg);
    case XENVER_pagesize:
        return XEN_PAGE_SIZE;
    case XENVER_guest_handle:
        return put_handle(arg);
    case XENVER_commandline:
        if (!current->privileged)
            return -EPERM;
        return put_string(arg, XEN_COMMANDLINE_INFO_LEN, hv_cmdline);
    default:
        return -ENOSYS;
    }
}
