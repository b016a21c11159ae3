/*
 * What the runtime's split-device frontends share (spec/devices.md): the
 * grant refs they choose for their shared pages (any free refs would do:
 * they publish them in the store, DEV-22, and the backend reads them
 * there), and the MAC text format of the store's `mac` keys.
 */
#ifndef GUEST_DEVICES_H
#define GUEST_DEVICES_H

#include <stdbool.h>
#include <stdint.h>

/* DEV-3: the runtime frontends' grant refs (below them: GNTTAB_NR_RESERVED_ENTRIES). */
#define DEV_REF_BLK_RING   8u
#define DEV_REF_NET_TX     9u
#define DEV_REF_NET_RX    10u
#define DEV_REF_BLK_DATA  16u    /* 16..31: block data pages */
#define DEV_REF_NET_TXBUF 32u    /* 32..95: net send buffers */
#define DEV_REF_NET_RXBUF 96u    /* 96..159: net receive buffers */
#define DEV_NET_BUFS      64u
/* DEV-35: the second to fourth disk and interface of a guest (device 0 keeps the refs above) */
#define DEV_REF_BLK_EXTRA 160u   /* 160..165: ring, data page of disks 1..3 */
#define DEV_REF_NET_EXTRA 168u   /* 168..: tx ring, rx ring, then the buffers, per interface */
#define DEV_NET_EXTRA_BUFS 8u    /* send and receive buffers of interfaces 1..3, each */
#define DEV_REF_NET_EXTRA_EACH (2u + 2u * DEV_NET_EXTRA_BUFS)

/* Format a MAC as "xx:xx:xx:xx:xx:xx" (18 bytes with the NUL). */
void devices_format_mac(const uint8_t mac[6], char out[18]);
/* Parse one; false unless exactly six hex pairs. */
bool devices_parse_mac(const char *s, uint8_t mac[6], const char **end);

#endif
