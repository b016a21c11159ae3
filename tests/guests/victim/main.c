/*
 * The victim beside every attack: it fills a megabyte of its memory with
 * a pattern derived from each word's address, then keeps verifying it,
 * blocking between checks, and reports on its console. Any change is
 * reported as CORRUPTED and crashes it (the scenario refuses that line);
 * an attack that stopped it would show in dom0's list.
 *
 * With `progress` on its command line it also prints a numbered line at
 * every wake-up (every 20 ms when it gets the CPU), so a scenario can see
 * whether it ran while an attacker's hypercall was in flight.
 */
#include "guest.h"
#include "pvtime.h"

#define WORDS (1u << 18)

static uint32_t area[WORDS];

static uint32_t pattern(uint32_t i)
{
    return (i * 2654435761u) ^ 0x5A5A1234u;
}

int guest_main(struct start_info *si)
{
    uint32_t i, checks = 0;
    bool progress = strstr(si->cmd_line, "progress") != NULL;

    for (i = 0; i < WORDS; i++)
        area[i] = pattern(i);
    gprintf("victim: pattern written, watching\n");
    for (;;) {
        for (i = 0; i < WORDS; i++)
            if (area[i] != pattern(i))
                guest_panic("victim: CORRUPTED at word %u", i);
        if (++checks == 3 || checks % 10 == 0)
            gprintf("victim: intact after %u checks\n", checks);
        pv_sleep_ns(20000000ull);
        if (progress)
            gprintf("victim: progress %u\n", checks);
    }
}
