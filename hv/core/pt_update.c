/*
 * mod_lN_entry: decode, take the new references, write, flush, drop the
 * old references (see pt_update.h).
 */
#include "pt_update.h"
#include "env.h"

uint64_t pt_read_entry(uint32_t mfn, uint32_t slot)
{
    const uint64_t *t = env_map_frame(mfn);
    uint64_t e = t[slot];

    env_unmap_frame(t);
    return e;
}

static void write_entry(uint32_t mfn, uint32_t slot, uint64_t e)
{
    uint64_t *t = env_map_frame(mfn);

    t[slot] = e;
    env_unmap_frame(t);
}

bool pt_is_table(const struct pt_ctx *ctx, uint32_t mfn, uint8_t type)
{
    const struct frame *f;

    if (pte_check_table_frame(ctx->ft, ctx->dom, mfn) != 0)
        return false;
    f = &ctx->ft->frames[mfn];
    if (f->type_count == 0 || !pt_frame_validated(f))
        return false;
    if (type == PGT_L2)
        return f->type == PGT_L2 || f->type == PGT_L2_XEN;
    return f->type == type;
}

/* PT-20: the TLBs may still hold the old translation: flush before the
 * old references go, so its frame cannot change type or owner first. */
static void flush_if_downgraded(uint64_t o, uint64_t n)
{
    if (pte_needs_flush(o, n))
        env_tlb_flush_all();
}

int pt_mod_l1_entry(struct pt_ctx *ctx, uint32_t l1_mfn, uint32_t slot,
                    uint64_t nl1e, bool preserve_ad)
{
    uint64_t ol1e;

    if (slot >= PT_L1_ENTRIES || !pt_is_table(ctx, l1_mfn, PGT_L1))
        return -EINVAL;
    ol1e = pt_read_entry(l1_mfn, slot);
    if (preserve_ad)
        nl1e |= ol1e & (PTE_A | PTE_D);
    if (pte_present(nl1e)) {
        if (!pte_l1_flags_ok(nl1e, ctx->io_capable))       /* PT-1, PT-2 */
            return -EINVAL;
        if (pte_l1_same_rights(ol1e, nl1e)) {               /* PT-19 fast path */
            write_entry(l1_mfn, slot, nl1e);
            return 0;
        }
        /* PT-19: new refs first; PT-34: the frame is ctx->fd's */
        int rc = pt_get_l1e(ctx, nl1e, true);

        if (rc != 0)
            return rc;
    }
    write_entry(l1_mfn, slot, nl1e);
    flush_if_downgraded(ol1e, nl1e);                        /* PT-20 */
    pt_put_l1e(ctx, ol1e);                                  /* PT-19: old refs last */
    return 0;
}

int pt_mod_l2_entry(struct pt_ctx *ctx, uint32_t l2_mfn, uint32_t slot, uint64_t nl2e)
{
    uint64_t ol2e;
    int rc;

    if (!pt_is_table(ctx, l2_mfn, PGT_L2))
        return -EINVAL;
    rc = pte_l2_slot_check(ctx->ft->frames[l2_mfn].type, slot);  /* PT-12 */
    if (rc != 0)
        return rc;
    ol2e = pt_read_entry(l2_mfn, slot);
    if (pte_present(nl2e)) {
        if (!pte_l2_flags_ok(nl2e))                         /* PT-3, PT-4 */
            return -EINVAL;
        if (pte_l2_same_rights(ol2e, nl2e)) {               /* PT-19 fast path */
            write_entry(l2_mfn, slot, nl2e);
            flush_if_downgraded(ol2e, nl2e);                /* RW dropped */
            return 0;
        }
        rc = pt_get_l2e(ctx, nl2e);                         /* PT-19 */
        if (rc != 0)
            return rc;
    }
    write_entry(l2_mfn, slot, nl2e);
    flush_if_downgraded(ol2e, nl2e);                        /* PT-20 */
    pt_put_l2e(ctx, ol2e);                                  /* PT-19 */
    return 0;
}

int pt_mod_l3_entry(struct pt_ctx *ctx, uint32_t l3_mfn, uint32_t slot, uint64_t nl3e)
{
    uint64_t ol3e;
    int rc;

    if (!pt_is_table(ctx, l3_mfn, PGT_L3))
        return -EINVAL;
    rc = pte_l3_slot_check(slot);                           /* PT-13 */
    if (rc != 0)
        return rc;
    ol3e = pt_read_entry(l3_mfn, slot);
    if (pte_present(nl3e)) {
        if (!pte_l3_flags_ok(nl3e))                         /* PT-5 */
            return -EINVAL;
        nl3e = pte_l3_strip(nl3e);          /* PT-5: stored as a PDPTE can hold it */
        if (pte_l3_same_rights(ol3e, nl3e)) {               /* PT-19: only AVAIL differs */
            write_entry(l3_mfn, slot, nl3e);
            return 0;
        }
        rc = pt_get_l3e(ctx, slot, nl3e);                   /* PT-19 */
        if (rc != 0)
            return rc;
    }
    write_entry(l3_mfn, slot, nl3e);
    env_l3_updated(l3_mfn);                 /* PT-20: CPUs cache the PDPTEs */
    flush_if_downgraded(ol3e, nl3e);
    pt_put_l3e(ctx, slot, ol3e);                            /* PT-19 */
    return 0;
}

/* ---- The walk ------------------------------------------------------------ */

/* The next level's frame if `e` is present and names a validated table
 * of `type` owned by the caller. */
static int next_table(const struct pt_ctx *ctx, uint64_t e, uint8_t type, uint32_t *mfn)
{
    if (!pte_present(e) || !pt_is_table(ctx, pte_mfn(e), type))
        return -EINVAL;
    *mfn = pte_mfn(e);
    return 0;
}

int pt_walk_l1(const struct pt_ctx *ctx, uint32_t va, uint32_t *l1_mfn)
{
    uint32_t l2_mfn = 0;
    int rc;

    if (!pt_is_table(ctx, ctx->cr3_mfn, PGT_L3))
        return -EINVAL;
    rc = next_table(ctx, pt_read_entry(ctx->cr3_mfn, pte_va_l3_slot(va)), PGT_L2,
                    &l2_mfn);
    if (rc != 0)
        return rc;
    return next_table(ctx, pt_read_entry(l2_mfn, pte_va_l2_slot(va)), PGT_L1, l1_mfn);
}
