/*
 * Event channels: the per-domain port tables of the 2-level ABI and the
 * operations of event_channel_op over them (spec/events.md, EVT-1..).
 *
 * Theory of operation. Each domain has a table of EVTCHN_NR_PORTS ports
 * (1024: what the 2-level ABI addresses for a 32-bit guest) held in
 * hypervisor memory; the guest names ports by number and sees only the
 * pending and mask bits in its shared_info page (evtchn_2l.h). A port is
 *
 *   FREE         not in use (port 0 is never anything else, EVT-2)
 *   UNBOUND      waiting for `remote_dom` to bind to it
 *   INTERDOMAIN  connected to port `remote_port` of domain `remote_dom`
 *   VIRQ         receiving virtual IRQ `virq` (virq_port[virq] names it)
 *   IPI          a domain-internal doorbell
 *
 * The invariants every operation keeps (and the proofs check on the two
 * domains an operation touches):
 *
 *  - EVT-1: no port number outside 1 .. max_ports-1 is ever anything but
 *    FREE, and no index is computed from a guest's port number before it
 *    is checked against max_ports (itself at most EVTCHN_NR_PORTS).
 *  - EVT-4: a port leaves FREE only by allocation and returns to FREE
 *    only by close (or domain teardown).
 *  - EVT-6: links are symmetric: if port p of A is INTERDOMAIN to (B, q),
 *    then port q of B is INTERDOMAIN to (A, p). Binding makes both ends
 *    at once, closing either end returns the other to UNBOUND (naming the
 *    closer as its allowed remote), so a peer never sees a dangling link.
 *  - EVT-9: virq_port[v] != 0 exactly for a VIRQ port bound to v, so a
 *    VIRQ is bound at most once per domain.
 *
 * The hypervisor glue owns the world: an array of per-domain tables
 * indexed by domain id (NULL for no domain), plus the caller's id and
 * privilege. Operations never touch guest memory: what the guest must
 * see (a port to mark pending, a pending bit to clear) comes back to the
 * glue as a struct evtchn_notify, which it applies with evtchn_2l.h on
 * the right domain's shared_info. One CPU with interrupts off during a
 * hypercall, so the world does not change under an operation; SMP needs
 * a per-domain lock taken in domain-id order (the two-domain operations
 * are bind_interdomain and close).
 *
 * Errors are Xen's: -EINVAL bad port or state, -ENOSPC no free port,
 * -EPERM not privileged, -ESRCH no such domain, -EEXIST VIRQ already
 * bound, -ENOENT no such vCPU. Each function lists those it returns.
 */
#ifndef CORE_EVTCHN_H
#define CORE_EVTCHN_H

#include "types.h"
#include "frame.h"
#include "pv/errno.h"
#include "pv/event_channel.h"

#define EVTCHN_NR_PORTS           NR_EVENT_CHANNELS   /* 1024 */
#define EVTCHN_DEFAULT_MAX_PORTS  EVTCHN_NR_PORTS

enum evtchn_state {
    EVTCHN_FREE = 0,
    EVTCHN_UNBOUND,
    EVTCHN_INTERDOMAIN,
    EVTCHN_VIRQ,
    EVTCHN_IPI,
};

struct evtchn_port {
    uint8_t  state;        /* enum evtchn_state */
    uint8_t  virq;         /* VIRQ: the virtual IRQ */
    domid_t  remote_dom;   /* UNBOUND: who may bind; INTERDOMAIN: the peer */
    uint32_t remote_port;  /* INTERDOMAIN: the peer's port */
};

struct evtchn_domain {
    domid_t  dom;                        /* the domain id */
    uint16_t pad;
    uint32_t max_ports;                  /* EVT-3: ports 1 .. max_ports-1 */
    uint32_t virq_port[NR_VIRQS];        /* EVT-9: 0 = not bound */
    uint32_t poll_port;                  /* SCHED-5: what ends a poll (below) */
    struct evtchn_port ports[EVTCHN_NR_PORTS];
};

/*
 * SCHED-5: a domain asleep in SCHEDOP_poll is woken by the ports it
 * polls becoming pending, whatever their mask and selector bits say.
 * poll_port records them as Xen does: 0 not polling, the one port of a
 * single-port poll, or EVTCHN_POLL_ANY when the poll named several ports
 * (or none, or port 0 alone), so that any port of the domain becoming
 * pending ends it.
 */
#define EVTCHN_POLL_ANY 0xffffffffu

/* Every domain's table, by domain id; the glue's view of "who exists". */
struct evtchn_world {
    struct evtchn_domain **doms;   /* doms[id], NULL if no such domain */
    uint32_t nr;                   /* entries in doms */
};

/*
 * What the glue must do to guest memory after an operation: mark `port`
 * pending in domain `dom`'s shared_info (evtchn_2l_set_pending(), then
 * wake the vCPU if it says so), or for close, clear it
 * (evtchn_2l_clear_pending()). port 0 means nothing to do.
 */
struct evtchn_notify {
    domid_t  dom;
    uint16_t pad;
    uint32_t port;
};

/*@ predicate evt_state_ok(integer s) = EVTCHN_FREE <= s <= EVTCHN_IPI;

    // EVT-1, EVT-2, EVT-9 for one port of d.
    predicate evt_port_ok{L}(struct evtchn_domain *d, integer p) =
        evt_state_ok(d->ports[p].state) &&
        ((p == 0 || p >= d->max_ports) ==> d->ports[p].state == EVTCHN_FREE) &&
        (d->ports[p].state == EVTCHN_INTERDOMAIN ==>
            d->ports[p].remote_port < EVTCHN_NR_PORTS) &&
        (d->ports[p].state == EVTCHN_VIRQ ==>
            d->ports[p].virq < NR_VIRQS && d->virq_port[d->ports[p].virq] == p);

    // EVT-1, EVT-2: every port's state is consistent.
    predicate evt_ports_ok{L}(struct evtchn_domain *d) =
        \forall integer p; 0 <= p < EVTCHN_NR_PORTS ==> evt_port_ok(d, p);

    // EVT-9: virq_port names exactly the VIRQ ports.
    predicate evt_virqs_ok{L}(struct evtchn_domain *d) =
        \forall integer v; 0 <= v < NR_VIRQS ==>
            d->virq_port[v] < d->max_ports && d->virq_port[v] < EVTCHN_NR_PORTS &&
            (d->virq_port[v] != 0 ==>
                d->ports[d->virq_port[v]].state == EVTCHN_VIRQ &&
                d->ports[d->virq_port[v]].virq == v);

    // The per-domain invariant (theory of operation above).
    predicate evt_dom_ok{L}(struct evtchn_domain *d) =
        \valid(d) && 1 <= d->max_ports <= EVTCHN_NR_PORTS &&
        evt_ports_ok(d) && evt_virqs_ok(d);

    // EVT-6, one direction: every link from a to b has its mirror in b.
    predicate evt_links_to{L}(struct evtchn_domain *a, struct evtchn_domain *b) =
        \forall integer p; 0 <= p < EVTCHN_NR_PORTS ==>
            a->ports[p].state == EVTCHN_INTERDOMAIN && a->ports[p].remote_dom == b->dom ==>
                a->ports[p].remote_port < EVTCHN_NR_PORTS &&
                b->ports[a->ports[p].remote_port].state == EVTCHN_INTERDOMAIN &&
                b->ports[a->ports[p].remote_port].remote_dom == a->dom &&
                b->ports[a->ports[p].remote_port].remote_port == p;

    // EVT-6 over two tables: links both ways, and distinct tables have
    // distinct ids (a == b for a loopback channel).
    predicate evt_links_ok{L}(struct evtchn_domain *a, struct evtchn_domain *b) =
        (a == b || a->dom != b->dom) && evt_links_to(a, b) && evt_links_to(b, a);

    // EVT-6: the invariant over the two domains an operation involves
    // (a == b for a loopback channel). Distinct tables have distinct ids.
    predicate evt_pair_ok{L}(struct evtchn_domain *a, struct evtchn_domain *b) =
        evt_dom_ok(a) && evt_dom_ok(b) &&
        (a == b || (\separated(a, b) && a->dom != b->dom)) &&
        evt_links_to(a, b) && evt_links_to(b, a);

    // Two tables the operation may use: valid, the same or disjoint.
    predicate evt_two(struct evtchn_domain *a, struct evtchn_domain *b) =
        \valid(a) && \valid(b) && (a == b || \separated(a, b));

    // The shape of the world the glue passes: every table valid and
    // distinct. (The glue also keeps doms[i]->dom == i; the operations
    // check ids where they matter, so the proofs do not depend on it.)
    predicate evt_doms_ok(struct evtchn_domain **doms, integer nr) =
        0 <= nr <= DOMID_FIRST_RESERVED && \valid(doms + (0 .. nr - 1)) &&
        (\forall integer i; 0 <= i < nr ==> doms[i] != \null ==>
            \valid(doms[i]) && \separated(doms[i], doms + (0 .. nr - 1))) &&
        (\forall integer i, j; 0 <= i < nr && 0 <= j < nr && i != j &&
            doms[i] != \null && doms[j] != \null ==>
            \separated(doms[i], doms[j]));

    predicate evt_world_ok(struct evtchn_world *w) =
        \valid(w) && evt_doms_ok(w->doms, w->nr) &&
        \separated(w, w->doms + (0 .. w->nr - 1)) &&
        (\forall integer i; 0 <= i < w->nr ==> w->doms[i] != \null ==>
            \separated(w->doms[i], w));
*/

/*
 * Set up an empty table for domain `dom` with ports 1 .. max_ports-1
 * (EVT-3: max_ports is clamped to 1 .. EVTCHN_NR_PORTS; 0 means the
 * default, EVTCHN_DEFAULT_MAX_PORTS).
 */
/*@ requires \valid(d);
    assigns *d;
    ensures evt_dom_ok(d) && evt_links_to(d, d);
    ensures d->dom == dom;
    ensures d->poll_port == 0;
    ensures \forall integer p; 0 <= p < EVTCHN_NR_PORTS ==>
        d->ports[p].state == EVTCHN_FREE;
*/
void evtchn_domain_init(struct evtchn_domain *d, domid_t dom, uint32_t max_ports);

/*
 * The table of domain `id` as named by `caller` (DOMID_SELF is the
 * caller), or NULL when there is no such domain.
 */
/*@ requires evt_world_ok(w);
    assigns \result \from w->doms[0 .. w->nr - 1], w->nr, caller, id;
    ensures \result == \null || \valid(\result);
    ensures \result != \null ==>
        (id == DOMID_SELF ? caller : id) < w->nr &&
        \result == w->doms[id == DOMID_SELF ? caller : id];
*/
struct evtchn_domain *evtchn_lookup(const struct evtchn_world *w, domid_t caller,
                                    domid_t id);

/* EVT-1: may the guest name `port` at all (below max_ports)? */
/*@ requires \valid_read(d);
    assigns \nothing;
    ensures EVT_1: \result == 1 <==> (port < d->max_ports && port < EVTCHN_NR_PORTS);
*/
bool evtchn_port_valid(const struct evtchn_domain *d, uint32_t port);

/*
 * EVT-3, EVT-4: the lowest FREE port in 1 .. max_ports-1, or 0 when the
 * domain has none left.
 */
/*@ requires \valid_read(d);
    assigns \nothing;
    ensures EVT_4: \result != 0 ==>
        1 <= \result < d->max_ports && \result < EVTCHN_NR_PORTS &&
        d->ports[\result].state == EVTCHN_FREE;
    ensures EVT_3: \result == 0 ==>
        \forall integer p; 1 <= p < d->max_ports && p < EVTCHN_NR_PORTS ==>
            d->ports[p].state != EVTCHN_FREE;
*/
uint32_t evtchn_find_free(const struct evtchn_domain *d);

/*
 * The pair-level commits: each changes only the ports it names and keeps
 * evt_pair_ok() over the two domains it is given (proved): the EVT_1,
 * EVT_9 and EVT_6 clauses below are its parts that can change (validity,
 * max_ports and the ids are never written, and the assigns clause leaves
 * a table separated from the ones named untouched), each proved from the
 * fewest hypotheses it needs. The single-domain commits take any second
 * domain x as a ghost parameter, so their clauses hold for every pair
 * (d, x): allocating or freeing a port of d cannot break a link of any
 * other domain.
 */

/* EVT-4, EVT-5: a FREE port becomes UNBOUND for `remote`. */
/*@ requires evt_two(d, x);
    requires 1 <= port < d->max_ports && port < EVTCHN_NR_PORTS;
    requires d->ports[port].state == EVTCHN_FREE;
    assigns d->ports[port];
    ensures d->ports[port].state == EVTCHN_UNBOUND && d->ports[port].remote_dom == remote;
    ensures EVT_1: \at(evt_ports_ok(d), Pre) ==> evt_ports_ok(d);
    ensures EVT_9: \at(evt_ports_ok(d) && evt_virqs_ok(d), Pre) ==> evt_virqs_ok(d);
    ensures EVT_6: \at(evt_links_to(d, x), Pre) ==> evt_links_to(d, x);
    ensures EVT_6: \at(evt_links_to(x, d), Pre) ==> evt_links_to(x, d);
*/
void evtchn_commit_unbound(struct evtchn_domain *d, uint32_t port, domid_t remote)
    /*@ ghost (struct evtchn_domain *x) */;

/*
 * EVT-6, EVT-7: connect FREE port lport of ld with port rport of rd, which
 * is UNBOUND for ld (rd may be ld: a loopback channel).
 */
/*@ requires evt_two(ld, rd);
    requires 1 <= lport < ld->max_ports && lport < EVTCHN_NR_PORTS;
    requires 1 <= rport < rd->max_ports && rport < EVTCHN_NR_PORTS;
    requires ld->ports[lport].state == EVTCHN_FREE;
    requires rd->ports[rport].state == EVTCHN_UNBOUND;
    requires rd->ports[rport].remote_dom == ld->dom;
    assigns ld->ports[lport], rd->ports[rport];
    ensures ld->ports[lport].state == EVTCHN_INTERDOMAIN &&
            ld->ports[lport].remote_dom == rd->dom && ld->ports[lport].remote_port == rport;
    ensures rd->ports[rport].state == EVTCHN_INTERDOMAIN &&
            rd->ports[rport].remote_dom == ld->dom && rd->ports[rport].remote_port == lport;
    ensures EVT_1: \at(evt_ports_ok(ld) && evt_ports_ok(rd), Pre) ==> evt_ports_ok(ld);
    ensures EVT_1: \at(evt_ports_ok(ld) && evt_ports_ok(rd), Pre) ==> evt_ports_ok(rd);
    ensures EVT_9: \at(evt_virqs_ok(ld) && evt_virqs_ok(rd), Pre) ==> evt_virqs_ok(ld);
    ensures EVT_9: \at(evt_virqs_ok(ld) && evt_virqs_ok(rd), Pre) ==> evt_virqs_ok(rd);
    ensures EVT_6: \at(evt_links_ok(ld, rd), Pre) ==> evt_links_to(ld, rd);
    ensures EVT_6: \at(evt_links_ok(ld, rd), Pre) ==> evt_links_to(rd, ld);
*/
void evtchn_commit_link(struct evtchn_domain *ld, uint32_t lport,
                        struct evtchn_domain *rd, uint32_t rport);

/*
 * EVT-10: close INTERDOMAIN port `port` of ld, whose peer is rd: the
 * peer's end (if it still points back, which EVT-6 guarantees) returns to
 * UNBOUND for ld, and the local port to FREE.
 */
/*@ requires evt_two(ld, rd);
    requires 1 <= port < EVTCHN_NR_PORTS;
    requires ld->ports[port].state == EVTCHN_INTERDOMAIN;
    requires ld->ports[port].remote_dom == rd->dom;
    assigns ld->ports[port], rd->ports[0 .. EVTCHN_NR_PORTS - 1];
    ensures EVT_4: ld->ports[port].state == EVTCHN_FREE;
    ensures EVT_10: \at(evt_pair_ok(ld, rd), Pre) ==>
        \let rp = \at(ld->ports[port].remote_port, Pre);
        (ld != rd || rp != port) ==>
            rd->ports[rp].state == EVTCHN_UNBOUND && rd->ports[rp].remote_dom == ld->dom;
    ensures EVT_1: \at(evt_ports_ok(ld) && evt_ports_ok(rd), Pre) ==> evt_ports_ok(ld);
    ensures EVT_1: \at(evt_ports_ok(ld) && evt_ports_ok(rd), Pre) ==> evt_ports_ok(rd);
    ensures EVT_9: \at(evt_virqs_ok(ld) && evt_virqs_ok(rd), Pre) ==> evt_virqs_ok(ld);
    ensures EVT_9: \at(evt_virqs_ok(ld) && evt_virqs_ok(rd), Pre) ==> evt_virqs_ok(rd);
    ensures EVT_6: \at(evt_links_ok(ld, rd), Pre) ==> evt_links_to(ld, rd);
    ensures EVT_6: \at(evt_links_ok(ld, rd), Pre) ==> evt_links_to(rd, ld);
*/
void evtchn_commit_unlink(struct evtchn_domain *ld, uint32_t port, struct evtchn_domain *rd);

/*
 * EVT-10: close a port whose peer (if any) is not x: UNBOUND, VIRQ, IPI,
 * or an INTERDOMAIN port whose peer no longer exists. It returns to FREE;
 * a VIRQ's binding is forgotten.
 */
/*@ requires evt_two(d, x);
    requires 1 <= port < EVTCHN_NR_PORTS;
    requires d->ports[port].state == EVTCHN_INTERDOMAIN ==>
        d->ports[port].remote_dom != x->dom && d->ports[port].remote_dom != d->dom;
    assigns d->ports[port], d->virq_port[0 .. NR_VIRQS - 1];
    ensures EVT_4: d->ports[port].state == EVTCHN_FREE;
    ensures EVT_9: \at(evt_ports_ok(d) && evt_virqs_ok(d), Pre) ==>
        \forall integer v; 0 <= v < NR_VIRQS ==> d->virq_port[v] != port;
    ensures EVT_1: \at(evt_ports_ok(d), Pre) ==> evt_ports_ok(d);
    ensures EVT_9: \at(evt_ports_ok(d) && evt_virqs_ok(d), Pre) ==> evt_virqs_ok(d);
    ensures EVT_6: \at(evt_links_to(d, x), Pre) ==> evt_links_to(d, x);
    ensures EVT_6: \at(evt_links_to(x, d), Pre) ==> evt_links_to(x, d);
*/
void evtchn_commit_free(struct evtchn_domain *d, uint32_t port)
    /*@ ghost (struct evtchn_domain *x) */;

/* EVT-8, EVT-9: a FREE port becomes VIRQ `virq`, which was unbound. */
/*@ requires evt_two(d, x);
    requires 1 <= port < d->max_ports && port < EVTCHN_NR_PORTS;
    requires d->ports[port].state == EVTCHN_FREE;
    requires virq < NR_VIRQS && d->virq_port[virq] == 0;
    assigns d->ports[port], d->virq_port[virq];
    ensures d->ports[port].state == EVTCHN_VIRQ && d->ports[port].virq == virq;
    ensures EVT_9: d->virq_port[virq] == port;
    ensures EVT_1: \at(evt_ports_ok(d), Pre) ==> evt_ports_ok(d);
    ensures EVT_9: \at(evt_ports_ok(d) && evt_virqs_ok(d), Pre) ==> evt_virqs_ok(d);
    ensures EVT_6: \at(evt_links_to(d, x), Pre) ==> evt_links_to(d, x);
    ensures EVT_6: \at(evt_links_to(x, d), Pre) ==> evt_links_to(x, d);
*/
void evtchn_commit_virq(struct evtchn_domain *d, uint32_t port, uint32_t virq)
    /*@ ghost (struct evtchn_domain *x) */;

/* A FREE port becomes an IPI port. */
/*@ requires evt_two(d, x);
    requires 1 <= port < d->max_ports && port < EVTCHN_NR_PORTS;
    requires d->ports[port].state == EVTCHN_FREE;
    assigns d->ports[port];
    ensures d->ports[port].state == EVTCHN_IPI;
    ensures EVT_1: \at(evt_ports_ok(d), Pre) ==> evt_ports_ok(d);
    ensures EVT_9: \at(evt_ports_ok(d) && evt_virqs_ok(d), Pre) ==> evt_virqs_ok(d);
    ensures EVT_6: \at(evt_links_to(d, x), Pre) ==> evt_links_to(d, x);
    ensures EVT_6: \at(evt_links_to(x, d), Pre) ==> evt_links_to(x, d);
*/
void evtchn_commit_ipi(struct evtchn_domain *d, uint32_t port)
    /*@ ghost (struct evtchn_domain *x) */;

/*
 * EVTCHNOP_alloc_unbound. op->dom: DOMID_SELF or the caller's id, or for
 * the privileged caller any domain (EVT-5); op->remote_dom: who may bind,
 * DOMID_SELF meaning the caller. On success op->port is the new port.
 * 0, -EPERM (another domain, unprivileged), -ESRCH (no such domain),
 * -ENOSPC (no free port: EVT-3, nothing changes).
 */
/*@ requires evt_world_ok(w) && \valid(op);
    requires \separated(op, w) && \separated(op, w->doms + (0 .. w->nr - 1));
    requires \forall integer i; 0 <= i < w->nr ==> w->doms[i] != \null ==>
        \separated(op, w->doms[i]);
    assigns op->port, w->doms[0 .. w->nr - 1]->ports[0 .. EVTCHN_NR_PORTS - 1];
    ensures \result == 0 || \result == -EPERM || \result == -ESRCH || \result == -ENOSPC;
    ensures EVT_4: \result == 0 ==> 1 <= op->port < EVTCHN_NR_PORTS;
*/
int evtchn_alloc_unbound(struct evtchn_world *w, domid_t caller, bool privileged,
                         struct evtchn_alloc_unbound *op);

/*
 * EVTCHNOP_bind_interdomain (EVT-7): op->remote_port of op->remote_dom
 * (DOMID_SELF: the caller) must be UNBOUND for the caller. Both ends
 * become INTERDOMAIN; op->local_port is the new port, and *notify asks
 * the glue to mark it pending (as Xen: a send may have been lost while
 * the remote end was unbound). 0, -ESRCH (no such domain), -EINVAL (bad
 * remote port, not unbound, or not for the caller), -ENOSPC.
 */
/*@ requires evt_world_ok(w) && \valid(op) && \valid(notify);
    requires \separated(op, notify);
    requires \separated(op, w) && \separated(op, w->doms + (0 .. w->nr - 1));
    requires \separated(notify, w) && \separated(notify, w->doms + (0 .. w->nr - 1));
    requires \forall integer i; 0 <= i < w->nr ==> w->doms[i] != \null ==>
        \separated(op, w->doms[i]) && \separated(notify, w->doms[i]);
    assigns op->local_port, *notify,
            w->doms[0 .. w->nr - 1]->ports[0 .. EVTCHN_NR_PORTS - 1];
    ensures \result == 0 || \result == -ESRCH || \result == -EINVAL || \result == -ENOSPC;
    ensures \result == 0 ==> 1 <= op->local_port < EVTCHN_NR_PORTS &&
        notify->dom == caller && notify->port == op->local_port;
    ensures \result != 0 ==> notify->port == 0;
*/
int evtchn_bind_interdomain(struct evtchn_world *w, domid_t caller,
                            struct evtchn_bind_interdomain *op,
                            struct evtchn_notify *notify);

/*
 * EVTCHNOP_bind_virq (EVT-8, EVT-9): op->virq < NR_VIRQS (-EINVAL);
 * global VIRQs (all but the per-vCPU TIMER, DEBUG, XENOPROF, XENPMU) only
 * for the privileged domain (-EPERM) and on vCPU 0 (-EINVAL); one vCPU
 * (any other: -ENOENT); bound at most once per domain (-EEXIST);
 * -ESRCH if the caller has no table; -ENOSPC. op->port on success.
 */
/*@ requires evt_world_ok(w) && \valid(op);
    requires \separated(op, w) && \separated(op, w->doms + (0 .. w->nr - 1));
    requires \forall integer i; 0 <= i < w->nr ==> w->doms[i] != \null ==>
        \separated(op, w->doms[i]);
    assigns op->port, w->doms[0 .. w->nr - 1]->ports[0 .. EVTCHN_NR_PORTS - 1],
            w->doms[0 .. w->nr - 1]->virq_port[0 .. NR_VIRQS - 1];
    ensures \result == 0 || \result == -EINVAL || \result == -EPERM ||
            \result == -ENOENT || \result == -EEXIST || \result == -ESRCH ||
            \result == -ENOSPC;
    ensures EVT_8: op->virq >= NR_VIRQS ==> \result == -EINVAL;
*/
int evtchn_bind_virq(struct evtchn_world *w, domid_t caller, bool privileged,
                     struct evtchn_bind_virq *op);

/* EVTCHNOP_bind_ipi: vCPU 0 only (-ENOENT); -ESRCH, -ENOSPC. */
/*@ requires evt_world_ok(w) && \valid(op);
    requires \separated(op, w) && \separated(op, w->doms + (0 .. w->nr - 1));
    requires \forall integer i; 0 <= i < w->nr ==> w->doms[i] != \null ==>
        \separated(op, w->doms[i]);
    assigns op->port, w->doms[0 .. w->nr - 1]->ports[0 .. EVTCHN_NR_PORTS - 1];
    ensures \result == 0 || \result == -ENOENT || \result == -ESRCH || \result == -ENOSPC;
*/
int evtchn_bind_ipi(struct evtchn_world *w, domid_t caller, struct evtchn_bind_ipi *op);

/*
 * EVTCHNOP_close (EVT-10): any allocated port of the caller returns to
 * FREE; the peer of an INTERDOMAIN port returns to UNBOUND for the
 * caller; a VIRQ is unbound. *notify asks the glue to clear the port's
 * pending bit in the caller's shared_info (so a rebound port does not
 * start with a stale event). 0, -EINVAL (port not valid or FREE), -ESRCH.
 */
/*@ requires evt_world_ok(w) && \valid(notify);
    requires \separated(notify, w) && \separated(notify, w->doms + (0 .. w->nr - 1));
    requires \forall integer i; 0 <= i < w->nr ==> w->doms[i] != \null ==>
        \separated(notify, w->doms[i]);
    assigns *notify, w->doms[0 .. w->nr - 1]->ports[0 .. EVTCHN_NR_PORTS - 1],
            w->doms[0 .. w->nr - 1]->virq_port[0 .. NR_VIRQS - 1];
    ensures \result == 0 || \result == -EINVAL || \result == -ESRCH;
    ensures \result == 0 ==> notify->dom == caller && notify->port == port;
    ensures \result != 0 ==> notify->port == 0;
*/
int evtchn_close(struct evtchn_world *w, domid_t caller, uint32_t port,
                 struct evtchn_notify *notify);

/*
 * EVTCHNOP_send (EVT-11): INTERDOMAIN → the peer's port, IPI → the port
 * itself, both returned in *notify; UNBOUND → 0 and nothing (Xen drops
 * it); a FREE or VIRQ port → -EINVAL; -EINVAL for a port number not
 * valid (EVT-1); -ESRCH.
 */
/*@ requires evt_world_ok(w) && \valid(notify);
    requires \separated(notify, w) && \separated(notify, w->doms + (0 .. w->nr - 1));
    requires \forall integer i; 0 <= i < w->nr ==> w->doms[i] != \null ==>
        \separated(notify, w->doms[i]);
    assigns *notify;
    ensures \result == 0 || \result == -EINVAL || \result == -ESRCH;
    ensures EVT_11: \result == 0 && notify->port != 0 ==> notify->port < EVTCHN_NR_PORTS;
    ensures \result != 0 ==> notify->port == 0;
*/
int evtchn_send(const struct evtchn_world *w, domid_t caller, uint32_t port,
                struct evtchn_notify *notify);

/*
 * EVTCHNOP_status (EVT-12): op->dom DOMID_SELF or the caller, or any
 * domain for the privileged caller (-EPERM otherwise; -ESRCH none);
 * op->port valid (-EINVAL). Fills status, vcpu (0) and the union.
 */
/*@ requires evt_world_ok(w) && \valid(op);
    requires \separated(op, w) && \separated(op, w->doms + (0 .. w->nr - 1));
    requires \forall integer i; 0 <= i < w->nr ==> w->doms[i] != \null ==>
        \separated(op, w->doms[i]);
    assigns op->status, op->vcpu, op->u;
    ensures \result == 0 || \result == -EPERM || \result == -ESRCH || \result == -EINVAL;
*/
int evtchn_status(const struct evtchn_world *w, domid_t caller, bool privileged,
                  struct evtchn_status *op);

/*
 * EVTCHNOP_bind_vcpu: one vCPU, so only vCPU 0 (-ENOENT otherwise), and
 * only for a port that may be retargeted (UNBOUND, INTERDOMAIN, global
 * VIRQ; -EINVAL otherwise, or for a port not valid). Changes nothing.
 */
/*@ requires evt_world_ok(w);
    assigns \nothing;
    ensures \result == 0 || \result == -ENOENT || \result == -EINVAL || \result == -ESRCH;
*/
int evtchn_bind_vcpu(const struct evtchn_world *w, domid_t caller, uint32_t port,
                     uint32_t vcpu);

/*
 * EVTCHNOP_unmask, the hypervisor half: 0 if `port` is valid for the
 * caller (any state, as Xen), -EINVAL (EVT-1) or -ESRCH. The glue then
 * calls evtchn_2l_unmask() on the caller's shared_info.
 */
/*@ requires evt_world_ok(w);
    assigns \nothing;
    ensures \result == 0 || \result == -EINVAL || \result == -ESRCH;
*/
int evtchn_unmask_check(const struct evtchn_world *w, domid_t caller, uint32_t port);

/*
 * A VIRQ the hypervisor raises for domain `dom` (timer, console, ...):
 * *notify gets the port bound to it, or port 0 when none is (the VIRQ is
 * dropped, as in Xen). 0, or -EINVAL for virq >= NR_VIRQS, -ESRCH.
 */
/*@ requires evt_world_ok(w) && \valid(notify);
    requires \separated(notify, w) && \separated(notify, w->doms + (0 .. w->nr - 1));
    requires \forall integer i; 0 <= i < w->nr ==> w->doms[i] != \null ==>
        \separated(notify, w->doms[i]);
    assigns *notify;
    ensures \result == 0 || \result == -EINVAL || \result == -ESRCH;
    ensures \result == 0 && notify->port != 0 ==> notify->port < EVTCHN_NR_PORTS;
*/
int evtchn_virq_target(const struct evtchn_world *w, domid_t dom, uint32_t virq,
                       struct evtchn_notify *notify);

/*
 * Teardown (EVT-13): close every port of `dom`; every peer port that was
 * connected returns to UNBOUND, so no table in the world links to `dom`
 * afterwards. The glue then drops the table from the world. 0 or -ESRCH.
 */
/*@ requires evt_world_ok(w);
    assigns w->doms[0 .. w->nr - 1]->ports[0 .. EVTCHN_NR_PORTS - 1],
            w->doms[0 .. w->nr - 1]->virq_port[0 .. NR_VIRQS - 1];
    ensures \result == 0 || \result == -ESRCH;
*/
int evtchn_domain_destroy(struct evtchn_world *w, domid_t dom);

#endif
