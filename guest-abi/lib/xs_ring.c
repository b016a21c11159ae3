/*
 * The xenstore ring: see xs_ring.h for the theory of operation and the
 * contracts. The shape is the console ring's (cons_ring.c) with one
 * buffer size: read our own index then the peer's once each, refuse an
 * impossible pair (RING-7), copy min(available, len) bytes with a barrier
 * on each side, store our index once.
 */
#include "xs_ring.h"

/*@ ghost uint32_t xs_seen_first; */

/*@ requires \valid(intf) && xs_dir_ok(which);
    assigns \result \from intf, which;
    ensures \result == xs_data_of(intf, which);
    ensures \valid(\result + (0 .. XENSTORE_RING_SIZE - 1));
*/
static char *xs_data(struct xenstore_domain_interface *intf, enum xs_ring_dir which)
{
    return which == XS_RING_REQ ? intf->req : intf->rsp;
}

/*@ requires \valid(intf) && xs_dir_ok(which);
    assigns \result \from intf, which;
    ensures \result == xs_prod_of(intf, which) && \valid(\result);
*/
static XENSTORE_RING_IDX *xs_prod_idx(struct xenstore_domain_interface *intf,
                                      enum xs_ring_dir which)
{
    return which == XS_RING_REQ ? &intf->req_prod : &intf->rsp_prod;
}

/*@ requires \valid(intf) && xs_dir_ok(which);
    assigns \result \from intf, which;
    ensures \result == xs_cons_of(intf, which) && \valid(\result);
*/
static XENSTORE_RING_IDX *xs_cons_idx(struct xenstore_domain_interface *intf,
                                      enum xs_ring_dir which)
{
    return which == XS_RING_REQ ? &intf->req_cons : &intf->rsp_cons;
}

/* RING-3: the buffer position of stream byte k after `start`. */
/*@ requires start < XENSTORE_RING_SIZE && k < XENSTORE_RING_SIZE;
    assigns \nothing;
    ensures \result == xs_pos(start, k);
    ensures 0 <= \result < XENSTORE_RING_SIZE;
*/
static uint32_t xs_pos_at(uint32_t start, uint32_t k)
{
    uint32_t pos = start + k;

    return pos < XENSTORE_RING_SIZE ? pos : pos - XENSTORE_RING_SIZE;
}

int32_t xs_ring_room(struct xenstore_domain_interface *intf, enum xs_ring_dir which)
{
    XENSTORE_RING_IDX prod = ring_load_idx(xs_prod_idx(intf, which));
    /*@ ghost xs_seen_first = ring_idx_seen; */
    XENSTORE_RING_IDX cons = ring_load_idx(xs_cons_idx(intf, which));
    uint32_t unread = ring_idx_diff(prod, cons);

    if (unread > XENSTORE_RING_SIZE)    /* RING-7 */
        return XS_RING_BAD_PEER;
    return (int32_t)(XENSTORE_RING_SIZE - unread);
}

int32_t xs_ring_write(struct xenstore_domain_interface *intf, enum xs_ring_dir which,
                      const char *buf, uint32_t len)
{
    char *data = xs_data(intf, which);
    XENSTORE_RING_IDX *prodp = xs_prod_idx(intf, which);
    XENSTORE_RING_IDX prod = ring_load_idx(prodp);
    /*@ ghost xs_seen_first = ring_idx_seen; */
    XENSTORE_RING_IDX cons = ring_load_idx(xs_cons_idx(intf, which));
    uint32_t unread = ring_idx_diff(prod, cons);
    uint32_t n, start;

    if (unread > XENSTORE_RING_SIZE)    /* RING-7: the peer moved an index; room is unknown */
        return XS_RING_BAD_PEER;
    n = XENSTORE_RING_SIZE - unread < len ? XENSTORE_RING_SIZE - unread : len;
    start = prod % XENSTORE_RING_SIZE;
    ring_mb();  /* cons is read before the bytes it freed are overwritten */
    /*@ loop invariant 0 <= k <= n;
        loop invariant \forall integer j; 0 <= j < k ==> data[xs_pos(start, j)] == buf[j];
        loop assigns k, data[0 .. XENSTORE_RING_SIZE - 1];
        loop variant n - k;
    */
    for (uint32_t k = 0; k < n; k++)
        data[xs_pos_at(start, k)] = buf[k];
    ring_wmb();  /* the bytes are visible before prod covers them */
    ring_store_idx(prodp, ring_idx_add(prod, n));
    return (int32_t)n;
}

int32_t xs_ring_read(struct xenstore_domain_interface *intf, enum xs_ring_dir which,
                     char *buf, uint32_t len)
{
    const char *data = xs_data(intf, which);
    XENSTORE_RING_IDX *consp = xs_cons_idx(intf, which);
    XENSTORE_RING_IDX cons = ring_load_idx(consp);
    /*@ ghost xs_seen_first = ring_idx_seen; */
    XENSTORE_RING_IDX prod = ring_load_idx(xs_prod_idx(intf, which));
    uint32_t unread = ring_idx_diff(prod, cons);
    uint32_t n, start;

    if (unread > XENSTORE_RING_SIZE)    /* RING-7: more unread bytes than the buffer holds */
        return XS_RING_BAD_PEER;
    n = unread < len ? unread : len;
    start = cons % XENSTORE_RING_SIZE;
    ring_rmb();  /* the bytes are read after the prod that published them */
    /*@ loop invariant 0 <= k <= n;
        loop invariant \forall integer j; 0 <= j < k ==> buf[j] == data[xs_pos(start, j)];
        loop assigns k, buf[0 .. len - 1];
        loop variant n - k;
    */
    for (uint32_t k = 0; k < n; k++)
        buf[k] = data[xs_pos_at(start, k)];
    ring_mb();  /* the bytes are read before cons gives their room back */
    ring_store_idx(consp, ring_idx_add(cons, n));
    return (int32_t)n;
}
