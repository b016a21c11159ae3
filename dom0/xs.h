/*
 * dom0's xenstore: the store, its connections and the wire protocol of
 * Xen's xs_wire.h (spec/xenstore.md, XS-1 ..). Pure: all state is one
 * struct xs_store passed in, every record comes from a fixed pool inside
 * it, and nothing here touches a ring, a page or a hypercall (the ring
 * consumer feeds whole messages in and drains the replies out), so the
 * unit tests run exactly this code.
 *
 * Theory of operation. The store is a tree of nodes named by absolute
 * paths ("/local/domain/5/device"), each with a value (bytes, not
 * NUL-terminated) and a permission list whose first entry names the owner
 * and the default access, as Xen's C xenstored keeps them. A connection
 * is one domain's channel to the store; dom0's is privileged and sees and
 * changes everything (XS-4). Every request is checked completely before
 * it changes anything (decode, then commit), and a request that fails
 * answers an XS_ERROR whose payload is Xen's errno name (XS-2).
 *
 * A transaction never changes the committed store before it ends: its
 * first access to a path copies that node (or records that it is absent)
 * with the committed generation it saw; its reads and writes use the
 * copies; TRANSACTION_END "T" commits only if no committed node it
 * touched changed generation meanwhile, else EAGAIN (XS-9). Commit moves
 * the copies into the store without allocating, so it cannot fail half
 * way.
 *
 * Resources: a guest is held to Xen's default quotas (XS-6: nodes, node
 * size, watches, transactions, permissions per node, nodes per
 * transaction, path length, outstanding requests) and to a memory budget
 * of its own, and it may never take the last XS_RESERVE_DIV-th part of
 * any pool, so dom0's requests always find room (XS-7).
 */
#ifndef DOM0_XS_H
#define DOM0_XS_H

#include <stdbool.h>
#include <stdint.h>

#include "pv/xs_wire.h"

/* Pools (sized for every guest slot; dom0 has 64 MiB by default). */
#define XS_HEAP_SIZE    (6u << 20)      /* bytes for paths, values, tokens */
#define XS_HEAP_UNIT    16u
#define XS_HEAP_UNITS   (XS_HEAP_SIZE / XS_HEAP_UNIT)
/* node records, committed and transaction copies: about 90 per guest with a
 * console, a disk and an interface (DEV-20), for every guest slot */
#define XS_NODES        32768u
#define XS_BUCKETS      8192u           /* path hash index over the records */
#define XS_WATCHES      8192u           /* the last eighth: dom0's device watches */
/*
 * Watches dom0 may need at once: one on each device's frontend state
 * (DEV-21), and every device takes at least one of dom0's grant maps, so
 * at most BACKEND_MAP_BUDGET of them (DEV-34; backend.c checks it).
 */
#define XS_DOM0_WATCHES 1024u
#define XS_TXS          512u
#define XS_CONNS        256u            /* dom0 and one per guest slot */
#define XS_OUTQ_SIZE    16384u          /* queued replies and events per connection */
#define XS_MSG_MAX      (16u + XENSTORE_PAYLOAD_MAX)  /* the longest message */
#define XS_RESERVE_DIV  8u              /* a guest leaves 1/8 of each pool free (XS-7) */
_Static_assert(XS_WATCHES / XS_RESERVE_DIV >= XS_DOM0_WATCHES, "guests leave dom0 its watches");
#define XS_PERMS_MAX    16u             /* permission entries kept per node */
#define XS_DOMIDS       65536u          /* accounting for every 16-bit domid */

#define XS_NONE         0xFFFFFFFFu     /* no record / no heap block */
#define XS_NO_GEN       0xFFFFFFFFFFFFFFFFull  /* the node did not exist */

/* Permission bits (XS_PERM_OWNER is computed, never stored). */
#define XS_PERM_NONE    0u
#define XS_PERM_READ    1u
#define XS_PERM_WRITE   2u
#define XS_PERM_OWNER   4u

/* Xen's C xenstored defaults (XS-6); Bulkhead adds the memory budget. */
struct xs_quota {
    uint32_t nodes;             /* 1000 nodes owned per domain: ENOSPC */
    uint32_t node_size;         /* 2048: a node's record may not reach it: ENOSPC */
    uint32_t watches;           /* 128 per domain: ENOSPC */
    uint32_t transactions;      /* 10 open per domain: ENOSPC */
    uint32_t perms;             /* 5 entries per node set by a guest: ENOSPC */
    uint32_t tx_nodes;          /* 1024 nodes touched per transaction: ENOSPC */
    uint32_t path_len;          /* 2048 bytes below /local/domain/<id>/: EINVAL */
    uint32_t outstanding;       /* 20 replies queued before its ring is read again */
    uint32_t memory;            /* 128 KiB of the heap per guest: ENOMEM */
};

struct xs_perm {
    uint16_t domid;
    uint8_t perm;               /* XS_PERM_READ | XS_PERM_WRITE */
    uint8_t pad;
};

/* Node record flags. */
#define XS_NF_DELETED   1u      /* transaction copy: the node is absent in this view */
#define XS_NF_MODIFIED  2u      /* transaction copy: commit writes it back */
#define XS_NF_FIRE      4u      /* transaction copy: commit fires its watches */
#define XS_NF_EXACT     8u      /* ... only watches on exactly this path (a removed child) */

struct xs_node {
    uint8_t used;
    uint8_t flags;              /* XS_NF_* (transaction copies only) */
    uint8_t nperms;             /* 1 .. XS_PERMS_MAX */
    uint8_t old_nperms;         /* transaction copy: perms when first touched */
    uint16_t tx;                /* 0: committed; else transaction slot + 1 */
    uint16_t charged;           /* domain whose memory budget holds the path's block */
    uint16_t data_charged;      /* ... and the value's block */
    uint16_t pad;
    uint32_t hash;
    uint32_t path;              /* heap: the absolute path, NUL-terminated */
    uint32_t path_len;
    uint32_t data;              /* heap: the value (XS_NONE when empty) */
    uint32_t data_len;
    uint64_t generation;        /* committed: changes on every write */
    uint64_t base_gen;          /* transaction copy: committed generation seen (XS_NO_GEN) */
    struct xs_perm perms[XS_PERMS_MAX];
    struct xs_perm old_perms[XS_PERMS_MAX];
};

struct xs_tx {
    uint8_t used;
    uint8_t failed;             /* a change could not be completed: commit answers ENOMEM */
    uint16_t conn;
    uint32_t id;                /* the guest's transaction id, never 0 */
    uint32_t nodes;             /* copies it holds */
    int32_t net_nodes;          /* nodes it adds (created - removed) */
};

struct xs_watch {
    uint8_t used;
    uint8_t pad;
    uint16_t conn;
    uint32_t prefix_len;        /* relative watch: bytes of home + '/' cut from event paths */
    uint32_t path, path_len;    /* heap: canonical path */
    uint32_t token, token_len;  /* heap */
};

struct xs_outq {
    uint8_t buf[XS_OUTQ_SIZE];
    uint32_t head, tail;        /* free-running: bytes taken / bytes queued */
    uint32_t msgs;              /* whole or partly untaken messages */
    uint32_t left;              /* bytes of the message at head not yet taken (0: at a header) */
};

struct xs_conn {
    uint8_t used;
    uint8_t priv;               /* dom0: sees and changes everything (XS-4) */
    uint16_t domid;
    uint32_t next_txid;
    uint32_t txs, watches;
    uint32_t dropped_events;    /* events its full queue could not take */
    char home[24];              /* "/local/domain/<id>" */
    uint32_t home_len;
    struct xs_outq out;
};

struct xs_acct {
    uint32_t nodes;             /* committed nodes it owns */
    uint32_t mem;               /* heap bytes charged to it */
};

struct xs_heap {
    uint8_t bytes[XS_HEAP_SIZE];
    uint32_t map[XS_HEAP_UNITS / 32u];  /* one bit per unit in use */
    uint32_t units_used;
};

/* Scratch space for one request (dom0 runs one request at a time). */
#define XS_PATH_BUF (XENSTORE_PAYLOAD_MAX + 32u)
struct xs_scratch {
    char path[XS_PATH_BUF];
    char path2[XS_PATH_BUF];
    char reply[XENSTORE_PAYLOAD_MAX + 1u];
    uint8_t event[XENSTORE_PAYLOAD_MAX + 1u];
};

struct xs_store {
    struct xs_quota quota;
    uint64_t generation;
    uint32_t nodes_used, watches_used, txs_used;
    uint32_t node_hint;         /* no free record below it */
    struct xs_heap heap;
    struct xs_node node[XS_NODES];
    /* Path index: records whose path hash is h chain from bucket[h % XS_BUCKETS];
     * both arrays hold record + 1, 0 ending a chain (so a zeroed store is empty) */
    uint32_t bucket[XS_BUCKETS];
    uint32_t next[XS_NODES];
    struct xs_watch watch[XS_WATCHES];
    struct xs_tx tx[XS_TXS];
    struct xs_conn conn[XS_CONNS];
    struct xs_acct acct[XS_DOMIDS];
    struct xs_scratch scratch;
};

/* Empty store with Xen's quotas and Xen's first nodes: /, /tool, /tool/xenstored. */
void xs_init(struct xs_store *s);

/*
 * Open domain `domid`'s connection (privileged: dom0's). Returns its
 * handle (>= 0); -EEXIST if that domain has one, -ENOSPC if none is free.
 */
int xs_conn_open(struct xs_store *s, uint16_t domid, bool priv);

/* Close it: its watches, transactions and queued output go (XS-11). */
void xs_conn_close(struct xs_store *s, uint32_t c);

/* May connection c hand in another request (XS-6 outstanding, and room for its reply)? */
bool xs_can_take(const struct xs_store *s, uint32_t c);

/* Result of xs_request. */
#define XS_OK          0
#define XS_DISCONNECT  1        /* a protocol violation: the caller drops the guest's ring (XS-3) */

/*
 * Process one whole message from connection c: the 16-byte header then
 * its payload, len bytes in all. The reply (and any watch events, to any
 * connection) are queued. XS_DISCONNECT when the message cannot be framed
 * (len other than 16 + hdr.len, or hdr.len above XENSTORE_PAYLOAD_MAX).
 */
int xs_request(struct xs_store *s, uint32_t c, const uint8_t *msg, uint32_t len);

/* Copy up to max queued output bytes of connection c into dst; returns how many. */
uint32_t xs_out_take(struct xs_store *s, uint32_t c, uint8_t *dst, uint32_t max);

/* Output bytes queued for connection c. */
uint32_t xs_out_pending(const struct xs_store *s, uint32_t c);

/*
 * Domain domid is gone (its connection closed first): no node grants it
 * anything any more, what it owned is dom0's, its charges are dom0's, so
 * a domain given its id later inherits nothing (XS-11, Xen's XSA-322).
 */
void xs_domain_gone(struct xs_store *s, uint16_t domid);

/*
 * A domain came or went: fire the watches on the special path name
 * ("@introduceDomain", "@releaseDomain"); only dom0's, as Xen's default
 * permissions on those paths allow.
 */
void xs_fire_special(struct xs_store *s, const char *name);

/*
 * dom0's own look at a committed node, without a request (its backends
 * read their frontends' keys this way, as the privileged connection may):
 * the value's length (up to max bytes copied to buf, not terminated), or
 * -ENOENT; *gen (if not NULL) gets its generation, XS_NO_GEN if absent.
 */
int xs_peek(const struct xs_store *s, const char *path, char *buf, uint32_t max, uint64_t *gen);

/* Xen's errno name for err (positive), "EINVAL" for one Xen does not name (XS-2). */
const char *xs_error_name(int err);

#endif
