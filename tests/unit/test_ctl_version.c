/*
 * The control interface's caller and version checks (CTL-1, CTL-3,
 * hv/core/ctl_version.c): every unprivileged caller -EPERM whatever it
 * sends; Bulkhead's version serves every sub-op; Xen 4.17's version
 * serves the sub-ops laid out as Xen's, answers -EACCES for Xen sub-ops
 * with Bulkhead payloads and -ENOSYS for the rest; any other version
 * -EACCES, as Xen.
 */
#include "check.h"
#include "ctl_version.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BH  BULKHEAD_DOMCTL_INTERFACE_VERSION
#define XEN XEN_DOMCTL_INTERFACE_VERSION

static void test_caller(void)
{
    CHECK_EQ_CASE("CTL-1 unprivileged", ctl_caller_check(false), -EPERM);
    CHECK_EQ_CASE("CTL-1 privileged", ctl_caller_check(true), 0);
}

static void test_domctl(void)
{
    static const struct { const char *name; uint32_t cmd, version; int rc; } cases[] = {
        { "CTL-3 bulkhead create", XEN_DOMCTL_createdomain, BH, 0 },
        { "CTL-3 bulkhead weight", XEN_DOMCTL_set_weight, BH, 0 },
        { "CTL-3 bulkhead unknown goes on to CTL-5", 77, BH, 0 },
        { "CTL-3 xen pause", XEN_DOMCTL_pausedomain, XEN, 0 },
        { "CTL-3 xen unpause", XEN_DOMCTL_unpausedomain, XEN, 0 },
        { "CTL-3 xen destroy", XEN_DOMCTL_destroydomain, XEN, 0 },
        { "CTL-3 xen create: other payload", XEN_DOMCTL_createdomain, XEN, -EACCES },
        { "CTL-3 xen getdomaininfo: other payload", XEN_DOMCTL_getdomaininfo, XEN, -EACCES },
        { "CTL-3 xen max_mem: other payload", XEN_DOMCTL_max_mem, XEN, -EACCES },
        { "CTL-3 xen setvcpucontext: other payload", XEN_DOMCTL_setvcpucontext, XEN, -EACCES },
        { "CTL-3 xen hypercall_init: other payload", XEN_DOMCTL_hypercall_init, XEN, -EACCES },
        { "CTL-3 xen: bulkhead's own number", XEN_DOMCTL_set_weight, XEN, -ENOSYS },
        { "CTL-3 xen: cmd 0 (the probe)", 0, XEN, -ENOSYS },
        { "CTL-3 xen: max_vcpus not served", 15, XEN, -ENOSYS },
        { "CTL-3 version 0", XEN_DOMCTL_pausedomain, 0, -EACCES },
        { "CTL-3 version 0x14 (xen 4.16)", XEN_DOMCTL_pausedomain, 0x14, -EACCES },
        { "CTL-3 version 0x16 (xen 4.18)", XEN_DOMCTL_pausedomain, 0x16, -EACCES },
        { "CTL-3 version all ones", 0, 0xFFFFFFFFu, -EACCES },
        { "CTL-3 bulkhead version off by one", 0, BH + 1, -EACCES },
    };
    uint32_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++)
        CHECK_EQ_CASE(cases[i].name, ctl_domctl_version(cases[i].cmd, cases[i].version),
                      cases[i].rc);
}

static void test_sysctl(void)
{
    uint32_t v;

    CHECK_EQ_CASE("CTL-3 sysctl bulkhead physinfo",
                  ctl_sysctl_version(XEN_SYSCTL_physinfo, BULKHEAD_SYSCTL_INTERFACE_VERSION), 0);
    CHECK_EQ_CASE("CTL-3 sysctl bulkhead audit",
                  ctl_sysctl_version(XEN_SYSCTL_audit, BULKHEAD_SYSCTL_INTERFACE_VERSION), 0);
    CHECK_EQ_CASE("CTL-3 sysctl xen physinfo: other payload",
                  ctl_sysctl_version(XEN_SYSCTL_physinfo, XEN_SYSCTL_INTERFACE_VERSION), -EACCES);
    CHECK_EQ_CASE("CTL-3 sysctl xen audit: not xen's",
                  ctl_sysctl_version(XEN_SYSCTL_audit, XEN_SYSCTL_INTERFACE_VERSION), -ENOSYS);
    CHECK_EQ_CASE("CTL-3 sysctl xen cmd 0 (the probe)",
                  ctl_sysctl_version(0, XEN_SYSCTL_INTERFACE_VERSION), -ENOSYS);
    /* XTF's probe: versions 0..127 with cmd 0; only Xen 4.17's is not -EACCES */
    for (v = 0; v < 128; v++)
        CHECK_EQ_CASE("CTL-3 sysctl probe", ctl_sysctl_version(0, v) != -EACCES,
                      v == XEN_SYSCTL_INTERFACE_VERSION);
    for (v = 0; v < 128; v++)
        CHECK_EQ_CASE("CTL-3 domctl probe", ctl_domctl_version(0, v) != -EACCES,
                      v == XEN_DOMCTL_INTERFACE_VERSION);
}

int main(void)
{
    test_caller();
    test_domctl();
    test_sysctl();
    return check_report();
}
