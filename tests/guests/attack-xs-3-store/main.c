/*
 * dom0's xenstore from a guest's side, through the public protocol only
 * (spec/xenstore.md): the store page and event channel of start_info,
 * xs_wire.h messages on the ring, spoken by the guest runtime's xenbus
 * client (guest-abi/lib/xenbus.c). First what an honest client sees: its
 * directory as the toolstack wrote it (XS-12), reads and writes under
 * Xen's permissions (XS-4: not its read-only nodes, nothing of another
 * guest's), watches and their first event (XS-8), a transaction that
 * conflicts (XS-9), Xen's error names for bad requests (XS-2, XS-3), the
 * watch and node quotas (XS-6). Then the attack (XS-3): a header that
 * announces more than XENSTORE_PAYLOAD_MAX bytes. dom0 must stop serving
 * this guest (Xen's XENSTORE_ERROR_PROTO in the page's error field, no
 * reply), and keep serving everyone else: with `serve` on its command
 * line the same image only checks that a store still answers (the
 * scenario starts one after the attack).
 */
#include "events.h"
#include "pv/xs_wire.h"
#include "pvtime.h"
#include "test.h"
#include "xenbus.h"
#include "xs_ring.h"

static struct xenstore_domain_interface *page;
static uint32_t si_port;
static struct xenbus_msg reply, event;

/* One request; its reply (an impossible type 0xDEAD if none came). */
static struct xenbus_msg *call(uint32_t type, uint32_t tx, const void *payload, uint32_t len)
{
    if (xenbus_call(type, tx, payload, len, &reply)) {
        reply.h.type = 0xDEAD;
        return &reply;
    }
    test_check("reply echoes tx_id", reply.h.tx_id == tx);
    return &reply;
}

static int recv_msg(struct xenbus_msg *m)
{
    return xenbus_recv(m, 1000000000ull) ? -1 : 0;
}

static struct xenbus_msg *call1(uint32_t type, uint32_t tx, const char *s)
{
    return call(type, tx, s, (uint32_t)strlen(s) + 1u);
}

static struct xenbus_msg *call2(uint32_t type, const char *a, const char *b)
{
    static char buf[256];
    uint32_t la = (uint32_t)strlen(a) + 1u, lb = (uint32_t)strlen(b) + 1u;

    memcpy(buf, a, la);
    memcpy(buf + la, b, lb);
    return call(type, 0, buf, la + lb);
}

static struct xenbus_msg *wr(uint32_t tx, const char *path, const char *value)
{
    static char buf[256];
    uint32_t lp = (uint32_t)strlen(path) + 1u, lv = (uint32_t)strlen(value);

    memcpy(buf, path, lp);
    memcpy(buf + lp, value, lv);
    return call(XS_WRITE, tx, buf, lp + lv);
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

/* The next watch event is (path, token). */
static bool next_event(const char *path, const char *token)
{
    if (xenbus_event(&event, 1000000000ull))
        return false;
    return !strcmp(event.body, path) && !strcmp(event.body + strlen(path) + 1u, token);
}

/* XS-12, XS-1, XS-4: its directory, reads and writes. */
static void honest(void)
{
    char path[48];

    test_check("XS-12 name", is_value(call1(XS_READ, 0, "name"), "attacker"));
    test_check("XS-12 domid", is_value(call1(XS_READ, 0, "domid"), "2"));
    test_check("XS-12 memory/target", is_value(call1(XS_READ, 0, "memory/target"), "8192"));
    test_check("XS-1 GET_DOMAIN_PATH",
               !strcmp(call1(XS_GET_DOMAIN_PATH, 0, "2")->body, "/local/domain/2"));
    test_check("XS-4 its name is read-only", is_err(wr(0, "name", "x"), "EACCES"));
    test_check("XS-1 write data/x", is_ok(wr(0, "data/x", "v1")));
    test_check("XS-1 read data/x", is_value(call1(XS_READ, 0, "data/x"), "v1"));
    test_check("XS-4 not dom0's", is_err(call1(XS_READ, 0, "/tool/xenstored"), "EACCES"));
    test_check("XS-4 not the victim's name",
               is_err(call1(XS_READ, 0, "/local/domain/1/name"), "EACCES"));
    test_check("XS-4 not into the victim's data",
               is_err(wr(0, "/local/domain/1/data/evil", "x"), "EACCES"));
    test_check("XS-4 no new top-level node", is_err(wr(0, "/evil", "x"), "EACCES"));
    snprintf(path, sizeof(path), "/local/domain/1/data");
    test_check("XS-4 not the victim's list", is_err(call1(XS_DIRECTORY, 0, path), "EACCES"));
}

/* XS-8, XS-9: watches and a conflicting transaction. */
static void watches_and_transactions(void)
{
    uint32_t tx;

    test_check("XS-8 watch data", is_ok(call2(XS_WATCH, "data", "tok")));
    test_check("XS-8 first event at once", next_event("data", "tok"));
    test_check("XS-8 a write below fires", is_ok(wr(0, "data/y", "1")));
    test_check("XS-8 relative event path", next_event("data/y", "tok"));
    test_check("XS-8 duplicate", is_err(call2(XS_WATCH, "data", "tok"), "EEXIST"));
    test_check("XS-8 unwatch", is_ok(call2(XS_UNWATCH, "data", "tok")));
    test_check("XS-1 transaction start", call1(XS_TRANSACTION_START, 0, "")->h.type ==
               XS_TRANSACTION_START);
    tx = 0;
    for (const char *p = reply.body; *p >= '0' && *p <= '9'; p++)
        tx = tx * 10u + (uint32_t)(*p - '0');
    test_check("XS-9 read in it", is_value(call1(XS_READ, tx, "data/x"), "v1"));
    test_check("XS-9 changed outside", is_ok(wr(0, "data/x", "v2")));
    test_check("XS-9 write in it", is_ok(wr(tx, "data/x", "mine")));
    test_check("XS-9 commit conflicts", is_err(call1(XS_TRANSACTION_END, tx, "T"), "EAGAIN"));
    test_check("XS-9 nothing of it applied", is_value(call1(XS_READ, 0, "data/x"), "v2"));
}

/* XS-2, XS-3: bad requests get Xen's answers, and the link lives on. */
static void bad_requests(void)
{
    test_check("XS-3 unknown type", is_err(call1(99, 0, "data"), "ENOSYS"));
    test_check("XS-3 tools only", is_err(call1(XS_INTRODUCE, 0, "1"), "EACCES"));
    test_check("XS-3 no NUL", is_err(call(XS_READ, 0, "data", 4), "EINVAL"));
    test_check("XS-5 bad path", is_err(call1(XS_READ, 0, "data//x"), "EINVAL"));
    test_check("XS-9 unknown transaction", is_err(call1(XS_READ, 12345, "data/x"), "ENOENT"));
}

/* Send one request without waiting for its reply (the protocol allows many in flight). */
static void post(uint32_t type, const void *payload, uint32_t len)
{
    CHECK_RC("post", xenbus_post(type, 0, payload, len, NULL), 0);
}

#define BATCH 16u

/*
 * XS-6: the watch and node quotas, requests sent in batches. The node
 * quota takes about a thousand requests: only with `attack=store-quota`
 * (the production run; under the audit every hypercall is audited).
 */
static void quotas(bool nodes)
{
    char buf[64];
    uint32_t i, k, n, ok = 0, events = 0, written = 0;
    bool full = false;

    for (i = 0; i < 128; i += BATCH) {
        for (k = i; k < i + BATCH; k++) {
            n = (uint32_t)snprintf(buf, sizeof(buf), "feature%ct%u", 0, k) + 1u;
            post(XS_WATCH, buf, n);
        }
        for (k = 0; k < 2u * BATCH && !recv_msg(&reply); k++) {
            ok += reply.h.type == XS_WATCH && !strcmp(reply.body, "OK");
            events += reply.h.type == XS_WATCH_EVENT;
        }
    }
    test_check("XS-6 128 watches, each with its first event", ok == 128 && events == 128);
    test_check("XS-6 not 129", is_err(call2(XS_WATCH, "feature", "one-more"), "ENOSPC"));
    call1(XS_RESET_WATCHES, 0, "");
    if (!nodes)
        return;
    for (i = 0; i < 2000 && !full; i += BATCH) {
        for (k = i; k < i + BATCH; k++) {
            n = (uint32_t)snprintf(buf, sizeof(buf), "data/d%u/n%u", k / 50u, k % 50u) + 1u;
            post(XS_WRITE, buf, n);
        }
        for (k = 0; k < BATCH && !recv_msg(&reply); k++) {
            if (reply.h.type == XS_WRITE)
                written++;
            else
                full = full || is_err(&reply, "ENOSPC");
        }
    }
    test_check("XS-6 nodes end in ENOSPC", full);
    test_check("XS-6 about 1000 nodes", written > 950 && written < 1000);
    gprintf("xenstore: %u nodes written before ENOSPC\n", written);
}

/* XS-3: the attack. */
static void oversized(void)
{
    struct xsd_sockmsg h = { .type = XS_WRITE, .req_id = 999, .len = 5000 };
    static char junk[1000];
    uint32_t i;

    /* raw bytes: xenbus_post itself refuses to send such a header */
    test_check("XS-3 the header goes out",
               xs_ring_write(page, XS_RING_REQ, (const char *)&h, sizeof(h)) == sizeof(h));
    test_check("XS-3 and some of its payload",
               xs_ring_write(page, XS_RING_REQ, junk, sizeof(junk)) > 0);
    evtchn_send_port(si_port);
    for (i = 0; i < 100 && *(volatile uint32_t *)&page->error == 0; i++)
        pv_sleep_ns(10000000ull);
    test_check("XS-3 dom0 says: protocol error",
               *(volatile uint32_t *)&page->error == XENSTORE_ERROR_PROTO);
    test_check("XS-3 and answers nothing more", recv_msg(&reply) != 0);
}

int guest_main(struct start_info *si)
{
    CHECK_RC("map shared_info", pv_map_shared_info(), 0);
    test_check("XS-12 a store event channel", si->store_evtchn != 0);
    CHECK_RC("find the store page", xenbus_open(), 0);
    page = xenbus_page();
    si_port = si->store_evtchn;
    if (strstr(si->cmd_line, "serve")) {
        test_check("XS-12 a store still answers", is_value(call1(XS_READ, 0, "domid"), "3"));
        gprintf("xenstore: still served after the attack\n");
        test_finish();
    }
    honest();
    watches_and_transactions();
    bad_requests();
    quotas(strstr(si->cmd_line, "attack=store-quota") != NULL);
    oversized();
    gprintf("ATTACK XS-3 %s: result protocol error %u, other guests still served\n",
            strstr(si->cmd_line, "attack=store-quota") ? "store-quota" : "store", page->error);
    test_finish();
}
