/*
 * memory_op reservations (hv/core/memop.c, MEM-1..MEM-3, HC-3) over the
 * page-table fixture: increase, populate and decrease as a guest issues
 * them, with and without preemption; the start extent in cmd; the result
 * counted from the beginning of the list; a refused extent after a
 * stopping point reported at its own index.
 */
#include "check.h"
#include "pt_fixture.h"
#include "memop.h"

static struct fx fx;
static uint32_t tot_pages;

#define LIST_OFF 0x100u
#define RES_OFF  0x0u
#define NR_EXT   120u

static struct memop_target target(void)
{
    struct memop_target t = { &fx.ft, fx.m2p, FX_FRAMES, 1, &tot_pages, 1000, 0 };

    return t;
}

static guest_ptr_t put_reservation(uint32_t nr, uint32_t order)
{
    struct xen_memory_reservation r = { FX_GUEST_VA + LIST_OFF, nr, order, 0, DOMID_SELF };

    return fx_guest_put(&fx, RES_OFF, &r, sizeof(r));
}

static uint32_t list_at(uint32_t i)
{
    uint32_t v;

    fx_guest_get(&fx, LIST_OFF + 4 * i, &v, sizeof(v));
    return v;
}

/* Issue memory_op(op, arg) until it does not stop; *issues counts them. */
static int32_t issue(uint32_t op, uint32_t every, uint32_t *issues)
{
    struct memop_target t = target();
    struct xen_memory_reservation r;
    uint32_t cmd = op, o = 0, start = 0;
    struct hc_cont c;
    int32_t rc = 0;

    hosted_set_preempt(every);
    for (*issues = 1; *issues < 100000u; (*issues)++) {
        hc_memop_cmd(cmd, &o, &start);
        fx_guest_get(&fx, RES_OFF, &r, sizeof(r));
        if (!memop_check(start, &r, &rc))
            break;
        rc = memop_reservation(&t, o, &r, start, guest_ptr(FX_GUEST_VA + RES_OFF), &c);
        if (rc != -ERESTART)
            break;
        CHECK_EQ_CASE("HC-3 arg unchanged", c.args[1], FX_GUEST_VA + RES_OFF);
        CHECK_EQ_CASE("HC-3 same op", c.args[0] & MEMOP_CMD_MASK, op);
        CHECK_EQ_CASE("PT-41 audit at a stopping point", fx_audit(&fx), 0);
        cmd = c.args[0];
    }
    hosted_set_preempt(0);
    return rc;
}

static void fresh(void)
{
    fx_init(&fx);
    CHECK_EQ(fx_build(&fx, 0), 0);
    tot_pages = 0;
}

static void test_increase_decrease(uint32_t every)
{
    uint32_t i, issues = 0, mine = 0, first;

    fresh();
    put_reservation(NR_EXT, 0);
    CHECK_EQ_CASE("MEM-3 increase", issue(XENMEM_increase_reservation, every, &issues), NR_EXT);
    if (every)
        CHECK_CASE_GE("HC-3 preempted", issues, 10);
    CHECK_EQ_CASE("MEM-3 pages counted once", tot_pages, NR_EXT);
    for (i = 0; i < FX_FRAMES; i++)
        mine += fx.frames[i].owner == 1 && fx.m2p[i] == 0xFFFFFFFFu;
    CHECK_CASE_GE("MEM-3 each extent allocated once", mine, NR_EXT);
    for (i = 0; i < NR_EXT; i++)
        CHECK_EQ_CASE("MEM-3 frame reported", fx.frames[list_at(i)].owner, 1);
    first = list_at(0);

    /* give them back, the 100th refused: not ours after a stopping point */
    {
        uint32_t foreign = fx.sp[1].l3;

        fx_guest_put(&fx, LIST_OFF + 4 * 100, &foreign, sizeof(foreign));
    }
    CHECK_EQ_CASE("MEM-3 decrease stops at the refused extent",
                  issue(XENMEM_decrease_reservation, every, &issues), 100);
    CHECK_EQ_CASE("MEM-3 frames given back", tot_pages, NR_EXT - 100);
    CHECK_EQ_CASE("MEM-3 given-back frame is free", fx.frames[first].owner, FRAME_OWNER_FREE);
    CHECK_EQ(fx_audit(&fx), 0);
}

static void test_populate(void)
{
    uint32_t i, issues = 0, pfns[NR_EXT];

    fresh();
    for (i = 0; i < NR_EXT; i++)
        pfns[i] = 5000 + i;
    fx_guest_put(&fx, LIST_OFF, pfns, sizeof(pfns));
    put_reservation(NR_EXT, 0);
    CHECK_EQ_CASE("MEM-3 populate", issue(XENMEM_populate_physmap, 3, &issues), NR_EXT);
    for (i = 0; i < NR_EXT; i++)
        CHECK_EQ_CASE("MEM-3 M2P entry as asked", fx.m2p[list_at(i)], 5000 + i);
    CHECK_EQ(fx_audit(&fx), 0);
}

static void test_checks(void)
{
    struct memop_target t;
    struct xen_memory_reservation r = { FX_GUEST_VA + LIST_OFF, 10, 0, 0, DOMID_SELF };
    int32_t ret = -1;

    fresh();
    t = target();
    CHECK_EQ_CASE("MEM-2 go on", memop_check(3, &r, &ret), true);
    CHECK_EQ_CASE("MEM-2 start past the end", memop_check(10, &r, &ret), false);
    CHECK_EQ_CASE("MEM-2 returns start", ret, 10);
    r.nr_extents = MEMOP_MAX_EXTENTS + 1;
    CHECK_EQ_CASE("MEM-2 too many for a continuation", memop_check(0, &r, &ret), false);
    CHECK_EQ_CASE("MEM-2 returns 0", ret, 0);
    r.nr_extents = MEMOP_MAX_EXTENTS;
    CHECK_EQ_CASE("MEM-2 the largest", memop_check(0, &r, &ret), true);
    CHECK_EQ_CASE("MEM-1 nothing done: the error", memop_early(0, -EFAULT), -EFAULT);
    CHECK_EQ_CASE("MEM-1 some done: the count", memop_early(7, -EFAULT), 7);
    r.nr_extents = 4;
    r.extent_order = 1;
    CHECK_EQ_CASE("MEM-3 order 1", memop_reservation(&t, XENMEM_increase_reservation, &r, 0,
                                                     guest_ptr(0), NULL), -EINVAL);
    CHECK_EQ_CASE("MEM-3 order 1 after progress",
                  memop_reservation(&t, XENMEM_increase_reservation, &r, 2, guest_ptr(0), NULL),
                  2);
    r.extent_order = 0;
    r.extent_start = 0x1000;                        /* unmapped */
    CHECK_EQ_CASE("MEM-3 list unwritable", memop_reservation(&t, XENMEM_increase_reservation,
                  &r, 0, guest_ptr(0), NULL), -EFAULT);
    CHECK_EQ_CASE("MEM-3 list unwritable after progress",
                  memop_reservation(&t, XENMEM_increase_reservation, &r, 3, guest_ptr(0), NULL), 3);
    CHECK_EQ_CASE("MEM-3 undone when unwritable", tot_pages, 0);
    CHECK_EQ(fx_audit(&fx), 0);
}

/* Past the allowance the batch stops with what it did. */
static void test_allowance(void)
{
    struct memop_target t;
    struct xen_memory_reservation r = { FX_GUEST_VA + LIST_OFF, 20, 0, 0, DOMID_SELF };

    fresh();
    t = target();
    t.max_pages = 5;
    CHECK_EQ_CASE("MEM-3 allowance", memop_reservation(&t, XENMEM_increase_reservation, &r, 0,
                                                       guest_ptr(0), NULL), 5);
    CHECK_EQ(tot_pages, 5);
}

int main(void)
{
    test_increase_decrease(0);
    test_increase_decrease(3);
    test_increase_decrease(1);
    test_populate();
    test_checks();
    test_allowance();
    return check_report();
}
