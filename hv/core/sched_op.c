/*
 * sched_op: yield, block, shutdown and poll (see sched_op.h,
 * spec/time.md SCHED-4 and SCHED-5).
 */
#include "env.h"
#include "pv/errno.h"
#include "pv/sched.h"
#include "pv/shared_info.h"
#include "sched_op.h"

/* Reasons past soft_reset are not Xen's: refuse rather than guess. */
static int32_t shutdown_self(guest_ptr_t arg)
{
    struct sched_shutdown sd;

    if (env_copy_from_guest(&sd, arg, sizeof(sd)))
        return -EFAULT;
    if (sd.reason > SHUTDOWN_soft_reset)
        return -EINVAL;
    env_domain_shutdown(sd.reason);
    return 0;
}

/*
 * Sleep unless an upcall is already pending, so a guest that checked for
 * work with events masked cannot lose the wakeup; with `unmask`, clear
 * the event mask first (atomically with respect to this vCPU, as the
 * hypervisor does not run it meanwhile). A caller without a page (not
 * running) does not sleep. Only the upcall ends this sleep, not a poll
 * that came before it.
 */
static void sleep_unless_upcall(const struct evtchn_call *c, bool unmask)
{
    struct shared_info *s = env_shared_info_map(c->caller);
    volatile struct vcpu_info *vi;
    bool pending;

    evtchn_poll_end(c->w, c->caller);
    if (!s)
        return;
    vi = &s->vcpu_info[0];
    if (unmask)
        vi->evtchn_upcall_mask = 0;
    pending = vi->evtchn_upcall_pending != 0;
    env_shared_info_unmap(s);
    if (!pending)
        env_sched_block();
}

int32_t sched_halt(const struct evtchn_call *c)
{
    sleep_unless_upcall(c, false);                              /* EMUL-14 */
    return 0;
}

int32_t sched_op(const struct evtchn_call *c, uint32_t cmd, guest_ptr_t arg)
{
    switch (cmd) {
    case SCHEDOP_yield:              /* SCHED-4 */
        env_sched_yield();
        return 0;
    case SCHEDOP_block:                                         /* SCHED-5 */
        sleep_unless_upcall(c, true);
        return 0;
    case SCHEDOP_poll:               /* SCHED-5 */
        return evtchn_poll(c, arg);
    case SCHEDOP_shutdown:
        return shutdown_self(arg);
    default:
        return -ENOSYS;
    }
}
