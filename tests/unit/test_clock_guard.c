/*
 * Unit tests of the clock guard (TIME-9, TIME-10; hv/core/clock_guard.c)
 * on a simulated machine: real time in ns, a TSC at 2.096 GHz that the
 * test can make jump ahead or back, a CMOS clock in whole seconds of real
 * time, and ticks taken as the hypervisor takes them (clock_guard_tick,
 * then the CMOS clock and clock_guard_platform when asked). Checked:
 * quiet ticks never rebase; a descheduled emulator (one coalesced tick
 * seconds later) keeps every second it was away; the 88,426 s jump seen
 * once under the hostile-guest smoke, alone and during a pause, advances
 * system time by the CMOS clock's amount; a TSC that goes back advances
 * it by a tick; reads never go back and move at most a step between
 * ticks; without a CMOS clock only an advance beyond any pause is a jump;
 * a CMOS clock set back or forward never moves system time.
 */
#include "check.h"
#include "clock_guard.h"

#define NS_PER_S  1000000000ull
#define NS_PER_MS 1000000ull
#define TSC_HZ    2096000000ull
#define EPOCH_S   1765000000ull

struct machine {
    uint64_t t;                 /* real time, ns */
    uint64_t tsc_offset;        /* added to the TSC (a jump ahead) */
    uint64_t tsc_back;          /* taken from it (a jump back) */
    int64_t rtc_step_s;         /* the host's time of day set forward (+) or back (-) */
    bool rtc_ok;
    struct timekeeping_clock clock;
    struct clock_guard guard;
    uint32_t jumped, back;      /* rebases seen */
    uint64_t last_read;         /* the last clock_guard_now() */
};

static uint64_t m_tsc(const struct machine *m)
{
    /* t * TSC_HZ / 1e9 without overflow for t below 2^64 / 2.1 */
    uint64_t s = m->t / NS_PER_S, ns = m->t % NS_PER_S;

    return 1000000000000000ull + s * TSC_HZ + ns * TSC_HZ / NS_PER_S + m->tsc_offset - m->tsc_back;
}

static uint64_t m_rtc(const struct machine *m)
{
    return (uint64_t)((int64_t)(EPOCH_S + m->t / NS_PER_S) + m->rtc_step_s);
}

static void m_init(struct machine *m, bool rtc_ok)
{
    memset(m, 0, sizeof(*m));
    m->t = 123456789;
    m->rtc_ok = rtc_ok;
    CHECK_EQ(timekeeping_scale_init(TSC_HZ, NS_PER_S, &m->clock.tsc_to_ns), 0);
    m->clock.tsc_stamp = m_tsc(m);
    m->clock.system_time = 0;
    clock_guard_init(&m->guard, &m->clock, m_tsc(m), NS_PER_MS, rtc_ok, m_rtc(m));
}

/* A read of the clock: never back (TIME-9). */
static uint64_t m_read(struct machine *m)
{
    uint64_t ns = clock_guard_now(&m->guard, &m->clock, m_tsc(m));

    CHECK(ns >= m->last_read);
    m->last_read = ns;
    return ns;
}

/* A tick at the current time, as timer_clock_tick() takes it. */
static int m_tick(struct machine *m)
{
    struct clock_guard_event ev = { 0, 0, 0 };
    uint64_t tsc = m_tsc(m);
    int v = clock_guard_tick(&m->guard, &m->clock, tsc, &ev);

    if (v == CLOCK_GUARD_ASK)
        v = clock_guard_platform(&m->guard, &m->clock, tsc, m->rtc_ok, m_rtc(m), &ev);
    CHECK(v == CLOCK_GUARD_OK || v == CLOCK_GUARD_JUMPED || v == CLOCK_GUARD_BACKWARD);
    m->jumped += v == CLOCK_GUARD_JUMPED;
    m->back += v == CLOCK_GUARD_BACKWARD;
    if (v != CLOCK_GUARD_OK)
        CHECK(ev.advanced_ns >= NS_PER_MS);
    (void)m_read(m);
    return v;
}

/* `ms` of 1 kHz ticks, a read between each. */
static void m_run(struct machine *m, uint32_t ms)
{
    uint32_t i;

    for (i = 0; i < ms; i++) {
        m->t += NS_PER_MS / 2;
        (void)m_read(m);
        m->t += NS_PER_MS / 2;
        CHECK_EQ(m_tick(m), CLOCK_GUARD_OK);
    }
}

/* |system time - (real time - offset)| within `tol` ns */
static bool tracks(struct machine *m, uint64_t offset, uint64_t tol)
{
    uint64_t want = m->t - 123456789 - offset, got = m_read(m);

    return (got > want ? got - want : want - got) <= tol;
}

/* Quiet: 40 s of ticks (two anchor refreshes), no rebase, exact. */
static void test_quiet(void)
{
    struct machine m;

    m_init(&m, true);
    m_run(&m, 40000);
    CHECK_EQ(m.jumped + m.back, 0);
    CHECK(tracks(&m, 0, 1000));
    CHECK(m.guard.anchored);
    CHECK(m.guard.anchor_ns + CLOCK_GUARD_ANCHOR_NS > m.guard.tick_ns);
}

/* A descheduled emulator: the ticks of `away` coalesce into one. */
static void test_descheduled(void)
{
    static const uint64_t away_ms[] = { 999, 1001, 2500, 5000, 30000, 120000, 900000 };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(away_ms); i++) {
        struct machine m;

        m_init(&m, true);
        m_run(&m, 7321);                /* an anchor some seconds old */
        m.t += away_ms[i] * NS_PER_MS;
        CHECK_EQ_CASE("TIME-10 a pause is no jump", m_tick(&m), CLOCK_GUARD_OK);
        CHECK_EQ_CASE("TIME-10 a pause is kept", tracks(&m, 0, 1000), 1);
        m_run(&m, 20);
        CHECK_EQ_CASE("TIME-10 no rebase", m.jumped + m.back, 0);
    }
}

/* The jump seen under the hostile-guest smoke: 88,426 s between two ticks. */
static void test_jump_ahead(void)
{
    struct machine m;
    uint64_t before, read_ns, after;

    m_init(&m, true);
    m_run(&m, 31546);
    before = m_read(&m);
    m.t += NS_PER_MS / 2;
    m.tsc_offset = 88426ull * TSC_HZ;
    /* reads before the tick judges it move at most a step */
    read_ns = m_read(&m);
    CHECK(read_ns <= before + CLOCK_GUARD_STEP_MAX_NS);
    CHECK(read_ns >= before);
    m.t += NS_PER_MS / 2;
    CHECK_EQ(m_tick(&m), CLOCK_GUARD_JUMPED);
    after = m_read(&m);
    /* the CMOS clock's amount: its whole seconds since the anchor, at most a step */
    CHECK(after >= read_ns);
    CHECK(after <= before + CLOCK_GUARD_STEP_MAX_NS + NS_PER_MS);
    /* then time runs on at the TSC's rate from there */
    m_run(&m, 5000);
    CHECK_EQ(m.jumped, 1);
    CHECK(m_read(&m) - after >= 5000 * NS_PER_MS - 1000);
    CHECK(m_read(&m) - after <= 5001 * NS_PER_MS);
    CHECK(tracks(&m, 0, 2 * NS_PER_S));
}

/* A jump while descheduled: the pause is kept (to the CMOS clock's second), the jump not. */
static void test_jump_during_pause(void)
{
    struct machine m;

    m_init(&m, true);
    m_run(&m, 10500);
    m.t += 7 * NS_PER_S;
    m.tsc_offset = 3600ull * TSC_HZ;
    CHECK_EQ(m_tick(&m), CLOCK_GUARD_JUMPED);
    CHECK(tracks(&m, 0, 1100 * NS_PER_MS));
    m_run(&m, 100);
    CHECK_EQ(m.jumped, 1);
    /* a jump just under the slack is a pause (what the guard cannot see) */
    m_init(&m, true);
    m_run(&m, 3000);
    m.t += 2 * NS_PER_S;
    m.tsc_offset = 2 * TSC_HZ;          /* 2 s of TSC that never happened */
    CHECK_EQ(m_tick(&m), CLOCK_GUARD_OK);
    CHECK(tracks(&m, 0, 2 * NS_PER_S + 1000));
}

/* A TSC that goes back: system time a tick on, reads held meanwhile. */
static void test_back(void)
{
    struct machine m;
    uint64_t before, held;

    m_init(&m, true);
    m_run(&m, 2000);
    before = m_read(&m);
    m.t += NS_PER_MS / 2;
    m.tsc_back = 1000ull * TSC_HZ;
    held = m_read(&m);
    CHECK_EQ(held, before);
    m.t += NS_PER_MS / 2;
    CHECK_EQ(m_tick(&m), CLOCK_GUARD_BACKWARD);
    CHECK_EQ(m_read(&m), before + NS_PER_MS);
    m_run(&m, 3000);
    CHECK_EQ(m.back, 1);
    CHECK_EQ(m.jumped, 0);
    CHECK(tracks(&m, 0, NS_PER_MS));
    /* back by less than a tick: still never back */
    m.t += NS_PER_MS;
    m.tsc_back += TSC_HZ / 1000 + 1;
    CHECK_EQ(m_tick(&m), CLOCK_GUARD_BACKWARD);
}

/* No CMOS clock: pauses of minutes are kept, a day's jump is not. */
static void test_blind(void)
{
    struct machine m;
    uint64_t before;

    m_init(&m, false);
    CHECK(!m.guard.anchored);
    m_run(&m, 20000);
    m.t += 300 * NS_PER_S;
    CHECK_EQ(m_tick(&m), CLOCK_GUARD_OK);
    CHECK(tracks(&m, 0, 1000));
    before = m_read(&m);
    m.t += NS_PER_MS;
    m.tsc_offset = 88426ull * TSC_HZ;
    CHECK_EQ(m_tick(&m), CLOCK_GUARD_JUMPED);
    CHECK_EQ(m_read(&m), before + NS_PER_MS);
    /* a CMOS clock that fails later: the same */
    m_init(&m, true);
    m_run(&m, 1000);
    m.rtc_ok = false;
    before = m_read(&m);
    m.t += NS_PER_MS;
    m.tsc_offset = 88426ull * TSC_HZ;
    CHECK_EQ(m_tick(&m), CLOCK_GUARD_JUMPED);
    CHECK_EQ(m_read(&m), before + NS_PER_MS);
}

/* The host's time of day stepped: system time never follows it alone. */
static void test_rtc_stepped(void)
{
    struct machine m;

    m_init(&m, true);
    m_run(&m, 3000);
    m.rtc_step_s = -7200;
    m_run(&m, 40000);                   /* anchor refreshes read an earlier clock */
    m.t += 5 * NS_PER_S;                /* a pause judged against it: blind rule, kept */
    CHECK_EQ(m_tick(&m), CLOCK_GUARD_OK);
    m.rtc_step_s = 86400;
    m_run(&m, 40000);
    m.t += 5 * NS_PER_S;
    CHECK_EQ(m_tick(&m), CLOCK_GUARD_OK);
    CHECK_EQ(m.jumped + m.back, 0);
    CHECK(tracks(&m, 0, 1000));
}

/* A stopped emulator (TSC stopped, the host's clock not): no jump, the TSC's time. */
static void test_stopped(void)
{
    struct machine m;
    uint64_t before;

    m_init(&m, true);
    m_run(&m, 2000);
    before = m_read(&m);
    m.t += 60 * NS_PER_S;
    m.tsc_back = 60 * TSC_HZ;           /* the TSC did not run meanwhile */
    m.t += NS_PER_MS;
    CHECK_EQ(m_tick(&m), CLOCK_GUARD_OK);
    CHECK(m_read(&m) - before <= NS_PER_MS + 1000);
    m_run(&m, 20000);
    CHECK_EQ(m.jumped + m.back, 0);
}

int main(void)
{
    test_quiet();
    test_descheduled();
    test_jump_ahead();
    test_jump_during_pause();
    test_back();
    test_blind();
    test_rtc_stepped();
    test_stopped();
    return check_report();
}
