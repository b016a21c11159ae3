/*
 * Unit tests for the xenstore ring (guest-abi/lib/xs_ring.c) and dom0's
 * service of it (dom0/xs_link.c), spec/xenstore.md XS-10, XS-3 and the
 * ring rules RING-2/3/6/7/8: both directions, indices wrapping past 2^32,
 * messages split across the ring's end and across calls, requests and
 * replies longer than the ring, a hostile guest moving indices or
 * announcing oversized messages at any moment (XS-19), the outstanding-reply
 * limit, the bounded work of one service call (XS-20) and events that do
 * not fit dropped and counted (XS-21).
 */
#include <stdbool.h>
#include <stdlib.h>

#include "check.h"
#include "xs.h"
#include "xs_link.h"
#include "xs_ring.h"

static struct xs_store st;
static struct xs_link link5;
static struct xenstore_domain_interface page;

/* ---- the ring alone --------------------------------------------------- */

static void test_ring(void)
{
    static char src[3000], dst[3000];
    static const XENSTORE_RING_IDX starts[] = { 0, 1000, UINT32_MAX - 3, UINT32_MAX };
    uint32_t i, k;

    for (k = 0; k < sizeof(src); k++)
        src[k] = (char)(k * 7u + 1u);
    for (i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
        memset(&page, 0, sizeof(page));
        page.req_prod = page.req_cons = starts[i];
        CHECK_EQ(xs_ring_room(&page, XS_RING_REQ), 1024);
        CHECK_EQ(xs_ring_write(&page, XS_RING_REQ, src, 3000), 1024);      /* RING-8 */
        CHECK_EQ(xs_ring_write(&page, XS_RING_REQ, src, 1), 0);
        CHECK_EQ(xs_ring_room(&page, XS_RING_REQ), 0);
        CHECK_EQ(page.req_prod, (XENSTORE_RING_IDX)(starts[i] + 1024u));
        CHECK_EQ(page.rsp_prod, 0);                             /* the other way: untouched */
        memset(dst, 0, sizeof(dst));
        CHECK_EQ(xs_ring_read(&page, XS_RING_REQ, dst, 100), 100);
        CHECK_EQ(xs_ring_read(&page, XS_RING_REQ, dst + 100, 3000 - 100), 924);
        CHECK(!memcmp(dst, src, 1024));                                      /* RING-2/3 */
        CHECK_EQ(xs_ring_read(&page, XS_RING_REQ, dst, 10), 0);
    }
    /* RING-7: impossible pairs, nothing moves (RING-6) */
    memset(&page, 0, sizeof(page));
    page.rsp_prod = 1025;
    CHECK_EQ(xs_ring_read(&page, XS_RING_RSP, dst, 10), XS_RING_BAD_PEER);
    CHECK_EQ(xs_ring_write(&page, XS_RING_RSP, src, 10), XS_RING_BAD_PEER);
    CHECK_EQ(xs_ring_room(&page, XS_RING_RSP), XS_RING_BAD_PEER);
    CHECK_EQ(page.rsp_prod, 1025);
    CHECK_EQ(page.rsp_cons, 0);
    page.req_cons = 5;                                   /* cons ahead of prod */
    CHECK_EQ(xs_ring_read(&page, XS_RING_REQ, dst, 10), XS_RING_BAD_PEER);
    CHECK_EQ(page.req_cons, 5);
}

/* ---- the link: a guest on one end, the store on the other -------------- */

static int c5;

/* Guest side: a whole request message into buf. */
static uint32_t message(uint8_t *buf, uint32_t type, uint32_t req_id, const void *p, uint32_t n)
{
    struct xsd_sockmsg h = { .type = type, .req_id = req_id, .tx_id = 0, .len = n };

    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), p, n);
    return (uint32_t)sizeof(h) + n;
}

static int d0;      /* dom0's connection */

/* dom0 makes guest 5's home, owned by 5. */
static void make_home(void)
{
    static uint8_t buf[64], junk[256];

    d0 = xs_conn_open(&st, 0, true);
    uint32_t len;

    CHECK(d0 >= 0);
    len = message(buf, XS_MKDIR, 1, "/local/domain/5", 16);
    CHECK_EQ(xs_request(&st, (uint32_t)d0, buf, len), XS_OK);
    len = message(buf, XS_SET_PERMS, 2, "/local/domain/5\0n5", 19);
    CHECK_EQ(xs_request(&st, (uint32_t)d0, buf, len), XS_OK);
    CHECK_EQ(xs_out_take(&st, (uint32_t)d0, junk, sizeof(junk)), 2u * (16u + 3u));
}

static void fresh(void)
{
    xs_init(&st);
    make_home();
    memset(&page, 0, sizeof(page));
    c5 = xs_conn_open(&st, 5, false);
    CHECK(c5 >= 0);
    xs_link_init(&link5, &page);
    CHECK_EQ(page.server_features, XENSTORE_SERVER_FEATURE_ERROR);
}

/* Guest side: everything in rsp[] so far, appended to out. */
static uint32_t guest_take(uint8_t *out, uint32_t have)
{
    int32_t n;

    while ((n = xs_ring_read(&page, XS_RING_RSP, (char *)out + have, 65536u - have)) > 0)
        have += (uint32_t)n;
    return have;
}

/* Guest side: write all of buf, serving between chunks; returns the reply bytes seen. */
static uint32_t exchange(const uint8_t *buf, uint32_t len, uint32_t chunk, uint8_t *out)
{
    uint32_t done = 0, have = 0, spins = 0;

    while (done < len && spins++ < 100000u) {
        uint32_t n = len - done < chunk ? len - done : chunk;
        int32_t w = xs_ring_write(&page, XS_RING_REQ, (const char *)buf + done, n);

        CHECK(w >= 0);
        done += (uint32_t)w;
        CHECK(xs_link_serve(&st, (uint32_t)c5, &link5, &page) != XS_LINK_BROKEN);
        have = guest_take(out, have);
    }
    for (spins = 0; spins < 10000u; spins++) {
        uint32_t now = guest_take(out, have);

        if (xs_link_serve(&st, (uint32_t)c5, &link5, &page) == XS_LINK_IDLE && now == have)
            break;
        have = now;
    }
    return guest_take(out, have);
}

static void test_link(void)
{
    static uint8_t req[65536], out[65536];
    static char value[1500];
    struct xsd_sockmsg h;
    uint32_t n, len, i, k;

    /* a WRITE then a READ, one byte at a time, and across the ring's end */
    fresh();
    page.req_prod = page.req_cons = 1020;
    page.rsp_prod = page.rsp_cons = UINT32_MAX - 5;
    len = message(req, XS_WRITE, 1, "data\0hello", 10);
    len += message(req + len, XS_READ, 2, "data", 5);
    n = exchange(req, len, 1, out);
    CHECK_EQ(n, 16 + 3 + 16 + 5);
    memcpy(&h, out, 16);
    CHECK(h.type == XS_WRITE && h.req_id == 1 && h.len == 3 && !memcmp(out + 16, "OK", 3));
    memcpy(&h, out + 19, 16);
    CHECK(h.type == XS_READ && h.req_id == 2 && h.len == 5 && !memcmp(out + 35, "hello", 5));

    /* a request and a reply longer than the ring (1500-byte value) */
    for (k = 0; k < sizeof(value); k++)
        value[k] = (char)('a' + k % 26u);
    memcpy(req, "big", 4);
    memcpy(req + 4, value, sizeof(value));
    memmove(req + 16, req, 4 + sizeof(value));
    len = message(req, XS_WRITE, 3, req + 16, 4 + sizeof(value));
    len += message(req + len, XS_READ, 4, "big", 4);
    n = exchange(req, len, 700, out);
    CHECK_EQ(n, 19 + 16 + sizeof(value));
    memcpy(&h, out + 19, 16);
    CHECK(h.type == XS_READ && h.req_id == 4 && h.len == sizeof(value));
    CHECK(!memcmp(out + 35, value, sizeof(value)));

    /* many small requests in one burst: all answered, in order */
    len = 0;
    for (i = 0; i < 50; i++)
        len += message(req + len, XS_READ, 100 + i, "data", 5);
    n = exchange(req, len, 1024, out);
    CHECK_EQ(n, 50u * 21u);
    for (i = 0; i < 50; i++) {
        memcpy(&h, out + i * 21u, 16);
        CHECK_EQ_CASE("burst", h.req_id, 100 + i);
    }

    /* XS-6: a guest that never takes its replies is not read any further */
    len = 0;
    for (i = 0; i < 40; i++)
        len += message(req + len, XS_READ, i, "big", 4);
    CHECK_EQ(xs_ring_write(&page, XS_RING_REQ, (const char *)req, len), (int32_t)len);
    for (i = 0; i < 10; i++)
        xs_link_serve(&st, (uint32_t)c5, &link5, &page);
    CHECK(xs_out_pending(&st, (uint32_t)c5) > 0);               /* held back, not lost */
    CHECK(!xs_can_take(&st, (uint32_t)c5));
    CHECK(page.req_cons != page.req_prod);                      /* the rest waits in req[] */
    CHECK(!link5.broken);
    n = exchange(req, 0, 1, out);                               /* the guest reads again */
    CHECK_EQ(n, 40u * (16u + sizeof(value)));
    CHECK_EQ(page.req_cons, page.req_prod);
}

/* A hostile guest breaks only its own link. */
static void test_hostile(void)
{
    static uint8_t req[64];
    struct xsd_sockmsg h = { .type = XS_READ, .req_id = 9, .len = XENSTORE_PAYLOAD_MAX + 1 };
    uint32_t before;

    fresh();                                                    /* XS-3: oversized */
    memcpy(req, &h, 16);
    xs_ring_write(&page, XS_RING_REQ, (const char *)req, 20);
    CHECK_EQ(xs_link_serve(&st, (uint32_t)c5, &link5, &page), XS_LINK_BROKEN);
    CHECK_EQ(page.error, XENSTORE_ERROR_PROTO);
    CHECK_EQ(page.req_cons, 16);                                /* not a payload byte read */
    CHECK_EQ(page.rsp_prod, 0);
    before = page.req_cons;
    xs_ring_write(&page, XS_RING_REQ, (const char *)req, 20);
    CHECK_EQ(xs_link_serve(&st, (uint32_t)c5, &link5, &page), XS_LINK_BROKEN);
    CHECK_EQ(page.req_cons, before);                            /* nothing more */

    fresh();                                                    /* RING-7 on req */
    page.req_prod = 5000;
    CHECK_EQ(xs_link_serve(&st, (uint32_t)c5, &link5, &page), XS_LINK_BROKEN);
    CHECK_EQ(page.error, XENSTORE_ERROR_RINGIDX);
    CHECK_EQ(page.req_cons, 0);

    fresh();                                                    /* RING-7 on rsp */
    h.len = 2;
    memcpy(req, &h, 16);
    memcpy(req + 16, "/", 2);
    xs_ring_write(&page, XS_RING_REQ, (const char *)req, 18);
    page.rsp_cons = 77;                                         /* ahead of our prod */
    CHECK_EQ(xs_link_serve(&st, (uint32_t)c5, &link5, &page), XS_LINK_BROKEN);
    CHECK_EQ(page.error, XENSTORE_ERROR_RINGIDX);
    CHECK_EQ(page.rsp_prod, 0);
}

/* XS-19: impossible indices at any moment; the page outside the ring untouched; wraps are legal. */
static void test_indices_any_moment(void)
{
    static uint8_t req[64];
    static uint8_t before[sizeof(page)];
    uint32_t len, k;

    /* mid-message: half a header read, then req_prod behind req_cons */
    fresh();
    message(req, XS_READ, 1, "data", 5);
    xs_ring_write(&page, XS_RING_REQ, (const char *)req, 8);
    CHECK_EQ(xs_link_serve(&st, (uint32_t)c5, &link5, &page), XS_LINK_MOVED);
    CHECK_EQ(page.req_cons, 8);
    page.req_prod = page.req_cons - 1u;
    CHECK_EQ(xs_link_serve(&st, (uint32_t)c5, &link5, &page), XS_LINK_BROKEN);
    CHECK_EQ(page.error, XENSTORE_ERROR_RINGIDX);
    /* once broken: nothing read or written in the page, however often served */
    memcpy(before, &page, sizeof(page));
    for (k = 0; k < 5; k++)
        CHECK_EQ(xs_link_serve(&st, (uint32_t)c5, &link5, &page), XS_LINK_BROKEN);
    CHECK(!memcmp(before, &page, sizeof(page)));

    /* replies queued, then the guest moves dom0's own rsp_prod */
    fresh();
    for (k = 0, len = 0; k < 3; k++)
        len += message(req + len, XS_READ, k, "data", 5);
    xs_ring_write(&page, XS_RING_REQ, (const char *)req, len);
    CHECK_EQ(xs_link_serve(&st, (uint32_t)c5, &link5, &page), XS_LINK_MOVED);
    CHECK(page.rsp_prod > 0);
    page.rsp_prod = page.rsp_cons + 4096u;
    memcpy(before, &page, sizeof(page));
    CHECK_EQ(xs_link_serve(&st, (uint32_t)c5, &link5, &page), XS_LINK_BROKEN);
    CHECK_EQ(page.error, XENSTORE_ERROR_RINGIDX);
    page.error = 0;                                             /* all else as it was */
    CHECK(!memcmp(before, &page, sizeof(page)));

    /* legal: every index just below 2^32, a request across the wrap */
    fresh();
    page.req_cons = page.req_prod = page.rsp_cons = page.rsp_prod = UINT32_MAX - 9u;
    len = message(req, XS_WRITE, 7, "data\0v", 6);
    CHECK_EQ(exchange(req, len, 1024, req), 16u + 3u);
    CHECK(!link5.broken && page.error == 0 && page.req_prod < 64u && page.rsp_prod < 64u);
}

/* XS-20: one service call does a bounded amount of work, however full the ring. */
static void test_flood_bounded(void)
{
    static uint8_t req[1024];
    uint32_t len = 0, before;

    fresh();
    while (len + 16u + 5u <= sizeof(req))
        len += message(req + len, XS_READ, len, "data", 5);
    CHECK_EQ(xs_ring_write(&page, XS_RING_REQ, (const char *)req, len), (int32_t)len);
    before = page.req_cons;
    CHECK_EQ(xs_link_serve(&st, (uint32_t)c5, &link5, &page), XS_LINK_MOVED);
    /* a header and a payload are two transfers: at most XS_LINK_ROUNDS / 2 requests */
    CHECK(page.req_cons - before <= (XS_LINK_ROUNDS / 2u) * (16u + 5u) + 16u);
    CHECK(page.req_cons != page.req_prod);                      /* the rest waits its turn */
    CHECK(!link5.broken);
}

/*
 * XS-21: another domain's changes flood a watcher that does not read:
 * events that do not fit are dropped whole and counted, the watcher's own
 * reply still fits, and what it gets plus what was dropped is every event.
 */
static void test_event_flood(void)
{
    static uint8_t req[256], out[65536];
    uint32_t len, k, n, at, replies = 0, events = 0, bad = 0;
    struct xsd_sockmsg h;

    fresh();
    for (k = 0; k < 20; k++) {                                  /* 20 watches on data */
        char tok[16];
        uint32_t tl = (uint32_t)snprintf(tok, sizeof(tok), "data%ct%u", 0, k) + 1u;
        len = message(req, XS_WATCH, k, tok, tl);
        CHECK_EQ(xs_request(&st, (uint32_t)c5, req, len), XS_OK);
    }
    /* each: OK, then the event "data\0t<k>\0" */
    CHECK_EQ(xs_out_take(&st, (uint32_t)c5, out, sizeof(out)), 20u * (16u + 3u + 16u + 8u) + 10u);
    for (k = 0; k < 100; k++) {                                 /* dom0 writes its nodes */
        char p[48];
        uint32_t pl = (uint32_t)snprintf(p, sizeof(p), "/local/domain/5/data/n%u%cv", k, 0) + 1u;
        len = message(req, XS_WRITE, k, p, pl);
        CHECK_EQ(xs_request(&st, (uint32_t)d0, req, len), XS_OK);
        xs_out_take(&st, (uint32_t)d0, out, sizeof(out));
    }
    CHECK(st.conn[c5].dropped_events > 0);
    CHECK(xs_can_take(&st, (uint32_t)c5) == false);             /* XS-13: not read meanwhile */
    /* its reply always fits: take one request by hand */
    len = message(req, XS_READ, 999, "data", 5);
    CHECK_EQ(xs_request(&st, (uint32_t)c5, req, len), XS_OK);
    n = xs_out_take(&st, (uint32_t)c5, out, sizeof(out));
    for (at = 0; at + 16u <= n; at += 16u + h.len) {           /* whole messages only */
        memcpy(&h, out + at, 16);
        if (h.type == XS_WATCH_EVENT)
            events++;
        else
            replies += h.type == XS_READ && h.req_id == 999u;
        bad += h.len > XENSTORE_PAYLOAD_MAX;
    }
    CHECK_EQ(at, n);
    CHECK_EQ(bad, 0);
    CHECK_EQ(replies, 1);
    CHECK_EQ(events + st.conn[c5].dropped_events, 20u * 100u);
}

int main(void)
{
    test_ring();
    test_link();
    test_hostile();
    test_indices_any_moment();
    test_flood_bounded();
    test_event_flood();
    return check_report();
}
