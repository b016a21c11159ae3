/*
 * Selector lookup and the stack-segment judgement (see seg_lookup.h for
 * the theory of operation, spec/descriptors.md DESC-12 and DESC-13).
 */
#include "seg_lookup.h"

uint32_t seg_locate(uint16_t sel, uint32_t gdt_ents, uint32_t ldt_ents, uint32_t *index)
{
    uint32_t i = sel / 8u;

    *index = 0;
    if ((sel / 4u) % 2u != 0) {
        /* DESC-12: the LDT as it is now (MMUEXT_SET_LDT may have shrunk it) */
        if (i >= ldt_ents)
            return SEG_NONE;
        *index = i;
        return SEG_LDT;
    }
    /* DESC-12: index 0 is the null selector, whatever its RPL; the
     * guest's entries end at its count and never reach the reserved page */
    if (i >= 1 && i < gdt_ents && i < FIRST_RESERVED_GDT_ENTRY) {
        *index = i;
        return SEG_GDT;
    }
    /* DESC-12: the reserved page is the hypervisor's own, always there */
    if (i >= FIRST_RESERVED_GDT_ENTRY && i - FIRST_RESERVED_GDT_ENTRY < SEG_RESERVED_ENTRIES) {
        *index = i - FIRST_RESERVED_GDT_ENTRY;
        return SEG_RESERVED;
    }
    return SEG_NONE;        /* past the guest's entries or past the GDT */
}

/*
 * The segment's last valid offset, in bytes (seg_limit() in ACSL).
 */
/*@ requires \valid_read(f) && fields_bounded(*f);
    assigns \nothing;
    ensures \result == seg_limit(seg_raw_limit(f->lim_lo, f->lim_hi), f->g);
*/
static uint32_t field_limit(const struct desc_fields *f)
{
    uint32_t raw = f->lim_lo + 0x10000u * f->lim_hi;

    return f->g != 0 ? raw * 4096u + 4095u : raw;
}

/*@ requires \valid_read(f) && fields_bounded(*f);
    assigns \nothing;
    ensures \result == 1 <==>
        seg_offsets_ok(f->type, seg_limit(seg_raw_limit(f->lim_lo, f->lim_hi), f->g),
                       f->avl, top, bytes);
*/
static bool offsets_fit(const struct desc_fields *f, uint32_t top, uint32_t bytes)
{
    uint32_t limit = field_limit(f);
    uint32_t upper = (f->avl / 4u) % 2u != 0 ? 0xFFFFFFFFu : 0xFFFFu;

    /* no frame at all, or one that would wrap below offset 0 */
    if (bytes == 0 || bytes > top)
        return false;
    if (f->type / 4u == 1)              /* expand-down: offsets above the limit */
        return top - bytes > limit && top - 1u <= upper;
    return top - 1u <= limit;
}

int seg_stack_check(uint64_t desc, uint16_t sel, uint32_t top, uint32_t bytes, uint32_t *base)
{
    struct desc_fields f;

    desc_decode(desc, &f);
    /* DESC-13: only a writable data segment takes writes (system and
     * code descriptors, read-only data: the load or the write faults) */
    if (f.s != 1 || f.type / 8u != 0 || (f.type / 2u) % 2u == 0)
        return SEG_STACK_TYPE;
    /* DESC-13: a data segment load needs DPL >= RPL (CPL is 0 here) */
    if (f.dpl < sel % 4u)
        return SEG_STACK_PRIVILEGE;
    if (f.p == 0)
        return SEG_STACK_ABSENT;
    /* DESC-13: each byte of the frame inside the segment */
    if (!offsets_fit(&f, top, bytes))
        return SEG_STACK_LIMIT;
    *base = f.sel + 0x10000u * f.mid + 0x1000000u * f.top;
    return SEG_STACK_OK;
}
