/*
 * PV time: the arithmetic behind vcpu_time_info, timers and the wallclock.
 *
 * Theory of operation. A PV guest reads the time without entering the
 * hypervisor: it takes the TSC and extrapolates from the last record the
 * hypervisor wrote into its vcpu_info,
 *
 *     now_ns = system_time + scale(tsc - tsc_timestamp, mul, shift)
 *     scale(d, mul, shift) = ((shift >= 0 ? d << shift : d >> -shift) * mul) >> 32
 *
 * where the product is 64 x 32 bits and only its top 64 of 96 bits are
 * kept (facts sheet §3.1). The same fixed-point form converts any rate to
 * any other (TSC ticks to ns, ns to PIT or LAPIC ticks), so one scale type
 * serves all of them.
 *
 * A scale is built by timekeeping_scale_init(from_hz, to_hz): the input
 * rate is shifted by a power of two into (to_hz, 2 * to_hz], so mul =
 * to_hz * 2^32 / shifted_rate lies in [2^31, 2^32) and keeps 31 bits of
 * precision. Scaling never overflows in the multiply (the result is below
 * the shifted input); the only overflow is the left shift, so a delta is
 * exact up to timekeeping_delta_limit(shift), which is at least 2^54
 * ticks for every TSC of 1 MHz or more.
 *
 * Everything is 32-bit clean: no __int128, 64-bit division only where
 * libgcc provides it (scale set-up, wallclock), none on the read path.
 */
#ifndef CORE_TIMEKEEPING_H
#define CORE_TIMEKEEPING_H

#include "types.h"
#include "pv/shared_info.h"

#define TIMEKEEPING_NS_PER_SEC  1000000000ull
#define TIMEKEEPING_PIT_HZ      1193182u
#define TIMEKEEPING_MAX_FROM_HZ (1ull << 40)   /* fastest input rate accepted */

/* ns_out = scale(ticks_in): see the theory above. */
struct timekeeping_scale {
    uint32_t mul;    /* 32.32 fixed point, in [2^31, 2^32) after init */
    int8_t   shift;
};

/*
 * A scale from `from_hz` to `to_hz` units. 0, or -EINVAL unless
 * 1 <= from_hz <= TIMEKEEPING_MAX_FROM_HZ and 1 <= to_hz <= UINT32_MAX.
 * The result is the rate ratio rounded down, to within 2^-31 plus the
 * bits the shift drops from from_hz (relative error below 1 / to_hz).
 */
int timekeeping_scale_init(uint64_t from_hz, uint64_t to_hz, struct timekeeping_scale *s);

/*
 * scale(delta, mul, shift) exactly as a guest computes it: shift, then
 * the top 64 bits of the 96-bit product. Any shift is defined: bits
 * shifted out are lost, as in the guest's own code (a shift of 64 or more
 * gives 0).
 */
uint64_t timekeeping_scale_delta(uint64_t delta, uint32_t mul, int8_t shift);

/* The largest delta whose shift loses no bits (UINT64_MAX for shift <= 0). */
uint64_t timekeeping_delta_limit(int8_t shift);

/* Convenience: scale_delta with a scale. */
uint64_t timekeeping_scale(const struct timekeeping_scale *s, uint64_t delta);

/*
 * A timer's counter value for a wait of `ns`, with `to_ticks` the scale
 * from ns to the timer's rate: at least 1 (a zero count means "stopped"
 * or "maximum" on real timers), at most `max_count` (0xFFFF for the PIT,
 * 0xFFFFFFFF for the LAPIC). The count is the rounded-down conversion
 * plus one, so a timer fires up to one tick late rather than early; the
 * scale's own error (2^-31 of the wait) can still make a long wait a tick
 * short, so the handler compares with the clock and re-arms if early.
 */
uint32_t timekeeping_timer_count(const struct timekeeping_scale *to_ticks, uint64_t ns,
                                 uint32_t max_count);

/*
 * Calibration: the rate of a counter that advanced `count_delta` while a
 * reference at `ref_hz` advanced `ref_ticks`. 0, or -EINVAL for a zero
 * interval, -ERANGE if count_delta * ref_hz does not fit 64 bits.
 */
int timekeeping_calibrate(uint64_t count_delta, uint64_t ref_ticks, uint64_t ref_hz,
                          uint64_t *hz);

/* ---- the TSC against the PIT, on a loaded machine (TIME-1) ------------
 *
 * One window of the PIT says how fast the TSC runs only if nothing stopped
 * the CPU at the wrong moment: under an emulator on a busy host, or with
 * an SMI on hardware, the vCPU can be descheduled between reading one
 * clock and the other, and the window then counts the pause on one side
 * only (one 10 ms window reported 2.10 to 5.77 GHz on a loaded host whose
 * TSC runs at 2.096 GHz). So the arch code only measures: it reads PIT
 * channel 2, counting down through 16 bits, between two TSC reads, over
 * and over; this decides. A pause inside a reading shows as a wide TSC
 * bracket; a pause between readings counts on both clocks alike (unless
 * it is longer than the PIT's 55 ms wrap, which makes the window disagree
 * with the others). Each pair of consecutive readings is a window:
 *
 *  - kept when its error bound is small: the two half-brackets (where in
 *    its bracket each count was latched) against its TSC cycles, plus one
 *    PIT tick (the counts are whole ticks) against its ticks, at most
 *    TIMEKEEPING_CALIB_WINDOW_PPM;
 *  - agreeing when its rate is within TIMEKEEPING_CALIB_AGREE_PPM of the
 *    centre: the kept window with the most kept windows that close to
 *    it, the slower one on a tie (a pause past the wrap loses whole
 *    wraps of ticks, so such a window only ever reads fast, and two of
 *    them rarely read alike).
 *
 * With TIMEKEEPING_CALIB_QUORUM agreeing windows the rate is theirs
 * together: the sum of their cycles over the sum of their ticks, times
 * the PIT's rate (consecutive windows telescope, so the result is as good
 * as their span allows).
 */
#define TIMEKEEPING_CALIB_MAX_SAMPLES 33u     /* 32 windows */
#define TIMEKEEPING_CALIB_MIN_TICKS   1193u   /* a window of at least 1 ms */
#define TIMEKEEPING_CALIB_WINDOW_PPM  1000u
#define TIMEKEEPING_CALIB_AGREE_PPM   1000u
#define TIMEKEEPING_CALIB_QUORUM      3u

/* One reading: the PIT count latched at some TSC in [tsc_before, tsc_after]. */
struct timekeeping_pit_sample {
    uint64_t tsc_before;
    uint64_t tsc_after;
    uint16_t count;       /* PIT channel 2, counting down, wrapping at 16 bits */
};

/* A window between two consecutive readings, as judged. */
struct timekeeping_calib_window {
    uint64_t cycles;      /* TSC cycles between the two brackets' midpoints */
    uint32_t ticks;       /* PIT ticks between the two counts (mod 2^16) */
    uint32_t error_ppm;   /* bound on the window's relative error (saturates) */
    uint64_t hz;          /* its rate: cycles * PIT_HZ / ticks; 0 if unusable */
    bool kept;            /* usable, and error_ppm <= WINDOW_PPM */
    bool agrees;          /* kept, and within AGREE_PPM of the centre */
};

struct timekeeping_calib {
    uint32_t nr_windows;
    uint32_t nr_kept;
    uint32_t nr_agree;
    uint64_t centre_hz;   /* the centre's rate (0 if no window is kept) */
    uint64_t hz;          /* the result when nr_agree >= QUORUM, else 0 */
    struct timekeeping_calib_window w[TIMEKEEPING_CALIB_MAX_SAMPLES - 1];
};

/*
 * Judge the readings s[0..n-1], taken in this order from one count-down:
 * 0 with c->hz set when TIMEKEEPING_CALIB_QUORUM windows are kept and
 * agree; -EAGAIN when they do not (more readings may settle it); -EINVAL
 * if n < 2 or n > TIMEKEEPING_CALIB_MAX_SAMPLES. A window is unusable
 * (hz 0, never kept) if its readings go backwards in TSC order, its
 * brackets are inverted, its ticks are fewer than
 * TIMEKEEPING_CALIB_MIN_TICKS, or its rate does not fit 64 bits. c is
 * filled in every case but -EINVAL.
 */
int timekeeping_calib_judge(const struct timekeeping_pit_sample *s, uint32_t n,
                            struct timekeeping_calib *c);

/*
 * The best guess when no quorum came after all the readings the arch code
 * was willing to take: the centre, or with no kept window the median of
 * all usable ones. 0 with *hz, or -ERANGE if no window was usable at all.
 * The caller says loudly that the rate is unconfirmed.
 */
int timekeeping_calib_fallback(const struct timekeeping_calib *c, uint64_t *hz);

/* ---- vcpu_time_info ---------------------------------------------------- */

/* The hypervisor's reference point: system time at a known TSC. */
struct timekeeping_clock {
    uint64_t tsc_stamp;                  /* TSC at the reference point */
    uint64_t system_time;                /* ns since boot at tsc_stamp */
    struct timekeeping_scale tsc_to_ns;
};

/*
 * System time (ns since boot) at `tsc` from a record (a hypervisor-owned
 * copy, never the guest-writable page). A TSC before the record's stamp
 * counts as no time passed, so the result never goes below system_time.
 */
uint64_t timekeeping_system_time(const struct vcpu_time_info *t, uint64_t tsc);

/* The same from the hypervisor's clock. */
uint64_t timekeeping_clock_now(const struct timekeeping_clock *c, uint64_t tsc);

/*
 * The fields of a fresh record taken at `tsc_now`: every field of *t but
 * version (and the pads, zeroed). The glue publishes it as
 *   version = timekeeping_version_begin(seq)   (odd)
 *   write barrier; copy the fields; write barrier;
 *   seq = timekeeping_version_end(seq); version = seq   (even)
 * with `seq` kept in hypervisor memory: the guest can write the page, so
 * the hypervisor never reads the version back from it.
 */
void timekeeping_time_info(const struct timekeeping_clock *c, uint64_t tsc_now, uint8_t flags,
                           struct vcpu_time_info *t);

/* The odd version announcing an update after `seq` (any value). */
uint32_t timekeeping_version_begin(uint32_t seq);

/* The even version that ends it: the next `seq`. */
uint32_t timekeeping_version_end(uint32_t seq);

/* ---- set_timer_op (facts §7.6) --------------------------------------- */

#define TIMEKEEPING_TIMER_CANCEL 0   /* stop the single-shot timer */
#define TIMEKEEPING_TIMER_ARM    1   /* arm it for *deadline (may be past: fire now) */

#define TIMEKEEPING_TIMER_SLOP_NS (100ull * 1000000ull)  /* the Linux workaround */
#define TIMEKEEPING_TIMER_FAR_NS  (1ull << 50)

/*
 * set_timer_op(timeout) at system time `now`: 0 cancels; a negative
 * timeout or one 2^50 ns or more in the future fires 100 ms from now;
 * anything else (past included) is the deadline.
 */
int timekeeping_timer_deadline(uint64_t timeout, uint64_t now, uint64_t *deadline);

/* ---- wallclock --------------------------------------------------------- */

/* Seconds since 1970-01-01 00:00:00 UTC of a calendar date (year >= 1970). */
uint64_t timekeeping_mktime(uint32_t year, uint32_t mon, uint32_t day, uint32_t hour,
                            uint32_t min, uint32_t sec);

/* shared_info's wallclock: the time of day at system time 0. */
struct timekeeping_wallclock {
    uint32_t sec;      /* wc_sec */
    uint32_t nsec;     /* wc_nsec, < 1e9 */
    uint32_t sec_hi;   /* wc_sec_hi */
};

/*
 * The wallclock at system time 0, given that the time of day was
 * `epoch_ns` (ns since 1970) at system time `system_ns`. 0, or -EINVAL
 * if system_ns > epoch_ns (a clock before 1970 plus uptime).
 */
int timekeeping_wallclock(uint64_t epoch_ns, uint64_t system_ns, struct timekeeping_wallclock *wc);

#endif
