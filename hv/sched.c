/*
 * The scheduler loop. The guest frame at the top of the hypervisor stack
 * always belongs to `current`; switching vCPUs means saving that frame
 * into the outgoing vCPU and loading the incoming one's, then switching
 * address space. Decisions are made only on the way back to a guest
 * (exit_to_guest_work), never in the middle of a hypercall.
 */
#include "arch/cpu.h"
#include "arch/desc.h"
#include "arch/mm.h"
#include "arch/traps.h"
#include "domain.h"
#include "printk.h"
#include "sched.h"

static bool need_resched;

void sched_raise(void)
{
    need_resched = true;
}

/* Round robin over runnable domains, starting after the current one. */
static struct domain *pick_next(void)
{
    unsigned start = current ? current->id + 1u : 0u, i;

    for (i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = &domains[(start + i) % MAX_DOMAINS];
        if (domain_runnable(d))
            return d;
    }
    return NULL;
}

static void switch_to(struct domain *next, struct cpu_regs *frame)
{
    if (current && current != next && current->state == DOM_ACTIVE)
        current->vcpu.regs = *frame;
    if (current != next)
        *frame = next->vcpu.regs;
    current = next;
    mm_load_cr3(next->pt.cr3_mfn);
    desc_set_guest_kernel_stack(next->vcpu.kernel_ss, next->vcpu.kernel_sp);
}

/* Tear down every stopped domain whose address space is not loaded. */
static void reap_stopped(void)
{
    uint32_t cr3_mfn = read_cr3() >> 12;
    unsigned i;

    for (i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = &domains[i];
        if (d->state == DOM_DEAD && !d->released && d->pt.cr3_mfn != cr3_mfn)
            domain_release_resources(d);
    }
}

static struct domain *wait_for_runnable(void)
{
    struct domain *next;

    while (!(next = pick_next())) {
        mm_load_cr3(idle_l3_pa >> 12);
        reap_stopped();
        sti_halt();
        cli();
    }
    return next;
}

void exit_to_guest_work(struct cpu_regs *frame)
{
    struct domain *next;

    if (!need_resched && current && domain_runnable(current))
        return;
    need_resched = false;
    next = wait_for_runnable();
    if (next != current)
        switch_to(next, frame);
    reap_stopped();
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
