/*
 * Time for the hypervisor: the TSC, calibrated against the PIT at boot,
 * is the clock between ticks; PIT channel 0 interrupts TICK_HZ times a
 * second to drive preemption and guest timers, and each tick checks the
 * TSC against the platform's clocks (TIME-10).
 */
#ifndef ARCH_TIMER_H
#define ARCH_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#include "timekeeping.h"

#define TICK_HZ 1000u

extern uint64_t tsc_hz;

void timer_init(void);
/* System time: ns since the clock started at boot; never goes back (TIME-9). */
uint64_t time_now_ns(void);
/* A vcpu_time_info record for now, its system time the guarded one (TIME-2, TIME-9). */
void time_info_now(struct vcpu_time_info *t);
/*
 * The tick's look at the TSC (TIME-10): true when the clock was rebased
 * after a TSC jump, so every record must be republished.
 */
bool timer_clock_tick(void);
/* The time of day at boot from the CMOS clock, in ns since 1970. */
uint64_t rtc_epoch_ns(void);
/* CMOS register `reg` (0..0x7F; the NMI mask stays enabled). */
uint8_t rtc_cmos_read(uint8_t reg);
/* The tick interrupt arrived: the next one is due a tick period from now. */
void timer_tick_taken(void);
/* HC-1: is a tick due (its interrupt pending while interrupts are off)? */
bool timer_tick_due(void);

#endif
