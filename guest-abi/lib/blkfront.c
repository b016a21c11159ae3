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

/*
 * One disk: device 0 (the first of device/vbd/) keeps the refs it always
 * had; device k of the others takes DEV_REF_BLK_EXTRA + 2 (k - 1) for
 * its ring and the next ref for its data page (DEV-3, DEV-35).
 */
struct blk_dev {
    struct ring_shared ring_page __attribute__((aligned(4096)));
    uint8_t data_page[4096] __attribute__((aligned(4096)));
    struct ring_front ring;
    struct xbfront xf;
    uint32_t sectors;
    uint32_t ref_ring, ref_data;
    uint64_t next_id;
    bool found, open;
};

static struct blk_dev devs[BLKFRONT_DEVS];

static struct blk_dev *dev(uint32_t k)
{
    struct blk_dev *d = k < BLKFRONT_DEVS ? &devs[k] : NULL;

    if (d) {
        d->ref_ring = k ? DEV_REF_BLK_EXTRA + 2u * (k - 1u) : DEV_REF_BLK_RING;
        d->ref_data = k ? d->ref_ring + 1u : DEV_REF_BLK_DATA;
    }
    return d;
}

/*
 * DEV-22 as Xen's blkfront: once the backend waits (InitWait), publish
 * ring-ref, event-channel and protocol, say Initialised; once it is
 * Connected, read the disk's size and say Connected.
 */
static int connect(struct blk_dev *d)
{
    struct xbfront *xf = &d->xf;
    uint32_t size = 0;
    int rc;

    if (!ring_front_init(&d->ring, &d->ring_page, sizeof(union blkif_sring_entry)))
        return -EINVAL;
    rc = frontend_offer(d->ref_ring, &d->ring_page, false);
    if (!rc)
        rc = frontend_offer(d->ref_data, d->data_page, false);
    if (!rc)
        rc = xbfront_alloc_port(xf);
    if (!rc)
        rc = xbfront_wait(xf, XenbusStateInitWait);
    if (!rc)
        rc = xbfront_write_u32(xf, "ring-ref", d->ref_ring);
    if (!rc)
        rc = xbfront_write_u32(xf, "event-channel", xf->port);
    if (!rc)
        rc = xbfront_write(xf, "protocol", "x86_32-abi");
    if (!rc)
        rc = xbfront_switch(xf, XenbusStateInitialised);
    if (!rc)
        rc = xbfront_wait(xf, XenbusStateConnected);
    if (!rc)
        rc = xbfront_backend_u32(xf, "sectors", &d->sectors);
    if (!rc && (xbfront_backend_u32(xf, "sector-size", &size) || size != BLKIF_SECTOR_SIZE))
        rc = -EINVAL;
    if (!rc)
        rc = xbfront_switch(xf, XenbusStateConnected);
    return rc;
}

int blkfront_open_dev(uint32_t k)
{
    struct blk_dev *d = dev(k);
    int rc;

    if (!d)
        return -ENODEV;
    if (d->open)
        return 0;
    if (!d->found && xbfront_find_nth("vbd", k, &d->xf))
        return -ENODEV;
    d->found = true;
    if (d->xf.state == XenbusStateClosed) {
        /* reopening: the backend goes back to InitWait (DEV-21) */
        rc = xbfront_switch(&d->xf, XenbusStateInitialising);
        if (rc)
            return rc;
    }
    rc = connect(d);
    if (rc)
        return rc;
    d->open = true;
    return 0;
}

int blkfront_close_dev(uint32_t k)
{
    struct blk_dev *d = dev(k);
    int rc;

    if (!d || !d->open)
        return 0;
    d->open = false;
    rc = xbfront_switch(&d->xf, XenbusStateClosing);
    if (!rc)
        rc = xbfront_wait(&d->xf, XenbusStateClosing);
    if (!rc)
        rc = xbfront_switch(&d->xf, XenbusStateClosed);
    if (!rc)
        rc = xbfront_wait(&d->xf, XenbusStateClosed);
    /* the backend has let go: our channel and grants can go */
    xbfront_free_port(&d->xf);
    grants_revoke(d->ref_ring);
    grants_revoke(d->ref_data);
    return rc;
}

int blkfront_open(void) { return blkfront_open_dev(0); }
int blkfront_close(void) { return blkfront_close_dev(0); }
uint32_t blkfront_sectors(void) { return devs[0].sectors; }
uint32_t blkfront_sectors_dev(uint32_t k) { return k < BLKFRONT_DEVS ? devs[k].sectors : 0; }
struct ring_front *blkfront_ring(void) { return &devs[0].ring; }
uint32_t blkfront_port(void) { return devs[0].xf.port; }
struct xbfront *blkfront_xenbus(void) { return &devs[0].xf; }

static int raw(struct blk_dev *d, const struct blkif_request *req)
{
    struct blkif_response rsp;
    union blkif_sring_entry slot;
    int rc;

    if (!d->open)
        return -ENODEV;
    memset(&slot, 0, sizeof(slot));
    slot.req = *req;
    if (ring_front_put_request(&d->ring, &slot) != RING_OK)
        return -EBUSY;
    frontend_push(&d->ring, d->xf.port);
    rc = frontend_wait_response(&d->ring, d->xf.port, &slot);
    if (rc)
        return rc;
    rsp = slot.rsp;
    return rsp.id == req->id ? rsp.status : -EIO;
}

int blkfront_raw(const struct blkif_request *req)
{
    return raw(dev(0), req);
}

int blkfront_io_dev(uint32_t k, uint8_t op, uint64_t sector, uint32_t nr, void *buf)
{
    struct blk_dev *d = dev(k);
    struct blkif_request req;
    int rc;

    if (!d)
        return -ENODEV;
    if (nr == 0 || nr > 4096u / BLKIF_SECTOR_SIZE)
        return -EINVAL;
    if (op == BLKIF_OP_WRITE)
        memcpy(d->data_page, buf, nr * BLKIF_SECTOR_SIZE);
    memset(&req, 0, sizeof(req));
    req.operation = op;
    req.nr_segments = 1;
    req.id = ++d->next_id;
    req.sector_number = sector;
    req.seg[0].gref = d->ref_data;
    req.seg[0].first_sect = 0;
    req.seg[0].last_sect = (uint8_t)(nr - 1);
    rc = raw(d, &req);
    if (rc == BLKIF_RSP_OKAY && op == BLKIF_OP_READ)
        memcpy(buf, d->data_page, nr * BLKIF_SECTOR_SIZE);
    return rc;
}

int blkfront_io(uint8_t op, uint64_t sector, uint32_t nr, void *buf)
{
    return blkfront_io_dev(0, op, sector, nr, buf);
}
