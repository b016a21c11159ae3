/*
 * Unit tests for dom0's xenstore (dom0/xs_*.c, spec/xenstore.md XS-1 ..
 * XS-11): every operation, the path rules, the permission rules, the
 * quotas, transactions and their conflicts, watch events, malformed
 * messages, and what a closed connection leaves behind. Requests go in
 * as whole wire messages and replies come out of the connection's queue,
 * exactly as the ring consumer moves them.
 */
#include <stdlib.h>

#include "check.h"
#include "pv/errno.h"
#include "xs.h"

static struct xs_store st;

struct msg {
    uint32_t type, req_id, tx_id, len;
    char body[XENSTORE_PAYLOAD_MAX + 1];
};

static struct msg last;         /* the reply to the last call */
static struct msg evs[256];     /* watch events taken by the last call or drain */
static uint32_t nev;
static uint32_t next_req = 100;
static int dom0, g5, g7;        /* connections */

static int take_msg(uint32_t c, struct msg *m)
{
    uint8_t hdr[16];
    uint32_t n = xs_out_take(&st, c, hdr, sizeof(hdr));

    if (n == 0)
        return 0;
    CHECK_EQ(n, 16);
    memcpy(&m->type, hdr, 4);
    memcpy(&m->req_id, hdr + 4, 4);
    memcpy(&m->tx_id, hdr + 8, 4);
    memcpy(&m->len, hdr + 12, 4);
    CHECK(m->len <= XENSTORE_PAYLOAD_MAX);
    CHECK_EQ(xs_out_take(&st, c, (uint8_t *)m->body, m->len), m->len);
    m->body[m->len] = '\0';
    return 1;
}

/* Take every queued message of c into evs[] (after clearing it). */
static void drain(uint32_t c)
{
    struct msg m;

    nev = 0;
    while (take_msg(c, &m))
        if (nev < 256)
            evs[nev++] = m;
}

static int send_raw(uint32_t c, uint32_t type, uint32_t tx, const void *p, uint32_t n)
{
    static uint8_t buf[16 + XENSTORE_PAYLOAD_MAX];
    struct xsd_sockmsg h = { .type = type, .req_id = next_req++, .tx_id = tx, .len = n };

    memcpy(buf, &h, 16);
    memcpy(buf + 16, p, n);
    return xs_request(&st, c, buf, 16 + n);
}

/* One request; its reply lands in `last`, the events around it in evs[]. */
static const char *call(uint32_t c, uint32_t type, uint32_t tx, const void *p, uint32_t n)
{
    struct msg m;
    uint32_t want = next_req;

    memset(&last, 0, sizeof(last));
    CHECK_EQ(send_raw(c, type, tx, p, n), XS_OK);
    nev = 0;
    last.type = 0xDEAD;
    while (take_msg(c, &m)) {
        if (m.type == XS_WATCH_EVENT) {
            if (nev < 256)
                evs[nev++] = m;
        } else {
            CHECK_EQ(m.req_id, want);
            CHECK_EQ(m.tx_id, tx);
            last = m;
        }
    }
    return last.body;
}

/* A request whose payload is a literal, its last NUL included. */
#define CALLS(c, type, tx, lit) call(c, type, tx, lit, sizeof(lit))

/* A request whose payload is one C string (with its NUL). */
static const char *call1(uint32_t c, uint32_t type, uint32_t tx, const char *s)
{
    return call(c, type, tx, s, (uint32_t)strlen(s) + 1u);
}

/* A request of two C strings, each with its NUL (WATCH, UNWATCH, SET_PERMS of one entry). */
static const char *call2(uint32_t c, uint32_t type, uint32_t tx, const char *a, const char *b)
{
    static char buf[XENSTORE_PAYLOAD_MAX];
    uint32_t la = (uint32_t)strlen(a) + 1u, lb = (uint32_t)strlen(b) + 1u;

    memcpy(buf, a, la);
    memcpy(buf + la, b, lb);
    return call(c, type, tx, buf, la + lb);
}

/* WRITE path = value (the value has no NUL). */
static const char *wr(uint32_t c, uint32_t tx, const char *path, const char *value)
{
    static char buf[XENSTORE_PAYLOAD_MAX];
    uint32_t lp = (uint32_t)strlen(path) + 1u, lv = (uint32_t)strlen(value);

    memcpy(buf, path, lp);
    memcpy(buf + lp, value, lv);
    return call(c, XS_WRITE, tx, buf, lp + lv);
}

static int is_ok(void)
{
    return last.type != XS_ERROR && last.type != 0xDEAD && !strcmp(last.body, "OK");
}

static int is_err(const char *name)
{
    return last.type == XS_ERROR && !strcmp(last.body, name) && last.len == strlen(name) + 1u;
}

/* Is there an event (path, token) in evs[]? */
static int has_event(const char *path, const char *token)
{
    uint32_t i;

    for (i = 0; i < nev; i++)
        if (evs[i].type == XS_WATCH_EVENT && !strcmp(evs[i].body, path) &&
            !strcmp(evs[i].body + strlen(path) + 1u, token))
            return 1;
    return 0;
}

/* A fresh store: dom0, guests 5 and 7, each with a home it owns (as a toolstack makes). */
static void fresh(void)
{
    xs_init(&st);
    dom0 = xs_conn_open(&st, 0, true);
    g5 = xs_conn_open(&st, 5, false);
    g7 = xs_conn_open(&st, 7, false);
    CHECK(dom0 >= 0 && g5 >= 0 && g7 >= 0);
    call1(dom0, XS_MKDIR, 0, "/local/domain/5");
    CHECK(is_ok());
    call2(dom0, XS_SET_PERMS, 0, "/local/domain/5", "n5");
    CHECK(is_ok());
    call1(dom0, XS_MKDIR, 0, "/local/domain/7");
    call2(dom0, XS_SET_PERMS, 0, "/local/domain/7", "n7");
    CHECK(is_ok());
}

/* XS-1: Xen's first nodes. */
static void test_init(void)
{
    fresh();
    call1(dom0, XS_DIRECTORY, 0, "/");
    CHECK_EQ(last.type, XS_DIRECTORY);
    CHECK(last.len == 11 && !memcmp(last.body, "tool\0local", 11));
    call1(dom0, XS_GET_PERMS, 0, "/");
    CHECK(last.type == XS_GET_PERMS && last.len == 3 && !strcmp(last.body, "n0"));
    call1(dom0, XS_DIRECTORY, 0, "/tool");
    CHECK(last.len == 10 && !strcmp(last.body, "xenstored"));
    CHECK_EQ(xs_conn_open(&st, 5, false), -EEXIST);
}

/* XS-1: READ, WRITE, MKDIR, RM, DIRECTORY, GET_DOMAIN_PATH. */
static void test_ops(void)
{
    static const char bin[] = "/local/domain/5/bin\0a\0b";

    fresh();
    wr(g5, 0, "name", "guest");
    CHECK(is_ok());
    CHECK_EQ(last.type, XS_WRITE);
    call1(g5, XS_READ, 0, "name");
    CHECK(last.type == XS_READ && last.len == 5 && !memcmp(last.body, "guest", 5));
    call1(dom0, XS_READ, 0, "/local/domain/5/name");          /* relative = absolute */
    CHECK(last.len == 5 && !memcmp(last.body, "guest", 5));
    call(g5, XS_WRITE, 0, bin, sizeof(bin) - 1);                /* a value may hold NULs */
    call1(g5, XS_READ, 0, "bin");
    CHECK(last.len == 3 && !memcmp(last.body, "a\0b", 3));
    wr(g5, 0, "empty", "");
    call1(g5, XS_READ, 0, "empty");
    CHECK(last.type == XS_READ && last.len == 0);
    call1(g5, XS_READ, 0, "missing");
    CHECK(is_err("ENOENT"));

    call1(g5, XS_MKDIR, 0, "a/b/c");                           /* makes a and a/b too */
    CHECK(is_ok());
    call1(g5, XS_MKDIR, 0, "a/b");                             /* existing: fine */
    CHECK(is_ok());
    wr(g5, 0, "a/b/d", "1");
    call1(g5, XS_DIRECTORY, 0, "a/b");
    CHECK(last.len == 4 && !memcmp(last.body, "c\0d", 4));
    call1(g5, XS_DIRECTORY, 0, "a/b/c");
    CHECK(last.type == XS_DIRECTORY && last.len == 0);

    call1(g5, XS_RM, 0, "a");                                  /* the whole subtree */
    CHECK(is_ok());
    call1(g5, XS_READ, 0, "a/b/d");
    CHECK(is_err("ENOENT"));
    call1(g5, XS_RM, 0, "a");                                  /* absent, parent present */
    CHECK(is_ok());
    call1(g5, XS_RM, 0, "a/x");                                /* absent, parent absent */
    CHECK(is_err("ENOENT"));
    call1(dom0, XS_RM, 0, "/");
    CHECK(is_err("EINVAL"));

    call1(g5, XS_GET_DOMAIN_PATH, 0, "7");
    CHECK(last.type == XS_GET_DOMAIN_PATH && last.len == 16 &&
          !strcmp(last.body, "/local/domain/7"));
    call1(g5, XS_GET_DOMAIN_PATH, 0, "007");
    CHECK(!strcmp(last.body, "/local/domain/7"));
    call1(g5, XS_GET_DOMAIN_PATH, 0, "x1");
    CHECK(is_err("EINVAL"));
    call1(g5, XS_GET_DOMAIN_PATH, 0, "");
    CHECK(is_err("EINVAL"));
}

/* XS-5: path rules. */
static void test_paths(void)
{
    static char longp[XENSTORE_ABS_PATH_MAX + 8];
    static const char *const bad[] = { "/a/", "/a//b", "/a b", "/a.b", "/a\x7f", "@x", "" };
    uint32_t i;

    fresh();
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        wr(dom0, 0, bad[i], "v");
        CHECK(is_err("EINVAL"));
    }
    wr(dom0, 0, "/a-_@Z9", "v");
    CHECK(is_ok());
    wr(g5, 0, "rel/x", "v");                                   /* relative: below the home */
    call1(dom0, XS_READ, 0, "/local/domain/5/rel/x");
    CHECK(last.type == XS_READ);
    wr(dom0, 0, "rel0", "v");                                  /* dom0's home is /local/domain/0 */
    call1(dom0, XS_READ, 0, "/local/domain/0/rel0");
    CHECK(last.type == XS_READ);

    /* a guest: at most 2048 bytes below /local/domain/<id>/ (in names of 99 bytes) */
    for (i = 0; i < sizeof(longp); i++)
        longp[i] = (i >= 16 && (i - 16) % 100 == 99) ? '/' : 'x';
    memcpy(longp, "/local/domain/5/", 16);
    longp[16 + 2048] = '\0';
    wr(g5, 0, longp, "v");
    CHECK(is_ok());
    longp[16 + 2048] = 'y';
    longp[16 + 2049] = '\0';
    wr(g5, 0, longp, "v");
    CHECK(is_err("EINVAL"));
    wr(dom0, 0, longp, "v");                                   /* dom0: no such quota */
    CHECK(is_ok());
    /* nobody beyond XENSTORE_ABS_PATH_MAX */
    longp[16 + 2049] = 'x';
    longp[XENSTORE_ABS_PATH_MAX] = '\0';
    wr(dom0, 0, longp, "v");
    CHECK(is_ok());
    longp[XENSTORE_ABS_PATH_MAX] = 'z';
    longp[XENSTORE_ABS_PATH_MAX + 1] = '\0';
    wr(dom0, 0, longp, "v");
    CHECK(is_err("EINVAL"));
}

/* XS-4: permissions. */
static void test_perms(void)
{
    fresh();
    wr(dom0, 0, "/local/domain/5/secret", "s");                /* inherits n5: 5 owns it */
    call1(dom0, XS_GET_PERMS, 0, "/local/domain/5/secret");
    CHECK(last.len == 3 && !strcmp(last.body, "n5"));
    call2(dom0, XS_SET_PERMS, 0, "/local/domain/5/secret", "n0");
    CHECK(is_ok());
    call1(g5, XS_READ, 0, "secret");
    CHECK(is_err("EACCES"));
    call1(g7, XS_READ, 0, "/local/domain/5/secret");
    CHECK(is_err("EACCES"));
    /* n0 then r5: 5 may read, not write; 7 still nothing */
    CALLS(dom0, XS_SET_PERMS, 0, "/local/domain/5/secret\0n0\0r5");
    CHECK(is_ok());
    call1(dom0, XS_GET_PERMS, 0, "/local/domain/5/secret");
    CHECK(last.len == 6 && !memcmp(last.body, "n0\0r5", 6));
    call1(g5, XS_READ, 0, "secret");
    CHECK(last.type == XS_READ);
    wr(g5, 0, "secret", "x");
    CHECK(is_err("EACCES"));
    call1(g7, XS_READ, 0, "/local/domain/5/secret");
    CHECK(is_err("EACCES"));
    call1(g7, XS_DIRECTORY, 0, "/local/domain/5");
    CHECK(is_err("EACCES"));

    /* an absent node says ENOENT only to whom its nearest ancestor lets in */
    call1(g5, XS_READ, 0, "/local/domain/5/nothing");
    CHECK(is_err("ENOENT"));
    call1(g7, XS_READ, 0, "/local/domain/5/nothing");
    CHECK(is_err("EACCES"));
    wr(g7, 0, "/local/domain/5/intruder", "x");
    CHECK(is_err("EACCES"));
    call1(g7, XS_MKDIR, 0, "/local/domain/5/intruder");
    CHECK(is_err("EACCES"));
    call1(g7, XS_RM, 0, "/local/domain/5/secret");
    CHECK(is_err("EACCES"));
    wr(g7, 0, "/evil", "x");                                   /* / is n0 */
    CHECK(is_err("EACCES"));

    /* a guest's node is its own; it may open it to others but not give it away */
    wr(g5, 0, "pub", "p");
    call1(g5, XS_GET_PERMS, 0, "pub");
    CHECK(!strcmp(last.body, "n5"));
    call1(g7, XS_READ, 0, "/local/domain/5/pub");
    CHECK(is_err("EACCES"));
    call2(g5, XS_SET_PERMS, 0, "pub", "r5");
    CHECK(is_ok());
    call1(g7, XS_READ, 0, "/local/domain/5/pub");
    CHECK(last.type == XS_READ);
    wr(g7, 0, "/local/domain/5/pub", "x");
    CHECK(is_err("EACCES"));
    call2(g5, XS_SET_PERMS, 0, "pub", "n7");
    CHECK(is_err("EPERM"));
    call2(g7, XS_SET_PERMS, 0, "/local/domain/5/pub", "b7");
    CHECK(is_err("EACCES"));
    CALLS(g5, XS_SET_PERMS, 0, "pub\0r5\0b7");              /* 7 may now write */
    wr(g7, 0, "/local/domain/5/pub", "by7");
    CHECK(is_ok());
    call2(g7, XS_SET_PERMS, 0, "/local/domain/5/pub", "r5");   /* write is not ownership */
    CHECK(is_err("EACCES"));
    /* inherited on creation: a child of pub gets r5 b7, owner its creator */
    wr(g7, 0, "/local/domain/5/pub/kid", "k");
    call1(g5, XS_GET_PERMS, 0, "pub/kid");
    CHECK(last.len == 6 && !memcmp(last.body, "r7\0b7", 6));
    wr(dom0, 0, "/local/domain/5/pub/dkid", "k");              /* dom0 keeps the parent's owner */
    call1(g5, XS_GET_PERMS, 0, "pub/dkid");
    CHECK(last.len == 6 && !memcmp(last.body, "r5\0b7", 6));

    /* malformed permission lists */
    call2(g5, XS_SET_PERMS, 0, "pub", "x5");
    CHECK(is_err("EINVAL"));
    call2(g5, XS_SET_PERMS, 0, "pub", "r");
    CHECK(is_err("EINVAL"));
    call2(g5, XS_SET_PERMS, 0, "pub", "r5x");
    CHECK(is_err("EINVAL"));
    call2(g5, XS_SET_PERMS, 0, "pub", "r99999");
    CHECK(is_err("EINVAL"));
    call1(g5, XS_SET_PERMS, 0, "pub");
    CHECK(is_err("EINVAL"));
    CALLS(g5, XS_SET_PERMS, 0, "pub\0r5\0r1\0r2\0r3\0r4\0r6");   /* 6 > 5 entries */
    CHECK(is_err("ENOSPC"));
    CALLS(dom0, XS_SET_PERMS, 0, "/local/domain/5/pub\0r5\0r1\0r2\0r3\0r4\0r6");
    CHECK(is_ok());                                            /* dom0 has no such quota */
    call2(g5, XS_SET_PERMS, 0, "@releaseDomain", "r5");
    CHECK(is_err("EINVAL"));
}

/* XS-8: watches and their events. */
static void test_watches(void)
{
    fresh();
    call2(g5, XS_WATCH, 0, "dev", "tok");
    CHECK(is_ok());
    CHECK_EQ(last.type, XS_WATCH);
    CHECK(nev == 1 && has_event("dev", "tok"));                /* the first event, relative */
    CHECK_EQ(evs[0].req_id, 0);
    call2(g5, XS_WATCH, 0, "dev", "tok");
    CHECK(is_err("EEXIST"));
    call2(g5, XS_WATCH, 0, "/local/domain/5/dev", "abs");      /* same node, another token */
    CHECK(is_ok() && has_event("/local/domain/5/dev", "abs"));

    wr(dom0, 0, "/local/domain/5/dev/vif/0/state", "1");       /* a descendant: both fire */
    drain(g5);
    CHECK_EQ(nev, 2);
    CHECK(has_event("dev/vif/0/state", "tok"));
    CHECK(has_event("/local/domain/5/dev/vif/0/state", "abs"));
    wr(dom0, 0, "/local/domain/5/other", "1");                 /* not below: none */
    drain(g5);
    CHECK_EQ(nev, 0);
    call1(dom0, XS_MKDIR, 0, "/local/domain/5/dev/vif/0");     /* existing: no event */
    drain(g5);
    CHECK_EQ(nev, 0);
    call1(dom0, XS_MKDIR, 0, "/local/domain/5/dev/vbd");
    drain(g5);
    CHECK(nev == 2 && has_event("dev/vbd", "tok"));

    /* a watch on a descendant fires, with its own path, when an ancestor is removed */
    call2(g5, XS_WATCH, 0, "dev/vif/0/state", "st");
    call1(dom0, XS_RM, 0, "/local/domain/5/dev/vif");
    drain(g5);
    CHECK(has_event("dev/vif/0/state", "st"));
    CHECK(has_event("dev/vif", "tok"));
    CHECK(has_event("/local/domain/5/dev/vif", "abs"));

    /* only to watchers that may read: 7 watches 5's tree */
    call2(g7, XS_WATCH, 0, "/local/domain/5", "spy");
    CHECK(is_ok() && has_event("/local/domain/5", "spy"));
    wr(g5, 0, "dev/private", "x");                             /* n5: 7 hears nothing */
    drain(g7);
    CHECK_EQ(nev, 0);
    call2(g5, XS_SET_PERMS, 0, "dev/private", "r5");           /* now 7 may read it */
    drain(g7);
    CHECK(nev == 1 && has_event("/local/domain/5/dev/private", "spy"));
    call2(g5, XS_SET_PERMS, 0, "dev/private", "n5");           /* it could read before: told */
    drain(g7);
    CHECK_EQ(nev, 1);
    wr(g5, 0, "dev/private", "y");
    drain(g7);
    CHECK_EQ(nev, 0);
    drain(g5);

    /* UNWATCH, malformed WATCH */
    call2(g5, XS_UNWATCH, 0, "dev", "tok");
    CHECK(is_ok());
    CHECK_EQ(last.type, XS_UNWATCH);
    call2(g5, XS_UNWATCH, 0, "dev", "tok");
    CHECK(is_err("ENOENT"));
    call1(g5, XS_WATCH, 0, "dev");
    CHECK(is_err("EINVAL"));
    CALLS(g5, XS_WATCH, 0, "a\0b\0c");
    CHECK(is_err("EINVAL"));
    call2(g5, XS_WATCH, 0, "bad//path", "t");
    CHECK(is_err("EINVAL"));
    call2(g5, XS_WATCH, 0, "@releaseDomain", "rel");           /* special paths are watchable */
    CHECK(is_ok() && has_event("@releaseDomain", "rel"));
    call2(dom0, XS_WATCH, 0, "@releaseDomain", "gone");
    xs_fire_special(&st, "@releaseDomain");                    /* ... but only dom0 hears them */
    drain(dom0);
    CHECK(nev == 1 && has_event("@releaseDomain", "gone"));
    drain(g5);
    CHECK_EQ(nev, 0);
    xs_fire_special(&st, "@introduceDomain");
    drain(dom0);
    CHECK_EQ(nev, 0);

    /* RESET_WATCHES: none left */
    call1(g5, XS_RESET_WATCHES, 0, "");
    CHECK(is_ok());
    wr(dom0, 0, "/local/domain/5/dev/x", "1");
    drain(g5);
    CHECK_EQ(nev, 0);
    call2(g5, XS_WATCH, 0, "dev", "tok");                      /* and it may start again */
    CHECK(is_ok());
}

/* XS-9: transactions. */
static uint32_t tx_start(uint32_t c)
{
    call1(c, XS_TRANSACTION_START, 0, "");
    CHECK_EQ(last.type, XS_TRANSACTION_START);
    return (uint32_t)strtoul(last.body, NULL, 10);
}

static void test_transactions(void)
{
    uint32_t t, t2, i;

    fresh();
    wr(g5, 0, "a", "0");
    t = tx_start(g5);
    CHECK(t != 0);
    wr(g5, t, "a", "1");
    CHECK(is_ok());
    wr(g5, t, "new/deep", "n");
    call1(g5, XS_READ, t, "a");                                /* it sees its own writes */
    CHECK(last.len == 1 && last.body[0] == '1');
    call1(g5, XS_READ, 0, "a");                                /* nobody else does */
    CHECK(last.len == 1 && last.body[0] == '0');
    call1(g5, XS_READ, 0, "new");
    CHECK(is_err("ENOENT"));
    call1(g5, XS_DIRECTORY, t, "new");
    CHECK(!strcmp(last.body, "deep"));
    call1(g5, XS_TRANSACTION_END, t, "T");
    CHECK(is_ok());
    call1(g5, XS_READ, 0, "a");
    CHECK(last.body[0] == '1');
    call1(g5, XS_READ, 0, "new/deep");
    CHECK(last.type == XS_READ && last.body[0] == 'n');
    call1(g5, XS_READ, t, "a");                                /* the id is gone */
    CHECK(is_err("ENOENT"));

    /* conflict: what it read changed meanwhile */
    t = tx_start(g5);
    call1(g5, XS_READ, t, "a");
    wr(g5, t, "b", "mine");
    wr(dom0, 0, "/local/domain/5/a", "2");
    call1(g5, XS_TRANSACTION_END, t, "T");
    CHECK(is_err("EAGAIN"));
    call1(g5, XS_READ, 0, "b");
    CHECK(is_err("ENOENT"));                                   /* nothing of it applied */
    /* conflict: a node it saw absent appeared */
    t = tx_start(g5);
    call1(g5, XS_READ, t, "c");
    CHECK(is_err("ENOENT"));
    wr(g5, 0, "c", "x");
    call1(g5, XS_TRANSACTION_END, t, "T");
    CHECK(is_err("EAGAIN"));
    /* conflict: a directory it listed got a child */
    t = tx_start(g5);
    call1(g5, XS_DIRECTORY, t, "new");
    wr(dom0, 0, "/local/domain/5/new/other", "o");
    call1(g5, XS_TRANSACTION_END, t, "T");
    CHECK(is_err("EAGAIN"));
    /* no conflict: a change elsewhere */
    t = tx_start(g5);
    call1(g5, XS_READ, t, "a");
    wr(g5, t, "a", "3");
    wr(g5, 0, "unrelated", "u");
    call1(g5, XS_TRANSACTION_END, t, "T");
    CHECK(is_ok());
    /* abort */
    t = tx_start(g5);
    wr(g5, t, "a", "4");
    call1(g5, XS_TRANSACTION_END, t, "F");
    CHECK(is_ok());
    call1(g5, XS_READ, 0, "a");
    CHECK(last.body[0] == '3');
    /* remove in a transaction */
    t = tx_start(g5);
    call1(g5, XS_RM, t, "new");
    call1(g5, XS_READ, t, "new/deep");
    CHECK(is_err("ENOENT"));
    call1(g5, XS_READ, 0, "new/deep");
    CHECK(last.type == XS_READ);
    call1(g5, XS_TRANSACTION_END, t, "T");
    CHECK(is_ok());
    call1(g5, XS_READ, 0, "new/other");
    CHECK(is_err("ENOENT"));
    call1(g5, XS_READ, 0, "new");
    CHECK(is_err("ENOENT"));

    /* watches fire at commit, not before */
    call2(g7, XS_WATCH, 0, "/local/domain/5", "w");
    call2(g5, XS_SET_PERMS, 0, "a", "r5");
    drain(g7);
    t = tx_start(g5);
    wr(g5, t, "a", "5");
    drain(g7);
    CHECK_EQ(nev, 0);
    call1(g5, XS_TRANSACTION_END, t, "T");
    drain(g7);
    CHECK(nev == 1 && has_event("/local/domain/5/a", "w"));

    /* errors */
    t = tx_start(g5);
    call1(g5, XS_TRANSACTION_START, t, "");                    /* no nesting */
    CHECK(is_err("EBUSY"));
    call1(g5, XS_TRANSACTION_END, t, "X");
    CHECK(is_err("EINVAL"));
    call1(g5, XS_TRANSACTION_END, t, "TT");
    CHECK(is_err("EINVAL"));
    call1(g5, XS_TRANSACTION_END, 0, "T");
    CHECK(is_err("ENOENT"));
    call1(g5, XS_READ, t + 1000, "a");
    CHECK(is_err("ENOENT"));
    call1(g7, XS_READ, t, "/local/domain/5/a");                /* another connection's id */
    CHECK(is_err("ENOENT"));
    call1(g5, XS_TRANSACTION_END, t, "F");

    /* XS-6: at most 10 open transactions per guest, 1024 nodes each */
    for (i = 0; i < 10; i++)
        CHECK(tx_start(g5) != 0);
    call1(g5, XS_TRANSACTION_START, 0, "");
    CHECK(is_err("ENOSPC"));
    call1(g5, XS_RESET_WATCHES, 0, "");                        /* ends them all */
    t2 = tx_start(g5);
    CHECK(t2 != 0);
    st.quota.tx_nodes = 3;
    call1(g5, XS_READ, t2, "a");
    call1(g5, XS_READ, t2, "b");
    call1(g5, XS_READ, t2, "c");
    call1(g5, XS_READ, t2, "d");
    CHECK(is_err("ENOSPC"));
    st.quota.tx_nodes = 1024;
    call1(g5, XS_TRANSACTION_END, t2, "F");
    CHECK(is_ok());

    /* XS-14: a transaction that went over its node quota has failed, as in
     * Xen (access_node marks it): its commit is ENOMEM and applies nothing */
    t2 = tx_start(g5);
    st.quota.tx_nodes = 4;
    wr(g5, t2, "keep", "1");                                   /* keep and its parent */
    CHECK(is_ok());
    call1(g5, XS_READ, t2, "r1");
    call1(g5, XS_READ, t2, "r2");
    call1(g5, XS_READ, t2, "r3");
    CHECK(is_err("ENOSPC"));
    st.quota.tx_nodes = 1024;
    call1(g5, XS_TRANSACTION_END, t2, "T");
    CHECK(is_err("ENOMEM"));
    call1(g5, XS_READ, 0, "keep");
    CHECK(is_err("ENOENT"));
    CHECK_EQ(st.txs_used, 0);

    /* XS-6 at commit: two transactions that each fit, but not both */
    fresh();
    st.quota.nodes = 10;                                       /* the home is one of them */
    t = tx_start(g5);
    t2 = tx_start(g5);
    for (i = 0; i < 5; i++) {
        char p[16];

        snprintf(p, sizeof(p), "a%u", i);
        wr(g5, t, p, "");
        CHECK(is_ok());
        snprintf(p, sizeof(p), "b%u", i);
        wr(g5, t2, p, "");
        CHECK(is_ok());
    }
    call1(g5, XS_TRANSACTION_END, t, "T");
    CHECK(is_ok());
    call1(g5, XS_TRANSACTION_END, t2, "T");
    CHECK(is_err("ENOSPC"));
    CHECK_EQ(st.acct[5].nodes, 6);
    st.quota.nodes = 1000;

    /* a commit changes a node in place: its parent's list keeps its order */
    wr(g5, 0, "o/x", "1");
    wr(g5, 0, "o/y", "1");
    wr(g5, 0, "o/z", "1");
    t = tx_start(g5);
    wr(g5, t, "o/x", "2");
    call1(g5, XS_TRANSACTION_END, t, "T");
    CHECK(is_ok());
    call1(g5, XS_DIRECTORY, 0, "o");
    CHECK(last.len == 6 && !memcmp(last.body, "x\0y\0z", 6));
    call1(g5, XS_READ, 0, "o/x");
    CHECK(last.len == 1 && last.body[0] == '2');
}

/* XS-6: quotas. */
static void test_quotas(void)
{
    static char big[2100];
    char path[32];
    uint32_t i;

    fresh();
    /* nodes: 1000 owned per guest (the home counts, as it is 5's) */
    for (i = 0; i < 2000; i++) {
        snprintf(path, sizeof(path), "d%u/n%u", i / 50u, i % 50u);
        wr(g5, 0, path, "");
        if (!is_ok())
            break;
    }
    CHECK(is_err("ENOSPC"));
    for (i = 0; i < 10; i++) {                                 /* the last one or two, singly */
        snprintf(path, sizeof(path), "d0/x%u", i);
        wr(g5, 0, path, "");
    }
    CHECK(is_err("ENOSPC"));
    CHECK_EQ(st.acct[5].nodes, 1000);
    call1(g5, XS_MKDIR, 0, "x/y");                              /* two more: refused whole */
    CHECK(is_err("ENOSPC"));
    call1(g5, XS_RM, 0, "d0/n0");
    call1(g5, XS_MKDIR, 0, "x/y");
    CHECK(is_err("ENOSPC"));
    call1(g5, XS_MKDIR, 0, "x");
    CHECK(is_ok());
    wr(dom0, 0, "/local/domain/5/bydom0", "");                 /* dom0: no quota */
    CHECK(is_ok());

    /* node size: a record reaching 2048 bytes */
    fresh();
    memset(big, 'v', sizeof(big));
    big[2048 - 24 - 8] = '\0';                                 /* header + one perm + data = 2048 */
    wr(g5, 0, "big", big);
    CHECK(is_err("ENOSPC"));
    big[2048 - 24 - 8 - 1] = '\0';
    wr(g5, 0, "big", big);
    CHECK(is_ok());
    wr(g5, 0, "big", "small");
    CALLS(g5, XS_SET_PERMS, 0, "big\0r5\0r1");
    CHECK(is_ok());
    wr(dom0, 0, "/local/domain/5/huge", big);                   /* dom0: no quota */
    CHECK(is_ok());

    /* watches: 128 per guest */
    fresh();
    for (i = 0; i < 128; i++) {
        snprintf(path, sizeof(path), "t%u", i);
        call2(g5, XS_WATCH, 0, "w", path);
        CHECK(is_ok());
    }
    call2(g5, XS_WATCH, 0, "w", "one-more");
    CHECK(is_err("ENOSPC"));
    call2(dom0, XS_WATCH, 0, "w", "dom0-has-none");
    CHECK(is_ok());

    /* outstanding: 20 replies unread and the guest's ring waits */
    fresh();
    for (i = 0; i < 20; i++) {
        CHECK(xs_can_take(&st, g5));
        send_raw(g5, XS_READ, 0, "/", 2);
    }
    CHECK(!xs_can_take(&st, g5));
    CHECK(xs_can_take(&st, g7));
    drain(g5);
    CHECK(xs_can_take(&st, g5));

    /* memory: a guest's budget */
    fresh();
    st.quota.memory = 4096;
    memset(big, 'm', sizeof(big));
    big[1000] = '\0';
    for (i = 0; i < 10; i++) {
        snprintf(path, sizeof(path), "m%u", i);
        wr(g5, 0, path, big);
        if (!is_ok())
            break;
    }
    CHECK(is_err("ENOMEM"));
    CHECK(st.acct[5].mem <= 4096);
}

/* XS-7: guests together never take dom0's reserve. */
static void test_reserve(void)
{
    char home[40], perm[8], path[16];
    uint32_t d, i;
    int full = 0;

    fresh();
    for (d = 10; d < 200 && !full; d++) {
        int c = xs_conn_open(&st, (uint16_t)d, false);
        CHECK(c >= 0);
        snprintf(home, sizeof(home), "/local/domain/%u", d);
        snprintf(perm, sizeof(perm), "n%u", d);
        call1(dom0, XS_MKDIR, 0, home);
        call2(dom0, XS_SET_PERMS, 0, home, perm);
        for (i = 0; i < 990 && !full; i++) {
            snprintf(path, sizeof(path), "k%u", i);
            wr((uint32_t)c, 0, path, "");
            full = is_err("ENOMEM");
        }
    }
    CHECK(full);
    CHECK(st.nodes_used <= XS_NODES - XS_NODES / XS_RESERVE_DIV);
    wr(dom0, 0, "/tool/still-room", "yes");                    /* dom0 still gets its way */
    CHECK(is_ok());
}

/*
 * XS-7: the watch, transaction and byte pools too, one pool at a time.
 * Guests, each within its own quotas (128 watches, 10 transactions,
 * 128 KiB), are refused with ENOMEM once together they hold seven eighths
 * of the pool (56, 45 and 42 guests: more than one boot of the scenarios
 * runs), and dom0 still gets a watch, a transaction and a big value.
 */
enum pool { POOL_WATCHES, POOL_TXS, POOL_BYTES };

/* Guest `d` takes what it may of `pool`; true when the pool refused it. */
static bool take_pool(enum pool pool, uint32_t d, const char *value)
{
    char home[40], perm[8], path[16];
    int c = xs_conn_open(&st, (uint16_t)d, false);
    uint32_t i;

    CHECK(c >= 0);
    if (pool == POOL_WATCHES) {
        for (i = 0; i < 128; i++) {
            char tok[8];

            snprintf(tok, sizeof(tok), "t%u", i);
            call2((uint32_t)c, XS_WATCH, 0, "w", tok);
            if (is_err("ENOMEM"))
                return true;
            CHECK(is_ok());
        }
        return false;
    }
    if (pool == POOL_TXS) {
        for (i = 0; i < 10; i++) {
            call1((uint32_t)c, XS_TRANSACTION_START, 0, "");
            if (is_err("ENOMEM"))
                return true;
            CHECK_EQ(last.type, XS_TRANSACTION_START);
        }
        return false;
    }
    snprintf(home, sizeof(home), "/local/domain/%u", d);
    snprintf(perm, sizeof(perm), "n%u", d);
    call1(dom0, XS_MKDIR, 0, home);
    call2(dom0, XS_SET_PERMS, 0, home, perm);
    for (i = 0; i < 80; i++) {
        snprintf(path, sizeof(path), "b%u", i);
        wr((uint32_t)c, 0, path, value);
        if (!is_ok())
            break;
    }
    CHECK(is_err("ENOMEM"));
    /* the pool's share gone while the guest still had budget of its own */
    return st.acct[d].mem + 4096u < st.quota.memory;
}

static void test_reserve_pools(void)
{
    static char value[1900];
    enum pool pool;
    uint32_t d;

    memset(value, 'v', sizeof(value) - 1u);
    for (pool = POOL_WATCHES; pool <= POOL_BYTES; pool++) {
        bool full = false;

        fresh();
        for (d = 10; d < 250 && !full; d++)
            full = take_pool(pool, d, value);
        CHECK(full);
        if (pool == POOL_WATCHES)
            CHECK_EQ(st.watches_used, XS_WATCHES - XS_WATCHES / XS_RESERVE_DIV);
        if (pool == POOL_TXS)
            CHECK_EQ(st.txs_used, XS_TXS - XS_TXS / XS_RESERVE_DIV);
        if (pool == POOL_BYTES)
            CHECK(st.heap.units_used <= XS_HEAP_UNITS - XS_HEAP_UNITS / XS_RESERVE_DIV);
        call2(dom0, XS_WATCH, 0, "/tool", "dom0");              /* dom0 still gets its way */
        CHECK(is_ok());
        call1(dom0, XS_TRANSACTION_START, 0, "");
        CHECK_EQ(last.type, XS_TRANSACTION_START);
        wr(dom0, 0, "/tool/big", value);
        CHECK(is_ok());
    }
}

/*
 * XS-7, DEV-34: guests holding every watch they may still leave dom0 one
 * watch for each device the grant-map budget admits (dom0 watches each
 * disk's and interface's frontend state, DEV-21), so they cannot stop
 * dom0 from creating a guest whose devices fit the budget.
 */
static void test_reserve_watches(void)
{
    char tok[24];
    uint32_t d, i;
    bool full = false;

    fresh();
    for (d = 10; d < 200 && !full; d++)
        full = take_pool(POOL_WATCHES, d, NULL);
    CHECK(full);
    for (i = 0; i < XS_DOM0_WATCHES; i++) {
        snprintf(tok, sizeof(tok), "vbd:%u:0", i);
        call2(dom0, XS_WATCH, 0, "/local/domain/9/device/vbd/51712/state", tok);
        if (!is_ok())
            break;
    }
    CHECK_EQ(i, XS_DOM0_WATCHES);
}

/* XS-1: DIRECTORY_PART walks a list too long for DIRECTORY (made by test_malformed). */
static void test_directory_part(void)
{
    char arg[64], gen[24] = "";
    uint32_t off = 0, names = 0, rounds, at;
    int done = 0;

    for (rounds = 0; rounds < 10 && !done; rounds++) {
        uint32_t n = (uint32_t)snprintf(arg, sizeof(arg), "/tool/many%c%u", 0, off), glen;

        call(dom0, XS_DIRECTORY_PART, 0, arg, n + 1u);
        CHECK_EQ(last.type, XS_DIRECTORY_PART);
        CHECK(last.len <= XENSTORE_PAYLOAD_MAX);
        glen = (uint32_t)strlen(last.body) + 1u;              /* the generation first */
        if (rounds == 0)
            memcpy(gen, last.body, glen);
        CHECK(!strcmp(last.body, gen));
        for (at = glen; at < last.len; at += (uint32_t)strlen(last.body + at) + 1u) {
            if (last.body[at] == '\0') {
                done = 1;                                  /* the empty name: the end */
                break;
            }
            CHECK(!strncmp(last.body + at, "child-with-a-long-name-", 23));
            names++;
            off += (uint32_t)strlen(last.body + at) + 1u;
        }
    }
    CHECK(done);
    CHECK_EQ(names, 300);
    call(dom0, XS_DIRECTORY_PART, 0, "/tool/many\0" "999999", 18);    /* past the end */
    CHECK(last.len == strlen(gen) + 2u && !strcmp(last.body, gen) &&
          last.body[last.len - 1u] == '\0');
    call1(dom0, XS_DIRECTORY_PART, 0, "/tool/many");                  /* one string */
    CHECK(is_err("EINVAL"));
    call(g7, XS_DIRECTORY_PART, 0, "/local/domain/5\0" "0", 18);     /* permissions */
    CHECK(is_err("EACCES"));
}

/* XS-2, XS-3: malformed messages. */
static void test_malformed(void)
{
    uint8_t raw[32] = { 0 };
    struct xsd_sockmsg h = { .type = XS_READ, .req_id = 1, .tx_id = 0, .len = 2 };
    uint32_t types[] = { 20, 27, 99, 0xFFFF, XS_WATCH_EVENT, XS_ERROR, XS_GET_FEATURE,
                         XS_SET_QUOTA };
    uint32_t i;

    fresh();
    CHECK_EQ(xs_request(&st, g5, raw, 15), XS_DISCONNECT);     /* shorter than a header */
    memcpy(raw, &h, 16);
    memcpy(raw + 16, "/", 2);
    CHECK_EQ(xs_request(&st, g5, raw, 17), XS_DISCONNECT);     /* length disagrees */
    CHECK_EQ(xs_request(&st, g5, raw, 19), XS_DISCONNECT);
    h.len = XENSTORE_PAYLOAD_MAX + 1;
    memcpy(raw, &h, 16);
    CHECK_EQ(xs_request(&st, g5, raw, 18), XS_DISCONNECT);     /* oversized */
    h.len = 0xFFFFFFF0u;
    memcpy(raw, &h, 16);
    CHECK_EQ(xs_request(&st, g5, raw, 18), XS_DISCONNECT);     /* no wrap-around */
    CHECK_EQ(xs_request(&st, XS_CONNS, raw, 18), XS_DISCONNECT);
    CHECK_EQ(xs_out_pending(&st, g5), 0);                      /* nothing answered */

    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        call1(g5, types[i], 0, "/");
        CHECK_EQ_CASE("type", last.type == XS_ERROR && !strcmp(last.body, "ENOSYS"), 1);
    }
    call1(g5, XS_INTRODUCE, 0, "1");                           /* tools only */
    CHECK(is_err("EACCES"));
    call1(g5, XS_CONTROL, 0, "print");
    CHECK(is_err("EACCES"));
    call1(dom0, XS_INTRODUCE, 0, "1");
    CHECK(is_err("ENOSYS"));

    call(g5, XS_READ, 0, "name", 4);                           /* no NUL */
    CHECK(is_err("EINVAL"));
    CALLS(g5, XS_READ, 0, "a\0b");                           /* two strings */
    CHECK(is_err("EINVAL"));
    call(g5, XS_READ, 0, "", 0);                               /* nothing */
    CHECK(is_err("EINVAL"));
    call(g5, XS_WRITE, 0, "name", 4);                          /* path without its NUL */
    CHECK(is_err("EINVAL"));
    CALLS(g5, XS_MKDIR, 0, "a\0");
    CHECK(is_err("EINVAL"));
    call(g5, XS_TRANSACTION_END, 0, "T", 1);
    CHECK(is_err("EINVAL"));

    /* a reply above XENSTORE_PAYLOAD_MAX is E2BIG */
    for (i = 0; i < 300; i++) {
        char p[64];

        snprintf(p, sizeof(p), "/tool/many/child-with-a-long-name-%u", i);
        call1(dom0, XS_MKDIR, 0, p);
    }
    call1(dom0, XS_DIRECTORY, 0, "/tool/many");
    CHECK(is_err("E2BIG"));
    test_directory_part();

    CHECK(!strcmp(xs_error_name(ENOENT), "ENOENT"));
    CHECK(!strcmp(xs_error_name(EPERM), "EPERM"));
    CHECK(!strcmp(xs_error_name(EFAULT), "EINVAL"));           /* unnamed: EINVAL, as Xen */
}

/* XS-11: a closed connection leaves nothing behind. */
static void test_close(void)
{
    uint32_t watches, txs, mem;

    fresh();
    watches = st.watches_used;
    txs = st.txs_used;
    mem = st.acct[5].mem;
    call2(g5, XS_WATCH, 0, "x", "t");
    tx_start(g5);
    wr(g5, tx_start(g5), "y", "1");
    CHECK(st.watches_used == watches + 1 && st.txs_used == txs + 2);
    xs_conn_close(&st, (uint32_t)g5);
    CHECK_EQ(st.watches_used, watches);
    CHECK_EQ(st.txs_used, txs);
    CHECK_EQ(st.acct[5].mem, mem);
    CHECK_EQ(xs_request(&st, (uint32_t)g5, (const uint8_t *)"", 0), XS_DISCONNECT);
    CHECK_EQ(xs_conn_open(&st, 5, false), g5);                 /* the slot is free again */
    drain(g5);
    CHECK_EQ(nev, 0);
}

/* XS-11, Xen's XSA-322: a reused domid inherits no access. */
static void test_domid_reuse(void)
{
    fresh();
    wr(g5, 0, "mine", "5's");
    call(g5, XS_SET_PERMS, 0, "mine\0n5\0r7", 11);
    CHECK(is_ok());
    call1(g7, XS_READ, 0, "/local/domain/5/mine");
    CHECK(last.type == XS_READ);                               /* 7 may read it */
    xs_conn_close(&st, (uint32_t)g7);                          /* 7 goes ... */
    xs_domain_gone(&st, 7);
    g7 = xs_conn_open(&st, 7, false);                          /* ... and its id comes back */
    call1(g7, XS_READ, 0, "/local/domain/5/mine");
    CHECK(is_err("EACCES"));
    call1(g5, XS_GET_PERMS, 0, "mine");
    CHECK(last.len == 3 && !strcmp(last.body, "n5"));
    /* the owner goes: its nodes are dom0's, and its charges */
    CHECK(st.acct[5].nodes > 0 && st.acct[5].mem > 0);
    xs_conn_close(&st, (uint32_t)g5);
    xs_domain_gone(&st, 5);
    CHECK_EQ(st.acct[5].nodes, 0);
    CHECK_EQ(st.acct[5].mem, 0);
    g5 = xs_conn_open(&st, 5, false);
    call1(g5, XS_READ, 0, "mine");
    CHECK(is_err("EACCES"));
    call1(dom0, XS_GET_PERMS, 0, "/local/domain/5/mine");
    CHECK(last.len == 3 && !strcmp(last.body, "n0"));
    /* an open transaction's copy cannot bring an entry back */
    fresh();
    wr(g5, 0, "t", "x");
    call(g5, XS_SET_PERMS, 0, "t\0n5\0b7", 8);
    call1(g5, XS_TRANSACTION_START, 0, "");
    {
        uint32_t t = (uint32_t)strtoul(last.body, NULL, 10);

        wr(g5, t, "t", "y");
        xs_conn_close(&st, (uint32_t)g7);
        xs_domain_gone(&st, 7);
        call1(g5, XS_TRANSACTION_END, t, "T");
        CHECK(is_ok());
    }
    call1(g5, XS_GET_PERMS, 0, "t");
    CHECK(last.len == 3 && !strcmp(last.body, "n5"));
}

/* xs_peek: dom0's direct look at a committed node, with its generation. */
static void test_peek(void)
{
    char buf[8];
    uint64_t g1 = 0, g2 = 0;

    fresh();
    wr(g5, 0, "device/vbd/1/state", "3");
    CHECK_EQ(xs_peek(&st, "/local/domain/5/device/vbd/1/state", buf, sizeof(buf), &g1), 1);
    CHECK(buf[0] == '3' && g1 != XS_NO_GEN);
    wr(g5, 0, "device/vbd/1/state", "3");                     /* same value: new generation */
    CHECK_EQ(xs_peek(&st, "/local/domain/5/device/vbd/1/state", buf, sizeof(buf), &g2), 1);
    CHECK(g2 > g1);
    wr(g5, 0, "device/vbd/1/ring-ref", "123456789012");         /* longer than buf: cut, full length */
    CHECK_EQ(xs_peek(&st, "/local/domain/5/device/vbd/1/ring-ref", buf, sizeof(buf), NULL), 12);
    CHECK(!memcmp(buf, "12345678", 8));
    CHECK_EQ(xs_peek(&st, "/local/domain/5/device/vbd/1/none", buf, sizeof(buf), &g1), -ENOENT);
    CHECK(g1 == XS_NO_GEN);
}

/* XS-13, XS-15, XS-16, XS-17, XS-18: what the hostile scenario does, against the core. */
static void test_hostile(void)
{
    static char big[2100];
    uint32_t t, i, nodes, watches, txs, bytes;
    char path[32];
    int g9;

    fresh();
    /* XS-16: guest 7 on guest 5's nodes, present or absent: EACCES, nothing changes */
    wr(g5, 0, "data/x", "5");
    call1(g7, XS_READ, 0, "/local/domain/5/data/x");
    CHECK(is_err("EACCES"));
    call1(g7, XS_READ, 0, "/local/domain/5/absent");
    CHECK(is_err("EACCES"));
    wr(g7, 0, "/local/domain/5/data/x", "7");
    CHECK(is_err("EACCES"));
    call1(g7, XS_MKDIR, 0, "/local/domain/5/new");
    CHECK(is_err("EACCES"));
    call1(g7, XS_RM, 0, "/local/domain/5/data");
    CHECK(is_err("EACCES"));
    call1(g7, XS_RM, 0, "/local/domain/5/absent");
    CHECK(is_err("EACCES"));
    call1(g7, XS_DIRECTORY, 0, "/local/domain/5");
    CHECK(is_err("EACCES"));
    call1(g7, XS_GET_PERMS, 0, "/local/domain/5/data/x");
    CHECK(is_err("EACCES"));
    call2(g7, XS_SET_PERMS, 0, "/local/domain/5/data/x", "b7");
    CHECK(is_err("EACCES"));
    call1(g5, XS_READ, 0, "data/x");                           /* as it was */
    CHECK(last.type == XS_READ && last.len == 1 && last.body[0] == '5');
    call2(g5, XS_SET_PERMS, 0, "data/x", "n7");                 /* not give it away */
    CHECK(is_err("EPERM"));

    /* XS-17: a watch on another's path: OK and its first event, then only what it may read */
    call2(g7, XS_WATCH, 0, "/local/domain/5", "spy");
    CHECK(is_ok() && has_event("/local/domain/5", "spy"));
    wr(g5, 0, "data/secret", "s");
    drain(g7);
    CHECK_EQ(nev, 0);
    wr(g5, 0, "data/public", "p");
    CALLS(g5, XS_SET_PERMS, 0, "data/public\0n5\0r7");
    CHECK(is_ok());
    drain(g7);
    CHECK(nev == 1 && has_event("/local/domain/5/data/public", "spy"));

    /* XS-13: a refused write leaves the node; a refused child is not made; 5 perms stay */
    memset(big, 'v', sizeof(big));
    wr(g5, 0, "big", "old");
    big[2016] = '\0';
    wr(g5, 0, "big", big);
    CHECK(is_err("ENOSPC"));
    call1(g5, XS_READ, 0, "big");
    CHECK(last.len == 3 && !memcmp(last.body, "old", 3));
    big[2015] = '\0';
    wr(g5, 0, "big", big);
    CHECK(is_ok());
    wr(g5, 0, "big/c", "");
    CHECK(is_err("ENOSPC"));
    call1(g5, XS_DIRECTORY, 0, "big");
    CHECK(last.type == XS_DIRECTORY && last.len == 0);
    CALLS(g5, XS_SET_PERMS, 0, "data/x\0n5\0r1\0r0\0w1\0b0");
    CHECK(is_ok());
    CALLS(g5, XS_SET_PERMS, 0, "data/x\0n5\0r1\0r0\0w1\0b0\0r7");
    CHECK(is_err("ENOSPC"));
    call1(g5, XS_GET_PERMS, 0, "data/x");
    CHECK(last.len == 15 && !memcmp(last.body, "n5\0r1\0r0\0w1\0b0", 15));

    /* XS-15: ends of unknown ids, a bad argument leaves it open, nothing written with an old id */
    t = tx_start(g5);
    call1(g5, XS_TRANSACTION_END, 0, "T");
    CHECK(is_err("ENOENT"));
    call1(g5, XS_TRANSACTION_END, 999999u, "T");
    CHECK(is_err("ENOENT"));
    call1(g5, XS_TRANSACTION_START, t, "");
    CHECK(is_err("EBUSY"));
    call1(g5, XS_TRANSACTION_END, t, "X");
    CHECK(is_err("EINVAL"));
    call(g5, XS_TRANSACTION_END, t, "T", 1u);
    CHECK(is_err("EINVAL"));
    call1(g5, XS_TRANSACTION_END, t, "F");
    CHECK(is_ok());
    call1(g5, XS_TRANSACTION_END, t, "F");
    CHECK(is_err("ENOENT"));
    wr(g5, t, "ghost", "x");
    CHECK(is_err("ENOENT"));
    call1(g5, XS_READ, 0, "ghost");
    CHECK(is_err("ENOENT"));
    for (i = 0; i < 300; i++) {                                 /* a storm */
        t = tx_start(g5);
        wr(g5, t, "s", "1");
        call1(g5, XS_TRANSACTION_END, t, (i & 1u) ? "T" : "F");
        CHECK(is_ok());
    }
    CHECK_EQ(st.txs_used, 0);

    /* XS-18: a guest that dies holding all it can leaves the store as it found it */
    nodes = st.nodes_used;
    watches = st.watches_used;
    txs = st.txs_used;
    bytes = st.heap.units_used;
    call1(dom0, XS_MKDIR, 0, "/local/domain/9");
    call2(dom0, XS_SET_PERMS, 0, "/local/domain/9", "n9");
    g9 = xs_conn_open(&st, 9, false);
    CHECK(g9 >= 0);
    for (i = 0; i < 128; i++) {
        snprintf(path, sizeof(path), "w%u", i);
        call2((uint32_t)g9, XS_WATCH, 0, path, "t");
    }
    for (i = 0; i < 10; i++) {
        t = tx_start((uint32_t)g9);
        snprintf(path, sizeof(path), "t%u/a/b", i);
        wr((uint32_t)g9, t, path, "x");
        call1((uint32_t)g9, XS_READ, t, "/local/domain/5/data/public");
    }
    for (i = 0; i < 100; i++) {
        snprintf(path, sizeof(path), "n%u", i);
        wr((uint32_t)g9, 0, path, "value");
    }
    CALLS((uint32_t)g9, XS_SET_PERMS, 0, "n0\0n9\0r5");
    send_raw((uint32_t)g9, XS_READ, 0, "n1", 3);                 /* a reply left unread */
    xs_conn_close(&st, (uint32_t)g9);
    call1(dom0, XS_RM, 0, "/local/domain/9");
    xs_domain_gone(&st, 9);
    CHECK_EQ(st.nodes_used, nodes);
    CHECK_EQ(st.watches_used, watches);
    CHECK_EQ(st.txs_used, txs);
    CHECK_EQ(st.heap.units_used, bytes);
}

int main(void)
{
    test_init();
    test_peek();
    test_ops();
    test_paths();
    test_perms();
    test_watches();
    test_transactions();
    test_quotas();
    test_reserve();
    test_reserve_pools();
    test_reserve_watches();
    test_malformed();
    test_close();
    test_domid_reuse();
    test_hostile();
    return check_report();
}
