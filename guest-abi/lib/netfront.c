/*
 * The network frontend (see netfront.h). Transmit buffer i is granted as
 * DEV_REF_NET_TXBUF + i and its request carries id i; receive buffer i
 * likewise, so a response's id names the buffer and nothing the backend
 * says is used as a pointer.
 */
#include "devices.h"
#include "events.h"
#include "frontend.h"
#include "guest.h"
#include "netfront.h"
#include "pv/errno.h"
#include "xbfront.h"
#include "xenbus.h"

static struct ring_shared tx_page __attribute__((aligned(4096)));
static struct ring_shared rx_page __attribute__((aligned(4096)));
static uint8_t tx_buf[DEV_NET_BUFS][4096] __attribute__((aligned(4096)));
static uint8_t rx_buf[DEV_NET_BUFS][4096] __attribute__((aligned(4096)));
static struct ring_front tx, rx;
static bool tx_busy[DEV_NET_BUFS];
static struct xbfront xf;
static uint8_t vif_mac[6];
static uint32_t tx_done, tx_failed, tx_dropped;
static bool open;

static void post_rx(uint16_t id)
{
    union netif_rx_sring_entry e;

    memset(&e, 0, sizeof(e));
    e.req.id = id;
    e.req.gref = DEV_REF_NET_RXBUF + id;
    ring_front_put_request(&rx, &e);   /* one slot per buffer: never full */
}

/*
 * DEV-22 as Xen's netfront: once the backend waits (InitWait), publish
 * both ring refs, the channel and request-rx-copy, and say Connected; the
 * backend then connects too. The MAC is the toolstack's (device/vif/N/mac).
 */
int netfront_open(void)
{
    char path[64], mac[20];
    uint32_t i;
    int rc;

    if (open)
        return 0;
    if (xbfront_find("vif", &xf))
        return -ENODEV;
    snprintf(path, sizeof(path), "%s/mac", xf.node);
    if (xenbus_read(0, path, mac, sizeof(mac)) != 17 || !devices_parse_mac(mac, vif_mac, NULL))
        return -EINVAL;
    if (!ring_front_init(&tx, &tx_page, sizeof(union netif_tx_sring_entry)) ||
        !ring_front_init(&rx, &rx_page, sizeof(union netif_rx_sring_entry)) ||
        rx.nr_ents < DEV_NET_BUFS)
        return -EINVAL;
    rc = frontend_offer(DEV_REF_NET_TX, &tx_page, false);
    if (!rc)
        rc = frontend_offer(DEV_REF_NET_RX, &rx_page, false);
    for (i = 0; !rc && i < DEV_NET_BUFS; i++) {
        rc = frontend_offer(DEV_REF_NET_TXBUF + i, tx_buf[i], true);
        if (!rc)
            rc = frontend_offer(DEV_REF_NET_RXBUF + i, rx_buf[i], false);
    }
    if (!rc)
        rc = xbfront_alloc_port(&xf);
    if (rc)
        return rc;
    for (i = 0; i < DEV_NET_BUFS; i++)
        post_rx((uint16_t)i);
    rc = xbfront_wait(&xf, XenbusStateInitWait);
    if (!rc)
        rc = xbfront_write_u32(&xf, "tx-ring-ref", DEV_REF_NET_TX);
    if (!rc)
        rc = xbfront_write_u32(&xf, "rx-ring-ref", DEV_REF_NET_RX);
    if (!rc)
        rc = xbfront_write_u32(&xf, "event-channel", xf.port);
    if (!rc)
        rc = xbfront_write(&xf, "request-rx-copy", "1");
    if (!rc)
        rc = xbfront_switch(&xf, XenbusStateConnected);
    if (!rc)
        rc = xbfront_wait(&xf, XenbusStateConnected);
    if (rc)
        return rc;
    open = true;
    frontend_push(&rx, xf.port);
    return evtchn_send_port(xf.port);
}

const uint8_t *netfront_mac(void) { return vif_mac; }
struct ring_front *netfront_tx_ring(void) { return &tx; }
uint32_t netfront_port(void) { return xf.port; }

void netfront_tx_stats(uint32_t *done, uint32_t *failed)
{
    *done = tx_done;
    *failed = tx_failed;
}

uint32_t netfront_tx_dropped(void) { return tx_dropped; }

/*
 * Sleep on the port for one 10 ms slice (both rings share it, so every
 * waiter rechecks its ring after any event); true once `*waited` slices
 * without an event add up to timeout_ns.
 */
#define WAIT_SLICE_NS 10000000ull
static bool timed_out(uint64_t *waited, uint64_t timeout_ns)
{
    return events_wait(xf.port, WAIT_SLICE_NS) && (*waited += WAIT_SLICE_NS) >= timeout_ns;
}

/* Take every transmit response: their buffers are free again. */
static int reap_tx(void)
{
    union netif_tx_sring_entry e;
    enum ring_status st;

    while ((st = ring_front_take_response(&tx, &e)) == RING_OK) {
        if (e.rsp.id < DEV_NET_BUFS)
            tx_busy[e.rsp.id] = false;
        tx_done++;
        if (e.rsp.status != NETIF_RSP_OKAY)
            tx_failed++;
        if (e.rsp.status == NETIF_RSP_DROPPED)
            tx_dropped++;
    }
    return st == RING_BAD_PEER ? -EIO : 0;
}

static int free_tx_buffer(uint32_t *id)
{
    uint64_t waited = 0;

    for (;;) {
        uint32_t i;
        int rc = reap_tx();

        if (rc)
            return rc;
        for (i = 0; i < DEV_NET_BUFS; i++) {
            if (!tx_busy[i]) {
                *id = i;
                return 0;
            }
        }
        if (ring_front_final_check(&tx) == RING_EMPTY) {
            if (timed_out(&waited, FRONTEND_TIMEOUT_NS))
                return -ETIMEDOUT;
        }
    }
}

int netfront_send_raw(const struct netif_tx_request *req)
{
    union netif_tx_sring_entry e;

    if (!open)
        return -ENODEV;
    memset(&e, 0, sizeof(e));
    e.req = *req;
    if (ring_front_put_request(&tx, &e) != RING_OK)
        return -EBUSY;
    frontend_push(&tx, xf.port);
    return 0;
}

int netfront_send(const void *frame, uint32_t len)
{
    struct netif_tx_request req;
    uint32_t id;
    int rc;

    if (!open)
        return -ENODEV;
    if (len < NETIF_ETH_HLEN || len > NETIF_MAX_FRAME)
        return -EINVAL;
    rc = free_tx_buffer(&id);
    if (rc)
        return rc;
    memcpy(tx_buf[id], frame, len);
    memset(&req, 0, sizeof(req));
    req.gref = DEV_REF_NET_TXBUF + id;
    req.id = (uint16_t)id;
    req.size = (uint16_t)len;
    tx_busy[id] = true;
    return netfront_send_raw(&req);
}

int netfront_recv(void *frame, uint32_t cap, uint64_t timeout_ns)
{
    union netif_rx_sring_entry e;
    uint64_t waited = 0;
    int len;

    if (!open)
        return -ENODEV;
    for (;;) {
        enum ring_status st = ring_front_take_response(&rx, &e);

        if (st == RING_OK)
            break;
        if (st == RING_EMPTY)
            st = ring_front_final_check(&rx);
        if (st == RING_BAD_PEER)
            return -EIO;
        if (st == RING_EMPTY) {
            reap_tx();
            if (timed_out(&waited, timeout_ns))
                return -ETIMEDOUT;
        }
    }
    if (e.rsp.id >= DEV_NET_BUFS)
        return -EIO;
    len = e.rsp.status;
    if (len > 0 && ((uint32_t)len > cap || e.rsp.offset + (uint32_t)len > 4096u))
        len = -EIO;
    if (len > 0)
        memcpy(frame, rx_buf[e.rsp.id] + e.rsp.offset, (uint32_t)len);
    post_rx(e.rsp.id);
    frontend_push(&rx, xf.port);
    return len;
}

int netfront_flush(uint64_t timeout_ns)
{
    uint64_t waited = 0;

    for (;;) {
        int rc = reap_tx();

        if (rc)
            return rc;
        if (ring_front_free(&tx) == tx.nr_ents)
            return 0;
        if (ring_front_final_check(&tx) == RING_EMPTY &&
            timed_out(&waited, timeout_ns))
            return -ETIMEDOUT;
    }
}
