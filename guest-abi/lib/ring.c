/*
 * Shared request/response rings: see ring.h for the theory of operation
 * (who writes which index, the private invariants, the hostile-peer
 * checks) and the contracts.
 *
 * Shape of every consumer: read the producer index once (ring_load_idx),
 * classify it against private state only (rsp_state / req_state), and
 * only if a slot is really waiting: ring_rmb(), one copy of the slot into
 * the caller's buffer (ring_copy), advance the private consumer index.
 * Nothing else reads the page, so the copy is all the caller ever sees
 * of a slot.
 *
 * Slots are located with `idx % nr_ents`, not a mask: the SMT provers do
 * not relate `&` to arithmetic, and nr_ents is not a compile-time
 * constant anyway. The division costs a few cycles per entry.
 */
#include "ring.h"

/*@ ghost uint32_t ring_idx_seen; */
/*@ ghost uint32_t ring_idx_stored; */

/* The one way slot bytes move: a byte loop, each source byte read once. */
/*@ requires \valid(dst + (0 .. n - 1)) && \valid_read(src + (0 .. n - 1));
    requires \separated(dst + (0 .. n - 1), src + (0 .. n - 1));
    assigns dst[0 .. n - 1];
    ensures \forall integer k; 0 <= k < n ==> dst[k] == \old(src[k]);
*/
static void ring_copy(char *dst, const char *src, uint32_t n)
{
    /*@ loop invariant 0 <= i <= n;
        loop invariant \forall integer k; 0 <= k < i ==> dst[k] == \at(src[k], Pre);
        loop assigns i, dst[0 .. n - 1];
        loop variant n - i;
    */
    for (uint32_t i = 0; i < n; i++)
        dst[i] = src[i];
}

/*@ requires \valid(dst + (0 .. n - 1));
    assigns dst[0 .. n - 1];
    ensures \forall integer k; 0 <= k < n ==> dst[k] == 0;
*/
static void ring_zero(char *dst, uint32_t n)
{
    /*@ loop invariant 0 <= i <= n;
        loop invariant \forall integer k; 0 <= k < i ==> dst[k] == 0;
        loop assigns i, dst[0 .. n - 1];
        loop variant n - i;
    */
    for (uint32_t i = 0; i < n; i++)
        dst[i] = 0;
}

/* Byte offset of the slot for idx; the whole slot lies inside the array (RING-3). */
/*@ requires 1 <= nr_ents && 1 <= ent_size && nr_ents * ent_size <= RING_ENTS_BYTES;
    assigns \nothing;
    ensures \result == ring_byte(idx, nr_ents, ent_size, 0);
    ensures \result + ent_size <= nr_ents * ent_size;
*/
static uint32_t ring_slot_off(RING_IDX idx, uint32_t nr_ents, uint32_t ent_size)
{
    uint32_t slot = idx % nr_ents;

    /*@ assert slot + 1 <= nr_ents; */
    /*@ assert (slot + 1) * ent_size <= nr_ents * ent_size; */
    return slot * ent_size;
}

/* RING-5: wake the peer iff its event index lies in (old, new]. */
/*@ assigns \nothing;
    ensures \result == 1 <==> ring_notify_rule(old_idx, new_idx, event);
*/
static bool ring_need_notify(RING_IDX old_idx, RING_IDX new_idx, RING_IDX event)
{
    return ring_idx_diff(new_idx, event) < ring_idx_diff(new_idx, old_idx);
}

/*
 * RING-1, frontend side: the backend may have answered only requests it
 * was shown, so rsp_prod must lie in [rsp_cons, req_prod_pub].
 */
/*@ assigns \nothing;
    ensures \result == RING_BAD_PEER <==> ring_rsp_bad(prod, cons, pub);
    ensures \result == RING_EMPTY <==> !ring_rsp_bad(prod, cons, pub) && prod == cons;
    ensures \result == RING_OK <==> !ring_rsp_bad(prod, cons, pub) && prod != cons;
*/
static enum ring_status rsp_state(RING_IDX prod, RING_IDX cons, RING_IDX pub)
{
    if (ring_idx_diff(prod, cons) > ring_idx_diff(pub, cons))
        return RING_BAD_PEER;
    return prod == cons ? RING_EMPTY : RING_OK;
}

/*
 * RING-1, backend side: the frontend may have published at most nr_ents
 * requests beyond the last response, and never fewer than were taken, so
 * req_prod must lie in [req_cons, rsp_prod_pvt + nr_ents]. One
 * subtraction-form test covers overflow, racing ahead and going back.
 */
/*@ requires ring_diff(cons, rsp_pvt) <= nr_ents;
    assigns \nothing;
    ensures \result == RING_BAD_PEER <==> ring_req_bad(prod, cons, rsp_pvt, nr_ents);
    ensures \result == RING_EMPTY <==> !ring_req_bad(prod, cons, rsp_pvt, nr_ents) && prod == cons;
    ensures \result == RING_OK <==> !ring_req_bad(prod, cons, rsp_pvt, nr_ents) && prod != cons;
*/
static enum ring_status req_state(RING_IDX prod, RING_IDX cons, RING_IDX rsp_pvt,
                                  uint32_t nr_ents)
{
    if (ring_idx_diff(prod, cons) > nr_ents - ring_idx_diff(cons, rsp_pvt))
        return RING_BAD_PEER;
    return prod == cons ? RING_EMPTY : RING_OK;
}

uint32_t ring_size_for(uint32_t page_size, uint32_t ent_size)
{
    uint32_t fit, n = 1;

    if (ent_size == 0 || page_size < RING_HEADER_SIZE ||
        ent_size > page_size - RING_HEADER_SIZE)
        return 0;
    fit = (page_size - RING_HEADER_SIZE) / ent_size;
    /*@ assert fit >= 1; */
    /*@ loop invariant ring_pow2(n) && 1 <= n <= fit;
        loop assigns n;
        loop variant fit - n;
    */
    while (n <= fit / 2)
        n *= 2;
    return n;
}

/* ---- frontend --------------------------------------------------------- */

/*
 * Xen's SHARED_RING_INIT, from `start`. The whole page is cleared: it goes
 * to the backend, so no stale bytes of ours may be left in it.
 */
/*@ requires \valid(s);
    assigns *s;
    ensures s->req_prod == start && s->rsp_prod == start;
    ensures s->req_event == ring_add(start, 1) && s->rsp_event == ring_add(start, 1);
    ensures \forall integer k; 0 <= k < RING_ENTS_BYTES ==> s->ents[k] == 0;
*/
static void ring_page_reset(struct ring_shared *s, RING_IDX start)
{
    ring_zero(s->pvt, sizeof(s->pvt));
    ring_zero(s->pad, sizeof(s->pad));
    ring_zero(s->ents, sizeof(s->ents));
    s->req_prod = start;
    s->rsp_prod = start;
    s->req_event = ring_idx_add(start, 1);
    s->rsp_event = ring_idx_add(start, 1);
}

bool ring_front_init_at(struct ring_front *f, struct ring_shared *s, uint32_t ent_size,
                        RING_IDX start)
{
    uint32_t nr_ents = ring_size_for(RING_PAGE_SIZE, ent_size);

    if (nr_ents == 0)
        return false;
    /*@ assert nr_ents * ent_size <= RING_ENTS_BYTES; */
    f->s = s;
    f->nr_ents = nr_ents;
    f->ent_size = ent_size;
    f->req_prod_pvt = start;
    f->req_prod_pub = start;
    f->rsp_cons = start;
    ring_page_reset(s, start);
    return true;
}

bool ring_front_init(struct ring_front *f, struct ring_shared *s, uint32_t ent_size)
{
    return ring_front_init_at(f, s, ent_size, 0);
}

uint32_t ring_front_free(struct ring_front *f)
{
    return f->nr_ents - ring_idx_diff(f->req_prod_pvt, f->rsp_cons);
}

enum ring_status ring_front_put_request(struct ring_front *f, const void *req)
{
    /* RING-4: the slot after nr_ents outstanding ones is still in use. */
    if (ring_idx_diff(f->req_prod_pvt, f->rsp_cons) >= f->nr_ents)
        return RING_FULL;
    ring_copy(f->s->ents + ring_slot_off(f->req_prod_pvt, f->nr_ents, f->ent_size),
              req, f->ent_size);
    f->req_prod_pvt = ring_idx_add(f->req_prod_pvt, 1);
    return RING_OK;
}

void ring_front_push_requests(struct ring_front *f, bool *notify)
{
    RING_IDX old_idx = f->req_prod_pub;
    RING_IDX new_idx = f->req_prod_pvt;

    ring_wmb();  /* the slots are visible before the index that covers them */
    ring_store_idx(&f->s->req_prod, new_idx);
    f->req_prod_pub = new_idx;
    ring_mb();   /* publish before reading req_event, or a wake-up is lost */
    *notify = ring_need_notify(old_idx, new_idx, ring_load_idx(&f->s->req_event));
}

enum ring_status ring_front_take_response(struct ring_front *f, void *rsp)
{
    RING_IDX prod = ring_load_idx(&f->s->rsp_prod);
    enum ring_status st = rsp_state(prod, f->rsp_cons, f->req_prod_pub);

    if (st != RING_OK)
        return st;
    ring_rmb();  /* the slot is read after the index that published it */
    ring_copy(rsp, f->s->ents + ring_slot_off(f->rsp_cons, f->nr_ents, f->ent_size),
              f->ent_size);
    f->rsp_cons = ring_idx_add(f->rsp_cons, 1);
    return RING_OK;
}

enum ring_status ring_front_final_check(struct ring_front *f)
{
    enum ring_status st = rsp_state(ring_load_idx(&f->s->rsp_prod), f->rsp_cons,
                                    f->req_prod_pub);

    if (st != RING_EMPTY)
        return st;
    ring_store_idx(&f->s->rsp_event, ring_idx_add(f->rsp_cons, 1));
    ring_mb();  /* the event store is visible before rsp_prod is read again */
    return rsp_state(ring_load_idx(&f->s->rsp_prod), f->rsp_cons, f->req_prod_pub);
}

/* ---- backend ---------------------------------------------------------- */

bool ring_back_attach_at(struct ring_back *b, struct ring_shared *s, uint32_t ent_size,
                         RING_IDX start)
{
    uint32_t nr_ents = ring_size_for(RING_PAGE_SIZE, ent_size);

    if (nr_ents == 0)
        return false;
    /*@ assert nr_ents * ent_size <= RING_ENTS_BYTES; */
    b->s = s;
    b->nr_ents = nr_ents;
    b->ent_size = ent_size;
    b->rsp_prod_pvt = start;
    b->rsp_prod_pub = start;
    b->req_cons = start;
    return true;
}

bool ring_back_attach(struct ring_back *b, struct ring_shared *s, uint32_t ent_size)
{
    return ring_back_attach_at(b, s, ent_size, 0);
}

enum ring_status ring_back_take_request(struct ring_back *b, void *req)
{
    RING_IDX prod = ring_load_idx(&b->s->req_prod);
    enum ring_status st = req_state(prod, b->req_cons, b->rsp_prod_pvt, b->nr_ents);

    if (st != RING_OK)
        return st;
    ring_rmb();  /* the slot is read after the index that published it */
    ring_copy(req, b->s->ents + ring_slot_off(b->req_cons, b->nr_ents, b->ent_size),
              b->ent_size);
    b->req_cons = ring_idx_add(b->req_cons, 1);
    return RING_OK;
}

enum ring_status ring_back_put_response(struct ring_back *b, const void *rsp)
{
    /* RING-4: only a slot whose request was taken may carry a response. */
    if (b->req_cons == b->rsp_prod_pvt)
        return RING_FULL;
    ring_copy(b->s->ents + ring_slot_off(b->rsp_prod_pvt, b->nr_ents, b->ent_size),
              rsp, b->ent_size);
    b->rsp_prod_pvt = ring_idx_add(b->rsp_prod_pvt, 1);
    return RING_OK;
}

void ring_back_push_responses(struct ring_back *b, bool *notify)
{
    RING_IDX old_idx = b->rsp_prod_pub;
    RING_IDX new_idx = b->rsp_prod_pvt;

    ring_wmb();  /* the slots are visible before the index that covers them */
    ring_store_idx(&b->s->rsp_prod, new_idx);
    b->rsp_prod_pub = new_idx;
    ring_mb();   /* publish before reading rsp_event, or a wake-up is lost */
    *notify = ring_need_notify(old_idx, new_idx, ring_load_idx(&b->s->rsp_event));
}

enum ring_status ring_back_final_check(struct ring_back *b)
{
    enum ring_status st = req_state(ring_load_idx(&b->s->req_prod), b->req_cons,
                                    b->rsp_prod_pvt, b->nr_ents);

    if (st != RING_EMPTY)
        return st;
    ring_store_idx(&b->s->req_event, ring_idx_add(b->req_cons, 1));
    ring_mb();  /* the event store is visible before req_prod is read again */
    return req_state(ring_load_idx(&b->s->req_prod), b->req_cons, b->rsp_prod_pvt,
                     b->nr_ents);
}
