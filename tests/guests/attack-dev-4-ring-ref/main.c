/*
 * Hostile block frontend against dom0's side of the xenbus handshake
 * (DEV-4, DEV-21, DEV-22; spec/devices.md; GNT-5, GNT-7, GNT-8 in
 * spec/grants.md).
 *
 * dom0 maps a frontend's ring from the ring-ref the frontend publishes in
 * its device directory, when the frontend says Initialised. The guest
 * owns that directory, so it can publish anything:
 *  - ring refs the hypervisor must refuse to map writable for dom0:
 *    never granted, granted to another domain, read-only, one of our page
 *    tables, a frame not ours, a frame we gave back; then the revoked ref
 *    republished FLOOD_CYCLES times (DEV-4: one log line, the rest counted);
 *  - keys that are garbage (DEV-22): ring-ref missing, not a number,
 *    negative, beyond 32 bits; event-channel missing, huge, one dom0
 *    already holds (the store's), one never allocated; a protocol not ours;
 *  - states that are garbage (DEV-21): not a number, beyond the states,
 *    backwards while connected (Connected then Initialising), and a loop
 *    of flips written as fast as the store takes them.
 * After each refused connect dom0's backend must say Closing (as Xen's
 * xenbus_dev_fatal), come back to InitWait when we close and start
 * again, and never connect. Finally the real frontend connects, reads a
 * sector, closes, reopens (dom0 serves it again) and reads again.
 */
#include "blkfront.h"
#include "devices.h"
#include "events.h"
#include "grants.h"
#include "pv/memory.h"
#include "pvtime.h"
#include "test.h"
#include "xbfront.h"
#include "xenbus.h"

#define FLOOD_CYCLES 8u
#define FLIP_WRITES 40u
#define OTHER_DOMAIN 7u

static uint8_t decoy[4096] __attribute__((aligned(4096)));
static uint8_t sector[512];
static struct xbfront xf;

static uint32_t p2m(uint32_t pfn)
{
    return ((const uint32_t *)(uintptr_t)start_info->mfn_list)[pfn];
}

/* Close and start again: the backend must come back to InitWait (DEV-21). */
static void restart(void)
{
    CHECK_RC("say Closed", xbfront_switch(&xf, XenbusStateClosed), 0);
    CHECK_RC("backend Closed", xbfront_wait(&xf, XenbusStateClosed), 0);
    CHECK_RC("say Initialising", xbfront_switch(&xf, XenbusStateInitialising), 0);
    CHECK_RC("backend back in InitWait", xbfront_wait(&xf, XenbusStateInitWait), 0);
}

/* Say Initialised with what is published now: dom0 must refuse (Closing), then restart. */
static void refused(const char *what)
{
    gprintf("publish: %s\n", what);
    CHECK_RC("say Initialised", xbfront_switch(&xf, XenbusStateInitialised), 0);
    CHECK_RC(what, xbfront_wait(&xf, XenbusStateClosing), 0);
    restart();
}

/* Point ref 8 as described and publish it. */
static void bad_ring(const char *what, domid_t to, uint32_t mfn, bool ro)
{
    CHECK_RC(what, grants_offer(DEV_REF_BLK_RING, to, mfn, ro), 0);
    refused(what);
    CHECK_RC("take the ref back", grants_revoke(DEV_REF_BLK_RING), 0);
}

/* Give our top frame back to the hypervisor: its mfn, or 0. */
static uint32_t balloon_out_top(void)
{
    uint32_t mfn = p2m(start_info->nr_pages - 1);
    struct xen_memory_reservation r = { GPTR(&mfn), 1, 0, 0, DOMID_SELF };

    return hcall2(__HYPERVISOR_memory_op, XENMEM_decrease_reservation, GPTR(&r)) == 1 ? mfn : 0;
}

static void rm_key(const char *key)
{
    static struct xenbus_msg m;
    char path[64];

    snprintf(path, sizeof(path), "%s/%s", xf.node, key);
    CHECK_RC("remove a key", xenbus_call(XS_RM, 0, path, (uint32_t)strlen(path) + 1u, &m), 0);
}

/* DEV-4: ring refs dom0 must not map. */
static uint32_t ring_refs(void)
{
    uint32_t last_pt = GPTR(start_info->pt_base) + (start_info->nr_pt_frames - 1u) * 4096u;
    uint32_t gone, i;

    CHECK_RC("publish ring-ref", xbfront_write_u32(&xf, "ring-ref", DEV_REF_BLK_RING), 0);
    refused("ring ref never granted");
    bad_ring("ring ref granted to another domain", OTHER_DOMAIN, virt_to_mfn(decoy), false);
    bad_ring("ring ref granted read-only", 0, virt_to_mfn(decoy), true);
    bad_ring("ring ref on one of our page tables", 0,
             virt_to_mfn((void *)(uintptr_t)last_pt), false);
    bad_ring("ring ref on a frame that is not ours", 0, 0, false);
    gone = balloon_out_top();
    test_check("balloon out our top frame", gone != 0);
    if (gone)
        bad_ring("ring ref on a frame we gave back", 0, gone, false);
    for (i = 0; i < FLOOD_CYCLES; i++) {
        CHECK_RC("say Initialised", xbfront_switch(&xf, XenbusStateInitialised), 0);
        CHECK_RC("refused again", xbfront_wait(&xf, XenbusStateClosing), 0);
        restart();
    }
    return gone ? 6u : 5u;
}

/* DEV-22: keys that are garbage. The ring is granted properly: only the key is wrong. */
static void bad_keys(uint32_t store_port)
{
    static const char *const refs[] = { "eight", "-8", "99999999999", "08", "" };
    uint32_t i, never = 0;

    CHECK_RC("grant the ring", grants_offer(DEV_REF_BLK_RING, 0, virt_to_mfn(decoy), false), 0);
    rm_key("ring-ref");
    refused("ring-ref missing");
    for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
        CHECK_RC("publish a bad ring-ref", xbfront_write(&xf, "ring-ref", refs[i]), 0);
        refused(refs[i][0] ? refs[i] : "ring-ref empty");
    }
    CHECK_RC("publish ring-ref", xbfront_write_u32(&xf, "ring-ref", DEV_REF_BLK_RING), 0);
    rm_key("event-channel");
    refused("event-channel missing");
    CHECK_RC("huge event-channel", xbfront_write(&xf, "event-channel", "4294967295"), 0);
    refused("event-channel 4294967295");
    CHECK_RC("store's event-channel", xbfront_write_u32(&xf, "event-channel", store_port), 0);
    refused("event-channel dom0 already holds (the store's)");
    CHECK_RC("allocate a port", evtchn_alloc_unbound_port(0, &never), 0);
    CHECK_RC("close it again", evtchn_close_port(never), 0);
    CHECK_RC("closed event-channel", xbfront_write_u32(&xf, "event-channel", never), 0);
    refused("event-channel never bound for dom0");
    CHECK_RC("publish event-channel", xbfront_write_u32(&xf, "event-channel", xf.port), 0);
    CHECK_RC("foreign protocol", xbfront_write(&xf, "protocol", "x86_64-abi"), 0);
    refused("protocol x86_64-abi");
    rm_key("protocol");
    CHECK_RC("take the ring back", grants_revoke(DEV_REF_BLK_RING), 0);
}

/* DEV-21: states that are garbage, and a loop of flips. */
static void bad_states(void)
{
    uint32_t i;

    CHECK_RC("state not a number", xbfront_write(&xf, "state", "banana"), 0);
    CHECK_RC("read as Unknown: backend Closed", xbfront_wait(&xf, XenbusStateClosed), 0);
    CHECK_RC("say Initialising", xbfront_switch(&xf, XenbusStateInitialising), 0);
    CHECK_RC("backend back in InitWait", xbfront_wait(&xf, XenbusStateInitWait), 0);
    CHECK_RC("state beyond the states", xbfront_write(&xf, "state", "99"), 0);
    CHECK_RC("fatal: backend Closing", xbfront_wait(&xf, XenbusStateClosing), 0);
    restart();
    rm_key("state");
    CHECK_RC("state missing: backend Closed", xbfront_wait(&xf, XenbusStateClosed), 0);
    CHECK_RC("say Initialising", xbfront_switch(&xf, XenbusStateInitialising), 0);
    CHECK_RC("backend back in InitWait", xbfront_wait(&xf, XenbusStateInitWait), 0);
    /* flips as fast as the store takes them; none of them has a ring dom0 can map */
    for (i = 0; i < FLIP_WRITES; i++) {
        static const uint32_t flips[] = { XenbusStateInitialised, XenbusStateClosed,
                                          XenbusStateInitialising, XenbusStateConnected,
                                          XenbusStateClosing };
        CHECK_RC("flip", xbfront_switch(&xf, flips[i % 5]), 0);
    }
    restart();
}

int guest_main(struct start_info *si)
{
    uint32_t rings;

    CHECK_RC("map shared_info", pv_map_shared_info(), 0);
    CHECK_RC("grant table", grants_init(), 0);
    if (xbfront_find("vbd", &xf))
        test_skip("no vbd in the store");
    CHECK_RC("a channel for the backend", xbfront_alloc_port(&xf), 0);
    CHECK_RC("backend waits for us", xbfront_wait(&xf, XenbusStateInitWait), 0);
    CHECK_RC("publish event-channel", xbfront_write_u32(&xf, "event-channel", xf.port), 0);
    rings = ring_refs();
    bad_keys(si->store_evtchn);
    bad_states();
    xbfront_free_port(&xf);
    /* the real frontend, through the whole handshake, twice */
    CHECK_RC("connect the real ring", blkfront_open(), 0);
    CHECK_RC("dom0 serves a read after all that", blkfront_io(BLKIF_OP_READ, 0, 1, sector),
             BLKIF_RSP_OKAY);
    /* backwards while connected: a Linux backend ignores it, so do we */
    CHECK_RC("say Initialising while connected", xbfront_switch(blkfront_xenbus(),
                                                                XenbusStateInitialising), 0);
    CHECK_RC("say Connected again", xbfront_switch(blkfront_xenbus(), XenbusStateConnected), 0);
    CHECK_RC("still served", blkfront_io(BLKIF_OP_READ, 1, 1, sector), BLKIF_RSP_OKAY);
    CHECK_RC("close", blkfront_close(), 0);
    CHECK_RC("reopen", blkfront_open(), 0);
    CHECK_RC("served again", blkfront_io(BLKIF_OP_READ, 2, 1, sector), BLKIF_RSP_OKAY);
    gprintf("ATTACK DEV-4 ring-ref: result %u hostile ring refs and %u refused cycles, "
            "garbage keys and states refused, then served\n", rings, FLOOD_CYCLES);
    test_finish();
}
