/*
 * Xenstore node records and the view a request has of them (see xs.h).
 *
 * A record is committed (tx 0) or a transaction's copy (tx = slot + 1).
 * Outside a transaction a request reads and changes committed records.
 * Inside one, its first access to a path makes a copy (or a tombstone,
 * XS_NF_DELETED, when the path is absent) that remembers the committed
 * generation it saw; every later access of that transaction uses the
 * copy, and only commit (xs_tx.c) touches the committed records. Adding
 * or removing a child changes its parent, as Xen's child lists do: the
 * parent's generation moves, so a transaction that listed it conflicts.
 *
 * Memory: every heap block is charged to the domain whose request took
 * it; a guest stays within quota.memory and never takes the last
 * 1/XS_RESERVE_DIV of the heap or of the records (XS-7).
 */
#include "xs_impl.h"

#define XS_REC_HDR   24u    /* Xen's stored node header: generation, counts */
#define XS_REC_PERM  8u     /* ... and 8 bytes per permission entry */

int xs_mem_take(struct xs_store *s, const struct xs_conn *cn, uint32_t len, uint32_t *off)
{
    uint32_t units = xs_heap_units(len), o;

    if (len == 0) {
        *off = XS_NONE;
        return 0;
    }
    if (!cn->priv &&
        (s->acct[cn->domid].mem + units * XS_HEAP_UNIT > s->quota.memory ||
         s->heap.units_used + units > XS_HEAP_UNITS - XS_HEAP_UNITS / XS_RESERVE_DIV))
        return ENOMEM;
    o = xs_heap_alloc(&s->heap, len);
    if (o == XS_NONE)
        return ENOMEM;
    s->acct[cn->domid].mem += units * XS_HEAP_UNIT;
    *off = o;
    return 0;
}

void xs_mem_drop(struct xs_store *s, uint16_t domid, uint32_t off, uint32_t len)
{
    if (off == XS_NONE || len == 0)
        return;
    xs_heap_free(&s->heap, off, len);
    s->acct[domid].mem -= xs_heap_units(len) * XS_HEAP_UNIT;
}

uint32_t xs_find(const struct xs_store *s, uint32_t tx, const char *path, uint32_t len)
{
    uint32_t h = xs_path_hash(path, len), r, steps;

    /* every record is on exactly one chain, so a walk ends within XS_NODES steps */
    for (r = s->bucket[h % XS_BUCKETS], steps = 0; r != 0 && steps < XS_NODES;
         r = s->next[r - 1u], steps++) {
        const struct xs_node *n = &s->node[r - 1u];

        if (n->used && n->tx == tx && n->hash == h && n->path_len == len &&
            !memcmp(&s->heap.bytes[n->path], path, len))
            return r - 1u;
    }
    return XS_NONE;
}

/* Take record r off its hash chain. */
static void unindex(struct xs_store *s, uint32_t r)
{
    uint32_t *link = &s->bucket[s->node[r].hash % XS_BUCKETS], steps;

    for (steps = 0; *link != 0 && steps < XS_NODES; steps++) {
        if (*link == r + 1u) {
            *link = s->next[r];
            s->next[r] = 0;
            return;
        }
        link = &s->next[*link - 1u];
    }
}

void xs_rec_free(struct xs_store *s, uint32_t r)
{
    struct xs_node *n = &s->node[r];

    unindex(s, r);
    if (r < s->node_hint)
        s->node_hint = r;
    xs_mem_drop(s, n->charged, n->path, n->path_len + 1u);
    xs_mem_drop(s, n->data_charged, n->data, n->data_len);
    memset(n, 0, sizeof(*n));
    s->nodes_used--;
}

static int rec_new(struct xs_store *s, const struct xs_conn *cn, uint32_t tx, const char *path,
                   uint32_t len, uint32_t *rec)
{
    uint32_t r, off;
    struct xs_node *n;
    int err;

    if (!cn->priv && s->nodes_used >= XS_NODES - XS_NODES / XS_RESERVE_DIV)
        return ENOMEM;
    /* every record below the hint is in use: creating many nodes stays linear */
    for (r = s->node_hint; r < XS_NODES && s->node[r].used; r++)
        ;
    if (r == XS_NODES)
        return ENOMEM;
    err = xs_mem_take(s, cn, len + 1u, &off);
    if (err)
        return err;
    s->node_hint = r + 1u;
    n = &s->node[r];
    memset(n, 0, sizeof(*n));
    memcpy(xs_at(s, off), path, len);
    xs_at(s, off)[len] = '\0';
    n->used = 1;
    n->tx = (uint16_t)tx;
    n->charged = n->data_charged = cn->domid;
    n->hash = xs_path_hash(path, len);
    s->next[r] = s->bucket[n->hash % XS_BUCKETS];
    s->bucket[n->hash % XS_BUCKETS] = r + 1u;
    n->path = off;
    n->path_len = len;
    n->data = XS_NONE;
    s->nodes_used++;
    *rec = r;
    return 0;
}

/* A new copy of path (or a tombstone) for rq's transaction. */
static int copy_in(struct xs_req *rq, const char *path, uint32_t len, uint32_t *rec)
{
    struct xs_store *s = rq->s;
    struct xs_tx *t = &s->tx[rq->tx - 1u];
    uint32_t r, m;
    struct xs_node *n;

    if (!rq->cn->priv && t->nodes >= s->quota.tx_nodes)
        return ENOSPC;
    if (rec_new(s, rq->cn, rq->tx, path, len, &r))
        return ENOMEM;
    n = &s->node[r];
    m = xs_find(s, 0, path, len);
    if (m == XS_NONE) {
        n->flags = XS_NF_DELETED;
        n->base_gen = XS_NO_GEN;
    } else {
        int err = xs_mem_take(s, rq->cn, s->node[m].data_len, &n->data);
        if (err) {
            xs_rec_free(s, r);
            return err;
        }
        if (n->data != XS_NONE)
            memcpy(xs_at(s, n->data), xs_at(s, s->node[m].data), s->node[m].data_len);
        n->data_len = s->node[m].data_len;
        n->nperms = n->old_nperms = s->node[m].nperms;
        memcpy(n->perms, s->node[m].perms, sizeof(n->perms));
        memcpy(n->old_perms, s->node[m].perms, sizeof(n->old_perms));
        n->base_gen = s->node[m].generation;
    }
    t->nodes++;
    *rec = r;
    return 0;
}

/*
 * The transaction's copy of path, made on its first access (XS-9). A
 * copy that cannot be made (its node quota, XS-6, or the pools) fails
 * the whole transaction, as Xen's access_node does: the request answers
 * the error and the commit ENOMEM, so a commit never applies a
 * transaction some of whose requests were refused half way (XS-14).
 */
static int touch(struct xs_req *rq, const char *path, uint32_t len, uint32_t *rec)
{
    uint32_t r = xs_find(rq->s, rq->tx, path, len);
    int err;

    if (r != XS_NONE) {
        *rec = r;
        return 0;
    }
    err = copy_in(rq, path, len, rec);
    if (err)
        rq->s->tx[rq->tx - 1u].failed = 1;      /* XS-14 */
    return err;
}

int xs_lookup(struct xs_req *rq, const char *path, uint32_t len, uint32_t *rec)
{
    uint32_t r;
    int err;

    if (!rq->tx) {
        *rec = xs_find(rq->s, 0, path, len);
        return 0;
    }
    err = touch(rq, path, len, &r);
    if (err)
        return err;
    *rec = (rq->s->node[r].flags & XS_NF_DELETED) ? XS_NONE : r;
    return 0;
}

/*
 * Xen's rule for a failed access: the answer must not tell a domain
 * about a node it may not see. An absent node answers ENOENT only if the
 * nearest existing ancestor grants some of the wanted access, else
 * EACCES (XS-4).
 */
/* XS-4, XS-16 */
static int absent_error(struct xs_req *rq, const char *path, uint32_t len, uint32_t want)
{
    uint32_t plen = len, r = XS_NONE;

    while (r == XS_NONE && plen > 1u) {
        int err;

        plen = xs_parent_len(path, plen);
        err = xs_lookup(rq, path, plen, &r);
        if (err)
            return err;
    }
    if (r == XS_NONE)
        return EACCES;
    return (xs_perm_for(rq->cn, rq->s->node[r].perms, rq->s->node[r].nperms) & want) ? ENOENT
                                                                                      : EACCES;
}

int xs_get_node(struct xs_req *rq, const char *path, uint32_t len, uint32_t want, uint32_t *rec)
{
    const struct xs_node *n;
    uint32_t r;
    int err = xs_lookup(rq, path, len, &r);

    if (err)
        return err;
    if (r == XS_NONE)
        return absent_error(rq, path, len, want);
    n = &rq->s->node[r];
    if ((xs_perm_for(rq->cn, n->perms, n->nperms) & want) != want)
        return EACCES;                  /* XS-16 */
    *rec = r;
    return 0;
}

/* The parent record changed (a child came or went). */
static void parent_changed(struct xs_req *rq, uint32_t parent)
{
    if (rq->tx)
        rq->s->node[parent].flags |= XS_NF_MODIFIED;
    else
        rq->s->node[parent].generation = ++rq->s->generation;
}

/* One new node below existing `parent`, inheriting its permissions. */
static int create_one(struct xs_req *rq, const char *path, uint32_t len, uint32_t parent,
                      uint32_t *rec)
{
    struct xs_store *s = rq->s;
    struct xs_node *n;
    uint32_t r;
    int err = rq->tx ? touch(rq, path, len, &r) : rec_new(s, rq->cn, 0, path, len, &r);

    if (err)
        return err;
    n = &s->node[r];
    n->nperms = s->node[parent].nperms;
    memcpy(n->perms, s->node[parent].perms, sizeof(n->perms));
    if (!rq->cn->priv)
        n->perms[0].domid = rq->cn->domid;      /* a guest owns what it creates */
    if (rq->tx) {
        n->flags = XS_NF_MODIFIED;
        s->tx[rq->tx - 1u].net_nodes++;
    } else {
        n->generation = ++s->generation;
        s->acct[n->perms[0].domid].nodes++;
    }
    parent_changed(rq, parent);
    *rec = r;
    return 0;
}

/* Undo the nodes a failed create made: committed ones go, a transaction fails. */
static void create_undo(struct xs_req *rq, const char *path, uint32_t from, uint32_t upto)
{
    uint32_t end;

    if (rq->tx) {
        rq->s->tx[rq->tx - 1u].failed = 1;
        return;
    }
    for (end = upto; end > from; end = xs_parent_len(path, end)) {
        uint32_t r = xs_find(rq->s, 0, path, end);
        if (r != XS_NONE) {
            rq->s->acct[rq->s->node[r].perms[0].domid].nodes--;
            xs_rec_free(rq->s, r);
        }
    }
}

/* Quotas a guest's create must meet before anything changes (XS-6). */
static int create_quota(struct xs_req *rq, const char *path, uint32_t len, uint32_t plen,
                        uint32_t parent, uint32_t missing, uint32_t data_len)
{
    struct xs_store *s = rq->s;
    const struct xs_node *p = &s->node[parent];
    uint32_t first_end = plen + 1u, owned = s->acct[rq->cn->domid].nodes;

    if (rq->cn->priv)
        return 0;
    if (rq->tx)
        owned += (uint32_t)s->tx[rq->tx - 1u].net_nodes;
    if (owned + missing > s->quota.nodes)
        return ENOSPC;
    /* XS-13: the new node inherits the parent's permission count */
    if (XS_REC_HDR + XS_REC_PERM * p->nperms + data_len >= s->quota.node_size)
        return ENOSPC;
    while (first_end < len && path[first_end] != '/')
        first_end++;
    /* the parent's record grows by the new child's name */
    if (xs_record_size(rq, parent, p->data_len, p->nperms) + (first_end - plen) >=
        s->quota.node_size)
        return ENOSPC;
    return 0;
}

int xs_create(struct xs_req *rq, const char *path, uint32_t len, const char *data,
              uint32_t data_len, uint32_t *rec)
{
    uint32_t plen = len, parent = XS_NONE, missing = 0, end, i, off;
    struct xs_node *n;
    int err;

    while (parent == XS_NONE) {
        plen = xs_parent_len(path, plen);
        err = xs_lookup(rq, path, plen, &parent);
        if (err)
            return err;
    }
    for (i = (plen == 1u ? 0 : plen); i < len; i++)
        missing += path[i] == '/';
    err = create_quota(rq, path, len, plen == 1u ? 0 : plen, parent, missing, data_len);
    if (!err)
        err = xs_mem_take(rq->s, rq->cn, data_len, &off);   /* the value first: nothing to undo */
    if (err)
        return err;
    for (end = plen == 1u ? 1u : plen + 1u; ; end++) {
        if (end < len && path[end] != '/')
            continue;
        err = create_one(rq, path, end, parent, &parent);
        if (err) {
            create_undo(rq, path, plen, xs_parent_len(path, end));
            xs_mem_drop(rq->s, rq->cn->domid, off, data_len);
            return err;
        }
        if (end == len)
            break;
    }
    n = &rq->s->node[parent];
    if (off != XS_NONE)
        memcpy(xs_at(rq->s, off), data, data_len);
    n->data = off;
    n->data_len = data_len;
    n->data_charged = rq->cn->domid;
    *rec = parent;
    return 0;
}

int xs_make_root(struct xs_store *s)
{
    static const struct xs_conn tools = { .used = 1, .priv = 1 };
    uint32_t r;
    int err = rec_new(s, &tools, 0, "/", 1u, &r);

    if (err)
        return err;
    s->node[r].nperms = 1;              /* owner dom0, others none: Xen's n0 */
    s->node[r].generation = ++s->generation;
    s->acct[0].nodes++;
    return 0;
}

int xs_set_value(struct xs_req *rq, uint32_t rec, const char *data, uint32_t len)
{
    struct xs_store *s = rq->s;
    struct xs_node *n = &s->node[rec];
    uint32_t off;
    int err = xs_mem_take(s, rq->cn, len, &off);

    if (err)
        return err;
    xs_mem_drop(s, n->data_charged, n->data, n->data_len);
    if (off != XS_NONE)
        memcpy(xs_at(s, off), data, len);
    n->data = off;
    n->data_len = len;
    n->data_charged = rq->cn->domid;
    if (rq->tx)
        n->flags |= XS_NF_MODIFIED;
    else
        n->generation = ++s->generation;
    return 0;
}

int xs_set_perms(struct xs_req *rq, uint32_t rec, const struct xs_perm *p, uint32_t n)
{
    struct xs_store *s = rq->s;
    struct xs_node *node = &s->node[rec];

    if (rq->tx) {
        node->flags |= XS_NF_MODIFIED;
    } else {
        s->acct[node->perms[0].domid].nodes--;
        s->acct[p[0].domid].nodes++;
        node->generation = ++s->generation;
    }
    memset(node->perms, 0, sizeof(node->perms));
    memcpy(node->perms, p, n * sizeof(*p));
    node->nperms = (uint8_t)n;
    return 0;
}

/* Is record r visible in rq's view (committed and not shadowed, or its own live copy)? */
static bool in_view(struct xs_req *rq, uint32_t r)
{
    const struct xs_node *n = &rq->s->node[r];

    if (!n->used)
        return false;
    if (n->tx)
        return n->tx == rq->tx && !(n->flags & XS_NF_DELETED);
    return !rq->tx ||
           xs_find(rq->s, rq->tx, xs_at(rq->s, n->path), n->path_len) == XS_NONE;
}

/* Offset of a direct child's name in record r's path, or 0 when r is not one. */
static uint32_t child_name_at(struct xs_req *rq, uint32_t r, const char *path, uint32_t len)
{
    const struct xs_node *n = &rq->s->node[r];
    const char *p = xs_at(rq->s, n->path);
    uint32_t start = len == 1u ? 1u : len + 1u, i;

    if (n->path_len <= start || !xs_is_child(p, n->path_len, path, len))
        return 0;
    for (i = start; i < n->path_len; i++)
        if (p[i] == '/')
            return 0;
    return start;
}

/* Copy bytes [skip, skip + max) of the list into out; count every byte. */
static void list_bytes(const char *name, uint32_t nlen, uint32_t pos, uint32_t skip, char *out,
                       uint32_t max)
{
    uint32_t k;

    for (k = 0; k <= nlen; k++)
        if (pos + k >= skip && pos + k - skip < max)
            out[pos + k - skip] = k < nlen ? name[k] : '\0';
}

uint32_t xs_children(struct xs_req *rq, const char *path, uint32_t len, uint32_t skip,
                     char *out, uint32_t max)
{
    uint32_t r, total = 0, nlen;

    for (r = 0; r < XS_NODES; r++) {
        uint32_t at;

        if (!rq->s->node[r].used || !(at = child_name_at(rq, r, path, len)) || !in_view(rq, r))
            continue;
        nlen = rq->s->node[r].path_len - at;
        if (out && total + nlen + 1u > skip && total < skip + max)
            list_bytes(xs_at(rq->s, rq->s->node[r].path) + at, nlen, total, skip, out, max);
        total += nlen + 1u;
    }
    return total;
}

uint32_t xs_record_size(struct xs_req *rq, uint32_t rec, uint32_t data_len, uint32_t nperms)
{
    const struct xs_node *n = &rq->s->node[rec];

    return XS_REC_HDR + XS_REC_PERM * nperms + data_len +
           xs_children(rq, xs_at(rq->s, n->path), n->path_len, 0, NULL, 0);
}

void xs_mark_changed(struct xs_req *rq, uint32_t rec, const char *path, uint32_t len, bool exact)
{
    struct xs_node *n = &rq->s->node[rec];

    if (rq->tx)
        n->flags |= XS_NF_FIRE | (exact ? XS_NF_EXACT : 0u);
    else
        xs_fire(rq->s, path, len, exact, NULL, 0, n->perms, n->nperms);
}

/* Remove committed record r (outside a transaction). */
static void remove_committed(struct xs_store *s, uint32_t r, bool fire_exact)
{
    struct xs_node *n = &s->node[r];

    if (fire_exact)
        xs_fire(s, xs_at(s, n->path), n->path_len, true, NULL, 0, n->perms, n->nperms);
    s->acct[n->perms[0].domid].nodes--;
    xs_rec_free(s, r);
}

/* Turn transaction copy r into a tombstone that commit applies. */
static void remove_copy(struct xs_req *rq, uint32_t r, bool exact)
{
    struct xs_node *n = &rq->s->node[r];

    xs_mem_drop(rq->s, n->data_charged, n->data, n->data_len);
    n->data = XS_NONE;
    n->data_len = 0;
    n->flags = XS_NF_DELETED | XS_NF_MODIFIED | XS_NF_FIRE | (exact ? XS_NF_EXACT : 0u);
    rq->s->tx[rq->tx - 1u].net_nodes--;
}

/* Is record r strictly below path? */
static bool below(struct xs_req *rq, uint32_t r, const char *path, uint32_t len)
{
    const struct xs_node *n = &rq->s->node[r];

    return n->used && n->path_len > len &&
           xs_is_child(xs_at(rq->s, n->path), n->path_len, path, len);
}

/* Copy every committed descendant into the transaction, then drop them all. */
static int remove_in_tx(struct xs_req *rq, const char *path, uint32_t len, uint32_t rec)
{
    struct xs_store *s = rq->s;
    uint32_t r, copy;
    int err;

    for (r = 0; r < XS_NODES; r++) {
        if (!below(rq, r, path, len) || s->node[r].tx || !in_view(rq, r))
            continue;
        err = touch(rq, xs_at(s, s->node[r].path), s->node[r].path_len, &copy);
        if (err) {
            s->tx[rq->tx - 1u].failed = 1;
            return err;
        }
    }
    for (r = 0; r < XS_NODES; r++)
        if (below(rq, r, path, len) && s->node[r].tx == rq->tx &&
            !(s->node[r].flags & XS_NF_DELETED))
            remove_copy(rq, r, true);
    remove_copy(rq, rec, false);
    return 0;
}

int xs_remove(struct xs_req *rq, const char *path, uint32_t len, uint32_t rec)
{
    struct xs_store *s = rq->s;
    uint32_t plen = xs_parent_len(path, len), parent;
    const struct xs_node *n = &s->node[rec];
    int err = xs_lookup(rq, path, plen, &parent);

    if (err)
        return err;
    if (parent == XS_NONE)
        return EINVAL;
    if (rq->tx) {
        err = remove_in_tx(rq, path, len, rec);
        if (err)
            return err;
    } else {
        /* the node and its ancestors' watches first, while its permissions exist */
        uint32_t r;

        xs_fire(s, path, len, false, NULL, 0, n->perms, n->nperms);
        for (r = 0; r < XS_NODES; r++)
            if (below(rq, r, path, len) && !s->node[r].tx)
                remove_committed(s, r, true);
        remove_committed(s, rec, false);
    }
    parent_changed(rq, parent);
    return 0;
}
