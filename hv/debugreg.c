/*
 * Guest debug registers in the CPU (spec/emulation.md EMUL-18, EMUL-20..24).
 *
 * The virtual registers live in each vCPU (checked by hv/core/emul_dr.c,
 * whose invariant keeps every enabled breakpoint on guest addresses).
 * They are put into the CPU only while a vCPU whose DR7 enables a
 * breakpoint runs (EMUL-22, as Xen), so most switches write nothing; the
 * real DR7 is cleared before anything else runs. The real DR6 is reset
 * after every #DB, so each #DB reads only its own status bits.
 *
 * A guest breakpoint can match in ring 0: a data breakpoint on a guest
 * buffer the hypervisor copies (copy_from_guest, a bounce frame written on
 * the guest's stack), or, through the MOV SS / POP SS erratum, a #DB held
 * back by the interrupt shadow until the first instruction of the entry
 * stub the next instruction (int $0x82, int3, a fault) reached. Both are
 * traps: the hypervisor notes them and carries on, as Xen does; the guest
 * is not told (Xen tells it nothing either). They are routed here before
 * the exception table is looked at, so a #DB in a guest-memory copy never
 * turns the copy into -EFAULT and a #DB anywhere never panics.
 */
#include "arch/cpu.h"
#include "arch/regs.h"
#include "debugreg.h"
#include "domain.h"
#include "emul_dr.h"
#include "guest_traps.h"
#include "hypercall.h"
#include "printk.h"
#include "pv/errno.h"

extern const uint32_t trap_stub_table[256];

static bool hw_active;                  /* the CPU's DR7 enables a guest breakpoint */
static uint32_t hv_db_count;            /* #DB taken in the hypervisor (EMUL-18) */
static uint32_t shadow_db_count;        /* of which at an entry stub's first instruction */

/*
 * DR7 first, so nothing fires on the old DR0-3; then DR0-3 themselves:
 * a CPU may report a disabled breakpoint's match in DR6 B0-B3, and the
 * next domain's single steps would then tell it where this one's were.
 */
static void hw_clear(void)
{
    if (hw_active) {
        write_dr7(0);
        write_dr0(0);
        write_dr1(0);
        write_dr2(0);
        write_dr3(0);
    }
    hw_active = false;
}

void dr_load(const struct domain *d)
{
    const struct emul_dr_state *s;

    if (!d || !emul_dr_active(d->vcpu.dr)) {
        hw_clear();
        return;
    }
    s = &d->vcpu.dr;
    write_dr7(0);                       /* no half-loaded breakpoint can fire */
    write_dr0(s->dr[0]);
    write_dr1(s->dr[1]);
    write_dr2(s->dr[2]);
    write_dr3(s->dr[3]);
    write_dr6(EMUL_DR6_INIT);
    write_dr7(s->dr7);                  /* EMUL-9..11 hold for this value */
    hw_active = true;
}

int dr_write(struct domain *d, uint32_t n, uint32_t value)
{
    int rc = emul_dr_write(&d->vcpu.dr, n, value);

    /* A refusal changed nothing; an accepted write takes effect at once. */
    if (rc == 0 && d == current)
        dr_load(d);
    return rc;
}

void dr_guest_db(struct cpu_regs *regs)
{
    uint32_t hw_dr6 = read_dr6();

    write_dr6(EMUL_DR6_INIT);
    emul_dr_note_db(&current->vcpu.dr, hw_dr6);     /* EMUL-23 */
    bounce_to_handler(regs, 1, false, 0, regs->eip);
}

/*
 * Whether `eip` is the first instruction of an entry stub: where a #DB the
 * MOV SS / POP SS interrupt shadow held back is taken (only for the log).
 */
static bool entry_stub_vector(uint32_t eip, uint32_t *vector)
{
    uint32_t v;

    for (v = 0; v < 256; v++)
        if (trap_stub_table[v] == eip) {
            *vector = v;
            return true;
        }
    return false;
}

void dr_hv_db(struct cpu_regs *regs)
{
    uint32_t hw_dr6 = read_dr6(), vector = 0;

    write_dr6(EMUL_DR6_INIT);
    /* Never single-step the hypervisor (a TF the interrupted code had). */
    regs->eflags &= ~EFLAGS_TF;
    /* An instruction breakpoint is a fault: it would fire again forever. */
    if (emul_dr_hv_db_fatal(hw_dr6, read_dr7())) {
        printk("EMUL-18: instruction breakpoint in the hypervisor at %08x: DR7 cleared\n",
               regs->eip);
        write_dr7(0);
        hw_active = false;
    }
    if (entry_stub_vector(regs->eip, &vector)) {
        if (shadow_db_count++ < 4)
            printk("EMUL-18: #DB at the entry of vector %u (dr6 %08x, MOV SS / POP SS "
                   "shadow), ignored\n", vector, hw_dr6);
        return;
    }
    if (hv_db_count++ < 4)
        printk("EMUL-18: #DB in the hypervisor at %08x (dr6 %08x), ignored\n",
               regs->eip, hw_dr6);
}

/* set_debugreg(reg, value): EMUL-21, Xen's errors (-EPERM, -ENODEV). */
int32_t do_set_debugreg(const uint32_t args[5])
{
    return dr_write(current, args[0], args[1]);
}

/* get_debugreg(reg): the value itself, or -ENODEV (EMUL-21), as Xen. */
int32_t do_get_debugreg(const uint32_t args[5])
{
    uint32_t v = 0;

    if (emul_dr_read(&current->vcpu.dr, args[0], &v))
        return -ENODEV;
    return (int32_t)v;
}
