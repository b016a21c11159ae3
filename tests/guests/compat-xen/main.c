/*
 * Scenario: the control interfaces and the grant-table versions, as a
 * kernel built for Xen 4.17 sees them (CTL-1, CTL-3, CTL-4, GNT-22;
 * spec/xen-compat.md).
 *
 * Written against Xen's public ABI alone: every number and layout under
 * test is defined below from Xen's public headers (each block names its
 * header), none from Bulkhead's own ABI headers; the runtime only boots,
 * prints and makes the hypercall. The same image runs as the privileged
 * domain (compat-xen) and as an unprivileged domU started by dom0
 * (compat-xen-domu); start_info's SIF_PRIVILEGED says which.
 *
 * Privileged: domctl and sysctl with Xen 4.17's interface version 0x15
 * serve the sub-ops whose layout is Xen's (pause, unpause, destroy: a
 * nonexistent domain -ESRCH as Xen; a real target, made with Bulkhead's
 * own createdomain, paused and destroyed), refuse Xen sub-ops whose
 * payload Bulkhead lays out differently (-EACCES, Bulkhead's documented
 * difference), answer -ENOSYS for a number Xen does not know, and -EACCES
 * for any other version. Unprivileged: every domctl and sysctl -EPERM,
 * before the version or even the request is read. Both: set_version(2)
 * -ENOSYS with 1 written back, (1) 0, (3) -EINVAL; get_version of
 * DOMID_SELF 1, of a nonexistent domain -ESRCH, of another domain -EPERM
 * unprivileged.
 */
#include "test.h"

/* xen/include/public/xen.h */
#define HYPERCALL_grant_table_op 20
#define HYPERCALL_sysctl         35
#define HYPERCALL_domctl         36
#define DOMID_SELF               0x7FF0u
#define SIF_PRIVILEGED_FLAG      (1u << 0)

/* xen/include/public/errno.h */
#define XEN_EPERM   1
#define XEN_ESRCH   3
#define XEN_EFAULT  14
#define XEN_EACCES  13
#define XEN_EINVAL  22
#define XEN_ENOSYS  38

/* xen/include/public/domctl.h (Xen 4.17) */
#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015u
#define XEN_DOMCTL_createdomain      1
#define XEN_DOMCTL_destroydomain     2
#define XEN_DOMCTL_pausedomain       3
#define XEN_DOMCTL_unpausedomain     4
#define XEN_DOMCTL_getdomaininfo     5
#define XEN_DOMCTL_max_mem           11
#define XEN_DOMCTL_setvcpucontext    12
#define XEN_DOMCTL_hypercall_init    22
struct xen_domctl_abi {
    uint32_t cmd;
    uint32_t interface_version;
    uint16_t domain;
    uint16_t pad[3];
    uint8_t  u[128];                /* the payload union, 8-byte aligned */
};
_Static_assert(sizeof(struct xen_domctl_abi) == 144, "struct xen_domctl");

/* xen/include/public/sysctl.h (Xen 4.17) */
#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015u
#define XEN_SYSCTL_readconsole       1
#define XEN_SYSCTL_physinfo          3
struct xen_sysctl_abi {
    uint32_t cmd;
    uint32_t interface_version;
    uint8_t  u[128];                /* the payload union, 8-byte aligned */
};
_Static_assert(sizeof(struct xen_sysctl_abi) == 136, "struct xen_sysctl");

/* xen/include/public/grant_table.h */
#define GNTTABOP_set_version 8
#define GNTTABOP_get_version 10
struct gnttab_set_version_abi {
    uint32_t version;               /* IN/OUT */
};
struct gnttab_get_version_abi {
    uint16_t dom;                   /* IN */
    uint16_t pad;
    uint32_t version;               /* OUT */
};

/* Not a sub-op number of either interface in Xen 4.17. */
#define UNKNOWN_SUBOP 9999u
/* A valid domain id no domain has here. */
#define NO_SUCH_DOMAIN 31000u
/* An address no guest maps (the hypervisor's area). */
#define UNREADABLE 0xFC000000u

/*
 * Bulkhead's own createdomain (spec/domctl.md: its interface version and
 * payload), used only to have a real domain to pause and destroy with
 * Xen's numbers; not a value under test.
 */
#define BULKHEAD_DOMCTL_VERSION 0xB1000001u
struct bulkhead_create {
    uint32_t max_pages;
    uint32_t weight;
    char name[32];
};

static struct xen_domctl_abi dc;
static struct xen_sysctl_abi sc;

static int32_t domctl(uint32_t cmd, uint32_t version, uint32_t domain)
{
    memset(&dc, 0, sizeof(dc));
    dc.cmd = cmd;
    dc.interface_version = version;
    dc.domain = (uint16_t)domain;
    return hcall1(HYPERCALL_domctl, GPTR(&dc));
}

static int32_t sysctl(uint32_t cmd, uint32_t version)
{
    memset(&sc, 0, sizeof(sc));
    sc.cmd = cmd;
    sc.interface_version = version;
    return hcall1(HYPERCALL_sysctl, GPTR(&sc));
}

static int32_t set_version(uint32_t version, uint32_t *out)
{
    struct gnttab_set_version_abi op = { version };
    int32_t rc = hcall3(HYPERCALL_grant_table_op, GNTTABOP_set_version, GPTR(&op), 1);

    *out = op.version;
    return rc;
}

static int32_t get_version(uint32_t dom, uint32_t *out)
{
    struct gnttab_get_version_abi op = { (uint16_t)dom, 0, 0xDEADu };
    int32_t rc = hcall3(HYPERCALL_grant_table_op, GNTTABOP_get_version, GPTR(&op), 1);

    *out = op.version;
    return rc;
}

/* Bulkhead's createdomain (setup only); the new id, or 0. */
static uint32_t make_target(void)
{
    struct bulkhead_create c = { 16, 0, "compat-target" };

    memset(&dc, 0, sizeof(dc));
    dc.cmd = XEN_DOMCTL_createdomain;
    dc.interface_version = BULKHEAD_DOMCTL_VERSION;
    memcpy(dc.u, &c, sizeof(c));
    if (hcall1(HYPERCALL_domctl, GPTR(&dc)) != 0)
        return 0;
    return dc.domain;
}

static void domctl_privileged(void)
{
    const uint32_t v = XEN_DOMCTL_INTERFACE_VERSION;
    uint32_t target, ver;

    /* Xen's layout, no payload: served; no such domain -ESRCH, as Xen. */
    CHECK_RC("CTL-3 pausedomain nonexistent", domctl(XEN_DOMCTL_pausedomain, v, NO_SUCH_DOMAIN), -XEN_ESRCH);
    CHECK_RC("CTL-3 unpausedomain nonexistent", domctl(XEN_DOMCTL_unpausedomain, v, NO_SUCH_DOMAIN), -XEN_ESRCH);
    CHECK_RC("CTL-3 destroydomain nonexistent", domctl(XEN_DOMCTL_destroydomain, v, NO_SUCH_DOMAIN), -XEN_ESRCH);
    /* CTL-4: the caller itself is no target (Xen: pause of self -EINVAL). */
    CHECK_RC("CTL-4 pausedomain self", domctl(XEN_DOMCTL_pausedomain, v, 0), -XEN_ESRCH);

    target = make_target();
    test_check("a target domain to act on", target != 0);
    if (target) {
        CHECK_RC("CTL-3 pausedomain of a real domU", domctl(XEN_DOMCTL_pausedomain, v, target), 0);
        CHECK_RC("GNT-22 get_version of a domU as dom0", get_version(target, &ver), 0);
        CHECK_RC("GNT-22 its version", (int32_t)ver, 1);
        CHECK_RC("CTL-3 destroydomain of a real domU", domctl(XEN_DOMCTL_destroydomain, v, target), 0);
        CHECK_RC("CTL-3 pausedomain after destroy", domctl(XEN_DOMCTL_pausedomain, v, target), -XEN_ESRCH);
    }

    /* Xen sub-ops whose payload Bulkhead lays out its own way: -EACCES. */
    CHECK_RC("CTL-3 getdomaininfo", domctl(XEN_DOMCTL_getdomaininfo, v, 0), -XEN_EACCES);
    CHECK_RC("CTL-3 createdomain", domctl(XEN_DOMCTL_createdomain, v, 0), -XEN_EACCES);
    CHECK_RC("CTL-3 max_mem", domctl(XEN_DOMCTL_max_mem, v, NO_SUCH_DOMAIN), -XEN_EACCES);
    CHECK_RC("CTL-3 setvcpucontext", domctl(XEN_DOMCTL_setvcpucontext, v, NO_SUCH_DOMAIN), -XEN_EACCES);
    CHECK_RC("CTL-3 hypercall_init", domctl(XEN_DOMCTL_hypercall_init, v, NO_SUCH_DOMAIN), -XEN_EACCES);
    /* A number Xen does not know, on a domain that exists: -ENOSYS, as Xen. */
    CHECK_RC("CTL-3 unknown domctl", domctl(UNKNOWN_SUBOP, v, 0), -XEN_ENOSYS);
    /* Another version (Xen 4.16's, and 0): -EACCES, as Xen. */
    CHECK_RC("CTL-3 domctl version 0x14", domctl(XEN_DOMCTL_pausedomain, 0x14, NO_SUCH_DOMAIN), -XEN_EACCES);
    CHECK_RC("CTL-3 domctl version 0", domctl(UNKNOWN_SUBOP, 0, 0), -XEN_EACCES);
    /* CTL-2: an unreadable request, as Xen. */
    CHECK_RC("CTL-2 domctl unreadable", hcall1(HYPERCALL_domctl, UNREADABLE), -XEN_EFAULT);
}

static void sysctl_privileged(void)
{
    const uint32_t v = XEN_SYSCTL_INTERFACE_VERSION;

    CHECK_RC("CTL-3 sysctl physinfo", sysctl(XEN_SYSCTL_physinfo, v), -XEN_EACCES);
    CHECK_RC("CTL-3 sysctl readconsole (not offered)", sysctl(XEN_SYSCTL_readconsole, v), -XEN_ENOSYS);
    CHECK_RC("CTL-3 unknown sysctl", sysctl(UNKNOWN_SUBOP, v), -XEN_ENOSYS);
    CHECK_RC("CTL-3 sysctl version 0x14", sysctl(XEN_SYSCTL_physinfo, 0x14), -XEN_EACCES);
    CHECK_RC("CTL-2 sysctl unreadable", hcall1(HYPERCALL_sysctl, UNREADABLE), -XEN_EFAULT);
}

/* CTL-1: -EPERM whatever the version, the sub-op or the pointer. */
static void ctl_unprivileged(void)
{
    const uint32_t v = XEN_DOMCTL_INTERFACE_VERSION;

    CHECK_RC("CTL-1 domU pausedomain dom0", domctl(XEN_DOMCTL_pausedomain, v, 0), -XEN_EPERM);
    CHECK_RC("CTL-1 domU pausedomain nonexistent", domctl(XEN_DOMCTL_pausedomain, v, NO_SUCH_DOMAIN), -XEN_EPERM);
    CHECK_RC("CTL-1 domU getdomaininfo", domctl(XEN_DOMCTL_getdomaininfo, v, 0), -XEN_EPERM);
    CHECK_RC("CTL-1 domU unknown domctl", domctl(UNKNOWN_SUBOP, v, 0), -XEN_EPERM);
    CHECK_RC("CTL-1 domU domctl bad version", domctl(XEN_DOMCTL_pausedomain, 0x14, 0), -XEN_EPERM);
    CHECK_RC("CTL-1 domU domctl unreadable", hcall1(HYPERCALL_domctl, UNREADABLE), -XEN_EPERM);
    CHECK_RC("CTL-1 domU sysctl physinfo", sysctl(XEN_SYSCTL_physinfo, XEN_SYSCTL_INTERFACE_VERSION), -XEN_EPERM);
    CHECK_RC("CTL-1 domU unknown sysctl", sysctl(UNKNOWN_SUBOP, XEN_SYSCTL_INTERFACE_VERSION), -XEN_EPERM);
    CHECK_RC("CTL-1 domU sysctl bad version", sysctl(XEN_SYSCTL_physinfo, 0x14), -XEN_EPERM);
    CHECK_RC("CTL-1 domU sysctl unreadable", hcall1(HYPERCALL_sysctl, UNREADABLE), -XEN_EPERM);
}

static void grant_versions(bool privileged)
{
    uint32_t ver;

    ver = 0;
    CHECK_RC("GNT-22 set_version(2)", set_version(2, &ver), -XEN_ENOSYS);
    CHECK_RC("GNT-22 set_version(2) writes back 1", (int32_t)ver, 1);
    ver = 0;
    CHECK_RC("GNT-22 set_version(1)", set_version(1, &ver), 0);
    CHECK_RC("GNT-22 set_version(1) writes back 1", (int32_t)ver, 1);
    ver = 0;
    CHECK_RC("GNT-22 set_version(3)", set_version(3, &ver), -XEN_EINVAL);
    CHECK_RC("GNT-22 set_version(3) writes back 1", (int32_t)ver, 1);
    CHECK_RC("GNT-22 set_version(0)", set_version(0, &ver), -XEN_EINVAL);
    CHECK_RC("GNT-22 get_version(DOMID_SELF)", get_version(DOMID_SELF, &ver), 0);
    CHECK_RC("GNT-22 get_version(DOMID_SELF) is 1", (int32_t)ver, 1);
    CHECK_RC("GNT-22 get_version nonexistent", get_version(NO_SUCH_DOMAIN, &ver), -XEN_ESRCH);
    if (!privileged) {
        ver = 0xDEADu;
        CHECK_RC("GNT-22 domU get_version of dom0", get_version(0, &ver), -XEN_EPERM);
        CHECK_RC("GNT-22 nothing written", (int32_t)ver, 0xDEAD);
    }
}

int guest_main(struct start_info *si)
{
    bool privileged = (si->flags & SIF_PRIVILEGED_FLAG) != 0;

    gprintf("compat-xen: as %s\n", privileged ? "the privileged domain" : "an unprivileged domain");
    if (privileged) {
        domctl_privileged();
        sysctl_privileged();
    } else {
        ctl_unprivileged();
    }
    grant_versions(privileged);
    test_finish();
}
