/*
 * Scenario: descriptor tables and CPU state a guest may not abuse
 * (spec/descriptors.md, spec/traps.md). Every descriptor it installs
 * passes the one checker: DPL 0 is raised to 1 (DESC rules), a segment
 * reaching past 0xF6800000 is truncated, a byte-granular one that would
 * need it is refused, a call gate to a ring-0 selector and a task gate are
 * refused. A live GDT frame cannot be mapped writable. The LDT is mapped
 * on first use; a call gate into an LDT selector past the LDT's limit
 * gives the guest a fault, not the hypervisor (XSA-298 style). A trap
 * table entry with a ring-0 CS is refused; IOPL never leaks through iret;
 * a debug breakpoint on a hypervisor address is refused.
 */
#include "pv/arch_x86_32.h"
#include "pv/errno.h"
#include "pv/mmu.h"
#include "test.h"
#include "traps.h"

#define DESC(base, limit, access, flags)                                           \
    ((((uint64_t)(base) & 0xFF000000u) << 32) | ((uint64_t)((flags) & 0xF) << 52) | \
     (((uint64_t)(limit) & 0xF0000u) << 32) | ((uint64_t)((access) & 0xFF) << 40) | \
     (((uint64_t)(base) & 0xFF0000u) << 16) | (((uint64_t)(base) & 0xFFFFu) << 16) | \
     ((uint64_t)(limit) & 0xFFFFu))
#define CALL_GATE(sel, off, dpl) \
    ((((uint64_t)(off) & 0xFFFF0000u) << 32) | ((uint64_t)(0x8C | ((dpl) << 5)) << 40) | \
     ((uint64_t)(sel) << 16) | ((off) & 0xFFFFu))

static uint64_t gdt[512] __attribute__((aligned(4096)));
static uint64_t ldt[512] __attribute__((aligned(4096)));
static volatile uint32_t last_vector, resume_at;

static void record(struct trap_frame *f)
{
    last_vector = f->vector;
    if (resume_at)
        f->eip = resume_at;
    resume_at = 0;
}

static uint32_t mfn_of(const void *va)
{
    return ((const uint32_t *)(uintptr_t)start_info->mfn_list)[GPTR(va) / 4096u];
}

static int32_t remap(const void *va, bool writable)
{
    uint64_t pte = ((uint64_t)mfn_of(va) << 12) | 0x21u | (writable ? 0x42u : 0);
    return hcall4(__HYPERVISOR_update_va_mapping, GPTR(va), (uint32_t)pte, (uint32_t)(pte >> 32), UVMF_INVLPG);
}

static int32_t set_gdt_page(void)
{
    uint32_t mfn = mfn_of(gdt);
    return hcall2(__HYPERVISOR_set_gdt, GPTR(&mfn), 512);
}

static uint32_t desc_dpl(uint64_t d) { return (uint32_t)(d >> 45) & 3; }
static uint32_t desc_limit(uint64_t d) { return (uint32_t)((d & 0xFFFF) | ((d >> 32) & 0xF0000)); }

static void test_gdt_rules(void)
{
    gdt[1] = DESC(0, 0xFFFFF, 0xB3, 0xC);          /* flat ring-1 data, 4 GiB: truncated */
    gdt[2] = DESC(0, 0xFFF, 0x93, 0x4);            /* DPL 0 data: raised to DPL 1 */
    gdt[3] = DESC(0, 0xFFFFF, 0xFB, 0xC);          /* ring-3 code, 4 GiB: truncated */
    gdt[4] = CALL_GATE(0x0C07u, 0x1000u, 3);       /* call gate to an LDT selector: allowed */
    CHECK_RC("GDT page read-only", remap(gdt, false), 0);
    CHECK_RC("set_gdt", set_gdt_page(), 0);
    CHECK_RC("4 GiB data segment truncated to end at 0xF6800000", desc_limit(gdt[1]), 0xF67FFu);
    CHECK_RC("DPL 0 raised to 1", desc_dpl(gdt[2]), 1);
    CHECK_RC("4 GiB code segment truncated", desc_limit(gdt[3]), 0xF67FFu);
    CHECK_RC("live GDT frame cannot be mapped writable (PT-7)", remap(gdt, true), -EBUSY);
    __asm__ volatile("mov %0, %%fs" :: "r"((1u << 3) | 1) : "memory");
    test_check("own truncated segment loads", 1);
    __asm__ volatile("mov %0, %%fs" :: "r"(0u));
}

static void test_refused_descriptors(void)
{
    uint64_t maddr = ((uint64_t)mfn_of(gdt) << 12) + 5 * 8;
    struct { uint64_t d; const char *what; int32_t rc; } cases[] = {
        { CALL_GATE(0xE008u, 0x1000u, 3), "DESC-5 call gate to the hypervisor's ring-0 CS", -EINVAL },
        { CALL_GATE(0x0008u, 0x1000u, 3) | (1ull << 37), "DESC-6 call gate with reserved bits", -EINVAL },
        { ((uint64_t)0x85 << 40) | (0x0028u << 16), "DESC-3 task gate", -EINVAL },
        { DESC(0x1000, 103, 0x89, 0), "DESC-3 TSS descriptor", -EINVAL },
        { DESC(0x1000, 0xF, 0x82, 0), "DESC-3 LDT descriptor", -EINVAL },
        { DESC(0xF67FF800u, 0xFFF, 0xB3, 0x4), "byte-granular segment past the limit", -EINVAL },
        { DESC(0xF6900000u, 0xFFFFF, 0xB3, 0xC), "base inside the hypervisor area", -EINVAL },
        { DESC(0, 0xFFFFF, 0x9B, 0xC), "DPL 0 code: accepted as DPL 1, truncated", 0 },
    };
    unsigned i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        CHECK_RC(cases[i].what, hcall4(__HYPERVISOR_update_descriptor, (uint32_t)maddr, (uint32_t)(maddr >> 32),
                                       (uint32_t)cases[i].d, (uint32_t)(cases[i].d >> 32)), cases[i].rc);
    CHECK_RC("... stored with DPL 1", desc_dpl(gdt[5]), 1);
    CHECK_RC("... and the limit truncated", desc_limit(gdt[5]), 0xF67FFu);
    CHECK_RC("misaligned update_descriptor", hcall4(__HYPERVISOR_update_descriptor, (uint32_t)maddr + 4, 0, 0, 0), -EINVAL);
    CHECK_RC("update_descriptor of a foreign frame", hcall4(__HYPERVISOR_update_descriptor, 0x100000u, 0, 0, 0), -EINVAL);
}

static void test_ldt(void)
{
    ldt[1] = DESC(0, 0xFFFFF, 0xB3, 0xC);          /* truncated when the LDT page is typed */
    ldt[2] = CALL_GATE((600u << 3) | 4 | 1, 0x1000u, 1);   /* into the LDT, past its limit */
    CHECK_RC("LDT page read-only", remap(ldt, false), 0);
    CHECK_RC("SET_LDT", hcall4(__HYPERVISOR_mmuext_op, GPTR((&(struct mmuext_op){ MMUEXT_SET_LDT, { GPTR(ldt) }, { 512 } })), 1, 0, DOMID_SELF), 0);
    __asm__ volatile("mov %0, %%fs" :: "r"((1u << 3) | 4 | 1) : "memory");
    CHECK_RC("LDT segment loaded (page mapped on first use)", desc_limit(ldt[1]), 0xF67FFu);
    __asm__ volatile("mov %0, %%fs" :: "r"(0u));
    last_vector = 0xFFFF;
    /* far call through the LDT gate: its target is beyond the LDT limit */
    __asm__ volatile("movl $1f, %0\n lcall $0x17, $0\n 1:" : "=m"(resume_at) :: "memory");
    test_check("call gate to a selector past the LDT limit faults in the guest",
               last_vector == 13 || last_vector == 11 || last_vector == 10);
}

static void test_trap_table_ring0(void)
{
    struct trap_info bad[2] = { { 14, 0, 0xE008, 0x1000 }, { 0, 0, 0, 0 } };

    CHECK_RC("trap table entry with the ring-0 CS", hcall1(__HYPERVISOR_set_trap_table, GPTR(bad)), -EINVAL);
}

static void test_iopl_through_iret(void)
{
    uint32_t flags;

    /* An exception's return goes through the iret hypercall with our EFLAGS; ask for IOPL 3. */
    __asm__ volatile("pushf; orl $0x3000, (%%esp); popf; pushf; popl %0" : "=r"(flags) :: "memory");
    test_check("IOPL stays 0 (popf cannot raise it)", (flags & 0x3000u) == 0);
    last_vector = 0xFFFF;
    __asm__ volatile("int $0x40" ::: "memory");     /* returns through HYPERVISOR_iret */
    __asm__ volatile("pushf; popl %0" : "=r"(flags));
    test_check("IOPL still 0 after an iret hypercall", (flags & 0x3000u) == 0);
}

static void test_debug_registers(void)
{
    last_vector = 0xFFFF;
    __asm__ volatile("movl $1f, %0\n movl $0xF6000000, %%eax\n mov %%eax, %%dr0\n"
                     "movl $0x00000002, %%eax\n mov %%eax, %%dr7\n 1:" : "=m"(resume_at) :: "eax", "memory");
    test_check("breakpoint on a hypervisor address refused (#GP)", last_vector == 13);
}

int guest_main(struct start_info *si)
{
    uint32_t v;

    (void)si;
    CHECK_RC("traps_init", traps_init(), 0);
    for (v = 0; v < 20; v++)
        traps_set_handler(v, record);
    traps_set_handler(0x40, record);
    test_gdt_rules();
    test_refused_descriptors();
    test_ldt();
    test_trap_table_ring0();
    test_iopl_through_iret();
    test_debug_registers();
    test_finish();
}
