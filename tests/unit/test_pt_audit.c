/*
 * The invariant audit (hv/core/pt_audit.c): it passes on every state the
 * page-type machine builds, and it names each kind of corruption when one
 * is injected into an otherwise valid state (PT-31).
 */
#include <stdlib.h>

#include "check.h"
#include "pt_fixture.h"

static struct fx fx;
static struct frame saved[FX_FRAMES];

static struct fx_space *sp(void)
{
    return &fx.sp[0];
}

/* A fresh machine with both domains built; the audit must pass on it. */
static void fresh(void)
{
    fx_init(&fx);
    CHECK_EQ(fx_build(&fx, 0), 0);
    CHECK_EQ(fx_build(&fx, 1), 0);
    CHECK_EQ(fx_audit(&fx), 0);
    memcpy(saved, fx.frames, sizeof(saved));
}

static void expect(const char *name, enum pt_audit_what what)
{
    fx.quiet = true;
    CHECK_EQ_CASE(name, fx_audit(&fx), -EINVAL);
    fx.quiet = false;
    CHECK_EQ_CASE(name, fx.last.what, what);
}

static void test_passes(void)
{
    struct pt_ctx *c = &fx.ctx[0];
    uint32_t l1;

    fx_init(&fx);
    CHECK_EQ_CASE("PT-31 empty machine", fx_audit(&fx), 0);
    fresh();
    CHECK_EQ_CASE("PT-31 audit does not change the frame table",
                  memcmp(saved, fx.frames, sizeof(saved)), 0);
    l1 = fx_alloc(&fx, 0);
    fx_poke(l1, 0, fx_pte(sp()->data[2], FX_RW));
    CHECK_EQ(pt_pin_table(c, l1, PGT_L1), 0);
    CHECK_EQ_CASE("PT-31 with a pinned L1", fx_audit(&fx), 0);
    CHECK_EQ(pt_mod_l2_entry(c, sp()->l2_low, 9, fx_pte(l1, FX_TAB)), 0);
    CHECK_EQ_CASE("PT-31 pinned and mapped", fx_audit(&fx), 0);
    CHECK_EQ(pt_unpin_table(c, l1), 0);
    CHECK_EQ(pt_mod_l2_entry(c, sp()->l2_low, 9, 0), 0);
    CHECK_EQ_CASE("PT-31 back to untyped", fx_audit(&fx), 0);
    CHECK_EQ(fx_frame(&fx, l1)->type, PGT_NONE);
}

static void test_frame_state(void)
{
    uint32_t free_mfn = FX_FRAMES - 1;

    fresh();
    fx_frame(&fx, free_mfn)->refcount = 1;
    expect("PT-31 free frame with a reference", PT_AUDIT_FREE_IN_USE);
    CHECK_EQ(fx.last.mfn, free_mfn);
    fresh();
    fx_frame(&fx, sp()->data[1])->type = PGT_NONE;
    expect("PT-31 count without a type", PT_AUDIT_TYPE_STATE);
    fresh();
    fx_frame(&fx, sp()->l1)->flags = 0;
    expect("PT-31 table not validated", PT_AUDIT_FLAGS);
    fresh();
    fx_frame(&fx, sp()->data[1])->flags |= FRAME_PINNED;
    expect("PT-31 data frame pinned", PT_AUDIT_FLAGS);
    fresh();
    fx_frame(&fx, sp()->l2_xen)->type_count = 2;
    fx_frame(&fx, sp()->l2_xen)->refcount++;
    expect("PT-10 slot-3 L2 shared", PT_AUDIT_XEN_L2_SHARED);
}

static void test_entries(void)
{
    fresh();
    fx_poke(sp()->l1, 5, fx_pte(sp()->data[1], FX_RO | PTE_G));
    expect("PT-1 global entry slipped in", PT_AUDIT_BAD_FLAGS);
    CHECK(fx.last.mfn == sp()->l1 && fx.last.slot == 5);
    fresh();
    fx_poke(sp()->l2_low, 5, fx_pte(sp()->l1, FX_TAB | PTE_PSE));
    expect("PT-4 superpage slipped in", PT_AUDIT_BAD_FLAGS);
    fresh();
    fx_poke(sp()->l1, 5, fx_pte(FX_FRAMES + 3, FX_RO));
    expect("PT-6 entry beyond the frame table", PT_AUDIT_BAD_FRAME);
    fresh();
    fx_poke(sp()->l1, 5, fx_pte(fx.sp[1].data[0], FX_RO));
    expect("PT-6 entry to another domain's frame", PT_AUDIT_FOREIGN);
    fresh();
    fx_poke(sp()->l1, 5, fx_pte(2, FX_RO));
    expect("PT-6 entry to a hypervisor frame", PT_AUDIT_FOREIGN);
    fresh();
    fx_poke(sp()->l1, 5, fx_pte(sp()->l2_low, FX_RW));
    expect("PT-7 RW entry to an L2", PT_AUDIT_RW_NOT_WRITABLE);
    fresh();
    fx_poke(sp()->l2_low, 5, fx_pte(sp()->data[1], FX_TAB));
    expect("PT-8 L2 entry to a data frame", PT_AUDIT_L2E_NOT_L1);
    fresh();
    fx_poke(sp()->l3, 1, fx_pte(sp()->l1, FX_PDPTE));
    expect("PT-9 L3 entry to an L1", PT_AUDIT_L3E_NOT_L2);
    fresh();
    fx_poke(sp()->l3, 3, 0);
    expect("PT-10 slot 3 removed", PT_AUDIT_SLOT3);
    fresh();
    fx_poke(sp()->l3, 1, fx_pte(sp()->l2_low, FX_PDPTE | PTE_RW));
    expect("PT-5 reserved PDPTE bit", PT_AUDIT_BAD_FLAGS);
    fresh();
    fx_poke(sp()->l2_xen, 500, fx_pte(sp()->l1, FX_TAB));
    expect("PT-12 hypervisor slot overwritten", PT_AUDIT_XEN_SLOTS);
    CHECK_EQ(fx.last.slot, 500);
}

static void test_counts(void)
{
    fresh();
    fx_frame(&fx, sp()->data[1])->refcount++;
    expect("PT-31 one reference too many", PT_AUDIT_REFCOUNT);
    CHECK(fx.last.expected == 1 && fx.last.found == 2);
    fresh();
    fx_frame(&fx, sp()->data[1])->refcount--;
    expect("PT-31 one reference too few", PT_AUDIT_REFCOUNT);
    fresh();
    fx_frame(&fx, sp()->l1)->type_count++;
    expect("PT-31 type count too high", PT_AUDIT_TYPE_COUNT);
    fresh();
    fx_poke(sp()->l1, 5, fx_pte(sp()->data[1], FX_RO));
    expect("PT-31 entry written behind the counts' back", PT_AUDIT_REFCOUNT);
    fresh();
    fx.ctx[0].cr3_mfn = sp()->l2_low;
    expect("PT-26 base pointer to an L2", PT_AUDIT_CR3);
    fresh();
    fx.holds[0] = (struct pt_audit_hold){ sp()->data[1], 1, 1, PGT_L1 };
    fx.nr_holds = 1;
    expect("PT-31 hold of the wrong type", PT_AUDIT_HOLD);
    fresh();
    fx.holds[0] = (struct pt_audit_hold){ sp()->data[1], PT_COUNT_MAX, 0, PGT_NONE };
    fx.nr_holds = 1;
    expect("PT-16 recount overflow", PT_AUDIT_OVERFLOW);
    fresh();
    fx.holds[0] = (struct pt_audit_hold){ sp()->data[1], 1, 0, PGT_NONE };
    fx.nr_holds = 1;
    expect("PT-31 declared hold not really held", PT_AUDIT_REFCOUNT);
    fx_frame(&fx, sp()->data[1])->refcount++;
    CHECK_EQ_CASE("PT-31 declared hold held", fx_audit(&fx), 0);
}

static void test_unknown_owner(void)
{
    struct pt_audit_domain one = { 1, false, INVALID_MFN, NULL, false };
    struct pt_audit_report rep;
    struct pt_audit_in in;

    fresh();
    one.cr3_mfn = fx.ctx[0].cr3_mfn;
    one.xen_l2_slots = fx.xen_slots;
    in = (struct pt_audit_in){ &fx.ft, &one, 1, NULL, 0, fx.scratch };
    CHECK_EQ_CASE("PT-31 tables of an unlisted domain", pt_audit(&in, &rep), -EINVAL);
    CHECK_EQ(rep.what, PT_AUDIT_UNKNOWN_OWNER);
    CHECK_EQ(fx.frames[rep.mfn].owner, 2);
}

/* PT-11: an L3 at or above 4 GiB is reported before it is read. */
static void test_l3_high(void)
{
    uint32_t n = PT_L3_MFN_LIMIT + 1;
    struct frame *frames = calloc(n, sizeof(*frames));
    struct pt_audit_count *scratch = calloc(n, sizeof(*scratch));
    struct frame_table big = { frames, n, 0, 0 };
    struct pt_audit_domain d = { 1, false, INVALID_MFN, NULL, false };
    struct pt_audit_in in = { &big, &d, 1, NULL, 0, scratch };
    struct pt_audit_report rep;

    if (!frames || !scratch)
        abort();
    frames[n - 1] = (struct frame){ 1, 1, 1, PGT_L3, FRAME_VALIDATED, 0 };
    CHECK_EQ_CASE("PT-11 L3 above 4 GiB", pt_audit(&in, &rep), -EINVAL);
    CHECK(rep.what == PT_AUDIT_L3_HIGH && rep.mfn == n - 1);
    free(frames);
    free(scratch);
}

int main(void)
{
    test_passes();
    test_frame_state();
    test_entries();
    test_counts();
    test_unknown_owner();
    test_l3_high();
    CHECK(pt_audit_what_name(PT_AUDIT_REFCOUNT)[0] != '?');
    CHECK(pt_audit_what_name(PT_AUDIT_NR_WHAT)[0] == '?');
    hosted_env_fini();
    return check_report();
}
