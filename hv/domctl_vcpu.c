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
 * table, GDT, LDT, debug registers) must be empty.
 *
 * Xen only fixes selectors up. Bulkhead also refuses a start state that
 * could only fault on the first return to the domain (as TRAP-3 does for
 * trap handlers): a null or hypervisor CS, SS or kernel_ss, and EIP or a
 * stack in the hypervisor area, where the guest's segment limits stop.
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
    if (!all_zero(c->trap_ctxt, sizeof(c->trap_ctxt)) || c->gdt_ents || c->ldt_ents ||
        !all_zero(c->debugreg, sizeof(c->debugreg)))
        return -EINVAL;
    return 0;
}

/*
 * A stack selector a new context may start on (after guest_rpl): the flat
 * ring-1 or ring-3 one, an LDT selector or a guest GDT entry 1..7167; never
 * null nor another entry of the hypervisor's reserved GDT page.
 */
static bool stack_selector_ok(uint16_t sel)
{
    uint32_t index = sel / 8u;

    if (sel == FLAT_RING1_SS || sel == FLAT_RING3_SS)
        return true;
    if (sel & 4u)
        return true;
    return index >= 1 && index < FIRST_RESERVED_GDT_ENTRY;
}

static int32_t check_start_state(const struct vcpu_guest_context *c)
{
    const struct cpu_user_regs *u = &c->user_regs;

    if (c->kernel_ss > 0xFFFFu)
        return -EINVAL;
    if (!trap_code_selector_ok(guest_rpl(u->cs)) || !stack_selector_ok(guest_rpl(u->ss)) ||
        !stack_selector_ok(guest_rpl(c->kernel_ss)))
        return -EINVAL;
    /* An empty stack may start right at the boundary: pushes go below it. */
    if (u->eip >= HYPERVISOR_VIRT_START || u->esp > HYPERVISOR_VIRT_START ||
        c->kernel_sp > HYPERVISOR_VIRT_START)
        return -EINVAL;
    return 0;
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
    if (rc)
        return rc;
    rc = install_base(d, xen_cr3_to_pfn(c.ctrlreg[3]));
    if (rc)
        return rc;
    load_regs(&d->vcpu.regs, &c.user_regs);
    d->vcpu.kernel_ss = guest_rpl(c.kernel_ss);
    d->vcpu.kernel_sp = c.kernel_sp;
    return 0;
}

int32_t domctl_hypercall_init(struct domain *d, uint32_t gmfn)
{
    /* PT-40: the domain's own data frame, held for the write */
    return hypercall_page_install(&d->pt, gmfn);
}
