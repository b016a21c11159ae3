/*
 * Guest time: each domain's vcpu_time_info and wallclock in its
 * shared_info, its single-shot timer (set_timer_op) and the 10 ms periodic
 * timer every PV vCPU starts with, both raising VIRQ_TIMER.
 */
#ifndef HV_TIME_H
#define HV_TIME_H

#include <stdint.h>

struct domain;

void time_init(void);
/* Publish fresh time records into d's shared_info (version protocol). */
void time_update_guest(struct domain *d);
/* From the timer interrupt: fire due guest timers, ask for preemption. */
void time_tick(void);
/* A domain starts: its periodic timer begins. */
void time_domain_start(struct domain *d);

#endif
