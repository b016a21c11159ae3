/*
 * The network frontend (see netfront.h). Transmit buffer i of an
 * interface is granted as its first send-buffer ref + i and its request
 * carries id i; receive buffer i likewise, so a response's id names the
 * buffer and nothing the backend says is used as a pointer.
 */
#include "devices.h"
#include "events.h"
#include "frontend.h"
#include "guest.h"
#include "netfront.h"
#include "pv/errno.h"
#include "xbfront.h"
#include "xenbus.h"

/*
 * One interface. Device 0 (the first of device/vif/) keeps the refs and
 * the DEV_NET_BUFS buffers each way it always had; interfaces 1..3 take
 * DEV_REF_NET_EXTRA_EACH refs each from DEV_REF_NET_EXTRA and
 * DEV_NET_EXTRA_BUFS buffers each way (DEV-3, DEV-35).
 */
struct net_dev {
    struct ring_shared *tx_page, *rx_page;
    uint8_t (*tx_buf)[4096], (*rx_buf)[4096];
    uint32_t nbufs;
    uint32_t ref_tx, ref_rx, ref_txbuf, ref_rxbuf;
    struct ring_front tx, rx;
    bool tx_busy[DEV_NET_BUFS];
    struct xbfront xf;
    uint8_t mac[6];
    uint32_t tx_done, tx_failed, tx_dropped;
    bool open;
};

#define EXTRA (NETFRONT_DEVS - 1u)

static struct ring_shared tx_page __attribute__((aligned(4096)));
static struct ring_shared rx_page __attribute__((aligned(4096)));
static uint8_t tx_buf[DEV_NET_BUFS][4096] __attribute__((aligned(4096)));
static uint8_t rx_buf[DEV_NET_BUFS][4096] __attribute__((aligned(4096)));
static struct ring_shared extra_tx_page[EXTRA] __attribute__((aligned(4096)));
static struct ring_shared extra_rx_page[EXTRA] __attribute__((aligned(4096)));
static uint8_t extra_tx_buf[EXTRA][DEV_NET_EXTRA_BUFS][4096] __attribute__((aligned(4096)));
static uint8_t extra_rx_buf[EXTRA][DEV_NET_EXTRA_BUFS][4096] __attribute__((aligned(4096)));
static struct net_dev devs[NETFRONT_DEVS];

_Static_assert(sizeof(struct ring_shared) == 4096, "a ring is one page");
_Static_assert(DEV_REF_NET_EXTRA + EXTRA * DEV_REF_NET_EXTRA_EACH <= 512u,
               "every ref in the runtime's one grant frame");

static struct net_dev *dev(uint32_t k)
{
    struct net_dev *d = k < NETFRONT_DEVS ? &devs[k] : NULL;

    if (!d || d->tx_page)
        return d;
    if (k == 0) {
        d->tx_page = &tx_page;
        d->rx_page = &rx_page;
        d->tx_buf = tx_buf;
        d->rx_buf = rx_buf;
        d->nbufs = DEV_NET_BUFS;
        d->ref_tx = DEV_REF_NET_TX;
        d->ref_rx = DEV_REF_NET_RX;
        d->ref_txbuf = DEV_REF_NET_TXBUF;
        d->ref_rxbuf = DEV_REF_NET_RXBUF;
        return d;
    }
    d->tx_page = &extra_tx_page[k - 1u];
    d->rx_page = &extra_rx_page[k - 1u];
    d->tx_buf = extra_tx_buf[k - 1u];
    d->rx_buf = extra_rx_buf[k - 1u];
    d->nbufs = DEV_NET_EXTRA_BUFS;
    d->ref_tx = DEV_REF_NET_EXTRA + (k - 1u) * DEV_REF_NET_EXTRA_EACH;
    d->ref_rx = d->ref_tx + 1u;
    d->ref_txbuf = d->ref_tx + 2u;
    d->ref_rxbuf = d->ref_txbuf + DEV_NET_EXTRA_BUFS;
    return d;
}

static void post_rx(struct net_dev *d, uint16_t id)
{
    union netif_rx_sring_entry e;

    memset(&e, 0, sizeof(e));
    e.req.id = id;
    e.req.gref = d->ref_rxbuf + id;
    ring_front_put_request(&d->rx, &e);     /* one slot per buffer: never full */
}

/* Grant the rings and every buffer, take a channel, post every receive buffer. */
static int offer(struct net_dev *d)
{
    uint32_t i;
    int rc;

    if (!ring_front_init(&d->tx, d->tx_page, sizeof(union netif_tx_sring_entry)) ||
        !ring_front_init(&d->rx, d->rx_page, sizeof(union netif_rx_sring_entry)) ||
        d->rx.nr_ents < d->nbufs)
        return -EINVAL;
    rc = frontend_offer(d->ref_tx, d->tx_page, false);
    if (!rc)
        rc = frontend_offer(d->ref_rx, d->rx_page, false);
    for (i = 0; !rc && i < d->nbufs; i++) {
        rc = frontend_offer(d->ref_txbuf + i, d->tx_buf[i], true);
        if (!rc)
            rc = frontend_offer(d->ref_rxbuf + i, d->rx_buf[i], false);
    }
    if (!rc)
        rc = xbfront_alloc_port(&d->xf);
    for (i = 0; !rc && i < d->nbufs; i++)
        post_rx(d, (uint16_t)i);
    return rc;
}

/*
 * DEV-22 as Xen's netfront: once the backend waits (InitWait), publish
 * both ring refs, the channel and request-rx-copy, and say Connected; the
 * backend then connects too. The MAC is the toolstack's (device/vif/N/mac).
 */
int netfront_open_dev(uint32_t k)
{
    struct net_dev *d = dev(k);
    struct xbfront *xf;
    char path[64], mac[20];
    int rc;

    if (!d)
        return -ENODEV;
    if (d->open)
        return 0;
    xf = &d->xf;
    if (xbfront_find_nth("vif", k, xf))
        return -ENODEV;
    snprintf(path, sizeof(path), "%s/mac", xf->node);
    if (xenbus_read(0, path, mac, sizeof(mac)) != 17 || !devices_parse_mac(mac, d->mac, NULL))
        return -EINVAL;
    rc = offer(d);
    if (!rc)
        rc = xbfront_wait(xf, XenbusStateInitWait);
    if (!rc)
        rc = xbfront_write_u32(xf, "tx-ring-ref", d->ref_tx);
    if (!rc)
        rc = xbfront_write_u32(xf, "rx-ring-ref", d->ref_rx);
    if (!rc)
        rc = xbfront_write_u32(xf, "event-channel", xf->port);
    if (!rc)
        rc = xbfront_write(xf, "request-rx-copy", "1");
    if (!rc)
        rc = xbfront_switch(xf, XenbusStateConnected);
    if (!rc)
        rc = xbfront_wait(xf, XenbusStateConnected);
    if (rc)
        return rc;
    d->open = true;
    frontend_push(&d->rx, xf->port);
    return evtchn_send_port(xf->port);
}

int netfront_open(void) { return netfront_open_dev(0); }
const uint8_t *netfront_mac(void) { return devs[0].mac; }
const uint8_t *netfront_mac_dev(uint32_t k) { return k < NETFRONT_DEVS ? devs[k].mac : NULL; }
struct ring_front *netfront_tx_ring(void) { return &devs[0].tx; }
uint32_t netfront_port(void) { return devs[0].xf.port; }

void netfront_tx_stats(uint32_t *done, uint32_t *failed)
{
    *done = devs[0].tx_done;
    *failed = devs[0].tx_failed;
}

uint32_t netfront_tx_dropped(void) { return devs[0].tx_dropped; }
uint32_t netfront_tx_dropped_dev(uint32_t k) { return k < NETFRONT_DEVS ? devs[k].tx_dropped : 0; }

/*
 * Sleep on the port for one 10 ms slice (both rings share it, so every
 * waiter rechecks its ring after any event); true once `*waited` slices
 * without an event add up to timeout_ns.
 */
#define WAIT_SLICE_NS 10000000ull
static bool timed_out(const struct net_dev *d, uint64_t *waited, uint64_t timeout_ns)
{
    return events_wait(d->xf.port, WAIT_SLICE_NS) && (*waited += WAIT_SLICE_NS) >= timeout_ns;
}

/* Take every transmit response: their buffers are free again. */
static int reap_tx(struct net_dev *d)
{
    union netif_tx_sring_entry e;
    enum ring_status st;

    while ((st = ring_front_take_response(&d->tx, &e)) == RING_OK) {
        if (e.rsp.id < d->nbufs)
            d->tx_busy[e.rsp.id] = false;
        d->tx_done++;
        if (e.rsp.status != NETIF_RSP_OKAY)
            d->tx_failed++;
        if (e.rsp.status == NETIF_RSP_DROPPED)
            d->tx_dropped++;
    }
    return st == RING_BAD_PEER ? -EIO : 0;
}

static int free_tx_buffer(struct net_dev *d, uint32_t *id)
{
    uint64_t waited = 0;

    for (;;) {
        uint32_t i;
        int rc = reap_tx(d);

        if (rc)
            return rc;
        for (i = 0; i < d->nbufs; i++) {
            if (!d->tx_busy[i]) {
                *id = i;
                return 0;
            }
        }
        if (ring_front_final_check(&d->tx) == RING_EMPTY) {
            if (timed_out(d, &waited, FRONTEND_TIMEOUT_NS))
                return -ETIMEDOUT;
        }
    }
}

static int send_raw(struct net_dev *d, const struct netif_tx_request *req)
{
    union netif_tx_sring_entry e;

    if (!d->open)
        return -ENODEV;
    memset(&e, 0, sizeof(e));
    e.req = *req;
    if (ring_front_put_request(&d->tx, &e) != RING_OK)
        return -EBUSY;
    frontend_push(&d->tx, d->xf.port);
    return 0;
}

int netfront_send_raw(const struct netif_tx_request *req)
{
    return send_raw(dev(0), req);
}

int netfront_send_dev(uint32_t k, const void *frame, uint32_t len)
{
    struct net_dev *d = dev(k);
    struct netif_tx_request req;
    uint32_t id;
    int rc;

    if (!d || !d->open)
        return -ENODEV;
    if (len < NETIF_ETH_HLEN || len > NETIF_MAX_FRAME)
        return -EINVAL;
    rc = free_tx_buffer(d, &id);
    if (rc)
        return rc;
    memcpy(d->tx_buf[id], frame, len);
    memset(&req, 0, sizeof(req));
    req.gref = d->ref_txbuf + id;
    req.id = (uint16_t)id;
    req.size = (uint16_t)len;
    d->tx_busy[id] = true;
    return send_raw(d, &req);
}

int netfront_send(const void *frame, uint32_t len)
{
    return netfront_send_dev(0, frame, len);
}

int netfront_recv_dev(uint32_t k, void *frame, uint32_t cap, uint64_t timeout_ns)
{
    struct net_dev *d = dev(k);
    union netif_rx_sring_entry e;
    uint64_t waited = 0;
    int len;

    if (!d || !d->open)
        return -ENODEV;
    for (;;) {
        enum ring_status st = ring_front_take_response(&d->rx, &e);

        if (st == RING_OK)
            break;
        if (st == RING_EMPTY)
            st = ring_front_final_check(&d->rx);
        if (st == RING_BAD_PEER)
            return -EIO;
        if (st == RING_EMPTY) {
            reap_tx(d);
            if (timed_out(d, &waited, timeout_ns))
                return -ETIMEDOUT;
        }
    }
    if (e.rsp.id >= d->nbufs)
        return -EIO;
    len = e.rsp.status;
    if (len > 0 && ((uint32_t)len > cap || e.rsp.offset + (uint32_t)len > 4096u))
        len = -EIO;
    if (len > 0)
        memcpy(frame, d->rx_buf[e.rsp.id] + e.rsp.offset, (uint32_t)len);
    post_rx(d, e.rsp.id);
    frontend_push(&d->rx, d->xf.port);
    return len;
}

int netfront_recv(void *frame, uint32_t cap, uint64_t timeout_ns)
{
    return netfront_recv_dev(0, frame, cap, timeout_ns);
}

int netfront_flush_dev(uint32_t k, uint64_t timeout_ns)
{
    struct net_dev *d = dev(k);
    uint64_t waited = 0;

    if (!d)
        return -ENODEV;
    for (;;) {
        int rc = reap_tx(d);

        if (rc)
            return rc;
        if (ring_front_free(&d->tx) == d->tx.nr_ents)
            return 0;
        if (ring_front_final_check(&d->tx) == RING_EMPTY &&
            timed_out(d, &waited, timeout_ns))
            return -ETIMEDOUT;
    }
}

int netfront_flush(uint64_t timeout_ns)
{
    return netfront_flush_dev(0, timeout_ns);
}
