/*
 * What the block and net frontends share: offering a page of our image
 * to dom0 under a fixed ref, and waiting for a ring's responses.
 */
#ifndef GUEST_FRONTEND_H
#define GUEST_FRONTEND_H

#include <stdint.h>

#include "ring.h"

#define FRONTEND_TIMEOUT_NS 5000000000ull    /* a backend silent this long is gone */

/* Grant `page` (one of ours, page aligned) to dom0 as `ref`. */
int frontend_offer(uint32_t ref, void *page, bool readonly);

/*
 * Take one response into rsp, sleeping on `port` while none is there:
 * 0, -ETIMEDOUT, or -EIO when the backend's indices are impossible.
 */
int frontend_wait_response(struct ring_front *f, uint32_t port, void *rsp);

/* Publish what was queued; kick `port` if the backend asked for it. */
void frontend_push(struct ring_front *f, uint32_t port);

#endif
