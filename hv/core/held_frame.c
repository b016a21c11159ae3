/* Hypervisor-held frames (see held_frame.h). */
#include "held_frame.h"

int held_frame_take(struct pt_ctx *ctx, uint32_t mfn)
{
    /* PT-6, PT-7: the domain's own frame, and never a table */
    return pt_get_writable(ctx, mfn);
}

void held_frame_release(struct pt_ctx *ctx, uint32_t mfn)
{
    pt_put_typed_leaf(ctx, mfn, PGT_WRITABLE);
}

bool held_frame_intact(const struct frame_table *ft, uint32_t mfn, domid_t owner)
{
    const struct frame *f;

    if (mfn >= ft->nr_frames)
        return false;
    f = &ft->frames[mfn];
    return f->owner == owner && f->type == PGT_WRITABLE && f->type_count > 0;
}
