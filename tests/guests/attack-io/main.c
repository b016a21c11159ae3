/*
 * Attacks on event channels, grant tables and the split-device rings
 * (spec/events.md, spec/grants.md, spec/devices.md), one per run
 * (cmdline "attack=<name>"), beside the victim of tests/guests/victim,
 * which is domain 1. Each reports the hypervisor's (or backend's) answer
 * and checks that our own channels and grants still work afterwards.
 */
#include "blkfront.h"
#include "consfront.h"
#include "devices.h"
#include "frontend.h"
#include "events.h"
#include "grants.h"
#include "pv/errno.h"
#include "pv/event_channel.h"
#include "pv/layout.h"
#include "pvtime.h"
#include "attack_table.h"
#include "test.h"

#define VICTIM 1u

static uint8_t page[4096] __attribute__((aligned(4096)));

/* Our own domain id: an unbound port for DOMID_SELF names it as the remote. */
static domid_t own_domid(void)
{
    static domid_t id;
    struct evtchn_status st;
    uint32_t port = 0;

    if (id)
        return id;
    if (evtchn_alloc_unbound_port(DOMID_SELF, &port))
        return 0;
    memset(&st, 0, sizeof(st));
    st.dom = DOMID_SELF;
    st.port = port;
    if (!hcall2(__HYPERVISOR_event_channel_op, EVTCHNOP_status, GPTR(&st)))
        id = st.u.unbound.dom;
    evtchn_close_port(port);
    return id;
}

static int32_t copy1(struct gnttab_copy *op)
{
    int32_t rc = grants_copy(op, 1);

    return rc ? rc : op->status;
}

/* A copy from another domain's grant ref into our own page. */
static int32_t copy_from_ref(domid_t dom, uint32_t ref, uint16_t off, uint16_t len)
{
    struct gnttab_copy op;

    memset(&op, 0, sizeof(op));
    op.source.u.ref = ref;
    op.source.domid = dom;
    op.source.offset = off;
    op.dest.u.gmfn = virt_to_mfn(page);
    op.dest.domid = DOMID_SELF;
    op.len = len;
    op.flags = GNTCOPY_source_gref;
    return copy1(&op);
}

static int32_t a_send_unowned(void) { return evtchn_send_port(50); }

static int32_t a_bind_held(void)
{
    uint32_t port;

    /* the victim's port 1 is its console channel, bound to dom0 */
    return evtchn_bind_interdomain_port(VICTIM, 1, &port);
}

static int32_t a_exhaust_ports(void)
{
    uint32_t port = 0, first = 0, n = 0;
    int32_t rc;

    while ((rc = evtchn_alloc_unbound_port(0, &port)) == 0) {
        if (!first)
            first = port;
        n++;
    }
    gprintf("allocated %u ports (%u..%u) before %d\n", n, first, first + n - 1, rc);
    test_check("every port up to the limit was ours", first + n == 1024);
    for (port = first; port < first + n; port++)
        CHECK_RC("close", evtchn_close_port(port), 0);
    return rc;
}

static int32_t a_map_unprivileged(void)
{
    grant_handle_t h;

    return grants_map(VICTIM, GNTTAB_RESERVED_CONSOLE, GPTR(page), true, &h);
}

static int32_t a_copy_never_granted(void) { return copy_from_ref(VICTIM, 300, 0, 16); }
static int32_t a_copy_other_grantee(void) { return copy_from_ref(VICTIM, GNTTAB_RESERVED_CONSOLE, 0, 16); }
static int32_t a_copy_bad_ref(void) { return copy_from_ref(VICTIM, 5000, 0, 16); }
static int32_t a_copy_cross_page(void) { return copy_from_ref(VICTIM, GNTTAB_RESERVED_CONSOLE, 4000, 200); }

static int32_t a_copy_into_readonly(void)
{
    struct gnttab_copy op;

    /* our own page, granted read-only to ourselves: a copy may not write it */
    CHECK_RC("offer read-only", grants_offer(21, own_domid(), virt_to_mfn(page), true), 0);
    memset(&op, 0, sizeof(op));
    op.source.u.gmfn = virt_to_mfn(page);
    op.source.domid = DOMID_SELF;
    op.dest.u.ref = 21;
    op.dest.domid = DOMID_SELF;
    op.len = 16;
    op.flags = GNTCOPY_dest_gref;
    return copy1(&op);
}

static int32_t a_copy_to_foreign_frame(void)
{
    const uint32_t *m2p = (const uint32_t *)MACH2PHYS_VIRT_START;
    const uint32_t *p2m = (const uint32_t *)(uintptr_t)start_info->mfn_list;
    struct gnttab_copy op;
    uint32_t mfn;

    /* the first frame that is not ours: a frame-number end must be our own */
    for (mfn = 0x100; ; mfn++) {
        uint32_t pfn = m2p[mfn];
        if (pfn >= start_info->nr_pages || p2m[pfn] != mfn)
            break;
    }
    memset(&op, 0, sizeof(op));
    op.source.u.gmfn = virt_to_mfn(page);
    op.source.domid = DOMID_SELF;
    op.dest.u.gmfn = mfn;
    op.dest.domid = DOMID_SELF;
    op.len = 16;
    return copy1(&op);
}

/* Indices far ahead of the backend: it must disconnect us, not read beyond the ring. */
static int32_t a_ring_flood(void)
{
    struct ring_front *f;

    CHECK_RC("open the block device", blkfront_open(), 0);
    CHECK_RC("a normal read works", blkfront_io(BLKIF_OP_READ, 0, 1, page), BLKIF_RSP_OKAY);
    f = blkfront_ring();
    __atomic_store_n(&f->s->req_prod, f->rsp_cons + 100000u, __ATOMIC_SEQ_CST);
    evtchn_send_port(blkfront_port());
    pv_sleep_ns(500000000ull);          /* dom0 polls and sees it */
    /* the backend has dropped the ring: nothing will answer */
    f->req_prod_pvt = f->req_prod_pub = f->rsp_cons;
    return blkfront_io(BLKIF_OP_READ, 0, 1, page);
}

/* RING-6: no side's refusal moves an index of the page. */
static bool console_indices_are(const struct xencons_interface *c, uint32_t in_prod,
                                uint32_t in_cons, uint32_t out_cons, uint32_t out_prod)
{
    return __atomic_load_n(&c->in_prod, __ATOMIC_SEQ_CST) == in_prod &&
           __atomic_load_n(&c->in_cons, __ATOMIC_SEQ_CST) == in_cons &&
           __atomic_load_n(&c->out_cons, __ATOMIC_SEQ_CST) == out_cons &&
           __atomic_load_n(&c->out_prod, __ATOMIC_SEQ_CST) == out_prod;
}

static int32_t a_console_flood(void)
{
    struct xencons_interface *c;
    uint32_t in_prod, in_cons, out_cons;
    int32_t rc;

    CHECK_RC("open the console", consfront_open(), 0);
    c = consfront_page();
    in_prod = __atomic_load_n(&c->in_prod, __ATOMIC_SEQ_CST);
    in_cons = __atomic_load_n(&c->in_cons, __ATOMIC_SEQ_CST);
    out_cons = __atomic_load_n(&c->out_cons, __ATOMIC_SEQ_CST);
    __atomic_store_n(&c->out_prod, out_cons + 1000000u, __ATOMIC_SEQ_CST);
    evtchn_send_port(start_info->console.domU.evtchn);
    pv_sleep_ns(500000000ull);
    test_check("RING-6 dom0's refusal moved no index of the page",
               console_indices_are(c, in_prod, in_cons, out_cons, out_cons + 1000000u));
    /* the indices are impossible for our side too: the writer refuses them */
    rc = consfront_write("after\n", 6);
    test_check("RING-6 our writer's refusal moved no index of the page",
               console_indices_are(c, in_prod, in_cons, out_cons, out_cons + 1000000u));
    return rc;
}

/*
 * DOM0-2 (BSA-2026-7): show dom0 an input ring that is exactly full, for
 * good. We own in_cons, so whatever dom0 writes, in_prod - in_cons is the
 * ring size. Never returns: dom0's operator has to get past it (Ctrl-])
 * and destroy us.
 */
static int32_t a_console_jam(void)
{
    struct xencons_interface *c;
    uint32_t rounds = 0;

    CHECK_RC("open the console", consfront_open(), 0);
    c = consfront_page();
    while (c) {
        uint32_t prod = __atomic_load_n(&c->in_prod, __ATOMIC_SEQ_CST);
        __atomic_store_n(&c->in_cons, prod - XENCONS_IN_SIZE, __ATOMIC_SEQ_CST);
        if (rounds++ == 0)
            gprintf("ATTACK DOM0-2 console-jam: input ring jammed full\n");
        pv_sleep_ns(1000000ull);
    }
    return -ENODEV;
}

/* The largest valid request: 11 segments of 8 sectors, all on our one data page. */
static void largest_read(struct blkif_request *r, uint64_t id)
{
    uint32_t i;

    memset(r, 0, sizeof(*r));
    r->operation = BLKIF_OP_READ;
    r->nr_segments = BLKIF_MAX_SEGMENTS_PER_REQUEST;
    r->id = id;
    r->sector_number = (id * 88u) % (blkfront_sectors() - 88u);
    for (i = 0; i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++) {
        r->seg[i].gref = DEV_REF_BLK_DATA;
        r->seg[i].first_sect = 0;
        r->seg[i].last_sect = 7;
    }
}

/* Take every response there is; how many were errors. */
static uint32_t take_responses(struct ring_front *f, uint32_t *served)
{
    union blkif_sring_entry e;
    uint32_t errors = 0;

    while (ring_front_take_response(f, &e) == RING_OK) {
        (*served)++;
        errors += e.rsp.status != BLKIF_RSP_OKAY;
    }
    return errors;
}

/*
 * DEV-15: keep the block ring full of the largest valid requests, for
 * good, so that dom0's block backend always has 32 x 88 sectors of ours
 * waiting. Never returns: the scenario checks that another guest's disk
 * is served meanwhile, then destroys us.
 */
static int32_t a_block_flood(void)
{
    struct ring_front *f;
    union blkif_sring_entry e;
    uint32_t served = 0, errors = 0, reported = 0;
    uint64_t id = 0;

    CHECK_RC("open the block device", blkfront_open(), 0);
    f = blkfront_ring();
    gprintf("ATTACK DEV-15 block-flood: ring kept full of 88-sector reads\n");
    for (;;) {
        largest_read(&e.req, id);
        while (ring_front_put_request(f, &e) == RING_OK)
            largest_read(&e.req, ++id);
        frontend_push(f, blkfront_port());
        errors += take_responses(f, &served);
        if (ring_front_final_check(f) == RING_EMPTY && events_wait(blkfront_port(), 5000000000ull))
            break;
        if (served - reported >= 1000u) {
            reported = served;
            gprintf("ATTACK DEV-15 block-flood: %u requests served, %u failed\n", served, errors);
        }
    }
    gprintf("ATTACK DEV-15 block-flood: the backend went silent after %u requests\n", served);
    return -ETIMEDOUT;
}

static const struct attack attacks[] = {
    { "send-unowned-port", "EVT-11", a_send_unowned, -EINVAL },
    { "bind-held-port", "EVT-7", a_bind_held, -EINVAL },
    { "exhaust-ports", "EVT-3", a_exhaust_ports, -ENOSPC },
    { "grant-map-unprivileged", "GNT-19", a_map_unprivileged, GNTST_permission_denied },
    { "grant-copy-never-granted", "GNT-5", a_copy_never_granted, GNTST_general_error },
    { "grant-copy-other-grantee", "GNT-5", a_copy_other_grantee, GNTST_general_error },
    { "grant-copy-bad-ref", "GNT-1", a_copy_bad_ref, GNTST_bad_gntref },
    { "grant-copy-cross-page", "GNT-15", a_copy_cross_page, GNTST_bad_copy_arg },
    { "grant-copy-into-readonly", "GNT-5", a_copy_into_readonly, GNTST_general_error },
    { "grant-copy-foreign-frame", "GNT-7", a_copy_to_foreign_frame, GNTST_bad_page },
    { "ring-flood", "RING-1", a_ring_flood, -ETIMEDOUT },
    { "console-flood", "RING-7", a_console_flood, -EIO },
    { "console-jam", "DOM0-2", a_console_jam, 0 },
    { "block-flood", "DEV-15", a_block_flood, 0 },
};

/* Our own channels and grants still work. */
static void check_intact(void)
{
    uint32_t port = 0;

    CHECK_RC("a loopback channel", evtchn_alloc_unbound_port(DOMID_SELF, &port), 0);
    CHECK_RC("send on it", evtchn_send_port(port), 0);
    CHECK_RC("close it", evtchn_close_port(port), 0);
    page[0] = 0x5A;
    test_check("our domain id", own_domid() != 0);
    CHECK_RC("offer a page to ourselves", grants_offer(30, own_domid(), virt_to_mfn(page), false), 0);
    CHECK_RC("copy within it by ref", copy_from_ref(DOMID_SELF, 30, 0, 1), GNTST_okay);
}

static void after_attack(const struct attack *a)
{
    (void)a;
    check_intact();
}

int guest_main(struct start_info *si)
{
    CHECK_RC("map our grant table", grants_init(), 0);
    return attack_run(si, attacks, sizeof(attacks) / sizeof(attacks[0]), after_attack);
}
