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

int pt_get_page(struct pt_ctx *ctx, uint32_t mfn)
{
    if (pte_check_table_frame(ctx->ft, ctx->dom, mfn) != 0)   /* PT-6 */
        return -EINVAL;
    return pt_ref_get(&ctx->ft->frames[mfn]);                 /* PT-16 */
}

void pt_put_page(struct pt_ctx *ctx, uint32_t mfn)
{
    if (mfn >= ctx->ft->nr_frames) {
        pt_note_bug(ctx);
        return;
    }
    note_refused(ctx, pt_ref_put(&ctx->ft->frames[mfn]));
}

int pt_get_typed_begin(struct pt_ctx *ctx, uint32_t mfn, uint8_t type)
{
    struct frame *f;
    int rc;

    if (pte_check_table_frame(ctx->ft, ctx->dom, mfn) != 0)   /* PT-6 */
        return -EINVAL;
    f = &ctx->ft->frames[mfn];
    rc = pt_ref_get(f);
    if (rc != 0)
        return rc;
    rc = pt_type_get(f, type);                                /* PT-14, PT-15 */
    if (rc < 0)
        note_refused(ctx, pt_ref_put(f));
    return rc;
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

    if (mfn >= ctx->ft->nr_frames || ctx->ft->frames[mfn].type != type) {
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

int pt_get_writable(struct pt_ctx *ctx, uint32_t mfn)
{
    int rc = pt_get_typed_begin(ctx, mfn, PGT_WRITABLE);

    if (rc == PT_TYPE_NEW)
        pt_get_typed_end(ctx, mfn, true);   /* data frames need no checks */
    return rc < 0 ? rc : 0;
}
