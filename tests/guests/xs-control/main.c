/*
 * Control requests through xenstore (spec/devices.md DEV-24, spec/dom0.md
 * DOM0-6). With `cooperate` on its command line the guest watches
 * control/shutdown as a Xen kernel does (control_serve): the request
 * dom0's `shutdown` or `reboot` writes is acknowledged (the node is empty
 * again) and the guest stops with the matching reason. With `ignore` it
 * never looks, so dom0 must give up after its timeout and destroy it.
 * Both first check what the toolstack wrote for them (DEV-20): control/
 * readable but not writable, control/shutdown writable, memory/target and
 * static-max, console/ and its backend (not writable), and that another
 * guest's directory is not readable.
 */
#include "control.h"
#include "pv/errno.h"
#include "pvtime.h"
#include "test.h"
#include "xenbus.h"

static bool has_word(const char *cmdline, const char *w)
{
    return strstr(cmdline, w) != NULL;
}

static void check_nodes(uint32_t mem_kib)
{
    char v[80], be[96], want[16];

    snprintf(want, sizeof(want), "%u", mem_kib);
    CHECK_RC("memory/target", xenbus_read(0, "memory/target", v, sizeof(v)), (int)strlen(want));
    test_check("memory/target in KiB", !strcmp(v, want));
    CHECK_RC("memory/static-max", xenbus_read(0, "memory/static-max", v, sizeof(v)),
             (int)strlen(want));
    CHECK_RC("platform-feature-xs_reset_watches",
             xenbus_read(0, "control/platform-feature-xs_reset_watches", v, sizeof(v)), 1);
    CHECK_RC("control/ is not ours", xenbus_write(0, "control/other", "x"), -EACCES);
    CHECK_RC("control/shutdown is ours", xenbus_write(0, "control/shutdown", ""), 0);
    CHECK_RC("console/type", xenbus_read(0, "console/type", v, sizeof(v)), 11);
    test_check("console type xenconsoled", !strcmp(v, "xenconsoled"));
    CHECK_RC("console/ring-ref is not ours", xenbus_write(0, "console/ring-ref", "1"), -EACCES);
    test_check("console/backend", xenbus_read(0, "console/backend", v, sizeof(v)) > 0);
    snprintf(be, sizeof(be), "%s/protocol", v);
    test_check("console backend readable", xenbus_read(0, be, v, sizeof(v)) == 5);
    CHECK_RC("another guest's directory", xenbus_read(0, "/local/domain/0/backend", v,
                                                      sizeof(v)), -EACCES);
}

int guest_main(struct start_info *si)
{
    const char *cmd = (const char *)si->cmd_line;

    CHECK_RC("open the store", xenbus_open(), 0);
    check_nodes(si->nr_pages * 4u);
    if (test_failures)
        test_finish();
    if (has_word(cmd, "ignore")) {
        gprintf("control: ignoring every request\n");
        for (;;)
            pv_sleep_ns(1000000000ull);
    }
    CHECK_RC("watch control/shutdown", control_watch(), 0);
    gprintf("control: watching\n");
    control_serve(60000000000ull);
    test_check("a request within 60 s", 0);
    test_finish();
}
