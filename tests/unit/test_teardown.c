/*
 * Teardown in steps (hv/core/teardown.c, PT-42, HC-7): a domain with many
 * pinned tables is taken apart with the hosted env saying "other work is
 * due" after every unit; each step must leave the frame table consistent
 * (the audit runs at every stopping point), every call must make
 * progress, and the end state must equal a teardown that never stopped:
 * every frame free except the one another domain still maps.
 */
#include "check.h"
#include "pt_fixture.h"
#include "teardown.h"

static struct fx fx;

#define EXTRA_L1 40u

/* Domain 2 (index 1) with EXTRA_L1 more pinned L1s full of mappings, and
 * one of its data frames mapped by domain 1 (dom1 privileged, dom2 a
 * paused guest it may map: PT-33). */
static void build(void)
{
    uint32_t k, s;

    fx_init(&fx);
    fx.ctx[0].privileged = true;
    CHECK_EQ(fx_build(&fx, 0), 0);
    CHECK_EQ(fx_build(&fx, 1), 0);
    for (k = 0; k < EXTRA_L1; k++) {
        uint32_t l1 = fx_alloc(&fx, 1);

        for (s = 0; s < 512; s += 8)
            fx_poke(l1, s, fx_pte(fx.sp[1].data[s % FX_NR_DATA], FX_RO));
        CHECK_EQ(pt_pin_table(&fx.ctx[1], l1, PGT_L1), 0);
    }
    hosted_set_foreign_mappable(2, true);
    fx.ctx[0].fd = 2;                               /* PT-34: a foreign call */
    CHECK_EQ(pt_mod_l1_entry(&fx.ctx[0], fx.sp[0].l1, 60, fx_pte(fx.sp[1].data[2], FX_RO), false),
             0);
    fx.ctx[0].fd = 1;
    hosted_set_foreign_mappable(2, false);
    CHECK_EQ(fx_audit(&fx), 0);
}

/* Unpin and sweep domain 2 with a stop after every `every`-th unit. */
static uint32_t teardown(uint32_t every, uint32_t *held)
{
    struct pt_ctx *c = &fx.ctx[1];
    struct td_cursor cur;
    uint32_t calls = 0, before;
    int rc;

    pt_clear_baseptr(c);
    td_start(&cur, TD_UNPIN);
    hosted_set_preempt(every);
    do {
        before = cur.next_mfn;
        rc = td_unpin(c, &cur);
        calls++;
        CHECK_EQ_CASE("HC-7 progress", cur.next_mfn > before, 1);
        CHECK_EQ_CASE("PT-42 audit at a stopping point", fx_audit(&fx), 0);
    } while (rc == -ERESTART);
    td_start(&cur, TD_SWEEP);
    do {
        before = cur.next_mfn;
        rc = td_sweep(c, &cur);
        calls++;
        CHECK_EQ_CASE("HC-7 progress", cur.next_mfn > before, 1);
        CHECK_EQ_CASE("PT-42 audit at a stopping point", fx_audit(&fx), 0);
    } while (rc == -ERESTART);
    hosted_set_preempt(0);
    *held = cur.held;
    return calls;
}

static void check_end(uint32_t held)
{
    uint32_t mfn, owned = 0;

    for (mfn = 0; mfn < FX_FRAMES; mfn++)
        owned += fx.frames[mfn].owner == 2;
    CHECK_EQ_CASE("PT-42 only the frame dom1 maps is left", owned, 1);
    CHECK_EQ_CASE("PT-42 held counted", held, 1);
    CHECK_EQ_CASE("PT-37 it is the mapped one", fx.frames[fx.sp[1].data[2]].owner, 2);
    CHECK_EQ_CASE("PT-42 no refused transition", fx.ctx[1].bugs, 0);
}

int main(void)
{
    uint32_t held = 0, calls;

    build();
    calls = teardown(0, &held);
    CHECK_EQ_CASE("HC-7 without preemption: one call a scan", calls, 2);
    check_end(held);

    build();
    calls = teardown(1, &held);
    CHECK_CASE_GE("HC-7 a stop after every unit", calls, EXTRA_L1);
    check_end(held);
    return check_report();
}
