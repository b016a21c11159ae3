/*
 * Randomised test of dom0's xenstore (dom0/xs_*.c, spec/xenstore.md):
 * tens of thousands of requests, well-formed and not, from dom0 and three
 * guests, with random transactions, watches and permission changes, the
 * replies drained at random. After every batch the store's bookkeeping
 * must agree with its records exactly: nodes owned per domain (XS-6),
 * memory charged per domain and the byte pool's use (XS-7), watch and
 * transaction counts, every record's path well-formed; and when every
 * connection closes, nothing but nodes is left (XS-11). Run under ASan
 * and UBSan like every unit test, so any out-of-bounds access fails it.
 */
#include <stdlib.h>

#include "check.h"
#include "pv/errno.h"
#include "xs.h"

static struct xs_store st;
static uint32_t rng = 12345u;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return n ? rng % n : 0;
}

static const char *const paths[] = {
    "/", "/local", "/local/domain", "/local/domain/5", "/local/domain/5/a",
    "/local/domain/5/a/b", "/local/domain/7/c", "/local/domain/7/c/d/e", "/tool/x",
    "a", "a/b", "a/b/c", "c", "d/e", "/local/domain/9/x", "x", "@releaseDomain",
    "bad//path", "bad/", "", "/local/domain/5/a/b/c/d/e/f/g", "z/y/x/w",
};
static const char *const perms[] = { "n0", "r5", "b7", "w9", "n5", "b9", "r0", "x1", "r" };

/* A random payload for `type` into buf; its length. */
static uint32_t payload(uint32_t type, char *buf, uint32_t max)
{
    uint32_t n = 0, k, count;
    const char *p = paths[rnd(sizeof(paths) / sizeof(paths[0]))];

    if (rnd(16) == 0) {                                /* raw bytes */
        count = rnd(64);
        for (k = 0; k < count && n < max; k++)
            buf[n++] = (char)rnd(256);
        return n;
    }
    n = (uint32_t)strlen(p) + 1u;
    memcpy(buf, p, n);
    switch (type) {
    case XS_WRITE:
        count = rnd(40);
        for (k = 0; k < count; k++)
            buf[n++] = (char)('a' + rnd(26));
        if (rnd(8) == 0) {                             /* a big value */
            memset(buf + n, 'v', 1500);
            n += 1500;
        }
        break;
    case XS_SET_PERMS:
        count = 1 + rnd(7);
        for (k = 0; k < count; k++) {
            const char *q = perms[rnd(sizeof(perms) / sizeof(perms[0]))];
            memcpy(buf + n, q, strlen(q) + 1u);
            n += (uint32_t)strlen(q) + 1u;
        }
        break;
    case XS_WATCH:
    case XS_UNWATCH:
        buf[n++] = (char)('t' + rnd(3));
        buf[n++] = '\0';
        break;
    case XS_TRANSACTION_END:
        buf[0] = rnd(2) ? 'T' : 'F';
        buf[1] = '\0';
        n = 2;
        break;
    case XS_DIRECTORY_PART:
        buf[n++] = (char)('0' + rnd(10));
        buf[n++] = '\0';
        break;
    default:
        break;
    }
    if (rnd(20) == 0 && n)
        n--;                                           /* lose the last NUL */
    return n;
}

static uint32_t txid[4][4];                        /* ids each connection may use */
static uint32_t replies[3];                        /* errors, events, others */

static void one_request(uint32_t c)
{
    static uint8_t msg[16 + XENSTORE_PAYLOAD_MAX];
    static const uint32_t types[] = {
        XS_READ, XS_WRITE, XS_WRITE, XS_MKDIR, XS_RM, XS_DIRECTORY, XS_GET_PERMS,
        XS_SET_PERMS, XS_WATCH, XS_UNWATCH, XS_TRANSACTION_START, XS_TRANSACTION_END,
        XS_GET_DOMAIN_PATH, XS_RESET_WATCHES, XS_DIRECTORY_PART, 99, XS_INTRODUCE,
    };
    struct xsd_sockmsg h;
    uint32_t type = types[rnd(sizeof(types) / sizeof(types[0]))];
    uint32_t n = payload(type, (char *)msg + 16, XENSTORE_PAYLOAD_MAX);

    h.type = type;
    h.req_id = rnd(1000);
    h.tx_id = rnd(3) ? 0 : txid[c][rnd(4)];
    h.len = n;
    memcpy(msg, &h, 16);
    if (!xs_can_take(&st, c))
        return;
    CHECK_EQ(xs_request(&st, c, msg, 16 + n), XS_OK);
}

/* Take the output of c; learn transaction ids from TRANSACTION_START replies. */
static void drain(uint32_t c)
{
    static uint8_t buf[16 + XENSTORE_PAYLOAD_MAX + 1];
    struct xsd_sockmsg h;

    while (xs_out_take(&st, c, buf, 16) == 16) {
        memcpy(&h, buf, 16);
        CHECK(h.len <= XENSTORE_PAYLOAD_MAX);
        CHECK_EQ(xs_out_take(&st, c, buf + 16, h.len), h.len);
        buf[16 + h.len] = 0;
        if (h.type == XS_TRANSACTION_START)
            txid[c][rnd(4)] = (uint32_t)strtoul((char *)buf + 16, NULL, 10);
        if (h.type == XS_ERROR)
            CHECK(h.len >= 4 && buf[16] == 'E' && buf[16 + h.len - 1] == 0);
        replies[h.type == XS_ERROR ? 0 : h.type == XS_WATCH_EVENT ? 1 : 2]++;
    }
}

static uint32_t units(uint32_t len)
{
    return (len + XS_HEAP_UNIT - 1u) / XS_HEAP_UNIT;
}

/* The bookkeeping agrees with the records. */
static void audit(void)
{
    static uint32_t nodes[XS_DOMIDS], mem[XS_DOMIDS];
    uint32_t r, w, t, c, used = 0, heap_units = 0;
    uint32_t wcount[XS_CONNS] = { 0 }, tcount[XS_CONNS] = { 0 };
    int ok = 1;

    memset(nodes, 0, sizeof(nodes));
    memset(mem, 0, sizeof(mem));
    for (r = 0; r < XS_NODES; r++) {
        const struct xs_node *n = &st.node[r];
        const char *p;

        if (!n->used)
            continue;
        used++;
        ok &= n->path < XS_HEAP_SIZE && n->path_len >= 1 && n->path_len <= XENSTORE_ABS_PATH_MAX;
        p = (const char *)&st.heap.bytes[n->path];
        ok &= p[0] == '/' && p[n->path_len] == '\0' && strlen(p) == n->path_len;
        ok &= n->nperms <= XS_PERMS_MAX && (n->tx == 0 || st.tx[n->tx - 1].used);
        ok &= n->data == XS_NONE ? n->data_len == 0 : n->data + n->data_len <= XS_HEAP_SIZE;
        if (n->tx == 0) {
            ok &= n->nperms >= 1 && n->flags == 0;
            nodes[n->perms[0].domid]++;
        }
        mem[n->charged] += units(n->path_len + 1u) * XS_HEAP_UNIT;
        heap_units += units(n->path_len + 1u);
        if (n->data != XS_NONE) {
            mem[n->data_charged] += units(n->data_len) * XS_HEAP_UNIT;
            heap_units += units(n->data_len);
        }
    }
    for (w = 0; w < XS_WATCHES; w++) {
        const struct xs_watch *wt = &st.watch[w];

        if (!wt->used)
            continue;
        wcount[wt->conn]++;
        mem[st.conn[wt->conn].domid] += (units(wt->path_len + 1u) + units(wt->token_len + 1u)) *
                                        XS_HEAP_UNIT;
        heap_units += units(wt->path_len + 1u) + units(wt->token_len + 1u);
    }
    for (t = 0; t < XS_TXS; t++)
        if (st.tx[t].used)
            tcount[st.tx[t].conn]++;
    for (c = 0; c < XS_CONNS; c++)
        if (st.conn[c].used)
            ok &= st.conn[c].watches == wcount[c] && st.conn[c].txs == tcount[c];
    for (c = 0; c < XS_DOMIDS; c++)
        if (nodes[c] != st.acct[c].nodes || mem[c] != st.acct[c].mem) {
            fprintf(stderr, "domain %u: nodes %u (acct %u), mem %u (acct %u)\n", c, nodes[c],
                    st.acct[c].nodes, mem[c], st.acct[c].mem);
            ok = 0;
        }
    CHECK(ok);
    CHECK_EQ(used, st.nodes_used);
    CHECK_EQ(heap_units, st.heap.units_used);
}

static void run(uint32_t seed)
{
    static const uint16_t dom[4] = { 0, 5, 7, 9 };
    uint32_t round, i, c;

    rng = seed;
    memset(txid, 0, sizeof(txid));
    xs_init(&st);
    for (c = 0; c < 4; c++)
        CHECK_EQ(xs_conn_open(&st, dom[c], c == 0), (int)c);
    st.quota.nodes = 40;                               /* reach the quotas often */
    st.quota.memory = 16384;
    st.quota.watches = 4;
    st.quota.transactions = 2;
    st.quota.tx_nodes = 12;
    for (round = 0; round < 400; round++) {
        for (i = 0; i < 100; i++) {
            c = rnd(4);
            one_request(c);
            if (rnd(3))
                drain(c);
        }
        for (c = 0; c < 4; c++)
            if (rnd(2))
                drain(c);
        audit();
        if (round % 50 == 49) {                        /* a guest goes and comes back */
            c = 1 + rnd(3);
            xs_conn_close(&st, c);
            xs_domain_gone(&st, dom[c]);
            memset(txid[c], 0, sizeof(txid[c]));
            CHECK_EQ(xs_conn_open(&st, dom[c], false), (int)c);
            audit();
        }
    }
    for (c = 0; c < 4; c++)
        xs_conn_close(&st, c);
    audit();
    CHECK_EQ(st.watches_used, 0);
    CHECK_EQ(st.txs_used, 0);
}

int main(void)
{
    static const uint32_t seeds[] = { 12345u, 777u, 4242u, 99991u };
    uint32_t i;

    for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
        run(seeds[i]);
    /* the mix reached every kind of answer */
    CHECK(replies[0] > 1000 && replies[1] > 1000 && replies[2] > 1000);
    printf("random: %u errors, %u events, %u other replies; %u nodes left\n", replies[0],
           replies[1], replies[2], st.nodes_used);
    return check_report();
}
