/*
 * Domain ids: the rover (see domid.h, spec/domctl.md CTL-6).
 */
#include "domid.h"

/* The id after `id` in 1 .. DOMID_FIRST_RESERVED-1, wrapping. */
static domid_t after(domid_t id)
{
    return (domid_t)(id + 1u >= DOMID_FIRST_RESERVED ? 1u : id + 1u);
}

domid_t domid_next(domid_t last, const bool *slot_busy, uint32_t nr_slots)
{
    uint32_t i, free_slots = 0;
    domid_t id;

    if (nr_slots == 0)
        return 0;
    for (i = 0; i < nr_slots; i++)
        free_slots += !slot_busy[i];
    if (free_slots == 0)
        return 0;                               /* CTL-6: no record left */
    if (last == 0 || last >= DOMID_FIRST_RESERVED)
        last = DOMID_FIRST_RESERVED - 1u;       /* so the first id is 1 */
    /* CTL-6: at most one lap of the id space; a free slot ends it sooner */
    for (i = 0, id = after(last); i < DOMID_FIRST_RESERVED - 1u; i++, id = after(id))
        if (!slot_busy[domid_slot(id, nr_slots)])
            return id;
    return 0;                                   /* unreachable: a slot is free */
}
