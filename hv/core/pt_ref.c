/*
 * Frame references on behalf of a domain (see pt_ref.h). Proved in full.
 */
#include "pt_ref.h"

void pt_note_bug(struct pt_ctx *ctx)
{
    if (ctx->bugs < UINT32_MAX)
        ctx->bugs++;
}

/* A put that the counts refused: the tables and counts disagree. */
/*@ requires \valid(ctx);
    assigns ctx->bugs;
    ensures ctx->bugs >= \old(ctx->bugs);
*/
static void note_refused(struct pt_ctx *ctx, int rc)
{
    if (rc < 0)
        pt_note_bug(ctx);
}

/*
 * PT-37: a reference this ctx may drop is on its own frame or, for the
 * privileged ctx, on any domain's (a foreign mapping it made). Nothing
 * ever referenced the hypervisor's, I/O or free frames through a ctx.
 */
/*@ requires pt_ctx_ok(ctx);
    assigns \nothing;
    ensures \result == 1 <==> pt_may_put(ctx, mfn);
*/
static bool may_put(const struct pt_ctx *ctx, uint32_t mfn)
{
    uint16_t owner;

    if (mfn >= ctx->ft->nr_frames)
        return false;
    owner = ctx->ft->frames[mfn].owner;
    return owner == ctx->dom || (ctx->privileged && owner < DOMID_FIRST_RESERVED);
}

int pt_get_page(struct pt_ctx *ctx, uint32_t mfn)
{
    if (pte_check_table_frame(ctx->ft, ctx->dom, mfn) != 0)   /* PT-6 */
        return -EINVAL;
    return pt_ref_get(&ctx->ft->frames[mfn]);                 /* PT-16 */
}

void pt_put_page(struct pt_ctx *ctx, uint32_t mfn)
{
    if (!may_put(ctx, mfn)) {                                 /* PT-37 */
        pt_note_bug(ctx);
        return;
    }
    note_refused(ctx, pt_ref_put(&ctx->ft->frames[mfn]));     /* PT-16 */
}

/*
 * General + `type` reference on a frame whose owner the caller has
 * already accepted (pt_get_typed_begin: the caller's; pt_get_l1_frame:
 * PT-35). Either both references are taken or the frame is unchanged.
 */
/*@ requires pt_ctx_ok(ctx) && mfn < ctx->ft->nr_frames;
    assigns ctx->ft->frames[mfn], ctx->bugs;
    ensures PT_17: \result < 0 ==> fr_unchanged{Old,Post}(&ctx->ft->frames[mfn]);
    ensures \result == PT_TYPE_NEW || \result == PT_TYPE_HELD ||
            \result == -EINVAL || \result == -EOVERFLOW;
    ensures PT_15: \result >= 0 ==>
        ctx->ft->frames[mfn].type == type &&
        ctx->ft->frames[mfn].refcount == \old(ctx->ft->frames[mfn].refcount) + 1;
    ensures PT_15_new: \result == PT_TYPE_NEW ==>
        \old(ctx->ft->frames[mfn].type_count) == 0 &&
        ctx->ft->frames[mfn].type_count == 1 && ctx->ft->frames[mfn].flags == 0;
    ensures PT_15_held: \result == PT_TYPE_HELD ==>
        \old(ctx->ft->frames[mfn].type) == type &&
        fr_validated(\old(ctx->ft->frames[mfn])) &&
        ctx->ft->frames[mfn].type_count == \old(ctx->ft->frames[mfn].type_count) + 1 &&
        ctx->ft->frames[mfn].flags == \old(ctx->ft->frames[mfn].flags);
    ensures ctx->ft->frames[mfn].owner == \old(ctx->ft->frames[mfn].owner);
*/
static int take_typed(struct pt_ctx *ctx, uint32_t mfn, uint8_t type)
{
    struct frame *f = &ctx->ft->frames[mfn];
    int rc = pt_ref_get(f);

    if (rc != 0)
        return rc;
    rc = pt_type_get(f, type);                                /* PT-14, PT-15 */
    if (rc < 0)
        note_refused(ctx, pt_ref_put(f));
    return rc;
}

int pt_get_typed_begin(struct pt_ctx *ctx, uint32_t mfn, uint8_t type)
{
    if (pte_check_table_frame(ctx->ft, ctx->dom, mfn) != 0)   /* PT-6 */
        return -EINVAL;
    return take_typed(ctx, mfn, type);
}

void pt_get_typed_end(struct pt_ctx *ctx, uint32_t mfn, bool valid)
{
    struct frame *f = &ctx->ft->frames[mfn];

    if (valid) {
        pt_type_validated(f);
        return;
    }
    pt_type_abort(f);                                         /* PT-17 */
    note_refused(ctx, pt_ref_put(f));
}

int pt_put_type(struct pt_ctx *ctx, uint32_t mfn, uint8_t type)
{
    int rc;

    if (!may_put(ctx, mfn) || ctx->ft->frames[mfn].type != type) {   /* PT-37 */
        pt_note_bug(ctx);
        return -EINVAL;
    }
    rc = pt_type_put(&ctx->ft->frames[mfn]);
    note_refused(ctx, rc);
    return rc;
}

void pt_put_typed_leaf(struct pt_ctx *ctx, uint32_t mfn, uint8_t type)
{
    if (pt_put_type(ctx, mfn, type) >= 0)
        pt_put_page(ctx, mfn);
}

/*
 * PT-7: general + PGT_WRITABLE reference on a frame whose owner the
 * caller has accepted. 0, or -EINVAL (another type) / -EOVERFLOW with
 * the frame unchanged.
 */
/*@ requires pt_ctx_ok(ctx) && mfn < ctx->ft->nr_frames;
    assigns ctx->ft->frames[mfn], ctx->bugs;
    ensures PT_17: \result != 0 ==> fr_unchanged{Old,Post}(&ctx->ft->frames[mfn]);
    ensures \result == 0 || \result == -EINVAL || \result == -EOVERFLOW;
    ensures PT_7: \result == 0 ==>
        ctx->ft->frames[mfn].type == PGT_WRITABLE && fr_validated(ctx->ft->frames[mfn]) &&
        (\old(ctx->ft->frames[mfn].type_count) == 0 ||
         \old(ctx->ft->frames[mfn].type) == PGT_WRITABLE) &&
        ctx->ft->frames[mfn].type_count == \old(ctx->ft->frames[mfn].type_count) + 1 &&
        ctx->ft->frames[mfn].refcount == \old(ctx->ft->frames[mfn].refcount) + 1;
    ensures ctx->ft->frames[mfn].owner == \old(ctx->ft->frames[mfn].owner);
*/
static int take_writable(struct pt_ctx *ctx, uint32_t mfn)
{
    int rc = take_typed(ctx, mfn, PGT_WRITABLE);

    if (rc == PT_TYPE_NEW)
        pt_get_typed_end(ctx, mfn, true);   /* data frames need no checks */
    return rc < 0 ? rc : 0;
}

int pt_get_writable(struct pt_ctx *ctx, uint32_t mfn)
{
    if (pte_check_table_frame(ctx->ft, ctx->dom, mfn) != 0)   /* PT-6 */
        return -EINVAL;
    return take_writable(ctx, mfn);
}

/*@ requires pt_ctx_ok(ctx);
    assigns \nothing;
    ensures \result == 1 <==> pt_foreign_ok(ctx, owner);
*/
static bool foreign_ok(const struct pt_ctx *ctx, uint16_t owner)
{
    /* PT-33: privileged only, a real domain id, and one the hypervisor
     * lets dom0 map now (asked last: only when everything else holds) */
    return ctx->privileged && owner != ctx->dom && owner < DOMID_FIRST_RESERVED &&
           env_foreign_mappable(owner);
}

int pt_check_l1_frame(const struct pt_ctx *ctx, uint32_t mfn, bool writing)
{
    uint16_t owner;

    if (mfn >= ctx->ft->nr_frames)              /* PT-6: not RAM */
        return -EPERM;
    owner = ctx->ft->frames[mfn].owner;
    if (owner == DOMID_IO)                      /* PT-6: MMIO, not permitted */
        return -EPERM;
    if (writing && owner != ctx->fd)            /* PT-34: only the data owner */
        return -EBUSY;
    if (owner == ctx->dom || foreign_ok(ctx, owner))   /* PT-6, PT-35 */
        return 0;
    return -EBUSY;                              /* PT-6: someone else's RAM */
}

int pt_get_l1_frame(struct pt_ctx *ctx, uint32_t mfn, bool rw, bool writing)
{
    int rc = pt_check_l1_frame(ctx, mfn, writing);

    if (rc != 0)
        return rc;
    if (!rw)
        return pt_ref_get(&ctx->ft->frames[mfn]);           /* PT-16 */
    rc = take_writable(ctx, mfn);                           /* PT-36 */
    return rc == -EINVAL ? -EBUSY : rc;     /* PT-7: a table is never writable */
}
