/*
 * One guest's xenstore ring, served: see xs_link.h.
 */
#include "xs_link.h"
#include "string.h"
#include "xs_ring.h"

static void set_error(struct xenstore_domain_interface *intf, uint32_t err)
{
    *(volatile uint32_t *)&intf->error = err;
}

void xs_link_init(struct xs_link *l, struct xenstore_domain_interface *intf)
{
    memset(l, 0, sizeof(*l));
    *(volatile uint32_t *)&intf->server_features = XENSTORE_SERVER_FEATURE_ERROR;
}

static enum xs_link_result broken(struct xs_link *l, struct xenstore_domain_interface *intf,
                                  uint32_t err)
{
    l->broken = true;
    l->error = err;
    set_error(intf, err);
    return XS_LINK_BROKEN;
}

/* Queued output into rsp[]: -1 bad peer, else the bytes moved. */
static int32_t push_out(struct xs_store *s, uint32_t c, struct xs_link *l,
                        struct xenstore_domain_interface *intf)
{
    int32_t room = xs_ring_room(intf, XS_RING_RSP);
    uint32_t n;

    if (room < 0)
        return -1;
    n = xs_out_pending(s, c);
    if (n > (uint32_t)room)
        n = (uint32_t)room;
    if (n == 0)
        return 0;
    n = xs_out_take(s, c, (uint8_t *)l->chunk, n);
    /* the guest can only have made room since: less means it moved rsp_cons back */
    return xs_ring_write(intf, XS_RING_RSP, l->chunk, n) == (int32_t)n ? (int32_t)n : -1;
}

/* Bytes the current message still needs: its header first, then its payload. */
static uint32_t wanted(const struct xs_link *l)
{
    struct xsd_sockmsg h;

    if (l->have < sizeof(h))
        return (uint32_t)sizeof(h) - l->have;
    memcpy(&h, l->msg, sizeof(h));
    return (uint32_t)sizeof(h) + h.len - l->have;
}

/* req[] into the message: -1 bad peer, -2 bad message, else bytes read. */
static int32_t pull_in(struct xs_store *s, uint32_t c, struct xs_link *l,
                       struct xenstore_domain_interface *intf)
{
    struct xsd_sockmsg h;
    int32_t got = xs_ring_read(intf, XS_RING_REQ, (char *)l->msg + l->have, wanted(l));

    if (got <= 0)
        return got;
    l->have += (uint32_t)got;
    if (l->have < sizeof(h))
        return got;
    memcpy(&h, l->msg, sizeof(h));
    if (h.len > XENSTORE_PAYLOAD_MAX)
        return -2;                      /* XS-3: before a byte of its payload is read */
    if (l->have == sizeof(h) + h.len) {
        l->have = 0;
        if (xs_request(s, c, l->msg, (uint32_t)sizeof(h) + h.len) != XS_OK)
            return -2;
    }
    return got;
}

enum xs_link_result xs_link_serve(struct xs_store *s, uint32_t c, struct xs_link *l,
                                  struct xenstore_domain_interface *intf)
{
    bool moved = false;
    uint32_t round;

    if (l->broken)
        return XS_LINK_BROKEN;
    for (round = 0; round < XS_LINK_ROUNDS; round++) {
        int32_t out = push_out(s, c, l, intf), in = 0;

        if (out < 0)            /* XS-19: rsp indices impossible, whoever wrote them */
            return broken(l, intf, XENSTORE_ERROR_RINGIDX);
        if (xs_can_take(s, c))
            in = pull_in(s, c, l, intf);
        if (in == -1)           /* XS-19: req indices impossible, at any moment */
            return broken(l, intf, XENSTORE_ERROR_RINGIDX);
        if (in == -2)
            return broken(l, intf, XENSTORE_ERROR_PROTO);
        if (out == 0 && in == 0)
            break;
        moved = true;
    }
    return moved ? XS_LINK_MOVED : XS_LINK_IDLE;
}
