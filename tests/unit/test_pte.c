/*
 * Entry predicates (hv/core/pte.c): every flag rule of every level, each
 * with accept and refuse cases named by rule ID, plus an exhaustive check
 * that the arithmetic predicates agree with Xen's disallow masks.
 */
#include "check.h"
#include "pt_fixture.h"

static struct fx fx;

#define HI(bit) (1ull << (bit))
#define ADDR(mfn) ((uint64_t)(mfn) << 12)

struct flag_case {
    const char *name;
    uint64_t e;
    bool io;
    bool ok;
};

static const struct flag_case l1_cases[] = {
    { "PT-1 L1 plain RW accepted", ADDR(9) | FX_RW, false, true },
    { "PT-1 L1 RO accepted", ADDR(9) | FX_RO, false, true },
    { "PT-1 L1 NX accepted", ADDR(9) | FX_RW | PTE_NX, false, true },
    { "PT-1 L1 AVAIL accepted", ADDR(9) | FX_RW | PTE_AVAIL, false, true },
    { "PT-1 L1 address bit 43 accepted", HI(43) | FX_RW, false, true },
    { "PT-1 L1 G refused", ADDR(9) | FX_RW | PTE_G, false, false },
    { "PT-1 L1 G refused even for I/O", ADDR(9) | FX_RW | PTE_G, true, false },
    { "PT-1 L1 bit 44 refused", HI(44) | FX_RW, false, false },
    { "PT-1 L1 bit 52 refused", HI(52) | FX_RW, false, false },
    { "PT-1 L1 bit 62 refused", HI(62) | FX_RW, false, false },
    { "PT-1 L1 bit 62 with NX refused", HI(62) | PTE_NX | FX_RW, false, false },
    { "PT-2 L1 PWT refused", ADDR(9) | FX_RW | PTE_PWT, false, false },
    { "PT-2 L1 PCD refused", ADDR(9) | FX_RW | PTE_PCD, false, false },
    { "PT-2 L1 PAT refused", ADDR(9) | FX_RW | PTE_PAT, false, false },
    { "PT-2 L1 PWT accepted for I/O", ADDR(9) | FX_RW | PTE_PWT, true, true },
    { "PT-2 L1 PCD accepted for I/O", ADDR(9) | FX_RW | PTE_PCD, true, true },
    { "PT-2 L1 PAT accepted for I/O", ADDR(9) | FX_RW | PTE_PAT, true, true },
};

static const struct flag_case l2_cases[] = {
    { "PT-3 L2 plain accepted", ADDR(9) | FX_TAB, false, true },
    { "PT-3 L2 NX, D, AVAIL accepted", ADDR(9) | FX_TAB | PTE_NX | PTE_D | PTE_AVAIL,
      false, true },
    { "PT-3 L2 G refused", ADDR(9) | FX_TAB | PTE_G, false, false },
    { "PT-3 L2 PWT refused", ADDR(9) | FX_TAB | PTE_PWT, false, false },
    { "PT-3 L2 PCD refused", ADDR(9) | FX_TAB | PTE_PCD, false, false },
    { "PT-3 L2 bit 44 refused", HI(44) | FX_TAB, false, false },
    { "PT-3 L2 bit 62 refused", HI(62) | FX_TAB, false, false },
    { "PT-4 L2 PSE refused", ADDR(512) | FX_TAB | PTE_PSE, false, false },
};

static const struct flag_case l3_cases[] = {
    { "PT-5 L3 P accepted", ADDR(9) | PTE_P, false, true },
    { "PT-5 L3 AVAIL accepted", ADDR(9) | PTE_P | PTE_AVAIL, false, true },
    { "PT-5 L3 address bit 43 accepted", HI(43) | PTE_P, false, true },
    { "PT-5 L3 RW accepted (stripped)", ADDR(9) | PTE_P | PTE_RW, false, true },
    { "PT-5 L3 US accepted (stripped)", ADDR(9) | PTE_P | PTE_US, false, true },
    { "PT-5 L3 PWT refused", ADDR(9) | PTE_P | PTE_PWT, false, false },
    { "PT-5 L3 PCD refused", ADDR(9) | PTE_P | PTE_PCD, false, false },
    { "PT-5 L3 A accepted (stripped)", ADDR(9) | PTE_P | PTE_A, false, true },
    { "PT-5 L3 D accepted (stripped)", ADDR(9) | PTE_P | PTE_D, false, true },
    { "PT-5 L3 PSE refused", ADDR(9) | PTE_P | PTE_PSE, false, false },
    { "PT-5 L3 G refused", ADDR(9) | PTE_P | PTE_G, false, false },
    { "PT-5 L3 NX refused", ADDR(9) | PTE_P | PTE_NX, false, false },
    { "PT-5 L3 bit 44 refused", HI(44) | PTE_P, false, false },
    { "PT-5 L3 bit 52 refused", HI(52) | PTE_P, false, false },
    { "PT-5 L3 libxenguest P|RW|US|A|D accepted", ADDR(9) | 0x67, false, true },
};

static void test_flag_tables(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(l1_cases); i++)
        CHECK_EQ_CASE(l1_cases[i].name, pte_l1_flags_ok(l1_cases[i].e, l1_cases[i].io),
                      l1_cases[i].ok);
    for (i = 0; i < ARRAY_SIZE(l2_cases); i++)
        CHECK_EQ_CASE(l2_cases[i].name, pte_l2_flags_ok(l2_cases[i].e), l2_cases[i].ok);
    for (i = 0; i < ARRAY_SIZE(l3_cases); i++)
        CHECK_EQ_CASE(l3_cases[i].name, pte_l3_flags_ok(l3_cases[i].e), l3_cases[i].ok);
}

/* The predicates and Xen's masks agree on every low-flag combination and
 * on every single high bit (with and without NX). */
static void test_masks_agree(void)
{
    unsigned bad = 0, lo, hb;

    for (lo = 0; lo < 4096; lo++) {
        for (hb = 43; hb <= 64; hb++) {
            uint64_t high = hb < 64 ? HI(hb) : 0;
            uint64_t e = ADDR(5) | lo | high, enx = e | PTE_NX;

            bad += pte_l1_flags_ok(e, false) != ((e & L1_DISALLOW_MASK) == 0);
            bad += pte_l1_flags_ok(enx, false) != ((enx & L1_DISALLOW_MASK) == 0);
            bad += pte_l1_flags_ok(e, true) != ((e & L1_DISALLOW_MASK_IO) == 0);
            bad += pte_l2_flags_ok(e) != ((e & L2_DISALLOW_MASK) == 0);
            bad += pte_l2_flags_ok(enx) != ((enx & L2_DISALLOW_MASK) == 0);
            bad += pte_l3_flags_ok(e) != ((e & L3_DISALLOW_MASK) == 0);
            bad += pte_l3_flags_ok(enx) != ((enx & L3_DISALLOW_MASK) == 0);
        }
    }
    CHECK_EQ_CASE("PT-1..PT-5 predicates equal the disallow masks", bad, 0);
}

/*
 * PT-5: every low-flag combination of an accepted present entry is
 * stored without RW, US, A and D, with everything else as it was, and
 * then is a valid PDPTE; a non-present entry is stored as given.
 */
static void test_l3_strip(void)
{
    unsigned bad = 0, lo, hb;

    for (lo = 0; lo < 4096; lo++) {
        for (hb = 12; hb <= 64; hb += 4) {
            uint64_t e = lo | (hb < 64 ? HI(hb) : 0), r = pte_l3_strip(e);

            if (!(e & PTE_P)) {
                bad += r != e;
                continue;
            }
            bad += r != (e & ~(uint64_t)L3_STRIPPED_FLAGS);
            bad += pte_mfn(r) != pte_mfn(e);
            bad += pte_l3_flags_ok(e) && !pte_l3_stored_ok(r);
            bad += pte_l3_stored_ok(r) != ((r & L3_STORED_DISALLOW_MASK) == 0);
        }
    }
    CHECK_EQ_CASE("PT-5 strip drops exactly RW US A D of present entries", bad, 0);
    CHECK_EQ_CASE("PT-5 libxenguest PDPTE stored as P", pte_l3_strip(ADDR(9) | 0x67), ADDR(9) | PTE_P);
    CHECK_EQ_CASE("PT-5 AVAIL kept", pte_l3_strip(ADDR(9) | 0xE67), ADDR(9) | 0xE01);
    CHECK_EQ_CASE("PT-21 absent entry untouched", pte_l3_strip(ADDR(9) | 0x66), ADDR(9) | 0x66);
    CHECK_EQ_CASE("PT-5 stored RW is not a PDPTE", pte_l3_stored_ok(ADDR(9) | PTE_P | PTE_RW), 0);
}

static void test_fields(void)
{
    CHECK_EQ(pte_mfn(ADDR(0x12345) | FX_RW | PTE_NX), 0x12345);
    CHECK_EQ(pte_mfn(HI(43) | PTE_P), 0x80000000u);
    CHECK(pte_present(PTE_P) && !pte_present(PTE_RW));
    CHECK(pte_writable(PTE_RW) && !pte_writable(PTE_P | PTE_US));
    CHECK_EQ(pte_va_l3_slot(0xC0000000u), 3);
    CHECK_EQ(pte_va_l2_slot(HYPERVISOR_VIRT_START), PT_XEN_FIRST_SLOT);
    CHECK_EQ(pte_va_l2_slot(FX_DATA_VA), FX_L2_SLOT);
    CHECK_EQ(pte_va_l1_slot(FX_DATA_VA + 5 * PAGE_SIZE + 123), 5);
    CHECK_EQ(pte_va_l1_slot(0xFFFFFFFFu), 511);
}

/* PT-6: whose frames an entry may name. */
static void test_frames(void)
{
    uint32_t own = fx_alloc(&fx, 0), other = fx_alloc(&fx, 1), io = FX_FRAMES - 1;
    uint32_t free_mfn = FX_FRAMES - 2;

    frame_set_owner_boot(&fx.ft, io, DOMID_IO);
    CHECK_EQ_CASE("PT-6 own frame", pte_check_l1_frame(&fx.ft, 1, own), 0);
    CHECK_EQ_CASE("PT-6 beyond the table is not RAM",
                  pte_check_l1_frame(&fx.ft, 1, FX_FRAMES), -EPERM);
    CHECK_EQ_CASE("PT-6 MMIO refused", pte_check_l1_frame(&fx.ft, 1, io), -EPERM);
    CHECK_EQ_CASE("PT-6 other domain refused", pte_check_l1_frame(&fx.ft, 1, other), -EBUSY);
    CHECK_EQ_CASE("PT-6 hypervisor frame refused", pte_check_l1_frame(&fx.ft, 1, 0), -EBUSY);
    CHECK_EQ_CASE("PT-6 free frame refused", pte_check_l1_frame(&fx.ft, 1, free_mfn), -EBUSY);
    CHECK_EQ_CASE("PT-6 table frame own", pte_check_table_frame(&fx.ft, 1, own), 0);
    CHECK_EQ_CASE("PT-6 table frame other", pte_check_table_frame(&fx.ft, 1, other), -EINVAL);
    CHECK_EQ_CASE("PT-6 table frame hypervisor", pte_check_table_frame(&fx.ft, 1, 1), -EINVAL);
    CHECK_EQ_CASE("PT-6 table frame beyond",
                  pte_check_table_frame(&fx.ft, 1, 0xFFFFFFFFu), -EINVAL);

    CHECK_EQ_CASE("PT-6 L1 entry own", pte_check_l1e(&fx.ft, 1, false, fx_pte(own, FX_RW)), 0);
    CHECK_EQ_CASE("PT-6 L1 entry other", pte_check_l1e(&fx.ft, 1, false, fx_pte(other, FX_RO)),
                  -EBUSY);
    CHECK_EQ_CASE("PT-1 L1 entry flags before frame",
                  pte_check_l1e(&fx.ft, 1, false, fx_pte(other, FX_RO | PTE_G)), -EINVAL);
    CHECK_EQ_CASE("PT-6 L2 entry hypervisor", pte_check_l2e(&fx.ft, 1, fx_pte(2, FX_TAB)),
                  -EINVAL);
    CHECK_EQ_CASE("PT-4 L2 entry PSE",
                  pte_check_l2e(&fx.ft, 1, fx_pte(own, FX_TAB | PTE_PSE)), -EINVAL);
    CHECK_EQ_CASE("PT-6 L3 entry other", pte_check_l3e(&fx.ft, 1, fx_pte(other, PTE_P)),
                  -EINVAL);
    CHECK_EQ_CASE("PT-5 L3 entry own", pte_check_l3e(&fx.ft, 1, fx_pte(own, PTE_P)), 0);
}

/* PT-21: non-present entries are not examined at any level. */
static void test_not_present(void)
{
    uint64_t junk = 0xFFFFFFFFFFFFFFFEull;

    CHECK_EQ_CASE("PT-21 L1 junk not present", pte_check_l1e(&fx.ft, 1, false, junk), 0);
    CHECK_EQ_CASE("PT-21 L2 junk not present", pte_check_l2e(&fx.ft, 1, junk), 0);
    CHECK_EQ_CASE("PT-21 L3 junk not present", pte_check_l3e(&fx.ft, 1, junk), 0);
}

struct pair_case {
    const char *name;
    uint64_t o, n;
    bool want;
};

static const struct pair_case same_rights[] = {
    { "PT-19 A/D change is fast", ADDR(9) | FX_RO, ADDR(9) | FX_RO | PTE_D, true },
    { "PT-19 NX/US/AVAIL change is fast", ADDR(9) | FX_RW,
      (ADDR(9) | FX_RW | PTE_NX | PTE_AVAIL) & ~(uint64_t)PTE_US, true },
    { "PT-19 RW change is slow", ADDR(9) | FX_RO, ADDR(9) | FX_RO | PTE_RW, false },
    { "PT-19 frame change is slow", ADDR(9) | FX_RO, ADDR(10) | FX_RO, false },
    { "PT-19 cache change is slow", ADDR(9) | FX_RO, ADDR(9) | FX_RO | PTE_PCD, false },
    { "PT-19 PAT change is slow", ADDR(9) | FX_RO, ADDR(9) | FX_RO | PTE_PAT, false },
    { "PT-19 from not present is slow", ADDR(9), ADDR(9) | FX_RO, false },
};

static const struct pair_case flushes[] = {
    { "PT-20 unmap flushes", ADDR(9) | FX_RO, 0, true },
    { "PT-20 frame change flushes", ADDR(9) | FX_RO, ADDR(10) | FX_RO, true },
    { "PT-20 RW to RO flushes", ADDR(9) | FX_RW, ADDR(9) | FX_RO, true },
    { "PT-20 RO to RW does not", ADDR(9) | FX_RO, ADDR(9) | FX_RW, false },
    { "PT-20 A/D change does not", ADDR(9) | FX_RW, ADDR(9) | FX_RW | PTE_NX, false },
    { "PT-20 from not present does not", ADDR(9), ADDR(10) | FX_RW, false },
};

static void test_pairs(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(same_rights); i++)
        CHECK_EQ_CASE(same_rights[i].name,
                      pte_l1_same_rights(same_rights[i].o, same_rights[i].n),
                      same_rights[i].want);
    for (i = 0; i < ARRAY_SIZE(flushes); i++)
        CHECK_EQ_CASE(flushes[i].name, pte_needs_flush(flushes[i].o, flushes[i].n),
                      flushes[i].want);
    CHECK_EQ_CASE("PT-19 L2 same frame", pte_l2_same_rights(ADDR(9) | PTE_P,
                  ADDR(9) | FX_TAB | PTE_NX), true);
    CHECK_EQ_CASE("PT-19 L2 other frame", pte_l2_same_rights(ADDR(9) | PTE_P,
                  ADDR(8) | PTE_P), false);
    CHECK_EQ_CASE("PT-19 L3 AVAIL change is fast", pte_l3_same_rights(ADDR(9) | PTE_P,
                  ADDR(9) | PTE_P | PTE_AVAIL), true);
}

/*
 * PT-19: the bits each level's fast path lets change (Xen's
 * FASTPATH_FLAG_WHITELIST; for L2 also RW, as no linear page tables
 * exist; for a PDPTE only AVAIL). Every other single bit, the frame and
 * bits 44..62 included, must send the update down the slow path.
 */
#define FAST_L1  (PTE_A | PTE_D | PTE_AVAIL | PTE_US | PTE_NX)
#define FAST_L2  (FAST_L1 | PTE_RW)
#define FAST_L3  ((uint64_t)PTE_AVAIL)

static void test_fast_path_bits(void)
{
    const uint64_t base = ADDR(0x12345) | PTE_P;
    char name[64];
    unsigned bit;

    for (bit = 0; bit < 64; bit++) {
        uint64_t flip = HI(bit);

        snprintf(name, sizeof(name), "PT-19 L1 bit %u", bit);
        CHECK_EQ_CASE(name, pte_l1_same_rights(base, base ^ flip), (FAST_L1 & flip) != 0);
        snprintf(name, sizeof(name), "PT-19 L2 bit %u", bit);
        CHECK_EQ_CASE(name, pte_l2_same_rights(base, base ^ flip), (FAST_L2 & flip) != 0);
        snprintf(name, sizeof(name), "PT-19 L3 bit %u", bit);
        CHECK_EQ_CASE(name, pte_l3_same_rights(base, base ^ flip), (FAST_L3 & flip) != 0);
    }
}

/*
 * PT-19 (the lemmas of pte.h): whatever the fast path keeps passes the
 * flag rules exactly when the old entry did, over every combination of
 * the low 12 bits, NX and one of bits 44..62, on both sides.
 */
static uint64_t flag_combo(unsigned i)
{
    uint64_t e = ADDR(7) | (i % 4096u);

    if ((i / 4096u) % 2u)
        e |= PTE_NX;
    if ((i / 8192u) % 2u)
        e |= HI(50);
    return e;
}

static void test_fast_path_keeps_valid(void)
{
    unsigned i, j, bad = 0;

    for (i = 0; i < 16384u; i++) {
        uint64_t o = flag_combo(i);

        for (j = 0; j < 16384u; j += 31u) {
            uint64_t n = flag_combo(j);

            if (pte_l1_same_rights(o, n) &&
                (pte_l1_flags_ok(o, false) != pte_l1_flags_ok(n, false) ||
                 pte_l1_flags_ok(o, true) != pte_l1_flags_ok(n, true)))
                bad++;
            if (pte_l2_same_rights(o, n) && pte_l2_flags_ok(o) != pte_l2_flags_ok(n))
                bad++;
            if (pte_l3_same_rights(o, n) && pte_l3_flags_ok(o) != pte_l3_flags_ok(n))
                bad++;
        }
    }
    CHECK_EQ_CASE("PT-19 fast path keeps only valid entries", bad, 0u);
}

static void test_slots(void)
{
    CHECK_EQ_CASE("PT-12 plain L2 slot 511 writable", pte_l2_slot_check(PGT_L2, 511), 0);
    CHECK_EQ_CASE("PT-12 Xen L2 slot 427 writable", pte_l2_slot_check(PGT_L2_XEN, 427), 0);
    CHECK_EQ_CASE("PT-12 Xen L2 slot 428 refused", pte_l2_slot_check(PGT_L2_XEN, 428), -EPERM);
    CHECK_EQ_CASE("PT-12 Xen L2 slot 511 refused", pte_l2_slot_check(PGT_L2_XEN, 511), -EPERM);
    CHECK_EQ_CASE("PT-12 slot 512 out of table", pte_l2_slot_check(PGT_L2, 512), -EINVAL);
    CHECK_EQ_CASE("PT-13 L3 slot 2 writable", pte_l3_slot_check(2), 0);
    CHECK_EQ_CASE("PT-13 L3 slot 3 refused", pte_l3_slot_check(3), -EINVAL);
    CHECK_EQ_CASE("PT-13 L3 slot 4 refused", pte_l3_slot_check(4), -EINVAL);
}

int main(void)
{
    fx_init(&fx);
    test_flag_tables();
    test_masks_agree();
    test_l3_strip();
    test_fields();
    test_frames();
    test_not_present();
    test_pairs();
    test_fast_path_bits();
    test_fast_path_keeps_valid();
    test_slots();
    hosted_env_fini();
    return check_report();
}
