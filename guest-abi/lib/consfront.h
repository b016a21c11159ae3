/*
 * The PV console from the guest's side: the ring page and event channel
 * start_info names (console.domU), drained by dom0's console backend.
 * console_io stays available as the debug console (spec/devices.md).
 */
#ifndef GUEST_CONSFRONT_H
#define GUEST_CONSFRONT_H

#include <stdint.h>

#include "pv/console_ring.h"

/* Locate the ring page in our own mapping: 0 or -ENODEV. */
int consfront_open(void);
/* The ring page consfront_open found (NULL before), for tests that misbehave on it. */
struct xencons_interface *consfront_page(void);
/* Write all of s (waiting for room as the backend drains): 0 or -errno. */
int consfront_write(const char *s, uint32_t len);
/* Read up to len bytes, waiting up to timeout_ns for the first: count or -errno. */
int consfront_read(char *buf, uint32_t len, uint64_t timeout_ns);

#endif
