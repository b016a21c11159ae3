/*
 * Unit tests for hv/core/seg_lookup.c: the bounded selector lookup
 * (DESC-12) and the stack-segment judgement (DESC-13) of
 * spec/descriptors.md. Case names carry the rule IDs. seg_stack_check()
 * is also compared with a model written here with masks and shifts, the
 * way the CPU manuals state the checks, on pseudo-random descriptors.
 */
#include "check.h"
#include "seg_lookup.h"

/* ------------------------------------------------------------------ */
/* DESC-12: which table and entry                                      */

struct locate_case {
    const char *name;
    uint16_t sel;
    uint32_t gdt_ents, ldt_ents;
    uint32_t table, index;
};

static const struct locate_case locate_cases[] = {
    { "DESC-12 null selector names nothing", 0x0000, 7168, 8192, SEG_NONE, 0 },
    { "DESC-12 null selector RPL 3 names nothing", 0x0003, 7168, 8192, SEG_NONE, 0 },
    { "DESC-12 GDT entry 1 with one entry registered", 0x0009, 1, 0, SEG_NONE, 0 },
    { "DESC-12 GDT entry 1 with two entries", 0x0009, 2, 0, SEG_GDT, 1 },
    { "DESC-12 GDT entry past gdt_ents", 0x0321, 100, 0, SEG_NONE, 0 },
    { "DESC-12 GDT last registered entry", 0x0319, 100, 0, SEG_GDT, 99 },
    { "DESC-12 GDT entry 7167 with a full table", 0xDFF9, 7168, 0, SEG_GDT, 7167 },
    { "DESC-12 GDT count above 7168 never reaches the reserved page", 0xE019, 9000, 0,
      SEG_RESERVED, 3 },
    { "DESC-12 no guest GDT at all", 0x0011, 0, 0, SEG_NONE, 0 },
    { "DESC-12 reserved: hypervisor CS", 0xE008, 0, 0, SEG_RESERVED, 1 },
    { "DESC-12 reserved: flat ring-1 DS", FLAT_RING1_DS, 0, 0, SEG_RESERVED, 4 },
    { "DESC-12 reserved: flat ring-3 SS", FLAT_RING3_SS, 0, 0, SEG_RESERVED, 6 },
    { "DESC-12 reserved: last entry of the page", 0xEFFB, 0, 0, SEG_RESERVED, 511 },
    { "DESC-12 past the GDT (stack_switch 0xFFF9)", 0xFFF9, 7168, 8192, SEG_NONE, 0 },
    { "DESC-12 first entry past the reserved page", 0xF001, 7168, 8192, SEG_NONE, 0 },
    { "DESC-12 LDT selector with no LDT", 0x0007, 7168, 0, SEG_NONE, 0 },
    { "DESC-12 LDT entry 0 is not null", 0x0004, 0, 1, SEG_LDT, 0 },
    { "DESC-12 LDT last entry", 0x007F, 0, 16, SEG_LDT, 15 },
    { "DESC-12 LDT entry past a shrunk LDT", 0x0087, 0, 16, SEG_NONE, 0 },
    { "DESC-12 LDT entry 8191 of a full LDT", 0xFFFF, 0, 8192, SEG_LDT, 8191 },
};

static void test_locate(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(locate_cases); i++) {
        const struct locate_case *c = &locate_cases[i];
        uint32_t index = 0xDEAD;

        CHECK_EQ_CASE(c->name, seg_locate(c->sel, c->gdt_ents, c->ldt_ents, &index), c->table);
        CHECK_EQ_CASE(c->name, index, c->index);
    }
}

/* Every selector against a few table sizes: the result never lies past its table. */
static void test_locate_bounds(void)
{
    static const uint32_t sizes[] = { 0, 1, 16, 511, 512, 7168, 8192, 0xFFFFFFFFu };
    uint32_t s, g, l;

    for (g = 0; g < ARRAY_SIZE(sizes); g++)
        for (l = 0; l < ARRAY_SIZE(sizes); l++)
            for (s = 0; s < 0x10000u; s++) {
                uint32_t index = 0, t = seg_locate((uint16_t)s, sizes[g], sizes[l], &index);
                int ok = (t == SEG_NONE && index == 0) ||
                         (t == SEG_GDT && index >= 1 && index < sizes[g] && index < 7168 &&
                          index == s / 8 && !(s & 4)) ||
                         (t == SEG_RESERVED && index < 512 && index + 7168 == s / 8 && !(s & 4)) ||
                         (t == SEG_LDT && index < sizes[l] && index == s / 8 && (s & 4));
                if (!ok) {
                    char name[80];

                    snprintf(name, sizeof(name), "DESC-12 bound sel %04x gdt %u ldt %u",
                             s, sizes[g], sizes[l]);
                    CHECK_EQ_CASE(name, t, 0xFFFF);
                    return;
                }
            }
    CHECK(1);
}

/* ------------------------------------------------------------------ */
/* DESC-13: the stack segment                                          */

/* A data/code descriptor from its parts (G = 1 when g, D/B = 1 when big); a constant expression. */
#define SEG_HI(base, lim, type, dpl, p, g, big)                                                \
    ((((uint64_t)(base) >> 16) & 0xFFu) | ((uint64_t)(type) << 8) | (1ull << 12) |              \
     ((uint64_t)(dpl) << 13) | ((uint64_t)(p) << 15) | ((uint64_t)(lim) & 0xF0000u) |            \
     ((uint64_t)(big) << 22) | ((uint64_t)(g) << 23) | ((uint64_t)(base) & 0xFF000000u))
#define seg(base, lim, type, dpl, p, g, big)                                                   \
    (((uint64_t)(lim) & 0xFFFFu) | (((uint64_t)(base) & 0xFFFFu) << 16) |                       \
     (SEG_HI(base, lim, type, dpl, p, g, big) << 32))

#define FLAT_DS1 seg(0, 0xF67FF, 0x3, 1, 1, 1, 1)     /* the flat ring-1 data segment */

struct stack_case {
    const char *name;
    uint64_t desc;
    uint16_t sel;
    uint32_t top, bytes;
    int rc;
    uint32_t base;
};

static const struct stack_case stack_cases[] = {
    { "DESC-13 flat ring-1 DS takes a frame", FLAT_DS1, FLAT_RING1_DS, 0xC0010000u, 12,
      SEG_STACK_OK, 0 },
    { "DESC-13 based segment gives its base", seg(0x00400000u, 0xFFF, 0x3, 1, 1, 1, 1), 0x0011,
      0x1000, 24, SEG_STACK_OK, 0x00400000u },
    { "DESC-13 zero descriptor (unused GDT entry) is a system descriptor", 0, 0x0011, 0x1000, 12,
      SEG_STACK_TYPE, 0 },
    { "DESC-13 call gate refused", 0x0000EC00E0190000ull, 0x0011, 0x1000, 12, SEG_STACK_TYPE, 0 },
    { "DESC-13 code segment refused", seg(0, 0xF67FF, 0xB, 1, 1, 1, 1), 0x0011, 0x1000, 12,
      SEG_STACK_TYPE, 0 },
    { "DESC-13 read-only data refused", seg(0, 0xF67FF, 0x1, 1, 1, 1, 1), 0x0011, 0x1000, 12,
      SEG_STACK_TYPE, 0 },
    { "DESC-13 RPL 3 on a DPL-1 segment refused", FLAT_DS1, 0xE023, 0x1000, 12,
      SEG_STACK_PRIVILEGE, 0 },
    { "DESC-13 hypervisor DS (DPL 0) with RPL 1 refused", seg(0, 0xFFFFF, 0x3, 0, 1, 1, 1),
      0xE011, 0x1000, 12, SEG_STACK_PRIVILEGE, 0 },
    { "DESC-13 RPL 1 on a DPL-3 segment loads", seg(0, 0xF67FF, 0x3, 3, 1, 1, 1), 0x0019, 0x1000,
      12, SEG_STACK_OK, 0 },
    { "DESC-13 not present refused", seg(0, 0xF67FF, 0x3, 1, 0, 1, 1), 0x0011, 0x1000, 12,
      SEG_STACK_ABSENT, 0 },
    { "DESC-13 frame past a byte-granular limit", seg(0, 0xFFF, 0x3, 1, 1, 0, 1), 0x0011, 0x1001,
      12, SEG_STACK_LIMIT, 0 },
    { "DESC-13 frame ending at the limit", seg(0, 0xFFF, 0x3, 1, 1, 0, 1), 0x0011, 0x1000, 12,
      SEG_STACK_OK, 0 },
    { "DESC-13 frame wrapping below offset 0", FLAT_DS1, FLAT_RING1_DS, 8, 12, SEG_STACK_LIMIT, 0 },
    { "DESC-13 frame past the flat limit", FLAT_DS1, FLAT_RING1_DS, 0xF6800004u, 12,
      SEG_STACK_LIMIT, 0 },
    { "DESC-13 expand-down: above the limit", seg(0, 0xFFFF0, 0x7, 1, 1, 1, 1), 0x0011,
      0xFFFFFFF0u, 12, SEG_STACK_OK, 0 },
    { "DESC-13 expand-down: touching the limit", seg(0, 0xFFFF0, 0x7, 1, 1, 1, 1), 0x0011,
      0xFFFF000Cu, 12, SEG_STACK_LIMIT, 0 },
    { "DESC-13 expand-down 16-bit: past 0xFFFF", seg(0, 0x00000, 0x6, 1, 1, 0, 0), 0x0011,
      0x10004u, 12, SEG_STACK_LIMIT, 0 },
    { "DESC-13 expand-down 16-bit: at 0xFFFF", seg(0, 0x00000, 0x6, 1, 1, 0, 0), 0x0011,
      0x10000u, 12, SEG_STACK_OK, 0 },
    { "DESC-13 empty frame refused", FLAT_DS1, FLAT_RING1_DS, 0x1000, 0, SEG_STACK_LIMIT, 0 },
};

static void test_stack(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(stack_cases); i++) {
        const struct stack_case *c = &stack_cases[i];
        uint32_t base = 0x5A5A5A5Au;
        int rc = seg_stack_check(c->desc, c->sel, c->top, c->bytes, &base);

        CHECK_EQ_CASE(c->name, rc, c->rc);
        CHECK_EQ_CASE(c->name, base, rc == SEG_STACK_OK ? c->base : 0x5A5A5A5Au);
    }
}

/* The same checks with masks and shifts, as the manuals state them. */
static int model_stack(uint64_t d, uint16_t sel, uint32_t top, uint32_t bytes, uint32_t *base)
{
    uint32_t hi = (uint32_t)(d >> 32), lo = (uint32_t)d;
    uint32_t type = (hi >> 8) & 0xF, dpl = (hi >> 13) & 3;
    uint64_t limit = (lo & 0xFFFF) | (hi & 0xF0000);
    uint64_t first = (uint64_t)top - bytes, last = (uint64_t)top - 1, upper;

    if (!(hi & (1u << 12)) || (type & 8) || !(type & 2))
        return SEG_STACK_TYPE;
    if (dpl < (sel & 3u))
        return SEG_STACK_PRIVILEGE;
    if (!(hi & (1u << 15)))
        return SEG_STACK_ABSENT;
    if (hi & (1u << 23))
        limit = (limit << 12) | 0xFFF;
    upper = (hi & (1u << 22)) ? 0xFFFFFFFFull : 0xFFFFull;
    if (bytes == 0 || bytes > top)
        return SEG_STACK_LIMIT;
    if ((type & 4) ? (first <= limit || last > upper) : last > limit)
        return SEG_STACK_LIMIT;
    *base = (lo >> 16) | ((hi & 0xFF) << 16) | (hi & 0xFF000000u);
    return SEG_STACK_OK;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void test_stack_model(void)
{
    unsigned n, mismatches = 0;

    for (n = 0; n < 1000000u && mismatches < 5; n++) {
        uint64_t d = rnd();
        uint16_t sel = (uint16_t)rnd();
        uint32_t top = (uint32_t)rnd(), bytes = 4u * (uint32_t)(rnd() % 11u);
        uint32_t b1 = 1, b2 = 1;
        int r1, r2;

        if (n % 4 == 0)             /* make the type checks pass often */
            d |= 0x0000920000000000ull;
        if (n % 8 == 0)
            top %= 0x20000u;
        r1 = seg_stack_check(d, sel, top, bytes, &b1);
        r2 = model_stack(d, sel, top, bytes, &b2);
        if (r1 != r2 || b1 != b2) {
            char name[96];

            snprintf(name, sizeof(name), "DESC-13 model: desc %016llx sel %04x top %08x bytes %u",
                     (unsigned long long)d, sel, top, bytes);
            CHECK_EQ_CASE(name, r1, r2);
            CHECK_EQ_CASE(name, b1, b2);
            mismatches++;
        }
    }
    CHECK_EQ(mismatches, 0);
}

int main(void)
{
    test_locate();
    test_locate_bounds();
    test_stack();
    test_stack_model();
    return check_report();
}
