/*
 * The block device protocol (Xen's io/blkif.h, x86_32 layout): requests
 * and responses carried in the slots of a shared ring (io_ring.h).
 *
 * A request names up to BLKIF_MAX_SEGMENTS_PER_REQUEST granted pages
 * and, in each, the 512-byte sectors first_sect..last_sect (0..7) it
 * covers; the sectors of all segments follow each other on the disk from
 * sector_number. The backend answers every request it takes exactly once
 * with the request's id and a status.
 */
#ifndef PV_BLKIF_H
#define PV_BLKIF_H

#include "types.h"

#include "grant_table.h"

#define BLKIF_OP_READ   0
#define BLKIF_OP_WRITE  1

#define BLKIF_RSP_EOPNOTSUPP (-2)
#define BLKIF_RSP_ERROR      (-1)
#define BLKIF_RSP_OKAY         0

#define BLKIF_MAX_SEGMENTS_PER_REQUEST 11
#define BLKIF_SECTOR_SIZE 512u

struct blkif_request_segment {
    grant_ref_t gref;             /* a page of the frontend, granted to the backend */
    uint8_t     first_sect;       /* first and last sector used in that page */
    uint8_t     last_sect;
    uint16_t    pad;
};
PV_ABI_SIZE(struct blkif_request_segment, 8);

struct blkif_request {
    uint8_t  operation;           /* BLKIF_OP_* */
    uint8_t  nr_segments;         /* 1..BLKIF_MAX_SEGMENTS_PER_REQUEST */
    uint16_t handle;              /* the device (only 0 here) */
    pv_u64   id;                  /* echoed in the response */
    pv_u64   sector_number;       /* first sector on the disk */
    struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};
PV_ABI_SIZE(struct blkif_request, 108);
PV_ABI_OFFSET(struct blkif_request, id, 4);
PV_ABI_OFFSET(struct blkif_request, sector_number, 12);
PV_ABI_OFFSET(struct blkif_request, seg, 20);

struct blkif_response {
    pv_u64   id;
    uint8_t  operation;
    uint8_t  pad;
    int16_t  status;              /* BLKIF_RSP_* */
};
PV_ABI_SIZE(struct blkif_response, 12);

/* One ring slot holds either. */
union blkif_sring_entry {
    struct blkif_request req;
    struct blkif_response rsp;
};

#endif
