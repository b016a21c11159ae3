/*
 * Figures beyond the null hypercall, each beside its baseline:
 *   page tables: a 512-entry mmu_update, update_va_mapping with INVLPG,
 *     pinning a full L1, beside the same number of plain memory writes;
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

static volatile uint64_t sink[512];
static struct mmu_update reqs[512];
static uint32_t l1_mfn, l2_mfn, spare_pfn, data_mfn;

static uint32_t p2m(uint32_t pfn)
{
    return ((const uint32_t *)(uintptr_t)start_info->mfn_list)[pfn];
}

/* A spare frame of ours becomes an L1 under an empty L2 slot (2 MiB at 0x20000000). */
static void setup_tables(void)
{
    const uint64_t *l3 = (const uint64_t *)(uintptr_t)start_info->pt_base;
    static uint8_t data[4096] __attribute__((aligned(4096)));
    uint32_t i;

    l2_mfn = (uint32_t)(l3[0] >> 12);
    spare_pfn = start_info->nr_pages - 1;
    l1_mfn = p2m(spare_pfn);
    data_mfn = p2m(GPTR(data) / 4096u);
    for (i = 0; i < 512; i++) {
        reqs[i].ptr = ((uint64_t)l1_mfn << 12) + i * 8u;
        reqs[i].val = ((uint64_t)data_mfn << 12) | 0x21u;      /* P, A: read-only */
    }
}

static void plain_writes(void)
{
    uint32_t i;

    for (i = 0; i < 512; i++)
        sink[i] = reqs[i].val;
}

static void plain_write_one(void)
{
    sink[0] = reqs[0].val;
}

/* 512 validated entries in a pinned, hooked L1, then all cleared again. */
static void mmu_update_512(void)
{
    static struct mmu_update clear[512];
    uint32_t i;

    for (i = 0; i < 512; i++)
        clear[i].ptr = reqs[i].ptr, clear[i].val = 0;
    hcall4(__HYPERVISOR_mmu_update, GPTR(reqs), 512, 0, DOMID_SELF);
    hcall4(__HYPERVISOR_mmu_update, GPTR(clear), 512, 0, DOMID_SELF);
}

static void pin_full_l1(void)
{
    struct mmuext_op pin = { MMUEXT_PIN_L1_TABLE, { l1_mfn }, { 0 } };
    struct mmuext_op unpin = { MMUEXT_UNPIN_TABLE, { l1_mfn }, { 0 } };

    hcall4(__HYPERVISOR_mmuext_op, GPTR(&pin), 1, 0, DOMID_SELF);
    hcall4(__HYPERVISOR_mmuext_op, GPTR(&unpin), 1, 0, DOMID_SELF);
}

static void uvm_invlpg(void)
{
    hcall4(__HYPERVISOR_update_va_mapping, 0x20000000u, (uint32_t)reqs[0].val, 0, UVMF_INVLPG);
}

static void bench_page_tables(void)
{
    struct mmuext_op pin = { MMUEXT_PIN_L1_TABLE, { l1_mfn }, { 0 } };
    struct mmu_update hook;

    setup_tables();
    bench_report("mmu_update(512-PTEs,set+clear)/2", bench_median(mmu_update_512) / 2,
                 "512-plain-writes", bench_median(plain_writes));
    /* Fill the frame for the pin figure: 512 read-only entries, written as data. */
    hcall4(__HYPERVISOR_mmu_update, GPTR(reqs), 512, 0, DOMID_SELF);
    bench_report("pin+unpin-full-L1(512-PTEs)", bench_median(pin_full_l1),
                 "512-plain-writes", bench_median(plain_writes));
    /* Hook it under the L2 so update_va_mapping has an L1 to walk to. */
    hcall4(__HYPERVISOR_mmuext_op, GPTR(&pin), 1, 0, DOMID_SELF);
    hook.ptr = ((uint64_t)l2_mfn << 12) + 256 * 8u;            /* VA 0x20000000 */
    hook.val = ((uint64_t)l1_mfn << 12) | 0x67u;
    hcall4(__HYPERVISOR_mmu_update, GPTR(&hook), 1, 0, DOMID_SELF);
    bench_report("update_va_mapping+INVLPG", bench_median(uvm_invlpg),
                 "1-plain-write", bench_median(plain_write_one));
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
