/*
 * The backends' per-guest state, shared by backend.c (the table, attach,
 * detach, the poll loop) and one file per device kind.
 */
#ifndef DOM0_BACKEND_DEV_H
#define DOM0_BACKEND_DEV_H

#include "backend.h"
#include "cons_log.h"
#include "pv/console_ring.h"
#include "pv/grant_table.h"
#include "ring.h"
#include "xb_back.h"
#include "xs_link.h"

#define CONS_LINE_LEN 160

struct cons_back {
    struct xencons_interface *intf;     /* ref 0, mapped; NULL: none */
    grant_handle_t handle;
    uint32_t port;                      /* ours, bound to the guest's */
    char line[CONS_LINE_LEN];           /* output up to the next newline */
    uint32_t line_len;
    uint32_t bytes_out, bytes_in;
    uint32_t in_dropped;                /* typed bytes its full input ring did not take (DOM0-2) */
    bool broken;                        /* impossible indices: disconnected */
    struct cons_log log;                /* its lines, for `console` and `log` (DOM0-5) */
    uint64_t shown;                     /* lines before this one are on the serial line */
};

#define BACKEND_LABEL_LEN 16u   /* "vbd xvdb", "vif 1": how dom0's lines name a device (DEV-32) */

struct blk_back {
    bool configured;
    uint32_t index;                     /* its place in the guest's disks (DEV-31) */
    uint32_t vdev;                      /* device/vbd/<vdev> */
    char label[BACKEND_LABEL_LEN];
    bool connected;
    bool broken;
    uint32_t port;
    struct ring_shared *page;
    grant_handle_t handle;
    struct ring_back ring;
    uint32_t start, sectors;            /* its part of the ramdisk */
    uint32_t reads, writes, errors;
    /* DEV-15: most sectors served to it in one poll round, and most served
     * to the other disks between two of its turns in which it had work */
    uint32_t max_round, max_wait;
    uint64_t turn_mark;                 /* sectors moved by all disks at our last turn */
    uint32_t refused_maps;              /* rings we could not map (DEV-4) */
    struct xb_back xb;                  /* its xenbus handshake (DEV-21) */
};

struct net_back {
    bool configured;
    uint32_t index;                     /* device/vif/<index> (DEV-31) */
    uint32_t bport;                     /* its bridge port (DEV-33) */
    char label[BACKEND_LABEL_LEN];
    bool connected;
    bool broken;
    uint32_t port;
    uint8_t mac[6];
    struct ring_shared *tx_page, *rx_page;
    grant_handle_t tx_handle, rx_handle;
    struct ring_back tx, rx;
    uint32_t tx_frames, rx_frames;      /* forwarded from it, delivered to it */
    uint32_t dropped;                   /* for it, but no receive buffer in time */
    uint32_t malformed;                 /* requests (either ring) answered NETIF_RSP_ERROR */
    uint32_t spoofed, nodest, limited;  /* refused by the bridge (DEV-11, 12, 13) */
    uint32_t refused_maps;              /* rings we could not map (DEV-4) */
    struct xb_back xb;                  /* its xenbus handshake (DEV-21) */
};

struct store_back {
    struct xenstore_domain_interface *intf;     /* its store page, mapped; NULL: none */
    uint32_t port;                      /* ours, bound to the guest's store_evtchn */
    int conn;                           /* its store connection; -1: none (closed) */
    bool introduced;                    /* its directory is in the store */
    bool broken;                        /* it broke the protocol: not served (XS-10) */
    uint32_t moved;                     /* service rounds that moved bytes */
    uint32_t dropped;                   /* watch events its queue dropped, once closed (XS-21) */
    struct xs_link link;
};

struct guest_devs {
    bool used;
    uint32_t slot;                      /* index in the table */
    domid_t id;
    char name[CFG_NAME_LEN];
    struct cons_back cons;
    struct blk_back blk[CFG_MAX_DISKS];   /* configured: in the guest's order, from 0 */
    struct net_back net[CFG_MAX_VIFS];
    uint32_t maps;                      /* DEV-34: grant maps its devices may hold */
    struct store_back store;
};

/* Map `ref` of guest g into our window and bind `guest_port`; 0 or -errno/GNTST. */
int backend_connect_page(struct guest_devs *g, uint32_t ref, void **page, grant_handle_t *h);
void backend_disconnect_page(void **page, grant_handle_t h);
/*
 * DEV-4: a kick whose ring cannot be mapped. Counted; only the first of a
 * device is logged, so a guest cannot make dom0 write to the serial line
 * once per kick.
 */
void backend_refused_map(struct guest_devs *g, const char *dev, uint32_t *count, int rc);
/* DEV-22: a frontend's keys refused (missing, malformed, unbindable); logged once per device. */
void backend_refused_keys(struct guest_devs *g, const char *dev, struct xb_back *x,
                          const char *what, int rc);
/*
 * A line of dom0's own about a backend: on a line of its own even when
 * the prompt is on the screen (consoles.h), so it never lands after it.
 */
void backend_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Send on our port if the ring says the peer wants it. */
void backend_push(struct ring_back *r, uint32_t port);
/* Each guest slot, for the bridge. */
struct guest_devs *backend_guest_at(uint32_t i);
#define BACKEND_MAX_GUESTS 255u      /* every guest the hypervisor can hold */
/*
 * DEV-34: grant maps dom0's devices may hold at once, the hypervisor's
 * maptrack per grantee (spec/grants.md): a console page, a block ring per
 * disk and two net rings per interface, reserved when a guest's devices
 * are attached, whether or not its frontends ever connect.
 */
#define BACKEND_MAP_BUDGET 1024u
/* What a guest with these devices reserves of it. */
uint32_t backend_maps_needed(const struct guest_config *cfg);

int cons_back_attach(struct guest_devs *g, uint32_t guest_port);
void cons_back_detach(struct guest_devs *g);
uint32_t cons_back_poll(struct guest_devs *g);
int cons_back_input(struct guest_devs *g, const char *buf, uint32_t len);
/* Show the lines of its log not shown yet, if consoles.h allows it now, or anyway if `force`. */
void cons_back_show(struct guest_devs *g, bool force);
/* Print the last n lines of its log raw, then the line it is writing (`console`). */
void cons_back_replay(struct guest_devs *g, uint32_t n);
/* Print the last n lines of its log (all if n is 0), framed (`log`). */
void cons_back_print_log(struct guest_devs *g, uint32_t n);

int store_back_attach(struct guest_devs *g, uint32_t guest_port, uint32_t store_mfn,
                      uint32_t mem_kib);
void store_back_detach(struct guest_devs *g);
uint32_t store_back_poll(struct guest_devs *g);
/* XS-21: the watch events its connection's full queue dropped (shown by `devices`). */
uint32_t store_back_dropped(const struct guest_devs *g);

int blk_back_attach(struct guest_devs *g, const struct guest_config *cfg, const char **why);
void blk_back_detach(struct guest_devs *g);
uint32_t blk_back_poll(struct guest_devs *g);

int net_back_attach(struct guest_devs *g, const struct guest_config *cfg, const char **why);
void net_back_detach(struct guest_devs *g);
uint32_t net_back_poll(struct guest_devs *g);

#endif
