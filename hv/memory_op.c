/*
 * memory_op: a domain's memory allowance (ballooning) and memory maps,
 * and, for the privileged domain, populating a domain it builds.
 *
 * Reservation calls are batches that stop at the first extent they cannot
 * do and return how many they did (Xen's convention); only malformed
 * arguments are errors. Every frame handed out comes scrubbed from the
 * allocator; a frame is given back only when nothing references it and
 * it has no type (so never while it is a page table or still mapped).
 * Only order-0 extents (single pages) are supported.
 */
#include "arch/mm.h"
#include "domain.h"
#include "env.h"
#include "hypercall.h"
#include "pv/errno.h"
#include "pv/layout.h"
#include "pv/memory.h"
#include "pv/mmu.h"
#include "string.h"

#define E820_RAM 1

/* The domain a reservation names: the caller, or (privileged) another. */
static struct domain *reservation_target(domid_t domid)
{
    struct domain *d;

    if (domid == DOMID_SELF || domid == current->id)
        return current;
    if (!current->privileged)
        return NULL;
    d = domain_by_id(domid);
    return d && d->state == DOM_ACTIVE ? d : NULL;
}

/* One frame for d, recorded in the M2P as `gpfn`; 0 or -ENOMEM. */
static int give_frame(struct domain *d, uint32_t gpfn, uint32_t *mfn)
{
    if (d->tot_pages >= d->max_pages)
        return -ENOMEM;
    if (frame_alloc(&frame_table, d->id, mfn))
        return -ENOMEM;
    m2p_table[*mfn] = gpfn;
    d->tot_pages++;
    return 0;
}

static int take_frame(struct domain *d, uint32_t mfn)
{
    if (mfn >= frame_table.nr_frames || frame_table.frames[mfn].owner != d->id ||
        mfn == d->shared_info_mfn)
        return -EINVAL;
    if (frame_free(&frame_table, mfn))
        return -EBUSY;                /* a table, mapped, or pinned: keep it */
    m2p_table[mfn] = 0xFFFFFFFFu;
    d->tot_pages--;
    return 0;
}

static int32_t reservation(uint32_t cmd, guest_ptr_t arg)
{
    struct xen_memory_reservation r;
    struct domain *d;
    uint32_t i;

    if (env_copy_from_guest(&r, arg, sizeof(r)))
        return -EFAULT;
    d = reservation_target(r.domid);
    if (!d)
        return r.domid == DOMID_SELF || current->privileged ? -ESRCH : -EPERM;
    if (r.extent_order != 0)
        return -EINVAL;
    for (i = 0; i < r.nr_extents; i++) {
        guest_ptr_t slot = guest_ptr(r.extent_start + i * 4u);
        uint32_t v = 0;

        if (cmd != XENMEM_increase_reservation && env_copy_from_guest(&v, slot, 4))
            return i ? (int32_t)i : -EFAULT;
        if (cmd == XENMEM_decrease_reservation) {
            if (take_frame(d, v))
                break;
            continue;
        }
        if (give_frame(d, cmd == XENMEM_populate_physmap ? v : 0xFFFFFFFFu, &v))
            break;
        if (env_copy_to_guest(slot, &v, 4)) {
            take_frame(d, v);         /* the caller cannot learn it: undo */
            return i ? (int32_t)i : -EFAULT;
        }
    }
    return (int32_t)i;
}

static int32_t reservation_size(uint32_t cmd, guest_ptr_t arg)
{
    domid_t domid;
    struct domain *d;

    if (env_copy_from_guest(&domid, arg, sizeof(domid)))
        return -EFAULT;
    d = reservation_target(domid);
    if (!d)
        return -ESRCH;
    return (int32_t)(cmd == XENMEM_current_reservation ? d->tot_pages : d->max_pages);
}

/* The pseudo-physical map: one RAM range covering the allowance. */
static int32_t memory_map(guest_ptr_t arg)
{
    struct xen_memory_map map;
    struct e820entry e;

    if (env_copy_from_guest(&map, arg, sizeof(map)))
        return -EFAULT;
    if (map.nr_entries < 1)
        return -EINVAL;
    memset(&e, 0, sizeof(e));
    e.addr = 0;
    e.size = (uint64_t)current->max_pages << 12;
    e.type = E820_RAM;
    if (env_copy_to_guest(guest_ptr(map.buffer), &e, sizeof(e)))
        return -EFAULT;
    map.nr_entries = 1;
    return env_copy_to_guest(arg, &map, sizeof(map)) ? -EFAULT : 0;
}

static int32_t machphys_mapping(guest_ptr_t arg)
{
    struct xen_machphys_mapping m;

    memset(&m, 0, sizeof(m));
    m.v_start = MACH2PHYS_VIRT_START;
    m.v_end = MACH2PHYS_VIRT_END;
    m.max_mfn = frame_table.nr_frames - 1;
    return env_copy_to_guest(arg, &m, sizeof(m)) ? -EFAULT : 0;
}

int32_t do_memory_op(const uint32_t args[5])
{
    guest_ptr_t arg = guest_ptr(args[1]);

    switch (args[0]) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return reservation(args[0], arg);
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
        return reservation_size(args[0], arg);
    case XENMEM_maximum_ram_page:
        return (int32_t)(frame_table.nr_frames - 1);
    case XENMEM_memory_map:
        return memory_map(arg);
    case XENMEM_machphys_mapping:
        return machphys_mapping(arg);
    default:
        return -ENOSYS;
    }
}
