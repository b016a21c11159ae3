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
 * SCHED-5, SCHEDOP_block: unmask events (atomically with respect to this
 * vCPU, as the hypervisor does not run it meanwhile) and sleep unless an
 * upcall is already pending, so a guest that checked for work with
 * events masked cannot lose the wakeup. A caller without a page to
 * unmask in (not running) does not sleep.
 */
static int32_t block_self(const struct evtchn_call *c)
{
    struct shared_info *s = env_shared_info_map(c->caller);
    volatile struct vcpu_info *vi;
    bool pending;

    evtchn_poll_end(c->w, c->caller);   /* only the upcall wakes a block */
    if (!s)
        return 0;
    vi = &s->vcpu_info[0];
    vi->evtchn_upcall_mask = 0;
    pending = vi->evtchn_upcall_pending != 0;
    env_shared_info_unmap(s);
    if (!pending)
        env_sched_block();
    return 0;
}

int32_t sched_op(const struct evtchn_call *c, uint32_t cmd, guest_ptr_t arg)
{
    switch (cmd) {
    case SCHEDOP_yield:              /* SCHED-4 */
        env_sched_yield();
        return 0;
    case SCHEDOP_block:
        return block_self(c);
    case SCHEDOP_poll:               /* SCHED-5 */
        return evtchn_poll(c, arg);
    case SCHEDOP_shutdown:
        return shutdown_self(arg);
    default:
        return -ENOSYS;
    }
}
