/*
 * Event-channel ping-pong between two guests (spec/events.md). The
 * "ping" side (cmdline "ping peer=<id>") allocates an unbound port for its
 * peer, which is therefore port 3 (the builder gave port 1 to the PV
 * console, spec/devices.md, and port 2 to the store, spec/xenstore.md
 * XS-10); the "pong" side (cmdline
 * "pong peer=<id>") binds to it. Then ping sends, pong answers, N rounds,
 * each side sleeping in SCHEDOP_poll until its port fires. Both report
 * the rounds and the mean round trip; closing a port leaves the peer's
 * end unbound, which pong checks with EVTCHNOP_status. Ping also prints
 * BENCH lines that `make bench` tabulates (tests/bench/README.md).
 */
#include "events.h"
#include "pvtime.h"
#include "pv/errno.h"
#include "pv/version.h"
#include "test.h"

#define ROUNDS 1000u
#define NULL_CALLS 1001u
#define PING_PORT 3u    /* the first port after the console's and the store's */

static void wait_for(uint32_t port)
{
    struct sched_poll poll;

    memset(&poll, 0, sizeof(poll));
    poll.ports = GPTR(&port);
    poll.nr_ports = 1;
    poll.timeout = pv_time_ns() + 2000000000ull;
    while (!events_test_and_clear(port)) {
        pv_shared_info()->vcpu_info[0].evtchn_upcall_pending = 0;
        pv_shared_info()->vcpu_info[0].evtchn_pending_sel = 0;
        if (pv_time_ns() > poll.timeout)
            guest_panic("no event on port %u for 2 s", port);
        hcall2(__HYPERVISOR_sched_op, SCHEDOP_poll, GPTR(&poll));
    }
}

/*
 * For make bench: TSC cycles (not ns) so the domain-switch figure can sit
 * beside the null hypercall measured by this same domain; the TSC is one
 * clock for both domains, as they share the CPU.
 */
static inline uint64_t tsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}

static uint32_t rtt_cycles[ROUNDS], null_cycles[NULL_CALLS];

static uint32_t median(uint32_t *v, uint32_t n)
{
    uint32_t i, j;

    for (i = 1; i < n; i++) {           /* insertion sort: n is small */
        uint32_t x = v[i];
        for (j = i; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
    return v[n / 2];
}

static uint32_t null_hypercall_cycles(void)
{
    uint32_t i;

    for (i = 0; i < NULL_CALLS; i++) {
        uint64_t t0 = tsc();
        hcall2(__HYPERVISOR_xen_version, XENVER_version, 0);
        null_cycles[i] = (uint32_t)(tsc() - t0);
    }
    return median(null_cycles, NULL_CALLS);
}

static void ping(domid_t peer)
{
    uint32_t port = 0, i, null_hc;
    uint64_t t0;

    CHECK_RC("alloc_unbound for the peer", evtchn_alloc_unbound_port(peer, &port), 0);
    CHECK_RC("it is port 3", port, PING_PORT);
    /* The baseline comes first: after the rounds pong only waits 50 ms
     * for our close, which a slow host could overrun. */
    null_hc = null_hypercall_cycles();
    wait_for(port);                          /* pong's hello: it has bound */
    t0 = pv_time_ns();
    for (i = 0; i < ROUNDS; i++) {
        uint64_t c0 = tsc();
        CHECK_RC("send", evtchn_send_port(port), 0);
        wait_for(port);
        rtt_cycles[i] = (uint32_t)(tsc() - c0);
    }
    gprintf("ping: %u round trips, %u ns each\n", ROUNDS, (uint32_t)((pv_time_ns() - t0) / ROUNDS));
    gprintf("BENCH event-channel-round-trip(ns) %u timer-tick(ns) 1000000\n",
            (uint32_t)((pv_time_ns() - t0) / ROUNDS));
    /*
     * A round trip is two switches between domains that both sleep in
     * SCHEDOP_poll (send, block, switch, wake; and back), so half its
     * median is one domain switch including the event that causes it.
     */
    gprintf("BENCH domain-switch(evtchn-RTT/2,SCHEDOP_poll) %u null-hypercall(xen_version) %u\n",
            median(rtt_cycles, ROUNDS) / 2, null_hc);
    CHECK_RC("close", evtchn_close_port(port), 0);
}

static void pong(domid_t peer)
{
    struct evtchn_status st;
    uint32_t port = 0, i;

    while (evtchn_bind_interdomain_port(peer, PING_PORT, &port) != 0)
        pv_sleep_ns(1000000);
    events_test_and_clear(port);             /* binding marks our new port pending */
    CHECK_RC("hello", evtchn_send_port(port), 0);
    for (i = 0; i < ROUNDS; i++) {
        wait_for(port);
        evtchn_send_port(port);
    }
    pv_sleep_ns(50000000);                   /* ping closes its end meanwhile */
    memset(&st, 0, sizeof(st));
    st.dom = DOMID_SELF;
    st.port = port;
    CHECK_RC("status", hcall2(__HYPERVISOR_event_channel_op, EVTCHNOP_status, GPTR(&st)), 0);
    CHECK_RC("the peer closed: our end is unbound again", st.status, EVTCHNSTAT_unbound);
    CHECK_RC("sending on it now goes nowhere", evtchn_send_port(port), 0);
    CHECK_RC("a port we do not hold", evtchn_send_port(77), -EINVAL);
    gprintf("pong: answered %u pings\n", ROUNDS);
}

int guest_main(struct start_info *si)
{
    domid_t peer = (domid_t)test_cmdline_number(si->cmd_line, "peer=");

    CHECK_RC("map shared_info", pv_map_shared_info(), 0);
    if (!strncmp(si->cmd_line, "ping", 4))
        ping(peer);
    else
        pong(peer);
    test_finish();
}
