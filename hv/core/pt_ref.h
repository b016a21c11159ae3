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
 * Foreign mappings (PT-33..PT-37). The one exception to "the caller's
 * own frames" is the data frame of an L1 entry of the privileged domain,
 * which may belong to another domain that env_foreign_mappable() accepts
 * (a paused guest dom0 is building). pt_get_l1_frame() is the only way
 * such a frame gets a reference: read-only entries take a general
 * reference, writable ones the PGT_WRITABLE type as well, so PT-7 holds
 * across domains (a guest's table or descriptor frame can never be
 * mapped writable by dom0, and a frame dom0 maps writable can never
 * become a table of its owner). Tables themselves, pins and everything
 * pt_get_page()/pt_get_typed_begin() count are always the caller's own.
 *
 * The put functions drop a reference only on a frame the ctx could have
 * referenced (PT-37): its own, or, for the privileged ctx, any domain's
 * (its foreign mapping outlives the reason it was allowed: the guest may
 * have been unpaused since). Anything else, and any count that would go
 * below zero, is refused and counted in ctx->bugs (saturating) instead of
 * wrapping a count.
 *
 * Teardown. Once a domain's own tables, pins and base pointer are gone,
 * the only references left on its frames come from another domain's
 * foreign mappings (dom0's) or from hypervisor holds; the glue keeps such
 * frames (owned by the dying domain) until those references are dropped,
 * and only then frees them (frame_free() refuses a referenced frame).
 */
#ifndef CORE_PT_REF_H
#define CORE_PT_REF_H

#include "pt_ctx.h"
#include "env.h"
#include "pagetype.h"
#include "pte.h"

/*
 * A ctx always acts for a real domain: its owner and its data owner are
 * ids below the reserved ones (domain_create() refuses any other id, and
 * mmu_decode_foreigndom() yields only such an fd), so frames of the
 * hypervisor (DOMID_XEN), of the I/O space (DOMID_IO) or free frames are
 * never "the caller's own".
 */
/*@ predicate pt_ctx_ok(struct pt_ctx *ctx) =
        \valid(ctx) && \valid(ctx->ft) &&
        ctx->dom < DOMID_FIRST_RESERVED && ctx->fd < DOMID_FIRST_RESERVED &&
        \valid(ctx->ft->frames + (0 .. ctx->ft->nr_frames - 1)) &&
        \separated(ctx, ctx->ft) &&
        \separated(ctx, ctx->ft->frames + (0 .. ctx->ft->nr_frames - 1)) &&
        \separated(ctx->ft, ctx->ft->frames + (0 .. ctx->ft->nr_frames - 1));

    predicate pt_owned(struct pt_ctx *ctx, integer mfn) =
        pte_owned(ctx->ft, mfn, ctx->dom);

    // PT-33: a domain whose frames this ctx may name in an L1 entry
    // besides its own: only for the privileged ctx, only a real domain id,
    // only one the environment accepts (a paused, unprivileged guest).
    predicate pt_foreign_ok(struct pt_ctx *ctx, integer o) =
        ctx->privileged != 0 && o != ctx->dom && o < DOMID_FIRST_RESERVED &&
        env_foreign_ok(env_domain_state, o);

    // PT-34, PT-35: the owners a present L1 entry may name. An entry
    // written now: exactly the data owner fd (the caller, or the foreign
    // domain of this operation). An entry met while validating a table:
    // the caller, or any domain pt_foreign_ok() accepts.
    predicate pt_l1_owner_ok(struct pt_ctx *ctx, integer o, integer writing) =
        (writing != 0 ==> o == ctx->fd) && (o == ctx->dom || pt_foreign_ok(ctx, o));

    // PT-37: the frames whose references this ctx may drop.
    predicate pt_may_put(struct pt_ctx *ctx, integer mfn) =
        0 <= mfn < ctx->ft->nr_frames &&
        (ctx->ft->frames[mfn].owner == ctx->dom ||
         (ctx->privileged != 0 && ctx->ft->frames[mfn].owner < DOMID_FIRST_RESERVED));

    // PT-16, PT-25: a `type` reference that pt_type_put() can drop: there
    // is one, and the last is not the pin's.
    predicate pt_type_droppable(struct frame f, integer type) =
        f.type == type && f.type_count > 0 && !(f.type_count == 1 && fr_pinned(f));

    // A frame a ctx took a reference on is a real domain's, never the
    // hypervisor's, the I/O space's or a free one.
    predicate pt_real_owner(struct pt_ctx *ctx, integer mfn) =
        0 <= mfn < ctx->ft->nr_frames && ctx->ft->frames[mfn].owner < DOMID_FIRST_RESERVED;
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
        ensures PT_6: pt_real_owner(ctx, mfn);
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

/*
 * Drop one general reference. Refused, and counted as a bug, if there is
 * none (PT-16) or the frame is not one this ctx may have referenced
 * (PT-37: not its own, and for the privileged ctx not any domain's).
 */
/*@ requires pt_ctx_ok(ctx);
    assigns ctx->ft->frames[mfn].refcount, ctx->bugs;
    ensures ctx->bugs >= \old(ctx->bugs);
    behavior drop:
        assumes pt_may_put(ctx, mfn) && ctx->ft->frames[mfn].refcount > 0;
        ensures ctx->ft->frames[mfn].refcount == \old(ctx->ft->frames[mfn].refcount) - 1;
    behavior refused:
        assumes !pt_may_put(ctx, mfn) || ctx->ft->frames[mfn].refcount == 0;
        ensures PT_16_PT_37: mfn < ctx->ft->nr_frames ==>
            ctx->ft->frames[mfn].refcount == \old(ctx->ft->frames[mfn].refcount);
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
        ensures PT_6: pt_real_owner(ctx, mfn);
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
 * counted) if the frame is not one this ctx may put (PT-37), has another
 * type or no reference, or the last belongs to its pin; 0 when others
 * remain; PT_TYPE_LAST when that was the last (the frame has no type now:
 * a table's caller devalidates it, PT-18). The general reference is the
 * caller's to drop.
 */
/*@ requires pt_ctx_ok(ctx);
    assigns ctx->ft->frames[mfn].type, ctx->ft->frames[mfn].type_count,
            ctx->ft->frames[mfn].flags, ctx->bugs;
    ensures ctx->bugs >= \old(ctx->bugs);
    behavior wrong:
        assumes !pt_may_put(ctx, mfn) || ctx->ft->frames[mfn].type != type;
        assigns ctx->bugs;
        ensures PT_37: \result == -EINVAL;
        ensures PT_37: mfn < ctx->ft->nr_frames ==>
            fr_unchanged{Old,Post}(&ctx->ft->frames[mfn]);
    behavior right:
        assumes pt_may_put(ctx, mfn) && ctx->ft->frames[mfn].type == type;
        ensures \result == 0 || \result == PT_TYPE_LAST || \result == -EINVAL;
        ensures \result == PT_TYPE_LAST ==>
            \old(ctx->ft->frames[mfn].type_count) == 1 &&
            ctx->ft->frames[mfn].type == PGT_NONE && ctx->ft->frames[mfn].type_count == 0 &&
            ctx->ft->frames[mfn].flags == 0;
        ensures \result == 0 ==>
            \old(ctx->ft->frames[mfn].type_count) > 1 &&
            ctx->ft->frames[mfn].type == type &&
            ctx->ft->frames[mfn].type_count == \old(ctx->ft->frames[mfn].type_count) - 1 &&
            ctx->ft->frames[mfn].flags == \old(ctx->ft->frames[mfn].flags);
        ensures PT_16: \result < 0 ==> fr_unchanged{Old,Post}(&ctx->ft->frames[mfn]);
        ensures PT_16_PT_25: \result < 0 <==>
            !pt_type_droppable(\old(ctx->ft->frames[mfn]), type);
    complete behaviors;
    disjoint behaviors;
*/
int pt_put_type(struct pt_ctx *ctx, uint32_t mfn, uint8_t type);

/*
 * Drop a reference of a type whose frames hold no references
 * (PGT_WRITABLE, PGT_SEG_DESC): the type reference, then the general.
 * Either both go, or (the frame not one this ctx may put, another type,
 * no type reference, or only the pin's: PT-16, PT-25, PT-37) nothing
 * does and a bug is counted. A type reference without a general one
 * (counts that disagree) loses the type reference only, also counted.
 */
/*@ requires pt_ctx_ok(ctx);
    assigns ctx->ft->frames[mfn].type, ctx->ft->frames[mfn].type_count,
            ctx->ft->frames[mfn].flags, ctx->ft->frames[mfn].refcount, ctx->bugs;
    ensures ctx->bugs >= \old(ctx->bugs);
    behavior drop:
        assumes pt_may_put(ctx, mfn) && pt_type_droppable(ctx->ft->frames[mfn], type);
        assumes ctx->ft->frames[mfn].refcount > 0;
        ensures ctx->ft->frames[mfn].refcount == \old(ctx->ft->frames[mfn].refcount) - 1;
        ensures ctx->ft->frames[mfn].type_count ==
            \old(ctx->ft->frames[mfn].type_count) - 1;
        ensures \old(ctx->ft->frames[mfn].type_count) == 1 ==>
            ctx->ft->frames[mfn].type == PGT_NONE && ctx->ft->frames[mfn].flags == 0;
        ensures \old(ctx->ft->frames[mfn].type_count) > 1 ==>
            ctx->ft->frames[mfn].type == type &&
            ctx->ft->frames[mfn].flags == \old(ctx->ft->frames[mfn].flags);
    behavior refused:
        assumes !pt_may_put(ctx, mfn) || !pt_type_droppable(ctx->ft->frames[mfn], type);
        ensures PT_16_PT_37: mfn < ctx->ft->nr_frames ==>
            fr_unchanged{Old,Post}(&ctx->ft->frames[mfn]);
    behavior no_general:
        assumes pt_may_put(ctx, mfn) && pt_type_droppable(ctx->ft->frames[mfn], type);
        assumes ctx->ft->frames[mfn].refcount == 0;
        ensures PT_16: ctx->ft->frames[mfn].refcount == 0;
        ensures ctx->ft->frames[mfn].type_count ==
            \old(ctx->ft->frames[mfn].type_count) - 1;
    complete behaviors;
    disjoint behaviors;
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
        ensures PT_7: \result == 0 ==> ctx->ft->frames[mfn].type_count > 0 &&
            ctx->ft->frames[mfn].owner == \old(ctx->ft->frames[mfn].owner);
        ensures PT_6: pt_real_owner(ctx, mfn);
    complete behaviors;
    disjoint behaviors;
*/
int pt_get_writable(struct pt_ctx *ctx, uint32_t mfn);

/*
 * PT-6, PT-34, PT-35: may a present L1 entry name frame `mfn`? An entry
 * being written (`writing`) may name only frames of ctx->fd; an entry
 * met while validating a table, frames of the caller or of any domain
 * pt_foreign_ok() accepts. In both cases a foreign owner needs the
 * privileged ctx and env_foreign_mappable(). 0; -EPERM when the frame is
 * not RAM (beyond the table, or DOMID_IO: I/O mappings are not
 * supported); -EBUSY for RAM of any other owner (a third domain, the
 * hypervisor, a free frame, or the caller itself during a foreign
 * operation).
 */
/*@ requires pt_ctx_ok(ctx);
    assigns \nothing;
    behavior not_ram:
        assumes mfn >= ctx->ft->nr_frames || ctx->ft->frames[mfn].owner == DOMID_IO;
        ensures PT_6: \result == -EPERM;
    behavior ram:
        assumes mfn < ctx->ft->nr_frames && ctx->ft->frames[mfn].owner != DOMID_IO;
        ensures PT_6_PT_35: \result == 0 <==>
            pt_l1_owner_ok(ctx, ctx->ft->frames[mfn].owner, writing);
        ensures PT_6: \result == 0 ==> pt_real_owner(ctx, mfn);
        ensures PT_6: \result == 0 || \result == -EBUSY;
    complete behaviors;
    disjoint behaviors;
*/
int pt_check_l1_frame(const struct pt_ctx *ctx, uint32_t mfn, bool writing);

/*
 * PT-6, PT-7, PT-34, PT-35: the references a present L1 entry to `mfn`
 * holds: a general one, and the PGT_WRITABLE type too when `rw`. The
 * owner rule is pt_check_l1_frame()'s (with `writing`). 0, or -EPERM /
 * -EBUSY (owner; also RW to a frame of another type: PT-7) /
 * -EOVERFLOW, the frame unchanged.
 */
/*@ requires pt_ctx_ok(ctx);
    assigns ctx->ft->frames[mfn], ctx->bugs;
    ensures PT_17: \result != 0 ==> fr_unchanged{Old,Post}(&ctx->ft->frames[mfn]);
    ensures \result == 0 || \result == -EPERM || \result == -EBUSY ||
            \result == -EOVERFLOW;
    ensures PT_35: \result == 0 ==>
        mfn < ctx->ft->nr_frames && ctx->ft->frames[mfn].owner != DOMID_IO &&
        pt_l1_owner_ok(ctx, ctx->ft->frames[mfn].owner, writing);
    ensures PT_6: \result == 0 ==> pt_real_owner(ctx, mfn);
    ensures PT_36: \result == 0 && rw != 0 ==>
        ctx->ft->frames[mfn].type == PGT_WRITABLE && fr_validated(ctx->ft->frames[mfn]) &&
        (\old(ctx->ft->frames[mfn].type_count) == 0 ||
         \old(ctx->ft->frames[mfn].type) == PGT_WRITABLE) &&
        ctx->ft->frames[mfn].type_count == \old(ctx->ft->frames[mfn].type_count) + 1;
    ensures \result == 0 && rw == 0 ==>
        ctx->ft->frames[mfn].type == \old(ctx->ft->frames[mfn].type) &&
        ctx->ft->frames[mfn].type_count == \old(ctx->ft->frames[mfn].type_count) &&
        ctx->ft->frames[mfn].flags == \old(ctx->ft->frames[mfn].flags);
    ensures \result == 0 ==>
        ctx->ft->frames[mfn].refcount == \old(ctx->ft->frames[mfn].refcount) + 1;
    ensures mfn < ctx->ft->nr_frames ==>
        ctx->ft->frames[mfn].owner == \old(ctx->ft->frames[mfn].owner);
    behavior not_ram:
        assumes mfn >= ctx->ft->nr_frames || ctx->ft->frames[mfn].owner == DOMID_IO;
        ensures PT_6: \result == -EPERM;
    behavior refused:
        assumes mfn < ctx->ft->nr_frames && ctx->ft->frames[mfn].owner != DOMID_IO &&
                !pt_l1_owner_ok(ctx, ctx->ft->frames[mfn].owner, writing);
        ensures PT_35: \result == -EBUSY;
    behavior allowed:
        assumes mfn < ctx->ft->nr_frames && ctx->ft->frames[mfn].owner != DOMID_IO &&
                pt_l1_owner_ok(ctx, ctx->ft->frames[mfn].owner, writing);
        ensures \result == 0 || \result == -EBUSY || \result == -EOVERFLOW;
    complete behaviors;
    disjoint behaviors;
*/
int pt_get_l1_frame(struct pt_ctx *ctx, uint32_t mfn, bool rw, bool writing);

#endif
