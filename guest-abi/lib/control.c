/*
 * Control requests from the toolstack: see control.h.
 */
#include "control.h"
#include "guest.h"
#include "pv/errno.h"
#include "pv/sched.h"
#include "pvtime.h"
#include "xenbus.h"

#define CONTROL_NODE "control/shutdown"

static const struct {
    const char *word;
    uint32_t reason;
} requests[] = {
    { "poweroff", SHUTDOWN_poweroff }, { "halt", SHUTDOWN_poweroff },
    { "reboot", SHUTDOWN_reboot },     { "crash", SHUTDOWN_crash },
};

int control_watch(void)
{
    static struct xenbus_msg m;
    static const char arg[] = CONTROL_NODE "\0control";
    int rc = xenbus_open();

    if (!rc)
        rc = xenbus_call(XS_WATCH, 0, arg, sizeof(arg), &m);
    if (!rc)
        rc = xenbus_errno(&m);
    /* what Linux's shutdown watcher says it takes */
    if (!rc)
        rc = xenbus_write(0, "control/feature-poweroff", "1");
    if (!rc)
        rc = xenbus_write(0, "control/feature-reboot", "1");
    return rc;
}

int control_check(void)
{
    char req[16];
    uint32_t i;
    int n = xenbus_read(0, CONTROL_NODE, req, sizeof(req));

    if (n == -E2BIG) {
        xenbus_write(0, CONTROL_NODE, "");
        return -EINVAL;
    }
    if (n <= 0)
        return -ENOENT;
    /* acknowledge: the toolstack sees the node empty again */
    xenbus_write(0, CONTROL_NODE, "");
    for (i = 0; i < sizeof(requests) / sizeof(requests[0]); i++)
        if (!strcmp(req, requests[i].word))
            return (int)requests[i].reason;
    return -EINVAL;
}

int control_serve(uint64_t timeout_ns)
{
    static struct xenbus_msg ev;
    uint64_t end = pv_time_ns() + timeout_ns;

    for (;;) {
        uint64_t now = pv_time_ns();
        int r = control_check();

        if (r >= 0) {
            gprintf("control: %s requested\n", r == SHUTDOWN_reboot ? "reboot"
                                               : r == SHUTDOWN_crash ? "crash" : "poweroff");
            guest_shutdown((uint32_t)r);
        }
        if (now >= end || xenbus_event(&ev, end - now) == -ETIMEDOUT)
            return -ETIMEDOUT;
    }
}
