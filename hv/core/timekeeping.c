/*
 * PV time arithmetic (see timekeeping.h for the theory of operation).
 */
#include "timekeeping.h"
#include "pv/errno.h"

int timekeeping_scale_init(uint64_t from_hz, uint64_t to_hz, struct timekeeping_scale *s)
{
    uint64_t f = from_hz;
    int shift = 0;

    if (from_hz == 0 || from_hz > TIMEKEEPING_MAX_FROM_HZ || to_hz == 0 || to_hz > UINT32_MAX)
        return -EINVAL;
    /* Bring f into (to_hz, 2 * to_hz]: first down, then up. */
    while (f > 2 * to_hz) {
        f >>= 1;
        shift--;
    }
    while (f <= to_hz) {
        f <<= 1;
        shift++;
    }
    /* to_hz < 2^32, so to_hz << 32 fits; f > to_hz, so mul < 2^32. */
    s->mul = (uint32_t)((to_hz << 32) / f);
    s->shift = (int8_t)shift;
    return 0;
}

/*
 * d * mul / 2^32, rounded down, from two 32 x 32 products:
 * d * mul = hi * mul * 2^32 + lo * mul, so the quotient is
 * hi * mul + (lo * mul >> 32). The sum cannot wrap because the quotient
 * is below d.
 */
static uint64_t mul_frac(uint64_t d, uint32_t mul)
{
    uint64_t lo = (uint64_t)(uint32_t)d * mul;
    uint64_t hi = (uint64_t)(uint32_t)(d >> 32) * mul;

    return hi + (lo >> 32);
}

uint64_t timekeeping_scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
    if (shift >= 64 || shift <= -64)
        return 0;
    if (shift >= 0)
        delta <<= shift;
    else
        delta >>= -shift;
    return mul_frac(delta, mul);
}

uint64_t timekeeping_delta_limit(int8_t shift)
{
    if (shift <= 0)
        return UINT64_MAX;
    if (shift >= 64)
        return 0;
    return UINT64_MAX >> shift;
}

uint64_t timekeeping_scale(const struct timekeeping_scale *s, uint64_t delta)
{
    return timekeeping_scale_delta(delta, s->mul, s->shift);
}

uint32_t timekeeping_timer_count(const struct timekeeping_scale *to_ticks, uint64_t ns,
                                 uint32_t max_count)
{
    uint64_t ticks;

    /* past the shift limit the wait is longer than any counter anyway */
    if (ns > timekeeping_delta_limit(to_ticks->shift))
        return max_count ? max_count : 1;
    /*
     * One tick more than the rounded-down conversion, so the timer fires
     * at or just after the deadline rather than just before it, which
     * would cost an interrupt that only re-arms.
     */
    ticks = timekeeping_scale(to_ticks, ns) + 1;
    if (ticks > max_count)
        ticks = max_count;
    return ticks ? (uint32_t)ticks : 1;
}

int timekeeping_calibrate(uint64_t count_delta, uint64_t ref_ticks, uint64_t ref_hz,
                          uint64_t *hz)
{
    if (ref_ticks == 0 || ref_hz == 0)
        return -EINVAL;
    if (count_delta > UINT64_MAX / ref_hz)
        return -ERANGE;
    *hz = count_delta * ref_hz / ref_ticks;
    return 0;
}

/* ---- TSC calibration against the PIT ----------------------------------- */

static uint64_t ceil_div(uint64_t a, uint64_t b)
{
    return a / b + (a % b != 0);
}

/* A window's measures and error bound; hz stays 0 if it is unusable. */
static void calib_window(const struct timekeeping_pit_sample *a,
                         const struct timekeeping_pit_sample *b,
                         struct timekeeping_calib_window *w)
{
    uint64_t half_a, half_b, mid_a, mid_b, err;

    w->cycles = 0;
    w->ticks = (uint16_t)(a->count - b->count);   /* counting down, mod 2^16 */
    w->error_ppm = UINT32_MAX;
    w->hz = 0;
    w->kept = false;
    w->agrees = false;
    if (a->tsc_after < a->tsc_before || b->tsc_after < b->tsc_before ||
        b->tsc_before < a->tsc_after || w->ticks < TIMEKEEPING_CALIB_MIN_TICKS)
        return;
    half_a = (a->tsc_after - a->tsc_before) / 2;
    half_b = (b->tsc_after - b->tsc_before) / 2;
    mid_a = a->tsc_before + half_a;
    mid_b = b->tsc_before + half_b;
    w->cycles = mid_b - mid_a;
    if (w->cycles == 0 || w->cycles > UINT64_MAX / TIMEKEEPING_PIT_HZ)
        return;
    w->hz = w->cycles * TIMEKEEPING_PIT_HZ / w->ticks;
    /* where in each bracket the count was latched, then one whole tick
     * (each half is at most half a 64-bit TSC, so their sum cannot wrap) */
    err = half_a + half_b > UINT64_MAX / 1000000u ? UINT64_MAX
          : ceil_div((half_a + half_b) * 1000000u, w->cycles) + ceil_div(1000000u, w->ticks);
    w->error_ppm = err > UINT32_MAX ? UINT32_MAX : (uint32_t)err;
    w->kept = w->error_ppm <= TIMEKEEPING_CALIB_WINDOW_PPM;
}

/* Median rate of all usable windows, the lower of an even count. */
static uint64_t median_rate(const struct timekeeping_calib *c)
{
    uint64_t v[TIMEKEEPING_CALIB_MAX_SAMPLES - 1];
    uint32_t n = 0, i, j;

    for (i = 0; i < c->nr_windows; i++) {
        uint64_t x = c->w[i].hz;

        if (!x)
            continue;
        for (j = n++; j > 0 && v[j - 1] > x; j--)    /* insertion sort: n <= 32 */
            v[j] = v[j - 1];
        v[j] = x;
    }
    return n ? v[(n - 1) / 2] : 0;
}

/* |x - ref| <= ref * ppm / 1e6, without overflow for ppm <= 1e6 */
static bool within_ppm(uint64_t x, uint64_t ref, uint32_t ppm)
{
    uint64_t diff = x > ref ? x - ref : ref - x;

    return diff <= ref / 1000000u * ppm + ref % 1000000u * ppm / 1000000u;
}

/* How many kept windows are within AGREE_PPM of `hz`. */
static uint32_t kept_near(const struct timekeeping_calib *c, uint64_t hz)
{
    uint32_t i, n = 0;

    for (i = 0; i < c->nr_windows; i++)
        n += c->w[i].kept && within_ppm(c->w[i].hz, hz, TIMEKEEPING_CALIB_AGREE_PPM);
    return n;
}

/* The centre (see timekeeping.h): 0 if no window is kept. */
static uint64_t centre_rate(const struct timekeeping_calib *c)
{
    uint64_t best_hz = 0;
    uint32_t best_n = 0, i;

    for (i = 0; i < c->nr_windows; i++) {
        uint32_t n;

        if (!c->w[i].kept)
            continue;
        n = kept_near(c, c->w[i].hz);
        if (n > best_n || (n == best_n && c->w[i].hz < best_hz)) {
            best_n = n;
            best_hz = c->w[i].hz;
        }
    }
    return best_hz;
}

int timekeeping_calib_judge(const struct timekeeping_pit_sample *s, uint32_t n,
                            struct timekeeping_calib *c)
{
    uint64_t cycles = 0, ticks = 0;
    uint32_t i;

    if (n < 2 || n > TIMEKEEPING_CALIB_MAX_SAMPLES)
        return -EINVAL;
    c->nr_windows = n - 1;
    c->nr_kept = 0;
    c->nr_agree = 0;
    c->hz = 0;
    for (i = 0; i + 1 < n; i++) {
        calib_window(&s[i], &s[i + 1], &c->w[i]);
        c->nr_kept += c->w[i].kept;
    }
    c->centre_hz = centre_rate(c);
    for (i = 0; i < c->nr_windows; i++) {
        struct timekeeping_calib_window *w = &c->w[i];

        w->agrees = w->kept && within_ppm(w->hz, c->centre_hz, TIMEKEEPING_CALIB_AGREE_PPM);
        if (!w->agrees)
            continue;
        c->nr_agree++;
        cycles += w->cycles;
        ticks += w->ticks;
    }
    if (c->nr_agree < TIMEKEEPING_CALIB_QUORUM)
        return -EAGAIN;
    /* each window's cycles * PIT_HZ fits; 32 of them together need not
     * (and an agreeing window has ticks, but say so) */
    if (cycles > UINT64_MAX / TIMEKEEPING_PIT_HZ || ticks == 0)
        return -EAGAIN;
    c->hz = cycles * TIMEKEEPING_PIT_HZ / ticks;
    return 0;
}

int timekeeping_calib_fallback(const struct timekeeping_calib *c, uint64_t *hz)
{
    uint64_t guess = c->nr_kept ? c->centre_hz : median_rate(c);

    if (!guess)
        return -ERANGE;
    *hz = guess;
    return 0;
}

/* ---- vcpu_time_info ---------------------------------------------------- */

uint64_t timekeeping_system_time(const struct vcpu_time_info *t, uint64_t tsc)
{
    uint64_t stamp = t->tsc_timestamp;
    uint64_t delta = tsc > stamp ? tsc - stamp : 0;

    return t->system_time + timekeeping_scale_delta(delta, t->tsc_to_system_mul, t->tsc_shift);
}

uint64_t timekeeping_clock_now(const struct timekeeping_clock *c, uint64_t tsc)
{
    uint64_t delta = tsc > c->tsc_stamp ? tsc - c->tsc_stamp : 0;

    return c->system_time + timekeeping_scale(&c->tsc_to_ns, delta);
}

/* TIME-2, TIME-8: the record a guest extrapolates from. */
void timekeeping_time_info(const struct timekeeping_clock *c, uint64_t tsc_now, uint8_t flags,
                           struct vcpu_time_info *t)
{
    /*
     * Stamp the record at tsc_now rather than copying the clock's own
     * reference: a guest extrapolates over a short delta, and the record
     * agrees with the clock at tsc_now whichever it started from.
     */
    t->pad0 = 0;
    t->tsc_timestamp = tsc_now;
    t->system_time = timekeeping_clock_now(c, tsc_now);
    t->tsc_to_system_mul = c->tsc_to_ns.mul;
    t->tsc_shift = c->tsc_to_ns.shift;
    t->flags = flags;
    t->pad1[0] = 0;
    t->pad1[1] = 0;
}

uint32_t timekeeping_version_begin(uint32_t seq)
{
    return (seq & ~1u) + 1u;
}

uint32_t timekeeping_version_end(uint32_t seq)
{
    return (seq & ~1u) + 2u;
}

/* ---- set_timer_op ------------------------------------------------------ */

/* TIME-4. */
int timekeeping_timer_deadline(uint64_t timeout, uint64_t now, uint64_t *deadline)
{
    if (timeout == 0)
        return TIMEKEEPING_TIMER_CANCEL;
    /* negative as a signed 64-bit time, or absurdly far: Linux's bug */
    if (timeout >= (1ull << 63) ||
        (timeout > now && timeout - now >= TIMEKEEPING_TIMER_FAR_NS)) {
        *deadline = now + TIMEKEEPING_TIMER_SLOP_NS;
        return TIMEKEEPING_TIMER_ARM;
    }
    *deadline = timeout;
    return TIMEKEEPING_TIMER_ARM;
}

/* ---- wallclock --------------------------------------------------------- */

#define UNIX_EPOCH_DAYS 719468u

/*
 * Days since 1970-01-01 of a Gregorian date, counting years from March
 * so the leap day is the last day of the year and months have a fixed
 * day offset: (153 * m + 2) / 5 for m = 0 (March) .. 11 (February).
 */
static uint64_t days_from_civil(uint32_t year, uint32_t mon, uint32_t day)
{
    uint64_t y = mon <= 2 ? (uint64_t)year - 1 : year;
    uint64_t m = mon <= 2 ? mon + 9u : mon - 3u;
    uint64_t days = y * 365 + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + day - 1;

    /* that counts from 0000-03-01; 1970-01-01 is day 719468 of it */
    return days > UNIX_EPOCH_DAYS ? days - UNIX_EPOCH_DAYS : 0;
}

uint64_t timekeeping_mktime(uint32_t year, uint32_t mon, uint32_t day, uint32_t hour,
                            uint32_t min, uint32_t sec)
{
    return days_from_civil(year, mon, day) * 86400u + hour * 3600ull + min * 60ull + sec;
}

/* TIME-3. */
int timekeeping_wallclock(uint64_t epoch_ns, uint64_t system_ns, struct timekeeping_wallclock *wc)
{
    uint64_t boot_ns, secs;

    if (system_ns > epoch_ns)
        return -EINVAL;
    boot_ns = epoch_ns - system_ns;
    secs = boot_ns / TIMEKEEPING_NS_PER_SEC;
    wc->sec = (uint32_t)secs;
    wc->sec_hi = (uint32_t)(secs >> 32);
    wc->nsec = (uint32_t)(boot_ns % TIMEKEEPING_NS_PER_SEC);
    return 0;
}
