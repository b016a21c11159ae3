/*
 * xen_version (hypercall 17): what the guest may learn about the
 * hypervisor. xen_version(cmd, arg). XENVER_version and XENVER_pagesize
 * answer in the return value; commands 1-6, 8 and 9 copy a fixed-size OUT
 * structure to arg and return 0; 10-14 are variable-length queries. The
 * fixed-size strings are NUL-terminated and truncated to fit.
 */
#ifndef PV_VERSION_H
#define PV_VERSION_H

#include "types.h"

#define XENVER_version             0   /* arg NULL; returns (major << 16) | minor */
#define XENVER_extraversion        1   /* xen_extraversion_t */
#define XENVER_compile_info        2   /* struct xen_compile_info */
#define XENVER_capabilities        3   /* xen_capabilities_info_t */
#define XENVER_changeset           4   /* xen_changeset_info_t */
#define XENVER_platform_parameters 5   /* struct xen_platform_parameters */
#define XENVER_get_features        6   /* struct xen_feature_info */
#define XENVER_pagesize            7   /* arg NULL; returns the page size */
#define XENVER_guest_handle        8   /* xen_domain_handle_t */
#define XENVER_commandline         9   /* xen_commandline_t (privileged) */
#define XENVER_build_id           10   /* variable length */
#define XENVER_extraversion2      11   /* variable-length forms of 1, 3, 4, 9 */
#define XENVER_capabilities2      12
#define XENVER_changeset2         13
#define XENVER_commandline2       14

/*
 * A capabilities string names every guest type the hypervisor can run,
 * space separated; the builder refuses a kernel whose type is missing.
 */
#define XEN_CAPABILITY_X86_32P "xen-3.0-x86_32p"

#define XEN_EXTRAVERSION_LEN      16
#define XEN_CAPABILITIES_INFO_LEN 1024
#define XEN_CHANGESET_INFO_LEN    64
#define XEN_COMMANDLINE_INFO_LEN  1024

typedef char xen_extraversion_t[XEN_EXTRAVERSION_LEN];        /* OUT */
typedef char xen_capabilities_info_t[XEN_CAPABILITIES_INFO_LEN]; /* OUT */
typedef char xen_changeset_info_t[XEN_CHANGESET_INFO_LEN];    /* OUT */
typedef char xen_commandline_t[XEN_COMMANDLINE_INFO_LEN];     /* OUT */
typedef uint8_t xen_domain_handle_t[16];                      /* OUT: the domain's UUID */
PV_ABI_SIZE(xen_extraversion_t, 16);
PV_ABI_SIZE(xen_capabilities_info_t, 1024);
PV_ABI_SIZE(xen_changeset_info_t, 64);
PV_ABI_SIZE(xen_commandline_t, 1024);
PV_ABI_SIZE(xen_domain_handle_t, 16);

struct xen_compile_info {             /* OUT */
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
PV_ABI_SIZE(struct xen_compile_info, 144);
PV_ABI_OFFSET(struct xen_compile_info, compiler, 0);
PV_ABI_OFFSET(struct xen_compile_info, compile_by, 64);
PV_ABI_OFFSET(struct xen_compile_info, compile_domain, 80);
PV_ABI_OFFSET(struct xen_compile_info, compile_date, 112);

struct xen_platform_parameters {
    xen_ulong_t virt_start;           /* OUT: HYPERVISOR_VIRT_START */
};
PV_ABI_SIZE(struct xen_platform_parameters, 4);

/* XENFEAT_* bit numbers are in elfnote.h; index 0 is the only submap. */
#define XENFEAT_NR_SUBMAPS 1

struct xen_feature_info {
    uint32_t submap_idx;              /* IN: which 32-bit word of features */
    uint32_t submap;                  /* OUT */
};
PV_ABI_SIZE(struct xen_feature_info, 8);
PV_ABI_OFFSET(struct xen_feature_info, submap_idx, 0);
PV_ABI_OFFSET(struct xen_feature_info, submap, 4);

#endif
