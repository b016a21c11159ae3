/*
 * Domain ids (CTL-6, hv/core/domid.c): the rover hands out the id after
 * the last one, never the lowest free one, so a dead domain's id (which
 * other guests' unbound ports and grant entries may still name) comes
 * back only after every other id has been used; ids whose record slot is
 * taken are skipped; with no free slot there is no id.
 */
#include "check.h"
#include "domid.h"

#define SLOTS 256u

static bool busy[SLOTS];

static void reset(void)
{
    memset(busy, 0, sizeof(busy));
    busy[0] = true;                             /* dom0 */
}

static domid_t take(domid_t last)
{
    domid_t id = domid_next(last, busy, SLOTS);

    if (id)
        busy[domid_slot(id, SLOTS)] = true;
    return id;
}

static void test_first_ids(void)
{
    domid_t last = 0;

    reset();
    CHECK_EQ_CASE("CTL-6 first id", last = take(last), 1);
    CHECK_EQ_CASE("CTL-6 second id", last = take(last), 2);
    CHECK_EQ_CASE("CTL-6 third id", last = take(last), 3);
}

/* The id of a destroyed domain is not the next one handed out. */
static void test_no_quick_reuse(void)
{
    domid_t last = 0, first, id;
    uint32_t n;

    reset();
    first = last = take(last);
    busy[domid_slot(first, SLOTS)] = false;     /* it dies at once */
    for (n = 1; n < DOMID_FIRST_RESERVED; n++) {
        id = take(last);
        if (id == first || id == 0 || id >= DOMID_FIRST_RESERVED)
            break;
        busy[domid_slot(id, SLOTS)] = false;    /* create, destroy, ... */
        last = id;
    }
    /* every id but the multiples of SLOTS (dom0's slot) came first */
    CHECK_EQ_CASE("CTL-6 an id returns only after every other id", n,
                  DOMID_FIRST_RESERVED - 1u - DOMID_FIRST_RESERVED / SLOTS);
    CHECK_EQ_CASE("CTL-6 ... and then it does", id, first);
}

static void test_busy_slots_skipped(void)
{
    domid_t last = 0, id;
    uint32_t i;

    reset();
    for (i = 1; i < SLOTS - 1u; i++)
        last = take(last);                      /* ids 1 .. 254 live */
    CHECK_EQ(last, SLOTS - 2u);
    busy[3] = false;                            /* domain 3 dies */
    id = take(last);
    CHECK_EQ_CASE("CTL-6 the one free slot, not id 3 again", id, SLOTS - 1u);
    busy[domid_slot(id, SLOTS)] = false;        /* 255 dies too */
    id = take(id);
    CHECK_EQ_CASE("CTL-6 slot 0 is dom0's: 256 skipped, slot 3 next as 259", id, SLOTS + 3u);
    CHECK_EQ_CASE("CTL-6 then slot 255 as 511", take(id), 2u * SLOTS - 1u);
    CHECK_EQ_CASE("CTL-6 every slot busy", domid_next(id, busy, SLOTS), 0);
}

static void test_wrap(void)
{
    domid_t id;

    reset();
    id = domid_next(DOMID_FIRST_RESERVED - 1u, busy, SLOTS);
    CHECK_EQ_CASE("CTL-6 wraps past the reserved ids to 1", id, 1);
    id = domid_next(0xFFFFu, busy, SLOTS);
    CHECK_EQ_CASE("CTL-6 a reserved last id starts again at 1", id, 1);
    busy[1] = true;
    CHECK_EQ_CASE("CTL-6 wrap skips a busy slot", domid_next(DOMID_FIRST_RESERVED - 1u, busy, SLOTS),
                  2);
    CHECK_EQ_CASE("CTL-6 no slots", domid_next(1, busy, 0), 0);
}

int main(void)
{
    test_first_ids();
    test_no_quick_reuse();
    test_busy_slots_skipped();
    test_wrap();
    return check_report();
}
