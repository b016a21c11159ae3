/*
 * The benchmark guest: runs as dom0 and prints one line per figure,
 *   BENCH <name> <median cycles> <baseline name> <baseline median cycles>
 * each figure measured beside its baseline in the same run. Times are TSC
 * cycles, median of many runs. tests/bench/run-bench.sh turns the lines
 * into a table.
 */
#include "bench.h"
#include "guest.h"
#include "pv/version.h"

#define RUNS 2001

static uint32_t samples[RUNS];

uint32_t bench_median_of(uint32_t *v, uint32_t n)
{
    uint32_t i, j;

    for (i = 1; i < n; i++) {           /* insertion sort: n is small */
        uint32_t x = v[i];
        for (j = i; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
    return v[n / 2];
}

uint32_t bench_median(void (*op)(void))
{
    uint32_t i;

    for (i = 0; i < 16; i++)            /* warm the caches and the TLB */
        op();
    for (i = 0; i < RUNS; i++) {
        uint64_t t0 = bench_rdtsc();
        op();
        samples[i] = (uint32_t)(bench_rdtsc() - t0);
    }
    return bench_median_of(samples, RUNS);
}

void bench_report(const char *name, uint32_t cycles, const char *base_name, uint32_t base)
{
    gprintf("BENCH %s %u %s %u\n", name, cycles, base_name, base);
}

/* ---- null hypercall ----------------------------------------------------- */

static void null_hypercall(void)
{
    hcall2(__HYPERVISOR_xen_version, XENVER_version, 0);
}

static __attribute__((noinline)) void plain_call(void)
{
    __asm__ volatile("" ::: "memory");
}

int guest_main(struct start_info *si)
{
    (void)si;
    bench_report("null-hypercall(xen_version)", bench_median(null_hypercall),
                 "function-call", bench_median(plain_call));
    bench_extra();
    gprintf("BENCH done\n");
    return 0;
}
