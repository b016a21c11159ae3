/*
 * The scheduler loop. The guest frame at the top of the hypervisor stack
 * always belongs to `current`; switching vCPUs means saving that frame
 * into the outgoing vCPU and loading the incoming one's, then switching
 * address space. Decisions are made only on the way back to a guest
 * (exit_to_guest_work), never in the middle of a hypercall.
 */
#include "arch/cpu.h"
#include "arch/desc.h"
#include "arch/fpu.h"
#include "arch/layout.h"
#include "arch/mm.h"
#include "arch/timer.h"
#include "arch/traps.h"
#include "desc_tables.h"
#include "env.h"
#include "events.h"
#include "hc_cont.h"
#include "domain.h"
#include "debugreg.h"
#include "fpu_virt.h"
#include "guest_traps.h"
#include "printk.h"
#include "pv/shared_info.h"
#include "sched.h"
#include "sched_policy.h"
#include "time.h"

static bool need_resched;
uint64_t sched_quantum_ns = 10ull * 1000000ull;

/* The policy's view of each domain slot (hv/core/sched_policy.c). */
static struct sched_entity entities[MAX_DOMAINS];
static uint64_t vfloor;

void sched_raise(void)
{
    need_resched = true;
}

void sched_tick(uint64_t now_ns)
{
    if (current && now_ns - current->run_start_ns >= sched_quantum_ns)
        sched_raise();
}

void sched_block(struct domain *d)
{
    d->vcpu.blocked = true;
    d->blocked_since_ns = time_now_ns();
    sched_raise();
}

void sched_wake(struct domain *d)
{
    if (d->vcpu.blocked)
        d->blocked_ns += time_now_ns() - d->blocked_since_ns;
    d->vcpu.blocked = false;
    d->poll_deadline = 0;           /* SCHED-5: a woken poll is over */
    events_poll_end(d);
    sched_raise();
}

void sched_domain_init(struct domain *d)
{
    sched_entity_init(&entities[domain_slot(d)], d->weight, vfloor);
}

/* Charge the running domain for the time since it was switched in. */
static void charge(struct domain *d, uint64_t now_ns)
{
    uint64_t ran;

    if (!d || now_ns <= d->run_start_ns)
        return;
    ran = now_ns - d->run_start_ns;
    d->cpu_time_ns += ran;
    d->run_start_ns = now_ns;
    sched_account(entities, MAX_DOMAINS, domain_slot(d), ran, &vfloor);
}

/*
 * Bring the policy's runnable marks up to date; a domain that became
 * runnable is woken (no banked credit), one that stopped is blocked.
 */
static void sync_entities(void)
{
    unsigned i;

    for (i = 0; i < MAX_DOMAINS; i++) {
        struct sched_entity *e = &entities[i];
        bool runnable = domain_runnable(&domains[i]);

        if (runnable && !e->runnable)
            sched_entity_wake(e, vfloor, sched_quantum_ns);
        else if (!runnable && e->runnable)
            sched_entity_block(e);
        if (runnable && e->weight != domains[i].weight)
            sched_entity_set_weight(e, domains[i].weight);
    }
}

static struct domain *pick_next(void)
{
    int i;

    sync_entities();
    i = sched_pick(entities, MAX_DOMAINS);
    return i < 0 ? NULL : &domains[i];
}

static void switch_to(struct domain *next, struct cpu_regs *frame)
{
    bool save = current && current != next && current->state == DOM_ACTIVE;

    if (save)
        current->vcpu.regs = *frame;
    if (current != next) {
        *frame = next->vcpu.regs;
        traps_reload_fs_gs();               /* PERF-1: FS, GS from this frame */
        fpu_switch(save ? current->vcpu.fpu : NULL, next->vcpu.fpu);   /* FPU-1, 5, 6; SCHED-6 */
    }
    current = next;
    next->run_start_ns = time_now_ns();
    mm_load_cr3(next->pt.cr3_mfn);
    desc_set_guest_kernel_stack(next->vcpu.trap.kernel_ss, next->vcpu.trap.kernel_sp);
    vcpu_install_int80(next);
    desc_load_ldt(next);
    dr_load(next);                      /* EMUL-22 */
    write_cr0(fpu_vcpu_cr0(read_cr0(), next->vcpu.virt_ts));    /* FPU-3, after FPU-1's work */
    time_update_guest(next);
}

static void schedule(struct cpu_regs *frame);

/*
 * Tear down stopped domains whose address space is not loaded, until
 * other work is due (HC-7): true when some teardown is left for later.
 */
static bool reap_stopped(void)
{
    uint32_t cr3_mfn = read_cr3() >> 12;
    unsigned i;

    for (i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = &domains[i];
        if (d->state == DOM_DEAD && !d->released && d->pt.cr3_mfn != cr3_mfn &&
            domain_release_resources(d) == -ERESTART)
            return true;
    }
    return false;
}

static struct domain *wait_for_runnable(void)
{
    struct domain *next;

    while (!(next = pick_next())) {
        mm_load_cr3(idle_l3_pa >> 12);
        dr_load(NULL);                  /* EMUL-22: no guest breakpoint while idle */
        if (reap_stopped()) {
            irq_window();           /* take the tick that stopped it, then go on */
            continue;
        }
        sti_halt();
        cli();
    }
    return next;
}

/*
 * HC-1: the core's question before each element of a long hypercall: a
 * reschedule was asked for, or the timer tick is due (its interrupt is
 * pending while the hypercall runs with interrupts off).
 */
bool env_preempt_pending(void)
{
    return need_resched || timer_tick_due();
}

/*
 * PERF-1: whether the way back has anything to do, asked before doing it:
 * most hypercalls leave nothing. A superset of what the three steps below
 * act on (each still decides for itself): a reschedule is asked for or the
 * running domain cannot run, an NMI or its reason is pending, or an upcall
 * is pending and unmasked in the guest's vcpu_info.
 */
static bool exit_work_due(void)
{
    const struct domain *d = current;
    const volatile struct vcpu_info *vi = (const volatile struct vcpu_info *)SHARED_INFO_VIRT;

    if (need_resched || !d || !domain_runnable(d))
        return true;
    if (d->vcpu.nmi_pending || d->vcpu.nmi_reasons)
        return true;
    return vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask;
}

void exit_to_guest_work(struct cpu_regs *frame)
{
    if (!exit_work_due())
        return;
    schedule(frame);
    deliver_pending_nmi(frame);         /* NMI-3: before events, as Xen */
    deliver_pending_upcall(frame);
}

static void schedule(struct cpu_regs *frame)
{
    struct domain *next;

    if (!need_resched && current && domain_runnable(current))
        return;
    need_resched = false;
    charge(current, time_now_ns());
    next = wait_for_runnable();
    if (next != current) {
        switch_to(next, frame);
    } else if ((read_cr3() >> 12) != next->pt.cr3_mfn) {
        /* The same domain again after an idle spell on the idle tables. */
        next->run_start_ns = time_now_ns();
        mm_load_cr3(next->pt.cr3_mfn);
        dr_load(next);                  /* EMUL-22: cleared while idle */
        time_update_guest(next);
    }
    (void)reap_stopped();
}

void sched_start(struct domain *d)
{
    struct cpu_regs *frame = guest_frame();

    if (!d)
        panic("sched: no domain to start");
    current = NULL;
    switch_to(d, frame);
    enter_guest_frame(frame);
}
