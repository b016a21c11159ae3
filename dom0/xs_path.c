/*
 * Xenstore path rules, as Xen's C xenstored applies them (XS-5): a path
 * is absolute ("/..."), or relative to the connection's home
 * "/local/domain/<id>"; names beginning with '@' are the special watch
 * paths. A valid path has only the characters A-Z a-z 0-9 - / _ @, does
 * not end in '/' (but "/" itself), has no "//", is at most
 * XENSTORE_ABS_PATH_MAX bytes, and for a guest at most quota.path_len
 * bytes below "/local/domain/<id>/" (any id, as Xen counts it).
 */
#include "xs_impl.h"

static bool valid_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '/' || ch == '_' || ch == '@';
}

/* Bytes of a leading "/local/domain/<1-5 digits>/", else 0 (Xen's local offset). */
static uint32_t local_offset(const char *path, uint32_t len)
{
    static const char prefix[] = "/local/domain/";
    uint32_t i = sizeof(prefix) - 1u, digits = 0;

    if (len < i || memcmp(path, prefix, i))
        return 0;
    while (i < len && path[i] >= '0' && path[i] <= '9' && digits < 5u) {
        i++;
        digits++;
    }
    if (digits == 0 || i >= len || path[i] != '/')
        return 0;
    return i + 1u;
}

bool xs_path_valid(const struct xs_conn *cn, const struct xs_quota *q, const char *path,
                   uint32_t len, bool allow_special)
{
    uint32_t i;

    if (len == 0 || (path[0] != '/' && (!allow_special || path[0] != '@')))
        return false;
    if (len > 1u && path[len - 1u] == '/')      /* no trailing '/', but "/" */
        return false;
    if (len > XENSTORE_ABS_PATH_MAX)
        return false;
    if (!cn->priv && len - local_offset(path, len) > q->path_len)
        return false;
    for (i = 0; i < len; i++) {
        if (!valid_char(path[i]))
            return false;
        if (i > 0 && path[i] == '/' && path[i - 1u] == '/')
            return false;
    }
    return true;
}

int xs_canonical(const struct xs_conn *cn, const char *in, uint32_t in_len, char *out,
                 uint32_t *out_len)
{
    uint32_t n = 0;

    if (in_len == 0 || (in[0] != '/' && in[0] != '@')) {
        if (cn->home_len + 1u + in_len >= XS_PATH_BUF)
            return EINVAL;
        memcpy(out, cn->home, cn->home_len);
        out[cn->home_len] = '/';
        n = cn->home_len + 1u;
    } else if (in_len >= XS_PATH_BUF) {
        return EINVAL;
    }
    memcpy(out + n, in, in_len);
    n += in_len;
    out[n] = '\0';
    *out_len = n;
    return 0;
}

uint32_t xs_path_hash(const char *path, uint32_t len)
{
    uint32_t h = 2166136261u, i;

    for (i = 0; i < len; i++)
        h = (h ^ (uint8_t)path[i]) * 16777619u;
    return h;
}

uint32_t xs_parent_len(const char *path, uint32_t len)
{
    uint32_t i;

    for (i = len; i > 1u; i--)
        if (path[i - 1u] == '/')
            return i - 1u;
    return 1u;                  /* "/a" and "/": the root */
}

bool xs_is_child(const char *child, uint32_t clen, const char *parent, uint32_t plen)
{
    if (plen == 1u && parent[0] == '/')
        return child[0] == '/';
    if (clen < plen || memcmp(child, parent, plen))
        return false;
    return clen == plen || child[plen] == '/';
}
