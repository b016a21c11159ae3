/*
 * The smallest useful Bulkhead guest: copy this directory to start your
 * own (guest-abi/GUIDE.md). It says what start_info told it on the debug
 * console (console_io: the hypervisor prints it, `[name] ` in front), says
 * hello on its PV console (dom0 keeps it in the guest's console log:
 * `log <dom>`, `console <dom>`), and powers off by returning 0.
 */
#include "consfront.h"
#include "guest.h"

int guest_main(struct start_info *si)
{
    static const char hello[] = "minimal: hello on the PV console\n";

    gprintf("minimal: %u pages, command line '%s'\n", si->nr_pages, si->cmd_line);
    if (consfront_open() == 0)
        consfront_write(hello, sizeof(hello) - 1);
    gprintf("minimal: done\n");
    return 0;                   /* 0: power off; anything else: crash */
}
