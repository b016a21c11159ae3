/*
 * Taking a stopped domain's memory apart in steps (spec/memory.md PT-42,
 * spec/domctl.md; HC-7).
 *
 * Theory of operation. After the glue has dropped the domain's event
 * channels, grants, descriptor tables and base pointer, two scans over the
 * frame table finish the job: UNPIN releases every table the domain
 * pinned (which may devalidate whole trees, PT-18), then SWEEP gives back
 * every frame it owns that nothing references any more (a frame another
 * domain still maps stays with the dying domain and is counted in
 * `held`). Both scans keep their place in a td_cursor that lives with the
 * dying domain, so either may stop between two units of work when other
 * work is due and go on later from the same frame: a unit is one unpin,
 * or TD_SCAN_STEP frames looked at, and every call does at least one.
 *
 * Stopping in between is safe for PT-20: the domain's address space is
 * not loaded on any CPU (the glue checks), and the CPU has loaded another
 * CR3 since the domain last ran, so no TLB entry reaches any of its
 * frames; every step leaves the frame table consistent, as the audit
 * checks after each issue of the destroying hypercall.
 */
#ifndef CORE_TEARDOWN_H
#define CORE_TEARDOWN_H

#include "pt_ctx.h"

#define TD_SCAN_STEP 256u            /* frames looked at per unit of work */

enum td_phase { TD_BEGIN = 0, TD_UNPIN, TD_SWEEP, TD_DONE };

struct td_cursor {
    uint32_t phase;                  /* enum td_phase, advanced by the glue */
    uint32_t next_mfn;               /* where the current scan goes on */
    uint32_t held;                   /* SWEEP: owned frames still referenced so far */
};

/* Start a scan (UNPIN or SWEEP) from frame 0. */
void td_start(struct td_cursor *c, enum td_phase phase);

/*
 * PT-42: unpin every table ctx->dom pinned, from c->next_mfn on. 0 when
 * the scan is complete, -ERESTART when it stopped for other work (HC-1,
 * HC-7; c->next_mfn is where it goes on).
 */
int td_unpin(struct pt_ctx *ctx, struct td_cursor *c);

/*
 * PT-42: free every unreferenced frame ctx->dom owns from c->next_mfn on
 * (its M2P entry becomes ~0), counting the others in c->held. 0 when the
 * scan is complete, -ERESTART as td_unpin().
 */
int td_sweep(struct pt_ctx *ctx, struct td_cursor *c);

#endif
