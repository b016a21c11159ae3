/*
 * What every shell command shares (see shell_cmd.h): its arguments read
 * the same way, its errors said the same way.
 */
#include "ctl.h"
#include "errors.h"
#include "guest.h"
#include "pv/errno.h"
#include "serial_input.h"
#include "shell_cmd.h"

int sh_usage(const struct shell_cmd *c)
{
    gprintf("error: usage: %s%s%s\n", c->name, c->args[0] ? " " : "", c->args);
    return -1;
}

int sh_error(const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    gprintf("error: %s\n", msg);
    return -1;
}

int sh_fail(int rc, const char *why, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    gprintf("error: %s: %s (%s)\n", msg, why && why[0] ? why : err_words(rc), err_name(rc));
    return -1;
}

int sh_number(const char *s, uint32_t max, uint32_t *out)
{
    uint32_t v = 0;

    if (!s || !*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (uint32_t)(*s - '0');      /* v <= max < 2^32 / 10 before this */
        if (v > max)
            return -1;
    }
    *out = v;
    return 0;
}

struct by_name {
    const char *name;
    struct xen_domctl_getdomaininfo *info;
    bool found;
};

static int match_name(const struct xen_domctl_getdomaininfo *info, void *arg)
{
    struct by_name *b = arg;

    if (strcmp(info->name, b->name))
        return 0;
    *b->info = *info;
    b->found = true;
    return 1;
}

static bool all_digits(const char *s)
{
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static bool is_dom0_name(const char *arg)
{
    return !strcmp(arg, "0") || !strcmp(arg, "dom0") || !strcmp(arg, "Domain-0");
}

int sh_domain(const char *cmd, const char *arg, bool allow_dom0,
              struct xen_domctl_getdomaininfo *info)
{
    struct by_name b = { arg, NULL, false };
    uint32_t id;

    memset(info, 0, sizeof(*info));         /* an out parameter: nothing of it is read */
    b.info = info;
    if (is_dom0_name(arg) && !allow_dom0)
        return sh_fail(-EPERM, "dom0 is never its target", "%s %s", cmd, arg);
    if (all_digits(arg)) {                  /* as xl: digits are an id, anything else a name */
        if (sh_number(arg, DOMID_MAX, &id))
            return sh_fail(-EINVAL, "domain ids are 1..32751", "%s %s", cmd, arg);
        if (ctl_info((domid_t)id, info) || info->domain != id)
            return sh_fail(-ESRCH, NULL, "%s %s", cmd, arg);
        return 0;
    }
    if (!strcmp(arg, "Domain-0"))
        b.name = "dom0";
    sh_each_domain(match_name, &b);
    if (!b.found)
        return sh_fail(-ESRCH, "no domain has that name or id", "%s %s", cmd, arg);
    return 0;
}

static const char *const state_names[] = {
    "running", "blocked", "paused", "shutdown", "crashed", "dying",
};

const char *sh_state(const struct xen_domctl_getdomaininfo *info)
{
    return info->state < 6 ? state_names[info->state] : "?";
}

/* SHUTDOWN_poweroff, reboot, suspend, crash, watchdog, soft_reset */
static const char *const reason_names[] = {
    "", " (reboot)", " (suspend)", " (crash)", " (watchdog)", " (soft reset)",
};

const char *sh_reason(const struct xen_domctl_getdomaininfo *info)
{
    return info->state == DOMINFO_SHUTDOWN && info->shutdown_reason < 6
               ? reason_names[info->shutdown_reason] : "";
}

void sh_each_domain(int (*fn)(const struct xen_domctl_getdomaininfo *info, void *arg), void *arg)
{
    struct xen_domctl_getdomaininfo info;
    uint32_t next = 0;

    while (next <= DOMID_MAX && ctl_info((domid_t)next, &info) == 0) {
        if (fn(&info, arg))
            return;
        next = info.domain + 1u;
    }
}

bool sh_interrupted(void)
{
    return input_interrupted();
}
