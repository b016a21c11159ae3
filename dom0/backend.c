/*
 * The backends' table and loop (see backend.h): one slot per guest with
 * devices, attach and detach in order, and the poll that gives every
 * backend its turn.
 */
#include "backend_dev.h"
#include "consoles.h"
#include "ctl.h"
#include "devices.h"
#include "errors.h"
#include "events.h"
#include "foreign.h"
#include "guest.h"
#include "pv/errno.h"
#include "pv/sched.h"
#include "pvtime.h"
#include "xsd.h"

static struct guest_devs guests[BACKEND_MAX_GUESTS];

/* DEV-34, XS-7: a watch for each device the budget admits is in dom0's share of the store */
_Static_assert(BACKEND_MAP_BUDGET <= XS_DOM0_WATCHES, "dom0 can watch every device");

struct guest_devs *backend_guest_at(uint32_t i)
{
    return i < BACKEND_MAX_GUESTS && guests[i].used ? &guests[i] : NULL;
}

static struct guest_devs *find(domid_t id)
{
    uint32_t i;

    for (i = 0; i < BACKEND_MAX_GUESTS; i++)
        if (guests[i].used && guests[i].id == id)
            return &guests[i];
    return NULL;
}

int backend_connect_page(struct guest_devs *g, uint32_t ref, void **page, grant_handle_t *h)
{
    int err = 0;

    *page = foreign_map_grant(g->id, ref, h, &err);
    return *page ? 0 : err;
}

void backend_log(const char *fmt, ...)
{
    va_list ap;

    consoles_showing();
    va_start(ap, fmt);
    vgprintf(fmt, ap);
    va_end(ap);
}

void backend_disconnect_page(void **page, grant_handle_t h)
{
    int rc;

    if (!*page)
        return;
    rc = foreign_unmap_grant(*page, h);
    if (rc)
        backend_log("dom0: backend: unmap of a guest page failed (%d, %s); window slot kept\n", rc,
                    err_name(rc));
    *page = NULL;
}

void backend_refused_map(struct guest_devs *g, const char *dev, uint32_t *count, int rc)
{
    if ((*count)++ == 0)
        backend_log("dom0: %s of domain %u: cannot map its ring (%d, %s); further failures "
                    "counted\n", dev, g->id, rc, err_name(rc));
}

void backend_refused_keys(struct guest_devs *g, const char *dev, struct xb_back *x,
                          const char *what, int rc)
{
    if (x->refused++ == 0)
        backend_log("dom0: %s of domain %u: refused its frontend's %s (%d, %s); closing, further "
                    "refusals counted\n", dev, g->id, what, rc, err_name(rc));
}

/* Every device of g looks at its frontend's state again. */
static void all_dirty(struct guest_devs *g)
{
    uint32_t k;

    for (k = 0; k < CFG_MAX_DISKS; k++)
        g->blk[k].xb.dirty = true;
    for (k = 0; k < CFG_MAX_VIFS; k++)
        g->net[k].xb.dirty = true;
}

/* A decimal number below `lim` at *p, then `end`: advances *p past it; false if not. */
static bool token_number(const char **p, uint32_t lim, char end, uint32_t *out)
{
    uint32_t v = 0;
    const char *q = *p;

    for (; *q >= '0' && *q <= '9' && v < lim; q++)
        v = v * 10u + (uint32_t)(*q - '0');
    if (q == *p || *q != end || v >= lim)
        return false;
    *out = v;
    *p = q + (end != '\0');
    return true;
}

/*
 * DEV-21: an event of one of dom0's watches on a frontend's state (token
 * "vbd:<slot>:<index>" or "vif:<slot>:<index>", dom0's own): that device
 * looks again. An event dom0's queue dropped (NULL): every device looks again.
 */
static void xb_event(const char *path, const char *token)
{
    uint32_t slot = 0, index = 0;
    const char *p;

    (void)path;
    if (!token) {
        uint32_t i;
        for (i = 0; i < BACKEND_MAX_GUESTS; i++)
            all_dirty(&guests[i]);
        return;
    }
    p = strchr(token, ':');
    if (!p)
        return;
    p++;
    if (!token_number(&p, BACKEND_MAX_GUESTS, ':', &slot) ||
        !token_number(&p, CFG_MAX_DISKS > CFG_MAX_VIFS ? CFG_MAX_DISKS : CFG_MAX_VIFS, '\0',
                      &index) || !guests[slot].used)
        return;
    if (!strncmp(token, "vbd:", 4) && index < CFG_MAX_DISKS)
        guests[slot].blk[index].xb.dirty = true;
    else if (!strncmp(token, "vif:", 4) && index < CFG_MAX_VIFS)
        guests[slot].net[index].xb.dirty = true;
}

uint32_t backend_maps_needed(const struct guest_config *cfg)
{
    return 1u + cfg->nr_disks + 2u * cfg->nr_vifs;
}

/* DEV-34: grant maps the guests with devices have reserved. */
static uint32_t maps_reserved(void)
{
    uint32_t i, n = 0;

    for (i = 0; i < BACKEND_MAX_GUESTS; i++)
        if (guests[i].used)
            n += guests[i].maps;
    return n;
}

void backend_push(struct ring_back *r, uint32_t port)
{
    bool notify = false;

    ring_back_push_responses(r, &notify);
    if (notify)
        evtchn_send_port(port);
}

static int fail(char *why, uint32_t why_len, const char *what, int rc)
{
    snprintf(why, why_len, "%s", what);
    return rc;
}

int backends_attach(domid_t id, const struct guest_config *cfg, const struct dev_ports *ports,
                    char *why, uint32_t why_len)
{
    struct guest_devs *g = find(id);
    const char *what = NULL;
    uint32_t i;
    int rc;

    if (g)
        return fail(why, why_len, "backends: the domain already has devices", -EEXIST);
    /* event channels are read from shared_info */
    if (pv_map_shared_info())
        return fail(why, why_len, "backends: cannot map our shared_info", -EFAULT);
    for (i = 0; i < BACKEND_MAX_GUESTS && guests[i].used; i++)
        ;
    if (i == BACKEND_MAX_GUESTS)
        return fail(why, why_len, "backends: no room for another guest's devices", -ENOSPC);
    /* DEV-34: refused before anything is attached, so nothing is left to undo */
    if (backend_maps_needed(cfg) > BACKEND_MAP_BUDGET - maps_reserved()) {
        snprintf(why, why_len, "backends: its devices need %u of dom0's grant maps, %u of %u "
                 "are free", backend_maps_needed(cfg), BACKEND_MAP_BUDGET - maps_reserved(),
                 BACKEND_MAP_BUDGET);
        return -ENOSPC;
    }
    xsd_set_event_handler(xb_event);
    g = &guests[i];
    memset(g, 0, sizeof(*g));
    g->used = true;
    g->slot = i;
    g->id = id;
    g->maps = backend_maps_needed(cfg);
    memcpy(g->name, cfg->name, sizeof(g->name));
    rc = cons_back_attach(g, ports->console);
    if (rc)
        what = "console backend: cannot map the console page or bind its port";
    if (!rc) {
        rc = store_back_attach(g, ports->store, ports->store_mfn, cfg->pages * 4u);
        if (rc)
            what = "xenstore: cannot map the store page, bind its port or write its directory";
    }
    if (!rc && xb_nodes_console(id, ports->console_mfn, ports->console))
        rc = -EIO, what = "xenstore: cannot write the console's nodes";
    if (!rc)
        rc = blk_back_attach(g, cfg, &what);
    if (!rc)
        rc = net_back_attach(g, cfg, &what);
    if (rc) {
        backends_detach(id);
        snprintf(why, why_len, "%s%s", what ? what : "backends: attach failed",
                 rc == -ENOSPC && !foreign_free_slots() ? " (dom0's mapping window is full)" : "");
        return rc;
    }
    return 0;
}

void backends_detach(domid_t id)
{
    struct guest_devs *g = find(id);
    uint32_t i;

    if (!g)
        return;
    /* its last words: at most a full ring, whatever it keeps writing; all shown before its log goes */
    for (i = 0; i < XENCONS_OUT_SIZE / 256u && cons_back_poll(g); i++)
        ;
    cons_back_show(g, true);
    net_back_detach(g);
    blk_back_detach(g);
    store_back_detach(g);
    cons_back_detach(g);
    g->used = false;
}

uint32_t backends_poll(void)
{
    uint32_t i, moved = 0;

    for (i = 0; i < BACKEND_MAX_GUESTS; i++) {
        struct guest_devs *g = &guests[i];
        if (!g->used)
            continue;
        moved += cons_back_poll(g);
        moved += store_back_poll(g);
        xsd_pump();             /* its frontends' state changes, for the backends below */
        moved += blk_back_poll(g);
        moved += net_back_poll(g);
    }
    return moved;
}

/* The ports our backends have bound, as many as one SCHEDOP_poll takes; how many in all. */
static uint32_t bound_ports(uint32_t ports[SCHED_POLL_MAX_PORTS])
{
    uint32_t i, n = 0;

    for (i = 0; i < BACKEND_MAX_GUESTS; i++) {
        const struct guest_devs *g = &guests[i];
        uint32_t mine[2 + CFG_MAX_DISKS + CFG_MAX_VIFS] = { g->cons.port, g->store.port };
        uint32_t k;
        if (!g->used)
            continue;
        for (k = 0; k < CFG_MAX_DISKS; k++)
            mine[2 + k] = g->blk[k].port;
        for (k = 0; k < CFG_MAX_VIFS; k++)
            mine[2 + CFG_MAX_DISKS + k] = g->net[k].port;
        for (k = 0; k < sizeof(mine) / sizeof(mine[0]); k++) {
            if (mine[k] && n < SCHED_POLL_MAX_PORTS)
                ports[n] = mine[k];
            n += mine[k] != 0;
        }
    }
    return n;
}

/*
 * DEV-9, DEV-14: every backend has consumed its port's event before it
 * looked at its ring, so a kick that came after that look is still
 * pending now. SCHEDOP_poll with those ports does not sleep if one is
 * pending, and any new event wakes it, so no kick waits for the timeout.
 * Beyond SCHED_POLL_MAX_PORTS ports the rest are covered by a short
 * timeout instead (a kick landing between the look and the poll waits
 * at most BACKEND_LATE_NS).
 */
#define BACKEND_LATE_NS 10000000ull

static uint32_t idle_polls, idle_woken;     /* DEV-9: sleeps, and those an event ended */

void backends_idle(uint64_t max_ns)
{
    static uint32_t ports[SCHED_POLL_MAX_PORTS];
    struct sched_poll poll;
    struct shared_info *s = pv_shared_info();
    uint32_t n;

    if (backends_poll())
        return;
    if (!s) {
        pv_sleep_ns(max_ns);            /* no backend yet, so no event to wait for */
        return;
    }
    n = bound_ports(ports);
    if (n > SCHED_POLL_MAX_PORTS && max_ns > BACKEND_LATE_NS)
        max_ns = BACKEND_LATE_NS;
    /* Any new event wakes a poll; clear the upcall flags so one can raise them. */
    s->vcpu_info[0].evtchn_upcall_pending = 0;
    s->vcpu_info[0].evtchn_pending_sel = 0;
    memset(&poll, 0, sizeof(poll));
    poll.ports = GPTR(ports);
    poll.nr_ports = n < SCHED_POLL_MAX_PORTS ? n : SCHED_POLL_MAX_PORTS;
    poll.timeout = pv_time_ns() + max_ns;
    hcall2(__HYPERVISOR_sched_op, SCHEDOP_poll, GPTR(&poll));
    idle_polls++;
    idle_woken += pv_time_ns() < poll.timeout;
    backends_poll();
}

int backends_console_input(domid_t id, const char *buf, uint32_t len)
{
    struct guest_devs *g = find(id);

    return g ? cons_back_input(g, buf, len) : -ESRCH;
}

void backends_show_consoles(void)
{
    uint32_t i;

    for (i = 0; i < BACKEND_MAX_GUESTS; i++)
        if (guests[i].used)
            cons_back_show(&guests[i], false);
}

int backends_console_replay(domid_t id, uint32_t n)
{
    struct guest_devs *g = find(id);

    if (!g)
        return -ESRCH;
    cons_back_replay(g, n);
    return 0;
}

int backends_console_log(domid_t id, uint32_t n)
{
    struct guest_devs *g = find(id);

    if (!g)
        return -ESRCH;
    cons_back_print_log(g, n);
    return 0;
}

/* A stopped guest's devices are shown disconnected: no frontend is left to serve. */
static bool guest_stopped(domid_t id)
{
    struct xen_domctl_getdomaininfo info;

    return ctl_info(id, &info) || info.domain != id || info.state >= DOMINFO_SHUTDOWN;
}

static const char *dev_state(bool stopped, bool broken, bool connected)
{
    return broken ? "broken" : stopped ? "disconnected" : connected ? "connected" : "waiting";
}

/* DEV-32: one line per device, its index (and vdev or MAC) at the end. */
static void report_vbd(const struct guest_devs *g, const struct blk_back *b, bool stopped)
{
    char name[8];

    if (!b->configured)
        return;
    config_vdev_name(b->vdev, name);
    gprintf("%-4u %-16s %-8s %s sectors %u+%u reads %u writes %u errors %u max-round %u "
            "max-wait %u refused-maps %u refused-keys %u xenbus %u/%u index %u vdev %u %s\n",
            g->id, g->name, "vbd", dev_state(stopped, b->broken, b->connected), b->start,
            b->sectors, b->reads, b->writes, b->errors, b->max_round, b->max_wait,
            b->refused_maps, b->xb.refused, b->xb.state, b->xb.last_fe, b->index, b->vdev, name);
}

static void report_vif(const struct guest_devs *g, const struct net_back *n, bool stopped)
{
    char mac[18];

    if (!n->configured)
        return;
    devices_format_mac(n->mac, mac);
    gprintf("%-4u %-16s %-8s %s tx %u rx %u dropped %u malformed %u spoofed %u nodest %u "
            "limited %u refused-maps %u refused-keys %u xenbus %u/%u index %u mac %s\n",
            g->id, g->name, "vif", dev_state(stopped, n->broken, n->connected), n->tx_frames,
            n->rx_frames, n->dropped, n->malformed, n->spoofed, n->nodest, n->limited,
            n->refused_maps, n->xb.refused, n->xb.state, n->xb.last_fe, n->index, mac);
}

void backends_report(void)
{
    uint32_t i, k;

    gprintf("dom0: slept %u times waiting for the backends, %u ended by an event\n", idle_polls,
            idle_woken);
    gprintf("%-4s %-16s %-8s %s\n", "ID", "NAME", "DEVICE", "STATE AND COUNTERS");
    for (i = 0; i < BACKEND_MAX_GUESTS; i++) {
        const struct guest_devs *g = &guests[i];
        bool stopped;
        if (!g->used)
            continue;
        stopped = guest_stopped(g->id);
        gprintf("%-4u %-16s %-8s %s out %u in %u in-dropped %u log-lines %u log-dropped %u\n",
                g->id, g->name, "console", g->cons.broken ? "broken" : stopped ? "disconnected" : "ok",
                g->cons.bytes_out, g->cons.bytes_in, g->cons.in_dropped, g->cons.log.lines,
                g->cons.log.dropped);
        gprintf("%-4u %-16s %-8s %s rounds %u events-dropped %u\n", g->id, g->name, "xenstore",
                dev_state(stopped, g->store.broken, g->store.conn >= 0), g->store.moved,
                store_back_dropped(g));
        for (k = 0; k < CFG_MAX_DISKS; k++)
            report_vbd(g, &g->blk[k], stopped);
        for (k = 0; k < CFG_MAX_VIFS; k++)
            report_vif(g, &g->net[k], stopped);
    }
}
