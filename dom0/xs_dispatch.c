/*
 * Xenstore request dispatch (XS-1, XS-3): the store's set-up, the
 * connections, and one message in. A message that cannot be framed
 * (shorter than its header, a length other than its header says, or a
 * payload above XENSTORE_PAYLOAD_MAX) is a protocol violation: Xen stops
 * serving such a connection, and so does the caller here. Everything
 * else gets a reply: an unknown type ENOSYS, a tools-only type from a
 * guest EACCES, an unknown transaction id ENOENT, as Xen answers.
 */
#include "xs_impl.h"

typedef int xs_op_fn(struct xs_req *rq);

#define XS_F_NOTID 1u           /* the transaction id is ignored */
#define XS_F_PRIV  2u           /* dom0 only: EACCES for a guest */
#define XS_TYPES   27u          /* types 0 .. XS_SET_QUOTA */

static int op_unimplemented(struct xs_req *rq)
{
    return ENOSYS;
}

static const struct {
    xs_op_fn *fn;               /* NULL: ENOSYS (replies only, removed, optional) */
    uint32_t flags;
} xs_ops[XS_TYPES] = {
    [XS_CONTROL] = { op_unimplemented, XS_F_PRIV },
    [XS_DIRECTORY] = { xs_op_directory, 0 },
    [XS_READ] = { xs_op_read, 0 },
    [XS_GET_PERMS] = { xs_op_get_perms, 0 },
    [XS_WATCH] = { xs_watch_add, XS_F_NOTID },
    [XS_UNWATCH] = { xs_watch_remove, XS_F_NOTID },
    [XS_TRANSACTION_START] = { xs_tx_start, 0 },
    [XS_TRANSACTION_END] = { xs_tx_end, 0 },
    [XS_INTRODUCE] = { op_unimplemented, XS_F_PRIV },
    [XS_RELEASE] = { op_unimplemented, XS_F_PRIV },
    [XS_GET_DOMAIN_PATH] = { xs_op_get_domain_path, 0 },
    [XS_WRITE] = { xs_op_write, 0 },
    [XS_MKDIR] = { xs_op_mkdir, 0 },
    [XS_RM] = { xs_op_rm, 0 },
    [XS_SET_PERMS] = { xs_op_set_perms, 0 },
    [XS_IS_DOMAIN_INTRODUCED] = { op_unimplemented, XS_F_PRIV },
    [XS_RESUME] = { op_unimplemented, XS_F_PRIV },
    [XS_SET_TARGET] = { op_unimplemented, XS_F_PRIV },
    [XS_RESET_WATCHES] = { xs_op_reset_watches, 0 },
    [XS_DIRECTORY_PART] = { xs_op_directory_part, 0 },
};

void xs_init(struct xs_store *s)
{
    static const struct xs_conn tools = { .used = 1, .priv = 1 };
    struct xs_req rq = { .s = s, .cn = (struct xs_conn *)&tools };
    uint32_t r;

    memset(s, 0, sizeof(*s));
    s->quota = (struct xs_quota){ .nodes = 1000, .node_size = 2048, .watches = 128,
                                  .transactions = 10, .perms = 5, .tx_nodes = 1024,
                                  .path_len = XENSTORE_REL_PATH_MAX, .outstanding = 20,
                                  .memory = 128u * 1024u };
    /* Xen's first nodes; the pools are empty, so none of this can fail */
    (void)xs_make_root(s);
    (void)xs_create(&rq, "/tool/xenstored", 15u, NULL, 0, &r);
}

int xs_conn_open(struct xs_store *s, uint16_t domid, bool priv)
{
    static const char prefix[] = "/local/domain/";
    struct xs_conn *cn;
    uint32_t c, n = sizeof(prefix) - 1u;

    for (c = 0; c < XS_CONNS; c++)
        if (s->conn[c].used && s->conn[c].domid == domid)
            return -EEXIST;
    for (c = 0; c < XS_CONNS && s->conn[c].used; c++)
        ;
    if (c == XS_CONNS)
        return -ENOSPC;
    cn = &s->conn[c];
    memset(cn, 0, sizeof(*cn));
    cn->used = 1;
    cn->priv = priv;
    cn->domid = domid;
    cn->next_txid = 1;
    memcpy(cn->home, prefix, n);
    cn->home_len = n + xs_format_u32(domid, cn->home + n) - 1u;
    return (int)c;
}

/* XS-11: nothing of the connection stays but the nodes it made. */
void xs_conn_close(struct xs_store *s, uint32_t c)
{
    if (c >= XS_CONNS || !s->conn[c].used)
        return;
    xs_watch_drop_conn(s, c);
    xs_tx_drop_conn(s, c);
    memset(&s->conn[c], 0, sizeof(s->conn[c]));
}

/* Check the request's type and transaction, then run it. */
static void dispatch(struct xs_req *rq)
{
    uint32_t type = rq->hdr.type;
    int err;

    if (type >= XS_TYPES || !xs_ops[type].fn) {
        xs_reply_error(rq, ENOSYS);
        return;
    }
    if ((xs_ops[type].flags & XS_F_PRIV) && !rq->cn->priv) {
        xs_reply_error(rq, EACCES);
        return;
    }
    err = (xs_ops[type].flags & XS_F_NOTID) ? 0
                                            : xs_tx_lookup(rq->s, rq->c, rq->hdr.tx_id, &rq->tx);
    if (!err)
        err = xs_ops[type].fn(rq);
    if (err)
        xs_reply_error(rq, err);
}

int xs_request(struct xs_store *s, uint32_t c, const uint8_t *msg, uint32_t len)
{
    struct xs_req rq = { .s = s, .c = c };

    if (c >= XS_CONNS || !s->conn[c].used || len < sizeof(rq.hdr))
        return XS_DISCONNECT;
    memcpy(&rq.hdr, msg, sizeof(rq.hdr));
    if (rq.hdr.len > XENSTORE_PAYLOAD_MAX || len - sizeof(rq.hdr) != rq.hdr.len)
        return XS_DISCONNECT;
    rq.cn = &s->conn[c];
    rq.body = (const char *)msg + sizeof(rq.hdr);
    rq.len = rq.hdr.len;
    dispatch(&rq);
    return XS_OK;
}
