#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>

static inline uint64_t bench_rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}

/* Median TSC cycles of one call of `op`, over many calls. */
uint32_t bench_median(void (*op)(void));
/* Median of n samples (sorts v in place). */
uint32_t bench_median_of(uint32_t *v, uint32_t n);
void bench_report(const char *name, uint32_t cycles, const char *base_name, uint32_t base);
/* Figures added by later subsystems (bench_*.c). */
void bench_extra(void);

#endif
