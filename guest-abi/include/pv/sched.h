/*
 * sched_op (hypercall 29): yielding, blocking, polling and shutting down.
 *
 * SCHEDOP_block atomically clears the caller's evtchn_upcall_mask before
 * it sleeps and does not sleep if an event is already pending, so a
 * kernel can test for work with events masked and then block without
 * losing a wakeup.
 */
#ifndef PV_SCHED_H
#define PV_SCHED_H

#include "types.h"

#define SCHEDOP_yield           0   /* arg NULL */
#define SCHEDOP_block           1   /* arg NULL */
#define SCHEDOP_shutdown        2   /* struct sched_shutdown */
#define SCHEDOP_poll            3   /* struct sched_poll */
#define SCHEDOP_remote_shutdown 4   /* struct sched_remote_shutdown (privileged) */
#define SCHEDOP_shutdown_code   5   /* struct sched_shutdown: latch the reason only */
#define SCHEDOP_watchdog        6   /* struct sched_watchdog */
#define SCHEDOP_pin_override    7   /* struct sched_pin_override (hardware domain) */

/* Shutdown reasons, as reported to the control domain. */
#define SHUTDOWN_poweroff   0
#define SHUTDOWN_reboot     1
#define SHUTDOWN_suspend    2   /* EDX = start_info MFN; returns 1 if cancelled */
#define SHUTDOWN_crash      3
#define SHUTDOWN_watchdog   4
#define SHUTDOWN_soft_reset 5

/* Xen refuses larger port lists with -EINVAL; the name is ours. */
#define SCHED_POLL_MAX_PORTS 128

struct sched_shutdown {
    uint32_t reason;              /* IN: SHUTDOWN_* */
};
PV_ABI_SIZE(struct sched_shutdown, 4);

/* Returns when any listed port is pending, or at timeout. */
struct sched_poll {
    pv_handle_t ports;            /* IN: array of evtchn_port_t */
    uint32_t    nr_ports;         /* IN: at most SCHED_POLL_MAX_PORTS */
    pv_u64      timeout;          /* IN: absolute system time in ns, 0 = none */
};
PV_ABI_SIZE(struct sched_poll, 16);
PV_ABI_OFFSET(struct sched_poll, ports, 0);
PV_ABI_OFFSET(struct sched_poll, nr_ports, 4);
PV_ABI_OFFSET(struct sched_poll, timeout, 8);

struct sched_remote_shutdown {
    domid_t  domain_id;           /* IN */
    uint16_t pad;
    uint32_t reason;              /* IN: SHUTDOWN_* */
};
PV_ABI_SIZE(struct sched_remote_shutdown, 8);
PV_ABI_OFFSET(struct sched_remote_shutdown, reason, 4);

struct sched_watchdog {
    uint32_t id;                  /* IN: 0 allocates; OUT: the new id */
    uint32_t timeout;             /* IN: seconds, 0 destroys */
};
PV_ABI_SIZE(struct sched_watchdog, 8);

struct sched_pin_override {
    int32_t pcpu;                 /* IN: physical CPU, -1 ends the override */
};
PV_ABI_SIZE(struct sched_pin_override, 4);

#endif
