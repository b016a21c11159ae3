/*
 * Domain ids (spec/domctl.md CTL-6): which id a new domain gets, and in
 * which record slot a domain with a given id lives.
 *
 * Theory of operation. A channel or a grant names its peer by domain id
 * alone: an event-channel port left UNBOUND for domain N (because N died,
 * EVT-13, or because it was offered to N before N existed, EVT-5) and a
 * grant entry naming N in some other guest's table can be used by
 * whichever domain is N next. So an id must not come back soon after its
 * domain goes. As Xen's createdomain does, the next id is the first one
 * after the last id handed out (a rover over 1 .. DOMID_FIRST_RESERVED-1,
 * wrapping), not the lowest free one; an id therefore returns only after
 * every other id of the 32,751 has been handed out.
 *
 * The hypervisor keeps fewer records than ids: the domain with id N lives
 * in slot N % nr_slots, and an id whose slot is taken is skipped. Slot 0
 * is dom0's, so the multiples of nr_slots are never handed out while it
 * lives. No guest input reaches these functions; dom0 asks for creation.
 */
#ifndef CORE_DOMID_H
#define CORE_DOMID_H

#include "frame.h"
#include "types.h"

/* The record slot of domain `id` among `nr_slots` (nr_slots > 0). */
static inline uint32_t domid_slot(domid_t id, uint32_t nr_slots)
{
    return (uint32_t)id % nr_slots;
}

/*
 * CTL-6: the id after `last` (wrapping from DOMID_FIRST_RESERVED-1 to 1)
 * whose slot is free (slot_busy[slot] false), or 0 when every slot is
 * busy. Never 0 or a reserved id otherwise; `last` itself is returned only
 * when it is the only id left whose slot is free.
 */
domid_t domid_next(domid_t last, const bool *slot_busy, uint32_t nr_slots);

#endif
