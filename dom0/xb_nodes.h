/*
 * The toolstack's device nodes (spec/devices.md DEV-20): for each device
 * of a guest under construction, its frontend directory in the guest's
 * part of the store and its backend directory under dom0's, written as
 * Xen's libxl writes them (libxl_device.c, libxl_disk.c, libxl_nic.c,
 * libxl_console.c), both with state Initialising.
 */
#ifndef DOM0_XB_NODES_H
#define DOM0_XB_NODES_H

#include <stdint.h>

#include "pv/domctl.h"

#define XB_PATH_LEN  64u

/* The frontend and backend directories of device `devid` of kind ("vbd", "vif") of guest id. */
void xb_paths(domid_t id, const char *kind, uint32_t devid, char fe[XB_PATH_LEN],
              char be[XB_PATH_LEN]);

/* The primary console: console/ (ring-ref = its page's frame, port) and backend/console/<id>/0. */
int xb_nodes_console(domid_t id, uint32_t mfn, uint32_t port);
/* A read-write disk, device/vbd/<vdev> (51712 xvda, 51728 xvdb, ...: DEV-31). */
int xb_nodes_vbd(domid_t id, uint32_t vdev);
/* A network interface with this MAC, device/vif/<handle> (0, 1, ...: DEV-31). */
int xb_nodes_vif(domid_t id, uint32_t handle, const uint8_t mac[6]);

#endif
