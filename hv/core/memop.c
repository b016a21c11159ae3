/*
 * memory_op reservations (see memop.h).
 */
#include "memop.h"

#define M2P_NONE 0xFFFFFFFFu        /* the M2P entry of a frame no domain maps */

int32_t memop_early(uint32_t start, int32_t err)
{
    return start != 0 ? (int32_t)start : err;       /* MEM-1 */
}

bool memop_check(uint32_t start, const struct xen_memory_reservation *r, int32_t *ret)
{
    *ret = (int32_t)start;
    /* MEM-2: no room for the progress in cmd, or nothing left to do */
    return r->nr_extents <= MEMOP_MAX_EXTENTS && start < r->nr_extents;
}

/* One frame for t, recorded in the M2P as `gpfn`; 0 or -ENOMEM. */
static int give_frame(const struct memop_target *t, uint32_t gpfn, uint32_t *mfn)
{
    if (*t->tot_pages >= t->max_pages)
        return -ENOMEM;
    if (frame_alloc(t->ft, t->dom, mfn) != 0)
        return -ENOMEM;
    if (*mfn < t->m2p_entries)
        t->m2p[*mfn] = gpfn;
    (*t->tot_pages)++;
    return 0;
}

/* Give back one of t's frames; -EINVAL (not t's, shared_info) or -EBUSY. */
static int take_frame(const struct memop_target *t, uint32_t mfn)
{
    if (mfn >= t->ft->nr_frames || t->ft->frames[mfn].owner != t->dom ||
        mfn == t->shared_info_mfn)
        return -EINVAL;
    if (frame_free(t->ft, mfn) != 0)
        return -EBUSY;              /* a table, mapped, or pinned: keep it */
    if (mfn < t->m2p_entries)
        t->m2p[mfn] = M2P_NONE;
    (*t->tot_pages)--;
    return 0;
}

/*
 * Extent i of the list: 1 done, 0 refused (the batch stops there, no
 * error), -EFAULT when the list cannot be read or written.
 */
static int one_extent(const struct memop_target *t, uint32_t op, guest_ptr_t slot)
{
    uint32_t v = 0;

    if (op != XENMEM_increase_reservation && env_copy_from_guest(&v, slot, sizeof(v)))
        return -EFAULT;
    if (op == XENMEM_decrease_reservation)
        return take_frame(t, v) == 0;
    if (give_frame(t, op == XENMEM_populate_physmap ? v : M2P_NONE, &v) != 0)
        return 0;
    if (env_copy_to_guest(slot, &v, sizeof(v)) != 0) {
        (void)take_frame(t, v);     /* the caller cannot learn it: undo */
        return -EFAULT;
    }
    return 1;
}

int32_t memop_reservation(const struct memop_target *t, uint32_t op,
                          const struct xen_memory_reservation *r, uint32_t start,
                          guest_ptr_t arg, struct hc_cont *cont)
{
    uint32_t i;

    if (r->extent_order != 0)
        return memop_early(start, -EINVAL);
    for (i = start; i < r->nr_extents; i++) {
        int rc;

        if (hc_should_stop(i - start, cont)) {      /* HC-1, HC-3 */
            hc_cont_memop(cont, op, i, arg.va);
            return -ERESTART;
        }
        rc = one_extent(t, op, guest_ptr(r->extent_start + i * (uint32_t)sizeof(uint32_t)));
        if (rc < 0)
            return memop_early(i, rc);
        if (rc == 0)
            break;
    }
    return (int32_t)i;
}
