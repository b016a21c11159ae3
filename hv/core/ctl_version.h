/*
 * Which domctl and sysctl requests the control interface serves, by
 * caller and interface version (spec/domctl.md CTL-1, CTL-3).
 *
 * Theory of operation. Xen's domctl and sysctl carry an interface
 * version that names the layout of every sub-op's payload. Bulkhead keeps
 * Xen's numbers and outer layout but serves most sub-ops with payloads of
 * its own, named by its own version (BULKHEAD_*_INTERFACE_VERSION). A
 * request that names Xen 4.17's version (XEN_*_INTERFACE_VERSION) is
 * served where that answer is Xen's: a sub-op whose payload is laid out
 * as Xen's (pause, unpause, destroy: no payload at all) and a number Xen
 * does not have either (-ENOSYS, as Xen). A sub-op Xen has with another
 * payload gets -EACCES, Xen's answer to a layout it does not speak, so a
 * toolstack built for Xen is never misread. Any other version is -EACCES,
 * as Xen. Unlike Xen, which checks the version before the caller's
 * privilege, every caller but the privileged domain gets -EPERM before
 * anything is read (CTL-1): an unprivileged domain learns nothing, not
 * even the version.
 */
#ifndef CORE_CTL_VERSION_H
#define CORE_CTL_VERSION_H

#include "types.h"
#include "pv/domctl.h"
#include "pv/errno.h"

/* CTL-1: -EPERM for every caller but the privileged domain, else 0. */
int ctl_caller_check(bool privileged);

/*
 * CTL-3: may domctl `cmd` go on with interface version `version`? 0 (go
 * on: Bulkhead's version, or Xen 4.17's with a sub-op laid out as Xen's);
 * -EACCES (a version that is neither, or Xen's version with a sub-op
 * whose Bulkhead payload differs from Xen's); -ENOSYS (Xen's version with
 * a number Bulkhead does not serve in Xen's layout and Xen does not
 * have, or does not have here: Xen's answer for it).
 */
int ctl_domctl_version(uint32_t cmd, uint32_t version);

/*
 * CTL-3 for sysctl: the same rule. No sysctl has Xen's layout: with Xen's
 * version physinfo is -EACCES and every other number -ENOSYS.
 */
int ctl_sysctl_version(uint32_t cmd, uint32_t version);

#endif
