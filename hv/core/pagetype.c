/*
 * One frame's reference and type transitions (see pagetype.h for the
 * invariants). Nothing here maps memory or calls out, so every function
 * is proved against its contract.
 */
#include "pagetype.h"

/*@ requires bit == FRAME_VALIDATED || bit == FRAME_PINNED;
    assigns \nothing;
    ensures \result == 1 <==> (flags / bit) % 2 == 1;
*/
static bool flag_set(uint8_t flags, uint8_t bit)
{
    return (flags / bit) % 2u != 0;
}

bool pt_frame_validated(const struct frame *f)
{
    return flag_set(f->flags, FRAME_VALIDATED);
}

bool pt_frame_pinned(const struct frame *f)
{
    return flag_set(f->flags, FRAME_PINNED);
}

int pt_ref_get(struct frame *f)
{
    if (f->refcount >= PT_COUNT_MAX)            /* PT-16 */
        return -EOVERFLOW;
    f->refcount++;
    return 0;
}

int pt_ref_put(struct frame *f)
{
    if (f->refcount == 0)                       /* PT-16: never wrap */
        return -EINVAL;
    f->refcount--;
    return 0;
}

int pt_type_get(struct frame *f, uint8_t type)
{
    if (type < PGT_WRITABLE || type >= PGT_NR_TYPES)
        return -EINVAL;
    if (f->type_count == 0) {
        /* PT-15: the only moment a frame changes type */
        f->type = type;
        f->type_count = 1;
        f->flags = 0;
        return PT_TYPE_NEW;
    }
    if (f->type != type)                        /* PT-15 */
        return -EINVAL;
    if (!flag_set(f->flags, FRAME_VALIDATED))   /* PT-14: under validation */
        return -EINVAL;
    if (f->type_count >= PT_COUNT_MAX)          /* PT-16 */
        return -EOVERFLOW;
    f->type_count++;
    return PT_TYPE_HELD;
}

void pt_type_validated(struct frame *f)
{
    f->flags = FRAME_VALIDATED;
}

void pt_type_abort(struct frame *f)
{
    f->type_count = 0;
    f->type = PGT_NONE;
    f->flags = 0;
}

int pt_type_put(struct frame *f)
{
    if (f->type_count == 0)                     /* PT-16 */
        return -EINVAL;
    if (f->type_count > 1) {
        f->type_count--;
        return 0;
    }
    /* The pin owns a reference: only pt_pin_clear() may release it. */
    if (flag_set(f->flags, FRAME_PINNED))
        return -EINVAL;
    f->type_count = 0;
    f->type = PGT_NONE;
    f->flags = 0;
    return PT_TYPE_LAST;
}

int pt_pin_set(struct frame *f)
{
    if (!flag_set(f->flags, FRAME_VALIDATED) || flag_set(f->flags, FRAME_PINNED))
        return -EINVAL;                         /* PT-25 */
    f->flags = (uint8_t)(f->flags + FRAME_PINNED);
    return 0;
}

int pt_pin_clear(struct frame *f)
{
    if (!flag_set(f->flags, FRAME_PINNED))      /* PT-25 */
        return -EINVAL;
    f->flags = (uint8_t)(f->flags - FRAME_PINNED);
    return 0;
}
