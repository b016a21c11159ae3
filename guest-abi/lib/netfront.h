/*
 * The network frontend (spec/devices.md): one interface with a transmit
 * and a receive ring shared with dom0's bridge, DEV_NET_BUFS granted
 * pages for each direction, one frame per page.
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
