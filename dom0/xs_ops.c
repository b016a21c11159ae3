/*
 * The xenstore operations (XS-1), one function each, as Xen's C
 * xenstored answers them. Each checks its payload, the path rules (XS-5),
 * the permissions (XS-4) and the quotas (XS-6) before it changes
 * anything, and returns 0 once it has replied or the errno the
 * dispatcher sends back as XS_ERROR.
 */
#include "xs_impl.h"

uint32_t xs_count_strings(const char *body, uint32_t len)
{
    uint32_t i, n = 0;

    for (i = 0; i < len; i++)
        n += body[i] == '\0';
    return n;
}

uint32_t xs_format_u32(uint32_t v, char *out)
{
    return xs_format_u64(v, out);
}

uint32_t xs_format_u64(uint64_t v, char *out)
{
    char digits[20];
    uint32_t n = 0, len = 0;

    do {
        digits[n++] = (char)('0' + (uint32_t)(v % 10u));
        v /= 10u;
    } while (v);
    while (n)
        out[len++] = digits[--n];
    out[len++] = '\0';
    return len;
}

const char *xs_onearg(const struct xs_req *rq, uint32_t *len)
{
    uint32_t i;

    /* exactly one string: the payload's only NUL is its last byte */
    if (rq->len == 0 || rq->body[rq->len - 1u] != '\0')
        return NULL;
    for (i = 0; i + 1u < rq->len; i++)
        if (rq->body[i] == '\0')
            return NULL;
    *len = rq->len - 1u;
    return rq->body;
}

/* Canonical, valid path from arg (alen bytes) into the scratch path. */
static int path_of(struct xs_req *rq, const char *arg, uint32_t alen, uint32_t *len)
{
    if (xs_canonical(rq->cn, arg, alen, rq->s->scratch.path, len) ||
        !xs_path_valid(rq->cn, &rq->s->quota, rq->s->scratch.path, *len, false))
        return EINVAL;
    return 0;
}

/* The request's one argument as a canonical, valid path. */
static int one_path(struct xs_req *rq, uint32_t *len)
{
    uint32_t alen;
    const char *arg = xs_onearg(rq, &alen);

    return arg ? path_of(rq, arg, alen, len) : EINVAL;
}

int xs_op_read(struct xs_req *rq)
{
    const struct xs_node *n;
    uint32_t len, r;
    int err = one_path(rq, &len);

    if (!err)
        err = xs_get_node(rq, rq->s->scratch.path, len, XS_PERM_READ, &r);
    if (err)
        return err;
    n = &rq->s->node[r];
    xs_reply(rq, XS_READ, n->data == XS_NONE ? "" : xs_at(rq->s, n->data), n->data_len);
    return 0;
}

/* path, then the value: every byte after the path's NUL. */
int xs_op_write(struct xs_req *rq)
{
    const char *path = rq->s->scratch.path, *data;
    uint32_t len, dlen, r;
    const struct xs_node *n;
    int err;

    if (xs_count_strings(rq->body, rq->len) < 1u)
        return EINVAL;
    dlen = rq->len - ((uint32_t)strlen(rq->body) + 1u);
    data = rq->body + strlen(rq->body) + 1u;
    err = path_of(rq, rq->body, (uint32_t)strlen(rq->body), &len);
    if (!err)
        err = xs_get_node(rq, path, len, XS_PERM_WRITE, &r);
    if (err == ENOENT) {
        err = xs_create(rq, path, len, data, dlen, &r);
    } else if (!err) {
        n = &rq->s->node[r];
        if (!rq->cn->priv &&
            xs_record_size(rq, r, dlen, n->nperms) >= rq->s->quota.node_size)
            return ENOSPC;
        err = xs_set_value(rq, r, data, dlen);
    }
    if (err)
        return err;
    xs_mark_changed(rq, r, path, len, false);
    xs_reply_ok(rq);
    return 0;
}

int xs_op_mkdir(struct xs_req *rq)
{
    uint32_t len, r;
    int err = one_path(rq, &len);

    if (!err)
        err = xs_get_node(rq, rq->s->scratch.path, len, XS_PERM_WRITE, &r);
    if (err == ENOENT) {
        err = xs_create(rq, rq->s->scratch.path, len, NULL, 0, &r);
        if (!err)
            xs_mark_changed(rq, r, rq->s->scratch.path, len, false);
    }
    if (err)
        return err;
    xs_reply_ok(rq);                    /* an existing node is fine */
    return 0;
}

int xs_op_rm(struct xs_req *rq)
{
    const char *path = rq->s->scratch.path;
    uint32_t len, r, parent;
    int err = one_path(rq, &len);

    if (!err)
        err = xs_get_node(rq, path, len, XS_PERM_WRITE, &r);
    if (err == ENOENT) {
        /* absent is fine if its parent exists */
        err = xs_lookup(rq, path, xs_parent_len(path, len), &parent);
        if (!err && parent == XS_NONE)
            err = ENOENT;
    } else if (!err) {
        err = len == 1u ? EINVAL : xs_remove(rq, path, len, r);    /* never "/" */
    }
    if (err)
        return err;
    xs_reply_ok(rq);
    return 0;
}

int xs_op_directory(struct xs_req *rq)
{
    char *out = rq->s->scratch.reply;
    uint32_t len, r, total;
    int err = one_path(rq, &len);

    if (!err)
        err = xs_get_node(rq, rq->s->scratch.path, len, XS_PERM_READ, &r);
    if (err)
        return err;
    total = xs_children(rq, rq->s->scratch.path, len, 0, out, XENSTORE_PAYLOAD_MAX);
    if (total > XENSTORE_PAYLOAD_MAX)
        return E2BIG;
    xs_reply(rq, XS_DIRECTORY, out, total);
    return 0;
}

/* Xen's atoi of the offset: leading decimal digits, anything else ends it. */
static uint32_t leading_number(const char *str)
{
    uint32_t v = 0;

    while (*str >= '0' && *str <= '9' && v < 0x10000000u)
        v = v * 10u + (uint32_t)(*str++ - '0');
    return v;
}

/*
 * path, then a byte offset into its child list (XS_DIRECTORY_PART, for
 * lists too long for one reply): the node's generation, then the names
 * from the offset that fit, and an empty name once the list is done.
 */
int xs_op_directory_part(struct xs_req *rq)
{
    struct xs_scratch *sc = &rq->s->scratch;
    uint32_t len, r, off, total, genlen, maxlen, n = 0;
    const char *child = sc->path2;
    int err;

    if (xs_count_strings(rq->body, rq->len) != 2u)
        return EINVAL;
    err = path_of(rq, rq->body, (uint32_t)strlen(rq->body), &len);
    if (!err)
        err = xs_get_node(rq, sc->path, len, XS_PERM_READ, &r);
    if (err)
        return err;
    off = leading_number(rq->body + strlen(rq->body) + 1u);
    genlen = xs_format_u64(rq->s->node[r].generation, sc->reply);
    total = xs_children(rq, sc->path, len, off, sc->path2, XENSTORE_PAYLOAD_MAX);
    if (off >= total) {
        sc->reply[genlen] = '\0';
        xs_reply(rq, XS_DIRECTORY_PART, sc->reply, genlen + 1u);
        return 0;
    }
    sc->path2[total - off < XENSTORE_PAYLOAD_MAX ? total - off : XENSTORE_PAYLOAD_MAX] = '\0';
    maxlen = XENSTORE_PAYLOAD_MAX - genlen - 1u;
    while (n + strlen(child) < maxlen) {
        n += (uint32_t)strlen(child) + 1u;
        child = sc->path2 + n;
        if (off + n == total)
            break;
    }
    memcpy(sc->reply + genlen, sc->path2, n);
    if (off + n == total)
        sc->reply[genlen + n++] = '\0';
    xs_reply(rq, XS_DIRECTORY_PART, sc->reply, genlen + n);
    return 0;
}

int xs_op_get_perms(struct xs_req *rq)
{
    char *out = rq->s->scratch.reply;
    const struct xs_node *n;
    uint32_t len, r, i, total = 0;
    int err = one_path(rq, &len);

    if (!err)
        err = xs_get_node(rq, rq->s->scratch.path, len, XS_PERM_READ, &r);
    if (err)
        return err;
    n = &rq->s->node[r];
    for (i = 0; i < n->nperms; i++)
        total += xs_perm_format(&n->perms[i], out + total);    /* at most 8 bytes each */
    xs_reply(rq, XS_GET_PERMS, out, total);
    return 0;
}

/* The permission strings after the path, into perms[]; their count or an errno. */
static int parse_perms(struct xs_req *rq, struct xs_perm *perms, uint32_t *count)
{
    uint32_t n = xs_count_strings(rq->body, rq->len), i, at;

    if (n < 2u)
        return EINVAL;
    n--;
    if ((!rq->cn->priv && n > rq->s->quota.perms) || n > XS_PERMS_MAX)
        return ENOSPC;                  /* XS-6, XS-13 */
    at = (uint32_t)strlen(rq->body) + 1u;
    for (i = 0; i < n; i++) {
        uint32_t plen = (uint32_t)strlen(rq->body + at);
        if (xs_perm_parse(rq->body + at, plen, &perms[i]))
            return EINVAL;
        at += plen + 1u;
    }
    *count = n;
    return 0;
}

int xs_op_set_perms(struct xs_req *rq)
{
    struct xs_perm perms[XS_PERMS_MAX], old[XS_PERMS_MAX];
    const char *path = rq->s->scratch.path;
    struct xs_node *n;
    uint32_t count = 0, nold, len, r;
    int err = parse_perms(rq, perms, &count);

    if (err)
        return err;
    if (rq->body[0] == '@')
        return EINVAL;                  /* special paths' permissions: not kept (spec) */
    err = path_of(rq, rq->body, (uint32_t)strlen(rq->body), &len);
    if (!err)
        err = xs_get_node(rq, path, len, XS_PERM_WRITE | XS_PERM_OWNER, &r);
    if (err)
        return err;
    n = &rq->s->node[r];
    if (!rq->cn->priv && perms[0].domid != n->perms[0].domid)
        return EPERM;                   /* XS-16: a guest may not give a node away */
    if (!rq->cn->priv && xs_record_size(rq, r, n->data_len, count) >= rq->s->quota.node_size)
        return ENOSPC;
    nold = n->nperms;
    memcpy(old, n->perms, sizeof(old));
    xs_set_perms(rq, r, perms, count);
    if (rq->tx)
        xs_mark_changed(rq, r, path, len, false);
    else    /* who could read it before hears of it too */
        xs_fire(rq->s, path, len, false, old, nold, n->perms, n->nperms);
    xs_reply_ok(rq);
    return 0;
}

int xs_op_get_domain_path(struct xs_req *rq)
{
    static const char prefix[] = "/local/domain/";
    char *out = rq->s->scratch.reply;
    uint32_t alen, i, id = 0, n = sizeof(prefix) - 1u;
    const char *arg = xs_onearg(rq, &alen);

    if (!arg || alen == 0 || alen > 5u)
        return EINVAL;
    for (i = 0; i < alen; i++) {
        if (arg[i] < '0' || arg[i] > '9')
            return EINVAL;
        id = id * 10u + (uint32_t)(arg[i] - '0');
    }
    if (id > 0xFFFFu)
        return EINVAL;
    memcpy(out, prefix, n);
    xs_reply(rq, XS_GET_DOMAIN_PATH, out, n + xs_format_u32(id, out + n));
    return 0;
}

int xs_op_reset_watches(struct xs_req *rq)
{
    xs_watch_drop_conn(rq->s, rq->c);
    xs_tx_drop_conn(rq->s, rq->c);
    rq->tx = 0;
    xs_reply_ok(rq);
    return 0;
}
