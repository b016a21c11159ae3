/*
 * The builder's part of the split devices (spec/devices.md): while the
 * new guest is still paused, give it a grant table whose refs 0 and 1
 * offer its console and store pages to dom0 (as Xen's toolstack does),
 * and an event channel for each, unbound and waiting for dom0. The guest
 * learns both from start_info; its block and net frontends choose their
 * own refs and channels and publish them in the store (DEV-20..22).
 */
#include "dev_setup.h"
#include "foreign.h"
#include "guest.h"
#include "pv/errno.h"
#include "pv/event_channel.h"
#include "pv/grant_table.h"

static int setup_grant_table(domid_t id, uint32_t *mfn)
{
    struct gnttab_setup_table setup;
    int rc;

    memset(&setup, 0, sizeof(setup));
    setup.dom = id;
    setup.nr_frames = 1;
    setup.frame_list = GPTR(mfn);
    rc = hcall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, GPTR(&setup), 1);
    return rc ? rc : setup.status;
}

static int offer_boot_pages(domid_t id, uint32_t console_mfn, uint32_t store_mfn)
{
    struct grant_entry_v1 *table;
    uint32_t mfn = 0;
    int rc = setup_grant_table(id, &mfn);

    if (rc)
        return rc;
    table = foreign_map(id, mfn, &rc);
    if (!table)
        return rc;
    table[GNTTAB_RESERVED_CONSOLE].domid = 0;
    table[GNTTAB_RESERVED_CONSOLE].frame = console_mfn;
    table[GNTTAB_RESERVED_CONSOLE].flags = GTF_permit_access;
    table[GNTTAB_RESERVED_XENSTORE].domid = 0;
    table[GNTTAB_RESERVED_XENSTORE].frame = store_mfn;
    table[GNTTAB_RESERVED_XENSTORE].flags = GTF_permit_access;
    foreign_unmap(table);
    return 0;
}

static int port_for_dom0(domid_t id, uint32_t *port)
{
    struct evtchn_alloc_unbound a = { id, 0, 0 };
    int rc = hcall2(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, GPTR(&a));

    if (!rc)
        *port = a.port;
    return rc;
}

int dev_setup(domid_t id, uint32_t console_mfn, uint32_t store_mfn, struct dev_ports *ports,
              const char **why)
{
    int rc;

    memset(ports, 0, sizeof(*ports));
    ports->console_mfn = console_mfn;
    ports->store_mfn = store_mfn;
    rc = offer_boot_pages(id, console_mfn, store_mfn);
    if (rc) {
        *why = "cannot set up the guest's grant table";
        return rc;
    }
    rc = port_for_dom0(id, &ports->console);
    if (!rc)
        rc = port_for_dom0(id, &ports->store);     /* XS-10: start_info.store_evtchn */
    if (rc)
        *why = "cannot allocate the guest's console and store event channels";
    return rc;
}
