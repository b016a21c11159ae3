/*
 * Faults raised by a guest. Until virtual trap tables exist, a guest fault
 * has nowhere to go: the domain is crashed (with the fault on the log) and
 * every other domain and the hypervisor carry on.
 */
#include "arch/traps.h"
#include "domain.h"
#include "printk.h"

void traps_guest_fault(struct cpu_regs *regs)
{
    domain_crash(current, "%s at %04x:%08x (error %04x)",
                 trap_name(regs->entry_vector), regs->cs, regs->eip, regs->error_code);
}

void guest_exit_fault(struct cpu_regs *regs)
{
    domain_crash(current, "bad segment or frame on return to guest (eip %08x)", regs->eip);
}
