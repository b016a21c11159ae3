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

/* Guest `id` (connection c, if >= 0) is gone: close c, remove its directory, fire @releaseDomain. */
void xsd_release(domid_t id, int c);

#endif
