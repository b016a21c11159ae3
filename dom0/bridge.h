/*
 * The bridge's forwarding policy (spec/devices.md, DEV-7, DEV-11..13):
 * which frames a port may send and where each one goes. Pure: the port
 * table and the time are passed in, nothing here touches a ring or a
 * hypercall (back_net.c moves the frames), so tests/unit/test_bridge.c
 * runs exactly this code.
 *
 * Theory of operation. A port is one network interface of a guest, and its
 * configured MAC is kept in the port itself: attaching an interface never
 * depends on free space in a shared table, and nothing a guest sends adds
 * to the bridge's state. So:
 *
 *   DEV-11  a frame is taken only if its source is its own port's
 *           configured MAC; there is no learning, hence no address table
 *           to exhaust, age or move between ports;
 *   DEV-12  a unicast frame goes to the one connected port configured with
 *           its destination, or nowhere: unicast is never flooded, so no
 *           port ever receives a frame addressed to another station;
 *   DEV-13  a broadcast or multicast frame goes to every other connected
 *           port, within a budget per sending guest (its ports share
 *           one: bridge_share_budget; a generic cell-rate
 *           rule: one frame per BRIDGE_FLOOD_INTERVAL_NS, bursts of up to
 *           BRIDGE_FLOOD_BURST), so one guest cannot fill the others'
 *           receive buffers.
 *
 * Invariant: no two attached ports have the same MAC, and no attached
 * port has a group (multicast) MAC; bridge_attach refuses both.
 */
#ifndef DOM0_BRIDGE_H
#define DOM0_BRIDGE_H

#include <stdbool.h>
#include <stdint.h>

#define BRIDGE_PORTS             512u           /* one per interface (DEV-33) */
#define BRIDGE_FLOOD_INTERVAL_NS 5000000ull     /* 200 floods a second ... */
#define BRIDGE_FLOOD_BURST       32u            /* ... after a burst of 32 */

struct bridge_port {
    bool attached;              /* has a configured MAC */
    bool connected;             /* rings mapped and sane: it can receive */
    uint8_t mac[6];
    uint64_t flood_tat_ns;      /* DEV-13: when the next flood is due at the steady rate */
    uint32_t payer;             /* DEV-13: the port whose budget its floods use (itself, or
                                 * its guest's first interface) */
};

struct bridge {
    struct bridge_port port[BRIDGE_PORTS];
};

enum bridge_verdict {
    BRIDGE_UNICAST,     /* to the one port *to */
    BRIDGE_FLOOD,       /* to every other connected port */
    BRIDGE_SPOOFED,     /* DEV-11: the source is not the port's configured MAC */
    BRIDGE_NO_DEST,     /* DEV-12: unicast for no other connected port */
    BRIDGE_LIMITED,     /* DEV-13: over the port's flood budget */
};

/*
 * Give port `p` its configured MAC. 0; -EINVAL for a port out of range or
 * already attached, or a group MAC; -EEXIST if another port has that MAC.
 */
int bridge_attach(struct bridge *b, uint32_t p, const uint8_t mac[6]);
/*
 * DEV-13, DEV-33: port `p` charges its floods to port `payer`'s budget
 * (its guest's first interface: one budget per guest, whatever number of
 * interfaces it has). 0; -EINVAL if either is out of range or not
 * attached. Detaching the payer gives p its own budget again.
 */
int bridge_share_budget(struct bridge *b, uint32_t p, uint32_t payer);
/* Forget port `p` (out of range: nothing). */
void bridge_detach(struct bridge *b, uint32_t p);
/* Port `p` can (or can no longer) receive. */
void bridge_set_connected(struct bridge *b, uint32_t p, bool connected);

/*
 * Where the frame whose Ethernet header is `hdr` (destination, then
 * source: 12 bytes) goes when port `from` sends it at `now_ns`. A flood
 * within budget is charged to the sender's budget; nothing else changes.
 * `*to` is set for BRIDGE_UNICAST only.
 */
enum bridge_verdict bridge_route(struct bridge *b, uint32_t from, const uint8_t hdr[12],
                                 uint64_t now_ns, uint32_t *to);

/* May port `p` receive now (attached and connected)? */
bool bridge_can_receive(const struct bridge *b, uint32_t p);

/*
 * May port `p` still receive a unicast frame for `dst` (a frame held back
 * while its destination had no buffer: the port may have been detached
 * and given to another guest meanwhile)?
 */
bool bridge_still_for(const struct bridge *b, uint32_t p, const uint8_t dst[6]);

#endif
