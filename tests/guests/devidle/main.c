/*
 * A guest that uses each of its split devices once and then sleeps: one
 * sector read through its vbd and one frame sent through its vif (to a
 * MAC no guest has), each answered by dom0's backends. The
 * scale-255-devices scenario starts 255 of them back to back: every one
 * must be served (DEV-18, DEV-19).
 */
#include "blkfront.h"
#include "guest.h"
#include "netfront.h"
#include "pv/blkif.h"
#include "pvtime.h"

#define NOBODY "\x02\xff\xff\xff\xff\xfe"

static int use_disk(void)
{
    static uint8_t sector[512];
    int rc = blkfront_open();

    return rc ? rc : blkfront_io(BLKIF_OP_READ, 0, 1, sector);
}

static int use_network(void)
{
    uint8_t frame[60];
    int rc = netfront_open();

    if (rc)
        return rc;
    memset(frame, 0, sizeof(frame));
    memcpy(frame, NOBODY, 6);
    memcpy(frame + 6, netfront_mac(), 6);
    frame[12] = 0x88;
    frame[13] = 0xB6;
    rc = netfront_send(frame, sizeof(frame));
    return rc ? rc : netfront_flush(30ull * 1000000000ull);
}

int guest_main(struct start_info *si)
{
    int disk = use_disk(), net = use_network();

    (void)si;
    gprintf("devidle: vbd %s (%d), vif %s (%d)\n", disk ? "FAILED" : "served", disk,
            net ? "FAILED" : "served", net);
    for (;;)
        pv_sleep_ns(3600ull * 1000000000ull);
}
