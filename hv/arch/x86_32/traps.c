/*
 * The C side of every hypervisor entry.
 *
 * A fault taken in ring 0 is either a guest-memory access that the
 * exception table knows how to fix up (copy_from_guest and friends, the
 * segment loads on the way back to a guest) or a hypervisor bug: the
 * latter panics with a register dump and a backtrace. Everything from a
 * guest goes to the hypercall table, an interrupt handler, or the guest
 * fault path (traps_guest_fault), which never lets a guest fault reach
 * the hypervisor's own state.
 */
#include "arch/cpu.h"
#include "arch/desc.h"
#include "arch/layout.h"
#include "arch/regs.h"
#include "arch/traps.h"
#include "debugreg.h"
#include "desc_tables.h"
#include "domain.h"
#include "hypercall.h"
#include "irq.h"
#include "fmt.h"
#include "machine.h"
#include "printk.h"
#include "pv/shared_info.h"
#include "sched.h"

struct ex_entry {
    uint32_t insn;
    uint32_t fixup;
};

extern const struct ex_entry _ex_table_start[], _ex_table_end[];
extern char boot_stack_bottom[], boot_stack_top[];
extern char _text_start[], _text_end[];

static const char *const vector_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
    "#BR bound", "#UD invalid opcode", "#NM device not available", "#DF double fault",
    "coprocessor overrun", "#TS invalid TSS", "#NP segment not present",
    "#SS stack fault", "#GP general protection", "#PF page fault", "reserved 15",
    "#MF x87 error", "#AC alignment check", "#MC machine check", "#XM SIMD error",
    "#VE virtualization", "#CP control protection",
};

const char *trap_name(unsigned vector)
{
    if (vector < 32 && vector_names[vector])
        return vector_names[vector];
    return "interrupt";
}

static const struct ex_entry *search_ex_table(uint32_t eip)
{
    /* The linker brackets the table; compare addresses, not pointers. */
    uint32_t n = ((uint32_t)_ex_table_end - (uint32_t)_ex_table_start) / sizeof(struct ex_entry);
    uint32_t i;

    for (i = 0; i < n; i++)
        if (_ex_table_start[i].insn == eip)
            return &_ex_table_start[i];
    return NULL;
}

static void dump_regs(const struct cpu_regs *r)
{
    printk("  eip %08x  cs %04x  eflags %08x  vector %u  error %04x\n",
           r->eip, r->cs, r->eflags, r->entry_vector, r->error_code);
    printk("  eax %08x  ebx %08x  ecx %08x  edx %08x\n", r->eax, r->ebx, r->ecx, r->edx);
    printk("  esi %08x  edi %08x  ebp %08x  cr2 %08x  cr3 %08x\n",
           r->esi, r->edi, r->ebp, read_cr2(), read_cr3());
    if (regs_ring(r))
        printk("  esp %08x  ss %04x  ds %04x  es %04x  fs %04x  gs %04x\n",
               r->esp, r->ss, r->ds, r->es, r->fs, r->gs);
}

static bool on_hv_stack(uint32_t addr)
{
    return addr >= (uint32_t)boot_stack_bottom && addr + 8 <= (uint32_t)boot_stack_top;
}

/* Walk saved frame pointers; every step is checked to stay on our stack. */
static void backtrace(uint32_t ebp)
{
    unsigned depth;

    printk("  backtrace:\n");
    for (depth = 0; depth < 32 && on_hv_stack(ebp); depth++) {
        const uint32_t *frame = (const uint32_t *)ebp;
        uint32_t ret = frame[1];

        if (ret < (uint32_t)_text_start || ret >= (uint32_t)_text_end)
            break;
        printk("    [%08x]\n", ret);
        if (frame[0] <= ebp)
            break;
        ebp = frame[0];
    }
}

void panic_regs(const struct cpu_regs *regs, const char *fmt, ...)
{
    va_list ap;

    cli();
    printk("\n*** Bulkhead PANIC: ");
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n");
    if (regs) {
        dump_regs(regs);
        if (!regs_ring(regs)) {
            printk("  hypervisor eip %08x\n", regs->eip);
            backtrace(regs->ebp);
        }
    } else {
        backtrace(read_ebp());
    }
    machine_exit(EXIT_PANIC);
}

void panic(const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    panic_regs(NULL, "%s", buf);
}

void double_fault_report(void);
void double_fault_report(void)
{
    printk("\n*** Bulkhead PANIC: double fault (hypervisor stack overflow?)\n");
    machine_exit(EXIT_PANIC);
}

void __stack_chk_fail(void);
void __stack_chk_fail(void)
{
    panic("stack protector: corrupted stack frame");
}

static void hypervisor_fault(struct cpu_regs *regs)
{
    const struct ex_entry *fix = search_ex_table(regs->eip);

    /* Loading a guest's LDT selector on the way back to it: map the page. */
    if (regs->entry_vector == 14 && desc_ldt_fault(current, read_cr2()))
        return;
    if (fix && regs->entry_vector < 32) {
        regs->eip = fix->fixup;
        return;
    }
    panic_regs(regs, "%s in the hypervisor", trap_name(regs->entry_vector));
}

/*
 * NMI-1: a physical NMI, taken in whatever ring, is the hypervisor's. It
 * is never taken for a fault of the code it interrupted (an
 * exception-table fix-up must not fire for it) and never given to the
 * running guest; as Xen does by default with an NMI of unknown cause, it
 * is passed to dom0: reason "unknown", delivered to dom0's NMI callback
 * when dom0 next runs (NMI-3). An NMI may interrupt anything, so only
 * flags are set here.
 */
static uint32_t nmi_count;

static void nmi_physical(void)
{
    struct domain *d0 = domain_by_id(0);

    nmi_count++;
    if (!d0 || d0->state != DOM_ACTIVE)
        return;
    d0->vcpu.nmi_reasons |= XEN_NMIREASON_unknown;
    d0->vcpu.nmi_pending = true;
}

/* `int $0x82` from a guest ring: entry.S sends it here without a detour. */
void hypercall_entry(struct cpu_regs *regs);
void hypercall_entry(struct cpu_regs *regs)
{
    struct domain *d = current;

    if (!d)
        panic_regs(regs, "hypercall with no current domain");
    d->vcpu.in_failsafe = false;        /* it ran: the failsafe path worked */
    d->vcpu.entries++;
    hypercall_dispatch(regs);
}

void trap_dispatch(struct cpu_regs *regs);
void trap_dispatch(struct cpu_regs *regs)
{
    unsigned vector = regs->entry_vector;

    if (vector == 2) {
        nmi_physical();
        return;
    }
    if (regs_ring(regs) && current)
        current->vcpu.in_failsafe = false;      /* it ran: the failsafe path worked */
    if (vector >= IRQ_BASE_VECTOR && vector < IRQ_BASE_VECTOR + 16) {
        irq_handle(vector - IRQ_BASE_VECTOR);
        return;
    }
    if (vector == 1 && !regs_ring(regs)) {
        dr_hv_db(regs);                 /* EMUL-18: before the exception table */
        return;
    }
    if (!regs_ring(regs)) {
        hypervisor_fault(regs);
        return;
    }
    if (!current)
        panic_regs(regs, "entry from a guest ring with no current domain");
    traps_guest_fault(regs);
}

extern uint8_t fsgs_stale;

void traps_reload_fs_gs(void)
{
    fsgs_stale = 1;
}

/* Set from the TSC in boot.S before the first protected function runs. */
uint32_t __stack_chk_guard;
