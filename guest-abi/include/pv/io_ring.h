/*
 * Layout of a shared request/response ring page (Xen's io/ring.h) as
 * plain constants and one header struct.
 *
 * The page is a 64-byte header followed by an array of slots, each slot
 * the union of one request and one response of the protocol using it.
 * Indices are free-running 32-bit counters; a slot is `idx & (size - 1)`
 * with size the largest power of two not above
 * (page size - RING_HEADER_SIZE) / slot size.
 *
 * The peers do not trust each other: a consumer reads the producer index
 * once, checks that the unconsumed count is at most the ring size, issues
 * a read barrier, and copies each slot to private memory before looking
 * at it. Ring operations are functions over this struct (guest-abi/lib,
 * hv/core), not type-generating macros.
 */
#ifndef PV_IO_RING_H
#define PV_IO_RING_H

#include "types.h"

typedef uint32_t RING_IDX;

#define RING_HEADER_SIZE  64u
#define RING_ENTRIES_OFFSET RING_HEADER_SIZE

/*
 * One writer per field. A producer notifies its peer after publishing
 * old -> new only if the peer's *_event lies in (old, new], i.e.
 * (RING_IDX)(new - event) < (RING_IDX)(new - old), tested after a full
 * barrier; a consumer about to sleep sets *_event to cons + 1 and looks
 * again.
 */
struct ring_shared_header {
    RING_IDX req_prod;            /* frontend: requests published */
    RING_IDX req_event;           /* backend: notify me when req_prod passes this */
    RING_IDX rsp_prod;            /* backend: responses published */
    RING_IDX rsp_event;           /* frontend: notify me when rsp_prod passes this */
    uint8_t  pvt[4];              /* protocol-specific (e.g. netif flags) */
    uint8_t  pad[44];
};
PV_ABI_SIZE(struct ring_shared_header, 64);
PV_ABI_OFFSET(struct ring_shared_header, req_prod, 0);
PV_ABI_OFFSET(struct ring_shared_header, req_event, 4);
PV_ABI_OFFSET(struct ring_shared_header, rsp_prod, 8);
PV_ABI_OFFSET(struct ring_shared_header, rsp_event, 12);
PV_ABI_OFFSET(struct ring_shared_header, pvt, 16);
PV_ABI_OFFSET(struct ring_shared_header, pad, 20);
_Static_assert(sizeof(struct ring_shared_header) == RING_ENTRIES_OFFSET,
               "slots start right after the header");

#endif
