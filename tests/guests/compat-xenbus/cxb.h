/*
 * compat-xenbus: a guest that reaches its devices and its control
 * requests the way a kernel written for Xen does, through the public
 * protocol only (see main.c for what it checks). The runtime boots it,
 * prints and makes the hypercalls; everything below is this guest's own,
 * written from Xen's public headers (guest-abi/include/pv: xs_wire.h,
 * xenbus.h, io_ring.h, blkif.h, netif.h, grant_table.h,
 * event_channel.h), as Linux's and Mini-OS's frontends do it.
 *
 *   base.c   shared_info, the clock, event channels, the grant table
 *   xsc.c    a xenbus client over the store ring
 *   front.c  the frontend's half of the xenbus handshake, and the ring
 *            arithmetic of io/ring.h
 *   blk.c    a block frontend;  net.c  a network frontend
 */
#ifndef CXB_H
#define CXB_H

#include "guest.h"
#include "pv/blkif.h"
#include "pv/event_channel.h"
#include "pv/grant_table.h"
#include "pv/io_ring.h"
#include "pv/netif.h"
#include "pv/xenbus.h"
#include "pv/xs_wire.h"
#include "test.h"

#define CXB_NS_PER_MS 1000000ull
#define CXB_WAIT_NS   (20000ull * CXB_NS_PER_MS)    /* dom0 may be busy building the peer */

/* ---- base.c ------------------------------------------------------------ */
int cx_base_init(void);
uint64_t cx_now(void);
uint32_t cx_mfn(const void *va);
/* The pseudo-physical frame an MFN is, from the hypervisor's M2P table. */
uint32_t cx_m2p(uint32_t mfn);
int cx_evtchn_alloc(domid_t remote, uint32_t *port);
int cx_evtchn_close(uint32_t port);
void cx_notify(uint32_t port);
/* Wait for an event on port until deadline: 0, or -ETIMEDOUT. */
int cx_wait(uint32_t port, uint64_t deadline);
void cx_sleep_ms(uint32_t ms);
/* Grant entries (v1): ref >= GNTTAB_NR_RESERVED_ENTRIES, as any frontend. */
grant_ref_t cx_grant_alloc(void);
void cx_grant(grant_ref_t ref, domid_t to, uint32_t mfn, bool readonly);
/* End access: 0, or -EBUSY while the grantee still maps or copies it. */
int cx_ungrant(grant_ref_t ref);
const volatile struct grant_entry_v1 *cx_grant_entry(grant_ref_t ref);

/* ---- xsc.c: the xenbus client ---------------------------------------- */
struct xs_msg {
    struct xsd_sockmsg h;
    char body[XENSTORE_PAYLOAD_MAX + 1];    /* NUL added after len bytes */
};

int xsc_init(void);
uint32_t xsc_port(void);
/* One request (payload given whole) and its reply: 0, or -ETIMEDOUT or -EIO (a reply that is not ours). */
int xsc_raw(uint32_t type, uint32_t tx, const void *payload, uint32_t len, struct xs_msg *reply);
/* The usual calls: -errno from an XS_ERROR reply's name. */
int xsc_read(uint32_t tx, const char *path, char *out, uint32_t max);
int xsc_write(uint32_t tx, const char *path, const char *value);
int xsc_directory(const char *path, char *out, uint32_t max);
int xsc_watch(const char *path, const char *token);
int xsc_unwatch(const char *path, const char *token);
int xsc_tx_start(uint32_t *tx);
int xsc_tx_end(uint32_t tx, bool commit);
int xsc_errno(const struct xs_msg *reply);
/* Watch events, counted per token (at most 8 tokens); the last path kept. */
int xsc_token(const char *token);
uint32_t xsc_events(int token);
const char *xsc_last_path(int token);
/* Read what the ring holds and wait for one message until deadline. */
int xsc_pump(uint64_t deadline);
uint32_t xsc_read_u32(const char *path, uint32_t fallback);

/* ---- front.c: xenbus frontends and io/ring.h ------------------------- */
struct fe_dev {
    char node[48];                  /* device/<kind>/<id>, relative to our home */
    char backend[96];               /* absolute, from the frontend's `backend` */
    domid_t backend_id;
    int token;                      /* our watch on <backend>/state */
};

int fe_find(const char *kind, struct fe_dev *d);
uint32_t fe_backend_state(const struct fe_dev *d);
/* Wait for the backend to reach `want`: 0, -ENOTCONN (it went elsewhere), -ETIMEDOUT. */
int fe_wait_backend(const struct fe_dev *d, uint32_t want, uint64_t deadline);
int fe_switch(const struct fe_dev *d, uint32_t tx, uint32_t state);
int fe_write_u32(const struct fe_dev *d, uint32_t tx, const char *key, uint32_t v);
int fe_backend_read(const struct fe_dev *d, const char *key, char *out, uint32_t max);
/* Closing, Closed, each waited for on the backend's side (DEV-21). */
int fe_close(const struct fe_dev *d, const char *what);

struct fe_ring {
    volatile struct ring_shared_header *s;
    uint8_t *slots;
    uint32_t size, slot_size;
    RING_IDX req_prod_pvt, rsp_cons;
};

void fe_ring_init(struct fe_ring *r, void *page, uint32_t slot_size);
void *fe_ring_next_req(struct fe_ring *r);
/* Publish the private requests; true when the peer asked for a kick. */
bool fe_ring_push(struct fe_ring *r);
/* Copy the next response out: 1, 0 none (rsp_event set), -1 impossible indices. */
int fe_ring_take(struct fe_ring *r, void *out);

/* ---- the devices ----------------------------------------------------- */
void blk_run(void);
void blk_close(void);
bool net_parse_mac(const char *s, uint8_t out[6]);
void net_run(char role, const uint8_t peer[6]);
void net_close(void);

#endif
