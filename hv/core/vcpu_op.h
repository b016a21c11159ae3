/*
 * vcpu_op (hypercall 24) and set_timer_op (hypercall 15), decoded and
 * decided in the core (spec/time.md TIME-4, TIME-5; spec/hypercalls.md).
 *
 * The caller's vCPU timer and accounting fields are passed in; the core
 * copies the argument in once through env.h, checks it, and changes
 * those fields only once every check has passed. The time of the call
 * is the one thing it asks the world for (env_now_ns()).
 *
 * Errors are Xen's (common/domain.c do_vcpu_op): -ENOENT a vCPU other
 * than 0 (one vCPU per domain), -ENOSYS an op Bulkhead does not serve,
 * -EFAULT an argument that cannot be copied in (or out), -EINVAL a
 * period under 1 ms or past 2^50 ns, or send_nmi with an argument,
 * -ETIME a singleshot deadline already past with VCPU_SSHOTTMR_future.
 */
#ifndef CORE_VCPU_OP_H
#define CORE_VCPU_OP_H

#include "types.h"

/* The timer and accounting fields of the calling vCPU (hv/include/domain.h). */
struct vcpu_op_state {
    uint64_t timer_deadline;     /* singleshot and set_timer_op, 0 none */
    uint64_t periodic_next;      /* next periodic VIRQ_TIMER, 0 stopped */
    uint64_t periodic_ns;        /* its period */
    uint64_t cpu_time_ns;        /* read only: time spent running */
    uint64_t run_start_ns;       /* read only: when last switched in */
    uint64_t started_ns;         /* read only: when first runnable */
    uint64_t blocked_ns;         /* read only: time spent blocked */
    uint32_t entries;            /* read only: synchronous hypervisor entries */
    bool nmi_pending;            /* NMI-2 */
};

/* TIME-5: the bounds of a periodic timer's period, ns. */
#define VCPU_PERIOD_MIN_NS 1000000ull
#define VCPU_PERIOD_MAX_NS (1ull << 50)

/*
 * VCPUOP_`cmd` for vCPU `vcpuid` with its argument at `arg`. Returns the
 * op's result (1 for is_up, the entry count for Bulkhead's 0x1000) or an
 * error listed above; `s` is changed only on success.
 */
int32_t vcpu_op(struct vcpu_op_state *s, uint32_t cmd, uint32_t vcpuid, guest_ptr_t arg);

/*
 * TIME-4, set_timer_op with the absolute deadline `lo`, `hi` (ns):
 * 0 cancels, else the singleshot deadline becomes what
 * timekeeping_timer_deadline() makes of it (never 0, which means none).
 * Always 0, as Xen.
 */
int32_t set_timer_op(struct vcpu_op_state *s, uint32_t lo, uint32_t hi);

#endif
