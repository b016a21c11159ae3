/*
 * Taking a stopped domain apart: every reference its own tables hold is
 * dropped (base pointer, pins), the hypervisor's holds are released, and
 * every frame it owns goes back to the free pool, scrubbed on its next
 * allocation. A frame that something else still references (dom0's
 * foreign mapping of it) stays with the dead domain, which is then
 * "dying" until a later sweep finds the frame released.
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

/* Drop what the domain's own page tables hold, top down. */
static void drop_tables(struct domain *d)
{
    uint32_t mfn;

    pt_clear_baseptr(&d->pt);
    for (mfn = 0; mfn < frame_table.nr_frames; mfn++) {
        const struct frame *f = &frame_table.frames[mfn];
        if (f->owner == d->id && (f->flags & FRAME_PINNED))
            pt_unpin_table(&d->pt, mfn);
    }
}

/* Free every unreferenced frame of d; returns how many are still held. */
static uint32_t sweep_frames(struct domain *d)
{
    uint32_t mfn, held = 0;

    for (mfn = 0; mfn < frame_table.nr_frames; mfn++) {
        if (frame_table.frames[mfn].owner != d->id)
            continue;
        if (frame_free(&frame_table, mfn) == 0)
            m2p_table[mfn] = 0xFFFFFFFFu;
        else
            held++;
    }
    d->tot_pages = held;
    return held;
}

void domain_release_resources(struct domain *d)
{
    if ((read_cr3() >> 12) == d->pt.cr3_mfn && d->pt.cr3_mfn != INVALID_MFN)
        panic("teardown of domain %u while its address space is loaded", d->id);
    if (d->released)
        return;
    events_domain_destroy(d);
    grant_table_domain_destroy(d);
    desc_release_all(d);
    drop_tables(d);
    domain_release_shared_info(d);
    if (d->perdomain_l1_mfn) {
        frame_free(&frame_table, d->perdomain_l1_mfn);
        d->perdomain_l1_mfn = 0;
    }
    d->released = true;
    if (sweep_frames(d))
        log_info("domain %u (%s): %u frame(s) still mapped elsewhere\n", d->id, d->name, d->tot_pages);
    if (d->pt.bugs)
        panic("domain %u teardown: %u refused count transitions", d->id, d->pt.bugs);
}

bool domain_try_free(struct domain *d)
{
    if (!d->released || sweep_frames(d))
        return false;
    grant_table_domain_free(d);
    d->state = DOM_FREE;
    return true;
}
