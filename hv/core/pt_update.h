/*
 * Changing one entry of a live page table (mod_lN_entry).
 *
 * Theory of operation. A guest never writes a validated table itself: it
 * asks, and the entry is replaced in three steps so that no moment exists
 * in which a mapping is present without the references that justify it:
 *
 *  1. Decode: the table frame must be the caller's, validated, of the
 *     level asked for, and the slot one the guest may write (PT-12,
 *     PT-13); the new entry must pass its level's flag rules.
 *  2. Take what the new entry needs (PT-19: full validation of whatever it
 *     names, unless only bits that cannot grant access changed: the
 *     XSA-182 whitelist of pte_lN_same_rights(), which compares every other
 *     bit, so it keeps only entries that pass the flag rules again).
 *     If this fails nothing has changed.
 *  3. Write the entry; if a translation was removed or downgraded, flush
 *     the TLBs (PT-20, the XSA-286 family) and, for an L3, have every CPU
 *     reload its PDPTEs; only then drop what the old entry held (PT-19,
 *     the XSA-182 ordering). Step 3 cannot fail.
 *
 * Each entry is read once into a local; everything is decided on copies.
 * On one CPU the guest cannot run during the write, so a plain 64-bit
 * store is enough; the SMP port must make it a cmpxchg8b that tolerates
 * the hardware's A/D updates.
 *
 * Errors: -EINVAL (not a validated table of that level owned by the
 * caller, slot out of range or L3 slot >= 3, bad flags, and the PT-6..PT-11
 * reference errors), -EPERM (hypervisor slot of an L2, PT-12; L1 entry to
 * non-RAM), -EBUSY (L1 entry to RAM not of ctx->fd, PT-34, or RW to a
 * non-writable frame), -EOVERFLOW (a count at its limit).
 */
#ifndef CORE_PT_UPDATE_H
#define CORE_PT_UPDATE_H

#include "pt_table.h"

/*
 * Replace entry `slot` of L1 `l1_mfn` by `nl1e`. With `preserve_ad`
 * (MMU_PT_UPDATE_PRESERVE_AD) the old entry's A and D bits are kept.
 */
int pt_mod_l1_entry(struct pt_ctx *ctx, uint32_t l1_mfn, uint32_t slot,
                    uint64_t nl1e, bool preserve_ad);

/* The same for an L2 (plain or carrying the hypervisor slots). */
int pt_mod_l2_entry(struct pt_ctx *ctx, uint32_t l2_mfn, uint32_t slot, uint64_t nl2e);

/* The same for slots 0..2 of an L3. */
int pt_mod_l3_entry(struct pt_ctx *ctx, uint32_t l3_mfn, uint32_t slot, uint64_t nl3e);

/*
 * Read entry `slot` of a frame the caller knows to be a table of the
 * caller (used by the update_va_mapping walk).
 */
uint64_t pt_read_entry(uint32_t mfn, uint32_t slot);

/*
 * Is `mfn` a validated table of type `type` owned by ctx->dom? (The L2
 * level accepts PGT_L2 and PGT_L2_XEN when asked for PGT_L2.)
 */
bool pt_is_table(const struct pt_ctx *ctx, uint32_t mfn, uint8_t type);

/*
 * The walk: the L1 frame that maps `va` in ctx's current tables, reached
 * through validated tables of the caller only (update_va_mapping, grant
 * maps by address, descriptor pages). 0 or -EINVAL.
 */
int pt_walk_l1(const struct pt_ctx *ctx, uint32_t va, uint32_t *l1_mfn);

#endif
