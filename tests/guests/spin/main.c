/*
 * A CPU-bound guest: it computes forever and never blocks, so its share
 * of the CPU is whatever the scheduler gives it. Used by the weighted
 * scheduling scenario and the `make run` demo.
 */
#include "guest.h"
#include "pvtime.h"

int guest_main(struct start_info *si)
{
    volatile uint32_t x = 1;
    uint64_t next = 0;

    gprintf("spin: computing (cmdline '%s')\n", si->cmd_line);
    for (;;) {
        uint32_t i;
        for (i = 0; i < 1000000; i++)
            x = x * 1664525u + 1013904223u;
        if (si->cmd_line[0] == 'v' && pv_time_ns() >= next) {
            gprintf("spin: still computing (%08x)\n", x);
            next = pv_time_ns() + 20000000000ull;
        }
    }
}
