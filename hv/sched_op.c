/*
 * sched_op and its legacy form sched_op_compat: yield and shut down.
 * (Blocking and polling arrive with events and timers.)
 */
#include "domain.h"
#include "env.h"
#include "events.h"
#include "hypercall.h"
#include "pv/errno.h"
#include "pv/sched.h"
#include "pv/shared_info.h"
#include "sched.h"

static int32_t shutdown_self(uint32_t reason)
{
    /* Reasons past soft_reset are not Xen's: refuse rather than guess. */
    if (reason > SHUTDOWN_soft_reset)
        return -EINVAL;
    domain_shutdown(current, reason);
    return 0;
}

/*
 * SCHEDOP_block: unmask events (atomically with respect to this vCPU, as
 * the hypervisor does not run it meanwhile) and sleep unless an upcall is
 * already pending, so a guest that checked for work with events masked
 * cannot lose the wakeup.
 */
static int32_t block_self(void)
{
    struct shared_info *s = shared_info_map(current);
    volatile struct vcpu_info *vi = &s->vcpu_info[0];
    bool pending;

    vi->evtchn_upcall_mask = 0;
    pending = vi->evtchn_upcall_pending != 0;
    shared_info_unmap(s);
    if (!pending) {
        sched_block(current);
    }
    return 0;
}

int32_t do_sched_op(const uint32_t args[5])
{
    struct sched_shutdown sd;

    switch (args[0]) {
    case SCHEDOP_yield:
        sched_raise();
        return 0;
    case SCHEDOP_block:
        return block_self();
    case SCHEDOP_poll:
        return events_poll(guest_ptr(args[1]));
    case SCHEDOP_shutdown:
        if (env_copy_from_guest(&sd, guest_ptr(args[1]), sizeof(sd)))
            return -EFAULT;
        return shutdown_self(sd.reason);
    default:
        return -ENOSYS;
    }
}
