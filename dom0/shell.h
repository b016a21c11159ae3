/*
 * dom0's control shell, in the style of `xl`: one command per line, from
 * the serial console or from a boot-time script module.
 */
#ifndef DOM0_SHELL_H
#define DOM0_SHELL_H

#include "pv/types.h"

/* shell_run's answer when Ctrl-C ended the command (DOM0-3): a script stops there. */
#define SHELL_INTERRUPTED (-2)

/*
 * Run one command line; returns 0, -1 after printing a one-line error, or
 * SHELL_INTERRUPTED. A line of LE_LINE_MAX characters or more is refused
 * whole (DOM0-4).
 */
int shell_run(const char *line);

/* Read and run commands from the serial console, forever. */
void shell_interactive(void) __attribute__((noreturn));
/* Parse every *.cfg module; returns the number of guest sections found. */
unsigned shell_load_configs(void);
/*
 * BOOT-16: when the hypervisor reports that this CPU does not enforce
 * segment limits (physinfo), print the warning line after `prefix`.
 */
void shell_isolation_warning(const char *prefix);

#endif
