/*
 * Setting a new domain's vCPU state (domctl setvcpucontext) and its
 * hypercall page (domctl hypercall_init).
 *
 * The context is copied in once and checked like the frames it stands
 * for: selectors get RPL >= 1 (so no guest context can name ring 0), IF is
 * forced on and IOPL off as an iret would, and CR3 must name an L3 of the
 * domain that passes the full page-table validation; it is pinned and
 * becomes the base pointer, the way Xen's toolstack pins before it sets
 * the context. Parts of the context Bulkhead does not take yet (trap
 * table, GDT, LDT) must be empty. The debug registers are taken as Xen
 * takes them: from the reset state, through the same checks as
 * set_debugreg (EMUL-24; a refused breakpoint is -EINVAL, as in Xen).
 *
 * Xen only fixes selectors up. Bulkhead also refuses a start state that
 * could only fault on the first return to the domain (as TRAP-3 does for
 * trap handlers): a null or hypervisor CS, SS or kernel_ss, and EIP or a
 * stack in the hypervisor area, where the guest's segment limits stop.
 * The event and failsafe callbacks are taken as set_callbacks takes them.
 * Everything is checked before the base table is touched, so a refused
 * context leaves the domain as it was.
 */
#include "arch/cpu.h"
#include "arch/mm.h"
#include "domain.h"
#include "domctl_ops.h"
#include "env.h"
#include "hypercall_page.h"
#include "pt_table.h"
#include "pv/arch_x86_32.h"
#include "pv/callback.h"
#include "pv/errno.h"
#include "pv/layout.h"
#include "string.h"

static uint16_t guest_rpl(uint32_t sel)
{
    /* An RPL-0 selector becomes RPL 1: a guest can never name ring 0. */
    return (uint16_t)((sel & 3u) ? sel : (sel | 1u));
}

static bool all_zero(const void *p, uint32_t len)
{
    const uint8_t *b = p;
    uint32_t i;

    for (i = 0; i < len; i++)
        if (b[i])
            return false;
    return true;
}

static int32_t check_unsupported_parts(const struct vcpu_guest_context *c)
{
    if (!all_zero(c->trap_ctxt, sizeof(c->trap_ctxt)) || c->gdt_ents || c->ldt_ents)
        return -EINVAL;
    return 0;
}

/*
 * A start state that could only fault on the first return to the domain
 * is refused: a CS that is not a guest code selector (TRAP-3), an SS or
 * kernel_ss that can never name a guest stack (CB-7), EIP or a stack in
 * the hypervisor area. The data segment selectors are taken as given (as
 * Xen): the way back to the guest loads them, and a fault there enters
 * the failsafe callback or crashes the domain (BOUNCE-8).
 */
static int32_t check_start_state(const struct vcpu_guest_context *c)
{
    const struct cpu_user_regs *u = &c->user_regs;
    uint16_t kernel_ss = 0;

    if (trap_stack_switch(c->kernel_ss, &kernel_ss))
        return -EINVAL;
    if (!trap_code_selector_ok(guest_rpl(u->cs)) || !trap_stack_selector_ok(guest_rpl(u->ss)))
        return -EINVAL;
    /* An empty stack may start right at the boundary: pushes go below it. */
    if (u->eip >= HYPERVISOR_VIRT_START || u->esp > HYPERVISOR_VIRT_START ||
        c->kernel_sp > HYPERVISOR_VIRT_START)
        return -EINVAL;
    return 0;
}

/*
 * The event and failsafe callbacks of the context, checked as
 * set_callbacks checks them (CB-3, CB-8): a zero CS and EIP leave that
 * callback unregistered.
 */
static int32_t take_callback(uint16_t type, uint32_t cs, uint32_t eip, bool mask,
                             struct trap_callback *out)
{
    struct callback_register reg = { type, mask ? CALLBACKF_mask_events : 0, { cs, eip } };

    memset(out, 0, sizeof(*out));
    if (cs == 0 && eip == 0)
        return 0;
    return trap_callback_register(&reg, out);
}

static int32_t install_base(struct domain *d, uint32_t l3)
{
    bool pinned_here = false;
    int rc;

    if (l3 >= frame_table.nr_frames || frame_table.frames[l3].owner != d->id)
        return -EINVAL;
    if (!(frame_table.frames[l3].flags & FRAME_PINNED)) {
        rc = pt_pin_table(&d->pt, l3, PGT_L3);
        if (rc)
            return rc;
        pinned_here = true;
    }
    rc = pt_set_baseptr(&d->pt, l3);
    if (rc && pinned_here)
        pt_unpin_table(&d->pt, l3);
    return rc;
}

static void load_regs(struct cpu_regs *r, const struct cpu_user_regs *u)
{
    memset(r, 0, sizeof(*r));
    r->ebx = u->ebx;
    r->ecx = u->ecx;
    r->edx = u->edx;
    r->esi = u->esi;
    r->edi = u->edi;
    r->ebp = u->ebp;
    r->eax = u->eax;
    r->eip = u->eip;
    r->cs = guest_rpl(u->cs);
    r->eflags = (u->eflags | EFLAGS_IF | 0x2u) & ~(uint32_t)EFLAGS_IOPL;
    r->esp = u->esp;
    r->ss = guest_rpl(u->ss);
    r->es = u->es;
    r->ds = u->ds;
    r->fs = u->fs;
    r->gs = u->gs;
}

int32_t domctl_setvcpucontext(struct domain *d, const struct xen_domctl_vcpucontext *vc)
{
    static struct vcpu_guest_context c;   /* 2800 bytes: not on the 16 KiB stack */
    struct trap_callback event_cb, failsafe_cb;
    struct emul_dr_state dr;
    int32_t rc;

    if (vc->vcpu != 0)
        return -EINVAL;
    if (d->state != DOM_ACTIVE || d->pause_count == 0)
        return -EBUSY;
    if (env_copy_from_guest(&c, guest_ptr(vc->ctxt), sizeof(c)))
        return -EFAULT;
    rc = check_unsupported_parts(&c);
    if (!rc)
        rc = check_start_state(&c);
    if (!rc)
        rc = emul_dr_load(&dr, c.debugreg);     /* EMUL-24 */
    if (!rc)
        rc = take_callback(CALLBACKTYPE_event, c.event_callback_cs, c.event_callback_eip, true,
                           &event_cb);
    if (!rc)
        rc = take_callback(CALLBACKTYPE_failsafe, c.failsafe_callback_cs,
                           c.failsafe_callback_eip,
                           (c.flags & VGCF_failsafe_disables_events) != 0, &failsafe_cb);
    if (rc)
        return rc;
    rc = install_base(d, xen_cr3_to_pfn(c.ctrlreg[3]));
    if (rc)
        return rc;
    load_regs(&d->vcpu.regs, &c.user_regs);
    d->vcpu.trap.kernel_ss = guest_rpl(c.kernel_ss);
    d->vcpu.trap.kernel_sp = c.kernel_sp;
    d->vcpu.trap.event_cb = event_cb;
    d->vcpu.trap.failsafe_cb = failsafe_cb;
    d->vcpu.dr = dr;    /* loaded into the CPU when the vCPU next runs (EMUL-22) */
    return 0;
}

int32_t domctl_hypercall_init(struct domain *d, uint32_t gmfn)
{
    /* PT-40: the domain's own data frame, held for the write */
    return hypercall_page_install(&d->pt, gmfn);
}
