/*
 * The guest-CPU hypercalls: the glue over the core, which decodes and
 * decides each of them: the virtual IDT, the ring-1 stack and the
 * callbacks (set_trap_table, stack_switch, set_callbacks, callback_op:
 * hv/core/trap_op.c), the virtual CR0.TS (fpu_taskswitch:
 * hv/core/fpu_virt.c), vm_assist (hv/core/assist_op.c) and the virtual
 * IOPL (physdev_op: hv/core/physdev_op.c). vcpu_op and its timers are
 * time.c's over hv/core/vcpu_op.c. Here: the hypercalls forwarded, the
 * env.h requests that reach the CPU, and iret.
 */
#include "arch/cpu.h"
#include "arch/desc.h"
#include "assist_op.h"
#include "domain.h"
#include "emul_policy.h"
#include "env.h"
#include "fpu_virt.h"
#include "guest_traps.h"
#include "hypercall.h"
#include "physdev_op.h"
#include "pv/vm_assist.h"
#include "sched.h"
#include "trap_op.h"

/* The int 0x80 gate follows the running vCPU's trap table entry. */
void vcpu_install_int80(const struct domain *d)
{
    desc_set_int80_gate(trap_int80_gate(&d->vcpu.trap.idt[TRAP_INT80_VECTOR]));
}

void env_int80_gate_set(uint64_t gate)
{
    desc_set_int80_gate(gate);
}

void env_kernel_stack_set(uint16_t ss, uint32_t sp)
{
    desc_set_guest_kernel_stack(ss, sp);
}

/* FPU-3: the virtual TS, mirrored in the real CR0 while this vCPU runs. */
void env_fpu_ts_set(bool ts)
{
    write_cr0(fpu_vcpu_cr0(read_cr0(), ts));
}

int32_t do_set_trap_table(const uint32_t args[5])
{
    return trap_op_set_table(&current->vcpu.trap, guest_ptr(args[0]));
}

int32_t do_stack_switch(const uint32_t args[5])
{
    return trap_op_stack_switch(&current->vcpu.trap, args[0], args[1]);
}

int32_t do_set_callbacks(const uint32_t args[5])
{
    return trap_op_set_callbacks(&current->vcpu.trap, args[0], args[1], args[2], args[3]);
}

int32_t do_callback_op(const uint32_t args[5])
{
    return trap_op_callback(&current->vcpu.trap, args[0], guest_ptr(args[1]));
}

int32_t do_fpu_taskswitch(const uint32_t args[5])
{
    return fpu_taskswitch_op(&current->vcpu.virt_ts, args[0]);
}

int32_t do_vm_assist(const uint32_t args[5])
{
    return vm_assist_op(&current->vcpu.vm_assist, args[0], args[1]);
}

int32_t do_physdev_op(const uint32_t args[5])
{
    return physdev_op(&current->vcpu.viopl, args[0], guest_ptr(args[1]));
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
