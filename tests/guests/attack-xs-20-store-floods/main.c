/*
 * Floods against dom0's running xenstore (spec/xenstore.md XS-20, XS-21,
 * XS-8, XS-10, XS-13), one role per domain, chosen by the command line
 * (the domain ids are the scenario's, fixed below):
 *
 *   attack=req-flood  (2) keeps its request ring full as fast as it can,
 *                     reading the replies, until the peer's data/done
 *                     reads "1" (it floods reads of that node)
 *   noread            (3) fills its request ring once and never reads a
 *                     reply: dom0 stops reading it at 20 unread replies
 *   watcher           (4) 128 watches (the quota): 64 on the busy guest's
 *                     data/busy (granted to it), 64 on its own data/self;
 *                     then 20 writes of its own that fire them, and it
 *                     reads nothing for a while, so most events cannot be
 *                     queued; then it reads and checks every message:
 *                     whole, well-formed, its 20 replies all there and in
 *                     order, each watch's events in the order of the
 *                     changes; it prints how many events it got, which
 *                     with dom0's count of dropped ones (`devices`) makes
 *                     every event fired
 *   busy              (5) changes data/busy/n<k> 400 times in a tight loop
 *   peer              (6) round trips all through the floods (at least 300,
 *                     until dom0's script writes its data/stop): its worst
 *                     round trip must stay under a generous bound
 *   serve             (7) created by dom0's shell during the floods: served
 */
#include "events.h"
#include "pv/xs_wire.h"
#include "pvtime.h"
#include "test.h"
#include "xenbus.h"
#include "xs_ring.h"
#include "xs_stream.h"

#define SECOND 1000000000ull
#define WATCHER 4u
#define BUSY 5u
#define PEER 6u
#define HALF_WATCHES 64u
#define SELF_WRITES 20u
#define BATCH 16u
/*
 * The peer's worst round trip beside the floods: far above what it takes
 * (tens of ms, a loaded host may stop the emulator for seconds), but
 * finite: a starved peer would wait for the flood, which waits for the
 * peer (the flooder gives up after 300 s). With `short` (the audit's run, where every
 * hypercall of every guest is audited and a round trip takes up to
 * seconds) fewer round trips and busy writes, and a bound for the audit.
 */
#define WORST_BOUND_MS 10000u
#define WORST_BOUND_AUDIT_MS 30000u

static bool short_run;
static uint32_t peer_trips(void) { return short_run ? 30u : 300u; }
static uint32_t busy_writes(void) { return short_run ? 96u : 400u; }

static struct xenstore_domain_interface *page;
static uint32_t port;
static struct xenbus_msg msg;
static char buf[XENSTORE_PAYLOAD_MAX];

static uint32_t pack2(const char *a, const char *b, bool b_nul)
{
    uint32_t la = (uint32_t)strlen(a) + 1u, lb = (uint32_t)strlen(b) + (b_nul ? 1u : 0u);

    memcpy(buf, a, la);
    memcpy(buf + la, b, lb);
    return la + lb;
}

static bool streaming;          /* replies come through stream_next (the watcher) */
static bool call_checked(uint32_t type, uint32_t len, struct xenbus_msg *reply);

static bool call_is(uint32_t type, uint32_t len, uint32_t want_type)
{
    if (streaming)
        return call_checked(type, len, &msg) && msg.h.type == want_type;
    return !xenbus_call(type, 0, buf, len, &msg) && msg.h.type == want_type;
}

static bool write_ok(const char *path, const char *value)
{
    return call_is(XS_WRITE, pack2(path, value, false), XS_WRITE);
}

/* SET_PERMS path: owned by this domain, readable by domain reader. */
static bool grant_read(const char *path, uint32_t self, uint32_t reader)
{
    uint32_t n = (uint32_t)strlen(path) + 1u;

    memcpy(buf, path, n);
    n += (uint32_t)snprintf(buf + n, 8u, "n%u", self) + 1u;
    n += (uint32_t)snprintf(buf + n, 8u, "r%u", reader) + 1u;
    return call_is(XS_SET_PERMS, n, XS_SET_PERMS);
}

static bool read_is(const char *path, const char *value)
{
    uint32_t n = (uint32_t)strlen(path) + 1u;

    memcpy(buf, path, n);
    return call_is(XS_READ, n, XS_READ) && msg.h.len == strlen(value) &&
           !memcmp(msg.body, value, msg.h.len);
}

/* Until path reads "1" (polled: a watch would be one more than some roles may hold). */
static bool wait_one(const char *path, uint64_t timeout_ns)
{
    uint64_t end = pv_time_ns() + timeout_ns;

    while (pv_time_ns() < end) {
        if (read_is(path, "1"))
            return true;
        pv_sleep_ns(SECOND / 20u);
    }
    return false;
}

/* ---- the request flood (2) ---- */

/*
 * As many whole READ requests as the request ring has room for, written
 * at once with one kick; every reply read as soon as it is there; on
 * until the peer's data/done reads "1".
 */
static void __attribute__((noreturn)) req_flood(void)
{
    static const char done[] = "/local/domain/6/data/done";
    uint64_t start = pv_time_ns(), end = start + 300u * SECOND;
    uint32_t posted = 0, replies = 0, bad = 0, next_id = 1;
    bool stop = false;
    int rc;

    while (!stop && pv_time_ns() < end) {
        uint32_t n = xs_stream_post_many(XS_READ, 0, done, sizeof(done), XENSTORE_RING_SIZE, &next_id);
        posted += n;
        /* wait (for dom0's kick) only when nothing could be posted */
        for (rc = xs_stream_next(&msg, n ? 0 : SECOND / 10u); rc == 1;
             rc = xs_stream_next(&msg, 0)) {
            replies++;
            bad += msg.h.req_id != replies ||
                   (msg.h.type != XS_READ &&
                    !(msg.h.type == XS_ERROR && !strcmp(msg.body, "EACCES")));
            stop = stop || (msg.h.type == XS_READ && msg.h.len == 1u && msg.body[0] == '1');
        }
        bad += rc < 0;
        if (rc < 0)
            break;
    }
    while (replies < posted && xs_stream_next(&msg, 5u * SECOND) == 1)
        replies++;
    gprintf("xenstore: %u requests flooded in %u s, %u replies, %u malformed\n", posted,
            (uint32_t)((pv_time_ns() - start) / SECOND), replies, bad);
    test_check("XS-20 the flood ended by the peer", stop);
    test_check("XS-20 every request answered, in order, well-formed",
               replies == posted && bad == 0);
    gprintf("ATTACK XS-20 req-flood%s: result flooded, others served\n",
            short_run ? "-short" : "");
    test_finish();
}

/* ---- the flood that never reads (3) ---- */

/*
 * Reads of a 1000-byte node, none of the replies read: dom0 fills rsp[],
 * queues what its queue may hold, then leaves the rest in req[] (XS-13).
 */
static void __attribute__((noreturn)) noread(void)
{
    static const char path[] = "data/big";
    static char value[1000];
    uint32_t posted = 0, cons0, before, prod;

    memset(value, 'n', sizeof(value));
    memcpy(buf, path, sizeof(path));
    memcpy(buf + sizeof(path), value, sizeof(value));
    test_check("noread: a 1000-byte node", call_is(XS_WRITE, sizeof(path) + sizeof(value),
                                                   XS_WRITE));
    cons0 = *(volatile uint32_t *)&page->req_cons;
    while (xs_ring_room(page, XS_RING_REQ) >= (int32_t)(16u + sizeof(path))) {
        CHECK_RC("post", xenbus_post(XS_READ, 0, path, sizeof(path), NULL), 0);
        posted++;
    }
    do {
        before = *(volatile uint32_t *)&page->req_cons;
        pv_sleep_ns(SECOND / 2u);
    } while (*(volatile uint32_t *)&page->req_cons != before);
    pv_sleep_ns(20u * SECOND);          /* held full while the others run */
    prod = *(volatile uint32_t *)&page->req_prod;
    gprintf("xenstore: %u requests posted, %u read by dom0, no reply read\n", posted,
            (*(volatile uint32_t *)&page->req_cons - cons0) / (16u + (uint32_t)sizeof(path)));
    test_check("XS-13 dom0 leaves the rest in the ring", *(volatile uint32_t *)&page->req_cons != prod);
    test_check("XS-20 the link is not broken", *(volatile uint32_t *)&page->error == 0);
    gprintf("ATTACK XS-20 noread: result ring held full, requests left unread\n");
    test_finish();
}

/* ---- the watcher (4) ---- */

static uint32_t replies_seen, reply_bad, events_seen, event_bad, out_of_order;
static uint32_t next_reply_id;
static int32_t last_k[2][HALF_WATCHES];   /* [busy, self][watch]: the last node number seen */

/* The number after prefix in path (-1: path is exactly the watched node; -2: neither). */
static int32_t node_number(const char *path, const char *watched, const char *child)
{
    uint32_t lw = (uint32_t)strlen(watched), lc = (uint32_t)strlen(child), k = 0;
    const char *p;

    if (!strcmp(path, watched))
        return -1;
    if (strncmp(path, watched, lw) || path[lw] != '/' || strncmp(path + lw + 1u, child, lc))
        return -2;
    p = path + lw + 1u + lc;
    if (*p < '0' || *p > '9')
        return -2;
    for (; *p >= '0' && *p <= '9'; p++)
        k = k * 10u + (uint32_t)(*p - '0');
    return *p ? -2 : (int32_t)k;
}

/* One watch event: two strings exactly, a token of ours, a path of its watch, in order. */
static void check_event(const struct xenbus_msg *m)
{
    const char *path = m->body, *token;
    uint32_t lp = (uint32_t)strnlen(path, m->h.len), w = 0, kind;
    int32_t k;

    events_seen++;
    if (lp + 1u >= m->h.len) {
        event_bad++;
        return;
    }
    token = path + lp + 1u;
    if (strnlen(token, m->h.len - lp - 1u) + 1u != m->h.len - lp - 1u ||
        (token[0] != 'b' && token[0] != 's')) {
        event_bad++;
        return;
    }
    kind = token[0] == 's';
    for (const char *p = token + 1; *p; p++)
        w = w * 10u + (uint32_t)(*p - '0');
    k = kind ? node_number(path, "data/self", "n") : node_number(path, "/local/domain/5/data/busy", "n");
    if (w >= HALF_WATCHES || k == -2) {
        event_bad++;
        return;
    }
    if (k >= 0) {
        out_of_order += k <= last_k[kind][w];
        last_k[kind][w] = k;
    }
}

/* One message of the drained stream: a reply (in the order posted) or an event. */
static void check_msg(const struct xenbus_msg *m)
{
    if (m->h.type == XS_WATCH_EVENT) {
        check_event(m);
        return;
    }
    replies_seen++;
    reply_bad += m->h.type != XS_WRITE || strcmp(m->body, "OK") || m->h.req_id != next_reply_id;
    next_reply_id++;
}

/* A request and its reply, every event before it checked (none kept aside). */
static bool call_checked(uint32_t type, uint32_t len, struct xenbus_msg *reply)
{
    uint32_t id;

    if (xenbus_post(type, 0, buf, len, &id))
        return false;
    while (xs_stream_next(reply, 20u * SECOND) == 1) {
        if (reply->h.type != XS_WATCH_EVENT)
            return reply->h.req_id == id;
        check_event(reply);
    }
    return false;
}

static void register_watches(void)
{
    uint32_t i, k, ok = 0, first = 0;
    char token[8];

    for (i = 0; i < 2u * HALF_WATCHES; i += BATCH) {
        for (k = i; k < i + BATCH; k++) {
            snprintf(token, sizeof(token), "%c%u", k < HALF_WATCHES ? 'b' : 's',
                     k % HALF_WATCHES);
            CHECK_RC("post a watch",
                     xenbus_post(XS_WATCH, 0, buf,
                                 pack2(k < HALF_WATCHES ? "/local/domain/5/data/busy"
                                                        : "data/self", token, true), NULL), 0);
        }
        for (k = 0; k < 2u * BATCH && xs_stream_next(&msg, 5u * SECOND) == 1; k++) {
            ok += msg.h.type == XS_WATCH && !strcmp(msg.body, "OK");
            first += msg.h.type == XS_WATCH_EVENT;
        }
    }
    test_check("XS-21 128 watches, each with its first event", ok == 128u && first == 128u);
}

static void __attribute__((noreturn)) watcher(void)
{
    uint32_t i, k, expect;
    char path[32];
    int rc;

    for (i = 0; i < 2; i++)
        for (k = 0; k < HALF_WATCHES; k++)
            last_k[i][k] = -1;
    test_check("watcher: data/self", write_ok("data/self", ""));
    streaming = true;
    register_watches();
    test_check("watcher: data/go for the busy guest",
               write_ok("data/go", "1") && grant_read("data/go", WATCHER, BUSY));
    /* 20 writes, each firing its 64 own watches: not read for 10 s */
    for (k = 0; k < SELF_WRITES; k++) {
        snprintf(path, sizeof(path), "data/self/n%u", k);
        CHECK_RC("post a write", xenbus_post(XS_WRITE, 0, buf, pack2(path, "v", false),
                                             k ? NULL : &next_reply_id), 0);
    }
    pv_sleep_ns(10u * SECOND);
    /* until its 20 replies are in (dom0 is slow under the audit), then a second of silence */
    while ((rc = xs_stream_next(&msg, replies_seen < SELF_WRITES ? 20u * SECOND : SECOND)) == 1)
        check_msg(&msg);
    event_bad += rc < 0;
    test_check("XS-21 its 20 replies, in order, none lost",
               replies_seen == SELF_WRITES && reply_bad == 0);
    /* the busy guest done: every event of its writes fired by now */
    for (i = 0; i < 600u; i++) {
        if (call_checked(XS_READ, (uint32_t)snprintf(buf, sizeof(buf),
                                                     "/local/domain/5/data/busydone") + 1u, &msg) &&
            msg.h.type == XS_READ && msg.h.len == 1u && msg.body[0] == '1')
            break;
        pv_sleep_ns(SECOND / 10u);
    }
    test_check("watcher: the busy guest done", i < 600u);
    /* the queue takes events again: one more write, its 64 events all there */
    expect = events_seen + HALF_WATCHES;
    test_check("XS-21 a write after draining",
               call_checked(XS_WRITE, pack2("data/self/n99", "v", false), &msg) &&
               msg.h.type == XS_WRITE);
    while (events_seen < expect && xs_stream_next(&msg, SECOND) == 1)
        check_msg(&msg);
    test_check("XS-21 then all its events arrive", events_seen == expect);
    gprintf("xenstore: watcher read %u events, %u malformed, %u out of order\n", events_seen,
            event_bad, out_of_order);
    test_check("XS-21 every event well-formed and in order", event_bad == 0 && out_of_order == 0);
    gprintf("ATTACK XS-21 watcher: result events dropped and counted, the rest in order\n");
    test_finish();
}

/* ---- the busy guest (5) ---- */

static void __attribute__((noreturn)) busy(void)
{
    uint32_t i, k, ok = 0;
    char path[32];

    test_check("busy: the watcher is ready", wait_one("/local/domain/4/data/go", 300u * SECOND));
    test_check("busy: data/busy granted to the watcher",
               call_is(XS_MKDIR, pack2("data/busy", "", true) - 1u, XS_MKDIR) &&
               grant_read("data/busy", BUSY, WATCHER));
    for (i = 0; i < busy_writes(); i += BATCH) {
        for (k = i; k < i + BATCH; k++) {
            snprintf(path, sizeof(path), "data/busy/n%u", k);
            CHECK_RC("post", xenbus_post(XS_WRITE, 0, buf, pack2(path, "x", false), NULL), 0);
        }
        for (k = 0; k < BATCH && !xenbus_recv(&msg, 5u * SECOND); k++)
            ok += msg.h.type == XS_WRITE;
    }
    test_check("XS-21 the busy writes", ok == busy_writes());
    test_check("busy: done", write_ok("data/busydone", "1") &&
               grant_read("data/busydone", BUSY, WATCHER));
    gprintf("xenstore: busy guest wrote %u nodes\n", ok);
    test_finish();
}

/* ---- the peer (6) ---- */

/*
 * Round trips every 10 ms while the floods go on: at least PEER_TRIPS,
 * and on until dom0's script writes its data/stop (after it created a
 * guest in the middle of the floods); then data/done ends the flood.
 */
static void __attribute__((noreturn)) peer(void)
{
    uint64_t worst = 0, start;
    uint32_t i, ok = 0;
    bool stop = false;

    test_check("peer: data/done for the flood",
               write_ok("data/done", "0") && grant_read("data/done", PEER, 2u));
    start = pv_time_ns();
    for (i = 0; (i < peer_trips() || !stop) && i < 100u * peer_trips(); i++) {
        uint64_t t = pv_time_ns();

        ok += read_is("domid", "6");
        t = pv_time_ns() - t;
        worst = t > worst ? t : worst;
        if (i % 10u == 9u)
            stop = read_is("data/stop", "1");
        pv_sleep_ns(SECOND / 100u);
    }
    gprintf("xenstore: peer: %u of %u round trips beside the floods in %u ms, worst %u ms\n", ok,
            i, (uint32_t)((pv_time_ns() - start) / 1000000u), (uint32_t)(worst / 1000000u));
    test_check("XS-20 every round trip served", ok == i && stop);
    test_check("XS-20 the worst round trip within the bound",
               worst < (uint64_t)(short_run ? WORST_BOUND_AUDIT_MS : WORST_BOUND_MS) * 1000000u);
    test_check("peer: the flood may stop", write_ok("data/done", "1"));
    gprintf("xenstore: still served beside the floods\n");
    test_finish();
}

static void __attribute__((noreturn)) serve(void)
{
    test_check("served during the floods: its domid", read_is("domid", "7"));
    test_check("and a write", write_ok("data/x", "1") && read_is("data/x", "1"));
    gprintf("xenstore: served during the floods\n");
    test_finish();
}

int guest_main(struct start_info *si)
{
    const char *c = si->cmd_line;

    CHECK_RC("map shared_info", pv_map_shared_info(), 0);
    CHECK_RC("find the store page", xenbus_open(), 0);
    page = xenbus_page();
    port = si->store_evtchn;
    short_run = strstr(c, "short") != NULL;
    if (strstr(c, "req-flood"))
        req_flood();
    if (strstr(c, "noread"))
        noread();
    if (strstr(c, "watcher"))
        watcher();
    if (strstr(c, "busy"))
        busy();
    if (strstr(c, "peer"))
        peer();
    serve();
}
