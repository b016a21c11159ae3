/*
 * Event channels (hv/core/evtchn.c, evtchn_2l.c): one case or more per
 * rule of spec/events.md, named by its ID, and the attacks of issue 6
 * (send on a port not owned, bind to a port another domain holds, port
 * exhaustion). After every step the whole world is checked against the
 * invariants the proofs state on pairs (check_world below).
 */
#include <stdlib.h>

#include "check.h"
#include "evtchn.h"
#include "evtchn_2l.h"

#define NR_DOMS 4u              /* ids 0 (privileged), 1, 2; 3 unused */

static struct evtchn_domain tables[NR_DOMS];
static struct evtchn_domain *slots[NR_DOMS];
static struct evtchn_world world = { slots, NR_DOMS };
static struct shared_info si;

static void reset(uint32_t max1)
{
    unsigned i;

    for (i = 0; i < NR_DOMS; i++)
        slots[i] = NULL;
    for (i = 0; i < 3; i++) {
        evtchn_domain_init(&tables[i], (domid_t)i, i == 1 ? max1 : 0);
        slots[i] = &tables[i];
    }
    memset(&si, 0, sizeof(si));
}

/* The invariants of evtchn.h over every pair of live tables. */
static int check_world(void)
{
    unsigned a, p, v;

    for (a = 0; a < NR_DOMS; a++) {
        const struct evtchn_domain *d = slots[a];

        if (!d)
            continue;
        if (d->dom != a || d->max_ports < 1 || d->max_ports > EVTCHN_NR_PORTS)
            return -1;
        for (p = 0; p < EVTCHN_NR_PORTS; p++) {
            const struct evtchn_port *e = &d->ports[p];

            if (e->state > EVTCHN_IPI)
                return -2;
            if ((p == 0 || p >= d->max_ports) && e->state != EVTCHN_FREE)
                return -3;                                      /* EVT-1, EVT-2 */
            if (e->state == EVTCHN_VIRQ &&
                (e->virq >= NR_VIRQS || d->virq_port[e->virq] != p))
                return -4;                                      /* EVT-9 */
            if (e->state == EVTCHN_INTERDOMAIN) {               /* EVT-6 */
                const struct evtchn_domain *r =
                    e->remote_dom < NR_DOMS ? slots[e->remote_dom] : NULL;
                const struct evtchn_port *m;

                if (!r || e->remote_port >= EVTCHN_NR_PORTS)
                    return -5;
                m = &r->ports[e->remote_port];
                if (m->state != EVTCHN_INTERDOMAIN || m->remote_dom != a ||
                    m->remote_port != p)
                    return -6;
            }
        }
        for (v = 0; v < NR_VIRQS; v++)
            if (d->virq_port[v] != 0 &&
                (d->virq_port[v] >= d->max_ports ||
                 d->ports[d->virq_port[v]].state != EVTCHN_VIRQ ||
                 d->ports[d->virq_port[v]].virq != v))
                return -7;
    }
    return 0;
}

#define STEP_OK(name) CHECK_EQ_CASE(name, check_world(), 0)

static uint32_t alloc_unbound(domid_t caller, bool priv, domid_t dom, domid_t remote, int *rc)
{
    struct evtchn_alloc_unbound op = { dom, remote, 0 };

    *rc = evtchn_alloc_unbound(&world, caller, priv, &op);
    return op.port;
}

static uint32_t bind(domid_t caller, domid_t rdom, uint32_t rport, int *rc,
                     struct evtchn_notify *n)
{
    struct evtchn_bind_interdomain op = { rdom, 0, rport, 0 };
    struct evtchn_notify dummy;

    *rc = evtchn_bind_interdomain(&world, caller, &op, n ? n : &dummy);
    return op.local_port;
}

static int status_of(domid_t caller, bool priv, domid_t dom, uint32_t port,
                     struct evtchn_status *st)
{
    memset(st, 0xA5, sizeof(*st));
    st->dom = dom;
    st->port = port;
    return evtchn_status(&world, caller, priv, st);
}

/* ---- port numbers (EVT-1..EVT-4) -------------------------------------- */

static void test_port_bounds(void)
{
    static const uint32_t bad[] = { 0, EVTCHN_NR_PORTS, EVTCHN_NR_PORTS + 1, 0x10000u,
                                    0x7FFFFFFFu, 0xFFFFFFFFu };
    struct evtchn_notify n;
    struct evtchn_status st;
    unsigned i;

    reset(0);
    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        CHECK_EQ_CASE("EVT-1 close of a bad port", evtchn_close(&world, 1, bad[i], &n), -EINVAL);
        CHECK_EQ_CASE("EVT-1 close leaves nothing to clear", n.port, 0);
        if (bad[i] != 0) {
            CHECK_EQ_CASE("EVT-1 send on a bad port", evtchn_send(&world, 1, bad[i], &n), -EINVAL);
            CHECK_EQ_CASE("EVT-1 unmask of a bad port",
                          evtchn_unmask_check(&world, 1, bad[i]), -EINVAL);
            CHECK_EQ_CASE("EVT-1 status of a bad port",
                          status_of(1, false, DOMID_SELF, bad[i], &st), -EINVAL);
            CHECK_EQ_CASE("EVT-1 bind_vcpu of a bad port",
                          evtchn_bind_vcpu(&world, 1, bad[i], 0), -EINVAL);
        }
        {
            int brc;

            bind(2, 1, bad[i], &brc, NULL);
            CHECK_EQ_CASE("EVT-1 bind to a bad remote port", brc, -EINVAL);
        }
        STEP_OK("EVT-1 bad ports change nothing");
    }
    /* a smaller limit moves the bound with it */
    reset(8);
    CHECK_EQ_CASE("EVT-1 port at max_ports", evtchn_send(&world, 1, 8, &n), -EINVAL);
    CHECK_EQ_CASE("EVT-1 port below max_ports", evtchn_unmask_check(&world, 1, 7), 0);
    CHECK_EQ_CASE("EVT-3 max_ports clamped", (evtchn_domain_init(&tables[3], 3, 5000),
                                               tables[3].max_ports), EVTCHN_NR_PORTS);
    CHECK_EQ_CASE("EVT-2 port 0 is reserved (status closed)",
                  (status_of(1, false, DOMID_SELF, 0, &st), st.status), EVTCHNSTAT_closed);
    CHECK_EQ_CASE("EVT-1 unmask of port 0 is allowed", evtchn_unmask_check(&world, 1, 0), 0);
}

static void test_alloc_and_exhaustion(void)
{
    struct evtchn_notify n;
    uint32_t p, first, local;
    int rc = 1, i;

    reset(8);
    first = alloc_unbound(1, false, DOMID_SELF, 2, &rc);
    CHECK_EQ_CASE("EVT-2 first port is 1", first, 1);
    CHECK_EQ_CASE("EVT-4 alloc ok", rc, 0);
    for (i = 2; i < 8; i++) {
        p = alloc_unbound(1, false, DOMID_SELF, 2, &rc);
        CHECK_EQ_CASE("EVT-3 ports below the limit", rc, 0);
        CHECK_EQ_CASE("EVT-4 lowest free port", p, (uint32_t)i);
    }
    STEP_OK("EVT-3 full table");
    /* XSA-317 style: the table is full; the next allocation is refused ... */
    p = alloc_unbound(1, false, DOMID_SELF, 2, &rc);
    CHECK_EQ_CASE("EVT-3 exhausted: -ENOSPC", rc, -ENOSPC);
    CHECK_EQ_CASE("EVT-3 exhausted: no port given", p, 0);
    {
        struct evtchn_bind_virq v = { VIRQ_TIMER, 0, 0 };
        struct evtchn_bind_ipi ipi = { 0, 0 };

        CHECK_EQ_CASE("EVT-3 bind_virq on a full table", evtchn_bind_virq(&world, 1, false, &v),
                      -ENOSPC);
        CHECK_EQ_CASE("EVT-3 bind_ipi on a full table", evtchn_bind_ipi(&world, 1, &ipi), -ENOSPC);
        CHECK_EQ_CASE("EVT-3 nothing bound", tables[1].virq_port[VIRQ_TIMER], 0);
    }
    STEP_OK("EVT-3 refusal changes nothing");
    /* ... and the peer still works: dom2 binds to dom1's port 3 and talks */
    local = bind(2, 1, 3, &rc, &n);
    CHECK_EQ_CASE("EVT-3 peer binds to the full domain", rc, 0);
    CHECK_EQ_CASE("EVT-7 new port marked pending", n.port, local);
    CHECK_EQ_CASE("EVT-7 pending in the binder", n.dom, 2);
    CHECK_EQ_CASE("EVT-11 peer sends", evtchn_send(&world, 2, local, &n), 0);
    CHECK_EQ_CASE("EVT-11 delivered to dom1", n.dom, 1);
    CHECK_EQ_CASE("EVT-11 delivered to port 3", n.port, 3);
    /* dom1 cannot bind anything new while full */
    p = alloc_unbound(2, false, DOMID_SELF, 1, &rc);
    CHECK_EQ_CASE("EVT-4 dom2 still allocates", rc, 0);
    bind(1, 2, p, &rc, NULL);
    CHECK_EQ_CASE("EVT-3 full binder: -ENOSPC", rc, -ENOSPC);
    CHECK_EQ_CASE("EVT-3 remote end untouched", tables[2].ports[p].state, EVTCHN_UNBOUND);
    STEP_OK("EVT-3 peer works");
    /* EVT-4: a closed port is free and is the next one handed out */
    CHECK_EQ_CASE("EVT-10 close port 5", evtchn_close(&world, 1, 5, &n), 0);
    CHECK_EQ_CASE("EVT-10 close asks to clear port 5", n.port, 5);
    CHECK_EQ_CASE("EVT-4 closed port is free", tables[1].ports[5].state, EVTCHN_FREE);
    CHECK_EQ_CASE("EVT-4 reuse of the closed port",
                  alloc_unbound(1, false, DOMID_SELF, 2, &rc), 5);
    STEP_OK("EVT-4 reuse");

    /* the default limit: 1023 ports, then -ENOSPC */
    reset(0);
    for (i = 1; i < (int)EVTCHN_NR_PORTS; i++)
        alloc_unbound(2, false, DOMID_SELF, 1, &rc);
    CHECK_EQ_CASE("EVT-3 1023 ports by default", rc, 0);
    alloc_unbound(2, false, DOMID_SELF, 1, &rc);
    CHECK_EQ_CASE("EVT-3 the 1024th is refused", rc, -ENOSPC);
    STEP_OK("EVT-3 default limit");
}

static void test_alloc_rules(void)
{
    uint32_t p;
    int rc;

    reset(0);
    p = alloc_unbound(1, false, 2, 1, &rc);
    CHECK_EQ_CASE("EVT-5 port in another table, unprivileged", rc, -EPERM);
    CHECK_EQ_CASE("EVT-5 no port given", p, 0);
    p = alloc_unbound(1, false, 1, 2, &rc);
    CHECK_EQ_CASE("EVT-5 own id is DOMID_SELF", rc, 0);
    CHECK_EQ_CASE("EVT-5 in dom1's table", tables[1].ports[p].state, EVTCHN_UNBOUND);
    p = alloc_unbound(0, true, 2, 1, &rc);
    CHECK_EQ_CASE("EVT-5 privileged allocates in dom2", rc, 0);
    CHECK_EQ_CASE("EVT-5 in dom2's table", tables[2].ports[p].state, EVTCHN_UNBOUND);
    CHECK_EQ_CASE("EVT-5 remote recorded", tables[2].ports[p].remote_dom, 1);
    alloc_unbound(0, true, 3, 1, &rc);
    CHECK_EQ_CASE("EVT-5 no such domain", rc, -ESRCH);
    alloc_unbound(0, true, 0x7FF5, 1, &rc);
    CHECK_EQ_CASE("EVT-5 reserved id", rc, -ESRCH);
    p = alloc_unbound(1, false, DOMID_SELF, DOMID_SELF, &rc);
    CHECK_EQ_CASE("EVT-5 loopback allocation", rc, 0);
    CHECK_EQ_CASE("EVT-5 DOMID_SELF remote is the caller", tables[1].ports[p].remote_dom, 1);
    STEP_OK("EVT-5");
}

/* ---- binding and closing (EVT-6, EVT-7, EVT-10) ---------------------- */

static void test_bind_interdomain(void)
{
    struct evtchn_notify n;
    struct evtchn_status st;
    uint32_t up, p1, local, lp;
    int rc;

    reset(0);
    up = alloc_unbound(1, false, DOMID_SELF, 2, &rc);       /* dom1 offers to dom2 */
    /* attack: a third domain (dom0 here, even privileged) binds to it */
    bind(0, 1, up, &rc, &n);
    CHECK_EQ_CASE("EVT-7 bind to a port offered to another domain", rc, -EINVAL);
    CHECK_EQ_CASE("EVT-7 refused bind marks nothing", n.port, 0);
    CHECK_EQ_CASE("EVT-7 offer untouched", tables[1].ports[up].state, EVTCHN_UNBOUND);
    bind(2, 1, up + 1, &rc, NULL);
    CHECK_EQ_CASE("EVT-7 bind to a free port", rc, -EINVAL);
    bind(2, 3, up, &rc, NULL);
    CHECK_EQ_CASE("EVT-7 bind to a missing domain", rc, -ESRCH);
    STEP_OK("EVT-7 refusals");

    local = bind(2, 1, up, &rc, &n);
    CHECK_EQ_CASE("EVT-7 bind", rc, 0);
    CHECK_EQ_CASE("EVT-7 pending on the new local port", n.port, local);
    CHECK_EQ_CASE("EVT-6 local end", tables[2].ports[local].state, EVTCHN_INTERDOMAIN);
    CHECK_EQ_CASE("EVT-6 local names remote port", tables[2].ports[local].remote_port, up);
    CHECK_EQ_CASE("EVT-6 remote end", tables[1].ports[up].state, EVTCHN_INTERDOMAIN);
    CHECK_EQ_CASE("EVT-6 remote names local port", tables[1].ports[up].remote_port, local);
    STEP_OK("EVT-6 after bind");

    /* attack: bind again to a port that is now connected */
    bind(2, 1, up, &rc, NULL);
    CHECK_EQ_CASE("EVT-7 bind to a connected port", rc, -EINVAL);
    bind(0, 1, up, &rc, NULL);
    CHECK_EQ_CASE("EVT-7 third domain binds to a connected port", rc, -EINVAL);

    CHECK_EQ_CASE("EVT-12 status of own interdomain",
                  (status_of(1, false, DOMID_SELF, up, &st), st.status), EVTCHNSTAT_interdomain);
    CHECK_EQ_CASE("EVT-12 peer dom", st.u.interdomain.dom, 2);
    CHECK_EQ_CASE("EVT-12 peer port", st.u.interdomain.port, local);
    CHECK_EQ_CASE("EVT-12 vcpu", st.vcpu, 0);

    /* EVT-10: closing one end returns the other to unbound for the closer */
    CHECK_EQ_CASE("EVT-10 close local end", evtchn_close(&world, 2, local, &n), 0);
    CHECK_EQ_CASE("EVT-10 local end free", tables[2].ports[local].state, EVTCHN_FREE);
    CHECK_EQ_CASE("EVT-10 remote end unbound", tables[1].ports[up].state, EVTCHN_UNBOUND);
    CHECK_EQ_CASE("EVT-10 remote end waits for the closer", tables[1].ports[up].remote_dom, 2);
    CHECK_EQ_CASE("EVT-12 status unbound",
                  (status_of(1, false, DOMID_SELF, up, &st), st.status), EVTCHNSTAT_unbound);
    CHECK_EQ_CASE("EVT-12 unbound names dom2", st.u.unbound.dom, 2);
    CHECK_EQ_CASE("EVT-10 close twice", evtchn_close(&world, 2, local, &n), -EINVAL);
    STEP_OK("EVT-10 after close");
    /* and it can be bound again */
    lp = bind(2, 1, up, &rc, NULL);
    CHECK_EQ_CASE("EVT-7 rebind after close", rc, 0);
    STEP_OK("EVT-6 after rebind");
    CHECK_EQ_CASE("EVT-10 close the other end", evtchn_close(&world, 1, up, &n), 0);
    CHECK_EQ_CASE("EVT-10 binder's end unbound", tables[2].ports[lp].state, EVTCHN_UNBOUND);
    CHECK_EQ_CASE("EVT-10 binder's end waits for dom1", tables[2].ports[lp].remote_dom, 1);
    STEP_OK("EVT-10 other end");

    /* loopback: a domain connects two of its own ports */
    p1 = alloc_unbound(1, false, DOMID_SELF, DOMID_SELF, &rc);
    local = bind(1, DOMID_SELF, p1, &rc, NULL);
    CHECK_EQ_CASE("EVT-7 loopback bind", rc, 0);
    CHECK(local != p1);
    STEP_OK("EVT-6 loopback");
    CHECK_EQ_CASE("EVT-11 loopback send", evtchn_send(&world, 1, local, &n), 0);
    CHECK_EQ_CASE("EVT-11 loopback target", n.port, p1);
    CHECK_EQ_CASE("EVT-10 loopback close", evtchn_close(&world, 1, p1, &n), 0);
    CHECK_EQ_CASE("EVT-10 loopback other end unbound", tables[1].ports[local].state,
                  EVTCHN_UNBOUND);
    STEP_OK("EVT-10 loopback");
}

/* ---- send (EVT-11) ----------------------------------------------------- */

static void test_send(void)
{
    struct evtchn_notify n;
    struct evtchn_bind_virq v = { VIRQ_TIMER, 0, 0 };
    struct evtchn_bind_ipi ipi = { 0, 0 };
    uint32_t up, other, local;
    int rc;

    reset(0);
    up = alloc_unbound(1, false, DOMID_SELF, 2, &rc);
    other = alloc_unbound(2, false, DOMID_SELF, 1, &rc);
    /* attack: send on ports the caller does not own */
    CHECK_EQ_CASE("EVT-11 send on a free port", evtchn_send(&world, 1, 100, &n), -EINVAL);
    CHECK_EQ_CASE("EVT-11 nothing to deliver", n.port, 0);
    CHECK_EQ_CASE("EVT-11 send on dom2's port number", evtchn_send(&world, 1, other + 5, &n),
                  -EINVAL);
    CHECK_EQ_CASE("EVT-11 send on an unbound port is dropped", evtchn_send(&world, 1, up, &n), 0);
    CHECK_EQ_CASE("EVT-11 unbound: nothing delivered", n.port, 0);
    CHECK_EQ_CASE("EVT-8 bind timer", evtchn_bind_virq(&world, 1, false, &v), 0);
    CHECK_EQ_CASE("EVT-11 send on a VIRQ port", evtchn_send(&world, 1, v.port, &n), -EINVAL);
    CHECK_EQ_CASE("EVT-11 bind ipi", evtchn_bind_ipi(&world, 1, &ipi), 0);
    CHECK_EQ_CASE("EVT-11 ipi send", evtchn_send(&world, 1, ipi.port, &n), 0);
    CHECK_EQ_CASE("EVT-11 ipi to itself", n.port, ipi.port);
    CHECK_EQ_CASE("EVT-11 ipi to own domain", n.dom, 1);
    local = bind(2, 1, up, &rc, NULL);
    CHECK_EQ_CASE("EVT-11 send to peer", evtchn_send(&world, 1, up, &n), 0);
    CHECK_EQ_CASE("EVT-11 peer domain", n.dom, 2);
    CHECK_EQ_CASE("EVT-11 peer port", n.port, local);
    CHECK_EQ_CASE("EVT-11 no table", evtchn_send(&world, 3, 1, &n), -ESRCH);
    STEP_OK("EVT-11");
}

/* ---- VIRQs (EVT-8, EVT-9) --------------------------------------------- */

static void test_virq(void)
{
    static const struct {
        const char *name;
        uint32_t virq, vcpu;
        bool priv;
        int want;
    } cases[] = {
        { "EVT-8 virq out of range", NR_VIRQS, 0, true, -EINVAL },
        { "EVT-8 virq huge", 0xFFFFFFFFu, 0, true, -EINVAL },
        { "EVT-8 global virq, unprivileged", VIRQ_CONSOLE, 0, false, -EPERM },
        { "EVT-8 global virq DOM_EXC, unprivileged", VIRQ_DOM_EXC, 0, false, -EPERM },
        { "EVT-8 arch virq is global", VIRQ_ARCH_0, 0, false, -EPERM },
        { "EVT-8 global virq on vcpu 1", VIRQ_CONSOLE, 1, true, -EINVAL },
        { "EVT-8 per-vcpu virq on vcpu 1", VIRQ_TIMER, 1, false, -ENOENT },
        { "EVT-8 per-vcpu virq on vcpu 0", VIRQ_TIMER, 0, false, 0 },
        { "EVT-9 bound once", VIRQ_TIMER, 0, false, -EEXIST },
        { "EVT-8 debug virq", VIRQ_DEBUG, 0, false, 0 },
    };
    struct evtchn_bind_virq v;
    struct evtchn_notify n;
    struct evtchn_status st;
    unsigned i;
    uint32_t timer;

    reset(0);
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        v.virq = cases[i].virq;
        v.vcpu = cases[i].vcpu;
        v.port = 0;
        CHECK_EQ_CASE(cases[i].name, evtchn_bind_virq(&world, 1, cases[i].priv, &v),
                      cases[i].want);
        STEP_OK(cases[i].name);
    }
    timer = tables[1].virq_port[VIRQ_TIMER];
    CHECK(timer != 0);
    CHECK_EQ_CASE("EVT-9 target of the timer", (evtchn_virq_target(&world, 1, VIRQ_TIMER, &n),
                                                  n.port), timer);
    CHECK_EQ_CASE("EVT-9 unbound virq has no target",
                  (evtchn_virq_target(&world, 1, VIRQ_CONSOLE, &n), n.port), 0);
    CHECK_EQ_CASE("EVT-9 target: bad virq", evtchn_virq_target(&world, 1, NR_VIRQS, &n), -EINVAL);
    CHECK_EQ_CASE("EVT-9 target: no domain", evtchn_virq_target(&world, 3, 0, &n), -ESRCH);
    CHECK_EQ_CASE("EVT-12 status virq", (status_of(1, false, DOMID_SELF, timer, &st), st.status),
                  EVTCHNSTAT_virq);
    CHECK_EQ_CASE("EVT-12 status names the virq", st.u.virq, VIRQ_TIMER);
    CHECK_EQ_CASE("EVT-8 per-vcpu virq keeps its vcpu", evtchn_bind_vcpu(&world, 1, timer, 0),
                  -EINVAL);
    CHECK_EQ_CASE("EVT-10 close the timer", evtchn_close(&world, 1, timer, &n), 0);
    CHECK_EQ_CASE("EVT-9 timer unbound", tables[1].virq_port[VIRQ_TIMER], 0);
    CHECK_EQ_CASE("EVT-9 closed virq has no target",
                  (evtchn_virq_target(&world, 1, VIRQ_TIMER, &n), n.port), 0);
    v.virq = VIRQ_TIMER;
    v.vcpu = 0;
    CHECK_EQ_CASE("EVT-9 rebind after close", evtchn_bind_virq(&world, 1, false, &v), 0);
    v.virq = VIRQ_CONSOLE;
    CHECK_EQ_CASE("EVT-8 privileged binds global virq", evtchn_bind_virq(&world, 0, true, &v), 0);
    CHECK_EQ_CASE("EVT-8 global virq retargets to vcpu 0", evtchn_bind_vcpu(&world, 0, v.port, 0),
                  0);
    CHECK_EQ_CASE("EVT-8 no vcpu 1", evtchn_bind_vcpu(&world, 0, v.port, 1), -ENOENT);
    STEP_OK("EVT-9");
}

/* ---- status (EVT-12) --------------------------------------------------- */

static void test_status(void)
{
    struct evtchn_status st;
    uint32_t p;
    int rc;

    reset(0);
    p = alloc_unbound(2, false, DOMID_SELF, 1, &rc);
    CHECK_EQ_CASE("EVT-12 another domain's port, unprivileged",
                  status_of(1, false, 2, p, &st), -EPERM);
    CHECK_EQ_CASE("EVT-12 privileged reads dom2", status_of(0, true, 2, p, &st), 0);
    CHECK_EQ_CASE("EVT-12 dom2's port is unbound", st.status, EVTCHNSTAT_unbound);
    CHECK_EQ_CASE("EVT-12 missing domain", status_of(0, true, 3, p, &st), -ESRCH);
    CHECK_EQ_CASE("EVT-12 free port closed", (status_of(2, false, 2, p + 1, &st), st.status),
                  EVTCHNSTAT_closed);
    STEP_OK("EVT-12");
}

/* ---- teardown (EVT-13) ------------------------------------------------- */

static void test_destroy(void)
{
    struct evtchn_notify n;
    struct evtchn_bind_virq v = { VIRQ_TIMER, 0, 0 };
    uint32_t a, b, la, lb, loop, lloop;
    int rc;

    reset(0);
    a = alloc_unbound(1, false, DOMID_SELF, 2, &rc);       /* 1 <-> 2 twice */
    la = bind(2, 1, a, &rc, NULL);
    b = alloc_unbound(2, false, DOMID_SELF, 1, &rc);
    lb = bind(1, 2, b, &rc, NULL);
    loop = alloc_unbound(1, false, DOMID_SELF, DOMID_SELF, &rc);
    lloop = bind(1, DOMID_SELF, loop, &rc, NULL);
    evtchn_bind_virq(&world, 1, false, &v);
    alloc_unbound(1, false, DOMID_SELF, 2, &rc);
    STEP_OK("EVT-13 before");
    CHECK_EQ_CASE("EVT-13 destroy dom1", evtchn_domain_destroy(&world, 1), 0);
    {
        unsigned p, left = 0;

        for (p = 0; p < EVTCHN_NR_PORTS; p++)
            left += tables[1].ports[p].state != EVTCHN_FREE;
        CHECK_EQ_CASE("EVT-13 every port of dom1 closed", left, 0);
    }
    CHECK_EQ_CASE("EVT-13 peer end a unbound", tables[2].ports[la].state, EVTCHN_UNBOUND);
    CHECK_EQ_CASE("EVT-13 peer end b unbound", tables[2].ports[b].state, EVTCHN_UNBOUND);
    CHECK_EQ_CASE("EVT-13 virq forgotten", tables[1].virq_port[VIRQ_TIMER], 0);
    (void)lb;
    (void)lloop;
    slots[1] = NULL;                        /* the glue drops the table */
    STEP_OK("EVT-13 no dangling link");
    CHECK_EQ_CASE("EVT-13 the peer can still close its end", evtchn_close(&world, 2, la, &n), 0);
    CHECK_EQ_CASE("EVT-13 binding to the dead domain fails", (bind(2, 1, a, &rc, NULL), rc),
                  -ESRCH);
    CHECK_EQ_CASE("EVT-13 destroy of a missing domain", evtchn_domain_destroy(&world, 1), -ESRCH);
    STEP_OK("EVT-13 after");

    /* teardown of the other end */
    reset(0);
    a = alloc_unbound(1, false, DOMID_SELF, 2, &rc);
    la = bind(2, 1, a, &rc, NULL);
    CHECK_EQ_CASE("EVT-13 bound", tables[2].ports[la].state, EVTCHN_INTERDOMAIN);
    CHECK_EQ_CASE("EVT-13 destroy dom2", evtchn_domain_destroy(&world, 2), 0);
    slots[2] = NULL;
    CHECK_EQ_CASE("EVT-13 dom1's end unbound", tables[1].ports[a].state, EVTCHN_UNBOUND);
    CHECK_EQ_CASE("EVT-13 still naming dom2", tables[1].ports[a].remote_dom, 2);
    CHECK_EQ_CASE("EVT-13 send on it is dropped", evtchn_send(&world, 1, a, &n), 0);
    CHECK_EQ_CASE("EVT-13 nothing delivered", n.port, 0);
    STEP_OK("EVT-13 other end");
}

/* ---- the 2-level bits (EVT-14..EVT-17) ------------------------------ */

static void test_2l(void)
{
    struct vcpu_info *vi = &si.vcpu_info[0];
    static const uint32_t ports[] = { 1, 31, 32, 63, 500, 1023 };
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(ports); i++) {
        uint32_t p = ports[i], w = p / 32, bit = 1u << (p % 32);

        memset(&si, 0, sizeof(si));
        CHECK_EQ_CASE("EVT-15 first event kicks", evtchn_2l_set_pending(&si, p), 1);
        CHECK_EQ_CASE("EVT-15 pending bit", si.evtchn_pending[w], bit);
        CHECK_EQ_CASE("EVT-15 selector bit", vi->evtchn_pending_sel, 1u << w);
        CHECK_EQ_CASE("EVT-15 upcall pending", vi->evtchn_upcall_pending, 1);
        CHECK_EQ_CASE("EVT-15 already pending: no edge", evtchn_2l_set_pending(&si, p), 0);
        vi->evtchn_upcall_pending = 0;
        si.evtchn_pending[w] = 0;
        CHECK_EQ_CASE("EVT-15 selector still set: no kick", evtchn_2l_set_pending(&si, p), 0);
        CHECK_EQ_CASE("EVT-15 selector set: upcall untouched", vi->evtchn_upcall_pending, 0);
        CHECK_EQ_CASE("EVT-15 but pending", evtchn_2l_is_pending(&si, p), 1);

        memset(&si, 0, sizeof(si));
        si.evtchn_mask[w] = bit;
        CHECK_EQ_CASE("EVT-15 masked: no kick", evtchn_2l_set_pending(&si, p), 0);
        CHECK_EQ_CASE("EVT-15 masked: pending", si.evtchn_pending[w], bit);
        CHECK_EQ_CASE("EVT-15 masked: no selector", vi->evtchn_pending_sel, 0);
        CHECK_EQ_CASE("EVT-16 unmask delivers", evtchn_2l_unmask(&si, p), 1);
        CHECK_EQ_CASE("EVT-16 mask clear", evtchn_2l_is_masked(&si, p), 0);
        CHECK_EQ_CASE("EVT-16 selector", vi->evtchn_pending_sel, 1u << w);
        CHECK_EQ_CASE("EVT-16 upcall", vi->evtchn_upcall_pending, 1);
        CHECK_EQ_CASE("EVT-16 second unmask: selector set", evtchn_2l_unmask(&si, p), 0);
        evtchn_2l_clear_pending(&si, p);
        CHECK_EQ_CASE("EVT-17 cleared", evtchn_2l_is_pending(&si, p), 0);
        vi->evtchn_pending_sel = 0;
        si.evtchn_mask[w] = bit;
        CHECK_EQ_CASE("EVT-16 unmask, nothing pending", evtchn_2l_unmask(&si, p), 0);
        CHECK_EQ_CASE("EVT-16 nothing pending: no selector", vi->evtchn_pending_sel, 0);
    }

    for (i = 0; i < 32; i++)
        CHECK_EQ_CASE("EVT-14 bit table", evtchn_2l_bit[i], 1u << i);

    /* hostile page: every other bit set; only the bits of the port count */
    memset(&si, 0xFF, sizeof(si));
    si.evtchn_pending[3] = ~(1u << 5);
    si.evtchn_mask[3] = ~(1u << 5);
    vi->evtchn_pending_sel = ~(1u << 3);
    vi->evtchn_upcall_pending = 0x77;
    CHECK_EQ_CASE("EVT-14 garbage elsewhere: port 101 kicks", evtchn_2l_set_pending(&si, 101), 1);
    CHECK_EQ_CASE("EVT-14 other pending bits kept", si.evtchn_pending[3], 0xFFFFFFFFu);
    CHECK_EQ_CASE("EVT-14 selector word", vi->evtchn_pending_sel, 0xFFFFFFFFu);
    CHECK_EQ_CASE("EVT-14 upcall flag normalised", vi->evtchn_upcall_pending, 1);

    /* out-of-range ports touch nothing */
    memset(&si, 0x5A, sizeof(si));
    {
        struct shared_info before = si;

        CHECK_EQ_CASE("EVT-14 set_pending 1024", evtchn_2l_set_pending(&si, 1024), 0);
        CHECK_EQ_CASE("EVT-14 set_pending max", evtchn_2l_set_pending(&si, 0xFFFFFFFFu), 0);
        CHECK_EQ_CASE("EVT-14 unmask 4096", evtchn_2l_unmask(&si, 4096), 0);
        evtchn_2l_clear_pending(&si, 0x80000000u);
        CHECK_EQ_CASE("EVT-14 is_pending out of range", evtchn_2l_is_pending(&si, 2000), 0);
        CHECK_EQ_CASE("EVT-14 is_masked out of range", evtchn_2l_is_masked(&si, 2000), 0);
        CHECK_EQ_CASE("EVT-14 page untouched", memcmp(&before, &si, sizeof(si)), 0);
    }
}

/* The glue's sequence for bind + send, end to end through shared_info. */
static void test_glue_flow(void)
{
    static struct shared_info si2;
    struct evtchn_notify n;
    uint32_t up, local;
    int rc;

    reset(0);
    memset(&si2, 0, sizeof(si2));
    up = alloc_unbound(1, false, DOMID_SELF, 2, &rc);
    local = bind(2, 1, up, &rc, &n);
    CHECK_EQ_CASE("EVT-7 glue marks the binder pending", evtchn_2l_set_pending(&si2, n.port), 1);
    CHECK_EQ_CASE("EVT-7 local port pending", evtchn_2l_is_pending(&si2, local), 1);
    CHECK_EQ_CASE("EVT-11 send", evtchn_send(&world, 2, local, &n), 0);
    CHECK_EQ_CASE("EVT-11 lands in dom1", evtchn_2l_set_pending(&si, n.port), 1);
    CHECK_EQ_CASE("EVT-11 dom1 sees up pending", evtchn_2l_is_pending(&si, up), 1);
    CHECK_EQ_CASE("EVT-10 close", evtchn_close(&world, 1, up, &n), 0);
    evtchn_2l_clear_pending(&si, n.port);
    CHECK_EQ_CASE("EVT-17 stale event cleared on close", evtchn_2l_is_pending(&si, up), 0);
    STEP_OK("glue flow");
}

int main(void)
{
    test_port_bounds();
    test_alloc_and_exhaustion();
    test_alloc_rules();
    test_bind_interdomain();
    test_send();
    test_virq();
    test_status();
    test_destroy();
    test_2l();
    test_glue_flow();
    return check_report();
}
