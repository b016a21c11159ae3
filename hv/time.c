/*
 * Guest time (see time.h). The hypervisor keeps the version counters of
 * every record in its own memory and never reads the guest-writable
 * shared_info back: it only ever writes whole records into it, odd version
 * first, even version last, so a guest sees a torn record only as one it
 * must retry.
 */
#include "arch/cpu.h"
#include "arch/timer.h"
#include "domain.h"
#include "env.h"
#include "events.h"
#include "hypercall.h"
#include "printk.h"
#include "pv/shared_info.h"
#include "pv/xen.h"
#include "sched.h"
#include "time.h"

#define PERIODIC_NS (10ull * 1000000ull)

static struct timekeeping_wallclock boot_wallclock;

void time_init(void)
{
    uint64_t epoch = rtc_epoch_ns();

    timer_init();
    if (timekeeping_wallclock(epoch, time_now_ns(), &boot_wallclock))
        log_warn("time: the CMOS clock reads before 1970; wallclock left at 0\n");
}

static void publish_time(struct shared_info *s, struct domain *d)
{
    struct vcpu_time_info t;
    volatile struct vcpu_time_info *dst = &s->vcpu_info[0].time;

    time_info_now(&t);
    dst->version = timekeeping_version_begin(d->time_seq);
    barrier();
    dst->tsc_timestamp = t.tsc_timestamp;
    dst->system_time = t.system_time;
    dst->tsc_to_system_mul = t.tsc_to_system_mul;
    dst->tsc_shift = t.tsc_shift;
    dst->flags = t.flags;
    barrier();
    d->time_seq = timekeeping_version_end(d->time_seq);
    dst->version = d->time_seq;
}

/* TIME-3: the wallclock, with the same version protocol as the records. */
static void publish_wallclock(struct shared_info *s, struct domain *d)
{
    volatile struct shared_info *v = s;

    v->wc_version = timekeeping_version_begin(d->wc_seq);
    barrier();
    v->wc_sec = boot_wallclock.sec;
    v->wc_nsec = boot_wallclock.nsec;
    v->arch.wc_sec_hi = boot_wallclock.sec_hi;
    barrier();
    d->wc_seq = timekeeping_version_end(d->wc_seq);
    v->wc_version = d->wc_seq;
}

void time_update_guest(struct domain *d)
{
    struct shared_info *s;

    if (!d->shared_info_mfn)
        return;
    s = shared_info_map(d);
    publish_time(s, d);
    publish_wallclock(s, d);
    shared_info_unmap(s);
}

/* TIME-5: every vCPU starts with a 10 ms periodic VIRQ_TIMER. */
void time_domain_start(struct domain *d)
{
    d->started_ns = time_now_ns();
    d->periodic_ns = PERIODIC_NS;
    d->periodic_next = time_now_ns() + PERIODIC_NS;
    time_update_guest(d);
}

/* TIME-4, TIME-5: expiry raises VIRQ_TIMER (TIME-6: through its bound channel only). */
static void fire_timers(struct domain *d, uint64_t now)
{
    if (d->poll_deadline && d->poll_deadline <= now) {
        d->poll_deadline = 0;
        if (d->vcpu.blocked)
            sched_wake(d);
    }
    if (d->timer_deadline && d->timer_deadline <= now) {
        d->timer_deadline = 0;
        events_raise_virq(d, VIRQ_TIMER);
    }
    if (d->periodic_next && d->periodic_next <= now) {
        d->periodic_next = now + d->periodic_ns;
        events_raise_virq(d, VIRQ_TIMER);
    }
}

/* TIME-10: after a rebase every domain's record says the new time at once. */
static void republish_all(void)
{
    unsigned i;

    for (i = 0; i < MAX_DOMAINS; i++)
        if (domains[i].state == DOM_ACTIVE)
            time_update_guest(&domains[i]);
}

/* TIME-7: at each tick the timers are checked and the slice charged. */
void time_tick(void)
{
    uint64_t now;
    unsigned i;

    if (timer_clock_tick())
        republish_all();
    now = time_now_ns();
    for (i = 0; i < MAX_DOMAINS; i++)
        if (domains[i].state == DOM_ACTIVE)
            fire_timers(&domains[i], now);
    sched_tick(now);
}

int32_t do_set_timer_op(const uint32_t args[5])
{
    uint64_t timeout = ((uint64_t)args[1] << 32) | args[0];
    uint64_t deadline = 0;

    if (timekeeping_timer_deadline(timeout, time_now_ns(), &deadline) == TIMEKEEPING_TIMER_CANCEL)
        current->timer_deadline = 0;
    else
        current->timer_deadline = deadline ? deadline : 1;
    return 0;
}
