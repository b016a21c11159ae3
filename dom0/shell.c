/*
 * The control shell (see shell.h). Every command validates its arguments
 * and answers with one line on error; nothing typed can make dom0 act on
 * itself or on a domain that does not exist (the hypervisor checks too).
 *
 *   list                   domains: id, name, state, memory, CPU time, weight
 *   create <name>          build and start the guest of config section <name>
 *   destroy <id>           stop a guest and give back everything it holds
 *   pause <id>, unpause <id>
 *   sched <id> <weight>    CPU weight 1..65535
 *   mem                    free machine memory
 *   wait <id>              wait until the guest has stopped (Ctrl-C ends it)
 *   sleep <ms>             pause the script (dom0 blocks; guests run; Ctrl-C ends it)
 *   cpustat <ms>           CPU share of every running domain over <ms> (Ctrl-C ends it)
 *   cycle <name> <n>       create and destroy guest <name> n times (lifecycle test)
 *   audit                  the hypervisor recounts every page-table reference
 *   mapcheck <id>          may dom0 map domain <id>'s frames now? (only while paused)
 *   console <id>           type into guest <id>'s PV console; Ctrl-] returns
 *   devices                every backend's state and counters
 *   echo <text>            print text (for scripts)
 *   shutdown               power dom0, and so the machine, off
 *   help
 */
#include "backend.h"
#include "builder.h"
#include "config.h"
#include "ctl.h"
#include "foreign.h"
#include "guest.h"
#include "line_edit.h"
#include "modules.h"
#include "pv/console.h"
#include "pv/errno.h"
#include "pv/sched.h"
#include "pvtime.h"
#include "serial_input.h"
#include "shell.h"
#include "waits.h"

#define MAX_ARGS 4
#define LINE_LEN (LE_LINE_MAX + 1u)

#define MAX_CONFIG_MODULES 4

static struct config_set configs[MAX_CONFIG_MODULES];
static unsigned nr_config_sets;

static const char *const state_names[] = {
    "running", "blocked", "paused", "shutdown", "crashed", "dying",
};

/* SHUTDOWN_poweroff, reboot, suspend, crash, watchdog */
static const char *const reason_names[] = {
    "", " (reboot)", " (suspend)", " (crash)", " (watchdog)",
};

static int usage(const char *msg)
{
    gprintf("error: %s\n", msg);
    return -1;
}

static int report(const char *what, int rc)
{
    if (rc < 0)
        gprintf("error: %s: %s (%d)\n", what, ctl_strerror(rc), rc);
    return rc < 0 ? -1 : 0;
}

/* A domain id: decimal, 1..32767 (dom0 is never a target). */
static int parse_id(const char *s, domid_t *id)
{
    uint32_t v = 0;

    if (!s || !*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 3276)
            return -1;
        v = v * 10 + (uint32_t)(*s - '0');
    }
    if (v == 0 || v >= 0x7FF0)
        return -1;
    *id = (domid_t)v;
    return 0;
}

/* A decimal number 0..max (max below 2^32 / 10, so v * 10 + 9 never wraps). */
static int parse_number(const char *s, uint32_t max, uint32_t *out)
{
    uint32_t v = 0;

    if (!s || !*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (uint32_t)(*s - '0');
        if (v > max)
            return -1;
    }
    *out = v;
    return 0;
}

void shell_isolation_warning(const char *prefix)
{
    struct xen_sysctl_physinfo pi;

    memset(&pi, 0, sizeof(pi));
    if (ctl_physinfo(&pi) == 0 && !(pi.capabilities & BULKHEAD_PHYSCAP_seg_limits))
        gprintf("%sWARNING: segment limits not enforced by this CPU: guests are not isolated from the hypervisor\n",
                prefix);
}

#define MAX_MS    3600000u      /* sleep and cpustat: an hour */
#define MAX_COUNT 100000u       /* cycle */

static int cmd_list(void)
{
    struct xen_domctl_getdomaininfo info;
    uint32_t next = 0;

    shell_isolation_warning("");
    gprintf("%-4s %-16s %-9s %8s %10s %6s %10s\n", "ID", "NAME", "STATE", "MEM(KiB)", "CPU(ms)",
            "WEIGHT", "CONDROP(B)");
    while (next < 0x7FF0 && ctl_info((domid_t)next, &info) == 0) {
        const char *state = info.state < 6 ? state_names[info.state] : "?";
        gprintf("%-4u %-16s %-9s %8u %10u %6u %10llu%s%s\n", info.domain, info.name, state,
                info.tot_pages * 4, (uint32_t)(info.cpu_time_ns / 1000000u), info.weight,
                (unsigned long long)info.console_dropped,
                info.crash_reason[0] ? "  " : "", info.crash_reason);
        next = info.domain + 1u;
    }
    return 0;
}

static const struct guest_config *find_config(const char *name)
{
    unsigned i;

    for (i = 0; i < nr_config_sets; i++) {
        const struct guest_config *g = config_find(&configs[i], name);
        if (g)
            return g;
    }
    return NULL;
}

/* Build and start guest `name`; quiet unless something fails. */
static int start_guest(const char *name, domid_t *id)
{
    const struct guest_config *cfg = find_config(name);
    const struct module *kernel;
    char why[BUILD_ERROR_LEN];
    int rc;

    if (!cfg)
        return usage("create: no configuration section with that name");
    kernel = module_find(cfg->kernel);
    if (!kernel)
        return usage("create: the configured kernel is not a boot module");
    rc = build_guest(cfg, kernel, id, why);
    if (rc) {
        gprintf("error: create %s: %s (%d)\n", name, why, rc);
        return -1;
    }
    rc = ctl_unpause(*id);
    if (rc) {
        destroy_guest(*id);
        return report("create: unpause", rc);
    }
    return 0;
}

static int cmd_create(const char *name)
{
    domid_t id;

    if (start_guest(name, &id))
        return -1;
    gprintf("created domain %u (%s)\n", id, name);
    return 0;
}

/* Try a foreign mapping of the domain's shared_info frame and report. */
static int cmd_mapcheck(char **argv, int argc)
{
    struct xen_domctl_getdomaininfo info;
    uint32_t id;
    void *va;
    int err = 0;

    if (argc != 2 || parse_number(argv[1], 0x7FEF, &id))
        return usage("usage: mapcheck <id>");
    if (ctl_info((domid_t)id, &info) || info.domain != id)
        return usage("mapcheck: no such domain");
    if (foreign_init())
        return usage("mapcheck: no foreign-mapping window");
    va = foreign_map((domid_t)id, info.shared_info_frame, &err);
    if (va)
        foreign_unmap(va);
    gprintf("mapcheck %u: %s (%d)\n", id, va ? "mapped" : "refused", err);
    return 0;
}

#define PROGRESS_NS 2000000000ull      /* long loops report every 2 s */

static int cmd_cycle(char **argv, int argc)
{
    uint32_t n, i, failed = 0;
    uint64_t build_ns = 0, destroy_ns = 0, shown = pv_time_ns();
    domid_t id;

    if (argc != 3 || parse_number(argv[2], MAX_COUNT, &n) || n == 0)
        return usage("usage: cycle <name> <count> (1..100000)");
    for (i = 0; i < n; i++) {
        uint64_t t0 = pv_time_ns();
        if (input_interrupted()) {          /* DOM0-3 */
            gprintf("error: cycle %s: interrupted after %u of %u (%u failed)\n", argv[1], i, n,
                    failed);
            return SHELL_INTERRUPTED;
        }
        if (t0 - shown >= PROGRESS_NS) {
            gprintf("cycle %s: %u of %u done, %u failed\n", argv[1], i, n, failed);
            shown = t0;
        }
        if (start_guest(argv[1], &id)) {
            failed++;
            continue;
        }
        build_ns += pv_time_ns() - t0;
        t0 = pv_time_ns();
        if (destroy_guest(id))
            failed++;
        destroy_ns += pv_time_ns() - t0;
    }
    gprintf("cycle %s: %u created and destroyed, %u failed\n", argv[1], n - failed, failed);
    if (n > failed)
        gprintf("BENCH guest-build-and-start(us) %u guest-destroy(us) %u\n",
                (uint32_t)(build_ns / (n - failed) / 1000u), (uint32_t)(destroy_ns / (n - failed) / 1000u));
    return failed ? -1 : 0;
}

static int cmd_mem(void)
{
    struct xen_sysctl_physinfo pi;
    int rc = ctl_physinfo(&pi);

    if (rc)
        return report("mem", rc);
    gprintf("free %u KiB of %u KiB, %u domain(s)\n", pi.free_pages * 4, pi.total_pages * 4,
            pi.nr_domains);
    return 0;
}

/* DOM0-3: whatever the guest does, Ctrl-C ends the wait. */
static int cmd_wait(domid_t id)
{
    struct xen_domctl_getdomaininfo info;
    int rc = wait_domain_stopped(id, &info);

    if (rc == -EINTR) {
        usage("wait: interrupted");
        return SHELL_INTERRUPTED;
    }
    if (rc)
        return usage("wait: no such domain");
    gprintf("domain %u stopped: %s%s\n", id, state_names[info.state],
            info.state == 3 && info.shutdown_reason < 5 ? reason_names[info.shutdown_reason] : "");
    return 0;
}

static int cmd_sched(char **argv, int argc)
{
    domid_t id;
    uint32_t w = 0;
    const char *s = argc == 3 ? argv[2] : "";

    if (argc != 3 || parse_id(argv[1], &id))
        return usage("usage: sched <id> <weight>");
    for (; *s >= '0' && *s <= '9' && w <= 65535; s++)
        w = w * 10 + (uint32_t)(*s - '0');
    if (*s || w == 0 || w > 65535)
        return usage("sched: weight must be 1..65535");
    return report("sched", ctl_set_weight(id, w));
}

static int cmd_sleep(char **argv, int argc)
{
    uint32_t ms;

    if (argc != 2 || parse_number(argv[1], MAX_MS, &ms))
        return usage("usage: sleep <ms> (at most 3600000)");
    if (wait_until(pv_time_ns() + (uint64_t)ms * 1000000u)) {
        usage("sleep: interrupted");            /* DOM0-3 */
        return SHELL_INTERRUPTED;
    }
    return 0;
}

/* CPU time of every domain, sampled before and after a sleep. */
static int cmd_cpustat(char **argv, int argc)
{
    static uint64_t before[256];
    struct xen_domctl_getdomaininfo info;
    uint64_t total = 0, t0, t1;
    uint32_t ms, next;

    if (argc != 2 || parse_number(argv[1], MAX_MS, &ms) || ms == 0)
        return usage("usage: cpustat <ms> (1..3600000)");
    memset(before, 0, sizeof(before));
    for (next = 1; next < 256 && ctl_info((domid_t)next, &info) == 0 && info.domain < 256; next = info.domain + 1u)
        before[info.domain] = info.cpu_time_ns;
    t0 = pv_time_ns();
    if (wait_until(t0 + (uint64_t)ms * 1000000u)) {
        usage("cpustat: interrupted");          /* DOM0-3 */
        return SHELL_INTERRUPTED;
    }
    t1 = pv_time_ns();
    for (next = 1; next < 256 && ctl_info((domid_t)next, &info) == 0 && info.domain < 256; next = info.domain + 1u)
        total += info.cpu_time_ns - before[info.domain];
    gprintf("cpustat over %u ms (guests used %u ms):\n", (uint32_t)((t1 - t0) / 1000000u),
            (uint32_t)(total / 1000000u));
    for (next = 1; next < 256 && ctl_info((domid_t)next, &info) == 0 && info.domain < 256; next = info.domain + 1u) {
        uint64_t used = info.cpu_time_ns - before[info.domain];
        uint32_t permille = total ? (uint32_t)(used * 1000u / total) : 0;
        gprintf("share %u %s weight %u: %u.%u%%\n", info.domain, info.name, info.weight,
                permille / 10, permille % 10);
    }
    return 0;
}

static void cmd_help(void)
{
    gputs("commands: list, create <name>, destroy <id>, pause <id>, unpause <id>,\n"
          "          sched <id> <weight>, mem, wait <id>, sleep <ms>, cpustat <ms>,\n"
          "          cycle <name> <n>, audit, mapcheck <id>, console <id>, devices,\n"
          "          echo <text>, shutdown, help\n");
}

static int split(char *line, char **argv)
{
    int argc = 0;

    while (*line && argc < MAX_ARGS) {
        while (*line == ' ' || *line == '\t')
            *line++ = '\0';
        if (!*line)
            break;
        argv[argc++] = line;
        while (*line && *line != ' ' && *line != '\t')
            line++;
    }
    return *line ? -1 : argc;
}

/* Commands that take one domain id. */
static int with_id(const char *cmd, char **argv, int argc)
{
    domid_t id;

    if (argc != 2 || parse_id(argv[1], &id))
        return usage("expected one domain id (1..32767)");
    if (!strcmp(cmd, "destroy"))
        return report("destroy", destroy_guest(id));
    if (!strcmp(cmd, "pause"))
        return report("pause", ctl_pause(id));
    if (!strcmp(cmd, "unpause"))
        return report("unpause", ctl_unpause(id));
    return cmd_wait(id);
}

int shell_run(const char *text)
{
    char line[LINE_LEN];
    char *argv[MAX_ARGS];
    int argc;

    if (strnlen(text, LINE_LEN) == LINE_LEN) {
        gprintf("error: line too long (at most %u characters); nothing was run\n", LE_LINE_MAX);
        return -1;
    }
    memcpy(line, text, strlen(text) + 1);
    if (!strncmp(line, "echo ", 5) || !strcmp(line, "echo")) {
        gprintf("%s\n", line[4] ? line + 5 : "");
        return 0;
    }
    argc = split(line, argv);
    if (argc < 0)
        return usage("too many arguments");
    if (argc == 0 || argv[0][0] == '#')
        return 0;
    if (!strcmp(argv[0], "list") && argc == 1)
        return cmd_list();
    if (!strcmp(argv[0], "mem") && argc == 1)
        return cmd_mem();
    if (!strcmp(argv[0], "help") && argc == 1) {
        cmd_help();
        return 0;
    }
    if (!strcmp(argv[0], "shutdown") && argc == 1)
        guest_shutdown(SHUTDOWN_poweroff);
    if (!strcmp(argv[0], "create"))
        return argc == 2 ? cmd_create(argv[1]) : usage("usage: create <name>");
    if (!strcmp(argv[0], "sched"))
        return cmd_sched(argv, argc);
    if (!strcmp(argv[0], "sleep"))
        return cmd_sleep(argv, argc);
    if (!strcmp(argv[0], "cpustat"))
        return cmd_cpustat(argv, argc);
    if (!strcmp(argv[0], "cycle"))
        return cmd_cycle(argv, argc);
    if (!strcmp(argv[0], "mapcheck"))
        return cmd_mapcheck(argv, argc);
    if (!strcmp(argv[0], "devices") && argc == 1) {
        backends_report();
        return 0;
    }
    if (!strcmp(argv[0], "console")) {
        domid_t id;
        if (argc != 2 || parse_id(argv[1], &id))
            return usage("usage: console <id>");
        return shell_console(id);
    }
    if (!strcmp(argv[0], "audit") && argc == 1) {
        int rc = ctl_audit();
        if (rc == 0)
            gprintf("audit: every reference accounted for\n");
        return report("audit", rc);
    }
    if (!strcmp(argv[0], "destroy") || !strcmp(argv[0], "pause") ||
        !strcmp(argv[0], "unpause") || !strcmp(argv[0], "wait"))
        return with_id(argv[0], argv, argc);
    gprintf("error: unknown command '%s' (try help)\n", argv[0]);
    return -1;
}

static int read_char(void)
{
    for (;;) {
        int c = input_getc();
        if (c >= 0)
            return c;
        backends_idle(WAIT_SLICE_NS);   /* the serial line raises no event */
    }
}

/* DOM0-4: edit one line at the prompt; what le_feed says to show is shown. */
static enum le_result read_line(struct line_edit *le)
{
    char echo[LE_ECHO_MAX];

    for (;;) {
        enum le_result r = le_feed(le, (uint8_t)read_char(), echo);
        if (echo[0])
            gputs(echo);
        if (r != LE_MORE)
            return r;
    }
}

void shell_interactive(void)
{
    static struct line_edit editor;

    le_init(&editor);
    for (;;) {
        gputs("dom0> ");
        switch (read_line(&editor)) {
        case LE_LINE:
            shell_run(editor.line);
            break;
        case LE_TOO_LONG:
            gprintf("error: line too long (at most %u characters); nothing was run\n", LE_LINE_MAX);
            break;
        default:
            break;
        }
    }
}

unsigned shell_load_configs(void)
{
    unsigned i, guests = 0;

    for (i = 0; i < modules_count(); i++) {
        const struct module *m = module_at(i);
        uint32_t n = (uint32_t)strlen(m->name);
        if (n < 4 || strcmp(m->name + n - 4, ".cfg"))
            continue;
        if (nr_config_sets == MAX_CONFIG_MODULES) {
            gprintf("error: %s: more than %u config modules; ignored\n", m->name, MAX_CONFIG_MODULES);
            continue;
        }
        if (config_parse((const char *)m->data, m->len, &configs[nr_config_sets])) {
            gprintf("error: %s: %s\n", m->name, configs[nr_config_sets].error);
            continue;
        }
        guests += configs[nr_config_sets++].nr;
    }
    return guests;
}
