/*
 * Scenario (DESC rules, the heart of the isolation argument): a guest
 * kernel reads through its flat ring-1 data segment, whose limit ends at
 * 0xF6800000, just past that limit, where the hypervisor's frame table
 * lives (mapped supervisor, and ring 1 is a supervisor ring). Hardware
 * and Bochs raise #GP: SUCCESS. An emulator that does not enforce segment
 * limits (QEMU's TCG) lets the read through: that is reported as SKIP,
 * never as SUCCESS, because the verdict cannot be known there. The same
 * holds for a 4 GiB segment the guest installs itself: the descriptor
 * checker truncates it, and the hardware enforces the truncated limit.
 */
#include "pv/mmu.h"
#include "test.h"
#include "traps.h"

static uint64_t gdt[512] __attribute__((aligned(4096)));

static volatile uint32_t last_vector, resume_at;

static void record(struct trap_frame *f)
{
    last_vector = f->vector;
    f->eip = resume_at;
}

/* A 4 GiB data segment of our own GDT, loaded into FS. */
static void check_own_segment(void)
{
    uint32_t mfn = ((const uint32_t *)(uintptr_t)start_info->mfn_list)[GPTR(gdt) / 4096u];
    uint64_t pte = ((uint64_t)mfn << 12) | 0x21u;

    gdt[1] = 0x00CFB3000000FFFFull;       /* base 0, limit 4 GiB, DPL 1, data */
    CHECK_RC("GDT page read-only", hcall4(__HYPERVISOR_update_va_mapping, GPTR(gdt), (uint32_t)pte, 0, UVMF_INVLPG), 0);
    CHECK_RC("set_gdt", hcall2(__HYPERVISOR_set_gdt, GPTR(&mfn), 512), 0);
    __asm__ volatile("mov %0, %%fs" :: "r"(0x09u));
    last_vector = 0xFFFF;
    __asm__ volatile("movl $1f, %0\n movl %%fs:0xF6800000, %%eax\n 1:" : "=m"(resume_at) :: "eax", "memory");
    CHECK_RC("the guest's own 4 GiB segment was truncated: #GP past 0xF6800000", last_vector, 13);
    __asm__ volatile("mov %0, %%fs" :: "r"(0u));
}

int guest_main(struct start_info *si)
{
    uint32_t below = 0;

    (void)si;
    CHECK_RC("traps_init", traps_init(), 0);
    traps_set_handler(13, record);
    traps_set_handler(12, record);
    traps_set_handler(14, record);
    /* Inside the limit: the read-only M2P (entry of machine frame 0), readable. */
    last_vector = 0xFFFF;
    __asm__ volatile("movl $1f, %1\n movl 0xF5800000, %0\n 1:" : "=r"(below), "=m"(resume_at) :: "memory");
    CHECK_RC("the M2P below the limit is readable", last_vector, 0xFFFF);
    last_vector = 0xFFFF;
    __asm__ volatile("movl $1f, %0\n movl 0xF6800000, %%eax\n 1:" : "=m"(resume_at) :: "eax", "memory");
    if (last_vector == 0xFFFF)
        test_skip("this emulator does not enforce segment limits (see SECURITY.md)");
    CHECK_RC("a read past the segment limit raises #GP", last_vector, 13);
    check_own_segment();
    test_finish();
}
