/*
 * The frontend's half of the xenbus handshake (io/xenbus.h), as Linux's
 * xenbus_probe_frontend and Mini-OS's init_*front do it: list
 * device/<kind> (DIRECTORY), take the first entry, read its `backend`
 * and `backend-id`, watch <backend>/state for the device's life and act
 * on the state read after each event. And io/ring.h's arithmetic, as
 * plain functions: SHARED_RING_INIT and FRONT_RING_INIT,
 * RING_PUSH_REQUESTS_AND_CHECK_NOTIFY, RING_FINAL_CHECK_FOR_RESPONSES.
 */
#include "cxb.h"
#include "pv/errno.h"

int fe_find(const char *kind, struct fe_dev *d)
{
    char dir[32], list[256], path[80], tok[24];
    int n;

    memset(d, 0, sizeof(*d));
    snprintf(dir, sizeof(dir), "device/%s", kind);
    n = xsc_directory(dir, list, sizeof(list));
    test_check("DIRECTORY device/<kind> lists a device", n > 1 && list[0]);
    if (n <= 1)
        return -ENOENT;
    snprintf(d->node, sizeof(d->node), "%s/%s", dir, list);     /* the first name */
    snprintf(path, sizeof(path), "%s/backend", d->node);
    n = xsc_read(0, path, d->backend, sizeof(d->backend));
    test_check("the frontend's backend path is absolute", n > 0 && d->backend[0] == '/');
    snprintf(path, sizeof(path), "%s/backend-id", d->node);
    d->backend_id = (domid_t)xsc_read_u32(path, 0xFFFFu);
    CHECK_RC("backend-id is dom0", d->backend_id, 0);
    snprintf(tok, sizeof(tok), "be-%s", kind);
    d->token = xsc_token(tok);
    snprintf(path, sizeof(path), "%s/state", d->backend);
    CHECK_RC("WATCH <backend>/state", xsc_watch(path, tok), 0);
    return n > 0 ? 0 : -ENOENT;
}

uint32_t fe_backend_state(const struct fe_dev *d)
{
    char path[112];

    snprintf(path, sizeof(path), "%s/state", d->backend);
    return xsc_read_u32(path, XenbusStateUnknown);
}

int fe_wait_backend(const struct fe_dev *d, uint32_t want, uint64_t deadline)
{
    for (;;) {
        uint32_t seen = xsc_events(d->token), st = fe_backend_state(d);

        if (st == want)
            return 0;
        if (st >= XenbusStateClosing && want < XenbusStateClosing) {
            gprintf("%s: the backend says %u, waiting for %u\n", d->node, st, want);
            return -ENOTCONN;
        }
        while (xsc_events(d->token) == seen)
            if (xsc_pump(deadline)) {
                gprintf("%s: the backend stays in %u, waiting for %u\n", d->node, st, want);
                return -ETIMEDOUT;
            }
    }
}

int fe_write_u32(const struct fe_dev *d, uint32_t tx, const char *key, uint32_t v)
{
    char path[80], val[12];

    snprintf(path, sizeof(path), "%s/%s", d->node, key);
    snprintf(val, sizeof(val), "%u", v);
    return xsc_write(tx, path, val);
}

int fe_switch(const struct fe_dev *d, uint32_t tx, uint32_t state)
{
    return fe_write_u32(d, tx, "state", state);
}

int fe_backend_read(const struct fe_dev *d, const char *key, char *out, uint32_t max)
{
    char path[128];

    snprintf(path, sizeof(path), "%s/%s", d->backend, key);
    return xsc_read(0, path, out, max);
}

/* As Linux's xenbus_frontend_closed after a Closing: each state acknowledged by the backend. */
int fe_close(const struct fe_dev *d, const char *what)
{
    uint64_t deadline = cx_now() + CXB_WAIT_NS;
    char msg[64];
    int rc;

    snprintf(msg, sizeof(msg), "DEV-21 %s: Closing, the backend follows", what);
    rc = fe_switch(d, 0, XenbusStateClosing);
    if (!rc)
        rc = fe_wait_backend(d, XenbusStateClosing, deadline);
    CHECK_RC(msg, rc, 0);
    snprintf(msg, sizeof(msg), "DEV-21 %s: Closed, the backend follows", what);
    rc = fe_switch(d, 0, XenbusStateClosed);
    if (!rc)
        rc = fe_wait_backend(d, XenbusStateClosed, deadline);
    CHECK_RC(msg, rc, 0);
    return rc;
}

/* ---- io/ring.h ----------------------------------------------------------- */

void fe_ring_init(struct fe_ring *r, void *page, uint32_t slot_size)
{
    uint32_t n = 1;

    memset(page, 0, 4096);
    r->s = page;
    r->s->req_event = 1;        /* SHARED_RING_INIT */
    r->s->rsp_event = 1;
    r->slots = (uint8_t *)page + RING_ENTRIES_OFFSET;
    r->slot_size = slot_size;
    while (n * 2u * slot_size <= 4096u - RING_ENTRIES_OFFSET)   /* __RING_SIZE: a power of two */
        n *= 2u;
    r->size = n;
    r->req_prod_pvt = 0;        /* FRONT_RING_INIT */
    r->rsp_cons = 0;
}

void *fe_ring_next_req(struct fe_ring *r)
{
    void *slot;

    if (r->req_prod_pvt - r->rsp_cons >= r->size)
        return NULL;            /* RING_FULL */
    slot = r->slots + (r->req_prod_pvt & (r->size - 1u)) * r->slot_size;
    r->req_prod_pvt++;
    return slot;
}

bool fe_ring_push(struct fe_ring *r)
{
    RING_IDX old = r->s->req_prod, new = r->req_prod_pvt;

    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* the requests before the index */
    r->s->req_prod = new;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* the index before req_event is read */
    return (RING_IDX)(new - r->s->req_event) < (RING_IDX)(new - old);
}

int fe_ring_take(struct fe_ring *r, void *out)
{
    RING_IDX prod = r->s->rsp_prod;

    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    /* a response must answer a request we made */
    if ((RING_IDX)(prod - r->rsp_cons) > (RING_IDX)(r->req_prod_pvt - r->rsp_cons))
        return -1;
    if (prod == r->rsp_cons) {
        r->s->rsp_event = r->rsp_cons + 1u;     /* RING_FINAL_CHECK_FOR_RESPONSES */
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (r->s->rsp_prod == r->rsp_cons)
            return 0;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    }
    memcpy(out, r->slots + (r->rsp_cons & (r->size - 1u)) * r->slot_size, r->slot_size);
    r->rsp_cons++;
    return 1;
}
