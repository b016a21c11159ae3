/*
 * Xenstore watches (XS-8), as Xen's C xenstored keeps them. A watch is a
 * (path, token) pair of one connection; registering it answers OK and
 * then fires it once at once. A change of a node fires every watch on
 * that node or on any of its ancestors; removing a subtree also fires the
 * watches on each removed descendant (exactly their own path). An event
 * goes only to a connection that may read the node (before or after the
 * change) or its parent, and it carries the path relative to the home
 * when the watch was registered relative. Events are queued on the
 * watcher's connection; one that does not fit there is dropped and
 * counted, so a guest that does not drain its ring delays nobody else.
 */
#include "xs_impl.h"

static const char *heap_str(const struct xs_store *s, uint32_t off)
{
    return (const char *)&s->heap.bytes[off];
}

static void free_watch(struct xs_store *s, uint32_t w)
{
    struct xs_watch *wt = &s->watch[w];
    uint16_t domid = s->conn[wt->conn].domid;

    xs_mem_drop(s, domid, wt->path, wt->path_len + 1u);
    xs_mem_drop(s, domid, wt->token, wt->token_len + 1u);
    s->conn[wt->conn].watches--;
    s->watches_used--;
    memset(wt, 0, sizeof(*wt));
}

static uint32_t find_watch(const struct xs_store *s, uint32_t c, const char *path,
                           uint32_t plen, const char *token, uint32_t tlen)
{
    uint32_t w;

    for (w = 0; w < XS_WATCHES; w++) {
        const struct xs_watch *wt = &s->watch[w];

        if (wt->used && wt->conn == c && wt->path_len == plen && wt->token_len == tlen &&
            !memcmp(heap_str(s, wt->path), path, plen) &&
            !memcmp(heap_str(s, wt->token), token, tlen))
            return w;
    }
    return XS_NONE;
}

static void send_event(struct xs_store *s, uint32_t c, const char *path, uint32_t plen,
                       const char *token, uint32_t tlen)
{
    uint8_t *ev = s->scratch.event;
    uint32_t len = plen + 1u + tlen + 1u;

    if (len > XENSTORE_PAYLOAD_MAX)
        return;                         /* Xen does not send an over-long event either */
    memcpy(ev, path, plen);
    ev[plen] = 0;
    memcpy(ev + plen + 1u, token, tlen);
    ev[plen + 1u + tlen] = 0;
    if (!xs_out_put(s, c, XS_WATCH_EVENT, 0, 0, ev, len))
        s->conn[c].dropped_events++;    /* XS-8, XS-21: dropped whole, counted */
}

/* A free watch slot for rq's connection, or an error (XS-6, XS-7). */
static int watch_slot(struct xs_req *rq, uint32_t *slot)
{
    struct xs_store *s = rq->s;
    uint32_t w;

    if (!rq->cn->priv && rq->cn->watches >= s->quota.watches)
        return ENOSPC;                  /* XS-6, XS-13 */
    if (!rq->cn->priv && s->watches_used >= XS_WATCHES - XS_WATCHES / XS_RESERVE_DIV)
        return ENOMEM;
    for (w = 0; w < XS_WATCHES && s->watch[w].used; w++)
        ;
    if (w == XS_WATCHES)
        return ENOMEM;
    *slot = w;
    return 0;
}

int xs_watch_add(struct xs_req *rq)
{
    struct xs_store *s = rq->s;
    char *path = s->scratch.path;
    const char *token;
    uint32_t plen, tlen, w, poff, toff;
    bool relative;
    int err;

    if (xs_count_strings(rq->body, rq->len) != 2u)
        return EINVAL;
    token = rq->body + strlen(rq->body) + 1u;
    tlen = (uint32_t)strlen(token);
    relative = rq->body[0] != '/' && rq->body[0] != '@';
    err = xs_canonical(rq->cn, rq->body, (uint32_t)strlen(rq->body), path, &plen);
    /* XS-17: any valid path, as Xen: permissions decide each event, not the watch */
    if (err || !xs_path_valid(rq->cn, &s->quota, path, plen, true))
        return EINVAL;
    if (find_watch(s, rq->c, path, plen, token, tlen) != XS_NONE)
        return EEXIST;
    err = watch_slot(rq, &w);
    if (!err)
        err = xs_mem_take(s, rq->cn, plen + 1u, &poff);
    if (err)
        return err;
    err = xs_mem_take(s, rq->cn, tlen + 1u, &toff);
    if (err) {
        xs_mem_drop(s, rq->cn->domid, poff, plen + 1u);
        return err;
    }
    memcpy(xs_at(s, poff), path, plen + 1u);
    memcpy(xs_at(s, toff), token, tlen + 1u);
    s->watch[w] = (struct xs_watch){ .used = 1, .conn = (uint16_t)rq->c,
                                     .prefix_len = relative ? rq->cn->home_len + 1u : 0,
                                     .path = poff, .path_len = plen,
                                     .token = toff, .token_len = tlen };
    rq->cn->watches++;
    s->watches_used++;
    xs_reply_ok(rq);
    /* the first event, at once, with the path as registered */
    send_event(s, rq->c, path + s->watch[w].prefix_len, plen - s->watch[w].prefix_len, token,
               tlen);
    return 0;
}

int xs_watch_remove(struct xs_req *rq)
{
    struct xs_store *s = rq->s;
    const char *token;
    uint32_t plen, w;

    if (xs_count_strings(rq->body, rq->len) != 2u)
        return EINVAL;
    token = rq->body + strlen(rq->body) + 1u;
    if (xs_canonical(rq->cn, rq->body, (uint32_t)strlen(rq->body), s->scratch.path, &plen))
        return EINVAL;
    w = find_watch(s, rq->c, s->scratch.path, plen, token, (uint32_t)strlen(token));
    if (w == XS_NONE)
        return ENOENT;
    free_watch(s, w);
    xs_reply_ok(rq);
    return 0;
}

void xs_watch_drop_conn(struct xs_store *s, uint32_t c)
{
    uint32_t w;

    for (w = 0; w < XS_WATCHES; w++)
        if (s->watch[w].used && s->watch[w].conn == c)
            free_watch(s, w);
}

/* May connection c learn of a change to path (XS-8, XS-17)? */
static bool permitted(struct xs_store *s, const struct xs_conn *cn, const char *path,
                      uint32_t len, const struct xs_perm *old, uint32_t nold,
                      const struct xs_perm *cur, uint32_t ncur)
{
    uint32_t parent;

    if (cn->priv)
        return true;
    if (nold && (xs_perm_for(cn, old, nold) & XS_PERM_READ))
        return true;
    if (ncur && (xs_perm_for(cn, cur, ncur) & XS_PERM_READ))
        return true;
    if (len <= 1u)
        return false;
    parent = xs_find(s, 0, path, xs_parent_len(path, len));
    return parent != XS_NONE &&
           (xs_perm_for(cn, s->node[parent].perms, s->node[parent].nperms) & XS_PERM_READ);
}

void xs_fire(struct xs_store *s, const char *path, uint32_t len, bool exact,
             const struct xs_perm *old, uint32_t nold, const struct xs_perm *cur, uint32_t ncur)
{
    uint32_t w, cut;

    for (w = 0; w < XS_WATCHES; w++) {
        const struct xs_watch *wt = &s->watch[w];
        const char *wp = heap_str(s, wt->path);
        bool match;

        if (!wt->used)
            continue;
        match = exact ? (wt->path_len == len && !memcmp(wp, path, len))
                      : xs_is_child(path, len, wp, wt->path_len);
        if (!match || !permitted(s, &s->conn[wt->conn], path, len, old, nold, cur, ncur))
            continue;
        cut = wt->prefix_len <= len ? wt->prefix_len : 0;
        send_event(s, wt->conn, path + cut, len - cut, heap_str(s, wt->token), wt->token_len);
    }
}

void xs_fire_special(struct xs_store *s, const char *name)
{
    uint32_t w, len = (uint32_t)strlen(name);

    for (w = 0; w < XS_WATCHES; w++) {
        const struct xs_watch *wt = &s->watch[w];

        /* XS-8: the special nodes' permissions are Xen's default, n0: dom0 only */
        if (wt->used && s->conn[wt->conn].priv && wt->path_len == len &&
            !memcmp(heap_str(s, wt->path), name, len))
            send_event(s, wt->conn, name, len, heap_str(s, wt->token), wt->token_len);
    }
}
