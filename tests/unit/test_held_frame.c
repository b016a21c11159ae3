/*
 * Hypervisor-held frames (PT-40, hv/core/held_frame.c): while the
 * hypervisor holds a frame for its own writes, no way a guest can ask for
 * makes it a page table or a descriptor table, or frees it; a writable
 * mapping stays allowed. The hypercall page is written only into a frame
 * that can be held so. The audit runs after every step, with the hold
 * declared as hv/audit.c declares it.
 */
#include "check.h"
#include "held_frame.h"
#include "hypercall_page.h"
#include "pt_fixture.h"

static struct fx fx;

#define AUDIT_OK() CHECK_EQ(fx_audit(&fx), 0)

static struct pt_ctx *dom1(void)
{
    return &fx.ctx[0];
}

static void declare_hold(uint32_t mfn)
{
    fx.holds[0] = (struct pt_audit_hold){ mfn, 1, 1, PGT_WRITABLE };
    fx.nr_holds = 1;
}

/* Every retyping the guest could ask for, on a held frame: all refused. */
static void test_retyping_refused(void)
{
    struct fx_space *s = &fx.sp[0];
    uint32_t held = fx_alloc(&fx, 0);
    struct frame before;

    CHECK_EQ_CASE("PT-40 take the hold", held_frame_take(dom1(), held), 0);
    CHECK(held_frame_intact(&fx.ft, held, dom1()->dom));
    declare_hold(held);
    AUDIT_OK();
    before = *fx_frame(&fx, held);
    CHECK_EQ_CASE("PT-40 pin as L1", pt_pin_table(dom1(), held, PGT_L1), -EINVAL);
    CHECK_EQ_CASE("PT-40 pin as L2", pt_pin_table(dom1(), held, PGT_L2), -EINVAL);
    CHECK_EQ_CASE("PT-40 pin as L3", pt_pin_table(dom1(), held, PGT_L3), -EINVAL);
    CHECK_EQ_CASE("PT-40 new base pointer", pt_set_baseptr(dom1(), held), -EINVAL);
    CHECK_EQ_CASE("PT-40 hooked in as an L1",
                  pt_mod_l2_entry(dom1(), s->l2_low, 100, fx_pte(held, FX_TAB)), -EINVAL);
    CHECK_EQ_CASE("PT-40 hooked in as an L2",
                  pt_mod_l3_entry(dom1(), s->l3, 1, fx_pte(held, FX_PDPTE)), -EINVAL);
    CHECK_EQ_CASE("PT-40 descriptor frame", pt_get_typed_begin(dom1(), held, PGT_SEG_DESC),
                  -EINVAL);
    CHECK_EQ_CASE("PT-40 balloon out / free", frame_free(&fx.ft, held), -EBUSY);
    CHECK(memcmp(&before, fx_frame(&fx, held), sizeof(before)) == 0);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-40 a writable mapping is still allowed",
                  pt_mod_l1_entry(dom1(), s->l1, 40, fx_pte(held, FX_RW), false), 0);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-40 pin while mapped too", pt_pin_table(dom1(), held, PGT_L1), -EINVAL);
    CHECK_EQ(pt_mod_l1_entry(dom1(), s->l1, 40, 0, false), 0);
    CHECK(held_frame_intact(&fx.ft, held, dom1()->dom));
    AUDIT_OK();

    held_frame_release(dom1(), held);
    fx.nr_holds = 0;
    CHECK(!held_frame_intact(&fx.ft, held, dom1()->dom));
    CHECK_EQ(dom1()->bugs, 0);
    AUDIT_OK();
    CHECK_EQ_CASE("released: the frame is the guest's to use again",
                  pt_pin_table(dom1(), held, PGT_L1), 0);
    CHECK_EQ(pt_unpin_table(dom1(), held), 0);
    AUDIT_OK();
}

/* The audit sees a hold that is missing its type, or a retyped frame. */
static void test_audit_sees_a_lost_hold(void)
{
    uint32_t held = fx_alloc(&fx, 0);

    CHECK_EQ(held_frame_take(dom1(), held), 0);
    fx.quiet = true;
    fx.holds[0] = (struct pt_audit_hold){ held, 1, 0, PGT_NONE };   /* no type declared */
    fx.nr_holds = 1;
    CHECK_EQ_CASE("a hold declared without its type is a finding", fx_audit(&fx), -EINVAL);
    declare_hold(held);
    fx_frame(&fx, held)->type = PGT_L1;                   /* as if retyped behind our back */
    CHECK_EQ_CASE("a held frame of another type is a finding", fx_audit(&fx), -EINVAL);
    CHECK(!held_frame_intact(&fx.ft, held, dom1()->dom));
    fx_frame(&fx, held)->type = PGT_WRITABLE;
    fx.quiet = false;
    AUDIT_OK();
    held_frame_release(dom1(), held);
    fx.nr_holds = 0;
    AUDIT_OK();
}

/* Frames that cannot be held: tables, descriptor frames, other owners. */
static void test_take_refused(void)
{
    struct fx_space *s = &fx.sp[0];
    uint32_t gdt = fx_alloc(&fx, 0);

    CHECK_EQ(pt_get_typed_begin(dom1(), gdt, PGT_SEG_DESC), PT_TYPE_NEW);
    pt_get_typed_end(dom1(), gdt, true);
    CHECK_EQ_CASE("PT-40 an L1", held_frame_take(dom1(), s->l1), -EINVAL);
    CHECK_EQ_CASE("PT-40 the L3", held_frame_take(dom1(), s->l3), -EINVAL);
    CHECK_EQ_CASE("PT-40 a GDT frame", held_frame_take(dom1(), gdt), -EINVAL);
    CHECK_EQ_CASE("PT-40 another domain's frame", held_frame_take(dom1(), fx.sp[1].data[0]),
                  -EINVAL);
    CHECK_EQ_CASE("PT-40 a hypervisor frame", held_frame_take(dom1(), 1), -EINVAL);
    CHECK_EQ_CASE("PT-40 beyond the table", held_frame_take(dom1(), FX_FRAMES), -EINVAL);
    CHECK(!held_frame_intact(&fx.ft, FX_FRAMES, dom1()->dom));
    pt_put_typed_leaf(dom1(), gdt, PGT_SEG_DESC);
    AUDIT_OK();
}

/* The hypercall page goes only into a frame that can be held writable. */
static void test_hypercall_page_install(void)
{
    struct fx_space *s = &fx.sp[0];
    uint32_t page = s->data[2];
    struct frame before = *fx_frame(&fx, page), l1_before = *fx_frame(&fx, s->l1);
    uint8_t l1_bytes[4096];

    memcpy(l1_bytes, hosted_frame(s->l1), sizeof(l1_bytes));
    CHECK_EQ_CASE("PT-40 never into an L1", hypercall_page_install(dom1(), s->l1), -EINVAL);
    CHECK(memcmp(l1_bytes, hosted_frame(s->l1), sizeof(l1_bytes)) == 0);
    CHECK(memcmp(&l1_before, fx_frame(&fx, s->l1), sizeof(l1_before)) == 0);
    CHECK_EQ_CASE("PT-40 never into another domain's frame",
                  hypercall_page_install(dom1(), fx.sp[1].data[2]), -EINVAL);
    CHECK_EQ_CASE("into a mapped data frame", hypercall_page_install(dom1(), page), 0);
    CHECK_EQ(hosted_frame(page)[17 * 32 + 1], 17);        /* mov $17, %eax */
    CHECK(memcmp(&before, fx_frame(&fx, page), sizeof(before)) == 0);   /* hold dropped */
    AUDIT_OK();
}

int main(void)
{
    fx_init(&fx);
    CHECK_EQ(fx_build(&fx, 0), 0);
    CHECK_EQ(fx_build(&fx, 1), 0);
    AUDIT_OK();
    test_retyping_refused();
    test_audit_sees_a_lost_hold();
    test_take_refused();
    test_hypercall_page_install();
    return check_report();
}
