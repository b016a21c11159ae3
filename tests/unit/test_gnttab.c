/*
 * Grant tables v1 (hv/core/gnttab.c, gnttab_track.c) over the page-table
 * fixture: one case or more per rule of spec/grants.md, named by its ID,
 * and the attacks of issue 6: map of a ref never granted, of another
 * domain's ref, writable map of a read-only grant, map then revoke while
 * mapped, misaligned or foreign PTE target (XSA-227), unmap twice
 * (XSA-224), teardown of either end.
 *
 * Domain 1 (fixture index 0) is the privileged backend and the usual
 * grantee; domain 2 (index 1) is the granter. After every step the
 * page-table audit runs with the hypervisor's grant-frame holds declared,
 * the grant invariants are checked (gnttab_check), no refused transition
 * may have been counted, and no frame may be left mapped.
 */
#include <stdlib.h>

#include "check.h"
#include "pt_fixture.h"
#include "gnttab.h"

#define D1 0u                   /* fixture index of domain 1 (backend) */
#define D2 1u                   /* fixture index of domain 2 (granter) */
#define GRANT_SLOT 20u          /* free L1 slot used as a mapping target */
#define GRANT_VA (FX_DATA_VA + GRANT_SLOT * PAGE_SIZE)
#define REF 8u                  /* first ref a guest allocates */

static struct fx fx;
static struct gnttab_domain gts[3];
static struct gnttab_domain *slots[3];
static struct gnttab_world world = { slots, 3, false };

static struct gnttab_call call(unsigned d)
{
    struct gnttab_call c = { &world, &fx.ctx[d] };

    return c;
}

/* A built machine: both address spaces, dom1 privileged, dom2 with one
 * grant frame. */
static void fresh(void)
{
    struct gnttab_setup_table st = { DOMID_SELF, 0, 1, 0, 0, FX_GUEST_VA };
    struct gnttab_call c;

    fx_init(&fx);
    fx.ctx[D1].privileged = true;
    CHECK_EQ(fx_build(&fx, D1), 0);
    CHECK_EQ(fx_build(&fx, D2), 0);
    gnttab_domain_init(&gts[1], 1, 0);
    gnttab_domain_init(&gts[2], 2, 0);
    slots[0] = NULL;
    slots[1] = &gts[1];
    slots[2] = &gts[2];
    world.unpriv_host_map = false;
    c = call(D2);
    CHECK_EQ(gnttab_setup_table(&c, &st), 0);
    CHECK_EQ(st.status, GNTST_okay);
}

/* Write entry `ref` of dom2's table as the granter would. */
static void grant(uint32_t ref, uint16_t flags, domid_t to, uint32_t frame)
{
    uint8_t *e = hosted_frame(gts[2].frames[ref / 512]) + (ref % 512) * 8;

    memcpy(e + 2, &to, 2);
    memcpy(e + 4, &frame, 4);
    memcpy(e, &flags, 2);
}

static uint16_t entry_flags(uint32_t ref)
{
    uint16_t f;

    memcpy(&f, hosted_frame(gts[2].frames[ref / 512]) + (ref % 512) * 8, 2);
    return f;
}

static int is_grant_pte(domid_t dom, uint32_t l1, uint32_t slot)
{
    const struct gnttab_domain *g = slots[dom];
    uint32_t h;

    for (h = 0; g && h < GNTTAB_MAPTRACK_SIZE; h++)
        if (gnttab_handle_ok(g, h) && g->maptrack[h].l1_mfn == l1 &&
            g->maptrack[h].l1_slot == slot)
            return 1;
    return 0;
}

/*
 * The proposed audit extension for unprivileged grantees (spec/grants.md,
 * open points): every present entry of their L1s that names another
 * domain's frame must be a live grant mapping. Until pt_audit knows this,
 * the test checks it here and lets pt_audit accept the foreign frame.
 */
static int unpriv_grant_ptes_declared(unsigned d)
{
    uint32_t l1 = fx.sp[d].l1, s;

    for (s = 0; s < PT_L1_ENTRIES; s++) {
        uint64_t e = fx_peek(l1, s);

        if (pte_present(e) && fx.frames[pte_mfn(e)].owner != fx.ctx[d].dom &&
            !is_grant_pte(fx.ctx[d].dom, l1, s))
            return 0;
    }
    return 1;
}

static int audit(void)
{
    struct pt_audit_domain doms[FX_NR_DOMS];
    struct pt_audit_hold holds[2 * GNTTAB_MAX_FRAMES];
    struct pt_audit_in in;
    struct pt_audit_report rep;
    uint32_t nh = 0;
    unsigned d;
    int rc;

    for (d = 0; d < FX_NR_DOMS; d++) {
        doms[d].dom = fx.ctx[d].dom;
        doms[d].io_capable = fx.ctx[d].io_capable;
        doms[d].cr3_mfn = fx.ctx[d].cr3_mfn;
        doms[d].xen_l2_slots = fx.ctx[d].xen_l2_slots;
        /* see unpriv_grant_ptes_declared() */
        doms[d].privileged = fx.ctx[d].privileged || world.unpriv_host_map;
        if (!fx.ctx[d].privileged && !unpriv_grant_ptes_declared(d)) {
            fprintf(stderr, "dom%u: undeclared foreign entry\n", d + 1);
            return -1;
        }
        if (slots[d + 1])
            nh += gnttab_audit_holds(slots[d + 1], holds + nh, ARRAY_SIZE(holds) - nh);
    }
    in.ft = &fx.ft;
    in.doms = doms;
    in.nr_doms = FX_NR_DOMS;
    in.holds = holds;
    in.nr_holds = nh;
    in.scratch = fx.scratch;
    rc = pt_audit(&in, &rep);
    if (rc != 0)
        fprintf(stderr, "audit: %s at mfn %u slot %d (expected %u, found %u)\n",
                pt_audit_what_name(rep.what), rep.mfn, (int)rep.slot, rep.expected, rep.found);
    for (d = 0; d < FX_NR_DOMS; d++)
        if (fx.ctx[d].bugs) {
            fprintf(stderr, "dom%u: %u refused transitions\n", d + 1, fx.ctx[d].bugs);
            rc = -2;
        }
    if (hosted_live_maps() != 0) {
        fprintf(stderr, "%d frames left mapped\n", hosted_live_maps());
        rc = -3;
    }
    if (gnttab_check(&world) != 0) {
        fprintf(stderr, "gnttab_check failed\n");
        rc = -4;
    }
    return rc;
}

#define STEP_OK(name) CHECK_EQ_CASE(name, audit(), 0)

static struct gnttab_map_grant_ref map_op(uint64_t host_addr, uint32_t flags, uint32_t ref,
                                          domid_t dom)
{
    struct gnttab_map_grant_ref op;

    memset(&op, 0, sizeof(op));
    op.host_addr = host_addr;
    op.flags = flags;
    op.ref = ref;
    op.dom = dom;
    op.status = 99;
    return op;
}

static int16_t do_map(unsigned d, struct gnttab_map_grant_ref *op)
{
    struct gnttab_call c = call(d);

    gnttab_map(&c, op);
    return op->status;
}

static int16_t do_unmap(unsigned d, uint64_t host_addr, uint32_t handle)
{
    struct gnttab_unmap_grant_ref op = { host_addr, 0, handle, 99 };
    struct gnttab_call c = call(d);

    gnttab_unmap(&c, &op);
    return op.status;
}

static uint32_t granted_frame(void)
{
    return fx.sp[D2].data[1];
}

/* ---- setup and size (GNT-16, GNT-17) ---------------------------------- */

static void test_setup(void)
{
    struct gnttab_setup_table st = { DOMID_SELF, 0, 3, 0, 0, FX_GUEST_VA + 64 };
    struct gnttab_query_size q = { DOMID_SELF, 0, 0, 0, 0 };
    struct gnttab_call c;
    uint32_t mfns[3], i;

    fresh();
    c = call(D2);
    STEP_OK("GNT-16 one frame");
    CHECK_EQ_CASE("GNT-16 frame owned by the domain", fx.frames[gts[2].frames[0]].owner, 2);
    CHECK_EQ_CASE("GNT-16 held writable", fx.frames[gts[2].frames[0]].type, PGT_WRITABLE);
    CHECK_EQ_CASE("GNT-16 grow to 3", gnttab_setup_table(&c, &st), 0);
    CHECK_EQ_CASE("GNT-16 grow status", st.status, GNTST_okay);
    fx_guest_get(&fx, 64, mfns, sizeof(mfns));
    for (i = 0; i < 3; i++)
        CHECK_EQ_CASE("GNT-16 frame list written", mfns[i], gts[2].frames[i]);
    STEP_OK("GNT-16 three frames");
    st.nr_frames = GNTTAB_MAX_FRAMES + 1;
    CHECK_EQ_CASE("GNT-16 beyond max", (gnttab_setup_table(&c, &st), st.status),
                  GNTST_general_error);
    CHECK_EQ_CASE("GNT-16 nothing added", gts[2].nr_frames, 3);
    st.nr_frames = 1;
    CHECK_EQ_CASE("GNT-16 never shrinks", (gnttab_setup_table(&c, &st), gts[2].nr_frames), 3);
    st.dom = 1;
    CHECK_EQ_CASE("GNT-16 another domain, unprivileged", (gnttab_setup_table(&c, &st), st.status),
                  GNTST_permission_denied);
    c = call(D1);
    st.nr_frames = 2;
    CHECK_EQ_CASE("GNT-16 own id is DOMID_SELF", (gnttab_setup_table(&c, &st),
                                                                   st.status), GNTST_okay);
    st.dom = 2;
    CHECK_EQ_CASE("GNT-16 privileged for dom2", (gnttab_setup_table(&c, &st), st.status),
                  GNTST_okay);
    st.dom = 0;
    CHECK_EQ_CASE("GNT-16 no such domain", (gnttab_setup_table(&c, &st), st.status),
                  GNTST_bad_domain);
    st.dom = DOMID_SELF;
    st.nr_frames = 3;
    st.frame_list = 0xF5800000u;
    CHECK_EQ_CASE("GNT-16 unwritable frame list", gnttab_setup_table(&c, &st), -EFAULT);
    STEP_OK("GNT-16 after refusals");
    c = call(D2);
    CHECK_EQ_CASE("GNT-17 query", (gnttab_query_size(&c, &q), q.status), GNTST_okay);
    CHECK_EQ_CASE("GNT-17 nr_frames", q.nr_frames, 3);
    CHECK_EQ_CASE("GNT-17 max", q.max_nr_frames, GNTTAB_MAX_FRAMES);
    q.dom = 1;
    CHECK_EQ_CASE("GNT-17 another domain", (gnttab_query_size(&c, &q), q.status),
                  GNTST_permission_denied);
}

/* ---- map decoding (GNT-1..GNT-7) -------------------------------------- */

static void test_map_refusals(void)
{
    struct {
        const char *name;
        uint16_t eflags;
        domid_t to;
        uint32_t frame;             /* 0: the usual granted frame */
        uint32_t mflags, ref;
        domid_t dom;
        int16_t want;
    } cases[] = {
        { "GNT-1 ref beyond the table", GTF_permit_access, 1, 0, GNTMAP_host_map, 512, 2,
          GNTST_bad_gntref },
        { "GNT-1 ref huge", GTF_permit_access, 1, 0, GNTMAP_host_map, 0xFFFFFFFFu, 2,
          GNTST_bad_gntref },
        { "GNT-3 no such granter", GTF_permit_access, 1, 0, GNTMAP_host_map, REF, 0,
          GNTST_bad_domain },
        { "GNT-3 DOMID_SELF is not a granter", GTF_permit_access, 1, 0, GNTMAP_host_map, REF,
          DOMID_SELF, GNTST_bad_domain },
        { "GNT-3 reserved id", GTF_permit_access, 1, 0, GNTMAP_host_map, REF, 0x7FF2,
          GNTST_bad_domain },
        { "GNT-4 device map", GTF_permit_access, 1, 0, GNTMAP_host_map | GNTMAP_device_map, REF,
          2, GNTST_general_error },
        { "GNT-4 no host map", GTF_permit_access, 1, 0, 0, REF, 2, GNTST_general_error },
        { "GNT-5 ref never granted", 0, 0, 0, GNTMAP_host_map, REF, 2, GNTST_general_error },
        { "GNT-5 granted to another domain", GTF_permit_access, 3, 0, GNTMAP_host_map, REF, 2,
          GNTST_general_error },
        { "GNT-5 granted to the granter itself", GTF_permit_access, 2, 0, GNTMAP_host_map, REF,
          2, GNTST_general_error },
        { "GNT-5 accept_transfer entry", GTF_accept_transfer, 1, 0, GNTMAP_host_map, REF, 2,
          GNTST_general_error },
        { "GNT-5 sub-page entry", GTF_permit_access | GTF_sub_page, 1, 0, GNTMAP_host_map, REF,
          2, GNTST_general_error },
        { "GNT-5 writable map of a read-only grant", GTF_permit_access | GTF_readonly, 1, 0,
          GNTMAP_host_map, REF, 2, GNTST_general_error },
        { "GNT-7 frame of the grantee", GTF_permit_access, 1, 1, GNTMAP_host_map, REF, 2,
          GNTST_bad_page },
        { "GNT-7 hypervisor frame", GTF_permit_access, 1, 2, GNTMAP_host_map, REF, 2,
          GNTST_bad_page },
        { "GNT-7 frame beyond memory", GTF_permit_access, 1, 3, GNTMAP_host_map, REF, 2,
          GNTST_bad_page },
        { "GNT-8 writable map of the granter's L1", GTF_permit_access, 1, 4, GNTMAP_host_map,
          REF, 2, GNTST_general_error },
        { "GNT-9 misaligned PTE address (XSA-227)", GTF_permit_access, 1, 0,
          GNTMAP_host_map | GNTMAP_contains_pte, REF, 2, GNTST_general_error },
    };
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        struct gnttab_map_grant_ref op;
        uint32_t frame = granted_frame();
        uint64_t before = 0;

        fresh();
        switch (cases[i].frame) {
        case 1: frame = fx.sp[D1].data[2]; break;
        case 2: frame = 1; break;
        case 3: frame = FX_FRAMES + 5; break;
        case 4: frame = fx.sp[D2].l1; break;
        default: break;
        }
        grant(REF, cases[i].eflags, cases[i].to, frame);
        before = fx_peek(fx.sp[D1].l1, GRANT_SLOT);
        /* the last case maps with contains_pte at a misaligned address */
        op = map_op((cases[i].mflags & GNTMAP_contains_pte) != 0
                        ? (uint64_t)fx.sp[D1].l1 * PAGE_SIZE + GRANT_SLOT * 8 + 4
                        : GRANT_VA,
                    cases[i].mflags, cases[i].ref, cases[i].dom);
        CHECK_EQ_CASE(cases[i].name, do_map(D1, &op), cases[i].want);
        CHECK_EQ_CASE(cases[i].name, op.handle, 0);
        CHECK_EQ_CASE(cases[i].name, fx_peek(fx.sp[D1].l1, GRANT_SLOT), before);
        CHECK_EQ_CASE(cases[i].name, entry_flags(REF) & (GTF_reading | GTF_writing), 0);
        CHECK_EQ_CASE(cases[i].name, gnttab_handle_ok(&gts[1], 0), 0);
        STEP_OK(cases[i].name);
    }
    /* GNT-8: a read-only map of the granter's L1 is fine (tables may be read) */
    fresh();
    grant(REF, GTF_permit_access | GTF_readonly, 1, fx.sp[D2].l1);
    {
        struct gnttab_map_grant_ref op = map_op(GRANT_VA, GNTMAP_host_map | GNTMAP_readonly,
                                                REF, 2);

        CHECK_EQ_CASE("GNT-8 read-only map of a table", do_map(D1, &op), GNTST_okay);
        STEP_OK("GNT-8 read-only map of a table");
        CHECK_EQ_CASE("GNT-8 unmap it", do_unmap(D1, GRANT_VA, op.handle), GNTST_okay);
        STEP_OK("GNT-8 unmapped");
    }
}

/* ---- map targets (GNT-9, GNT-10, GNT-11) ------------------------------- */

static void test_map_targets(void)
{
    uint32_t l1;
    struct gnttab_map_grant_ref op;
    uint64_t row[PT_L1_ENTRIES];

    fresh();
    l1 = fx.sp[D1].l1;
    grant(REF, GTF_permit_access, 1, granted_frame());
    memcpy(row, hosted_frame(l1), sizeof(row));
    /* XSA-227: every misalignment of a PTE machine address is refused */
    for (unsigned k = 1; k < 8; k++) {
        op = map_op((uint64_t)l1 * PAGE_SIZE + 8 * GRANT_SLOT + k,
                    GNTMAP_host_map | GNTMAP_contains_pte, REF, 2);
        CHECK_EQ_CASE("GNT-9 misaligned PTE address (XSA-227)", do_map(D1, &op),
                      GNTST_general_error);
    }
    CHECK_EQ_CASE("GNT-9 L1 untouched", memcmp(row, hosted_frame(l1), sizeof(row)), 0);
    op = map_op((uint64_t)fx.sp[D2].l1 * PAGE_SIZE + 8 * GRANT_SLOT,
                GNTMAP_host_map | GNTMAP_contains_pte, REF, 2);
    CHECK_EQ_CASE("GNT-9 PTE in the granter's L1 (foreign)", do_map(D1, &op),
                  GNTST_general_error);
    op = map_op((uint64_t)fx.sp[D1].data[0] * PAGE_SIZE,
                GNTMAP_host_map | GNTMAP_contains_pte, REF, 2);
    CHECK_EQ_CASE("GNT-9 PTE address in a data frame", do_map(D1, &op), GNTST_general_error);
    op = map_op((uint64_t)fx.sp[D1].l2_low * PAGE_SIZE,
                GNTMAP_host_map | GNTMAP_contains_pte, REF, 2);
    CHECK_EQ_CASE("GNT-9 PTE address in an L2", do_map(D1, &op), GNTST_general_error);
    op = map_op(0x100000000000ull, GNTMAP_host_map | GNTMAP_contains_pte, REF, 2);
    CHECK_EQ_CASE("GNT-9 PTE address above 4 GiB frames", do_map(D1, &op), GNTST_general_error);
    op = map_op(HYPERVISOR_VIRT_START, GNTMAP_host_map, REF, 2);
    CHECK_EQ_CASE("GNT-9 VA in the hypervisor", do_map(D1, &op), GNTST_general_error);
    op = map_op(0x100000000ull + GRANT_VA, GNTMAP_host_map, REF, 2);
    CHECK_EQ_CASE("GNT-9 VA above 4 GiB", do_map(D1, &op), GNTST_general_error);
    op = map_op(0x40000000u, GNTMAP_host_map, REF, 2);
    CHECK_EQ_CASE("GNT-9 VA with no L1", do_map(D1, &op), GNTST_general_error);
    STEP_OK("GNT-9 refusals change nothing");

    /* GNT-11: contains_pte at an aligned slot of its own L1 */
    op = map_op((uint64_t)l1 * PAGE_SIZE + 8 * GRANT_SLOT,
                GNTMAP_host_map | GNTMAP_contains_pte | GNTMAP_application_map, REF, 2);
    CHECK_EQ_CASE("GNT-9 aligned PTE address", do_map(D1, &op), GNTST_okay);
    CHECK_EQ_CASE("GNT-11 PTE", fx_peek(l1, GRANT_SLOT),
                  fx_pte(granted_frame(), PTE_P | PTE_A | PTE_D | PTE_RW | PTE_US) | PTE_NX);
    CHECK_EQ_CASE("GNT-11 dev_bus_addr", op.dev_bus_addr, (uint64_t)granted_frame() << 12);
    STEP_OK("GNT-11 contains_pte map");
    /* GNT-10: a grant mapping is never overwritten by another map */
    {
        struct gnttab_map_grant_ref op2 = map_op(GRANT_VA, GNTMAP_host_map, REF, 2);

        CHECK_EQ_CASE("GNT-10 slot holds a grant mapping", do_map(D1, &op2), GNTST_general_error);
    }
    CHECK_EQ_CASE("GNT-14 unmap by the PTE address",
                  do_unmap(D1, (uint64_t)l1 * PAGE_SIZE + 8 * GRANT_SLOT, op.handle), GNTST_okay);
    CHECK_EQ_CASE("GNT-14 PTE cleared", fx_peek(l1, GRANT_SLOT), 0);
    STEP_OK("GNT-14 unmapped");

    /* GNT-10: replacing a mapping of one of the grantee's own frames */
    {
        uint32_t own = fx.sp[D1].data[3];
        uint32_t refs = fx.frames[own].refcount, tc = fx.frames[own].type_count;
        unsigned flushes = hosted_hw()->tlb_flush_all;

        CHECK_EQ(pt_mod_l1_entry(&fx.ctx[D1], l1, GRANT_SLOT, fx_pte(own, FX_RW), false), 0);
        STEP_OK("GNT-10 own mapping in the slot");
        op = map_op(GRANT_VA, GNTMAP_host_map | GNTMAP_readonly, REF, 2);
        CHECK_EQ_CASE("GNT-10 replaces an own mapping", do_map(D1, &op), GNTST_okay);
        CHECK_EQ_CASE("GNT-10 old references dropped", fx.frames[own].refcount, refs);
        CHECK_EQ_CASE("GNT-10 old type reference dropped", fx.frames[own].type_count, tc);
        CHECK_CASE_GE("PT-20 flushed before", hosted_hw()->tlb_flush_all, flushes + 1);
        CHECK_EQ_CASE("GNT-11 read-only PTE", fx_peek(l1, GRANT_SLOT),
                      fx_pte(granted_frame(), PTE_P | PTE_A | PTE_D) | PTE_NX);
        STEP_OK("GNT-10 replaced");
        CHECK_EQ_CASE("GNT-14 unmap", do_unmap(D1, GRANT_VA, op.handle), GNTST_okay);
        STEP_OK("GNT-14 unmapped again");
    }
}

/* ---- map, revoke, unmap: references and flags (GNT-8, GNT-13, GNT-14) */

static void test_map_unmap_refs(void)
{
    struct gnttab_map_grant_ref op, op2;
    uint32_t f;
    uint32_t refs0, tc0;

    fresh();
    f = granted_frame();
    refs0 = fx.frames[f].refcount;
    tc0 = fx.frames[f].type_count;
    grant(REF, GTF_permit_access, 1, f);
    op = map_op(GRANT_VA, GNTMAP_host_map, REF, 2);
    CHECK_EQ_CASE("GNT-8 writable map", do_map(D1, &op), GNTST_okay);
    CHECK_EQ_CASE("GNT-8 one general reference more", fx.frames[f].refcount, refs0 + 1);
    CHECK_EQ_CASE("GNT-8 one writable reference more", fx.frames[f].type_count, tc0 + 1);
    CHECK_EQ_CASE("GNT-13 reading and writing set", entry_flags(REF),
                  GTF_permit_access | GTF_reading | GTF_writing);
    CHECK_EQ_CASE("GNT-6 pinned rw", gts[2].active[REF].rw_pins, 1);
    STEP_OK("GNT-8 mapped");

    /* the granted frame can now never become a page table of its owner */
    CHECK_EQ_CASE("PT-15 granter cannot pin the mapped frame",
                  pt_pin_table(&fx.ctx[D2], f, PGT_L1), -EINVAL);

    /* a second, read-only mapping of the same ref */
    op2 = map_op((uint64_t)fx.sp[D1].l1 * PAGE_SIZE + 8 * (GRANT_SLOT + 1),
                 GNTMAP_host_map | GNTMAP_readonly | GNTMAP_contains_pte, REF, 2);
    CHECK_EQ_CASE("GNT-6 second map of the ref", do_map(D1, &op2), GNTST_okay);
    CHECK(op2.handle != op.handle);
    CHECK_EQ_CASE("GNT-8 read-only: general only", fx.frames[f].type_count, tc0 + 1);
    CHECK_EQ_CASE("GNT-8 two general more", fx.frames[f].refcount, refs0 + 2);
    STEP_OK("GNT-6 two mappings");

    /* revocation while mapped: the granter clears its entry */
    grant(REF, 0, 0, 0);
    CHECK_EQ_CASE("GNT-13 frame still referenced after revoke", fx.frames[f].refcount, refs0 + 2);
    {
        struct gnttab_map_grant_ref op3 = map_op(GRANT_VA + 2 * PAGE_SIZE, GNTMAP_host_map,
                                                 REF, 2);

        CHECK_EQ_CASE("GNT-5 revoked entry: no new map", do_map(D1, &op3), GNTST_general_error);
    }
    STEP_OK("GNT-13 revoked while mapped");
    {
        unsigned flushes = hosted_hw()->tlb_flush_all;

        CHECK_EQ_CASE("GNT-14 unmap the writable one", do_unmap(D1, GRANT_VA, op.handle),
                      GNTST_okay);
        CHECK_CASE_GE("PT-20 unmap flushed", hosted_hw()->tlb_flush_all, flushes + 1);
    }
    CHECK_EQ_CASE("GNT-8 writable reference dropped", fx.frames[f].type_count, tc0);
    CHECK_EQ_CASE("GNT-8 its general reference dropped", fx.frames[f].refcount, refs0 + 1);
    CHECK_EQ_CASE("GNT-13 granter's flags left alone while read-mapped", entry_flags(REF), 0);
    STEP_OK("GNT-14 one left");
    CHECK_EQ_CASE("GNT-2 unmap twice (XSA-224)", do_unmap(D1, GRANT_VA, op.handle),
                  GNTST_bad_handle);
    CHECK_EQ_CASE("GNT-8 second unmap dropped nothing", fx.frames[f].refcount, refs0 + 1);
    CHECK_EQ_CASE("GNT-14 wrong host_addr", do_unmap(D1, GRANT_VA, op2.handle),
                  GNTST_general_error);
    CHECK_EQ_CASE("GNT-14 refused unmap changed nothing", fx.frames[f].refcount, refs0 + 1);
    STEP_OK("GNT-14 refused unmaps");
    CHECK_EQ_CASE("GNT-14 unmap the read-only one",
                  do_unmap(D1, (uint64_t)fx.sp[D1].l1 * PAGE_SIZE + 8 * (GRANT_SLOT + 1),
                           op2.handle), GNTST_okay);
    CHECK_EQ_CASE("GNT-8 back to the start", fx.frames[f].refcount, refs0);
    CHECK_EQ_CASE("GNT-6 no pins", gts[2].active[REF].ro_pins + gts[2].active[REF].rw_pins, 0);
    STEP_OK("GNT-8 all unmapped");
    CHECK_EQ_CASE("GNT-2 handle out of range", do_unmap(D1, 0, GNTTAB_MAPTRACK_SIZE),
                  GNTST_bad_handle);
    CHECK_EQ_CASE("GNT-2 handle huge", do_unmap(D1, 0, 0xFFFFFFFFu), GNTST_bad_handle);

    /* GNT-13: flags cleared once the last mapping goes */
    grant(REF, GTF_permit_access | GTF_readonly, 1, f);
    op = map_op(GRANT_VA, GNTMAP_host_map | GNTMAP_readonly, REF, 2);
    CHECK_EQ_CASE("GNT-5 read-only map of a read-only grant", do_map(D1, &op), GNTST_okay);
    CHECK_EQ_CASE("GNT-13 reading set, not writing", entry_flags(REF),
                  GTF_permit_access | GTF_readonly | GTF_reading);
    CHECK_EQ_CASE("GNT-14 unmap", do_unmap(D1, GRANT_VA, op.handle), GNTST_okay);
    CHECK_EQ_CASE("GNT-13 reading cleared", entry_flags(REF), GTF_permit_access | GTF_readonly);
    STEP_OK("GNT-13 flags");

    /* GNT-6: the granter changes the frame under a live mapping */
    grant(REF, GTF_permit_access, 1, f);
    op = map_op(GRANT_VA, GNTMAP_host_map, REF, 2);
    CHECK_EQ_CASE("GNT-6 map", do_map(D1, &op), GNTST_okay);
    grant(REF, GTF_permit_access | GTF_reading | GTF_writing, 1, fx.sp[D2].data[2]);
    op2 = map_op(GRANT_VA + PAGE_SIZE, GNTMAP_host_map, REF, 2);
    CHECK_EQ_CASE("GNT-6 frame changed while pinned", do_map(D1, &op2), GNTST_general_error);
    CHECK_EQ_CASE("GNT-14 unmap", do_unmap(D1, GRANT_VA, op.handle), GNTST_okay);
    STEP_OK("GNT-6 frame changed");
}

/* ---- the grantee removes the PTE itself (stale handles, GNT-14) ------- */

static void test_implicit_unmap(void)
{
    struct gnttab_map_grant_ref op;
    uint32_t f, refs0;

    fresh();
    f = granted_frame();
    refs0 = fx.frames[f].refcount;
    grant(REF, GTF_permit_access, 1, f);
    op = map_op(GRANT_VA, GNTMAP_host_map, REF, 2);
    CHECK_EQ(do_map(D1, &op), GNTST_okay);
    /* attack: a RW "upgrade" or a rewrite through mmu_update is refused */
    CHECK_EQ_CASE("PT-34 the grantee cannot rewrite the grant PTE's rights",
                  pt_mod_l1_entry(&fx.ctx[D1], fx.sp[D1].l1, GRANT_SLOT,
                                  fx_pte(f, PTE_P | PTE_A), false), -EBUSY);
    STEP_OK("GNT-14 rewrite refused");
    /* the privileged grantee removes it: the page-table layer drops its refs */
    CHECK_EQ(pt_mod_l1_entry(&fx.ctx[D1], fx.sp[D1].l1, GRANT_SLOT, 0, false), 0);
    CHECK_EQ_CASE("GNT-14 removed PTE took its references", fx.frames[f].refcount, refs0);
    CHECK_EQ_CASE("GNT-14 unmap of a removed PTE", do_unmap(D1, GRANT_VA, op.handle),
                  GNTST_general_error);
    CHECK_EQ_CASE("GNT-14 ... dropped nothing", fx.frames[f].refcount, refs0);
    STEP_OK("GNT-14 stale handle");
    /* teardown of the grantee releases the stale handle's pin */
    gnttab_domain_destroy(&world, &fx.ctx[D1]);
    CHECK_EQ_CASE("GNT-20 pin released", gts[2].active[REF].rw_pins, 0);
    CHECK_EQ_CASE("GNT-20 flags cleared", entry_flags(REF), GTF_permit_access);
    CHECK_EQ_CASE("GNT-20 refs unchanged", fx.frames[f].refcount, refs0);
    STEP_OK("GNT-20 stale handle released");
}

/* ---- the grant invariants catch corruption (GNT-21) ------------------ */

static void test_check(void)
{
    struct gnttab_map_grant_ref op;
    struct gnttab_active saved;
    uint32_t mfn;

    fresh();
    grant(REF, GTF_permit_access, 1, granted_frame());
    op = map_op(GRANT_VA, GNTMAP_host_map, REF, 2);
    CHECK_EQ(do_map(D1, &op), GNTST_okay);
    CHECK_EQ_CASE("GNT-21 consistent", gnttab_check(&world), 0);
    saved = gts[2].active[REF];
    gts[2].active[REF].rw_pins++;
    CHECK_EQ_CASE("GNT-21 a pin with no handle", gnttab_check(&world), -EINVAL);
    gts[2].active[REF] = saved;
    gts[2].active[REF].grantee = 2;
    CHECK_EQ_CASE("GNT-21 pins of another grantee", gnttab_check(&world), -EINVAL);
    gts[2].active[REF] = saved;
    mfn = gts[1].maptrack[op.handle].mfn;
    gts[1].maptrack[op.handle].mfn = mfn + 1;
    CHECK_EQ_CASE("GNT-21 handle of another frame", gnttab_check(&world), -EINVAL);
    gts[1].maptrack[op.handle].mfn = mfn;
    gts[1].maptrack[op.handle].ref = 4096;
    CHECK_EQ_CASE("GNT-21 handle with a ref out of range", gnttab_check(&world), -EINVAL);
    gts[1].maptrack[op.handle].ref = REF;
    CHECK_EQ_CASE("GNT-21 consistent again", gnttab_check(&world), 0);
    CHECK_EQ_CASE("GNT-14 unmap", do_unmap(D1, GRANT_VA, op.handle), GNTST_okay);
    STEP_OK("GNT-21");
}

/* ---- maptrack exhaustion (GNT-12) ------------------------------------- */

static void test_maptrack_full(void)
{
    struct gnttab_map_grant_ref op;
    uint32_t h;

    fresh();
    grant(REF, GTF_permit_access, 1, granted_frame());
    /* white box: every handle taken (as GNTTAB_MAPTRACK_SIZE live maps would) */
    for (h = 0; h < GNTTAB_MAPTRACK_SIZE; h++)
        gts[1].maptrack[h].flags = GNTTAB_MT_USED | GNTTAB_MT_ORPHAN;
    op = map_op(GRANT_VA, GNTMAP_host_map, REF, 2);
    CHECK_EQ_CASE("GNT-12 no free handle", do_map(D1, &op), GNTST_no_device_space);
    CHECK_EQ_CASE("GNT-12 nothing mapped", fx_peek(fx.sp[D1].l1, GRANT_SLOT), 0);
    gts[1].maptrack[77].flags = 0;
    CHECK_EQ_CASE("GNT-12 one handle free", do_map(D1, &op), GNTST_okay);
    CHECK_EQ_CASE("GNT-12 that handle", op.handle, 77);
    CHECK_EQ_CASE("GNT-14 unmap", do_unmap(D1, GRANT_VA, 77), GNTST_okay);
    for (h = 0; h < GNTTAB_MAPTRACK_SIZE; h++)
        gnttab_handle_free(&gts[1], h);
    STEP_OK("GNT-12");
}

/* ---- copy (GNT-15) ---------------------------------------------------- */

static int16_t do_copy(unsigned d, struct gnttab_copy *op)
{
    struct gnttab_call c = call(d);

    op->status = 99;
    gnttab_copy(&c, op);
    return op->status;
}

static void test_copy(void)
{
    uint32_t f, mine, l1;
    struct gnttab_copy op;
    uint8_t *src, *dst;

    fresh();
    f = granted_frame();
    mine = fx.sp[D1].data[0];
    l1 = fx.sp[D1].l1;
    src = hosted_frame(f);
    dst = hosted_frame(mine);
    for (unsigned i = 0; i < PAGE_SIZE; i++)
        src[i] = (uint8_t)(i * 7 + 1);
    memset(dst, 0, PAGE_SIZE);
    grant(REF, GTF_permit_access | GTF_readonly, 1, f);

    memset(&op, 0, sizeof(op));
    op.source.u.ref = REF;
    op.source.domid = 2;
    op.source.offset = 100;
    op.dest.u.gmfn = mine;
    op.dest.domid = DOMID_SELF;
    op.dest.offset = 200;
    op.len = 300;
    op.flags = GNTCOPY_source_gref;
    CHECK_EQ_CASE("GNT-15 copy from a read-only grant", do_copy(D1, &op), GNTST_okay);
    CHECK_EQ_CASE("GNT-15 bytes copied", memcmp(dst + 200, src + 100, 300), 0);
    CHECK_EQ_CASE("GNT-15 nothing else written", dst[199] | dst[500], 0);
    CHECK_EQ_CASE("GNT-15 copy leaves no flags", entry_flags(REF),
                  GTF_permit_access | GTF_readonly);
    STEP_OK("GNT-15 copy");

    op.len = 4096 - 200 + 1;
    CHECK_EQ_CASE("GNT-15 crosses the dest page", do_copy(D1, &op), GNTST_bad_copy_arg);
    op.len = 8;
    op.source.offset = 4090;
    CHECK_EQ_CASE("GNT-15 crosses the source page", do_copy(D1, &op), GNTST_bad_copy_arg);
    op.source.offset = 0xFFFF;
    op.len = 0xFFFF;
    CHECK_EQ_CASE("GNT-15 huge offset and length", do_copy(D1, &op), GNTST_bad_copy_arg);
    op.source.offset = 0;
    op.len = 8;
    op.dest.offset = 4088;
    CHECK_EQ_CASE("GNT-15 ends exactly at the page end", do_copy(D1, &op), GNTST_okay);
    op.dest.offset = 0;

    /* the other direction: into a read-only grant */
    {
        struct gnttab_copy w = op;

        w.source.u.gmfn = mine;
        w.source.domid = DOMID_SELF;
        w.dest.u.ref = REF;
        w.dest.domid = 2;
        w.flags = GNTCOPY_dest_gref;
        CHECK_EQ_CASE("GNT-15 write into a read-only grant", do_copy(D1, &w),
                      GNTST_general_error);
        grant(REF, GTF_permit_access, 1, f);
        CHECK_EQ_CASE("GNT-15 write into a writable grant", do_copy(D1, &w), GNTST_okay);
        grant(REF, GTF_permit_access, 1, fx.sp[D2].l1);
        CHECK_EQ_CASE("GNT-15 write into the granter's page table", do_copy(D1, &w),
                      GNTST_general_error);
        grant(REF, GTF_permit_access, 1, f);
        w.source.domid = 2;
        CHECK_EQ_CASE("GNT-15 frame number of another domain", do_copy(D1, &w),
                      GNTST_permission_denied);
        w.source.domid = DOMID_SELF;
        w.source.u.gmfn = fx.sp[D2].data[0];
        CHECK_EQ_CASE("GNT-15 frame not the caller's", do_copy(D1, &w), GNTST_bad_page);
        w.source.u.gmfn = 0xFFFFFFFFu;
        CHECK_EQ_CASE("GNT-15 frame beyond memory", do_copy(D1, &w), GNTST_bad_page);
        w.source.u.gmfn = mine;
        w.dest.u.ref = 4096;
        CHECK_EQ_CASE("GNT-1 copy ref out of range", do_copy(D1, &w), GNTST_bad_gntref);
        w.dest.u.ref = REF;
        w.dest.domid = 0;
        CHECK_EQ_CASE("GNT-3 copy from a missing domain", do_copy(D1, &w), GNTST_bad_domain);
    }
    /* never into the caller's own page table */
    op.dest.u.gmfn = l1;
    {
        uint64_t row[PT_L1_ENTRIES];

        memcpy(row, hosted_frame(l1), sizeof(row));
        CHECK_EQ_CASE("GNT-15 copy into own L1", do_copy(D1, &op), GNTST_general_error);
        CHECK_EQ_CASE("GNT-15 L1 untouched", memcmp(row, hosted_frame(l1), sizeof(row)), 0);
    }
    /* overlapping copy within one frame (a domain's own grant to itself) */
    {
        struct gnttab_copy s;
        uint8_t *g = hosted_frame(fx.sp[D2].data[3]);
        uint8_t want[64];

        for (unsigned i = 0; i < 64; i++)
            g[i] = (uint8_t)i;
        memcpy(want, g, 10);
        memcpy(want + 10, g, 40);
        grant(REF + 1, GTF_permit_access, 2, fx.sp[D2].data[3]);
        memset(&s, 0, sizeof(s));
        s.source.u.ref = REF + 1;
        s.source.domid = DOMID_SELF;
        s.dest.u.gmfn = fx.sp[D2].data[3];
        s.dest.domid = DOMID_SELF;
        s.dest.offset = 10;
        s.len = 40;
        s.flags = GNTCOPY_source_gref;
        CHECK_EQ_CASE("GNT-15 overlapping self copy", do_copy(D2, &s), GNTST_okay);
        CHECK_EQ_CASE("GNT-15 memmove semantics", memcmp(g, want, 50), 0);
    }
    STEP_OK("GNT-15 after refusals");
}

/* ---- the hypercall (GNT-18) ------------------------------------------- */

static void test_hypercall(void)
{
    struct gnttab_call c;
    struct gnttab_map_grant_ref ops[2];
    guest_ptr_t at;

    fresh();
    c = call(D1);
    grant(REF, GTF_permit_access, 1, granted_frame());
    ops[0] = map_op(GRANT_VA, GNTMAP_host_map, REF, 2);
    ops[1] = map_op(GRANT_VA, GNTMAP_host_map, 9999, 2);
    at = fx_guest_put(&fx, 0, ops, sizeof(ops));
    CHECK_EQ_CASE("GNT-18 batch of two", gnttab_op(&c, GNTTABOP_map_grant_ref, at, 2, NULL), 0);
    fx_guest_get(&fx, 0, ops, sizeof(ops));
    CHECK_EQ_CASE("GNT-18 first status", ops[0].status, GNTST_okay);
    CHECK_EQ_CASE("GNT-18 second status", ops[1].status, GNTST_bad_gntref);
    STEP_OK("GNT-18 batch");
    CHECK_EQ_CASE("GNT-18 negative count", gnttab_op(&c, GNTTABOP_map_grant_ref, at,
                                                     0x80000000u, NULL), -EINVAL);
    CHECK_EQ_CASE("GNT-18 continuation bits", gnttab_op(&c, GNTTABOP_map_grant_ref | 0x1000u,
                                                        at, 1, NULL), -EINVAL);
    CHECK_EQ_CASE("GNT-18 array in the hypervisor",
                  gnttab_op(&c, GNTTABOP_copy, guest_ptr(HYPERVISOR_VIRT_START - 8), 1, NULL), -EFAULT);
    CHECK_EQ_CASE("GNT-18 array wrapping",
                  gnttab_op(&c, GNTTABOP_copy, guest_ptr(0xFFFFFFF0u), 1, NULL), -EFAULT);
    CHECK_EQ_CASE("GNT-18 array not mapped",
                  gnttab_op(&c, GNTTABOP_copy, guest_ptr(0x1000), 1, NULL), -EFAULT);
    CHECK_EQ_CASE("GNT-18 transfer", gnttab_op(&c, GNTTABOP_transfer, at, 1, NULL), -ENOSYS);
    CHECK_EQ_CASE("GNT-18 unmap_and_replace", gnttab_op(&c, GNTTABOP_unmap_and_replace, at, 1, NULL),
                  -ENOSYS);
    CHECK_EQ_CASE("GNT-18 unknown", gnttab_op(&c, 0xFFFu, at, 1, NULL), -ENOSYS);
    CHECK_EQ_CASE("GNT-18 unknown with high bits", gnttab_op(&c, 0xFFFFFFFFu, at, 1, NULL),
                  -EINVAL);
    CHECK_EQ_CASE("GNT-18 setup_table count 2", gnttab_op(&c, GNTTABOP_setup_table, at, 2, NULL),
                  -EINVAL);
    CHECK_EQ_CASE("GNT-14 unmap", do_unmap(D1, GRANT_VA, ops[0].handle), GNTST_okay);
    STEP_OK("GNT-18");
}

/* ---- versions (GNT-22) -------------------------------------------------- */

/* set_version(asked) through the hypercall with `count`; *now := what it wrote back. */
static int set_version(struct gnttab_call *c, uint32_t asked, uint32_t count, uint32_t *now)
{
    struct gnttab_set_version sv = { asked };
    guest_ptr_t at = fx_guest_put(&fx, 0x100, &sv, sizeof(sv));
    int rc = gnttab_op(c, GNTTABOP_set_version, at, count, NULL);

    fx_guest_get(&fx, 0x100, &sv, sizeof(sv));
    *now = sv.version;
    return rc;
}

/* get_version(dom) through the hypercall; *version := the field afterwards. */
static int get_version(struct gnttab_call *c, domid_t dom, uint32_t count, uint32_t *version)
{
    struct gnttab_get_version gv = { dom, 0xAAAA, 77 };
    guest_ptr_t at = fx_guest_put(&fx, 0x110, &gv, sizeof(gv));
    int rc = gnttab_op(c, GNTTABOP_get_version, at, count, NULL);

    fx_guest_get(&fx, 0x110, &gv, sizeof(gv));
    *version = gv.version;
    CHECK_EQ_CASE("GNT-22 dom and pad untouched", gv.dom == dom && gv.pad == 0xAAAA, 1);
    return rc;
}

static void test_versions(void)
{
    static const struct { const char *name; uint32_t asked; int rc; } sets[] = {
        { "GNT-22 set_version 1", 1, 0 },
        { "GNT-22 set_version 2 not available", 2, -ENOSYS },
        { "GNT-22 set_version 0", 0, -EINVAL },
        { "GNT-22 set_version 3", 3, -EINVAL },
        { "GNT-22 set_version huge", 0xFFFFFFFFu, -EINVAL },
    };
    struct gnttab_call c;
    domid_t self, other;
    uint32_t i, v = 0;

    fresh();
    other = fx.ctx[D1].dom;
    c = call(D2);                           /* unprivileged */
    self = c.ctx->dom;
    for (i = 0; i < ARRAY_SIZE(sets); i++) {
        v = 0xDEAD;
        CHECK_EQ_CASE(sets[i].name, set_version(&c, sets[i].asked, 1, &v), sets[i].rc);
        CHECK_EQ_CASE("GNT-22 version in force written back", v, 1);
    }
    CHECK_EQ_CASE("GNT-22 set_version count 0 still handled", set_version(&c, 2, 0, &v), -ENOSYS);
    CHECK_EQ_CASE("GNT-22 set_version count 5 handled once", set_version(&c, 1, 5, &v), 0);
    CHECK_EQ_CASE("GNT-22 set_version negative count", set_version(&c, 1, 0x80000000u, &v),
                  -EINVAL);
    CHECK_EQ_CASE("GNT-22 get_version self", get_version(&c, DOMID_SELF, 1, &v), 0);
    CHECK_EQ_CASE("GNT-22 version 1", v, 1);
    CHECK_EQ_CASE("GNT-22 get_version own id", get_version(&c, self, 1, &v), 0);
    CHECK_EQ_CASE("GNT-22 get_version count 0", get_version(&c, DOMID_SELF, 0, &v), 0);
    CHECK_EQ_CASE("GNT-22 get_version of another domain", get_version(&c, other, 1, &v), -EPERM);
    CHECK_EQ_CASE("GNT-22 refused: field untouched", v, 77);
    CHECK_EQ_CASE("GNT-22 get_version of no domain, unprivileged", get_version(&c, 4000, 1, &v),
                  -ESRCH);
    CHECK_EQ_CASE("GNT-22 get_version DOMID_IO", get_version(&c, DOMID_IO, 1, &v), -ESRCH);
    c = call(D1);                           /* privileged */
    CHECK_EQ_CASE("GNT-22 privileged: another domain", get_version(&c, self, 1, &v), 0);
    CHECK_EQ_CASE("GNT-22 privileged: its version", v, 1);
    CHECK_EQ_CASE("GNT-22 privileged: no domain", get_version(&c, 4000, 1, &v), -ESRCH);
    STEP_OK("GNT-22");
}

/* ---- unprivileged grantees (GNT-19) ----------------------------------- */

static void test_unprivileged(void)
{
    struct gnttab_map_grant_ref op;
    uint32_t f;

    fresh();
    f = fx.sp[D1].data[1];                      /* dom1 grants to dom2 */
    {
        uint8_t *e;
        domid_t to = 2;
        uint16_t fl = GTF_permit_access;
        struct gnttab_setup_table st = { DOMID_SELF, 0, 1, 0, 0, FX_GUEST_VA };
        struct gnttab_call c = call(D1);

        CHECK_EQ(gnttab_setup_table(&c, &st), 0);
        e = hosted_frame(gts[1].frames[0]) + REF * 8;
        memcpy(e + 2, &to, 2);
        memcpy(e + 4, &f, 4);
        memcpy(e, &fl, 2);
    }
    op = map_op(GRANT_VA, GNTMAP_host_map, REF, 1);
    CHECK_EQ_CASE("GNT-19 unprivileged host map refused", do_map(D2, &op),
                  GNTST_permission_denied);
    STEP_OK("GNT-19 refused");
    world.unpriv_host_map = true;
    CHECK_EQ_CASE("GNT-19 allowed by policy", do_map(D2, &op), GNTST_okay);
    STEP_OK("GNT-19 unprivileged mapping");
    CHECK_EQ_CASE("GNT-14 unprivileged unmap", do_unmap(D2, GRANT_VA, op.handle), GNTST_okay);
    STEP_OK("GNT-19 unmapped");
    /* copy needs no host mapping and works for anyone */
    {
        struct gnttab_copy cp;

        world.unpriv_host_map = false;
        memset(&cp, 0, sizeof(cp));
        cp.source.u.ref = REF;
        cp.source.domid = 1;
        cp.dest.u.gmfn = fx.sp[D2].data[0];
        cp.dest.domid = DOMID_SELF;
        cp.len = 16;
        cp.flags = GNTCOPY_source_gref;
        CHECK_EQ_CASE("GNT-19 unprivileged copy", do_copy(D2, &cp), GNTST_okay);
    }
    STEP_OK("GNT-19 copy");
}

/* ---- teardown (GNT-20) ------------------------------------------------ */

static void test_teardown(void)
{
    struct gnttab_map_grant_ref op, op2;
    uint32_t f, refs0, tc0, gframe;

    /* the grantee dies with mappings */
    fresh();
    f = granted_frame();
    refs0 = fx.frames[f].refcount;
    tc0 = fx.frames[f].type_count;
    grant(REF, GTF_permit_access, 1, f);
    op = map_op(GRANT_VA, GNTMAP_host_map, REF, 2);
    CHECK_EQ(do_map(D1, &op), GNTST_okay);
    op2 = map_op(GRANT_VA + PAGE_SIZE, GNTMAP_host_map | GNTMAP_readonly, REF, 2);
    CHECK_EQ(do_map(D1, &op2), GNTST_okay);
    STEP_OK("GNT-20 before grantee teardown");
    gnttab_domain_destroy(&world, &fx.ctx[D1]);
    CHECK_EQ_CASE("GNT-20 grantee's PTEs cleared", fx_peek(fx.sp[D1].l1, GRANT_SLOT), 0);
    CHECK_EQ_CASE("GNT-20 second PTE cleared", fx_peek(fx.sp[D1].l1, GRANT_SLOT + 1), 0);
    CHECK_EQ_CASE("GNT-20 refs back", fx.frames[f].refcount, refs0);
    CHECK_EQ_CASE("GNT-20 type refs back", fx.frames[f].type_count, tc0);
    CHECK_EQ_CASE("GNT-20 granter flags cleared", entry_flags(REF), GTF_permit_access);
    CHECK_EQ_CASE("GNT-20 no handle left", gnttab_handle_ok(&gts[1], op.handle), 0);
    STEP_OK("GNT-20 grantee gone");

    /* the granter dies while its frame is mapped */
    fresh();
    f = granted_frame();
    refs0 = fx.frames[f].refcount;
    gframe = gts[2].frames[0];
    grant(REF, GTF_permit_access, 1, f);
    op = map_op(GRANT_VA, GNTMAP_host_map, REF, 2);
    CHECK_EQ(do_map(D1, &op), GNTST_okay);
    gnttab_domain_destroy(&world, &fx.ctx[D2]);
    CHECK_EQ_CASE("GNT-20 granter's grant frame released", fx.frames[gframe].refcount, 0);
    CHECK_EQ_CASE("GNT-20 ... and freeable", frame_free(&fx.ft, gframe), 0);
    CHECK_EQ_CASE("GNT-20 mapped frame still referenced", fx.frames[f].refcount, refs0 + 1);
    CHECK_EQ_CASE("GNT-20 mapped frame not freeable", frame_free(&fx.ft, f), -EBUSY);
    CHECK_EQ_CASE("GNT-20 grantee's handle orphaned",
                  gts[1].maptrack[op.handle].flags & GNTTAB_MT_ORPHAN, GNTTAB_MT_ORPHAN);
    slots[2] = NULL;                    /* the glue drops the dead table */
    STEP_OK("GNT-20 granter gone");
    CHECK_EQ_CASE("GNT-20 orphan unmaps", do_unmap(D1, GRANT_VA, op.handle), GNTST_okay);
    CHECK_EQ_CASE("GNT-20 orphan's refs dropped", fx.frames[f].refcount, refs0);
    STEP_OK("GNT-20 orphan unmapped");
    {
        struct gnttab_map_grant_ref again = map_op(GRANT_VA, GNTMAP_host_map, REF, 2);

        CHECK_EQ_CASE("GNT-3 map from a dead granter", do_map(D1, &again), GNTST_bad_domain);
    }
}

int main(void)
{
    test_setup();
    test_map_refusals();
    test_map_targets();
    test_map_unmap_refs();
    test_implicit_unmap();
    test_check();
    test_maptrack_full();
    test_copy();
    test_hypercall();
    test_versions();
    test_unprivileged();
    test_teardown();
    return check_report();
}
