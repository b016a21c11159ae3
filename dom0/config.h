/*
 * Guest configurations: a small text format, one or more sections per
 * config module.
 *
 *     # comment
 *     [web]                 section = the guest's name
 *     kernel  = app.elf     name of the boot module holding its kernel
 *     memory  = 8M          allowance (K, M or G suffix; no suffix: pages)
 *     weight  = 512         CPU weight 1..65535 (default 256)
 *     cmdline = any text    its start_info command line (rest of the line)
 *     disk    = 2048+4096   a block device: COUNT sectors of the ramdisk from START
 *     mac     = 02:00:00:00:00:01   a network interface on dom0's bridge
 *
 * Every malformed line is refused with "line N: <why>"; a section without
 * kernel or memory is refused when it ends.
 */
#ifndef DOM0_CONFIG_H
#define DOM0_CONFIG_H

#include <stdint.h>

#define CFG_NAME_LEN     32
#define CFG_MODULE_LEN   64
#define CFG_CMDLINE_LEN  256
#define CFG_ERROR_LEN    96
#define CFG_MAX_GUESTS   256

struct guest_config {
    char name[CFG_NAME_LEN];
    char kernel[CFG_MODULE_LEN];
    uint32_t pages;
    uint32_t weight;
    char cmdline[CFG_CMDLINE_LEN];
    uint32_t disk_start, disk_sectors;      /* disk_sectors 0: no block device */
    uint8_t disk_whole;                     /* all of the ramdisk (xl.cfg): sized at create */
    uint8_t mac[6];
    uint8_t has_mac;                        /* a network interface */
};

struct config_set {
    struct guest_config guests[CFG_MAX_GUESTS];
    uint32_t nr;
    char error[CFG_ERROR_LEN];      /* the first error, empty when none */
};

/* Parse `len` bytes of text; returns 0, or -1 with set->error filled. */
int config_parse(const char *text, uint32_t len, struct config_set *set);

/* The section called `name`, or NULL. */
const struct guest_config *config_find(const struct config_set *set, const char *name);

#endif
