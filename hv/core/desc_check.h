/*
 * Segment descriptors a guest installs: the one checker (spec/descriptors.md).
 *
 * Theory of operation. A guest kernel runs in ring 1, which paging treats
 * as supervisor, so page protections do not keep it out of the hypervisor
 * at HYPERVISOR_VIRT_START. Segments do: every descriptor a guest can make
 * the CPU load (its GDT frames, update_descriptor, its LDT pages) passes
 * desc_check() first, and an accepted descriptor
 *
 *  - is not present (DESC-1): the CPU refuses to load it; or
 *  - has DPL >= 1 (DESC-2), so no selector, gate or IRET can reach ring 0
 *    through a guest descriptor; and
 *  - if it is a code or data segment, every linear address it reaches lies
 *    below GUEST_SEGMENT_MAX_ADDR (0xF6800000, the end of the read-only
 *    M2P): an expand-up or code segment ends at or below it (DESC-7,
 *    DESC-8), an expand-down segment's accessible offsets all wrap to
 *    addresses below its base (DESC-9); a byte-granular segment that would
 *    need truncating is refused (DESC-10);
 *  - if it is a system descriptor, it is a 32-bit call gate whose target
 *    selector has RPL >= 1 and names a guest descriptor or the flat ring-1
 *    code segment (DESC-3 to DESC-6). Its target is a descriptor that was
 *    itself checked here (or FLAT_RING1_CS), so it cannot be DPL 0.
 *
 * This is Xen 4.2's 32-bit check_descriptor with one difference (DESC-11):
 * the descriptor is decoded into locals, every rule is checked, and only
 * an accepted descriptor is written back, with all its fix-ups at once; a
 * refused one is left exactly as it was (Xen wrote the DPL fix-up before
 * refusing).
 *
 * Fields are extracted with division and remainder by powers of two (the
 * compiler emits the same shifts and masks) because the SMT provers do not
 * relate bit operations to arithmetic; the ACSL functions below use the
 * same arithmetic.
 */
#ifndef CORE_DESC_CHECK_H
#define CORE_DESC_CHECK_H

#include "types.h"
#include "pv/errno.h"
#include "pv/layout.h"
#include "pv/arch_x86_32.h"

#define DESC_WORD_DIV         0x100000000ull   /* the high word sits above 2^32 */
#define DESC_TYPE_CALL_GATE32 0xCu
#define DESC_RAW_LIMIT_MAX    0xFFFFFu

/* The highest base a code/data segment may have (exclusive): one page below the end. */
#define DESC_BASE_LIMIT (GUEST_SEGMENT_MAX_ADDR - PAGE_SIZE)

/*
 * Every bit of a descriptor, as a field. The names are those of a code or
 * data segment; a call gate keeps its selector in `sel`, its parameter
 * count and reserved bits in `mid`, and its offset in `lim_lo`, `lim_hi`,
 * `avl`, `g` and `top`.
 */
struct desc_fields {
    uint32_t lim_lo;   /* low word  0..15: limit 15:0 */
    uint32_t sel;      /* low word 16..31: base 15:0 (gate: target selector) */
    uint32_t mid;      /* high word 0..7: base 23:16 (gate: count, bits 7:5 reserved) */
    uint32_t type;     /* high word 8..11 */
    uint32_t s;        /* 12: code/data (1) or system (0) */
    uint32_t dpl;      /* 13..14 */
    uint32_t p;        /* 15: present */
    uint32_t lim_hi;   /* 16..19: limit 19:16 */
    uint32_t avl;      /* 20..22: AVL, L, D/B */
    uint32_t g;        /* 23: limit counts 4 KiB pages */
    uint32_t top;      /* 24..31: base 31:24 */
};

/*@ // The two 32-bit words of a descriptor, then its fields as the CPU reads them.
    logic integer desc_hi(integer d) = d / 4294967296;
    logic integer desc_lo(integer d) = d % 4294967296;
    logic integer desc_lim_lo(integer d) = desc_lo(d) % 65536;
    logic integer desc_sel(integer d)    = desc_lo(d) / 65536;
    logic integer desc_mid(integer d)    = desc_hi(d) % 256;
    logic integer desc_type(integer d)   = (desc_hi(d) / 256) % 16;
    logic integer desc_s(integer d)      = (desc_hi(d) / 4096) % 2;
    logic integer desc_dpl(integer d)    = (desc_hi(d) / 8192) % 4;
    logic integer desc_p(integer d)      = (desc_hi(d) / 32768) % 2;
    logic integer desc_lim_hi(integer d) = (desc_hi(d) / 65536) % 16;
    logic integer desc_avl(integer d)    = (desc_hi(d) / 1048576) % 8;
    logic integer desc_g(integer d)      = (desc_hi(d) / 8388608) % 2;
    logic integer desc_top(integer d)    = desc_hi(d) / 16777216;

    predicate fields_bounded(struct desc_fields f) =
        f.lim_lo < 65536 && f.sel < 65536 && f.mid < 256 && f.type < 16 &&
        f.s < 2 && f.dpl < 4 && f.p < 2 && f.lim_hi < 16 && f.avl < 8 &&
        f.g < 2 && f.top < 256;

    predicate desc_has_fields(integer d, struct desc_fields f) =
        desc_lim_lo(d) == f.lim_lo && desc_sel(d) == f.sel &&
        desc_mid(d) == f.mid && desc_type(d) == f.type && desc_s(d) == f.s &&
        desc_dpl(d) == f.dpl && desc_p(d) == f.p && desc_lim_hi(d) == f.lim_hi &&
        desc_avl(d) == f.avl && desc_g(d) == f.g && desc_top(d) == f.top;

    // What the fields mean.
    logic integer seg_base(integer sel, integer mid, integer top) =
        sel + mid * 65536 + top * 16777216;
    logic integer seg_raw_limit(integer lim_lo, integer lim_hi) =
        lim_lo + lim_hi * 65536;
    // the last valid offset, in bytes
    logic integer seg_limit(integer raw, integer g) =
        g == 1 ? raw * 4096 + 4095 : raw;
    // a data segment (type bit 3 clear) with the expand-down bit (bit 2)
    predicate seg_expand_down(integer type) = type / 4 == 1;

    // DESC-5: guest_gate_selector_okay: a guest GDT entry, the flat ring-1 CS, or the LDT
    predicate desc_gate_sel_ok(integer sel) =
        sel / 8 < FIRST_RESERVED_GDT_ENTRY || sel == FLAT_RING1_CS ||
        (sel / 4) % 2 == 1;
    logic integer sel_rpl_fixed(integer sel) = sel % 4 == 0 ? sel + 1 : sel;
    logic integer dpl_fixed(integer dpl) = dpl == 0 ? 1 : dpl;

    // DESC-7..9: every offset of the segment maps below GUEST_SEGMENT_MAX_ADDR:
    // expand-up and code end there; an expand-down segment's accessible
    // offsets (above its limit) all wrap around to addresses below its base.
    // desc_check.c proves both readings (desc_lemma_reach_up/down).
    predicate seg_reach_ok(integer base, integer limit, integer type) =
        seg_expand_down(type) ? base + limit + 1 >= 4294967296 :
                                base + limit + 1 <= GUEST_SEGMENT_MAX_ADDR;

    predicate gate_ok(integer type, integer sel, integer mid) =
        type == DESC_TYPE_CALL_GATE32 && sel % 4 != 0 &&
        desc_gate_sel_ok(sel) && mid / 32 == 0;

    // What an accepted descriptor guarantees.
    predicate fields_safe(integer p, integer dpl, integer s, integer type,
                          integer base, integer limit, integer sel, integer mid) =
        p == 0 ||
        (dpl >= 1 &&
         (s == 1 ? base < DESC_BASE_LIMIT && seg_reach_ok(base, limit, type)
                 : gate_ok(type, sel, mid)));

    logic integer desc_base(integer d) = seg_base(desc_sel(d), desc_mid(d), desc_top(d));
    logic integer desc_raw_limit(integer d) = seg_raw_limit(desc_lim_lo(d), desc_lim_hi(d));
    logic integer desc_limit(integer d) = seg_limit(desc_raw_limit(d), desc_g(d));

    predicate desc_safe(integer d) =
        fields_safe(desc_p(d), desc_dpl(d), desc_s(d), desc_type(d),
                    desc_base(d), desc_limit(d), desc_sel(d), desc_mid(d));

    predicate desc_needs_trunc(integer d) =
        !seg_reach_ok(desc_base(d), desc_limit(d), desc_type(d));

    // The descriptors desc_check() accepts (possibly after fix-ups).
    predicate desc_accepts(integer d) =
        desc_p(d) == 0 ||
        (desc_s(d) == 1 ?
            desc_base(d) < DESC_BASE_LIMIT && (!desc_needs_trunc(d) || desc_g(d) == 1) :
            desc_type(d) == DESC_TYPE_CALL_GATE32 &&
            desc_gate_sel_ok(sel_rpl_fixed(desc_sel(d))) && desc_mid(d) / 32 == 0);

    // The raw limit a truncation writes (DESC-8, DESC-9).
    logic integer trunc_limit(integer base, integer type) =
        type / 4 == 1 ? 1048575 - base / 4096
                      : (GUEST_SEGMENT_MAX_ADDR - base) / 4096 - 1;

    // Fields a fix-up never changes.
    predicate desc_kept(integer o, integer n) =
        desc_mid(n) == desc_mid(o) && desc_type(n) == desc_type(o) &&
        desc_s(n) == desc_s(o) && desc_p(n) == desc_p(o) &&
        desc_avl(n) == desc_avl(o) && desc_g(n) == desc_g(o) &&
        desc_top(n) == desc_top(o);
*/

/* Split a descriptor into its fields, and put it back together. */
/*@ requires \valid(f);
    assigns *f;
    ensures desc_has_fields(d, *f) && fields_bounded(*f);
*/
void desc_decode(uint64_t d, struct desc_fields *f);

/*@ requires \valid_read(f) && fields_bounded(*f);
    assigns \nothing;
    ensures desc_has_fields(\result, *f);
*/
uint64_t desc_encode(const struct desc_fields *f);

/*
 * DESC-5: may a call gate (or the int 0x80 direct trap gate) name `sel`?
 * Yes when it is a guest GDT entry (index below 7168), exactly
 * FLAT_RING1_CS, or an LDT selector. Every other entry of the reserved GDT
 * page is the hypervisor's.
 */
/*@ assigns \nothing;
    ensures DESC_5: \result == 1 <==> desc_gate_sel_ok(sel);
*/
bool desc_gate_selector_ok(uint16_t sel);

/*
 * Check one descriptor a guest installs and fix it up in place.
 * Returns 0 (accepted; *desc possibly rewritten: DPL raised to 1, a call
 * gate's selector RPL raised to 1, a segment's limit truncated) or
 * -EINVAL (refused; *desc unchanged).
 */
/*@ requires \valid(desc);
    assigns *desc;
    ensures \result == 0 || \result == -EINVAL;
    ensures accepts: \result == 0 <==> desc_accepts(\old(*desc));
    ensures DESC_SAFE: \result == 0 ==> desc_safe(*desc);
    ensures DESC_11: \result != 0 ==> *desc == \old(*desc);
    ensures DESC_2: \result == 0 ==>
        desc_dpl(*desc) == (desc_p(*desc) == 1 ? dpl_fixed(desc_dpl(\old(*desc)))
                                               : desc_dpl(\old(*desc)));
    ensures kept: \result == 0 ==> desc_kept(\old(*desc), *desc);
    behavior DESC_1_not_present:
        assumes desc_p(*desc) == 0;
        ensures \result == 0 && *desc == \old(*desc);
    behavior DESC_3_6_bad_system:
        assumes desc_p(*desc) == 1 && desc_s(*desc) == 0;
        assumes desc_type(*desc) != DESC_TYPE_CALL_GATE32 ||
                !desc_gate_sel_ok(sel_rpl_fixed(desc_sel(*desc))) ||
                desc_mid(*desc) / 32 != 0;
        ensures \result == -EINVAL;
    behavior DESC_4_call_gate:
        assumes desc_p(*desc) == 1 && desc_s(*desc) == 0;
        assumes desc_type(*desc) == DESC_TYPE_CALL_GATE32 &&
                desc_gate_sel_ok(sel_rpl_fixed(desc_sel(*desc))) &&
                desc_mid(*desc) / 32 == 0;
        ensures \result == 0;
        ensures desc_sel(*desc) == sel_rpl_fixed(desc_sel(\old(*desc)));
        ensures desc_lim_lo(*desc) == desc_lim_lo(\old(*desc)) &&
                desc_lim_hi(*desc) == desc_lim_hi(\old(*desc));
    behavior DESC_7_bad_base:
        assumes desc_p(*desc) == 1 && desc_s(*desc) == 1;
        assumes desc_base(*desc) >= DESC_BASE_LIMIT;
        ensures \result == -EINVAL;
    behavior fits:
        assumes desc_p(*desc) == 1 && desc_s(*desc) == 1;
        assumes desc_base(*desc) < DESC_BASE_LIMIT && !desc_needs_trunc(*desc);
        ensures \result == 0;
        ensures desc_sel(*desc) == desc_sel(\old(*desc)) &&
                desc_lim_lo(*desc) == desc_lim_lo(\old(*desc)) &&
                desc_lim_hi(*desc) == desc_lim_hi(\old(*desc));
    behavior DESC_8_9_truncated:
        assumes desc_p(*desc) == 1 && desc_s(*desc) == 1;
        assumes desc_base(*desc) < DESC_BASE_LIMIT && desc_needs_trunc(*desc);
        assumes desc_g(*desc) == 1;
        ensures \result == 0;
        ensures desc_sel(*desc) == desc_sel(\old(*desc));
        ensures desc_raw_limit(*desc) ==
            trunc_limit(desc_base(\old(*desc)), desc_type(\old(*desc)));
    behavior DESC_10_byte_granular:
        assumes desc_p(*desc) == 1 && desc_s(*desc) == 1;
        assumes desc_base(*desc) < DESC_BASE_LIMIT && desc_needs_trunc(*desc);
        assumes desc_g(*desc) == 0;
        ensures \result == -EINVAL;
    complete behaviors;
    disjoint behaviors;
*/
int desc_check(uint64_t *desc);

/*
 * The same rules over `count` consecutive descriptors (a GDT or LDT frame
 * being typed as a descriptor table: count = 512). All or nothing: 0 with
 * every descriptor checked and fixed up, or -EINVAL with the table
 * unchanged. The caller keeps the frame unwritable by the guest meanwhile.
 */
/*@ requires \valid(descs + (0 .. count - 1));
    assigns descs[0 .. count - 1];
    ensures \result == 0 || \result == -EINVAL;
    ensures DESC_SAFE: \result == 0 ==>
        \forall integer i; 0 <= i < count ==> desc_safe(descs[i]);
    ensures DESC_11: \result != 0 ==>
        \forall integer i; 0 <= i < count ==> descs[i] == \old(descs[i]);
*/
int desc_check_table(uint64_t *descs, uint32_t count);

#endif
