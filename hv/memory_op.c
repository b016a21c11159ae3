/*
 * memory_op: a domain's memory allowance (ballooning) and memory maps,
 * and, for the privileged domain, populating a domain it builds.
 *
 * Reservation calls are batches that stop at the first extent they cannot
 * do and return how many they did (Xen's convention); only malformed
 * arguments are errors. The batch, its rules and where a long one stops
 * (HC-3) are the core's (hv/core/memop.c); the glue finds the target
 * domain and hands a continuation to the dispatcher.
 */
#include "arch/mm.h"
#include "domain.h"
#include "env.h"
#include "hypercall.h"
#include "memop.h"
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

/* The core's view of d's allowance. */
static void target_of(struct domain *d, struct memop_target *t)
{
    t->ft = &frame_table;
    t->m2p = m2p_table;
    t->m2p_entries = frame_table.nr_frames;
    t->dom = d->id;
    t->tot_pages = &d->tot_pages;
    t->max_pages = d->max_pages;
    t->shared_info_mfn = d->shared_info_mfn;
}

/* MEM-1..MEM-3: the batch itself, and where it stops, is the core's. */
static int32_t reservation(uint32_t op, uint32_t start, guest_ptr_t arg)
{
    struct xen_memory_reservation r;
    struct memop_target t;
    struct hc_cont cont;
    struct domain *d;
    int32_t rc;

    if (env_copy_from_guest(&r, arg, sizeof(r)))
        return memop_early(start, -EFAULT);
    if (!memop_check(start, &r, &rc))
        return rc;
    d = reservation_target(r.domid);
    if (!d)
        return memop_early(start, r.domid == DOMID_SELF || current->privileged ? -ESRCH
                                                                              : -EPERM);
    target_of(d, &t);
    rc = memop_reservation(&t, op, &r, start, arg, &cont);
    return rc == -ERESTART ? hypercall_continue(&cont) : rc;      /* HC-3 */
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

/* The operations that take no start extent: -EINVAL when cmd has one (Xen). */
static int32_t plain_op(uint32_t op, guest_ptr_t arg)
{
    switch (op) {
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
        return reservation_size(op, arg);
    default:    /* XENMEM_maximum_ram_page */
        return (int32_t)(frame_table.nr_frames - 1);
    }
}

int32_t do_memory_op(const uint32_t args[5])
{
    guest_ptr_t arg = guest_ptr(args[1]);
    uint32_t op = 0, start = 0;

    hc_memop_cmd(args[0], &op, &start);                 /* HC-3 */
    switch (op) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return reservation(op, start, arg);
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_ram_page:
        return start ? -EINVAL : plain_op(op, arg);
    default:
        break;
    }
    /* Xen's arch_memory_op compares the whole cmd: bits above 5 make it unknown */
    switch (args[0]) {
    case XENMEM_memory_map:
        return memory_map(arg);
    case XENMEM_machphys_mapping:
        return machphys_mapping(arg);
    default:
        return -ENOSYS;
    }
}
