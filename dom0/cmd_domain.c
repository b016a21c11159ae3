/*
 * The commands that act on domains (spec/dom0.md): each reads its
 * arguments, acts once, and says what it did or why it did not.
 */
#include "backend.h"
#include "builder.h"
#include "configs.h"
#include "ctl.h"
#include "devices.h"
#include "foreign.h"
#include "guest.h"
#include "modules.h"
#include "pv/errno.h"
#include "pv/sched.h"
#include "pvtime.h"
#include "shell.h"
#include "shell_cmd.h"
#include "waits.h"
#include "xlcfg_spec.h"

#define MAX_COUNT   100000u             /* cycle */
#define PROGRESS_NS 2000000000ull       /* long loops report every 2 s */
#define SECTOR      512u

static int list_row(const struct xen_domctl_getdomaininfo *info, void *arg)
{
    char reason[CRASH_REASON_FULL_LEN];

    (void)arg;
    /* getdomaininfo cuts the reason at 47 characters: ask for all of it */
    memcpy(reason, info->crash_reason, CRASH_REASON_LEN);
    if (reason[0])
        ctl_crash_reason(info->domain, reason);
    gprintf("%-4u %-16s %-9s %8u %10u %6u %10llu %6u%s%s%s\n", info->domain, info->name,
            sh_state(info), info->tot_pages * 4, (uint32_t)(info->cpu_time_ns / 1000000u),
            info->weight, (unsigned long long)info->console_dropped, info->pause_count,
            sh_reason(info), reason[0] ? "  " : "", reason);
    return 0;
}

int cmd_list(const struct shell_cmd *c, int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return sh_usage(c);
    shell_isolation_warning("");
    gprintf("%-4s %-16s %-9s %8s %10s %6s %10s %6s\n", "ID", "NAME", "STATE", "MEM(KiB)",
            "CPU(ms)", "WEIGHT", "CONDROP(B)", "PAUSES");
    sh_each_domain(list_row, NULL);
    return 0;
}

struct same_name {
    const char *name;
    domid_t id;
};

static int find_same_name(const struct xen_domctl_getdomaininfo *info, void *arg)
{
    struct same_name *s = arg;

    if (strcmp(info->name, s->name))
        return 0;
    s->id = info->domain;
    return 1;
}

/* xl.cfg disks of all of disk.img: their size is the module's, known only now. */
static int size_whole_disks(struct guest_config *cfg, char *why, uint32_t why_len)
{
    const struct module *disk = module_find(XL_RAMDISK);
    uint32_t i;

    for (i = 0; i < cfg->nr_disks; i++) {
        struct cfg_disk *d = &cfg->disk[i];
        if (!d->whole)
            continue;
        if (!disk || disk->len < SECTOR) {
            snprintf(why, why_len, "its disk is all of %s, and there is no such module",
                     XL_RAMDISK);
            return -ENODEV;
        }
        d->start = 0;
        d->sectors = disk->len / SECTOR;
        d->whole = 0;
    }
    return 0;
}

int sh_start_guest(const char *cmd, const char *what, domid_t *id)
{
    static struct guest_config cfg;
    const struct guest_config *found;
    struct same_name same = { NULL, 0xFFFFu };
    const struct module *kernel;
    char why[BUILD_ERROR_LEN];
    int rc;

    found = configs_find(what, why, sizeof(why));
    if (!found)
        return sh_fail(-ENOENT, why, "%s %s", cmd, what);
    cfg = *found;
    same.name = cfg.name;
    sh_each_domain(find_same_name, &same);
    if (same.id != 0xFFFFu) {   /* as xl: names of domains on one host are unique */
        snprintf(why, sizeof(why), "domain %u already has the name '%s'", same.id, cfg.name);
        return sh_fail(-EEXIST, why, "%s %s", cmd, what);
    }
    if ((rc = size_whole_disks(&cfg, why, sizeof(why))) != 0)
        return sh_fail(rc, why, "%s %s", cmd, what);
    kernel = module_find(cfg.kernel);
    if (!kernel)
        return sh_fail(-ENOENT, "no boot module has that name", "%s %s: kernel '%s'", cmd, what,
                       cfg.kernel);
    rc = build_guest(&cfg, kernel, id, why);
    backends_poll();                    /* DEV-19 */
    if (rc)
        return sh_fail(rc, why, "%s %s", cmd, what);
    return 0;
}

/* create [-c] [-p] <name|file.cfg>: -p leaves it paused, -c goes to its console (as xl). */
int cmd_create(const struct shell_cmd *c, int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info;
    bool console = false, paused = false;
    const char *what = NULL;
    char idarg[8];
    char *cargv[2] = { "console", idarg };
    domid_t id = 0;
    int i, rc;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-c"))
            console = true;
        else if (!strcmp(argv[i], "-p"))
            paused = true;
        else if (argv[i][0] == '-' || what)
            return sh_usage(c);
        else
            what = argv[i];
    }
    if (!what)
        return sh_usage(c);
    if (sh_start_guest(argv[0], what, &id))
        return -1;
    if (!paused && (rc = ctl_unpause(id)) != 0) {
        destroy_guest(id);
        return sh_fail(rc, "the new domain would not start", "%s %s", argv[0], what);
    }
    if (ctl_info(id, &info) || info.domain != id)
        return sh_fail(-ESRCH, "it went away", "%s %s", argv[0], what);
    gprintf("created domain %u (%s)%s\n", id, info.name, paused ? ", paused" : "");
    if (!console)
        return 0;
    snprintf(idarg, sizeof(idarg), "%u", id);
    return cmd_console(c, 2, cargv);
}

int cmd_destroy(const struct shell_cmd *c, int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info;
    int rc;

    if (argc != 2)
        return sh_usage(c);
    if (sh_domain(argv[0], argv[1], false, &info))
        return -1;
    rc = destroy_guest(info.domain);
    if (rc == -EBUSY)
        return sh_fail(rc, "dom0 still maps some of its frames; it stays dying", "destroy %u (%s)",
                       info.domain, info.name);
    if (rc)
        return sh_fail(rc, NULL, "destroy %u (%s)", info.domain, info.name);
    gprintf("destroyed domain %u (%s)\n", info.domain, info.name);
    return 0;
}

static int pause_or_unpause(const struct shell_cmd *c, int argc, char **argv, bool pause)
{
    struct xen_domctl_getdomaininfo info;
    domid_t id;
    int rc;

    if (argc != 2)
        return sh_usage(c);
    if (sh_domain(argv[0], argv[1], false, &info))
        return -1;
    id = info.domain;
    rc = pause ? ctl_pause(id) : ctl_unpause(id);
    if (rc == -EINVAL)
        return sh_fail(rc, pause ? "it has stopped" : "it is not paused (or has stopped)",
                       "%s %u (%s)", argv[0], id, info.name);
    if (rc == -EOVERFLOW)
        return sh_fail(rc, "it is paused 65535 times already", "pause %u (%s)", id, info.name);
    if (rc)
        return sh_fail(rc, NULL, "%s %u (%s)", argv[0], id, info.name);
    if (ctl_info(id, &info) || info.domain != id)
        return sh_fail(-ESRCH, "it went away", "%s %u", argv[0], id);
    if (info.pause_count)
        gprintf("%s domain %u (%s), pause count %u%s\n", pause ? "paused" : "unpaused", id,
                info.name, info.pause_count, pause ? "" : ": still paused");
    else
        gprintf("unpaused domain %u (%s): %s\n", id, info.name, sh_state(&info));
    return 0;
}

int cmd_pause(const struct shell_cmd *c, int argc, char **argv)
{
    return pause_or_unpause(c, argc, argv, true);
}

int cmd_unpause(const struct shell_cmd *c, int argc, char **argv)
{
    return pause_or_unpause(c, argc, argv, false);
}

/* sched <dom> [<weight>]: dom0 too (as `xl sched-credit -d 0 -w`). */
int cmd_sched(const struct shell_cmd *c, int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info;
    uint32_t w;
    int rc;

    if (argc != 2 && argc != 3)
        return sh_usage(c);
    if (sh_domain(argv[0], argv[1], true, &info))
        return -1;
    if (argc == 2) {
        gprintf("domain %u (%s): weight %u\n", info.domain, info.name, info.weight);
        return 0;
    }
    if (sh_number(argv[2], 65535, &w) || w == 0)
        return sh_fail(-EINVAL, "a weight is 1..65535", "%s %s %s", argv[0], argv[1], argv[2]);
    rc = ctl_set_weight(info.domain, w);
    if (rc)
        return sh_fail(rc, NULL, "%s %u (%s) %u", argv[0], info.domain, info.name, w);
    gprintf("domain %u (%s): weight %u, was %u\n", info.domain, info.name, w, info.weight);
    return 0;
}

/* DOM0-3: whatever the guest does, Ctrl-C ends the wait. */
int cmd_wait(const struct shell_cmd *c, int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info;
    domid_t id;
    int rc;

    if (argc != 2)
        return sh_usage(c);
    if (sh_domain(argv[0], argv[1], false, &info))
        return -1;
    id = info.domain;
    rc = wait_domain_stopped(id, &info);
    if (rc == -EINTR) {
        sh_error("wait: interrupted");
        return SHELL_INTERRUPTED;
    }
    if (rc)
        return sh_fail(rc, "it went away", "wait %u", id);
    gprintf("domain %u stopped: %s%s\n", id, sh_state(&info), sh_reason(&info));
    return 0;
}

static void cycle_report(const char *name, uint32_t n, uint32_t failed, uint64_t build_ns,
                         uint64_t destroy_ns)
{
    gprintf("cycle %s: %u created and destroyed, %u failed\n", name, n - failed, failed);
    if (n > failed)
        gprintf("BENCH guest-build-and-start(us) %u guest-destroy(us) %u\n",
                (uint32_t)(build_ns / (n - failed) / 1000u),
                (uint32_t)(destroy_ns / (n - failed) / 1000u));
}

/* One create, start and destroy; 0, or 1 if it failed (said already). */
static uint32_t one_cycle(const char *what, uint64_t *build_ns, uint64_t *destroy_ns)
{
    uint64_t t0 = pv_time_ns();
    domid_t id = 0;
    int rc;

    if (sh_start_guest("cycle", what, &id))
        return 1;
    rc = ctl_unpause(id);
    *build_ns += pv_time_ns() - t0;
    t0 = pv_time_ns();
    if (destroy_guest(id) || rc)
        return 1;
    *destroy_ns += pv_time_ns() - t0;
    return 0;
}

int cmd_cycle(const struct shell_cmd *c, int argc, char **argv)
{
    uint32_t n, i, failed = 0;
    uint64_t build_ns = 0, destroy_ns = 0, shown = pv_time_ns();

    if (argc != 3)
        return sh_usage(c);
    if (sh_number(argv[2], MAX_COUNT, &n) || n == 0)
        return sh_fail(-EINVAL, "a count is 1..100000", "cycle %s %s", argv[1], argv[2]);
    for (i = 0; i < n; i++) {
        if (sh_interrupted()) {             /* DOM0-3 */
            sh_error("cycle %s: interrupted after %u of %u (%u failed)", argv[1], i, n, failed);
            return SHELL_INTERRUPTED;
        }
        if (pv_time_ns() - shown >= PROGRESS_NS) {
            gprintf("cycle %s: %u of %u done, %u failed\n", argv[1], i, n, failed);
            shown = pv_time_ns();
        }
        failed += one_cycle(argv[1], &build_ns, &destroy_ns);
        if (failed == 1 && i == 0 && n > 1)
            return sh_error("cycle %s: the first cycle failed; not trying %u more", argv[1], n - 1);
    }
    cycle_report(argv[1], n, failed, build_ns, destroy_ns);
    return failed ? -1 : 0;
}

/* Try a foreign mapping of the domain's shared_info frame and report. */
int cmd_mapcheck(const struct shell_cmd *c, int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info;
    void *va;
    int err = 0;

    if (argc != 2)
        return sh_usage(c);
    if (sh_domain(argv[0], argv[1], true, &info))     /* dom0 too: the hypervisor must refuse */
        return -1;
    if ((err = foreign_init()) != 0)
        return sh_fail(err, "no foreign-mapping window", "mapcheck %u", info.domain);
    va = foreign_map(info.domain, info.shared_info_frame, &err);
    if (va)
        foreign_unmap(va);
    gprintf("mapcheck %u: %s (%d)\n", info.domain, va ? "mapped" : "refused", err);
    return 0;
}

static void config_row(const struct guest_config *g, const char *module)
{
    char devs[CFG_MAX_DISKS * 32 + CFG_MAX_VIFS * 24] = "";
    uint32_t i, n = 0;

    for (i = 0; i < g->nr_disks; i++) {
        const struct cfg_disk *d = &g->disk[i];
        char name[8];
        config_vdev_name(d->vdev, name);
        if (d->whole)
            n += (uint32_t)snprintf(devs + n, sizeof(devs) - n, " %s=all", name);
        else
            n += (uint32_t)snprintf(devs + n, sizeof(devs) - n, " %s=%u+%u", name, d->start,
                                    d->sectors);
    }
    for (i = 0; i < g->nr_vifs; i++) {
        char mac[18];
        devices_format_mac(g->vif[i].mac, mac);
        n += (uint32_t)snprintf(devs + n, sizeof(devs) - n, " vif%u=%s", i, mac);
    }
    gprintf("%-16s %-16s %8u %6u %-16s%s\n", g->name, g->kernel, g->pages * 4, g->weight,
            module, devs);
}

int cmd_configs(const struct shell_cmd *c, int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return sh_usage(c);
    gprintf("%-16s %-16s %8s %6s %-16s %s\n", "NAME", "KERNEL", "MEM(KiB)", "WEIGHT", "MODULE",
            "DEVICES");
    configs_each(config_row);
    return 0;
}
