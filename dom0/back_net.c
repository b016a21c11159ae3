/*
 * The network backend: a bridge between the guests' interfaces.
 *
 * A frame a guest sends is copied (GNTTABOP_copy) from its granted page
 * into a bounce page of ours; the bridge's policy (bridge.h) then decides
 * where it goes, and the transmit request is answered at once with that
 * decision: NETIF_RSP_OKAY (forwarded), NETIF_RSP_DROPPED (refused by the
 * policy: a source that is not the interface's configured MAC, a unicast
 * destination no other connected interface has, a flood over the
 * interface's budget) or NETIF_RSP_ERROR (malformed: size, offset,
 * flags other than the checksum hints, a ref that does not copy). Each
 * refusal is counted and nothing refused is forwarded (DEV-7).
 *
 * Delivery copies the bounce page into a receive buffer the destination
 * posted. A unicast destination with no buffer posted holds the sender's
 * next frame back (so a fast sender is slowed to the receiver's pace and
 * nothing is lost) for at most HOLD_NS, after which the frame is dropped
 * and counted; a flood reaches whoever has a buffer posted now.
 */
#include "backend_dev.h"
#include "bridge.h"
#include "devices.h"
#include "events.h"
#include "grants.h"
#include "guest.h"
#include "pv/errno.h"
#include "pv/netif.h"
#include "pvtime.h"

#define FRAMES_PER_POLL 32u
#define HOLD_NS         200000000ull

/*
 * DEV-33: one bridge port per interface, taken at attach and given back
 * at detach; the grant-map budget (DEV-34) bounds the interfaces to
 * fewer than BRIDGE_PORTS, so a port is always free for one that fits.
 */
_Static_assert(BRIDGE_PORTS * 2u >= BACKEND_MAP_BUDGET, "every interface the budget admits has a port");

/* One frame between its sender's ring and its receivers'. */
struct held_frame {
    bool busy;
    bool unicast;                       /* to the port `to`; else a flood */
    uint32_t to;
    uint32_t len;
    uint16_t rx_flags;                  /* NETRXF_ the receivers get */
    uint64_t since;
};

static uint8_t bounce[BRIDGE_PORTS][4096] __attribute__((aligned(4096)));
static struct held_frame held[BRIDGE_PORTS];
static struct bridge bridge;
/* The interface behind each bridge port, and its guest (NULL: free). */
static struct net_back *port_net[BRIDGE_PORTS];
static struct guest_devs *port_guest[BRIDGE_PORTS];

static int take_port(struct guest_devs *g, struct net_back *n, const uint8_t mac[6],
                     const char **why)
{
    uint32_t p;
    int rc;

    for (p = 0; p < BRIDGE_PORTS && port_net[p]; p++)
        ;
    if (p == BRIDGE_PORTS) {
        *why = "net backend: no free bridge port";
        return -ENOSPC;
    }
    /* DEV-11: the configured MAC lives in the port, whatever else is attached */
    rc = bridge_attach(&bridge, p, mac);
    if (rc) {
        *why = rc == -EEXIST ? "net backend: another interface has that MAC"
                             : "net backend: the MAC is not a unicast address";
        return rc;
    }
    port_net[p] = n;
    port_guest[p] = g;
    n->bport = p;
    held[p].busy = false;
    /* DEV-13: a guest's floods share its first interface's budget, however many it has */
    if (n != &g->net[0] && g->net[0].configured)
        (void)bridge_share_budget(&bridge, p, g->net[0].bport);
    return 0;
}

/* Interface `index` of g with this MAC (DEV-31: each one its own device and port). */
static int attach_one(struct guest_devs *g, uint32_t index, const uint8_t mac[6],
                      const char **why)
{
    /* DEV-21: what Xen's netback offers before InitWait, of what we do */
    static const struct xb_kv features[] = { { "feature-rx-copy", "1" },
                                             { "feature-rx-flip", "0" } };
    struct net_back *n = &g->net[index];
    int rc = take_port(g, n, mac, why);

    if (rc)
        return rc;
    /* DEV-32: the first interface's lines are as before, the others name their index */
    snprintf(n->label, sizeof(n->label), index ? "vif %u" : "vif", index);
    n->index = index;
    memcpy(n->mac, mac, 6);
    n->configured = true;
    rc = xb_nodes_vif(g->id, index, mac);
    if (!rc)
        rc = xb_back_start(&n->xb, g->id, "vif", index, g->slot, index, features,
                           sizeof(features) / sizeof(features[0]));
    if (rc)
        *why = "net backend: cannot write the interface's xenstore nodes";
    return rc;
}

int net_back_attach(struct guest_devs *g, const struct guest_config *cfg, const char **why)
{
    uint32_t i;
    int rc = 0;

    for (i = 0; !rc && i < cfg->nr_vifs && i < CFG_MAX_VIFS; i++)
        rc = attach_one(g, i, cfg->vif[i].mac, why);
    return rc;
}

static void disconnect(struct net_back *n)
{
    if (n->configured)
        bridge_set_connected(&bridge, n->bport, false);
    if (n->port)
        evtchn_close_port(n->port);
    n->port = 0;
    backend_disconnect_page((void **)&n->tx_page, n->tx_handle);
    backend_disconnect_page((void **)&n->rx_page, n->rx_handle);
    n->connected = false;
    if (n->configured)
        held[n->bport].busy = false;
}

void net_back_detach(struct guest_devs *g)
{
    uint32_t i;

    for (i = 0; i < CFG_MAX_VIFS; i++) {
        struct net_back *n = &g->net[i];
        xb_back_stop(&n->xb);
        disconnect(n);
        if (n->configured) {
            bridge_detach(&bridge, n->bport);
            port_net[n->bport] = NULL;
            port_guest[n->bport] = NULL;
        }
        n->configured = false;
    }
}

/*
 * DEV-22: as Xen's netback: tx-ring-ref, rx-ring-ref, one event-channel
 * (split channels are not offered) and request-rx-copy = 1 (the only
 * receive mode we have). 0, or -errno with nothing kept.
 */
static int connect(struct guest_devs *g, struct net_back *n)
{
    uint32_t tx = 0, rx = 0, evt = 0, rx_copy = 0;
    int rc;

    /* a Connected seen again (our own state write failed): never map twice */
    if (n->connected || n->port || n->tx_page || n->rx_page)
        disconnect(n);
    rc = xb_back_read_u32(&n->xb, "tx-ring-ref", 0xFFFFFFFFu, &tx);
    if (!rc)
        rc = xb_back_read_u32(&n->xb, "rx-ring-ref", 0xFFFFFFFFu, &rx);
    if (!rc)
        rc = xb_back_read_u32(&n->xb, "event-channel", 0xFFFFFFFFu, &evt);
    if (!rc)
        rc = xb_back_read_u32(&n->xb, "request-rx-copy", 1u, &rx_copy);
    if (!rc && rx_copy != 1u)
        rc = -EOPNOTSUPP;
    if (rc) {
        backend_refused_keys(g, n->label, &n->xb, "tx-ring-ref, rx-ring-ref, event-channel or "
                             "request-rx-copy", rc);
        return rc;
    }
    rc = backend_connect_page(g, tx, (void **)&n->tx_page, &n->tx_handle);
    if (!rc)
        rc = backend_connect_page(g, rx, (void **)&n->rx_page, &n->rx_handle);
    if (rc) {
        backend_refused_map(g, n->label, &n->refused_maps, rc);     /* DEV-4 */
        backend_disconnect_page((void **)&n->tx_page, n->tx_handle);
        return rc;
    }
    rc = evtchn_bind_interdomain_port(g->id, evt, &n->port);
    if (rc) {
        n->port = 0;
        backend_disconnect_page((void **)&n->tx_page, n->tx_handle);
        backend_disconnect_page((void **)&n->rx_page, n->rx_handle);
        backend_refused_keys(g, n->label, &n->xb, "event-channel (cannot bind it)", rc);
        return rc;
    }
    events_test_and_clear(n->port);     /* binding marks it pending: not a kick yet */
    ring_back_attach(&n->tx, n->tx_page, sizeof(union netif_tx_sring_entry));
    ring_back_attach(&n->rx, n->rx_page, sizeof(union netif_rx_sring_entry));
    n->connected = true;
    n->broken = false;
    bridge_set_connected(&bridge, n->bport, true);
    backend_log("dom0: %s of domain %u connected\n", n->label, g->id);
    return 0;
}

/*
 * DEV-21: follow the frontend's state. What we write fires the guest's
 * watches; its store is served again at once, so the events reach it in
 * this round and not after dom0's next sleep. Returns what moved.
 */
static uint32_t handshake(struct guest_devs *g, struct net_back *n)
{
    struct xb_step st;

    if (!xb_back_take(&n->xb, &st))
        return 0;
    if (st.action == XB_CONNECT && connect(g, n)) {
        xb_back_switch(&n->xb, XenbusStateClosing);     /* as Xen's xenbus_dev_fatal */
        return 1 + store_back_poll(g);
    }
    if (st.action == XB_DISCONNECT && (n->connected || n->port || n->tx_page || n->rx_page)) {
        disconnect(n);
        backend_log("dom0: %s of domain %u disconnected (frontend state %u)\n", n->label, g->id,
                    n->xb.last_fe);
    }
    xb_back_switch(&n->xb, st.next);
    return 1 + store_back_poll(g);
}

/* DEV-8: impossible indices disconnect this device only. */
static void disconnect_bad_peer(struct guest_devs *g, struct net_back *n, const char *ring)
{
    n->broken = true;
    bridge_set_connected(&bridge, n->bport, false);
    backend_log("dom0: %s of domain %u: impossible %s ring indices; disconnected\n", n->label,
                g->id, ring);
}

static int copy(struct gnttab_copy *op)
{
    int rc = grants_copy(op, 1);

    return rc ? rc : op->status;
}

/* Deliver the bounce page `slot` to g's interface n: 1 delivered, 0 no buffer posted, -1 failed. */
static int deliver(struct guest_devs *g, struct net_back *n, uint32_t slot, uint32_t len,
                   uint16_t rx_flags)
{
    union netif_rx_sring_entry e;
    struct gnttab_copy op;
    enum ring_status st = ring_back_take_request(&n->rx, &e);
    struct netif_rx_request req;
    int16_t status;

    /* none posted: ask for a kick when one is, so a held frame waits for an event */
    if (st == RING_EMPTY && (st = ring_back_final_check(&n->rx)) == RING_OK)
        st = ring_back_take_request(&n->rx, &e);
    if (st == RING_BAD_PEER)
        disconnect_bad_peer(g, n, "receive");
    if (st != RING_OK)
        return 0;
    req = e.req;
    memset(&op, 0, sizeof(op));
    op.source.u.gmfn = virt_to_mfn(bounce[slot]);
    op.source.domid = DOMID_SELF;
    op.dest.u.ref = req.gref;
    op.dest.domid = g->id;
    op.len = (uint16_t)len;
    op.flags = GNTCOPY_dest_gref;
    status = copy(&op) ? NETIF_RSP_ERROR : (int16_t)len;
    memset(&e, 0, sizeof(e));
    e.rsp.id = req.id;
    e.rsp.status = status;
    e.rsp.flags = status < 0 ? 0 : rx_flags;
    ring_back_put_response(&n->rx, &e);
    backend_push(&n->rx, n->port);
    if (status < 0) {
        n->malformed++;
        return -1;
    }
    n->rx_frames++;
    return 1;
}

/* The interface behind bridge port p, if it can receive now. */
static struct net_back *receiver(uint32_t p)
{
    struct net_back *n = p < BRIDGE_PORTS ? port_net[p] : NULL;

    return n && bridge_can_receive(&bridge, p) && !n->broken ? n : NULL;
}

/* Try to move sender slot's held frame on; true when it is gone. */
static bool forward(uint32_t slot)
{
    struct held_frame *h = &held[slot];
    struct net_back *to;
    uint32_t k;

    if (h->unicast) {
        to = receiver(h->to);
        if (!to || !bridge_still_for(&bridge, h->to, bounce[slot]))
            return true;                /* it went away meanwhile (its port may be another's now) */
        if (deliver(port_guest[h->to], to, slot, h->len, h->rx_flags))
            return true;
        if (pv_time_ns() - h->since < HOLD_NS)
            return false;
        to->dropped++;
        return true;
    }
    /* DEV-13: a flood within budget reaches whoever has a buffer now */
    for (k = 0; k < BRIDGE_PORTS; k++) {
        if (k == slot || !(to = receiver(k)))
            continue;
        if (deliver(port_guest[k], to, slot, h->len, h->rx_flags) == 0)
            to->dropped++;
    }
    return true;
}

/*
 * DEV-7: the checksum hints a frontend sets (Linux's netfront on every
 * local TCP or UDP packet) go to the receiver as Xen's netback gives them:
 * a blank checksum as NETRXF_csum_blank | NETRXF_data_validated, a checked
 * one as NETRXF_data_validated. Fragments and extra info are not offered.
 */
#define NETTXF_TAKEN (NETTXF_csum_blank | NETTXF_data_validated)

static uint16_t rx_flags_of(uint16_t tx_flags)
{
    if (tx_flags & NETTXF_csum_blank)
        return NETRXF_csum_blank | NETRXF_data_validated;
    return (tx_flags & NETTXF_data_validated) ? NETRXF_data_validated : 0;
}

static bool take_frame(struct guest_devs *g, uint32_t slot, const struct netif_tx_request *r)
{
    struct gnttab_copy op;

    if (r->size < NETIF_ETH_HLEN || r->size > NETIF_MAX_FRAME || (r->flags & ~NETTXF_TAKEN) ||
        (uint32_t)r->offset + r->size > 4096u)
        return false;
    memset(&op, 0, sizeof(op));
    op.source.u.ref = r->gref;
    op.source.domid = g->id;
    op.source.offset = r->offset;
    op.dest.u.gmfn = virt_to_mfn(bounce[slot]);
    op.dest.domid = DOMID_SELF;
    op.len = r->size;
    op.flags = GNTCOPY_source_gref;
    return copy(&op) == 0;
}

/*
 * Take one transmit request: copy its frame, ask the bridge where it goes,
 * count the outcome and hold it for forwarding if it goes anywhere. The
 * transmit response's status.
 */
static int16_t transmit(struct guest_devs *g, struct net_back *n,
                        const struct netif_tx_request *req)
{
    struct held_frame *h = &held[n->bport];
    uint32_t to = 0;

    if (!take_frame(g, n->bport, req)) {
        n->malformed++;
        return NETIF_RSP_ERROR;
    }
    switch (bridge_route(&bridge, n->bport, bounce[n->bport], pv_time_ns(), &to)) {
    case BRIDGE_SPOOFED:
        n->spoofed++;
        return NETIF_RSP_DROPPED;
    case BRIDGE_NO_DEST:
        n->nodest++;
        return NETIF_RSP_DROPPED;
    case BRIDGE_LIMITED:
        n->limited++;
        return NETIF_RSP_DROPPED;
    case BRIDGE_UNICAST:
        h->unicast = true;
        h->to = to;
        break;
    case BRIDGE_FLOOD:
        h->unicast = false;
        break;
    }
    n->tx_frames++;
    h->busy = true;
    h->len = req->size;
    h->rx_flags = rx_flags_of(req->flags);
    h->since = pv_time_ns();
    return NETIF_RSP_OKAY;
}

/* One interface's turn (DEV-31: each interface of a guest is served on its own). */
static uint32_t poll_one(struct guest_devs *g, struct net_back *n)
{
    uint32_t slot = n->bport, moved = 0, moved_xb;
    union netif_tx_sring_entry e;
    enum ring_status st = RING_OK;
    bool more = false;

    if (!n->configured)
        return 0;
    moved_xb = handshake(g, n);
    if (!n->connected)
        return moved_xb;
    /* connected: serve at once (the frontend may have queued requests with its Connected) */
    /* DEV-14: consume the kick before looking at the rings, so a later one is a new event
     * (a broken interface's too, or its pending port would end every poll at once) */
    events_test_and_clear(n->port);
    if (n->broken)
        return moved_xb;
    while (moved < FRAMES_PER_POLL) {
        struct netif_tx_request req;

        if (held[slot].busy) {
            if (!forward(slot))
                break;
            held[slot].busy = false;
        }
        st = ring_back_take_request(&n->tx, &e);
        if (st != RING_OK)
            break;
        req = e.req;                    /* our private copy, looked at once */
        memset(&e, 0, sizeof(e));
        e.rsp.id = req.id;
        e.rsp.status = transmit(g, n, &req);
        ring_back_put_response(&n->tx, &e);
        moved++;
    }
    if (moved)
        backend_push(&n->tx, n->port);
    else if (st == RING_EMPTY && !held[slot].busy)
        more = (st = ring_back_final_check(&n->tx)) == RING_OK;
    if (st == RING_BAD_PEER)
        disconnect_bad_peer(g, n, "transmit");
    /* a request that came in before the final check asked for a kick has
     * none: say there is work, or dom0 would sleep beside it */
    return moved_xb + (moved ? moved : more);
}

uint32_t net_back_poll(struct guest_devs *g)
{
    uint32_t i, moved = 0;

    for (i = 0; i < CFG_MAX_VIFS; i++)
        moved += poll_one(g, &g->net[i]);
    return moved;
}
