/*
 * Attack on the bridge (DEV-11, DEV-12, DEV-13, spec/devices.md;
 * BSA-2026-6), from guests with interfaces of their own, beside two
 * victims that trade datagrams (tests/guests/netdgram: "a" sends to "b").
 *
 * "fill n=<count>", before the victims exist: frames from `count`
 *    invented source addresses, which once filled the bridge's address
 *    table so that interfaces attached later were never known. Each must
 *    be refused (NETIF_RSP_DROPPED). The filler then stops, its interface
 *    still attached.
 * "spy a=<mac> b=<mac> [flood=<n>]", while the victims run, until "b"
 *    says bye, round after round: claim each victim's MAC as our source
 *    towards the other and towards everyone (every one refused), flood
 *    n broadcasts (16 by default) from our own MAC as fast as the ring
 *    takes them (at most BURST + one per interval accepted), and read
 *    everything the bridge gives us: a frame addressed to another station
 *    is an interception.
 */
#include "devices.h"
#include "netfront.h"
#include "pv/errno.h"
#include "pvtime.h"
#include "test.h"

#define ETHERTYPE       0x88B5u         /* netdgram's */
#define KIND_SPOOF      3u
#define KIND_BYE        4u
#define KIND_FLOOD      7u
#define BURST           32u             /* dom0/bridge.h: BRIDGE_FLOOD_BURST */
#define INTERVAL_NS     5000000ull      /* dom0/bridge.h: BRIDGE_FLOOD_INTERVAL_NS */
#define GIVE_UP_NS      150000000000ull
#define FLUSH_NS        60000000000ull  /* dom0 is slow with the audit on */

struct frame {
    uint8_t dst[6], src[6];
    uint8_t type[2];
    uint32_t kind, seq, len, sum;
    uint8_t pad[32];
} __attribute__((packed));

static const uint8_t everyone[6] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
static uint8_t mac_a[6], mac_b[6];
static uint32_t fill_count, flood_batch = 16;
static struct frame out, in;

static int send_frame(const uint8_t dst[6], const uint8_t src[6], uint32_t kind, uint32_t seq)
{
    uint32_t tries;
    int rc = -ETIMEDOUT;

    memset(&out, 0, sizeof(out));
    memcpy(out.dst, dst, 6);
    memcpy(out.src, src, 6);
    out.type[0] = ETHERTYPE >> 8;
    out.type[1] = ETHERTYPE & 0xFF;
    out.kind = kind;
    out.seq = seq;
    /* netfront gives up on a backend silent for 5 s; with the audit on,
     * dom0 can be that slow to free a buffer, and that is no refusal */
    for (tries = 0; tries < 12; tries++) {
        rc = netfront_send(&out, sizeof(out));
        if (rc != -ETIMEDOUT)
            break;
    }
    return rc;
}

/* Send, flush, and count how many of what was sent since `before` the bridge refused. */
static uint32_t refused_since(uint32_t before)
{
    CHECK_RC("flush", netfront_flush(FLUSH_NS), 0);
    return netfront_tx_dropped() - before;
}

/* Invented source addresses (unicast and broadcast destinations). */
static void fill_table(void)
{
    uint8_t src[6] = { 0x02, 0xBA, 0xD0, 0, 0, 0 }, dst[6] = { 0x02, 0xDE, 0xAD, 0, 0, 0 };
    uint32_t before = netfront_tx_dropped(), i, refused;

    for (i = 0; i < fill_count; i++) {
        src[4] = dst[4] = (uint8_t)(i >> 8);
        src[5] = dst[5] = (uint8_t)i;
        CHECK_RC("send", send_frame(i % 2 ? everyone : dst, src, KIND_FLOOD, i), 0);
    }
    refused = refused_since(before);
    gprintf("ATTACK DEV-11 bridge: %u frames from invented sources, %u refused\n", fill_count,
            refused);
    CHECK_RC("every invented source refused", refused, fill_count);
}

struct tally {
    uint32_t spoofs, spoofs_refused, floods, floods_taken, intercepted, broadcasts;
    bool bye;
};

/* Take whatever the bridge gave us. */
static void take_received(struct tally *t)
{
    while (netfront_recv(&in, sizeof(in), 1000000ull) > 0) {
        if (!memcmp(in.dst, netfront_mac(), 6))
            continue;
        if (in.dst[0] & 1) {
            t->broadcasts++;
            t->bye |= !memcmp(in.src, mac_b, 6) && in.kind == KIND_BYE;
            continue;
        }
        t->intercepted++;
        gprintf("ATTACK DEV-12 bridge: intercepted a frame for %02x:%02x:%02x:%02x:%02x:%02x\n",
                in.dst[0], in.dst[1], in.dst[2], in.dst[3], in.dst[4], in.dst[5]);
    }
}

/* One round of spoofs, one burst of floods, then take what came. */
static void round_of(struct tally *t, uint32_t seq)
{
    uint32_t before = netfront_tx_dropped(), i, refused;

    send_frame(mac_b, mac_a, KIND_SPOOF, seq);
    send_frame(mac_a, mac_b, KIND_SPOOF, seq);
    send_frame(everyone, mac_a, KIND_SPOOF, seq);
    t->spoofs += 3;
    t->spoofs_refused += refused_since(before);
    before = netfront_tx_dropped();
    for (i = 0; i < flood_batch; i++)
        send_frame(everyone, netfront_mac(), KIND_FLOOD, seq);
    refused = refused_since(before);
    t->floods += flood_batch;
    t->floods_taken += flood_batch - refused;
    take_received(t);
}

static void spy(void)
{
    struct tally t;
    uint64_t t0, t1;
    uint32_t seq, allowed;

    memset(&t, 0, sizeof(t));
    t0 = pv_time_ns();
    for (seq = 0; !t.bye && !test_failures && pv_time_ns() - t0 < GIVE_UP_NS; seq++)
        round_of(&t, seq);
    t1 = pv_time_ns();
    allowed = BURST + (uint32_t)((t1 - t0) / INTERVAL_NS) + 1u;
    gprintf("ATTACK DEV-11 bridge: %u of %u frames claiming a victim's MAC refused\n",
            t.spoofs_refused, t.spoofs);
    gprintf("ATTACK DEV-12 bridge: %u frames for other stations intercepted, %u broadcasts seen\n",
            t.intercepted, t.broadcasts);
    gprintf("ATTACK DEV-13 bridge: %u of %u floods taken in %u ms (budget %u)\n", t.floods_taken,
            t.floods, (uint32_t)((t1 - t0) / 1000000u), allowed);
    test_check("the victims finished (bye seen)", t.bye);
    CHECK_RC("every spoofed frame refused", t.spoofs_refused, t.spoofs);
    CHECK_RC("nothing intercepted", t.intercepted, 0);
    test_check("floods within the budget", t.floods_taken <= allowed);
}

/* The decimal after " key=" on the command line, or `dflt`. */
static uint32_t arg_number(const char *key, uint32_t dflt)
{
    const char *p = strstr(start_info->cmd_line, key);
    uint32_t v = 0;

    if (!p || p[strlen(key)] < '0' || p[strlen(key)] > '9')
        return dflt;
    for (p += strlen(key); *p >= '0' && *p <= '9' && v < 100000u; p++)
        v = v * 10u + (uint32_t)(*p - '0');
    return v;
}

int guest_main(struct start_info *si)
{
    const char *a = strstr(si->cmd_line, " a="), *b = strstr(si->cmd_line, " b=");
    bool filler = !strncmp(si->cmd_line, "fill", 4);

    CHECK_RC("open the interface", netfront_open(), 0);
    if (filler) {
        fill_count = arg_number(" n=", 0);
        test_check("more invented sources than the old table held", fill_count > 256);
    } else {
        flood_batch = arg_number(" flood=", 16);
        test_check("victim MACs given", a && b && devices_parse_mac(a + 3, mac_a, NULL) &&
                                            devices_parse_mac(b + 3, mac_b, NULL));
    }
    if (test_failures)
        test_finish();
    if (filler)
        fill_table();
    else
        spy();
    test_finish();
}
