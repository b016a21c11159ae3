/*
 * The victim of `make bench`'s preemption figure: how late its timer
 * wake-ups come while another domain competes for the CPU. It sleeps
 * 2 ms at a time with set_timer_op and SCHEDOP_block, 300 times, and
 * measures how far past each deadline it runs again; then it prints
 *
 *   BENCH wakeup-latency-vs-<label>(ns,worst) <worst> sched-quantum(ns) <quantum>
 *   BENCH wakeup-latency-vs-<label>(ns,p99) <99th percentile> ...
 *   BENCH wakeup-latency-vs-<label>(ns,mean) <mean> ...
 *
 * where <label> and the quantum (quantum_ms=, the hypervisor's
 * sched_quantum_ms in the same run) come from its command line. A
 * competitor that could hold the CPU inside one hypercall would make the
 * worst case as long as that hypercall; the quantum is the bound a
 * preemptive scheduler promises.
 */
#include "guest.h"
#include "pvtime.h"

#define SLEEPS   300u
#define SLEEP_NS 2000000ull

static uint32_t late_ns[SLEEPS];

/* The k-th smallest (insertion sort: SLEEPS is small). */
static uint32_t kth(uint32_t *v, uint32_t n, uint32_t k)
{
    uint32_t i, j;

    for (i = 1; i < n; i++) {
        uint32_t x = v[i];
        for (j = i; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
    return v[k];
}

static uint32_t arg_u32(const char *cmdline, const char *key, uint32_t dflt)
{
    const char *p = strstr(cmdline, key);
    uint32_t v = 0;

    if (!p)
        return dflt;
    for (p += strlen(key); *p >= '0' && *p <= '9'; p++)
        v = v * 10u + (uint32_t)(*p - '0');
    return v;
}

/* The label: the word after label=, up to a space. */
static void label_of(const char *cmdline, char *out, uint32_t len)
{
    const char *p = strstr(cmdline, "label=");
    uint32_t i = 0;

    if (p)
        for (p += 6; *p && *p != ' ' && i + 1 < len; p++)
            out[i++] = *p;
    out[i] = 0;
}

int guest_main(struct start_info *si)
{
    uint64_t quantum = (uint64_t)arg_u32(si->cmd_line, "quantum_ms=", 10) * 1000000ull;
    uint64_t worst = 0, total = 0;
    uint32_t i;
    char label[32];

    label_of(si->cmd_line, label, sizeof(label));
    pv_sleep_ns(200000000ull);                  /* let the competitor get going */
    for (i = 0; i < SLEEPS; i++) {
        uint64_t deadline = pv_time_ns() + SLEEP_NS, late;

        pv_sleep_ns(SLEEP_NS);              /* set_timer_op, SCHEDOP_block */
        late = pv_time_ns() - deadline;
        late_ns[i] = late > 0xFFFFFFFFull ? 0xFFFFFFFFu : (uint32_t)late;
        total += late;
        if (late > worst)
            worst = late;
    }
    if (worst > 0xFFFFFFFFull)
        worst = 0xFFFFFFFFull;                      /* seconds late: the figure saturates */
    gprintf("BENCH wakeup-latency-vs-%s(ns,worst) %u sched-quantum(ns) %u\n", label,
            (uint32_t)worst, (uint32_t)quantum);
    gprintf("BENCH wakeup-latency-vs-%s(ns,p99) %u sched-quantum(ns) %u\n", label,
            kth(late_ns, SLEEPS, SLEEPS * 99u / 100u), (uint32_t)quantum);
    gprintf("BENCH wakeup-latency-vs-%s(ns,mean) %u sched-quantum(ns) %u\n", label,
            (uint32_t)(total / SLEEPS), (uint32_t)quantum);
    return 0;
}
