/*
 * The domain builder: a guest from a kernel module and a configuration,
 * laid out exactly as Xen's builder lays out a pv32pae guest, so any Xen
 * pv32pae kernel can boot. The same strict ELF front end and layout code
 * as the hypervisor's dom0 builder are used (hv/core/elf_image.c,
 * hv/core/boot_layout.c).
 */
#ifndef DOM0_BUILDER_H
#define DOM0_BUILDER_H

#include "config.h"
#include "modules.h"
#include "pv/domctl.h"

#define BUILD_ERROR_LEN 96

/*
 * Create and build a paused domain; returns 0 and its id, or a negative
 * errno with a one-line reason in `why` (the domain is then destroyed).
 */
/* Detach the guest's backends, then destroy it. */
int destroy_guest(domid_t domid);

int build_guest(const struct guest_config *cfg, const struct module *kernel,
                domid_t *domid, char why[BUILD_ERROR_LEN]);

#endif
