/*
 * The network backend: a learning bridge between the guests' interfaces.
 *
 * A frame a guest sends is copied (GNTTABOP_copy) from its granted page
 * into a bounce page of ours, its transmit request answered at once, and
 * its source MAC learned for that interface (a guest can only claim
 * addresses for its own port, and the configured MAC is learned at
 * attach, pinned: a frame claiming another interface's configured MAC
 * as its source is dropped as spoofed). The destination is looked up: a known unicast address goes to
 * that interface only, broadcast, multicast and unknown addresses to
 * every other connected one. Delivery copies the bounce page into a
 * receive buffer the destination posted; an interface with no buffer
 * posted holds the sender's next frame back (so a fast sender is slowed
 * to the receiver's pace and nothing is lost) for at most HOLD_NS, after
 * which the frame is dropped and counted. Malformed requests (size,
 * offset, flags, a ref that does not copy) are answered with an error,
 * counted, and never forwarded.
 */
#include "backend_dev.h"
#include "devices.h"
#include "events.h"
#include "grants.h"
#include "guest.h"
#include "pv/errno.h"
#include "pv/netif.h"
#include "pvtime.h"

#define FRAMES_PER_POLL 32u
#define HOLD_NS         200000000ull
#define MAC_TABLE       256u

struct mac_entry {
    uint8_t mac[6];
    domid_t id;
    bool used;
    bool pinned;                        /* configured: never moves to another port */
};

/* One frame between its sender's ring and its receivers'. */
struct held_frame {
    bool busy;
    uint32_t len;
    domid_t from;
    uint64_t since;
};

static uint8_t bounce[BACKEND_MAX_GUESTS][4096] __attribute__((aligned(4096)));
static struct held_frame held[BACKEND_MAX_GUESTS];
static struct mac_entry macs[MAC_TABLE];

/* Record that `mac` is behind `id`'s port; false if it is pinned to another. */
static bool learn(const uint8_t mac[6], domid_t id, bool pin)
{
    uint32_t i, free_slot = MAC_TABLE;

    if (mac[0] & 1)
        return true;                    /* never learn a group address */
    for (i = 0; i < MAC_TABLE; i++) {
        if (macs[i].used && !memcmp(macs[i].mac, mac, 6)) {
            if (macs[i].pinned && macs[i].id != id)
                return false;
            macs[i].id = id;            /* a station moved */
            macs[i].pinned |= pin;
            return true;
        }
        if (!macs[i].used && free_slot == MAC_TABLE)
            free_slot = i;
    }
    if (free_slot < MAC_TABLE) {
        memcpy(macs[free_slot].mac, mac, 6);
        macs[free_slot].id = id;
        macs[free_slot].used = true;
        macs[free_slot].pinned = pin;
    }
    return true;
}

static void forget(domid_t id)
{
    uint32_t i;

    for (i = 0; i < MAC_TABLE; i++)
        if (macs[i].used && macs[i].id == id)
            macs[i].used = macs[i].pinned = false;
}

/* The interface a unicast MAC was learned on, or NULL. */
static struct guest_devs *lookup(const uint8_t mac[6])
{
    uint32_t i, k;

    if (mac[0] & 1)
        return NULL;
    for (i = 0; i < MAC_TABLE; i++) {
        if (!macs[i].used || memcmp(macs[i].mac, mac, 6))
            continue;
        for (k = 0; k < BACKEND_MAX_GUESTS; k++) {
            struct guest_devs *g = backend_guest_at(k);
            if (g && g->id == macs[i].id && g->net.connected && !g->net.broken)
                return g;
        }
    }
    return NULL;
}

int net_back_attach(struct guest_devs *g, const struct guest_config *cfg, uint32_t guest_port,
                    const char **why)
{
    struct net_back *n = &g->net;
    int rc = evtchn_bind_interdomain_port(g->id, guest_port, &n->port);

    if (rc) {
        *why = "net backend: cannot bind the interface's event channel";
        return rc;
    }
    events_test_and_clear(n->port);     /* binding marks it pending: not a kick yet */
    memcpy(n->mac, cfg->mac, 6);
    if (!learn(n->mac, g->id, true)) {
        evtchn_close_port(n->port);
        n->port = 0;
        *why = "net backend: another guest's interface has that MAC";
        return -EEXIST;
    }
    n->configured = true;
    return 0;
}

void net_back_detach(struct guest_devs *g)
{
    struct net_back *n = &g->net;

    if (n->port)
        evtchn_close_port(n->port);
    n->port = 0;
    backend_disconnect_page((void **)&n->tx_page, n->tx_handle);
    backend_disconnect_page((void **)&n->rx_page, n->rx_handle);
    n->connected = false;
    n->configured = false;
    held[g->slot].busy = false;
    forget(g->id);
}

static void try_connect(struct guest_devs *g)
{
    struct net_back *n = &g->net;
    int rc;

    if (!events_test_and_clear(n->port))
        return;
    rc = backend_connect_page(g, DEV_REF_NET_TX, (void **)&n->tx_page, &n->tx_handle);
    if (!rc)
        rc = backend_connect_page(g, DEV_REF_NET_RX, (void **)&n->rx_page, &n->rx_handle);
    if (rc) {
        backend_refused_map(g, "vif", &n->refused_maps, rc);     /* DEV-4 */
        backend_disconnect_page((void **)&n->tx_page, n->tx_handle);
        return;
    }
    ring_back_attach(&n->tx, n->tx_page, sizeof(union netif_tx_sring_entry));
    ring_back_attach(&n->rx, n->rx_page, sizeof(union netif_rx_sring_entry));
    n->connected = true;
    gprintf("dom0: vif of domain %u connected\n", g->id);
}

static void disconnect_bad_peer(struct guest_devs *g, const char *ring)
{
    g->net.broken = true;
    gprintf("dom0: vif of domain %u: impossible %s ring indices; disconnected\n", g->id, ring);
}

static int copy(struct gnttab_copy *op)
{
    int rc = grants_copy(op, 1);

    return rc ? rc : op->status;
}

/* Deliver the bounce page `slot` to g: 1 delivered, 0 no buffer posted, -1 failed. */
static int deliver(struct guest_devs *g, uint32_t slot, uint32_t len)
{
    struct net_back *n = &g->net;
    union netif_rx_sring_entry e;
    struct gnttab_copy op;
    enum ring_status st = ring_back_take_request(&n->rx, &e);
    struct netif_rx_request req;
    int16_t status;

    if (st == RING_BAD_PEER)
        disconnect_bad_peer(g, "receive");
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
    ring_back_put_response(&n->rx, &e);
    backend_push(&n->rx, n->port);
    if (status < 0) {
        n->malformed++;
        return -1;
    }
    n->rx_frames++;
    return 1;
}

/* Try to move sender slot's held frame on; true when it is gone. */
static bool forward(uint32_t slot)
{
    struct held_frame *h = &held[slot];
    struct guest_devs *to = lookup(bounce[slot]);
    uint32_t k;

    if (to) {
        if (to->id == h->from)
            return true;                /* to itself: a bridge never sends back */
        if (deliver(to, slot, h->len))
            return true;
        if (pv_time_ns() - h->since < HOLD_NS)
            return false;
        to->net.dropped++;
        return true;
    }
    /* flood: whoever has a buffer now gets it; the others miss it */
    for (k = 0; k < BACKEND_MAX_GUESTS; k++) {
        struct guest_devs *g = backend_guest_at(k);
        if (!g || g->id == h->from || !g->net.connected || g->net.broken)
            continue;
        if (deliver(g, slot, h->len) == 0)
            g->net.dropped++;
    }
    return true;
}

static int16_t take_frame(struct guest_devs *g, uint32_t slot, const struct netif_tx_request *r)
{
    struct gnttab_copy op;

    if (r->size < NETIF_ETH_HLEN || r->size > NETIF_MAX_FRAME || r->flags ||
        (uint32_t)r->offset + r->size > 4096u)
        return NETIF_RSP_ERROR;
    memset(&op, 0, sizeof(op));
    op.source.u.ref = r->gref;
    op.source.domid = g->id;
    op.source.offset = r->offset;
    op.dest.u.gmfn = virt_to_mfn(bounce[slot]);
    op.dest.domid = DOMID_SELF;
    op.len = r->size;
    op.flags = GNTCOPY_source_gref;
    return copy(&op) ? NETIF_RSP_ERROR : NETIF_RSP_OKAY;
}

uint32_t net_back_poll(struct guest_devs *g)
{
    struct net_back *n = &g->net;
    uint32_t slot = g->slot, moved = 0;
    union netif_tx_sring_entry e;
    enum ring_status st = RING_OK;

    if (!n->configured || n->broken)
        return 0;
    if (!n->connected) {
        try_connect(g);
        return 0;
    }
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
        req = e.req;
        memset(&e, 0, sizeof(e));
        e.rsp.id = req.id;
        e.rsp.status = take_frame(g, slot, &req);
        ring_back_put_response(&n->tx, &e);
        moved++;
        if (e.rsp.status != NETIF_RSP_OKAY) {
            n->malformed++;
            continue;
        }
        if (!learn(bounce[slot] + 6, g->id, false)) {
            n->dropped++;               /* spoofed source: another port's address */
            continue;
        }
        n->tx_frames++;
        held[slot].busy = true;
        held[slot].len = req.size;
        held[slot].from = g->id;
        held[slot].since = pv_time_ns();
    }
    if (moved)
        backend_push(&n->tx, n->port);
    else if (st == RING_EMPTY && !held[slot].busy)
        st = ring_back_final_check(&n->tx);
    if (st == RING_BAD_PEER)
        disconnect_bad_peer(g, "transmit");
    return moved;
}
