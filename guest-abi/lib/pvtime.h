/*
 * Time as a PV guest sees it: shared_info mapped once into the guest's
 * own address space, then system time read from vcpu_info[0].time with
 * the version protocol and the TSC, never entering the hypervisor.
 */
#ifndef GUEST_PVTIME_H
#define GUEST_PVTIME_H

#include <stdint.h>

#include "pv/shared_info.h"

/* Map shared_info (idempotent); 0 or a negative errno. */
int pv_map_shared_info(void);
struct shared_info *pv_shared_info(void);
/* Map shared_info again after something remapped its page (traps_make_user). */
int pv_remap_shared_info(void);
/* ns since the hypervisor booted. */
uint64_t pv_time_ns(void);
/* Seconds since 1970 (the wallclock plus system time). */
uint64_t pv_wallclock_sec(void);
/* The port VIRQ_TIMER is bound to (bound on first use; 0 if that failed). */
uint32_t pv_timer_port(void);
/* Sleep with set_timer_op + SCHEDOP_block; returns early only on an event. */
void pv_sleep_ns(uint64_t ns);

#endif
