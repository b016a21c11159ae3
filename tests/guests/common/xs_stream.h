/*
 * The xenstore response stream read in ring-sized chunks, one kick per
 * chunk, for hostile store scenarios: a guest that floods the store or
 * drains thousands of messages makes far fewer hypercalls than with
 * xenbus_recv (two kicks per message), which matters under the audit
 * (every hypercall audited) and makes a flood the more aggressive. Once a
 * guest reads through this, it must not mix in xenbus_recv or xenbus_call
 * (bytes may wait in this buffer).
 */
#ifndef TEST_XS_STREAM_H
#define TEST_XS_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include "xenbus.h"

/*
 * The next whole message into m: 1; 0 if none came within timeout_ns (0:
 * only what is there now, no wait); -1 if the stream is malformed (a
 * header announcing more than XENSTORE_PAYLOAD_MAX) or the ring's indices
 * are impossible. xenbus_open must have succeeded.
 */
int xs_stream_next(struct xenbus_msg *m, uint64_t timeout_ns);

/*
 * Write n copies of one request (type, transaction, payload of len bytes)
 * into the request ring at once, as many whole ones as fit, with req_ids
 * from *next_id on, and kick once: how many were written.
 */
uint32_t xs_stream_post_many(uint32_t type, uint32_t tx, const char *payload, uint32_t len,
                             uint32_t n, uint32_t *next_id);

/*
 * Append one whole request to a batch (buf of max bytes, *at bytes used):
 * false (nothing appended) if it does not fit.
 */
bool xs_stream_add(char *buf, uint32_t max, uint32_t *at, uint32_t type, uint32_t req_id,
                   uint32_t tx, const void *payload, uint32_t len);

/* Write a batch of whole requests into the request ring with one kick: 0, or -1 if it does not fit. */
int xs_stream_send(const char *buf, uint32_t len);

#endif
