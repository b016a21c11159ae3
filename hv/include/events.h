#ifndef HV_EVENTS_H
#define HV_EVENTS_H

#include <stdint.h>

struct domain;

#include "evtchn_op.h"
#include "types.h"

/* Deliver a virtual IRQ to d (through the event channel it bound, if any). */
void events_raise_virq(struct domain *d, uint32_t virq);
/* SCHED-5: d woke up: its poll, if it was in one, is over. */
void events_poll_end(struct domain *d);
/* A domain's port table enters the world at creation and leaves at death. */
void events_domain_init(struct domain *d);
void events_domain_destroy(struct domain *d);
/* The current domain as a caller of the event-channel core (SCHEDOP_poll too). */
struct evtchn_call events_caller(void);

#endif
