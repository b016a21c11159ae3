/*
 * References to frames of the frame table, on behalf of a domain.
 *
 * Theory of operation. pagetype.h moves one frame's counts; this layer
 * adds what needs the frame table and the caller: the frame must exist
 * and belong to the caller (PT-6) before anything is counted, a typed
 * reference always comes with a general one (so type_count never exceeds
 * refcount), and a failed attempt leaves the frame exactly as it was.
 * pt_table.h builds the level-by-level validation on these functions;
 * descriptor tables (PGT_SEG_DESC) use them directly, with the descriptor
 * checker as their validation. Everything here is proved.
 *
 * A put that finds the counts inconsistent (a bug) is refused and counted
 * in ctx->bugs (saturating) instead of wrapping a count.
 */
#ifndef CORE_PT_REF_H
#define CORE_PT_REF_H

#include "pt_ctx.h"
#include "pagetype.h"
#include "pte.h"

/*@ predicate pt_ctx_ok(struct pt_ctx *ctx) =
        \valid(ctx) && \valid(ctx->ft) &&
        \valid(ctx->ft->frames + (0 .. ctx->ft->nr_frames - 1)) &&
        \separated(ctx, ctx->ft) &&
        \separated(ctx, ctx->ft->frames + (0 .. ctx->ft->nr_frames - 1)) &&
        \separated(ctx->ft, ctx->ft->frames + (0 .. ctx->ft->nr_frames - 1));

    predicate pt_owned(struct pt_ctx *ctx, integer mfn) =
        pte_owned(ctx->ft, mfn, ctx->dom);
*/

/* Record a refused transition (saturating). */
/*@ requires \valid(ctx);
    assigns ctx->bugs;
    ensures ctx->bugs >= \old(ctx->bugs);
*/
void pt_note_bug(struct pt_ctx *ctx);

/* PT-6, PT-16: one general reference on a frame of the caller. */
/*@ requires pt_ctx_ok(ctx);
    assigns ctx->ft->frames[mfn].refcount;
    behavior not_owned:
        assumes !pt_owned(ctx, mfn);
        assigns \nothing;
        ensures PT_6: \result == -EINVAL;
    behavior take:
        assumes pt_owned(ctx, mfn) && ctx->ft->frames[mfn].refcount < PT_COUNT_MAX;
        ensures \result == 0 &&
                ctx->ft->frames[mfn].refcount == \old(ctx->ft->frames[mfn].refcount) + 1;
    behavior full:
        assumes pt_owned(ctx, mfn) && ctx->ft->frames[mfn].refcount >= PT_COUNT_MAX;
        ensures PT_16: \result == -EOVERFLOW &&
                ctx->ft->frames[mfn].refcount == \old(ctx->ft->frames[mfn].refcount);
    complete behaviors;
    disjoint behaviors;
*/
int pt_get_page(struct pt_ctx *ctx, uint32_t mfn);

/* Drop one general reference (refused, counted as a bug, if none). */
/*@ requires pt_ctx_ok(ctx);
    assigns ctx->ft->frames[mfn].refcount, ctx->bugs;
    behavior drop:
        assumes mfn < ctx->ft->nr_frames && ctx->ft->frames[mfn].refcount > 0;
        ensures ctx->ft->frames[mfn].refcount == \old(ctx->ft->frames[mfn].refcount) - 1;
    behavior refused:
        assumes mfn >= ctx->ft->nr_frames || ctx->ft->frames[mfn].refcount == 0;
        ensures PT_16: mfn < ctx->ft->nr_frames ==> ctx->ft->frames[mfn].refcount == 0;
        ensures ctx->bugs >= \old(ctx->bugs);
    complete behaviors;
    disjoint behaviors;
*/
void pt_put_page(struct pt_ctx *ctx, uint32_t mfn);

/*
 * PT-6, PT-14..PT-16: general + `type` reference. PT_TYPE_NEW when the
 * frame took the type (the caller validates and calls pt_get_typed_end),
 * PT_TYPE_HELD when it already had it validated; -EINVAL (not the
 * caller's, another type, under validation, not a type) or -EOVERFLOW,
 * with the frame unchanged.
 */
/*@ requires pt_ctx_ok(ctx);
    assigns ctx->ft->frames[mfn], ctx->bugs;
    ensures PT_17: \result < 0 ==> fr_unchanged{Old,Post}(&ctx->ft->frames[mfn]);
    behavior not_owned:
        assumes !pt_owned(ctx, mfn);
        assigns \nothing;
        ensures PT_6: \result == -EINVAL;
    behavior owned:
        assumes pt_owned(ctx, mfn);
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
    complete behaviors;
    disjoint behaviors;
*/
int pt_get_typed_begin(struct pt_ctx *ctx, uint32_t mfn, uint8_t type);

/*
 * Finish a PT_TYPE_NEW: keep both references and mark the frame validated
 * if `valid`, else return the frame to no type and drop the general
 * reference (PT-17).
 */
/*@ requires pt_ctx_ok(ctx) && mfn < ctx->ft->nr_frames;
    requires ctx->ft->frames[mfn].type_count == 1 && ctx->ft->frames[mfn].flags == 0;
    requires ctx->ft->frames[mfn].refcount > 0;
    assigns ctx->ft->frames[mfn].type, ctx->ft->frames[mfn].type_count,
            ctx->ft->frames[mfn].flags, ctx->ft->frames[mfn].refcount, ctx->bugs;
    behavior keep:
        assumes valid;
        ensures fr_validated(ctx->ft->frames[mfn]) && !fr_pinned(ctx->ft->frames[mfn]);
        ensures ctx->ft->frames[mfn].type == \old(ctx->ft->frames[mfn].type);
        ensures ctx->ft->frames[mfn].type_count == 1;
        ensures ctx->ft->frames[mfn].refcount == \old(ctx->ft->frames[mfn].refcount);
    behavior undo:
        assumes !valid;
        ensures PT_17: ctx->ft->frames[mfn].type == PGT_NONE &&
                ctx->ft->frames[mfn].type_count == 0 && ctx->ft->frames[mfn].flags == 0 &&
                ctx->ft->frames[mfn].refcount == \old(ctx->ft->frames[mfn].refcount) - 1;
    complete behaviors;
    disjoint behaviors;
*/
void pt_get_typed_end(struct pt_ctx *ctx, uint32_t mfn, bool valid);

/*
 * Drop one `type` reference: -EINVAL and nothing dropped (a bug is
 * counted) if the frame does not exist, has another type or no reference,
 * or the last belongs to its pin; 0 when others remain; PT_TYPE_LAST when
 * that was the last (the frame has no type now: a table's caller
 * devalidates it, PT-18). The general reference is the caller's to drop.
 */
/*@ requires pt_ctx_ok(ctx);
    assigns ctx->ft->frames[mfn].type, ctx->ft->frames[mfn].type_count,
            ctx->ft->frames[mfn].flags, ctx->bugs;
    behavior wrong:
        assumes mfn >= ctx->ft->nr_frames || ctx->ft->frames[mfn].type != type;
        assigns ctx->bugs;
        ensures \result == -EINVAL;
    behavior right:
        assumes mfn < ctx->ft->nr_frames && ctx->ft->frames[mfn].type == type;
        ensures \result == 0 || \result == PT_TYPE_LAST || \result == -EINVAL;
        ensures \result == PT_TYPE_LAST ==>
            \old(ctx->ft->frames[mfn].type_count) == 1 &&
            ctx->ft->frames[mfn].type == PGT_NONE && ctx->ft->frames[mfn].type_count == 0;
        ensures \result == 0 ==>
            ctx->ft->frames[mfn].type == type &&
            ctx->ft->frames[mfn].type_count == \old(ctx->ft->frames[mfn].type_count) - 1;
        ensures PT_16: \result < 0 ==> fr_unchanged{Old,Post}(&ctx->ft->frames[mfn]);
    complete behaviors;
    disjoint behaviors;
*/
int pt_put_type(struct pt_ctx *ctx, uint32_t mfn, uint8_t type);

/* Drop a reference of a type whose frames hold no references
 * (PGT_WRITABLE, PGT_SEG_DESC): the type reference, then the general. */
/*@ requires pt_ctx_ok(ctx);
    assigns ctx->ft->frames[mfn].type, ctx->ft->frames[mfn].type_count,
            ctx->ft->frames[mfn].flags, ctx->ft->frames[mfn].refcount, ctx->bugs;
*/
void pt_put_typed_leaf(struct pt_ctx *ctx, uint32_t mfn, uint8_t type);

/*
 * PT-7: general + PGT_WRITABLE reference (data frames need no
 * validation). 0, or -EINVAL (not the caller's, or another type: a table
 * or descriptor frame is never writable) / -EOVERFLOW, frame unchanged.
 */
/*@ requires pt_ctx_ok(ctx);
    assigns ctx->ft->frames[mfn], ctx->bugs;
    ensures PT_17: \result != 0 ==> fr_unchanged{Old,Post}(&ctx->ft->frames[mfn]);
    behavior not_owned:
        assumes !pt_owned(ctx, mfn);
        ensures PT_6: \result == -EINVAL;
    behavior owned:
        assumes pt_owned(ctx, mfn);
        ensures \result == 0 || \result == -EINVAL || \result == -EOVERFLOW;
        ensures PT_7: \result == 0 ==>
            ctx->ft->frames[mfn].type == PGT_WRITABLE &&
            fr_validated(ctx->ft->frames[mfn]) &&
            (\old(ctx->ft->frames[mfn].type_count) == 0 ||
             \old(ctx->ft->frames[mfn].type) == PGT_WRITABLE);
    complete behaviors;
    disjoint behaviors;
*/
int pt_get_writable(struct pt_ctx *ctx, uint32_t mfn);

#endif
