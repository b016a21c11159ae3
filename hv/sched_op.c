/*
 * sched_op and its legacy form sched_op_compat: yield and shut down.
 * (Blocking and polling arrive with events and timers.)
 */
#include "domain.h"
#include "env.h"
#include "hypercall.h"
#include "pv/errno.h"
#include "pv/sched.h"
#include "sched.h"

static int32_t shutdown_self(uint32_t reason)
{
    /* Reasons past soft_reset are not Xen's: refuse rather than guess. */
    if (reason > SHUTDOWN_soft_reset)
        return -EINVAL;
    domain_shutdown(current, reason);
    return 0;
}

int32_t do_sched_op(const uint32_t args[5])
{
    struct sched_shutdown sd;

    switch (args[0]) {
    case SCHEDOP_yield:
        sched_raise();
        return 0;
    case SCHEDOP_shutdown:
        if (env_copy_from_guest(&sd, guest_ptr(args[1]), sizeof(sd)))
            return -EFAULT;
        return shutdown_self(sd.reason);
    default:
        return -ENOSYS;
    }
}
