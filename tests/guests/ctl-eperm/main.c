/*
 * An unprivileged guest tries every control operation: each domctl
 * sub-op (with a valid interface version, on dom0 and on itself), every
 * sysctl, populating another domain's memory, reading the console and
 * the hypervisor command line. Every one must fail with -EPERM (CTL-1)
 * and change nothing: dom0 lists the domains afterwards.
 */
#include "pv/console.h"
#include "pv/domctl.h"
#include "pv/errno.h"
#include "pv/memory.h"
#include "pv/version.h"
#include "test.h"

static const uint32_t domctls[] = {
    XEN_DOMCTL_createdomain, XEN_DOMCTL_destroydomain, XEN_DOMCTL_pausedomain,
    XEN_DOMCTL_unpausedomain, XEN_DOMCTL_getdomaininfo, XEN_DOMCTL_max_mem,
    XEN_DOMCTL_setvcpucontext, XEN_DOMCTL_hypercall_init, XEN_DOMCTL_set_weight,
    BULKHEAD_DOMCTL_crash_reason, 9999,
};

static void try_domctls(domid_t target)
{
    struct xen_domctl op;
    unsigned i;

    for (i = 0; i < sizeof(domctls) / sizeof(domctls[0]); i++) {
        memset(&op, 0, sizeof(op));
        op.cmd = domctls[i];
        op.interface_version = BULKHEAD_DOMCTL_INTERFACE_VERSION;
        op.domain = target;
        op.u.create.max_pages = 1024;
        memcpy(op.u.create.name, "evil", 5);
        CHECK_RC("domctl from an unprivileged domain", hcall1(__HYPERVISOR_domctl, GPTR(&op)), -EPERM);
    }
}

int guest_main(struct start_info *si)
{
    struct xen_sysctl sys;
    uint32_t pfn = 0;
    struct xen_memory_reservation r = { GPTR(&pfn), 1, 0, 0, 0 };
    char buf[64];

    (void)si;
    try_domctls(0);
    try_domctls(1);
    memset(&sys, 0, sizeof(sys));
    sys.interface_version = BULKHEAD_SYSCTL_INTERFACE_VERSION;
    sys.cmd = XEN_SYSCTL_physinfo;
    CHECK_RC("sysctl physinfo", hcall1(__HYPERVISOR_sysctl, GPTR(&sys)), -EPERM);
    sys.cmd = XEN_SYSCTL_audit;
    CHECK_RC("sysctl audit", hcall1(__HYPERVISOR_sysctl, GPTR(&sys)), -EPERM);
    CHECK_RC("populate dom0's memory", hcall2(__HYPERVISOR_memory_op, XENMEM_populate_physmap, GPTR(&r)), -EPERM);
    CHECK_RC("HC-11 read the console", hcall3(__HYPERVISOR_console_io, CONSOLEIO_read, sizeof(buf), GPTR(buf)), -EPERM);
    CHECK_RC("read the hypervisor command line", hcall2(__HYPERVISOR_xen_version, XENVER_commandline, GPTR(buf)), -EPERM);
    test_finish();
}
