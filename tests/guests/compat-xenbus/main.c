/*
 * Scenario: a guest that, like a kernel written for Xen, finds its
 * store, its disk, its network interface and its control requests
 * through the public protocol alone (spec/xen-compat.md, spec/xenstore.md,
 * spec/devices.md DEV-20..DEV-24), and checks Bulkhead's exact replies.
 *
 * It uses none of the runtime's store, xenbus, grant, ring or frontend
 * code: its own xenbus client speaks io/xs_wire.h over the ring of
 * start_info.store_mfn (found through the M2P) and store_evtchn, its own
 * grant table comes from GNTTABOP_query_size and setup_table, its own
 * block and network frontends follow Linux's and Mini-OS's handshakes
 * (cxb.h lists the files). The runtime only boots it, prints and makes
 * the hypercalls.
 *
 * The store (XS-1, XS-2, XS-4, XS-8, XS-9, XS-12): RESET_WATCHES, as
 * Linux sends it at boot where control/platform-feature-xs_reset_watches
 * says so, is "OK"; GET_DOMAIN_PATH is
 * /local/domain/<domid> with its NUL; READ of our name is the bare
 * value; READ of a missing node is an XS_ERROR "ENOENT" and a NUL; WRITE
 * into dom0's home is "EACCES"; a WATCH answers "OK" and fires once at
 * once with the path as registered (relative), again once per change, a
 * duplicate is "EEXIST", an UNWATCH of a removed watch "ENOENT"; a
 * transaction's write is invisible outside it until TRANSACTION_END "T";
 * every reply echoes req_id and tx_id. The builder's grant entries 0 and
 * 1 give dom0 the console and store pages (GNTTAB_RESERVED_CONSOLE,
 * _XENSTORE); the grant table grows to a second frame as Linux's
 * gnttab_expand asks (GNT-16, GNT-17).
 *
 * Devices (DEV-21..DEV-23): the block device connects, a pattern is
 * written and read back (also one sector into the middle of a page), a
 * read past the disk, a write across its end and sector 2^64-1 get
 * BLKIF_RSP_ERROR, an unknown operation BLKIF_RSP_EOPNOTSUPP, and the
 * device keeps serving; the network interface connects and trades
 * frames with a second instance of this guest over dom0's bridge (net.c;
 * two carry Linux netfront's checksum hints and must arrive with Xen
 * netback's receive flags, DEV-7), a 13-byte frame gets NETIF_RSP_ERROR.
 *
 * Control (DEV-24, DOM0-6): it watches control/shutdown as Linux's
 * shutdown watcher does and writes control/feature-poweroff; when dom0's
 * `shutdown` writes "poweroff" it reads and clears the node in one
 * transaction, closes both devices (Closing, Closed, each followed by the
 * backend; the rings' grants are free afterwards; the disk is made
 * Initialising again and the backend says InitWait, as Mini-OS leaves
 * it) and stops with SCHEDOP_shutdown poweroff.
 *
 * Command line: `a` or `b` (the side of the frame exchange), then
 * peer=<the other's MAC> and sectors=<the disk's size>.
 */
#include "cxb.h"
#include "pv/errno.h"

static struct xs_msg r;
static char home[40];
static uint32_t domid;

static bool reply_is(uint32_t type, const char *body, uint32_t len)
{
    return r.h.type == type && r.h.len == len && !memcmp(r.body, body, len);
}

/* Path, NUL, then rest (len bytes, NULs included). */
static int request(uint32_t type, uint32_t tx, const char *path, const char *rest, uint32_t len)
{
    static char buf[256];
    uint32_t lp = (uint32_t)strlen(path) + 1;

    memcpy(buf, path, lp);
    memcpy(buf + lp, rest, len);
    return xsc_raw(type, tx, buf, lp + len, &r);
}

static void expect(const char *what, uint32_t type, const char *body, uint32_t len)
{
    test_check(what, reply_is(type, body, len));
    if (!reply_is(type, body, len))
        gprintf("  got type %u, %u bytes: '%s'\n", r.h.type, r.h.len, r.body);
}

static void pump_until(int token, uint32_t events)
{
    uint64_t deadline = cx_now() + CXB_WAIT_NS;

    while (xsc_events(token) < events && !xsc_pump(deadline))
        ;
}

/* Linux's xs_reset_watches at boot: only where the toolstack says the store has it. */
static void reset_watches(void)
{
    CHECK_RC("XS-12 control/platform-feature-xs_reset_watches is 1",
             xsc_read_u32("control/platform-feature-xs_reset_watches", 0), 1);
    xsc_raw(XS_RESET_WATCHES, 0, "", 1, &r);
    expect("XS-1 RESET_WATCHES: OK", XS_RESET_WATCHES, "OK", 3);
}

static void identity(void)
{
    char want[16];

    domid = xsc_read_u32("domid", 0);
    test_check("XS-12 domid is ours, not dom0", domid != 0);
    snprintf(home, sizeof(home), "/local/domain/%u", domid);
    snprintf(want, sizeof(want), "%u", domid);
    request(XS_GET_DOMAIN_PATH, 0, want, "", 0);
    expect("XS-1 GET_DOMAIN_PATH: /local/domain/<domid> and a NUL", XS_GET_DOMAIN_PATH, home,
           (uint32_t)strlen(home) + 1);
    snprintf(want, sizeof(want), "cx%c", start_info->cmd_line[0]);
    request(XS_READ, 0, "name", "", 0);
    expect("XS-1 READ name: the bare value, no NUL", XS_READ, want, 3);
}

static void errors(void)
{
    request(XS_READ, 0, "data/compat-none", "", 0);
    expect("XS-2 READ of a missing node: XS_ERROR \"ENOENT\"", XS_ERROR, "ENOENT", 7);
    request(XS_WRITE, 0, "/local/domain/0/data/compat", "x", 1);
    expect("XS-4 WRITE into dom0's home: XS_ERROR \"EACCES\"", XS_ERROR, "EACCES", 7);
    request(XS_WRITE, 0, "data/compat", "hello", 5);
    expect("XS-1 WRITE into our data/: OK", XS_WRITE, "OK", 3);
    request(XS_READ, 0, "data/compat", "", 0);
    expect("XS-1 ... reads back as written", XS_READ, "hello", 5);
}

static void watches(void)
{
    int t = xsc_token("cw");

    request(XS_WATCH, 0, "data/compat", "cw", 3);
    expect("XS-8 WATCH: OK", XS_WATCH, "OK", 3);
    pump_until(t, 1);
    CHECK_RC("XS-8 ... fires at once", xsc_events(t), 1);
    test_check("XS-8 ... with the path as registered", !strcmp(xsc_last_path(t), "data/compat"));
    request(XS_READ, 0, "data/compat", "", 0);
    CHECK_RC("XS-8 ... once", xsc_events(t), 1);
    request(XS_WATCH, 0, "data/compat", "cw", 3);
    expect("XS-8 the same WATCH again: XS_ERROR \"EEXIST\"", XS_ERROR, "EEXIST", 7);
    request(XS_WRITE, 0, "data/compat", "again", 5);
    pump_until(t, 2);
    request(XS_READ, 0, "data/compat", "", 0);
    CHECK_RC("XS-8 a change fires it once more", xsc_events(t), 2);
    request(XS_UNWATCH, 0, "data/compat", "cw", 3);
    expect("XS-8 UNWATCH: OK", XS_UNWATCH, "OK", 3);
    request(XS_UNWATCH, 0, "data/compat", "cw", 3);
    expect("XS-8 UNWATCH again: XS_ERROR \"ENOENT\"", XS_ERROR, "ENOENT", 7);
}

static void transaction(void)
{
    uint32_t tx = 0;
    char v[8];

    CHECK_RC("XS-9 TRANSACTION_START", xsc_tx_start(&tx), 0);
    request(XS_WRITE, tx, "data/compat-tx", "1", 1);
    expect("XS-9 WRITE inside it: OK", XS_WRITE, "OK", 3);
    CHECK_RC("XS-9 ... not seen outside it", xsc_read(0, "data/compat-tx", v, sizeof(v)), -ENOENT);
    CHECK_RC("XS-9 TRANSACTION_END T", xsc_tx_end(tx, true), 0);
    CHECK_RC("XS-9 ... now it is", xsc_read(0, "data/compat-tx", v, sizeof(v)), 1);
}

/* The builder's reserved entries (GNTTAB_RESERVED_CONSOLE, _XENSTORE), as libxl seeds them. */
static void reserved_grants(void)
{
    const volatile struct grant_entry_v1 *c = cx_grant_entry(GNTTAB_RESERVED_CONSOLE),
                                         *s = cx_grant_entry(GNTTAB_RESERVED_XENSTORE);

    test_check("DEV-1 grant 0: the console page, for dom0",
               (c->flags & GTF_type_mask) == GTF_permit_access && c->domid == 0 &&
               c->frame == start_info->console.domU.mfn);
    test_check("DEV-1 grant 1: the store page, for dom0",
               (s->flags & GTF_type_mask) == GTF_permit_access && s->domid == 0 &&
               s->frame == start_info->store_mfn);
}

static bool has_name(const char *list, uint32_t len, const char *name)
{
    uint32_t i;

    for (i = 0; i < len; i += (uint32_t)strlen(list + i) + 1)
        if (!strcmp(list + i, name))
            return true;
    return false;
}

static void store_checks(void)
{
    char list[128];
    int n;

    reset_watches();
    identity();
    errors();
    watches();
    transaction();
    n = xsc_directory("device", list, sizeof(list));
    test_check("XS-1 DIRECTORY device: names, each with its NUL (vbd and vif among them)",
               n > 0 && list[n - 1] == '\0' && has_name(list, (uint32_t)n, "vbd") &&
               has_name(list, (uint32_t)n, "vif"));
    reserved_grants();
    gprintf("compat-xenbus: store at %s answers as Xen's\n", home);
}

/* ---- control/shutdown, as Linux's drivers/xen/manage.c ------------------ */

static int ctl;

static void control_watch(void)
{
    char v[16];

    ctl = xsc_token("control");
    CHECK_RC("DEV-24 WATCH control/shutdown", xsc_watch("control/shutdown", "control"), 0);
    CHECK_RC("DEV-24 control/feature-poweroff", xsc_write(0, "control/feature-poweroff", "1"), 0);
    CHECK_RC("DEV-24 control/feature-reboot", xsc_write(0, "control/feature-reboot", "1"), 0);
    pump_until(ctl, 1);
    CHECK_RC("DEV-24 ... the watch fired at once", xsc_events(ctl), 1);
    CHECK_RC("DEV-24 ... control/shutdown holds no request yet",
             xsc_read(0, "control/shutdown", v, sizeof(v)), 0);
}

/* Read the request and clear it in one transaction: true on "poweroff". */
static bool take_request(void)
{
    char v[16];
    uint32_t tx = 0;
    int tries;

    for (tries = 0; tries < 5; tries++) {
        int n, rc;

        if (xsc_tx_start(&tx))
            return false;
        n = xsc_read(tx, "control/shutdown", v, sizeof(v));
        if (n <= 0) {               /* no request (or none readable): nothing to acknowledge */
            xsc_tx_end(tx, false);
            return false;
        }
        if (strcmp(v, "poweroff")) {
            gprintf("compat-xenbus: ignoring control/shutdown '%s'\n", v);
            xsc_tx_end(tx, false);
            return false;
        }
        rc = xsc_write(tx, "control/shutdown", "");
        if (!rc)
            rc = xsc_tx_end(tx, true);
        if (rc != -EAGAIN)
            return rc == 0;
    }
    return false;
}

static void control_serve(void)
{
    uint64_t deadline = cx_now() + 120000ull * CXB_NS_PER_MS;
    char v[16];

    gprintf("compat-xenbus: ready, waiting for control/shutdown\n");
    for (;;) {
        uint32_t seen = xsc_events(ctl);
        if (take_request())
            break;
        while (xsc_events(ctl) == seen)
            if (xsc_pump(deadline)) {
                test_check("DEV-24 a poweroff request came", 0);
                return;
            }
    }
    gprintf("compat-xenbus: poweroff requested\n");
    CHECK_RC("DEV-24 the request is acknowledged: control/shutdown is empty",
             xsc_read(0, "control/shutdown", v, sizeof(v)), 0);
}

int guest_main(struct start_info *si)
{
    const char *p = strstr(si->cmd_line, "peer=");
    uint8_t peer[6];
    char role = si->cmd_line[0];

    gprintf("compat-xenbus: side %c, the public protocol only\n", role);
    if ((role != 'a' && role != 'b') || !p || !net_parse_mac(p + 5, peer))
        guest_panic("compat-xenbus: command line: a|b peer=<mac> sectors=<n>");
    if (cx_base_init() || xsc_init())
        test_finish();
    store_checks();
    control_watch();
    blk_run();
    net_run(role, peer);
    control_serve();
    blk_close();
    net_close();
    test_finish();
}
