/*
 * Faults, software interrupts and events delivered to guests.
 *
 * The pure core decides (hv/core/trap_check.c: which stack, which words,
 * which handler state, or "crash"); this file only gathers the inputs
 * from the vCPU and writes the result. A bounce frame is written with
 * copy_to_guest, so a bad guest stack faults inside the copy and crashes
 * that domain, never the hypervisor. A fault with no registered handler
 * also crashes the domain (SOSP'03 §2.1.2).
 */
#include "arch/cpu.h"
#include "arch/desc.h"
#include "arch/layout.h"
#include "arch/traps.h"
#include "debugreg.h"
#include "desc_tables.h"
#include "domain.h"
#include "emul_policy.h"
#include "env.h"
#include "fpu_virt.h"
#include "guest_traps.h"
#include "printk.h"
#include "pv/shared_info.h"
#include "seg_lookup.h"
#include "string.h"

uint8_t vcpu_upcall_mask(struct domain *d)
{
    struct shared_info *s = shared_info_map(d);
    uint8_t mask = ((volatile struct vcpu_info *)&s->vcpu_info[0])->evtchn_upcall_mask;

    shared_info_unmap(s);
    return mask;
}

void vcpu_set_upcall_mask(struct domain *d, uint8_t mask)
{
    struct shared_info *s = shared_info_map(d);

    ((volatile struct vcpu_info *)&s->vcpu_info[0])->evtchn_upcall_mask = mask;
    shared_info_unmap(s);
}

static void set_guest_cr2(struct domain *d, uint32_t cr2)
{
    struct shared_info *s = shared_info_map(d);

    ((volatile struct vcpu_info *)&s->vcpu_info[0])->arch.cr2 = cr2;
    shared_info_unmap(s);
    d->vcpu.vcr2 = cr2;
}

static const char *const stack_problem[] = {
    [SEG_STACK_OK] = "ok", [SEG_STACK_TYPE] = "not writable data",
    [SEG_STACK_PRIVILEGE] = "DPL below RPL", [SEG_STACK_ABSENT] = "not present",
    [SEG_STACK_LIMIT] = "frame outside its limit",
};

/*
 * DESC-12, DESC-13: the base of the stack segment `sel` for a frame of
 * `bytes` bytes ending at offset `top`, judged as the CPU judges the load
 * and the writes Xen makes through %gs at this point. The selector is
 * looked up in the tables as they are now (the guest may have changed
 * them since it named it), and the one entry it names is read through its
 * frame. Anything else is a fault of the guest: its domain is crashed,
 * as in Xen; the reason names the selector.
 */
static bool stack_segment_base(struct domain *d, uint16_t sel, uint32_t top, uint32_t bytes,
                               uint32_t *base, const char *what)
{
    uint32_t index, table = seg_locate(sel, d->desc.gdt_ents, d->pt.ldt_ents, &index);
    uint64_t desc;
    int rc;

    if (table == SEG_NONE || desc_read_entry(d, table, index, &desc)) {
        domain_crash(d, "%s: stack segment %04x: no descriptor", what, sel);
        return false;
    }
    rc = seg_stack_check(desc, sel, top, bytes, base);
    if (rc != SEG_STACK_OK) {
        domain_crash(d, "%s: stack segment %04x: %s", what, sel, stack_problem[rc]);
        return false;
    }
    return true;
}

static void fill_request(struct bounce_req *req, const struct cpu_regs *regs, uint32_t resume_eip)
{
    memset(req, 0, sizeof(*req));
    req->eip = resume_eip;
    req->eflags = regs->eflags;
    req->esp = regs->esp;
    req->cs = regs->cs;
    req->ss = (uint16_t)regs->ss;
    req->ds = (uint16_t)regs->ds;
    req->es = (uint16_t)regs->es;
    req->fs = (uint16_t)regs->fs;
    req->gs = (uint16_t)regs->gs;
    req->saved_mask = vcpu_upcall_mask(current);
    req->kernel_ss = (uint16_t)current->vcpu.trap.kernel_ss;
    req->kernel_sp = current->vcpu.trap.kernel_sp;
}

/* Write the frame and switch the vCPU to the handler, or crash the domain (false). */
static bool enter_handler(struct cpu_regs *regs, struct bounce_req *req, const char *what)
{
    struct bounce_frame out;
    int rc;

    if (!stack_segment_base(current, bounce_stack_selector(req), bounce_stack_top(req),
                            bounce_frame_bytes(req), &req->ss_base, what))
        return false;
    rc = bounce_build(req, &out);
    if (rc != BOUNCE_OK) {
        domain_crash(current, "%s: no usable handler or stack (%d)", what, rc);
        return false;
    }
    if (env_copy_to_guest(guest_ptr(out.frame_va), out.words, out.nr_words * 4u)) {
        domain_crash(current, "%s: bounce frame at %08x not writable", what, out.frame_va);
        return false;
    }
    regs->eip = out.eip;
    regs->cs = out.cs;
    regs->eflags = out.eflags;
    regs->esp = out.esp;
    regs->ss = out.ss;
    vcpu_set_upcall_mask(current, out.upcall_mask);
    return true;
}

void bounce_to_handler(struct cpu_regs *regs, uint32_t vector, bool has_error,
                       uint32_t error_code, uint32_t resume_eip)
{
    const struct trap_info *ti = &current->vcpu.trap.idt[vector & 0xFFu];
    struct bounce_req req;

    if (!ti->address) {
        domain_crash(current, "%s at %04x:%08x (error %04x) with no handler",
                     trap_name(vector), regs->cs, regs->eip, error_code);
        return;
    }
    fill_request(&req, regs, resume_eip);
    req.handler_cs = ti->cs;
    req.handler_eip = ti->address;
    req.mask_events = (ti->flags & TI_IF_FLAG) != 0;
    req.has_error = has_error;
    req.error_code = error_code;
    (void)enter_handler(regs, &req, trap_name(vector));
}

/*
 * On every way back to the running domain: if an upcall is pending and
 * events are not masked, enter its event callback first. Its shared_info
 * is mapped at SHARED_INFO_VIRT while its tables are loaded.
 */
void deliver_pending_upcall(struct cpu_regs *regs)
{
    struct domain *d = current;
    const volatile struct vcpu_info *vi = (const volatile struct vcpu_info *)SHARED_INFO_VIRT;
    struct bounce_req req;

    if (!d || d->state != DOM_ACTIVE || !d->vcpu.trap.event_cb.cs || !regs_ring(regs))
        return;
    if (!vi->evtchn_upcall_pending || vi->evtchn_upcall_mask)
        return;
    fill_request(&req, regs, regs->eip);
    req.handler_cs = d->vcpu.trap.event_cb.cs;
    req.handler_eip = d->vcpu.trap.event_cb.eip;
    req.mask_events = true;
    (void)enter_handler(regs, &req, "event upcall");
}

/*
 * NMI-2, NMI-3: on the way back to the running domain, its pending NMI:
 * the reasons the hypervisor recorded go into shared_info first (so the
 * callback sees them), then the NMI callback is entered on FLAT_RING1_CS
 * with events masked, and further NMIs wait for the guest's iret; with
 * no callback the NMI is dropped, as in Xen.
 */
void deliver_pending_nmi(struct cpu_regs *regs)
{
    struct domain *d = current;
    struct vcpu *v;
    struct bounce_req req;
    int action;

    if (!d || d->state != DOM_ACTIVE || !regs_ring(regs))
        return;
    v = &d->vcpu;
    if (v->nmi_reasons) {
        struct shared_info *s = (struct shared_info *)SHARED_INFO_VIRT;

        ((volatile struct shared_info *)s)->arch.nmi_reason |= v->nmi_reasons;
        v->nmi_reasons = 0;
    }
    action = trap_nmi_action(v->nmi_pending, v->nmi_masked, &v->trap.nmi_cb);
    if (action == NMI_NONE)
        return;
    v->nmi_pending = false;
    if (action == NMI_DROP)
        return;
    fill_request(&req, regs, regs->eip);
    req.handler_cs = v->trap.nmi_cb.cs;
    req.handler_eip = v->trap.nmi_cb.eip;
    req.mask_events = true;
    if (enter_handler(regs, &req, "NMI callback"))
        v->nmi_masked = true;
}

/*
 * EMUL-17: #GP from a software interrupt through one of our DPL-0 gates.
 * The decoder says which instruction it was and how long (a prefixed
 * `int $n` too); the guest's virtual IDT entry then decides, as TRAP-4.
 */
static void software_interrupt(struct cpu_regs *regs)
{
    struct emul_soft_int si;

    if (!emulate_soft_int(regs, &si)) {
        bounce_to_handler(regs, 13, true, regs->error_code, regs->eip);
        return;
    }
    if (trap_soft_int_permitted(&current->vcpu.trap.idt[si.vector], regs_ring(regs)))
        bounce_to_handler(regs, si.vector, false, 0, regs->eip + si.len);
    else
        bounce_to_handler(regs, 13, true, trap_soft_int_error_code((uint8_t)si.vector), regs->eip);
}

static void general_protection(struct cpu_regs *regs)
{
    if (regs->error_code & 2) {             /* an IDT gate refused `int $n` */
        software_interrupt(regs);
        return;
    }
    /* EMUL-12, EMUL-13: ring 3 too, for what its virtual IOPL admits */
    if ((regs_ring(regs) == 1 || regs_ring(regs) == 3) && regs->error_code == 0 &&
        emulate_privileged(regs))
        return;
    bounce_to_handler(regs, 13, true, regs->error_code, regs->eip);
}

/*
 * FPU-4: #NM from a guest ring. With its virtual TS set, TS is cleared
 * (as Xen: classic Xen kernels rely on it) and the guest gets #NM; with
 * it clear the real TS was stale: clear it and retry the instruction.
 */
static void device_not_available(struct cpu_regs *regs)
{
    enum fpu_nm_action act = fpu_nm_decide(current->vcpu.virt_ts);

    current->vcpu.virt_ts = false;
    write_cr0(fpu_vcpu_cr0(read_cr0(), false));
    if (act == FPU_NM_DELIVER)
        bounce_to_handler(regs, 7, false, 0, regs->eip);
}

/*
 * A guest's #PF. In the LDT shadow area the CPU was loading one of the
 * guest's LDT selectors: map that LDT page and retry, or, when the guest's
 * LDT page cannot be used, give the guest the #PF at the LDT's own address
 * (as Xen does), never the hypervisor's shadow address.
 */
static void page_fault(struct cpu_regs *regs, uint32_t cr2)
{
    uint32_t offset;

    if (desc_ldt_fault(current, cr2))
        return;                         /* LDT page now mapped: retry */
    if (desc_ldt_area(cr2, &offset))
        cr2 = current->pt.ldt_base + offset;
    set_guest_cr2(current, cr2);
    bounce_to_handler(regs, 14, true, regs->error_code, regs->eip);
}

void traps_guest_fault(struct cpu_regs *regs)
{
    uint32_t vector = regs->entry_vector;

    current->vcpu.entries++;
    switch (vector) {
    case 14:
        page_fault(regs, read_cr2());
        break;
    case 13:
        general_protection(regs);
        break;
    case 7:
        device_not_available(regs);
        break;
    case 1:
        dr_guest_db(regs);              /* EMUL-23 */
        break;
    case 6:
        if (!emulate_forced_cpuid(regs))
            bounce_to_handler(regs, 6, false, 0, regs->eip);
        break;
    default:
        if (vector < 32)
            bounce_to_handler(regs, vector, trap_vector_has_error_code(vector),
                              regs->error_code, regs->eip);
        else
            domain_crash(current, "unexpected vector %u", vector);
        break;
    }
}

/*
 * BOUNCE-8: loading the guest's data segments or the final IRET faulted.
 * As Xen: with a failsafe callback the guest gets its selectors on a
 * failsafe frame and null data segments (always loadable); with none, or
 * when this is the failsafe entry itself faulting (a second such fault
 * before the guest has run again), the domain is crashed, rather than
 * loop in the hypervisor.
 */
void guest_exit_fault(struct cpu_regs *regs, unsigned iret)
{
    struct vcpu *v = &current->vcpu;
    const char *what = iret ? "iret" : "segment load";
    struct bounce_req req;

    if (v->in_failsafe) {
        domain_crash(current, "failsafe callback entry faulted (%s, eip %08x)", what, regs->eip);
        return;
    }
    if (!v->trap.failsafe_cb.cs) {
        domain_crash(current, "return to guest faulted (%s), no failsafe callback", what);
        return;
    }
    fill_request(&req, regs, regs->eip);
    req.handler_cs = v->trap.failsafe_cb.cs;
    req.handler_eip = v->trap.failsafe_cb.eip;
    req.mask_events = v->trap.failsafe_cb.mask_events;
    req.failsafe = true;
    if (!enter_handler(regs, &req, "failsafe callback"))
        return;
    regs->ds = regs->es = regs->fs = regs->gs = 0;
    v->in_failsafe = true;
}
