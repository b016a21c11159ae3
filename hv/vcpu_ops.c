/*
 * The guest-CPU hypercalls: the virtual IDT (set_trap_table), the ring-1
 * stack (stack_switch), callbacks (set_callbacks, callback_op), the
 * virtual CR0.TS (fpu_taskswitch), vm_assist, the virtual IOPL
 * (physdev_op) and iret (vcpu_op and its timers: time.c over
 * hv/core/vcpu_op.c). Every guest structure is
 * copied in once and checked by the pure core (hv/core/trap_check.c)
 * before the vCPU changes.
 */
#include "arch/cpu.h"
#include "arch/desc.h"
#include "domain.h"
#include "emul_policy.h"
#include "env.h"
#include "fpu_virt.h"
#include "guest_traps.h"
#include "hypercall.h"
#include "pv/callback.h"
#include "pv/errno.h"
#include "pv/physdev.h"
#include "pv/vm_assist.h"
#include "sched.h"
#include "string.h"

/*
 * The types a 32-bit PV guest may switch, as Xen's. architectural_iopl
 * (EMUL-25) makes iret frames set the virtual IOPL and lets the kernel's
 * port I/O and CLI/STI through at any IOPL (emul_iopl_ok).
 */
#define VM_ASSIST_KNOWN ((1u << VMASST_TYPE_4gb_segments) | (1u << VMASST_TYPE_4gb_segments_notify) | \
                         (1u << VMASST_TYPE_writable_pagetables) | (1u << VMASST_TYPE_pae_extended_cr3) | \
                         (1u << VMASST_TYPE_architectural_iopl) | (1u << VMASST_TYPE_runstate_update_flag))

/* The int 0x80 gate follows the running vCPU's trap table entry. */
void vcpu_install_int80(const struct domain *d)
{
    desc_set_int80_gate(trap_int80_gate(&d->vcpu.traps[TRAP_INT80_VECTOR]));
}

int32_t do_set_trap_table(const uint32_t args[5])
{
    struct trap_info ti;
    uint32_t i;

    if (args[0] == 0) {
        memset(current->vcpu.traps, 0, sizeof(current->vcpu.traps));
        vcpu_install_int80(current);
        return 0;
    }
    for (i = 0; i < 256; i++) {        /* at most one entry per vector */
        if (env_copy_from_guest(&ti, guest_ptr(args[0] + i * 8u), sizeof(ti)))
            return -EFAULT;
        if (ti.address == 0)
            break;
        if (trap_check_entry(&ti))
            return -EINVAL;
        current->vcpu.traps[ti.vector] = ti;
    }
    vcpu_install_int80(current);
    return 0;
}

int32_t do_stack_switch(const uint32_t args[5])
{
    uint16_t ss = 0;
    int rc = trap_stack_switch(args[0], &ss);     /* CB-7 */

    if (rc)
        return rc;
    current->vcpu.kernel_ss = ss;
    current->vcpu.kernel_sp = args[1];
    desc_set_guest_kernel_stack(ss, args[1]);
    return 0;
}

static int32_t register_callback(const struct callback_register *reg)
{
    struct vcpu *v = &current->vcpu;
    struct trap_callback cb;
    int rc = trap_callback_register(reg, &cb);

    if (rc)
        return rc;
    switch (reg->type) {
    case CALLBACKTYPE_event:    v->event_cb = cb; break;
    case CALLBACKTYPE_failsafe: v->failsafe_cb = cb; break;
    case CALLBACKTYPE_nmi:      v->nmi_cb = cb; break;
    case CALLBACKTYPE_syscall32: v->syscall32_cb = cb; break;
    default:                    v->sysenter_cb = cb; break;
    }
    return 0;
}

/* Both callbacks are checked before either is installed. */
int32_t do_set_callbacks(const uint32_t args[5])
{
    struct callback_register ev = { CALLBACKTYPE_event, 0, { args[0], args[1] } };
    struct callback_register fs = { CALLBACKTYPE_failsafe, 0, { args[2], args[3] } };
    struct trap_callback ev_cb, fs_cb;
    int rc = trap_callback_register(&ev, &ev_cb);

    if (!rc)
        rc = trap_callback_register(&fs, &fs_cb);
    if (rc)
        return rc;
    current->vcpu.event_cb = ev_cb;
    current->vcpu.failsafe_cb = fs_cb;
    return 0;
}

int32_t do_callback_op(const uint32_t args[5])
{
    struct callback_register reg;
    struct callback_unregister unreg;
    int rc;

    if (args[0] == CALLBACKOP_register) {
        if (env_copy_from_guest(&reg, guest_ptr(args[1]), sizeof(reg)))
            return -EFAULT;
        return register_callback(&reg);
    }
    if (args[0] != CALLBACKOP_unregister)
        return -ENOSYS;
    if (env_copy_from_guest(&unreg, guest_ptr(args[1]), sizeof(unreg)))
        return -EFAULT;
    rc = trap_callback_unregister(unreg.type);
    if (rc == 0)                    /* NMIs now wait for a new callback, or are dropped */
        memset(&current->vcpu.nmi_cb, 0, sizeof(current->vcpu.nmi_cb));
    return rc;
}

/* FPU-3: the virtual TS, mirrored in the real CR0 while this vCPU runs. */
int32_t do_fpu_taskswitch(const uint32_t args[5])
{
    current->vcpu.virt_ts = fpu_taskswitch_ts(args[0]);
    write_cr0(fpu_vcpu_cr0(read_cr0(), current->vcpu.virt_ts));
    return 0;
}

int32_t do_vm_assist(const uint32_t args[5])
{
    if (args[1] >= 32 || !(VM_ASSIST_KNOWN & (1u << args[1])))
        return -EINVAL;
    if (args[0] == VMASST_CMD_enable)
        current->vcpu.vm_assist |= 1u << args[1];
    else if (args[0] == VMASST_CMD_disable)
        current->vcpu.vm_assist &= ~(1u << args[1]);
    else
        return -ENOSYS;
    return 0;
}

int32_t do_physdev_op(const uint32_t args[5])
{
    struct physdev_set_iopl op;

    if (args[0] != PHYSDEVOP_set_iopl)
        return -ENOSYS;
    if (env_copy_from_guest(&op, guest_ptr(args[1]), sizeof(op)))
        return -EFAULT;
    if (op.iopl > 3)
        return -EINVAL;
    current->vcpu.viopl = op.iopl;
    return 0;
}

/*
 * iret: the frame is on the guest stack at ESP (EAX pushed by the stub on
 * top of an ordinary IRET frame). The returned value becomes EAX, so the
 * dispatcher's write of the result restores the guest's EAX.
 */
int32_t do_iret(const uint32_t args[5])
{
    struct cpu_regs *regs = guest_frame();
    uint32_t frame[6] = { 0, 0, 0, 0, 0, 0 };
    struct iret_state st;
    int rc;

    (void)args;
    if (!iret_frame_range_ok(regs->esp) ||
        env_copy_from_guest(frame, guest_ptr(regs->esp), 16) ||
        (iret_frame_bytes(frame[2]) > 16 && env_copy_from_guest(frame + 4, guest_ptr(regs->esp + 16), 8))) {
        domain_crash(current, "iret: frame at %08x unreadable", regs->esp);
        return 0;
    }
    rc = iret_decode(frame, regs->esp, (uint16_t)regs->ss, &st);
    if (rc != IRET_OK) {
        domain_crash(current, "iret: refused frame (%d)", rc);
        return 0;
    }
    /* EMUL-25: under architectural_iopl the frame's IOPL is the virtual one */
    current->vcpu.viopl = emul_iret_viopl(current->vcpu.viopl, frame[3],
                                          (current->vcpu.vm_assist & (1u << VMASST_TYPE_architectural_iopl)) != 0);
    regs->eip = st.eip;
    regs->cs = st.cs;
    regs->eflags = st.eflags;
    regs->esp = st.esp;
    regs->ss = st.ss;
    vcpu_set_upcall_mask(current, st.upcall_mask);
    current->vcpu.nmi_masked = false;     /* NMI-3: the NMI frame, if any, is done */
    return (int32_t)st.eax;
}
