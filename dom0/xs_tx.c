/*
 * Xenstore transactions (XS-9), as Xen's C xenstored runs them since it
 * records generations: TRANSACTION_START hands out an id; requests
 * carrying that id work on copies (xs_node.c); TRANSACTION_END "F"
 * throws the copies away, "T" commits them only if every committed node
 * the transaction touched still has the generation it saw (absent stays
 * absent), else EAGAIN. Either way the transaction is over. Commit moves
 * the copies into the store and fires the watches their changes queued.
 */
#include "xs_impl.h"

/* XS-15: a connection's own ids only; 0 is none; anything else is ENOENT. */
int xs_tx_lookup(const struct xs_store *s, uint32_t c, uint32_t id, uint32_t *slot)
{
    uint32_t i;

    *slot = 0;
    if (id == 0)
        return 0;
    for (i = 0; i < XS_TXS; i++)
        if (s->tx[i].used && s->tx[i].conn == c && s->tx[i].id == id) {
            *slot = i + 1u;
            return 0;
        }
    return ENOENT;
}

static uint32_t fresh_id(struct xs_store *s, uint32_t c)
{
    struct xs_conn *cn = &s->conn[c];
    uint32_t slot, id;

    do {
        id = cn->next_txid++;
    } while (id == 0 || (xs_tx_lookup(s, c, id, &slot) == 0 && slot));
    return id;
}

int xs_tx_start(struct xs_req *rq)
{
    struct xs_store *s = rq->s;
    char id_str[12];
    uint32_t i;

    if (rq->tx)
        return EBUSY;                   /* no nesting */
    if (!rq->cn->priv && rq->cn->txs >= s->quota.transactions)
        return ENOSPC;                  /* XS-6, XS-13 */
    if (!rq->cn->priv && s->txs_used >= XS_TXS - XS_TXS / XS_RESERVE_DIV)
        return ENOMEM;                  /* XS-7 */
    for (i = 0; i < XS_TXS && s->tx[i].used; i++)
        ;
    if (i == XS_TXS)
        return ENOMEM;
    memset(&s->tx[i], 0, sizeof(s->tx[i]));
    s->tx[i].used = 1;
    s->tx[i].conn = (uint16_t)rq->c;
    s->tx[i].id = fresh_id(s, rq->c);
    rq->cn->txs++;
    s->txs_used++;
    xs_reply(rq, XS_TRANSACTION_START, id_str, xs_format_u32(s->tx[i].id, id_str));
    return 0;
}

static void discard(struct xs_store *s, uint32_t slot)
{
    struct xs_tx *t = &s->tx[slot - 1u];
    uint32_t r;

    for (r = 0; r < XS_NODES; r++)
        if (s->node[r].used && s->node[r].tx == slot)
            xs_rec_free(s, r);
    s->conn[t->conn].txs--;
    s->txs_used--;
    memset(t, 0, sizeof(*t));
}

static int check(struct xs_req *rq, uint32_t slot)
{
    struct xs_store *s = rq->s;
    const struct xs_tx *t = &s->tx[slot - 1u];
    uint32_t r, m;
    uint64_t gen;

    if (t->failed)
        return ENOMEM;
    if (!rq->cn->priv && t->net_nodes > 0 &&
        s->acct[rq->cn->domid].nodes + (uint32_t)t->net_nodes > s->quota.nodes)
        return ENOSPC;                  /* Xen checks the quota before the generations */
    for (r = 0; r < XS_NODES; r++) {
        const struct xs_node *n = &s->node[r];

        if (!n->used || n->tx != slot)
            continue;
        m = xs_find(s, 0, xs_at(s, n->path), n->path_len);
        gen = m == XS_NONE ? XS_NO_GEN : s->node[m].generation;
        if (gen != n->base_gen)
            return EAGAIN;              /* someone changed what it saw */
    }
    return 0;
}

/*
 * A modified copy's value and permissions replace those of the committed
 * node in place (its record, and so the order of its parent's children,
 * stays); the copy keeps its path and permissions for the watches.
 */
static void update_in_place(struct xs_store *s, struct xs_node *copy, struct xs_node *m)
{
    xs_mem_drop(s, m->data_charged, m->data, m->data_len);
    m->data = copy->data;
    m->data_len = copy->data_len;
    m->data_charged = copy->data_charged;
    copy->data = XS_NONE;
    copy->data_len = 0;
    s->acct[m->perms[0].domid].nodes--;
    memcpy(m->perms, copy->perms, sizeof(m->perms));
    m->nperms = copy->nperms;
    s->acct[m->perms[0].domid].nodes++;
    m->generation = ++s->generation;
}

/* Apply the modified copies: update, create, or (tombstones) remove. */
static void apply(struct xs_store *s, uint32_t slot)
{
    uint32_t r, m;

    for (r = 0; r < XS_NODES; r++) {
        struct xs_node *n = &s->node[r];

        if (!n->used || n->tx != slot || !(n->flags & XS_NF_MODIFIED))
            continue;
        m = xs_find(s, 0, xs_at(s, n->path), n->path_len);
        if (m != XS_NONE && !(n->flags & XS_NF_DELETED)) {
            update_in_place(s, n, &s->node[m]);
        } else if (m != XS_NONE) {
            s->acct[s->node[m].perms[0].domid].nodes--;
            xs_rec_free(s, m);
        } else if (!(n->flags & XS_NF_DELETED)) {
            n->tx = 0;                  /* new: the copy becomes the node */
            n->flags &= XS_NF_FIRE | XS_NF_EXACT;
            n->generation = ++s->generation;
            s->acct[n->perms[0].domid].nodes++;
        }
    }
}

/* Fire the watches the commit queued, then clear the marks. */
static void fire_queued(struct xs_store *s, uint32_t slot)
{
    uint32_t r;

    for (r = 0; r < XS_NODES; r++) {
        struct xs_node *n = &s->node[r];

        if (!n->used || (n->tx != slot && n->tx != 0) || !(n->flags & XS_NF_FIRE))
            continue;
        xs_fire(s, xs_at(s, n->path), n->path_len, (n->flags & XS_NF_EXACT) != 0, n->old_perms,
                n->old_nperms, n->perms, n->nperms);
        if (n->tx == 0)
            n->flags = 0;
    }
}

int xs_tx_end(struct xs_req *rq)
{
    uint32_t len, slot = rq->tx;
    const char *arg = xs_onearg(rq, &len);
    bool commit;
    int err = 0;

    /* XS-15: a bad argument leaves the transaction open; no id is ENOENT */
    if (!arg || len != 1u || (arg[0] != 'T' && arg[0] != 'F'))
        return EINVAL;
    if (!slot)
        return ENOENT;
    commit = arg[0] == 'T';
    rq->tx = 0;                         /* the transaction ends whatever the outcome */
    if (commit)
        err = check(rq, slot);
    if (commit && !err) {
        apply(rq->s, slot);
        fire_queued(rq->s, slot);
    }
    discard(rq->s, slot);
    if (err)
        return err;
    xs_reply_ok(rq);
    return 0;
}

void xs_tx_drop_conn(struct xs_store *s, uint32_t c)
{
    uint32_t i;

    for (i = 0; i < XS_TXS; i++)
        if (s->tx[i].used && s->tx[i].conn == c)
            discard(s, i + 1u);
}
