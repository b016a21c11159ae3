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
#include "string.h"

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

/* ---- entry and exit (PERF-1) ----------------------------------------- */

/*
 * The floor: `int $0x83` through the hypervisor's `benchgate` (BOOT-17),
 * a ring-1 -> ring-0 gate whose handler is a bare IRET. Everything a
 * hypercall costs beyond it is the hypervisor's own entry, dispatch and
 * exit work.
 */
static void bare_gate(void)
{
    __asm__ volatile("int $0x83" ::: "memory");
}

/*
 * `int $0x84`: the bare gate plus the frame and the switch of DS and ES to
 * the hypervisor's and back, which every entry running hypervisor code
 * needs where segment limits keep guests out: what is left above it is
 * the dispatch and the hypercall itself.
 */
static void seg_gate(void)
{
    __asm__ volatile("int $0x84" ::: "memory");
}

static void null_hypercall(void)
{
    hcall2(__HYPERVISOR_xen_version, XENVER_version, 0);
}

/* An unused number: entry, the table's -ENOSYS slot, exit. */
static void unused_hypercall(void)
{
    hcall2(63, 0, 0);
}

static __attribute__((noinline)) void plain_call(void)
{
    __asm__ volatile("" ::: "memory");
}

/* `name` with the command line's tag=<t> added as "(...,t)" or "(t)". */
static const char *tagged(char *buf, uint32_t size, const char *name, const char *tag)
{
    uint32_t n = (uint32_t)strlen(name);

    if (!tag[0] || n + strlen(tag) + 3 > size)
        return name;
    memcpy(buf, name, n + 1);
    if (n && buf[n - 1] == ')') {
        buf[n - 1] = ',';
        memcpy(buf + n, tag, strlen(tag));
        n += (uint32_t)strlen(tag);
        buf[n] = ')';
        buf[n + 1] = '\0';
    } else {
        buf[n] = '(';
        memcpy(buf + n + 1, tag, strlen(tag));
        n += 1 + (uint32_t)strlen(tag);
        buf[n] = ')';
        buf[n + 1] = '\0';
    }
    return buf;
}

/* The value of word `key=` on our command line, up to 31 bytes, or "". */
static void cmdline_word(const char *key, char *out, uint32_t size)
{
    const char *p = strstr(start_info->cmd_line, key);
    uint32_t i = 0;

    out[0] = '\0';
    if (!p)
        return;
    p += strlen(key);
    while (p[i] && p[i] != ' ' && i + 1 < size) {
        out[i] = p[i];
        i++;
    }
    out[i] = '\0';
}

static void bench_entry(const char *tag)
{
    char a[64], b[64];
    uint32_t floor = bench_median(bare_gate), segs = bench_median(seg_gate);
    uint32_t null_hc = bench_median(null_hypercall);

    bench_report(tagged(a, sizeof(a), "null-hypercall(xen_version)", tag), null_hc,
                 tagged(b, sizeof(b), "bare-gate(int-0x83)", tag), floor);
    bench_report(tagged(a, sizeof(a), "unused-hypercall(nr-63)", tag),
                 bench_median(unused_hypercall), tagged(b, sizeof(b), "bare-gate(int-0x83)", tag),
                 floor);
    bench_report(tagged(a, sizeof(a), "segment-switch-gate(int-0x84)", tag), segs,
                 tagged(b, sizeof(b), "bare-gate(int-0x83)", tag), floor);
    bench_report(tagged(a, sizeof(a), "null-hypercall(xen_version)", tag), null_hc,
                 tagged(b, sizeof(b), "segment-switch-gate(int-0x84)", tag), segs);
    bench_report(tagged(a, sizeof(a), "bare-gate(int-0x83)", tag), floor, "function-call",
                 bench_median(plain_call));
}

/*
 * Command line: `tag=<t>` names the hypervisor configuration in the entry
 * figures; `entry-only` stops after them (run-bench.sh boots once more
 * with SMEP/SMAP off for those alone).
 */
int guest_main(struct start_info *si)
{
    char tag[32];

    (void)si;
    cmdline_word("tag=", tag, sizeof(tag));
    bench_entry(tag);
    if (!strstr(start_info->cmd_line, "entry-only"))
        bench_extra();
    gprintf("BENCH done\n");
    return 0;
}
