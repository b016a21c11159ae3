/*
 * The PV console ring (Xen's io/console.h): a byte stream each way
 * between a guest and its console backend in dom0, one page
 * (struct xencons_interface, pv/console_ring.h).
 *
 * Theory of operation.
 *
 *     in[1024]  @0     bytes backend -> guest
 *     out[2048] @1024  bytes guest -> backend
 *     in_cons   @3072  guest writes     in_prod  @3076  backend writes
 *     out_cons  @3080  backend writes   out_prod @3084  guest writes
 *
 * The same two functions serve both ends: the guest writes CONS_RING_OUT
 * and reads CONS_RING_IN, dom0's backend reads CONS_RING_OUT and writes
 * CONS_RING_IN. Indices are free-running u32 counters; byte i of the
 * stream sits at buf[i % size], and since both sizes divide 2^32 that
 * stays true across the wrap.
 *
 * There is no private state: both indices of a direction are on the page
 * and the peer can write either of them, so each is read once
 * (ring_load_idx) and a pair with more than `size` unread bytes between
 * them is refused with CONS_RING_BAD_PEER before anything is copied
 * (RING-7). Otherwise every byte position used is below size (RING-3),
 * and:
 *
 *   reader: copies min(unread, len) bytes out, ring_rmb() before (the
 *           bytes were published by prod), ring_mb() after (the bytes
 *           are read before cons hands their room back), then advances
 *           cons;
 *   writer: copies min(room, len) bytes in, ring_mb() before (cons is
 *           read before the bytes it frees are overwritten), ring_wmb()
 *           after (the bytes are visible before prod covers them), then
 *           advances prod; never more than size bytes unread (RING-8).
 *
 * Notifying the peer (the console event channel) is the caller's job.
 *
 * Contracts: cons_seen_first is the first index read by a call (the
 * caller's own index), ring_idx_seen the second (the peer's), and
 * ring_idx_stored the value the call stored into its own index.
 */
#ifndef GUEST_CONS_RING_H
#define GUEST_CONS_RING_H

#include <stdint.h>

#include "pv/console_ring.h"
#include "ring_barrier.h"

enum cons_ring_dir {
    CONS_RING_IN = 0,   /* in[]: backend writes, guest reads */
    CONS_RING_OUT = 1   /* out[]: guest writes, backend reads */
};

#define CONS_RING_BAD_PEER (-1)   /* indices impossible; nothing changed */

/*@ ghost extern uint32_t cons_seen_first; */

/*@ logic char *cons_data_of(struct xencons_interface *i, integer w) =
        w == CONS_RING_IN ? &i->in[0] : &i->out[0];
    logic integer cons_size_of(integer w) =
        w == CONS_RING_IN ? XENCONS_IN_SIZE : XENCONS_OUT_SIZE;
    logic XENCONS_RING_IDX *cons_prod_of(struct xencons_interface *i, integer w) =
        w == CONS_RING_IN ? &i->in_prod : &i->out_prod;
    logic XENCONS_RING_IDX *cons_cons_of(struct xencons_interface *i, integer w) =
        w == CONS_RING_IN ? &i->in_cons : &i->out_cons;

    // position of stream byte (start + k) for start = idx % size and k < size
    logic integer cons_pos(integer start, integer k, integer size) =
        start + k < size ? start + k : start + k - size;

    logic integer cons_min(integer a, integer b) = a < b ? a : b;

    predicate cons_dir_ok(integer w) = w == CONS_RING_IN || w == CONS_RING_OUT;
*/

/*
 * Writer side of direction `which`: copy up to len bytes of buf into the
 * ring, as many as there is room for, and publish them. Returns the
 * number of bytes written (0 when full), or CONS_RING_BAD_PEER (nothing
 * written) if the indices claim more than size unread bytes.
 */
/*@ requires \valid(intf) && cons_dir_ok(which);
    requires \valid_read(buf + (0 .. len - 1));
    requires \separated(buf + (0 .. len - 1), intf);
    assigns cons_data_of(intf, which)[0 .. cons_size_of(which) - 1],
            *cons_prod_of(intf, which), cons_seen_first, ring_idx_seen, ring_idx_stored;
    ensures \result == CONS_RING_BAD_PEER || 0 <= \result <= len;
    ensures RING_7: \result == CONS_RING_BAD_PEER <==>
                    ring_diff(cons_seen_first, ring_idx_seen) > cons_size_of(which);
    ensures \result != CONS_RING_BAD_PEER ==>
            \result == cons_min(cons_size_of(which) - ring_diff(cons_seen_first, ring_idx_seen),
                                len);
    ensures RING_8: \result != CONS_RING_BAD_PEER ==>
            ring_idx_stored == ring_add(cons_seen_first, \result) &&
            ring_diff(ring_idx_stored, ring_idx_seen) <= cons_size_of(which);
    ensures RING_3: \result != CONS_RING_BAD_PEER ==>
            \forall integer k; 0 <= k < \result ==>
                \let pos = cons_pos(cons_seen_first % cons_size_of(which), k,
                                    cons_size_of(which));
                0 <= pos < cons_size_of(which) && cons_data_of(intf, which)[pos] == buf[k];
    ensures RING_6: \result == CONS_RING_BAD_PEER ==>
            ring_idx_stored == \old(ring_idx_stored) &&
            \forall integer k; 0 <= k < cons_size_of(which) ==>
                cons_data_of(intf, which)[k] == \old(cons_data_of(intf, which)[k]);
*/
int32_t cons_ring_write(struct xencons_interface *intf, enum cons_ring_dir which,
                        const char *buf, uint32_t len);

/*
 * Reader side of direction `which`: copy up to len unread bytes into buf
 * (private memory) and hand their room back. Returns the number of bytes
 * read (0 when empty), or CONS_RING_BAD_PEER (nothing read, buf and the
 * indices untouched) if the indices claim more than size unread bytes.
 */
/*@ requires \valid(intf) && cons_dir_ok(which);
    requires \valid(buf + (0 .. len - 1));
    requires \separated(buf + (0 .. len - 1), intf);
    assigns buf[0 .. len - 1], *cons_cons_of(intf, which), cons_seen_first, ring_idx_seen,
            ring_idx_stored;
    ensures \result == CONS_RING_BAD_PEER || 0 <= \result <= len;
    ensures RING_7: \result == CONS_RING_BAD_PEER <==>
                    ring_diff(ring_idx_seen, cons_seen_first) > cons_size_of(which);
    ensures \result != CONS_RING_BAD_PEER ==>
            \result == cons_min(ring_diff(ring_idx_seen, cons_seen_first), len);
    ensures \result != CONS_RING_BAD_PEER ==>
            ring_idx_stored == ring_add(cons_seen_first, \result);
    ensures RING_2: \result != CONS_RING_BAD_PEER ==>
            \forall integer k; 0 <= k < \result ==>
                \let pos = cons_pos(cons_seen_first % cons_size_of(which), k,
                                    cons_size_of(which));
                0 <= pos < cons_size_of(which) &&
                buf[k] == \old(cons_data_of(intf, which)[pos]);
    ensures RING_6: \result == CONS_RING_BAD_PEER ==>
            ring_idx_stored == \old(ring_idx_stored) &&
            \forall integer k; 0 <= k < len ==> buf[k] == \old(buf[k]);
*/
int32_t cons_ring_read(struct xencons_interface *intf, enum cons_ring_dir which,
                       char *buf, uint32_t len);

#endif
