/*
 * A vCPU's debug registers in the CPU (spec/emulation.md EMUL-18, EMUL-20..24).
 * The decisions are hv/core/emul_dr.c's; this glue loads and clears the
 * real registers and routes #DB.
 */
#ifndef HV_DEBUGREG_H
#define HV_DEBUGREG_H

#include <stdint.h>

struct cpu_regs;
struct domain;

/* EMUL-22: make the CPU's DR0-3/DR7 those of `d` (NULL: none, DR7 = 0). */
void dr_load(const struct domain *d);
/* A #DB taken in a guest ring: DR6 noted, trap 1 delivered (EMUL-23). */
void dr_guest_db(struct cpu_regs *regs);
/* A #DB taken in the hypervisor: noted and returned from (EMUL-18). */
void dr_hv_db(struct cpu_regs *regs);
/* EMUL-21: MOV to/from DRn and the hypercalls: emul_dr's answer. */
int dr_write(struct domain *d, uint32_t n, uint32_t value);

#endif
