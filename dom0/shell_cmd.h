/*
 * The shell's commands (spec/dom0.md): one table entry each, with the
 * arguments it takes and a line for `help`; the helpers every command
 * uses to read its arguments and to say what went wrong. Every error is
 * one line: "error: <command and argument>: <what happened> (<ERRNO>)",
 * with the numbers that matter in it.
 */
#ifndef DOM0_SHELL_CMD_H
#define DOM0_SHELL_CMD_H

#include <stdbool.h>
#include <stdint.h>

#include "pv/domctl.h"

#define SHELL_MAX_ARGS 8
#define DOMID_MAX 32751u        /* ids rove over 1..32751 (spec/domctl.md CTL-6) */

struct shell_cmd {
    const char *name;
    const char *args;           /* after the name, for usage and help */
    const char *what;           /* one line for help */
    int (*run)(const struct shell_cmd *c, int argc, char **argv);   /* argv[0] is the name */
};

/* "error: usage: <name> <args>"; -1. */
int sh_usage(const struct shell_cmd *c);
/* "error: <fmt...>"; -1. */
int sh_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "error: <fmt...>: <why, or what rc means> (<ERRNO>)"; -1. */
int sh_fail(int rc, const char *why, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A decimal number 0..max (DOM0-1: checked digit by digit, never wraps). */
int sh_number(const char *s, uint32_t max, uint32_t *out);

/*
 * A domain named by id or by name, as xl takes them: 0 with *info its
 * record, or -1 after an error line naming `cmd`. dom0 (0, "dom0",
 * "Domain-0") only where allow_dom0.
 */
int sh_domain(const char *cmd, const char *arg, bool allow_dom0,
              struct xen_domctl_getdomaininfo *info);

/* "running", "blocked", "paused", "shutdown", "crashed", "dying". */
const char *sh_state(const struct xen_domctl_getdomaininfo *info);
/* " (reboot)" etc. for a stopped domain's shutdown reason, or "". */
const char *sh_reason(const struct xen_domctl_getdomaininfo *info);

/* Call fn for every domain, dom0 first; stops early if fn returns non-zero. */
void sh_each_domain(int (*fn)(const struct xen_domctl_getdomaininfo *info, void *arg), void *arg);

/* Ctrl-C typed since the last look (DOM0-3). */
bool sh_interrupted(void);

/* The command groups (cmd_*.c). */
int cmd_list(const struct shell_cmd *c, int argc, char **argv);
int cmd_create(const struct shell_cmd *c, int argc, char **argv);
int cmd_destroy(const struct shell_cmd *c, int argc, char **argv);
int cmd_pause(const struct shell_cmd *c, int argc, char **argv);
int cmd_unpause(const struct shell_cmd *c, int argc, char **argv);
int cmd_sched(const struct shell_cmd *c, int argc, char **argv);
int cmd_wait(const struct shell_cmd *c, int argc, char **argv);
int cmd_cycle(const struct shell_cmd *c, int argc, char **argv);
int cmd_mapcheck(const struct shell_cmd *c, int argc, char **argv);
int cmd_shutdown(const struct shell_cmd *c, int argc, char **argv);
int cmd_reboot(const struct shell_cmd *c, int argc, char **argv);
int cmd_mem_set(const struct shell_cmd *c, int argc, char **argv);
int cmd_xenstore_read(const struct shell_cmd *c, int argc, char **argv);
int cmd_xenstore_write(const struct shell_cmd *c, int argc, char **argv);
int cmd_configs(const struct shell_cmd *c, int argc, char **argv);

int cmd_mem(const struct shell_cmd *c, int argc, char **argv);
int cmd_sleep(const struct shell_cmd *c, int argc, char **argv);
int cmd_cpustat(const struct shell_cmd *c, int argc, char **argv);
int cmd_audit(const struct shell_cmd *c, int argc, char **argv);
int cmd_devices(const struct shell_cmd *c, int argc, char **argv);

int cmd_xl_list(const struct shell_cmd *c, int argc, char **argv);
int cmd_xl_create(const struct shell_cmd *c, int argc, char **argv);
int cmd_sched_credit(const struct shell_cmd *c, int argc, char **argv);
int cmd_vcpu_list(const struct shell_cmd *c, int argc, char **argv);
int cmd_info(const struct shell_cmd *c, int argc, char **argv);
int cmd_dmesg(const struct shell_cmd *c, int argc, char **argv);

int cmd_console(const struct shell_cmd *c, int argc, char **argv);
int cmd_log(const struct shell_cmd *c, int argc, char **argv);

/* Build and start the guest `what` names (create, cycle): 0 with *id, or -1 after an error line. */
int sh_start_guest(const char *cmd, const char *what, domid_t *id);

#endif
