/*
 * sched_op (hypercall 29), decoded and decided in the core (spec/time.md
 * SCHED-4, SCHED-5; spec/hypercalls.md).
 *
 * The core decides; the scheduler and the domain's lifecycle are the
 * world's, asked through env.h: env_sched_yield() (SCHED-4),
 * env_sched_block() (SCHED-5), env_domain_shutdown(). SCHEDOP_poll is
 * evtchn_poll() (evtchn_op.h), over the caller's event-channel world.
 *
 * Errors: -ENOSYS an op Bulkhead does not serve (as Xen for an unknown
 * op), -EFAULT a shutdown argument that cannot be copied in, -EINVAL a
 * shutdown reason past SHUTDOWN_soft_reset (Xen instead truncates the
 * reason to 8 bits and records it: spec/hypercalls.md), and poll's own.
 */
#ifndef CORE_SCHED_OP_H
#define CORE_SCHED_OP_H

#include "evtchn_op.h"
#include "types.h"

/* SCHEDOP_`cmd` for the caller `c` names, with its argument at `arg`. */
int32_t sched_op(const struct evtchn_call *c, uint32_t cmd, guest_ptr_t arg);

/*
 * EMUL-14, HLT from a guest kernel: sleep unless an upcall is already
 * pending (an event that arrived before the HLT must not be slept past),
 * leaving the event mask as the guest set it. Always 0.
 */
int32_t sched_halt(const struct evtchn_call *c);

#endif
