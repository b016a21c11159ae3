/*
 * The clock guard (see clock_guard.h for the theory of operation).
 */
#include "clock_guard.h"

static uint64_t max_u64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

/* tick_ns + d, saturating (a rebase never wraps system time). */
static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static void record_tick(struct clock_guard *g, uint64_t tsc, uint64_t ns)
{
    g->tick_tsc = tsc;
    g->tick_ns = ns;
    g->floor_ns = max_u64(g->floor_ns, ns);
}

static void set_anchor(struct clock_guard *g, uint64_t ns, bool rtc_ok, uint64_t rtc_sec)
{
    g->anchor_ns = ns;
    g->anchored = rtc_ok;
    g->anchor_sec = rtc_ok ? rtc_sec : 0;
}

void clock_guard_init(struct clock_guard *g, const struct timekeeping_clock *c, uint64_t tsc,
                      uint64_t tick_len_ns, bool rtc_ok, uint64_t rtc_sec)
{
    uint64_t ns = timekeeping_clock_now(c, tsc);

    g->floor_ns = 0;
    g->tick_len_ns = tick_len_ns;
    record_tick(g, tsc, ns);
    set_anchor(g, ns, rtc_ok, rtc_sec);
}

uint64_t clock_guard_now(struct clock_guard *g, const struct timekeeping_clock *c, uint64_t tsc)
{
    uint64_t ns = timekeeping_clock_now(c, tsc);
    uint64_t cap = add_sat(g->tick_ns, CLOCK_GUARD_STEP_MAX_NS);

    if (ns > cap)
        ns = cap;
    if (ns < g->floor_ns)
        ns = g->floor_ns;
    g->floor_ns = ns;
    return ns;
}

/*
 * Rebase `c` at `tsc` so that system time is `ns`, but never below what
 * was handed out nor less than a tick past the last tick.
 */
static void rebase(struct clock_guard *g, struct timekeeping_clock *c, uint64_t tsc, uint64_t ns,
                   struct clock_guard_event *ev)
{
    uint64_t least = max_u64(g->floor_ns, add_sat(g->tick_ns, g->tick_len_ns));

    ns = max_u64(ns, least);
    ev->advanced_ns = ns - g->tick_ns;
    c->tsc_stamp = tsc;
    c->system_time = ns;
    record_tick(g, tsc, ns);
}

/* The TSC went back: a tick's worth forward from the last tick. */
static int went_back(struct clock_guard *g, struct timekeeping_clock *c, uint64_t tsc,
                     struct clock_guard_event *ev)
{
    ev->tsc_delta = g->tick_tsc - tsc;
    ev->claimed_ns = 0;
    rebase(g, c, tsc, 0, ev);
    return CLOCK_GUARD_BACKWARD;
}

int clock_guard_tick(struct clock_guard *g, struct timekeeping_clock *c, uint64_t tsc,
                     struct clock_guard_event *ev)
{
    uint64_t ns;

    if (tsc < g->tick_tsc)
        return went_back(g, c, tsc, ev);
    ns = timekeeping_clock_now(c, tsc);
    /* a long gap: a descheduled emulator or a jump, the CMOS clock tells */
    if (ns - g->tick_ns > CLOCK_GUARD_STEP_MAX_NS)
        return CLOCK_GUARD_ASK;
    if (ns - g->anchor_ns >= CLOCK_GUARD_ANCHOR_NS)
        return CLOCK_GUARD_ASK;
    record_tick(g, tsc, ns);
    return CLOCK_GUARD_OK;
}

/* Can the CMOS clock judge? Read now, read at the anchor, and not gone back. */
static bool cmos_usable(const struct clock_guard *g, bool rtc_ok, uint64_t rtc_sec)
{
    return rtc_ok && g->anchored && rtc_sec >= g->anchor_sec;
}

/* The CMOS clock's time since the anchor, in ns (saturating). */
static uint64_t cmos_elapsed_ns(const struct clock_guard *g, uint64_t rtc_sec)
{
    uint64_t secs = rtc_sec - g->anchor_sec;

    return secs > UINT64_MAX / TIMEKEEPING_NS_PER_SEC ? UINT64_MAX
                                                      : secs * TIMEKEEPING_NS_PER_SEC;
}

int clock_guard_platform(struct clock_guard *g, struct timekeeping_clock *c, uint64_t tsc,
                         bool rtc_ok, uint64_t rtc_sec, struct clock_guard_event *ev)
{
    uint64_t ns, gap, cmos_ns = 0;
    bool judge = cmos_usable(g, rtc_ok, rtc_sec), jumped;

    if (tsc < g->tick_tsc)
        return went_back(g, c, tsc, ev);
    ns = timekeeping_clock_now(c, tsc);
    gap = ns - g->tick_ns;
    if (judge)
        cmos_ns = cmos_elapsed_ns(g, rtc_sec);
    /*
     * Only a long gap between two ticks can be a jump; a short one only
     * asked to refresh the anchor. A long one is a jump when the TSC ran
     * more than the slack ahead of the CMOS clock since the anchor, or,
     * with no CMOS clock to ask, when it is longer than any pause.
     */
    if (gap <= CLOCK_GUARD_STEP_MAX_NS)
        jumped = false;
    else if (judge)
        jumped = ns - g->anchor_ns > add_sat(cmos_ns, CLOCK_GUARD_SLACK_NS);
    else
        jumped = gap > CLOCK_GUARD_BLIND_MAX_NS;
    if (!jumped) {
        record_tick(g, tsc, ns);
        set_anchor(g, ns, rtc_ok, rtc_sec);
        return CLOCK_GUARD_OK;
    }
    ev->tsc_delta = tsc - g->tick_tsc;
    ev->claimed_ns = gap;
    /* the anchor plus the CMOS clock's time, or blind a tick (rebase's floor) */
    rebase(g, c, tsc, judge ? add_sat(g->anchor_ns, cmos_ns) : 0, ev);
    set_anchor(g, g->tick_ns, rtc_ok, rtc_sec);
    return CLOCK_GUARD_JUMPED;
}
