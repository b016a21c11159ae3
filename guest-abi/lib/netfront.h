/*
 * The network frontend (spec/devices.md): up to NETFRONT_DEVS interfaces,
 * each with a transmit and a receive ring shared with dom0's bridge and
 * granted pages for each direction (DEV_NET_BUFS for interface 0,
 * DEV_NET_EXTRA_BUFS for the others), one frame per page. Interface k is
 * the k-th entry of the store's device/vif/ (DEV-35); the functions
 * without a number are interface 0's.
 */
#ifndef GUEST_NETFRONT_H
#define GUEST_NETFRONT_H

#include <stdint.h>

#include "pv/netif.h"
#include "ring.h"

/* Find our interface in the store (device/vif/), offer rings and buffers, post every
 * receive buffer, connect through the xenbus handshake (DEV-22): 0 or -errno. */
int netfront_open(void);
const uint8_t *netfront_mac(void);

#define NETFRONT_DEVS 4u    /* as many as a guest's configuration may give it (DEV-29) */

/* The same for interface k (0..NETFRONT_DEVS-1): -ENODEV if the store lists fewer. */
int netfront_open_dev(uint32_t k);
const uint8_t *netfront_mac_dev(uint32_t k);
int netfront_send_dev(uint32_t k, const void *frame, uint32_t len);
int netfront_recv_dev(uint32_t k, void *frame, uint32_t cap, uint64_t timeout_ns);
int netfront_flush_dev(uint32_t k, uint64_t timeout_ns);
uint32_t netfront_tx_dropped_dev(uint32_t k);

/*
 * Queue one Ethernet frame (14..1514 bytes, ours to choose) for sending,
 * waiting for a free buffer if all are in flight: 0 or -errno.
 */
int netfront_send(const void *frame, uint32_t len);

/* For the hostile-frontend tests: queue a request as is (no copy). */
int netfront_send_raw(const struct netif_tx_request *req);
struct ring_front *netfront_tx_ring(void);
uint32_t netfront_port(void);

/* Wait up to timeout_ns for one frame: its length, or -ETIMEDOUT / -EIO. */
int netfront_recv(void *frame, uint32_t cap, uint64_t timeout_ns);

/* Wait until every transmit request has its response: 0 or -ETIMEDOUT / -EIO. */
int netfront_flush(uint64_t timeout_ns);

/* Transmit responses seen, and how many said the frame was not sent. */
void netfront_tx_stats(uint32_t *done, uint32_t *failed);
/* Of those, how many the bridge refused (NETIF_RSP_DROPPED: spec/devices.md DEV-7). */
uint32_t netfront_tx_dropped(void);

#endif
