/*
 * Event channels (spec/events.md): the hypercall glue over the pure core.
 * hv/core/evtchn_op.c decodes and decides every operation; this file
 * forwards the hypercalls, owns the world the core sees (one table per
 * domain that is alive; a domain's table leaves it when the domain dies,
 * after every channel connected to it has gone back to unbound) and
 * carries out the env.h requests that reach a domain: lend its
 * shared_info page, wake it, put the caller to sleep in a poll.
 */
#include "domain.h"
#include "env.h"
#include "events.h"
#include "evtchn_op.h"
#include "hypercall.h"
#include "sched.h"

/* By domain id, not slot: the core looks a peer up by the id a port names
 * (CTL-6: ids run up to DOMID_FIRST_RESERVED-1). */
static struct evtchn_domain *world_doms[DOMID_FIRST_RESERVED];
static struct evtchn_world world = { world_doms, DOMID_FIRST_RESERVED };

void events_domain_init(struct domain *d)
{
    evtchn_domain_init(&d->evtchn, d->id, 0);
    world_doms[d->id] = &d->evtchn;
}

void events_domain_destroy(struct domain *d)
{
    if (world_doms[d->id]) {
        evtchn_domain_destroy(&world, d->id);
        world_doms[d->id] = NULL;
    }
}

struct evtchn_call events_caller(void)
{
    struct evtchn_call c = { &world, current->id, current->privileged };

    return c;
}

void events_raise_virq(struct domain *d, uint32_t virq)
{
    (void)evtchn_raise_virq(&world, d->id, virq);
}

void events_poll_end(struct domain *d)
{
    evtchn_poll_end(&world, d->id);
}

int32_t do_event_channel_op(const uint32_t args[5])
{
    struct evtchn_call c = events_caller();

    return evtchn_op(&c, args[0], guest_ptr(args[1]));
}

int32_t do_event_channel_op_compat(const uint32_t args[5])
{
    struct evtchn_call c = events_caller();

    return evtchn_op_compat(&c, guest_ptr(args[0]));
}

/* Only a running domain's page is written: a dying one loses its events. */
struct shared_info *env_shared_info_map(domid_t dom)
{
    struct domain *d = domain_by_id(dom);

    if (!d || d->state != DOM_ACTIVE)
        return NULL;
    return shared_info_map(d);
}

void env_shared_info_unmap(struct shared_info *s)
{
    shared_info_unmap(s);
}

void env_evtchn_kick(domid_t dom)
{
    struct domain *d = domain_by_id(dom);

    if (d && d->vcpu.blocked)
        sched_wake(d);
}

void env_poll_block(uint64_t timeout)
{
    if (timeout)
        current->poll_deadline = timeout;       /* its own timer: wakes, raises nothing */
    sched_block(current);
}
