/*
 * A block frontend from io/blkif.h, as Linux's blkfront connects
 * (talk_to_blkback, blkfront_connect): once the backend says InitWait,
 * allocate an event channel to the backend's domain, initialise and
 * grant a one-page ring, publish ring-ref, event-channel and protocol
 * in one transaction (again on EAGAIN), say Initialised; once the
 * backend says Connected read sectors, info and sector-size, say
 * Connected. Then one request at a time, each naming a granted page
 * (read-only for a write, as blkfront grants it).
 */
#include "cxb.h"
#include "pv/errno.h"

#define XEN_IO_PROTO_ABI_X86_32 "x86_32-abi"
#define BLK_PATTERN_SECTOR 8u

static struct fe_dev blk;
static struct fe_ring ring;
static uint8_t ring_page[4096] __attribute__((aligned(4096)));
static uint8_t data[4096] __attribute__((aligned(4096)));
static uint32_t evt, sectors;
static grant_ref_t ring_ref, data_ref;
static bool connected;
static uint64_t next_id = 0x1000;

static int publish(void)
{
    uint32_t tx = 0;
    int rc, tries;

    for (tries = 0; tries < 5; tries++) {
        rc = xsc_tx_start(&tx);
        if (!rc)
            rc = fe_write_u32(&blk, tx, "ring-ref", ring_ref);
        if (!rc)
            rc = fe_write_u32(&blk, tx, "event-channel", evt);
        if (!rc) {
            char path[64];
            snprintf(path, sizeof(path), "%s/protocol", blk.node);
            rc = xsc_write(tx, path, XEN_IO_PROTO_ABI_X86_32);
        }
        if (rc) {
            if (tx)
                xsc_tx_end(tx, false);
            return rc;
        }
        rc = xsc_tx_end(tx, true);
        if (rc != -EAGAIN)
            return rc;
    }
    return rc;
}

static int connect(void)
{
    uint64_t deadline = cx_now() + CXB_WAIT_NS;
    char v[16], path[128];
    int rc;

    if (fe_find("vbd", &blk))
        return -ENOENT;
    CHECK_RC("the backend's mode", fe_backend_read(&blk, "mode", v, sizeof(v)), 1);
    test_check("... is w", v[0] == 'w');
    CHECK_RC("DEV-21 vbd backend in InitWait", fe_wait_backend(&blk, XenbusStateInitWait, deadline), 0);
    CHECK_RC("EVTCHNOP_alloc_unbound for the backend", cx_evtchn_alloc(blk.backend_id, &evt), 0);
    fe_ring_init(&ring, ring_page, sizeof(union blkif_sring_entry));
    CHECK_RC("a one-page blkif ring holds 32 requests", ring.size, 32);
    ring_ref = cx_grant_alloc();
    data_ref = cx_grant_alloc();
    cx_grant(ring_ref, blk.backend_id, cx_mfn(ring_page), false);
    CHECK_RC("DEV-22 ring-ref, event-channel, protocol in a transaction", publish(), 0);
    CHECK_RC("DEV-23 vbd: Initialised", fe_switch(&blk, 0, XenbusStateInitialised), 0);
    rc = fe_wait_backend(&blk, XenbusStateConnected, deadline);
    CHECK_RC("DEV-21 vbd backend Connected", rc, 0);
    if (rc)
        return rc;
    snprintf(path, sizeof(path), "%s/sectors", blk.backend);
    sectors = xsc_read_u32(path, 0);
    CHECK_RC("DEV-22 sectors", sectors, test_cmdline_number(start_info->cmd_line, "sectors="));
    CHECK_RC("DEV-22 info", fe_backend_read(&blk, "info", v, sizeof(v)), 1);
    test_check("... is 0", v[0] == '0');
    CHECK_RC("DEV-22 sector-size", fe_backend_read(&blk, "sector-size", v, sizeof(v)), 3);
    test_check("... is 512", !strcmp(v, "512"));
    CHECK_RC("DEV-23 vbd: Connected", fe_switch(&blk, 0, XenbusStateConnected), 0);
    connected = true;
    return 0;
}

/* One request over the data page; the response's status, or -100 on a broken exchange. */
static int32_t blk_io(uint8_t op, uint64_t sector, uint8_t first, uint8_t last)
{
    uint64_t deadline = cx_now() + CXB_WAIT_NS, id = next_id++;
    union blkif_sring_entry *e = fe_ring_next_req(&ring), rsp;
    int got;

    if (!e)
        return -100;
    cx_grant(data_ref, blk.backend_id, cx_mfn(data), op == BLKIF_OP_WRITE);
    memset(e, 0, sizeof(*e));
    e->req.operation = op;
    e->req.nr_segments = 1;
    e->req.handle = 51712;                  /* the device's number, as blkfront sets it */
    e->req.id = id;
    e->req.sector_number = sector;
    e->req.seg[0].gref = data_ref;
    e->req.seg[0].first_sect = first;
    e->req.seg[0].last_sect = last;
    if (fe_ring_push(&ring))
        cx_notify(evt);
    while ((got = fe_ring_take(&ring, &rsp)) == 0)
        if (cx_wait(evt, deadline))
            break;
    CHECK_RC("a finished request's page is no longer in use (GNTTAB end access)",
             cx_ungrant(data_ref), 0);
    if (got != 1)
        return -100;
    test_check("the response echoes the request's id and operation",
               rsp.rsp.id == id && rsp.rsp.operation == op);
    return rsp.rsp.status;
}

static uint8_t pattern(uint32_t i)
{
    return (uint8_t)(i * 7u + (i >> 9) + (uint8_t)start_info->cmd_line[0]);
}

static void io_checks(void)
{
    uint32_t i, bad = 0;

    for (i = 0; i < sizeof(data); i++)
        data[i] = pattern(i);
    CHECK_RC("BLKIF_OP_WRITE of 8 sectors: OKAY",
             blk_io(BLKIF_OP_WRITE, BLK_PATTERN_SECTOR, 0, 7), BLKIF_RSP_OKAY);
    memset(data, 0, sizeof(data));
    CHECK_RC("BLKIF_OP_READ of them: OKAY", blk_io(BLKIF_OP_READ, BLK_PATTERN_SECTOR, 0, 7),
             BLKIF_RSP_OKAY);
    for (i = 0; i < sizeof(data); i++)
        bad += data[i] != pattern(i);
    CHECK_RC("... the pattern reads back", bad, 0);
    /* one sector into sector 3 of the page: first_sect = last_sect = 3 */
    memset(data, 0, sizeof(data));
    CHECK_RC("BLKIF_OP_READ of one sector into the page's fourth: OKAY",
             blk_io(BLKIF_OP_READ, BLK_PATTERN_SECTOR + 5, 3, 3), BLKIF_RSP_OKAY);
    for (bad = 0, i = 0; i < 512; i++)
        bad += data[3 * 512 + i] != pattern(5 * 512 + i) || data[i] != 0;
    CHECK_RC("... the sector lands there, nothing else moves", bad, 0);
    /* xen-blkback's xen_vbd_translate: a range past the disk's end is an error */
    CHECK_RC("DEV-6 read at the first sector past the disk: BLKIF_RSP_ERROR",
             blk_io(BLKIF_OP_READ, sectors, 0, 0), BLKIF_RSP_ERROR);
    CHECK_RC("DEV-6 write across the disk's end: BLKIF_RSP_ERROR",
             blk_io(BLKIF_OP_WRITE, sectors - 4u, 0, 7), BLKIF_RSP_ERROR);
    CHECK_RC("DEV-6 sector 2^64-1: BLKIF_RSP_ERROR", blk_io(BLKIF_OP_READ, ~0ull, 0, 0),
             BLKIF_RSP_ERROR);
    /* dispatch_other_io: an operation blkback does not know */
    CHECK_RC("DEV-6 an unknown operation: BLKIF_RSP_EOPNOTSUPP", blk_io(0xEE, 0, 0, 0),
             BLKIF_RSP_EOPNOTSUPP);
    CHECK_RC("the device still serves: the pattern reads back",
             blk_io(BLKIF_OP_READ, BLK_PATTERN_SECTOR, 0, 7), BLKIF_RSP_OKAY);
    for (bad = 0, i = 0; i < sizeof(data); i++)
        bad += data[i] != pattern(i);
    CHECK_RC("... intact", bad, 0);
}

void blk_run(void)
{
    if (connect())
        return;
    io_checks();
    gprintf("compat-xenbus: vbd %s: %u sectors, written, read back, errors as Xen's\n",
            blk.node, sectors);
}

/* Closing, Closed; the ring's grant must be free then; Initialising brings InitWait back. */
void blk_close(void)
{
    if (!connected)
        return;
    if (fe_close(&blk, "vbd"))
        return;
    CHECK_RC("the backend unmapped the ring once Closed (end access succeeds)",
             cx_ungrant(ring_ref), 0);
    CHECK_RC("EVTCHNOP_close of the vbd channel", cx_evtchn_close(evt), 0);
    /* Mini-OS's shutdown_blkfront: Initialising, and the backend is ready again */
    CHECK_RC("DEV-21 vbd: Initialising after Closed", fe_switch(&blk, 0, XenbusStateInitialising), 0);
    CHECK_RC("DEV-21 ... the backend says InitWait again",
             fe_wait_backend(&blk, XenbusStateInitWait, cx_now() + CXB_WAIT_NS), 0);
    gprintf("compat-xenbus: vbd closed, the backend followed\n");
}
