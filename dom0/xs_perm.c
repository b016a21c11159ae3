/*
 * Xenstore node permissions, as Xen's (XS-4). A node's list is "owner and
 * default" first, then per-domain entries: the owner may do everything
 * (read, write, change the permissions); a domain named in a later entry
 * gets exactly that entry's access; any other domain gets the first
 * entry's access. A privileged connection (dom0) may do everything on
 * every node. On the wire an entry is one letter (r read, w write, b
 * both, n none) and the domain id in decimal.
 */
#include "xs_impl.h"

uint32_t xs_perm_for(const struct xs_conn *cn, const struct xs_perm *p, uint32_t n)
{
    uint32_t i;

    if (cn->priv || p[0].domid == cn->domid)
        return XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER;
    for (i = 1; i < n; i++)
        if (p[i].domid == cn->domid)
            return p[i].perm;
    return p[0].perm;
}

int xs_perm_parse(const char *str, uint32_t len, struct xs_perm *out)
{
    uint32_t i, id = 0;

    switch (len ? str[0] : 0) {
    case 'n': out->perm = XS_PERM_NONE; break;
    case 'r': out->perm = XS_PERM_READ; break;
    case 'w': out->perm = XS_PERM_WRITE; break;
    case 'b': out->perm = XS_PERM_READ | XS_PERM_WRITE; break;
    default: return EINVAL;
    }
    if (len < 2u || len > 6u)           /* a letter and 1..5 digits */
        return EINVAL;
    for (i = 1; i < len; i++) {
        if (str[i] < '0' || str[i] > '9')
            return EINVAL;
        id = id * 10u + (uint32_t)(str[i] - '0');
    }
    if (id > 0xFFFFu)
        return EINVAL;
    out->domid = (uint16_t)id;
    out->pad = 0;
    return 0;
}

uint32_t xs_perm_format(const struct xs_perm *p, char *out)
{
    static const char letter[4] = { 'n', 'r', 'w', 'b' };
    char digits[5];
    uint32_t n = 0, id = p->domid, len = 0;

    out[len++] = letter[p->perm & 3u];
    do {
        digits[n++] = (char)('0' + id % 10u);
        id /= 10u;
    } while (id);
    while (n)
        out[len++] = digits[--n];
    out[len++] = '\0';
    return len;
}
