/*
 * A dom0 that crashes (spec/boot.md BOOT-6, BOOT-7): by default it writes
 * to an address it never mapped with no trap table, so the fault has
 * nowhere to go; with "shutdown" on its command line it asks for
 * SCHEDOP_shutdown with SHUTDOWN_crash instead. Either way the machine must
 * stop with the "dom0 crashed" status (3), not a clean power-off: if the
 * crash does not happen the guest powers off cleanly, which the scenario
 * refuses (status 1).
 */
#include "pv/sched.h"
#include "test.h"

int guest_main(struct start_info *si)
{
    struct sched_shutdown sd = { SHUTDOWN_crash };

    if (strstr((const char *)si->cmd_line, "shutdown")) {
        gprintf("dom0-crash: shutting down with reason crash\n");
        CHECK_RC("SCHEDOP_shutdown(crash) does not return",
                 hcall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown, GPTR(&sd)), 0);
    } else {
        gprintf("dom0-crash: about to fault with no handler\n");
        *(volatile uint32_t *)0x3FF00000u = 1;
    }
    gprintf("dom0-crash: still alive, which is wrong\n");
    test_finish();
}
