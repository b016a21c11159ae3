/* Unit tests for the start-of-day layout (hv/core/boot_layout.c). */
#include "boot_layout.h"
#include "check.h"
#include "pv/errno.h"
#include "pv/layout.h"

#define MiB (1u << 20)

static void check_invariants(const char *name, const struct boot_layout_req *r,
                             const struct boot_layout *l)
{
    uint32_t kernel_pages = (r->kernel_end - r->virt_base + 4095) / 4096;

    /* BOOT-10: elements in order, none overlapping the kernel or each other. */
    CHECK_EQ_CASE(name, l->p2m_pfn, kernel_pages + l->module_pages);
    CHECK_EQ_CASE(name, l->start_info_pfn, l->p2m_pfn + l->p2m_pages);
    CHECK_EQ_CASE(name, l->stack_pfn, l->pt_pfn + l->nr_pt_frames);
    CHECK_EQ_CASE(name, l->nr_pt_frames, 1 + l->nr_l2 + l->nr_l1);
    /* The end: 4 MiB aligned, >= 512 KiB past the stack, below the hole. */
    CHECK_EQ_CASE(name, l->v_end % (4 * MiB), 0);
    CHECK_CASE_GE(name, l->v_end - (r->virt_base + (l->stack_pfn + 1) * 4096), 512u << 10);
    CHECK_CASE_GE(name, HYPERVISOR_VIRT_START, l->v_end);
    CHECK_EQ_CASE(name, l->mapped_pages, (l->v_end - r->virt_base) / 4096);
    CHECK_CASE_GE(name, r->nr_pages, l->mapped_pages);
    /* Enough L1s to map every page up to v_end, and an L2 for slot 3. */
    CHECK_CASE_GE(name, l->first_l1_va + l->nr_l1 * 2 * MiB, l->v_end);
    CHECK_EQ_CASE(name, l->first_l3_slot + l->nr_l2, 4);
}

static uint32_t p2m[65536];

/*
 * BOOT-10: every mapped pfn appears exactly once in the L1s. BOOT-11: the
 * entries' flags are Xen's builder's: L1 P|RW|A (page tables P|A), L2
 * P|RW|US|A|D, L3 P only.
 */
static void check_tables(const char *name, const struct boot_layout *l)
{
    static uint8_t seen[65536];
    uint32_t t, s, mapped = 0;

    memset(seen, 0, sizeof(seen));
    for (t = 1 + l->nr_l2; t < l->nr_pt_frames; t++) {
        for (s = 0; s < 512; s++) {
            uint64_t e = boot_layout_pt_entry(l, p2m, t, s);
            uint32_t pfn;
            if (!e)
                continue;
            pfn = (uint32_t)(e >> 12) - 100000;
            CHECK_CASE_GE(name, l->mapped_pages, pfn + 1);
            seen[pfn]++;
            mapped++;
            CHECK_EQ_CASE(name, (e & 2) != 0, !(pfn >= l->pt_pfn && pfn < l->pt_pfn + l->nr_pt_frames));
            CHECK_EQ_CASE(name, e & 0xFFFu & ~2u, 0x21);
        }
    }
    for (t = 1; t <= l->nr_l2; t++)
        for (s = 0; s < 512; s++) {
            uint64_t e = boot_layout_pt_entry(l, p2m, t, s);
            if (e)
                CHECK_EQ_CASE(name, e & 0xFFFu, 0x67);
        }
    CHECK_EQ_CASE(name, mapped, l->mapped_pages);
    for (s = 0; s < l->mapped_pages; s++)
        if (seen[s] != 1)
            CHECK_EQ_CASE(name, seen[s], 1);
    /* The L3 carries only P in every present slot, and slot 3 is present. */
    for (s = 0; s < 4; s++) {
        uint64_t e = boot_layout_pt_entry(l, p2m, 0, s);
        CHECK_EQ_CASE(name, e & 0xFFFu & ~1u, 0);
        if (s == 3)
            CHECK_EQ_CASE(name, e & 1, 1);
    }
    /* No L2 entry in the hypervisor slots. */
    for (s = 428; s < 512; s++)
        CHECK_EQ_CASE(name, boot_layout_pt_entry(l, p2m, l->nr_l2, s), 0);
}

struct layout_case {
    const char *name;
    struct boot_layout_req req;
    int rc;
};

static const struct layout_case cases[] = {
    { "linux-like dom0", { 0xC0000000u, 0xC0100000u, 0xC0105000u, 16384, 0, false }, 0 },
    { "xtf-like at 1MiB", { 0, 0x100000u, 0x120000u, 4096, 0, true }, 0 },
    { "with module", { 0xC0000000u, 0xC0100000u, 0xC0200000u, 16384, 3 * MiB + 17, false }, 0 },
    { "exactly enough", { 0xC0000000u, 0xC0100000u, 0xC0105000u, 1024, 0, false }, 0 },
    { "ends at the hole", { 0xF5000000u, 0xF5000000u, 0xF5700000u, 65536, 0, false }, 0 },
    { "big region", { 0x40000000u, 0x40000000u, 0x48000000u, 60000, 0, true }, 0 },
    { "too little memory", { 0xC0000000u, 0xC0100000u, 0xC0105000u, 1023, 0, false }, -ENOMEM },
    { "kernel below base", { 0xC0000000u, 0xB0000000u, 0xC0105000u, 16384, 0, false }, -EINVAL },
    { "empty kernel", { 0, 0x100000u, 0x100000u, 4096, 0, false }, -EINVAL },
    { "kernel in the hole", { 0xF0000000u, 0xF5000000u, 0xF5900000u, 65536, 0, false }, -EINVAL },
    { "region reaches the hole", { 0xF5000000u, 0xF5000000u, 0xF5780000u, 65536, 0, false }, -EINVAL },
    { "unaligned base", { 0x1000u + 12, 0x100000u, 0x120000u, 4096, 0, false }, -EINVAL },
    { "huge nr_pages", { 0, 0x100000u, 0x120000u, 0xFFFFFFFFu, 0, false }, -EINVAL },
    { "huge module", { 0, 0x100000u, 0x120000u, 4096, 0xFFFFFFFFu, false }, -EINVAL },
};

int main(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(p2m); i++)
        p2m[i] = (uint32_t)i + 100000;
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        struct boot_layout l;
        int rc = boot_layout_compute(&cases[i].req, &l);
        CHECK_EQ_CASE(cases[i].name, rc, cases[i].rc);
        if (rc == 0) {
            check_invariants(cases[i].name, &cases[i].req, &l);
            check_tables(cases[i].name, &l);
        }
    }
    return check_report();
}
