#ifndef ARCH_TRAPS_H
#define ARCH_TRAPS_H

struct cpu_regs;

const char *trap_name(unsigned vector);
/* A fault or software interrupt raised by a guest (ring 1 or 3). */
void traps_guest_fault(struct cpu_regs *regs);
/* Loading the guest's segments (iret 0) or the final IRET (iret 1) faulted. */
void guest_exit_fault(struct cpu_regs *regs, unsigned iret);
/* Deferred work before returning to a guest; may switch vCPUs. */
void exit_to_guest_work(struct cpu_regs *regs);
/*
 * PERF-1: the way back to the guest must reload FS and GS from the frame,
 * because what a reload would give may differ from what they hold: the
 * frame now belongs to another vCPU, or a descriptor table of the running
 * domain changed (a GDT or LDT page mapped or unmapped, the LDT moved, a
 * descriptor written).
 */
void traps_reload_fs_gs(void);
/* Leave the boot stack and run the guest whose frame is `frame`. */
void enter_guest_frame(struct cpu_regs *frame) __attribute__((noreturn));

#endif
