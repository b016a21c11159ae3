/*
 * dom0's xenstore daemon: see xsd.h. The toolstack's writes go through
 * dom0's own connection as wire requests, so they obey exactly the rules
 * a guest's do (and fire the same watches).
 */
#include "xsd.h"
#include "guest.h"
#include "pv/errno.h"

static struct xs_store store;
static int tools = -1;                  /* dom0's connection */
static void (*event_handler)(const char *path, const char *token);
static uint32_t dropped_seen;
static uint8_t reply[XS_MSG_MAX + 1];   /* the payload of the last reply to dom0 */
static uint32_t reply_len;

struct xs_store *xsd_store(void)
{
    if (tools < 0) {
        xs_init(&store);
        tools = xs_conn_open(&store, 0, true);
    }
    return &store;
}

void xsd_set_event_handler(void (*fn)(const char *path, const char *token))
{
    event_handler = fn;
}

/* One watch event from dom0's queue (path\0token\0) to the handler. */
static void deliver(const uint8_t *body, uint32_t len)
{
    const char *path = (const char *)body, *token;
    uint32_t plen = (uint32_t)strnlen(path, len);

    if (plen + 1u >= len || !event_handler)
        return;
    token = path + plen + 1u;
    if (strnlen(token, len - plen - 1u) == len - plen - 1u)
        return;                         /* not terminated: not one of ours */
    event_handler(path, token);
}

/*
 * Take every message queued for dom0: events go to the handler, the reply
 * (if want_reply) says whether the request was refused. Returns -EIO for
 * a refused request, else 0.
 */
static int drain(bool want_reply)
{
    static uint8_t msg[XS_MSG_MAX + 1];
    struct xsd_sockmsg h;
    bool refused = false;

    while (xs_out_take(&store, (uint32_t)tools, (uint8_t *)&h, sizeof(h)) == sizeof(h)) {
        uint32_t n = h.len <= XS_MSG_MAX ? h.len : XS_MSG_MAX;
        xs_out_take(&store, (uint32_t)tools, msg, n);
        msg[n] = 0;
        if (h.type == XS_WATCH_EVENT) {
            deliver(msg, n);
        } else if (want_reply) {
            refused = h.type == XS_ERROR;
            memcpy(reply, msg, n);
            reply_len = n;
        }
    }
    if (store.conn[tools].dropped_events != dropped_seen) {
        dropped_seen = store.conn[tools].dropped_events;
        if (event_handler)
            event_handler(NULL, NULL);
    }
    return refused ? -EIO : 0;
}

void xsd_pump(void)
{
    xsd_store();
    drain(false);
}

/* One request on dom0's connection; 0 or -EIO if the store refused it. */
static int tool_request(uint32_t type, const char *payload, uint32_t len)
{
    static uint8_t msg[XS_MSG_MAX];
    struct xsd_sockmsg h = { .type = type, .len = len };

    xsd_store();
    if (len > XENSTORE_PAYLOAD_MAX)
        return -EINVAL;
    memcpy(msg, &h, sizeof(h));
    memcpy(msg + sizeof(h), payload, len);
    if (xs_request(&store, (uint32_t)tools, msg, (uint32_t)sizeof(h) + len) != XS_OK)
        return -EIO;
    return drain(true);
}

/* Two strings, each with its NUL, as one payload. */
static int tool_pair(uint32_t type, const char *a, const char *b, bool b_nul)
{
    static char buf[XENSTORE_PAYLOAD_MAX];
    uint32_t la = (uint32_t)strlen(a) + 1u, lb = (uint32_t)strlen(b) + (b_nul ? 1u : 0u);

    if (la + lb > sizeof(buf))
        return -EINVAL;
    memcpy(buf, a, la);
    memcpy(buf + la, b, lb);
    return tool_request(type, buf, la + lb);
}

int xsd_node(const char *path, const char *value, int owner, int reader)
{
    static char buf[XENSTORE_PAYLOAD_MAX];
    uint32_t lp = (uint32_t)strlen(path) + 1u, n;
    int rc;

    rc = value ? tool_pair(XS_WRITE, path, value, false) : tool_request(XS_MKDIR, path, lp);
    if (rc || owner < 0)
        return rc;
    if (lp + 16u > sizeof(buf))
        return -EINVAL;
    /* SET_PERMS: the path, then each entry with its NUL */
    memcpy(buf, path, lp);
    n = lp + (uint32_t)snprintf(buf + lp, 8u, "n%d", owner) + 1u;
    if (reader >= 0)
        n += (uint32_t)snprintf(buf + n, 8u, "r%d", reader) + 1u;
    return tool_request(XS_SET_PERMS, buf, n);
}

int xsd_rm(const char *path)
{
    return tool_request(XS_RM, path, (uint32_t)strlen(path) + 1u);
}

int xsd_watch(const char *path, const char *token)
{
    return tool_pair(XS_WATCH, path, token, true);
}

int xsd_unwatch(const char *path, const char *token)
{
    return tool_pair(XS_UNWATCH, path, token, true);
}

int xsd_read(const char *path, char *buf, uint32_t max)
{
    int n = xs_peek(xsd_store(), path, buf, max ? max - 1u : 0, NULL);

    if (n < 0)
        return n;
    if ((uint32_t)n + 1u > max)
        return -E2BIG;
    buf[n] = '\0';
    return n;
}

int xsd_introduce(domid_t id, const char *name, uint32_t mem_kib)
{
    /* XS-12: as Xen's toolstack (libxl__domain_make, libxl__build_post):
     * the directory and cpu/, memory/, device/, control/ are dom0's and
     * readable by the guest; what the guest may write is its own */
    static const char *const ro_dirs[] = { "cpu", "memory", "device", "control" };
    static const char *const owned[] = { "control/shutdown", "control/feature-poweroff",
                                         "control/feature-reboot", "control/feature-suspend",
                                         "control/sysrq", "device/suspend/event-channel",
                                         "data", "drivers", "feature", "attr", "error" };
    char path[80], value[16];
    uint32_t i;
    int rc;

    xsd_store();
    snprintf(path, sizeof(path), "/local/domain/%u", id);
    rc = xsd_node(path, NULL, 0, id);
    for (i = 0; !rc && i < sizeof(ro_dirs) / sizeof(ro_dirs[0]); i++) {
        snprintf(path, sizeof(path), "/local/domain/%u/%s", id, ro_dirs[i]);
        rc = xsd_node(path, NULL, 0, id);
    }
    for (i = 0; !rc && i < sizeof(owned) / sizeof(owned[0]); i++) {
        snprintf(path, sizeof(path), "/local/domain/%u/%s", id, owned[i]);
        rc = xsd_node(path, NULL, id, -1);
    }
    /* the rest inherit the directory's permissions (n0 r<id>) */
    snprintf(path, sizeof(path), "/local/domain/%u/name", id);
    if (!rc)
        rc = xsd_node(path, name, -1, -1);
    snprintf(path, sizeof(path), "/local/domain/%u/domid", id);
    snprintf(value, sizeof(value), "%u", id);
    if (!rc)
        rc = xsd_node(path, value, -1, -1);
    snprintf(value, sizeof(value), "%u", mem_kib);
    snprintf(path, sizeof(path), "/local/domain/%u/memory/static-max", id);
    if (!rc)
        rc = xsd_node(path, value, -1, -1);
    snprintf(path, sizeof(path), "/local/domain/%u/memory/target", id);
    if (!rc)
        rc = xsd_node(path, value, -1, -1);
    snprintf(path, sizeof(path), "/local/domain/%u/control/platform-feature-multiprocessor-suspend", id);
    if (!rc)
        rc = xsd_node(path, "1", -1, -1);
    snprintf(path, sizeof(path), "/local/domain/%u/control/platform-feature-xs_reset_watches", id);
    if (!rc)
        rc = xsd_node(path, "1", -1, -1);
    if (rc) {
        xsd_release(id, -1);
        return rc;
    }
    rc = xs_conn_open(&store, id, false);
    if (rc >= 0)
        xs_fire_special(&store, "@introduceDomain");
    else
        xsd_release(id, -1);
    return rc;
}

/*
 * Remove path, then each parent left with no value and no children, as
 * libxl's libxl__xs_path_cleanup, so a destroyed guest leaves not even
 * an empty directory behind (DEV-20).
 */
static void rm_and_empty_parents(char *path)
{
    uint32_t len = (uint32_t)strlen(path);

    xsd_rm(path);
    for (;;) {
        char value[2];
        while (len > 0 && path[len - 1u] != '/')
            len--;
        if (len <= 1u)
            return;             /* up to the root, which stays */
        path[--len] = '\0';
        if (xsd_read(path, value, sizeof(value)) != 0)
            return;             /* a value, or gone */
        if (tool_request(XS_DIRECTORY, path, (uint32_t)strlen(path) + 1u) || reply_len)
            return;             /* children */
        xsd_rm(path);
    }
}

void xsd_release(domid_t id, int c)
{
    static const char *const kinds[] = { "console", "vbd", "vif" };
    char path[48];
    uint32_t i;

    xsd_store();
    if (c >= 0)
        xs_conn_close(&store, (uint32_t)c);
    snprintf(path, sizeof(path), "/local/domain/%u", id);
    rm_and_empty_parents(path);
    /* DEV-20: its devices' backend directories go with it (libxl removes each) */
    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        snprintf(path, sizeof(path), "/local/domain/0/backend/%s/%u", kinds[i], id);
        rm_and_empty_parents(path);
    }
    xs_domain_gone(&store, id);
    xs_fire_special(&store, "@releaseDomain");
    drain(false);
}
