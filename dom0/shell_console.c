/*
 * `console <id>`: the serial line talks to one guest's PV console until
 * the operator types Ctrl-]. Every guest's output is shown all the time
 * (the console backend prints it with the guest's name in front); what
 * this adds is the way back: typed bytes go into the guest's input ring.
 */
#include "backend.h"
#include "ctl.h"
#include "guest.h"
#include "pv/console.h"
#include "pv/errno.h"
#include "shell.h"

#define ESCAPE 0x1d     /* Ctrl-] */

static bool running(domid_t id)
{
    struct xen_domctl_getdomaininfo info;

    return ctl_info(id, &info) == 0 && info.domain == id && info.state < 3;
}

int shell_console(domid_t id)
{
    int rc = backends_console_input(id, "", 0);

    if (rc < 0 || !running(id)) {
        gprintf("error: console: domain %u has no connected console (%d)\n", id,
                rc < 0 ? rc : -ESRCH);
        return -1;
    }
    gprintf("[console of domain %u; Ctrl-] returns to dom0]\n", id);
    while (running(id)) {
        char c = 0;

        if (hcall3(__HYPERVISOR_console_io, CONSOLEIO_read, 1, GPTR(&c)) != 1) {
            backends_idle(10000000ull);
            continue;
        }
        if (c == ESCAPE)
            break;
        if (c == '\r')
            c = '\n';
        while ((rc = backends_console_input(id, &c, 1)) == 0 && running(id))
            backends_idle(10000000ull);     /* its input ring is full */
        if (rc < 0)
            break;
    }
    backends_poll();
    gprintf("[back to dom0]\n");
    return 0;
}
