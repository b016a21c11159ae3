/*
 * The xenstore ring page and message framing (Xen's io/xs_wire.h). The
 * page is start_info.store_mfn, notified through start_info.store_evtchn.
 *
 * Each direction is a 1 KiB byte ring carrying a stream of messages: a
 * 16-byte xsd_sockmsg header, then len payload bytes (NUL-separated
 * strings). A message may wrap around the ring and span several
 * notifications, so a reader reassembles it and rejects len above
 * XENSTORE_PAYLOAD_MAX before buffering anything.
 */
#ifndef PV_XS_WIRE_H
#define PV_XS_WIRE_H

#include "types.h"

/* xsd_sockmsg.type */
#define XS_CONTROL               0   /* once XS_DEBUG */
#define XS_DIRECTORY             1
#define XS_READ                  2
#define XS_GET_PERMS             3
#define XS_WATCH                 4
#define XS_UNWATCH               5
#define XS_TRANSACTION_START     6
#define XS_TRANSACTION_END       7
#define XS_INTRODUCE             8
#define XS_RELEASE               9
#define XS_GET_DOMAIN_PATH      10
#define XS_WRITE                11
#define XS_MKDIR                12
#define XS_RM                   13
#define XS_SET_PERMS            14
#define XS_WATCH_EVENT          15   /* daemon to client only */
#define XS_ERROR                16   /* daemon to client only; payload is an errno name */
#define XS_IS_DOMAIN_INTRODUCED 17
#define XS_RESUME               18
#define XS_SET_TARGET           19
/* 20 (XS_RESTRICT) was removed and is invalid. */
#define XS_RESET_WATCHES        21
#define XS_DIRECTORY_PART       22   /* optional */
#define XS_GET_FEATURE          23   /* optional */
#define XS_SET_FEATURE          24   /* optional */
#define XS_GET_QUOTA            25   /* optional */
#define XS_SET_QUOTA            26   /* optional */
#define XS_INVALID              0xFFFFu

/* Order of the two strings in an XS_WATCH_EVENT payload. */
#define XS_WATCH_PATH  0
#define XS_WATCH_TOKEN 1

#define XENSTORE_PAYLOAD_MAX  4096u  /* a larger len is a protocol violation */
#define XENSTORE_ABS_PATH_MAX 3072u
#define XENSTORE_REL_PATH_MAX 2048u

struct xsd_sockmsg {
    uint32_t type;                /* XS_* */
    uint32_t req_id;              /* echoed in the reply */
    uint32_t tx_id;               /* transaction, 0 for none */
    uint32_t len;                 /* payload bytes that follow */
};
PV_ABI_SIZE(struct xsd_sockmsg, 16);
PV_ABI_OFFSET(struct xsd_sockmsg, type, 0);
PV_ABI_OFFSET(struct xsd_sockmsg, req_id, 4);
PV_ABI_OFFSET(struct xsd_sockmsg, tx_id, 8);
PV_ABI_OFFSET(struct xsd_sockmsg, len, 12);

typedef uint32_t XENSTORE_RING_IDX;
#define XENSTORE_RING_SIZE 1024u
#define MASK_XENSTORE_IDX(idx) ((XENSTORE_RING_IDX)(idx) & (XENSTORE_RING_SIZE - 1u))

/* server_features */
#define XENSTORE_SERVER_FEATURE_RECONNECTION 1u
#define XENSTORE_SERVER_FEATURE_ERROR        2u

/* connection */
#define XENSTORE_CONNECTED 0
#define XENSTORE_RECONNECT 1

/* error */
#define XENSTORE_ERROR_NONE    0
#define XENSTORE_ERROR_COMM    1
#define XENSTORE_ERROR_RINGIDX 2
#define XENSTORE_ERROR_PROTO   3

/* Fields after rsp_prod are absent in Xen 4.2 (page contents were zero). */
struct xenstore_domain_interface {
    char              req[XENSTORE_RING_SIZE];  /* guest writes, daemon reads */
    char              rsp[XENSTORE_RING_SIZE];  /* daemon writes, guest reads */
    XENSTORE_RING_IDX req_cons;                 /* daemon */
    XENSTORE_RING_IDX req_prod;                 /* guest */
    XENSTORE_RING_IDX rsp_cons;                 /* guest */
    XENSTORE_RING_IDX rsp_prod;                 /* daemon */
    uint32_t          server_features;          /* daemon: XENSTORE_SERVER_FEATURE_* */
    uint32_t          connection;               /* XENSTORE_CONNECTED / _RECONNECT */
    uint32_t          error;                    /* daemon: XENSTORE_ERROR_* */
    uint32_t          evtchn_port;              /* newer Xen */
};
PV_ABI_OFFSET(struct xenstore_domain_interface, req, 0);
PV_ABI_OFFSET(struct xenstore_domain_interface, rsp, 1024);
PV_ABI_OFFSET(struct xenstore_domain_interface, req_cons, 2048);
PV_ABI_OFFSET(struct xenstore_domain_interface, req_prod, 2052);
PV_ABI_OFFSET(struct xenstore_domain_interface, rsp_cons, 2056);
PV_ABI_OFFSET(struct xenstore_domain_interface, rsp_prod, 2060);
PV_ABI_OFFSET(struct xenstore_domain_interface, server_features, 2064);
PV_ABI_OFFSET(struct xenstore_domain_interface, connection, 2068);
PV_ABI_OFFSET(struct xenstore_domain_interface, error, 2072);
PV_ABI_OFFSET(struct xenstore_domain_interface, evtchn_port, 2076);

#endif
