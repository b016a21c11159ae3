/*
 * What the boot loader told us, in one loader-neutral form: the command
 * line, the machine memory map and the modules (dom0 first).
 */
#ifndef HV_BOOTINFO_H
#define HV_BOOTINFO_H

#include <stdbool.h>
#include <stdint.h>

#define BOOT_MAX_MMAP    64
#define BOOT_MAX_MODULES 16
#define BOOT_CMDLINE_MAX 512
#define MODULE_CMDLINE_MAX 256

#define MEM_USABLE 1

struct mem_region {
    uint64_t base;
    uint64_t len;
    uint32_t type;      /* 1 = usable RAM, anything else reserved */
};

struct boot_module {
    uint32_t start;     /* physical, page aligned by the loader */
    uint32_t end;       /* exclusive */
    char cmdline[MODULE_CMDLINE_MAX];
};

struct boot_info {
    const char *loader;                 /* "multiboot1" or "multiboot2" */
    char cmdline[BOOT_CMDLINE_MAX];
    struct mem_region mmap[BOOT_MAX_MMAP];
    uint32_t nr_mmap;
    struct boot_module mods[BOOT_MAX_MODULES];
    uint32_t nr_mods;
    uint32_t info_start, info_end;      /* the loader's block, to keep clear */
};

/* Fill *bi from the loader's block; returns 0 or a negative errno. */
int multiboot_parse(uint32_t magic, uint32_t info_pa, struct boot_info *bi);

#endif
