/*
 * A hostile guest against dom0's xenstore, through the public protocol
 * only (spec/xenstore.md XS-13 .. XS-18), with a well-behaved peer (the
 * same image with `peer` on its command line, domain 3).
 *
 * The attacker (domain 2) watches other domains' paths before the peer
 * exists (XS-17: OK and the first event, then nothing it may not read),
 * tries every operation on the victim's, dom0's and its own read-only
 * nodes (XS-16: EACCES, EPERM), runs into each quota with Xen's default
 * and Xen's error (XS-13: node size, permissions per node, watches, open
 * transactions, unread replies), storms transactions (XS-15: start/end
 * pairs, conflicts, ends of unknown ids), then dies holding the most it
 * can: 10 open transactions full of copies, unread replies (XS-18: the
 * scenario compares the store's counts before and after). Every request
 * costs much under the audit, so the long cases run only with
 * `attack=store-hostile-full` (the production run): hundreds of
 * transactions, the 128 watches (held at death), the refusals again inside
 * a transaction, the nodes per transaction (XS-14) and the node quota
 * (held at death).
 *
 * The peer waits for data/ready of the attacker (granted to it), writes
 * a secret node and a public one it grants to the attacker, then, once
 * the attacker is done, checks that its store still serves it.
 */
#include "events.h"
#include "pv/xs_wire.h"
#include "pvtime.h"
#include "test.h"
#include "xenbus.h"

#define SECOND 1000000000ull
#define BATCH 16u

static struct xenbus_msg reply, event;
static char buf[XENSTORE_PAYLOAD_MAX];

/* One request; its reply (an impossible type 0xDEAD if none came). */
static struct xenbus_msg *call(uint32_t type, uint32_t tx, const void *payload, uint32_t len)
{
    if (xenbus_call(type, tx, payload, len, &reply)) {
        reply.h.type = 0xDEAD;
        reply.body[0] = '\0';
    }
    return &reply;
}

static struct xenbus_msg *call1(uint32_t type, uint32_t tx, const char *s)
{
    return call(type, tx, s, (uint32_t)strlen(s) + 1u);
}

/* A request of n strings, each with its NUL. */
static struct xenbus_msg *calln(uint32_t type, uint32_t tx, const char *const *v, uint32_t n)
{
    uint32_t i, at = 0;

    for (i = 0; i < n; i++) {
        uint32_t l = (uint32_t)strlen(v[i]) + 1u;
        memcpy(buf + at, v[i], l);
        at += l;
    }
    return call(type, tx, buf, at);
}

static struct xenbus_msg *call2(uint32_t type, uint32_t tx, const char *a, const char *b)
{
    const char *v[2] = { a, b };

    return calln(type, tx, v, 2);
}

/* WRITE path = value (len bytes of value). */
static struct xenbus_msg *wrn(uint32_t tx, const char *path, const char *value, uint32_t len)
{
    uint32_t lp = (uint32_t)strlen(path) + 1u;

    memcpy(buf, path, lp);
    memcpy(buf + lp, value, len);
    return call(XS_WRITE, tx, buf, lp + len);
}

static struct xenbus_msg *wr(uint32_t tx, const char *path, const char *value)
{
    return wrn(tx, path, value, (uint32_t)strlen(value));
}

static bool is_ok(const struct xenbus_msg *m)
{
    return m->h.type != XS_ERROR && m->h.type != 0xDEAD && !strcmp(m->body, "OK");
}

static bool is_err(const struct xenbus_msg *m, const char *name)
{
    return m->h.type == XS_ERROR && !strcmp(m->body, name);
}

static bool is_value(const struct xenbus_msg *m, const char *v)
{
    return m->h.type == XS_READ && m->h.len == strlen(v) && !memcmp(m->body, v, m->h.len);
}

/* Check an error reply, naming the case and what came back if it is not. */
static void expect_err(const char *what, const struct xenbus_msg *m, const char *name)
{
    if (!is_err(m, name))
        gprintf("%s: got type %u '%s'\n", what, m->h.type, m->body);
    test_check(what, is_err(m, name));
}

static uint32_t tx_start(void)
{
    const char *p;
    uint32_t id = 0;

    if (call1(XS_TRANSACTION_START, 0, "")->h.type != XS_TRANSACTION_START)
        return 0;
    for (p = reply.body; *p >= '0' && *p <= '9'; p++)
        id = id * 10u + (uint32_t)(*p - '0');
    return id;
}

static bool is_event(const struct xenbus_msg *m, const char *path, const char *token)
{
    return !strcmp(m->body, path) && !strcmp(m->body + strlen(path) + 1u, token);
}

/* ---- the attacker ---- */

/* Events that came while replies were awaited in a batch: kept for peer_events. */
static char stash[8][64];
static uint32_t nstash, first_events;

/*
 * The next reply: first events of the quota watches (on "feature") are
 * counted, any other event kept for the check of what it may see.
 */
static int next_reply(struct xenbus_msg *m)
{
    int rc;

    while (!(rc = xenbus_recv(m, SECOND)) && m->h.type == XS_WATCH_EVENT) {
        if (!strcmp(m->body, "feature"))
            first_events++;
        else if (nstash < 8)
            snprintf(stash[nstash++], sizeof(stash[0]), "%s %s", m->body,
                     m->body + strlen(m->body) + 1u);
    }
    return rc;
}

static const struct {
    const char *path, *token;
} others[] = {
    { "/local/domain/1", "victim" },
    { "/local/domain/3", "peer" },
    { "/local/domain/3/data/secret", "secret" },
    { "/local/domain/0", "dom0" },
    { "/tool", "tool" },
    { "@releaseDomain", "release" },
    { "@introduceDomain", "introduce" },
};
#define NOTHERS (sizeof(others) / sizeof(others[0]))

/* XS-17: watches on other domains' paths: registered, first event, as Xen. */
static void watch_others(void)
{
    uint32_t i;

    for (i = 0; i < NOTHERS; i++) {
        test_check("XS-17 watch another domain's path",
                   is_ok(call2(XS_WATCH, 0, others[i].path, others[i].token)));
        test_check("XS-17 its first event at once",
                   !xenbus_event(&event, SECOND) &&
                   is_event(&event, others[i].path, others[i].token));
    }
    /* every domain may read this one (r2: owner 2, others read): the peer starts on it */
    test_check("XS-17 data/ready", is_ok(wr(0, "data/ready", "1")) &&
               is_ok(call2(XS_SET_PERMS, 0, "data/ready", "r2")));
    /* and this one says when it is done (made now: at the end its node quota is full) */
    test_check("XS-17 data/done", is_ok(wr(0, "data/done", "0")) &&
               is_ok(call2(XS_SET_PERMS, 0, "data/done", "r2")));
}

/* XS-16: every operation on nodes it may not touch is EACCES; the owner stays. */
static void others_nodes(uint32_t tx)
{
    static const struct {
        uint32_t type;
        const char *a, *b;      /* b: a second string (NULL: none) */
    } refused[] = {
        { XS_READ, "/local/domain/1/name", NULL },
        { XS_READ, "/local/domain/1/absent", NULL },        /* absent: not ENOENT */
        { XS_READ, "/local/domain/3/data/secret", NULL },   /* not even there yet */
        { XS_READ, "/tool/xenstored", NULL },
        { XS_WRITE, "/local/domain/1/name", "x" },
        { XS_WRITE, "/local/domain/1/data/evil", "x" },
        { XS_WRITE, "/local/domain/1/new/evil", "x" },
        { XS_WRITE, "/local/domain/9/name", "x" },          /* no such domain */
        { XS_WRITE, "/tool/evil", "x" },
        { XS_WRITE, "memory/target", "999999" },            /* its own, read-only */
        { XS_MKDIR, "/local/domain/1/data/evil", NULL },
        { XS_MKDIR, "/local/domain/9", NULL },
        { XS_MKDIR, "/evil", NULL },
        { XS_RM, "/local/domain/1/name", NULL },
        { XS_RM, "/local/domain/1", NULL },
        { XS_RM, "/local/domain/1/absent", NULL },
        { XS_RM, "/tool/xenstored", NULL },
        { XS_RM, "/local/domain/2", NULL },                 /* its own home is dom0's */
        { XS_RM, "name", NULL },
        { XS_DIRECTORY, "/local/domain/1", NULL },
        { XS_DIRECTORY, "/local/domain", NULL },
        { XS_DIRECTORY, "/", NULL },
        { XS_DIRECTORY_PART, "/local/domain/1", "0" },
        { XS_GET_PERMS, "/local/domain/1/data", NULL },
        { XS_GET_PERMS, "/local/domain/1/absent", NULL },
        { XS_SET_PERMS, "/local/domain/1/data", "b2" },
        { XS_SET_PERMS, "/local/domain/1", "n2" },
        { XS_SET_PERMS, "/", "b2" },
        { XS_SET_PERMS, "/local/domain/2", "n2" },          /* its home: not the owner */
        { XS_SET_PERMS, "control", "b2" },
    };
    char what[96];
    uint32_t i;

    for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        snprintf(what, sizeof(what), "XS-16 %s type %u %s", tx ? "in a transaction," : "",
                 refused[i].type, refused[i].a);
        if (refused[i].type == XS_WRITE)
            wr(tx, refused[i].a, refused[i].b);
        else if (refused[i].b)
            call2(refused[i].type, tx, refused[i].a, refused[i].b);
        else
            call1(refused[i].type, tx, refused[i].a);
        expect_err(what, &reply, "EACCES");
    }
    /* its own node: it may not give it away (Xen: only dom0 changes owners) */
    expect_err("XS-16 give a node to dom0", call2(XS_SET_PERMS, tx, "data/ready", "n0"), "EPERM");
    expect_err("XS-16 or to the victim", call2(XS_SET_PERMS, tx, "data/ready", "b1"), "EPERM");
}

/* Each refused request left the node as it was (XS-13). */
static void node_size(void)
{
    static char value[2048];

    memset(value, 'v', sizeof(value));
    /* 24-byte header + one permission + the value reaching 2048: refused */
    expect_err("XS-13 a 2016-byte value", wrn(0, "data/big", value, 2016u), "ENOSPC");
    test_check("XS-13 a 2015-byte value", is_ok(wrn(0, "data/big", value, 2015u)));
    expect_err("XS-13 and not one byte more", wrn(0, "data/big", value, 2016u), "ENOSPC");
    test_check("XS-13 the node unchanged",
               call1(XS_READ, 0, "data/big")->h.type == XS_READ && reply.h.len == 2015u);
    /* a child's name counts in its parent's record too */
    expect_err("XS-13 a child of the full node", wr(0, "data/big/c", ""), "ENOSPC");
    test_check("XS-13 no child made",
               call1(XS_DIRECTORY, 0, "data/big")->h.type == XS_DIRECTORY && reply.h.len == 0);
}

/* XS-13: at most 5 permission entries per node. */
static void perms_per_node(void)
{
    /* domains that exist, so Xen keeps every entry (its XSA-322 rule) */
    static const char *const five[] = { "data/p", "n2", "r1", "r0", "w1", "b0" };
    static const char *const six[] = { "data/p", "n2", "r1", "r0", "w1", "b0", "r1" };
    static const char listing[] = "n2\0r1\0r0\0w1\0b0";

    test_check("XS-13 data/p", is_ok(wr(0, "data/p", "")));
    test_check("XS-13 5 permission entries", is_ok(calln(XS_SET_PERMS, 0, five, 6)));
    expect_err("XS-13 not 6", calln(XS_SET_PERMS, 0, six, 7), "ENOSPC");
    test_check("XS-13 the 5 stay", call1(XS_GET_PERMS, 0, "data/p")->h.type == XS_GET_PERMS &&
               reply.h.len == sizeof(listing) && !memcmp(reply.body, listing, sizeof(listing)));
}

/* XS-13: 128 watches in all (the others' above count), the 129th refused. */
static void watches_full(void)
{
    uint32_t i, k, n, ok = 0, first = 0, want = 128u - NOTHERS;

    for (i = 0; i < want; i += BATCH) {
        uint32_t end = i + BATCH < want ? i + BATCH : want;

        for (k = i; k < end; k++) {
            n = (uint32_t)snprintf(buf, sizeof(buf), "feature%cq%u", 0, k) + 1u;
            CHECK_RC("post", xenbus_post(XS_WATCH, 0, buf, n, NULL), 0);
        }
        for (k = 0; k < end - i && !next_reply(&reply); k++)
            ok += reply.h.type == XS_WATCH && !strcmp(reply.body, "OK");
    }
    /* the last first events may follow the last reply */
    while (first_events < want && !xenbus_recv(&reply, SECOND))
        first_events += reply.h.type == XS_WATCH_EVENT && !strcmp(reply.body, "feature");
    first = first_events;
    test_check("XS-13 121 more watches, each with its first event", ok == want && first == want);
    expect_err("XS-13 not a 129th", call2(XS_WATCH, 0, "feature", "one-more"), "ENOSPC");
    expect_err("XS-13 not even on another path", call2(XS_WATCH, 0, "/local/domain/1/x", "x"),
               "ENOSPC");
}

/*
 * XS-13: 20 replies waiting unread: dom0 stops reading the ring, and
 * every request is answered, in order, once the guest reads. Each reply
 * here is 200 bytes: the response ring takes 5 and part of a 6th, so
 * dom0 reads 25 of the 30 requests and leaves 5 in the ring.
 */
static void outstanding(void)
{
    static char value[184];
    struct xenstore_domain_interface *page = xenbus_page();
    uint32_t i, start, ids[30], done, before, in_order = 0;
    const uint32_t size = 16u + sizeof("data/blob");

    memset(value, 'b', sizeof(value));
    test_check("XS-13 a 184-byte node", is_ok(wrn(0, "data/blob", value, sizeof(value))));
    start = *(volatile uint32_t *)&page->req_cons;
    for (i = 0; i < 30; i++)
        CHECK_RC("post a read", xenbus_post(XS_READ, 0, "data/blob", sizeof("data/blob"),
                                            &ids[i]), 0);
    /* until dom0 has stopped taking requests */
    do {
        before = *(volatile uint32_t *)&page->req_cons;
        pv_sleep_ns(SECOND / 5u);
    } while (*(volatile uint32_t *)&page->req_cons != before);
    done = (before - start) / size;
    gprintf("xenstore: %u of 30 requests read while the replies wait\n", done);
    test_check("XS-13 dom0 stops reading at 20 unread replies", done == 25u);
    for (i = 0; i < 30 && !next_reply(&reply); i++)
        in_order += reply.h.type == XS_READ && reply.h.req_id == ids[i] &&
                    reply.h.len == sizeof(value);
    test_check("XS-13 then all 30 answered, in order", in_order == 30);
}

/* XS-15: transaction storms. */
static void storms(uint32_t pairs, uint32_t rounds)
{
    uint32_t i, t, prev = 0, fresh = 0, ended = 0, conflicts = 0;
    char v[16];

    for (i = 0; i < pairs; i++) {
        t = tx_start();
        fresh += t != 0 && t != prev;
        prev = t;
        snprintf(v, sizeof(v), "%u", i);
        wr(t, "data/s", v);
        ended += is_ok(call1(XS_TRANSACTION_END, t, (i & 1u) ? "F" : "T"));
    }
    test_check("XS-15 start/end storm: each id fresh", fresh == pairs);
    test_check("XS-15 each ended", ended == pairs);
    snprintf(v, sizeof(v), "%u", pairs - 2u);
    test_check("XS-15 the last commit holds", is_value(call1(XS_READ, 0, "data/s"), v));

    for (i = 0; i < rounds; i++) {
        uint32_t a = tx_start(), b = tx_start();

        call1(XS_READ, a, "data/s");
        call1(XS_READ, b, "data/s");
        wr(a, "data/s", "a");
        wr(b, "data/s", "b");
        conflicts += is_ok(call1(XS_TRANSACTION_END, a, "T")) &&
                     is_err(call1(XS_TRANSACTION_END, b, "T"), "EAGAIN");
    }
    test_check("XS-15 conflicts, the second commit EAGAIN each time", conflicts == rounds);
    test_check("XS-15 the first one's value", is_value(call1(XS_READ, 0, "data/s"), "a"));

    t = tx_start();
    expect_err("XS-15 end without an id", call1(XS_TRANSACTION_END, 0, "T"), "ENOENT");
    expect_err("XS-15 end of an unknown id", call1(XS_TRANSACTION_END, 999999u, "T"), "ENOENT");
    expect_err("XS-15 end of id 0xffffffff", call1(XS_TRANSACTION_END, 0xffffffffu, "F"),
               "ENOENT");
    expect_err("XS-15 no nesting", call1(XS_TRANSACTION_START, t, ""), "EBUSY");
    expect_err("XS-15 neither T nor F", call1(XS_TRANSACTION_END, t, "X"), "EINVAL");
    expect_err("XS-15 no NUL", call(XS_TRANSACTION_END, t, "T", 1u), "EINVAL");
    test_check("XS-15 still open after those", is_ok(call1(XS_TRANSACTION_END, t, "F")));
    expect_err("XS-15 end it twice", call1(XS_TRANSACTION_END, t, "T"), "ENOENT");
    expect_err("XS-15 read with an ended id", call1(XS_READ, t, "data/s"), "ENOENT");
    expect_err("XS-15 write with an ended id", wr(t, "data/ghost", "x"), "ENOENT");
    expect_err("XS-15 nothing written", call1(XS_READ, 0, "data/ghost"), "ENOENT");
}

/* XS-14 (and XS-6): over its nodes-per-transaction quota, the transaction has failed. */
static void tx_nodes(void)
{
    uint32_t t = tx_start(), i, k, n, read = 0;
    bool full = false;

    test_check("XS-14 a write in it", is_ok(wr(t, "data/keep", "1")));
    for (i = 0; i < 1100 && !full; i += BATCH) {
        for (k = i; k < i + BATCH; k++) {
            n = (uint32_t)snprintf(buf, sizeof(buf), "data/r%u", k) + 1u;
            CHECK_RC("post", xenbus_post(XS_READ, t, buf, n, NULL), 0);
        }
        for (k = 0; k < BATCH && !next_reply(&reply); k++) {
            read += is_err(&reply, "ENOENT");
            full = full || is_err(&reply, "ENOSPC");
        }
    }
    gprintf("xenstore: %u nodes read in one transaction before ENOSPC\n", read);
    test_check("XS-14 ENOSPC after about 1024 nodes", full && read > 1000u && read < 1024u);
    expect_err("XS-14 its commit fails", call1(XS_TRANSACTION_END, t, "T"), "ENOMEM");
    expect_err("XS-14 and applied nothing", call1(XS_READ, 0, "data/keep"), "ENOENT");
}

/* XS-6: nodes until the quota; they stay for the end (XS-18). */
static void nodes_full(void)
{
    uint32_t i, k, n, written = 0;
    bool full = false;

    for (i = 0; i < 2000 && !full; i += BATCH) {
        for (k = i; k < i + BATCH; k++) {
            n = (uint32_t)snprintf(buf, sizeof(buf), "data/d%u/n%u", k / 50u, k % 50u) + 1u;
            CHECK_RC("post", xenbus_post(XS_WRITE, 0, buf, n, NULL), 0);
        }
        for (k = 0; k < BATCH && !next_reply(&reply); k++) {
            written += reply.h.type == XS_WRITE;
            full = full || is_err(&reply, "ENOSPC");
        }
    }
    gprintf("xenstore: %u more nodes written before ENOSPC\n", written);
    test_check("XS-6 nodes end in ENOSPC", full);
}

/* XS-13: 10 open transactions, the 11th refused; they stay open, full of copies (XS-18). */
static void transactions_full(void)
{
    uint32_t t[10], i, ok = 0;
    char path[32];

    for (i = 0; i < 10; i++)
        t[i] = tx_start();
    expect_err("XS-13 not an 11th transaction", call1(XS_TRANSACTION_START, 0, ""), "ENOSPC");
    for (i = 0; i < 10; i++)
        ok += is_ok(call1(XS_TRANSACTION_END, t[i], "F"));
    test_check("XS-13 ended, their slots are free again", ok == 10 && (t[0] = tx_start()) != 0);
    call1(XS_TRANSACTION_END, t[0], "F");
    for (i = 0, ok = 0; i < 10; i++) {
        t[i] = tx_start();
        snprintf(path, sizeof(path), "data/t%u/a/b", i);
        ok += is_ok(wr(t[i], path, "in a transaction"));
        ok += is_ok(call1(XS_RM, t[i], "data/big"));
        ok += is_value(call1(XS_READ, t[i], "data/p"), "");
        ok += is_err(call1(XS_READ, t[i], "/local/domain/1/name"), "EACCES");
    }
    test_check("XS-13 10 transactions left open, each with copies", ok == 40);
}

/*
 * XS-17: the peer's writes: no event for anything it may not read (the
 * toolstack's nodes for domain 3, its backends, the secret), one for the
 * node granted to it.
 */
static void peer_events(void)
{
    uint64_t end = pv_time_ns() + 120u * SECOND;
    uint32_t leaked = 0, i;
    bool public_seen = false;

    for (i = 0; i < nstash; i++) {
        if (!strcmp(stash[i], "/local/domain/3/data/public peer")) {
            public_seen = true;
        } else {
            gprintf("FAILED: an event it may not see: %s\n", stash[i]);
            leaked++;
        }
    }
    while (!public_seen && pv_time_ns() < end) {
        if (xenbus_event(&event, SECOND))
            continue;
        if (is_event(&event, "/local/domain/3/data/public", "peer")) {
            public_seen = true;
        } else {
            gprintf("FAILED: an event it may not see: %s\n", event.body);
            leaked++;
        }
    }
    test_check("XS-17 the granted node's event", public_seen);
    test_check("XS-17 no event of anything it may not read", leaked == 0);
    test_check("XS-17 the grant reads", is_value(call1(XS_READ, 0, "/local/domain/3/data/public"),
                                                 "hello"));
    expect_err("XS-17 the secret does not", call1(XS_READ, 0, "/local/domain/3/data/secret"),
               "EACCES");
}

static void __attribute__((noreturn)) attacker(bool full)
{
    watch_others();
    others_nodes(0);
    node_size();
    perms_per_node();
    storms(full ? 400u : 6u, full ? 20u : 2u);
    if (full)
        tx_nodes();
    peer_events();
    if (full) {
        /* the peer's directory exists and stays as it is until data/done: no conflict */
        uint32_t t = tx_start();

        others_nodes(t);
        test_check("XS-16 refusals do not fail a transaction",
                   is_ok(call1(XS_TRANSACTION_END, t, "T")));
    }
    outstanding();
    if (full)
        watches_full();
    transactions_full();
    if (full)
        nodes_full();
    /* the peer checks its store once this is there */
    test_check("XS-18 data/done", is_ok(wr(0, "data/done", "1")));
    /* and replies left unread (XS-18) */
    CHECK_RC("post", xenbus_post(XS_READ, 0, "data/blob", sizeof("data/blob"), NULL), 0);
    CHECK_RC("post", xenbus_post(XS_DIRECTORY, 0, "data", sizeof("data"), NULL), 0);
    gprintf("ATTACK XS-13 %s: result every refusal Xen's, the peer still served\n",
            full ? "store-hostile-full" : "store-hostile");
    test_finish();
}

/* ---- the peer ---- */

/* Until a node of the attacker's (readable by all) reads "1": a watch, not polling. */
static bool wait_for(const char *path)
{
    uint64_t end = pv_time_ns() + 600u * SECOND;
    bool seen = false;

    if (!is_ok(call2(XS_WATCH, 0, path, "wait")))
        return false;
    while (!seen && pv_time_ns() < end) {
        seen = is_value(call1(XS_READ, 0, path), "1");
        if (!seen)
            xenbus_event(&event, 10u * SECOND);
    }
    call2(XS_UNWATCH, 0, path, "wait");
    while (!xenbus_event(&event, SECOND / 10u))
        ;                               /* the events of the wait */
    return seen;
}

static void __attribute__((noreturn)) peer(void)
{
    uint32_t t;

    test_check("peer: the attacker is ready", wait_for("/local/domain/2/data/ready"));
    test_check("peer: a secret", is_ok(wr(0, "data/secret", "s1")) &&
               is_ok(wr(0, "data/secret", "s2")) && is_ok(call1(XS_MKDIR, 0, "data/hid/x")) &&
               is_ok(call1(XS_RM, 0, "data/hid")));
    test_check("peer: a public node", is_ok(wr(0, "data/public", "hello")) &&
               is_ok(calln(XS_SET_PERMS, 0, (const char *const[]){ "data/public", "n3", "r2" }, 3)));
    test_check("peer: the attacker is done", wait_for("/local/domain/2/data/done"));
    test_check("peer: reads its domid", is_value(call1(XS_READ, 0, "domid"), "3"));
    test_check("peer: writes", is_ok(wr(0, "data/x/y", "v")) &&
               is_value(call1(XS_READ, 0, "data/x/y"), "v"));
    test_check("peer: watches", is_ok(call2(XS_WATCH, 0, "data/x", "w")) &&
               !xenbus_event(&event, SECOND) && is_event(&event, "data/x", "w"));
    t = tx_start();
    test_check("peer: a transaction", t != 0 && is_ok(wr(t, "data/x/z", "1")) &&
               is_ok(call1(XS_TRANSACTION_END, t, "T")));
    test_check("peer: its event", !xenbus_event(&event, SECOND) &&
               is_event(&event, "data/x/z", "w"));
    gprintf("xenstore: still served beside the attacker\n");
    test_finish();
}

int guest_main(struct start_info *si)
{
    CHECK_RC("map shared_info", pv_map_shared_info(), 0);
    CHECK_RC("find the store page", xenbus_open(), 0);
    if (strstr(si->cmd_line, "peer"))
        peer();
    attacker(strstr(si->cmd_line, "attack=store-hostile-full") != NULL);
}
