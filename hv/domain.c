/*
 * Domain records and lifecycle (see domain.h).
 */
#include "arch/fpu.h"
#include "arch/layout.h"
#include "arch/mm.h"
#include "arch/page.h"
#include "console_io.h"
#include "domain.h"
#include "env.h"
#include "events.h"
#include "grant_table.h"
#include "fmt.h"
#include "held_frame.h"
#include "machine.h"
#include "printk.h"
#include "pv/errno.h"
#include "pv/sched.h"
#include "pv/shared_info.h"
#include "pt_table.h"
#include "sched.h"
#include "string.h"

struct domain domains[MAX_DOMAINS];
struct domain *current;

/* CTL-6: slot id % MAX_DOMAINS, and only if that slot holds this very id. */
struct domain *domain_by_id(domid_t id)
{
    struct domain *d;

    if (id >= DOMID_FIRST_RESERVED)
        return NULL;
    d = &domains[domid_slot(id, MAX_DOMAINS)];
    return d->state != DOM_FREE && d->id == id ? d : NULL;
}

/*
 * PT-33: the privileged caller (current) may map frames of `fd` only
 * while `fd` is an active guest held paused (being built, or stopped by
 * dom0), never itself, never another privileged domain; domain_by_id()
 * refuses the reserved ids.
 */
bool env_foreign_mappable(domid_t fd)
{
    const struct domain *d = domain_by_id(fd);

    if (!d || !current || fd == current->id)
        return false;
    return d->state == DOM_ACTIVE && !d->privileged && d->pause_count > 0;
}

/*
 * The shared_info page: every upcall mask starts at 1. PT-40: the
 * hypervisor writes into it until teardown (event bits, masks, the fault
 * address of a bounced #PF, time), so it holds it writable for all that
 * time and the guest can never make it a table or give it back.
 */
static int make_shared_info(struct domain *d)
{
    struct shared_info *s;
    uint64_t *l1;
    unsigned i;
    int rc;

    if (frame_alloc(&frame_table, d->id, &d->shared_info_mfn))
        return -ENOMEM;
    rc = held_frame_take(&d->pt, d->shared_info_mfn);
    if (rc)
        return rc;                      /* unreachable: a fresh frame */
    s = shared_info_map(d);
    for (i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
        s->vcpu_info[i].evtchn_upcall_mask = 1;   /* BOOT-12 */
    shared_info_unmap(s);
    /* Also at a fixed hypervisor address whenever d's tables are loaded,
     * so the way back to d can look at its vcpu_info without a mapping. */
    l1 = env_map_frame(d->perdomain_l1_mfn);
    l1[SHARED_INFO_SLOT] = mk_pte(d->shared_info_mfn, _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED |
                                  _PAGE_DIRTY | _PAGE_NX);
    env_unmap_frame(l1);
    return 0;
}

/*
 * Every write of the hypervisor into a shared_info page goes through
 * here. PT-40: the hold taken at creation must still be there; if it is
 * not, writing would forge an entry of whatever table the frame became,
 * so stop instead.
 */
struct shared_info *shared_info_map(struct domain *d)
{
    if (!held_frame_intact(&frame_table, d->shared_info_mfn, d->id))
        panic("domain %u: shared_info frame %u lost the hypervisor's writable hold",
              d->id, d->shared_info_mfn);
    return env_map_frame(d->shared_info_mfn);
}

void shared_info_unmap(struct shared_info *s)
{
    env_unmap_frame(s);
}

/* PT-40: drop the hold (teardown); the frame is freed with the others. */
void domain_release_shared_info(struct domain *d)
{
    if (d->shared_info_mfn && held_frame_intact(&frame_table, d->shared_info_mfn, d->id))
        held_frame_release(&d->pt, d->shared_info_mfn);
    d->shared_info_mfn = 0;
}

struct domain *domain_create(domid_t id, const char *name, bool privileged, int *err)
{
    struct domain *d;
    uint64_t *l1;

    if (id >= DOMID_FIRST_RESERVED || domains[domid_slot(id, MAX_DOMAINS)].state != DOM_FREE) {
        *err = -EEXIST;
        return NULL;
    }
    d = &domains[domid_slot(id, MAX_DOMAINS)];
    memset(d, 0, sizeof(*d));
    if (frame_alloc(&frame_table, DOMID_XEN, &d->perdomain_l1_mfn)) {
        *err = -ENOMEM;
        return NULL;
    }
    l1 = env_map_frame(d->perdomain_l1_mfn);
    mm_init_perdomain_l1_table(l1);
    env_unmap_frame(l1);
    mm_xen_l2_slots(d->xen_l2_slots, d->perdomain_l1_mfn);
    d->pt.ft = &frame_table;
    d->pt.dom = id;
    d->pt.privileged = privileged;     /* PT-33: may map paused guests' frames */
    d->pt.fd = id;                     /* PT-34: no foreign call running */
    d->pt.io_capable = privileged;
    d->pt.m2p = m2p_table;
    d->pt.m2p_entries = frame_table.nr_frames;
    d->pt.xen_l2_slots = d->xen_l2_slots;
    d->pt.cr3_mfn = INVALID_MFN;
    d->id = id;
    d->state = DOM_ACTIVE;
    d->privileged = privileged;
    d->weight = 256;
    snprintf(d->name, sizeof(d->name), "%s", name);
    if (grant_table_domain_init(d)) {
        *err = -ENOMEM;
        frame_free(&frame_table, d->perdomain_l1_mfn);
        d->state = DOM_FREE;
        return NULL;
    }
    sched_domain_init(d);
    events_domain_init(d);
    console_domain_init(d);
    fpu_init_area(d->vcpu.fpu);
    emul_dr_init(&d->vcpu.dr);          /* EMUL-11: DR6, DR7 at their reset values */
    *err = make_shared_info(d);
    if (*err) {
        events_domain_destroy(d);
        grant_table_domain_destroy(d);
        grant_table_domain_free(d);
        uint32_t mfn = d->shared_info_mfn;

        domain_release_shared_info(d);
        if (mfn)
            frame_free(&frame_table, mfn);
        frame_free(&frame_table, d->perdomain_l1_mfn);
        d->state = DOM_FREE;
        return NULL;
    }
    return d;
}

/* BOOT-6: dom0's shutdown or crash stops the machine. */
static void dom0_stopped(struct domain *d)
{
    /*
     * SHUTDOWN_crash is how a kernel reports its own panic (our guest
     * runtime's guest_panic too): for dom0 that is a crash (BOOT-7 status
     * 3), not "another reason" (status 7), as Xen treats it.
     */
    if (d->crashed || d->shutdown_reason == SHUTDOWN_crash) {
        printk("Bulkhead: dom0 crashed (%s); halting the machine.\n",
               d->crashed ? d->crash_reason : "it shut down with reason crash");
        machine_exit(EXIT_DOM0_CRASH);
    }
    printk("Bulkhead: dom0 shut down (reason %u); halting the machine.\n", d->shutdown_reason);
    machine_exit(d->shutdown_reason == SHUTDOWN_poweroff ? EXIT_DOM0_POWEROFF : EXIT_DOM0_OTHER);
}

static void domain_stop(struct domain *d)
{
    d->state = DOM_DEAD;
    if (d->id == 0)
        dom0_stopped(d);
    sched_raise();
}

void domain_crash(struct domain *d, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(d->crash_reason, sizeof(d->crash_reason), fmt, ap);
    va_end(ap);
    printk("Bulkhead: domain %u (%s) crashed: %s\n", d->id, d->name, d->crash_reason);
    d->crashed = true;
    d->shutdown_reason = SHUTDOWN_crash;
    domain_stop(d);
}

void domain_kill(struct domain *d)
{
    snprintf(d->crash_reason, sizeof(d->crash_reason), "destroyed by dom0");
    d->shutdown_reason = SHUTDOWN_poweroff;
    log_info("Bulkhead: domain %u (%s) destroyed\n", d->id, d->name);
    domain_stop(d);
}

void domain_shutdown(struct domain *d, uint32_t reason)
{
    log_info("Bulkhead: domain %u (%s) shut down, reason %u\n", d->id, d->name, reason);
    d->shutdown_reason = reason;
    domain_stop(d);
}
