/*
 * multicall (hypercall 13): run a list of hypercalls in one trap.
 *
 * Entries run in order and each result is written back; a failing entry
 * does not stop the batch, so the caller must check every result. Only
 * args[0..4] reach the handler on x86_32.
 */
#ifndef PV_MULTICALL_H
#define PV_MULTICALL_H

#include "types.h"

struct multicall_entry {
    xen_ulong_t op;               /* IN: __HYPERVISOR_* */
    xen_ulong_t result;           /* OUT: that call's return value */
    xen_ulong_t args[6];          /* IN */
};
PV_ABI_SIZE(struct multicall_entry, 32);
PV_ABI_OFFSET(struct multicall_entry, op, 0);
PV_ABI_OFFSET(struct multicall_entry, result, 4);
PV_ABI_OFFSET(struct multicall_entry, args, 8);

#endif
