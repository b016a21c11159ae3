/*
 * Several devices of each kind in one guest (spec/devices.md DEV-29..DEV-35),
 * for the dev-multi scenario. With "multi" on its command line the guest
 * has two disks (xvda: 64 sectors, xvdb: 32 sectors elsewhere on the
 * ramdisk) and two interfaces (multi_mac); with "peer", one
 * interface (peer_mac) that echoes every frame back to its sender.
 *
 * multi: writes a pattern of its own to each disk and reads both back
 * (neither disk shows the other's), reads past the smaller one's end
 * (refused: each disk is its own range), closes and reopens xvdb while
 * xvda keeps serving, then sends FRAMES frames on each interface to the
 * peer, tagged with the interface's index, and checks that every echo
 * comes back on the interface that sent it and no other (the bridge
 * forwards by each interface's MAC, one port per interface: DEV-33). It
 * then tells the peer it is done, keeps its devices connected for dom0's
 * `devices`, and stops when the toolstack asks (control/shutdown, DEV-24):
 * for a reboot, dom0 creates it again, and the second boot finds both
 * disks holding what the first wrote (each reconnected to its own range)
 * and sends frames between its own two interfaces, which reach the other
 * interface only.
 */
#include "blkfront.h"
#include "control.h"
#include "guest.h"
#include "netfront.h"
#include "pv/blkif.h"
#include "pv/errno.h"
#include "pv/sched.h"
#include "pvtime.h"
#include "test.h"

#define MS           1000000ull
#define SECTORS      8u
#define FRAMES       20u
#define TAG_DONE     0xFFu
#define ETH_TYPE_HI  0x88u
#define ETH_TYPE_LO  0xB5u          /* IEEE local experimental */

static const uint8_t peer_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0xbb, 0x01 };
static const uint8_t multi_mac[2][6] = { { 0x02, 0x00, 0x00, 0x00, 0xaa, 0x01 },
                                         { 0x02, 0x00, 0x00, 0x00, 0xaa, 0x02 } };
static uint8_t buf[SECTORS * 512];

static uint8_t pattern(uint32_t disk, uint32_t i)
{
    return (uint8_t)((disk ? 0xB0u : 0x50u) ^ (i * 7u) ^ (i >> 9));
}

/* Does disk k's sectors 0..SECTORS-1 hold `disk`'s pattern? */
static bool holds(uint32_t k, uint32_t disk)
{
    uint32_t i;

    memset(buf, 0, sizeof(buf));
    if (blkfront_io_dev(k, BLKIF_OP_READ, 0, SECTORS, buf) != BLKIF_RSP_OKAY)
        return false;
    for (i = 0; i < sizeof(buf); i++)
        if (buf[i] != pattern(disk, i))
            return false;
    return true;
}

static void write_pattern(uint32_t k)
{
    uint32_t i;

    for (i = 0; i < sizeof(buf); i++)
        buf[i] = pattern(k, i);
    CHECK_RC("write its pattern", blkfront_io_dev(k, BLKIF_OP_WRITE, 0, SECTORS, buf),
             BLKIF_RSP_OKAY);
}

static void disks(void)
{
    CHECK_RC("open xvda", blkfront_open_dev(0), 0);
    CHECK_RC("open xvdb", blkfront_open_dev(1), 0);
    CHECK_RC("no third disk (DEV-35)", blkfront_open_dev(2), -ENODEV);
    CHECK_RC("xvda's size", blkfront_sectors_dev(0), 64);
    CHECK_RC("xvdb's size", blkfront_sectors_dev(1), 32);
    write_pattern(0);
    write_pattern(1);
    test_check("xvda holds its own pattern", holds(0, 0));
    test_check("xvda does not show xvdb's", !holds(0, 1));
    test_check("xvdb holds its own pattern", holds(1, 1));
    test_check("xvdb does not show xvda's", !holds(1, 0));
    /* each disk is its own range: xvdb ends at its 32nd sector, where xvda's would go on */
    CHECK_RC("read past xvdb's end", blkfront_io_dev(1, BLKIF_OP_READ, 32, 1, buf),
             BLKIF_RSP_ERROR);
    CHECK_RC("read xvda's 33rd sector", blkfront_io_dev(0, BLKIF_OP_READ, 32, 1, buf),
             BLKIF_RSP_OKAY);
    /* one disk closes and reconnects while the other keeps serving (DEV-31) */
    CHECK_RC("close xvdb", blkfront_close_dev(1), 0);
    test_check("xvda serves while xvdb is closed", holds(0, 0));
    CHECK_RC("reopen xvdb", blkfront_open_dev(1), 0);
    test_check("xvdb kept its data", holds(1, 1));
    gprintf("multidev: disks checked\n");
}

static void make_frame(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint8_t tag,
                       uint8_t seq)
{
    memset(f, 0, 60);
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    f[12] = ETH_TYPE_HI;
    f[13] = ETH_TYPE_LO;
    f[14] = tag;
    f[15] = seq;
}

/*
 * The peer's echo of (tag, seq) on interface k within timeout: 1, or 0
 * (none, or another frame). Late echoes of the pings (tag 0, seq 0) are
 * passed over.
 */
static int echo_on(uint32_t k, uint8_t tag, uint8_t seq, uint64_t timeout_ns)
{
    uint8_t f[1514];
    int len;

    do
        len = netfront_recv_dev(k, f, sizeof(f), timeout_ns);
    while (len >= 16 && seq != 0 && f[14] == 0 && f[15] == 0);
    return len >= 16 && !memcmp(f, multi_mac[k], 6) && !memcmp(f + 6, peer_mac, 6) &&
           f[14] == tag && f[15] == seq;
}

/* A frame on interface k other than a late ping echo within 300 ms: its length, or -ETIMEDOUT. */
static int stray(uint32_t k)
{
    uint8_t f[1514];
    int len;

    do
        len = netfront_recv_dev(k, f, sizeof(f), 300 * MS);
    while (len >= 16 && f[14] == 0 && f[15] == 0);
    return len;
}

static void interfaces(void)
{
    uint8_t f[60];
    uint32_t k, i, tries, good[2] = { 0, 0 };
    int linked = 0;

    CHECK_RC("open vif 0", netfront_open_dev(0), 0);
    CHECK_RC("open vif 1", netfront_open_dev(1), 0);
    CHECK_RC("no third vif (DEV-35)", netfront_open_dev(2), -ENODEV);
    for (k = 0; k < 2; k++)
        test_check("each vif has its configured MAC", !memcmp(netfront_mac_dev(k), multi_mac[k], 6));
    /* the peer may not be connected yet: ping until it echoes */
    for (tries = 0; tries < 200 && !linked; tries++) {
        make_frame(f, peer_mac, multi_mac[0], 0, 0);
        netfront_send_dev(0, f, sizeof(f));
        linked = echo_on(0, 0, 0, 100 * MS);
    }
    test_check("the peer answers", linked);
    for (i = 1; i <= FRAMES; i++)
        for (k = 0; k < 2; k++) {
            make_frame(f, peer_mac, multi_mac[k], (uint8_t)k, (uint8_t)i);
            CHECK_RC("send", netfront_send_dev(k, f, sizeof(f)), 0);
        }
    /* in the order the peer echoes them: vif 1 has only DEV_NET_EXTRA_BUFS receive buffers */
    for (i = 1; i <= FRAMES; i++)
        for (k = 0; k < 2; k++)
            good[k] += (uint32_t)echo_on(k, (uint8_t)k, (uint8_t)i, 5000 * MS);
    for (k = 0; k < 2; k++) {
        CHECK_RC("echoes back on the interface that sent them", good[k], FRAMES);
        CHECK_RC("nothing else arrives", stray(k), -ETIMEDOUT);
    }
    /* vif 0's pings before the peer connected were refused (no destination); vif 1 sent after */
    CHECK_RC("nothing vif 1 sent was refused", netfront_tx_dropped_dev(1), 0);
    make_frame(f, peer_mac, multi_mac[1], TAG_DONE, 0);
    CHECK_RC("tell the peer", netfront_send_dev(1, f, sizeof(f)), 0);
    CHECK_RC("flush vif 0", netfront_flush_dev(0, 5000 * MS), 0);
    CHECK_RC("flush vif 1", netfront_flush_dev(1, 5000 * MS), 0);
    gprintf("multidev: interfaces checked, %u and %u echoes\n", good[0], good[1]);
}

/* Echo frames back to their sender until one says it is done; check each came from the MAC its tag names. */
/* After the reboot: each disk kept its own data; vif k's frames to vif 1-k's MAC reach vif 1-k only. */
static void second_boot(void)
{
    uint8_t f[60], got[1514];
    uint32_t k, i, good = 0;

    test_check("xvda kept its data over the reboot", holds(0, 0) && !holds(0, 1));
    test_check("xvdb kept its data over the reboot", holds(1, 1) && !holds(1, 0));
    CHECK_RC("open vif 0", netfront_open_dev(0), 0);
    CHECK_RC("open vif 1", netfront_open_dev(1), 0);
    for (k = 0; k < 2; k++)
        for (i = 1; i <= 5; i++) {
            int len;
            make_frame(f, multi_mac[1 - k], multi_mac[k], (uint8_t)k, (uint8_t)i);
            CHECK_RC("send to the other interface", netfront_send_dev(k, f, sizeof(f)), 0);
            len = netfront_recv_dev(1 - k, got, sizeof(got), 5000 * MS);
            good += len >= 16 && !memcmp(got, f, 16);
        }
    CHECK_RC("every frame reached the other interface", good, 10);
    CHECK_RC("none came back to vif 0", stray(0), -ETIMEDOUT);
    CHECK_RC("none came back to vif 1", stray(1), -ETIMEDOUT);
    gprintf("multidev: after the reboot, both disks kept their data and vif 0 and vif 1 "
            "reached each other %u times\n", good);
}

static void peer(void)
{
    uint8_t f[1514];
    uint32_t echoed = 0;

    CHECK_RC("open vif", netfront_open(), 0);
    for (;;) {
        int len = netfront_recv(f, sizeof(f), 30000 * MS);
        uint8_t src[6];
        if (len < 16) {
            CHECK_RC("a frame from multi", len, 16);
            break;
        }
        if (f[14] == TAG_DONE)
            break;
        test_check("the source is the MAC its tag names",
                   f[14] < 2 && !memcmp(f + 6, multi_mac[f[14]], 6));
        memcpy(src, f + 6, 6);
        memcpy(f + 6, f, 6);
        memcpy(f, src, 6);
        CHECK_RC("echo", netfront_send(f, (uint32_t)len), 0);
        echoed++;
    }
    CHECK_RC("flush", netfront_flush(5000 * MS), 0);
    gprintf("multidev: peer echoed %u frames\n", echoed);
    test_finish();
}

int guest_main(struct start_info *si)
{
    uint64_t waited;
    int reason = -1;

    if (strstr((const char *)si->cmd_line, "peer"))
        peer();
    CHECK_RC("watch control/shutdown", control_watch(), 0);
    CHECK_RC("open xvda", blkfront_open_dev(0), 0);
    CHECK_RC("open xvdb", blkfront_open_dev(1), 0);
    if (holds(0, 0) && holds(1, 1)) {
        second_boot();
    } else {
        disks();
        interfaces();
    }
    gprintf("multidev: %u checks, %u failed; devices kept until shutdown\n", test_checks,
            test_failures);
    /* DEV-24: the toolstack's request ends the test, with every device still connected until then */
    for (waited = 0; waited < 60000 * MS && reason < 0; waited += 10 * MS) {
        reason = control_check();
        if (reason < 0)
            pv_sleep_ns(10 * MS);
    }
    test_check("the toolstack asked for a shutdown", reason >= 0);
    if (reason != SHUTDOWN_reboot)
        test_finish();
    gprintf("%u checks, %u failed\nTest result: %s (rebooting)\n", test_checks, test_failures,
            test_failures ? "FAILURE" : "SUCCESS");
    guest_shutdown(SHUTDOWN_reboot);
}
