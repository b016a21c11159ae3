/*
 * Unit tests for the descriptor checker (hv/core/desc_check.c), one or
 * more cases per rule of spec/descriptors.md (case names carry the rule
 * ID), then two cross-checks over a million pseudo-random descriptors:
 *  - against a reference model of Xen 4.2's 32-bit check_descriptor,
 *    written here independently with masks and shifts (the only intended
 *    difference, DESC-11, is built into the model);
 *  - against the security property itself: every linear address an
 *    accepted segment can reach is below GUEST_SEGMENT_MAX_ADDR, no
 *    present descriptor has DPL 0, and the only system descriptors left
 *    are call gates to guest selectors with RPL >= 1.
 */
#include "check.h"
#include "desc_check.h"

#define MAX_ADDR GUEST_SEGMENT_MAX_ADDR

/* Descriptor bits, in the high word. */
#define HI_S     0x1000u
#define HI_P     0x8000u
#define HI_DB    0x400000u
#define HI_G     0x800000u

/* Types (with S=1: data 0-7, code 8-15; with S=0: system). */
#define T_DATA_RW    0x2u
#define T_DATA_RW_ED 0x6u
#define T_CODE_RX    0xAu
#define T_CODE_CONF  0xEu
#define T_LDT        0x2u
#define T_TSS32      0x9u
#define T_TASK_GATE  0x5u
#define T_CALL16     0x4u
#define T_INT_GATE   0xEu
#define T_TRAP_GATE  0xFu

static uint64_t mk(uint32_t lo, uint32_t hi)
{
    return ((uint64_t)hi << 32) | lo;
}

/* A code/data segment: raw 20-bit limit, type 0-15, dpl, flags (HI_G, HI_DB). */
static uint64_t seg(uint32_t base, uint32_t raw_limit, uint32_t type, uint32_t dpl,
                    uint32_t flags)
{
    uint32_t lo = (base << 16) | (raw_limit & 0xFFFFu);
    uint32_t hi = (base & 0xFF000000u) | ((base >> 16) & 0xFFu) | (type << 8) | HI_S |
                  (dpl << 13) | HI_P | (raw_limit & 0xF0000u) | flags;
    return mk(lo, hi);
}

/* A present system descriptor of `type` with selector/offset words. */
static uint64_t sys(uint32_t type, uint32_t dpl, uint16_t sel, uint32_t offset, uint32_t count)
{
    uint32_t lo = ((uint32_t)sel << 16) | (offset & 0xFFFFu);
    uint32_t hi = (offset & 0xFFFF0000u) | (type << 8) | (dpl << 13) | HI_P | (count & 0xFFu);
    return mk(lo, hi);
}

static uint32_t d_hi(uint64_t d) { return (uint32_t)(d >> 32); }
static uint32_t d_lo(uint64_t d) { return (uint32_t)d; }
static uint32_t d_dpl(uint64_t d) { return (d_hi(d) >> 13) & 3u; }
static uint32_t d_raw_limit(uint64_t d) { return (d_hi(d) & 0xF0000u) | (d_lo(d) & 0xFFFFu); }
static uint16_t d_sel(uint64_t d) { return (uint16_t)(d_lo(d) >> 16); }

struct desc_case {
    const char *name;
    uint64_t in;
    int rc;
    uint64_t out;      /* expected descriptor afterwards */
};

/* The ring-1 flat code segment Xen builds (limit ends at the M2P end). */
#define FLAT_LIMIT ((MAX_ADDR - 1) >> 12)

static const struct desc_case *cases_init(size_t *n)
{
    static struct desc_case c[64];
    size_t i = 0;

#define CASE(nm, inval, r, outval) c[i++] = (struct desc_case){ nm, inval, r, outval }
    /* DESC-1 */
    CASE("DESC-1 not-present TSS, DPL 0, kept as is",
         sys(T_TSS32, 0, 0, 0, 0) & ~((uint64_t)HI_P << 32), 0,
         sys(T_TSS32, 0, 0, 0, 0) & ~((uint64_t)HI_P << 32));
    CASE("DESC-1 not-present 4 GiB DPL-0 code kept as is",
         seg(0, 0xFFFFF, T_CODE_RX, 0, HI_G) & ~((uint64_t)HI_P << 32), 0,
         seg(0, 0xFFFFF, T_CODE_RX, 0, HI_G) & ~((uint64_t)HI_P << 32));
    CASE("DESC-1 all-zero entry", 0, 0, 0);
    /* DESC-2 */
    CASE("DESC-2 DPL-0 code raised to 1", seg(0x1000, 0x10, T_CODE_RX, 0, HI_G | HI_DB), 0,
         seg(0x1000, 0x10, T_CODE_RX, 1, HI_G | HI_DB));
    CASE("DESC-2 DPL-0 data raised to 1", seg(0, 0xFF, T_DATA_RW, 0, 0), 0,
         seg(0, 0xFF, T_DATA_RW, 1, 0));
    CASE("DESC-2 DPL-3 data kept", seg(0, 0xFF, T_DATA_RW, 3, 0), 0,
         seg(0, 0xFF, T_DATA_RW, 3, 0));
    CASE("DESC-2 DPL-2 conforming code kept", seg(0, 0xFF, T_CODE_CONF, 2, HI_G), 0,
         seg(0, 0xFF, T_CODE_CONF, 2, HI_G));
    /* DESC-3 */
    CASE("DESC-3 task gate refused", sys(T_TASK_GATE, 3, 0x0010, 0, 0), -EINVAL,
         sys(T_TASK_GATE, 3, 0x0010, 0, 0));
    CASE("DESC-3 interrupt gate refused", sys(T_INT_GATE, 1, 0xE019, 0x1000, 0), -EINVAL,
         sys(T_INT_GATE, 1, 0xE019, 0x1000, 0));
    CASE("DESC-3 trap gate refused", sys(T_TRAP_GATE, 3, 0xE019, 0x1000, 0), -EINVAL,
         sys(T_TRAP_GATE, 3, 0xE019, 0x1000, 0));
    CASE("DESC-3 TSS refused", sys(T_TSS32, 1, 0, 0x67, 0), -EINVAL, sys(T_TSS32, 1, 0, 0x67, 0));
    CASE("DESC-3 LDT descriptor refused", sys(T_LDT, 1, 0, 0xFFF, 0), -EINVAL,
         sys(T_LDT, 1, 0, 0xFFF, 0));
    CASE("DESC-3 16-bit call gate refused", sys(T_CALL16, 3, 0x0011, 0x1000, 0), -EINVAL,
         sys(T_CALL16, 3, 0x0011, 0x1000, 0));
    CASE("DESC-3 type 0 refused", sys(0, 1, 0, 0, 0), -EINVAL, sys(0, 1, 0, 0, 0));
    CASE("DESC-3/DESC-11 refused DPL-0 gate left unchanged", sys(T_INT_GATE, 0, 0xE008, 0, 0),
         -EINVAL, sys(T_INT_GATE, 0, 0xE008, 0, 0));
    /* DESC-4 */
    CASE("DESC-4 call gate RPL 0 raised to 1", sys(DESC_TYPE_CALL_GATE32, 3, 0x0010, 0xC0001234, 2),
         0, sys(DESC_TYPE_CALL_GATE32, 3, 0x0011, 0xC0001234, 2));
    CASE("DESC-4 call gate RPL 3 kept", sys(DESC_TYPE_CALL_GATE32, 3, 0x0013, 0x1234, 0), 0,
         sys(DESC_TYPE_CALL_GATE32, 3, 0x0013, 0x1234, 0));
    CASE("DESC-2/DESC-4 DPL-0 call gate raised", sys(DESC_TYPE_CALL_GATE32, 0, 0x0010, 0x1234, 0),
         0, sys(DESC_TYPE_CALL_GATE32, 1, 0x0011, 0x1234, 0));
    /* DESC-5 */
    CASE("DESC-5 call gate to hypervisor CS refused", sys(DESC_TYPE_CALL_GATE32, 3, 0xE008, 0, 0),
         -EINVAL, sys(DESC_TYPE_CALL_GATE32, 3, 0xE008, 0, 0));
    CASE("DESC-5 call gate to hypervisor DS refused", sys(DESC_TYPE_CALL_GATE32, 3, 0xE011, 0, 0),
         -EINVAL, sys(DESC_TYPE_CALL_GATE32, 3, 0xE011, 0, 0));
    CASE("DESC-5 call gate to FLAT_RING3_CS refused",
         sys(DESC_TYPE_CALL_GATE32, 3, FLAT_RING3_CS, 0, 0), -EINVAL,
         sys(DESC_TYPE_CALL_GATE32, 3, FLAT_RING3_CS, 0, 0));
    CASE("DESC-5 call gate to GDT entry 7168 refused", sys(DESC_TYPE_CALL_GATE32, 3, 0xE001, 0, 0),
         -EINVAL, sys(DESC_TYPE_CALL_GATE32, 3, 0xE001, 0, 0));
    CASE("DESC-5 call gate to FLAT_RING1_CS accepted",
         sys(DESC_TYPE_CALL_GATE32, 3, FLAT_RING1_CS, 0x100, 0), 0,
         sys(DESC_TYPE_CALL_GATE32, 3, FLAT_RING1_CS, 0x100, 0));
    CASE("DESC-4/DESC-5 0xE018 becomes FLAT_RING1_CS", sys(DESC_TYPE_CALL_GATE32, 3, 0xE018, 0, 0),
         0, sys(DESC_TYPE_CALL_GATE32, 3, FLAT_RING1_CS, 0, 0));
    CASE("DESC-5 call gate to GDT entry 7167 accepted", sys(DESC_TYPE_CALL_GATE32, 1, 0xDFF9, 0, 0),
         0, sys(DESC_TYPE_CALL_GATE32, 1, 0xDFF9, 0, 0));
    CASE("DESC-5 call gate to high LDT selector accepted",
         sys(DESC_TYPE_CALL_GATE32, 3, 0xE00D, 0, 0), 0,
         sys(DESC_TYPE_CALL_GATE32, 3, 0xE00D, 0, 0));
    /* DESC-6 */
    CASE("DESC-6 parameter count 31 accepted", sys(DESC_TYPE_CALL_GATE32, 3, 0x0011, 0, 31), 0,
         sys(DESC_TYPE_CALL_GATE32, 3, 0x0011, 0, 31));
    CASE("DESC-6 reserved bit 5 refused", sys(DESC_TYPE_CALL_GATE32, 3, 0x0011, 0, 0x20), -EINVAL,
         sys(DESC_TYPE_CALL_GATE32, 3, 0x0011, 0, 0x20));
    CASE("DESC-6 reserved bit 7 refused", sys(DESC_TYPE_CALL_GATE32, 3, 0x0011, 0, 0x80), -EINVAL,
         sys(DESC_TYPE_CALL_GATE32, 3, 0x0011, 0, 0x80));
    /* DESC-7 */
    CASE("DESC-7 base one page below the end refused", seg(MAX_ADDR - 4096, 0, T_DATA_RW, 1, 0),
         -EINVAL, seg(MAX_ADDR - 4096, 0, T_DATA_RW, 1, 0));
    CASE("DESC-7 base in the hypervisor refused", seg(0xFC000000u, 0, T_CODE_RX, 1, 0), -EINVAL,
         seg(0xFC000000u, 0, T_CODE_RX, 1, 0));
    CASE("DESC-7 base just below the bound accepted", seg(MAX_ADDR - 4097, 0x0FFF, T_DATA_RW, 1, 0),
         0, seg(MAX_ADDR - 4097, 0x0FFF, T_DATA_RW, 1, 0));
    /* DESC-8 */
    CASE("DESC-8 flat 4 GiB code truncated at the M2P end", seg(0, 0xFFFFF, T_CODE_RX, 1, HI_G | HI_DB),
         0, seg(0, FLAT_LIMIT, T_CODE_RX, 1, HI_G | HI_DB));
    CASE("DESC-8 Xen's flat ring-3 data kept", seg(0, FLAT_LIMIT, T_DATA_RW, 3, HI_G | HI_DB), 0,
         seg(0, FLAT_LIMIT, T_DATA_RW, 3, HI_G | HI_DB));
    CASE("DESC-8 base 0x1000 4 GiB data truncated", seg(0x1000, 0xFFFFF, T_DATA_RW, 1, HI_G), 0,
         seg(0x1000, FLAT_LIMIT - 1, T_DATA_RW, 1, HI_G));
    CASE("DESC-8 unaligned base truncated to whole pages", seg(0x1800, 0xFFFFF, T_DATA_RW, 1, HI_G), 0,
         seg(0x1800, FLAT_LIMIT - 2, T_DATA_RW, 1, HI_G));
    CASE("DESC-8 one page past the end truncated", seg(0xF6000000u, 0x800, T_DATA_RW, 1, HI_G), 0,
         seg(0xF6000000u, 0x7FF, T_DATA_RW, 1, HI_G));
    CASE("DESC-8 ending exactly at the end kept", seg(0xF6000000u, 0x7FF, T_DATA_RW, 1, HI_G), 0,
         seg(0xF6000000u, 0x7FF, T_DATA_RW, 1, HI_G));
    CASE("DESC-8 byte-granular ending exactly at the end kept",
         seg(MAX_ADDR - 0x100000, 0xFFFFF, T_DATA_RW, 1, 0), 0,
         seg(MAX_ADDR - 0x100000, 0xFFFFF, T_DATA_RW, 1, 0));
    /* DESC-9 */
    CASE("DESC-9 expand-down base 0 limit 0 shrunk to nothing", seg(0, 0, T_DATA_RW_ED, 1, HI_G | HI_DB),
         0, seg(0, 0xFFFFF, T_DATA_RW_ED, 1, HI_G | HI_DB));
    CASE("DESC-9 expand-down base 0x5000 shrunk below its base",
         seg(0x5123, 0x10, T_DATA_RW_ED, 1, HI_G | HI_DB), 0,
         seg(0x5123, 0xFFFFA, T_DATA_RW_ED, 1, HI_G | HI_DB));
    CASE("DESC-9 expand-down that wraps kept", seg(0x10000000u, 0xF0000, T_DATA_RW_ED, 1, HI_G | HI_DB),
         0, seg(0x10000000u, 0xF0000, T_DATA_RW_ED, 1, HI_G | HI_DB));
    CASE("DESC-9 expand-down limit 4 GiB (no access) kept", seg(0x1000, 0xFFFFF, T_DATA_RW_ED, 1, HI_G),
         0, seg(0x1000, 0xFFFFF, T_DATA_RW_ED, 1, HI_G));
    /* DESC-10 */
    CASE("DESC-10 byte-granular past the end refused", seg(MAX_ADDR - 0xFFFFF, 0xFFFFF, T_DATA_RW, 1, 0),
         -EINVAL, seg(MAX_ADDR - 0xFFFFF, 0xFFFFF, T_DATA_RW, 1, 0));
    CASE("DESC-10 byte-granular expand-down refused", seg(0x10000, 0x100, T_DATA_RW_ED, 1, HI_DB),
         -EINVAL, seg(0x10000, 0x100, T_DATA_RW_ED, 1, HI_DB));
    CASE("DESC-10/DESC-11 refused DPL-0 segment left unchanged",
         seg(MAX_ADDR - 0xFFFFF, 0xFFFFF, T_CODE_RX, 0, 0), -EINVAL,
         seg(MAX_ADDR - 0xFFFFF, 0xFFFFF, T_CODE_RX, 0, 0));
#undef CASE
    *n = i;
    return c;
}

static void test_cases(void)
{
    size_t n, i;
    const struct desc_case *c = cases_init(&n);

    for (i = 0; i < n; i++) {
        uint64_t d = c[i].in;
        int rc = desc_check(&d);

        CHECK_EQ_CASE(c[i].name, rc, c[i].rc);
        CHECK_EQ_CASE(c[i].name, d_hi(d), d_hi(c[i].out));
        CHECK_EQ_CASE(c[i].name, d_lo(d), d_lo(c[i].out));
    }
}

static void test_gate_selector(void)
{
    static const struct { uint16_t sel; bool ok; } t[] = {
        { 0x0000, true }, { 0x0008, true }, { 0xDFFB, true }, { 0xE000, false },
        { 0xE008, false }, { 0xE010, false }, { FLAT_RING1_CS, true }, { 0xE018, false },
        { FLAT_RING1_DS, false }, { FLAT_RING3_CS, false }, { 0xE004, true }, { 0xFFFF, true },
        { 0xFFFB, false },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(t); i++) {
        char name[48];

        snprintf(name, sizeof(name), "DESC-5 selector %#x", t[i].sel);
        CHECK_EQ_CASE(name, desc_gate_selector_ok(t[i].sel), t[i].ok);
    }
}

static void test_table(void)
{
    uint64_t t[4];
    const uint64_t dpl0 = seg(0, 0xFFFFF, T_CODE_RX, 0, HI_G | HI_DB);

    /* DESC-11: one bad entry and nothing changes, not even the first fix-up */
    t[0] = dpl0;
    t[1] = 0;
    t[2] = seg(0, 0xFFFFF, T_DATA_RW, 3, HI_G | HI_DB);
    t[3] = sys(T_TSS32, 1, 0, 0x67, 0);
    CHECK_EQ_CASE("DESC-11 table with a TSS", desc_check_table(t, 4), -EINVAL);
    CHECK_EQ_CASE("DESC-11 table unchanged", t[0], dpl0);
    CHECK_EQ_CASE("DESC-11 table unchanged", t[2], seg(0, 0xFFFFF, T_DATA_RW, 3, HI_G | HI_DB));

    t[3] = sys(DESC_TYPE_CALL_GATE32, 3, 0x0008, 0x1000, 0);
    CHECK_EQ_CASE("DESC-11 good table", desc_check_table(t, 4), 0);
    CHECK_EQ_CASE("DESC-11 good table", t[0], seg(0, FLAT_LIMIT, T_CODE_RX, 1, HI_G | HI_DB));
    CHECK_EQ_CASE("DESC-11 good table", t[1], 0);
    CHECK_EQ_CASE("DESC-11 good table", t[2], seg(0, FLAT_LIMIT, T_DATA_RW, 3, HI_G | HI_DB));
    CHECK_EQ_CASE("DESC-11 good table", t[3], sys(DESC_TYPE_CALL_GATE32, 3, 0x0009, 0x1000, 0));
    CHECK_EQ_CASE("DESC-11 empty table", desc_check_table(t, 0), 0);
}

/*
 * Reference: Xen 4.2's rules, in mask-and-shift form, writing back only
 * on acceptance (DESC-11).
 */
static int ref_check(uint64_t *desc)
{
    uint32_t a = d_lo(*desc), b = d_hi(*desc);
    uint32_t base, limit;

    if (!(b & HI_P))
        return 0;
    if ((b & 0x6000u) == 0)
        b |= 0x2000u;
    if (!(b & HI_S)) {
        uint32_t cs = a >> 16;

        if ((b & 0xF00u) != 0xC00u)
            return -EINVAL;
        if ((cs & 3u) == 0)
            cs |= 1u;
        if (!((cs >> 3) < 7168u || cs == 0xE019u || (cs & 4u)))
            return -EINVAL;
        if (b & 0xE0u)
            return -EINVAL;
        a = (a & 0xFFFFu) | (cs << 16);
    } else {
        base = (b & 0xFF000000u) | ((b & 0xFFu) << 16) | (a >> 16);
        if (base >= MAX_ADDR - 4096u)
            return -EINVAL;
        limit = ((b & 0xF0000u) | (a & 0xFFFFu)) + 1u;
        if (b & HI_G)
            limit <<= 12;
        if ((b & 0xC00u) == 0x400u) {
            if (base + limit > base) {
                limit = 0u - (base & ~0xFFFu);
                goto truncate;
            }
        } else if (base + limit <= base || base + limit > MAX_ADDR) {
            limit = MAX_ADDR - base;
        truncate:
            if (!(b & HI_G))
                return -EINVAL;
            limit = (limit >> 12) - 1u;
            a = (a & ~0xFFFFu) | (limit & 0xFFFFu);
            b = (b & ~0xF0000u) | (limit & 0xF0000u);
        }
    }
    *desc = mk(a, b);
    return 0;
}

/* The security property of an accepted descriptor, checked from the bits. */
static bool reach_safe(uint64_t d)
{
    uint32_t hi = d_hi(d);
    uint64_t base = ((hi & 0xFF000000u) | ((hi & 0xFFu) << 16) | (d_lo(d) >> 16));
    uint64_t limit = d_raw_limit(d);
    uint64_t first, last;    /* accessible offsets */

    if (hi & HI_G)
        limit = (limit << 12) | 0xFFFu;
    if (((hi >> 8) & 0xCu) == 0x4u) {           /* expand-down data */
        last = (hi & HI_DB) ? 0xFFFFFFFFu : 0xFFFFu;
        if (limit >= last)
            return true;                        /* no offset is valid */
        first = limit + 1;
    } else {
        first = 0;
        last = limit;
    }
    if (base + first >= 0x100000000ull)          /* wholly wrapped */
        return base + last - 0x100000000ull < MAX_ADDR;
    return base + last < MAX_ADDR;              /* straddling fails here too */
}

static bool safe(uint64_t d)
{
    uint32_t hi = d_hi(d);

    if (!(hi & HI_P))
        return true;
    if (d_dpl(d) == 0)
        return false;
    if (hi & HI_S)
        return reach_safe(d);
    return ((hi >> 8) & 0xFu) == 0xCu && (d_sel(d) & 3u) != 0 &&
           desc_gate_selector_ok(d_sel(d)) && (hi & 0xE0u) == 0;
}

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Mostly-present descriptors with bases and limits near the boundaries. */
static uint64_t random_desc(void)
{
    static const uint32_t bases[] = { 0, 0x1000, 0xF6000000u, MAX_ADDR - 4097, MAX_ADDR - 4096,
                                      MAX_ADDR - 0x100000, 0xFFFFF000u, 0x80000000u };
    static const uint32_t limits[] = { 0, 1, 0xFFF, 0xF67FE, 0xF67FF, 0xF6800, 0xFFFFE, 0xFFFFF };
    uint64_t r = rnd(), d;

    switch (r % 4) {
    case 0:
        return rnd();
    case 1:
        d = seg(bases[(r >> 8) % 8] + (uint32_t)((r >> 16) % 3) - 1, limits[(r >> 24) % 8],
                (uint32_t)(r >> 32) % 16, (uint32_t)(r >> 36) % 4,
                (uint32_t)(r >> 40) & (HI_G | HI_DB | 0x700000u));
        return d;
    case 2:
        return seg((uint32_t)rnd(), (uint32_t)(r >> 8) & 0xFFFFF, (uint32_t)(r >> 32) % 16,
                   (uint32_t)(r >> 36) % 4, (uint32_t)(r >> 40) & (HI_G | HI_DB));
    default:
        return sys((uint32_t)(r >> 8) % 16, (uint32_t)(r >> 12) % 4, (uint16_t)(r >> 16),
                   (uint32_t)(r >> 32), (uint32_t)(r >> 48) & ((r & 0x10) ? 0xFFu : 0x1Fu));
    }
}

static void test_random(void)
{
    unsigned i, mismatches = 0, unsafe = 0, changed_on_refusal = 0, accepted = 0;

    for (i = 0; i < 1000000u; i++) {
        uint64_t in = random_desc(), got = in, want = in;
        int rc = desc_check(&got);
        int want_rc = ref_check(&want);

        if (rc != want_rc || got != want) {
            if (mismatches++ < 5)
                fprintf(stderr, "mismatch: in %016llx got %d %016llx want %d %016llx\n",
                        (unsigned long long)in, rc, (unsigned long long)got, want_rc,
                        (unsigned long long)want);
        }
        if (rc == 0) {
            accepted++;
            if (!safe(got) && unsafe++ < 5)
                fprintf(stderr, "unsafe: in %016llx out %016llx\n", (unsigned long long)in,
                        (unsigned long long)got);
        } else if (got != in) {
            changed_on_refusal++;
        }
    }
    CHECK_EQ_CASE("DESC-1..10 agree with the Xen 4.2 model", mismatches, 0);
    CHECK_EQ_CASE("DESC-SAFE every accepted descriptor is safe", unsafe, 0);
    CHECK_EQ_CASE("DESC-11 refusals change nothing", changed_on_refusal, 0);
    CHECK_CASE_GE("random inputs exercise acceptance", accepted, 100000);
}

int main(void)
{
    test_cases();
    test_gate_selector();
    test_table();
    test_random();
    return check_report();
}
