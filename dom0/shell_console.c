/*
 * `console <dom>` and `log <dom>` (spec/dom0.md, DOM0-2, DOM0-5), as
 * xenconsoled and xl console: the guest's console log keeps what it
 * wrote; `console` shows the last lines of it, then the guest's output
 * live and raw while typed bytes go into its input ring, until the
 * operator types Ctrl-]; the other guests' lines wait meanwhile and are
 * shown on return. `log` prints the log.
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
#include "consoles.h"
#include "ctl.h"
#include "guest.h"
#include "pv/errno.h"
#include "serial_input.h"
#include "shell.h"
#include "shell_cmd.h"
#include "waits.h"

#define ESCAPE 0x1d     /* Ctrl-] */
#define REPLAY_LINES 20u

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
    gprintf("[console of domain %u (%s); Ctrl-] returns to dom0]\n", id, info.name);
    consoles_set_live(id);
    backends_console_replay(id, REPLAY_LINES);
    rc = forward_input(id);
    backends_poll();                    /* its last output, still live */
    gputs("\n");
    consoles_set_live(CONSOLES_NONE);   /* the others' lines that waited */
    if (rc) {
        uint32_t lost = input_discard();
        gprintf("[domain %u's console is gone; %u typed byte(s) discarded]\n", id, lost);
    }
    gprintf("[back to dom0]\n");
    return 0;
}

/* log <dom> [<lines>] */
int cmd_log(const struct shell_cmd *cmd, int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info;
    uint32_t n = 0;

    if (argc != 2 && argc != 3)
        return sh_usage(cmd);
    if (argc == 3 && (sh_number(argv[2], 100000, &n) || n == 0))
        return sh_fail(-EINVAL, "a number of lines 1..100000", "log %s %s", argv[1], argv[2]);
    if (sh_domain(argv[0], argv[1], false, &info))
        return -1;
    backends_poll();
    if (backends_console_log(info.domain, n))
        return sh_fail(-ENODEV, "it has no console backend", "log %u (%s)", info.domain,
                       info.name);
    return 0;
}
