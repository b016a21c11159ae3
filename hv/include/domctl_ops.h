#ifndef HV_DOMCTL_OPS_H
#define HV_DOMCTL_OPS_H

#include <stdint.h>

#include "pv/domctl.h"

struct domain;

int32_t domctl_setvcpucontext(struct domain *d, const struct xen_domctl_vcpucontext *vc);
int32_t domctl_hypercall_init(struct domain *d, uint32_t gmfn);

#endif
