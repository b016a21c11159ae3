/*
 * dom0's direct read of a committed node (see xs_peek in xs.h): the
 * backends look at their frontends' `state` on every poll in which the
 * store changed, and a lookup costs less than a request and its reply.
 */
#include "xs_impl.h"

int xs_peek(const struct xs_store *s, const char *path, char *buf, uint32_t max, uint64_t *gen)
{
    uint32_t len = (uint32_t)strlen(path), r = xs_find(s, 0, path, len);
    const struct xs_node *n;

    if (gen)
        *gen = XS_NO_GEN;
    if (r == XS_NONE)
        return -ENOENT;
    n = &s->node[r];
    if (gen)
        *gen = n->generation;
    if (n->data != XS_NONE && n->data_len)
        memcpy(buf, &s->heap.bytes[n->data], n->data_len < max ? n->data_len : max);
    return (int)n->data_len;
}
