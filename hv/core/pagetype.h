/*
 * The page-type state machine of one frame: general references, typed
 * references, validation and pin marks.
 *
 * Theory of operation. A frame's `refcount` counts everything that keeps
 * it alive (mappings, typed references, pins, hypervisor holds); its
 * `type` says how the hypervisor lets it be used (writable data, L1, L2,
 * L2 carrying the hypervisor slots, L3, descriptor table) and
 * `type_count` counts the users of that type. The invariants:
 *
 *  - PT-15: the type changes only when type_count is 0. A frame mapped
 *    writable somewhere holds PGT_WRITABLE with a count > 0, so it can
 *    never become a table, and a table can never be taken writable: this
 *    is the mutual exclusion that keeps guests from writing live tables.
 *  - type_count == 0 exactly when type == PGT_NONE, and then the frame's
 *    flags are clear: every flag describes the current type.
 *  - PT-14: between pt_type_get() returning PT_TYPE_NEW and
 *    pt_type_validated() the frame is "under validation": it has its type
 *    but refuses further references to it, so a table can never be
 *    reached from its own entries while they are being checked.
 *  - PT-16: no count ever passes PT_COUNT_MAX or goes below 0; either
 *    attempt is refused and leaves the frame unchanged.
 *  - FRAME_PINNED implies FRAME_VALIDATED; the pin owns one type
 *    reference, which pt_type_put() refuses to drop while the pin is set.
 *
 * These functions change one frame and call nothing, so each is proved
 * against the contract below (proofs/README.md). pt_table.h composes them
 * into the level-by-level validation of page tables.
 *
 * Flags are tested and changed arithmetically ((flags / bit) % 2), which
 * the provers relate to the counts; FRAME_VALIDATED and FRAME_PINNED are
 * distinct powers of two, so this is the same as the usual masks.
 */
#ifndef CORE_PAGETYPE_H
#define CORE_PAGETYPE_H

#include "frame.h"
#include "pv/errno.h"

/* PT-16: the largest count; a frame can be mapped 512 times per L1, so a
 * count could otherwise be pushed to 2^32 with enough L1 frames. */
#define PT_COUNT_MAX  0x7FFFFFFFu

#define PT_TYPE_HELD  0   /* the type was already current: one more reference */
#define PT_TYPE_NEW   1   /* the frame took the type: the caller must validate it */
#define PT_TYPE_LAST  1   /* pt_type_put() dropped the last reference */

/*@ predicate fr_validated(struct frame f) = (f.flags / FRAME_VALIDATED) % 2 == 1;
    predicate fr_pinned(struct frame f) = (f.flags / FRAME_PINNED) % 2 == 1;
    predicate fr_type_ok(integer t) = PGT_WRITABLE <= t < PGT_NR_TYPES;

    predicate fr_unchanged{A,B}(struct frame *f) =
        \at(f->refcount, A) == \at(f->refcount, B) &&
        \at(f->type_count, A) == \at(f->type_count, B) &&
        \at(f->type, A) == \at(f->type, B) &&
        \at(f->flags, A) == \at(f->flags, B);
*/

/*@ requires \valid_read(f);
    assigns \nothing;
    ensures \result == 1 <==> fr_validated(*f);
*/
bool pt_frame_validated(const struct frame *f);

/*@ requires \valid_read(f);
    assigns \nothing;
    ensures \result == 1 <==> fr_pinned(*f);
*/
bool pt_frame_pinned(const struct frame *f);

/* PT-16: take one general reference. 0, or -EOVERFLOW at the limit. */
/*@ requires \valid(f);
    assigns f->refcount;
    behavior take:
        assumes f->refcount < PT_COUNT_MAX;
        ensures \result == 0 && f->refcount == \old(f->refcount) + 1;
    behavior full:
        assumes f->refcount >= PT_COUNT_MAX;
        ensures PT_16: \result == -EOVERFLOW && f->refcount == \old(f->refcount);
    complete behaviors;
    disjoint behaviors;
*/
int pt_ref_get(struct frame *f);

/* PT-16: drop one general reference. 0, or -EINVAL if there is none. */
/*@ requires \valid(f);
    assigns f->refcount;
    behavior drop:
        assumes f->refcount > 0;
        ensures \result == 0 && f->refcount == \old(f->refcount) - 1;
    behavior empty:
        assumes f->refcount == 0;
        ensures PT_16: \result == -EINVAL && f->refcount == 0;
    complete behaviors;
    disjoint behaviors;
*/
int pt_ref_put(struct frame *f);

/*
 * PT-15: take a reference to type `type`. PT_TYPE_NEW when the frame had
 * no type (it now has `type`, count 1, not validated: the caller
 * validates and calls pt_type_validated() or pt_type_abort()),
 * PT_TYPE_HELD when it already had `type` validated. -EINVAL when it has
 * another type (PT-15) or is under validation (PT-14), or `type` is not a
 * type; -EOVERFLOW at the limit (PT-16). Errors change nothing.
 */
/*@ requires \valid(f);
    assigns f->type, f->type_count, f->flags;
    behavior bad_type:
        assumes !fr_type_ok(type);
        ensures \result == -EINVAL && fr_unchanged{Old,Post}(f);
    behavior new:
        assumes fr_type_ok(type) && f->type_count == 0;
        ensures PT_15: \result == PT_TYPE_NEW && f->type == type &&
                f->type_count == 1 && f->flags == 0;
    behavior held:
        assumes fr_type_ok(type) && f->type_count > 0 && f->type == type &&
                fr_validated(*f) && f->type_count < PT_COUNT_MAX;
        ensures \result == PT_TYPE_HELD && f->type == type &&
                f->type_count == \old(f->type_count) + 1 && f->flags == \old(f->flags);
    behavior overflow:
        assumes fr_type_ok(type) && f->type_count > 0 && f->type == type &&
                fr_validated(*f) && f->type_count >= PT_COUNT_MAX;
        ensures PT_16: \result == -EOVERFLOW && fr_unchanged{Old,Post}(f);
    behavior under_validation:
        assumes fr_type_ok(type) && f->type_count > 0 && f->type == type &&
                !fr_validated(*f);
        ensures PT_14: \result == -EINVAL && fr_unchanged{Old,Post}(f);
    behavior conflict:
        assumes fr_type_ok(type) && f->type_count > 0 && f->type != type;
        ensures PT_15: \result == -EINVAL && fr_unchanged{Old,Post}(f);
    complete behaviors;
    disjoint behaviors;
*/
int pt_type_get(struct frame *f, uint8_t type);

/* The caller validated the frame it got PT_TYPE_NEW for. */
/*@ requires \valid(f) && f->type_count > 0 && f->flags == 0;
    assigns f->flags;
    ensures fr_validated(*f) && !fr_pinned(*f);
*/
void pt_type_validated(struct frame *f);

/* PT-17: validation failed: the frame returns to no type, count 0. */
/*@ requires \valid(f) && f->type_count == 1 && f->flags == 0;
    assigns f->type, f->type_count, f->flags;
    ensures f->type == PGT_NONE && f->type_count == 0 && f->flags == 0;
*/
void pt_type_abort(struct frame *f);

/*
 * Drop a type reference. 0 while others remain; PT_TYPE_LAST when that
 * was the last (the frame now has no type: the caller must devalidate
 * what a table's entries held, PT-18). -EINVAL, changing nothing, when
 * there is no reference (PT-16) or the last one belongs to the pin.
 */
/*@ requires \valid(f);
    assigns f->type, f->type_count, f->flags;
    behavior none:
        assumes f->type_count == 0;
        ensures PT_16: \result == -EINVAL && fr_unchanged{Old,Post}(f);
    behavior pinned_last:
        assumes f->type_count == 1 && fr_pinned(*f);
        ensures \result == -EINVAL && fr_unchanged{Old,Post}(f);
    behavior last:
        assumes f->type_count == 1 && !fr_pinned(*f);
        ensures \result == PT_TYPE_LAST && f->type == PGT_NONE &&
                f->type_count == 0 && f->flags == 0;
    behavior more:
        assumes f->type_count > 1;
        ensures \result == 0 && f->type_count == \old(f->type_count) - 1 &&
                f->type == \old(f->type) && f->flags == \old(f->flags);
    complete behaviors;
    disjoint behaviors;
*/
int pt_type_put(struct frame *f);

/* PT-25: mark a validated frame pinned (-EINVAL if already pinned or not
 * validated). The caller took the type reference the pin owns. */
/*@ requires \valid(f);
    assigns f->flags;
    behavior pin:
        assumes fr_validated(*f) && !fr_pinned(*f);
        ensures \result == 0 && fr_pinned(*f) && fr_validated(*f);
    behavior refuse:
        assumes !fr_validated(*f) || fr_pinned(*f);
        ensures PT_25: \result == -EINVAL && f->flags == \old(f->flags);
    complete behaviors;
    disjoint behaviors;
*/
int pt_pin_set(struct frame *f);

/* PT-25: clear the pin mark (-EINVAL if not pinned); the caller then drops
 * the type and general reference the pin owned. */
/*@ requires \valid(f);
    assigns f->flags;
    behavior unpin:
        assumes fr_pinned(*f);
        ensures \result == 0 && !fr_pinned(*f) &&
                (fr_validated(*f) <==> fr_validated(\old(*f)));
    behavior refuse:
        assumes !fr_pinned(*f);
        ensures PT_25: \result == -EINVAL && f->flags == \old(f->flags);
    complete behaviors;
    disjoint behaviors;
*/
int pt_pin_clear(struct frame *f);

#endif
