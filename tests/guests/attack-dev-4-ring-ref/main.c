/*
 * Hostile block frontend against dom0's connect path (DEV-4, DEV-1;
 * spec/devices.md; GNT-5, GNT-7, GNT-8 in spec/grants.md).
 *
 * dom0 maps a frontend's ring through a fixed grant ref (DEV-3: ref 8 for
 * the block ring) when the frontend kicks its port. The guest runs by
 * then, so it can point that ref anywhere between the kicks. Each kick
 * below offers a ref the hypervisor must refuse to map writable for dom0:
 * never granted, granted to another domain, read-only, one of our page
 * tables, a frame that is not ours, a frame we gave back (ballooned out);
 * then a flood of kicks with the ref revoked. dom0 must refuse each (the
 * device keeps waiting), say so once and count the rest (DEV-4: a guest
 * cannot make dom0 write a serial line per kick), stay responsive, and
 * finally connect the real ring and serve a read.
 *
 * (Refs 0 and 1, the console and store pages, are written by dom0 while
 * the guest is still paused and mapped before it first runs (DEV-1):
 * there is no window in which the guest could change them first.)
 */
#include "blkfront.h"
#include "devices.h"
#include "events.h"
#include "grants.h"
#include "pv/memory.h"
#include "pvtime.h"
#include "test.h"

#define FLOOD_KICKS 100u
#define OTHER_DOMAIN 7u

static uint8_t decoy[4096] __attribute__((aligned(4096)));
static uint8_t sector[512];

static uint32_t p2m(uint32_t pfn)
{
    return ((const uint32_t *)(uintptr_t)start_info->mfn_list)[pfn];
}

/* Kick the device and give dom0 time to look (it maps only on a kick). */
static void kick(uint32_t port)
{
    CHECK_RC("kick", evtchn_send_port(port), 0);
    pv_sleep_ns(2000000ull);
}

/* Offer ref 8 as described, then kick. */
static void offer_and_kick(uint32_t port, const char *what, domid_t to, uint32_t mfn, bool ro)
{
    gprintf("ring ref -> %s\n", what);
    CHECK_RC(what, grants_offer(DEV_REF_BLK_RING, to, mfn, ro), 0);
    kick(port);
    CHECK_RC("take the ref back", grants_revoke(DEV_REF_BLK_RING), 0);
}

/* Give our top frame back to the hypervisor: its mfn, or 0. */
static uint32_t balloon_out_top(void)
{
    uint32_t mfn = p2m(start_info->nr_pages - 1);
    struct xen_memory_reservation r = { GPTR(&mfn), 1, 0, 0, DOMID_SELF };

    return hcall2(__HYPERVISOR_memory_op, XENMEM_decrease_reservation, GPTR(&r)) == 1 ? mfn : 0;
}

int guest_main(struct start_info *si)
{
    struct vbd_params vbd;
    uint32_t last_pt = GPTR(si->pt_base) + (si->nr_pt_frames - 1u) * 4096u, gone, i;

    CHECK_RC("map shared_info", pv_map_shared_info(), 0);
    if (!devices_find_vbd(si->cmd_line, &vbd))
        test_skip("no vbd token");
    CHECK_RC("grant table", grants_init(), 0);
    kick(vbd.port);                                 /* never granted */
    offer_and_kick(vbd.port, "granted to another domain", OTHER_DOMAIN, virt_to_mfn(decoy), false);
    offer_and_kick(vbd.port, "granted read-only", 0, virt_to_mfn(decoy), true);
    offer_and_kick(vbd.port, "one of our page tables", 0, virt_to_mfn((void *)(uintptr_t)last_pt),
                   false);
    offer_and_kick(vbd.port, "a frame that is not ours", 0, 0, false);
    gone = balloon_out_top();
    test_check("balloon out our top frame", gone != 0);
    if (gone)
        offer_and_kick(vbd.port, "a frame we gave back", 0, gone, false);
    for (i = 0; i < FLOOD_KICKS; i++)
        kick(vbd.port);                             /* revoked */
    CHECK_RC("connect the real ring", blkfront_open(), 0);
    CHECK_RC("dom0 serves a read after all that", blkfront_io(BLKIF_OP_READ, 0, 1, sector),
             BLKIF_RSP_OKAY);
    gprintf("ATTACK DEV-4 ring-ref: result %u hostile ring refs and %u kicks, then served\n",
            gone ? 6u : 5u, FLOOD_KICKS);
    test_finish();
}
