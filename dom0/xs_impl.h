/*
 * The xenstore's internal interfaces, shared by its files (xs_*.c), each
 * of one concept: the byte pool (xs_heap), path rules (xs_path),
 * permissions (xs_perm), node records and transaction views (xs_node),
 * transactions (xs_tx), watches (xs_watch), output framing (xs_out), the
 * operations (xs_ops) and the request dispatch (xs_dispatch). Functions
 * that can fail return 0 or a positive Xen errno, which the dispatcher
 * turns into an XS_ERROR reply.
 */
#ifndef DOM0_XS_IMPL_H
#define DOM0_XS_IMPL_H

#include "pv/errno.h"
#include "string.h"
#include "xs.h"

/* One request in progress. */
struct xs_req {
    struct xs_store *s;
    uint32_t c;                 /* connection handle */
    struct xs_conn *cn;
    struct xsd_sockmsg hdr;     /* copied once from the message */
    const char *body;           /* payload, hdr.len bytes */
    uint32_t len;
    uint32_t tx;                /* transaction slot + 1, 0 for none */
};

/* xs_heap.c */
uint32_t xs_heap_alloc(struct xs_heap *h, uint32_t len);
void xs_heap_free(struct xs_heap *h, uint32_t off, uint32_t len);
uint32_t xs_heap_units(uint32_t len);
static inline char *xs_at(struct xs_store *s, uint32_t off)
{
    return (char *)&s->heap.bytes[off];
}

/* xs_path.c (XS-5) */
bool xs_path_valid(const struct xs_conn *cn, const struct xs_quota *q, const char *path,
                   uint32_t len, bool allow_special);
int xs_canonical(const struct xs_conn *cn, const char *in, uint32_t in_len, char *out,
                 uint32_t *out_len);
uint32_t xs_path_hash(const char *path, uint32_t len);
uint32_t xs_parent_len(const char *path, uint32_t len);
bool xs_is_child(const char *child, uint32_t clen, const char *parent, uint32_t plen);

/* xs_perm.c (XS-4) */
uint32_t xs_perm_for(const struct xs_conn *cn, const struct xs_perm *p, uint32_t n);
int xs_perm_parse(const char *str, uint32_t len, struct xs_perm *out);
uint32_t xs_perm_format(const struct xs_perm *p, char *out);

/* xs_node.c: records, memory, views */
int xs_mem_take(struct xs_store *s, const struct xs_conn *cn, uint32_t len, uint32_t *off);
void xs_mem_drop(struct xs_store *s, uint16_t domid, uint32_t off, uint32_t len);
uint32_t xs_find(const struct xs_store *s, uint32_t tx, const char *path, uint32_t len);
void xs_rec_free(struct xs_store *s, uint32_t r);
int xs_lookup(struct xs_req *rq, const char *path, uint32_t len, uint32_t *rec);
int xs_get_node(struct xs_req *rq, const char *path, uint32_t len, uint32_t want, uint32_t *rec);
int xs_create(struct xs_req *rq, const char *path, uint32_t len, const char *data,
              uint32_t data_len, uint32_t *rec);
int xs_make_root(struct xs_store *s);
int xs_set_value(struct xs_req *rq, uint32_t rec, const char *data, uint32_t len);
int xs_remove(struct xs_req *rq, const char *path, uint32_t len, uint32_t rec);
int xs_set_perms(struct xs_req *rq, uint32_t rec, const struct xs_perm *p, uint32_t n);
/* The child list's length; bytes [skip, skip + max) of it are copied to out (if not NULL). */
uint32_t xs_children(struct xs_req *rq, const char *path, uint32_t len, uint32_t skip,
                     char *out, uint32_t max);
uint32_t xs_record_size(struct xs_req *rq, uint32_t rec, uint32_t data_len, uint32_t nperms);
void xs_mark_changed(struct xs_req *rq, uint32_t rec, const char *path, uint32_t len,
                     bool exact);

/* xs_tx.c (XS-9) */
int xs_tx_lookup(const struct xs_store *s, uint32_t c, uint32_t id, uint32_t *slot);
int xs_tx_start(struct xs_req *rq);
int xs_tx_end(struct xs_req *rq);
void xs_tx_drop_conn(struct xs_store *s, uint32_t c);

/* xs_watch.c (XS-8) */
int xs_watch_add(struct xs_req *rq);
int xs_watch_remove(struct xs_req *rq);
void xs_watch_drop_conn(struct xs_store *s, uint32_t c);
void xs_fire(struct xs_store *s, const char *path, uint32_t len, bool exact,
             const struct xs_perm *old, uint32_t nold, const struct xs_perm *cur, uint32_t ncur);

/* xs_out.c (XS-2, XS-3) */
bool xs_out_put(struct xs_store *s, uint32_t c, uint32_t type, uint32_t req_id, uint32_t tx_id,
                const void *payload, uint32_t len);
void xs_reply(struct xs_req *rq, uint32_t type, const void *payload, uint32_t len);
void xs_reply_ok(struct xs_req *rq);
void xs_reply_error(struct xs_req *rq, int err);

/* xs_ops.c: one function per message type; 0 when replied, else an errno */
int xs_op_read(struct xs_req *rq);
int xs_op_write(struct xs_req *rq);
int xs_op_mkdir(struct xs_req *rq);
int xs_op_rm(struct xs_req *rq);
int xs_op_directory(struct xs_req *rq);
int xs_op_directory_part(struct xs_req *rq);
int xs_op_get_perms(struct xs_req *rq);
int xs_op_set_perms(struct xs_req *rq);
int xs_op_get_domain_path(struct xs_req *rq);
int xs_op_reset_watches(struct xs_req *rq);

/* The payload's NUL-terminated strings: how many, and the one at index i. */
uint32_t xs_count_strings(const char *body, uint32_t len);
const char *xs_onearg(const struct xs_req *rq, uint32_t *len);
/* v in decimal and a NUL; returns the bytes written (at most 11). */
uint32_t xs_format_u32(uint32_t v, char *out);
uint32_t xs_format_u64(uint64_t v, char *out);

#endif
