/*
 * A network frontend from io/netif.h, as Mini-OS's netfront connects:
 * read the frontend's `mac`, check the backend offers feature-rx-copy
 * (Linux's netfront refuses a backend without it), allocate an event
 * channel to the backend's domain, initialise and grant the transmit and
 * receive rings, post receive buffers, then publish tx-ring-ref,
 * rx-ring-ref, event-channel, request-rx-copy, feature-rx-notify and the
 * state Connected in one transaction, and wait for the backend's
 * Connected. One frame per request, flags 0, as Mini-OS sends them.
 *
 * Two instances trade frames over dom0's bridge: `a` sends frame 0
 * until `b`'s echo comes back (b may not be connected yet), then each
 * further frame once the previous echo arrived; `b` answers every frame
 * with its payload inverted. Both check every byte, and b the receive
 * flags of the frames a sent with checksum offload hints.
 */
#include "cxb.h"
#include "pv/errno.h"

#define RX_BUFS    16u
#define NET_FRAMES 48u
#define ETH_TYPE   0x88B5u          /* IEEE local experimental */

static struct fe_dev net;
static struct fe_ring tx, rx;
static uint8_t tx_ring_page[4096] __attribute__((aligned(4096)));
static uint8_t rx_ring_page[4096] __attribute__((aligned(4096)));
static uint8_t tx_buf[4096] __attribute__((aligned(4096)));
static uint8_t rx_buf[RX_BUFS][4096] __attribute__((aligned(4096)));
static uint8_t frame[NETIF_MAX_FRAME], got[NETIF_MAX_FRAME];
static grant_ref_t tx_ring_ref, rx_ring_ref, tx_ref, rx_ref[RX_BUFS];
static uint32_t evt;
static uint8_t mac[6], peer[6];
static bool connected;
static uint16_t next_tx_id, got_flags;

static int hex(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* "xx:xx:xx:xx:xx:xx" at s (what follows is not looked at) */
bool net_parse_mac(const char *s, uint8_t out[6])
{
    uint32_t i;

    for (i = 0; i < 6; i++, s += 3) {
        if (hex(s[0]) < 0 || hex(s[1]) < 0 || (i < 5 && s[2] != ':'))
            return false;
        out[i] = (uint8_t)(hex(s[0]) * 16 + hex(s[1]));
    }
    return true;
}

static void post_rx(uint16_t id)
{
    struct netif_rx_request *r = fe_ring_next_req(&rx);

    if (!r)
        return;
    r->id = id;
    r->pad = 0;
    r->gref = rx_ref[id];
}

static int publish(void)
{
    uint32_t t = 0;
    int rc, tries;

    for (tries = 0; tries < 5; tries++) {
        rc = xsc_tx_start(&t);
        if (!rc)
            rc = fe_write_u32(&net, t, "tx-ring-ref", tx_ring_ref);
        if (!rc)
            rc = fe_write_u32(&net, t, "rx-ring-ref", rx_ring_ref);
        if (!rc)
            rc = fe_write_u32(&net, t, "event-channel", evt);
        if (!rc)
            rc = fe_write_u32(&net, t, "request-rx-copy", 1);
        if (!rc)
            rc = fe_write_u32(&net, t, "feature-rx-notify", 1);
        if (!rc)
            rc = fe_switch(&net, t, XenbusStateConnected);
        if (rc) {
            if (t)
                xsc_tx_end(t, false);
            return rc;
        }
        rc = xsc_tx_end(t, true);
        if (rc != -EAGAIN)
            return rc;
    }
    return rc;
}

static void rings_init(void)
{
    uint32_t i;

    CHECK_RC("EVTCHNOP_alloc_unbound for the backend", cx_evtchn_alloc(net.backend_id, &evt), 0);
    fe_ring_init(&tx, tx_ring_page, sizeof(union netif_tx_sring_entry));
    fe_ring_init(&rx, rx_ring_page, sizeof(union netif_rx_sring_entry));
    CHECK_RC("NET_TX_RING_SIZE is 256", tx.size, 256);
    CHECK_RC("NET_RX_RING_SIZE is 256", rx.size, 256);
    tx_ring_ref = cx_grant_alloc();
    rx_ring_ref = cx_grant_alloc();
    tx_ref = cx_grant_alloc();
    cx_grant(tx_ring_ref, net.backend_id, cx_mfn(tx_ring_page), false);
    cx_grant(rx_ring_ref, net.backend_id, cx_mfn(rx_ring_page), false);
    cx_grant(tx_ref, net.backend_id, cx_mfn(tx_buf), true);
    for (i = 0; i < RX_BUFS; i++) {
        rx_ref[i] = cx_grant_alloc();
        cx_grant(rx_ref[i], net.backend_id, cx_mfn(rx_buf[i]), false);
        post_rx((uint16_t)i);
    }
    if (fe_ring_push(&rx))
        cx_notify(evt);
}

static int connect(void)
{
    char v[32], path[64];
    int rc;

    if (fe_find("vif", &net))
        return -ENOENT;
    snprintf(path, sizeof(path), "%s/mac", net.node);
    rc = xsc_read(0, path, v, sizeof(v));
    test_check("the frontend's mac", rc == 17 && net_parse_mac(v, mac));
    CHECK_RC("the backend offers feature-rx-copy", fe_backend_read(&net, "feature-rx-copy", v, sizeof(v)), 1);
    test_check("... = 1", v[0] == '1');
    CHECK_RC("DEV-21 vif backend in InitWait",
             fe_wait_backend(&net, XenbusStateInitWait, cx_now() + CXB_WAIT_NS), 0);
    rings_init();
    CHECK_RC("DEV-22 vif keys and Connected in one transaction", publish(), 0);
    rc = fe_wait_backend(&net, XenbusStateConnected, cx_now() + CXB_WAIT_NS);
    CHECK_RC("DEV-21 vif backend Connected", rc, 0);
    connected = rc == 0;
    return rc;
}

/* One frame from tx_buf with the given NETTXF_ flags; its transmit response's status, or -100. */
static int32_t send_flags(const uint8_t *f, uint32_t len, uint16_t flags)
{
    uint64_t deadline = cx_now() + CXB_WAIT_NS;
    struct netif_tx_request *r = fe_ring_next_req(&tx);
    union netif_tx_sring_entry rsp;
    uint16_t id = next_tx_id++;
    int taken;

    if (!r)
        return -100;
    memcpy(tx_buf, f, len);
    r->gref = tx_ref;
    r->offset = 0;
    r->flags = flags;
    r->id = id;
    r->size = (uint16_t)len;
    if (fe_ring_push(&tx))
        cx_notify(evt);
    while ((taken = fe_ring_take(&tx, &rsp)) == 0)
        if (cx_wait(evt, deadline))
            break;
    if (taken != 1)
        return -100;
    CHECK_RC("the transmit response echoes the id", rsp.rsp.id, id);
    return rsp.rsp.status;
}

static int32_t send(const uint8_t *f, uint32_t len)
{
    return send_flags(f, len, 0);
}

/* The next received frame into got: its length, 0 if none came by deadline. */
static uint32_t recv(uint64_t deadline)
{
    union netif_rx_sring_entry rsp;

    for (;;) {
        int taken;

        while ((taken = fe_ring_take(&rx, &rsp)) == 0)
            if (cx_wait(evt, deadline))
                return 0;
        if (taken < 0 || rsp.rsp.id >= RX_BUFS) {
            test_check("the receive ring's responses answer our buffers", 0);
            return 0;
        }
        if (rsp.rsp.status > 0 && rsp.rsp.status <= (int32_t)NETIF_MAX_FRAME &&
            rsp.rsp.offset + (uint32_t)rsp.rsp.status <= 4096u) {
            uint32_t len = (uint32_t)rsp.rsp.status;
            memcpy(got, rx_buf[rsp.rsp.id] + rsp.rsp.offset, len);
            got_flags = rsp.rsp.flags;
            post_rx(rsp.rsp.id);
            if (fe_ring_push(&rx))
                cx_notify(evt);
            return len;
        }
        CHECK_RC("a receive response carries a frame", rsp.rsp.status, 1);
        post_rx(rsp.rsp.id);
        if (fe_ring_push(&rx))
            cx_notify(evt);
    }
}

static uint32_t frame_len(uint32_t seq)
{
    return seq == 1 ? 18u : seq == NET_FRAMES - 1 ? NETIF_MAX_FRAME : 18u + (seq * 211u + 42u) % 1497u;
}

static uint8_t fill(uint32_t seq, uint32_t i)
{
    return (uint8_t)(seq * 31u + i);
}

static void build(uint8_t *f, uint32_t seq, uint32_t len, const uint8_t *dst, uint8_t xor)
{
    uint32_t i;

    memcpy(f, dst, 6);
    memcpy(f + 6, mac, 6);
    f[12] = ETH_TYPE >> 8;
    f[13] = ETH_TYPE & 0xFF;
    f[14] = (uint8_t)(seq >> 8);
    f[15] = (uint8_t)seq;
    f[16] = (uint8_t)(len >> 8);
    f[17] = (uint8_t)len;
    for (i = 18; i < len; i++)
        f[i] = fill(seq, i) ^ xor;
}

/* got[0..len) is frame seq from `from` to us, its payload xor'ed with `xor`. */
static bool is_frame(uint32_t len, uint32_t seq, const uint8_t *from, uint8_t xor)
{
    uint32_t i;

    if (len < 18 || memcmp(got, mac, 6) || memcmp(got + 6, from, 6) ||
        got[12] != ETH_TYPE >> 8 || got[13] != (ETH_TYPE & 0xFF) ||
        got[14] != (uint8_t)(seq >> 8) || got[15] != (uint8_t)seq ||
        len != ((uint32_t)got[16] << 8 | got[17]) || len != frame_len(seq))
        return false;
    for (i = 18; i < len; i++)
        if (got[i] != (fill(seq, i) ^ xor))
            return false;
    return true;
}

/*
 * Frames 2 and 3 carry the checksum hints Linux's netfront sets (a local
 * packet whose checksum the card would fill in; one already checked);
 * Xen's netback hands them to the receiver as NETRXF_csum_blank |
 * NETRXF_data_validated and NETRXF_data_validated.
 */
static uint16_t tx_flags(uint32_t seq)
{
    return seq == 2 ? NETTXF_csum_blank | NETTXF_data_validated : seq == 3 ? NETTXF_data_validated : 0;
}

static uint16_t rx_flags(uint32_t seq)
{
    return seq == 2 ? NETRXF_csum_blank | NETRXF_data_validated : seq == 3 ? NETRXF_data_validated : 0;
}

static uint32_t seq_of(void)
{
    return (uint32_t)got[14] << 8 | got[15];
}

/* Side a: each frame until its echo is back. */
static uint32_t run_a(void)
{
    uint64_t end = cx_now() + CXB_WAIT_NS;
    uint32_t seq = 0, len;

    /* xen-netback: a frame shorter than an Ethernet header is XEN_NETIF_RSP_ERROR */
    build(frame, 0, 60, peer, 0);
    CHECK_RC("DEV-7 a 13-byte frame: NETIF_RSP_ERROR", send(frame, 13), NETIF_RSP_ERROR);
    while (seq < NET_FRAMES && cx_now() < end) {
        int32_t st;

        build(frame, seq, frame_len(seq), peer, 0);
        st = send_flags(frame, frame_len(seq), tx_flags(seq));
        if (seq == 0 && st == NETIF_RSP_DROPPED) {      /* the peer is not connected yet */
            cx_sleep_ms(20);
            continue;
        }
        CHECK_RC("DEV-7 a frame to the peer: NETIF_RSP_OKAY", st, NETIF_RSP_OKAY);
        if (st != NETIF_RSP_OKAY)
            break;
        for (;;) {
            len = recv(cx_now() + (seq == 0 ? 200u : 5000u) * CXB_NS_PER_MS);
            if (!len || seq_of() == seq)
                break;                  /* nothing, or the echo; older echoes are dropped */
        }
        if (!len && seq == 0)
            continue;
        test_check("the peer's echo comes back, every byte as sent, inverted",
                   len && is_frame(len, seq, peer, 0xFF));
        if (!len)
            break;
        seq++;
    }
    return seq;
}

/* Side b: answer each frame, in order. */
static uint32_t run_b(void)
{
    uint64_t end = cx_now() + 2 * CXB_WAIT_NS;
    uint32_t expect = 0, bad = 0;

    while (expect < NET_FRAMES) {
        uint32_t len = recv(end), seq;

        if (!len)
            break;
        seq = seq_of();
        if (seq != expect && seq + 1u != expect) {
            bad++;
            continue;
        }
        if (!is_frame(len, seq, peer, 0)) {
            bad++;
            continue;
        }
        if (got_flags != rx_flags(seq)) {
            gprintf("FAILED: DEV-7 frame %u: NETRXF flags %u, want %u (Xen's netback)\n", seq,
                    got_flags, rx_flags(seq));
            test_failures++;
        }
        build(frame, seq, len, peer, 0xFF);
        CHECK_RC("DEV-7 an echo to the peer: NETIF_RSP_OKAY", send(frame, len), NETIF_RSP_OKAY);
        if (seq == expect)
            expect++;
    }
    CHECK_RC("every frame from the peer arrives intact and in order", bad, 0);
    return expect;
}

void net_run(char role, const uint8_t peer_mac[6])
{
    uint32_t n;

    memcpy(peer, peer_mac, 6);
    if (connect())
        return;
    n = role == 'a' ? run_a() : run_b();
    CHECK_RC("frames exchanged with the peer", n, NET_FRAMES);
    gprintf("compat-xenbus: vif %s: %u frames of 18..1514 bytes exchanged with the peer\n",
            net.node, n);
}

void net_close(void)
{
    uint32_t i, busy = 0;

    if (!connected || fe_close(&net, "vif"))
        return;
    busy += cx_ungrant(tx_ring_ref) != 0;
    busy += cx_ungrant(rx_ring_ref) != 0;
    busy += cx_ungrant(tx_ref) != 0;
    for (i = 0; i < RX_BUFS; i++)
        busy += cx_ungrant(rx_ref[i]) != 0;
    CHECK_RC("the backend let go of both rings and every buffer once Closed", busy, 0);
    CHECK_RC("EVTCHNOP_close of the vif channel", cx_evtchn_close(evt), 0);
    gprintf("compat-xenbus: vif closed, the backend followed\n");
}
