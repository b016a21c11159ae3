/*
 * Hostile guest: inherit what another guest offered to a dead domain by
 * being created under its id (CTL-6, EVT-13, GNT-5; spec/domctl.md).
 *
 * Event channels and grants name their peer by domain id alone. When a
 * domain dies, a port another guest offered to it (or that was connected
 * to it) stays UNBOUND for its id (EVT-13, as Xen), and a grant entry
 * naming it stays in the granter's table until the granter revokes it. A
 * domain that is later created under the same id can bind that port and
 * copy through that grant. Xen makes this unreachable in practice by not
 * handing an id out again until the whole id space has gone round; so
 * must Bulkhead (it used to hand out the lowest free id, so the very next
 * domain inherited everything).
 *
 * One image, three roles (command line):
 *   sharer peer=<id>     offers port and grants to its peer: a read-only
 *                        secret page (ref SECRET_REF) and a writable canary
 *                        page (ref CANARY_REF); then watches both pages and
 *                        its port until destroyed, and reports "intact"
 *   peer sharer=<id>     the legitimate peer: binds the port, waits until
 *                        the sharer has seen it bound, copies the secret,
 *                        shuts down; dom0 destroys it
 *   attacker sharer=<id> created after the peer is gone: it must not be
 *                        able to bind any of the sharer's ports, nor copy
 *                        from or into any of its grant refs
 */
#include "events.h"
#include "grants.h"
#include "pv/errno.h"
#include "pvtime.h"
#include "test.h"

#define SECRET_REF  100u
#define CANARY_REF  101u
#define MAX_PORT    32u
#define WORDS       1024u

static uint32_t secret[WORDS] __attribute__((aligned(4096)));
static uint32_t canary[WORDS] __attribute__((aligned(4096)));
static uint32_t copied[WORDS] __attribute__((aligned(4096)));
static struct gnttab_copy batch[GNTTAB_ENTRIES_PER_FRAME_V1];

static uint32_t secret_word(uint32_t i) { return 0x5EC2E700u ^ (i * 2654435761u); }
static uint32_t canary_word(uint32_t i) { return 0xCA4A2100u ^ (i * 40503u); }

static domid_t arg_id(const char *cmdline, const char *key)
{
    return (domid_t)test_cmdline_number(cmdline, key);
}

static int32_t port_status(domid_t dom, uint32_t port, struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = dom;
    st->port = port;
    return hcall2(__HYPERVISOR_event_channel_op, EVTCHNOP_status, GPTR(st));
}

/* Our own id, as the hypervisor reports it: the remote of a loopback port. */
static domid_t own_id(void)
{
    struct evtchn_status st;
    uint32_t port = 0;
    domid_t id;

    if (evtchn_alloc_unbound_port(DOMID_SELF, &port))
        return DOMID_SELF;
    port_status(DOMID_SELF, port, &st);
    id = st.u.unbound.dom;
    evtchn_close_port(port);
    return id;
}

/* One copy between grant `ref` of domain `dom` and our page `copied`. */
static void copy_op(struct gnttab_copy *op, domid_t dom, grant_ref_t ref, bool into_grant)
{
    struct gnttab_copy_ptr grant, mine;

    memset(op, 0, sizeof(*op));
    grant.u.ref = ref;
    grant.domid = dom;
    grant.offset = 0;
    mine.u.gmfn = virt_to_mfn(copied);
    mine.domid = DOMID_SELF;
    mine.offset = 0;
    op->source = into_grant ? mine : grant;
    op->dest = into_grant ? grant : mine;
    op->flags = into_grant ? GNTCOPY_dest_gref : GNTCOPY_source_gref;
    op->len = sizeof(copied);
}

static int16_t copy_with(domid_t dom, grant_ref_t ref, bool into_grant)
{
    struct gnttab_copy op;
    int rc;

    copy_op(&op, dom, ref, into_grant);
    rc = grants_copy(&op, 1);
    return rc ? (int16_t)rc : op.status;
}

/* ---- sharer ---------------------------------------------------------------- */

static bool pages_intact(void)
{
    uint32_t i;

    for (i = 0; i < WORDS; i++)
        if (secret[i] != secret_word(i) || canary[i] != canary_word(i))
            return false;
    return true;
}

static __attribute__((noreturn)) void sharer(domid_t peer)
{
    struct evtchn_status st;
    uint32_t port = 0, i, checks = 0;
    bool was_bound = false, peer_gone = false;

    for (i = 0; i < WORDS; i++) {
        secret[i] = secret_word(i);
        canary[i] = canary_word(i);
    }
    CHECK_RC("grant table", grants_init(), 0);
    CHECK_RC("offer the secret to the peer", grants_offer(SECRET_REF, peer, virt_to_mfn(secret), true), 0);
    CHECK_RC("offer the canary to the peer", grants_offer(CANARY_REF, peer, virt_to_mfn(canary), false), 0);
    CHECK_RC("a port for the peer", evtchn_alloc_unbound_port(peer, &port), 0);
    gprintf("sharer: port %u and refs %u, %u offered to domain %u\n", port, SECRET_REF, CANARY_REF, peer);
    for (;;) {
        if (!pages_intact())
            guest_panic("sharer: CORRUPTED: a granted page changed");
        if (port_status(DOMID_SELF, port, &st) == 0) {
            bool bound = st.status == EVTCHNSTAT_interdomain;
            if (bound && !was_bound)
                gprintf("sharer: port %u bound by domain %u%s\n", port, st.u.interdomain.dom,
                        peer_gone ? ": REBOUND after its peer died" : "");
            /* the peer waits for this; sent while bound, not once: the
             * peer clears what binding marked pending, and a first send
             * that lands before that clear would be lost */
            if (bound)
                evtchn_send_port(port);
            if (!bound && was_bound) {
                peer_gone = true;
                gprintf("sharer: peer gone, port %u unbound for domain %u (EVT-13)\n", port,
                        st.u.unbound.dom);
            }
            was_bound = bound;
        }
        if (++checks % 10 == 0)
            gprintf("sharer: intact after %u checks\n", checks);
        events_wait(port, 20000000ull);         /* the peer's hello, or 20 ms */
    }
}

/* ---- peer ------------------------------------------------------------------ */

static __attribute__((noreturn)) void peer(domid_t sharer_id)
{
    uint32_t p, port = 0, i;
    int16_t st;

    for (p = 1; p < MAX_PORT && evtchn_bind_interdomain_port(sharer_id, p, &port) != 0; p++)
        ;
    test_check("the peer binds the port offered to it", p < MAX_PORT);
    events_test_and_clear(port);            /* binding marks our new port pending */
    CHECK_RC("hello to the sharer", evtchn_send_port(port), 0);
    CHECK_RC("the sharer saw us bound", events_wait(port, 20000000000ull), 0);
    st = copy_with(sharer_id, SECRET_REF, false);
    CHECK_RC("the peer copies the secret", st, GNTST_okay);
    for (i = 0; i < WORDS && copied[i] == secret_word(i); i++)
        ;
    test_check("the copy is the secret", i == WORDS);
    gprintf("peer: bound port %u of domain %u and read its secret page\n", p, sharer_id);
    test_finish();
}

/* ---- attacker -------------------------------------------------------------- */

static __attribute__((noreturn)) void attacker(domid_t sharer_id)
{
    uint32_t p, port = 0, bound = 0, copies = 0, writes = 0, i;
    domid_t me = own_id();

    gprintf("attacker: created as domain %u\n", me);
    for (p = 1; p < MAX_PORT; p++) {
        int rc = evtchn_bind_interdomain_port(sharer_id, p, &port);
        if (rc == 0) {
            bound++;
            gprintf("attacker: bound port %u of domain %u\n", p, sharer_id);
        }
        CHECK_RC("CTL-6 bind a port of the sharer", rc, -EINVAL);
    }
    /* every ref of the sharer's first grant frame, each way, one batch each */
    for (i = 0; i < GNTTAB_ENTRIES_PER_FRAME_V1; i++)
        copy_op(&batch[i], sharer_id, (grant_ref_t)i, false);
    CHECK_RC("a batch of copies from the sharer", grants_copy(batch, GNTTAB_ENTRIES_PER_FRAME_V1), 0);
    for (i = 0; i < GNTTAB_ENTRIES_PER_FRAME_V1; i++) {
        if (batch[i].status == GNTST_okay) {
            copies++;
            gprintf("attacker: copied ref %u of domain %u\n", i, sharer_id);
        }
        CHECK_RC("CTL-6 copy from a grant of the sharer", batch[i].status, GNTST_general_error);
    }
    for (i = 0; i < WORDS; i++)
        copied[i] = 0xBAD0BAD0u;
    for (i = 0; i < GNTTAB_ENTRIES_PER_FRAME_V1; i++)
        copy_op(&batch[i], sharer_id, (grant_ref_t)i, true);
    CHECK_RC("a batch of copies into the sharer", grants_copy(batch, GNTTAB_ENTRIES_PER_FRAME_V1), 0);
    for (i = 0; i < GNTTAB_ENTRIES_PER_FRAME_V1; i++) {
        if (batch[i].status == GNTST_okay)
            writes++;
        CHECK_RC("CTL-6 copy into a grant of the sharer", batch[i].status, GNTST_general_error);
    }
    gprintf("ATTACK CTL-6 domid-reuse: result %u port(s) bound, %u ref(s) read, %u written\n",
            bound, copies, writes);
    test_finish();
}

int guest_main(struct start_info *si)
{
    CHECK_RC("map shared_info", pv_map_shared_info(), 0);
    if (!strncmp(si->cmd_line, "sharer", 6))
        sharer(arg_id(si->cmd_line, "peer="));
    if (!strncmp(si->cmd_line, "peer", 4))
        peer(arg_id(si->cmd_line, "sharer="));
    attacker(arg_id(si->cmd_line, "sharer="));
}
