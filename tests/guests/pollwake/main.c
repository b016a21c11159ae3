/*
 * SCHED-5 under attack: a peer keeps an event pending on its channel to
 * the victim, so the selector bit of the victim's word 0 stays set. A
 * kernel with upcalls masked that then polls another port of that word
 * (Linux's PV spinlocks poll this way) must still wake when that port
 * fires: the polled port becoming pending ends the poll whatever the
 * selector and mask bits say. Before the fix the victim slept until its
 * own poll deadline (forever without one).
 *
 * cmdline "hostile peer=<id>": offer the victim port 3, wait for its
 * hello, send once and leave. cmdline "victim peer=<id>": bind, let the
 * hostile's event stay pending, then poll the timer port three ways
 * (alone, among several ports, masked) against a 20 ms timer.
 */
#include "events.h"
#include "pvtime.h"
#include "pv/errno.h"
#include "test.h"

#define HOSTILE_PORT 3u          /* the first port after the console's and the store's */
#define TIMER_NS     20000000ull /* 20 ms */
#define DEADLINE_NS  3000000000ull
#define LATE_NS      1000000000ull

static int32_t poll_ports(uint32_t *ports, uint32_t nr, uint64_t until)
{
    struct sched_poll poll;

    memset(&poll, 0, sizeof(poll));
    poll.ports = GPTR(ports);
    poll.nr_ports = nr;
    poll.timeout = until;
    return hcall2(__HYPERVISOR_sched_op, SCHEDOP_poll, GPTR(&poll));
}

static int pending(uint32_t port)
{
    return (pv_shared_info()->evtchn_pending[port / 32] >> (port % 32)) & 1;
}

static void hostile(domid_t victim)
{
    uint32_t port = 0;

    CHECK_RC("offer the victim a channel", evtchn_alloc_unbound_port(victim, &port), 0);
    CHECK_RC("it is port 3", port, HOSTILE_PORT);
    CHECK_RC("the victim's hello", events_wait(port, DEADLINE_NS), 0);
    CHECK_RC("one event the victim will not service", evtchn_send_port(port), 0);
    gprintf("hostile: left an event pending in the victim's word 0\n");
}

/*
 * Poll the timer port (and `extra` other ports) with a 20 ms timer set
 * and a 3 s deadline; the poll must end on the timer, well before the
 * deadline, while the hostile's port keeps word 0's selector bit set.
 */
static void poll_timer(const char *what, uint32_t timer, uint32_t hostile_port, uint32_t extra)
{
    struct vcpu_info *vi = &pv_shared_info()->vcpu_info[0];
    uint32_t ports[2] = { timer, hostile_port + 1 };
    uint64_t t0, late;

    events_test_and_clear(timer);
    CHECK_RC("the hostile's event is still pending", pending(hostile_port), 1);
    CHECK_RC("word 0's selector bit is still set", vi->evtchn_pending_sel & 1u, 1);
    t0 = pv_time_ns();
    CHECK_RC("set the timer", hcall2(__HYPERVISOR_set_timer_op, (uint32_t)(t0 + TIMER_NS),
                                     (uint32_t)((t0 + TIMER_NS) >> 32)), 0);
    while (!pending(timer) && pv_time_ns() < t0 + DEADLINE_NS)
        CHECK_RC(what, poll_ports(ports, 1 + extra, t0 + DEADLINE_NS), 0);
    late = pv_time_ns() - t0;
    CHECK_RC("the timer port is pending", pending(timer), 1);
    if (late > LATE_NS)
        guest_panic("%s: slept %u ms, until the poll's own deadline (lost wakeup)",
                    what, (uint32_t)(late / 1000000));
    gprintf("victim: %s woke after %u ms\n", what, (uint32_t)(late / 1000000));
}

static void victim(domid_t hostile_dom)
{
    struct shared_info *s = pv_shared_info();
    struct vcpu_info *vi = &s->vcpu_info[0];
    uint32_t port = 0, timer;

    vi->evtchn_upcall_mask = 1;              /* a kernel in a critical section */
    while (evtchn_bind_interdomain_port(hostile_dom, HOSTILE_PORT, &port) != 0)
        pv_sleep_ns(1000000);
    vi->evtchn_upcall_mask = 1;              /* pv_sleep_ns restores, to be sure */
    timer = pv_timer_port();
    CHECK_RC("the timer port is bound", timer != 0, 1);
    CHECK_RC("timer port and hostile port share word 0", timer / 32 + port / 32, 0);
    /* start clean, as after an upcall that scanned everything */
    events_test_and_clear(port);
    vi->evtchn_pending_sel = 0;
    vi->evtchn_upcall_pending = 0;
    CHECK_RC("hello", evtchn_send_port(port), 0);
    while (!pending(port))
        CHECK_RC("wait for the hostile's event", poll_ports(&port, 1, pv_time_ns() + DEADLINE_NS), 0);
    /* the event stays pending: word 0's selector bit stays set */
    poll_timer("SCHED-5 poll on the timer port alone", timer, port, 0);
    poll_timer("SCHED-5 poll on the timer port and another", timer, port, 1);
    s->evtchn_mask[timer / 32] |= 1u << (timer % 32);
    poll_timer("SCHED-5 poll on the masked timer port", timer, port, 0);
    s->evtchn_mask[timer / 32] &= ~(1u << (timer % 32));
    CHECK_RC("the victim still makes hypercalls", evtchn_send_port(port), 0);
    gprintf("victim: every poll woke on its port\n");
}

int guest_main(struct start_info *si)
{
    domid_t peer = (domid_t)test_cmdline_number(si->cmd_line, "peer=");

    CHECK_RC("map shared_info", pv_map_shared_info(), 0);
    if (!strncmp(si->cmd_line, "hostile", 7))
        hostile(peer);
    else
        victim(peer);
    test_finish();
}
