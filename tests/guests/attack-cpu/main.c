/*
 * Hostile guest: attacks on the guest-CPU rules (spec/traps.md,
 * spec/descriptors.md) that must end the attacker, and only it. Named on
 * the command line (attack=<name>); the scenario expects this domain to be
 * crashed with the given reason while the victim keeps running.
 */
#include "pv/arch_x86_32.h"
#include "pv/mmu.h"
#include "pv/multicall.h"
#include "test.h"
#include "traps.h"

#define HYPERCALL_IRET_OFFSET (23 * 32)

/* IRET-3: an iret frame naming the hypervisor's ring-0 CS. */
static void iret_to_ring0(void)
{
    __asm__ volatile("pushl $0x202\n pushl $0xE008\n pushl $0x1000\n jmp *%0"
                     :: "r"(hypercall_page + HYPERCALL_IRET_OFFSET) : "memory");
}

/* IRET-5: an iret frame with EFLAGS.VM set (no virtual-8086 mode). */
static void iret_vm86(void)
{
    __asm__ volatile("pushl $0x20202\n pushl $0xE019\n pushl $0x1000\n jmp *%0"
                     :: "r"(hypercall_page + HYPERCALL_IRET_OFFSET) : "memory");
}

static uint32_t p2m(uint32_t pfn)
{
    return ((const uint32_t *)(uintptr_t)start_info->mfn_list)[pfn];
}

static uint8_t stack_page[4096] __attribute__((aligned(4096)));

/*
 * Map one of our pages as the last page below the hypervisor hole
 * (0xF57FF000): a spare frame becomes the L1 under the slot-3 L2's entry
 * 427, and stack_page's frame goes in its last slot.
 */
static void map_last_page_below_hole(void)
{
    const uint64_t *l3 = (const uint64_t *)(uintptr_t)start_info->pt_base;
    uint32_t l2 = (uint32_t)(l3[3] >> 12), l1 = p2m(start_info->nr_pages - 1);
    struct mmuext_op pin = { MMUEXT_PIN_L1_TABLE, { l1 }, { 0 } };
    struct mmu_update hook = { ((uint64_t)l2 << 12) + 427 * 8, ((uint64_t)l1 << 12) | 0x67 };
    uint64_t pte = ((uint64_t)p2m(GPTR(stack_page) / 4096u) << 12) | 0x63;

    if (hcall4(__HYPERVISOR_mmuext_op, GPTR(&pin), 1, 0, DOMID_SELF) ||
        hcall4(__HYPERVISOR_mmu_update, GPTR(&hook), 1, 0, DOMID_SELF) ||
        hcall4(__HYPERVISOR_update_va_mapping, 0xF57FF000u, (uint32_t)pte, 0, UVMF_INVLPG))
        guest_panic("cannot map the page below the hole");
}

/* IRET-1: a frame whose worst-case 40 bytes would reach the hypervisor area. */
static void iret_frame_in_hypervisor(void)
{
    map_last_page_below_hole();
    __asm__ volatile("movl $0xF57FFFF0, %%esp\n jmp *%0"
                     :: "r"(hypercall_page + HYPERCALL_IRET_OFFSET) : "memory");
}

/* BOUNCE: a trap with the ring-1 stack pointing at unmapped memory. */
static void bounce_unmapped_stack(void)
{
    __asm__ volatile("movl $0x3FF00000, %%esp\n int3" ::: "memory");
}

/* BOUNCE: the ring-1 stack on a read-only page (our own L3). */
static void bounce_readonly_stack(void)
{
    __asm__ volatile("movl %0, %%esp\n int3" :: "r"(start_info->pt_base + 4096u) : "memory");
}

/* BOUNCE: the ring-1 stack just below the hypervisor. */
static void bounce_hypervisor_stack(void)
{
    __asm__ volatile("movl $0xF5800008, %%esp\n int3" ::: "memory");
}

/*
 * MC-5: iret inside a multicall is performed exactly as on its own (IRET-1,
 * IRET-3): the list [xen_version, iret], issued with `int $0x82` and ESP
 * at `esp` (a frame already there, or nothing readable at all).
 */
static struct multicall_entry mc_list[2] = {
    { __HYPERVISOR_xen_version, 0, { 0 } },
    { __HYPERVISOR_iret, 0, { 0 } },
};

static void mc_iret_at(uint32_t esp)
{
    __asm__ volatile("movl %0, %%esp\n int $0x82"
                     :: "r"(esp), "a"(__HYPERVISOR_multicall), "b"(GPTR(mc_list)), "c"(2) : "memory");
}

/* MC-5, IRET-3: the frame names the hypervisor's ring-0 CS. */
static void mc_iret_to_ring0(void)
{
    uint32_t *f = (uint32_t *)(void *)(stack_page + 2048);

    f[0] = 0;
    f[1] = 0x1000;
    f[2] = 0xE008;
    f[3] = 0x202;
    mc_iret_at(GPTR(f));
}

/* MC-5, IRET-1: ESP on an unmapped page. */
static void mc_iret_frame_unmapped(void)
{
    mc_iret_at(0x3FF00000u);
}

struct attack {
    const char *name;
    void (*run)(void);
};

static const struct attack attacks[] = {
    { "iret-to-ring0", iret_to_ring0 },
    { "iret-vm86", iret_vm86 },
    { "iret-frame-in-hypervisor", iret_frame_in_hypervisor },
    { "bounce-unmapped-stack", bounce_unmapped_stack },
    { "bounce-readonly-stack", bounce_readonly_stack },
    { "bounce-hypervisor-stack", bounce_hypervisor_stack },
    { "mc-iret-to-ring0", mc_iret_to_ring0 },
    { "mc-iret-frame-unmapped", mc_iret_frame_unmapped },
};

int guest_main(struct start_info *si)
{
    const char *want = strstr(si->cmd_line, "attack=");
    uint32_t i;

    if (!want || traps_init())
        test_skip("no attack= on the command line");
    want += 7;
    for (i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++) {
        if (strcmp(attacks[i].name, want))
            continue;
        gprintf("ATTACK %s: launching\n", want);
        attacks[i].run();
        gprintf("ATTACK %s: still running, which is wrong\n", want);
        gprintf("Test result: FAILURE\n");
        return 1;
    }
    gprintf("unknown attack '%s'\nTest result: ERROR\n", want);
    return 1;
}
