/*
 * Teardown scans in steps (see teardown.h).
 */
#include "teardown.h"
#include "hc_cont.h"
#include "pt_table.h"

#define M2P_NONE 0xFFFFFFFFu

void td_start(struct td_cursor *c, enum td_phase phase)
{
    c->phase = phase;
    c->next_mfn = 0;
    c->held = 0;
}

/* HC-7: asked only after a unit of work, so every call does one at least. */
static bool unit_done(void)
{
    return env_preempt_pending();
}

int td_unpin(struct pt_ctx *ctx, struct td_cursor *c)
{
    for (; c->next_mfn < ctx->ft->nr_frames; c->next_mfn++) {
        const struct frame *f = &ctx->ft->frames[c->next_mfn];
        bool stop = false;

        if (f->owner == ctx->dom && (f->flags & FRAME_PINNED)) {
            (void)pt_unpin_table(ctx, c->next_mfn);       /* PT-25: ours and pinned */
            stop = unit_done();
        } else if (c->next_mfn % TD_SCAN_STEP == TD_SCAN_STEP - 1) {
            stop = unit_done();
        }
        if (stop) {
            c->next_mfn++;
            return c->next_mfn < ctx->ft->nr_frames ? -ERESTART : 0;
        }
    }
    return 0;
}

int td_sweep(struct pt_ctx *ctx, struct td_cursor *c)
{
    for (; c->next_mfn < ctx->ft->nr_frames; c->next_mfn++) {
        uint32_t mfn = c->next_mfn;

        if (ctx->ft->frames[mfn].owner == ctx->dom) {
            if (frame_free(ctx->ft, mfn) != 0)
                c->held++;                  /* PT-37: still mapped elsewhere */
            else if (mfn < ctx->m2p_entries)
                ctx->m2p[mfn] = M2P_NONE;
        }
        if (mfn % TD_SCAN_STEP == TD_SCAN_STEP - 1 && unit_done()) {
            c->next_mfn++;
            return c->next_mfn < ctx->ft->nr_frames ? -ERESTART : 0;
        }
    }
    return 0;
}
