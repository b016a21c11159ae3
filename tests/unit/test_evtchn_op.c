/*
 * event_channel_op and SCHEDOP_poll as the hypervisor runs them
 * (hv/core/evtchn_op.c): the argument copied in once and out on success,
 * every error path with Xen's error, and what reaches guest-visible state
 * (pending and mask bits in shared_info, a wake-up asked of env.h). The
 * port-table rules themselves are test_evtchn.c's.
 */
#include <stddef.h>

#include "check.h"
#include "env.h"
#include "evtchn_2l.h"
#include "evtchn_op.h"
#include "hosted_env.h"
#include "pv/sched.h"
#include "pv/shared_info.h"

#define NR_DOMS   4u               /* ids 0 (privileged), 1, 2; 3 no such domain */
#define WIN_VA    0x10000000u
#define WIN_LEN   0x2000u
#define SMALL_MAX 8u               /* dom1's max_ports, so its bound is reachable */

static struct evtchn_domain tables[NR_DOMS];
static struct evtchn_domain *slots[NR_DOMS];
static struct evtchn_world world = { slots, NR_DOMS };
static uint8_t win[WIN_LEN];

static void reset(void)
{
    unsigned i;

    hosted_env_init(8);
    hosted_guest_window(WIN_VA, win, WIN_LEN);
    memset(win, 0, sizeof(win));
    hosted_desc_evt_reset(true);
    for (i = 0; i < NR_DOMS; i++)
        slots[i] = NULL;
    for (i = 0; i < 3; i++) {
        evtchn_domain_init(&tables[i], (domid_t)i, i == 1 ? SMALL_MAX : 0);
        slots[i] = &tables[i];
        hosted_set_shared_info((uint16_t)i, i + 1u);            /* frames 1..3 */
    }
}

static struct shared_info *si(uint32_t dom)
{
    return (struct shared_info *)(void *)hosted_frame(dom + 1u);
}

static struct evtchn_call as(domid_t dom)
{
    struct evtchn_call c = { &world, dom, dom == 0 };

    return c;
}

/* Put `len` bytes at offset `off` of the window and run op `cmd` as `dom` on them. */
static int32_t run(domid_t dom, uint32_t cmd, const void *arg, uint32_t len, uint32_t off)
{
    struct evtchn_call c = as(dom);

    memcpy(win + off, arg, len);
    return evtchn_op(&c, cmd, guest_ptr(WIN_VA + off));
}

static uint32_t alloc_unbound(domid_t dom, domid_t remote)
{
    struct evtchn_alloc_unbound a = { DOMID_SELF, remote, 0 };

    CHECK_EQ(run(dom, EVTCHNOP_alloc_unbound, &a, sizeof(a), 0), 0);
    memcpy(&a, win, sizeof(a));
    return a.port;
}

/* dom0 port <-> dom2 port: the two ends of a new channel. */
static void connect(uint32_t *p0, uint32_t *p2)
{
    struct evtchn_bind_interdomain b = { 2, 0, 0, 0 };

    b.remote_port = alloc_unbound(2, 0);
    CHECK_EQ(run(0, EVTCHNOP_bind_interdomain, &b, sizeof(b), 0), 0);
    memcpy(&b, win, sizeof(b));
    *p0 = b.local_port;
    *p2 = b.remote_port;
}

static void test_decode(void)
{
    static const uint32_t unserved[] = { EVTCHNOP_bind_pirq, EVTCHNOP_reset,
                                         EVTCHNOP_init_control, EVTCHNOP_expand_array,
                                         EVTCHNOP_set_priority, EVTCHNOP_reset_cont, 15,
                                         0xFFFFFFFFu };
    struct evtchn_call c;
    struct evtchn_alloc_unbound a = { DOMID_SELF, 2, 0 };
    unsigned i;

    reset();
    c = as(1);
    for (i = 0; i < ARRAY_SIZE(unserved); i++)
        CHECK_EQ_CASE("EVTCHNOP not served is -ENOSYS",
                      evtchn_op(&c, unserved[i], guest_ptr(WIN_VA)), -ENOSYS);
    CHECK_EQ_CASE("argument outside guest memory is -EFAULT",
                  evtchn_op(&c, EVTCHNOP_alloc_unbound, guest_ptr(0)), -EFAULT);
    CHECK_EQ_CASE("argument straddling the end is -EFAULT",
                  run(1, EVTCHNOP_alloc_unbound, &a, 4, WIN_LEN - 4), -EFAULT);
    CHECK_EQ_CASE("argument in the hypervisor is -EFAULT",
                  evtchn_op(&c, EVTCHNOP_send, guest_ptr(0xF5800000u)), -EFAULT);
    CHECK_EQ_CASE("-EFAULT allocated nothing", evtchn_find_free(&tables[1]), 1);
    CHECK_EQ_CASE("compat: cmd unreadable is -EFAULT",
                  evtchn_op_compat(&c, guest_ptr(WIN_VA + WIN_LEN - 2)), -EFAULT);
    CHECK_EQ(hosted_live_maps(), 0);
}

static void test_copy_out(void)
{
    struct evtchn_alloc_unbound a = { DOMID_SELF, 2, 0xAAAAu };
    struct evtchn_status st;
    struct {
        uint32_t cmd;
        struct evtchn_alloc_unbound a;
    } compat = { EVTCHNOP_alloc_unbound, { DOMID_SELF, 0, 0 } };
    struct evtchn_call c;

    reset();
    CHECK_EQ_CASE("EVT-5 alloc_unbound", run(1, EVTCHNOP_alloc_unbound, &a, sizeof(a), 0x10), 0);
    memcpy(&a, win + 0x10, sizeof(a));
    CHECK_EQ_CASE("EVT-5 the port is copied out", a.port, 1);
    a.dom = 2;
    a.port = 0x5555u;
    CHECK_EQ_CASE("EVT-5 another domain's port: -EPERM",
                  run(1, EVTCHNOP_alloc_unbound, &a, sizeof(a), 0x10), -EPERM);
    memcpy(&a, win + 0x10, sizeof(a));
    CHECK_EQ_CASE("an error copies nothing out", a.port, 0x5555u);
    memset(&st, 0, sizeof(st));
    st.dom = DOMID_SELF;
    st.port = 1;
    CHECK_EQ_CASE("EVT-12 status", run(1, EVTCHNOP_status, &st, sizeof(st), 0x40), 0);
    memcpy(&st, win + 0x40, sizeof(st));
    CHECK_EQ_CASE("EVT-12 status copied out", st.status, EVTCHNSTAT_unbound);
    CHECK_EQ_CASE("EVT-12 status names the remote", st.u.unbound.dom, 2);
    c = as(2);
    memcpy(win + 0x80, &compat, sizeof(compat));
    CHECK_EQ_CASE("compat form runs the op at +4",
                  evtchn_op_compat(&c, guest_ptr(WIN_VA + 0x80)), 0);
    memcpy(&compat, win + 0x80, sizeof(compat));
    CHECK_EQ_CASE("compat form copies out at +4", compat.a.port, 1);
    CHECK_EQ(hosted_live_maps(), 0);
}

static void test_delivery(void)
{
    struct evtchn_send s;
    struct evtchn_close cl;
    uint32_t p0, p2;

    reset();
    connect(&p0, &p2);
    CHECK_EQ_CASE("EVT-7 the new local port is marked pending",
                  evtchn_2l_is_pending(si(0), p0), 1);
    CHECK_EQ_CASE("EVT-15 binding kicks the binder", hosted_desc_evt()->kicks, 1);
    s.port = p0;
    CHECK_EQ_CASE("EVT-11 send", run(0, EVTCHNOP_send, &s, sizeof(s), 0), 0);
    CHECK_EQ_CASE("EVT-11 the peer's port is pending", evtchn_2l_is_pending(si(2), p2), 1);
    CHECK_EQ_CASE("EVT-15 the peer is kicked", hosted_desc_evt()->last_kick_dom, 2);
    CHECK_EQ_CASE("EVT-15 its upcall is due", si(2)->vcpu_info[0].evtchn_upcall_pending, 1);
    CHECK_EQ(run(0, EVTCHNOP_send, &s, sizeof(s), 0), 0);
    CHECK_EQ_CASE("EVT-15 an already pending port kicks no more", hosted_desc_evt()->kicks, 2);
    s.port = SMALL_MAX;
    CHECK_EQ_CASE("EVT-1 send past the table", run(1, EVTCHNOP_send, &s, sizeof(s), 0), -EINVAL);
    s.port = 3;
    CHECK_EQ_CASE("EVT-11 send on a free port", run(1, EVTCHNOP_send, &s, sizeof(s), 0), -EINVAL);
    /* the peer stops running: the event is dropped, the send still succeeds */
    evtchn_2l_clear_pending(si(2), p2);
    hosted_set_shared_info(2, INVALID_MFN);
    s.port = p0;
    CHECK_EQ_CASE("EVT-11 send to a domain not running", run(0, EVTCHNOP_send, &s, sizeof(s), 0), 0);
    CHECK_EQ_CASE("EVT-11 ... writes nothing", evtchn_2l_is_pending(si(2), p2), 0);
    CHECK_EQ_CASE("EVT-11 ... wakes nobody", hosted_desc_evt()->kicks, 2);
    hosted_set_shared_info(2, 3);
    /* masked: pending but no kick */
    si(2)->evtchn_mask[p2 / 32] |= 1u << (p2 % 32);
    CHECK_EQ(run(0, EVTCHNOP_send, &s, sizeof(s), 0), 0);
    CHECK_EQ_CASE("EVT-15 masked port: pending", evtchn_2l_is_pending(si(2), p2), 1);
    CHECK_EQ_CASE("EVT-15 masked port: no kick", hosted_desc_evt()->kicks, 2);
    /* close clears the closer's pending bit */
    cl.port = p2;
    CHECK_EQ_CASE("EVT-10 close", run(2, EVTCHNOP_close, &cl, sizeof(cl), 0), 0);
    CHECK_EQ_CASE("EVT-17 the closed port's pending bit is cleared",
                  evtchn_2l_is_pending(si(2), p2), 0);
    CHECK_EQ_CASE("EVT-10 close twice", run(2, EVTCHNOP_close, &cl, sizeof(cl), 0), -EINVAL);
    cl.port = 0;
    CHECK_EQ_CASE("EVT-2 close(0)", run(2, EVTCHNOP_close, &cl, sizeof(cl), 0), -EINVAL);
    CHECK_EQ(hosted_live_maps(), 0);
}

static void test_unmask_vcpu(void)
{
    struct evtchn_unmask u;
    struct evtchn_bind_vcpu bv;
    uint32_t p;

    reset();
    p = alloc_unbound(1, 1);
    si(1)->evtchn_mask[0] = 0xFFFFFFFFu;
    si(1)->evtchn_pending[0] = 1u << p;
    u.port = SMALL_MAX;
    CHECK_EQ_CASE("EVT-1 unmask past the table", run(1, EVTCHNOP_unmask, &u, sizeof(u), 0), -EINVAL);
    CHECK_EQ_CASE("EVT-1 ... leaves the mask", si(1)->evtchn_mask[0], 0xFFFFFFFFu);
    u.port = p;
    CHECK_EQ_CASE("EVT-16 unmask", run(1, EVTCHNOP_unmask, &u, sizeof(u), 0), 0);
    CHECK_EQ_CASE("EVT-16 the bit is clear", si(1)->evtchn_mask[0], ~(1u << p));
    CHECK_EQ_CASE("EVT-16 a pending port raises the upcall",
                  si(1)->vcpu_info[0].evtchn_upcall_pending, 1);
    u.port = 0;
    CHECK_EQ_CASE("EVT-2 unmask(0) is harmless", run(1, EVTCHNOP_unmask, &u, sizeof(u), 0), 0);
    hosted_set_shared_info(1, INVALID_MFN);
    u.port = p;
    CHECK_EQ_CASE("EVT-16 no page: accepted, nothing written",
                  run(1, EVTCHNOP_unmask, &u, sizeof(u), 0), 0);
    bv.port = p;
    bv.vcpu = 1;
    CHECK_EQ_CASE("bind_vcpu to vCPU 1", run(1, EVTCHNOP_bind_vcpu, &bv, sizeof(bv), 0), -ENOENT);
    bv.vcpu = 0;
    CHECK_EQ_CASE("bind_vcpu to vCPU 0", run(1, EVTCHNOP_bind_vcpu, &bv, sizeof(bv), 0), 0);
    CHECK_EQ(hosted_live_maps(), 0);
}

/* EVT-8, TIME-6: a VIRQ reaches a guest only through the channel it bound. */
static void test_virq(void)
{
    struct evtchn_bind_virq bv = { VIRQ_TIMER, 0, 0 };
    struct evtchn_bind_ipi bi = { 0, 0 };

    reset();
    CHECK_EQ_CASE("EVT-8 VIRQ not bound: dropped", evtchn_raise_virq(&world, 2, VIRQ_TIMER), 0);
    CHECK_EQ_CASE("EVT-8 ... no kick", hosted_desc_evt()->kicks, 0);
    CHECK_EQ_CASE("EVT-8 bind_virq", run(2, EVTCHNOP_bind_virq, &bv, sizeof(bv), 0), 0);
    memcpy(&bv, win, sizeof(bv));
    CHECK_EQ_CASE("EVT-8 raise", evtchn_raise_virq(&world, 2, VIRQ_TIMER), 0);
    CHECK_EQ_CASE("EVT-8 its port is pending", evtchn_2l_is_pending(si(2), bv.port), 1);
    CHECK_EQ_CASE("EVT-8 the domain is kicked", hosted_desc_evt()->last_kick_dom, 2);
    CHECK_EQ_CASE("EVT-8 virq out of range", evtchn_raise_virq(&world, 2, NR_VIRQS), -EINVAL);
    CHECK_EQ_CASE("EVT-8 no such domain", evtchn_raise_virq(&world, 3, VIRQ_TIMER), -ESRCH);
    CHECK_EQ_CASE("EVT-9 bound twice", run(2, EVTCHNOP_bind_virq, &bv, sizeof(bv), 0), -EEXIST);
    bi.vcpu = 1;
    CHECK_EQ_CASE("bind_ipi on vCPU 1", run(2, EVTCHNOP_bind_ipi, &bi, sizeof(bi), 0), -ENOENT);
    CHECK_EQ(hosted_live_maps(), 0);
}

static int32_t poll(domid_t dom, uint32_t nr, const uint32_t *ports, uint32_t ports_va,
                    uint64_t timeout)
{
    struct sched_poll p;
    struct evtchn_call c = as(dom);

    memset(&p, 0, sizeof(p));
    p.ports = ports_va;
    p.nr_ports = nr;
    p.timeout = timeout;
    if (ports)
        memcpy(win + 0x100, ports, nr * 4u);
    memcpy(win, &p, sizeof(p));
    return evtchn_poll(&c, guest_ptr(WIN_VA));
}

static void test_poll(void)
{
    uint32_t ports[3], p0, p2;
    struct evtchn_call c;

    reset();
    connect(&p0, &p2);
    c = as(2);
    CHECK_EQ_CASE("SCHED-5 argument unreadable", evtchn_poll(&c, guest_ptr(0)), -EFAULT);
    CHECK_EQ_CASE("SCHED-5 more than 128 ports",
                  poll(2, SCHED_POLL_MAX_PORTS + 1, NULL, WIN_VA + 0x100, 0), -EINVAL);
    CHECK_EQ_CASE("SCHED-5 port list unreadable", poll(2, 1, NULL, 0x1000u, 0), -EFAULT);
    ports[0] = EVTCHN_NR_PORTS;
    CHECK_EQ_CASE("EVT-1 poll on a port past the table", poll(2, 1, ports, WIN_VA + 0x100, 0),
                  -EINVAL);
    ports[0] = SMALL_MAX;
    ports[1] = SMALL_MAX;
    CHECK_EQ_CASE("EVT-1 poll past a small table", poll(1, 2, ports, WIN_VA + 0x100, 0), -EINVAL);
    CHECK_EQ_CASE("SCHED-5 no such domain", poll(3, 0, NULL, WIN_VA + 0x100, 0), -ESRCH);
    CHECK_EQ_CASE("errors never sleep", hosted_desc_evt()->poll_blocks, 0);
    ports[0] = 5;
    ports[1] = p2;
    CHECK_EQ_CASE("SCHED-5 nothing pending", poll(2, 2, ports, WIN_VA + 0x100, 777), 0);
    CHECK_EQ_CASE("SCHED-5 ... sleeps", hosted_desc_evt()->poll_blocks, 1);
    CHECK_EQ_CASE("SCHED-5 ... until the timeout", hosted_desc_evt()->last_poll_timeout, 777);
    evtchn_2l_set_pending(si(2), p2);
    CHECK_EQ_CASE("SCHED-5 one pending", poll(2, 2, ports, WIN_VA + 0x100, 0), 0);
    CHECK_EQ_CASE("SCHED-5 ... does not sleep", hosted_desc_evt()->poll_blocks, 1);
    CHECK_EQ(hosted_live_maps(), 0);
}

/*
 * SCHED-5: a poller wakes when a port it polls becomes pending, even when
 * the port's selector bit is already set by another port of its word (so
 * no upcall edge is raised) or the port is masked: a peer that leaves an
 * event pending must not be able to keep another port's poll asleep.
 */
static void test_poll_wakes(void)
{
    struct evtchn_bind_virq bv = { VIRQ_TIMER, 0, 0 };
    struct evtchn_send s;
    uint32_t ports[2], p0, p2, v;
    unsigned kicks;

    reset();
    connect(&p0, &p2);
    si(2)->vcpu_info[0].evtchn_upcall_mask = 1;         /* a kernel polling with events masked */
    CHECK_EQ(run(2, EVTCHNOP_bind_virq, &bv, sizeof(bv), 0), 0);
    memcpy(&bv, win, sizeof(bv));
    v = bv.port;
    CHECK_EQ_CASE("same word as the peer's port", v / 32, p2 / 32);
    s.port = p0;
    CHECK_EQ(run(0, EVTCHNOP_send, &s, sizeof(s), 0), 0);     /* p2 left pending */
    ports[0] = v;
    CHECK_EQ_CASE("SCHED-5 poll on the timer port", poll(2, 1, ports, WIN_VA + 0x100, 0), 0);
    CHECK_EQ_CASE("SCHED-5 ... sleeps", hosted_desc_evt()->poll_blocks, 1);
    kicks = hosted_desc_evt()->kicks;
    CHECK_EQ(evtchn_raise_virq(&world, 2, VIRQ_TIMER), 0);
    CHECK_EQ_CASE("SCHED-5 the polled port wakes it with its selector already set",
                  hosted_desc_evt()->kicks, kicks + 1);
    CHECK_EQ_CASE("SCHED-5 ... the poller", hosted_desc_evt()->last_kick_dom, 2);
    CHECK_EQ(evtchn_raise_virq(&world, 2, VIRQ_TIMER), 0);
    CHECK_EQ_CASE("SCHED-5 the poll is over: no second kick", hosted_desc_evt()->kicks, kicks + 1);

    /* masked and polled: still wakes */
    evtchn_2l_clear_pending(si(2), v);
    si(2)->evtchn_mask[v / 32] |= 1u << (v % 32);
    CHECK_EQ(poll(2, 1, ports, WIN_VA + 0x100, 0), 0);
    CHECK_EQ(evtchn_raise_virq(&world, 2, VIRQ_TIMER), 0);
    CHECK_EQ_CASE("SCHED-5 a masked polled port wakes it", hosted_desc_evt()->kicks, kicks + 2);

    /* a single-port poll is not ended by another port */
    evtchn_2l_clear_pending(si(2), v);
    evtchn_2l_clear_pending(si(2), p2);
    si(2)->evtchn_mask[p2 / 32] |= 1u << (p2 % 32);
    CHECK_EQ(poll(2, 1, ports, WIN_VA + 0x100, 0), 0);
    CHECK_EQ(run(0, EVTCHNOP_send, &s, sizeof(s), 0), 0);
    CHECK_EQ_CASE("SCHED-5 another (masked) port does not end a one-port poll",
                  hosted_desc_evt()->kicks, kicks + 2);

    /* several ports: any port of the domain ends it, as Xen */
    evtchn_2l_clear_pending(si(2), p2);
    ports[1] = 5;
    CHECK_EQ(poll(2, 2, ports, WIN_VA + 0x100, 0), 0);
    CHECK_EQ(run(0, EVTCHNOP_send, &s, sizeof(s), 0), 0);
    CHECK_EQ_CASE("SCHED-5 any port ends a poll on several", hosted_desc_evt()->kicks, kicks + 3);

    /* a domain that blocks instead no longer polls */
    evtchn_2l_clear_pending(si(2), p2);
    CHECK_EQ(poll(2, 2, ports, WIN_VA + 0x100, 0), 0);
    evtchn_poll_end(&world, 2);
    CHECK_EQ(run(0, EVTCHNOP_send, &s, sizeof(s), 0), 0);
    CHECK_EQ_CASE("SCHED-5 an ended poll wakes on no masked port", hosted_desc_evt()->kicks,
                  kicks + 3);
    CHECK_EQ(hosted_live_maps(), 0);
}

/*
 * SCHED-5: two cases where Xen's do_poll does not leave the
 * caller asleep and this one does.
 *  - Xen checks local_events_need_delivery() before sleeping: a caller
 *    with an upcall pending and events unmasked returns at once.
 *  - A one-port poll of port 0 records poll_evtchn 0, which Xen's
 *    evtchn_check_pollers treats as "any port" (poll_evtchn <= 0).
 */
static void test_poll_as_xen(void)
{
    struct evtchn_send s;
    uint32_t ports[1], p0, p2;
    unsigned kicks;

    reset();
    connect(&p0, &p2);
    si(2)->vcpu_info[0].evtchn_upcall_pending = 1;
    si(2)->vcpu_info[0].evtchn_upcall_mask = 0;
    ports[0] = 5;
    CHECK_EQ(poll(2, 1, ports, WIN_VA + 0x100, 0), 0);
    CHECK_EQ_CASE("SCHED-5 an upcall due now: the poll does not sleep (Xen local_events_need_delivery)",
                  hosted_desc_evt()->poll_blocks, 0);

    reset();
    connect(&p0, &p2);
    si(2)->vcpu_info[0].evtchn_upcall_mask = 1;
    si(2)->evtchn_mask[p2 / 32] |= 1u << (p2 % 32);  /* no upcall edge can kick it */
    ports[0] = 0;
    CHECK_EQ(poll(2, 1, ports, WIN_VA + 0x100, 0), 0);
    kicks = hosted_desc_evt()->kicks;
    s.port = p0;
    CHECK_EQ(run(0, EVTCHNOP_send, &s, sizeof(s), 0), 0);
    CHECK_EQ_CASE("SCHED-5 a poll of port 0 alone is ended by any port (Xen poll_evtchn 0)",
                  hosted_desc_evt()->kicks, kicks + 1);
    CHECK_EQ(hosted_live_maps(), 0);
}

int main(void)
{
    test_decode();
    test_copy_out();
    test_delivery();
    test_unmask_vcpu();
    test_virq();
    test_poll();
    test_poll_wakes();
    test_poll_as_xen();
    return check_report();
}
