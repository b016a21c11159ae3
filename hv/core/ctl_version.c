/*
 * The control interface's caller and version checks (see ctl_version.h).
 */
#include "ctl_version.h"

int ctl_caller_check(bool privileged)
{
    return privileged ? 0 : -EPERM;                             /* CTL-1 */
}

/* Xen 4.17 domctls whose payload Bulkhead reads as Xen lays it out. */
static bool domctl_xen_layout(uint32_t cmd)
{
    switch (cmd) {
    case XEN_DOMCTL_destroydomain:
    case XEN_DOMCTL_pausedomain:
    case XEN_DOMCTL_unpausedomain:
        return true;                /* no payload */
    default:
        return false;
    }
}

/* Xen numbers Bulkhead serves with a payload of its own. */
static bool domctl_own_layout(uint32_t cmd)
{
    switch (cmd) {
    case XEN_DOMCTL_createdomain:
    case XEN_DOMCTL_getdomaininfo:
    case XEN_DOMCTL_max_mem:
    case XEN_DOMCTL_setvcpucontext:
    case XEN_DOMCTL_hypercall_init:
        return true;
    default:
        return false;
    }
}

int ctl_domctl_version(uint32_t cmd, uint32_t version)
{
    if (version == BULKHEAD_DOMCTL_INTERFACE_VERSION)
        return 0;
    if (version != XEN_DOMCTL_INTERFACE_VERSION)
        return -EACCES;                                         /* CTL-3, as Xen */
    if (domctl_xen_layout(cmd))
        return 0;
    if (domctl_own_layout(cmd))
        return -EACCES;             /* CTL-3: Xen's sub-op, Bulkhead's payload */
    return -ENOSYS;                 /* not a Xen 4.17 sub-op Bulkhead has: as Xen */
}

int ctl_sysctl_version(uint32_t cmd, uint32_t version)
{
    if (version == BULKHEAD_SYSCTL_INTERFACE_VERSION)
        return 0;
    if (version != XEN_SYSCTL_INTERFACE_VERSION)
        return -EACCES;                                         /* CTL-3, as Xen */
    if (cmd == XEN_SYSCTL_physinfo)
        return -EACCES;             /* CTL-3: Xen's sub-op, Bulkhead's payload */
    return -ENOSYS;                 /* every other one: as Xen for what it lacks */
}
