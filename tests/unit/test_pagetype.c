/*
 * The page-type state machine (hv/core/pagetype.c, pt_table.c): single
 * frame transitions, validation and devalidation of real tables built by
 * the fixture, pins, and every way a table could be misused. The audit
 * runs after every mutating step.
 */
#include <stdlib.h>

#include "check.h"
#include "pt_fixture.h"

static struct fx fx;
static struct frame snap[FX_FRAMES];

#define AUDIT_OK() CHECK_EQ(fx_audit(&fx), 0)

static void take_snapshot(void)
{
    memcpy(snap, fx.frames, sizeof(snap));
}

static bool unchanged(void)
{
    return memcmp(snap, fx.frames, sizeof(snap)) == 0;
}

static struct pt_ctx *dom1(void)
{
    return &fx.ctx[0];
}

/* ---- one frame ---------------------------------------------------------- */

static void test_transitions(void)
{
    struct frame f = { 0, 0, 1, PGT_NONE, 0, 0 };

    CHECK_EQ_CASE("PT-15 bad type refused", pt_type_get(&f, PGT_NONE), -EINVAL);
    CHECK_EQ_CASE("PT-15 untyped frame takes the type", pt_type_get(&f, PGT_L1), PT_TYPE_NEW);
    CHECK_EQ_CASE("PT-14 under validation refused", pt_type_get(&f, PGT_L1), -EINVAL);
    pt_type_validated(&f);
    CHECK_EQ_CASE("PT-15 same type held", pt_type_get(&f, PGT_L1), PT_TYPE_HELD);
    CHECK_EQ(f.type_count, 2);
    CHECK_EQ_CASE("PT-15 other type refused", pt_type_get(&f, PGT_WRITABLE), -EINVAL);
    CHECK_EQ(f.type_count, 2);
    CHECK_EQ(pt_type_put(&f), 0);
    CHECK_EQ_CASE("PT-25 pin", pt_pin_set(&f), 0);
    CHECK_EQ_CASE("PT-25 pin twice", pt_pin_set(&f), -EINVAL);
    CHECK_EQ_CASE("PT-25 last ref belongs to the pin", pt_type_put(&f), -EINVAL);
    CHECK_EQ(pt_pin_clear(&f), 0);
    CHECK_EQ_CASE("PT-25 unpin twice", pt_pin_clear(&f), -EINVAL);
    CHECK_EQ_CASE("PT-18 last put", pt_type_put(&f), PT_TYPE_LAST);
    CHECK(f.type == PGT_NONE && f.type_count == 0 && f.flags == 0);
    CHECK_EQ_CASE("PT-16 type underflow refused", pt_type_put(&f), -EINVAL);
    CHECK_EQ(f.type_count, 0);
    CHECK_EQ_CASE("PT-15 retype at zero", pt_type_get(&f, PGT_WRITABLE), PT_TYPE_NEW);
    pt_type_abort(&f);
    CHECK(f.type == PGT_NONE && f.type_count == 0);

    f.refcount = PT_COUNT_MAX;
    CHECK_EQ_CASE("PT-16 refcount overflow refused", pt_ref_get(&f), -EOVERFLOW);
    CHECK_EQ(f.refcount, PT_COUNT_MAX);
    f.refcount = 0;
    CHECK_EQ_CASE("PT-16 refcount underflow refused", pt_ref_put(&f), -EINVAL);
    CHECK_EQ(f.refcount, 0);
    f.type = PGT_WRITABLE;
    f.type_count = PT_COUNT_MAX;
    f.flags = FRAME_VALIDATED;
    CHECK_EQ_CASE("PT-16 type count overflow refused", pt_type_get(&f, PGT_WRITABLE),
                  -EOVERFLOW);
    CHECK_EQ(f.type_count, PT_COUNT_MAX);
}

/* ---- a built address space ---------------------------------------------- */

static void test_build(void)
{
    struct fx_space *s = &fx.sp[0];

    CHECK_EQ(fx_build(&fx, 0), 0);
    AUDIT_OK();
    CHECK_EQ(fx_frame(&fx, s->l3)->type, PGT_L3);
    CHECK_EQ(fx_frame(&fx, s->l3)->type_count, 2);          /* pin + CR3 */
    CHECK(pt_frame_pinned(fx_frame(&fx, s->l3)));
    CHECK_EQ(fx_frame(&fx, s->l2_low)->type, PGT_L2);
    CHECK_EQ(fx_frame(&fx, s->l2_xen)->type, PGT_L2_XEN);
    CHECK_EQ(fx_frame(&fx, s->l2_xen)->type_count, 1);
    CHECK_EQ(fx_frame(&fx, s->l1)->type, PGT_L1);
    CHECK_EQ(fx_frame(&fx, s->l1)->refcount, 2);            /* L2 entry + own RO map */
    CHECK_EQ(fx_frame(&fx, s->data[0])->type, PGT_WRITABLE);
    CHECK_EQ(fx_frame(&fx, s->data[0])->refcount, 2);       /* RW + RO (l1_hi) */
    CHECK_EQ_CASE("PT-12 hypervisor slots installed", fx_peek(s->l2_xen, PT_XEN_FIRST_SLOT),
                  fx.xen_slots[0]);
    CHECK_EQ(fx_peek(s->l2_xen, 511), fx.xen_slots[PT_XEN_SLOTS - 1]);
    CHECK_EQ(dom1()->cr3_mfn, s->l3);
    CHECK_EQ(hosted_hw()->last_cr3, s->l3);
}

/* A fresh L1 of domain 1 whose entries map its data frames RW. */
static uint32_t new_l1(unsigned nr_rw)
{
    uint32_t l1 = fx_alloc(&fx, 0), i;

    for (i = 0; i < nr_rw; i++)
        fx_poke(l1, i, fx_pte(fx.sp[0].data[i % FX_NR_DATA], FX_RW));
    return l1;
}

/* PT-17: a failing entry undoes the references already taken. */
static void test_all_or_nothing(void)
{
    uint32_t l1 = new_l1(4), good = new_l1(2), l2 = fx_alloc(&fx, 0);
    uint32_t l3 = fx_alloc(&fx, 0), xl2 = fx_alloc(&fx, 0);

    fx_poke(l1, 300, fx_pte(fx.sp[0].data[1], FX_RO | PTE_G));
    take_snapshot();
    CHECK_EQ_CASE("PT-17 L1 with a bad last entry", pt_pin_table(dom1(), l1, PGT_L1), -EINVAL);
    CHECK_EQ_CASE("PT-17 L1 refs undone", unchanged(), true);
    AUDIT_OK();

    fx_poke(l2, 0, fx_pte(good, FX_TAB));
    fx_poke(l2, 1, fx_pte(l1, FX_TAB));
    CHECK_EQ_CASE("PT-17 L2 over a bad L1", pt_pin_table(dom1(), l2, PGT_L2), -EINVAL);
    CHECK_EQ_CASE("PT-17 L2 undone, good L1 untyped again", unchanged(), true);
    CHECK_EQ(fx_frame(&fx, good)->type, PGT_NONE);
    AUDIT_OK();

    fx_poke(l1, 300, 0);           /* now l2 validates, but slot 3's L2 will not */
    fx_poke(xl2, 7, fx_pte(fx.sp[0].data[0], FX_TAB));      /* L2 entry to data */
    fx_poke(l3, 0, fx_pte(l2, FX_PDPTE));
    fx_poke(l3, 3, fx_pte(xl2, FX_PDPTE));
    CHECK_EQ_CASE("PT-17 L3 with a bad slot 3", pt_pin_table(dom1(), l3, PGT_L3), -EINVAL);
    CHECK_EQ_CASE("PT-17 L3 undone through two levels", unchanged(), true);
    AUDIT_OK();

    fx_poke(xl2, 7, 0);
    CHECK_EQ(pt_pin_table(dom1(), l3, PGT_L3), 0);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-18 unpin devalidates three levels", pt_unpin_table(dom1(), l3), 0);
    CHECK_EQ_CASE("PT-18 all references released", unchanged(), true);
    CHECK_EQ_CASE("PT-12 hypervisor slots cleared", fx_peek(xl2, PT_XEN_FIRST_SLOT), 0);
    AUDIT_OK();
}

static void test_pins(void)
{
    uint32_t l1 = new_l1(1), data = fx.sp[0].data[2];

    CHECK_EQ_CASE("PT-25 pin L1", pt_pin_table(dom1(), l1, PGT_L1), 0);
    AUDIT_OK();
    CHECK(fx_frame(&fx, l1)->type_count == 1 && fx_frame(&fx, l1)->refcount == 1);
    CHECK_EQ_CASE("PT-25 pin twice", pt_pin_table(dom1(), l1, PGT_L1), -EINVAL);
    CHECK_EQ_CASE("PT-25 pin as another type", pt_pin_table(dom1(), l1, PGT_L2), -EINVAL);
    CHECK_EQ_CASE("PT-25 pin non-table type", pt_pin_table(dom1(), l1, PGT_WRITABLE), -EINVAL);
    CHECK_EQ_CASE("PT-25 unpin", pt_unpin_table(dom1(), l1), 0);
    CHECK(fx_frame(&fx, l1)->type == PGT_NONE && fx_frame(&fx, l1)->refcount == 0);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-25 unpin not pinned", pt_unpin_table(dom1(), l1), -EINVAL);
    CHECK_EQ_CASE("PT-25 unpin a mapped data frame", pt_unpin_table(dom1(), data), -EINVAL);
    CHECK_EQ_CASE("PT-6 pin a hypervisor frame", pt_pin_table(dom1(), 1, PGT_L1), -EINVAL);
    CHECK_EQ_CASE("PT-6 pin beyond the table", pt_pin_table(dom1(), FX_FRAMES, PGT_L1),
                  -EINVAL);
    CHECK_EQ_CASE("PT-15 pin a RW-mapped frame as L1", pt_pin_table(dom1(), data, PGT_L1),
                  -EINVAL);
    AUDIT_OK();
}

/* PT-10: the L2 under slot 3 is used by one L3, once. */
static void test_l2_xen_exclusive(void)
{
    uint32_t l3 = fx_alloc(&fx, 0), l2 = fx_alloc(&fx, 0), l2b = fx_alloc(&fx, 0);

    fx_poke(l3, 3, fx_pte(fx.sp[0].l2_xen, FX_PDPTE));
    take_snapshot();
    CHECK_EQ_CASE("PT-10 slot-3 L2 reused by a second L3", pt_pin_table(dom1(), l3, PGT_L3),
                  -EINVAL);
    CHECK(unchanged());
    CHECK_EQ(pt_pin_table(dom1(), l2, PGT_L2), 0);
    AUDIT_OK();
    fx_poke(l3, 3, fx_pte(l2, FX_PDPTE));
    CHECK_EQ_CASE("PT-10 pinned L2 refused in slot 3", pt_pin_table(dom1(), l3, PGT_L3),
                  -EINVAL);
    CHECK_EQ(pt_unpin_table(dom1(), l2), 0);
    AUDIT_OK();
    fx_poke(l3, 0, fx_pte(l2, FX_PDPTE));
    take_snapshot();
    CHECK_EQ_CASE("PT-10 same L2 in slot 0 and slot 3", pt_pin_table(dom1(), l3, PGT_L3),
                  -EINVAL);
    CHECK(unchanged());
    fx_poke(l3, 0, fx_pte(fx.sp[0].l2_xen, FX_PDPTE));
    fx_poke(l3, 3, fx_pte(l2b, FX_PDPTE));
    CHECK_EQ_CASE("PT-9 an L2_XEN refused in slot 0", pt_pin_table(dom1(), l3, PGT_L3),
                  -EINVAL);
    fx_poke(l3, 0, 0);
    fx_poke(l3, 3, 0);
    CHECK_EQ_CASE("PT-10 slot 3 missing", pt_pin_table(dom1(), l3, PGT_L3), -EINVAL);
    CHECK(unchanged());
    AUDIT_OK();
}

/* PT-11: an L3 above 4 GiB is refused before anything is read. */
static void test_l3_high(void)
{
    struct frame_table big;
    struct frame *frames = calloc(PT_L3_MFN_LIMIT + 1, sizeof(*frames));
    struct pt_ctx c = *dom1();

    if (!frames)
        abort();
    big.frames = frames;
    big.nr_frames = PT_L3_MFN_LIMIT + 1;
    frames[PT_L3_MFN_LIMIT].owner = c.dom;
    c.ft = &big;
    CHECK_EQ_CASE("PT-11 L3 at 4 GiB refused", pt_pin_table(&c, PT_L3_MFN_LIMIT, PGT_L3),
                  -EINVAL);
    CHECK_EQ(frames[PT_L3_MFN_LIMIT].type_count, 0);
    CHECK_EQ(frames[PT_L3_MFN_LIMIT].refcount, 0);
    free(frames);
}

/* PT-8, PT-9, PT-14: no table is reachable as a table of its own level. */
static void test_no_linear(void)
{
    struct fx_space *s = &fx.sp[0];
    uint32_t l2 = fx_alloc(&fx, 0), l3 = fx_alloc(&fx, 0);

    CHECK_EQ_CASE("PT-8 linear L2 entry to itself",
                  pt_mod_l2_entry(dom1(), s->l2_low, 5, fx_pte(s->l2_low, FX_TAB)), -EINVAL);
    CHECK_EQ_CASE("PT-8 L2 entry to another L2",
                  pt_mod_l2_entry(dom1(), s->l2_low, 5, fx_pte(s->l2_xen, FX_TAB)), -EINVAL);
    CHECK_EQ_CASE("PT-8 L2 entry to an L3",
                  pt_mod_l2_entry(dom1(), s->l2_low, 5, fx_pte(s->l3, FX_TAB)), -EINVAL);
    CHECK_EQ_CASE("PT-9 recursive L3 entry to itself",
                  pt_mod_l3_entry(dom1(), s->l3, 1, fx_pte(s->l3, FX_PDPTE)), -EINVAL);
    CHECK_EQ_CASE("PT-9 L3 entry to an L1",
                  pt_mod_l3_entry(dom1(), s->l3, 1, fx_pte(s->l1, FX_PDPTE)), -EINVAL);
    AUDIT_OK();
    fx_poke(l2, 9, fx_pte(l2, FX_TAB));
    take_snapshot();
    CHECK_EQ_CASE("PT-8 self-mapping L2 fails validation", pt_pin_table(dom1(), l2, PGT_L2),
                  -EINVAL);
    CHECK(unchanged());
    fx_poke(l3, 3, fx_pte(fx_alloc(&fx, 0), FX_PDPTE));
    fx_poke(l3, 1, fx_pte(l3, FX_PDPTE));
    take_snapshot();
    CHECK_EQ_CASE("PT-9 self-mapping L3 fails validation", pt_pin_table(dom1(), l3, PGT_L3),
                  -EINVAL);
    CHECK(unchanged());
    fx_poke(l3, 1, fx_pte(l3, FX_PDPTE | 0x66));
    take_snapshot();
    CHECK_EQ_CASE("PT-14 self-mapping L3 with RW|US|A|D fails validation",
                  pt_pin_table(dom1(), l3, PGT_L3), -EINVAL);
    CHECK(unchanged());
    CHECK_EQ_CASE("PT-17 refused L3 left as written", fx_peek(l3, 1), fx_pte(l3, FX_PDPTE | 0x66));
    AUDIT_OK();
}

/* PT-5: an L3 written with Xen's 32-bit PV flags validates and is stored as PDPTEs. */
static void test_l3_stripped(void)
{
    uint32_t l3 = fx_alloc(&fx, 0), l2 = fx_alloc(&fx, 0), l2x = fx_alloc(&fx, 0);

    fx_poke(l3, 0, fx_pte(l2, FX_PDPTE | 0x66));
    fx_poke(l3, 3, fx_pte(l2x, FX_PDPTE | PTE_RW | PTE_US));
    fx_poke(l3, 2, 0x66);                               /* not present: ignored */
    CHECK_EQ_CASE("PT-5 L3 with P|RW|US|A|D entries validates",
                  pt_pin_table(dom1(), l3, PGT_L3), 0);
    CHECK_EQ_CASE("PT-5 slot 0 stored as a PDPTE", fx_peek(l3, 0), fx_pte(l2, FX_PDPTE));
    CHECK_EQ_CASE("PT-5 slot 3 stored as a PDPTE", fx_peek(l3, 3), fx_pte(l2x, FX_PDPTE));
    CHECK_EQ_CASE("PT-21 absent slot left alone", fx_peek(l3, 2), 0x66);
    CHECK_EQ(fx_frame(&fx, l2)->type, PGT_L2);
    CHECK_EQ(fx_frame(&fx, l2x)->type, PGT_L2_XEN);
    AUDIT_OK();
    CHECK_EQ(pt_unpin_table(dom1(), l3), 0);
    CHECK_EQ(fx_frame(&fx, l2)->type, PGT_NONE);
    AUDIT_OK();
}

/* PT-4 and PT-6 through the table paths. */
static void test_refused_entries(void)
{
    struct fx_space *s = &fx.sp[0], *o = &fx.sp[1];
    uint32_t l1 = new_l1(0);

    CHECK_EQ_CASE("PT-4 PSE superpage refused",
                  pt_mod_l2_entry(dom1(), s->l2_low, 6, fx_pte(512, FX_TAB | PTE_PSE)), -EINVAL);
    CHECK_EQ_CASE("PT-6 L1 entry to another domain's frame",
                  pt_mod_l1_entry(dom1(), s->l1, 30, fx_pte(o->data[0], FX_RO), false), -EBUSY);
    CHECK_EQ_CASE("PT-6 L1 entry to a hypervisor frame",
                  pt_mod_l1_entry(dom1(), s->l1, 30, fx_pte(3, FX_RO), false), -EBUSY);
    CHECK_EQ_CASE("PT-6 L1 entry beyond RAM",
                  pt_mod_l1_entry(dom1(), s->l1, 30, fx_pte(FX_FRAMES + 5, FX_RO), false),
                  -EPERM);
    CHECK_EQ_CASE("PT-6 L2 entry to another domain's L1",
                  pt_mod_l2_entry(dom1(), s->l2_low, 6, fx_pte(o->l1, FX_TAB)), -EINVAL);
    CHECK_EQ_CASE("PT-6 L3 entry to another domain's L2",
                  pt_mod_l3_entry(dom1(), s->l3, 1, fx_pte(o->l2_low, FX_PDPTE)), -EINVAL);
    CHECK_EQ_CASE("PT-6 update another domain's table",
                  pt_mod_l1_entry(dom1(), o->l1, 30, 0, false), -EINVAL);
    fx_poke(l1, 0, fx_pte(o->data[1], FX_RO));
    CHECK_EQ_CASE("PT-6 validation refuses a foreign frame", pt_pin_table(dom1(), l1, PGT_L1),
                  -EBUSY);
    AUDIT_OK();
}

/* PT-7: no writable mapping of any table or descriptor frame. */
static void test_no_writable_tables(void)
{
    struct fx_space *s = &fx.sp[0];
    uint32_t gdt = fx_alloc(&fx, 0);
    const struct { const char *name; uint32_t mfn; } t[] = {
        { "PT-7 RW map of own L1", s->l1 },
        { "PT-7 RW map of own L2", s->l2_low },
        { "PT-7 RW map of own slot-3 L2", s->l2_xen },
        { "PT-7 RW map of own L3", s->l3 },
        { "PT-7 RW map of own GDT frame", gdt },
    };
    size_t i;

    CHECK_EQ(pt_get_typed_begin(dom1(), gdt, PGT_SEG_DESC), PT_TYPE_NEW);
    pt_get_typed_end(dom1(), gdt, true);
    fx.holds[0] = (struct pt_audit_hold){ gdt, 1, 1, PGT_SEG_DESC };
    fx.nr_holds = 1;
    AUDIT_OK();
    for (i = 0; i < ARRAY_SIZE(t); i++) {
        CHECK_EQ_CASE(t[i].name,
                      pt_mod_l1_entry(dom1(), s->l1, 40, fx_pte(t[i].mfn, FX_RW), false),
                      -EBUSY);
        CHECK_EQ_CASE("PT-7 RO map of a table is fine",
                      pt_mod_l1_entry(dom1(), s->l1, 40, fx_pte(t[i].mfn, FX_RO), false), 0);
        AUDIT_OK();
        CHECK_EQ(pt_mod_l1_entry(dom1(), s->l1, 40, 0, false), 0);
        AUDIT_OK();
    }
    pt_put_typed_leaf(dom1(), gdt, PGT_SEG_DESC);
    fx.nr_holds = 0;
    CHECK_EQ(fx_frame(&fx, gdt)->type, PGT_NONE);
    AUDIT_OK();
}

/* PT-16 through the table paths: a count at its limit refuses, unchanged. */
static void test_overflow(void)
{
    struct fx_space *s = &fx.sp[0];
    uint32_t d = s->data[3], add = PT_COUNT_MAX - fx_frame(&fx, d)->refcount;

    fx_frame(&fx, d)->refcount += add;                 /* as if mapped 2^31 times */
    fx.holds[0] = (struct pt_audit_hold){ d, add, 0, PGT_NONE };
    fx.nr_holds = 1;
    AUDIT_OK();
    take_snapshot();
    CHECK_EQ_CASE("PT-16 RO map at refcount limit",
                  pt_mod_l1_entry(dom1(), s->l1, 50, fx_pte(d, FX_RO), false), -EOVERFLOW);
    CHECK(unchanged());
    fx_frame(&fx, d)->refcount -= add;
    add = PT_COUNT_MAX - fx_frame(&fx, d)->type_count;
    fx_frame(&fx, d)->type_count += add;
    fx_frame(&fx, d)->refcount += add;
    fx.holds[0] = (struct pt_audit_hold){ d, add, add, PGT_WRITABLE };
    AUDIT_OK();
    take_snapshot();
    CHECK_EQ_CASE("PT-16 RW map at type count limit",
                  pt_mod_l1_entry(dom1(), s->l1, 50, fx_pte(d, FX_RW), false), -EOVERFLOW);
    CHECK(unchanged());
    fx_frame(&fx, d)->type_count -= add;
    fx_frame(&fx, d)->refcount -= add;
    fx.nr_holds = 0;
    AUDIT_OK();
}

/* PT-18 and PT-26: tearing a domain down releases every reference. */
static void test_teardown(void)
{
    struct fx_space *s = &fx.sp[1];
    uint32_t i;

    CHECK_EQ(pt_unpin_table(&fx.ctx[1], s->l3), 0);
    AUDIT_OK();
    pt_clear_baseptr(&fx.ctx[1]);
    AUDIT_OK();
    for (i = 0; i < FX_FRAMES; i++)
        if (fx.frames[i].owner == fx.ctx[1].dom &&
            (fx.frames[i].refcount || fx.frames[i].type_count))
            break;
    CHECK_EQ_CASE("PT-18 no reference survives teardown", i, FX_FRAMES);
    CHECK_EQ(frame_free(&fx.ft, s->l1), 0);
    AUDIT_OK();
}

int main(void)
{
    fx_init(&fx);
    test_transitions();
    test_build();
    CHECK_EQ(fx_build(&fx, 1), 0);
    AUDIT_OK();
    test_all_or_nothing();
    test_pins();
    test_l2_xen_exclusive();
    test_l3_high();
    test_no_linear();
    test_l3_stripped();
    test_refused_entries();
    test_no_writable_tables();
    test_overflow();
    test_teardown();
    hosted_env_fini();
    return check_report();
}
