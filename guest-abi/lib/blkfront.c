/*
 * The block frontend (see blkfront.h).
 */
#include "blkfront.h"
#include "devices.h"
#include "events.h"
#include "frontend.h"
#include "guest.h"
#include "pv/errno.h"

static struct ring_shared ring_page __attribute__((aligned(4096)));
static uint8_t data_page[4096] __attribute__((aligned(4096)));
static struct ring_front ring;
static struct vbd_params vbd;
static uint64_t next_id;
static bool open;

int blkfront_open(void)
{
    int rc;

    if (open)
        return 0;
    if (!devices_find_vbd(start_info->cmd_line, &vbd))
        return -ENODEV;
    if (!ring_front_init(&ring, &ring_page, sizeof(union blkif_sring_entry)))
        return -EINVAL;
    rc = frontend_offer(DEV_REF_BLK_RING, &ring_page, false);
    if (!rc)
        rc = frontend_offer(DEV_REF_BLK_DATA, data_page, false);
    if (rc)
        return rc;
    open = true;
    /* the backend maps the ring once it sees this */
    return evtchn_send_port(vbd.port);
}

uint32_t blkfront_sectors(void) { return vbd.sectors; }
struct ring_front *blkfront_ring(void) { return &ring; }
uint32_t blkfront_port(void) { return vbd.port; }

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
    frontend_push(&ring, vbd.port);
    rc = frontend_wait_response(&ring, vbd.port, &slot);
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
