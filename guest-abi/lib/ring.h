/*
 * Shared request/response rings (the semantics of Xen's io/ring.h) as
 * small functions over plain structs, for every split driver: console,
 * block, net. Frontends (guests) and backends (dom0) use the same code;
 * the hypervisor does not.
 *
 * Theory of operation.
 *
 * One page holds a 64-byte header and an array of nr_ents slots of
 * ent_size bytes each (a slot is the union of a request and a response
 * of the protocol using the ring). nr_ents is the largest power of two
 * that fits (ring_size_for), so that a free-running 32-bit index maps
 * to slot `idx % nr_ents` consistently across the 2^32 wrap.
 *
 * Each shared index has exactly one writer:
 *
 *     req_prod  @0   frontend   requests published
 *     req_event @4   backend    "notify me when req_prod passes this"
 *     rsp_prod  @8   backend    responses published
 *     rsp_event @12  frontend   "notify me when rsp_prod passes this"
 *
 * Each side keeps its real state in private memory (struct ring_front,
 * struct ring_back) and only publishes copies; a value read from the
 * page is a claim by the peer, checked before it is used.
 *
 * Private invariants, kept by every function here whatever the peer does
 * (all differences are u32, i.e. modulo 2^32):
 *
 *   front:  rsp_cons <= req_prod_pub <= req_prod_pvt <= rsp_cons + nr_ents
 *           (at most nr_ents requests outstanding, RING-4)
 *   back:   rsp_prod_pvt <= req_cons <= rsp_prod_pvt + nr_ents
 *           (never more requests taken than slots to answer them in)
 *
 * Hostile-peer checks (consumers, RING-1): the producer index is read
 * once, then a read barrier orders it before the slot reads.
 *
 *   backend:  a frontend can have published at most nr_ents requests
 *             beyond the last response, and never fewer than the backend
 *             already took, so req_prod must lie in
 *             [req_cons, rsp_prod_pvt + nr_ents]; otherwise RING_BAD_PEER
 *             (this covers Xen's RING_REQUEST_PROD_OVERFLOW, an index
 *             racing ahead, and one moving backwards).
 *   frontend: a backend can only answer requests it was shown, so
 *             rsp_prod must lie in [rsp_cons, req_prod_pub]; otherwise
 *             RING_BAD_PEER.
 *
 * Either way the unconsumed count is at most nr_ents, and every slot
 * index is idx % nr_ents < nr_ents (RING-3). A RING_BAD_PEER answer
 * changes no private state (RING-6); what to do with a bad peer
 * (disconnect, crash it) is the caller's decision.
 *
 * Each slot is copied into the caller's private buffer exactly once, by
 * one byte loop, and the function returns without touching the slot
 * again; the caller examines only its copy (RING-2, Xen's
 * RING_COPY_REQUEST). A peer rewriting the slot afterwards changes
 * nothing the caller sees.
 *
 * Producers write the slot, ring_wmb(), store the producer index, then
 * ring_mb() and read the peer's event index: notify iff the event lies
 * in (old, new], i.e. (RING_IDX)(new - event) < (RING_IDX)(new - old)
 * (RING-5). `old` is the private record of the last publication
 * (req_prod_pub, rsp_prod_pub), never read back from the page, where the
 * peer could have changed it. A consumer about to sleep calls
 * *_final_check, which sets its event index to cons + 1, issues
 * ring_mb() and looks again.
 *
 * Contracts: the ghost ring_idx_seen (ring_barrier.h) is the last index
 * value read from the page, ring_idx_stored the last one stored; results
 * are stated in terms of them, for any value the peer chose.
 */
#ifndef GUEST_RING_H
#define GUEST_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pv/io_ring.h"
#include "ring_barrier.h"

#define RING_PAGE_SIZE  4096u
#define RING_ENTS_BYTES (RING_PAGE_SIZE - RING_HEADER_SIZE)

/* One ring page as both sides see it. */
struct ring_shared {
    RING_IDX req_prod;              /* frontend */
    RING_IDX req_event;             /* backend */
    RING_IDX rsp_prod;              /* backend */
    RING_IDX rsp_event;             /* frontend */
    char     pvt[4];                /* protocol-specific; zeroed at init */
    char     pad[44];
    char     ents[RING_ENTS_BYTES]; /* nr_ents slots of ent_size bytes */
};
_Static_assert(offsetof(struct ring_shared, req_prod) ==
               offsetof(struct ring_shared_header, req_prod), "req_prod @0");
_Static_assert(offsetof(struct ring_shared, req_event) ==
               offsetof(struct ring_shared_header, req_event), "req_event @4");
_Static_assert(offsetof(struct ring_shared, rsp_prod) ==
               offsetof(struct ring_shared_header, rsp_prod), "rsp_prod @8");
_Static_assert(offsetof(struct ring_shared, rsp_event) ==
               offsetof(struct ring_shared_header, rsp_event), "rsp_event @12");
_Static_assert(offsetof(struct ring_shared, pvt) ==
               offsetof(struct ring_shared_header, pvt), "pvt @16");
_Static_assert(offsetof(struct ring_shared, ents) == RING_ENTRIES_OFFSET, "slots @64");
_Static_assert(sizeof(struct ring_shared) == RING_PAGE_SIZE, "one page");

/* Frontend private state: it produces requests and consumes responses. */
struct ring_front {
    struct ring_shared *s;
    uint32_t nr_ents;       /* power of two */
    uint32_t ent_size;      /* bytes per slot */
    RING_IDX req_prod_pvt;  /* requests written into slots */
    RING_IDX req_prod_pub;  /* requests published (our last store to req_prod) */
    RING_IDX rsp_cons;      /* responses taken */
};

/* Backend private state: it consumes requests and produces responses. */
struct ring_back {
    struct ring_shared *s;
    uint32_t nr_ents;
    uint32_t ent_size;
    RING_IDX rsp_prod_pvt;  /* responses written into slots */
    RING_IDX rsp_prod_pub;  /* responses published (our last store to rsp_prod) */
    RING_IDX req_cons;      /* requests taken */
};

enum ring_status {
    RING_OK = 0,        /* one entry moved */
    RING_EMPTY = 1,     /* nothing to take (consumer) */
    RING_FULL = 2,      /* no slot to put into (producer) */
    RING_BAD_PEER = 3   /* the peer's index is impossible; nothing changed */
};

/*@ inductive ring_pow2(integer n) {
      case ring_pow2_one: ring_pow2(1);
      case ring_pow2_double: \forall integer n; ring_pow2(n) ==> ring_pow2(2 * n);
    }

    // slot geometry shared by both ends
    predicate ring_geom(struct ring_shared *s, integer nr_ents, integer ent_size) =
        \valid(s) && ring_pow2(nr_ents) && 1 <= nr_ents && 1 <= ent_size &&
        nr_ents * ent_size <= RING_ENTS_BYTES;

    predicate ring_front_ok(struct ring_front *f) =
        \valid(f) && ring_geom(f->s, f->nr_ents, f->ent_size) && \separated(f, f->s) &&
        ring_diff(f->req_prod_pub, f->rsp_cons) <= ring_diff(f->req_prod_pvt, f->rsp_cons) &&
        ring_diff(f->req_prod_pvt, f->rsp_cons) <= f->nr_ents;

    predicate ring_back_ok(struct ring_back *b) =
        \valid(b) && ring_geom(b->s, b->nr_ents, b->ent_size) && \separated(b, b->s) &&
        ring_diff(b->req_cons, b->rsp_prod_pvt) <= b->nr_ents;

    // RING-1: responses beyond the published, unanswered requests
    predicate ring_rsp_bad(integer prod, integer cons, integer pub) =
        ring_diff(prod, cons) > ring_diff(pub, cons);

    // RING-1: requests behind req_cons or beyond rsp_prod_pvt + nr_ents
    predicate ring_req_bad(integer prod, integer cons, integer rsp_pvt, integer nr_ents) =
        ring_diff(prod, cons) > nr_ents - ring_diff(cons, rsp_pvt);

    // RING-5: the peer's event index lies in (old, new]
    predicate ring_notify_rule(integer old, integer new, integer event) =
        ring_diff(new, event) < ring_diff(new, old);

    // byte k of the slot for index idx
    logic integer ring_byte(integer idx, integer nr_ents, integer ent_size, integer k) =
        (idx % nr_ents) * ent_size + k;
*/

/*
 * Slots of ent_size bytes that fit in a page of page_size bytes after the
 * header, rounded down to a power of two; 0 if not even one fits.
 * (blkif, 108-byte slots: 32; netif tx/rx: 256.)
 */
/*@ assigns \nothing;
    behavior unusable:
      assumes ent_size == 0 || page_size < RING_HEADER_SIZE ||
              ent_size > page_size - RING_HEADER_SIZE;
      ensures \result == 0;
    behavior usable:
      assumes ent_size != 0 && page_size >= RING_HEADER_SIZE &&
              ent_size <= page_size - RING_HEADER_SIZE;
      ensures ring_pow2(\result);
      ensures 1 <= \result <= (page_size - RING_HEADER_SIZE) / ent_size;
      ensures largest: (page_size - RING_HEADER_SIZE) / ent_size < 2 * \result;
    complete behaviors;
    disjoint behaviors;
*/
uint32_t ring_size_for(uint32_t page_size, uint32_t ent_size);


/* ---- frontend --------------------------------------------------------- */

/*
 * Zero the page, set both producers to `start` and both event indices to
 * start + 1 (so the first publication notifies), and take the frontend's
 * side. Xen's protocol starts at 0 (ring_front_init); any start works
 * since indices are free-running (the tests start near 2^32). Returns
 * false, changing nothing, if not one slot of ent_size bytes fits.
 */
/*@ requires \valid(f) && \valid(s) && \separated(f, s);
    assigns *f, *s;
    behavior unusable:
      assumes ent_size == 0 || ent_size > RING_ENTS_BYTES;
      assigns \nothing;
      ensures \result == false;
    behavior usable:
      assumes 1 <= ent_size <= RING_ENTS_BYTES;
      ensures \result == true;
      ensures ring_front_ok(f);
      ensures f->s == s && f->ent_size == ent_size;
      ensures largest: RING_ENTS_BYTES / ent_size < 2 * f->nr_ents;
      ensures f->req_prod_pvt == start && f->req_prod_pub == start && f->rsp_cons == start;
      ensures s->req_prod == start && s->rsp_prod == start;
      ensures s->req_event == ring_add(start, 1) && s->rsp_event == ring_add(start, 1);
      ensures \forall integer k; 0 <= k < RING_ENTS_BYTES ==> s->ents[k] == 0;
    complete behaviors;
    disjoint behaviors;
*/
bool ring_front_init_at(struct ring_front *f, struct ring_shared *s, uint32_t ent_size,
                        RING_IDX start);

/*@ requires \valid(f) && \valid(s) && \separated(f, s);
    assigns *f, *s;
    ensures \result == true <==> 1 <= ent_size <= RING_ENTS_BYTES;
    ensures \result == true ==> ring_front_ok(f) && f->s == s && f->ent_size == ent_size &&
                                f->req_prod_pvt == 0 && f->rsp_cons == 0;
*/
bool ring_front_init(struct ring_front *f, struct ring_shared *s, uint32_t ent_size);

/* Slots free for new requests (Xen's RING_FREE_REQUESTS). */
/*@ requires ring_front_ok(f);
    assigns \nothing;
    ensures \result == f->nr_ents - ring_diff(f->req_prod_pvt, f->rsp_cons);
    ensures \result <= f->nr_ents;
*/
uint32_t ring_front_free(struct ring_front *f);

/*
 * Copy ent_size bytes from req into the next free slot, unpublished.
 * RING_OK, or RING_FULL (nothing written) when nr_ents requests are
 * already outstanding: a slot is reused only after its response was taken.
 */
/*@ requires ring_front_ok(f);
    requires \valid_read((char *)req + (0 .. f->ent_size - 1));
    requires \separated((char *)req + (0 .. f->ent_size - 1), f, f->s);
    assigns f->req_prod_pvt,
            f->s->ents[ring_byte(f->req_prod_pvt, f->nr_ents, f->ent_size, 0) ..
                       ring_byte(f->req_prod_pvt, f->nr_ents, f->ent_size, f->ent_size - 1)];
    ensures ring_front_ok(f);
    behavior full:
      assumes ring_diff(f->req_prod_pvt, f->rsp_cons) >= f->nr_ents;
      assigns \nothing;
      ensures \result == RING_FULL;
    behavior space:
      assumes ring_diff(f->req_prod_pvt, f->rsp_cons) < f->nr_ents;
      ensures \result == RING_OK;
      ensures f->req_prod_pvt == ring_add(\old(f->req_prod_pvt), 1);
      ensures RING_4: ring_diff(f->req_prod_pvt, f->rsp_cons) <= f->nr_ents;
      ensures RING_3: ring_byte(\old(f->req_prod_pvt), f->nr_ents, f->ent_size, f->ent_size - 1)
                      < f->nr_ents * f->ent_size;
      ensures \forall integer k; 0 <= k < f->ent_size ==>
              f->s->ents[ring_byte(\old(f->req_prod_pvt), f->nr_ents, f->ent_size, k)] ==
              ((char *)req)[k];
    complete behaviors;
    disjoint behaviors;
*/
enum ring_status ring_front_put_request(struct ring_front *f, const void *req);

/*
 * Publish the requests put so far: ring_wmb(), store req_prod, ring_mb(),
 * then *notify tells whether the backend asked to be woken (RING-5).
 */
/*@ requires ring_front_ok(f);
    requires \valid(notify) && \separated(notify, f, f->s);
    assigns f->s->req_prod, f->req_prod_pub, *notify, ring_idx_seen, ring_idx_stored;
    ensures ring_front_ok(f);
    ensures f->req_prod_pub == f->req_prod_pvt;
    ensures ring_idx_stored == f->req_prod_pvt;
    ensures RING_5: *notify == 1 <==>
                    ring_notify_rule(\old(f->req_prod_pub), f->req_prod_pvt, ring_idx_seen);
*/
void ring_front_push_requests(struct ring_front *f, bool *notify);

/*
 * Take the next response into rsp (ent_size bytes of private memory).
 * RING_OK: rsp holds a copy of the slot, made once, and rsp_cons moved on.
 * RING_EMPTY: nothing published. RING_BAD_PEER: rsp_prod claims responses
 * to requests never published (or moved backwards); nothing changed.
 */
/*@ requires ring_front_ok(f);
    requires \valid((char *)rsp + (0 .. f->ent_size - 1));
    requires \separated((char *)rsp + (0 .. f->ent_size - 1), f, f->s);
    assigns f->rsp_cons, ((char *)rsp)[0 .. f->ent_size - 1], ring_idx_seen;
    ensures ring_front_ok(f);
    ensures \result == RING_OK || \result == RING_EMPTY || \result == RING_BAD_PEER;
    ensures RING_1: \result == RING_BAD_PEER <==>
                    ring_rsp_bad(ring_idx_seen, \old(f->rsp_cons), f->req_prod_pub);
    ensures \result == RING_EMPTY <==>
            !ring_rsp_bad(ring_idx_seen, \old(f->rsp_cons), f->req_prod_pub) &&
            ring_idx_seen == \old(f->rsp_cons);
    ensures RING_6: \result != RING_OK ==>
            f->rsp_cons == \old(f->rsp_cons) &&
            \forall integer k; 0 <= k < f->ent_size ==>
                ((char *)rsp)[k] == \old(((char *)rsp)[k]);
    ensures RING_1: \result == RING_OK ==>
            1 <= ring_diff(ring_idx_seen, \old(f->rsp_cons)) <= f->nr_ents;
    ensures \result == RING_OK ==> f->rsp_cons == ring_add(\old(f->rsp_cons), 1);
    ensures RING_3: \result == RING_OK ==>
            ring_byte(\old(f->rsp_cons), f->nr_ents, f->ent_size, f->ent_size - 1)
            < f->nr_ents * f->ent_size;
    ensures RING_2: \result == RING_OK ==>
            \forall integer k; 0 <= k < f->ent_size ==>
                ((char *)rsp)[k] ==
                \old(f->s->ents[ring_byte(f->rsp_cons, f->nr_ents, f->ent_size, k)]);
*/
enum ring_status ring_front_take_response(struct ring_front *f, void *rsp);

/*
 * Before sleeping: RING_OK if responses are waiting; otherwise set
 * rsp_event = rsp_cons + 1, ring_mb(), and look again, so a response
 * published in between is not missed. RING_EMPTY means it is safe to
 * wait for the event; RING_BAD_PEER as for take_response.
 */
/*@ requires ring_front_ok(f);
    assigns f->s->rsp_event, ring_idx_seen, ring_idx_stored;
    ensures \result == RING_OK || \result == RING_EMPTY || \result == RING_BAD_PEER;
    ensures RING_1: \result == RING_BAD_PEER <==>
                    ring_rsp_bad(ring_idx_seen, f->rsp_cons, f->req_prod_pub);
    ensures \result == RING_EMPTY <==>
            !ring_rsp_bad(ring_idx_seen, f->rsp_cons, f->req_prod_pub) &&
            ring_idx_seen == f->rsp_cons;
    ensures \result == RING_EMPTY ==> ring_idx_stored == ring_add(f->rsp_cons, 1);
*/
enum ring_status ring_front_final_check(struct ring_front *f);

/* ---- backend ---------------------------------------------------------- */

/*
 * Take the backend's side of a page the frontend initialised. The page
 * is not read: everything in it is checked when used. Returns false,
 * changing nothing, if not one slot of ent_size bytes fits.
 */
/*@ requires \valid(b) && \valid(s) && \separated(b, s);
    assigns *b;
    behavior unusable:
      assumes ent_size == 0 || ent_size > RING_ENTS_BYTES;
      assigns \nothing;
      ensures \result == false;
    behavior usable:
      assumes 1 <= ent_size <= RING_ENTS_BYTES;
      ensures \result == true;
      ensures ring_back_ok(b);
      ensures b->s == s && b->ent_size == ent_size;
      ensures largest: RING_ENTS_BYTES / ent_size < 2 * b->nr_ents;
      ensures b->rsp_prod_pvt == start && b->rsp_prod_pub == start && b->req_cons == start;
    complete behaviors;
    disjoint behaviors;
*/
bool ring_back_attach_at(struct ring_back *b, struct ring_shared *s, uint32_t ent_size,
                         RING_IDX start);

/*@ requires \valid(b) && \valid(s) && \separated(b, s);
    assigns *b;
    ensures \result == true <==> 1 <= ent_size <= RING_ENTS_BYTES;
    ensures \result == true ==> ring_back_ok(b) && b->s == s && b->ent_size == ent_size &&
                                b->rsp_prod_pvt == 0 && b->req_cons == 0;
*/
bool ring_back_attach(struct ring_back *b, struct ring_shared *s, uint32_t ent_size);

/*
 * Take the next request into req (ent_size bytes of private memory); the
 * caller validates and uses only that copy.
 * RING_OK: req holds a copy of the slot, made once, and req_cons moved on.
 * RING_EMPTY: nothing published. RING_BAD_PEER: req_prod is behind
 * req_cons or more than nr_ents beyond the last response; nothing changed.
 */
/*@ requires ring_back_ok(b);
    requires \valid((char *)req + (0 .. b->ent_size - 1));
    requires \separated((char *)req + (0 .. b->ent_size - 1), b, b->s);
    assigns b->req_cons, ((char *)req)[0 .. b->ent_size - 1], ring_idx_seen;
    ensures ring_back_ok(b);
    ensures \result == RING_OK || \result == RING_EMPTY || \result == RING_BAD_PEER;
    ensures RING_1: \result == RING_BAD_PEER <==>
                    ring_req_bad(ring_idx_seen, \old(b->req_cons), b->rsp_prod_pvt, b->nr_ents);
    ensures \result == RING_EMPTY <==>
            !ring_req_bad(ring_idx_seen, \old(b->req_cons), b->rsp_prod_pvt, b->nr_ents) &&
            ring_idx_seen == \old(b->req_cons);
    ensures RING_6: \result != RING_OK ==>
            b->req_cons == \old(b->req_cons) &&
            \forall integer k; 0 <= k < b->ent_size ==>
                ((char *)req)[k] == \old(((char *)req)[k]);
    ensures RING_1: \result == RING_OK ==>
            1 <= ring_diff(ring_idx_seen, \old(b->req_cons)) <= b->nr_ents;
    ensures \result == RING_OK ==> b->req_cons == ring_add(\old(b->req_cons), 1);
    ensures RING_3: \result == RING_OK ==>
            ring_byte(\old(b->req_cons), b->nr_ents, b->ent_size, b->ent_size - 1)
            < b->nr_ents * b->ent_size;
    ensures RING_2: \result == RING_OK ==>
            \forall integer k; 0 <= k < b->ent_size ==>
                ((char *)req)[k] ==
                \old(b->s->ents[ring_byte(b->req_cons, b->nr_ents, b->ent_size, k)]);
*/
enum ring_status ring_back_take_request(struct ring_back *b, void *req);

/*
 * Copy ent_size bytes from rsp into the slot of the oldest unanswered
 * request, unpublished. RING_FULL (nothing written) if every request
 * taken has been answered: there is no slot the frontend gave up.
 */
/*@ requires ring_back_ok(b);
    requires \valid_read((char *)rsp + (0 .. b->ent_size - 1));
    requires \separated((char *)rsp + (0 .. b->ent_size - 1), b, b->s);
    assigns b->rsp_prod_pvt,
            b->s->ents[ring_byte(b->rsp_prod_pvt, b->nr_ents, b->ent_size, 0) ..
                       ring_byte(b->rsp_prod_pvt, b->nr_ents, b->ent_size, b->ent_size - 1)];
    ensures ring_back_ok(b);
    behavior nothing_owed:
      assumes b->req_cons == b->rsp_prod_pvt;
      assigns \nothing;
      ensures \result == RING_FULL;
    behavior owed:
      assumes b->req_cons != b->rsp_prod_pvt;
      ensures \result == RING_OK;
      ensures b->rsp_prod_pvt == ring_add(\old(b->rsp_prod_pvt), 1);
      ensures RING_4: ring_diff(b->req_cons, b->rsp_prod_pvt) < b->nr_ents;
      ensures RING_3: ring_byte(\old(b->rsp_prod_pvt), b->nr_ents, b->ent_size, b->ent_size - 1)
                      < b->nr_ents * b->ent_size;
      ensures \forall integer k; 0 <= k < b->ent_size ==>
              b->s->ents[ring_byte(\old(b->rsp_prod_pvt), b->nr_ents, b->ent_size, k)] ==
              ((char *)rsp)[k];
    complete behaviors;
    disjoint behaviors;
*/
enum ring_status ring_back_put_response(struct ring_back *b, const void *rsp);

/* Publish the responses put so far; *notify as for requests (RING-5). */
/*@ requires ring_back_ok(b);
    requires \valid(notify) && \separated(notify, b, b->s);
    assigns b->s->rsp_prod, b->rsp_prod_pub, *notify, ring_idx_seen, ring_idx_stored;
    ensures ring_back_ok(b);
    ensures b->rsp_prod_pub == b->rsp_prod_pvt;
    ensures ring_idx_stored == b->rsp_prod_pvt;
    ensures RING_5: *notify == 1 <==>
                    ring_notify_rule(\old(b->rsp_prod_pub), b->rsp_prod_pvt, ring_idx_seen);
*/
void ring_back_push_responses(struct ring_back *b, bool *notify);

/*
 * Before sleeping: RING_OK if requests are waiting; otherwise set
 * req_event = req_cons + 1, ring_mb(), and look again.
 */
/*@ requires ring_back_ok(b);
    assigns b->s->req_event, ring_idx_seen, ring_idx_stored;
    ensures \result == RING_OK || \result == RING_EMPTY || \result == RING_BAD_PEER;
    ensures RING_1: \result == RING_BAD_PEER <==>
                    ring_req_bad(ring_idx_seen, b->req_cons, b->rsp_prod_pvt, b->nr_ents);
    ensures \result == RING_EMPTY <==>
            !ring_req_bad(ring_idx_seen, b->req_cons, b->rsp_prod_pvt, b->nr_ents) &&
            ring_idx_seen == b->req_cons;
    ensures \result == RING_EMPTY ==> ring_idx_stored == ring_add(b->req_cons, 1);
*/
enum ring_status ring_back_final_check(struct ring_back *b);

#endif
