/*
 * A frontend's end of the xenbus handshake (spec/devices.md DEV-20..23),
 * as Xen's Linux and mini-os frontends walk it: find the device the
 * toolstack wrote under our device/<kind>/, take a channel of our own for
 * the backend, publish the ring refs and channel, and follow the
 * backend's state (InitWait, then Connected; Closing, Closed on close).
 * Every wait is bounded; nothing the backend writes is trusted beyond
 * the number it is.
 */
#ifndef GUEST_XBFRONT_H
#define GUEST_XBFRONT_H

#include <stdint.h>

#include "pv/mmu.h"
#include "pv/types.h"
#include "pv/xenbus.h"

#define XBFRONT_WAIT_NS 20000000000ull  /* a backend that does not move this long is gone */

struct xbfront {
    char node[40];          /* "device/<kind>/<devid>", relative to our home */
    char backend[72];       /* the backend directory the toolstack wrote */
    domid_t backend_id;
    uint32_t port;          /* our channel for it (0: none) */
    uint32_t state;         /* ours, as last written */
};

/* The first device/<kind>/ entry and its backend: 0, -ENODEV, -EIO. */
int xbfront_find(const char *kind, struct xbfront *f);
/* The n-th (from 0) entry of the store's DIRECTORY of device/<kind>/ (DEV-35). */
int xbfront_find_nth(const char *kind, uint32_t n, struct xbfront *f);
/* A channel of ours with the backend's domain as the remote (kept in f->port). */
int xbfront_alloc_port(struct xbfront *f);
/* Close it. */
void xbfront_free_port(struct xbfront *f);
/* Write our state / a key below our node: 0 or -errno. */
int xbfront_switch(struct xbfront *f, uint32_t state);
int xbfront_write(const struct xbfront *f, const char *key, const char *value);
int xbfront_write_u32(const struct xbfront *f, const char *key, uint32_t value);
/* The backend's state, or -errno. */
int xbfront_backend_state(const struct xbfront *f);
/*
 * Wait until the backend's state is `want`: 0; -ENOTCONN if it closes
 * instead (Closing or Closed while we want something before them);
 * -ETIMEDOUT after XBFRONT_WAIT_NS.
 */
int xbfront_wait(const struct xbfront *f, uint32_t want);
/* A backend key as a number: 0, or -ENOENT / -EINVAL. */
int xbfront_backend_u32(const struct xbfront *f, const char *key, uint32_t *out);

#endif
