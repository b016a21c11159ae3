/*
 * domctl (hypercall 36) and sysctl (hypercall 35): Bulkhead's control
 * interface for the privileged domain.
 *
 * Xen's numbers and the outer struct layout are kept (cmd,
 * interface_version, domain, then a union at offset 16, 144 bytes in
 * all), but the sub-op payloads are Bulkhead's own, smaller ones
 * (spec/domctl.md), and so is the interface version that names them. Xen
 * 4.17's version is accepted too, for what Bulkhead answers as Xen does:
 * the sub-ops whose payload is Xen's (pause, unpause, destroy) and
 * -ENOSYS for numbers it does not serve; a sub-op Xen has with a payload
 * of Bulkhead's gets -EACCES, so a toolstack built for Xen is never
 * misread. Every caller but the privileged domain gets -EPERM for every
 * sub-op, before the version is looked at.
 */
#ifndef PV_DOMCTL_H
#define PV_DOMCTL_H

#include "types.h"

#define BULKHEAD_DOMCTL_INTERFACE_VERSION 0xB1000001u
#define BULKHEAD_SYSCTL_INTERFACE_VERSION 0xB1000001u
/* Xen 4.17's (public/domctl.h, public/sysctl.h). */
#define XEN_DOMCTL_INTERFACE_VERSION      0x00000015u
#define XEN_SYSCTL_INTERFACE_VERSION      0x00000015u

#define XEN_DOMCTL_createdomain    1   /* u.create -> domain (OUT) */
#define XEN_DOMCTL_destroydomain   2
#define XEN_DOMCTL_pausedomain     3
#define XEN_DOMCTL_unpausedomain   4
#define XEN_DOMCTL_getdomaininfo   5   /* first domain >= domain -> u.info */
#define XEN_DOMCTL_max_mem        11   /* u.max_mem */
#define XEN_DOMCTL_setvcpucontext 12   /* u.vcpucontext */
#define XEN_DOMCTL_hypercall_init 22   /* u.hypercall_init */
#define XEN_DOMCTL_set_weight   0x1001 /* Bulkhead: u.weight */
#define BULKHEAD_DOMCTL_crash_reason 0x1002 /* Bulkhead: -> u.crash_reason */

#define DOMAIN_NAME_LEN   32
#define CRASH_REASON_LEN  48     /* getdomaininfo's copy: 47 characters of it */
#define CRASH_REASON_FULL_LEN 64 /* all the hypervisor keeps */

struct xen_domctl_createdomain {
    uint32_t max_pages;            /* IN: memory allowance in frames */
    uint32_t weight;               /* IN: CPU weight, 1..65535 (0 = default 256) */
    char     name[DOMAIN_NAME_LEN]; /* IN: NUL-terminated, printable */
};
PV_ABI_SIZE(struct xen_domctl_createdomain, 40);

/* getdomaininfo: state */
#define DOMINFO_RUNNABLE  0
#define DOMINFO_BLOCKED   1
#define DOMINFO_PAUSED    2
#define DOMINFO_SHUTDOWN  3   /* stopped; shutdown_reason says why */
#define DOMINFO_CRASHED   4   /* stopped by a fault; crash_reason says which */
#define DOMINFO_DYING     5   /* stopped, some frames still mapped by dom0 */

struct xen_domctl_getdomaininfo {
    domid_t  domain;               /* OUT: the domain described */
    uint16_t pause_count;          /* OUT: pausedomain calls not yet undone (Bulkhead; Xen: pad) */
    uint32_t state;                /* OUT: DOMINFO_* */
    uint32_t privileged;           /* OUT: 1 for dom0 */
    uint32_t tot_pages;            /* OUT: frames owned */
    uint32_t max_pages;            /* OUT: allowance */
    uint32_t shutdown_reason;      /* OUT: SHUTDOWN_* when stopped */
    uint32_t weight;               /* OUT */
    pv_u64   cpu_time_ns;          /* OUT: time spent running */
    char     name[DOMAIN_NAME_LEN];          /* OUT */
    char     crash_reason[CRASH_REASON_LEN]; /* OUT */
    xen_pfn_t shared_info_frame;   /* OUT: MFN of its shared_info page */
    pv_u64   console_dropped;      /* OUT: console_io bytes dropped by its bounds (CON-4) */
};
PV_ABI_SIZE(struct xen_domctl_getdomaininfo, 128);
PV_ABI_OFFSET(struct xen_domctl_getdomaininfo, console_dropped, 120);
PV_ABI_OFFSET(struct xen_domctl_getdomaininfo, cpu_time_ns, 28);
PV_ABI_OFFSET(struct xen_domctl_getdomaininfo, name, 36);

struct xen_domctl_max_mem {
    uint32_t max_pages;            /* IN */
};

struct xen_domctl_vcpucontext {
    uint32_t    vcpu;              /* IN: 0 (one vCPU per domain) */
    pv_handle_t ctxt;              /* IN: struct vcpu_guest_context */
};
PV_ABI_SIZE(struct xen_domctl_vcpucontext, 8);

struct xen_domctl_hypercall_init {
    xen_pfn_t gmfn;                /* IN: a frame of the domain (MFN for PV) */
};

struct xen_domctl_weight {
    uint32_t weight;               /* IN: 1..65535 */
};

/* The whole reason a domain crashed, which getdomaininfo's field cuts short. */
struct xen_domctl_crash_reason {
    char reason[CRASH_REASON_FULL_LEN];   /* OUT: NUL-terminated; "" if it has none */
};
PV_ABI_SIZE(struct xen_domctl_crash_reason, 64);

struct xen_domctl {
    uint32_t cmd;                  /* IN: XEN_DOMCTL_* */
    uint32_t interface_version;    /* IN: BULKHEAD_ or XEN_DOMCTL_INTERFACE_VERSION */
    domid_t  domain;               /* IN (OUT for createdomain) */
    uint16_t pad[3];
    union {
        struct xen_domctl_createdomain create;
        struct xen_domctl_getdomaininfo info;
        struct xen_domctl_max_mem max_mem;
        struct xen_domctl_vcpucontext vcpucontext;
        struct xen_domctl_hypercall_init hypercall_init;
        struct xen_domctl_weight weight;
        struct xen_domctl_crash_reason crash_reason;
        uint8_t pad[128];
    } u;
};
PV_ABI_SIZE(struct xen_domctl, 144);
PV_ABI_OFFSET(struct xen_domctl, domain, 8);
PV_ABI_OFFSET(struct xen_domctl, u, 16);

#define XEN_SYSCTL_physinfo 3
/* Bulkhead: recount every page-table reference now (0, or -EIO on a finding). */
#define XEN_SYSCTL_audit    0x1001

/* physinfo.capabilities: Xen's XEN_SYSCTL_PHYSCAP_* bits where they apply. */
#define XEN_SYSCTL_PHYSCAP_pv         (1u << 1)    /* PV guests (as Xen) */
#define XEN_SYSCTL_PHYSCAP_gnttab_v1  (1u << 8)    /* grant tables v1 (as Xen) */
/* Bulkhead: the CPU enforces data-segment limits (boot probe, BOOT-16).
 * Clear means ring-1 guests are not isolated from the hypervisor. */
#define BULKHEAD_PHYSCAP_seg_limits   (1u << 31)

struct xen_sysctl_physinfo {
    uint32_t total_pages;          /* OUT: machine frames Bulkhead manages */
    uint32_t free_pages;           /* OUT: frames free now */
    uint32_t nr_domains;           /* OUT: domain records in use */
    uint32_t max_domains;          /* OUT */
    uint32_t capabilities;         /* OUT: XEN_SYSCTL_PHYSCAP_*, BULKHEAD_PHYSCAP_* */
};
PV_ABI_SIZE(struct xen_sysctl_physinfo, 20);

struct xen_sysctl {
    uint32_t cmd;                  /* IN: XEN_SYSCTL_* */
    uint32_t interface_version;    /* IN: BULKHEAD_ or XEN_SYSCTL_INTERFACE_VERSION */
    union {
        struct xen_sysctl_physinfo physinfo;
        uint8_t pad[128];
    } u;
};
PV_ABI_SIZE(struct xen_sysctl, 136);
PV_ABI_OFFSET(struct xen_sysctl, u, 8);

#endif
