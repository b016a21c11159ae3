/*
 * The PV console ring: see cons_ring.h for the theory of operation and
 * the contracts.
 *
 * Both functions have the same shape: pick the direction's buffer and
 * indices, read our own index then the peer's once each, refuse an
 * impossible pair (RING-7), copy min(available, len) bytes with a
 * barrier on each side, and store our index once.
 *
 * A byte position is computed as start + k folded once (cons_pos_at),
 * with start = idx % size taken once per call: for k < size that equals
 * (idx + k) % size, and keeps the arithmetic linear for the provers.
 */
#include "cons_ring.h"

/*@ ghost uint32_t cons_seen_first; */

/*@ requires \valid(intf) && cons_dir_ok(which);
    assigns \result \from intf, which;
    ensures \result == cons_data_of(intf, which);
    ensures \valid(\result + (0 .. cons_size_of(which) - 1));
*/
static char *cons_data(struct xencons_interface *intf, enum cons_ring_dir which)
{
    return which == CONS_RING_IN ? intf->in : intf->out;
}

/*@ requires cons_dir_ok(which);
    assigns \nothing;
    ensures \result == cons_size_of(which);
*/
static uint32_t cons_size(enum cons_ring_dir which)
{
    return which == CONS_RING_IN ? XENCONS_IN_SIZE : XENCONS_OUT_SIZE;
}

/*@ requires \valid(intf) && cons_dir_ok(which);
    assigns \result \from intf, which;
    ensures \result == cons_prod_of(intf, which) && \valid(\result);
*/
static XENCONS_RING_IDX *cons_prod_idx(struct xencons_interface *intf,
                                       enum cons_ring_dir which)
{
    return which == CONS_RING_IN ? &intf->in_prod : &intf->out_prod;
}

/*@ requires \valid(intf) && cons_dir_ok(which);
    assigns \result \from intf, which;
    ensures \result == cons_cons_of(intf, which) && \valid(\result);
*/
static XENCONS_RING_IDX *cons_cons_idx(struct xencons_interface *intf,
                                       enum cons_ring_dir which)
{
    return which == CONS_RING_IN ? &intf->in_cons : &intf->out_cons;
}

/* RING-3: the buffer position of stream byte k after `start`. */
/*@ requires 1 <= size <= XENCONS_OUT_SIZE && start < size && k < size;
    assigns \nothing;
    ensures \result == cons_pos(start, k, size);
    ensures 0 <= \result < size;
*/
static uint32_t cons_pos_at(uint32_t start, uint32_t k, uint32_t size)
{
    uint32_t pos = start + k;

    return pos < size ? pos : pos - size;
}

int32_t cons_ring_write(struct xencons_interface *intf, enum cons_ring_dir which,
                        const char *buf, uint32_t len)
{
    char *data = cons_data(intf, which);
    uint32_t size = cons_size(which);
    XENCONS_RING_IDX *prodp = cons_prod_idx(intf, which);
    XENCONS_RING_IDX prod = ring_load_idx(prodp);
    /*@ ghost cons_seen_first = ring_idx_seen; */
    XENCONS_RING_IDX cons = ring_load_idx(cons_cons_idx(intf, which));
    uint32_t unread = ring_idx_diff(prod, cons);
    uint32_t n, start;

    if (unread > size)  /* RING-7: the peer moved an index; room is unknown */
        return CONS_RING_BAD_PEER;
    n = size - unread < len ? size - unread : len;
    start = prod % size;
    ring_mb();  /* cons is read before the bytes it freed are overwritten */
    /*@ loop invariant 0 <= k <= n;
        loop invariant \forall integer j; 0 <= j < k ==>
            data[cons_pos(start, j, size)] == buf[j];
        loop assigns k, data[0 .. size - 1];
        loop variant n - k;
    */
    for (uint32_t k = 0; k < n; k++)
        data[cons_pos_at(start, k, size)] = buf[k];
    ring_wmb();  /* the bytes are visible before prod covers them */
    ring_store_idx(prodp, ring_idx_add(prod, n));
    return (int32_t)n;
}

int32_t cons_ring_read(struct xencons_interface *intf, enum cons_ring_dir which,
                       char *buf, uint32_t len)
{
    const char *data = cons_data(intf, which);
    uint32_t size = cons_size(which);
    XENCONS_RING_IDX *consp = cons_cons_idx(intf, which);
    XENCONS_RING_IDX cons = ring_load_idx(consp);
    /*@ ghost cons_seen_first = ring_idx_seen; */
    XENCONS_RING_IDX prod = ring_load_idx(cons_prod_idx(intf, which));
    uint32_t unread = ring_idx_diff(prod, cons);
    uint32_t n, start;

    if (unread > size)  /* RING-7: more unread bytes than the buffer holds */
        return CONS_RING_BAD_PEER;
    n = unread < len ? unread : len;
    start = cons % size;
    ring_rmb();  /* the bytes are read after the prod that published them */
    /*@ loop invariant 0 <= k <= n;
        loop invariant \forall integer j; 0 <= j < k ==>
            buf[j] == data[cons_pos(start, j, size)];
        loop assigns k, buf[0 .. len - 1];
        loop variant n - k;
    */
    for (uint32_t k = 0; k < n; k++)
        buf[k] = data[cons_pos_at(start, k, size)];
    ring_mb();  /* the bytes are read before cons gives their room back */
    ring_store_idx(consp, ring_idx_add(cons, n));
    return (int32_t)n;
}
