/*
 * Attack on DEV-16 (spec/devices.md): leave half a line in the
 * hypervisor's console_io buffer and die, hoping the next domain given
 * our id prints its first line behind our words. The scenario refuses the
 * fragment anywhere in the log.
 */
#include "guest.h"
#include "pv/console.h"
#include "pv/sched.h"

static const char fragment[] = "FORGED-FRAGMENT root password is ";

int guest_main(struct start_info *si)
{
    (void)si;
    gprintf("fragment: writing half a line, then dying\n");
    hcall3(__HYPERVISOR_console_io, CONSOLEIO_write, sizeof(fragment) - 1, GPTR(fragment));
    guest_shutdown(SHUTDOWN_poweroff);
}
