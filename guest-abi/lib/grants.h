/*
 * Grant tables from a guest's side (spec/grants.md): offering pages of
 * one's own to another domain, and, for a backend, mapping or copying
 * pages another domain offered.
 *
 * The first grant frame (refs 0..511) is mapped over a page of our own
 * image at first use; refs 0 and 1 are the console and store pages the
 * domain builder granted (GNTTAB_RESERVED_*), refs 2..7 are reserved as
 * in Xen, and spec/devices.md fixes which refs a frontend uses.
 */
#ifndef GUEST_GRANTS_H
#define GUEST_GRANTS_H

#include <stdbool.h>
#include <stdint.h>

#include "pv/grant_table.h"

/* The machine frame behind one of our own mapped virtual addresses. */
uint32_t virt_to_mfn(const void *va);

/* Map our first grant frame (setup_table for 1 frame); 0 or -errno/GNTST. */
int grants_init(void);

/* Let domain `to` map or copy frame `mfn` through `ref`. */
int grants_offer(grant_ref_t ref, domid_t to, uint32_t mfn, bool readonly);
/* Take `ref` back; -EBUSY while the grantee still has it mapped. */
int grants_revoke(grant_ref_t ref);

/* Backend side: map `from`'s `ref` at our virtual address `va`. */
int grants_map(domid_t from, grant_ref_t ref, uint32_t va, bool readonly,
               grant_handle_t *handle);
int grants_unmap(uint32_t va, grant_handle_t handle);

/* GNTTABOP_copy of n operations; per-operation status in each. */
int grants_copy(struct gnttab_copy *ops, uint32_t n);

#endif
