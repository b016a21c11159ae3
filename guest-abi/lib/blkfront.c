/*
 * The block frontend (see blkfront.h).
 */
#include "blkfront.h"
#include "devices.h"
#include "events.h"
#include "frontend.h"
#include "grants.h"
#include "guest.h"
#include "pv/errno.h"
#include "xbfront.h"

static struct ring_shared ring_page __attribute__((aligned(4096)));
static uint8_t data_page[4096] __attribute__((aligned(4096)));
static struct ring_front ring;
static struct xbfront xf;
static uint32_t sectors;
static uint64_t next_id;
static bool found, open;

/*
 * DEV-22 as Xen's blkfront: once the backend waits (InitWait), publish
 * ring-ref, event-channel and protocol, say Initialised; once it is
 * Connected, read the disk's size and say Connected.
 */
static int connect(void)
{
    uint32_t size = 0;
    int rc;

    if (!ring_front_init(&ring, &ring_page, sizeof(union blkif_sring_entry)))
        return -EINVAL;
    rc = frontend_offer(DEV_REF_BLK_RING, &ring_page, false);
    if (!rc)
        rc = frontend_offer(DEV_REF_BLK_DATA, data_page, false);
    if (!rc)
        rc = xbfront_alloc_port(&xf);
    if (!rc)
        rc = xbfront_wait(&xf, XenbusStateInitWait);
    if (!rc)
        rc = xbfront_write_u32(&xf, "ring-ref", DEV_REF_BLK_RING);
    if (!rc)
        rc = xbfront_write_u32(&xf, "event-channel", xf.port);
    if (!rc)
        rc = xbfront_write(&xf, "protocol", "x86_32-abi");
    if (!rc)
        rc = xbfront_switch(&xf, XenbusStateInitialised);
    if (!rc)
        rc = xbfront_wait(&xf, XenbusStateConnected);
    if (!rc)
        rc = xbfront_backend_u32(&xf, "sectors", &sectors);
    if (!rc && (xbfront_backend_u32(&xf, "sector-size", &size) || size != BLKIF_SECTOR_SIZE))
        rc = -EINVAL;
    if (!rc)
        rc = xbfront_switch(&xf, XenbusStateConnected);
    return rc;
}

int blkfront_open(void)
{
    int rc;

    if (open)
        return 0;
    if (!found && xbfront_find("vbd", &xf))
        return -ENODEV;
    found = true;
    if (xf.state == XenbusStateClosed) {
        /* reopening: the backend goes back to InitWait (DEV-21) */
        rc = xbfront_switch(&xf, XenbusStateInitialising);
        if (rc)
            return rc;
    }
    rc = connect();
    if (rc)
        return rc;
    open = true;
    return 0;
}

int blkfront_close(void)
{
    int rc;

    if (!open)
        return 0;
    open = false;
    rc = xbfront_switch(&xf, XenbusStateClosing);
    if (!rc)
        rc = xbfront_wait(&xf, XenbusStateClosing);
    if (!rc)
        rc = xbfront_switch(&xf, XenbusStateClosed);
    if (!rc)
        rc = xbfront_wait(&xf, XenbusStateClosed);
    /* the backend has let go: our channel and grants can go */
    xbfront_free_port(&xf);
    grants_revoke(DEV_REF_BLK_RING);
    grants_revoke(DEV_REF_BLK_DATA);
    return rc;
}

uint32_t blkfront_sectors(void) { return sectors; }
struct ring_front *blkfront_ring(void) { return &ring; }
uint32_t blkfront_port(void) { return xf.port; }
struct xbfront *blkfront_xenbus(void) { return &xf; }

int blkfront_raw(const struct blkif_request *req)
{
    struct blkif_response rsp;
    union blkif_sring_entry slot;
    int rc;

    if (!open)
        return -ENODEV;
    memset(&slot, 0, sizeof(slot));
    slot.req = *req;
    if (ring_front_put_request(&ring, &slot) != RING_OK)
        return -EBUSY;
    frontend_push(&ring, xf.port);
    rc = frontend_wait_response(&ring, xf.port, &slot);
    if (rc)
        return rc;
    rsp = slot.rsp;
    return rsp.id == req->id ? rsp.status : -EIO;
}

int blkfront_io(uint8_t op, uint64_t sector, uint32_t nr, void *buf)
{
    struct blkif_request req;
    int rc;

    if (nr == 0 || nr > 4096u / BLKIF_SECTOR_SIZE)
        return -EINVAL;
    if (op == BLKIF_OP_WRITE)
        memcpy(data_page, buf, nr * BLKIF_SECTOR_SIZE);
    memset(&req, 0, sizeof(req));
    req.operation = op;
    req.nr_segments = 1;
    req.id = ++next_id;
    req.sector_number = sector;
    req.seg[0].gref = DEV_REF_BLK_DATA;
    req.seg[0].first_sect = 0;
    req.seg[0].last_sect = (uint8_t)(nr - 1);
    rc = blkfront_raw(&req);
    if (rc == BLKIF_RSP_OKAY && op == BLKIF_OP_READ)
        memcpy(buf, data_page, nr * BLKIF_SECTOR_SIZE);
    return rc;
}
