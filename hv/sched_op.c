/*
 * sched_op: the hypercall glue over hv/core/sched_op.c, which decodes and
 * decides every op; this file carries out what the core asks of the
 * scheduler and of the caller's lifecycle.
 */
#include "domain.h"
#include "env.h"
#include "events.h"
#include "hypercall.h"
#include "sched.h"
#include "sched_op.h"

int32_t do_sched_op(const uint32_t args[5])
{
    struct evtchn_call c = events_caller();

    return sched_op(&c, args[0], guest_ptr(args[1]));
}

void env_sched_yield(void)
{
    sched_raise();
}

void env_sched_block(void)
{
    sched_block(current);
}

void env_domain_shutdown(uint32_t reason)
{
    domain_shutdown(current, reason);
}
