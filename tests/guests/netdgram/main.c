/*
 * Two guests on dom0's bridge (spec/devices.md). "recv" announces itself
 * until the first datagram arrives, then checks that all datagrams arrive
 * in order and intact, counts any other frame it is given, and with "bye"
 * ends with a broadcast saying so; "send" waits for the announcement,
 * checks that malformed transmit requests are refused and a frame
 * claiming the peer's MAC is dropped, then streams the datagrams. Command
 * line: "send peer=<mac> [count=<n>]" or "recv peer=<mac> [count=<n>]
 * [bye]" (default 10,000 datagrams).
 */
#include "devices.h"
#include "netfront.h"
#include "pv/errno.h"
#include "pvtime.h"
#include "test.h"

#define ETHERTYPE   0x88B5u     /* local experimental */
#define KIND_READY  1u
#define KIND_DATA   2u
#define KIND_SPOOF  3u
#define KIND_BYE    4u

struct dgram {
    uint8_t dst[6], src[6];
    uint8_t type[2];
    uint32_t kind, seq, len, sum;
    uint8_t payload[NETIF_MAX_FRAME - 30];
} __attribute__((packed));

static struct dgram out, in;
static uint8_t peer[6];
static uint32_t datagrams = 10000u;

static uint32_t payload_len(uint32_t seq) { return 32u + (seq * 97u) % (sizeof(out.payload) - 32u); }

static uint32_t fill(uint32_t kind, uint32_t seq, const uint8_t *src)
{
    uint32_t i, n = kind == KIND_DATA ? payload_len(seq) : 0;

    memcpy(out.dst, peer, 6);
    memcpy(out.src, src, 6);
    out.type[0] = ETHERTYPE >> 8;
    out.type[1] = ETHERTYPE & 0xFF;
    out.kind = kind;
    out.seq = seq;
    out.len = n;
    out.sum = 0;
    for (i = 0; i < n; i++) {
        out.payload[i] = (uint8_t)(seq + i * 31u);
        out.sum = out.sum * 33u + out.payload[i];
    }
    return 30u + (n > 16 ? n : 16);
}

static bool intact(int len)
{
    uint32_t i, sum = 0;

    if (len < 30 || in.len > sizeof(in.payload) || (uint32_t)len < 30u + in.len)
        return false;
    for (i = 0; i < in.len; i++) {
        if (in.payload[i] != (uint8_t)(in.seq + i * 31u))
            return false;
        sum = sum * 33u + in.payload[i];
    }
    return sum == in.sum && in.len == payload_len(in.seq);
}

static void send_malformed(void)
{
    struct netif_tx_request r;
    uint32_t done, failed, before;

    CHECK_RC("flush", netfront_flush(5000000000ull), 0);
    netfront_tx_stats(&done, &before);
    memset(&r, 0, sizeof(r));
    r.gref = DEV_REF_NET_TXBUF;
    r.id = 0;
    r.size = 10;
    CHECK_RC("queue a 10-byte frame", netfront_send_raw(&r), 0);
    r.size = 2000;
    CHECK_RC("queue a 2000-byte frame", netfront_send_raw(&r), 0);
    r.size = 200;
    r.offset = 4000;
    CHECK_RC("queue a frame crossing its page", netfront_send_raw(&r), 0);
    r.offset = 0;
    r.flags = NETTXF_more_data;         /* fragments are not offered (DEV-7) */
    CHECK_RC("queue a frame with NETTXF_more_data", netfront_send_raw(&r), 0);
    r.flags = 0;
    r.gref = 400;
    CHECK_RC("queue a frame in a ref never granted", netfront_send_raw(&r), 0);
    CHECK_RC("flush", netfront_flush(5000000000ull), 0);
    netfront_tx_stats(&done, &failed);
    CHECK_RC("five malformed requests refused", failed - before, 5);   /* DEV-7 */
    /* a frame that claims to come from the peer: dropped, never delivered */
    CHECK_RC("send a spoofed frame", netfront_send(&out, fill(KIND_SPOOF, 0, peer)), 0);
    CHECK_RC("flush", netfront_flush(5000000000ull), 0);
}

static void sender(void)
{
    uint32_t i;
    int len;

    do {
        len = netfront_recv(&in, sizeof(in), 30000000000ull);
    } while (len > 0 && in.kind != KIND_READY);
    CHECK_RC("the receiver announced itself", len > 0, 1);
    send_malformed();
    for (i = 0; i < datagrams && !test_failures; i++)
        CHECK_RC("send", netfront_send(&out, fill(KIND_DATA, i, netfront_mac())), 0);
    CHECK_RC("flush", netfront_flush(5000000000ull), 0);
    gprintf("net: sent %u datagrams\n", i);
}

/* The end, to every station: whoever listens on the bridge knows we are done. */
static void say_bye(void)
{
    static const uint8_t everyone[6] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
    uint32_t len = fill(KIND_BYE, 0, netfront_mac());

    memcpy(out.dst, everyone, 6);
    CHECK_RC("say bye", netfront_send(&out, len), 0);
    CHECK_RC("flush", netfront_flush(5000000000ull), 0);
}

static void receiver(void)
{
    uint32_t got = 0, corrupt = 0, out_of_order = 0, bytes = 0, other = 0;
    uint64_t t0 = 0, t1 = 0;
    int len;

    /* announce until the first datagram: the sender may connect later */
    for (;;) {
        CHECK_RC("announce", netfront_send(&out, fill(KIND_READY, 0, netfront_mac())), 0);
        len = netfront_recv(&in, sizeof(in), 100000000ull);
        if (len > 0 && in.kind == KIND_DATA)
            break;
        if (test_failures || (len < 0 && len != -ETIMEDOUT))
            return;
    }
    t0 = pv_time_ns();
    for (;;) {
        if (len > 0) {
            test_check("no spoofed frame delivered", in.kind != KIND_SPOOF);
            if (in.kind != KIND_DATA || memcmp(in.src, peer, 6))
                other++;
            else {
                corrupt += !intact(len);
                out_of_order += in.seq != got;
                got++;
                bytes += (uint32_t)len;
                t1 = pv_time_ns();
            }
        }
        if (got == datagrams)
            break;
        len = netfront_recv(&in, sizeof(in), 5000000000ull);
        if (len == -ETIMEDOUT)
            break;
    }
    gprintf("net: received %u datagrams, %u lost, %u corrupted, %u out of order; %u other frames\n",
            got, datagrams - got, corrupt, out_of_order, other);
    test_check("every datagram arrived intact and in order",
               got == datagrams && !corrupt && !out_of_order);
    if (t1 > t0)
        gprintf("BENCH net-datagrams(per-s) %u net-throughput(KB/s) %u\n",
                (uint32_t)((uint64_t)(got - 1) * 1000000000ull / (t1 - t0)),
                (uint32_t)((uint64_t)bytes * 1000000ull / 1024u / ((t1 - t0) / 1000u)));
    if (strstr(start_info->cmd_line, " bye"))
        say_bye();
}

int guest_main(struct start_info *si)
{
    const char *p = strstr(si->cmd_line, "peer=");
    const char *n = strstr(si->cmd_line, "count=");

    test_check("peer MAC given", p && devices_parse_mac(p + 5, peer, NULL));
    CHECK_RC("open the interface", netfront_open(), 0);
    if (test_failures)
        test_finish();
    if (n) {
        for (n += 6, datagrams = 0; *n >= '0' && *n <= '9' && datagrams < 1000000u; n++)
            datagrams = datagrams * 10u + (uint32_t)(*n - '0');
    }
    test_check("a datagram count from 1", datagrams > 0);
    if (!strncmp(si->cmd_line, "send", 4))
        sender();
    else
        receiver();
    test_finish();
}
