/*
 * A guest's list of devices (config.h), shared by both configuration
 * formats: every disk and interface is added here, so both refuse the
 * same things with the same words (spec/devices.md DEV-29, DEV-30):
 * more than CFG_MAX_DISKS disks or CFG_MAX_VIFS interfaces, a vdev or a
 * MAC given twice. Disks whose sectors overlap are the block backend's
 * to refuse (DEV-17), since a whole-ramdisk disk is sized only at create.
 */
#include "config.h"
#include "devices.h"
#include "fmt.h"
#include "string.h"

#define VDEV_LETTERS 26u

static int refuse(char *why, uint32_t len, const char *what)
{
    snprintf(why, len, "%s", what);
    return -1;
}

uint32_t config_vdev(const char *name)
{
    if (strncmp(name, "xvd", 3) || name[3] < 'a' || name[3] > 'z' || name[4])
        return 0;
    return CFG_VDEV_XVDA + (uint32_t)(name[3] - 'a') * CFG_VDEV_STEP;
}

void config_vdev_name(uint32_t vdev, char out[8])
{
    uint32_t n = (vdev - CFG_VDEV_XVDA) / CFG_VDEV_STEP;

    snprintf(out, 8, "xvd%c", n < VDEV_LETTERS ? 'a' + (int)n : '?');
}

int config_add_disk(struct guest_config *g, const struct cfg_disk *d, char *why, uint32_t len)
{
    char msg[64];
    uint32_t i, vdev = d->vdev;

    if (g->nr_disks >= CFG_MAX_DISKS) {
        snprintf(msg, sizeof(msg), "at most %u disks per guest (DEV-29)", CFG_MAX_DISKS);
        return refuse(why, len, msg);
    }
    /* the native format names none: the first letter no disk has yet */
    for (i = 0; !vdev && i < VDEV_LETTERS; i++) {
        uint32_t k, want = CFG_VDEV_XVDA + i * CFG_VDEV_STEP;
        for (k = 0; k < g->nr_disks && g->disk[k].vdev != want; k++)
            ;
        if (k == g->nr_disks)
            vdev = want;
    }
    for (i = 0; i < g->nr_disks; i++)
        if (g->disk[i].vdev == vdev) {
            char name[8];
            config_vdev_name(vdev, name);
            snprintf(msg, sizeof(msg), "two disks are %s (DEV-30)", name);
            return refuse(why, len, msg);
        }
    g->disk[g->nr_disks] = *d;
    g->disk[g->nr_disks].vdev = vdev;
    g->nr_disks++;
    return 0;
}

int config_add_vif(struct guest_config *g, const uint8_t mac[6], uint8_t mac_given, char *why,
                   uint32_t len)
{
    if (g->nr_vifs >= CFG_MAX_VIFS) {
        char msg[64];
        snprintf(msg, sizeof(msg), "at most %u network interfaces per guest (DEV-29)",
                 CFG_MAX_VIFS);
        return refuse(why, len, msg);
    }
    memcpy(g->vif[g->nr_vifs].mac, mac, 6);
    g->vif[g->nr_vifs].mac_given = mac_given;
    g->nr_vifs++;
    return mac_given ? config_check_vifs(g, why, len) : 0;
}

int config_check_vifs(const struct guest_config *g, char *why, uint32_t len)
{
    uint32_t i, k;

    for (i = 0; i < g->nr_vifs; i++)
        for (k = i + 1; k < g->nr_vifs; k++)
            if (!memcmp(g->vif[i].mac, g->vif[k].mac, 6)) {
                char mac[18], msg[64];
                devices_format_mac(g->vif[i].mac, mac);
                snprintf(msg, sizeof(msg), "two interfaces have the MAC %s (DEV-30)", mac);
                return refuse(why, len, msg);
            }
    return 0;
}
