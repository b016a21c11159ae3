/*
 * Impossible ring indices against dom0's running xenstore (spec/xenstore.md
 * XS-19, XS-10, XS-12): each hostile guest writes impossible indices into
 * its own store page at one moment and checks that dom0 broke its link and
 * nothing more. One case per domain (a broken link stays broken), chosen
 * by the command line:
 *
 *   attack=ring-idle   idle: req_prod 1025 bytes ahead of req_cons
 *   ring-huge          idle: req_prod 2^31 ahead (a negative difference)
 *   ring-mid           mid-message: half a header read by dom0, then
 *                      req_prod moved behind req_cons
 *   ring-rsp           replies queued: rsp_cons moved ahead of rsp_prod
 *   ring-rsp-prod      replies queued: dom0's own rsp_prod moved 4096 ahead
 *   ring-wrap          not an attack: all four indices moved near 2^32 while
 *                      idle, then requests across the wrap are served
 *   peer               round trips all along; then waits to be told (by its
 *                      node data/stop, written by dom0's script) to finish
 *   serve              a guest created after the attacks: served
 *
 * A breaking case checks: the page's error field says
 * XENSTORE_ERROR_RINGIDX; the rest of the page beyond the indices (filled
 * with a pattern first) is untouched; once broken, dom0 neither reads nor
 * writes the page again, however often it is kicked (the whole page is
 * compared across kicks); no reply ever arrives.
 */
#include "events.h"
#include "pv/xs_wire.h"
#include "pvtime.h"
#include "test.h"
#include "xenbus.h"
#include "xs_ring.h"

#define SECOND 1000000000ull
#define TAIL_START 2080u                /* past the indices and the fields after them */
#define TAIL_BYTE(i) ((uint8_t)(0xA5u ^ (i)))

static struct xenstore_domain_interface *page;
static uint32_t port;
static struct xenbus_msg reply;
static uint8_t snapshot[4096];

static volatile uint32_t *idx(XENSTORE_RING_IDX *p)
{
    return (volatile uint32_t *)p;
}

static bool call_ok(uint32_t type, const char *payload)
{
    return !xenbus_call(type, 0, payload, (uint32_t)strlen(payload) + 1u, &reply) &&
           reply.h.type == type;
}

/* WRITE path = value. */
static bool write_ok(const char *path, const char *value)
{
    static char buf[64];
    uint32_t lp = (uint32_t)strlen(path) + 1u, lv = (uint32_t)strlen(value);

    memcpy(buf, path, lp);
    memcpy(buf + lp, value, lv);
    return !xenbus_call(XS_WRITE, 0, buf, lp + lv, &reply) && reply.h.type == XS_WRITE;
}

static bool read_is(const char *path, const char *value)
{
    return call_ok(XS_READ, path) && reply.h.len == strlen(value) &&
           !memcmp(reply.body, value, reply.h.len);
}

/* The unused tail of the store page: a pattern dom0 must never touch. */
static void tail_fill(void)
{
    uint8_t *p = (uint8_t *)page;
    uint32_t i;

    for (i = TAIL_START; i < 4096u; i++)
        p[i] = TAIL_BYTE(i);
}

static bool tail_intact(void)
{
    const volatile uint8_t *p = (const volatile uint8_t *)page;
    uint32_t i;

    for (i = TAIL_START; i < 4096u; i++)
        if (p[i] != TAIL_BYTE(i))
            return false;
    return true;
}

/* Kick dom0 until its error field says something (10 s at most). */
static uint32_t wait_error(void)
{
    uint32_t i;

    for (i = 0; i < 100 && *idx(&page->error) == 0; i++) {
        evtchn_send_port(port);
        pv_sleep_ns(SECOND / 10u);
    }
    return *idx(&page->error);
}

/*
 * The verdict of a breaking case: RINGIDX, nothing outside the ring
 * touched, and from then on nothing read or written: the page is the same
 * after ten more kicks, and no reply comes.
 */
static void __attribute__((noreturn)) broken_checks(const char *name)
{
    uint32_t err = wait_error(), i;
    bool same = true;

    gprintf("xenstore: %s: error field %u\n", name, err);
    test_check("XS-19 the link is broken with XENSTORE_ERROR_RINGIDX",
               err == XENSTORE_ERROR_RINGIDX);
    test_check("XS-19 nothing outside the ring written", tail_intact());
    memcpy(snapshot, (const void *)page, sizeof(snapshot));
    for (i = 0; i < 10; i++) {
        evtchn_send_port(port);
        pv_sleep_ns(SECOND / 20u);
    }
    for (i = 0; i < sizeof(snapshot); i++)
        same = same && ((const volatile uint8_t *)page)[i] == snapshot[i];
    test_check("XS-19 nothing read or written once broken", same);
    gprintf("ATTACK XS-19 %s: result ring indices refused, error %u\n", name, err);
    test_finish();
}

/* A reply of its own first: the link worked before the attack. */
static void served_first(void)
{
    test_check("XS-19 served before the attack", call_ok(XS_READ, "domid"));
    tail_fill();
}

static void __attribute__((noreturn)) ring_idle(const char *name, uint32_t ahead)
{
    served_first();
    *idx(&page->req_prod) = *idx(&page->req_cons) + ahead;
    broken_checks(name);
}

/* Half a header in, read by dom0; then req_prod behind req_cons. */
static void __attribute__((noreturn)) ring_mid(void)
{
    static const uint8_t half[8] = { XS_READ, 0, 0, 0, 0x77, 0, 0, 0 };
    uint32_t cons, i;

    served_first();
    cons = *idx(&page->req_cons);
    CHECK_RC("half a header", xs_ring_write(page, XS_RING_REQ, (const char *)half, 8u), 8);
    for (i = 0; i < 50 && *idx(&page->req_cons) != cons + 8u; i++) {
        evtchn_send_port(port);
        pv_sleep_ns(SECOND / 20u);
    }
    test_check("XS-19 dom0 took the half header", *idx(&page->req_cons) == cons + 8u);
    *idx(&page->req_prod) = *idx(&page->req_cons) - 1u;
    broken_checks("ring-mid");
}

/*
 * Replies queued: 30 reads of a 200-byte node, none read back, so rsp[]
 * is full and dom0 holds more; then an impossible response index.
 */
static void __attribute__((noreturn)) ring_rsp(bool move_prod)
{
    static char value[184];
    uint32_t i;

    memset(value, 'q', sizeof(value));
    served_first();
    {
        static char buf[200];
        memcpy(buf, "data/q", 7u);
        memcpy(buf + 7, value, sizeof(value));
        test_check("XS-19 a 184-byte node",
                   !xenbus_call(XS_WRITE, 0, buf, 7u + sizeof(value), &reply) &&
                   reply.h.type == XS_WRITE);
    }
    for (i = 0; i < 30; i++)
        CHECK_RC("post a read", xenbus_post(XS_READ, 0, "data/q", 7u, NULL), 0);
    /* until dom0 has filled rsp[] (slow under the audit: up to 20 s) */
    for (i = 0; i < 200 && *idx(&page->rsp_prod) - *idx(&page->rsp_cons) <=
                           XENSTORE_RING_SIZE - 200u; i++) {
        evtchn_send_port(port);
        pv_sleep_ns(SECOND / 10u);
    }
    test_check("XS-19 replies queued, the response ring full",
               *idx(&page->rsp_prod) - *idx(&page->rsp_cons) > XENSTORE_RING_SIZE - 200u);
    if (move_prod)
        *idx(&page->rsp_prod) = *idx(&page->rsp_cons) + 4096u;
    else
        *idx(&page->rsp_cons) = *idx(&page->rsp_prod) + 1u;
    broken_checks(move_prod ? "ring-rsp-prod" : "ring-rsp");
}

/* Legal: every index near 2^32 while nothing is in flight; requests cross the wrap. */
static void __attribute__((noreturn)) ring_wrap(void)
{
    static char value[300];
    static char buf[320];
    uint32_t i, ok = 0;

    served_first();
    *idx(&page->req_cons) = 0xFFFFFE00u;
    *idx(&page->req_prod) = 0xFFFFFE00u;
    *idx(&page->rsp_cons) = 0xFFFFFE00u;
    *idx(&page->rsp_prod) = 0xFFFFFE00u;
    memset(value, 'w', sizeof(value));
    memcpy(buf, "data/w", 7u);
    memcpy(buf + 7, value, sizeof(value));
    for (i = 0; i < 20; i++) {
        ok += !xenbus_call(XS_WRITE, 0, buf, 7u + sizeof(value), &reply) &&
              reply.h.type == XS_WRITE;
        ok += !xenbus_call(XS_READ, 0, "data/w", 7u, &reply) && reply.h.type == XS_READ &&
              reply.h.len == sizeof(value);
    }
    gprintf("xenstore: %u of 40 requests served across the 2^32 wrap (req_prod %x)\n", ok,
            *idx(&page->req_prod));
    test_check("XS-19 indices wrapping through 2^32 are legal", ok == 40);
    test_check("XS-19 the indices did wrap", *idx(&page->req_prod) < 0x10000u &&
               *idx(&page->rsp_prod) < 0x10000u);
    test_check("XS-19 no error", *idx(&page->error) == XENSTORE_ERROR_NONE);
    test_check("XS-19 nothing outside the ring written", tail_intact());
    gprintf("ATTACK XS-19 ring-wrap: result served across the wrap\n");
    test_finish();
}

/* Round trips every 50 ms until dom0's script writes data/stop. */
static void __attribute__((noreturn)) peer(void)
{
    uint32_t n = 0, ok = 0;
    uint64_t worst = 0;

    test_check("peer: data/stop", write_ok("data/stop", "0"));
    for (;;) {
        uint64_t t = pv_time_ns();

        ok += call_ok(XS_READ, "domid");
        t = pv_time_ns() - t;
        worst = t > worst ? t : worst;
        n++;
        if (read_is("data/stop", "1") || n > 20000u)
            break;
        pv_sleep_ns(SECOND / 20u);
    }
    gprintf("xenstore: %u of %u round trips served beside the attackers, worst %u ms\n", ok, n,
            (uint32_t)(worst / 1000000u));
    test_check("XS-19 the peer served all along", ok == n && n > 1);
    gprintf("xenstore: still served beside the attackers\n");
    test_finish();
}

static void __attribute__((noreturn)) serve(void)
{
    test_check("served after the attacks: its domid", call_ok(XS_READ, "domid"));
    test_check("and a write", write_ok("data/x", "1") && read_is("data/x", "1"));
    gprintf("xenstore: still served after the attacks\n");
    test_finish();
}

int guest_main(struct start_info *si)
{
    const char *c = si->cmd_line;

    CHECK_RC("map shared_info", pv_map_shared_info(), 0);
    CHECK_RC("find the store page", xenbus_open(), 0);
    page = xenbus_page();
    port = si->store_evtchn;
    if (strstr(c, "ring-idle"))
        ring_idle("ring-idle", XENSTORE_RING_SIZE + 1u);
    if (strstr(c, "ring-huge"))
        ring_idle("ring-huge", 0x80000000u);
    if (strstr(c, "ring-mid"))
        ring_mid();
    if (strstr(c, "ring-rsp-prod"))
        ring_rsp(true);
    if (strstr(c, "ring-rsp"))
        ring_rsp(false);
    if (strstr(c, "ring-wrap"))
        ring_wrap();
    if (strstr(c, "peer"))
        peer();
    serve();
}
