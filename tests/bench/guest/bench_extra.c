/*
 * Figures beyond the null hypercall, each beside its baseline:
 *   page tables: a 512-entry mmu_update into a pinned L1 (per batch and
 *     per validated PTE), clearing it, pinning and unpinning a full L1,
 *     update_va_mapping with INVLPG, beside the same number of plain
 *     memory stores (and the batch beside 512 single-entry calls);
 *   traps: int 0x80 through the direct gate beside int 0x81 through the
 *     hypervisor, and a #PF bounce round trip beside a function call;
 *   timers: how late a set_timer_op wakeup arrives, beside the tick.
 */
#include "bench.h"
#include "guest.h"
#include "pv/mmu.h"
#include "pvtime.h"
#include "traps.h"

extern char _image_start[], _image_end[];

/*
 * Page tables. A spare frame is zeroed and pinned as an L1 first, so
 * every mmu_update entry below goes through L1 entry validation (flags,
 * ownership, a writable-type reference on the mapped frame) rather than
 * the plain-data path an untyped frame takes. The PTEs map frames of our
 * own .bss read-write, spread over TARGETS frames.
 */
#define TARGETS 8u
#define PTE_FLAGS 0x63u                 /* P | RW | A | D */
/* Each sample is 512 entries (one batch, or 512 hypercalls): fewer runs
 * than bench_median keep `make bench` within minutes under TCG. */
#define PT_RUNS 201u
#define PT_WARM 8u

static uint8_t targets[TARGETS][4096] __attribute__((aligned(4096)));
static volatile uint64_t sink[512];
static struct mmu_update set_reqs[512], clear_reqs[512];
static uint32_t l1_mfn, l2_mfn, spare_pfn, target_mfn[TARGETS];
static uint32_t samples_a[PT_RUNS], samples_b[PT_RUNS];

static uint32_t p2m(uint32_t pfn)
{
    return ((const uint32_t *)(uintptr_t)start_info->mfn_list)[pfn];
}

/* One mmu_update call; any entry left undone counts as a failure, so a
 * refused request cannot pass for a fast one. */
static int mmu_batch(const struct mmu_update *r, uint32_t n)
{
    uint32_t done = 0;
    int32_t rc = hcall4(__HYPERVISOR_mmu_update, GPTR(r), n, GPTR(&done), DOMID_SELF);

    return rc != 0 ? rc : (done == n ? 0 : -1);
}

static int mmuext(uint32_t cmd, uint32_t arg)
{
    struct mmuext_op op = { cmd, { arg }, { 0 } };

    return hcall4(__HYPERVISOR_mmuext_op, GPTR(&op), 1, 0, DOMID_SELF);
}

/* The last frame of ours becomes an empty, pinned L1, later hooked under
 * an unused L2 slot (2 MiB at 0x20000000) for update_va_mapping. */
static int setup_tables(void)
{
    const uint64_t *l3 = (const uint64_t *)(uintptr_t)start_info->pt_base;
    uint32_t i;
    int rc;

    l2_mfn = (uint32_t)(l3[0] >> 12);
    spare_pfn = start_info->nr_pages - 1;
    l1_mfn = p2m(spare_pfn);
    for (i = 0; i < TARGETS; i++)
        target_mfn[i] = p2m(GPTR(targets[i]) / 4096u);
    for (i = 0; i < 512; i++) {
        set_reqs[i].ptr = clear_reqs[i].ptr = ((uint64_t)l1_mfn << 12) + i * 8u;
        set_reqs[i].val = ((uint64_t)target_mfn[i % TARGETS] << 12) | PTE_FLAGS;
        clear_reqs[i].val = 0;
    }
    /* Zeroed while still untyped (these writes are plain data), so the
     * pin validates nothing left over. */
    rc = mmu_batch(clear_reqs, 512);
    return rc != 0 ? rc : mmuext(MMUEXT_PIN_L1_TABLE, l1_mfn);
}

static void plain_writes(void)
{
    uint32_t i;

    for (i = 0; i < 512; i++)
        sink[i] = set_reqs[i].val;
}

static void plain_write_one(void)
{
    sink[0] = set_reqs[0].val;
}

static int set_batch(void) { return mmu_batch(set_reqs, 512); }
static int clear_batch(void) { return mmu_batch(clear_reqs, 512); }

static int set_singly(void)
{
    uint32_t i;
    int rc = 0;

    for (i = 0; i < 512 && rc == 0; i++)
        rc = mmu_batch(&set_reqs[i], 1);
    return rc;
}

static int pin_l1(void) { return mmuext(MMUEXT_PIN_L1_TABLE, l1_mfn); }
static int unpin_l1(void) { return mmuext(MMUEXT_UNPIN_TABLE, l1_mfn); }

/*
 * `a` and `b` undo each other (set/clear, pin/unpin), so they are timed
 * alternately, each on its own, and each median is kept. Nonzero if any
 * call failed: the figure would then time an error path.
 */
static int time_pair(int (*a)(void), int (*b)(void), uint32_t *med_a, uint32_t *med_b)
{
    uint32_t i;

    for (i = 0; i < PT_WARM + PT_RUNS; i++) {
        uint64_t t0 = bench_rdtsc(), t1, t2;
        int rc = a();

        t1 = bench_rdtsc();
        rc |= b();
        t2 = bench_rdtsc();
        if (rc != 0)
            return rc;
        if (i >= PT_WARM) {
            samples_a[i - PT_WARM] = (uint32_t)(t1 - t0);
            samples_b[i - PT_WARM] = (uint32_t)(t2 - t1);
        }
    }
    *med_a = bench_median_of(samples_a, PT_RUNS);
    *med_b = bench_median_of(samples_b, PT_RUNS);
    return 0;
}

/* Alternate between two target frames so each call validates a new PTE
 * and drops the old one, instead of taking the same-rights fast path. */
static void uvm_invlpg(void)
{
    static uint32_t flip;

    flip ^= 1;
    hcall4(__HYPERVISOR_update_va_mapping, 0x20000000u,
           (target_mfn[flip] << 12) | PTE_FLAGS, 0, UVMF_INVLPG);
}

static void bench_page_tables(void)
{
    uint32_t set, clear, singly, clear_again, pin, unpin, plain;
    struct mmu_update hook;

    if (setup_tables() != 0) {
        gprintf("bench: cannot pin the spare frame as an L1\n");
        return;
    }
    plain = bench_median(plain_writes);
    if (time_pair(set_batch, clear_batch, &set, &clear) != 0 ||
        /* clear_again repeats `clear` (it only undoes the single sets) */
        time_pair(set_singly, clear_batch, &singly, &clear_again) != 0) {
        gprintf("bench: mmu_update into the pinned L1 failed\n");
        return;
    }
    bench_report("mmu_update(512-PTE-batch,pinned-L1)", set, "512-plain-stores", plain);
    bench_report("mmu_update(per-validated-PTE)", set / 512, "plain-store(per-PTE)",
                 plain / 512);
    bench_report("mmu_update(512-PTE-batch,pinned-L1)", set, "512-single-PTE-mmu_updates",
                 singly);
    bench_report("mmu_update-clear(512-PTEs,pinned-L1)", clear, "512-plain-stores", plain);
    /* Leave the 512 entries in place: pinning now validates a full L1,
     * unpinning (the last type reference) drops all 512 references. */
    if (set_batch() != 0 || time_pair(unpin_l1, pin_l1, &unpin, &pin) != 0) {
        gprintf("bench: pin/unpin of the full L1 failed\n");
        return;
    }
    bench_report("pin-full-L1(512-PTEs)", pin, "512-plain-stores", plain);
    bench_report("unpin-full-L1(512-PTEs)", unpin, "512-plain-stores", plain);
    /* Hook the (pinned) L1 under the L2 so update_va_mapping has an L1 to walk to. */
    hook.ptr = ((uint64_t)l2_mfn << 12) + 256 * 8u;            /* VA 0x20000000 */
    hook.val = ((uint64_t)l1_mfn << 12) | 0x67u;
    if (mmu_batch(&hook, 1) != 0) {
        gprintf("bench: cannot hook the L1 under the L2\n");
        return;
    }
    bench_report("update_va_mapping+INVLPG(new-frame)", bench_median(uvm_invlpg),
                 "1-plain-store", bench_median(plain_write_one));
}

/* ---- traps ------------------------------------------------------------ */

static uint8_t user_stack[8192] __attribute__((aligned(16)));
static volatile uint32_t resume_at;
static uint32_t user_fast, user_slow;

static void sys_handler(struct trap_frame *f)
{
    if (f->eax == 0)
        user_return(0);
}

static void pf_handler(struct trap_frame *f)
{
    f->eip = resume_at;
}

#define ROUNDS 2000u

static void user_bench(void)
{
    uint64_t t0;
    uint32_t i;

    t0 = bench_rdtsc();
    for (i = 0; i < ROUNDS; i++)
        __asm__ volatile("int $0x80" :: "a"(1) : "memory");
    user_fast = (uint32_t)((bench_rdtsc() - t0) / ROUNDS);
    t0 = bench_rdtsc();
    for (i = 0; i < ROUNDS; i++)
        __asm__ volatile("int $0x81" :: "a"(1) : "memory");
    user_slow = (uint32_t)((bench_rdtsc() - t0) / ROUNDS);
    __asm__ volatile("int $0x80" :: "a"(0) : "memory");
}

static void page_fault_round_trip(void)
{
    __asm__ volatile("movl $1f, %0\n movl 0x3FF00000, %%eax\n 1:" : "=m"(resume_at) :: "eax", "memory");
}

static __attribute__((noinline)) void call_only(void)
{
    __asm__ volatile("" ::: "memory");
}

static void bench_traps(void)
{
    if (traps_init() || traps_make_user(GPTR(_image_start), GPTR(_image_end))) {
        gprintf("bench: cannot set up traps\n");
        return;
    }
    traps_set_handler(0x80, sys_handler);
    traps_set_handler(0x81, sys_handler);
    traps_set_handler(14, pf_handler);
    user_run(user_bench, GPTR(user_stack + sizeof(user_stack)));
    bench_report("int-0x80-direct-gate(ring3)", user_fast,
                 "int-0x81-via-hypervisor", user_slow);
    bench_report("#PF-bounce-round-trip", bench_median(page_fault_round_trip),
                 "function-call", bench_median(call_only));
}

/* ---- timers ------------------------------------------------------------ */

static void bench_timer(void)
{
    uint64_t late_sum = 0;
    uint32_t i, worst = 0;

    for (i = 0; i < 50; i++) {
        uint64_t want = pv_time_ns() + 2000000u;
        pv_sleep_ns(2000000u);
        uint64_t late = pv_time_ns() - want;
        late_sum += late;
        if (late > worst)
            worst = (uint32_t)late;
    }
    gprintf("BENCH timer-wakeup-latency(ns,mean) %u tick-period(ns) %u\n",
            (uint32_t)(late_sum / 50), 1000000u);
    gprintf("BENCH timer-wakeup-latency(ns,worst) %u tick-period(ns) %u\n", worst, 1000000u);
}

void bench_extra(void)
{
    bench_page_tables();
    bench_traps();
    bench_timer();
}
