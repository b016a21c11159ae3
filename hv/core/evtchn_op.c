/*
 * event_channel_op and SCHEDOP_poll over the port tables (see
 * evtchn_op.h and spec/events.md): copy in once, decide in evtchn.c,
 * apply the 2-level bits, copy out.
 */
#include "env.h"
#include "evtchn_2l.h"
#include "evtchn_op.h"
#include "pv/sched.h"
#include "pv/shared_info.h"

/* Every argument structure an op may take, so one copy in serves all. */
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

/* The size of each op's argument, 0 for an op not served (-ENOSYS). */
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

/* SCHED-5: does `port` becoming pending end d's poll? */
static bool ends_poll(const struct evtchn_domain *d, uint32_t port)
{
    return d->poll_port != 0 && (d->poll_port == EVTCHN_POLL_ANY || d->poll_port == port);
}

/*
 * EVT-15: mark n->port pending in n->dom's shared_info; wake the domain
 * when an upcall became due, or (SCHED-5) when it polls the port and the
 * port became pending: a poller has upcalls masked, and the port's
 * selector bit may already be set by another port of its word, so the
 * upcall edge alone would leave it asleep. A domain with no page to write
 * (not running) loses the event, as one that died would.
 */
static void deliver(const struct evtchn_world *w, const struct evtchn_notify *n)
{
    struct evtchn_domain *d;
    struct shared_info *s;
    bool fresh, kick;

    if (!n->port)
        return;
    s = env_shared_info_map(n->dom);
    if (!s)
        return;
    /* the vCPU is not running, so the page cannot change between the two */
    fresh = !evtchn_2l_is_pending(s, n->port);
    kick = evtchn_2l_set_pending(s, n->port);
    env_shared_info_unmap(s);
    d = evtchn_lookup(w, n->dom, n->dom);
    if (fresh && d && ends_poll(d, n->port)) {
        d->poll_port = 0;
        kick = true;
    }
    if (kick)
        env_evtchn_kick(n->dom);
}

/* EVT-17: a closed port starts again without a stale pending bit. */
static void clear_pending(const struct evtchn_notify *n)
{
    struct shared_info *s;

    if (!n->port)
        return;
    s = env_shared_info_map(n->dom);
    if (!s)
        return;
    evtchn_2l_clear_pending(s, n->port);
    env_shared_info_unmap(s);
}

/*
 * EVT-16: the mask bit lives in the caller's own page. The upcall an
 * unmask makes due goes out on the way back to the caller, which is
 * running, so nothing needs waking.
 */
static int unmask(const struct evtchn_call *c, uint32_t port)
{
    struct shared_info *s;
    int rc = evtchn_unmask_check(c->w, c->caller, port);

    if (rc)
        return rc;
    s = env_shared_info_map(c->caller);
    if (s) {
        (void)evtchn_2l_unmask(s, port);
        env_shared_info_unmap(s);
    }
    return 0;
}

static int run_op(const struct evtchn_call *c, uint32_t cmd, union evtchn_args *a)
{
    struct evtchn_notify n = { 0, 0, 0 };
    int rc;

    switch (cmd) {
    case EVTCHNOP_alloc_unbound:                                /* EVT-5 */
        return evtchn_alloc_unbound(c->w, c->caller, c->privileged, &a->alloc_unbound);
    case EVTCHNOP_bind_interdomain:                             /* EVT-7 */
        rc = evtchn_bind_interdomain(c->w, c->caller, &a->bind_interdomain, &n);
        deliver(c->w, &n);
        return rc;
    case EVTCHNOP_bind_virq:                                    /* EVT-8, EVT-9 */
        return evtchn_bind_virq(c->w, c->caller, c->privileged, &a->bind_virq);
    case EVTCHNOP_bind_ipi:
        return evtchn_bind_ipi(c->w, c->caller, &a->bind_ipi);
    case EVTCHNOP_close:                                        /* EVT-10, EVT-17 */
        rc = evtchn_close(c->w, c->caller, a->close.port, &n);
        clear_pending(&n);
        return rc;
    case EVTCHNOP_send:                                         /* EVT-11 */
        rc = evtchn_send(c->w, c->caller, a->send.port, &n);
        deliver(c->w, &n);
        return rc;
    case EVTCHNOP_status:                                       /* EVT-12 */
        return evtchn_status(c->w, c->caller, c->privileged, &a->status);
    case EVTCHNOP_bind_vcpu:
        return evtchn_bind_vcpu(c->w, c->caller, a->bind_vcpu.port, a->bind_vcpu.vcpu);
    default:                                                    /* EVTCHNOP_unmask */
        return unmask(c, a->unmask.port);
    }
}

int32_t evtchn_op(const struct evtchn_call *c, uint32_t cmd, guest_ptr_t arg)
{
    union evtchn_args a = { 0 };
    uint32_t size = op_size(cmd);
    int32_t rc;

    if (!size)
        return -ENOSYS;
    if (env_copy_from_guest(&a, arg, size))                     /* read once */
        return -EFAULT;
    rc = run_op(c, cmd, &a);
    if (rc == 0 && env_copy_to_guest(arg, &a, size))
        return -EFAULT;
    return rc;
}

int32_t evtchn_op_compat(const struct evtchn_call *c, guest_ptr_t arg)
{
    uint32_t cmd;

    if (env_copy_from_guest(&cmd, arg, sizeof(cmd)))
        return -EFAULT;
    return evtchn_op(c, cmd, guest_ptr_add(arg, sizeof(cmd)));
}

/* TIME-6 (EVT-8): only through the channel the domain bound; unbound, dropped. */
int evtchn_raise_virq(const struct evtchn_world *w, domid_t dom, uint32_t virq)
{
    struct evtchn_notify n = { 0, 0, 0 };
    int rc = evtchn_virq_target(w, dom, virq, &n);

    if (rc == 0)
        deliver(w, &n);
    return rc;
}

/*
 * Is any of the `nr` ports listed at `ports` pending in the caller's
 * page `s` (NULL: none is)? 1 yes, 0 no, or -EFAULT / -EINVAL (EVT-1)
 * for the first bad one. *first is the first port listed (0 when none is).
 */
static int any_pending(const struct shared_info *s, const struct evtchn_domain *me,
                       uint32_t ports, uint32_t nr, uint32_t *first)
{
    uint32_t i, port;
    int rc = 0;

    *first = 0;
    for (i = 0; i < nr && rc == 0; i++) {
        if (env_copy_from_guest(&port, guest_ptr(ports + i * 4u), sizeof(port)))
            rc = -EFAULT;
        else if (!evtchn_port_valid(me, port))
            rc = -EINVAL;
        else if (s && evtchn_2l_is_pending(s, port))
            rc = 1;
        else if (i == 0)
            *first = port;
    }
    return rc;
}

/*
 * Is an upcall due now in `s` (pending with events unmasked)? Then the
 * caller must not sleep, as Xen's do_poll checks
 * local_events_need_delivery(): a later event in a word whose selector
 * bit is set would not wake it.
 */
static bool upcall_due(const struct shared_info *s)
{
    return s && s->vcpu_info[0].evtchn_upcall_pending != 0 &&
           s->vcpu_info[0].evtchn_upcall_mask == 0;
}

/*
 * SCHED-5. The caller sleeps unless a listed port is already pending or
 * an upcall is due, and records what ends its sleep (deliver() above):
 * the one port it polls, or any port when it listed several or none, as
 * Xen does. A woken poller looks again, so waking it early is harmless;
 * never waking it is not.
 */
int32_t evtchn_poll(const struct evtchn_call *c, guest_ptr_t arg)
{
    struct evtchn_domain *me = evtchn_lookup(c->w, c->caller, DOMID_SELF);
    struct shared_info *s;
    struct sched_poll p;
    uint32_t first;
    bool sleep;
    int rc;

    if (me)
        me->poll_port = 0;          /* a poll before this one is over */
    if (env_copy_from_guest(&p, arg, sizeof(p)))
        return -EFAULT;
    if (p.nr_ports > SCHED_POLL_MAX_PORTS)
        return -EINVAL;
    if (!me)
        return -ESRCH;
    s = env_shared_info_map(c->caller);
    rc = any_pending(s, me, p.ports, p.nr_ports, &first);
    sleep = rc == 0 && !upcall_due(s);
    if (s)
        env_shared_info_unmap(s);
    if (rc < 0)
        return rc;
    if (sleep) {
        /* port 0 is never pending: a poll of it alone, like Xen's, waits for any */
        me->poll_port = p.nr_ports == 1 && first != 0 ? first : EVTCHN_POLL_ANY;
        env_poll_block(p.timeout);
    }
    return 0;
}

/* SCHED-5: the domain sleeps for another reason now; its poll is over. */
void evtchn_poll_end(const struct evtchn_world *w, domid_t dom)
{
    struct evtchn_domain *d = evtchn_lookup(w, dom, dom);

    if (d)
        d->poll_port = 0;
}
