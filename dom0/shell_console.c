/*
 * `console <id>`: the serial line talks to one guest's PV console until
 * the operator types Ctrl-]. Every guest's output is shown all the time
 * (the console backend prints it with the guest's name in front); what
 * this adds is the way in: typed bytes go into the guest's input ring.
 *
 * DOM0-2: nothing the guest does can hold the operator here. Every typed
 * byte is read as it arrives and offered to the guest once; a byte its
 * input ring has no room for (a guest can show a ring that is full
 * forever) is dropped and counted by the backend, never retried, so
 * Ctrl-] is always seen. When the guest stops, whatever was typed and
 * not yet read is discarded: a byte typed for a guest never reaches
 * dom0's shell.
 */
#include "backend.h"
#include "ctl.h"
#include "guest.h"
#include "pv/errno.h"
#include "serial_input.h"
#include "shell.h"
#include "shell_cmd.h"
#include "waits.h"

#define ESCAPE 0x1d     /* Ctrl-] */

static bool running(domid_t id)
{
    struct xen_domctl_getdomaininfo info;

    return ctl_info(id, &info) == 0 && info.domain == id && info.state < 3;
}

/* Forward typed bytes until Ctrl-] (0) or the guest or its console goes (-1). */
static int forward_input(domid_t id)
{
    uint32_t dropped = 0;

    while (running(id)) {
        int c = input_getc();
        char ch;
        int rc;

        if (c < 0) {
            backends_idle(WAIT_SLICE_NS);
            continue;
        }
        if (c == ESCAPE)
            return 0;
        ch = c == '\r' ? '\n' : (char)c;
        rc = backends_console_input(id, &ch, 1);
        if (rc < 0)
            return -1;
        if (rc == 0 && dropped++ == 0)
            gprintf("[console of domain %u: its input ring is full; typed bytes are dropped]\n", id);
    }
    return -1;
}

int cmd_console(const struct shell_cmd *cmd, int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info;
    domid_t id;
    int rc;

    if (argc != 2)
        return sh_usage(cmd);
    if (sh_domain(argv[0], argv[1], false, &info))
        return -1;
    id = info.domain;
    rc = backends_console_input(id, "", 0);
    if (rc < 0 || !running(id))
        return sh_fail(rc < 0 ? rc : -ENOTCONN, rc < 0 ? "no connected console" : "it has stopped",
                       "console %u (%s)", id, info.name);
    gprintf("[console of domain %u; Ctrl-] returns to dom0]\n", id);
    if (forward_input(id)) {
        uint32_t lost = input_discard();
        gprintf("[domain %u's console is gone; %u typed byte(s) discarded]\n", id, lost);
    }
    backends_poll();
    gprintf("[back to dom0]\n");
    return 0;
}
