/*
 * A xenstore client for guests: see xenbus.h.
 */
#include "xenbus.h"
#include "events.h"
#include "guest.h"
#include "pv/errno.h"
#include "pv/xs_errors.h"
#include "xs_ring.h"

/* a ring that stays full or silent this long: -ETIMEDOUT (dom0 may be busy building a guest) */
#define XENBUS_WAIT_NS 20000000000ull
#define XENBUS_KEPT    8u

extern char __virt_base[];

static struct xenstore_domain_interface *page;
static uint32_t port, next_req = 1;
static struct xenbus_msg kept[XENBUS_KEPT];
static uint32_t nkept;

int xenbus_open(void)
{
    const uint32_t *p2m = (const uint32_t *)(uintptr_t)start_info->mfn_list;
    uint32_t pfn;

    if (page)
        return 0;
    if (!start_info->store_evtchn)
        return -ENODEV;
    /* the page lies in the builder's initial mapping, at its pseudo-physical place */
    for (pfn = 0; pfn < start_info->nr_pages; pfn++)
        if (p2m[pfn] == start_info->store_mfn) {
            page = (struct xenstore_domain_interface *)(uintptr_t)(GPTR(__virt_base) +
                                                                   pfn * 4096u);
            port = start_info->store_evtchn;
            return 0;
        }
    return -ENODEV;
}

struct xenstore_domain_interface *xenbus_page(void)
{
    return page;
}

static int send_bytes(const void *buf, uint32_t len)
{
    const char *p = buf;

    while (len) {
        int32_t n = xs_ring_write(page, XS_RING_REQ, p, len);

        if (n < 0)
            return -EIO;
        if (n)
            evtchn_send_port(port);
        p += n;
        len -= (uint32_t)n;
        if (len && !n && events_wait(port, XENBUS_WAIT_NS))
            return -ETIMEDOUT;
    }
    return 0;
}

static int recv_bytes(void *buf, uint32_t len, uint64_t timeout_ns)
{
    char *p = buf;

    while (len) {
        int32_t n = xs_ring_read(page, XS_RING_RSP, p, len);

        if (n < 0)
            return -EIO;
        if (n) {
            evtchn_send_port(port);     /* room again for the daemon */
            p += n;
            len -= (uint32_t)n;
        } else if (events_wait(port, timeout_ns)) {
            return -ETIMEDOUT;
        }
    }
    return 0;
}

int xenbus_post(uint32_t type, uint32_t tx, const void *payload, uint32_t len,
                uint32_t *req_id)
{
    struct xsd_sockmsg h = { .type = type, .req_id = next_req++, .tx_id = tx, .len = len };
    int rc;

    if (!page)
        return -ENODEV;
    if (len > XENSTORE_PAYLOAD_MAX)
        return -E2BIG;
    rc = send_bytes(&h, sizeof(h));
    if (!rc)
        rc = send_bytes(payload, len);
    if (!rc && req_id)
        *req_id = h.req_id;
    return rc;
}

int xenbus_recv(struct xenbus_msg *m, uint64_t timeout_ns)
{
    int rc;

    if (!page)
        return -ENODEV;
    rc = recv_bytes(&m->h, sizeof(m->h), timeout_ns);
    if (rc)
        return rc;
    if (m->h.len > XENSTORE_PAYLOAD_MAX)
        return -EIO;                    /* XS-3 holds both ways */
    rc = recv_bytes(m->body, m->h.len, XENBUS_WAIT_NS);
    m->body[rc ? 0 : m->h.len] = '\0';
    return rc;
}

int xenbus_call(uint32_t type, uint32_t tx, const void *payload, uint32_t len,
                struct xenbus_msg *reply)
{
    uint32_t id;
    int rc = xenbus_post(type, tx, payload, len, &id);

    while (!rc) {
        rc = xenbus_recv(reply, XENBUS_WAIT_NS);
        if (rc)
            break;
        if (reply->h.type != XS_WATCH_EVENT)
            return reply->h.req_id == id ? 0 : -EIO;
        if (nkept < XENBUS_KEPT)
            kept[nkept++] = *reply;
    }
    return rc;
}

int xenbus_event(struct xenbus_msg *m, uint64_t timeout_ns)
{
    int rc;

    if (nkept) {
        *m = kept[0];
        memmove(&kept[0], &kept[1], (nkept - 1u) * sizeof(kept[0]));
        nkept--;
        return 0;
    }
    rc = xenbus_recv(m, timeout_ns);
    return rc ? rc : m->h.type == XS_WATCH_EVENT ? 0 : -EIO;
}

int xenbus_errno(const struct xenbus_msg *m)
{
    uint32_t i;

    if (m->h.type != XS_ERROR)
        return 0;
    for (i = 0; i < XS_ERRNO_NAMES; i++)
        if (!strcmp(m->body, xs_errno_names[i].name))
            return -xs_errno_names[i].err;
    return -EINVAL;
}

int xenbus_read(uint32_t tx, const char *path, char *buf, uint32_t max)
{
    static struct xenbus_msg m;
    int rc = xenbus_call(XS_READ, tx, path, (uint32_t)strlen(path) + 1u, &m);

    if (!rc)
        rc = xenbus_errno(&m);
    if (rc)
        return rc;
    if (m.h.len + 1u > max)
        return -E2BIG;
    memcpy(buf, m.body, m.h.len);
    buf[m.h.len] = '\0';
    return (int)m.h.len;
}

int xenbus_write(uint32_t tx, const char *path, const char *value)
{
    static struct xenbus_msg m;
    static char buf[XENSTORE_PAYLOAD_MAX];
    uint32_t lp = (uint32_t)strlen(path) + 1u, lv = (uint32_t)strlen(value);
    int rc;

    if (lp + lv > sizeof(buf))
        return -E2BIG;
    memcpy(buf, path, lp);
    memcpy(buf + lp, value, lv);
    rc = xenbus_call(XS_WRITE, tx, buf, lp + lv, &m);
    return rc ? rc : xenbus_errno(&m);
}
