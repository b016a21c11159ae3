/*
 * memory_op (hypercall 12): growing and shrinking a domain's allocation,
 * and querying memory maps. memory_op(cmd, arg).
 *
 * Reservation calls are batches: the return value is the number of
 * extents done (which may be fewer than asked), not an error code, unless
 * the arguments themselves are bad.
 */
#ifndef PV_MEMORY_H
#define PV_MEMORY_H

#include "types.h"

#define XENMEM_increase_reservation 0   /* struct xen_memory_reservation */
#define XENMEM_decrease_reservation 1   /* struct xen_memory_reservation */
#define XENMEM_maximum_ram_page     2   /* arg NULL; returns the highest MFN */
#define XENMEM_current_reservation  3   /* domid_t *; returns pages */
#define XENMEM_maximum_reservation  4   /* domid_t *; returns pages */
#define XENMEM_machphys_mfn_list    5   /* struct xen_machphys_mfn_list */
#define XENMEM_populate_physmap     6   /* struct xen_memory_reservation */
#define XENMEM_add_to_physmap       7   /* struct xen_add_to_physmap */
/* 8 (translate_gpfn_list) was removed. */
#define XENMEM_memory_map           9   /* struct xen_memory_map */
#define XENMEM_machine_memory_map  10   /* struct xen_memory_map (privileged) */
#define XENMEM_exchange            11
#define XENMEM_machphys_mapping    12   /* struct xen_machphys_mapping */
#define XENMEM_set_memory_map      13   /* struct xen_foreign_memory_map */
#define XENMEM_maximum_gpfn        14   /* domid_t *; returns the highest GPFN */
#define XENMEM_remove_from_physmap 15

/*
 * cmd bits 5:0 are the operation; for the reservation operations the bits
 * above are the extent to start at (a continuation's progress, which a
 * guest may also set itself).
 */
#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK     ((1u << MEMOP_EXTENT_SHIFT) - 1)

/*
 * mem_flags bits 7:0: the highest machine address bit the new frames may
 * use (0 = no limit), for guests with DMA constraints.
 */
#define XENMEMF_address_bits(bits)    ((uint32_t)(bits) & 0xFFu)
#define XENMEMF_get_address_bits(f)   ((uint32_t)(f) & 0xFFu)

/*
 * x86_32 layout: the handle and nr_extents (a guest "unsigned long") are
 * 4 bytes each, so extent_start @0, nr_extents @4, extent_order @8,
 * mem_flags @12, domid @16, and 2 bytes of tail padding make 20.
 */
struct xen_memory_reservation {
    pv_handle_t extent_start;     /* IN/OUT: array of xen_pfn_t (GMFNs in, MFNs out) */
    xen_ulong_t nr_extents;       /* IN */
    uint32_t    extent_order;     /* IN: each extent is 2^order pages */
    uint32_t    mem_flags;        /* IN: XENMEMF_* */
    domid_t     domid;            /* IN: DOMID_SELF unless privileged */
};
PV_ABI_SIZE(struct xen_memory_reservation, 20);
PV_ABI_OFFSET(struct xen_memory_reservation, extent_start, 0);
PV_ABI_OFFSET(struct xen_memory_reservation, nr_extents, 4);
PV_ABI_OFFSET(struct xen_memory_reservation, extent_order, 8);
PV_ABI_OFFSET(struct xen_memory_reservation, mem_flags, 12);
PV_ABI_OFFSET(struct xen_memory_reservation, domid, 16);

struct xen_machphys_mfn_list {
    uint32_t    max_extents;      /* IN: room in extent_start */
    pv_handle_t extent_start;     /* OUT: MFNs of the frames holding the M2P */
    uint32_t    nr_extents;       /* OUT */
};
PV_ABI_SIZE(struct xen_machphys_mfn_list, 12);

struct xen_machphys_mapping {
    xen_ulong_t v_start;          /* OUT: MACH2PHYS_VIRT_START */
    xen_ulong_t v_end;            /* OUT: MACH2PHYS_VIRT_END */
    xen_ulong_t max_mfn;          /* OUT: highest MFN the M2P covers */
};
PV_ABI_SIZE(struct xen_machphys_mapping, 12);

/* xen_add_to_physmap.space; meaningful for translated guests only. */
#define XENMAPSPACE_shared_info  0
#define XENMAPSPACE_grant_table  1
#define XENMAPSPACE_gmfn         2
#define XENMAPSPACE_gmfn_range   3
#define XENMAPSPACE_gmfn_foreign 4
#define XENMAPSPACE_dev_mmio     5

struct xen_add_to_physmap {
    domid_t     domid;            /* IN */
    uint16_t    size;             /* IN: pages, for gmfn_range */
    uint32_t    space;            /* IN: XENMAPSPACE_* */
    xen_ulong_t idx;              /* IN: index within the space */
    xen_pfn_t   gpfn;             /* IN: where it should appear */
};
PV_ABI_SIZE(struct xen_add_to_physmap, 16);
PV_ABI_OFFSET(struct xen_add_to_physmap, space, 4);
PV_ABI_OFFSET(struct xen_add_to_physmap, idx, 8);
PV_ABI_OFFSET(struct xen_add_to_physmap, gpfn, 12);

struct xen_memory_map {
    uint32_t    nr_entries;       /* IN: room in buffer; OUT: entries written */
    pv_handle_t buffer;           /* OUT: array of struct e820entry */
};
PV_ABI_SIZE(struct xen_memory_map, 8);
PV_ABI_OFFSET(struct xen_memory_map, nr_entries, 0);
PV_ABI_OFFSET(struct xen_memory_map, buffer, 4);

struct xen_foreign_memory_map {
    domid_t  domid;               /* IN */
    uint16_t pad;
    struct xen_memory_map map;    /* IN */
};
PV_ABI_SIZE(struct xen_foreign_memory_map, 12);
PV_ABI_OFFSET(struct xen_foreign_memory_map, map, 4);

/*
 * The BIOS int 15h/E820 record. It is packed (20 bytes) in the BIOS
 * format; pv_u64's 4-byte alignment gives that layout without a packed
 * attribute, which would make its fields unsafe to take the address of.
 */
#define E820_RAM      1
#define E820_RESERVED 2
#define E820_ACPI     3
#define E820_NVS      4
#define E820_UNUSABLE 5

struct e820entry {
    pv_u64   addr;
    pv_u64   size;
    uint32_t type;                /* E820_* */
};
PV_ABI_SIZE(struct e820entry, 20);
PV_ABI_OFFSET(struct e820entry, addr, 0);
PV_ABI_OFFSET(struct e820entry, size, 8);
PV_ABI_OFFSET(struct e820entry, type, 16);

#endif
