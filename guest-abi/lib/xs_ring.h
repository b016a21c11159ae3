/*
 * The xenstore ring (Xen's io/xs_wire.h): a byte stream each way between
 * a guest and the xenstore daemon in dom0, one page (struct
 * xenstore_domain_interface, pv/xs_wire.h); spec/xenstore.md XS-10.
 *
 * Theory of operation.
 *
 *     req[1024] @0      bytes guest -> daemon (requests)
 *     rsp[1024] @1024   bytes daemon -> guest (replies, watch events)
 *     req_cons  @2048 daemon writes     req_prod @2052 guest writes
 *     rsp_cons  @2056 guest writes      rsp_prod @2060 daemon writes
 *
 * The same functions serve both ends: the guest writes XS_RING_REQ and
 * reads XS_RING_RSP, the daemon reads XS_RING_REQ and writes XS_RING_RSP.
 * The shape is the console ring's (cons_ring.h): free-running u32
 * indices, byte i of a stream at buf[i % 1024]; each index read once
 * (ring_load_idx); a pair claiming more than 1024 unread bytes refused
 * with XS_RING_BAD_PEER before anything is copied (RING-7); every byte
 * position used below 1024 (RING-3); the writer never leaves more than
 * 1024 bytes unread (RING-8). Messages (header, payload) are the callers'
 * business: a ring moves bytes, and a message may span calls.
 *
 * Contracts: xs_seen_first is the first index read by a call (the
 * caller's own index), ring_idx_seen the second (the peer's), and
 * ring_idx_stored the value the call stored into its own index.
 */
#ifndef GUEST_XS_RING_H
#define GUEST_XS_RING_H

#include <stdint.h>

#include "pv/xs_wire.h"
#include "ring_barrier.h"

enum xs_ring_dir {
    XS_RING_REQ = 0,    /* req[]: guest writes, daemon reads */
    XS_RING_RSP = 1     /* rsp[]: daemon writes, guest reads */
};

#define XS_RING_BAD_PEER (-1)   /* indices impossible; nothing changed */

/*@ ghost extern uint32_t xs_seen_first; */

/*@ logic char *xs_data_of(struct xenstore_domain_interface *i, integer w) =
        w == XS_RING_REQ ? &i->req[0] : &i->rsp[0];
    logic XENSTORE_RING_IDX *xs_prod_of(struct xenstore_domain_interface *i, integer w) =
        w == XS_RING_REQ ? &i->req_prod : &i->rsp_prod;
    logic XENSTORE_RING_IDX *xs_cons_of(struct xenstore_domain_interface *i, integer w) =
        w == XS_RING_REQ ? &i->req_cons : &i->rsp_cons;

    // position of stream byte (start + k) for start = idx % 1024 and k < 1024
    logic integer xs_pos(integer start, integer k) =
        start + k < XENSTORE_RING_SIZE ? start + k : start + k - XENSTORE_RING_SIZE;

    logic integer xs_min(integer a, integer b) = a < b ? a : b;

    predicate xs_dir_ok(integer w) = w == XS_RING_REQ || w == XS_RING_RSP;
*/

/*
 * Writer side of direction `which`: the bytes there is room for now
 * (0 .. 1024), or XS_RING_BAD_PEER. Reads both indices, changes nothing.
 */
/*@ requires \valid(intf) && xs_dir_ok(which);
    assigns xs_seen_first, ring_idx_seen;
    ensures RING_7: \result == XS_RING_BAD_PEER <==>
                    ring_diff(xs_seen_first, ring_idx_seen) > XENSTORE_RING_SIZE;
    ensures \result != XS_RING_BAD_PEER ==>
            \result == XENSTORE_RING_SIZE - ring_diff(xs_seen_first, ring_idx_seen);
*/
int32_t xs_ring_room(struct xenstore_domain_interface *intf, enum xs_ring_dir which);

/*
 * Writer side of direction `which`: copy up to len bytes of buf into the
 * ring, as many as there is room for, and publish them. Returns the
 * number written (0 when full), or XS_RING_BAD_PEER (nothing written).
 */
/*@ requires \valid(intf) && xs_dir_ok(which);
    requires \valid_read(buf + (0 .. len - 1));
    requires \separated(buf + (0 .. len - 1), intf);
    assigns xs_data_of(intf, which)[0 .. XENSTORE_RING_SIZE - 1],
            *xs_prod_of(intf, which), xs_seen_first, ring_idx_seen, ring_idx_stored;
    ensures \result == XS_RING_BAD_PEER || 0 <= \result <= len;
    ensures RING_7: \result == XS_RING_BAD_PEER <==>
                    ring_diff(xs_seen_first, ring_idx_seen) > XENSTORE_RING_SIZE;
    ensures \result != XS_RING_BAD_PEER ==>
            \result == xs_min(XENSTORE_RING_SIZE - ring_diff(xs_seen_first, ring_idx_seen),
                              len);
    ensures RING_8: \result != XS_RING_BAD_PEER ==>
            ring_idx_stored == ring_add(xs_seen_first, \result) &&
            ring_diff(ring_idx_stored, ring_idx_seen) <= XENSTORE_RING_SIZE;
    ensures RING_3: \result != XS_RING_BAD_PEER ==>
            \forall integer k; 0 <= k < \result ==>
                \let pos = xs_pos(xs_seen_first % XENSTORE_RING_SIZE, k);
                0 <= pos < XENSTORE_RING_SIZE && xs_data_of(intf, which)[pos] == buf[k];
    ensures RING_6: \result == XS_RING_BAD_PEER ==>
            ring_idx_stored == \old(ring_idx_stored) &&
            \forall integer k; 0 <= k < XENSTORE_RING_SIZE ==>
                xs_data_of(intf, which)[k] == \old(xs_data_of(intf, which)[k]);
*/
int32_t xs_ring_write(struct xenstore_domain_interface *intf, enum xs_ring_dir which,
                      const char *buf, uint32_t len);

/*
 * Reader side of direction `which`: copy up to len unread bytes into buf
 * (private memory) and hand their room back. Returns the number read
 * (0 when empty), or XS_RING_BAD_PEER (nothing read, buf and the indices
 * untouched).
 */
/*@ requires \valid(intf) && xs_dir_ok(which);
    requires \valid(buf + (0 .. len - 1));
    requires \separated(buf + (0 .. len - 1), intf);
    assigns buf[0 .. len - 1], *xs_cons_of(intf, which), xs_seen_first, ring_idx_seen,
            ring_idx_stored;
    ensures \result == XS_RING_BAD_PEER || 0 <= \result <= len;
    ensures RING_7: \result == XS_RING_BAD_PEER <==>
                    ring_diff(ring_idx_seen, xs_seen_first) > XENSTORE_RING_SIZE;
    ensures \result != XS_RING_BAD_PEER ==>
            \result == xs_min(ring_diff(ring_idx_seen, xs_seen_first), len);
    ensures \result != XS_RING_BAD_PEER ==>
            ring_idx_stored == ring_add(xs_seen_first, \result);
    ensures RING_2: \result != XS_RING_BAD_PEER ==>
            \forall integer k; 0 <= k < \result ==>
                \let pos = xs_pos(xs_seen_first % XENSTORE_RING_SIZE, k);
                0 <= pos < XENSTORE_RING_SIZE && buf[k] == \old(xs_data_of(intf, which)[pos]);
    ensures RING_6: \result == XS_RING_BAD_PEER ==>
            ring_idx_stored == \old(ring_idx_stored) &&
            \forall integer k; 0 <= k < len ==> buf[k] == \old(buf[k]);
*/
int32_t xs_ring_read(struct xenstore_domain_interface *intf, enum xs_ring_dir which,
                     char *buf, uint32_t len);

#endif
