/*
 * Event channels from the guest side: binding, sending, and the upcall
 * that dispatches pending ports to handlers (2-level ABI).
 */
#ifndef GUEST_EVENTS_H
#define GUEST_EVENTS_H

#include <stdint.h>

#include "pv/xen.h"

typedef void event_handler_fn(uint32_t port);

int evtchn_bind_virq_port(uint32_t virq, uint32_t *port);
int evtchn_alloc_unbound_port(domid_t remote, uint32_t *port);
int evtchn_bind_interdomain_port(domid_t remote, uint32_t remote_port, uint32_t *port);
int evtchn_send_port(uint32_t port);
int evtchn_close_port(uint32_t port);
int evtchn_unmask_port(uint32_t port);
void events_set_handler(uint32_t port, event_handler_fn *fn);

/*
 * Take every pending, unmasked port (clearing it) and run its handler;
 * returns how many. Safe to call with events masked, from the upcall or
 * from a polling loop.
 */
uint32_t events_dispatch(void);
/* Is `port` pending? Clears it if so. */
int events_test_and_clear(uint32_t port);
/* Sleep in SCHEDOP_poll until `port` is pending (then clear it): 0, or -ETIMEDOUT. */
int events_wait(uint32_t port, uint64_t timeout_ns);

#endif
