/*
 * The boot modules handed to dom0 (the SIF_MULTIBOOT_MOD package). Each
 * has a name (the first word of its command line), the rest of its
 * command line, and its bytes, all inside dom0's own memory.
 */
#ifndef DOM0_MODULES_H
#define DOM0_MODULES_H

#include <stdint.h>

#define MAX_MODULES 16
#define MODULE_NAME_LEN 64

struct module {
    char name[MODULE_NAME_LEN];
    const char *args;             /* after the name, may be empty */
    const uint8_t *data;
    uint32_t len;
};

/* Read the package named by start_info; returns the number of modules. */
uint32_t modules_init(void);
const struct module *module_find(const char *name);
const struct module *module_at(uint32_t i);
uint32_t modules_count(void);

#endif
