/*
 * Scenario cpu-fsgs (PERF-1, spec/traps.md): FS and GS across the
 * hypervisor's entry and exit. The way back to a guest reloads FS and GS
 * only when a reload could give something else than they hold; this
 * checks the two cases where the selector stays the same but what it
 * means does not.
 *
 * Two copies of this image run side by side (id=1, id=2), each with FS an
 * LDT selector and GS a GDT selector of its own tables, the same selector
 * values in both, and bases pointing at different slots of a tagged
 * array (guest k at slot k-1; both images share one layout, so the other
 * guest's base would point at the other slot of our own array). Between
 * checks each guest makes plain hypercalls (the exit that skips the
 * reload) and yields, for 1.5 s, so the two alternate on the CPU (each
 * first sleeps until the other is built):
 *
 *  - after every switch back, FS:[0] and GS:[0] are our own slot's tags:
 *    a hidden segment base left from the other domain would read the
 *    other tag (the frame is replaced, so FS and GS must be reloaded);
 *  - an update_descriptor that moves FS's segment to the other slot is
 *    seen right after the hypercall returns, and moving it back too: a
 *    descriptor written under a loaded selector takes effect at the next
 *    return from the hypervisor, as when every exit reloaded FS and GS.
 */
#include "pv/mmu.h"
#include "pv/sched.h"
#include "pv/vcpu.h"
#include "pv/version.h"
#include "pvtime.h"
#include "test.h"

#define DESC(base, limit, access, flags)                                           \
    ((((uint64_t)(base) & 0xFF000000u) << 32) | ((uint64_t)((flags) & 0xF) << 52) | \
     (((uint64_t)(limit) & 0xF0000u) << 32) | ((uint64_t)((access) & 0xFF) << 40) | \
     (((uint64_t)(base) & 0xFF0000u) << 16) | (((uint64_t)(base) & 0xFFFFu) << 16) | \
     ((uint64_t)(limit) & 0xFFFFu))
#define DATA_R1   0xB3u                 /* present, DPL 1, read/write data, accessed */
#define BYTES_32  0x4u                  /* byte granular, 32-bit */

#define FS_SEL    ((0u << 3) | 4u | 1u) /* LDT entry 0, RPL 1 */
#define GS_INDEX  16u
#define GS_SEL    ((GS_INDEX << 3) | 1u) /* GDT entry 16, RPL 1 */
#define FS_TAG(slot) (0xF5000000u | (slot))
#define GS_TAG(slot) (0x65000000u | (slot))
#define RUN_NS    1500000000ull       /* side by side for 1.5 s */

/* slot j: FS tag at [0], GS tag at [2] */
static uint32_t area[2][4] __attribute__((aligned(16)));
static uint64_t ldt[512] __attribute__((aligned(4096)));
static uint64_t gdt[512] __attribute__((aligned(4096)));
static uint64_t last_runnable_ns;
static uint32_t switches_seen;

static uint32_t mfn_of(const void *va)
{
    return ((const uint32_t *)(uintptr_t)start_info->mfn_list)[GPTR(va) / 4096u];
}

static int32_t map_read_only(const void *va)
{
    uint64_t pte = ((uint64_t)mfn_of(va) << 12) | 0x21u;     /* P | A */

    return hcall4(__HYPERVISOR_update_va_mapping, GPTR(va), (uint32_t)pte, (uint32_t)(pte >> 32),
                  UVMF_INVLPG);
}

static int32_t write_desc(const uint64_t *slot, uint64_t desc)
{
    uint64_t ma = ((uint64_t)mfn_of(slot) << 12) | (GPTR(slot) & 0xFFFu);

    return hcall4(__HYPERVISOR_update_descriptor, (uint32_t)ma, (uint32_t)(ma >> 32),
                  (uint32_t)desc, (uint32_t)(desc >> 32));
}

static uint64_t data_desc(uint32_t slot, uint32_t word)
{
    return DESC(GPTR(&area[slot][word]), 3, DATA_R1, BYTES_32);
}

/* FS from our LDT, GS from our GDT, both at `slot` of the array. */
static void set_up(uint32_t slot)
{
    uint32_t gdt_mfn = mfn_of(gdt);
    struct mmuext_op op = { MMUEXT_SET_LDT, { GPTR(ldt) }, { 512 } };

    area[0][0] = FS_TAG(0);
    area[0][2] = GS_TAG(0);
    area[1][0] = FS_TAG(1);
    area[1][2] = GS_TAG(1);
    ldt[0] = data_desc(slot, 0);
    gdt[GS_INDEX] = data_desc(slot, 2);
    CHECK_RC("LDT page read-only", map_read_only(ldt), 0);
    CHECK_RC("GDT page read-only", map_read_only(gdt), 0);
    CHECK_RC("SET_LDT", hcall4(__HYPERVISOR_mmuext_op, GPTR(&op), 1, 0, DOMID_SELF), 0);
    CHECK_RC("set_gdt", hcall2(__HYPERVISOR_set_gdt, GPTR(&gdt_mfn), 512), 0);
    __asm__ volatile("mov %0, %%fs\n mov %1, %%gs" :: "r"(FS_SEL), "r"(GS_SEL) : "memory");
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

static bool selectors_kept(void)
{
    uint32_t fs, gs;

    __asm__ volatile("mov %%fs, %0\n mov %%gs, %1" : "=r"(fs), "=r"(gs));
    return (fs & 0xFFFFu) == FS_SEL && (gs & 0xFFFFu) == GS_SEL;
}

static uint64_t runnable_ns(void)
{
    struct vcpu_runstate_info r;

    memset(&r, 0, sizeof(r));
    if (hcall3(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, GPTR(&r)))
        guest_panic("get_runstate_info failed");
    return r.time[RUNSTATE_runnable];
}

/* Count the rounds during which another domain ran while we could have. */
static void note_switches(void)
{
    uint64_t r = runnable_ns();

    if (r != last_runnable_ns)
        switches_seen++;
    last_runnable_ns = r;
}

static uint32_t bad_rounds;

static void check_own(uint32_t slot, uint32_t round, const char *when)
{
    uint32_t fs = fs_word(), gs = gs_word();

    if (fs == FS_TAG(slot) && gs == GS_TAG(slot) && selectors_kept())
        return;
    if (bad_rounds++ < 5)
        gprintf("FAILED: round %u %s: FS:[0] %08x GS:[0] %08x (want %08x %08x)\n", round, when,
                fs, gs, FS_TAG(slot), GS_TAG(slot));
}

/* A descriptor written under the loaded FS counts from the next return. */
static void check_rewrite(uint32_t slot)
{
    uint32_t other = 1u - slot;

    CHECK_RC("update_descriptor moves FS's segment", write_desc(&ldt[0], data_desc(other, 0)), 0);
    test_check("FS shows the rewritten descriptor right after the hypercall",
               fs_word() == FS_TAG(other));
    hcall2(__HYPERVISOR_xen_version, XENVER_version, 0);
    test_check("and keeps showing it", fs_word() == FS_TAG(other));
    CHECK_RC("update_descriptor moves it back", write_desc(&ldt[0], data_desc(slot, 0)), 0);
    test_check("FS shows our slot again", fs_word() == FS_TAG(slot));
}

int guest_main(struct start_info *si)
{
    uint32_t slot, rounds = 0, i;
    uint64_t until;

    if (strstr(si->cmd_line, "id=1"))
        slot = 0;
    else if (strstr(si->cmd_line, "id=2"))
        slot = 1;
    else
        test_skip("no id=1 or id=2 on the command line");
    set_up(slot);
    check_own(slot, 0, "after set-up");
    pv_sleep_ns(300000000ull);          /* the other copy is being built: start together */
    check_own(slot, 0, "after a sleep");
    check_rewrite(slot);
    last_runnable_ns = runnable_ns();
    until = pv_time_ns() + RUN_NS;
    while (pv_time_ns() < until) {
        rounds++;
        for (i = 0; i < 4; i++)
            hcall2(__HYPERVISOR_xen_version, XENVER_version, 0);
        check_own(slot, rounds, "after hypercalls");
        hcall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
        check_own(slot, rounds, "after a yield");
        note_switches();
    }
    check_rewrite(slot);
    gprintf("fsgs: %u rounds, another domain ran during %u of them, %u bad rounds\n", rounds,
            switches_seen, bad_rounds);
    test_check("FS and GS kept their own segments in every round", bad_rounds == 0);
    /* at least one switch per scheduler quantum (10 ms) of the 1.5 s */
    test_check("the two domains alternated at least 50 times", switches_seen >= 50);
    test_finish();
}
