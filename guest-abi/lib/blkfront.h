/*
 * The block frontend (spec/devices.md): up to BLKFRONT_DEVS disks, each
 * reached through a ring shared with dom0's backend and one granted data
 * page, one request in flight at a time. Disk k is the k-th entry of the
 * store's device/vbd/ (DEV-35); the functions without a number are disk 0's.
 */
#ifndef GUEST_BLKFRONT_H
#define GUEST_BLKFRONT_H

#include <stdint.h>

#include "pv/blkif.h"
#include "ring.h"

/*
 * Find our disk in the store (device/vbd/), offer the ring and data
 * pages, and connect through the xenbus handshake (DEV-22): 0 or -errno.
 * After blkfront_close, opens it again (the backend serves it again).
 */
int blkfront_open(void);

#define BLKFRONT_DEVS 4u    /* as many as a guest's configuration may give it (DEV-29) */

/* The same for disk k (0..BLKFRONT_DEVS-1): -ENODEV if the store lists fewer. */
int blkfront_open_dev(uint32_t k);
int blkfront_close_dev(uint32_t k);
uint32_t blkfront_sectors_dev(uint32_t k);
int blkfront_io_dev(uint32_t k, uint8_t op, uint64_t sector, uint32_t nr, void *buf);
/* Close through the handshake (Closing, Closed) and take the pages back: 0 or -errno. */
int blkfront_close(void);
uint32_t blkfront_sectors(void);

/*
 * Read or write nr (1..8) sectors from `sector` to/from buf: the
 * backend's BLKIF_RSP_* status, or -errno if it did not answer.
 */
int blkfront_io(uint8_t op, uint64_t sector, uint32_t nr, void *buf);

/*
 * For the hostile-frontend tests: send `req` as is (its segments may
 * name any ref) and return the response's status, or -errno.
 */
int blkfront_raw(const struct blkif_request *req);
/* The ring itself, to misbehave on. */
struct ring_front *blkfront_ring(void);
uint32_t blkfront_port(void);
/* Its xenbus end, to misbehave on. */
struct xbfront *blkfront_xenbus(void);

#endif
