/*
 * Delivering exceptions, software interrupts and events to a guest, and
 * the instructions Bulkhead emulates for guest kernels in ring 1.
 */
#ifndef HV_GUEST_TRAPS_H
#define HV_GUEST_TRAPS_H

#include <stdbool.h>
#include <stdint.h>

struct cpu_regs;
struct domain;
struct emul_soft_int;

/*
 * Deliver `vector` to the current guest's handler through a bounce frame
 * (spec/traps.md), resuming at `resume_eip`; crashes the domain if there
 * is no handler or the frame cannot be written.
 */
void bounce_to_handler(struct cpu_regs *regs, uint32_t vector, bool has_error,
                       uint32_t error_code, uint32_t resume_eip);
/* Deliver a pending event upcall to the current guest, if it can take one now. */
void deliver_pending_upcall(struct cpu_regs *regs);
/* Deliver the current guest's pending NMI to its NMI callback (NMI-3). */
void deliver_pending_nmi(struct cpu_regs *regs);
/* Emulate the privileged instruction a ring-1 #GP(0) stopped; true if done. */
bool emulate_privileged(struct cpu_regs *regs);
/*
 * EMUL-17: the software interrupt that raised a #GP naming an IDT gate:
 * true with its vector and length, false when the bytes at EIP are not
 * the interrupt the error code names.
 */
bool emulate_soft_int(const struct cpu_regs *regs, struct emul_soft_int *si);
/* The forced-emulation CPUID (#UD at `ud2; "xen"; cpuid`); true if it was one. */
bool emulate_forced_cpuid(struct cpu_regs *regs);

/* The virtual event mask in vcpu_info, read and written by the hypervisor. */
uint8_t vcpu_upcall_mask(struct domain *d);
void vcpu_set_upcall_mask(struct domain *d, uint8_t mask);

#endif
