/*
 * The network device protocol (Xen's io/netif.h, x86_32 layout, the
 * basic subset): two rings per interface, one page each.
 *
 *   tx: the frontend posts a request per frame to send (a granted page,
 *       offset and size); the backend answers with the request's id.
 *   rx: the frontend posts empty granted pages; the backend fills one
 *       per received frame and answers with its id, offset and size.
 *
 * Frames are Ethernet frames (14-byte header, no FCS) of 14..1514 bytes,
 * one per request (no fragments; checksum offload hints passed on).
 */
#ifndef PV_NETIF_H
#define PV_NETIF_H

#include "types.h"

#include "grant_table.h"

#define NETIF_RSP_DROPPED (-2)
#define NETIF_RSP_ERROR   (-1)
#define NETIF_RSP_OKAY      0

/* netif_tx_request.flags (Xen's NETTXF_*): of these, the backend takes the
 * checksum hints alone (spec/devices.md DEV-7) */
#define NETTXF_csum_blank     (1u << 0)   /* the L4 checksum is only the pseudo-header's */
#define NETTXF_data_validated (1u << 1)   /* the checksum need not be verified */
#define NETTXF_more_data      (1u << 2)   /* fragments: not offered */
#define NETTXF_extra_info     (1u << 3)   /* extra-info slots: not offered */

/* netif_rx_response.flags (Xen's NETRXF_*) */
#define NETRXF_data_validated (1u << 0)
#define NETRXF_csum_blank     (1u << 1)
#define NETRXF_more_data      (1u << 2)
#define NETRXF_extra_info     (1u << 3)

#define NETIF_ETH_HLEN    14u
#define NETIF_MAX_FRAME   1514u
#define NETIF_ETH_ALEN    6u

struct netif_tx_request {
    grant_ref_t gref;
    uint16_t    offset;           /* of the frame in the granted page */
    uint16_t    flags;            /* must be 0 (no fragments, no offloads) */
    uint16_t    id;
    uint16_t    size;             /* bytes of the frame */
};
PV_ABI_SIZE(struct netif_tx_request, 12);

struct netif_tx_response {
    uint16_t id;
    int16_t  status;              /* NETIF_RSP_* */
};
PV_ABI_SIZE(struct netif_tx_response, 4);

struct netif_rx_request {
    uint16_t    id;
    uint16_t    pad;
    grant_ref_t gref;             /* an empty page for one received frame */
};
PV_ABI_SIZE(struct netif_rx_request, 8);

struct netif_rx_response {
    uint16_t id;
    uint16_t offset;              /* where the frame starts in the page */
    uint16_t flags;
    int16_t  status;              /* > 0: frame size; < 0: NETIF_RSP_* */
};
PV_ABI_SIZE(struct netif_rx_response, 8);

union netif_tx_sring_entry {
    struct netif_tx_request req;
    struct netif_tx_response rsp;
};

union netif_rx_sring_entry {
    struct netif_rx_request req;
    struct netif_rx_response rsp;
};

#endif
