/*
 * Privileged instructions a ring-1 guest kernel may execute, emulated on
 * the #GP(0) they raise (facts sheet §6.7, rules in spec/emulation.md).
 * The bytes at the guest's EIP are copied once, decoded by the proved
 * decoder (hv/core/emul_decode.c), checked by the pure policies
 * (emul_policy.c, emul_dr.c) and only then applied. Anything else is
 * reflected to the guest as the #GP it was.
 */
#include "arch/cpu.h"
#include "arch/mm.h"
#include "arch/timer.h"
#include "debugreg.h"
#include "domain.h"
#include "emul_decode.h"
#include "emul_policy.h"
#include "env.h"
#include "events.h"
#include "fpu_virt.h"
#include "guest_traps.h"
#include "hypercall_page.h"
#include "pt_table.h"
#include "pv/vm_assist.h"
#include "sched.h"
#include "sched_op.h"

#define VIRTUAL_CR4 (CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT)

static uint32_t *gpr(struct cpu_regs *r, uint32_t n)
{
    switch (n) {
    case EMUL_GPR_EAX: return &r->eax;
    case EMUL_GPR_ECX: return &r->ecx;
    case EMUL_GPR_EDX: return &r->edx;
    case EMUL_GPR_EBX: return &r->ebx;
    case EMUL_GPR_ESP: return &r->esp;
    case EMUL_GPR_EBP: return &r->ebp;
    case EMUL_GPR_ESI: return &r->esi;
    default:           return &r->edi;
    }
}

/* Copy as many instruction bytes as the guest has mapped, up to 16. */
static uint32_t fetch(const struct cpu_regs *regs, uint8_t *insn)
{
    uint32_t n;

    for (n = 0; n < 16; n++)
        if (env_copy_from_guest(insn + n, guest_ptr(regs->eip + n), 1))
            break;
    return n;
}

/* FPU-2: the real CR0 with the guest's virtual TS, as Xen shows it. */
static uint32_t vcr0(const struct domain *d)
{
    return fpu_guest_cr0(read_cr0(), d->vcpu.virt_ts);
}

/* FPU-3: a new virtual TS, mirrored in the real CR0 while the vCPU runs. */
static void set_virt_ts(struct domain *d, bool ts)
{
    d->vcpu.virt_ts = ts;
    write_cr0(fpu_vcpu_cr0(read_cr0(), ts));
}

static bool read_cr(struct domain *d, uint32_t n, uint32_t *v)
{
    switch (n) {
    case 0: *v = vcr0(d); return true;
    case 2: *v = d->vcpu.vcr2; return true;
    case 3: *v = xen_pfn_to_cr3(d->pt.cr3_mfn); return true;
    case 4: *v = VIRTUAL_CR4; return true;
    default: return false;
    }
}

static bool write_cr(struct domain *d, uint32_t n, uint32_t v)
{
    switch (n) {
    case 0: {
        bool ts = false;
        if (fpu_cr0_write(vcr0(d), v, &ts))
            return false;               /* EMUL-15: anything but TS */
        set_virt_ts(d, ts);
        return true;
    }
    case 3:
        return pt_set_baseptr(&d->pt, xen_cr3_to_pfn(v)) == 0;
    case 4:
        return v == VIRTUAL_CR4;        /* nothing a PV kernel may change */
    default:
        return false;
    }
}

/* EMUL-19: the RTC's two ports, mediated; false if the access is not to them. */
static bool rtc_io(struct domain *d, struct cpu_regs *regs, const struct emul_op *op,
                   uint32_t port)
{
    struct emul_rtc_ctx ctx = { d->privileged, d->cmos_index };
    uint32_t v = regs->eax & 0xFFu;
    int rc = emul_rtc_access(&ctx, port, op->size, op->kind == EMUL_KIND_OUT, &v);

    if (rc == EMUL_RTC_NOT_RTC)
        return false;
    d->cmos_index = ctx.index;
    if (rc == EMUL_RTC_READ_CMOS)
        v = rtc_cmos_read((uint8_t)v);
    if (op->kind == EMUL_KIND_IN)
        regs->eax = (regs->eax & ~0xFFu) | (v & 0xFFu);
    return true;
}

/* EMUL-25: VMASST_TYPE_architectural_iopl is on for this vCPU. */
static bool vcpu_arch_iopl(const struct domain *d)
{
    return (d->vcpu.vm_assist & (1u << VMASST_TYPE_architectural_iopl)) != 0;
}

static bool port_io(struct domain *d, struct cpu_regs *regs, const struct emul_op *op)
{
    struct emul_io_ctx ctx = { d->vcpu.viopl, regs_ring(regs), false, vcpu_arch_iopl(d) };
    uint32_t port = op->port_dx ? (regs->edx & 0xFFFFu) : op->port;
    int rc = emul_io_check(&ctx, port, op->size);

    if (rc < 0)
        return false;
    if (rtc_io(d, regs, op, port))
        return true;
    /* No domain owns hardware ports: every permitted access sees nothing else there. */
    if (op->kind == EMUL_KIND_IN) {
        uint32_t mask = op->size == 4 ? 0xFFFFFFFFu : (1u << (op->size * 8)) - 1;
        regs->eax |= mask;
    }
    return true;
}

static bool msr_access(struct domain *d, struct cpu_regs *regs, bool write)
{
    struct emul_msr_ctx ctx = { rdtsc(), 0 };
    uint64_t v = 0;
    uint32_t mfn = 0;
    int rc;

    if (!write) {
        if (emul_rdmsr(&ctx, regs->ecx, &v))
            return false;
        regs->eax = (uint32_t)v;
        regs->edx = (uint32_t)(v >> 32);
        return true;
    }
    rc = emul_wrmsr(&ctx, regs->ecx, ((uint64_t)regs->edx << 32) | regs->eax, &mfn);
    if (rc < 0)
        return false;
    /* PT-40: a frame that cannot be held writable gets #GP, as in Xen */
    return rc != EMUL_WRMSR_HYPERCALL_PAGE || hypercall_page_install(&d->pt, mfn) == 0;
}

static void cpuid_for_guest(struct cpu_regs *regs)
{
    struct emul_cpuid_regs real, out;
    struct emul_cpuid_host host;
    uint32_t leaf = regs->eax, sub = regs->ecx, b, c, d;

    cpuid_count(0, 0, &host.max_basic, &b, &c, &d);
    cpuid_count(0x80000000u, 0, &host.max_ext, &b, &c, &d);
    cpuid_count(leaf, sub, &real.eax, &real.ebx, &real.ecx, &real.edx);
    emul_cpuid(&host, leaf, sub, &real, &out);
    regs->eax = out.eax;
    regs->ebx = out.ebx;
    regs->ecx = out.ecx;
    regs->edx = out.edx;
}

/* EMUL-14: the caller (current) sleeps unless an event is already pending. */
static void guest_halt(void)
{
    struct evtchn_call c = events_caller();

    (void)sched_halt(&c);
}

static bool apply(struct domain *d, struct cpu_regs *regs, const struct emul_op *op)
{
    uint32_t v = 0;

    switch (op->kind) {
    case EMUL_KIND_CLI:
    case EMUL_KIND_STI:
        if (!emul_iopl_ok(d->vcpu.viopl, regs_ring(regs), vcpu_arch_iopl(d)))
            return false;
        vcpu_set_upcall_mask(d, op->kind == EMUL_KIND_CLI);
        return true;
    case EMUL_KIND_HLT:
        guest_halt();
        return true;
    case EMUL_KIND_IN:
    case EMUL_KIND_OUT:
        return port_io(d, regs, op);
    case EMUL_KIND_CLTS:
        set_virt_ts(d, false);          /* FPU-3 */
        return true;
    case EMUL_KIND_WBINVD:
        return true;                    /* EMUL-16: nothing cached is the guest's to flush */
    case EMUL_KIND_MOV_FROM_CR:
        if (!read_cr(d, op->reg, &v))
            return false;
        *gpr(regs, op->gpr) = v;
        return true;
    case EMUL_KIND_MOV_TO_CR:
        return write_cr(d, op->reg, *gpr(regs, op->gpr));
    case EMUL_KIND_MOV_FROM_DR:
        if (emul_dr_read(&d->vcpu.dr, op->reg, &v))
            return false;
        *gpr(regs, op->gpr) = v;
        return true;
    case EMUL_KIND_MOV_TO_DR:
        return dr_write(d, op->reg, *gpr(regs, op->gpr)) == 0;     /* EMUL-21 */
    case EMUL_KIND_RDMSR:
    case EMUL_KIND_WRMSR:
        return msr_access(d, regs, op->kind == EMUL_KIND_WRMSR);
    case EMUL_KIND_RDTSC: {             /* EMUL-16 */
        uint64_t t = rdtsc();
        regs->eax = (uint32_t)t;
        regs->edx = (uint32_t)(t >> 32);
        return true;
    }
    case EMUL_KIND_CPUID:
        cpuid_for_guest(regs);
        return true;
    default:                            /* EMUL-16: INS/OUTS; EMUL-1: FORCED_CPUID off #UD */
        return false;
    }
}

bool emulate_privileged(struct cpu_regs *regs)
{
    uint8_t insn[16];
    struct emul_op op;
    uint32_t avail = fetch(regs, insn);

    if (emul_decode(insn, avail, &op) != EMUL_DEC_OK)
        return false;
    if (regs_ring(regs) == 3 && !emul_user_kind_ok(op.kind))   /* EMUL-12, EMUL-13 */
        return false;
    if (!apply(current, regs, &op))
        return false;
    regs->eip += op.len;
    return true;
}

bool emulate_soft_int(const struct cpu_regs *regs, struct emul_soft_int *si)
{
    uint8_t insn[16];
    uint32_t avail = fetch(regs, insn);

    return emul_soft_int(insn, avail, regs->error_code, si);
}

bool emulate_forced_cpuid(struct cpu_regs *regs)
{
    uint8_t insn[16];
    struct emul_op op;
    uint32_t avail = fetch(regs, insn);

    /* EMUL-1: only the forced CPUID is acted on from #UD */
    if (emul_decode(insn, avail, &op) != EMUL_DEC_OK || op.kind != EMUL_KIND_FORCED_CPUID)
        return false;
    cpuid_for_guest(regs);
    regs->eip += op.len;
    return true;
}
