/*
 * The xenstore's byte pool (see xs.h): paths, values and tokens live in
 * one fixed array, handed out in 16-byte units, first fit, one bit per
 * unit. A block is named by its byte offset; its length is kept by its
 * owner, which frees it with the same length. Never more than the array:
 * a request that does not fit gets XS_NONE, and the caller answers ENOMEM.
 */
#include "xs_impl.h"

static uint32_t units_for(uint32_t len)
{
    return (len + XS_HEAP_UNIT - 1u) / XS_HEAP_UNIT;
}

static bool unit_used(const struct xs_heap *h, uint32_t u)
{
    return (h->map[u / 32u] >> (u % 32u)) & 1u;
}

static void mark(struct xs_heap *h, uint32_t first, uint32_t n, bool used)
{
    uint32_t u;

    for (u = first; u < first + n; u++) {
        if (used)
            h->map[u / 32u] |= 1u << (u % 32u);
        else
            h->map[u / 32u] &= ~(1u << (u % 32u));
    }
}

uint32_t xs_heap_units(uint32_t len)
{
    return units_for(len);
}

uint32_t xs_heap_alloc(struct xs_heap *h, uint32_t len)
{
    uint32_t need = units_for(len), run = 0, u = 0;

    if (len == 0 || len > XS_HEAP_SIZE)
        return XS_NONE;
    while (u < XS_HEAP_UNITS) {
        if (run == 0 && u % 32u == 0 && h->map[u / 32u] == 0xFFFFFFFFu) {
            u += 32u;               /* a full word: skip it whole */
            continue;
        }
        run = unit_used(h, u) ? 0 : run + 1u;
        u++;
        if (run == need) {
            mark(h, u - need, need, true);
            h->units_used += need;
            return (u - need) * XS_HEAP_UNIT;
        }
    }
    return XS_NONE;
}

void xs_heap_free(struct xs_heap *h, uint32_t off, uint32_t len)
{
    uint32_t n = units_for(len);

    if (off == XS_NONE || len == 0)
        return;
    mark(h, off / XS_HEAP_UNIT, n, false);
    h->units_used -= n;
}
