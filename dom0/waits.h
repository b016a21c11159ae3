/*
 * dom0 waiting for time to pass or for a guest to stop (spec/dom0.md,
 * DOM0-3). While it waits it serves the backends (DEV-9) and looks at the
 * serial line at least every WAIT_SLICE_NS, so the operator's Ctrl-C
 * ends any wait, whatever the guests do.
 */
#ifndef DOM0_WAITS_H
#define DOM0_WAITS_H

#include <stdint.h>

#include "pv/domctl.h"

#define WAIT_SLICE_NS 10000000ull

/* Until pv_time_ns() reaches deadline_ns: 0, or -EINTR (Ctrl-C). */
int wait_until(uint64_t deadline_ns);

/*
 * Until domain `id` has stopped (shutdown, crashed, dying): 0 with *info
 * its last record; -ESRCH if there is no such domain; -EINTR (Ctrl-C).
 */
int wait_domain_stopped(domid_t id, struct xen_domctl_getdomaininfo *info);

#endif
