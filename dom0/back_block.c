/*
 * The block backend: each guest's disk is a range of sectors of the
 * ramdisk module `disk.img`; requests move data between the ramdisk
 * (dom0's own frames) and the guest's granted pages with GNTTABOP_copy,
 * so the guest's pages are never mapped here. Every field of a request
 * is checked before any data moves; a bad request gets an error response
 * and the device keeps serving.
 */
#include "backend_dev.h"
#include "devices.h"
#include "events.h"
#include "grants.h"
#include "guest.h"
#include "modules.h"
#include "pv/blkif.h"
#include "pv/errno.h"

#define RAMDISK_MODULE "disk.img"
/*
 * DEV-15: each frontend's share of one poll round, in sectors moved (a
 * request is served whole, so a round may end up to one request past it):
 * a guest keeping its ring full of the largest requests gets no more of
 * dom0's time per round than any other with work, and every other disk
 * waits for at most one such share per busy guest.
 */
#define SECTORS_PER_POLL 64u

static uint64_t sectors_moved;          /* by every disk: the clock of max_wait */

static const struct module *ramdisk(void)
{
    return module_find(RAMDISK_MODULE);
}

static char refusal[128];

/*
 * DEV-17: no two disks share a sector, whether two guests' or two of one
 * guest's (DEV-31), or one would read and overwrite the other's data. A
 * disk stays taken until its guest is destroyed (a guest that stopped
 * keeps its devices, DEV-10).
 */
static bool overlapping(const struct guest_devs *g, const struct blk_back *self, uint32_t start,
                        uint32_t sectors, const char **why)
{
    uint32_t i, k;

    for (i = 0; i < BACKEND_MAX_GUESTS; i++) {
        const struct guest_devs *o = backend_guest_at(i);
        for (k = 0; o && k < CFG_MAX_DISKS; k++) {
            const struct blk_back *d = &o->blk[k];
            if (d == self || !d->configured)
                continue;
            /* [start, start + sectors) and [d.start, d.start + d.sectors) meet; no sum can wrap */
            if (start < d->start + d->sectors && d->start < start + sectors) {
                char name[8];
                config_vdev_name(d->vdev, name);
                if (o == g)
                    snprintf(refusal, sizeof(refusal), "block backend: sectors %u+%u overlap "
                             "its own disk %s, sectors %u+%u", start, sectors, name,
                             d->start, d->sectors);
                else
                    snprintf(refusal, sizeof(refusal), "block backend: sectors %u+%u overlap "
                             "the disk of domain %u (%s), sectors %u+%u", start, sectors, o->id,
                             o->name, d->start, d->sectors);
                *why = refusal;
                return true;
            }
        }
    }
    return false;
}

/* Disk `index` of g, as `d` says (DEV-31: each one its own device). */
static int attach_one(struct guest_devs *g, uint32_t index, const struct cfg_disk *d,
                      const char **why)
{
    struct blk_back *b = &g->blk[index];
    const struct module *disk = ramdisk();
    char name[8];
    int rc;

    if (!disk) {
        *why = "block backend: no " RAMDISK_MODULE " module";
        return -ENODEV;
    }
    if (d->start > disk->len / BLKIF_SECTOR_SIZE ||
        d->sectors > disk->len / BLKIF_SECTOR_SIZE - d->start) {
        snprintf(refusal, sizeof(refusal), "block backend: sectors %u+%u lie beyond the "
                 "ramdisk's %u", d->start, d->sectors, disk->len / BLKIF_SECTOR_SIZE);
        *why = refusal;
        return -EINVAL;
    }
    config_vdev_name(d->vdev, name);
    /* DEV-32: the first disk's lines are as before, the others name their vdev */
    snprintf(b->label, sizeof(b->label), index ? "vbd %s" : "vbd", name);
    if (overlapping(g, b, d->start, d->sectors, why))
        return -EBUSY;
    b->configured = true;
    b->index = index;
    b->vdev = d->vdev;
    b->start = d->start;
    b->sectors = d->sectors;
    /* DEV-20, DEV-21: the toolstack's nodes, then the backend's probe (no
     * optional feature offered: one page ring, no indirect segments) */
    rc = xb_nodes_vbd(g->id, d->vdev);
    if (!rc)
        rc = xb_back_start(&b->xb, g->id, "vbd", d->vdev, g->slot, index, NULL, 0);
    if (rc)
        *why = "block backend: cannot write the device's xenstore nodes";
    return rc;
}

int blk_back_attach(struct guest_devs *g, const struct guest_config *cfg, const char **why)
{
    uint32_t i;
    int rc = 0;

    for (i = 0; !rc && i < cfg->nr_disks && i < CFG_MAX_DISKS; i++)
        rc = attach_one(g, i, &cfg->disk[i], why);
    return rc;
}

static void disconnect(struct blk_back *b)
{
    if (b->port)
        evtchn_close_port(b->port);
    b->port = 0;
    backend_disconnect_page((void **)&b->page, b->handle);
    b->connected = false;
}

void blk_back_detach(struct guest_devs *g)
{
    uint32_t i;

    for (i = 0; i < CFG_MAX_DISKS; i++) {
        struct blk_back *b = &g->blk[i];
        xb_back_stop(&b->xb);
        disconnect(b);
        b->configured = false;
    }
}

/*
 * DEV-22: the frontend published its ring and channel: read them as Xen's
 * blkback does (ring-ref, event-channel, protocol if present: ours only),
 * map the ring, bind the channel. 0, or -errno with nothing kept.
 */
static int connect(struct guest_devs *g, struct blk_back *b)
{
    uint32_t ref = 0, evt = 0;
    char proto[16];
    int n, rc;

    /* a Connected seen again (our own state write failed): never map twice */
    if (b->connected || b->port || b->page)
        disconnect(b);
    rc = xb_back_read_u32(&b->xb, "ring-ref", 0xFFFFFFFFu, &ref);
    if (!rc)
        rc = xb_back_read_u32(&b->xb, "event-channel", 0xFFFFFFFFu, &evt);
    n = xb_back_read(&b->xb, "protocol", proto, sizeof(proto));
    if (!rc && n != -ENOENT && (n < 0 || strcmp(proto, XB_PROTOCOL_NATIVE)))
        rc = -EINVAL;
    if (rc) {
        backend_refused_keys(g, b->label, &b->xb, "ring-ref, event-channel or protocol", rc);
        return rc;
    }
    rc = backend_connect_page(g, ref, (void **)&b->page, &b->handle);
    if (rc) {
        backend_refused_map(g, b->label, &b->refused_maps, rc);     /* DEV-4 */
        return rc;
    }
    rc = evtchn_bind_interdomain_port(g->id, evt, &b->port);
    if (rc) {
        b->port = 0;
        backend_disconnect_page((void **)&b->page, b->handle);
        backend_refused_keys(g, b->label, &b->xb, "event-channel (cannot bind it)", rc);
        return rc;
    }
    events_test_and_clear(b->port);     /* binding marks it pending: not a kick yet */
    ring_back_attach(&b->ring, b->page, sizeof(union blkif_sring_entry));
    b->turn_mark = sectors_moved;
    b->connected = true;
    b->broken = false;
    /* what Xen's blkback writes before it says Connected */
    xb_back_write_u32(&b->xb, "sectors", b->sectors);
    xb_back_write(&b->xb, "info", "0");
    xb_back_write_u32(&b->xb, "sector-size", BLKIF_SECTOR_SIZE);
    backend_log("dom0: %s of domain %u connected, %u sectors\n", b->label, g->id, b->sectors);
    return 0;
}

/*
 * DEV-21: follow the frontend's state. What we write fires the guest's
 * watches; its store is served again at once, so the events reach it in
 * this round and not after dom0's next sleep. Returns what moved.
 */
static uint32_t handshake(struct guest_devs *g, struct blk_back *b)
{
    struct xb_step st;

    if (!xb_back_take(&b->xb, &st))
        return 0;
    if (st.action == XB_CONNECT && connect(g, b)) {
        xb_back_switch(&b->xb, XenbusStateClosing);     /* as Xen's xenbus_dev_fatal */
        return 1 + store_back_poll(g);
    }
    if (st.action == XB_DISCONNECT && (b->connected || b->port || b->page)) {
        disconnect(b);
        backend_log("dom0: %s of domain %u disconnected (frontend state %u)\n", b->label, g->id,
                    b->xb.last_fe);
    }
    xb_back_switch(&b->xb, st.next);
    return 1 + store_back_poll(g);
}

/* DEV-6: sectors a request covers, or 0 if any segment is malformed. */
static uint32_t request_sectors(const struct blkif_request *r)
{
    uint32_t i, n = 0;

    if (r->nr_segments == 0 || r->nr_segments > BLKIF_MAX_SEGMENTS_PER_REQUEST)
        return 0;
    for (i = 0; i < r->nr_segments; i++) {
        const struct blkif_request_segment *s = &r->seg[i];
        if (s->first_sect > s->last_sect || s->last_sect >= 4096u / BLKIF_SECTOR_SIZE)
            return 0;
        n += (uint32_t)(s->last_sect - s->first_sect) + 1u;
    }
    return n;
}

#define MAX_REQUEST_SECTORS (BLKIF_MAX_SEGMENTS_PER_REQUEST * 4096u / BLKIF_SECTOR_SIZE)

/* The copy of one sector between ramdisk sector `disk_sector` and the guest's page. */
static void sector_op(const struct guest_devs *g, bool write, uint32_t disk_sector, grant_ref_t ref,
                      uint32_t sect_in_page, struct gnttab_copy *op)
{
    const uint8_t *at = ramdisk()->data + (uint64_t)disk_sector * BLKIF_SECTOR_SIZE;
    struct gnttab_copy_ptr guest, local;

    memset(op, 0, sizeof(*op));
    memset(&guest, 0, sizeof(guest));
    memset(&local, 0, sizeof(local));
    guest.u.ref = ref;
    guest.domid = g->id;
    guest.offset = (uint16_t)(sect_in_page * BLKIF_SECTOR_SIZE);
    local.u.gmfn = virt_to_mfn(at);
    local.domid = DOMID_SELF;
    local.offset = (uint16_t)(GPTR(at) % 4096u);
    op->source = write ? guest : local;
    op->dest = write ? local : guest;
    op->flags = write ? GNTCOPY_source_gref : GNTCOPY_dest_gref;
    op->len = BLKIF_SECTOR_SIZE;
}

/*
 * DEV-6: serve one request with a single GNTTABOP_copy of all its sectors (a
 * failed sector fails the request; what the others moved is the guest's
 * own data, as after any failed request); *cost is what it counts
 * against the round's share.
 */
static int16_t serve(struct guest_devs *g, struct blk_back *b, const struct blkif_request *r,
                     uint32_t *cost)
{
    static struct gnttab_copy ops[MAX_REQUEST_SECTORS];
    bool write = r->operation == BLKIF_OP_WRITE;
    uint32_t n = request_sectors(r), i, k, done = 0;

    *cost = n ? n : 1;                  /* a refused request still took a turn */
    if (r->operation != BLKIF_OP_READ && !write)
        return BLKIF_RSP_EOPNOTSUPP;
    /* sector_number is the guest's 64-bit claim: compare without overflow */
    if (n == 0 || r->sector_number >= b->sectors || n > b->sectors - r->sector_number)
        return BLKIF_RSP_ERROR;
    for (i = 0; i < r->nr_segments; i++) {
        const struct blkif_request_segment *s = &r->seg[i];
        for (k = s->first_sect; k <= s->last_sect && done < n; k++, done++)
            sector_op(g, write, b->start + (uint32_t)r->sector_number + done, s->gref, k,
                      &ops[done]);
    }
    if (grants_copy(ops, n))
        return BLKIF_RSP_ERROR;
    for (i = 0; i < n; i++)
        if (ops[i].status != GNTST_okay)
            return BLKIF_RSP_ERROR;
    if (write)
        b->writes++;
    else
        b->reads++;
    return BLKIF_RSP_OKAY;
}

/* One disk's turn (DEV-31: each disk of a guest is served on its own). */
static uint32_t poll_one(struct guest_devs *g, struct blk_back *b)
{
    union blkif_sring_entry e;
    uint32_t served = 0, sectors = 0, moved_xb;
    enum ring_status st = RING_OK;

    if (!b->configured)
        return 0;
    moved_xb = handshake(g, b);
    if (!b->connected)
        return moved_xb;
    /* connected: serve at once (the frontend may have queued requests with its Connected) */
    /* DEV-14: consume the kick before looking at the ring, so a later one is a new event
     * (a broken device's too, or its pending port would end every poll at once) */
    events_test_and_clear(b->port);
    if (b->broken)
        return moved_xb;
    while (sectors < SECTORS_PER_POLL && (st = ring_back_take_request(&b->ring, &e)) == RING_OK) {
        struct blkif_request req = e.req;       /* our private copy, looked at once */
        uint32_t cost;
        memset(&e, 0, sizeof(e));
        e.rsp.id = req.id;
        e.rsp.operation = req.operation;
        e.rsp.status = serve(g, b, &req, &cost);
        if (e.rsp.status != BLKIF_RSP_OKAY)
            b->errors++;
        ring_back_put_response(&b->ring, &e);   /* a slot is free: we took its request */
        served++;
        sectors += cost;
    }
    /* what the other disks were given since our last turn, if we waited for it */
    if (served && sectors_moved - b->turn_mark > b->max_wait)
        b->max_wait = (uint32_t)(sectors_moved - b->turn_mark);
    sectors_moved += sectors;
    b->turn_mark = sectors_moved;
    if (sectors > b->max_round)
        b->max_round = sectors;
    if (served)
        backend_push(&b->ring, b->port);
    else if (st == RING_EMPTY)
        st = ring_back_final_check(&b->ring);
    if (st == RING_BAD_PEER) {          /* DEV-8: this device only */
        b->broken = true;
        backend_log("dom0: %s of domain %u: impossible ring indices; disconnected\n", b->label,
                    g->id);
    }
    /* a request that came in before the final check asked for a kick has
     * none: say there is work, or dom0 would sleep beside it */
    return moved_xb + (served ? served : st == RING_OK);
}

uint32_t blk_back_poll(struct guest_devs *g)
{
    uint32_t i, moved = 0;

    for (i = 0; i < CFG_MAX_DISKS; i++)
        moved += poll_one(g, &g->blk[i]);
    return moved;
}
