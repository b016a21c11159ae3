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
#include "vcpu_op.h"

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

/* The caller's timer fields, as vcpu_op.c decides over them. */
static struct vcpu_op_state timer_state(const struct domain *d)
{
    struct vcpu_op_state s = {
        d->timer_deadline, d->periodic_next, d->periodic_ns, d->cpu_time_ns, d->run_start_ns,
        d->started_ns, d->blocked_ns, d->vcpu.entries, d->vcpu.nmi_pending,
    };

    return s;
}

static void timer_apply(struct domain *d, const struct vcpu_op_state *s)
{
    d->timer_deadline = s->timer_deadline;
    d->periodic_next = s->periodic_next;
    d->periodic_ns = s->periodic_ns;
    d->vcpu.nmi_pending = s->nmi_pending;
}

int32_t do_set_timer_op(const uint32_t args[5])
{
    struct vcpu_op_state s = timer_state(current);
    int32_t rc = set_timer_op(&s, args[0], args[1]);

    timer_apply(current, &s);
    return rc;
}

int32_t do_vcpu_op(const uint32_t args[5])
{
    struct vcpu_op_state s = timer_state(current);
    int32_t rc = vcpu_op(&s, args[0], args[1], guest_ptr(args[2]));

    timer_apply(current, &s);
    return rc;
}

uint64_t env_now_ns(void)
{
    return time_now_ns();
}
