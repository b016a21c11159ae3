/*
 * The descriptor a guest selector names, as the hypervisor itself looks
 * it up (spec/descriptors.md, DESC-12 and DESC-13).
 *
 * Theory of operation. The CPU bounds every selector it loads by the
 * table's limit and judges the descriptor before it uses it; a selector
 * past the limit, a null selector or an unsuitable descriptor is a fault
 * in the context that loaded it. The hypervisor reads guest descriptors
 * too: to find the stack segment a bounce frame goes on (the ring-1 stack
 * a guest named with stack_switch, or the SS it was interrupted on). A
 * guest chooses those selectors freely and may change its tables after it
 * named them (set_gdt, update_descriptor, MMUEXT_SET_LDT), so the
 * hypervisor's read must be bounded by the table as it is *now*, and a
 * selector that names nothing, or a descriptor the CPU would refuse, must
 * end as a fault of that guest, never as a read outside the table.
 *
 * seg_locate() is the bound (DESC-12): given the table sizes the glue
 * snapshots (the guest's registered GDT entry count, the hypervisor's
 * reserved GDT page, the current LDT entry count), it says which table and
 * which entry a selector names, or that it names nothing. Only a located
 * entry is read, and the glue reads it through the frame that holds it,
 * never through a linear address, so the read itself cannot fault.
 * seg_stack_check() then judges the descriptor as the CPU judges a data
 * segment load at CPL 0 followed by writes at the frame's offsets
 * (DESC-13), which is what Xen's create_bounce_frame does with the same
 * selector; anything it refuses crashes the guest, as in Xen.
 *
 * Fields are extracted with desc_decode() (desc_check.h), whose contract
 * names them in the ACSL vocabulary used below.
 */
#ifndef CORE_SEG_LOOKUP_H
#define CORE_SEG_LOOKUP_H

#include "types.h"
#include "desc_check.h"
#include "pv/arch_x86_32.h"

/* Which table a selector names (seg_locate). */
#define SEG_NONE     0u     /* null, or past the end of its table */
#define SEG_GDT      1u     /* an entry of the guest's own GDT frames */
#define SEG_RESERVED 2u     /* an entry of the hypervisor's reserved GDT page */
#define SEG_LDT      3u     /* an entry of the guest's LDT */

/* The hypervisor's reserved GDT page holds this many entries. */
#define SEG_RESERVED_ENTRIES 512u

/* seg_stack_check() results. */
#define SEG_STACK_OK        0
#define SEG_STACK_TYPE      1   /* not a writable data segment (system, code, read-only) */
#define SEG_STACK_PRIVILEGE 2   /* DPL below the selector's RPL: the load faults */
#define SEG_STACK_ABSENT    3   /* not present */
#define SEG_STACK_LIMIT     4   /* an offset of the frame lies outside the segment */

/*@ // A selector's fields.
    logic integer sel_index(integer sel) = sel / 8;
    predicate sel_ldt(integer sel) = (sel / 4) % 2 == 1;

    // The guest part of the GDT ends at its registered count, and never
    // reaches the reserved page.
    logic integer gdt_guest_end(integer gdt_ents) =
        gdt_ents < FIRST_RESERVED_GDT_ENTRY ? gdt_ents : FIRST_RESERVED_GDT_ENTRY;

    predicate seg_in_gdt(integer sel, integer gdt_ents) =
        !sel_ldt(sel) && 1 <= sel_index(sel) < gdt_guest_end(gdt_ents);
    predicate seg_in_reserved(integer sel) =
        !sel_ldt(sel) && FIRST_RESERVED_GDT_ENTRY <= sel_index(sel) &&
        sel_index(sel) < FIRST_RESERVED_GDT_ENTRY + SEG_RESERVED_ENTRIES;
    predicate seg_in_ldt(integer sel, integer ldt_ents) =
        sel_ldt(sel) && sel_index(sel) < ldt_ents;

    // A writable data segment (type 0x2, 0x3, 0x6, 0x7): bit 3 clear, bit 1 set.
    predicate seg_writable_data(integer s, integer type) =
        s == 1 && type / 8 == 0 && (type / 2) % 2 == 1;
    // The highest offset an expand-down segment accepts: D/B (bit 22) picks 4 GiB or 64 KiB.
    logic integer seg_upper(integer avl) = (avl / 4) % 2 == 1 ? 4294967295 : 65535;
    // Every offset of [top - bytes, top) lies inside the segment.
    predicate seg_offsets_ok(integer type, integer limit, integer avl,
                             integer top, integer bytes) =
        1 <= bytes <= top &&
        (seg_expand_down(type) ? top - bytes > limit && top - 1 <= seg_upper(avl)
                               : top - 1 <= limit);
*/

/*
 * DESC-12: the table and entry `sel` names, bounded by the tables as they
 * are now: guest GDT entries 1 .. min(gdt_ents, 7168) - 1, the 512
 * entries of the reserved page (*index counts from its first), LDT
 * entries 0 .. ldt_ents - 1. A null selector (index 0 of the GDT, any
 * RPL) and any index past its table name nothing (SEG_NONE, *index 0).
 */
/*@ requires \valid(index);
    assigns *index;
    ensures \result == SEG_NONE || \result == SEG_GDT || \result == SEG_RESERVED ||
            \result == SEG_LDT;
    behavior DESC_12_gdt:
        assumes seg_in_gdt(sel, gdt_ents);
        ensures \result == SEG_GDT && *index == sel_index(sel) &&
                1 <= *index < FIRST_RESERVED_GDT_ENTRY && *index < gdt_ents;
    behavior DESC_12_reserved:
        assumes seg_in_reserved(sel);
        ensures \result == SEG_RESERVED &&
                *index == sel_index(sel) - FIRST_RESERVED_GDT_ENTRY &&
                *index < SEG_RESERVED_ENTRIES;
    behavior DESC_12_ldt:
        assumes seg_in_ldt(sel, ldt_ents);
        ensures \result == SEG_LDT && *index == sel_index(sel) && *index < ldt_ents;
    behavior DESC_12_none:
        assumes !seg_in_gdt(sel, gdt_ents) && !seg_in_reserved(sel) &&
                !seg_in_ldt(sel, ldt_ents);
        ensures \result == SEG_NONE && *index == 0;
    complete behaviors;
    disjoint behaviors;
*/
uint32_t seg_locate(uint16_t sel, uint32_t gdt_ents, uint32_t ldt_ents, uint32_t *index);

/*
 * DESC-13: may the hypervisor write `bytes` bytes below offset `top` of
 * the segment `sel` names, whose descriptor is `desc`? As the CPU judges
 * a load of `sel` into a data segment register at CPL 0 and the writes:
 * a writable data segment (S = 1, type 0x2/0x3/0x6/0x7), DPL >= the
 * selector's RPL, present, and every offset top - bytes .. top - 1 inside
 * the segment (expand-up: at most the limit; expand-down: above the limit
 * and at most 0xFFFF or 0xFFFFFFFF by D/B), with no wrap below offset 0.
 * Returns SEG_STACK_OK with *base set to the segment's base, or the first
 * failed rule (SEG_STACK_*), *base untouched.
 */
/*@ requires \valid(base);
    assigns *base;
    ensures \result == SEG_STACK_OK || \result == SEG_STACK_TYPE ||
            \result == SEG_STACK_PRIVILEGE || \result == SEG_STACK_ABSENT ||
            \result == SEG_STACK_LIMIT;
    ensures DESC_13_type: !seg_writable_data(desc_s(desc), desc_type(desc)) ==>
        \result == SEG_STACK_TYPE;
    ensures DESC_13_privilege: seg_writable_data(desc_s(desc), desc_type(desc)) &&
        desc_dpl(desc) < sel % 4 ==> \result == SEG_STACK_PRIVILEGE;
    ensures DESC_13_present: seg_writable_data(desc_s(desc), desc_type(desc)) &&
        desc_dpl(desc) >= sel % 4 && desc_p(desc) == 0 ==> \result == SEG_STACK_ABSENT;
    ensures DESC_13_ok: \result == SEG_STACK_OK <==>
        (seg_writable_data(desc_s(desc), desc_type(desc)) && desc_dpl(desc) >= sel % 4 &&
         desc_p(desc) == 1 &&
         seg_offsets_ok(desc_type(desc), desc_limit(desc), desc_avl(desc), top, bytes));
    ensures \result == SEG_STACK_OK ==> *base == desc_base(desc);
    ensures \result != SEG_STACK_OK ==> *base == \old(*base);
*/
int seg_stack_check(uint64_t desc, uint16_t sel, uint32_t top, uint32_t bytes, uint32_t *base);

#endif
