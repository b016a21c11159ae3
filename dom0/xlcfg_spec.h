/*
 * The device specs of xl.cfg (xl-disk-configuration(5),
 * xl-network-configuration(5)) as far as Bulkhead's devices go, and the
 * small helpers the xl.cfg reader shares. See xlcfg.h for the mapping.
 */
#ifndef DOM0_XLCFG_SPEC_H
#define DOM0_XLCFG_SPEC_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

#define XL_RAMDISK "disk.img"

/*
 * One DISKSPEC: positional target, format, vdev, access, or the same as
 * key=value; target= takes the rest of the spec. Adds a disk to g
 * (config_add_disk: its vdev xvda..xvdz, not one g has). 0, or -1 with why filled.
 */
int xlspec_disk(const char *spec, struct guest_config *g, char *why, uint32_t why_len);

/* One VIFSPEC: mac=, bridge= (any: dom0 has one bridge), type=vif, backend=0; adds an interface. */
int xlspec_vif(const char *spec, struct guest_config *g, char *why, uint32_t why_len);

/*
 * Interface `index` of g: 00:16:3e (Xen's OUI, as xl) and three bytes of
 * a hash of the guest's name, plus the index.
 */
void xlspec_default_mac(struct guest_config *g, uint32_t index);

bool xlspec_name_char(char c);
/* The part after the last '/'. */
const char *xlspec_basename(const char *path);

#endif
