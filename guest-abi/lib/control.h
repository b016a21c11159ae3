/*
 * Control requests from the toolstack (spec/devices.md DEV-24), as a Xen
 * guest kernel takes them: the toolstack writes "poweroff", "halt",
 * "reboot" or "crash" into control/shutdown; the guest watches that node,
 * acknowledges a request by writing it empty again (as Linux does), and
 * stops with SCHEDOP_shutdown and the matching reason. Memory targets
 * (memory/target) are the balloon driver's (balloon.h).
 */
#ifndef GUEST_CONTROL_H
#define GUEST_CONTROL_H

#include <stdint.h>

/* Watch control/shutdown and say which requests we take (control/feature-*): 0 or -errno. */
int control_watch(void);
/*
 * Look at control/shutdown now: a request is acknowledged and its
 * SHUTDOWN_* reason returned; -ENOENT when there is none, -EINVAL for
 * one we do not take (acknowledged too, and ignored, as Linux does).
 */
int control_check(void);
/*
 * Wait up to timeout_ns for a request (any store event wakes it to look):
 * on one, stop with its reason (never returns); else -ETIMEDOUT.
 */
int control_serve(uint64_t timeout_ns);

#endif
