/*
 * Emulation policy (see emul_policy.h and spec/emulation.md).
 *
 * CPUID works by allow-lists: a feature bit reaches the guest only when
 * it is named here, with the reason it is safe for a ring-1 PV kernel.
 * Port I/O has two ways to say no: #GP when the virtual IOPL refuses (as
 * the CPU would with a real IOPL), and "absent hardware" for ports the
 * domain may not reach, as a machine without that device would answer.
 */
#include "emul_policy.h"
#include "emul_decode.h"
#include "pv/errno.h"

/* ---- CPUID ------------------------------------------------------------ */

#define BIT(n) (1u << (n))

/*
 * Leaf 1 EDX: the x87/MMX/SSE/SSE2 state is the guest's own (the
 * hypervisor sets CR4.OSFXSR/OSXMMEXCPT and switches FPU state with
 * FXSAVE, fpu_taskswitch giving the guest its lazy TS), TSC/CX8/CMOV/
 * CLFSH are unprivileged, MSR because RDMSR is emulated, PAE because the
 * guest builds PAE tables. Hidden: VME, DE (no I/O breakpoints, EMUL-10),
 * PSE/PSE36 (no superpages, PT-4), MCE/MCA, APIC, SEP (no sysenter
 * delivery), MTRR, PGE (no global pages, PT-1), PAT (PT-2), PSN, DS,
 * ACPI, HTT, TM, PBE: hardware the hypervisor owns or does not virtualise.
 */
#define CPUID1_EDX_ALLOW (BIT(0) | BIT(4) | BIT(5) | BIT(6) | BIT(8) | BIT(15) | \
                          BIT(19) | BIT(23) | BIT(24) | BIT(25) | BIT(26) | BIT(27))

/*
 * Leaf 1 ECX: SSE3, PCLMULQDQ, SSSE3, SSE4.1, SSE4.2, MOVBE, POPCNT,
 * AES-NI, RDRAND: unprivileged instructions on state the guest owns.
 * Hidden: VMX, SMX, MONITOR/MWAIT, PCID, x2APIC, TSC-deadline, DCA,
 * PDCM, xTPR, EST, TM2, DS-CPL, DTES64, SDBG (hypervisor hardware);
 * CX16 (CMPXCHG16B is #UD in 32-bit mode); XSAVE, OSXSAVE and what needs
 * them (AVX, FMA, F16C): the hypervisor does not switch XSAVE state.
 */
#define CPUID1_ECX_ALLOW (BIT(0) | BIT(1) | BIT(9) | BIT(19) | BIT(20) | BIT(22) | \
                          BIT(23) | BIT(25) | BIT(30))

/* Leaf 1 EBX: brand index and CLFLUSH size; not the APIC ID or counts. */
#define CPUID1_EBX_ALLOW 0x0000FFFFu

/*
 * Leaf 7 subleaf 0 EBX: BMI1, FDP_EXCPTN_ONLY, BMI2, ERMS, FCS/FDS
 * deprecation, RDSEED, ADX, CLFLUSHOPT, CLWB, SHA. Hidden among others:
 * SMEP, SMAP, INVPCID, FSGSBASE, TSC_ADJUST, SGX, MPX, HLE/RTM, AVX2 and
 * AVX-512 (XSAVE state), PQM/PQE. ECX (UMIP, PKU, OSPKE, ...) and EDX
 * (speculation controls and their MSRs) are hidden whole.
 */
#define CPUID7_EBX_ALLOW (BIT(3) | BIT(6) | BIT(8) | BIT(9) | BIT(13) | BIT(18) | \
                          BIT(19) | BIT(23) | BIT(24) | BIT(29))

/*
 * Leaf 0x80000001: NX (the guest's PAE tables use it; the hypervisor runs
 * with EFER.NXE), LAHF-SAHF, LZCNT, SSE4A, misaligned SSE, PREFETCHW. On
 * AMD, EDX repeats leaf 1 bits 0-9, 12-17, 23-24: those follow leaf 1's
 * list. Hidden: SYSCALL (no syscall delivery), LM, RDTSCP, 1 GiB pages,
 * SVM, XOP/FMA4/TBM, IBS, SKINIT, LWP, OSVW, 3DNow!.
 */
#define CPUIDX1_EDX_AMD_COPY 0x0183F3FFu
#define CPUIDX1_EDX_ALLOW    ((CPUID1_EDX_ALLOW & CPUIDX1_EDX_AMD_COPY) | BIT(20))
#define CPUIDX1_ECX_ALLOW    (BIT(0) | BIT(5) | BIT(6) | BIT(7) | BIT(8))

/* Leaf 0x80000007 EDX: the invariant-TSC bit only. */
#define CPUIDX7_EDX_ALLOW BIT(8)

/* Leaf 4 EAX bits 14..31 describe the package topology: hidden. */
#define CPUID4_EAX_ALLOW 0x00003FFFu

/* "XenVMMXenVMM" as EBX, ECX, EDX. */
#define XEN_SIG_EBX 0x566E6558u   /* "XenV" */
#define XEN_SIG_ECX 0x65584D4Du   /* "MMXe" */
#define XEN_SIG_EDX 0x4D4D566Eu   /* "nVMM" */

static void regs_set(struct emul_cpuid_regs *r, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    r->eax = a;
    r->ebx = b;
    r->ecx = c;
    r->edx = d;
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

/* EMUL-3: the Xen leaves, from 0x40000000; the rest of the range is zero. */
static void cpuid_hypervisor(uint32_t leaf, struct emul_cpuid_regs *out)
{
    switch (leaf - EMUL_CPUID_HV_BASE) {
    case 0:
        regs_set(out, EMUL_CPUID_HV_MAX, XEN_SIG_EBX, XEN_SIG_ECX, XEN_SIG_EDX);
        break;
    case 1:
        regs_set(out, EMUL_CPUID_HV_VERSION, 0, 0, 0);
        break;
    case 2: /* one hypercall page, its MSR, no feature flags */
        regs_set(out, 1, EMUL_CPUID_HV_MSR, 0, 0);
        break;
    default:
        regs_set(out, 0, 0, 0, 0);
        break;
    }
}

/* EMUL-4, EMUL-5: basic leaves up to the lower of the two limits. */
static void cpuid_basic(const struct emul_cpuid_host *host, uint32_t leaf, uint32_t subleaf,
                        const struct emul_cpuid_regs *r, struct emul_cpuid_regs *out)
{
    uint32_t max = min_u32(host->max_basic, EMUL_CPUID_MAX_BASIC);

    regs_set(out, 0, 0, 0, 0);
    if (leaf > max)
        return;
    switch (leaf) {
    case 0: /* vendor string as is */
        regs_set(out, max, r->ebx, r->ecx, r->edx);
        break;
    case 1:
        regs_set(out, r->eax, r->ebx & CPUID1_EBX_ALLOW,
                 (r->ecx & CPUID1_ECX_ALLOW) | EMUL_CPUID1_ECX_HYPERVISOR, r->edx & CPUID1_EDX_ALLOW);
        break;
    case 2: /* cache descriptors */
        *out = *r;
        break;
    case 4: /* cache parameters, without the topology counts */
        regs_set(out, r->eax & CPUID4_EAX_ALLOW, r->ebx, r->ecx, r->edx);
        break;
    case 7: /* subleaf 0 only; EAX (the last subleaf) is 0 */
        if (subleaf == 0)
            out->ebx = r->ebx & CPUID7_EBX_ALLOW;
        break;
    default: /* 3 (serial number), 5 (MONITOR), 6 (power): hidden */
        break;
    }
}

/* EMUL-6: extended leaves up to the lower of the two limits. */
static void cpuid_extended(const struct emul_cpuid_host *host, uint32_t leaf,
                           const struct emul_cpuid_regs *r, struct emul_cpuid_regs *out)
{
    uint32_t max = min_u32(host->max_ext, EMUL_CPUID_MAX_EXT);

    regs_set(out, 0, 0, 0, 0);
    if (host->max_ext < 0x80000000u || leaf > max)
        return;
    switch (leaf) {
    case 0x80000000u:
        regs_set(out, max, r->ebx, r->ecx, r->edx);
        break;
    case 0x80000001u:
        regs_set(out, r->eax, 0, r->ecx & CPUIDX1_ECX_ALLOW, r->edx & CPUIDX1_EDX_ALLOW);
        break;
    case 0x80000002u: case 0x80000003u: case 0x80000004u: /* brand string */
    case 0x80000005u: case 0x80000006u:                   /* caches, TLBs */
        *out = *r;
        break;
    case 0x80000007u:
        out->edx = r->edx & CPUIDX7_EDX_ALLOW;
        break;
    case 0x80000008u: /* address sizes; not core counts or AMD speculation bits */
        out->eax = r->eax;
        break;
    default:
        break;
    }
}

void emul_cpuid(const struct emul_cpuid_host *host, uint32_t leaf, uint32_t subleaf,
                const struct emul_cpuid_regs *real, struct emul_cpuid_regs *out)
{
    if (leaf < EMUL_CPUID_HV_BASE)
        cpuid_basic(host, leaf, subleaf, real, out);
    else if (leaf < 0x50000000u)
        cpuid_hypervisor(leaf, out);
    else if (leaf >= 0x80000000u && leaf < 0xC0000000u)
        cpuid_extended(host, leaf, real, out);
    else
        regs_set(out, 0, 0, 0, 0);   /* other vendors' ranges: nothing */
}

/* ---- MSRs ------------------------------------------------------------- */

#define MISC_ENABLE_FAST_STRING    (1ull << 0)
#define MISC_ENABLE_BTS_UNAVAIL    (1ull << 11)
#define MISC_ENABLE_PEBS_UNAVAIL   (1ull << 12)

/*
 * EMUL-7. IA32_MISC_ENABLE keeps the host's fast-strings bit and says
 * BTS/PEBS are unavailable; MONITOR enable, the CPUID limit, XD disable
 * and the thermal bits are never shown. EFER shows NX only: SCE is the
 * hypervisor's (no SYSCALL for PV guests), LME/LMA are never set.
 * IA32_DEBUGCTL reads 0 (no LBR, BTF or BTS for a guest): kernels read it
 * while setting up debugging, and Xen's #GP there stops some of them.
 */
int emul_rdmsr(const struct emul_msr_ctx *ctx, uint32_t msr, uint64_t *val)
{
    switch (msr) {
    case EMUL_MSR_TSC:
        *val = ctx->tsc;
        return 0;
    case EMUL_MSR_APIC_BASE:
        *val = EMUL_APIC_BASE_VALUE;
        return 0;
    case EMUL_MSR_MISC_ENABLE:
        *val = (ctx->host_misc_enable & MISC_ENABLE_FAST_STRING) |
               MISC_ENABLE_BTS_UNAVAIL | MISC_ENABLE_PEBS_UNAVAIL;
        return 0;
    case EMUL_MSR_EFER:
        *val = EMUL_EFER_NX;
        return 0;
    case EMUL_MSR_DEBUGCTL:
        *val = 0;       /* EMUL-7; a write of 0 is taken, any other #GP (EMUL-8) */
        return 0;
    default:
        return -EPERM;
    }
}

/* EMUL-8. */
int emul_wrmsr(const struct emul_msr_ctx *ctx, uint32_t msr, uint64_t val, uint32_t *mfn)
{
    uint64_t cur = 0;

    if (msr == EMUL_MSR_HYPERCALL) {
        /* page index 0 only; the frame must fit a 32-bit MFN */
        if (val % 4096 != 0 || val / 4096 > 0xFFFFFFFFull)
            return -EPERM;
        *mfn = (uint32_t)(val / 4096);
        return EMUL_WRMSR_HYPERCALL_PAGE;
    }
    /* The TSC is read-only: a guest must not move the host's clock. */
    if (msr == EMUL_MSR_TSC)
        return -EPERM;
    if (emul_rdmsr(ctx, msr, &cur) != 0 || cur != val)
        return -EPERM;
    return 0;
}

/* ---- Port I/O --------------------------------------------------------- */

struct port_range {
    uint16_t first, last;
};

/*
 * EMUL-12: ports the hypervisor drives or that reach all of memory or the
 * machine's reset, whatever the domain's I/O privilege. A domain with I/O
 * privilege still sees every other port (and with it the devices it was
 * given: that privilege is trust, see SECURITY.md).
 */
static const struct port_range owned_ports[] = {
    { 0x0000, 0x001F },   /* ISA DMA controller 1: DMA into any memory */
    { 0x0020, 0x0021 },   /* master PIC */
    { 0x0040, 0x0043 },   /* PIT: the hypervisor's timer */
    { 0x0060, 0x0060 },   /* keyboard controller data */
    { 0x0061, 0x0061 },   /* PIT gate, NMI status */
    { 0x0064, 0x0064 },   /* keyboard controller command: CPU reset */
    { 0x0070, 0x0071 },   /* CMOS/RTC index (also the NMI mask) and data: EMUL-19 */
    { 0x0081, 0x008F },   /* DMA page registers */
    { 0x0092, 0x0092 },   /* fast A20 and reset */
    { 0x00A0, 0x00A1 },   /* slave PIC */
    { 0x00C0, 0x00DF },   /* ISA DMA controller 2 */
    { 0x00E9, 0x00E9 },   /* debug console */
    { 0x00F4, 0x00F7 },   /* isa-debug-exit: ends the machine in test mode */
    { 0x03F8, 0x03FF },   /* COM1: the hypervisor's console */
    { 0x04D0, 0x04D1 },   /* ELCR: interrupt trigger modes */
    { 0x0510, 0x051B },   /* QEMU fw_cfg, whose DMA interface writes any memory */
    { 0x0CF8, 0x0CFF },   /* PCI configuration (CF9: reset control) */
};

bool emul_io_port_owned(uint32_t port, uint32_t size)
{
    uint32_t i, last;

    if (size == 0)
        return false;
    /* saturate rather than wrap: the port space ends long before 2^32 */
    last = size - 1 > UINT32_MAX - port ? UINT32_MAX : port + (size - 1);
    for (i = 0; i < ARRAY_SIZE(owned_ports); i++)
        if (port <= owned_ports[i].last && owned_ports[i].first <= last)
            return true;
    return false;
}

bool emul_iopl_ok(uint32_t viopl, uint32_t ring, bool arch_iopl)
{
    uint32_t cpl;

    if (ring == 1)
        cpl = arch_iopl ? 0 : 1;        /* EMUL-25: the kernel as ring 0 */
    else if (ring == 3)
        cpl = 3;
    else
        return false;
    return viopl <= 3 && viopl >= cpl;
}

bool emul_user_kind_ok(uint32_t kind)
{
    return kind == EMUL_KIND_IN || kind == EMUL_KIND_OUT || kind == EMUL_KIND_CLI ||
           kind == EMUL_KIND_STI;
}

/* EMUL-17: the decoder, never a byte compare, says what raised the #GP. */
bool emul_soft_int(const uint8_t *insn, uint32_t avail, uint32_t error_code,
                   struct emul_soft_int *si)
{
    struct emul_op op;
    bool soft_int;

    si->vector = 0;
    si->len = 0;
    if ((error_code & 3u) != 2u)        /* not an IDT gate, or an external event */
        return false;
    if (emul_decode(insn, avail, &op) != EMUL_DEC_OK)
        return false;
    soft_int = op.kind == EMUL_KIND_INT_N || op.kind == EMUL_KIND_INT3 ||
               op.kind == EMUL_KIND_INTO;
    if (!soft_int || op.vector != ((error_code >> 3) & 0xFFu))
        return false;
    si->vector = op.vector;
    si->len = op.len;
    return true;
}

uint32_t emul_iret_viopl(uint32_t viopl, uint32_t frame_eflags, bool arch_iopl)
{
    return arch_iopl ? (frame_eflags >> 12) & 3u : viopl;
}

int emul_io_check(const struct emul_io_ctx *ctx, uint32_t port, uint32_t size)
{
    if (!emul_iopl_ok(ctx->viopl, ctx->ring, ctx->arch_iopl))
        return -EPERM;
    if (size != 1 && size != 2 && size != 4)
        return -EPERM;
    if (port > 0xFFFFu || size - 1 > 0xFFFFu - port)
        return EMUL_IO_ABSENT;   /* past the end of the port space */
    if (!ctx->io_capable || emul_io_port_owned(port, size))
        return EMUL_IO_ABSENT;
    return EMUL_IO_PASS;
}

/* ---- The CMOS clock (EMUL-19) ----------------------------------------- */

int emul_rtc_access(struct emul_rtc_ctx *ctx, uint32_t port, uint32_t size, bool write,
                    uint32_t *value)
{
    if (size != 1 || (port != EMUL_RTC_INDEX_PORT && port != EMUL_RTC_DATA_PORT))
        return EMUL_RTC_NOT_RTC;
    if (port == EMUL_RTC_INDEX_PORT) {
        if (write)
            ctx->index = (uint8_t)(*value & 0x7Fu);    /* never the NMI mask */
        else
            *value = ctx->index;
        return EMUL_RTC_DONE;
    }
    if (write)
        return EMUL_RTC_DONE;                          /* read-only: dropped */
    if (!ctx->privileged) {
        *value = 0xFFu;
        return EMUL_RTC_DONE;
    }
    *value = ctx->index & 0x7Fu;
    return EMUL_RTC_READ_CMOS;
}

/* ---- Control registers ------------------------------------------------ */

bool emul_cr_known(uint32_t n)
{
    return n == 0 || n == 2 || n == 3 || n == 4;
}

int emul_cr0_write(uint32_t vcr0, uint32_t value)
{
    return ((vcr0 ^ value) & ~EMUL_CR0_TS) == 0 ? 0 : -EPERM;
}
