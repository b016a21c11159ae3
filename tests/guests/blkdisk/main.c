/*
 * The block device from the guest's side (spec/devices.md).
 *
 * First boot (sector 0 does not carry this guest's mark): write a pattern
 * over the first PATTERN_SECTORS sectors, read it back, check that every
 * malformed request gets an error and the device keeps serving, then
 * reboot. Second boot (the mark is there): the pattern written before
 * the reboot must read back unchanged. With "bench" on the command line
 * it also times 4 KiB reads and writes.
 */
#include "blkfront.h"
#include "devices.h"
#include "grants.h"
#include "pv/errno.h"
#include "pv/sched.h"
#include "pvtime.h"
#include "test.h"

#define PATTERN_SECTORS 64u
#define BENCH_BYTES     (2u << 20)

static uint8_t buf[4096];
static uint8_t ro_page[4096] __attribute__((aligned(4096)));
static char mark[64];

static uint8_t pattern(uint32_t sector, uint32_t i)
{
    return (uint8_t)(sector * 7u + i * 13u + (uint8_t)mark[0]);
}

static void fill(uint32_t sector)
{
    uint32_t i;

    for (i = 0; i < BLKIF_SECTOR_SIZE; i++)
        buf[i] = pattern(sector, i);
    if (sector == 0)
        memcpy(buf, mark, strlen(mark) + 1);
}

static bool matches(uint32_t sector)
{
    uint32_t i = sector == 0 ? (uint32_t)strlen(mark) + 1 : 0;

    if (sector == 0 && memcmp(buf, mark, strlen(mark) + 1))
        return false;
    for (; i < BLKIF_SECTOR_SIZE; i++)
        if (buf[i] != pattern(sector, i))
            return false;
    return true;
}

static bool verify_pattern(void)
{
    uint32_t s, bad = 0;

    for (s = 0; s < PATTERN_SECTORS; s++)
        bad += blkfront_io(BLKIF_OP_READ, s, 1, buf) != BLKIF_RSP_OKAY || !matches(s);
    return bad == 0;
}

static struct blkif_request one_segment(uint8_t op, uint64_t sector, uint32_t ref,
                                        uint8_t first, uint8_t last)
{
    static uint64_t id = 1000;
    struct blkif_request r;

    memset(&r, 0, sizeof(r));
    r.operation = op;
    r.nr_segments = 1;
    r.id = ++id;
    r.sector_number = sector;
    r.seg[0].gref = ref;
    r.seg[0].first_sect = first;
    r.seg[0].last_sect = last;
    return r;
}

/* DEV-6: each malformed request is answered with an error; the disk is unchanged. */
static void hostile_requests(void)
{
    uint32_t n = blkfront_sectors();
    struct blkif_request r;

    r = one_segment(BLKIF_OP_READ, n, DEV_REF_BLK_DATA, 0, 0);
    CHECK_RC("read the sector past the disk", blkfront_raw(&r), BLKIF_RSP_ERROR);
    r = one_segment(BLKIF_OP_WRITE, n - 1, DEV_REF_BLK_DATA, 0, 1);
    CHECK_RC("write across the end of the disk", blkfront_raw(&r), BLKIF_RSP_ERROR);
    r = one_segment(BLKIF_OP_READ, ~0ull, DEV_REF_BLK_DATA, 0, 7);
    CHECK_RC("sector 2^64-1 (overflow)", blkfront_raw(&r), BLKIF_RSP_ERROR);
    r = one_segment(BLKIF_OP_READ, 0, 300, 0, 0);
    CHECK_RC("a ref never granted", blkfront_raw(&r), BLKIF_RSP_ERROR);
    r = one_segment(BLKIF_OP_READ, 0, 100000, 0, 0);
    CHECK_RC("a ref beyond the grant table", blkfront_raw(&r), BLKIF_RSP_ERROR);
    r = one_segment(BLKIF_OP_READ, 0, DEV_REF_BLK_DATA + 1, 0, 0);
    CHECK_RC("read into a read-only grant", blkfront_raw(&r), BLKIF_RSP_ERROR);
    r = one_segment(9, 0, DEV_REF_BLK_DATA, 0, 0);
    CHECK_RC("an unknown operation", blkfront_raw(&r), BLKIF_RSP_EOPNOTSUPP);
    r = one_segment(BLKIF_OP_READ, 0, DEV_REF_BLK_DATA, 3, 1);
    CHECK_RC("first sector after last", blkfront_raw(&r), BLKIF_RSP_ERROR);
    r = one_segment(BLKIF_OP_READ, 0, DEV_REF_BLK_DATA, 0, 8);
    CHECK_RC("sector 8 of a page", blkfront_raw(&r), BLKIF_RSP_ERROR);
    r.nr_segments = 0;
    CHECK_RC("no segments", blkfront_raw(&r), BLKIF_RSP_ERROR);
    r = one_segment(BLKIF_OP_READ, 0, DEV_REF_BLK_DATA, 0, 0);
    r.nr_segments = BLKIF_MAX_SEGMENTS_PER_REQUEST + 1;
    CHECK_RC("12 segments", blkfront_raw(&r), BLKIF_RSP_ERROR);
    test_check("the device still serves, the pattern intact", verify_pattern());
}

static void bench(void)
{
    uint64_t t0;
    uint32_t done, wr_us, rd_us;

    t0 = pv_time_ns();
    for (done = 0; done < BENCH_BYTES; done += 4096)
        blkfront_io(BLKIF_OP_WRITE, PATTERN_SECTORS + done / 512, 8, buf);
    wr_us = (uint32_t)((pv_time_ns() - t0) / 1000u);
    t0 = pv_time_ns();
    for (done = 0; done < BENCH_BYTES; done += 4096)
        blkfront_io(BLKIF_OP_READ, PATTERN_SECTORS + done / 512, 8, buf);
    rd_us = (uint32_t)((pv_time_ns() - t0) / 1000u);
    gprintf("BENCH block-write-4k(KB/s) %u block-read-4k(KB/s) %u\n",
            (uint32_t)((uint64_t)BENCH_BYTES / 1024u * 1000000u / (wr_us ? wr_us : 1)),
            (uint32_t)((uint64_t)BENCH_BYTES / 1024u * 1000000u / (rd_us ? rd_us : 1)));
}

int guest_main(struct start_info *si)
{
    uint32_t s;

    /* the mark names the guest: the first word of its command line */
    snprintf(mark, sizeof(mark), "BULKHEAD-TEST-DISK %s", si->cmd_line);
    for (s = 19; mark[s] && mark[s] != ' '; s++)
        ;
    mark[s] = '\0';
    CHECK_RC("open the block device", blkfront_open(), 0);
    test_check("the disk is big enough", blkfront_sectors() >= PATTERN_SECTORS + BENCH_BYTES / 512);
    CHECK_RC("offer a read-only page", grants_offer(DEV_REF_BLK_DATA + 1, 0, virt_to_mfn(ro_page), true), 0);
    CHECK_RC("read sector 0", blkfront_io(BLKIF_OP_READ, 0, 1, buf), BLKIF_RSP_OKAY);
    if (!memcmp(buf, mark, strlen(mark) + 1)) {
        gprintf("blk: second boot: found '%s'\n", mark);
        test_check("the data written before the reboot reads back", verify_pattern());
        test_finish();
    }
    gprintf("blk: first boot of '%s': %u sectors\n", mark, blkfront_sectors());
    for (s = 0; s < PATTERN_SECTORS && !test_failures; s++) {
        fill(s);
        CHECK_RC("write a sector", blkfront_io(BLKIF_OP_WRITE, s, 1, buf), BLKIF_RSP_OKAY);
    }
    test_check("the pattern reads back", verify_pattern());
    hostile_requests();
    if (strstr(si->cmd_line, "bench"))
        bench();
    if (test_failures)
        test_finish();
    gprintf("blk: written %u sectors, rebooting\n", PATTERN_SECTORS);
    guest_shutdown(SHUTDOWN_reboot);
}
