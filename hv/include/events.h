#ifndef HV_EVENTS_H
#define HV_EVENTS_H

#include <stdint.h>

struct domain;

#include "types.h"

/* Deliver a virtual IRQ to d (through the event channel it bound, if any). */
void events_raise_virq(struct domain *d, uint32_t virq);
/* A domain's port table enters the world at creation and leaves at death. */
void events_domain_init(struct domain *d);
void events_domain_destroy(struct domain *d);
/* SCHEDOP_poll. */
int32_t events_poll(guest_ptr_t arg);

#endif
