/*
 * A domain's end in the xenstore (XS-11). Permissions name domains by
 * id, and ids are reused: so when a domain is gone, no node may keep
 * granting it anything, or the next domain given that id would inherit
 * its access (Xen's XSA-322). Every node it owned becomes dom0's, every
 * entry naming it goes, in the committed store and in every open
 * transaction's copies (a commit must not bring them back), and what it
 * was charged for is charged to dom0, so its successor starts with a
 * clean account.
 */
#include "xs_impl.h"

/* Drop the entries naming domid (after the first); make dom0 the owner if it was. */
static void forget_in(struct xs_perm *p, uint8_t *n, uint16_t domid)
{
    uint32_t i, k = 1;

    if (*n == 0)
        return;
    for (i = 1; i < *n; i++)
        if (p[i].domid != domid)
            p[k++] = p[i];
    memset(&p[k], 0, (XS_PERMS_MAX - k) * sizeof(p[0]));
    *n = (uint8_t)k;
    if (p[0].domid == domid)
        p[0].domid = 0;
}

static void move_charge(struct xs_store *s, uint16_t *charged, uint32_t off, uint32_t len,
                        uint16_t domid)
{
    uint32_t bytes = xs_heap_units(len) * XS_HEAP_UNIT;

    if (*charged != domid || off == XS_NONE || len == 0)
        return;
    s->acct[domid].mem -= bytes;
    s->acct[0].mem += bytes;
    *charged = 0;
}

void xs_domain_gone(struct xs_store *s, uint16_t domid)
{
    uint32_t r;

    if (domid == 0)
        return;
    for (r = 0; r < XS_NODES; r++) {
        struct xs_node *n = &s->node[r];

        if (!n->used)
            continue;
        if (n->tx == 0 && n->nperms && n->perms[0].domid == domid) {
            s->acct[domid].nodes--;
            s->acct[0].nodes++;
        }
        forget_in(n->perms, &n->nperms, domid);
        forget_in(n->old_perms, &n->old_nperms, domid);
        move_charge(s, &n->charged, n->path, n->path_len + 1u, domid);
        move_charge(s, &n->data_charged, n->data, n->data_len, domid);
    }
}
