/*
 * The clock guard: system time never jumps, whatever the TSC does
 * (TIME-9, TIME-10).
 *
 * Theory of operation. System time is extrapolated from the TSC between
 * ticks (timekeeping.h), as Xen extrapolates it between calibrations
 * against its platform timer. A TSC can misbehave: under QEMU TCG the
 * guest's TSC is the host's, so a host whose TSC steps (a migrated or
 * resumed virtual machine, a vCPU thread moved to a CPU whose TSC is not
 * in step) steps every guest's clock and the hypervisor's with it. The
 * guard sits on the tick and on every read of the hypervisor's clock:
 *
 *  - A read is held within [floor, tick_ns + CLOCK_GUARD_STEP_MAX_NS]:
 *    never below what was handed out before, never more than one step
 *    past the last tick. Between a jump and the tick that judges it the
 *    hypervisor's own clock moves at most a step.
 *  - A tick whose TSC is below the last tick's is a TSC that went back:
 *    the clock is rebased at this TSC, system time a tick past the last
 *    one (the tick interrupt says at least a tick passed), never behind.
 *  - A tick more than a step after the last one is not yet a jump: a
 *    descheduled emulator moves the TSC and real time together, and its
 *    coalesced tick interrupts arrive as one. The glue reads the
 *    platform's time-of-day clock (the CMOS clock, whole seconds) and
 *    the guard compares the system time elapsed since the last anchor
 *    (a system time and a CMOS reading) with the CMOS clock's: more than
 *    CLOCK_GUARD_SLACK_NS ahead is a jump, and the clock is rebased so
 *    that system time advanced by the CMOS clock's amount; anything else
 *    is time that really passed and is kept. A CMOS clock ahead of the
 *    TSC (a stopped emulator: its TSC stops, the host's clock does not)
 *    is no jump: system time follows the TSC. Only a long gap is judged:
 *    a CMOS clock set back or forward (its host's time of day stepped)
 *    never moves system time on its own, and one that reads earlier than
 *    the anchor cannot judge (the rule without a CMOS clock applies).
 *  - The anchor is refreshed at least every CLOCK_GUARD_ANCHOR_NS of
 *    system time, so the TSC's calibration error (at most 0.1%, TIME-1)
 *    adds at most tens of ms to the comparison, against seconds of slack
 *    and the one-second resolution of the CMOS clock at each end.
 *  - Without a CMOS clock the guard cannot tell: an advance of up to
 *    CLOCK_GUARD_BLIND_MAX_NS between two ticks is kept, a larger one is
 *    a jump and system time advances by a tick.
 *
 * Invariants: tick_ns == timekeeping_clock_now(clock, tick_tsc) (the
 * clock's stamp is never after tick_tsc); floor >= tick_ns; every rebase
 * sets system time to at least max(floor, tick_ns + tick): system time
 * as anyone saw it never decreases. Guests extrapolate their records
 * themselves, so a guest reading its clock between a jump and the next
 * tick (at most a tick with interrupts on) can see the jump; the
 * republished record ends it.
 */
#ifndef CORE_CLOCK_GUARD_H
#define CORE_CLOCK_GUARD_H

#include "timekeeping.h"
#include "types.h"

#define CLOCK_GUARD_STEP_MAX_NS   1000000000ull      /* 1 s: more between ticks asks the CMOS clock */
#define CLOCK_GUARD_SLACK_NS      3000000000ull      /* TSC ahead of the CMOS clock by more: a jump */
#define CLOCK_GUARD_ANCHOR_NS     16000000000ull     /* re-anchor to the CMOS clock this often */
#define CLOCK_GUARD_BLIND_MAX_NS  600000000000ull    /* 10 min: kept without a CMOS clock */

struct clock_guard {
    uint64_t tick_ns;       /* system time at the last tick */
    uint64_t tick_tsc;      /* TSC at the last tick */
    uint64_t tick_len_ns;   /* the tick period (TIME-7) */
    uint64_t floor_ns;      /* the most system time handed out */
    uint64_t anchor_ns;     /* system time of the last CMOS reading (or attempt) */
    uint64_t anchor_sec;    /* the CMOS clock then, s since 1970, if anchored */
    bool anchored;          /* anchor_sec is a reading */
};

/* clock_guard_tick() and clock_guard_platform() verdicts. */
#define CLOCK_GUARD_OK        0   /* time as the TSC says */
#define CLOCK_GUARD_ASK       1   /* read the CMOS clock, then clock_guard_platform() */
#define CLOCK_GUARD_BACKWARD  2   /* the TSC went back: clock rebased */
#define CLOCK_GUARD_JUMPED    3   /* the TSC jumped ahead: clock rebased */

/* What a rebase did, for the log line. */
struct clock_guard_event {
    uint64_t tsc_delta;     /* |TSC - last tick's TSC| */
    uint64_t claimed_ns;    /* system time the TSC claimed since the last tick */
    uint64_t advanced_ns;   /* system time actually advanced since the last tick */
};

/*
 * Start guarding `c` at `tsc` (the clock's stamp or later), with a tick
 * of `tick_len_ns` and the CMOS clock at `rtc_sec` when `rtc_ok`.
 */
void clock_guard_init(struct clock_guard *g, const struct timekeeping_clock *c, uint64_t tsc,
                      uint64_t tick_len_ns, bool rtc_ok, uint64_t rtc_sec);

/* TIME-9: system time at `tsc`, held within [floor, tick_ns + step]; raises the floor. */
uint64_t clock_guard_now(struct clock_guard *g, const struct timekeeping_clock *c, uint64_t tsc);

/*
 * A tick at `tsc`. OK: the tick is recorded. BACKWARD: `c` rebased (ev
 * filled). ASK: nothing changed; the caller reads the CMOS clock and
 * calls clock_guard_platform() with the same tsc (TIME-10).
 */
int clock_guard_tick(struct clock_guard *g, struct timekeeping_clock *c, uint64_t tsc,
                     struct clock_guard_event *ev);

/*
 * The rest of a tick that asked: the CMOS clock read `rtc_sec` (`rtc_ok`
 * false if it could not be read). OK: the TSC's advance is kept and the
 * anchor refreshed. JUMPED (or BACKWARD, for a tsc below the last
 * tick's): `c` rebased, ev filled (TIME-10).
 */
int clock_guard_platform(struct clock_guard *g, struct timekeeping_clock *c, uint64_t tsc,
                         bool rtc_ok, uint64_t rtc_sec, struct clock_guard_event *ev);

#endif
