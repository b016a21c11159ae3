/*
 * Control requests through xenstore (spec/dom0.md DOM0-6, as Xen's
 * libxl_domain_shutdown / libxl_domain_reboot): `shutdown <dom>` and
 * `reboot <dom>` write "poweroff" or "reboot" into the guest's
 * control/shutdown node, which the guest's kernel watches; a guest that
 * does not stop within CONTROL_TIMEOUT_MS is destroyed. A guest that
 * stopped is destroyed (xl's on_poweroff default); one that stopped for
 * a reboot is created again from its configuration (xl's on_reboot).
 * `shutdown` alone powers dom0, and so the machine, off.
 */
#include "builder.h"
#include "ctl.h"
#include "guest.h"
#include "pv/errno.h"
#include "pv/sched.h"
#include "pvtime.h"
#include "shell.h"
#include "shell_cmd.h"
#include "waits.h"
#include "xsd.h"

#define CONTROL_TIMEOUT_MS 5000u
#define CONTROL_POLL_NS    10000000ull

/* Wait until domain id stops, at most CONTROL_TIMEOUT_MS: 0 (info filled), -ETIMEDOUT, -ESRCH. */
static int wait_stopped(domid_t id, struct xen_domctl_getdomaininfo *info)
{
    uint64_t end = pv_time_ns() + (uint64_t)CONTROL_TIMEOUT_MS * 1000000u;

    for (;;) {
        if (ctl_info(id, info) || info->domain != id)
            return -ESRCH;
        if (info->state >= DOMINFO_SHUTDOWN)
            return 0;
        if (pv_time_ns() >= end)
            return -ETIMEDOUT;
        if (wait_until(pv_time_ns() + CONTROL_POLL_NS))
            return -EINTR;
    }
}

/* What became of a request. */
#define REQ_STOPPED 0           /* *after says how */
#define REQ_REFUSED 1           /* the node could not be written (reported) */
#define REQ_INTERRUPTED 2       /* Ctrl-C (reported) */
#define REQ_TIMEOUT 3
#define REQ_GONE 4

/* DOM0-6: ask through control/shutdown and wait for the guest to stop. */
static int request(const struct xen_domctl_getdomaininfo *info, const char *what,
                   struct xen_domctl_getdomaininfo *after)
{
    char path[48];
    int rc;

    memset(after, 0, sizeof(*after));
    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", info->domain);
    rc = xsd_node(path, what, -1, -1);
    if (rc) {
        sh_fail(rc, "its control/shutdown node is gone", "%s %u (%s)", what, info->domain,
                info->name);
        return REQ_REFUSED;
    }
    rc = wait_stopped(info->domain, after);
    if (rc == -EINTR) {
        sh_error("%s: interrupted; the request stays in control/shutdown", what);
        return REQ_INTERRUPTED;
    }
    return rc == -ETIMEDOUT ? REQ_TIMEOUT : rc ? REQ_GONE : REQ_STOPPED;
}

/* The shell's answer when the guest did not stop: after the timeout, destroy it. */
static int not_stopped(const struct xen_domctl_getdomaininfo *info, const char *what, int req)
{
    int drc;

    if (req == REQ_REFUSED)
        return -1;
    if (req == REQ_INTERRUPTED)
        return SHELL_INTERRUPTED;
    if (req == REQ_GONE)
        return sh_fail(-ESRCH, "it went away", "%s %u (%s)", what, info->domain, info->name);
    gprintf("domain %u (%s) did not %s within %u ms: destroying it\n", info->domain, info->name,
            what, CONTROL_TIMEOUT_MS);
    drc = destroy_guest(info->domain);
    if (drc)
        return sh_fail(drc, NULL, "destroy %u (%s)", info->domain, info->name);
    gprintf("destroyed domain %u (%s)\n", info->domain, info->name);
    return 0;
}

static int stopped_then_destroy(const struct xen_domctl_getdomaininfo *after)
{
    int rc;

    gprintf("domain %u (%s) stopped: %s%s\n", after->domain, after->name, sh_state(after),
            sh_reason(after));
    rc = destroy_guest(after->domain);
    if (rc)
        return sh_fail(rc, NULL, "destroy %u (%s)", after->domain, after->name);
    gprintf("destroyed domain %u (%s)\n", after->domain, after->name);
    return 0;
}

int cmd_shutdown(const struct shell_cmd *c, int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info, after;
    int rc;

    if (argc == 1 && !strcmp(argv[0], "shutdown")) {
        gprintf("dom0: powering off\n");
        guest_shutdown(SHUTDOWN_poweroff);
    }
    if (argc != 2)
        return sh_usage(c);
    if (sh_domain(argv[0], argv[1], false, &info))
        return -1;
    rc = request(&info, "poweroff", &after);
    return rc != REQ_STOPPED ? not_stopped(&info, "poweroff", rc) : stopped_then_destroy(&after);
}

int cmd_reboot(const struct shell_cmd *c, int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info, after;
    char *cargv[2];
    char name[sizeof(info.name) + 1];
    int rc;

    if (argc != 2)
        return sh_usage(c);
    if (sh_domain(argv[0], argv[1], false, &info))
        return -1;
    rc = request(&info, "reboot", &after);
    if (rc != REQ_STOPPED)
        return not_stopped(&info, "reboot", rc);
    rc = stopped_then_destroy(&after);
    if (rc || after.state != DOMINFO_SHUTDOWN || after.shutdown_reason != SHUTDOWN_reboot)
        return rc;
    /* it asked to be rebooted: build it again from its configuration */
    snprintf(name, sizeof(name), "%s", (const char *)info.name);
    cargv[0] = "create";
    cargv[1] = name;
    return cmd_create(c, 2, cargv);
}
