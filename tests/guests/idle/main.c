/*
 * A guest that reports it is alive, then sleeps forever (blocked, using
 * no CPU). The scale and lifecycle scenarios start many of these.
 */
#include "guest.h"
#include "pvtime.h"

int guest_main(struct start_info *si)
{
    gprintf("alive: %u pages\n", si->nr_pages);
    for (;;)
        pv_sleep_ns(3600ull * 1000000000ull);
}
