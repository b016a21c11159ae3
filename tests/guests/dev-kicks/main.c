/*
 * Kicks are never lost (DEV-9, DEV-14, spec/devices.md): while dom0 sits
 * in one `sleep`, this guest makes `rounds` round trips through each of
 * its devices:
 *
 *   block    one-sector reads, one in flight;
 *   console  single bytes written to the console ring, each waited for
 *            until dom0 has drained the ring;
 *   net      datagrams to the "echo" guest, each answered before the next
 *            is sent.
 *
 * Before each round trip it pauses PAUSE_NS, long enough for dom0 to run
 * out of work and go to sleep: each round trip then needs the kick to
 * wake dom0 (a dom0 woken only by its own 10 ms timeouts serves one round
 * trip per 10 ms at best). The scenario counts dom0's sleeps that an
 * event ended.
 *
 * Command line: "kicker rounds=<n> peer=<mac>" (with a vbd and a vif),
 * or "echo peer=<mac>": answer every ping until a "bye".
 */
#include "blkfront.h"
#include "consfront.h"
#include "devices.h"
#include "events.h"
#include "netfront.h"
#include "pv/errno.h"
#include "pvtime.h"
#include "test.h"

#define ETHERTYPE 0x88B6u
#define KIND_PING 1u
#define KIND_PONG 2u
#define KIND_BYE  3u

struct ping {
    uint8_t dst[6], src[6];
    uint8_t type[2];
    uint32_t kind, seq;
} __attribute__((packed));

#define PAUSE_NS 1000000ull

static uint8_t peer[6];
static uint8_t sector[4096];

static int send_kind(uint32_t kind, uint32_t seq)
{
    struct ping p;

    memcpy(p.dst, peer, 6);
    memcpy(p.src, netfront_mac(), 6);
    p.type[0] = ETHERTYPE >> 8;
    p.type[1] = ETHERTYPE & 0xFF;
    p.kind = kind;
    p.seq = seq;
    return netfront_send(&p, sizeof(p));
}

/* Wait for the peer's frame of `kind` and `seq` (others, late answers included, are skipped): 0 or -errno. */
static int recv_kind(uint32_t kind, uint32_t seq, uint64_t timeout_ns)
{
    struct ping p;

    for (;;) {
        int len = netfront_recv(&p, sizeof(p), timeout_ns);
        if (len < 0)
            return len;
        if ((uint32_t)len >= sizeof(p) && p.kind == kind && p.seq == seq && !memcmp(p.src, peer, 6))
            return 0;
    }
}

static uint32_t block_rounds(uint32_t n)
{
    uint32_t i;

    for (i = 0; i < n; i++) {
        pv_sleep_ns(PAUSE_NS);
        if (blkfront_io(BLKIF_OP_READ, i % blkfront_sectors(), 1, sector) != BLKIF_RSP_OKAY)
            break;
    }
    return i;
}

/* One byte, then wait until dom0 has taken everything from the ring. */
static uint32_t console_rounds(uint32_t n)
{
    struct xencons_interface *c = consfront_page();
    uint32_t port = start_info->console.domU.evtchn, i;

    for (i = 0; i < n; i++) {
        pv_sleep_ns(PAUSE_NS);
        if (consfront_write(i + 1 == n ? "\n" : (i % 100 == 99 ? "\n" : "."), 1))
            break;
        while (__atomic_load_n(&c->out_cons, __ATOMIC_SEQ_CST) !=
               __atomic_load_n(&c->out_prod, __ATOMIC_SEQ_CST))
            if (events_wait(port, 5000000000ull))
                return i;
    }
    return i;
}

static uint32_t net_rounds(uint32_t n)
{
    uint32_t i;

    for (i = 0; i < n; i++) {
        pv_sleep_ns(PAUSE_NS);
        if (send_kind(KIND_PING, i) || recv_kind(KIND_PONG, i, 5000000000ull))
            break;
    }
    return i;
}

static void kicker(uint32_t rounds)
{
    uint32_t blk, cons, net;
    uint64_t t0, t1;
    int rc = -ETIMEDOUT;
    uint32_t tries;

    CHECK_RC("open the block device", blkfront_open(), 0);
    CHECK_RC("open the console", consfront_open(), 0);
    /* the echo guest answers once its interface is up */
    for (tries = 0; tries < 100 && rc; tries++) {
        CHECK_RC("hello", send_kind(KIND_PING, 0xFFFFu), 0);
        rc = recv_kind(KIND_PONG, 0xFFFFu, 50000000ull);
    }
    CHECK_RC("the echo guest answers", rc, 0);
    t0 = pv_time_ns();
    blk = block_rounds(rounds);
    cons = console_rounds(rounds);
    net = net_rounds(rounds);
    t1 = pv_time_ns();
    send_kind(KIND_BYE, 0);
    netfront_flush(5000000000ull);
    gprintf("kicks: %u block reads, %u console drains, %u net round trips of %u (%u ms)\n", blk,
            cons, net, rounds, (uint32_t)((t1 - t0) / 1000000u));
    CHECK_RC("block round trips", blk, rounds);
    CHECK_RC("console round trips", cons, rounds);
    CHECK_RC("net round trips", net, rounds);
}

static void echo(void)
{
    struct ping p;
    uint32_t answered = 0;

    for (;;) {
        int len = netfront_recv(&p, sizeof(p), 30000000000ull);
        if (len < 0)
            break;
        if ((uint32_t)len < sizeof(p) || memcmp(p.src, peer, 6))
            continue;
        if (p.kind == KIND_BYE)
            break;
        if (p.kind == KIND_PING && !send_kind(KIND_PONG, p.seq))
            answered++;
    }
    gprintf("echo: answered %u pings\n", answered);
}

int guest_main(struct start_info *si)
{
    const char *p = strstr(si->cmd_line, "peer=");
    const char *r = strstr(si->cmd_line, "rounds=");
    uint32_t rounds = 0;

    test_check("peer MAC given", p && devices_parse_mac(p + 5, peer, NULL));
    CHECK_RC("open the interface", netfront_open(), 0);
    if (test_failures)
        test_finish();
    for (r = r ? r + 7 : ""; *r >= '0' && *r <= '9' && rounds < 100000u; r++)
        rounds = rounds * 10u + (uint32_t)(*r - '0');
    if (!strncmp(si->cmd_line, "kicker", 6))
        kicker(rounds);
    else
        echo();
    test_finish();
}
