/* The control hypercalls, wrapped (see ctl.h). */
#include "ctl.h"
#include "guest.h"
#include "pv/errno.h"
#include "pv/memory.h"

static int domctl(struct xen_domctl *op, uint32_t cmd, domid_t domid)
{
    op->cmd = cmd;
    op->interface_version = BULKHEAD_DOMCTL_INTERFACE_VERSION;
    op->domain = domid;
    return hcall1(__HYPERVISOR_domctl, GPTR(op));
}

static int simple(uint32_t cmd, domid_t domid)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    return domctl(&op, cmd, domid);
}

int ctl_create(const char *name, uint32_t max_pages, uint32_t weight, domid_t *domid)
{
    struct xen_domctl op;
    int rc;

    memset(&op, 0, sizeof(op));
    op.u.create.max_pages = max_pages;
    op.u.create.weight = weight;
    memcpy(op.u.create.name, name, strnlen(name, DOMAIN_NAME_LEN - 1));
    rc = domctl(&op, XEN_DOMCTL_createdomain, 0);
    if (rc == 0)
        *domid = op.domain;
    return rc;
}

int ctl_destroy(domid_t domid) { return simple(XEN_DOMCTL_destroydomain, domid); }
int ctl_pause(domid_t domid) { return simple(XEN_DOMCTL_pausedomain, domid); }
int ctl_unpause(domid_t domid) { return simple(XEN_DOMCTL_unpausedomain, domid); }

int ctl_set_weight(domid_t domid, uint32_t weight)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    op.u.weight.weight = weight;
    return domctl(&op, XEN_DOMCTL_set_weight, domid);
}

int ctl_max_mem(domid_t domid, uint32_t max_pages)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    op.u.max_mem.max_pages = max_pages;
    return domctl(&op, XEN_DOMCTL_max_mem, domid);
}

int ctl_crash_reason(domid_t domid, char reason[CRASH_REASON_FULL_LEN])
{
    struct xen_domctl op;
    int rc;

    memset(&op, 0, sizeof(op));
    rc = domctl(&op, BULKHEAD_DOMCTL_crash_reason, domid);
    if (rc == 0)
        memcpy(reason, op.u.crash_reason.reason, CRASH_REASON_FULL_LEN);
    reason[CRASH_REASON_FULL_LEN - 1] = '\0';
    return rc;
}

int ctl_info(domid_t from, struct xen_domctl_getdomaininfo *info)
{
    struct xen_domctl op;
    int rc;

    memset(&op, 0, sizeof(op));
    rc = domctl(&op, XEN_DOMCTL_getdomaininfo, from);
    if (rc == 0)
        *info = op.u.info;
    return rc;
}

int ctl_set_context(domid_t domid, const void *ctxt)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    op.u.vcpucontext.vcpu = 0;
    op.u.vcpucontext.ctxt = GPTR(ctxt);
    return domctl(&op, XEN_DOMCTL_setvcpucontext, domid);
}

int ctl_hypercall_init(domid_t domid, uint32_t mfn)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    op.u.hypercall_init.gmfn = mfn;
    return domctl(&op, XEN_DOMCTL_hypercall_init, domid);
}

int ctl_physinfo(struct xen_sysctl_physinfo *pi)
{
    struct xen_sysctl op;
    int rc;

    memset(&op, 0, sizeof(op));
    op.cmd = XEN_SYSCTL_physinfo;
    op.interface_version = BULKHEAD_SYSCTL_INTERFACE_VERSION;
    rc = hcall1(__HYPERVISOR_sysctl, GPTR(&op));
    if (rc == 0)
        *pi = op.u.physinfo;
    return rc;
}

int ctl_audit(void)
{
    struct xen_sysctl op;

    memset(&op, 0, sizeof(op));
    op.cmd = XEN_SYSCTL_audit;
    op.interface_version = BULKHEAD_SYSCTL_INTERFACE_VERSION;
    return hcall1(__HYPERVISOR_sysctl, GPTR(&op));
}

int ctl_populate(domid_t domid, uint32_t *pfns, uint32_t n)
{
    struct xen_memory_reservation r;

    memset(&r, 0, sizeof(r));
    r.extent_start = GPTR(pfns);
    r.nr_extents = n;
    r.domid = domid;
    return hcall2(__HYPERVISOR_memory_op, XENMEM_populate_physmap, GPTR(&r));
}

const char *ctl_strerror(int err)
{
    switch (-err) {
    case EPERM: return "not permitted";
    case ESRCH: return "no such domain";
    case ENOMEM: return "out of memory";
    case EACCES: return "interface version mismatch";
    case EFAULT: return "bad address";
    case EBUSY: return "busy";
    case EEXIST: return "exists";
    case EINVAL: return "invalid argument";
    case ENOSPC: return "no space";
    case ENOSYS: return "not implemented";
    case ENOEXEC: return "not a loadable image";
    case EIO: return "audit finding (see the hypervisor log)";
    default: return "error";
    }
}
