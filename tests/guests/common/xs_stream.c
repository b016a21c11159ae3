/*
 * The xenstore response stream in chunks, and requests written in
 * batches: see xs_stream.h.
 */
#include "xs_stream.h"
#include "events.h"
#include "guest.h"
#include "pvtime.h"
#include "xs_ring.h"

static char sbuf[2u * (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)];
static uint32_t shave;

/* A whole message at the front of the buffer into m: 1, 0 (not yet), -1 (malformed). */
static int take_one(struct xenbus_msg *m)
{
    uint32_t used;

    if (shave < sizeof(m->h))
        return 0;
    memcpy(&m->h, sbuf, sizeof(m->h));
    if (m->h.len > XENSTORE_PAYLOAD_MAX)
        return -1;
    used = (uint32_t)sizeof(m->h) + m->h.len;
    if (shave < used)
        return 0;
    memcpy(m->body, sbuf + sizeof(m->h), m->h.len);
    m->body[m->h.len] = '\0';
    memmove(sbuf, sbuf + used, shave - used);
    shave -= used;
    return 1;
}

int xs_stream_next(struct xenbus_msg *m, uint64_t timeout_ns)
{
    struct xenstore_domain_interface *page = xenbus_page();
    uint32_t port = start_info->store_evtchn;
    uint64_t end = pv_time_ns() + timeout_ns;
    int rc;

    while (!(rc = take_one(m))) {
        int32_t n = xs_ring_read(page, XS_RING_RSP, sbuf + shave,
                                 (uint32_t)sizeof(sbuf) - shave);

        if (n < 0)
            return -1;
        if (n > 0) {
            shave += (uint32_t)n;
            evtchn_send_port(port);     /* room again for dom0 */
            continue;
        }
        if (!timeout_ns || pv_time_ns() >= end || events_wait(port, end - pv_time_ns()))
            return 0;
    }
    return rc;
}

uint32_t xs_stream_post_many(uint32_t type, uint32_t tx, const char *payload, uint32_t len,
                             uint32_t n, uint32_t *next_id)
{
    static char batch[XENSTORE_RING_SIZE];
    struct xenstore_domain_interface *page = xenbus_page();
    const uint32_t one = (uint32_t)sizeof(struct xsd_sockmsg) + len;
    int32_t room = xs_ring_room(page, XS_RING_REQ);
    uint32_t k, fit = room > 0 && one <= XENSTORE_RING_SIZE ? (uint32_t)room / one : 0;

    if (n > fit)
        n = fit;
    for (k = 0; k < n; k++) {
        struct xsd_sockmsg h = { .type = type, .req_id = (*next_id)++, .tx_id = tx, .len = len };

        memcpy(batch + k * one, &h, sizeof(h));
        memcpy(batch + k * one + sizeof(h), payload, len);
    }
    if (n && xs_ring_write(page, XS_RING_REQ, batch, n * one) != (int32_t)(n * one))
        return 0;
    if (n)
        evtchn_send_port(start_info->store_evtchn);
    return n;
}

bool xs_stream_add(char *buf, uint32_t max, uint32_t *at, uint32_t type, uint32_t req_id,
                   uint32_t tx, const void *payload, uint32_t len)
{
    struct xsd_sockmsg h = { .type = type, .req_id = req_id, .tx_id = tx, .len = len };

    if (*at > max || max - *at < sizeof(h) + len)
        return false;
    memcpy(buf + *at, &h, sizeof(h));
    memcpy(buf + *at + sizeof(h), payload, len);
    *at += (uint32_t)sizeof(h) + len;
    return true;
}

int xs_stream_send(const char *buf, uint32_t len)
{
    struct xenstore_domain_interface *page = xenbus_page();
    int32_t room = xs_ring_room(page, XS_RING_REQ);

    if (room < 0 || (uint32_t)room < len ||
        xs_ring_write(page, XS_RING_REQ, buf, len) != (int32_t)len)
        return -1;
    evtchn_send_port(start_info->store_evtchn);
    return 0;
}
