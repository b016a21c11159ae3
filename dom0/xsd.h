/*
 * dom0's xenstore daemon (spec/xenstore.md): the one store, dom0's own
 * privileged connection to it, and the toolstack's part of a domain's
 * life in it. When a guest is built, its directory is written as Xen's
 * toolstack writes the basic one (XS-12) and its connection opened; when
 * it goes, its connection closes (XS-11), its directory is removed and
 * @releaseDomain fires.
 */
#ifndef DOM0_XSD_H
#define DOM0_XSD_H

#include <stdint.h>

#include "pv/domctl.h"
#include "xs.h"

/* The store (made on first use). */
struct xs_store *xsd_store(void);

/*
 * Guest `id` is being built: write /local/domain/<id> (name, domid,
 * memory/target, control/, data/, device/, ...) and open its connection.
 * Returns the connection handle, or -errno.
 */
int xsd_introduce(domid_t id, const char *name, uint32_t mem_kib);

/*
 * Guest `id` (connection c, if >= 0) is gone: close c, remove its
 * directory and its devices' backend directories, fire @releaseDomain.
 */
void xsd_release(domid_t id, int c);

/*
 * The toolstack's and the backends' access, through dom0's privileged
 * connection: each is a wire request, so it obeys the store's rules and
 * fires the same watches a guest's would. 0, or -EIO if the store refused.
 */
/* WRITE path = value (value NULL: MKDIR), then, if owner >= 0, SET_PERMS
 * "n<owner>" plus "r<reader>" if reader >= 0. */
int xsd_node(const char *path, const char *value, int owner, int reader);
int xsd_rm(const char *path);
int xsd_watch(const char *path, const char *token);
int xsd_unwatch(const char *path, const char *token);
/* A committed value into buf, NUL-terminated: its length, -ENOENT, -E2BIG. */
int xsd_read(const char *path, char *buf, uint32_t max);

/*
 * Where the events of dom0's own watches go: the token and path of each,
 * as they are taken from dom0's queue (after every request of dom0's and
 * on xsd_pump). An event its queue dropped calls fn with NULL, NULL: the
 * handler must then look at everything it watches.
 */
void xsd_set_event_handler(void (*fn)(const char *path, const char *token));
/* Take dom0's queued events now. */
void xsd_pump(void);

#endif
