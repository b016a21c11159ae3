/*
 * console_io's per-domain state (hv/console_io.c): each domain's output
 * allowance and partial line, reset when a domain slot is (re)used.
 */
#ifndef HV_CONSOLE_IO_H
#define HV_CONSOLE_IO_H

#include <stdint.h>

struct domain;

/* CON-3: bytes a second each unprivileged domain may print (console_rate=). */
extern uint32_t console_rate;
/* A new domain: a full allowance, no partial line, nothing dropped. */
void console_domain_init(const struct domain *d);
/* CON-4: console_io bytes of d's dropped by the bounds so far. */
uint64_t console_dropped(const struct domain *d);

#endif
