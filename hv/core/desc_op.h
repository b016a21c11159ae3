/*
 * set_gdt (hypercall 2), update_descriptor (hypercall 10) and the lazily
 * mapped LDT, decoded and decided in the core (spec/descriptors.md
 * DESC-14..DESC-16).
 *
 * Theory of operation. Every frame the CPU can read descriptors from --
 * the GDT frames a guest registers and the LDT pages it touches -- holds
 * a PGT_SEG_DESC type reference for as long as the hypervisor shows it
 * in the domain's descriptor area. Taking that type runs the one checker
 * (desc_check_table() over all 512 entries), and the type keeps the
 * frame from being mapped writable meanwhile (PT-7), so every descriptor
 * the CPU can load has passed desc_check(). update_descriptor, the only
 * other way to change such a frame, checks its one entry and stores it
 * whole (desc_store()).
 *
 * The state is struct desc_tables, one per domain (per vCPU, one vCPU
 * for now), beside the domain's pt_ctx, whose owner, frame table and LDT
 * base and size the operations use. What the hardware must then show is
 * asked of env.h (env_gdt_page_set(), env_ldt_page_set(),
 * env_desc_changed()); the GDT register itself always points at the
 * descriptor area, so nothing else is loaded.
 *
 * Errors are Xen's: -EINVAL a rule refused, -EFAULT the frame list is not
 * readable; each function lists those it returns.
 */
#ifndef CORE_DESC_OP_H
#define CORE_DESC_OP_H

#include "pt_ctx.h"
#include "types.h"

#define DESC_GDT_FRAMES   14u      /* guest GDT: entries 0 .. 7167 (FIRST_RESERVED_GDT_ENTRY) */
#define DESC_GDT_ENTRIES  (DESC_GDT_FRAMES * 512u)
#define DESC_LDT_PAGES    16u      /* LDT: at most 8192 entries */

struct desc_tables {
    uint32_t gdt_mfn[DESC_GDT_FRAMES];  /* the frames set_gdt registered */
    uint32_t gdt_frames;                /* how many: ceil(gdt_ents / 512) */
    uint32_t gdt_ents;
    uint32_t ldt_mfn[DESC_LDT_PAGES];   /* LDT pages mapped so far, 0 = not yet */
};

/*
 * DESC-14, set_gdt: `entries` (at most DESC_GDT_ENTRIES, else -EINVAL)
 * entries in the frames listed at `frames` (ceil(entries / 512) frame
 * numbers, copied in once, else -EFAULT). Every frame must take the
 * PGT_SEG_DESC type (the caller's, every entry passing desc_check()),
 * else the error of the first that does not (-EINVAL, -EOVERFLOW) and
 * nothing changed; only then are the old GDT frames released and the
 * new ones shown.
 */
int desc_set_gdt(struct pt_ctx *pt, struct desc_tables *dt, guest_ptr_t frames,
                 uint32_t entries);

/*
 * DESC-15, update_descriptor: store `desc` (after desc_check()'s
 * fix-ups) at machine address `maddr`, which must be 8-byte aligned, in
 * a frame of the caller typed PGT_SEG_DESC, PGT_WRITABLE or nothing (not
 * a page table). -EINVAL for any rule refused, with nothing written.
 */
int desc_update_descriptor(const struct pt_ctx *pt, uint64_t maddr, uint64_t desc);

/*
 * DESC-16: map LDT page `page` (the frame the caller's own tables map at
 * ldt_base + page * 4096, typed PGT_SEG_DESC) into the LDT area, as the
 * CPU's first access to it asks. -EINVAL when the page is past the LDT
 * (pt->ldt_ents), already mapped, not mapped by the guest, or its frame
 * cannot take the type.
 */
int desc_map_ldt_page(struct pt_ctx *pt, struct desc_tables *dt, uint32_t page);

/*
 * DESC-12: entry `index` of the guest's GDT (SEG_GDT) or LDT (SEG_LDT)
 * as seg_locate() named it, read through the frame that holds it (an LDT
 * page is mapped first, as the CPU's access would). 0, or -EINVAL when
 * there is no such entry (past the table, an LDT page that cannot be
 * mapped, any other table).
 */
int desc_table_entry(struct pt_ctx *pt, struct desc_tables *dt, uint32_t table,
                     uint32_t index, uint64_t *desc);

/* Release every GDT frame (teardown, or before a new set_gdt takes effect). */
void desc_release_gdt(struct pt_ctx *pt, struct desc_tables *dt);

/* Release every mapped LDT page (MMUEXT_SET_LDT, teardown). */
void desc_release_ldt(struct pt_ctx *pt, struct desc_tables *dt);

/*
 * Store one descriptor into slot `slot` (0..511 of the 8-byte entries) of
 * a mapped frame as one volatile 64-bit write, which the compiler may not
 * drop, split into narrower pieces than the target's widest integer
 * store, or move past the unmap. The 32-bit hypervisor has no 8-byte
 * general-register store and so writes two halves: safe because it runs
 * on one CPU with the guest stopped, so nothing loads the entry between
 * them (SMP needs cmpxchg8b here, as Xen's 32-bit code had).
 */
void desc_store(uint64_t *page, uint32_t slot, uint64_t desc);

#endif
