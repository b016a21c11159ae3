/*
 * Shared frontend steps (see frontend.h).
 */
#include "events.h"
#include "frontend.h"
#include "grants.h"
#include "pv/errno.h"

int frontend_offer(uint32_t ref, void *page, bool readonly)
{
    int rc = grants_init();

    return rc ? rc : grants_offer(ref, 0, virt_to_mfn(page), readonly);
}

int frontend_wait_response(struct ring_front *f, uint32_t port, void *rsp)
{
    for (;;) {
        enum ring_status st = ring_front_take_response(f, rsp);

        if (st == RING_OK)
            return 0;
        if (st == RING_EMPTY)
            st = ring_front_final_check(f);
        if (st == RING_BAD_PEER)
            return -EIO;
        if (st == RING_EMPTY && events_wait(port, FRONTEND_TIMEOUT_NS))
            return -ETIMEDOUT;
    }
}

void frontend_push(struct ring_front *f, uint32_t port)
{
    bool notify = false;

    ring_front_push_requests(f, &notify);
    if (notify)
        evtchn_send_port(port);
}
