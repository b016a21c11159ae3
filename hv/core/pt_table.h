/*
 * Page tables as typed frames: taking and dropping references level by
 * level, with validation and devalidation, pins and the base pointer.
 *
 * Theory of operation. What an entry holds (spec/memory.md):
 *
 *   present L1 entry, RO    one general reference on its frame
 *   present L1 entry, RW    general + PGT_WRITABLE type reference (PT-7)
 *                           (for dom0 the frame may be a paused guest's:
 *                           a foreign mapping, PT-33..PT-37)
 *   present L2 entry        general + PGT_L1 reference (PT-8)
 *   L3 slot 0..2, present   general + PGT_L2 reference (PT-9)
 *   L3 slot 3 (required)    general + PGT_L2_XEN reference, the only one
 *                           that L2 ever has (PT-10)
 *   pin                     general + the pinned type (PT-25)
 *   CR3                     general + PGT_L3 (PT-26)
 *   non-present entry       nothing (PT-21)
 *
 * Taking a table type on a frame that had none validates every entry of
 * the frame by taking the references above (PT-17: if any entry fails,
 * those already taken are dropped again and the frame returns to no type,
 * so the state is as before the call). Dropping the last type reference
 * drops what the entries hold (PT-18). There is no recursion: each level
 * has its own functions and calls only the level below (L3 -> L2 -> L1 ->
 * writable/general), so the call graph is acyclic and a validation's work
 * is bounded by 4 x 512 x 512 entries. Because a table takes its type
 * before its entries are checked and a frame under validation refuses new
 * references (PT-14), no table can be reached from its own entries or
 * from a table of the same or a lower level: there are no linear page
 * tables at any level.
 *
 * While a table is being validated nobody can write it: it had no type,
 * so no writable mapping existed (the flush rule PT-20 removed stale
 * ones), and its entries are read in place, once to take and at most
 * once more to undo. At most two frames are mapped at once.
 *
 * Error codes (Xen's where Xen has one): -EINVAL bad flags, frame not
 * owned (for L2/L3 entries), wrong type, under validation, missing slot 3,
 * L3 above 4 GiB; -EPERM an L1 entry to non-RAM; -EBUSY an L1 entry to
 * RAM of an owner it may not map (PT-6, PT-34, PT-35) or a RW entry to a
 * frame that cannot be writable;
 * -EOVERFLOW a count at PT_COUNT_MAX.
 *
 * The put functions cannot fail while the counts match the tables; if
 * they do not, the put is refused (PT-16) and ctx->bugs is incremented.
 *
 * The single-frame steps (pt_ref.h, pagetype.h) are proved; the
 * composition here is checked by the unit tests and at run time by the
 * audit (pt_audit.h), not yet by WP (proofs/README.md).
 */
#ifndef CORE_PT_TABLE_H
#define CORE_PT_TABLE_H

#include "pt_ref.h"

/* PT-11: an L3 must lie below 4 GiB, where a 32-bit CR3 can reach it. */
#define PT_L3_MFN_LIMIT  0x100000u

/* Level by level: general + type reference, validating on first use. */
int pt_get_l1_table(struct pt_ctx *ctx, uint32_t mfn);
int pt_get_l2_table(struct pt_ctx *ctx, uint32_t mfn);
/* PT-10: the frame must have no type at all (type count 0). */
int pt_get_l2_xen_table(struct pt_ctx *ctx, uint32_t mfn);
/* PT-11: mfn < PT_L3_MFN_LIMIT; PT-10: slot 3 present. */
int pt_get_l3_table(struct pt_ctx *ctx, uint32_t mfn);

void pt_put_l1_table(struct pt_ctx *ctx, uint32_t mfn);
void pt_put_l2_table(struct pt_ctx *ctx, uint32_t mfn);
/* PT-12: also clears the hypervisor slots, which never outlive the type. */
void pt_put_l2_xen_table(struct pt_ctx *ctx, uint32_t mfn);
void pt_put_l3_table(struct pt_ctx *ctx, uint32_t mfn);

/*
 * What one entry holds, taken or dropped (table above). An L1 entry being
 * written (`writing`, mod_l1_entry) may map only frames of ctx->fd
 * (PT-34); one met while validating an L1, frames of the caller or, for
 * the privileged ctx, of any domain env_foreign_mappable() accepts
 * (PT-35). L2 and L3 entries are always to the caller's own tables.
 * Dropping accepts what taking accepted (PT-37), whatever fd is then.
 */
int pt_get_l1e(struct pt_ctx *ctx, uint64_t l1e, bool writing);
int pt_get_l2e(struct pt_ctx *ctx, uint64_t l2e);
int pt_get_l3e(struct pt_ctx *ctx, uint32_t slot, uint64_t l3e);
void pt_put_l1e(struct pt_ctx *ctx, uint64_t l1e);
void pt_put_l2e(struct pt_ctx *ctx, uint64_t l2e);
void pt_put_l3e(struct pt_ctx *ctx, uint32_t slot, uint64_t l3e);

/*
 * PT-25: pin `mfn` as `type` (PGT_L1, PGT_L2 or PGT_L3; PGT_L2 is the
 * plain type, so a pinned L2 can never sit under L3 slot 3). 0, or -EINVAL
 * (not owned, already pinned, bad type) or the validation's error.
 */
int pt_pin_table(struct pt_ctx *ctx, uint32_t mfn, uint8_t type);

/* PT-25: unpin; -EINVAL if not owned or not pinned. */
int pt_unpin_table(struct pt_ctx *ctx, uint32_t mfn);

/*
 * PT-26: make `mfn` the base table: take its L3 reference first, load it
 * (env_load_cr3), then drop the old base's. 0 or the L3 validation error.
 */
int pt_set_baseptr(struct pt_ctx *ctx, uint32_t mfn);

/*
 * Drop the base table's references (domain teardown). The caller must
 * already have switched the CPU to another base table.
 */
void pt_clear_baseptr(struct pt_ctx *ctx);

#endif
