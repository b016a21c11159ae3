/*
 * Device plumbing done by the builder before a guest first runs.
 */
#ifndef DOM0_DEV_SETUP_H
#define DOM0_DEV_SETUP_H

#include "backend.h"

/*
 * Grant table with the console (ref 0) and store (ref 1) pages offered to
 * dom0; unbound ports for the console and the store (DEV-1). 0, or
 * -errno/GNTST with *why set.
 */
int dev_setup(domid_t id, uint32_t console_mfn, uint32_t store_mfn, struct dev_ports *ports,
              const char **why);

#endif
