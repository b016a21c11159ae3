/*
 * The backend's half of the xenbus handshake (spec/devices.md DEV-20..):
 * what a backend does when its frontend's `state` changes, and how it
 * reads the numbers a frontend publishes. Pure: no store, no hypercall,
 * so the unit tests run exactly the decisions the backends make.
 */
#ifndef DOM0_XB_STATE_H
#define DOM0_XB_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "pv/xenbus.h"

/* The only ring protocol a frontend may name (Xen's XEN_IO_PROTO_ABI_X86_32). */
#define XB_PROTOCOL_NATIVE "x86_32-abi"

/* A frontend state value that is a number but no state we know (a fatal error, as Xen's). */
#define XB_FE_BAD 0xFFFFFFFFu

enum xb_action {
    XB_NONE,            /* nothing to do */
    XB_CONNECT,         /* read the frontend's keys, map and bind; Connected, or Closing on failure */
    XB_DISCONNECT,      /* unbind and unmap (if connected), then switch to `next` */
    XB_REINIT,          /* a closed device the frontend reopens: switch to InitWait */
};

struct xb_step {
    enum xb_action action;
    uint32_t next;      /* the backend's state after it (unchanged for XB_NONE) */
};

/*
 * The value of a frontend's `state` node (len bytes, not terminated;
 * missing: has == false) as a state: missing or not a number reads as
 * XenbusStateUnknown (as Xen's xenbus_read_driver_state), a number above
 * XenbusStateReconfigured as XB_FE_BAD.
 */
uint32_t xb_fe_state(bool has, const char *val, uint32_t len);

/* DEV-21: the backend's step for frontend state fe while it is in state be. */
struct xb_step xb_backend_step(uint32_t be, uint32_t fe);

/*
 * DEV-22: a number a frontend published: 1..10 decimal digits, no sign,
 * no space, no leading zero (but "0"), at most max. False otherwise.
 */
bool xb_parse_u32(const char *val, uint32_t len, uint32_t max, uint32_t *out);

#endif
