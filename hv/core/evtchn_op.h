/*
 * event_channel_op (hypercall 32, and the legacy form 16) and
 * SCHEDOP_poll, decoded and decided in the core (spec/events.md).
 *
 * Theory of operation. A call copies its argument structure in exactly
 * once through env.h, hands the copy to the port-table operations of
 * evtchn.h (which check every rule and change the tables only in a step
 * that cannot fail), then applies what they ask of guest-visible state
 * with the 2-level bit operations of evtchn_2l.h on the shared_info page
 * env_shared_info_map() lends (EVT-15..EVT-17), and copies the structure
 * back out on success. Waking a domain whose upcall became due is the
 * only effect the core cannot make itself: it asks env_evtchn_kick().
 *
 * The hypervisor glue owns the world (one table per live domain) and the
 * caller's identity; it forwards each hypercall here in one line.
 *
 * Errors are Xen's: -ENOSYS an op Bulkhead does not serve, -EFAULT the
 * argument is not readable (or, on success, not writable), and each op's
 * own errors as evtchn.h lists them.
 */
#ifndef CORE_EVTCHN_OP_H
#define CORE_EVTCHN_OP_H

#include "evtchn.h"
#include "types.h"

/* Who calls, over which world. */
struct evtchn_call {
    struct evtchn_world *w;
    domid_t caller;
    bool privileged;
};

/*
 * EVTCHNOP_`cmd` with its argument at `arg`: alloc_unbound,
 * bind_interdomain, bind_virq, bind_ipi, close, send, status, bind_vcpu
 * and unmask. -ENOSYS for any other cmd, -EFAULT when the argument
 * cannot be copied in (or out after success), else the op's result.
 */
int32_t evtchn_op(const struct evtchn_call *c, uint32_t cmd, guest_ptr_t arg);

/* The legacy hypercall 16: { uint32_t cmd; union } at `arg`. -EFAULT, or evtchn_op(). */
int32_t evtchn_op_compat(const struct evtchn_call *c, guest_ptr_t arg);

/*
 * A VIRQ the hypervisor raises for domain `dom`: mark the port bound to
 * it pending (and wake the domain when an upcall became due). 0 also
 * when no port is bound (dropped, as Xen), -EINVAL virq >= NR_VIRQS,
 * -ESRCH no such domain.
 */
int evtchn_raise_virq(const struct evtchn_world *w, domid_t dom, uint32_t virq);

/*
 * SCHED-5, SCHEDOP_poll with its struct sched_poll at `arg`: 0 at once
 * when a listed port is pending, else 0 after asking env_poll_block() to
 * sleep the caller until one of its ports becomes pending (any port of
 * the caller when it listed several or none, as Xen), whatever the
 * port's mask and selector bits, or until the timeout. -EFAULT argument or a
 * port number not readable, -EINVAL more than SCHED_POLL_MAX_PORTS ports
 * or a port not valid for the caller (EVT-1, as Xen), -ESRCH.
 */
int32_t evtchn_poll(const struct evtchn_call *c, guest_ptr_t arg);

/* SCHED-5: domain `dom` no longer polls (it blocks instead). */
void evtchn_poll_end(const struct evtchn_world *w, domid_t dom);

#endif
