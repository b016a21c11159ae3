/*
 * Several hostile guests at once against the store's shared pools
 * (spec/xenstore.md XS-7, XS-6, XS-13, XS-18), one role per domain,
 * chosen by the command line:
 *
 *   attack=pools, hog  each takes all it may: 128 watches (the 129th
 *                      ENOSPC), 10 open transactions (the 11th ENOSPC),
 *                      then node copies in them (a read of an absent node
 *                      in a transaction keeps a record) until ENOMEM: its
 *                      own 128 KiB, or the guests' seven eighths of the
 *                      node records once they are all taken. It stops
 *                      holding everything, until dom0 destroys it.
 *   peer               made before the hogs; once dom0's script writes its
 *                      data/stop (the hogs hold all they can), it is
 *                      still served: reads, writes of its nodes, a watch,
 *                      a transaction; a new node is ENOMEM (the records'
 *                      guest share is gone: XS-7)
 *   late               created by dom0 while the hogs hold the pools: its
 *                      directory and its disk's nodes were written (dom0
 *                      keeps the last eighth); a new node of its own is
 *                      ENOMEM; once its data/stop says the hogs are gone,
 *                      it makes one
 *
 * With `short` (the audit's run) a hog takes at most 1000 copies.
 */
#include "events.h"
#include "pv/xs_wire.h"
#include "pvtime.h"
#include "test.h"
#include "xenbus.h"
#include "xs_ring.h"
#include "xs_stream.h"

#define SECOND 1000000000ull

static struct xenbus_msg msg;
static char buf[XENSTORE_PAYLOAD_MAX];
static uint32_t next_id = 1;

/* One request through the stream and its reply (events before it skipped). */
static struct xenbus_msg *call(uint32_t type, uint32_t tx, uint32_t len)
{
    uint32_t id = next_id;

    if (xs_stream_post_many(type, tx, buf, len, 1, &next_id) != 1)
        goto none;
    while (xs_stream_next(&msg, 20u * SECOND) == 1)
        if (msg.h.type != XS_WATCH_EVENT)
            return msg.h.req_id == id ? &msg : NULL;
none:
    msg.h.type = 0xDEAD;
    msg.body[0] = '\0';
    return &msg;
}

static uint32_t pack(const char *a, const char *b, bool b_nul)
{
    uint32_t la = (uint32_t)strlen(a) + 1u, lb = b ? (uint32_t)strlen(b) + (b_nul ? 1u : 0u) : 0;

    memcpy(buf, a, la);
    if (b)
        memcpy(buf + la, b, lb);
    return la + lb;
}

static bool is_err(const struct xenbus_msg *m, const char *name)
{
    return m && m->h.type == XS_ERROR && !strcmp(m->body, name);
}

static bool is_ok(const struct xenbus_msg *m, uint32_t type)
{
    return m && m->h.type == type;
}

static void expect_err(const char *what, const struct xenbus_msg *m, const char *name)
{
    if (!is_err(m, name))
        gprintf("%s: got type %u '%s'\n", what, m ? m->h.type : 0u, m ? m->body : "");
    test_check(what, is_err(m, name));
}

static bool read_is(const char *path, const char *value)
{
    const struct xenbus_msg *m = call(XS_READ, 0, pack(path, NULL, false));

    return is_ok(m, XS_READ) && m->h.len == strlen(value) && !memcmp(m->body, value, m->h.len);
}

static bool write_ok(const char *path, const char *value)
{
    return is_ok(call(XS_WRITE, 0, pack(path, value, false)), XS_WRITE);
}

/* Until dom0's script writes "1" into data/stop (polled). */
static bool wait_stop(void)
{
    uint64_t end = pv_time_ns() + 600u * SECOND;

    while (pv_time_ns() < end) {
        if (read_is("data/stop", "1"))
            return true;
        pv_sleep_ns(SECOND / 10u);
    }
    return false;
}

static uint32_t tx_start(void)
{
    const struct xenbus_msg *m = call(XS_TRANSACTION_START, 0, pack("", NULL, false));
    const char *p;
    uint32_t id = 0;

    if (!is_ok(m, XS_TRANSACTION_START))
        return 0;
    for (p = m->body; *p >= '0' && *p <= '9'; p++)
        id = id * 10u + (uint32_t)(*p - '0');
    return id;
}

/* ---- a hog ---- */

/* 128 watches on "w", 16 a batch, each answered OK with its first event; the 129th refused. */
static void hog_watches(void)
{
    static char batch[XENSTORE_RING_SIZE];
    uint32_t i, k, ok = 0, first = 0, at;
    char token[8];

    for (i = 0; i < 128u; i += 16u) {
        for (k = i, at = 0; k < i + 16u; k++) {
            snprintf(token, sizeof(token), "t%u", k);
            test_check("a watch in the batch",
                       xs_stream_add(batch, sizeof(batch), &at, XS_WATCH, next_id++, 0, buf,
                                     pack("w", token, true)));
        }
        CHECK_RC("send the batch", xs_stream_send(batch, at), 0);
        for (k = 0; k < 32u && xs_stream_next(&msg, 20u * SECOND) == 1; k++) {
            ok += msg.h.type == XS_WATCH;
            first += msg.h.type == XS_WATCH_EVENT;
        }
    }
    test_check("XS-6 128 watches, each answered and fired", ok == 128u && first == 128u);
    expect_err("XS-13 not a 129th watch", call(XS_WATCH, 0, pack("w", "one-more", true)),
               "ENOSPC");
}

/*
 * Reads of absent nodes in its 10 transactions, round-robin, a batch of
 * up to 32 with one kick, until a reply other than ENOENT: how many
 * copies it holds (max at most).
 */
static uint32_t hog_copies(const uint32_t *tx, uint32_t max, const char **why)
{
    static char batch[XENSTORE_RING_SIZE];
    uint32_t held = 0, posted = 0, k, n, at;
    char path[16];
    bool stopped = false;

    *why = "nothing";
    while (!stopped && posted < max) {
        for (n = 0, at = 0; n < 32u && posted < max; n++, posted++) {
            uint32_t len = (uint32_t)snprintf(path, sizeof(path), "a%u", posted) + 1u;
            if (!xs_stream_add(batch, sizeof(batch), &at, XS_READ, next_id, tx[posted % 10u],
                               path, len))
                break;
            next_id++;
        }
        if (xs_stream_send(batch, at))
            break;
        for (k = 0; k < n && xs_stream_next(&msg, 20u * SECOND) == 1; k++) {
            if (is_err(&msg, "ENOENT")) {
                held++;
            } else if (!stopped) {
                stopped = true;
                *why = msg.h.type == XS_ERROR ? "ENOMEM" : "a reply";
                if (!is_err(&msg, "ENOMEM"))
                    gprintf("copies end with type %u '%s'\n", msg.h.type, msg.body);
            }
        }
        if (k < n)
            break;
    }
    return held;
}

static void __attribute__((noreturn)) hog(bool short_run)
{
    uint32_t tx[10], i, ok = 0, held;
    const char *why;

    hog_watches();
    for (i = 0; i < 10; i++)
        ok += (tx[i] = tx_start()) != 0;
    test_check("XS-6 10 transactions", ok == 10);
    expect_err("XS-13 not an 11th", call(XS_TRANSACTION_START, 0, pack("", NULL, false)),
               "ENOSPC");
    held = hog_copies(tx, short_run ? 1000u : 20000u, &why);
    gprintf("xenstore: hog holds 128 watches, 10 transactions, %u copies, then %s\n", held, why);
    test_check("XS-7 copies until ENOMEM", short_run ? held == 1000u : !strcmp(why, "ENOMEM"));
    gprintf("ATTACK XS-7 %s: result every quota and pool refused, held until destroyed\n",
            short_run ? "pools-short" : "pools");
    test_finish();
}

/* ---- the peer and the late guest ---- */

static void served_while_held(const char *who, bool pool_full)
{
    uint32_t t;

    test_check("XS-7 a read", is_ok(call(XS_READ, 0, pack("domid", NULL, false)), XS_READ));
    test_check("XS-7 a write of its node", write_ok("data/v", "2") && read_is("data/v", "2"));
    if (pool_full)
        expect_err("XS-7 a new node: the guests' share is gone",
                   call(XS_WRITE, 0, pack("data/new", "x", false)), "ENOMEM");
    test_check("XS-7 a watch", is_ok(call(XS_WATCH, 0, pack("data/v", "v", true)), XS_WATCH));
    t = tx_start();
    test_check("XS-7 a transaction", t != 0 &&
               is_ok(call(XS_TRANSACTION_END, t, pack("F", NULL, false)), XS_TRANSACTION_END));
    gprintf("xenstore: %s served while the hogs hold the pools\n", who);
}

static void __attribute__((noreturn)) peer(bool short_run)
{
    test_check("peer: its nodes", write_ok("data/v", "1") && write_ok("data/stop", "0"));
    test_check("peer: told the hogs are done", wait_stop());
    served_while_held("peer", !short_run);
    test_finish();
}

static void __attribute__((noreturn)) late(bool short_run)
{
    const struct xenbus_msg *m = call(XS_DIRECTORY, 0, pack("device/vbd", NULL, false));

    test_check("XS-7 dom0 wrote its disk's nodes", is_ok(m, XS_DIRECTORY) && m->h.len > 0);
    test_check("XS-7 and its directory", read_is("name", "xslate"));
    if (!short_run)
        expect_err("XS-7 a new node of its own: the guests' share is gone",
                   call(XS_WRITE, 0, pack("data/v", "1", false)), "ENOMEM");
    test_check("late: told the hogs are gone", wait_stop());
    test_check("XS-7 then a new node", write_ok("data/v", "1") && read_is("data/v", "1"));
    gprintf("xenstore: late guest served beside the hogs and after them\n");
    test_finish();
}

int guest_main(struct start_info *si)
{
    const char *c = si->cmd_line;
    bool short_run = strstr(c, "short") != NULL;

    CHECK_RC("map shared_info", pv_map_shared_info(), 0);
    CHECK_RC("find the store page", xenbus_open(), 0);
    if (strstr(c, "peer"))
        peer(short_run);
    if (strstr(c, "late"))
        late(short_run);
    hog(short_run);
}
