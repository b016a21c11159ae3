#ifndef HV_SCHED_H
#define HV_SCHED_H

struct domain;

/* Run `d` first: used once at boot for dom0. */
void sched_start(struct domain *d) __attribute__((noreturn));
/* Ask for a scheduling decision before the next return to a guest. */
void sched_raise(void);

#endif
