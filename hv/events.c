/*
 * Event channels (spec/events.md): the hypercall glue over the pure core
 * (hv/core/evtchn.c for the port tables, evtchn_2l.c for the pending,
 * mask and selector bits in shared_info).
 *
 * Every operation copies its argument in once, lets the core decide and
 * change the port tables, then carries out what the core asks of guest
 * memory: mark a port pending in the target's shared_info (waking it if
 * it blocked) or clear one. The world the core sees is one table per
 * domain that is alive; a domain's table leaves the world when it dies,
 * after every channel connected to it has gone back to unbound.
 */
#include "domain.h"
#include "env.h"
#include "events.h"
#include "evtchn.h"
#include "evtchn_2l.h"
#include "hypercall.h"
#include "pv/errno.h"
#include "pv/event_channel.h"
#include "pv/sched.h"
#include "sched.h"
#include "string.h"
#include "time.h"

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

/* Mark `port` pending for domain `dom`; wake it when an upcall is now due. */
static void deliver(domid_t dom, uint32_t port)
{
    struct domain *d = domain_by_id(dom);
    struct shared_info *s;
    bool kick;

    if (!port || !d || d->state != DOM_ACTIVE)
        return;
    s = shared_info_map(d);
    kick = evtchn_2l_set_pending(s, port);
    shared_info_unmap(s);
    if (kick && d->vcpu.blocked)
        sched_wake(d);
}

static void clear_pending(domid_t dom, uint32_t port)
{
    struct domain *d = domain_by_id(dom);
    struct shared_info *s;

    if (!port || !d)
        return;
    s = shared_info_map(d);
    evtchn_2l_clear_pending(s, port);
    shared_info_unmap(s);
}

void events_raise_virq(struct domain *d, uint32_t virq)
{
    struct evtchn_notify n = { 0, 0, 0 };

    if (evtchn_virq_target(&world, d->id, virq, &n) == 0)
        deliver(n.dom, n.port);
}

static int32_t unmask(uint32_t port)
{
    struct shared_info *s;
    bool kick;
    int rc = evtchn_unmask_check(&world, current->id, port);

    if (rc)
        return rc;
    s = shared_info_map(current);
    kick = evtchn_2l_unmask(s, port);
    shared_info_unmap(s);
    (void)kick;                 /* the upcall goes out on the way back */
    return 0;
}

/* The size of each op's argument, so it can be copied in (and out) once. */
static uint32_t op_size(uint32_t cmd)
{
    switch (cmd) {
    case EVTCHNOP_bind_interdomain: return sizeof(struct evtchn_bind_interdomain);
    case EVTCHNOP_bind_virq:        return sizeof(struct evtchn_bind_virq);
    case EVTCHNOP_close:            return sizeof(struct evtchn_close);
    case EVTCHNOP_send:             return sizeof(struct evtchn_send);
    case EVTCHNOP_status:           return sizeof(struct evtchn_status);
    case EVTCHNOP_alloc_unbound:    return sizeof(struct evtchn_alloc_unbound);
    case EVTCHNOP_bind_ipi:         return sizeof(struct evtchn_bind_ipi);
    case EVTCHNOP_bind_vcpu:        return sizeof(struct evtchn_bind_vcpu);
    case EVTCHNOP_unmask:           return sizeof(struct evtchn_unmask);
    default:                        return 0;
    }
}

union evtchn_args {
    struct evtchn_bind_interdomain bind_interdomain;
    struct evtchn_bind_virq bind_virq;
    struct evtchn_close close;
    struct evtchn_send send;
    struct evtchn_status status;
    struct evtchn_alloc_unbound alloc_unbound;
    struct evtchn_bind_ipi bind_ipi;
    struct evtchn_bind_vcpu bind_vcpu;
    struct evtchn_unmask unmask;
};

static int32_t run_op(uint32_t cmd, union evtchn_args *a)
{
    struct evtchn_notify n = { 0, 0, 0 };
    domid_t self = current->id;
    bool priv = current->privileged;
    int rc;

    switch (cmd) {
    case EVTCHNOP_alloc_unbound:
        return evtchn_alloc_unbound(&world, self, priv, &a->alloc_unbound);
    case EVTCHNOP_bind_interdomain:
        rc = evtchn_bind_interdomain(&world, self, &a->bind_interdomain, &n);
        deliver(n.dom, n.port);
        return rc;
    case EVTCHNOP_bind_virq:
        return evtchn_bind_virq(&world, self, priv, &a->bind_virq);
    case EVTCHNOP_bind_ipi:
        return evtchn_bind_ipi(&world, self, &a->bind_ipi);
    case EVTCHNOP_close:
        rc = evtchn_close(&world, self, a->close.port, &n);
        clear_pending(n.dom, n.port);
        return rc;
    case EVTCHNOP_send:
        rc = evtchn_send(&world, self, a->send.port, &n);
        deliver(n.dom, n.port);
        return rc;
    case EVTCHNOP_status:
        return evtchn_status(&world, self, priv, &a->status);
    case EVTCHNOP_bind_vcpu:
        return evtchn_bind_vcpu(&world, self, a->bind_vcpu.port, a->bind_vcpu.vcpu);
    case EVTCHNOP_unmask:
        return unmask(a->unmask.port);
    default:
        return -ENOSYS;
    }
}

static int32_t evtchn_op(uint32_t cmd, guest_ptr_t arg)
{
    union evtchn_args a;
    uint32_t size = op_size(cmd);
    int32_t rc;

    if (!size)
        return -ENOSYS;
    memset(&a, 0, sizeof(a));
    if (env_copy_from_guest(&a, arg, size))
        return -EFAULT;
    rc = run_op(cmd, &a);
    if (rc == 0 && env_copy_to_guest(arg, &a, size))
        return -EFAULT;
    return rc;
}

int32_t do_event_channel_op(const uint32_t args[5])
{
    return evtchn_op(args[0], guest_ptr(args[1]));
}

/* The legacy form: { u32 cmd; union } in one 28-byte block. */
int32_t do_event_channel_op_compat(const uint32_t args[5])
{
    uint32_t cmd;

    if (env_copy_from_guest(&cmd, guest_ptr(args[0]), 4))
        return -EFAULT;
    return evtchn_op(cmd, guest_ptr_add(guest_ptr(args[0]), 4));
}

/*
 * SCHEDOP_poll: sleep until one of the listed ports is pending or the
 * timeout passes. Any event wakes the domain, which then checks again, so
 * the ports are checked here only to not sleep when one is already set.
 */
int32_t events_poll(guest_ptr_t arg)
{
    struct sched_poll p;
    struct shared_info *s;
    uint32_t i, port;
    bool ready = false;

    if (env_copy_from_guest(&p, arg, sizeof(p)))
        return -EFAULT;
    if (p.nr_ports > SCHED_POLL_MAX_PORTS)
        return -EINVAL;
    s = shared_info_map(current);
    for (i = 0; i < p.nr_ports && !ready; i++) {
        if (env_copy_from_guest(&port, guest_ptr(p.ports + i * 4u), 4) || port >= EVTCHN_NR_PORTS) {
            shared_info_unmap(s);
            return -EFAULT;
        }
        ready = evtchn_2l_is_pending(s, port);
    }
    shared_info_unmap(s);
    if (ready)
        return 0;
    if (p.timeout)
        current->poll_deadline = p.timeout;     /* its own timer: wakes, raises nothing */
    sched_block(current);
    return 0;
}
