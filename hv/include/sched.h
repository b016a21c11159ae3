#ifndef HV_SCHED_H
#define HV_SCHED_H

#include <stdint.h>

struct domain;

/* Run `d` first: used once at boot for dom0. */
void sched_start(struct domain *d) __attribute__((noreturn));
/* Ask for a scheduling decision before the next return to a guest. */
void sched_raise(void);
/* The timer tick: preempt the current domain when its slice is over. */
void sched_tick(uint64_t now_ns);
/* A blocked or paused domain may run again. */
void sched_wake(struct domain *d);
/* The domain sleeps until sched_wake (an event, a timer). */
void sched_block(struct domain *d);
/* A new domain enters the policy at the current virtual floor. */
void sched_domain_init(struct domain *d);
extern uint64_t sched_quantum_ns;
/* Point the int 0x80 gate at d's handler (vcpu_ops.c). */
void vcpu_install_int80(const struct domain *d);

#endif
