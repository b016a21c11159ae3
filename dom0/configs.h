/*
 * The guest configurations dom0 knows: every *.cfg boot module, in
 * Bulkhead's [section] format (several guests per module) or in xl.cfg
 * syntax (one guest per module, xlcfg.h). `create` finds a guest by its
 * section name, by its xl.cfg name, or by the module's file name (a
 * path's directories dropped, as `xl create /etc/xen/web.cfg`).
 */
#ifndef DOM0_CONFIGS_H
#define DOM0_CONFIGS_H

#include <stdint.h>

#include "config.h"

/* Parse every *.cfg module, printing one line per refused module; the number of guests. */
uint32_t configs_load(void);

/* The configuration `what` names, or NULL with why filled. */
const struct guest_config *configs_find(const char *what, char *why, uint32_t why_len);

/* Call fn for every guest configuration known. */
void configs_each(void (*fn)(const struct guest_config *g, const char *module));

#endif
