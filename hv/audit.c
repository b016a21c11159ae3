/*
 * The run-time twin of the page-table invariants: with `audit` on the
 * command line, the hypervisor recounts every reference after every
 * hypercall (hv/core/pt_audit.c) and panics at the first mismatch, naming
 * the frame and the hypercall. Slow, and meant for tests and fuzzing.
 */
#include "arch/mm.h"
#include "audit.h"
#include "domain.h"
#include "env.h"
#include "grant_table.h"
#include "printk.h"
#include "pt_audit.h"

bool audit_enabled;

static struct pt_audit_domain audit_doms[MAX_DOMAINS];
/* shared_info, up to 14 GDT and 16 LDT frames, 4 grant frames per domain */
#define HOLDS_PER_DOMAIN 35u
static struct pt_audit_hold audit_holds[MAX_DOMAINS * HOLDS_PER_DOMAIN];

/*
 * The references the hypervisor itself holds on guest frames, row by row
 * as SECURITY.md's table of hypervisor-held frames lists them (PT-40):
 * the audit expects exactly these counts and types, so a hold that is
 * missing, doubled or of the wrong type is a finding. One-off holds (the
 * hypercall page, a grant copy) never outlive the hypercall and so never
 * meet the audit.
 */
static void hold(uint32_t *h, uint32_t mfn, uint32_t type_refs, uint8_t type)
{
    audit_holds[*h].mfn = mfn;
    audit_holds[*h].refs = 1;
    audit_holds[*h].type_refs = type_refs;
    audit_holds[*h].type = type;
    (*h)++;
}

static uint32_t collect(uint32_t *nr_holds)
{
    uint32_t n = 0, h = 0, i, j;

    for (i = 0; i < MAX_DOMAINS; i++) {
        const struct domain *d = &domains[i];
        /* a stopped domain stays listed until its record is freed: its
         * tables, or its frames dom0 still maps (PT-38), are still there */
        if (d->state == DOM_FREE)
            continue;
        audit_doms[n].dom = d->id;
        audit_doms[n].privileged = d->privileged;      /* PT-38 */
        audit_doms[n].io_capable = d->pt.io_capable;
        audit_doms[n].cr3_mfn = d->pt.cr3_mfn;
        audit_doms[n].xen_l2_slots = d->xen_l2_slots;
        n++;
        if (d->shared_info_mfn)                          /* shared_info */
            hold(&h, d->shared_info_mfn, 1, PGT_WRITABLE);
        for (j = 0; j < d->desc.gdt_frames; j++)         /* descriptor tables */
            hold(&h, d->desc.gdt_mfn[j], 1, PGT_SEG_DESC);
        for (j = 0; j < DESC_LDT_PAGES; j++)
            if (d->desc.ldt_mfn[j])
                hold(&h, d->desc.ldt_mfn[j], 1, PGT_SEG_DESC);
        /* grant-table frames: general + PGT_WRITABLE each */
        h += grant_table_audit_holds(d, audit_holds + h, HOLDS_PER_DOMAIN * MAX_DOMAINS - h);
    }
    *nr_holds = h;
    return n;
}

static void report_finding(const char *after, uint32_t arg, const struct pt_audit_report *rep)
{
    uint64_t entry = 0;

    if (rep->mfn < frame_table.nr_frames && rep->slot < 512) {
        const uint64_t *t = env_map_frame(rep->mfn);
        entry = t[rep->slot];
        env_unmap_frame(t);
    }
    panic("audit after %s %u: %s at frame %u (type %u, owner %u) slot %d entry %llx "
          "(expected %u, found %u)", after, arg, pt_audit_what_name(rep->what), rep->mfn,
          rep->mfn < frame_table.nr_frames ? frame_table.frames[rep->mfn].type : 0,
          rep->mfn < frame_table.nr_frames ? frame_table.frames[rep->mfn].owner : 0,
          rep->slot == PT_AUDIT_NO_SLOT ? -1 : (int)rep->slot, (unsigned long long)entry,
          rep->expected, rep->found);
}

static int run_audit(struct pt_audit_report *rep)
{
    struct pt_audit_in in;

    in.ft = &frame_table;
    in.doms = audit_doms;
    in.nr_doms = collect(&in.nr_holds);
    in.holds = audit_holds;
    in.scratch = audit_scratch;
    return pt_audit(&in, rep);
}

void audit_check(const char *after, uint32_t arg)
{
    struct pt_audit_report rep;

    if (audit_enabled && run_audit(&rep))
        report_finding(after, arg, &rep);
}

int audit_now(void)
{
    struct pt_audit_report rep;

    if (run_audit(&rep) == 0)
        return 0;
    log_err("audit: %s at frame %u slot %d (expected %u, found %u)\n",
            pt_audit_what_name(rep.what), rep.mfn,
            rep.slot == PT_AUDIT_NO_SLOT ? -1 : (int)rep.slot, rep.expected, rep.found);
    return -1;
}
