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

struct xs_store *xsd_store(void)
{
    if (tools < 0) {
        xs_init(&store);
        tools = xs_conn_open(&store, 0, true);
    }
    return &store;
}

/* One request on dom0's connection; 0 or -EIO if the store refused it. */
static int tool_request(uint32_t type, const char *payload, uint32_t len)
{
    static uint8_t msg[XS_MSG_MAX];
    struct xsd_sockmsg h = { .type = type, .len = len };
    uint32_t pending;
    bool refused;

    xsd_store();
    if (len > XENSTORE_PAYLOAD_MAX)
        return -EINVAL;
    memcpy(msg, &h, sizeof(h));
    memcpy(msg + sizeof(h), payload, len);
    if (xs_request(&store, (uint32_t)tools, msg, (uint32_t)sizeof(h) + len) != XS_OK)
        return -EIO;
    /* the reply (and any events of dom0's watches): dom0's toolstack reads none of them */
    pending = xs_out_pending(&store, (uint32_t)tools);
    xs_out_take(&store, (uint32_t)tools, msg, pending < sizeof(msg) ? pending : sizeof(msg));
    memcpy(&h, msg, sizeof(h));
    refused = h.type == XS_ERROR;
    while (xs_out_take(&store, (uint32_t)tools, msg, sizeof(msg)))
        ;
    return refused ? -EIO : 0;
}

/* WRITE path = value, or MKDIR path when value is NULL; then its permissions. */
static int tool_node(const char *path, const char *value, const char *perms, uint32_t perms_len)
{
    static char buf[XENSTORE_PAYLOAD_MAX];
    uint32_t plen = (uint32_t)strlen(path) + 1u, vlen = value ? (uint32_t)strlen(value) : 0;
    int rc;

    if (plen + vlen + perms_len > sizeof(buf))
        return -EINVAL;
    memcpy(buf, path, plen);
    memcpy(buf + plen, value ? value : "", vlen);
    rc = tool_request(value ? XS_WRITE : XS_MKDIR, buf, plen + vlen);
    if (!rc) {
        memcpy(buf + plen, perms, perms_len);
        rc = tool_request(XS_SET_PERMS, buf, plen + perms_len);
    }
    return rc;
}

int xsd_introduce(domid_t id, const char *name, uint32_t mem_kib)
{
    /* XS-12: as Xen's toolstack, the directory is dom0's and readable by the
     * guest; the guest owns the subdirectories it writes into */
    static const char *const owned[] = { "data", "device", "control/shutdown", "drivers",
                                         "feature", "attr", "error" };
    char path[64], value[16], ro[16], rw[8];
    uint32_t ro_len, rw_len, i;
    int rc;

    xsd_store();
    memcpy(ro, "n0", 3);
    ro_len = 3u + (uint32_t)snprintf(ro + 3, sizeof(ro) - 3u, "r%u", id) + 1u;
    rw_len = (uint32_t)snprintf(rw, sizeof(rw), "n%u", id) + 1u;
    snprintf(path, sizeof(path), "/local/domain/%u", id);
    rc = tool_node(path, NULL, ro, ro_len);
    snprintf(path, sizeof(path), "/local/domain/%u/name", id);
    if (!rc)
        rc = tool_node(path, name, ro, ro_len);
    snprintf(path, sizeof(path), "/local/domain/%u/domid", id);
    snprintf(value, sizeof(value), "%u", id);
    if (!rc)
        rc = tool_node(path, value, ro, ro_len);
    snprintf(path, sizeof(path), "/local/domain/%u/memory/target", id);
    snprintf(value, sizeof(value), "%u", mem_kib);
    if (!rc)
        rc = tool_node(path, value, ro, ro_len);
    for (i = 0; !rc && i < sizeof(owned) / sizeof(owned[0]); i++) {
        snprintf(path, sizeof(path), "/local/domain/%u/%s", id, owned[i]);
        rc = tool_node(path, NULL, rw, rw_len);
    }
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

void xsd_release(domid_t id, int c)
{
    char path[32];

    xsd_store();
    if (c >= 0)
        xs_conn_close(&store, (uint32_t)c);
    snprintf(path, sizeof(path), "/local/domain/%u", id);
    tool_request(XS_RM, path, (uint32_t)strlen(path) + 1u);
    xs_domain_gone(&store, id);
    xs_fire_special(&store, "@releaseDomain");
}
