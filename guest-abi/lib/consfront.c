/*
 * The PV console frontend (see consfront.h).
 */
#include "consfront.h"
#include "cons_ring.h"
#include "events.h"
#include "guest.h"
#include "pv/errno.h"

extern char __virt_base[];

static struct xencons_interface *intf;

int consfront_open(void)
{
    const uint32_t *p2m = (const uint32_t *)(uintptr_t)start_info->mfn_list;
    uint32_t pfn;

    if (intf)
        return 0;
    /* the page lies in the builder's initial mapping, at its pseudo-physical place */
    for (pfn = 0; pfn < start_info->nr_pages; pfn++) {
        if (p2m[pfn] == start_info->console.domU.mfn) {
            intf = (struct xencons_interface *)(uintptr_t)(GPTR(__virt_base) + pfn * 4096u);
            return 0;
        }
    }
    return -ENODEV;
}

struct xencons_interface *consfront_page(void)
{
    return intf;
}

int consfront_write(const char *s, uint32_t len)
{
    uint32_t port = start_info->console.domU.evtchn;

    if (!intf)
        return -ENODEV;
    while (len) {
        int32_t n = cons_ring_write(intf, CONS_RING_OUT, s, len);

        if (n < 0)
            return -EIO;
        if (n)
            evtchn_send_port(port);
        s += n;
        len -= (uint32_t)n;
        if (len && !n && events_wait(port, 5000000000ull))
            return -ETIMEDOUT;
    }
    return 0;
}

int consfront_read(char *buf, uint32_t len, uint64_t timeout_ns)
{
    uint32_t port = start_info->console.domU.evtchn;

    if (!intf)
        return -ENODEV;
    for (;;) {
        int32_t n = cons_ring_read(intf, CONS_RING_IN, buf, len);

        if (n < 0)
            return -EIO;
        if (n) {
            evtchn_send_port(port);     /* room for more input */
            return n;
        }
        if (events_wait(port, timeout_ns))
            return -ETIMEDOUT;
    }
}
