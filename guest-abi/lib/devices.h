/*
 * Where a guest finds its split devices (spec/devices.md). There is no
 * xenstore: the domain builder appends one token per device to the
 * guest's command line, and the grant refs a frontend offers its ring
 * pages under are fixed, so the backend knows where to look once the
 * frontend kicks the device's event channel.
 *
 *   vbd=<port>,<sectors>     block device: event channel, disk size
 *   vif=<port>,<mac>         network interface: event channel, MAC
 *                            (six hex bytes separated by ':')
 *
 * The console needs no token: start_info names its page and port, and
 * the builder has granted the page to dom0 as ref 0 (as Xen's toolstack
 * does).
 */
#ifndef GUEST_DEVICES_H
#define GUEST_DEVICES_H

#include <stdbool.h>
#include <stdint.h>

/* Grant refs of the frontends' shared pages (below them: GNTTAB_NR_RESERVED_ENTRIES). */
#define DEV_REF_BLK_RING   8u
#define DEV_REF_NET_TX     9u
#define DEV_REF_NET_RX    10u
#define DEV_REF_BLK_DATA  16u    /* 16..31: block data pages */
#define DEV_REF_NET_TXBUF 32u    /* 32..95: net send buffers */
#define DEV_REF_NET_RXBUF 96u    /* 96..159: net receive buffers */
#define DEV_NET_BUFS      64u

struct vbd_params {
    uint32_t port;
    uint32_t sectors;
};

struct vif_params {
    uint32_t port;
    uint8_t mac[6];
};

/* Parse the token from a command line; false if absent or malformed. */
bool devices_find_vbd(const char *cmdline, struct vbd_params *p);
bool devices_find_vif(const char *cmdline, struct vif_params *p);

/* Format a MAC as "xx:xx:xx:xx:xx:xx" (18 bytes with the NUL). */
void devices_format_mac(const uint8_t mac[6], char out[18]);
/* Parse one; false unless exactly six hex pairs. */
bool devices_parse_mac(const char *s, uint8_t mac[6], const char **end);

#endif
