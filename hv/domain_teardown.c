/*
 * Taking a stopped domain apart: every reference its own tables hold is
 * dropped (base pointer, pins), the hypervisor's holds are released, and
 * every frame it owns goes back to the free pool, scrubbed on its next
 * allocation. A frame that something else still references (dom0's
 * foreign mapping of it) stays with the dead domain, which is then
 * "dying" until a later sweep finds the frame released.
 *
 * The two scans over the frame table (unpin, sweep) are the core's
 * (hv/core/teardown.c) and stop between units of work when other work is
 * due (HC-7, PT-42); the cursor in d->td says where they go on, so dom0's
 * destroy is issued again as a continuation and the scheduler's sweep of
 * a domain that stopped itself goes on at its next pass.
 *
 * Only a domain whose address space is not loaded may be torn down: a
 * domain that stops itself (shutdown, crash) is swept by the scheduler
 * right after it switches away from it.
 */
#include "arch/cpu.h"
#include "arch/mm.h"
#include "desc_tables.h"
#include "domain.h"
#include "events.h"
#include "grant_table.h"
#include "printk.h"
#include "pt_table.h"
#include "pv/errno.h"
#include "hc_cont.h"
#include "teardown.h"

/* Bounded steps first: events, grants, descriptor tables, base pointer. */
static void release_begin(struct domain *d)
{
    events_domain_destroy(d);
    grant_table_domain_destroy(d);
    desc_release_all(d);
    pt_clear_baseptr(&d->pt);
    td_start(&d->td, TD_UNPIN);
}

/* The hypervisor's own holds, once no table of d is left. */
static void release_holds(struct domain *d)
{
    domain_release_shared_info(d);                  /* PT-40 */
    if (d->perdomain_l1_mfn) {
        frame_free(&frame_table, d->perdomain_l1_mfn);
        d->perdomain_l1_mfn = 0;
    }
    td_start(&d->td, TD_SWEEP);
}

/* A sweep finished: d owns exactly the frames something still holds. */
static void sweep_done(struct domain *d)
{
    d->td.phase = TD_DONE;
    d->tot_pages = d->td.held;
}

int domain_release_resources(struct domain *d)
{
    if ((read_cr3() >> 12) == d->pt.cr3_mfn && d->pt.cr3_mfn != INVALID_MFN)
        panic("teardown of domain %u while its address space is loaded", d->id);
    if (d->released)
        return 0;
    if (d->td.phase == TD_BEGIN)
        release_begin(d);
    if (d->td.phase == TD_UNPIN) {
        if (td_unpin(&d->pt, &d->td) == -ERESTART)
            return -ERESTART;                       /* HC-7: go on later */
        release_holds(d);
    }
    if (td_sweep(&d->pt, &d->td) == -ERESTART)
        return -ERESTART;
    sweep_done(d);
    d->released = true;
    log_info("Bulkhead: domain %u (%s) taken apart\n", d->id, d->name);
    if (d->tot_pages)
        log_info("domain %u (%s): %u frame(s) still mapped elsewhere\n", d->id, d->name, d->tot_pages);
    if (d->pt.bugs)
        panic("domain %u teardown: %u refused count transitions", d->id, d->pt.bugs);
    return 0;
}

int domain_try_free(struct domain *d)
{
    if (!d->released)
        return -EBUSY;
    if (d->td.phase == TD_DONE && d->td.held)
        td_start(&d->td, TD_SWEEP);                 /* look again: some may be free now */
    if (d->td.phase == TD_SWEEP) {
        if (td_sweep(&d->pt, &d->td) == -ERESTART)
            return -ERESTART;
        sweep_done(d);
    }
    if (d->td.held)
        return -EBUSY;
    grant_table_domain_free(d);
    d->state = DOM_FREE;
    return 0;
}
