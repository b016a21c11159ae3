/*
 * Xenstore output (XS-2, XS-3): each connection's queue of whole
 * messages (a 16-byte xsd_sockmsg header, then the payload), drained by
 * the ring producer in any sized pieces. A reply echoes the request's
 * req_id and tx_id; an error reply is XS_ERROR with Xen's errno name; a
 * reply longer than XENSTORE_PAYLOAD_MAX becomes E2BIG, as in Xen. A
 * connection hands in a request only when its queue has room for the
 * longest reply and two longest events (xs_can_take), and events always
 * leave room for one longest reply, so a reply is never dropped.
 */
#include "xs_impl.h"
#include "pv/xs_errors.h"

const char *xs_error_name(int err)
{
    uint32_t i;

    for (i = 0; i < XS_ERRNO_NAMES; i++)
        if (xs_errno_names[i].err == err)
            return xs_errno_names[i].name;
    return xs_errno_names[0].name;          /* unnamed: EINVAL, as Xen */
}

static uint32_t free_bytes(const struct xs_outq *q)
{
    return XS_OUTQ_SIZE - (q->tail - q->head);
}

static void put_bytes(struct xs_outq *q, const void *src, uint32_t len)
{
    const uint8_t *p = src;
    uint32_t i;

    for (i = 0; i < len; i++)
        q->buf[(q->tail + i) % XS_OUTQ_SIZE] = p[i];
    q->tail += len;
}

/* One header field, in the x86 byte order both ends of the ring use. */
static void put_u32(struct xs_outq *q, uint32_t v)
{
    const uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                           (uint8_t)(v >> 24) };

    put_bytes(q, b, sizeof(b));
}

bool xs_out_put(struct xs_store *s, uint32_t c, uint32_t type, uint32_t req_id, uint32_t tx_id,
                const void *payload, uint32_t len)
{
    struct xs_outq *q = &s->conn[c].out;
    /* XS-21: an event leaves room for the longest reply, so no reply is lost */
    uint32_t keep = type == XS_WATCH_EVENT ? XS_MSG_MAX : 0;

    if (len > XENSTORE_PAYLOAD_MAX ||
        free_bytes(q) < sizeof(struct xsd_sockmsg) + len + keep)
        return false;
    put_u32(q, type);
    put_u32(q, req_id);
    put_u32(q, tx_id);
    put_u32(q, len);
    put_bytes(q, payload, len);
    q->msgs++;
    return true;
}

void xs_reply(struct xs_req *rq, uint32_t type, const void *payload, uint32_t len)
{
    if (len > XENSTORE_PAYLOAD_MAX) {
        xs_reply_error(rq, E2BIG);
        return;
    }
    (void)xs_out_put(rq->s, rq->c, type, rq->hdr.req_id, rq->hdr.tx_id, payload, len);
}

void xs_reply_ok(struct xs_req *rq)
{
    xs_reply(rq, rq->hdr.type, "OK", 3u);
}

void xs_reply_error(struct xs_req *rq, int err)
{
    const char *name = xs_error_name(err);

    (void)xs_out_put(rq->s, rq->c, XS_ERROR, rq->hdr.req_id, rq->hdr.tx_id, name,
                     (uint32_t)strlen(name) + 1u);
}

bool xs_can_take(const struct xs_store *s, uint32_t c)
{
    const struct xs_conn *cn;

    if (c >= XS_CONNS || !s->conn[c].used)
        return false;
    cn = &s->conn[c];
    /* XS-13: the ring waits; nothing in it is lost */
    if (!cn->priv && cn->out.msgs >= s->quota.outstanding)
        return false;
    return free_bytes(&cn->out) >= 3u * XS_MSG_MAX;
}

uint32_t xs_out_pending(const struct xs_store *s, uint32_t c)
{
    if (c >= XS_CONNS || !s->conn[c].used)
        return 0;
    return s->conn[c].out.tail - s->conn[c].out.head;
}

/* Bytes of the message starting at the queue's head: its header says. */
static uint32_t head_message_len(const struct xs_outq *q)
{
    uint8_t h[sizeof(struct xsd_sockmsg)];
    struct xsd_sockmsg m;
    uint32_t i;

    for (i = 0; i < sizeof(h); i++)
        h[i] = q->buf[(q->head + i) % XS_OUTQ_SIZE];
    memcpy(&m, h, sizeof(m));
    return (uint32_t)sizeof(m) + m.len;
}

uint32_t xs_out_take(struct xs_store *s, uint32_t c, uint8_t *dst, uint32_t max)
{
    struct xs_outq *q;
    uint32_t n = 0;

    if (c >= XS_CONNS || !s->conn[c].used)
        return 0;
    q = &s->conn[c].out;
    while (n < max && q->head != q->tail) {
        if (q->left == 0)
            q->left = head_message_len(q);
        dst[n++] = q->buf[q->head++ % XS_OUTQ_SIZE];
        if (--q->left == 0)
            q->msgs--;
    }
    return n;
}
