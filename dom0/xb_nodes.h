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

#define XB_VBD_DEVID 51712u     /* xvda: major 202, minor 0 (Xen's vdev numbering) */
#define XB_VIF_DEVID 0u
#define XB_PATH_LEN  64u

/* The frontend and backend directories of device `devid` of kind ("vbd", "vif") of guest id. */
void xb_paths(domid_t id, const char *kind, uint32_t devid, char fe[XB_PATH_LEN],
              char be[XB_PATH_LEN]);

/* The primary console: console/ (ring-ref = its page's frame, port) and backend/console/<id>/0. */
int xb_nodes_console(domid_t id, uint32_t mfn, uint32_t port);
/* A disk of `sectors` sectors, xvda, read-write. */
int xb_nodes_vbd(domid_t id);
/* A network interface with this MAC, handle 0. */
int xb_nodes_vif(domid_t id, const uint8_t mac[6]);

#endif
