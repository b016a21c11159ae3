/*
 * Unit tests for the backend's xenbus state machine and the numbers it
 * reads from a frontend (dom0/xb_state.c; spec/devices.md DEV-21, DEV-22).
 */
#include "check.h"
#include "xb_state.h"

static uint32_t fe(const char *v)
{
    return xb_fe_state(v != NULL, v ? v : "", v ? (uint32_t)strlen(v) : 0);
}

/* DEV-21: the frontend's state as the backend reads it. */
static void test_fe_state(void)
{
    CHECK_EQ(fe("3"), XenbusStateInitialised);
    CHECK_EQ(fe("8"), XenbusStateReconfigured);
    CHECK_EQ(fe(NULL), XenbusStateUnknown);             /* missing: Unknown, as Xen */
    CHECK_EQ(fe(""), XenbusStateUnknown);
    CHECK_EQ(fe("x"), XenbusStateUnknown);              /* not a number: Unknown */
    CHECK_EQ(fe("3 "), XenbusStateUnknown);
    CHECK_EQ(fe("-1"), XenbusStateUnknown);
    CHECK_EQ(fe("03"), XenbusStateUnknown);
    CHECK_EQ(fe("9"), XB_FE_BAD);                       /* a number, no state */
    CHECK_EQ(fe("4294967295"), XB_FE_BAD);
    CHECK_EQ(fe("99999999999"), XenbusStateUnknown);    /* beyond 32 bits */
}

static void step_is(uint32_t be, uint32_t f, enum xb_action a, uint32_t next)
{
    struct xb_step s = xb_backend_step(be, f);

    CHECK_EQ(s.action, a);
    CHECK_EQ(s.next, next);
}

/* DEV-21: every backend state against every frontend state. */
static void test_steps(void)
{
    /* connect only from InitWait */
    step_is(XenbusStateInitWait, XenbusStateInitialised, XB_CONNECT, XenbusStateConnected);
    step_is(XenbusStateInitWait, XenbusStateConnected, XB_CONNECT, XenbusStateConnected);
    step_is(XenbusStateInitWait, XenbusStateInitialising, XB_NONE, XenbusStateInitWait);
    step_is(XenbusStateConnected, XenbusStateConnected, XB_NONE, XenbusStateConnected);
    step_is(XenbusStateConnected, XenbusStateInitialised, XB_NONE, XenbusStateConnected);
    step_is(XenbusStateConnected, XenbusStateInitialising, XB_NONE, XenbusStateConnected);
    step_is(XenbusStateClosed, XenbusStateConnected, XB_NONE, XenbusStateClosed);
    step_is(XenbusStateClosing, XenbusStateInitialised, XB_NONE, XenbusStateClosing);
    /* close */
    step_is(XenbusStateConnected, XenbusStateClosing, XB_DISCONNECT, XenbusStateClosing);
    step_is(XenbusStateClosing, XenbusStateClosing, XB_NONE, XenbusStateClosing);
    step_is(XenbusStateClosing, XenbusStateClosed, XB_DISCONNECT, XenbusStateClosed);
    step_is(XenbusStateConnected, XenbusStateClosed, XB_DISCONNECT, XenbusStateClosed);
    step_is(XenbusStateClosed, XenbusStateClosed, XB_NONE, XenbusStateClosed);
    step_is(XenbusStateInitWait, XenbusStateUnknown, XB_DISCONNECT, XenbusStateClosed);
    step_is(XenbusStateConnected, XenbusStateUnknown, XB_DISCONNECT, XenbusStateClosed);
    /* reopen */
    step_is(XenbusStateClosed, XenbusStateInitialising, XB_REINIT, XenbusStateInitWait);
    step_is(XenbusStateClosing, XenbusStateInitialising, XB_NONE, XenbusStateClosing);
    /* nonsense from the frontend: fatal once, then nothing */
    step_is(XenbusStateConnected, XB_FE_BAD, XB_DISCONNECT, XenbusStateClosing);
    step_is(XenbusStateConnected, XenbusStateReconfiguring, XB_DISCONNECT, XenbusStateClosing);
    step_is(XenbusStateClosing, XB_FE_BAD, XB_NONE, XenbusStateClosing);
    step_is(XenbusStateClosed, XB_FE_BAD, XB_NONE, XenbusStateClosed);
    step_is(XenbusStateInitWait, XenbusStateInitWait, XB_NONE, XenbusStateInitWait);
}

/* A frontend flipping its state in a loop gets one connect per close and reopen, no more. */
static void test_flip_loop(void)
{
    static const uint32_t flips[] = { XenbusStateInitialised, XenbusStateClosed,
                                      XenbusStateInitialising, XenbusStateInitialised };
    uint32_t be = XenbusStateInitWait, connects = 0, i;

    for (i = 0; i < 1000; i++) {
        struct xb_step s = xb_backend_step(be, flips[i % 4]);
        connects += s.action == XB_CONNECT;
        be = s.next;
    }
    CHECK_EQ(connects, 251);            /* the first two, then one per four flips */
    CHECK_EQ(be, XenbusStateConnected);
}

/* DEV-22: the numbers a frontend publishes. */
static void test_parse(void)
{
    uint32_t v = 7;

    CHECK(xb_parse_u32("0", 1, 10, &v) && v == 0);
    CHECK(xb_parse_u32("4294967295", 10, 0xFFFFFFFFu, &v) && v == 0xFFFFFFFFu);
    CHECK(!xb_parse_u32("4294967296", 10, 0xFFFFFFFFu, &v));
    CHECK(!xb_parse_u32("99999999999", 11, 0xFFFFFFFFu, &v));
    CHECK(!xb_parse_u32("", 0, 10, &v));
    CHECK(!xb_parse_u32("-1", 2, 10, &v));
    CHECK(!xb_parse_u32("+1", 2, 10, &v));
    CHECK(!xb_parse_u32(" 1", 2, 10, &v));
    CHECK(!xb_parse_u32("1a", 2, 10, &v));
    CHECK(!xb_parse_u32("08", 2, 10, &v));
    CHECK(!xb_parse_u32("2", 1, 1, &v));               /* above max */
    CHECK(xb_parse_u32("1", 1, 1, &v) && v == 1);
    CHECK(!xb_parse_u32("1\0", 2, 10, &v));             /* a NUL inside the value */
}

int main(void)
{
    test_fe_state();
    test_steps();
    test_flip_loop();
    test_parse();
    return check_report();
}
