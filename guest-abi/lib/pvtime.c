/*
 * Guest-side time (see pvtime.h). As XTF does, a page of our own .bss is
 * remapped onto shared_info with update_va_mapping, so the mapping needs
 * no page table of its own.
 */
#include "guest.h"
#include "pv/mmu.h"
#include "events.h"
#include "pv/sched.h"
#include "pv/vcpu.h"
#include "pvtime.h"

static uint8_t shared_page[4096] __attribute__((aligned(4096)));
static int mapped;

int pv_map_shared_info(void)
{
    uint64_t pte = (uint64_t)start_info->shared_info | 0x063u;   /* P RW A D */
    int rc;

    if (mapped)
        return 0;
    rc = hcall4(__HYPERVISOR_update_va_mapping, GPTR(shared_page), (uint32_t)pte,
                (uint32_t)(pte >> 32), UVMF_INVLPG);
    mapped = rc == 0;
    return rc;
}

int pv_remap_shared_info(void)
{
    int was = mapped;

    mapped = 0;
    return was ? pv_map_shared_info() : 0;
}

struct shared_info *pv_shared_info(void)
{
    return mapped ? (struct shared_info *)shared_page : NULL;
}

static uint64_t rdtsc_now(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* The top 64 bits of the 96-bit product, as the ABI defines the scale. */
static uint64_t scale(uint64_t delta, uint32_t mul, int8_t shift)
{
    uint64_t lo, hi;

    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    lo = (delta & 0xFFFFFFFFu) * mul;
    hi = (delta >> 32) * mul;
    return hi + (lo >> 32);
}

uint64_t pv_time_ns(void)
{
    volatile struct vcpu_time_info *t;
    uint32_t v;
    uint64_t ns;

    if (pv_map_shared_info())
        return 0;
    t = &pv_shared_info()->vcpu_info[0].time;
    do {
        v = t->version;
        __asm__ volatile("" ::: "memory");
        ns = t->system_time + scale(rdtsc_now() - t->tsc_timestamp, t->tsc_to_system_mul, t->tsc_shift);
        __asm__ volatile("" ::: "memory");
    } while ((v & 1) || v != t->version);
    return ns;
}

uint64_t pv_wallclock_sec(void)
{
    volatile struct shared_info *s;
    uint32_t v, sec;

    if (pv_map_shared_info())
        return 0;
    s = pv_shared_info();
    do {
        v = s->wc_version;
        __asm__ volatile("" ::: "memory");
        sec = s->wc_sec;
        __asm__ volatile("" ::: "memory");
    } while ((v & 1) || v != s->wc_version);
    return sec + pv_time_ns() / 1000000000u;
}

/*
 * VIRQ_TIMER is bound once and the 10 ms periodic timer stopped, so only
 * our own single-shot timer (or another event) wakes us. Blocking
 * unmasks events; a guest with an event callback gets the upcall, one
 * without dispatches the pending ports here after it wakes.
 */
static uint32_t timer_port;

static int timer_init(void)
{
    int rc;

    if (timer_port)
        return 0;
    rc = evtchn_bind_virq_port(VIRQ_TIMER, &timer_port);
    if (!rc)
        hcall3(__HYPERVISOR_vcpu_op, VCPUOP_stop_periodic_timer, 0, 0);
    return rc;
}

uint32_t pv_timer_port(void)
{
    return timer_init() ? 0 : timer_port;
}

void pv_sleep_ns(uint64_t ns)
{
    uint64_t until = pv_time_ns() + ns;
    uint8_t mask = pv_shared_info()->vcpu_info[0].evtchn_upcall_mask;

    if (timer_init())
        guest_panic("pv_sleep_ns: cannot bind VIRQ_TIMER");
    while (pv_time_ns() < until) {
        /*
         * A timer port still pending from before (events_wait clears the
         * upcall flags, not other ports' bits) would swallow the next
         * expiry: an already-set bit raises no new upcall, and we would
         * block for good.
         */
        events_test_and_clear(timer_port);
        hcall2(__HYPERVISOR_set_timer_op, (uint32_t)until, (uint32_t)(until >> 32));
        hcall2(__HYPERVISOR_sched_op, SCHEDOP_block, 0);
        events_dispatch();      /* whatever woke us: run its handler, clear it */
    }
    pv_shared_info()->vcpu_info[0].evtchn_upcall_mask = mask;
}
