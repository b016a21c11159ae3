/*
 * Event-channel port tables and event_channel_op (see evtchn.h and
 * spec/events.md). Each operation decodes and checks everything first,
 * then commits through one of the evtchn_commit_* steps, which cannot
 * fail; so an error return always means nothing changed.
 *
 * Every state field read from a table is checked again where it is used
 * as an index (a peer's port, a VIRQ number) although the invariants make
 * the check redundant: a corrupted table then costs an event, never an
 * out-of-range access.
 */
#include "evtchn.h"

void evtchn_domain_init(struct evtchn_domain *d, domid_t dom, uint32_t max_ports)
{
    uint32_t p, v;

    d->dom = dom;
    d->pad = 0;
    d->poll_port = 0;
    /* EVT-3: at least port 0's slot, at most what the 2-level ABI can name */
    if (max_ports == 0)
        max_ports = EVTCHN_DEFAULT_MAX_PORTS;
    d->max_ports = max_ports < EVTCHN_NR_PORTS ? max_ports : EVTCHN_NR_PORTS;
    /*@ loop invariant 0 <= v <= NR_VIRQS;
        loop invariant \forall integer k; 0 <= k < v ==> d->virq_port[k] == 0;
        loop assigns v, d->virq_port[0 .. NR_VIRQS - 1];
        loop variant NR_VIRQS - v;
    */
    for (v = 0; v < NR_VIRQS; v++)
        d->virq_port[v] = 0;
    /*@ loop invariant 0 <= p <= EVTCHN_NR_PORTS;
        loop invariant \forall integer k; 0 <= k < p ==> d->ports[k].state == EVTCHN_FREE;
        loop assigns p, d->ports[0 .. EVTCHN_NR_PORTS - 1];
        loop variant EVTCHN_NR_PORTS - p;
    */
    for (p = 0; p < EVTCHN_NR_PORTS; p++) {
        d->ports[p].state = EVTCHN_FREE;
        d->ports[p].virq = 0;
        d->ports[p].remote_dom = 0;
        d->ports[p].remote_port = 0;
    }
}

struct evtchn_domain *evtchn_lookup(const struct evtchn_world *w, domid_t caller,
                                    domid_t id)
{
    uint32_t i = id;

    if (id == DOMID_SELF)
        i = caller;
    if (i >= w->nr)
        return NULL;
    return w->doms[i];
}

/* A domain by an id stored in a table (never DOMID_SELF). */
/*@ requires evt_doms_ok(doms, nr);
    assigns \result \from doms[0 .. nr - 1], nr, id;
    ensures id < nr ==> \result == doms[id];
    ensures id >= nr ==> \result == \null;
    ensures \result != \null ==> \valid(\result);
*/
static struct evtchn_domain *lookup_stored(struct evtchn_domain *const *doms, uint32_t nr,
                                           uint32_t id)
{
    if (id >= nr)
        return NULL;
    return doms[id];
}

bool evtchn_port_valid(const struct evtchn_domain *d, uint32_t port)
{
    return port < d->max_ports && port < EVTCHN_NR_PORTS;   /* EVT-1 */
}

uint32_t evtchn_find_free(const struct evtchn_domain *d)
{
    uint32_t p;

    /* EVT-2: the scan starts at 1, so port 0 is never handed out */
    /*@ loop invariant 1 <= p <= EVTCHN_NR_PORTS;
        loop invariant \forall integer k; 1 <= k < p ==> d->ports[k].state != EVTCHN_FREE;
        loop assigns p;
        loop variant EVTCHN_NR_PORTS - p;
    */
    for (p = 1; p < EVTCHN_NR_PORTS && p < d->max_ports; p++)
        if (d->ports[p].state == EVTCHN_FREE)
            return p;
    return 0;                                                   /* EVT-3 */
}

void evtchn_commit_unbound(struct evtchn_domain *d, uint32_t port, domid_t remote)
    /*@ ghost (struct evtchn_domain *x) */
{
    d->ports[port].remote_dom = remote;
    d->ports[port].remote_port = 0;
    d->ports[port].virq = 0;
    d->ports[port].state = EVTCHN_UNBOUND;
}

void evtchn_commit_link(struct evtchn_domain *ld, uint32_t lport,
                        struct evtchn_domain *rd, uint32_t rport)
{
    /* EVT-6: both ends in one step that cannot fail */
    rd->ports[rport].remote_dom = ld->dom;
    rd->ports[rport].remote_port = lport;
    rd->ports[rport].state = EVTCHN_INTERDOMAIN;
    ld->ports[lport].remote_dom = rd->dom;
    ld->ports[lport].remote_port = rport;
    ld->ports[lport].virq = 0;
    ld->ports[lport].state = EVTCHN_INTERDOMAIN;
}

void evtchn_commit_unlink(struct evtchn_domain *ld, uint32_t port, struct evtchn_domain *rd)
{
    uint32_t rp = ld->ports[port].remote_port;

    /* EVT-10: the peer's end, if it still points back, waits for us again */
    if (rp < EVTCHN_NR_PORTS && rd->ports[rp].state == EVTCHN_INTERDOMAIN &&
        rd->ports[rp].remote_dom == ld->dom && rd->ports[rp].remote_port == port) {
        rd->ports[rp].state = EVTCHN_UNBOUND;
        rd->ports[rp].remote_port = 0;
    }
    ld->ports[port].state = EVTCHN_FREE;                        /* EVT-4 */
    ld->ports[port].remote_dom = 0;
    ld->ports[port].remote_port = 0;
}

void evtchn_commit_free(struct evtchn_domain *d, uint32_t port)
    /*@ ghost (struct evtchn_domain *x) */
{
    uint32_t virq = d->ports[port].virq;

    /* EVT-9: a VIRQ port's binding goes with it */
    if (d->ports[port].state == EVTCHN_VIRQ && virq < NR_VIRQS &&
        d->virq_port[virq] == port)
        d->virq_port[virq] = 0;
    d->ports[port].state = EVTCHN_FREE;                         /* EVT-4 */
    d->ports[port].virq = 0;
    d->ports[port].remote_dom = 0;
    d->ports[port].remote_port = 0;
}

void evtchn_commit_virq(struct evtchn_domain *d, uint32_t port, uint32_t virq)
    /*@ ghost (struct evtchn_domain *x) */
{
    d->ports[port].virq = (uint8_t)virq;
    d->ports[port].remote_dom = 0;
    d->ports[port].remote_port = 0;
    d->ports[port].state = EVTCHN_VIRQ;
    d->virq_port[virq] = port;                                  /* EVT-9 */
}

void evtchn_commit_ipi(struct evtchn_domain *d, uint32_t port)
    /*@ ghost (struct evtchn_domain *x) */
{
    d->ports[port].virq = 0;
    d->ports[port].remote_dom = 0;
    d->ports[port].remote_port = 0;
    d->ports[port].state = EVTCHN_IPI;
}

int evtchn_alloc_unbound(struct evtchn_world *w, domid_t caller, bool privileged,
                         struct evtchn_alloc_unbound *op)
{
    struct evtchn_domain *d;
    domid_t remote = op->remote_dom;
    uint32_t port;

    if (remote == DOMID_SELF)                   /* EVT-5: loopback */
        remote = caller;
    /* EVT-5: a port in another domain's table only for the privileged caller */
    if (op->dom != DOMID_SELF && op->dom != caller && !privileged)
        return -EPERM;
    d = evtchn_lookup(w, caller, op->dom);
    if (!d)
        return -ESRCH;
    port = evtchn_find_free(d);
    if (port == 0)
        return -ENOSPC;                                         /* EVT-3 */
    evtchn_commit_unbound(d, port, remote) /*@ ghost (d) */;
    op->port = port;
    return 0;
}

/* EVT-7: the checks of bind_interdomain on the remote end. */
/*@ requires \valid_read(ld) && \valid_read(rd);
    assigns \nothing;
    ensures \result == 0 <==>
        (1 <= rport < rd->max_ports && rport < EVTCHN_NR_PORTS &&
         rd->ports[rport].state == EVTCHN_UNBOUND &&
         rd->ports[rport].remote_dom == ld->dom);
    ensures \result == 0 || \result == -EINVAL;
*/
static int check_remote_unbound(const struct evtchn_domain *ld,
                                const struct evtchn_domain *rd, uint32_t rport)
{
    const struct evtchn_port *rp;

    if (rport == 0 || !evtchn_port_valid(rd, rport))            /* EVT-1 */
        return -EINVAL;
    rp = &rd->ports[rport];
    if (rp->state != EVTCHN_UNBOUND || rp->remote_dom != ld->dom) /* EVT-7 */
        return -EINVAL;
    return 0;
}

int evtchn_bind_interdomain(struct evtchn_world *w, domid_t caller,
                            struct evtchn_bind_interdomain *op,
                            struct evtchn_notify *notify)
{
    struct evtchn_domain *ld, *rd;
    uint32_t rport = op->remote_port, lport;
    int rc;

    notify->port = 0;
    ld = evtchn_lookup(w, caller, DOMID_SELF);
    rd = evtchn_lookup(w, caller, op->remote_dom);
    if (!ld || !rd)
        return -ESRCH;
    rc = check_remote_unbound(ld, rd, rport);
    if (rc != 0)
        return rc;
    lport = evtchn_find_free(ld);
    if (lport == 0)
        return -ENOSPC;                                         /* EVT-3 */
    evtchn_commit_link(ld, lport, rd, rport);
    op->local_port = lport;
    notify->dom = caller;           /* Xen: a send to the unbound end may be lost */
    notify->pad = 0;
    notify->port = lport;
    return 0;
}

/* VIRQs delivered per vCPU; every other one is global (vCPU 0, privileged). */
/*@ assigns \nothing; */
static bool virq_is_per_vcpu(uint32_t virq)
{
    return virq == VIRQ_TIMER || virq == VIRQ_DEBUG || virq == VIRQ_XENOPROF ||
           virq == VIRQ_XENPMU;
}

int evtchn_bind_virq(struct evtchn_world *w, domid_t caller, bool privileged,
                     struct evtchn_bind_virq *op)
{
    struct evtchn_domain *d;
    uint32_t virq = op->virq, port;

    if (virq >= NR_VIRQS)                                       /* EVT-8 */
        return -EINVAL;
    if (!virq_is_per_vcpu(virq)) {
        if (!privileged)                                        /* EVT-8 */
            return -EPERM;
        if (op->vcpu != 0)
            return -EINVAL;
    }
    if (op->vcpu != 0)                      /* one vCPU per domain for now */
        return -ENOENT;
    d = evtchn_lookup(w, caller, DOMID_SELF);
    if (!d)
        return -ESRCH;
    if (d->virq_port[virq] != 0)                                /* EVT-9 */
        return -EEXIST;
    port = evtchn_find_free(d);
    if (port == 0)
        return -ENOSPC;                                         /* EVT-3 */
    evtchn_commit_virq(d, port, virq) /*@ ghost (d) */;
    op->port = port;
    return 0;
}

int evtchn_bind_ipi(struct evtchn_world *w, domid_t caller, struct evtchn_bind_ipi *op)
{
    struct evtchn_domain *d;
    uint32_t port;

    if (op->vcpu != 0)
        return -ENOENT;
    d = evtchn_lookup(w, caller, DOMID_SELF);
    if (!d)
        return -ESRCH;
    port = evtchn_find_free(d);
    if (port == 0)
        return -ENOSPC;                                         /* EVT-3 */
    evtchn_commit_ipi(d, port) /*@ ghost (d) */;
    op->port = port;
    return 0;
}

/*
 * EVT-10: close allocated port `port` of d (doms[id]): an INTERDOMAIN
 * port through its peer's table (d itself for a loopback channel) while
 * the peer exists and is who the port says, everything else locally.
 */
/*@ requires evt_doms_ok(doms, nr);
    requires id < nr && doms[id] == d && d != \null;
    requires 1 <= port < EVTCHN_NR_PORTS;
    assigns doms[0 .. nr - 1]->ports[0 .. EVTCHN_NR_PORTS - 1],
            doms[0 .. nr - 1]->virq_port[0 .. NR_VIRQS - 1];
*/
static void close_port(struct evtchn_domain *const *doms, uint32_t nr,
                       struct evtchn_domain *d, uint32_t port)
    /*@ ghost (uint32_t id) */
{
    struct evtchn_domain *peer = NULL;

    if (d->ports[port].state == EVTCHN_INTERDOMAIN) {
        uint32_t r = d->ports[port].remote_dom;

        if (r == d->dom) {
            peer = d;                                           /* loopback */
        } else {
            peer = lookup_stored(doms, nr, r);
            if (peer && peer->dom != r)
                peer = NULL;        /* unreachable while doms[i]->dom == i */
        }
    }
    if (peer)
        evtchn_commit_unlink(d, port, peer);
    else
        evtchn_commit_free(d, port) /*@ ghost (d) */;
}

int evtchn_close(struct evtchn_world *w, domid_t caller, uint32_t port,
                 struct evtchn_notify *notify)
{
    struct evtchn_domain *d;

    notify->port = 0;
    d = evtchn_lookup(w, caller, DOMID_SELF);
    if (!d)
        return -ESRCH;
    if (port == 0 || !evtchn_port_valid(d, port))               /* EVT-1 */
        return -EINVAL;
    if (d->ports[port].state == EVTCHN_FREE)                    /* EVT-10 */
        return -EINVAL;
    close_port(w->doms, w->nr, d, port) /*@ ghost (caller) */;
    notify->dom = caller;           /* the glue clears the stale pending bit */
    notify->pad = 0;
    notify->port = port;
    return 0;
}

int evtchn_send(const struct evtchn_world *w, domid_t caller, uint32_t port,
                struct evtchn_notify *notify)
{
    const struct evtchn_domain *d;
    const struct evtchn_port *p;

    notify->dom = caller;
    notify->pad = 0;
    notify->port = 0;
    d = evtchn_lookup(w, caller, DOMID_SELF);
    if (!d)
        return -ESRCH;
    if (!evtchn_port_valid(d, port))                            /* EVT-1 */
        return -EINVAL;
    p = &d->ports[port];
    switch (p->state) {
    case EVTCHN_INTERDOMAIN:                                    /* EVT-11 */
        if (p->remote_port == 0 || p->remote_port >= EVTCHN_NR_PORTS)
            return -EINVAL;         /* unreachable while EVT-6 holds */
        notify->dom = p->remote_dom;
        notify->port = p->remote_port;
        return 0;
    case EVTCHN_IPI:
        notify->port = port;
        return 0;
    case EVTCHN_UNBOUND:            /* nobody listens yet: dropped, as Xen */
        return 0;
    default:                        /* FREE, VIRQ: not the guest's to send */
        return -EINVAL;
    }
}

/* EVT-12: the ABI view of one port. */
/*@ requires \valid_read(p) && \valid(op) && \separated(p, op);
    assigns op->status, op->vcpu, op->u;
*/
static void fill_status(const struct evtchn_port *p, struct evtchn_status *op)
{
    op->vcpu = 0;
    op->u.interdomain.dom = 0;
    op->u.interdomain.port = 0;
    switch (p->state) {
    case EVTCHN_UNBOUND:
        op->status = EVTCHNSTAT_unbound;
        op->u.unbound.dom = p->remote_dom;
        break;
    case EVTCHN_INTERDOMAIN:
        op->status = EVTCHNSTAT_interdomain;
        op->u.interdomain.dom = p->remote_dom;
        op->u.interdomain.port = p->remote_port;
        break;
    case EVTCHN_VIRQ:
        op->status = EVTCHNSTAT_virq;
        op->u.virq = p->virq;
        break;
    case EVTCHN_IPI:
        op->status = EVTCHNSTAT_ipi;
        break;
    default:
        op->status = EVTCHNSTAT_closed;
        break;
    }
}

int evtchn_status(const struct evtchn_world *w, domid_t caller, bool privileged,
                  struct evtchn_status *op)
{
    const struct evtchn_domain *d;
    uint32_t port = op->port;

    /* EVT-12: another domain's ports only for the privileged caller */
    if (op->dom != DOMID_SELF && op->dom != caller && !privileged)
        return -EPERM;
    d = evtchn_lookup(w, caller, op->dom);
    if (!d)
        return -ESRCH;
    if (!evtchn_port_valid(d, port))                            /* EVT-1 */
        return -EINVAL;
    fill_status(&d->ports[port], op);
    return 0;
}

int evtchn_bind_vcpu(const struct evtchn_world *w, domid_t caller, uint32_t port,
                     uint32_t vcpu)
{
    const struct evtchn_domain *d = evtchn_lookup(w, caller, DOMID_SELF);
    const struct evtchn_port *p;

    if (!d)
        return -ESRCH;
    if (!evtchn_port_valid(d, port))                            /* EVT-1 */
        return -EINVAL;
    p = &d->ports[port];
    if (p->state == EVTCHN_VIRQ && virq_is_per_vcpu(p->virq))
        return -EINVAL;             /* bound to its vCPU for good, as Xen */
    if (p->state != EVTCHN_UNBOUND && p->state != EVTCHN_INTERDOMAIN &&
        p->state != EVTCHN_VIRQ)
        return -EINVAL;
    if (vcpu != 0)
        return -ENOENT;
    return 0;                       /* vCPU 0 is the only target: nothing moves */
}

int evtchn_unmask_check(const struct evtchn_world *w, domid_t caller, uint32_t port)
{
    const struct evtchn_domain *d = evtchn_lookup(w, caller, DOMID_SELF);

    if (!d)
        return -ESRCH;
    if (!evtchn_port_valid(d, port))                            /* EVT-1 */
        return -EINVAL;
    return 0;
}

int evtchn_virq_target(const struct evtchn_world *w, domid_t dom, uint32_t virq,
                       struct evtchn_notify *notify)
{
    const struct evtchn_domain *d;
    uint32_t port;

    notify->dom = dom;
    notify->pad = 0;
    notify->port = 0;
    if (virq >= NR_VIRQS)
        return -EINVAL;
    d = lookup_stored(w->doms, w->nr, dom);
    if (!d)
        return -ESRCH;
    port = d->virq_port[virq];
    /* EVT-9: only a port that really is this VIRQ's */
    if (port != 0 && port < EVTCHN_NR_PORTS && d->ports[port].state == EVTCHN_VIRQ &&
        d->ports[port].virq == virq)
        notify->port = port;
    return 0;
}

int evtchn_domain_destroy(struct evtchn_world *w, domid_t dom)
{
    struct evtchn_domain *const *doms = w->doms;
    uint32_t nr = w->nr, p;
    struct evtchn_domain *d = lookup_stored(doms, nr, dom);

    if (!d)
        return -ESRCH;
    /* EVT-13: every allocated port closes the ordinary way */
    /*@ loop invariant 1 <= p <= EVTCHN_NR_PORTS;
        loop assigns p, doms[0 .. nr - 1]->ports[0 .. EVTCHN_NR_PORTS - 1],
                     doms[0 .. nr - 1]->virq_port[0 .. NR_VIRQS - 1];
        loop variant EVTCHN_NR_PORTS - p;
    */
    for (p = 1; p < EVTCHN_NR_PORTS; p++)
        if (d->ports[p].state != EVTCHN_FREE)
            close_port(doms, nr, d, p) /*@ ghost (dom) */;
    return 0;
}
