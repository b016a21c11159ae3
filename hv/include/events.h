#ifndef HV_EVENTS_H
#define HV_EVENTS_H

#include <stdint.h>

struct domain;

/* Deliver a virtual IRQ to d (through the event channel it bound, if any). */
void events_raise_virq(struct domain *d, uint32_t virq);

#endif
