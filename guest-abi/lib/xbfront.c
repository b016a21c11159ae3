/*
 * A frontend's end of the xenbus handshake: see xbfront.h.
 */
#include "xbfront.h"
#include "events.h"
#include "guest.h"
#include "pv/errno.h"
#include "pvtime.h"
#include "xenbus.h"


/* WATCH or UNWATCH the backend's state. */
static void watch(const struct xbfront *f, uint32_t type)
{
    static struct xenbus_msg m;
    static char buf[128];
    uint32_t n = (uint32_t)snprintf(buf, sizeof(buf), "%s/state", f->backend) + 1u;
    uint32_t t = (uint32_t)snprintf(buf + n, sizeof(buf) - n, "%s", f->node) + 1u;

    /* the token is our node: a second watch of the same device answers EEXIST, harmless */
    xenbus_call(type, 0, buf, n + t, &m);
}

/*
 * The n-th name (from 0) of a DIRECTORY reply: NUL-terminated names, one
 * after another, within the reply's length (the store's word, so every
 * name is looked for within it only). NULL when there are fewer.
 */
static const char *nth_name(const struct xenbus_msg *m, uint32_t n)
{
    /* xenbus_recv never takes a longer payload; a longer claim is no list */
    uint32_t at = 0, len = m->h.len <= XENSTORE_PAYLOAD_MAX ? m->h.len : 0u;

    while (at < len) {
        uint32_t k = at;
        while (k < len && m->body[k])
            k++;
        if (k == len || k == at)
            return NULL;                /* unterminated, or an empty name: not a list */
        if (n-- == 0)
            return &m->body[at];
        at = k + 1;
    }
    return NULL;
}

int xbfront_find(const char *kind, struct xbfront *f)
{
    return xbfront_find_nth(kind, 0, f);
}

int xbfront_find_nth(const char *kind, uint32_t n, struct xbfront *f)
{
    static struct xenbus_msg m;
    char dir[24], path[64], id[8];
    const char *name;
    uint32_t v = 0;
    int rc;

    memset(f, 0, sizeof(*f));
    if (xenbus_open())
        return -ENODEV;
    snprintf(dir, sizeof(dir), "device/%s", kind);
    rc = xenbus_call(XS_DIRECTORY, 0, dir, (uint32_t)strlen(dir) + 1u, &m);
    if (rc)
        return rc;
    /* DEV-35: the n-th name of the list, as Linux's xenbus probes each; none
     * (or an error reply): no such device */
    name = xenbus_errno(&m) ? NULL : nth_name(&m, n);
    if (!name || strlen(name) > 8)
        return -ENODEV;
    snprintf(f->node, sizeof(f->node), "%s/%s", dir, name);
    snprintf(path, sizeof(path), "%s/backend", f->node);
    rc = xenbus_read(0, path, f->backend, sizeof(f->backend));
    snprintf(path, sizeof(path), "%s/backend-id", f->node);
    if (rc >= 0)
        rc = xenbus_read(0, path, id, sizeof(id));
    if (rc < 0)
        return -ENODEV;
    for (rc = 0; id[rc] >= '0' && id[rc] <= '9' && v < 0x10000u; rc++)
        v = v * 10u + (uint32_t)(id[rc] - '0');
    if (rc == 0 || id[rc] || v >= DOMID_FIRST_RESERVED)
        return -EIO;
    f->backend_id = (domid_t)v;
    f->state = XenbusStateInitialising;
    /* as Linux's xenbus: one watch on the other end's state for the device's life */
    watch(f, XS_WATCH);
    return 0;
}

int xbfront_alloc_port(struct xbfront *f)
{
    return f->port ? 0 : evtchn_alloc_unbound_port(f->backend_id, &f->port);
}

void xbfront_free_port(struct xbfront *f)
{
    if (f->port)
        evtchn_close_port(f->port);
    f->port = 0;
}

int xbfront_write(const struct xbfront *f, const char *key, const char *value)
{
    char path[64];

    snprintf(path, sizeof(path), "%s/%s", f->node, key);
    return xenbus_write(0, path, value);
}

int xbfront_write_u32(const struct xbfront *f, const char *key, uint32_t value)
{
    char v[12];

    snprintf(v, sizeof(v), "%u", value);
    return xbfront_write(f, key, v);
}

int xbfront_switch(struct xbfront *f, uint32_t state)
{
    int rc = xbfront_write_u32(f, "state", state);

    if (!rc)
        f->state = state;
    return rc;
}

static int backend_key(const struct xbfront *f, const char *key, char *buf, uint32_t max)
{
    char path[96];

    snprintf(path, sizeof(path), "%s/%s", f->backend, key);
    return xenbus_read(0, path, buf, max);
}

int xbfront_backend_u32(const struct xbfront *f, const char *key, uint32_t *out)
{
    char v[16];
    uint64_t x = 0;
    int n = backend_key(f, key, v, sizeof(v)), i;

    if (n < 0)
        return n;
    for (i = 0; i < n && v[i] >= '0' && v[i] <= '9'; i++)
        x = x * 10u + (uint32_t)(v[i] - '0');
    if (n == 0 || i != n || n > 10 || x > 0xFFFFFFFFu)
        return -EINVAL;
    *out = (uint32_t)x;
    return 0;
}

int xbfront_backend_state(const struct xbfront *f)
{
    uint32_t s;
    int rc = xbfront_backend_u32(f, "state", &s);

    return rc ? rc : (int)s;
}

int xbfront_wait(const struct xbfront *f, uint32_t want)
{
    static struct xenbus_msg ev;
    uint64_t end = pv_time_ns() + XBFRONT_WAIT_NS;
    int rc = -ETIMEDOUT;

    for (;;) {
        uint64_t now = pv_time_ns();
        int st = xbfront_backend_state(f);
        if (st == (int)want) {
            rc = 0;
            break;
        }
        if (want < XenbusStateClosing && st >= XenbusStateClosing) {
            rc = -ENOTCONN;
            break;
        }
        /* any event (ours or another) wakes us to look again */
        if (now >= end || xenbus_event(&ev, end - now) == -ETIMEDOUT)
            break;
    }
    return rc;
}
