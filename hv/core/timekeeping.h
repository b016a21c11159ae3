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
