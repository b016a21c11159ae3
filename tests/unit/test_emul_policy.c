/*
 * EMUL-3..EMUL-8, EMUL-12..EMUL-15: what emulated privileged instructions give a guest.
 *
 * CPUID: the Xen leaves, the allow-lists (every feature the spec hides
 * stays hidden whatever the real CPU says), the leaf limits. MSRs: the
 * allow-list and the hypercall-page MSR (debug registers: test_emul_dr.c).
 * Port I/O: virtual IOPL, I/O privilege, hypervisor-owned ports.
 */
#include "check.h"
#include "emul_decode.h"
#include "emul_policy.h"
#include "pv/errno.h"

#define B(n) (1u << (n))

static const struct emul_cpuid_host host_big = { 0x16, 0x80000008u };

static struct emul_cpuid_regs ones(void)
{
    struct emul_cpuid_regs r = { 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu };
    return r;
}

static struct emul_cpuid_regs cpuid_of(const struct emul_cpuid_host *h, uint32_t leaf, uint32_t sub,
                                  struct emul_cpuid_regs real)
{
    struct emul_cpuid_regs out;

    memset(&out, 0xA5, sizeof(out));
    emul_cpuid(h, leaf, sub, &real, &out);
    return out;
}

static void test_cpuid_hypervisor(void)
{
    struct emul_cpuid_regs r = cpuid_of(&host_big, 0x40000000u, 0, ones());
    char sig[13];

    memcpy(sig, &r.ebx, 4);
    memcpy(sig + 4, &r.ecx, 4);
    memcpy(sig + 8, &r.edx, 4);
    sig[12] = '\0';
    CHECK(strcmp(sig, "XenVMMXenVMM") == 0);
    CHECK_EQ_CASE("EMUL-3 max leaf", r.eax, 0x40000002u);
    r = cpuid_of(&host_big, 0x40000001u, 0, ones());
    CHECK_EQ_CASE("EMUL-3 version", r.eax, (4u << 16) | 2u);
    CHECK_EQ_CASE("EMUL-3 version ebx", r.ebx | r.ecx | r.edx, 0);
    r = cpuid_of(&host_big, 0x40000002u, 0, ones());
    CHECK_EQ_CASE("EMUL-3 pages", r.eax, 1);
    CHECK_EQ_CASE("EMUL-3 msr", r.ebx, 0x40000000u);
    CHECK_EQ_CASE("EMUL-3 features", r.ecx | r.edx, 0);
    r = cpuid_of(&host_big, 0x40000003u, 0, ones());
    CHECK_EQ_CASE("EMUL-3 past max", r.eax | r.ebx | r.ecx | r.edx, 0);
    r = cpuid_of(&host_big, 0x40000100u, 0, ones());
    CHECK_EQ_CASE("EMUL-3 second range empty", r.eax | r.ebx | r.ecx | r.edx, 0);
}

struct hidden_bit {
    const char *name;
    uint32_t leaf, sub;
    int reg;            /* 0 eax, 1 ebx, 2 ecx, 3 edx */
    uint32_t bit;
};

/* Every feature spec/emulation.md names as hidden. */
static const struct hidden_bit hidden[] = {
    { "EMUL-4 VME", 1, 0, 3, 1 },       { "EMUL-4 DE", 1, 0, 3, 2 },
    { "EMUL-4 PSE", 1, 0, 3, 3 },       { "EMUL-4 MCE", 1, 0, 3, 7 },
    { "EMUL-4 APIC", 1, 0, 3, 9 },      { "EMUL-4 SEP", 1, 0, 3, 11 },
    { "EMUL-4 MTRR", 1, 0, 3, 12 },     { "EMUL-4 PGE", 1, 0, 3, 13 },
    { "EMUL-4 MCA", 1, 0, 3, 14 },      { "EMUL-4 PAT", 1, 0, 3, 16 },
    { "EMUL-4 PSE36", 1, 0, 3, 17 },    { "EMUL-4 PSN", 1, 0, 3, 18 },
    { "EMUL-4 DS", 1, 0, 3, 21 },       { "EMUL-4 ACPI", 1, 0, 3, 22 },
    { "EMUL-4 HTT", 1, 0, 3, 28 },      { "EMUL-4 TM", 1, 0, 3, 29 },
    { "EMUL-4 PBE", 1, 0, 3, 31 },
    { "EMUL-4 DTES64", 1, 0, 2, 2 },    { "EMUL-4 MONITOR", 1, 0, 2, 3 },
    { "EMUL-4 DSCPL", 1, 0, 2, 4 },     { "EMUL-4 VMX", 1, 0, 2, 5 },
    { "EMUL-4 SMX", 1, 0, 2, 6 },       { "EMUL-4 EST", 1, 0, 2, 7 },
    { "EMUL-4 TM2", 1, 0, 2, 8 },       { "EMUL-4 SDBG", 1, 0, 2, 11 },
    { "EMUL-4 FMA", 1, 0, 2, 12 },      { "EMUL-4 CX16", 1, 0, 2, 13 },
    { "EMUL-4 XTPR", 1, 0, 2, 14 },     { "EMUL-4 PDCM", 1, 0, 2, 15 },
    { "EMUL-4 PCID", 1, 0, 2, 17 },     { "EMUL-4 DCA", 1, 0, 2, 18 },
    { "EMUL-4 X2APIC", 1, 0, 2, 21 },   { "EMUL-4 TSCDEADLINE", 1, 0, 2, 24 },
    { "EMUL-4 XSAVE", 1, 0, 2, 26 },    { "EMUL-4 OSXSAVE", 1, 0, 2, 27 },
    { "EMUL-4 AVX", 1, 0, 2, 28 },      { "EMUL-4 F16C", 1, 0, 2, 29 },
    { "EMUL-4 APIC ID", 1, 0, 1, 24 },  { "EMUL-4 logical count", 1, 0, 1, 16 },
    { "EMUL-5 FSGSBASE", 7, 0, 1, 0 },  { "EMUL-5 TSC_ADJUST", 7, 0, 1, 1 },
    { "EMUL-5 SGX", 7, 0, 1, 2 },       { "EMUL-5 HLE", 7, 0, 1, 4 },
    { "EMUL-5 AVX2", 7, 0, 1, 5 },      { "EMUL-5 SMEP", 7, 0, 1, 7 },
    { "EMUL-5 INVPCID", 7, 0, 1, 10 },  { "EMUL-5 RTM", 7, 0, 1, 11 },
    { "EMUL-5 MPX", 7, 0, 1, 14 },      { "EMUL-5 AVX512F", 7, 0, 1, 16 },
    { "EMUL-5 SMAP", 7, 0, 1, 20 },     { "EMUL-5 UMIP", 7, 0, 2, 2 },
    { "EMUL-5 PKU", 7, 0, 2, 3 },       { "EMUL-5 OSPKE", 7, 0, 2, 4 },
    { "EMUL-5 IBRS", 7, 0, 3, 26 },     { "EMUL-5 ARCH_CAPS", 7, 0, 3, 29 },
    { "EMUL-5 subleaves", 7, 0, 0, 0 }, { "EMUL-5 subleaf 1", 7, 1, 1, 3 },
    { "EMUL-6 SYSCALL", 0x80000001u, 0, 3, 11 }, { "EMUL-6 RDTSCP", 0x80000001u, 0, 3, 27 },
    { "EMUL-6 1G pages", 0x80000001u, 0, 3, 26 }, { "EMUL-6 LM", 0x80000001u, 0, 3, 29 },
    { "EMUL-6 3DNow", 0x80000001u, 0, 3, 31 }, { "EMUL-6 SVM", 0x80000001u, 0, 2, 2 },
    { "EMUL-6 SKINIT", 0x80000001u, 0, 2, 12 }, { "EMUL-6 AMD PGE copy", 0x80000001u, 0, 3, 13 },
    { "EMUL-6 AMD speculation", 0x80000008u, 0, 1, 12 }, { "EMUL-6 core count", 0x80000008u, 0, 2, 0 },
    { "EMUL-6 power bits", 0x80000007u, 0, 3, 0 },
    { "EMUL-6 XSAVE leaf", 0xD, 0, 0, 0 }, { "EMUL-6 MONITOR leaf", 5, 0, 0, 0 },
    { "EMUL-6 topology leaf", 0xB, 0, 3, 0 }, { "EMUL-6 PSN leaf", 3, 0, 3, 0 },
    { "EMUL-6 perf leaf", 0xA, 0, 0, 0 }, { "EMUL-6 cache topology", 4, 0, 0, 26 },
    { "EMUL-6 Centaur range", 0xC0000001u, 0, 3, 2 },
};

static uint32_t reg_of(const struct emul_cpuid_regs *r, int reg)
{
    return reg == 0 ? r->eax : reg == 1 ? r->ebx : reg == 2 ? r->ecx : r->edx;
}

static void test_cpuid_hidden(void)
{
    uint32_t i;

    for (i = 0; i < ARRAY_SIZE(hidden); i++) {
        struct emul_cpuid_regs r = cpuid_of(&host_big, hidden[i].leaf, hidden[i].sub, ones());
        CHECK_EQ_CASE(hidden[i].name, reg_of(&r, hidden[i].reg) & B(hidden[i].bit), 0);
    }
}

static void test_cpuid_shown(void)
{
    struct emul_cpuid_regs real = { 0x000906EAu, 0x00100800u, 0x7FFAFBFFu, 0xBFEBFBFFu };
    struct emul_cpuid_regs r = cpuid_of(&host_big, 1, 0, real);
    struct emul_cpuid_regs zero = { 0, 0, 0, 0 };

    CHECK_EQ_CASE("EMUL-4 signature", r.eax, real.eax);
    CHECK_EQ_CASE("EMUL-4 clflush size", r.ebx, 0x0800);
    CHECK_CASE_GE("EMUL-4 hypervisor bit", r.ecx & EMUL_CPUID1_ECX_HYPERVISOR, 1);
    CHECK_CASE_GE("EMUL-4 SSE3", r.ecx & B(0), 1);
    CHECK_CASE_GE("EMUL-4 SSE4.2", r.ecx & B(20), 1);
    CHECK_CASE_GE("EMUL-4 FPU", r.edx & B(0), 1);
    CHECK_CASE_GE("EMUL-4 TSC", r.edx & B(4), 1);
    CHECK_CASE_GE("EMUL-4 PAE", r.edx & B(6), 1);
    CHECK_CASE_GE("EMUL-4 FXSR", r.edx & B(24), 1);
    CHECK_CASE_GE("EMUL-4 SSE2", r.edx & B(26), 1);
    /* the hypervisor bit is ours, even on a CPU that does not set it */
    r = cpuid_of(&host_big, 1, 0, zero);
    CHECK_EQ_CASE("EMUL-4 only hypervisor bit", r.ecx, EMUL_CPUID1_ECX_HYPERVISOR);
    CHECK_EQ_CASE("EMUL-4 nothing invented", r.eax | r.ebx | r.edx, 0);
    r = cpuid_of(&host_big, 7, 0, ones());
    CHECK_CASE_GE("EMUL-5 BMI1", r.ebx & B(3), 1);
    CHECK_CASE_GE("EMUL-5 ERMS", r.ebx & B(9), 1);
    r = cpuid_of(&host_big, 0x80000001u, 0, ones());
    CHECK_CASE_GE("EMUL-6 NX", r.edx & B(20), 1);
    CHECK_CASE_GE("EMUL-6 LAHF", r.ecx & B(0), 1);
    r = cpuid_of(&host_big, 0x80000008u, 0, real);
    CHECK_EQ_CASE("EMUL-6 address sizes", r.eax, real.eax);
    r = cpuid_of(&host_big, 0x80000002u, 0, real);
    CHECK_EQ_CASE("EMUL-6 brand", r.edx, real.edx);
}

static void test_cpuid_limits(void)
{
    struct emul_cpuid_host old = { 5, 0x80000004u }, noext = { 0xD, 0 };
    struct emul_cpuid_regs vendor = { 0x16, 0x756E6547u, 0x6C65746Eu, 0x49656E69u };
    struct emul_cpuid_regs r = cpuid_of(&host_big, 0, 0, vendor);

    CHECK_EQ_CASE("EMUL-6 max basic clamped", r.eax, EMUL_CPUID_MAX_BASIC);
    CHECK_EQ_CASE("EMUL-6 vendor", r.ebx, vendor.ebx);
    CHECK_EQ_CASE("EMUL-6 vendor", r.edx, vendor.edx);
    r = cpuid_of(&old, 0, 0, vendor);
    CHECK_EQ_CASE("EMUL-6 old cpu max basic", r.eax, 5);
    r = cpuid_of(&old, 7, 0, ones());
    CHECK_EQ_CASE("EMUL-6 leaf past host max", r.eax | r.ebx | r.ecx | r.edx, 0);
    r = cpuid_of(&host_big, 8, 0, ones());
    CHECK_EQ_CASE("EMUL-6 leaf past our max", r.eax | r.ebx | r.ecx | r.edx, 0);
    r = cpuid_of(&old, 0x80000000u, 0, ones());
    CHECK_EQ_CASE("EMUL-6 ext max old", r.eax, 0x80000004u);
    r = cpuid_of(&old, 0x80000008u, 0, ones());
    CHECK_EQ_CASE("EMUL-6 ext past host max", r.eax | r.ebx | r.ecx | r.edx, 0);
    r = cpuid_of(&host_big, 0x80000009u, 0, ones());
    CHECK_EQ_CASE("EMUL-6 ext past our max", r.eax | r.ebx | r.ecx | r.edx, 0);
    r = cpuid_of(&noext, 0x80000000u, 0, ones());
    CHECK_EQ_CASE("EMUL-6 no ext range", r.eax | r.ebx | r.ecx | r.edx, 0);
    r = cpuid_of(&host_big, 0x7FFFFFFFu, 0, ones());
    CHECK_EQ_CASE("EMUL-6 between ranges", r.eax | r.ebx | r.ecx | r.edx, 0);
    r = cpuid_of(&host_big, 0xFFFFFFFFu, 0, ones());
    CHECK_EQ_CASE("EMUL-6 top leaf", r.eax | r.ebx | r.ecx | r.edx, 0);
}

/*
 * Whatever the CPU answers, the guest never sees a bit the CPU did not
 * set, apart from the hypervisor's own (hypervisor leaves, leaf 1's
 * hypervisor bit, the clamped maximum leaves).
 */
static void test_cpuid_no_invention(void)
{
    static const uint32_t leaves[] = { 1, 2, 4, 7, 0x80000001u, 0x80000002u, 0x80000005u,
                                       0x80000006u, 0x80000007u, 0x80000008u };
    uint32_t i, j, bad = 0, seed = 12345;

    for (i = 0; i < 2000; i++) {
        for (j = 0; j < ARRAY_SIZE(leaves); j++) {
            struct emul_cpuid_regs real, r;

            seed = seed * 1103515245u + 12345u;
            real.eax = seed;
            real.ebx = seed * 7u;
            real.ecx = seed ^ 0x5A5A5A5Au;
            real.edx = ~seed;
            r = cpuid_of(&host_big, leaves[j], i % 3, real);
            if (leaves[j] == 1)
                r.ecx &= ~EMUL_CPUID1_ECX_HYPERVISOR;
            bad += (r.eax & ~real.eax) || (r.ebx & ~real.ebx) ||
                   (r.ecx & ~real.ecx) || (r.edx & ~real.edx);
        }
    }
    CHECK_EQ_CASE("EMUL-4 no invented bits", bad, 0);
}

static void test_msr(void)
{
    struct emul_msr_ctx ctx = { 0x123456789ull, ~0ull };
    static const uint32_t refused[] = { 0x0, 0x1C, 0x3A, 0x48, 0x8B, 0xFE, 0x10A, 0x174, 0x1DB,
                                        0x277, 0x2FF, 0x6E0, 0x800, 0xC0000081u, 0xC0000100u,
                                        0x40000000u, 0x40000001u, 0xFFFFFFFFu };
    uint64_t v = 0;
    uint32_t mfn = 77, i;

    CHECK_EQ_CASE("EMUL-7 tsc", emul_rdmsr(&ctx, EMUL_MSR_TSC, &v), 0);
    CHECK_EQ_CASE("EMUL-7 tsc", v, 0x123456789ull);
    CHECK_EQ_CASE("EMUL-7 apic base", emul_rdmsr(&ctx, EMUL_MSR_APIC_BASE, &v), 0);
    CHECK_EQ_CASE("EMUL-7 apic base", v, 0xFEE00100ull);
    CHECK_EQ_CASE("EMUL-7 misc enable", emul_rdmsr(&ctx, EMUL_MSR_MISC_ENABLE, &v), 0);
    CHECK_EQ_CASE("EMUL-7 misc enable", v, 0x1801);
    ctx.host_misc_enable = 0;
    emul_rdmsr(&ctx, EMUL_MSR_MISC_ENABLE, &v);
    CHECK_EQ_CASE("EMUL-7 misc enable no fast strings", v, 0x1800);
    CHECK_EQ_CASE("EMUL-7 efer", emul_rdmsr(&ctx, EMUL_MSR_EFER, &v), 0);
    CHECK_EQ_CASE("EMUL-7 efer", v, EMUL_EFER_NX);
    v = 42;
    CHECK_EQ_CASE("EMUL-7 debugctl", emul_rdmsr(&ctx, EMUL_MSR_DEBUGCTL, &v), 0);
    CHECK_EQ_CASE("EMUL-7 debugctl", v, 0);
    CHECK_EQ_CASE("EMUL-8 debugctl 0", emul_wrmsr(&ctx, EMUL_MSR_DEBUGCTL, 0, &mfn), 0);
    CHECK_EQ_CASE("EMUL-8 debugctl lbr", emul_wrmsr(&ctx, EMUL_MSR_DEBUGCTL, 1, &mfn), -EPERM);
    CHECK_EQ_CASE("EMUL-8 debugctl btf", emul_wrmsr(&ctx, EMUL_MSR_DEBUGCTL, 2, &mfn), -EPERM);
    for (i = 0; i < ARRAY_SIZE(refused); i++) {
        v = 42;
        CHECK_EQ_CASE("EMUL-7 rdmsr refused", emul_rdmsr(&ctx, refused[i], &v), -EPERM);
        CHECK_EQ_CASE("EMUL-7 rdmsr refused untouched", v, 42);
        CHECK_EQ_CASE("EMUL-8 wrmsr refused", emul_wrmsr(&ctx, refused[i] == 0x40000000u ? 0x1DB : refused[i], 0, &mfn), -EPERM);
    }
    CHECK_EQ_CASE("EMUL-8 tsc read-only", emul_wrmsr(&ctx, EMUL_MSR_TSC, 0x123456789ull, &mfn), -EPERM);
    CHECK_EQ_CASE("EMUL-8 efer same", emul_wrmsr(&ctx, EMUL_MSR_EFER, EMUL_EFER_NX, &mfn), 0);
    CHECK_EQ_CASE("EMUL-8 efer sce", emul_wrmsr(&ctx, EMUL_MSR_EFER, EMUL_EFER_NX | 1, &mfn), -EPERM);
    CHECK_EQ_CASE("EMUL-8 efer lme", emul_wrmsr(&ctx, EMUL_MSR_EFER, EMUL_EFER_NX | 0x100, &mfn), -EPERM);
    CHECK_EQ_CASE("EMUL-8 efer no nx", emul_wrmsr(&ctx, EMUL_MSR_EFER, 0, &mfn), -EPERM);
    CHECK_EQ_CASE("EMUL-8 misc same", emul_wrmsr(&ctx, EMUL_MSR_MISC_ENABLE, 0x1800, &mfn), 0);
    CHECK_EQ_CASE("EMUL-8 misc change", emul_wrmsr(&ctx, EMUL_MSR_MISC_ENABLE, 0x41800, &mfn), -EPERM);
    CHECK_EQ_CASE("EMUL-8 apic base change", emul_wrmsr(&ctx, EMUL_MSR_APIC_BASE, 0xFEE00900ull, &mfn), -EPERM);
    CHECK_EQ_CASE("EMUL-8 refusal leaves mfn", mfn, 77);
    CHECK_EQ_CASE("EMUL-8 hypercall page", emul_wrmsr(&ctx, EMUL_MSR_HYPERCALL, 0x12345000ull, &mfn),
                  EMUL_WRMSR_HYPERCALL_PAGE);
    CHECK_EQ_CASE("EMUL-8 hypercall page mfn", mfn, 0x12345);
    CHECK_EQ_CASE("EMUL-8 hypercall top mfn", emul_wrmsr(&ctx, EMUL_MSR_HYPERCALL, 0xFFFFFFFF000ull, &mfn),
                  EMUL_WRMSR_HYPERCALL_PAGE);
    CHECK_EQ_CASE("EMUL-8 hypercall top mfn", mfn, 0xFFFFFFFFu);
    mfn = 5;
    CHECK_EQ_CASE("EMUL-8 hypercall index 1", emul_wrmsr(&ctx, EMUL_MSR_HYPERCALL, 0x12345001ull, &mfn), -EPERM);
    CHECK_EQ_CASE("EMUL-8 hypercall mfn too big", emul_wrmsr(&ctx, EMUL_MSR_HYPERCALL, 1ull << 44, &mfn), -EPERM);
    CHECK_EQ_CASE("EMUL-8 hypercall refusal leaves mfn", mfn, 5);
}

struct iocase {
    const char *name;
    uint32_t viopl, ring;
    bool io_capable;
    uint32_t port, size;
    int rc;
};

static const struct iocase iocases[] = {
    { "EMUL-12 iopl 0 ring 1", 0, 1, true, 0x300, 1, -EPERM },
    { "EMUL-12 iopl 1 ring 1", 1, 1, true, 0x300, 1, EMUL_IO_PASS },
    { "EMUL-12 iopl 1 ring 3", 1, 3, true, 0x300, 1, -EPERM },
    { "EMUL-12 iopl 3 ring 3", 3, 3, true, 0x300, 4, EMUL_IO_PASS },
    { "EMUL-12 iopl 4 invalid", 4, 1, true, 0x300, 1, -EPERM },
    { "EMUL-12 ring 0 invalid", 3, 0, true, 0x300, 1, -EPERM },
    { "EMUL-12 ring 2 invalid", 3, 2, true, 0x300, 1, -EPERM },
    { "EMUL-12 no io privilege", 1, 1, false, 0x300, 1, EMUL_IO_ABSENT },
    { "EMUL-12 bad size", 1, 1, true, 0x300, 3, -EPERM },
    { "EMUL-12 size 0", 1, 1, true, 0x300, 0, -EPERM },
    { "EMUL-12 pit", 1, 1, true, 0x40, 1, EMUL_IO_ABSENT },
    { "EMUL-12 pic", 1, 1, true, 0x21, 1, EMUL_IO_ABSENT },
    { "EMUL-12 com1", 1, 1, true, 0x3F8, 1, EMUL_IO_ABSENT },
    { "EMUL-12 com1 straddle", 1, 1, true, 0x3F6, 4, EMUL_IO_ABSENT },
    { "EMUL-12 below com1", 1, 1, true, 0x3F4, 4, EMUL_IO_PASS },
    { "EMUL-12 debug exit", 1, 1, true, 0xF4, 4, EMUL_IO_ABSENT },
    { "EMUL-12 before debug exit", 1, 1, true, 0xF2, 2, EMUL_IO_PASS },
    { "EMUL-12 pci config data", 1, 1, true, 0xCFC, 4, EMUL_IO_ABSENT },
    { "EMUL-12 reset control", 1, 1, true, 0xCF9, 1, EMUL_IO_ABSENT },
    { "EMUL-12 kbc reset", 1, 1, true, 0x64, 1, EMUL_IO_ABSENT },
    { "EMUL-12 fast reset", 1, 1, true, 0x92, 1, EMUL_IO_ABSENT },
    { "EMUL-12 dma", 1, 1, true, 0x0A, 1, EMUL_IO_ABSENT },
    { "EMUL-12 fw_cfg dma", 1, 1, true, 0x514, 4, EMUL_IO_ABSENT },
    { "EMUL-12 post code", 1, 1, true, 0x80, 1, EMUL_IO_PASS },
    { "EMUL-12 end of space", 1, 1, true, 0xFFFF, 2, EMUL_IO_ABSENT },
    { "EMUL-12 last word", 1, 1, true, 0xFFFE, 2, EMUL_IO_PASS },
    { "EMUL-12 port past space", 1, 1, true, 0x10000, 1, EMUL_IO_ABSENT },
    { "EMUL-12 port huge", 1, 1, true, 0xFFFFFFFFu, 4, EMUL_IO_ABSENT },
};

static void test_io(void)
{
    uint32_t i;

    for (i = 0; i < ARRAY_SIZE(iocases); i++) {
        const struct iocase *c = &iocases[i];
        struct emul_io_ctx ctx = { c->viopl, c->ring, c->io_capable, false };

        CHECK_EQ_CASE(c->name, emul_io_check(&ctx, c->port, c->size), c->rc);
    }
    CHECK_EQ_CASE("EMUL-12 owned size 0", emul_io_port_owned(0x40, 0), 0);
    CHECK_EQ_CASE("EMUL-12 owned wraps", emul_io_port_owned(0xFFFFFFFFu, 4), 0);
    CHECK_EQ_CASE("EMUL-13 cli ring 1 iopl 1", emul_iopl_ok(1, 1, false), 1);
    CHECK_EQ_CASE("EMUL-13 cli ring 1 iopl 0", emul_iopl_ok(0, 1, false), 0);
    CHECK_EQ_CASE("EMUL-13 cli ring 3 iopl 2", emul_iopl_ok(2, 3, false), 0);
}

/*
 * EMUL-25: Xen's iopl_ok() for every IOPL (0..4), ring (0..3) and
 * architectural_iopl setting: ring 3 needs 3; ring 1 needs 1, or
 * nothing under architectural_iopl; rings 0 and 2 and IOPL 4 never.
 */
static void test_iopl_table(void)
{
    uint32_t viopl, ring, bad = 0, arch;

    for (arch = 0; arch < 2; arch++)
        for (viopl = 0; viopl <= 4; viopl++)
            for (ring = 0; ring <= 3; ring++) {
                bool want = viopl <= 3 && ((ring == 3 && viopl == 3) ||
                                           (ring == 1 && (arch || viopl >= 1)));
                bad += emul_iopl_ok(viopl, ring, arch != 0) != want;
            }
    CHECK_EQ_CASE("EMUL-25 iopl_ok as Xen for every iopl, ring and assist", bad, 0);
    CHECK_EQ_CASE("EMUL-25 arch iopl: kernel at IOPL 0", emul_iopl_ok(0, 1, true), 1);
    CHECK_EQ_CASE("EMUL-25 arch iopl: user at IOPL 2 still refused", emul_iopl_ok(2, 3, true), 0);
}

/* EMUL-12, EMUL-25: IOPL 3 lets ring 3 reach exactly ring 1's port policy. */
static void test_io_ring3(void)
{
    uint32_t port, size, bad = 0, cap;

    for (cap = 0; cap < 2; cap++)
        for (port = 0; port < 0x1000; port++)
            for (size = 1; size <= 4; size *= 2) {
                struct emul_io_ctx k = { 1, 1, cap != 0, false }, u = { 3, 3, cap != 0, false };

                bad += emul_io_check(&k, port, size) != emul_io_check(&u, port, size);
                if (!cap)                       /* no I/O privilege: nothing real, ever */
                    bad += emul_io_check(&u, port, size) != EMUL_IO_ABSENT;
            }
    CHECK_EQ_CASE("EMUL-12 ring 3 at IOPL 3 gets ring 1's port policy", bad, 0);
    {
        struct emul_io_ctx u0 = { 0, 3, true, true }, u1 = { 1, 3, true, false };

        CHECK_EQ_CASE("EMUL-12 ring 3 at IOPL 0 (arch iopl): #GP", emul_io_check(&u0, 0x80, 1), -EPERM);
        CHECK_EQ_CASE("EMUL-12 ring 3 at IOPL 1: #GP", emul_io_check(&u1, 0x80, 1), -EPERM);
    }
    CHECK_EQ_CASE("EMUL-12 ring 3: in", emul_user_kind_ok(EMUL_KIND_IN), 1);
    CHECK_EQ_CASE("EMUL-12 ring 3: out", emul_user_kind_ok(EMUL_KIND_OUT), 1);
    CHECK_EQ_CASE("EMUL-13 ring 3: cli", emul_user_kind_ok(EMUL_KIND_CLI), 1);
    CHECK_EQ_CASE("EMUL-13 ring 3: sti", emul_user_kind_ok(EMUL_KIND_STI), 1);
    CHECK_EQ_CASE("EMUL-12 ring 3: no hlt", emul_user_kind_ok(EMUL_KIND_HLT), 0);
    CHECK_EQ_CASE("EMUL-12 ring 3: no wrmsr", emul_user_kind_ok(EMUL_KIND_WRMSR), 0);
    CHECK_EQ_CASE("EMUL-12 ring 3: no mov to cr", emul_user_kind_ok(EMUL_KIND_MOV_TO_CR), 0);
    CHECK_EQ_CASE("EMUL-12 ring 3: no ins", emul_user_kind_ok(EMUL_KIND_INS), 0);
    CHECK_EQ_CASE("EMUL-25 iret without arch iopl keeps it", emul_iret_viopl(1, 0x3202, false), 1);
    CHECK_EQ_CASE("EMUL-25 iret with arch iopl takes the frame's", emul_iret_viopl(1, 0x3202, true), 3);
    CHECK_EQ_CASE("EMUL-25 iret with arch iopl, IOPL 0", emul_iret_viopl(3, 0xFFFFCFFFu, true), 0);
}

struct rtccase {
    const char *name;
    bool privileged;
    uint8_t index;            /* latched before */
    uint32_t port, size;
    bool write;
    uint32_t value;           /* the OUT's byte, or what an IN gave before */
    int rc;
    uint8_t index_after;
    uint32_t value_after;
};

static const struct rtccase rtccases[] = {
    { "EMUL-19 latch the seconds", true, 0x0B, 0x70, 1, true, 0x00, EMUL_RTC_DONE, 0x00, 0x00 },
    { "EMUL-19 NMI-mask bit dropped", true, 0x00, 0x70, 1, true, 0x8A, EMUL_RTC_DONE, 0x0A, 0x8A },
    { "EMUL-19 any domain latches", false, 0x00, 0x70, 1, true, 0x32, EMUL_RTC_DONE, 0x32, 0x32 },
    { "EMUL-19 read the latch", false, 0x0C, 0x70, 1, false, 0x1234, EMUL_RTC_DONE, 0x0C, 0x0C },
    { "EMUL-19 dom0 reads the CMOS", true, 0x0A, 0x71, 1, false, 0, EMUL_RTC_READ_CMOS, 0x0A, 0x0A },
    { "EMUL-19 domU reads absent", false, 0x0A, 0x71, 1, false, 0, EMUL_RTC_DONE, 0x0A, 0xFF },
    { "EMUL-19 dom0 write dropped", true, 0x00, 0x71, 1, true, 0x59, EMUL_RTC_DONE, 0x00, 0x59 },
    { "EMUL-19 domU write dropped", false, 0x0B, 0x71, 1, true, 0x80, EMUL_RTC_DONE, 0x0B, 0x80 },
    { "EMUL-19 word at 0x70", true, 0x00, 0x70, 2, true, 0x0B0B, EMUL_RTC_NOT_RTC, 0x00, 0x0B0B },
    { "EMUL-19 dword at 0x71", true, 0x00, 0x71, 4, false, 7, EMUL_RTC_NOT_RTC, 0x00, 7 },
    { "EMUL-19 alias 0x72", true, 0x00, 0x72, 1, false, 7, EMUL_RTC_NOT_RTC, 0x00, 7 },
    { "EMUL-19 0x6F", true, 0x00, 0x6F, 1, true, 7, EMUL_RTC_NOT_RTC, 0x00, 7 },
};

static void test_rtc(void)
{
    uint32_t i;

    for (i = 0; i < ARRAY_SIZE(rtccases); i++) {
        const struct rtccase *c = &rtccases[i];
        struct emul_rtc_ctx ctx = { c->privileged, c->index };
        uint32_t v = c->value;

        CHECK_EQ_CASE(c->name, emul_rtc_access(&ctx, c->port, c->size, c->write, &v), c->rc);
        CHECK_EQ_CASE(c->name, ctx.index, c->index_after);
        CHECK_EQ_CASE(c->name, v, c->value_after);
    }
}

static void test_cr(void)
{
    uint32_t cr0 = 0x8005003Bu;

    CHECK_EQ_CASE("EMUL-15 cr0 same", emul_cr0_write(cr0, cr0), 0);
    CHECK_EQ_CASE("EMUL-15 cr0 clear ts", emul_cr0_write(cr0, cr0 & ~EMUL_CR0_TS), 0);
    CHECK_EQ_CASE("EMUL-15 cr0 set ts", emul_cr0_write(cr0 & ~EMUL_CR0_TS, cr0), 0);
    CHECK_EQ_CASE("EMUL-15 cr0 clear pg", emul_cr0_write(cr0, cr0 & ~0x80000000u), -EPERM);
    CHECK_EQ_CASE("EMUL-15 cr0 clear wp", emul_cr0_write(cr0, cr0 & ~0x10000u), -EPERM);
    CHECK_EQ_CASE("EMUL-15 cr0 set cd", emul_cr0_write(cr0, cr0 | 0x40000000u), -EPERM);
    CHECK_EQ_CASE("EMUL-15 cr 0", emul_cr_known(0), 1);
    CHECK_EQ_CASE("EMUL-15 cr 1", emul_cr_known(1), 0);
    CHECK_EQ_CASE("EMUL-15 cr 2", emul_cr_known(2), 1);
    CHECK_EQ_CASE("EMUL-15 cr 3", emul_cr_known(3), 1);
    CHECK_EQ_CASE("EMUL-15 cr 4", emul_cr_known(4), 1);
    CHECK_EQ_CASE("EMUL-15 cr 5", emul_cr_known(5), 0);
    CHECK_EQ_CASE("EMUL-15 cr 8", emul_cr_known(8), 0);
}

/* EMUL-17: what raised a #GP naming an IDT gate, decided by the decoder. */
struct soft_int_case {
    const char *name;
    uint8_t insn[4];
    uint32_t avail;
    uint32_t error_code;
    bool ok;
    uint32_t vector, len;
};

#define EC(n) (((n) << 3) | 2u)

static const struct soft_int_case soft_int_cases[] = {
    { "EMUL-17 int $0x80", { 0xCD, 0x80 }, 2, EC(0x80), true, 0x80, 2 },
    { "EMUL-17 int $0x80 with more bytes after it", { 0xCD, 0x80, 0x90, 0x90 }, 4, EC(0x80), true, 0x80, 2 },
    { "EMUL-17 ds: int $0x40 is 3 bytes", { 0x3E, 0xCD, 0x40 }, 3, EC(0x40), true, 0x40, 3 },
    { "EMUL-17 es: gs: int $0xff is 4 bytes", { 0x26, 0x65, 0xCD, 0xFF }, 4, EC(0xFF), true, 0xFF, 4 },
    { "EMUL-17 int3 for vector 3", { 0xCC }, 1, EC(3), true, 3, 1 },
    { "EMUL-17 into for vector 4", { 0xCE }, 1, EC(4), true, 4, 1 },
    { "EMUL-17 int $3 (CD 03) for vector 3", { 0xCD, 0x03 }, 2, EC(3), true, 3, 2 },
    { "EMUL-17 vector mismatch", { 0xCD, 0x41 }, 2, EC(0x40), false, 0, 0 },
    { "EMUL-17 int3 for vector 4 is a mismatch", { 0xCC }, 1, EC(4), false, 0, 0 },
    { "EMUL-17 into for vector 3 is a mismatch", { 0xCE }, 1, EC(3), false, 0, 0 },
    { "EMUL-17 66 int $0x40 refused (EMUL-2)", { 0x66, 0xCD, 0x40 }, 3, EC(0x40), false, 0, 0 },
    { "EMUL-17 67 int $0x40 refused (EMUL-2)", { 0x67, 0xCD, 0x40 }, 3, EC(0x40), false, 0, 0 },
    { "EMUL-17 rep int $0x40 refused (EMUL-2)", { 0xF3, 0xCD, 0x40 }, 3, EC(0x40), false, 0, 0 },
    { "EMUL-17 lock int $0x40 refused (EMUL-2)", { 0xF0, 0xCD, 0x40 }, 3, EC(0x40), false, 0, 0 },
    { "EMUL-17 truncated int $n", { 0xCD }, 1, EC(0x40), false, 0, 0 },
    { "EMUL-17 no bytes", { 0 }, 0, EC(0x40), false, 0, 0 },
    { "EMUL-17 not an interrupt (cli)", { 0xFA }, 1, EC(0x40), false, 0, 0 },
    { "EMUL-17 external event (EXT set)", { 0xCD, 0x40 }, 2, EC(0x40) | 1u, false, 0, 0 },
    { "EMUL-17 not an IDT error code", { 0xCD, 0x40 }, 2, 0x40u << 3, false, 0, 0 },
    { "EMUL-17 error code 0", { 0xCD, 0x00 }, 2, 0, false, 0, 0 },
};

static void test_soft_int(void)
{
    size_t i;

    for (i = 0; i < sizeof(soft_int_cases) / sizeof(soft_int_cases[0]); i++) {
        const struct soft_int_case *c = &soft_int_cases[i];
        struct emul_soft_int si = { 0xA5A5A5A5u, 0xA5A5A5A5u };

        CHECK_EQ_CASE(c->name, emul_soft_int(c->insn, c->avail, c->error_code, &si), c->ok);
        CHECK_EQ_CASE(c->name, si.vector, c->vector);
        CHECK_EQ_CASE(c->name, si.len, c->len);
    }
}

int main(void)
{
    test_cpuid_hypervisor();
    test_cpuid_hidden();
    test_cpuid_shown();
    test_cpuid_limits();
    test_cpuid_no_invention();
    test_msr();
    test_io();
    test_rtc();
    test_iopl_table();
    test_io_ring3();
    test_cr();
    test_soft_int();
    return check_report();
}
