/*
 * dom0's side of the control interface: one function per domctl, sysctl
 * and memory_op request the tools need, each returning the hypercall's
 * result (0 or a negative errno).
 */
#ifndef DOM0_CTL_H
#define DOM0_CTL_H

#include <stdint.h>

#include "pv/domctl.h"

int ctl_create(const char *name, uint32_t max_pages, uint32_t weight, domid_t *domid);
int ctl_destroy(domid_t domid);
int ctl_pause(domid_t domid);
int ctl_unpause(domid_t domid);
int ctl_set_weight(domid_t domid, uint32_t weight);
int ctl_max_mem(domid_t domid, uint32_t max_pages);
/* The whole crash reason of domain `domid` (getdomaininfo's is cut at 47 characters). */
int ctl_crash_reason(domid_t domid, char reason[CRASH_REASON_FULL_LEN]);
/* The first domain with id >= from. */
int ctl_info(domid_t from, struct xen_domctl_getdomaininfo *info);
int ctl_set_context(domid_t domid, const void *vcpu_guest_context);
int ctl_hypercall_init(domid_t domid, uint32_t mfn);
int ctl_physinfo(struct xen_sysctl_physinfo *pi);
/* Ask the hypervisor to recount every page-table reference now. */
int ctl_audit(void);
/* Populate pfns[0..n) of domid; on return pfns[] holds the MFNs. Returns n or an error. */
int ctl_populate(domid_t domid, uint32_t *pfns, uint32_t n);

const char *ctl_strerror(int err);

#endif
