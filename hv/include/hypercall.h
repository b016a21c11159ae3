/*
 * The hypercall table: every number 0..63 has a handler; those Bulkhead
 * does not implement answer -ENOSYS. Handlers take the five argument
 * registers (EBX, ECX, EDX, ESI, EDI) so multicall can call them too.
 */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include <stdint.h>

struct cpu_regs;
struct hc_cont;

typedef int32_t hypercall_fn(const uint32_t args[5]);

void hypercall_dispatch(struct cpu_regs *regs);
int32_t hypercall_call(uint32_t nr, const uint32_t args[5]);

/*
 * HC-8: a handler whose call stopped early returns this, with the core's
 * continuation: the call is issued again with those arguments (by the
 * guest re-executing its `int $0x82`, or from the multicall entry).
 * Returns -ERESTART.
 */
int32_t hypercall_continue(const struct hc_cont *cont);

hypercall_fn do_console_io, do_xen_version, do_sched_op;
hypercall_fn do_mmu_update, do_mmuext_op, do_update_va_mapping;
hypercall_fn do_update_va_mapping_otherdomain;
hypercall_fn do_memory_op, do_domctl, do_sysctl;
hypercall_fn do_set_timer_op, do_multicall;
hypercall_fn do_set_trap_table, do_stack_switch, do_set_callbacks, do_callback_op;
hypercall_fn do_set_debugreg, do_get_debugreg;
hypercall_fn do_fpu_taskswitch, do_vm_assist, do_physdev_op, do_iret, do_vcpu_op;
hypercall_fn do_set_gdt, do_update_descriptor;
hypercall_fn do_event_channel_op, do_event_channel_op_compat, do_grant_table_op;

#endif
