/*
 * The commands in xl's words and layouts (spec/dom0.md, "xl"): `xl list`,
 * `xl sched-credit`, `xl vcpu-list`, `xl info`, `xl dmesg`, for an
 * operator whose hands know Xen. Every Bulkhead domain has one vCPU on
 * the one physical CPU; the scheduler shares time by weight with no caps.
 */
#include "ctl.h"
#include "guest.h"
#include "pv/errno.h"
#include "pv/version.h"
#include "shell.h"
#include "shell_cmd.h"

/* xl's state flags: running, blocked, paused, shutdown, crashed, dying. */
static void state_flags(const struct xen_domctl_getdomaininfo *info, char out[7])
{
    uint32_t i;

    for (i = 0; i < 6; i++)
        out[i] = i == info->state ? "rbpscd"[i] : '-';
    out[6] = '\0';
}

/* Tenths of a second, as xl's %8.1f. */
static void seconds(uint64_t ns, char out[16])
{
    uint64_t tenths = ns / 100000000u;

    snprintf(out, 16, "%u.%u", (uint32_t)(tenths / 10), (uint32_t)(tenths % 10));
}

static int xl_list_row(const struct xen_domctl_getdomaininfo *info, void *arg)
{
    char flags[7], time[16];

    (void)arg;
    state_flags(info, flags);
    seconds(info->cpu_time_ns, time);
    gprintf("%-40s %5u %5u %5u     %s  %8s\n", info->name, info->domain, info->tot_pages / 256u,
            1u, flags, time);
    return 0;
}

static void xl_list_header(void)
{
    gprintf("%-40s %5s %5s %5s     %-6s  %8s\n", "Name", "ID", "Mem", "VCPUs", "State",
            "Time(s)");
}

/* xl list [dom...]: Mem in MiB. */
int cmd_xl_list(const struct shell_cmd *c, int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info;
    int i;

    (void)c;
    if (argc == 1) {
        xl_list_header();
        sh_each_domain(xl_list_row, NULL);
        return 0;
    }
    for (i = 1; i < argc; i++)
        if (sh_domain(argv[0], argv[i], true, &info))
            return -1;
    xl_list_header();
    for (i = 1; i < argc; i++)
        if (sh_domain(argv[0], argv[i], true, &info) == 0)
            xl_list_row(&info, NULL);
    return 0;
}

static int weight_row(const struct xen_domctl_getdomaininfo *info, void *arg)
{
    (void)arg;
    gprintf("%-32s %5u %6u %4u\n", info->name, info->domain, info->weight, 0u);
    return 0;
}

static void weight_header(void)
{
    gprintf("Bulkhead: time shared by weight on one CPU; no caps\n");
    gprintf("%-32s %5s %6s %4s\n", "Name", "ID", "Weight", "Cap");
}

/* -d <dom>, -w <weight> (also --domain=, --weight=); -c caps and pools are refused. */
static int sched_options(const struct shell_cmd *c, int argc, char **argv, const char **dom,
                         const char **weight)
{
    int i;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if ((!strcmp(a, "-d") || !strcmp(a, "-w")) && i + 1 < argc)
            *(a[1] == 'd' ? dom : weight) = argv[++i];
        else if (!strncmp(a, "--domain=", 9))
            *dom = a + 9;
        else if (!strncmp(a, "--weight=", 9))
            *weight = a + 9;
        else if (!strcmp(a, "-c") || !strncmp(a, "--cap", 5))
            return sh_fail(-EOPNOTSUPP, "Bulkhead's scheduler has no caps", "%s", argv[0]);
        else
            return sh_usage(c);
    }
    return *weight && !*dom ? sh_usage(c) : 0;
}

/* xl sched-credit [-d <dom> [-w <weight>]] */
int cmd_sched_credit(const struct shell_cmd *c, int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info;
    const char *dom = NULL, *weight = NULL;

    if (sched_options(c, argc, argv, &dom, &weight))
        return -1;
    if (!dom) {
        weight_header();
        sh_each_domain(weight_row, NULL);
        return 0;
    }
    if (weight) {
        char *sargv[3] = { "sched-credit", NULL, NULL };
        sargv[1] = (char *)dom;
        sargv[2] = (char *)weight;
        return cmd_sched(c, 3, sargv);
    }
    if (sh_domain(argv[0], dom, true, &info))
        return -1;
    weight_header();
    weight_row(&info, NULL);
    return 0;
}

static int vcpu_row(const struct xen_domctl_getdomaininfo *info, void *arg)
{
    static const char *const states[] = { "r--", "-b-", "--p" };
    char time[16];

    (void)arg;
    seconds(info->cpu_time_ns, time);
    gprintf("%-32s %5u %5u %5s %5s %9s  %s\n", info->name, info->domain, 0u,
            info->state == DOMINFO_RUNNABLE ? "0" : "-",
            info->state <= DOMINFO_PAUSED ? states[info->state] : "---", time, "all / all");
    return 0;
}

/* xl vcpu-list [dom...] */
int cmd_vcpu_list(const struct shell_cmd *c, int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info;
    int i;

    (void)c;
    for (i = 1; i < argc; i++)
        if (sh_domain(argv[0], argv[i], true, &info))
            return -1;
    gprintf("%-32s %5s %5s %5s %5s %9s  %s\n", "Name", "ID", "VCPU", "CPU", "State", "Time(s)",
            "Affinity (Hard / Soft)");
    if (argc == 1)
        sh_each_domain(vcpu_row, NULL);
    for (i = 1; i < argc; i++)
        if (sh_domain(argv[0], argv[i], true, &info) == 0)
            vcpu_row(&info, NULL);
    return 0;
}

static void version_string(uint32_t cmd, char *buf, uint32_t len)
{
    memset(buf, 0, len);
    if (hcall2(__HYPERVISOR_xen_version, cmd, GPTR(buf)) < 0)
        snprintf(buf, len, "?");
    buf[len - 1] = '\0';
}

/* xl info: what physinfo and xen_version tell. */
int cmd_info(const struct shell_cmd *c, int argc, char **argv)
{
    static xen_capabilities_info_t caps;
    static xen_commandline_t cmdline;
    xen_extraversion_t extra;
    xen_changeset_info_t changeset;
    struct xen_compile_info ci;
    struct xen_sysctl_physinfo pi;
    int32_t ver = hcall2(__HYPERVISOR_xen_version, XENVER_version, 0);
    int rc;

    (void)argv;
    if (argc != 1)
        return sh_usage(c);
    if ((rc = ctl_physinfo(&pi)) != 0)
        return sh_fail(rc, NULL, "info");
    version_string(XENVER_extraversion, extra, sizeof(extra));
    version_string(XENVER_capabilities, caps, sizeof(caps));
    version_string(XENVER_changeset, changeset, sizeof(changeset));
    version_string(XENVER_commandline, cmdline, sizeof(cmdline));
    version_string(XENVER_compile_info, (char *)&ci, sizeof(ci));
    gprintf("host                   : bulkhead\nmachine                : i686\n"
            "nr_cpus                : 1\nmax_cpu_id             : 0\nnr_nodes               : 1\n");
    gprintf("total_memory           : %u\nfree_memory            : %u\n",
            pi.total_pages / 256u, pi.free_pages / 256u);
    gprintf("nr_domains             : %u\nmax_domains            : %u\n", pi.nr_domains,
            pi.max_domains);
    gprintf("xen_major              : %d\nxen_minor              : %d\n", ver >> 16, ver & 0xFFFF);
    gprintf("xen_extra              : %s\nxen_version            : %d.%d%s\n", extra, ver >> 16,
            ver & 0xFFFF, extra);
    gprintf("xen_caps               : %s\nxen_scheduler          : bulkhead (weights)\n", caps);
    gprintf("xen_pagesize           : %d\n", hcall2(__HYPERVISOR_xen_version, XENVER_pagesize, 0));
    gprintf("xen_changeset          : %s\nxen_commandline        : %s\n", changeset, cmdline);
    ci.compiler[sizeof(ci.compiler) - 1] = '\0';
    ci.compile_date[sizeof(ci.compile_date) - 1] = '\0';
    gprintf("cc_compiler            : %s\ncc_compile_date        : %s\n", ci.compiler,
            ci.compile_date);
    shell_isolation_warning("");
    return 0;
}

/* Xen keeps its messages in a ring xl dmesg reads; Bulkhead writes them to the serial line only. */
int cmd_dmesg(const struct shell_cmd *c, int argc, char **argv)
{
    (void)c;
    (void)argc;
    return sh_fail(-ENOSYS, "the hypervisor keeps no message ring: its messages are on the "
                   "serial line", "%s", argv[0]);
}
