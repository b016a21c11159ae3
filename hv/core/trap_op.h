/*
 * set_trap_table (hypercall 0), stack_switch (3), set_callbacks (4) and
 * callback_op (30), decoded and decided in the core (spec/traps.md
 * TRAP-1..TRAP-8, CB-1..CB-9).
 *
 * Theory of operation. A PV kernel tells the hypervisor where its code is
 * entered: the virtual IDT (one trap_info per vector), the event,
 * failsafe, NMI, sysenter and syscall32 callbacks, and the ring-1 stack a
 * bounce from ring 2/3 lands on. These registrations live in struct
 * trap_vcpu, one per vCPU. Every guest structure is copied in once
 * through env.h and checked by trap_check.c; a registration changes only
 * once its own checks passed, so the vCPU never holds an entry, callback
 * or stack selector those checks refused. set_trap_table keeps Xen's
 * order: entries are taken one at a time, and a refused or unreadable
 * entry ends the call with the entries before it in place (TRAP-8).
 *
 * What the hardware must then show is asked of env.h: the int 0x80 gate
 * (env_int80_gate_set(), TRAP-5) after every change to the table, and
 * the ring-1 stack in the TSS (env_kernel_stack_set()) after a
 * stack_switch. Those seams act on the CPU the caller runs on, so every
 * function here is for the calling vCPU's own trap_vcpu only; a path that
 * sets another vCPU's registrations (a toolstack's vcpu context) must not
 * use them as they stand.
 *
 * Errors are Xen's: -EFAULT an argument that cannot be copied in, -EINVAL
 * a rule refused, -ENOSYS an unknown callback type or callback_op
 * command; each function lists those it returns.
 */
#ifndef CORE_TRAP_OP_H
#define CORE_TRAP_OP_H

#include "trap_check.h"
#include "types.h"

#define TRAP_VECTORS 256u

/* The registrations of one vCPU (zeroed: nothing registered). */
struct trap_vcpu {
    struct trap_info idt[TRAP_VECTORS];     /* the virtual IDT, by vector */
    struct trap_callback event_cb, failsafe_cb, nmi_cb, syscall32_cb, sysenter_cb;
    uint32_t kernel_ss, kernel_sp;          /* the ring-1 stack (stack_switch) */
};

/*
 * TRAP-1, TRAP-8, set_trap_table(list): a NULL list clears every entry.
 * Otherwise entries are copied in one at a time (at most TRAP_VECTORS)
 * until one whose address is 0; each that passes trap_check_entry()
 * overwrites idt[vector]. 0; -EFAULT an entry that cannot be read, or
 * -EINVAL one refused (TRAP-2, TRAP-3, TRAP-7): the call stops there,
 * earlier entries kept. The int 0x80 gate is set from idt[0x80] in
 * every case.
 */
int32_t trap_op_set_table(struct trap_vcpu *tv, guest_ptr_t list);

/*
 * CB-7, stack_switch(ss, esp): 0 with kernel_ss:kernel_sp the stack
 * (SS with RPL >= 1) and the TSS told, or -EINVAL with nothing changed.
 */
int32_t trap_op_stack_switch(struct trap_vcpu *tv, uint32_t ss, uint32_t esp);

/*
 * set_callbacks(event_cs, event_eip, failsafe_cs, failsafe_eip): both
 * are checked as callback_op would (CB-2, CB-3, CB-8; the failsafe entry
 * without masking, CB-4) before either is installed. 0 or -EINVAL.
 */
int32_t trap_op_set_callbacks(struct trap_vcpu *tv, uint32_t event_cs, uint32_t event_eip,
                              uint32_t failsafe_cs, uint32_t failsafe_eip);

/*
 * CB-9, callback_op(cmd, arg): CALLBACKOP_register installs the callback
 * whose callback_register is at `arg` (CB-1..CB-5, CB-8); _unregister
 * clears the one named by the callback_unregister at `arg` (CB-6). 0;
 * -EFAULT the argument cannot be copied in; -ENOSYS an unknown command
 * (CB-9) or type (CB-1, CB-6); -EINVAL a refused callback (CB-3, CB-8)
 * or one that cannot be unregistered (CB-6). Nothing changes on error.
 */
int32_t trap_op_callback(struct trap_vcpu *tv, uint32_t cmd, guest_ptr_t arg);

#endif
