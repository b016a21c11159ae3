/*
 * The PV console ring page (Xen's io/console.h): a byte stream in each
 * direction between a guest and its console backend. The page is
 * start_info.console.domU.mfn; notifications go through
 * start_info.console.domU.evtchn.
 *
 * Indices are free-running 32-bit counters masked with the buffer size.
 * Before reading, a consumer checks prod - cons <= the buffer size, since
 * the other side may write anything there.
 */
#ifndef PV_CONSOLE_RING_H
#define PV_CONSOLE_RING_H

#include "types.h"

typedef uint32_t XENCONS_RING_IDX;

#define XENCONS_IN_SIZE  1024u   /* our names for the two buffer sizes */
#define XENCONS_OUT_SIZE 2048u
#define MASK_XENCONS_IDX(idx, size) ((XENCONS_RING_IDX)(idx) & ((size) - 1u))

/* connection */
#define XENCONSOLE_CONNECTED    0
#define XENCONSOLE_DISCONNECTED 1

struct xencons_interface {
    char             in[XENCONS_IN_SIZE];    /* backend writes, guest reads */
    char             out[XENCONS_OUT_SIZE];  /* guest writes, backend reads */
    XENCONS_RING_IDX in_cons;                /* guest */
    XENCONS_RING_IDX in_prod;                /* backend */
    XENCONS_RING_IDX out_cons;               /* backend */
    XENCONS_RING_IDX out_prod;               /* guest */
    uint8_t          connection;             /* backend (newer Xen; older: absent) */
};
PV_ABI_OFFSET(struct xencons_interface, in, 0);
PV_ABI_OFFSET(struct xencons_interface, out, 1024);
PV_ABI_OFFSET(struct xencons_interface, in_cons, 3072);
PV_ABI_OFFSET(struct xencons_interface, in_prod, 3076);
PV_ABI_OFFSET(struct xencons_interface, out_cons, 3080);
PV_ABI_OFFSET(struct xencons_interface, out_prod, 3084);
PV_ABI_OFFSET(struct xencons_interface, connection, 3088);
_Static_assert((XENCONS_IN_SIZE & (XENCONS_IN_SIZE - 1u)) == 0 &&
               (XENCONS_OUT_SIZE & (XENCONS_OUT_SIZE - 1u)) == 0,
               "console buffers are powers of two");

#endif
