/*
 * Memory targets through xenstore (spec/dom0.md DOM0-7, as Xen's
 * libxl_set_memory_target behind `xl mem-set`): `mem-set <dom> <size>`
 * writes the new target into /local/domain/<id>/memory/target, in KiB
 * as a decimal number, the unit and key Xen's toolstack uses; the
 * guest's balloon driver watches that node and gives frames back or
 * takes them again (spec/devices.md DEV-25..DEV-28). The size is MiB by
 * default, or has xl's k, m or g suffix. A target above the domain's
 * maximum (its build-time memory, memory/static-max: libxl refuses one
 * above it) or below MEMSET_FLOOR_KIB is refused, and nothing is
 * written. Before the target, the hypervisor's maximum for the domain is
 * set to it (XEN_DOMCTL_max_mem, as libxl does with enforce): a guest
 * that ignores the target, or takes memory back on its own, gets no
 * frame beyond it. dom0
 * runs no balloon driver and is never a target. Like xl, the command
 * does not wait for the guest (`list` and `mem` show when it has); with
 * -w (Bulkhead's, for scripts) it waits as libxl_wait_for_memory_target
 * does: until the domain holds the target, or until it has made no
 * progress for MEMSET_STALL_MS; Ctrl-C ends the wait (DOM0-3).
 */
#include "ctl.h"
#include "guest.h"
#include "pv/errno.h"
#include "shell.h"
#include "pvtime.h"
#include "shell_cmd.h"
#include "waits.h"
#include "xsd.h"

/* No guest kernel runs in less; the guest itself keeps what it uses (DEV-28). */
#define MEMSET_FLOOR_KIB 1024u
#define MEMSET_STALL_MS  10000u
#define MEMSET_POLL_NS   10000000ull
/* The most sh_number reads without overflow; far above any PAE machine's memory. */
#define STATIC_MAX_KIB_LIMIT 429496729u

struct unit {
    char suffix;
    uint32_t kib;               /* KiB per unit */
    uint32_t max;               /* largest count: 400 GiB, far above any domain's maximum */
};

static const struct unit units[] = {
    { 'k', 1u, 400u << 20 }, { 'm', 1024u, 400u << 10 }, { 'g', 1048576u, 400u },
};

/* DOM0-1, DOM0-7: digits and an optional k/m/g (xl's parse_mem_size_kb; MiB alone). */
static int parse_size_kib(const char *arg, uint64_t *kib)
{
    char digits[16];
    uint32_t len = (uint32_t)strnlen(arg, sizeof(digits)), i, n;
    const struct unit *u = &units[1];

    if (len < 1u || len == sizeof(digits))
        return -1;
    memcpy(digits, arg, len + 1u);
    for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (len > 1u && (digits[len - 1u] | 0x20) == units[i].suffix) {
            u = &units[i];
            digits[--len] = '\0';
            break;
        }
    if (sh_number(digits, u->max, &n))
        return -1;
    *kib = (uint64_t)n * u->kib;
    return 0;
}

/*
 * The most a domain may be given: its memory/static-max, which the
 * toolstack wrote at creation and no guest can change (DOM0-7); the
 * hypervisor's maximum follows each target, so it is no guide.
 */
static uint32_t static_max_kib(const struct xen_domctl_getdomaininfo *info)
{
    char path[48], v[16];
    uint32_t kib = 0;

    snprintf(path, sizeof(path), "/local/domain/%u/memory/static-max", info->domain);
    if (xsd_read(path, v, sizeof(v)) <= 0 || sh_number(v, STATIC_MAX_KIB_LIMIT, &kib) || kib == 0)
        return info->max_pages * 4u;                /* no record: what it may hold now */
    return kib;
}

/* -w: until domain id holds want pages, or MEMSET_STALL_MS pass without a change. */
static int wait_target(const char *cmd, domid_t id, uint32_t want)
{
    struct xen_domctl_getdomaininfo info;
    uint32_t last = 0xFFFFFFFFu;
    uint64_t stall_end = 0;

    for (;;) {
        if (ctl_info(id, &info) || info.domain != id)
            return sh_fail(-ESRCH, "it went away", "%s %u", cmd, id);
        if (info.tot_pages == want) {
            gprintf("domain %u (%s) holds %u KiB\n", id, info.name, want * 4u);
            return 0;
        }
        if (info.tot_pages != last) {
            last = info.tot_pages;
            stall_end = pv_time_ns() + (uint64_t)MEMSET_STALL_MS * 1000000u;
        }
        if (pv_time_ns() >= stall_end)
            return sh_fail(-ETIMEDOUT, "no progress for 10 s", "%s %u: it holds %u KiB of %u",
                           cmd, id, last * 4u, want * 4u);
        if (wait_until(pv_time_ns() + MEMSET_POLL_NS)) {
            sh_error("%s: interrupted; the target stays in memory/target", cmd);
            return SHELL_INTERRUPTED;
        }
    }
}

int cmd_mem_set(const struct shell_cmd *c, int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info;
    char path[48], value[16], was[16];
    uint64_t kib;
    uint32_t max_kib;
    bool wait = argc == 4 && !strcmp(argv[1], "-w");
    int rc;

    if (wait) {
        argv[1] = argv[0];
        argv++;
        argc--;
    }
    if (argc != 3)
        return sh_usage(c);
    if (sh_domain(argv[0], argv[1], false, &info))
        return -1;
    if (parse_size_kib(argv[2], &kib))
        return sh_fail(-EINVAL, "a size is MiB, or a number with a k, m or g suffix",
                       "%s %s %s", argv[0], argv[1], argv[2]);
    max_kib = static_max_kib(&info);
    if (kib > max_kib || kib < MEMSET_FLOOR_KIB) {
        char why[64];
        snprintf(why, sizeof(why), kib > max_kib ? "above the domain's maximum of %u KiB"
                 : "below the floor of %u KiB", kib > max_kib ? max_kib : MEMSET_FLOOR_KIB);
        return sh_fail(-EINVAL, why, "%s %s %s", argv[0], argv[1], argv[2]);
    }
    snprintf(path, sizeof(path), "/local/domain/%u/memory/target", info.domain);
    if (xsd_read(path, was, sizeof(was)) < 0)
        snprintf(was, sizeof(was), "?");
    snprintf(value, sizeof(value), "%u", (uint32_t)kib);     /* <= max_kib */
    /* the hypervisor's maximum first, as libxl: the guest cannot take more than its target */
    rc = ctl_max_mem(info.domain, (uint32_t)kib / 4u);
    if (rc)
        return sh_fail(rc, "the hypervisor refused its new maximum", "%s %s %s",
                       argv[0], argv[1], argv[2]);
    rc = xsd_node(path, value, -1, -1);
    if (rc)
        return sh_fail(rc, "its memory/target node could not be written", "%s %s %s",
                       argv[0], argv[1], argv[2]);
    gprintf("domain %u (%s): memory target %u KiB (was %s KiB, maximum %u KiB)\n", info.domain,
            info.name, (uint32_t)kib, was, max_kib);
    return wait ? wait_target(argv[0], info.domain, (uint32_t)kib / 4u) : 0;
}
