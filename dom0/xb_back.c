/*
 * The backend's end of the xenbus handshake: see xb_back.h. Decisions
 * are xb_state.c's; this file reads and writes the store.
 */
#include "xb_back.h"
#include "guest.h"
#include "pv/errno.h"
#include "xsd.h"

static void key_path(char *out, uint32_t len, const char *dir, const char *key)
{
    snprintf(out, len, "%s/%s", dir, key);
}

int xb_back_start(struct xb_back *x, domid_t id, const char *kind, uint32_t devid,
                  uint32_t slot, uint32_t index, const struct xb_kv *features, uint32_t n)
{
    char path[XB_PATH_LEN + 24];
    uint32_t i;
    int rc = 0;

    memset(x, 0, sizeof(*x));
    xb_paths(id, kind, devid, x->fe, x->be);
    snprintf(x->token, sizeof(x->token), "%s:%u:%u", kind, slot, index);
    x->state = XenbusStateInitialising;
    x->last_fe = XenbusStateInitialising;
    for (i = 0; !rc && i < n; i++)
        rc = xb_back_write(x, features[i].key, features[i].value);
    if (!rc)
        xb_back_switch(x, XenbusStateInitWait);
    key_path(path, sizeof(path), x->fe, "state");
    if (!rc)
        rc = xsd_watch(path, x->token);
    x->watching = !rc;
    return rc;
}

void xb_back_stop(struct xb_back *x)
{
    char path[XB_PATH_LEN + 8];

    if (!x->watching)
        return;
    key_path(path, sizeof(path), x->fe, "state");
    xsd_unwatch(path, x->token);
    x->watching = false;
}

bool xb_back_take(struct xb_back *x, struct xb_step *st)
{
    char val[16];
    int n;

    if (!x->dirty)
        return false;
    x->dirty = false;
    n = xb_back_read(x, "state", val, sizeof(val));
    x->last_fe = xb_fe_state(n >= 0, val, n >= 0 ? (uint32_t)n : 0);
    *st = xb_backend_step(x->state, x->last_fe);
    return st->action != XB_NONE || st->next != x->state;
}

void xb_back_switch(struct xb_back *x, uint32_t state)
{
    if (!xb_back_write_u32(x, "state", state))
        x->state = state;
}

int xb_back_read(const struct xb_back *x, const char *key, char *buf, uint32_t max)
{
    char path[XB_PATH_LEN + 24];

    key_path(path, sizeof(path), x->fe, key);
    return xsd_read(path, buf, max);
}

int xb_back_read_u32(const struct xb_back *x, const char *key, uint32_t max, uint32_t *out)
{
    char val[24];
    int n = xb_back_read(x, key, val, sizeof(val));

    if (n == -ENOENT)
        return -ENOENT;
    if (n < 0 || !xb_parse_u32(val, (uint32_t)n, max, out))
        return -EINVAL;
    return 0;
}

int xb_back_write(const struct xb_back *x, const char *key, const char *value)
{
    char path[XB_PATH_LEN + 24];

    key_path(path, sizeof(path), x->be, key);
    return xsd_node(path, value, -1, -1);
}

int xb_back_write_u32(const struct xb_back *x, const char *key, uint32_t value)
{
    char v[12];

    snprintf(v, sizeof(v), "%u", value);
    return xb_back_write(x, key, v);
}
