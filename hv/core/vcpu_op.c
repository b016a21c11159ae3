/*
 * vcpu_op and set_timer_op over the caller's timer fields (see
 * vcpu_op.h, spec/time.md TIME-4 and TIME-5).
 */
#include "env.h"
#include "pv/errno.h"
#include "pv/vcpu.h"
#include "timekeeping.h"
#include "vcpu_op.h"

/* The absolute deadline a timer is armed with: 0 means none, so a deadline of 0 fires at 1. */
static uint64_t armed(uint64_t deadline)
{
    return deadline ? deadline : 1;
}

/* VCPUOP_set_singleshot_timer: -ETIME for a past deadline the guest wants in the future (as Xen). */
static int32_t singleshot(struct vcpu_op_state *s, guest_ptr_t arg)
{
    struct vcpu_set_singleshot_timer t;
    uint64_t now = env_now_ns();

    if (env_copy_from_guest(&t, arg, sizeof(t)))
        return -EFAULT;
    if ((t.flags & VCPU_SSHOTTMR_future) && t.timeout_abs_ns < now)
        return -ETIME;
    s->timer_deadline = armed(t.timeout_abs_ns);
    return 0;
}

/* TIME-5: VCPUOP_set_periodic_timer, at least 1 ms as Xen, at most 2^50 ns. */
static int32_t periodic(struct vcpu_op_state *s, guest_ptr_t arg)
{
    struct vcpu_set_periodic_timer t;

    if (env_copy_from_guest(&t, arg, sizeof(t)))
        return -EFAULT;
    if (t.period_ns < VCPU_PERIOD_MIN_NS || t.period_ns > VCPU_PERIOD_MAX_NS)
        return -EINVAL;
    s->periodic_ns = t.period_ns;
    s->periodic_next = env_now_ns() + t.period_ns;
    return 0;
}

/* VCPUOP_get_runstate_info: how long this vCPU ran, slept, and waited to run. */
static int32_t runstate(const struct vcpu_op_state *s, guest_ptr_t arg)
{
    struct vcpu_runstate_info r = { 0 };
    uint64_t now = env_now_ns(), total = now - s->started_ns;

    r.state = RUNSTATE_running;
    r.state_entry_time = s->run_start_ns;
    r.time[RUNSTATE_running] = s->cpu_time_ns + (now - s->run_start_ns);
    r.time[RUNSTATE_blocked] = s->blocked_ns;
    if (total > r.time[RUNSTATE_running] + r.time[RUNSTATE_blocked])
        r.time[RUNSTATE_runnable] = total - r.time[RUNSTATE_running] - r.time[RUNSTATE_blocked];
    return env_copy_to_guest(arg, &r, sizeof(r)) ? -EFAULT : 0;
}

int32_t vcpu_op(struct vcpu_op_state *s, uint32_t cmd, uint32_t vcpuid, guest_ptr_t arg)
{
    if (vcpuid != 0)
        return -ENOENT;              /* one vCPU per domain, as Xen's domain_vcpu() miss */
    switch (cmd) {
    case VCPUOP_is_up:
        return 1;
    case VCPUOP_get_runstate_info:
        return runstate(s, arg);
    case VCPUOP_set_periodic_timer:
        return periodic(s, arg);
    case VCPUOP_stop_periodic_timer:     /* TIME-5 */
        s->periodic_next = 0;
        return 0;
    case VCPUOP_set_singleshot_timer:
        return singleshot(s, arg);
    case VCPUOP_stop_singleshot_timer:
        s->timer_deadline = 0;
        return 0;
    case VCPUOP_send_nmi:
        /* NMI-2: an NMI for this vCPU's own callback (NULL argument, as Xen) */
        if (arg.va != 0)
            return -EINVAL;
        s->nmi_pending = true;
        return 0;
    case VCPUOP_bulkhead_entry_count:
        return (int32_t)s->entries;
    default:
        return -ENOSYS;
    }
}

int32_t set_timer_op(struct vcpu_op_state *s, uint32_t lo, uint32_t hi)
{
    uint64_t timeout = ((uint64_t)hi << 32) | lo;
    uint64_t deadline = 0;

    if (timekeeping_timer_deadline(timeout, env_now_ns(), &deadline) == TIMEKEEPING_TIMER_CANCEL)
        s->timer_deadline = 0;       /* TIME-4: 0 cancels */
    else
        s->timer_deadline = armed(deadline);
    return 0;
}
