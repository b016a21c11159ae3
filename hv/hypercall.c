/*
 * The hypercall table (STYLE: a full, fixed table). The index is checked
 * as unsigned against the table size, every slot is filled, and every
 * number Bulkhead does not implement answers -ENOSYS. spec/hypercalls.md
 * lists the same table with each call's status.
 */
#include "arch/regs.h"
#include "audit.h"
#include "domain.h"
#include "hc_cont.h"
#include "hypercall.h"
#include "pv/errno.h"
#include "pv/hypercall.h"

static int32_t do_ni_hypercall(const uint32_t args[5])
{
    (void)args;
    return -ENOSYS;
}

static hypercall_fn *const hypercall_table[NR_hypercalls] = {
    /*  0 set_trap_table */                      do_set_trap_table,
    /*  1 mmu_update */                          do_mmu_update,
    /*  2 set_gdt */                             do_set_gdt,
    /*  3 stack_switch */                        do_stack_switch,
    /*  4 set_callbacks */                       do_set_callbacks,
    /*  5 fpu_taskswitch */                      do_fpu_taskswitch,
    /*  6 sched_op_compat */                     do_ni_hypercall,
    /*  7 platform_op */                         do_ni_hypercall,
    /*  8 set_debugreg */                        do_set_debugreg,
    /*  9 get_debugreg */                        do_get_debugreg,
    /* 10 update_descriptor */                   do_update_descriptor,
    /* 11 unused */                              do_ni_hypercall,
    /* 12 memory_op */                           do_memory_op,
    /* 13 multicall */                           do_multicall,
    /* 14 update_va_mapping */                   do_update_va_mapping,
    /* 15 set_timer_op */                        do_set_timer_op,
    /* 16 event_channel_op_compat */             do_event_channel_op_compat,
    /* 17 xen_version */                         do_xen_version,
    /* 18 console_io */                          do_console_io,
    /* 19 physdev_op_compat */                   do_ni_hypercall,
    /* 20 grant_table_op */                      do_grant_table_op,
    /* 21 vm_assist */                           do_vm_assist,
    /* 22 update_va_mapping_otherdomain */       do_update_va_mapping_otherdomain,
    /* 23 iret */                                do_iret,
    /* 24 vcpu_op */                             do_vcpu_op,
    /* 25 set_segment_base */                    do_ni_hypercall,
    /* 26 mmuext_op */                           do_mmuext_op,
    /* 27 xsm_op */                              do_ni_hypercall,
    /* 28 nmi_op */                              do_ni_hypercall,
    /* 29 sched_op */                            do_sched_op,
    /* 30 callback_op */                         do_callback_op,
    /* 31 xenoprof_op */                         do_ni_hypercall,
    /* 32 event_channel_op */                    do_event_channel_op,
    /* 33 physdev_op */                          do_physdev_op,
    /* 34 hvm_op */                              do_ni_hypercall,
    /* 35 sysctl */                              do_sysctl,
    /* 36 domctl */                              do_domctl,
    /* 37 kexec_op */                            do_ni_hypercall,
    /* 38 tmem_op */                             do_ni_hypercall,
    /* 39 argo_op */                             do_ni_hypercall,
    /* 40 xenpmu_op */                           do_ni_hypercall,
    /* 41 dm_op */                               do_ni_hypercall,
    /* 42 hypfs_op */                            do_ni_hypercall,
    /* 43 unused */                              do_ni_hypercall,
    /* 44 unused */                              do_ni_hypercall,
    /* 45 unused */                              do_ni_hypercall,
    /* 46 unused */                              do_ni_hypercall,
    /* 47 unused */                              do_ni_hypercall,
    /* 48 arch_0 */                              do_ni_hypercall,
    /* 49 arch_1 */                              do_ni_hypercall,
    /* 50 arch_2 */                              do_ni_hypercall,
    /* 51 arch_3 */                              do_ni_hypercall,
    /* 52 arch_4 */                              do_ni_hypercall,
    /* 53 arch_5 */                              do_ni_hypercall,
    /* 54 arch_6 */                              do_ni_hypercall,
    /* 55 arch_7 */                              do_ni_hypercall,
    /* 56 unused */                              do_ni_hypercall,
    /* 57 unused */                              do_ni_hypercall,
    /* 58 unused */                              do_ni_hypercall,
    /* 59 unused */                              do_ni_hypercall,
    /* 60 unused */                              do_ni_hypercall,
    /* 61 unused */                              do_ni_hypercall,
    /* 62 unused */                              do_ni_hypercall,
    /* 63 unused */                              do_ni_hypercall,
};

int32_t hypercall_call(uint32_t nr, const uint32_t args[5])
{
    if (nr >= NR_hypercalls)
        return -ENOSYS;
    return hypercall_table[nr](args);
}

/*
 * The continuation the running handler asked for (one CPU, one slot). A
 * flag rather than the return value says a call stopped early, as Xen's
 * hcall_preempted: iret may legitimately "return" any EAX, -ERESTART too.
 */
static struct {
    bool set;
    struct hc_cont cont;
} pending;

int32_t hypercall_continue(const struct hc_cont *cont)
{
    pending.set = true;
    pending.cont = *cont;
    return -ERESTART;
}

/* Run one call; *preempted says it stopped early, *cont how to go on. */
static int32_t call_once(uint32_t nr, const uint32_t args[5], struct hc_cont *cont,
                         bool *preempted)
{
    int32_t rc;

    pending.set = false;
    rc = hypercall_call(nr, args);
    *preempted = pending.set && rc == -ERESTART;
    if (*preempted)
        *cont = pending.cont;
    pending.set = false;
    return rc;
}

/* MC-1: a multicall entry runs exactly as the same call would on its own. */
int32_t env_multicall_entry(uint32_t op, const uint32_t args[5], struct hc_cont *sub,
                            bool *preempted)
{
    return call_once(op, args, sub, preempted);
}

bool env_caller_active(void)
{
    return current->state == DOM_ACTIVE;       /* MC-3 */
}

/*
 * HC-8: apply a continuation as Xen does for a PV guest: back over the
 * 2-byte `int $0x82`, the number in EAX and the new arguments in
 * EBX..EDI, so the guest's next instruction issues the call again.
 */
static void reissue(struct cpu_regs *regs, uint32_t nr, const struct hc_cont *cont)
{
    regs->eip -= 2;
    regs->eax = nr;
    regs->ebx = cont->args[0];
    regs->ecx = cont->args[1];
    regs->edx = cont->args[2];
    regs->esi = cont->args[3];
    regs->edi = cont->args[4];
}

void hypercall_dispatch(struct cpu_regs *regs)
{
    uint32_t args[5] = { regs->ebx, regs->ecx, regs->edx, regs->esi, regs->edi };
    uint32_t nr = regs->eax;
    struct hc_cont cont;
    bool preempted = false;
    int32_t rc = call_once(nr, args, &cont, &preempted);

    if (preempted)
        reissue(regs, nr, &cont);
    else
        regs->eax = (uint32_t)rc;
    if (audit_enabled)                  /* no call at all in production */
        audit_check("hypercall", nr);
}
