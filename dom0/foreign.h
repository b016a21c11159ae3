/*
 * A window of dom0's address space for mapping other domains' frames
 * while building them (the toolstack's foreign mappings) and for the
 * backends' rings (grant maps). The window is four L1 tables' worth
 * (8 MiB, 2048 pages) just below the hypervisor, backed by L1 frames
 * taken from dom0's own unmapped memory and pinned (DEV-18).
 */
#ifndef DOM0_FOREIGN_H
#define DOM0_FOREIGN_H

#include <stdint.h>

#include "pv/domctl.h"
#include "pv/grant_table.h"

/* Set the window up once; 0 or a negative errno. */
int foreign_init(void);
/* Map `mfn` of `domid` writable; returns its address, or NULL with *err. */
void *foreign_map(domid_t domid, uint32_t mfn, int *err);
void foreign_unmap(void *va);

/*
 * Map a page another domain granted to us (read-write) into the window:
 * the address, or NULL with *err the GNTST_* status or -errno. The
 * window slot stays taken until foreign_unmap_grant succeeds.
 */
void *foreign_map_grant(domid_t from, grant_ref_t ref, grant_handle_t *handle, int *err);
/* Window slots free now (0: every map fails with -ENOSPC). */
uint32_t foreign_free_slots(void);
int foreign_unmap_grant(void *va, grant_handle_t handle);

#endif
