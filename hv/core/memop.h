/*
 * memory_op's reservation operations: increase_reservation,
 * decrease_reservation and populate_physmap over one domain's allowance
 * (spec/hypercalls.md, MEM-1..MEM-3, HC-3).
 *
 * Theory of operation. A reservation call is a batch over the extents of
 * a guest list; it stops at the first extent it cannot do and returns how
 * many extents of the list are done (Xen's convention), counting from the
 * beginning of the list, not of this issue. Only malformed arguments are
 * errors, and only while nothing has been done: once a continuation has
 * done some, every later refusal returns that count, as Xen does. Every
 * frame handed out comes scrubbed from the allocator (frame_alloc); a
 * frame is given back only when nothing references it and it has no
 * type (frame_free), so never while it is a page table or still mapped,
 * and never the domain's shared_info. Only order-0 extents are served.
 *
 * The extent to start at rides in cmd bits 31:6 (MEMOP_EXTENT_SHIFT), so
 * a preempted call is issued again as (op | extents done << 6, arg) with
 * the guest's reservation and list untouched, exactly as Xen encodes it.
 */
#ifndef CORE_MEMOP_H
#define CORE_MEMOP_H

#include "frame.h"
#include "hc_cont.h"
#include "pv/memory.h"

/* MEM-2: the largest nr_extents whose progress still fits in cmd. */
#define MEMOP_MAX_EXTENTS (UINT32_MAX >> MEMOP_EXTENT_SHIFT)

/* The domain a reservation acts on, as the glue sees it. */
struct memop_target {
    struct frame_table *ft;
    uint32_t *m2p;                /* m2p_entries entries; a given-back frame reads ~0 */
    uint32_t m2p_entries;
    domid_t dom;
    uint32_t *tot_pages;          /* frames it owns (updated here) */
    uint32_t max_pages;           /* its allowance */
    uint32_t shared_info_mfn;     /* never given back */
};

/*
 * MEM-1: what a reservation call returns when it stops before doing
 * anything in this issue for reason `err`: the extents done by earlier
 * issues, or `err` when there are none.
 */
int32_t memop_early(uint32_t start, int32_t err);

/*
 * MEM-2: the checks before the target is looked up: true to go on, or
 * false with *ret the value the call returns now (nr_extents above
 * MEMOP_MAX_EXTENTS, start at or past the end: `start`, as Xen).
 */
bool memop_check(uint32_t start, const struct xen_memory_reservation *r, int32_t *ret);

/*
 * MEM-3, HC-1, HC-3: run `op` (XENMEM_increase_reservation,
 * XENMEM_decrease_reservation or XENMEM_populate_physmap) over extents
 * start .. r->nr_extents - 1 of r's list for target t. Returns the
 * extents done from the start of the list (the first refused extent
 * stops it: past the allowance, no free frame, a frame that is not the
 * target's, in use or its shared_info), memop_early(start, -EINVAL) for
 * an order other than 0, memop_early(i, -EFAULT) when the list cannot be
 * read or written at extent i, or -ERESTART with *cont = (op | i << 6,
 * arg) when it stopped before extent i (never with cont NULL). Requires
 * memop_check() to have said true.
 */
int32_t memop_reservation(const struct memop_target *t, uint32_t op,
                          const struct xen_memory_reservation *r, uint32_t start,
                          guest_ptr_t arg, struct hc_cont *cont);

#endif
