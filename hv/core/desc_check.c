/*
 * The descriptor checker (see desc_check.h for the rules and the security
 * argument, spec/descriptors.md for the rule table).
 *
 * A descriptor is decoded once into a struct desc_fields on the stack; the
 * rules are checked and fix-ups applied to that copy; only an accepted
 * descriptor is encoded and written back. Encoding is Horner's scheme from
 * the top bits down, so each field's extraction from the result is one
 * division step the provers can follow (see the assertions in
 * desc_encode()).
 */
#include "desc_check.h"

/*@ logic integer df_base(struct desc_fields f) = seg_base(f.sel, f.mid, f.top);
    logic integer df_limit(struct desc_fields f) =
        seg_limit(seg_raw_limit(f.lim_lo, f.lim_hi), f.g);
*/

/*
 * What seg_reach_ok() means for the linear address the CPU forms, (base +
 * offset) mod 2^32, for every offset the segment accepts. These ghost
 * functions are lemmas: WP proves each contract, the compiler sees
 * nothing.
 */
/*@ ghost
  /@ requires seg_reach_ok(base, limit, 0) && off <= limit;
     assigns \nothing;
     ensures (base + off) % 4294967296 < GUEST_SEGMENT_MAX_ADDR;
  @/
  static void desc_lemma_reach_up(uint32_t base, uint32_t limit, uint32_t off)
  {
  }
*/

/*@ ghost
  /@ requires seg_reach_ok(base, limit, 4) && off > limit;
     assigns \nothing;
     ensures (base + off) % 4294967296 < base;
  @/
  static void desc_lemma_reach_down(uint32_t base, uint32_t limit, uint32_t off)
  {
  }
*/

void desc_decode(uint64_t d, struct desc_fields *f)
{
    uint32_t lo = (uint32_t)(d % DESC_WORD_DIV);
    uint32_t hi = (uint32_t)(d / DESC_WORD_DIV);

    f->lim_lo = lo % 0x10000u;
    f->sel = lo / 0x10000u;
    f->mid = hi % 0x100u;
    f->type = (hi / 0x100u) % 16u;
    f->s = (hi / 0x1000u) % 2u;
    f->dpl = (hi / 0x2000u) % 4u;
    f->p = (hi / 0x8000u) % 2u;
    f->lim_hi = (hi / 0x10000u) % 16u;
    f->avl = (hi / 0x100000u) % 8u;
    f->g = (hi / 0x800000u) % 2u;
    f->top = hi / 0x1000000u;
}

uint64_t desc_encode(const struct desc_fields *f)
{
    /* From the top of the high word down: h_x holds bit x and everything above. */
    uint32_t h_g = f->g + 2u * f->top;
    //@ assert h_g == f->g + 2 * f->top < 512;
    uint32_t h_avl = f->avl + 8u * h_g;
    //@ assert h_avl == f->avl + 8 * h_g < 4096;
    uint32_t h_lim = f->lim_hi + 16u * h_avl;
    //@ assert h_lim == f->lim_hi + 16 * h_avl < 65536;
    uint32_t h_p = f->p + 2u * h_lim;
    //@ assert h_p == f->p + 2 * h_lim < 131072;
    uint32_t h_dpl = f->dpl + 4u * h_p;
    //@ assert h_dpl == f->dpl + 4 * h_p < 524288;
    uint32_t h_s = f->s + 2u * h_dpl;
    //@ assert h_s == f->s + 2 * h_dpl < 1048576;
    uint32_t h_type = f->type + 16u * h_s;
    //@ assert h_type == f->type + 16 * h_s < 16777216;
    uint32_t hi = f->mid + 256u * h_type;
    //@ assert hi == f->mid + 256 * h_type;
    uint32_t lo = f->lim_lo + 65536u * f->sel;
    //@ assert lo == f->lim_lo + 65536 * f->sel;
    uint64_t d = (uint64_t)hi * DESC_WORD_DIV + lo;

    //@ assert h_type % 16 == f->type && h_s % 2 == f->s && h_dpl % 4 == f->dpl;
    //@ assert h_p % 2 == f->p && h_lim % 16 == f->lim_hi && h_avl % 8 == f->avl;
    //@ assert h_g % 2 == f->g;
    //@ assert hi / 256 == h_type && hi / 4096 == h_s && hi / 8192 == h_dpl;
    //@ assert hi / 32768 == h_p && hi / 65536 == h_lim;
    //@ assert hi / 1048576 == h_avl && hi / 8388608 == h_g;
    //@ assert hi / 16777216 == f->top;
    //@ assert hi % 256 == f->mid && (hi / 256) % 16 == f->type;
    //@ assert (hi / 4096) % 2 == f->s && (hi / 8192) % 4 == f->dpl;
    //@ assert (hi / 32768) % 2 == f->p && (hi / 65536) % 16 == f->lim_hi;
    //@ assert (hi / 1048576) % 8 == f->avl && (hi / 8388608) % 2 == f->g;
    //@ assert lo % 65536 == f->lim_lo && lo / 65536 == f->sel;
    //@ assert desc_hi(d) == hi && desc_lo(d) == lo;
    return d;
}

bool desc_gate_selector_ok(uint16_t sel)
{
    return sel / 8u < FIRST_RESERVED_GDT_ENTRY || sel == FLAT_RING1_CS ||
           (sel / 4u) % 2u != 0;
}

/*
 * A present system descriptor: only a 32-bit call gate, aimed at guest
 * code. Its own DPL was already raised (DESC-2).
 */
/*@ requires \valid(f) && fields_bounded(*f) && f->p == 1 && f->s == 0;
    assigns f->sel;
    ensures \result == 0 || \result == -EINVAL;
    ensures \result == 0 <==>
        (f->type == DESC_TYPE_CALL_GATE32 &&
         desc_gate_sel_ok(sel_rpl_fixed(\old(f->sel))) && f->mid / 32 == 0);
    ensures f->sel == sel_rpl_fixed(\old(f->sel)) && fields_bounded(*f);
    ensures \result == 0 ==> gate_ok(f->type, f->sel, f->mid);
*/
static int check_gate(struct desc_fields *f)
{
    /* DESC-4: the gate can never lead to ring 0 through its selector RPL */
    if (f->sel % 4u == 0)
        f->sel++;
    /* DESC-3: interrupt/trap/task gates, TSS, LDT, 16-bit call gates */
    if (f->type != DESC_TYPE_CALL_GATE32)
        return -EINVAL;
    /* DESC-5: only guest descriptors or the flat ring-1 CS */
    if (!desc_gate_selector_ok((uint16_t)f->sel))
        return -EINVAL;
    /* DESC-6: bits 7:5 sit above the parameter count and must be 0 */
    if (f->mid / 32u != 0)
        return -EINVAL;
    return 0;
}

/*
 * A present code or data segment: keep every reachable linear address
 * below GUEST_SEGMENT_MAX_ADDR, truncating the limit where Xen does.
 */
/*@ requires \valid(f) && fields_bounded(*f) && f->p == 1 && f->s == 1;
    assigns f->lim_lo, f->lim_hi;
    ensures \result == 0 || \result == -EINVAL;
    ensures fields_bounded(*f);
    ensures \result == 0 <==>
        (df_base(*f) < DESC_BASE_LIMIT &&
         (seg_reach_ok(df_base(\old(*f)), df_limit(\old(*f)), f->type) || f->g == 1));
    ensures \result == 0 ==>
        df_base(*f) < DESC_BASE_LIMIT && seg_reach_ok(df_base(*f), df_limit(*f), f->type);
    ensures seg_reach_ok(df_base(\old(*f)), df_limit(\old(*f)), f->type) ==>
        f->lim_lo == \old(f->lim_lo) && f->lim_hi == \old(f->lim_hi);
    ensures \result == 0 && !seg_reach_ok(df_base(\old(*f)), df_limit(\old(*f)), f->type) ==>
        seg_raw_limit(f->lim_lo, f->lim_hi) == trunc_limit(df_base(*f), f->type);
*/
static int check_segment(struct desc_fields *f)
{
    uint32_t base = f->sel + f->mid * 0x10000u + f->top * 0x1000000u;
    uint32_t raw = f->lim_lo + f->lim_hi * 0x10000u;
    uint32_t limit = f->g != 0 ? raw * PAGE_SIZE + (PAGE_SIZE - 1) : raw;
    uint64_t end = (uint64_t)base + limit + 1;   /* one past the last offset */

    /* DESC-7: at least a page below the end of the guest area */
    if (base >= DESC_BASE_LIMIT)
        return -EINVAL;
    if (f->type / 4u == 1) {
        /* DESC-9: an expand-down segment reaches the offsets above its
         * limit; they must all wrap, landing below the base. Otherwise
         * the limit becomes the page below the base: [base % 4096, base). */
        if (end >= DESC_WORD_DIV)
            return 0;
        raw = DESC_RAW_LIMIT_MAX - base / PAGE_SIZE;
    } else {
        /* DESC-8: expand-up data and code end at GUEST_SEGMENT_MAX_ADDR */
        if (end <= GUEST_SEGMENT_MAX_ADDR)
            return 0;
        raw = (GUEST_SEGMENT_MAX_ADDR - base) / PAGE_SIZE - 1;
    }
    /* DESC-10: only page-granular segments are truncated, as Xen */
    if (f->g == 0)
        return -EINVAL;
    f->lim_lo = raw % 0x10000u;
    f->lim_hi = raw / 0x10000u;
    return 0;
}

int desc_check(uint64_t *desc)
{
    struct desc_fields f;
    int rc;

    desc_decode(*desc, &f);
    /* DESC-1: the CPU never loads a not-present descriptor */
    if (f.p == 0)
        return 0;
    /* DESC-2: no DPL-0 descriptor may exist (raised on the copy) */
    if (f.dpl == 0)
        f.dpl = 1;
    if (f.s != 0)
        rc = check_segment(&f);
    else
        rc = check_gate(&f);
    /* DESC-11: write back only an accepted descriptor, all fix-ups at once */
    if (rc == 0)
        *desc = desc_encode(&f);
    return rc;
}

int desc_check_table(uint64_t *descs, uint32_t count)
{
    uint32_t i;

    /* Check every entry on a copy first, so a refusal changes nothing. */
    /*@ loop invariant 0 <= i <= count;
        loop invariant \forall integer j; 0 <= j < i ==> desc_accepts(descs[j]);
        loop assigns i;
        loop variant count - i;
    */
    for (i = 0; i < count; i++) {
        uint64_t copy = descs[i];

        if (desc_check(&copy) != 0)
            return -EINVAL;
    }
    /*@ loop invariant 0 <= i <= count;
        loop invariant \forall integer j; 0 <= j < i ==> desc_safe(descs[j]);
        loop invariant \forall integer j; i <= j < count ==>
            descs[j] == \at(descs[j], Pre) && desc_accepts(descs[j]);
        loop assigns i, descs[0 .. count - 1];
        loop variant count - i;
    */
    for (i = 0; i < count; i++) {
        int rc = desc_check(&descs[i]);

        //@ assert rc == 0;
        (void)rc;
    }
    return 0;
}
