/*
 * The bridge's forwarding policy (see bridge.h for the theory of
 * operation and the rules it keeps).
 */
#include "bridge.h"
#include "pv/errno.h"
#include "string.h"

static bool is_group(const uint8_t mac[6])
{
    return (mac[0] & 1u) != 0;
}

/* The attached port configured with `mac`, or BRIDGE_PORTS. */
static uint32_t port_of(const struct bridge *b, const uint8_t mac[6])
{
    uint32_t p;

    for (p = 0; p < BRIDGE_PORTS; p++)
        if (b->port[p].attached && !memcmp(b->port[p].mac, mac, 6))
            return p;
    return BRIDGE_PORTS;
}

int bridge_attach(struct bridge *b, uint32_t p, const uint8_t mac[6])
{
    struct bridge_port *port;

    if (p >= BRIDGE_PORTS || b->port[p].attached || is_group(mac))
        return -EINVAL;
    if (port_of(b, mac) < BRIDGE_PORTS)
        return -EEXIST;                 /* two stations, one address: refuse the second */
    port = &b->port[p];
    memset(port, 0, sizeof(*port));
    memcpy(port->mac, mac, 6);
    port->attached = true;
    port->payer = p;
    return 0;
}

int bridge_share_budget(struct bridge *b, uint32_t p, uint32_t payer)
{
    if (p >= BRIDGE_PORTS || payer >= BRIDGE_PORTS || !b->port[p].attached ||
        !b->port[payer].attached)
        return -EINVAL;
    b->port[p].payer = payer;
    return 0;
}

void bridge_detach(struct bridge *b, uint32_t p)
{
    uint32_t q;

    if (p >= BRIDGE_PORTS)
        return;
    memset(&b->port[p], 0, sizeof(b->port[p]));
    /* its port may be another guest's next: nobody keeps charging it */
    for (q = 0; q < BRIDGE_PORTS; q++)
        if (b->port[q].payer == p)
            b->port[q].payer = q;
}

void bridge_set_connected(struct bridge *b, uint32_t p, bool connected)
{
    if (p < BRIDGE_PORTS && b->port[p].attached)
        b->port[p].connected = connected;
}

bool bridge_can_receive(const struct bridge *b, uint32_t p)
{
    return p < BRIDGE_PORTS && b->port[p].attached && b->port[p].connected;
}

bool bridge_still_for(const struct bridge *b, uint32_t p, const uint8_t dst[6])
{
    return bridge_can_receive(b, p) && !memcmp(b->port[p].mac, dst, 6);
}

/*
 * DEV-13: the generic cell-rate rule. A flood conforms if it is not more
 * than BURST-1 intervals ahead of the steady rate; each one taken pushes
 * the port's theoretical arrival time one interval on. A port idle for
 * long starts again with a full burst (tat falls behind now).
 */
static bool flood_allowed(struct bridge_port *port, uint64_t now_ns)
{
    const uint64_t tolerance = (BRIDGE_FLOOD_BURST - 1u) * BRIDGE_FLOOD_INTERVAL_NS;

    if (port->flood_tat_ns > now_ns && port->flood_tat_ns - now_ns > tolerance)
        return false;
    port->flood_tat_ns = (port->flood_tat_ns > now_ns ? port->flood_tat_ns : now_ns) +
                         BRIDGE_FLOOD_INTERVAL_NS;
    return true;
}

/* DEV-13: whose budget a flood from `from` is charged to (one per guest, DEV-33). */
static uint32_t payer_of(const struct bridge *b, uint32_t from)
{
    uint32_t q = b->port[from].payer;

    return q < BRIDGE_PORTS && b->port[q].attached ? q : from;
}

enum bridge_verdict bridge_route(struct bridge *b, uint32_t from, const uint8_t hdr[12],
                                 uint64_t now_ns, uint32_t *to)
{
    const uint8_t *dst = hdr, *src = hdr + 6;
    uint32_t p;

    /* DEV-11: only its own configured address (a port out of range has none) */
    if (from >= BRIDGE_PORTS || !b->port[from].attached || memcmp(src, b->port[from].mac, 6))
        return BRIDGE_SPOOFED;
    if (is_group(dst))
        return flood_allowed(&b->port[payer_of(b, from)], now_ns) ? BRIDGE_FLOOD
                                                                   : BRIDGE_LIMITED;
    /* DEV-12: the configured owner of the address, never the sender itself */
    p = port_of(b, dst);
    if (p == BRIDGE_PORTS || p == from || !b->port[p].connected)
        return BRIDGE_NO_DEST;
    *to = p;
    return BRIDGE_UNICAST;
}
