/*
 * EMUL-9..EMUL-11: the debug-register policy.
 *
 * The breakpoint range rule at its boundary for every length, DR7's
 * refused encodings (GD, I/O breakpoints, long instruction breakpoints),
 * both orders of DRn/DR7 writes, reserved bits, aliases, and a random walk
 * of 100,000 writes after which the invariant, recomputed here
 * independently with masks and 64-bit sums, must still hold and every
 * refused write must have changed nothing. EMUL-20 (Xen's own DR0-3
 * address check), EMUL-21 (Xen's errors, one function for MOV and the
 * hypercalls), EMUL-22..23 (active test, #DB status, context load).
 */
#include "check.h"
#include "emul_dr.h"

#define HVS 0xF5800000u
#define BP_L(n)       (1u << (2 * (n)))
#define BP_G(n)       (2u << (2 * (n)))
#define BP_RW(n, rw)  ((uint32_t)(rw) << (16 + 4 * (n)))
#define BP_LEN(n, l)  ((uint32_t)(l) << (18 + 4 * (n)))

static int dr_same(const struct emul_dr_state *a, const struct emul_dr_state *b)
{
    return memcmp(a, b, sizeof(*a)) == 0;
}

struct drcase {
    const char *name;
    uint32_t dr0, dr7_before;   /* state set up with checks bypassed */
    uint32_t n, value;
    int rc;
};

static const struct drcase drcases[] = {
    { "EMUL-20 dr0 last allowed, disabled", 0, 0x400, 0, HVS - 5, 0 },
    { "EMUL-20 dr0 4 bytes reach hv, disabled", 0, 0x400, 0, HVS - 4, -EPERM },
    { "EMUL-20 dr0 at hv, disabled", 0, 0x400, 0, HVS, -EPERM },
    { "EMUL-20 dr3 top, disabled", 0, 0x400, 3, 0xFFFFFFFFu, -EPERM },
    { "EMUL-9 dr0 at hv, enabled exec", 0, 0x400 | BP_L(0), 0, HVS, -EPERM },
    { "EMUL-9 dr0 last allowed, exec", 0, 0x400 | BP_L(0), 0, HVS - 5, 0 },
    { "EMUL-9 dr0 top, global", 0, 0x400 | BP_G(0), 0, 0xFFFFFFFFu, -EPERM },
    { "EMUL-9 dr0 len 4 fits", 0, 0x400 | BP_L(0) | BP_RW(0, 1) | BP_LEN(0, 3), 0, HVS - 8, 0 },
    { "EMUL-9 dr0 len 2 fits", 0, 0x400 | BP_L(0) | BP_RW(0, 1) | BP_LEN(0, 1), 0, HVS - 5, 0 },
    { "EMUL-9 dr0 len 8 fits", 0, 0x400 | BP_L(0) | BP_RW(0, 3) | BP_LEN(0, 2), 0, HVS - 8, 0 },
    { "EMUL-9 dr0 len 8 overlaps", 0, 0x400 | BP_L(0) | BP_RW(0, 3) | BP_LEN(0, 2), 0, HVS - 7, -EPERM },
    { "EMUL-9 dr0 wrap attempt", 0, 0x400 | BP_L(0) | BP_RW(0, 1) | BP_LEN(0, 2), 0, 0xFFFFFFFCu, -EPERM },
    { "EMUL-9 dr7 enables bad dr0", HVS, 0x400, 7, 0x400 | BP_L(0), -EPERM },
    { "EMUL-9 dr7 widens dr0", HVS - 1, 0x400 | BP_L(0), 7, 0x400 | BP_L(0) | BP_RW(0, 1) | BP_LEN(0, 3), -EPERM },
    { "EMUL-9 dr7 enables good dr0", HVS - 4, 0x400, 7, 0x400 | BP_G(0) | BP_RW(0, 3) | BP_LEN(0, 3), 0 },
    { "EMUL-9 dr7 via dr5 alias", HVS, 0x400, 5, 0x400 | BP_L(0), -EPERM },
    { "EMUL-9 dr7 disabling bad dr0", HVS, 0x400 | BP_L(0), 7, 0x400, 0 },
    { "EMUL-10 gd refused", 0, 0x400, 7, 0x400 | EMUL_DR7_GD, -EPERM },
    { "EMUL-10 io bp refused", 0x60, 0x400, 7, 0x400 | BP_L(0) | BP_RW(0, 2), -EPERM },
    { "EMUL-10 io rw on disabled bp", 0x60, 0x400, 7, 0x400 | BP_RW(0, 2), 0 },
    { "EMUL-10 exec bp with len 4", 0x1000, 0x400, 7, 0x400 | BP_L(0) | BP_LEN(0, 3), -EPERM },
    { "EMUL-10 le/ge allowed", 0x1000, 0x400, 7, 0x700 | BP_L(0), 0 },
    { "EMUL-21 bad register 8", 0, 0x400, 8, 0, -ENODEV },
    { "EMUL-21 bad register huge", 0, 0x400, 0xFFFFFFFFu, 0, -ENODEV },
};

static void test_dr_table(void)
{
    uint32_t i;

    for (i = 0; i < ARRAY_SIZE(drcases); i++) {
        const struct drcase *c = &drcases[i];
        struct emul_dr_state s, before;
        int rc;

        emul_dr_init(&s);
        s.dr[0] = c->dr0;
        s.dr7 = c->dr7_before;
        before = s;
        rc = emul_dr_write(&s, c->n, c->value);
        CHECK_EQ_CASE(c->name, rc, c->rc);
        if (rc != 0)
            CHECK_CASE_GE(c->name, dr_same(&s, &before), 1);
    }
}

static void test_dr_bits(void)
{
    struct emul_dr_state s;
    uint32_t v = 0;

    emul_dr_init(&s);
    CHECK_EQ_CASE("EMUL-11 dr6 reset", s.dr6, 0xFFFF0FF0u);
    CHECK_EQ_CASE("EMUL-11 dr7 reset", s.dr7, 0x400);
    CHECK_EQ_CASE("EMUL-11 dr6 zero", emul_dr_write(&s, 6, 0), 0);
    CHECK_EQ_CASE("EMUL-11 dr6 zero", s.dr6, 0xFFFF0FF0u);
    CHECK_EQ_CASE("EMUL-11 dr6 ones", emul_dr_write(&s, 6, 0xFFFFFFFFu), 0);
    CHECK_EQ_CASE("EMUL-11 dr6 ones", s.dr6, 0xFFFFEFFFu);
    CHECK_EQ_CASE("EMUL-11 dr4 alias", emul_dr_write(&s, 4, 0x1), 0);
    CHECK_EQ_CASE("EMUL-11 dr4 alias", s.dr6, 0xFFFF0FF1u);
    CHECK_EQ_CASE("EMUL-11 dr7 reserved", emul_dr_write(&s, 7, 0x0000D800u), 0);
    CHECK_EQ_CASE("EMUL-11 dr7 reserved", s.dr7, 0x400);
    CHECK_EQ_CASE("EMUL-11 read dr5", emul_dr_read(&s, 5, &v), 0);
    CHECK_EQ_CASE("EMUL-11 read dr5", v, 0x400);
    CHECK_EQ_CASE("EMUL-11 read dr4", emul_dr_read(&s, 4, &v), 0);
    CHECK_EQ_CASE("EMUL-11 read dr4", v, 0xFFFF0FF1u);
    CHECK_EQ_CASE("EMUL-21 read dr8", emul_dr_read(&s, 8, &v), -ENODEV);
    CHECK_EQ_CASE("EMUL-9 len 0", emul_dr7_len(BP_LEN(2, 0), 2), 1);
    CHECK_EQ_CASE("EMUL-9 len 1", emul_dr7_len(BP_LEN(2, 1), 2), 2);
    CHECK_EQ_CASE("EMUL-9 len 2", emul_dr7_len(BP_LEN(2, 2), 2), 8);
    CHECK_EQ_CASE("EMUL-9 len 3", emul_dr7_len(BP_LEN(3, 3), 3), 4);
    CHECK_EQ_CASE("EMUL-9 range top", emul_dr_range_ok(0xFFFFFFFFu, 8), 0);
    CHECK_EQ_CASE("EMUL-9 range edge", emul_dr_range_ok(HVS - 8, 8), 1);
    CHECK_EQ_CASE("EMUL-9 range zero", emul_dr_range_ok(0, 8), 1);
}

/* The invariant EMUL-9/10 keep, recomputed independently in 64 bits. */
static int dr_invariant(const struct emul_dr_state *s)
{
    static const uint64_t lens[4] = { 1, 2, 8, 4 };
    uint32_t n;

    if (s->dr7 & EMUL_DR7_GD)
        return 0;
    if ((s->dr7 & 0x400) == 0 || (s->dr7 & 0xD800) != 0)
        return 0;
    if ((s->dr6 & 0xFFFF0FF0u) != 0xFFFF0FF0u)
        return 0;
    for (n = 0; n < 4; n++) {
        uint32_t rw = (s->dr7 >> (16 + 4 * n)) & 3, len = (s->dr7 >> (18 + 4 * n)) & 3;

        if (((s->dr7 >> (2 * n)) & 3) == 0)
            continue;
        if (rw == 2 || (uint64_t)s->dr[n] + lens[len] > HVS)
            return 0;
    }
    return 1;
}

static void test_dr_active_and_db(void)
{
    struct emul_dr_state s;

    emul_dr_init(&s);
    CHECK_EQ_CASE("EMUL-22 reset inactive", emul_dr_active(s), 0);
    s.dr7 = 0x400 | BP_RW(1, 1);
    CHECK_EQ_CASE("EMUL-22 rw without enable inactive", emul_dr_active(s), 0);
    s.dr7 = 0x700;
    CHECK_EQ_CASE("EMUL-22 le/ge alone inactive", emul_dr_active(s), 0);
    s.dr7 = 0x400 | BP_G(3);
    CHECK_EQ_CASE("EMUL-22 g3 active", emul_dr_active(s), 1);
    s.dr7 = 0x400 | BP_L(0);
    CHECK_EQ_CASE("EMUL-22 l0 active", emul_dr_active(s), 1);

    emul_dr_init(&s);
    emul_dr_note_db(&s, 0xFFFF0FF1u);
    CHECK_EQ_CASE("EMUL-23 b0 noted", s.dr6, 0xFFFF0FF1u);
    emul_dr_note_db(&s, 0xFFFF4FF0u);
    CHECK_EQ_CASE("EMUL-23 bs added, b0 kept", s.dr6, 0xFFFF4FF1u);
    emul_dr_note_db(&s, 0x0000F00Cu);
    CHECK_EQ_CASE("EMUL-23 reserved bits stay fixed", s.dr6, 0xFFFFEFFDu);
    CHECK_EQ_CASE("EMUL-23 guest clears", emul_dr_write(&s, 6, 0), 0);
    CHECK_EQ_CASE("EMUL-23 guest clears", s.dr6, 0xFFFF0FF0u);

    CHECK_EQ_CASE("EMUL-18 data bp hit not fatal",
                  emul_dr_hv_db_fatal(0xFFFF0FF1u, 0x400 | BP_L(0) | BP_RW(0, 1) | BP_LEN(0, 3)), 0);
    CHECK_EQ_CASE("EMUL-18 exec bp hit fatal",
                  emul_dr_hv_db_fatal(0xFFFF0FF4u, 0x400 | BP_G(2)), 1);
    CHECK_EQ_CASE("EMUL-18 exec bp disabled not fatal",
                  emul_dr_hv_db_fatal(0xFFFF0FF4u, 0x400 | BP_G(1)), 0);
    CHECK_EQ_CASE("EMUL-18 single step not fatal",
                  emul_dr_hv_db_fatal(0xFFFF4FF0u, 0x400 | BP_L(0)), 0);
}

static void test_dr_load(void)
{
    struct emul_dr_state s, before;
    uint32_t regs[8] = { 0 };

    emul_dr_init(&s);
    s.dr[1] = 0x1234;
    CHECK_EQ_CASE("EMUL-24 zeros give reset", emul_dr_load(&s, regs), 0);
    CHECK_EQ_CASE("EMUL-24 zeros give reset dr6", s.dr6, 0xFFFF0FF0u);
    CHECK_EQ_CASE("EMUL-24 zeros give reset dr7", s.dr7, 0x400);
    CHECK_EQ_CASE("EMUL-24 zeros give reset dr1", s.dr[1], 0);
    regs[0] = 0x1000;
    regs[2] = 0x2000;
    regs[4] = 0xDEAD;       /* ignored */
    regs[5] = 0xBEEF;       /* ignored */
    regs[6] = 1;
    regs[7] = BP_L(0) | BP_G(2) | BP_RW(2, 1) | BP_LEN(2, 3);
    CHECK_EQ_CASE("EMUL-24 breakpoints taken", emul_dr_load(&s, regs), 0);
    CHECK_EQ_CASE("EMUL-24 dr2", s.dr[2], 0x2000);
    CHECK_EQ_CASE("EMUL-24 dr6 fixed", s.dr6, 0xFFFF0FF1u);
    CHECK_EQ_CASE("EMUL-24 dr7 fixed", s.dr7, 0x400 | regs[7]);
    before = s;
    regs[3] = HVS;
    CHECK_EQ_CASE("EMUL-24 hv address refused", emul_dr_load(&s, regs), -EINVAL);
    CHECK_CASE_GE("EMUL-24 refusal keeps state", dr_same(&s, &before), 1);
    regs[3] = 0;
    regs[7] = EMUL_DR7_GD;
    CHECK_EQ_CASE("EMUL-24 gd refused", emul_dr_load(&s, regs), -EINVAL);
    CHECK_CASE_GE("EMUL-24 refusal keeps state", dr_same(&s, &before), 1);
}

/* A random walk of writes, biased to the boundary, never breaks it. */
static void test_dr_walk(void)
{
    static const uint32_t near[] = { HVS - 8, HVS - 7, HVS - 4, HVS - 2, HVS - 1, HVS,
                                     HVS + 1, 0xFFFFFFF8u, 0xFFFFFFFFu, 0, 0x1000 };
    struct emul_dr_state s;
    uint32_t i, bad = 0, accepted = 0, refused = 0, seed = 777;

    emul_dr_init(&s);
    for (i = 0; i < 100000; i++) {
        struct emul_dr_state before = s;
        uint32_t n, value;
        int rc;

        seed = seed * 1664525u + 1013904223u;
        n = (seed >> 8) % 9;
        value = (seed >> 4) % 2 ? near[(seed >> 12) % ARRAY_SIZE(near)]
                                : seed * 2654435761u;
        rc = emul_dr_write(&s, n, value);
        if (rc == 0)
            accepted++;
        else if ((rc == -EPERM || (rc == -ENODEV && n > 7)) && dr_same(&s, &before))
            refused++;
        else
            bad++;
        bad += !dr_invariant(&s);
    }
    CHECK_EQ_CASE("EMUL-9 walk", bad, 0);
    CHECK_CASE_GE("EMUL-9 walk accepted some", accepted, 1000);
    CHECK_CASE_GE("EMUL-9 walk refused some", refused, 1000);
}

int main(void)
{
    test_dr_table();
    test_dr_bits();
    test_dr_walk();
    test_dr_active_and_db();
    test_dr_load();
    return check_report();
}
