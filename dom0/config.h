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
 * Each disk line adds a disk (xvda, xvdb, ... in order) and each mac line
 * an interface (device/vif/0, 1, ...), at most CFG_MAX_DISKS and
 * CFG_MAX_VIFS of each, no MAC twice (spec/devices.md DEV-29, DEV-30).
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
#define CFG_MAX_DISKS    4u     /* DEV-29: disks per guest */
#define CFG_MAX_VIFS     4u     /* DEV-29: network interfaces per guest */
#define CFG_VDEV_XVDA    51712u /* xvda: major 202, minor 0 (Xen's vdev numbering) */
#define CFG_VDEV_STEP    16u    /* xvdb is 51728, ...: 16 minors per disk */

struct cfg_disk {
    uint32_t start, sectors;
    uint8_t whole;                          /* all of the ramdisk (xl.cfg): sized at create */
    uint32_t vdev;                          /* its device/vbd/<vdev> number */
};

struct cfg_vif {
    uint8_t mac[6];
    uint8_t mac_given;                      /* xl.cfg: named, else derived from the name */
};

struct guest_config {
    char name[CFG_NAME_LEN];
    char kernel[CFG_MODULE_LEN];
    uint32_t pages;
    uint32_t weight;
    char cmdline[CFG_CMDLINE_LEN];
    struct cfg_disk disk[CFG_MAX_DISKS];    /* device/vbd/<vdev>, in this order */
    uint32_t nr_disks;
    struct cfg_vif vif[CFG_MAX_VIFS];       /* device/vif/<index> */
    uint32_t nr_vifs;
};

struct config_set {
    struct guest_config guests[CFG_MAX_GUESTS];
    uint32_t nr;
    char error[CFG_ERROR_LEN];      /* the first error, empty when none */
};

/* Parse `len` bytes of text; returns 0, or -1 with set->error filled. */
int config_parse(const char *text, uint32_t len, struct config_set *set);

/*
 * DEV-29, DEV-30: add a disk (vdev 0: the next free xvdX) or an interface
 * to g. 0, or -1 with `why` filled: too many of that kind, a vdev or MAC
 * given twice, a vdev that is not xvda..xvdz.
 */
int config_add_disk(struct guest_config *g, const struct cfg_disk *d, char *why, uint32_t len);
int config_add_vif(struct guest_config *g, const uint8_t mac[6], uint8_t mac_given, char *why,
                   uint32_t len);
/* DEV-30: two of g's interfaces with one MAC (after xl's defaults): 0, or -1 with `why`. */
int config_check_vifs(const struct guest_config *g, char *why, uint32_t len);
/* "xvdX" (X = a..z) as a vdev number: 0 if it is not that form. */
uint32_t config_vdev(const char *name);
/* The name of vdev `vdev` ("xvdb"): out has room for 8. */
void config_vdev_name(uint32_t vdev, char out[8]);

/* The section called `name`, or NULL. */
const struct guest_config *config_find(const struct config_set *set, const char *name);

#endif
