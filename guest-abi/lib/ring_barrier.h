/*
 * Memory ordering, single-access index loads and stores, and index
 * arithmetic modulo 2^32 for shared rings (ring.c, cons_ring.c).
 *
 * Theory of operation. A ring page is shared with a peer running on
 * another CPU, and the peer is not trusted. Two things make the ring
 * code correct against it:
 *
 *  - Ordering. A producer must make an entry visible before the index
 *    that publishes it (ring_wmb between them); a consumer must read the
 *    index before the entries it covers (ring_rmb); and the notification
 *    hold-off test reads the peer's event index after publishing, which
 *    orders a store before a later load (ring_mb). x86 is TSO: stores
 *    are not reordered with stores, loads not with loads, so wmb and rmb
 *    only have to stop the compiler. A store followed by a load can be
 *    reordered by the CPU, so mb is a locked instruction (any locked
 *    read-modify-write is a full barrier; using a stack local instead of
 *    (%esp) makes the same text valid for the 32-bit guests and the
 *    64-bit hosted tests).
 *
 *  - Single access. A shared index is read exactly once into a local
 *    (ring_load_idx) and only the local is used afterwards, so a peer
 *    changing the index between two reads cannot make a check and a use
 *    see different values. The volatile access forbids the compiler from
 *    re-reading, splitting or caching it.
 *
 * For the proofs (Frama-C WP), a volatile read yields an unknown value:
 * that is exactly the hostile-peer model, every read may return
 * anything. The ghost variables below name what was read and stored so
 * contracts can state decisions in terms of the values actually used:
 * ring_idx_seen is the value of the last index load, ring_idx_stored the
 * value of the last index store. They exist only in the proofs.
 * Frama-C treats the asm statements as having no effect beyond their
 * operands, which is exactly what a barrier is to the C abstract
 * machine, so the barriers prove `assigns \nothing`.
 */
#ifndef GUEST_RING_BARRIER_H
#define GUEST_RING_BARRIER_H

#include <stdint.h>

/*@ ghost extern uint32_t ring_idx_seen; */
/*@ ghost extern uint32_t ring_idx_stored; */

/* Compiler barrier: enough for store-store order on x86 (TSO). */
/*@ assigns \nothing; */
static inline void ring_wmb(void)
{
    __asm__ __volatile__("" ::: "memory");
}

/* Compiler barrier: enough for load-load order on x86 (TSO). */
/*@ assigns \nothing; */
static inline void ring_rmb(void)
{
    __asm__ __volatile__("" ::: "memory");
}

/* Full barrier: a locked add of zero orders earlier stores before later loads. */
/*@ assigns \nothing; */
static inline void ring_mb(void)
{
    uint32_t dummy = 0;

    __asm__ __volatile__("lock; addl $0,%0" : "+m"(dummy) : : "memory", "cc");
}

/* Read a shared index exactly once; the peer may have written anything. */
/*@ requires \valid_read(p);
    assigns ring_idx_seen;
    ensures \result == ring_idx_seen;
*/
static inline uint32_t ring_load_idx(const uint32_t *p)
{
    uint32_t v = *(const volatile uint32_t *)p;

    /*@ ghost ring_idx_seen = v; */
    return v;
}

/*
 * Store one of our own shared indices with a single access. Nothing is
 * promised about the page afterwards: the peer may overwrite it at once.
 */
/*@ requires \valid(p);
    assigns *p, ring_idx_stored;
    ensures ring_idx_stored == v;
*/
static inline void ring_store_idx(uint32_t *p, uint32_t v)
{
    *(volatile uint32_t *)p = v;
    /*@ ghost ring_idx_stored = v; */
}

/*
 * Index arithmetic modulo 2^32. The C is just `a - b` and `i + k` on
 * uint32_t; it is spelled out branch by branch so that every
 * intermediate value stays in range: WP's model of a uint32_t result
 * (to_uint32) says nothing about out-of-range values, so the provers
 * could not relate a wrapped sum to its operands. GCC folds both arms
 * back into one sub or add.
 */
/*@ logic integer ring_diff(integer a, integer b) =
        a >= b ? a - b : a - b + 4294967296;
    logic integer ring_add(integer i, integer k) =
        i + k < 4294967296 ? i + k : i + k - 4294967296;
*/

/* How far index a is ahead of index b: (a - b) mod 2^32. */
/*@ assigns \nothing;
    ensures \result == ring_diff(a, b);
*/
static inline uint32_t ring_idx_diff(uint32_t a, uint32_t b)
{
    return a >= b ? a - b : a + (UINT32_MAX - b) + 1u;
}

/* Index i moved on by k: (i + k) mod 2^32. */
/*@ assigns \nothing;
    ensures \result == ring_add(i, k);
*/
static inline uint32_t ring_idx_add(uint32_t i, uint32_t k)
{
    return k <= UINT32_MAX - i ? i + k : k - (UINT32_MAX - i) - 1u;
}

#endif
