/*
 * The PIT and the TSC (see arch/timer.h). Calibration counts TSC cycles
 * across 10 ms of PIT channel 2, which both QEMU and Bochs model; the
 * scale from TSC cycles to ns is then the one guests get in vcpu_time_info.
 */
#include "arch/cpu.h"
#include "arch/timer.h"
#include "printk.h"

#define PIT_CH0     0x40
#define PIT_CH2     0x42
#define PIT_CMD     0x43
#define PIT_GATE    0x61
#define CALIB_TICKS 11932u           /* 10 ms of the 1.193182 MHz PIT */

struct timekeeping_clock hv_clock;
uint64_t tsc_hz;
static uint64_t tick_tsc;           /* TSC cycles per tick */
static uint64_t tick_due_tsc;       /* when the next tick interrupt is due */

/* TSC cycles while PIT channel 2 counts CALIB_TICKS down (mode 0). */
static uint64_t measure_tsc(void)
{
    uint64_t t0, t1;
    uint32_t spins = 0;

    outb(PIT_GATE, (uint8_t)((inb(PIT_GATE) & ~0x02u) | 0x01u));   /* gate on, speaker off */
    outb(PIT_CMD, 0xB0);                                           /* ch2, lo/hi, mode 0 */
    outb(PIT_CH2, CALIB_TICKS & 0xFF);
    outb(PIT_CH2, CALIB_TICKS >> 8);
    t0 = rdtsc();
    while (!(inb(PIT_GATE) & 0x20) && ++spins < 100000000u)
        ;
    t1 = rdtsc();
    return t1 - t0;
}

static void start_tick(void)
{
    uint32_t count = TIMEKEEPING_PIT_HZ / TICK_HZ;

    outb(PIT_CMD, 0x34);             /* ch0, lo/hi, mode 2 (rate generator) */
    outb(PIT_CH0, count & 0xFF);
    outb(PIT_CH0, (uint8_t)(count >> 8));
}

void timer_init(void)
{
    uint64_t cycles = measure_tsc();

    if (timekeeping_calibrate(cycles, CALIB_TICKS, TIMEKEEPING_PIT_HZ, &tsc_hz) ||
        timekeeping_scale_init(tsc_hz, TIMEKEEPING_NS_PER_SEC, &hv_clock.tsc_to_ns))
        panic("timer: cannot calibrate the TSC (%llu cycles in 10 ms)", (unsigned long long)cycles);
    hv_clock.tsc_stamp = rdtsc();
    hv_clock.system_time = 0;
    tick_tsc = tsc_hz / TICK_HZ;
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
    return timekeeping_clock_now(&hv_clock, rdtsc());
}

static uint32_t cmos(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static uint32_t from_bcd(uint32_t v, bool binary)
{
    return binary ? v : (v & 0xF) + (v >> 4) * 10;
}

uint64_t rtc_epoch_ns(void)
{
    uint32_t spins = 0, status_b;
    bool binary;
    uint32_t s, m, h, d, mo, y;

    while ((cmos(0x0A) & 0x80) && ++spins < 1000000u)   /* update in progress */
        ;
    status_b = cmos(0x0B);
    binary = (status_b & 0x04) != 0;
    s = from_bcd(cmos(0x00), binary);
    m = from_bcd(cmos(0x02), binary);
    h = from_bcd(cmos(0x04) & 0x7F, binary);
    d = from_bcd(cmos(0x07), binary);
    mo = from_bcd(cmos(0x08), binary);
    y = from_bcd(cmos(0x09), binary) + 2000;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || m > 59 || s > 60)
        return 0;
    return timekeeping_mktime(y, mo, d, h, m, s) * TIMEKEEPING_NS_PER_SEC;
}
