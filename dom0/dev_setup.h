/*
 * Device plumbing done by the builder before a guest first runs.
 */
#ifndef DOM0_DEV_SETUP_H
#define DOM0_DEV_SETUP_H

#include "backend.h"
#include "config.h"
#include "devices.h"

#define DEV_TOKENS_LEN 64

/*
 * Grant table with the console (ref 0) and store (ref 1) pages offered to
 * dom0; unbound ports for the console and each configured device; the
 * command-line tokens naming them. 0, or -errno/GNTST with *why set.
 */
int dev_setup(domid_t id, const struct guest_config *cfg, uint32_t console_mfn,
              uint32_t store_mfn, struct dev_ports *ports, char *tokens, uint32_t tokens_len,
              const char **why);

#endif
