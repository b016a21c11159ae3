/*
 * A xenstore client for guests (spec/xenstore.md): requests and replies
 * over the store ring of start_info (store_mfn, store_evtchn), in Xen's
 * wire format, as any Xen guest's xenbus speaks it. One request is in
 * flight at a time through xenbus_call; xenbus_post and xenbus_recv let a
 * caller pipeline several. Watch events that arrive while a reply is
 * awaited are kept (a few) for xenbus_event, in order.
 *
 * Nothing from the ring is trusted: the ring is the proved xs_ring.c, a
 * header announcing more than XENSTORE_PAYLOAD_MAX is refused (-EIO), and
 * every wait has a timeout.
 */
#ifndef GUEST_XENBUS_H
#define GUEST_XENBUS_H

#include <stdint.h>

#include "pv/xs_wire.h"

struct xenbus_msg {
    struct xsd_sockmsg h;
    char body[XENSTORE_PAYLOAD_MAX + 1];    /* the payload, and a NUL after it */
};

/* Find the store page and port: 0, or -ENODEV. */
int xenbus_open(void);
/* The store page (NULL before xenbus_open): tests look at its error field. */
struct xenstore_domain_interface *xenbus_page(void);

/* Send one request without waiting; its req_id in *req_id. 0, -EIO, -ETIMEDOUT. */
int xenbus_post(uint32_t type, uint32_t tx, const void *payload, uint32_t len,
                uint32_t *req_id);
/* The next message (reply or event) within timeout_ns: 0, -EIO, -ETIMEDOUT. */
int xenbus_recv(struct xenbus_msg *m, uint64_t timeout_ns);
/*
 * One request and its reply (an XS_ERROR reply is still 0: see
 * xenbus_errno). Events before the reply are kept for xenbus_event.
 */
int xenbus_call(uint32_t type, uint32_t tx, const void *payload, uint32_t len,
                struct xenbus_msg *reply);
/* The next watch event, kept or new: 0, -EIO, -ETIMEDOUT. */
int xenbus_event(struct xenbus_msg *m, uint64_t timeout_ns);
/* 0 for a reply, else minus the errno an XS_ERROR reply names (-EINVAL if unknown). */
int xenbus_errno(const struct xenbus_msg *m);

/* READ path into buf (NUL-terminated, at most max - 1 bytes): its length or -errno. */
int xenbus_read(uint32_t tx, const char *path, char *buf, uint32_t max);
/* WRITE path = value: 0 or -errno. */
int xenbus_write(uint32_t tx, const char *path, const char *value);

#endif
