/*
 * Review probe for PERF-1 (spec/traps.md): FS and GS after each way a
 * running domain can change the table behind a loaded selector without
 * changing the selector: set_gdt to another frame, MMUEXT_SET_LDT to
 * another LDT (lazily mapped, so the exit path's own reload takes the
 * LDT page fault), both undone inside one multicall, and an
 * update_descriptor of the GDT entry under GS. After each hypercall FS:[0]
 * and GS:[0] must show what a fresh load of the same selector gives now.
 */
#include "pv/mmu.h"
#include "pv/multicall.h"
#include "pv/version.h"
#include "test.h"

#define DESC(base, limit, access, flags)                                           \
    ((((uint64_t)(base) & 0xFF000000u) << 32) | ((uint64_t)((flags) & 0xF) << 52) | \
     (((uint64_t)(limit) & 0xF0000u) << 32) | ((uint64_t)((access) & 0xFF) << 40) | \
     (((uint64_t)(base) & 0xFF0000u) << 16) | (((uint64_t)(base) & 0xFFFFu) << 16) | \
     ((uint64_t)(limit) & 0xFFFFu))
#define DATA_R1   0xB3u
#define BYTES_32  0x4u
#define FS_SEL    ((0u << 3) | 4u | 1u)
#define GS_INDEX  16u
#define GS_SEL    ((GS_INDEX << 3) | 1u)
#define TAG(slot) (0xA5000000u | (slot))

static uint32_t area[2][4] __attribute__((aligned(16)));
static uint64_t ldt[2][512] __attribute__((aligned(4096)));
static uint64_t gdt[2][512] __attribute__((aligned(4096)));

static uint32_t mfn_of(const void *va)
{
    return ((const uint32_t *)(uintptr_t)start_info->mfn_list)[GPTR(va) / 4096u];
}

static int32_t map_read_only(const void *va)
{
    uint64_t pte = ((uint64_t)mfn_of(va) << 12) | 0x21u;

    return hcall4(__HYPERVISOR_update_va_mapping, GPTR(va), (uint32_t)pte, (uint32_t)(pte >> 32),
                  UVMF_INVLPG);
}

static uint64_t data_desc(uint32_t slot)
{
    return DESC(GPTR(&area[slot][0]), 3, DATA_R1, BYTES_32);
}

static uint32_t fs_word(void)
{
    uint32_t v;

    __asm__ volatile("movl %%fs:0, %0" : "=r"(v) :: "memory");
    return v;
}

static uint32_t gs_word(void)
{
    uint32_t v;

    __asm__ volatile("movl %%gs:0, %0" : "=r"(v) :: "memory");
    return v;
}

static int32_t set_ldt(uint32_t which)
{
    struct mmuext_op op = { MMUEXT_SET_LDT, { GPTR(ldt[which]) }, { 512 } };

    return hcall4(__HYPERVISOR_mmuext_op, GPTR(&op), 1, 0, DOMID_SELF);
}

static int32_t set_gdt(uint32_t which)
{
    static uint32_t mfn;

    mfn = mfn_of(gdt[which]);
    return hcall2(__HYPERVISOR_set_gdt, GPTR(&mfn), 512);
}

static void expect(const char *what, uint32_t fs_slot, uint32_t gs_slot)
{
    uint32_t fs = fs_word(), gs = gs_word();

    if (fs != TAG(fs_slot) || gs != TAG(gs_slot))
        gprintf("FAILED: %s: FS:[0] %08x GS:[0] %08x (want %08x %08x)\n", what, fs, gs,
                TAG(fs_slot), TAG(gs_slot));
    test_check(what, fs == TAG(fs_slot) && gs == TAG(gs_slot));
}

int guest_main(struct start_info *si)
{
    struct multicall_entry mc[2];
    static uint32_t mfn0, mfn1;
    uint32_t i;
    uint64_t ma;

    (void)si;
    area[0][0] = TAG(0);
    area[1][0] = TAG(1);
    for (i = 0; i < 2; i++) {
        ldt[i][0] = data_desc(i);
        gdt[i][GS_INDEX] = data_desc(i);
        CHECK_RC("LDT page read-only", map_read_only(ldt[i]), 0);
        CHECK_RC("GDT page read-only", map_read_only(gdt[i]), 0);
    }
    CHECK_RC("SET_LDT 0", set_ldt(0), 0);
    CHECK_RC("set_gdt 0", set_gdt(0), 0);
    __asm__ volatile("mov %0, %%fs\n mov %1, %%gs" :: "r"(FS_SEL), "r"(GS_SEL) : "memory");
    expect("loaded from table 0", 0, 0);
    hcall2(__HYPERVISOR_xen_version, XENVER_version, 0);
    expect("after a plain hypercall", 0, 0);

    CHECK_RC("set_gdt 1", set_gdt(1), 0);
    expect("set_gdt to another frame: GS shows it", 0, 1);
    CHECK_RC("SET_LDT 1", set_ldt(1), 0);
    expect("SET_LDT to another LDT: FS shows it (lazy map on exit)", 1, 1);
    hcall2(__HYPERVISOR_xen_version, XENVER_version, 0);
    expect("and keeps it", 1, 1);

    /* Both back, then both away and back again inside one multicall. */
    CHECK_RC("SET_LDT 0 again", set_ldt(0), 0);
    CHECK_RC("set_gdt 0 again", set_gdt(0), 0);
    expect("both back", 0, 0);
    mfn0 = mfn_of(gdt[0]);
    mfn1 = mfn_of(gdt[1]);
    memset(mc, 0, sizeof(mc));
    mc[0].op = __HYPERVISOR_set_gdt;
    mc[0].args[0] = GPTR(&mfn1);
    mc[0].args[1] = 512;
    mc[1].op = __HYPERVISOR_set_gdt;
    mc[1].args[0] = GPTR(&mfn0);
    mc[1].args[1] = 512;
    CHECK_RC("multicall set_gdt 1, 0", hcall2(__HYPERVISOR_multicall, GPTR(mc), 2), 0);
    expect("away and back in one multicall", 0, 0);

    /* update_descriptor of the GDT entry under GS. */
    ma = ((uint64_t)mfn_of(gdt[0]) << 12) + GS_INDEX * 8u;
    CHECK_RC("update_descriptor GS entry",
             hcall4(__HYPERVISOR_update_descriptor, (uint32_t)ma, (uint32_t)(ma >> 32),
                    (uint32_t)data_desc(1), (uint32_t)(data_desc(1) >> 32)), 0);
    expect("update_descriptor under GS", 0, 1);
    test_finish();
}
