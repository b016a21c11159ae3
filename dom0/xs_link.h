/*
 * One guest's xenstore ring, served (spec/xenstore.md XS-10): requests
 * are reassembled from the req[] byte stream into whole messages and
 * handed to the store (xs.h); replies and watch events go from the
 * connection's queue into rsp[]. Pure: the page is passed in (mapped by
 * the caller), the event channel is the caller's (notify when
 * xs_link_serve says bytes moved), and the unit test drives both ends.
 *
 * A hostile guest can only break its own link: impossible ring indices
 * (RING-7) or a header announcing more than XENSTORE_PAYLOAD_MAX bytes
 * (XS-3) mark it broken, record the cause in the page's error field as
 * Xen's daemon does, and nothing more is read or written; a message is
 * read into private memory exactly once, a header before its payload, and
 * never more than the message needs; one call does a bounded amount of
 * work, and reads nothing while the store will not take a request
 * (outstanding replies, XS-6).
 */
#ifndef DOM0_XS_LINK_H
#define DOM0_XS_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include "pv/xs_wire.h"
#include "xs.h"

#define XS_LINK_ROUNDS 64u      /* ring transfers per call: others get their turn (XS-20) */

struct xs_link {
    uint8_t msg[XS_MSG_MAX];    /* the request being reassembled */
    uint32_t have;              /* bytes of it so far */
    bool broken;
    uint32_t error;             /* why: XENSTORE_ERROR_RINGIDX or _PROTO */
    char chunk[XENSTORE_RING_SIZE];
};

enum xs_link_result {
    XS_LINK_IDLE,               /* nothing moved */
    XS_LINK_MOVED,              /* bytes moved: notify the guest */
    XS_LINK_BROKEN,             /* the guest broke the protocol: close its connection */
};

/* A fresh link; announces Xen's error reporting feature on the page. */
void xs_link_init(struct xs_link *l, struct xenstore_domain_interface *intf);

/* Move what can move between connection c's queue and its page. */
enum xs_link_result xs_link_serve(struct xs_store *s, uint32_t c, struct xs_link *l,
                                  struct xenstore_domain_interface *intf);

#endif
