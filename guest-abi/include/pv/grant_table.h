/*
 * Grant tables, version 1 only: how a domain lets one other domain map or
 * copy one of its pages. grant_table_op(cmd, uop, count) (hypercall 20)
 * takes an array of count structures of the type the command names.
 *
 * The granting domain owns its table of grant_entry_v1 and writes frame
 * and domid first, then (after a write barrier) flags, because the
 * hypervisor treats flags as the commit point. While a grant is mapped the
 * hypervisor sets GTF_reading/GTF_writing; the granter revokes a grant by
 * atomically replacing flags with 0, which only succeeds while both are
 * clear, so a page in use cannot be taken back under the mapper.
 *
 * Per-entry results are in each structure's status (GNTST_*); the call's
 * own return value reports only malformed arguments.
 */
#ifndef PV_GRANT_TABLE_H
#define PV_GRANT_TABLE_H

#include "types.h"

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;

#define GNTTABOP_map_grant_ref        0
#define GNTTABOP_unmap_grant_ref      1
#define GNTTABOP_setup_table          2
#define GNTTABOP_dump_table           3
#define GNTTABOP_transfer             4
#define GNTTABOP_copy                 5
#define GNTTABOP_query_size           6
#define GNTTABOP_unmap_and_replace    7
#define GNTTABOP_set_version          8
#define GNTTABOP_get_status_frames    9   /* v2 only */
#define GNTTABOP_get_version         10
#define GNTTABOP_swap_grant_ref      11
#define GNTTABOP_cache_flush         12

/* cmd bits 11:0 are the command; bits above must be 0 (cache_flush aside). */
#define GNTTABOP_CONTINUATION_ARG_SHIFT 12
#define GNTTABOP_CMD_MASK  ((1u << GNTTABOP_CONTINUATION_ARG_SHIFT) - 1)
#define GNTTABOP_ARG_MASK  (~GNTTABOP_CMD_MASK)

/* Refs the toolstack may pre-fill; guests allocate from 8 upwards. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE    0
#define GNTTAB_RESERVED_XENSTORE   1

/* grant_entry_v1.flags: bits 1:0 are the type. */
#define GTF_invalid         0u
#define GTF_permit_access   1u    /* domid may map or copy frame */
#define GTF_accept_transfer 2u    /* domid may transfer a page into frame */
#define GTF_transitive      3u    /* v2 only */
#define GTF_type_mask       3u
#define _GTF_readonly       2     /* granter: mapper may not write */
#define GTF_readonly        (1u << _GTF_readonly)
#define _GTF_reading        3     /* hypervisor: mapped or being copied from */
#define GTF_reading         (1u << _GTF_reading)
#define _GTF_writing        4     /* hypervisor: mapped writable or being copied to */
#define GTF_writing         (1u << _GTF_writing)
#define _GTF_PWT            5
#define GTF_PWT             (1u << _GTF_PWT)
#define _GTF_PCD            6
#define GTF_PCD             (1u << _GTF_PCD)
#define _GTF_PAT            7
#define GTF_PAT             (1u << _GTF_PAT)
#define _GTF_sub_page       8     /* v2 only */
#define GTF_sub_page        (1u << _GTF_sub_page)
/* For GTF_accept_transfer entries the same bits 2 and 3 mean: */
#define _GTF_transfer_committed 2
#define GTF_transfer_committed  (1u << _GTF_transfer_committed)
#define _GTF_transfer_completed 3
#define GTF_transfer_completed  (1u << _GTF_transfer_completed)

struct grant_entry_v1 {
    uint16_t flags;               /* granter sets type/readonly; hypervisor reading/writing */
    domid_t  domid;               /* granter: who may use it */
    uint32_t frame;               /* granter: the frame (GFN, = MFN for PV) */
};
PV_ABI_SIZE(struct grant_entry_v1, 8);
PV_ABI_OFFSET(struct grant_entry_v1, flags, 0);
PV_ABI_OFFSET(struct grant_entry_v1, domid, 2);
PV_ABI_OFFSET(struct grant_entry_v1, frame, 4);

#define GNTTAB_ENTRIES_PER_FRAME_V1 (4096u / 8u)   /* our name: 512 */

/* gnttab_map_grant_ref.flags */
#define _GNTMAP_device_map      0
#define GNTMAP_device_map       (1u << _GNTMAP_device_map)
#define _GNTMAP_host_map        1
#define GNTMAP_host_map         (1u << _GNTMAP_host_map)
#define _GNTMAP_readonly        2
#define GNTMAP_readonly         (1u << _GNTMAP_readonly)
#define _GNTMAP_application_map 3     /* user-accessible mapping */
#define GNTMAP_application_map  (1u << _GNTMAP_application_map)
#define _GNTMAP_contains_pte    4     /* host_addr is the machine address of a PTE */
#define GNTMAP_contains_pte     (1u << _GNTMAP_contains_pte)

/* Per-operation status codes. */
#define GNTST_okay              0
#define GNTST_general_error    (-1)
#define GNTST_bad_domain       (-2)
#define GNTST_bad_gntref       (-3)
#define GNTST_bad_handle       (-4)
#define GNTST_bad_virt_addr    (-5)
#define GNTST_bad_dev_addr     (-6)
#define GNTST_no_device_space  (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page         (-9)
#define GNTST_bad_copy_arg     (-10)  /* copy would cross a page boundary */
#define GNTST_address_too_big  (-11)
#define GNTST_eagain           (-12)
#define GNTST_no_space         (-13)

struct gnttab_map_grant_ref {
    pv_u64         host_addr;     /* IN: VA, or PTE machine address with contains_pte */
    uint32_t       flags;         /* IN: GNTMAP_* */
    grant_ref_t    ref;           /* IN */
    domid_t        dom;           /* IN: the granting domain */
    int16_t        status;        /* OUT: GNTST_* */
    grant_handle_t handle;        /* OUT: for unmap */
    pv_u64         dev_bus_addr;  /* OUT */
};
PV_ABI_SIZE(struct gnttab_map_grant_ref, 32);
PV_ABI_OFFSET(struct gnttab_map_grant_ref, host_addr, 0);
PV_ABI_OFFSET(struct gnttab_map_grant_ref, flags, 8);
PV_ABI_OFFSET(struct gnttab_map_grant_ref, ref, 12);
PV_ABI_OFFSET(struct gnttab_map_grant_ref, dom, 16);
PV_ABI_OFFSET(struct gnttab_map_grant_ref, status, 18);
PV_ABI_OFFSET(struct gnttab_map_grant_ref, handle, 20);
PV_ABI_OFFSET(struct gnttab_map_grant_ref, dev_bus_addr, 24);

struct gnttab_unmap_grant_ref {
    pv_u64         host_addr;     /* IN */
    pv_u64         dev_bus_addr;  /* IN */
    grant_handle_t handle;        /* IN */
    int16_t        status;        /* OUT */
};
PV_ABI_SIZE(struct gnttab_unmap_grant_ref, 24);
PV_ABI_OFFSET(struct gnttab_unmap_grant_ref, host_addr, 0);
PV_ABI_OFFSET(struct gnttab_unmap_grant_ref, dev_bus_addr, 8);
PV_ABI_OFFSET(struct gnttab_unmap_grant_ref, handle, 16);
PV_ABI_OFFSET(struct gnttab_unmap_grant_ref, status, 20);

/* Grow the caller's table; a PV guest then maps the returned frames itself. */
struct gnttab_setup_table {
    domid_t     dom;              /* IN */
    uint16_t    pad;
    uint32_t    nr_frames;        /* IN */
    int16_t     status;           /* OUT */
    uint16_t    pad2;
    pv_handle_t frame_list;       /* OUT: array of nr_frames MFNs */
};
PV_ABI_SIZE(struct gnttab_setup_table, 16);
PV_ABI_OFFSET(struct gnttab_setup_table, dom, 0);
PV_ABI_OFFSET(struct gnttab_setup_table, nr_frames, 4);
PV_ABI_OFFSET(struct gnttab_setup_table, status, 8);
PV_ABI_OFFSET(struct gnttab_setup_table, frame_list, 12);

struct gnttab_dump_table {
    domid_t dom;                  /* IN */
    int16_t status;               /* OUT */
};
PV_ABI_SIZE(struct gnttab_dump_table, 4);

struct gnttab_transfer {
    xen_pfn_t   mfn;              /* IN: page given away */
    domid_t     domid;            /* IN */
    uint16_t    pad;
    grant_ref_t ref;              /* IN */
    int16_t     status;           /* OUT */
};
PV_ABI_SIZE(struct gnttab_transfer, 16);
PV_ABI_OFFSET(struct gnttab_transfer, ref, 8);
PV_ABI_OFFSET(struct gnttab_transfer, status, 12);

/* gnttab_copy.flags: which side names a grant ref instead of a local frame. */
#define _GNTCOPY_source_gref 0
#define GNTCOPY_source_gref  (1u << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref   1
#define GNTCOPY_dest_gref    (1u << _GNTCOPY_dest_gref)

struct gnttab_copy_ptr {
    union {
        grant_ref_t ref;
        xen_pfn_t   gmfn;
    } u;
    domid_t  domid;
    uint16_t offset;              /* within the page */
};
PV_ABI_SIZE(struct gnttab_copy_ptr, 8);

/* offset + len must stay within one page on each side. */
struct gnttab_copy {
    struct gnttab_copy_ptr source;  /* IN */
    struct gnttab_copy_ptr dest;    /* IN */
    uint16_t len;                 /* IN */
    uint16_t flags;               /* IN: GNTCOPY_* */
    int16_t  status;              /* OUT */
};
PV_ABI_SIZE(struct gnttab_copy, 24);
PV_ABI_OFFSET(struct gnttab_copy, source.u, 0);
PV_ABI_OFFSET(struct gnttab_copy, source.domid, 4);
PV_ABI_OFFSET(struct gnttab_copy, source.offset, 6);
PV_ABI_OFFSET(struct gnttab_copy, dest, 8);
PV_ABI_OFFSET(struct gnttab_copy, len, 16);
PV_ABI_OFFSET(struct gnttab_copy, flags, 18);
PV_ABI_OFFSET(struct gnttab_copy, status, 20);

struct gnttab_query_size {
    domid_t  dom;                 /* IN */
    uint16_t pad;
    uint32_t nr_frames;           /* OUT */
    uint32_t max_nr_frames;       /* OUT */
    int16_t  status;              /* OUT */
};
PV_ABI_SIZE(struct gnttab_query_size, 16);
PV_ABI_OFFSET(struct gnttab_query_size, dom, 0);
PV_ABI_OFFSET(struct gnttab_query_size, nr_frames, 4);
PV_ABI_OFFSET(struct gnttab_query_size, max_nr_frames, 8);
PV_ABI_OFFSET(struct gnttab_query_size, status, 12);

struct gnttab_unmap_and_replace {
    pv_u64         host_addr;     /* IN */
    pv_u64         new_addr;      /* IN */
    grant_handle_t handle;        /* IN */
    int16_t        status;        /* OUT */
};
PV_ABI_SIZE(struct gnttab_unmap_and_replace, 24);
PV_ABI_OFFSET(struct gnttab_unmap_and_replace, handle, 16);
PV_ABI_OFFSET(struct gnttab_unmap_and_replace, status, 20);

/* Bulkhead offers version 1 only: set_version(2) answers -ENOSYS, as Xen
 * without version 2; the version in force (1) is written back. */
struct gnttab_set_version {
    uint32_t version;             /* IN: requested; OUT: in force */
};
PV_ABI_SIZE(struct gnttab_set_version, 4);

struct gnttab_get_version {
    domid_t  dom;                 /* IN */
    uint16_t pad;
    uint32_t version;             /* OUT */
};
PV_ABI_SIZE(struct gnttab_get_version, 8);
PV_ABI_OFFSET(struct gnttab_get_version, version, 4);

#endif
