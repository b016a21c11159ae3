/*
 * A guest that faults with nowhere to go (no trap table: it writes to an
 * address it never mapped). The hypervisor must crash this domain only,
 * record why, and give back everything it held.
 */
#include "guest.h"

int guest_main(struct start_info *si)
{
    (void)si;
    gprintf("crash: about to fault\n");
    *(volatile uint32_t *)0x3FF00000u = 1;
    gprintf("crash: still alive, which is wrong\n");
    return 0;
}
