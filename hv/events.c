/*
 * Virtual IRQs to guests. Until event channels are wired in, a VIRQ only
 * wakes a blocked domain; no port becomes pending.
 */
#include "domain.h"
#include "events.h"
#include "sched.h"

void events_raise_virq(struct domain *d, uint32_t virq)
{
    (void)virq;
    if (d->vcpu.blocked)
        sched_wake(d);
}
