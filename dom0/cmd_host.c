/*
 * The commands about the machine and about time (spec/dom0.md): memory,
 * sleeping, CPU shares, the audit, the backends' counters.
 */
#include "backend.h"
#include "ctl.h"
#include "guest.h"
#include "pv/errno.h"
#include "pvtime.h"
#include "shell.h"
#include "shell_cmd.h"
#include "waits.h"
#include "xsd.h"

#define MAX_MS 3600000u         /* sleep and cpustat: an hour */

void shell_isolation_warning(const char *prefix)
{
    struct xen_sysctl_physinfo pi;

    memset(&pi, 0, sizeof(pi));
    if (ctl_physinfo(&pi) == 0 && !(pi.capabilities & BULKHEAD_PHYSCAP_seg_limits))
        gprintf("%sWARNING: segment limits not enforced by this CPU: guests are not isolated "
                "from the hypervisor\n", prefix);
}

int cmd_mem(const struct shell_cmd *c, int argc, char **argv)
{
    struct xen_sysctl_physinfo pi;
    const struct xs_store *xs;
    int rc;

    (void)argv;
    if (argc != 1)
        return sh_usage(c);
    rc = ctl_physinfo(&pi);
    if (rc)
        return sh_fail(rc, NULL, "mem");
    gprintf("free %u KiB of %u KiB, %u domain(s)\n", pi.free_pages * 4, pi.total_pages * 4,
            pi.nr_domains);
    xs = xsd_store();
    /* DEV-20, XS-11, XS-18: what the store holds, so a destroy can be seen to leave nothing */
    gprintf("xenstore: %u nodes, %u watches, %u transactions, %u bytes\n", xs->nodes_used,
            xs->watches_used, xs->txs_used, xs->heap.units_used * XS_HEAP_UNIT);
    return 0;
}

int cmd_sleep(const struct shell_cmd *c, int argc, char **argv)
{
    uint32_t ms;

    if (argc != 2)
        return sh_usage(c);
    if (sh_number(argv[1], MAX_MS, &ms))
        return sh_fail(-EINVAL, "at most 3600000 ms", "sleep %s", argv[1]);
    if (wait_until(pv_time_ns() + (uint64_t)ms * 1000000u)) {
        sh_error("sleep: interrupted");             /* DOM0-3 */
        return SHELL_INTERRUPTED;
    }
    return 0;
}

#define CPUSTAT_DOMAINS 256u

static uint64_t before[CPUSTAT_DOMAINS];

struct share {
    uint64_t total;
    bool print;
};

/* Domains with ids below CPUSTAT_DOMAINS: their CPU time before, the total after. */
static int sample(const struct xen_domctl_getdomaininfo *info, void *arg)
{
    struct share *s = arg;
    uint64_t used;

    if (info->domain == 0 || info->domain >= CPUSTAT_DOMAINS)
        return info->domain >= CPUSTAT_DOMAINS;
    if (!s) {
        before[info->domain] = info->cpu_time_ns;
        return 0;
    }
    used = info->cpu_time_ns - before[info->domain];
    if (!s->print) {
        s->total += used;
        return 0;
    }
    {
        uint32_t permille = s->total ? (uint32_t)(used * 1000u / s->total) : 0;
        gprintf("share %u %s weight %u: %u.%u%%\n", info->domain, info->name, info->weight,
                permille / 10, permille % 10);
    }
    return 0;
}

/* CPU time of every domain, sampled before and after a sleep. */
int cmd_cpustat(const struct shell_cmd *c, int argc, char **argv)
{
    struct share s = { 0, false };
    uint64_t t0, t1;
    uint32_t ms;

    if (argc != 2)
        return sh_usage(c);
    if (sh_number(argv[1], MAX_MS, &ms) || ms == 0)
        return sh_fail(-EINVAL, "1..3600000 ms", "cpustat %s", argv[1]);
    memset(before, 0, sizeof(before));
    sh_each_domain(sample, NULL);
    t0 = pv_time_ns();
    if (wait_until(t0 + (uint64_t)ms * 1000000u)) {
        sh_error("cpustat: interrupted");           /* DOM0-3 */
        return SHELL_INTERRUPTED;
    }
    t1 = pv_time_ns();
    sh_each_domain(sample, &s);
    gprintf("cpustat over %u ms (guests used %u ms):\n", (uint32_t)((t1 - t0) / 1000000u),
            (uint32_t)(s.total / 1000000u));
    s.print = true;
    sh_each_domain(sample, &s);
    return 0;
}

int cmd_audit(const struct shell_cmd *c, int argc, char **argv)
{
    int rc;

    (void)argv;
    if (argc != 1)
        return sh_usage(c);
    rc = ctl_audit();
    if (rc)
        return sh_fail(rc, rc == -EIO ? "a reference is miscounted: see the hypervisor's log"
                                      : NULL, "audit");
    gprintf("audit: every reference accounted for\n");
    return 0;
}

int cmd_devices(const struct shell_cmd *c, int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return sh_usage(c);
    backends_report();
    return 0;
}
