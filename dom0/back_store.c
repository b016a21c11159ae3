/*
 * The store backend (spec/xenstore.md XS-10): each guest's xenstore ring
 * (its store page and the store event channel of its start_info) served
 * against dom0's store. The page is mapped by frame while the guest is
 * still paused, as Xen's toolstack maps it, not by grant: the hypervisor's
 * 1024 grant maps per grantee are the other rings' (DEV-18), and the
 * window has room for this fifth page of every guest. A guest that breaks the
 * protocol loses its connection (its watches and transactions go, XS-11)
 * and is logged once; the store and every other guest carry on.
 */
#include "backend_dev.h"
#include "events.h"
#include "foreign.h"
#include "guest.h"
#include "pv/errno.h"
#include "xsd.h"

int store_back_attach(struct guest_devs *g, uint32_t guest_port, uint32_t store_mfn,
                      uint32_t mem_kib)
{
    struct store_back *st = &g->store;
    int rc = 0;

    st->conn = -1;
    st->intf = foreign_map(g->id, store_mfn, &rc);
    if (st->intf)
        rc = evtchn_bind_interdomain_port(g->id, guest_port, &st->port);
    if (!rc) {
        xs_link_init(&st->link, st->intf);
        st->conn = xsd_introduce(g->id, g->name, mem_kib);
        rc = st->conn < 0 ? st->conn : 0;
        st->introduced = st->conn >= 0;
    }
    return rc;
}

void store_back_detach(struct guest_devs *g)
{
    struct store_back *st = &g->store;

    if (st->introduced)
        xsd_release(g->id, st->conn);
    st->introduced = false;
    st->conn = -1;
    if (st->port)
        evtchn_close_port(st->port);
    st->port = 0;
    if (st->intf)
        foreign_unmap(st->intf);
    st->intf = NULL;
}

uint32_t store_back_poll(struct guest_devs *g)
{
    struct store_back *st = &g->store;
    enum xs_link_result r;

    /* DEV-14: consume the kick before looking, so a later one is a new event */
    if (st->port)
        events_test_and_clear(st->port);
    if (!st->intf || st->conn < 0 || st->broken)
        return 0;
    r = xs_link_serve(xsd_store(), (uint32_t)st->conn, &st->link, st->intf);
    if (r == XS_LINK_BROKEN) {
        st->broken = true;
        backend_log("dom0: xenstore of domain %u: %s; disconnected\n", g->id,
                    st->link.error == XENSTORE_ERROR_PROTO ? "malformed message"
                                                           : "impossible ring indices");
        st->dropped = store_back_dropped(g);
        xs_conn_close(xsd_store(), (uint32_t)st->conn);     /* XS-11; its directory stays */
        st->conn = -1;
        return 0;
    }
    if (r == XS_LINK_MOVED) {
        st->moved++;
        evtchn_send_port(st->port);
        return 1;
    }
    return 0;
}

uint32_t store_back_dropped(const struct guest_devs *g)
{
    const struct store_back *st = &g->store;

    return st->conn >= 0 ? xsd_store()->conn[st->conn].dropped_events : st->dropped;
}
