/*
 * The PIT and the TSC (see arch/timer.h). Calibration only measures here:
 * PIT channel 2, which QEMU and Bochs model, counts down from 0xFFFF and
 * keeps wrapping, and every 5 ms its count is read between two TSC reads.
 * hv/core/timekeeping.c decides which windows between readings are
 * precise and agree, and the rate (TIME-1). The scale from TSC cycles to
 * ns is then the one guests get in vcpu_time_info. Every read of the
 * clock and every tick go through the clock guard (hv/core/clock_guard.c,
 * TIME-9 and TIME-10), which this file feeds with the TSC and, when it
 * asks, the CMOS clock.
 */
#include "arch/cpu.h"
#include "arch/timer.h"
#include "clock_guard.h"
#include "printk.h"
#include "pv/errno.h"

#define PIT_CH0      0x40
#define PIT_CH2      0x42
#define PIT_CMD      0x43
#define PIT_GATE     0x61
#define WINDOW_TICKS 5966u           /* 5 ms of the 1.193182 MHz PIT */

static struct timekeeping_clock hv_clock;   /* written at boot and by the guard only (TIME-10) */
uint64_t tsc_hz;
static uint64_t tick_tsc;           /* TSC cycles per tick */
static uint64_t tick_due_tsc;       /* when the next tick interrupt is due */
static struct clock_guard guard;    /* TIME-9, TIME-10 */

/* Channel 2 counting down from 0xFFFF, wrapping (mode 0), speaker off. */
static void pit_ch2_start(void)
{
    outb(PIT_GATE, (uint8_t)((inb(PIT_GATE) & ~0x02u) | 0x01u));   /* gate on, speaker off */
    outb(PIT_CMD, 0xB0);                                           /* ch2, lo/hi, mode 0 */
    outb(PIT_CH2, 0xFF);
    outb(PIT_CH2, 0xFF);
}

/* Latch channel 2 and read its count. */
static uint16_t pit_ch2_read(void)
{
    uint8_t lo, hi;

    outb(PIT_CMD, 0x80);
    lo = inb(PIT_CH2);
    hi = inb(PIT_CH2);
    return (uint16_t)(lo | (hi << 8));
}

/* One reading: the latch command bracketed by TSC reads. */
static void pit_sample(struct timekeeping_pit_sample *s)
{
    uint8_t lo, hi;

    s->tsc_before = rdtsc();
    outb(PIT_CMD, 0x80);
    s->tsc_after = rdtsc();
    lo = inb(PIT_CH2);
    hi = inb(PIT_CH2);
    s->count = (uint16_t)(lo | (hi << 8));
}

/* Until the count is a window below `from` (bounded: a dead PIT). */
static void pit_wait_window(uint16_t from)
{
    uint32_t spins = 0;

    while ((uint16_t)(from - pit_ch2_read()) < WINDOW_TICKS && ++spins < 1000000u)
        ;
}

/*
 * Readings until the core finds a quorum of windows, at most
 * TIMEKEEPING_CALIB_MAX_SAMPLES (160 ms); on a quiet machine four (15 ms).
 */
static struct timekeeping_pit_sample samples[TIMEKEEPING_CALIB_MAX_SAMPLES];
static struct timekeeping_calib calib;

static void calibrate_tsc(void)
{
    uint32_t n = 1;
    int rc = -EAGAIN;

    pit_ch2_start();
    pit_sample(&samples[0]);
    while (rc == -EAGAIN && n < TIMEKEEPING_CALIB_MAX_SAMPLES) {
        pit_wait_window(samples[n - 1].count);
        pit_sample(&samples[n++]);
        if (n > TIMEKEEPING_CALIB_QUORUM)
            rc = timekeeping_calib_judge(samples, n, &calib);
    }
    if (rc == 0) {
        tsc_hz = calib.hz;
        log_info("timer: TSC calibrated on %u of %u PIT windows of 5 ms (%u precise)\n",
                 calib.nr_agree, calib.nr_windows, calib.nr_kept);
        return;
    }
    if (timekeeping_calib_fallback(&calib, &tsc_hz))
        panic("timer: cannot calibrate the TSC: no usable PIT window in %u", calib.nr_windows);
    log_warn("timer: TSC rate unconfirmed: only %u of %u PIT windows agreed (%u precise); "
             "using their median\n", calib.nr_agree, calib.nr_windows, calib.nr_kept);
}

static void start_tick(void)
{
    uint32_t count = TIMEKEEPING_PIT_HZ / TICK_HZ;

    outb(PIT_CMD, 0x34);             /* ch0, lo/hi, mode 2 (rate generator) */
    outb(PIT_CH0, count & 0xFF);
    outb(PIT_CH0, (uint8_t)(count >> 8));
}

/* The CMOS clock in whole seconds since 1970; false if it reads nonsense. */
static bool rtc_now_sec(uint64_t *sec)
{
    uint64_t ns = rtc_epoch_ns();

    *sec = ns / TIMEKEEPING_NS_PER_SEC;
    return ns != 0;
}

static void guard_start(void)
{
    uint64_t sec = 0;
    bool ok = rtc_now_sec(&sec);

    clock_guard_init(&guard, &hv_clock, hv_clock.tsc_stamp, TIMEKEEPING_NS_PER_SEC / TICK_HZ, ok,
                     sec);
    if (!ok)
        log_warn("time: no CMOS clock; a TSC jump is judged by its size alone\n");
}

void timer_init(void)
{
    calibrate_tsc();
    if (timekeeping_scale_init(tsc_hz, TIMEKEEPING_NS_PER_SEC, &hv_clock.tsc_to_ns))
        panic("timer: TSC rate %llu Hz out of range", (unsigned long long)tsc_hz);
    hv_clock.tsc_stamp = rdtsc();
    hv_clock.system_time = 0;
    tick_tsc = tsc_hz / TICK_HZ;
    guard_start();
    start_tick();
    timer_tick_taken();
    log_info("timer: TSC %u kHz, tick %u Hz\n", (uint32_t)(tsc_hz / 1000), TICK_HZ);
}

/*
 * One compare against the TSC: cheap enough to ask before every element
 * of a long hypercall. A tick is due at most a period after the last one
 * was taken (the PIT's phase may make it come earlier).
 */
void timer_tick_taken(void)
{
    tick_due_tsc = rdtsc() + tick_tsc;
}

bool timer_tick_due(void)
{
    return rdtsc() >= tick_due_tsc;
}

uint64_t time_now_ns(void)
{
    return clock_guard_now(&guard, &hv_clock, rdtsc());
}

void time_info_now(struct vcpu_time_info *t)
{
    uint64_t tsc = rdtsc();
    struct timekeeping_clock at = { tsc, clock_guard_now(&guard, &hv_clock, tsc),
                                    hv_clock.tsc_to_ns };

    timekeeping_time_info(&at, tsc, 0, t);
}

/* One line per event for the first few, then one in 1024: a TSC that keeps jumping. */
static void log_event(int verdict, const struct clock_guard_event *ev)
{
    static uint32_t events;

    if (++events > 16 && events % 1024u)
        return;
    if (verdict == CLOCK_GUARD_JUMPED)
        log_warn("time: TSC jumped ahead %llu cycles (%llu ms at its rate) between two ticks; "
                 "system time advanced only %llu ms (event %u)\n",
                 (unsigned long long)ev->tsc_delta, (unsigned long long)(ev->claimed_ns / 1000000u),
                 (unsigned long long)(ev->advanced_ns / 1000000u), events);
    else
        log_warn("time: TSC jumped back %llu cycles between two ticks; system time advanced "
                 "%llu us (event %u)\n", (unsigned long long)ev->tsc_delta,
                 (unsigned long long)(ev->advanced_ns / 1000u), events);
}

bool timer_clock_tick(void)
{
    struct clock_guard_event ev = { 0, 0, 0 };
    uint64_t tsc = rdtsc(), sec = 0;
    int verdict = clock_guard_tick(&guard, &hv_clock, tsc, &ev);

    if (verdict == CLOCK_GUARD_ASK) {
        bool ok = rtc_now_sec(&sec);

        verdict = clock_guard_platform(&guard, &hv_clock, tsc, ok, sec, &ev);
    }
    if (verdict == CLOCK_GUARD_OK)
        return false;
    log_event(verdict, &ev);
    return true;
}

uint8_t rtc_cmos_read(uint8_t reg)
{
    outb(0x70, reg & 0x7Fu);
    return inb(0x71);
}

static uint32_t from_bcd(uint32_t v, bool binary)
{
    return binary ? v : (v & 0xF) + (v >> 4) * 10;
}

/* The CMOS date and time registers, as read (BCD or binary). */
struct rtc_fields {
    uint32_t s, m, h, d, mo, y;
};

/*
 * Wait while the CMOS clock updates (register A's UIP bit: set at most
 * 244 us before and during an update), bounded by the TSC so a machine
 * without the chip, whose ports read 0xFF, costs 2 ms, not millions of
 * port reads with interrupts off. False when there is no clock.
 */
static bool rtc_settled(void)
{
    uint64_t until = rdtsc() + (tsc_hz ? tsc_hz / 500 : 4000000u);
    uint8_t a;

    while ((a = rtc_cmos_read(0x0A)) & 0x80)
        if (a == 0xFF || rdtsc() > until)
            return false;
    return true;
}

static void rtc_read_fields(struct rtc_fields *f)
{
    f->s = rtc_cmos_read(0x00);
    f->m = rtc_cmos_read(0x02);
    f->h = rtc_cmos_read(0x04);
    f->d = rtc_cmos_read(0x07);
    f->mo = rtc_cmos_read(0x08);
    f->y = rtc_cmos_read(0x09);
}

/* The hour in 0..23 from register 4, in 24-hour or 12-hour mode (bit 7: PM). */
static uint32_t rtc_hour(uint32_t raw, uint32_t status_b, bool binary)
{
    uint32_t h = from_bcd(raw & 0x7Fu, binary);

    if (status_b & 0x02)
        return h;
    return h % 12u + ((raw & 0x80u) ? 12u : 0u);
}

/*
 * The time of day in ns since 1970, or 0 without a plausible clock. The
 * fields are read until two readings agree: an emulator descheduled
 * between two reads across a rollover would otherwise give a time a
 * minute, an hour or a year off.
 */
uint64_t rtc_epoch_ns(void)
{
    struct rtc_fields a, b;
    uint32_t tries, status_b, h;
    bool binary;

    for (tries = 0;; tries++) {
        if (tries == 4 || !rtc_settled())
            return 0;
        rtc_read_fields(&a);
        if (!rtc_settled())
            return 0;
        rtc_read_fields(&b);
        if (a.s == b.s && a.m == b.m && a.h == b.h && a.d == b.d && a.mo == b.mo && a.y == b.y)
            break;
    }
    status_b = rtc_cmos_read(0x0B);
    binary = (status_b & 0x04) != 0;
    h = rtc_hour(a.h, status_b, binary);
    a.s = from_bcd(a.s, binary);
    a.m = from_bcd(a.m, binary);
    a.d = from_bcd(a.d, binary);
    a.mo = from_bcd(a.mo, binary);
    a.y = from_bcd(a.y, binary) + 2000;
    if (a.mo < 1 || a.mo > 12 || a.d < 1 || a.d > 31 || h > 23 || a.m > 59 || a.s > 60)
        return 0;
    return timekeeping_mktime(a.y, a.mo, a.d, h, a.m, a.s) * TIMEKEEPING_NS_PER_SEC;
}
