/*
 * A xenbus client over the store ring (io/xs_wire.h), as a Xen kernel's
 * xenbus driver is one: the page is start_info.store_mfn, found in our
 * pseudo-physical map through the M2P table (Mini-OS's mfn_to_virt), the
 * channel start_info.store_evtchn. Requests go into req[] byte by byte at
 * MASK_XENSTORE_IDX(req_prod), then req_prod moves and the daemon is
 * notified; replies are read from rsp[] the same way, a 16-byte header
 * then its payload, rsp_cons moved and the daemon notified, as Linux's
 * xb_write and xb_read do. One request is outstanding at a time; watch
 * events that arrive meanwhile are counted per token.
 */
#include "cxb.h"
#include "pv/errno.h"
#include "pv/xs_errors.h"

extern char __virt_base[];

#define MAX_TOKENS 8

static volatile struct xenstore_domain_interface *intf;
static uint32_t port, next_req_id = 1;
static struct xs_msg incoming;

static struct {
    char token[24];
    uint32_t events;
    char path[96];
} tokens[MAX_TOKENS];

int xsc_init(void)
{
    uint32_t mfn = start_info->store_mfn, pfn = cx_m2p(mfn);
    const uint32_t *p2m = (const uint32_t *)(uintptr_t)start_info->mfn_list;

    test_check("start_info.store_evtchn is a port", start_info->store_evtchn != 0);
    test_check("M2P[store_mfn] is one of our pages, P2M agrees",
               pfn < start_info->nr_pages && p2m[pfn] == mfn);
    if (pfn >= start_info->nr_pages || p2m[pfn] != mfn)
        return -EIO;
    intf = (volatile struct xenstore_domain_interface *)(void *)(__virt_base + pfn * 4096u);
    port = start_info->store_evtchn;
    return 0;
}

uint32_t xsc_port(void)
{
    return port;
}

static int ring_write(const char *data, uint32_t len, uint64_t deadline)
{
    while (len) {
        XENSTORE_RING_IDX cons = intf->req_cons, prod = intf->req_prod;
        uint32_t room;

        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        room = XENSTORE_RING_SIZE - (prod - cons);
        if (prod - cons > XENSTORE_RING_SIZE)
            return -EIO;
        if (room == 0) {
            if (cx_wait(port, deadline))
                return -ETIMEDOUT;
            continue;
        }
        while (room && len) {
            intf->req[MASK_XENSTORE_IDX(prod)] = *data++;
            prod++;
            room--;
            len--;
        }
        __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* the bytes before the index */
        intf->req_prod = prod;
        cx_notify(port);
    }
    return 0;
}

static int ring_read(char *data, uint32_t len, uint64_t deadline)
{
    while (len) {
        XENSTORE_RING_IDX cons = intf->rsp_cons, prod = intf->rsp_prod;

        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (prod - cons > XENSTORE_RING_SIZE)
            return -EIO;
        if (prod == cons) {
            if (cx_wait(port, deadline))
                return -ETIMEDOUT;
            continue;
        }
        while (prod != cons && len) {
            *data++ = intf->rsp[MASK_XENSTORE_IDX(cons)];
            cons++;
            len--;
        }
        __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* read before we give the room back */
        intf->rsp_cons = cons;
        cx_notify(port);
    }
    return 0;
}

/* One whole message into m. */
static int recv_msg(struct xs_msg *m, uint64_t deadline)
{
    int rc = ring_read((char *)&m->h, sizeof(m->h), deadline);

    if (rc)
        return rc;
    if (m->h.len > XENSTORE_PAYLOAD_MAX)
        return -EIO;
    rc = ring_read(m->body, m->h.len, deadline);
    m->body[m->h.len] = '\0';
    return rc;
}

int xsc_token(const char *token)
{
    int i;

    for (i = 0; i < MAX_TOKENS; i++)
        if (!strcmp(tokens[i].token, token))
            return i;
    for (i = 0; i < MAX_TOKENS; i++)
        if (!tokens[i].token[0]) {
            snprintf(tokens[i].token, sizeof(tokens[i].token), "%s", token);
            return i;
        }
    guest_panic("compat-xenbus: too many watch tokens");
}

uint32_t xsc_events(int token)
{
    return tokens[token].events;
}

const char *xsc_last_path(int token)
{
    return tokens[token].path;
}

/* An event's payload: path, NUL, token, NUL (XS_WATCH_PATH, XS_WATCH_TOKEN). */
static void note_event(const struct xs_msg *m)
{
    const char *path = m->body;
    uint32_t plen = (uint32_t)strlen(path);
    const char *token = plen < m->h.len ? path + plen + 1 : "";
    int t = xsc_token(token);

    test_check("a watch event is path, NUL, token, NUL",
               plen + 1 < m->h.len && m->body[m->h.len - 1] == '\0' &&
               plen + 1 + strlen(token) + 1 == m->h.len);
    tokens[t].events++;
    snprintf(tokens[t].path, sizeof(tokens[t].path), "%s", path);
}

int xsc_pump(uint64_t deadline)
{
    int rc = recv_msg(&incoming, deadline);

    if (rc)
        return rc;
    if (incoming.h.type != XS_WATCH_EVENT) {
        gprintf("FAILED: an unasked-for message of type %u\n", incoming.h.type);
        test_failures++;
        return -EIO;
    }
    note_event(&incoming);
    return 0;
}

int xsc_raw(uint32_t type, uint32_t tx, const void *payload, uint32_t len, struct xs_msg *reply)
{
    static char msg[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
    uint64_t deadline = cx_now() + CXB_WAIT_NS;
    struct xsd_sockmsg h = { type, next_req_id++, tx, len };
    int rc;

    if (len > XENSTORE_PAYLOAD_MAX)
        return -E2BIG;
    memcpy(msg, &h, sizeof(h));
    memcpy(msg + sizeof(h), payload, len);
    rc = ring_write(msg, (uint32_t)sizeof(h) + len, deadline);
    while (!rc) {
        rc = recv_msg(reply, deadline);
        if (rc)
            break;
        if (reply->h.type == XS_WATCH_EVENT) {
            note_event(reply);
            continue;
        }
        /* XS-2: every reply echoes req_id and tx_id */
        if (reply->h.req_id != h.req_id || reply->h.tx_id != tx) {
            gprintf("FAILED: reply ids %u/%u for request %u/%u\n", reply->h.req_id,
                    reply->h.tx_id, h.req_id, tx);
            test_failures++;
            return -EIO;
        }
        return 0;
    }
    gprintf("FAILED: store request of type %u: %d\n", type, rc);
    test_failures++;
    return rc;
}

int xsc_errno(const struct xs_msg *reply)
{
    uint32_t i;

    if (reply->h.type != XS_ERROR)
        return 0;
    for (i = 0; i < XS_ERRNO_NAMES; i++)
        if (!strcmp(reply->body, xs_errno_names[i].name))
            return -xs_errno_names[i].err;
    return -EINVAL;
}

/* a, NUL, then b (and its NUL if b_nul): the payload of most requests. */
static int call2(uint32_t type, uint32_t tx, const char *a, const char *b, bool b_nul,
                 struct xs_msg *reply)
{
    static char buf[XENSTORE_PAYLOAD_MAX];
    uint32_t la = (uint32_t)strlen(a) + 1, lb = b ? (uint32_t)strlen(b) + (b_nul ? 1u : 0u) : 0;
    int rc;

    if (la + lb > sizeof(buf))
        return -E2BIG;
    memcpy(buf, a, la);
    if (b)
        memcpy(buf + la, b, lb);
    rc = xsc_raw(type, tx, buf, la + lb, reply);
    return rc ? rc : xsc_errno(reply);
}

static struct xs_msg reply;

/* The reply's payload and its NUL into out[max]: its length, or the error. */
static int reply_into(int rc, char *out, uint32_t max)
{
    if (rc)
        return rc;
    if (reply.h.len >= max)
        return -E2BIG;
    memcpy(out, reply.body, reply.h.len + 1);
    return (int)reply.h.len;
}

int xsc_read(uint32_t tx, const char *path, char *out, uint32_t max)
{
    return reply_into(call2(XS_READ, tx, path, NULL, false, &reply), out, max);
}

/* An OK reply is "OK" and its NUL. */
static int ok(int rc)
{
    if (!rc && (reply.h.len != 3 || memcmp(reply.body, "OK", 3)))
        return -EIO;
    return rc;
}

int xsc_write(uint32_t tx, const char *path, const char *value)
{
    return ok(call2(XS_WRITE, tx, path, value, false, &reply));
}

int xsc_directory(const char *path, char *out, uint32_t max)
{
    return reply_into(call2(XS_DIRECTORY, 0, path, NULL, false, &reply), out, max);
}

int xsc_watch(const char *path, const char *token)
{
    xsc_token(token);
    return ok(call2(XS_WATCH, 0, path, token, true, &reply));
}

int xsc_unwatch(const char *path, const char *token)
{
    return ok(call2(XS_UNWATCH, 0, path, token, true, &reply));
}

int xsc_tx_start(uint32_t *tx)
{
    int rc = call2(XS_TRANSACTION_START, 0, "", NULL, false, &reply);
    uint32_t v = 0;
    const char *p;

    if (rc)
        return rc;
    for (p = reply.body; *p >= '0' && *p <= '9'; p++)
        v = v * 10u + (uint32_t)(*p - '0');
    *tx = v;
    return v ? 0 : -EIO;
}

int xsc_tx_end(uint32_t tx, bool commit)
{
    return ok(call2(XS_TRANSACTION_END, tx, commit ? "T" : "F", NULL, false, &reply));
}

uint32_t xsc_read_u32(const char *path, uint32_t fallback)
{
    char v[16] = { 0 };
    uint32_t n = 0;
    int len = xsc_read(0, path, v, sizeof(v)), i;

    if (len <= 0)
        return fallback;
    for (i = 0; i < len; i++) {
        if (v[i] < '0' || v[i] > '9')
            return fallback;
        n = n * 10u + (uint32_t)(v[i] - '0');
    }
    return n;
}
