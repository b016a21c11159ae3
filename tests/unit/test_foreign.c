/*
 * Foreign mappings (PT-33..PT-39): the privileged domain maps a paused
 * guest's data frames into its own L1 tables, as a domain builder does,
 * and nobody else can.
 *
 * The fixture's domain 1 plays dom0 (its ctx is privileged) and domain 2
 * the guest being built (the hosted env_foreign_mappable() accepts it
 * while the test says it is paused). Domain 3 owns a few frames and no
 * tables: the "third domain". Every mutating step is followed by the
 * audit, with the privileged flag passed to it (PT-38).
 */
#include <stdlib.h>

#include "check.h"
#include "pt_fixture.h"
#include "mmu_decode.h"

static struct fx fx;

#define AUDIT_OK() CHECK_EQ(fx_audit(&fx), 0)
#define NO_DONE    guest_ptr(0)
#define DONE_OFF   0x8000u
#define THIRD_DOM  3u
#define SLOT_RO    100u      /* dom0's l1 slots used for foreign mappings */
#define SLOT_RW    101u
#define SLOT_MISC  102u

static struct pt_ctx *dom0(void)
{
    return &fx.ctx[0];
}

static struct pt_ctx *guest(void)
{
    return &fx.ctx[1];
}

static struct fx_space *dom0_sp(void)
{
    return &fx.sp[0];
}

static struct fx_space *guest_sp(void)
{
    return &fx.sp[1];
}

static uint32_t slot_va(uint32_t slot)
{
    return FX_DATA_VA + slot * PAGE_SIZE;
}

static uint64_t ptr_of(uint32_t mfn, uint32_t slot, uint32_t cmd)
{
    return ((uint64_t)mfn << PAGE_SHIFT) + slot * PT_ENTRY_SIZE + cmd;
}

/* One mmu_update request from `c` with `foreigndom`. */
static int update_as(struct pt_ctx *c, uint64_t ptr, uint64_t val, uint32_t foreigndom)
{
    struct mmu_update r = { ptr, val };

    return pt_do_mmu_update(c, fx_guest_put(&fx, 0, &r, sizeof(r)), 1, NO_DONE, foreigndom, NULL);
}

/* dom0 writes slot `slot` of its data L1, naming the guest as data owner. */
static int dom0_map(uint32_t slot, uint64_t val)
{
    return update_as(dom0(), ptr_of(dom0_sp()->l1, slot, 0), val, guest()->dom);
}

/* The same with DOMID_SELF: how dom0 later overwrites or unmaps. */
static int dom0_map_self(uint32_t slot, uint64_t val)
{
    return update_as(dom0(), ptr_of(dom0_sp()->l1, slot, 0), val, DOMID_SELF);
}

struct counts {
    uint32_t refs, type_count;
    uint8_t type;
};

static struct counts counts_of(uint32_t mfn)
{
    const struct frame *f = fx_frame(&fx, mfn);
    struct counts c = { f->refcount, f->type_count, f->type };

    return c;
}

static bool same_counts(struct counts a, struct counts b)
{
    return a.refs == b.refs && a.type_count == b.type_count && a.type == b.type;
}

static void expect_finding(const char *name, enum pt_audit_what what)
{
    fx.quiet = true;
    CHECK_EQ_CASE(name, fx_audit(&fx), -EINVAL);
    fx.quiet = false;
    CHECK_EQ_CASE(name, fx.last.what, what);
}

static uint32_t third_frame(void)
{
    uint32_t mfn = INVALID_MFN;

    if (frame_alloc(&fx.ft, THIRD_DOM, &mfn) != 0)
        abort();
    return mfn;
}

/* ---- PT-23, PT-33: decoding foreigndom ------------------------------------ */

static void test_decode(void)
{
    unsigned q;
    domid_t fd = 0;

    CHECK_EQ_CASE("PT-33 privileged names a mappable guest",
                  mmu_decode_foreigndom(2, 1, true, &fd), 0);
    CHECK_EQ(fd, 2);
    CHECK_EQ_CASE("PT-34 DOMID_SELF is the caller", mmu_decode_foreigndom(DOMID_SELF, 1, true,
                  &fd), 0);
    CHECK_EQ(fd, 1);
    fd = 77;
    CHECK_EQ_CASE("PT-33 privileged names an unmappable domain",
                  mmu_decode_foreigndom(THIRD_DOM, 1, true, &fd), -ESRCH);
    CHECK_EQ_CASE("PT-33 fd untouched on error", fd, 77);
    CHECK_EQ_CASE("PT-23 privileged names itself", mmu_decode_foreigndom(1, 1, true, &fd),
                  -ESRCH);
    CHECK_EQ_CASE("PT-23 PFD bits, privileged",
                  mmu_decode_foreigndom(0x30000u | 2u, 1, true, &fd), -EPERM);
    CHECK_EQ_CASE("PT-23 PFD = self + 1, privileged",
                  mmu_decode_foreigndom(0x20000u | DOMID_SELF, 1, true, &fd), -EPERM);
    hosted_set_foreign_mappable(DOMID_XEN, true);
    hosted_set_foreign_mappable(DOMID_IO, true);
    CHECK_EQ_CASE("PT-33 DOMID_XEN never mappable", mmu_decode_foreigndom(DOMID_XEN, 1, true,
                  &fd), -ESRCH);
    CHECK_EQ_CASE("PT-33 DOMID_IO never mappable", mmu_decode_foreigndom(DOMID_IO, 1, true,
                  &fd), -ESRCH);
    CHECK_EQ_CASE("PT-33 free-frame owner never mappable",
                  mmu_decode_foreigndom(FRAME_OWNER_FREE, 1, true, &fd), -ESRCH);
    hosted_set_foreign_mappable(DOMID_XEN, false);
    hosted_set_foreign_mappable(DOMID_IO, false);
    CHECK_EQ(fd, 77);
    q = hosted_foreign_queries();
    CHECK_EQ_CASE("PT-33 unprivileged names a mappable domain",
                  mmu_decode_foreigndom(2, 3, false, &fd), -EPERM);
    CHECK_EQ_CASE("PT-33 unprivileged caller never consults the env",
                  hosted_foreign_queries(), q);
}

/* ---- PT-34, PT-35: whose frame an L1 entry may name (table-driven) --------- */

enum owner_kind { OWN, GUEST, THIRD, XEN_FRAME, FREE_FRAME, BEYOND };

struct l1_frame_case {
    const char *name;
    bool privileged;
    bool fd_guest;          /* ctx->fd = the guest (a foreign operation) */
    bool guest_mappable;
    bool third_mappable;
    enum owner_kind owner;
    bool writing;
    int want;
};

static const struct l1_frame_case l1_frame_cases[] = {
    { "PT-6 own frame, writing", false, false, true, false, OWN, true, 0 },
    { "PT-6 own frame, validating", false, false, true, false, OWN, false, 0 },
    { "PT-6 unprivileged, guest frame", false, false, true, false, GUEST, true, -EBUSY },
    { "PT-35 unprivileged validation, guest frame", false, false, true, false, GUEST, false,
      -EBUSY },
    { "PT-34 unprivileged with a stale fd", false, true, true, false, GUEST, true, -EBUSY },
    { "PT-34 unprivileged stale fd, own frame", false, true, true, false, OWN, true, -EBUSY },
    { "PT-34 privileged, fd self, guest frame", true, false, true, false, GUEST, true, -EBUSY },
    { "PT-34 privileged, fd guest, guest frame", true, true, true, false, GUEST, true, 0 },
    { "PT-34 privileged, fd guest, own frame", true, true, true, false, OWN, true, -EBUSY },
    { "PT-34 privileged, fd guest, third frame", true, true, true, true, THIRD, true, -EBUSY },
    { "PT-33 privileged, fd guest, guest not mappable", true, true, false, false, GUEST, true,
      -EBUSY },
    { "PT-35 privileged validation, guest frame", true, false, true, false, GUEST, false, 0 },
    { "PT-35 privileged validation, third mappable", true, false, true, true, THIRD, false,
      0 },
    { "PT-35 privileged validation, guest not mappable", true, false, false, false, GUEST,
      false, -EBUSY },
    { "PT-35 privileged validation, own frame", true, true, false, false, OWN, false, 0 },
    { "PT-6 privileged, hypervisor frame", true, false, true, false, XEN_FRAME, false, -EBUSY },
    { "PT-6 privileged, free frame", true, false, true, false, FREE_FRAME, false, -EBUSY },
    { "PT-6 privileged, beyond the table", true, true, true, false, BEYOND, true, -EPERM },
};

static uint32_t frame_of(enum owner_kind k, uint32_t third, uint32_t free_mfn)
{
    switch (k) {
    case OWN:
        return dom0_sp()->data[3];
    case GUEST:
        return guest_sp()->data[3];
    case THIRD:
        return third;
    case XEN_FRAME:
        return 1;
    case FREE_FRAME:
        return free_mfn;
    default:
        return FX_FRAMES + 5;
    }
}

static void test_l1_frame_rule(void)
{
    struct pt_ctx c = *dom0();
    uint32_t third = third_frame(), free_mfn = fx_alloc(&fx, 0);
    size_t i;

    CHECK_EQ(frame_free(&fx.ft, free_mfn), 0);
    for (i = 0; i < ARRAY_SIZE(l1_frame_cases); i++) {
        const struct l1_frame_case *t = &l1_frame_cases[i];

        c.privileged = t->privileged;
        c.fd = t->fd_guest ? guest()->dom : c.dom;
        hosted_set_foreign_mappable(guest()->dom, t->guest_mappable);
        hosted_set_foreign_mappable(THIRD_DOM, t->third_mappable);
        CHECK_EQ_CASE(t->name, pt_check_l1_frame(&c, frame_of(t->owner, third, free_mfn),
                                                 t->writing), t->want);
    }
    hosted_set_foreign_mappable(guest()->dom, true);
    hosted_set_foreign_mappable(THIRD_DOM, false);
    CHECK_EQ(frame_free(&fx.ft, third), 0);
    AUDIT_OK();
}

/* ---- PT-34, PT-36: mapping a guest's frames ------------------------------- */

static void test_map_ro_rw(void)
{
    uint32_t ro = guest_sp()->data[1], rw = guest_sp()->data[2], fresh = fx_alloc(&fx, 1);
    struct counts ro0 = counts_of(ro), rw0 = counts_of(rw);

    CHECK_EQ_CASE("PT-34 dom0 maps a guest frame RO", dom0_map(SLOT_RO, fx_pte(ro, FX_RO)), 0);
    CHECK_EQ(fx_peek(dom0_sp()->l1, SLOT_RO), fx_pte(ro, FX_RO));
    CHECK_EQ_CASE("PT-34 RO: one general ref", counts_of(ro).refs, ro0.refs + 1);
    CHECK_EQ(counts_of(ro).type_count, ro0.type_count);
    CHECK_EQ_CASE("PT-34 fd reset after the call", dom0()->fd, dom0()->dom);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-36 dom0 maps a guest frame RW", dom0_map(SLOT_RW, fx_pte(rw, FX_RW)), 0);
    CHECK_EQ_CASE("PT-36 RW: general ref", counts_of(rw).refs, rw0.refs + 1);
    CHECK_EQ_CASE("PT-36 RW: writable type ref", counts_of(rw).type_count,
                  rw0.type_count + 1);
    CHECK_EQ(counts_of(rw).type, PGT_WRITABLE);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-36 RW of an untyped guest frame",
                  dom0_map(SLOT_MISC, fx_pte(fresh, FX_RW)), 0);
    CHECK(counts_of(fresh).type == PGT_WRITABLE && counts_of(fresh).type_count == 1 &&
          counts_of(fresh).refs == 1);
    AUDIT_OK();

    CHECK_EQ_CASE("PT-19 same rights needs no fd",
                  dom0_map_self(SLOT_RO, fx_pte(ro, FX_RO | PTE_NX)), 0);
    CHECK_EQ(counts_of(ro).refs, ro0.refs + 1);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-37 unmap RO with fd self", dom0_map_self(SLOT_RO, 0), 0);
    CHECK_EQ_CASE("PT-37 RO ref put", same_counts(counts_of(ro), ro0), true);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-37 overwrite RW foreign by an own frame",
                  dom0_map_self(SLOT_RW, fx_pte(dom0_sp()->data[1], FX_RO)), 0);
    CHECK_EQ_CASE("PT-37 RW refs put", same_counts(counts_of(rw), rw0), true);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-37 unmap through update_va_mapping",
                  pt_do_update_va_mapping(dom0(), slot_va(SLOT_MISC), 0, UVMF_INVLPG), 0);
    CHECK(counts_of(fresh).type == PGT_NONE && counts_of(fresh).refs == 0);
    CHECK_EQ(dom0_map_self(SLOT_RW, 0), 0);
    AUDIT_OK();
}

/* ---- what stays refused ---------------------------------------------------- */

static void test_tables_never_writable(void)
{
    struct fx_space *g = guest_sp();
    uint32_t tables[] = { g->l1, g->l1_hi, g->l2_low, g->l2_xen, g->l3 };
    struct counts before;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(tables); i++) {
        before = counts_of(tables[i]);
        CHECK_EQ_CASE("PT-36 guest table mapped RW",
                      dom0_map(SLOT_MISC, fx_pte(tables[i], FX_RW)), -EBUSY);
        CHECK_EQ_CASE("PT-36 guest table unchanged", same_counts(counts_of(tables[i]), before),
                      true);
    }
    CHECK_EQ(fx_peek(dom0_sp()->l1, SLOT_MISC), 0);
    AUDIT_OK();
    before = counts_of(g->l1);
    CHECK_EQ_CASE("PT-7 guest L1 mapped read-only", dom0_map(SLOT_MISC, fx_pte(g->l1, FX_RO)),
                  0);
    CHECK_EQ(counts_of(g->l1).refs, before.refs + 1);
    AUDIT_OK();
    CHECK_EQ(dom0_map_self(SLOT_MISC, 0), 0);
    CHECK_EQ(same_counts(counts_of(g->l1), before), true);
    AUDIT_OK();
}

static void test_refusals(void)
{
    uint32_t third = third_frame(), l1 = dom0_sp()->l1;
    uint32_t gdata = guest_sp()->data[0];
    struct counts before = counts_of(gdata);

    CHECK_EQ_CASE("PT-34 third domain's frame with fd = guest",
                  dom0_map(SLOT_MISC, fx_pte(third, FX_RO)), -EBUSY);
    CHECK_EQ_CASE("PT-34 own frame while fd = guest",
                  dom0_map(SLOT_MISC, fx_pte(dom0_sp()->data[0], FX_RO)), -EBUSY);
    CHECK_EQ_CASE("PT-6 hypervisor frame with fd = guest", dom0_map(SLOT_MISC, fx_pte(1,
                  FX_RO)), -EBUSY);
    CHECK_EQ_CASE("PT-6 guest frame without naming the guest",
                  dom0_map_self(SLOT_MISC, fx_pte(gdata, FX_RO)), -EBUSY);
    CHECK_EQ_CASE("PT-33 third domain not mappable",
                  update_as(dom0(), ptr_of(l1, SLOT_MISC, 0), fx_pte(third, FX_RO), THIRD_DOM),
                  -ESRCH);
    hosted_set_foreign_mappable(guest()->dom, false);
    CHECK_EQ_CASE("PT-33 guest no longer mappable (running)",
                  dom0_map(SLOT_MISC, fx_pte(gdata, FX_RO)), -ESRCH);
    hosted_set_foreign_mappable(guest()->dom, true);
    CHECK_EQ_CASE("PT-23 dom0 names itself", update_as(dom0(), ptr_of(l1, SLOT_MISC, 0),
                  fx_pte(gdata, FX_RO), dom0()->dom), -ESRCH);
    CHECK_EQ_CASE("PT-23 PFD bits", update_as(dom0(), ptr_of(l1, SLOT_MISC, 0),
                  fx_pte(gdata, FX_RO), 0x10000u | guest()->dom), -EPERM);
    CHECK_EQ_CASE("PT-33 unprivileged caller names dom0",
                  update_as(guest(), ptr_of(guest_sp()->l1, SLOT_MISC, 0),
                            fx_pte(dom0_sp()->data[0], FX_RO), dom0()->dom), -EPERM);
    hosted_set_foreign_mappable(THIRD_DOM, true);
    CHECK_EQ_CASE("PT-33 unprivileged caller names a mappable domain",
                  update_as(guest(), ptr_of(guest_sp()->l1, SLOT_MISC, 0),
                            fx_pte(third, FX_RO), THIRD_DOM), -EPERM);
    hosted_set_foreign_mappable(THIRD_DOM, false);
    CHECK_EQ_CASE("PT-23 mmuext_op foreign even for dom0",
                  pt_do_mmuext_op(dom0(), guest_ptr(FX_GUEST_VA), 1, NO_DONE, guest()->dom, NULL),
                  -EPERM);
    CHECK(fx_peek(l1, SLOT_MISC) == 0 && fx_peek(guest_sp()->l1, SLOT_MISC) == 0);
    CHECK_EQ(same_counts(counts_of(gdata), before), true);
    CHECK(dom0()->fd == dom0()->dom && guest()->fd == guest()->dom);
    CHECK_EQ(frame_free(&fx.ft, third), 0);
    AUDIT_OK();
}

/* PT-35: tables, pins and mmu_update targets are always the caller's own. */
static void test_tables_stay_own(void)
{
    struct fx_space *g = guest_sp(), *d = dom0_sp();

    CHECK_EQ_CASE("PT-35 L2 entry to a guest L1, fd = guest",
                  update_as(dom0(), ptr_of(d->l2_low, 7, 0), fx_pte(g->l1, FX_TAB),
                            guest()->dom), -EINVAL);
    CHECK_EQ_CASE("PT-35 L3 entry to a guest L2, fd = guest",
                  update_as(dom0(), ptr_of(d->l3, 1, 0), fx_pte(g->l2_low, FX_PDPTE),
                            guest()->dom), -EINVAL);
    CHECK_EQ_CASE("PT-22 write into a guest L1, fd = guest",
                  update_as(dom0(), ptr_of(g->l1, SLOT_MISC, 0), 0, guest()->dom), -EINVAL);
    CHECK_EQ_CASE("PT-22 plain write to a guest data frame, fd = guest",
                  update_as(dom0(), ptr_of(g->data[1], 3, 0), 5, guest()->dom), -EINVAL);
    CHECK_EQ_CASE("PT-35 pin a guest's L1", pt_pin_table(dom0(), g->l1, PGT_L1), -EINVAL);
    CHECK_EQ_CASE("PT-35 base pointer to a guest's L3", pt_set_baseptr(dom0(), g->l3),
                  -EINVAL);
    CHECK_EQ(fx_peek(d->l2_low, 7), 0);
    AUDIT_OK();

    CHECK_EQ_CASE("PT-24 M2P of a guest frame, fd = guest",
                  update_as(dom0(), ptr_of(g->data[1], 0, 1), 42, guest()->dom), 0);
    CHECK_EQ(fx.m2p[g->data[1]], 42);
    CHECK_EQ_CASE("PT-24 M2P of an own frame, fd = guest",
                  update_as(dom0(), ptr_of(d->data[1], 0, 1), 43, guest()->dom), -EINVAL);
    CHECK_EQ_CASE("PT-24 M2P of a guest frame, fd = self",
                  update_as(dom0(), ptr_of(g->data[1], 0, 1), 44, DOMID_SELF), -EINVAL);
    CHECK(fx.m2p[g->data[1]] == 42 && fx.m2p[d->data[1]] == 1);
    AUDIT_OK();
}

/* PT-34: the data owner lasts exactly one call, whatever its outcome. */
static void test_fd_scope(void)
{
    struct mmu_update r[3];
    uint32_t l1 = dom0_sp()->l1, gdata = guest_sp()->data[3], done = 0xDEADu;
    struct counts before = counts_of(gdata);
    guest_ptr_t reqs;

    r[0] = (struct mmu_update){ ptr_of(l1, SLOT_RO, 0), fx_pte(gdata, FX_RO) };
    r[1] = (struct mmu_update){ ptr_of(l1, SLOT_RW, 0), fx_pte(dom0_sp()->data[0], FX_RO) };
    r[2] = (struct mmu_update){ ptr_of(l1, SLOT_MISC, 0), fx_pte(gdata, FX_RO) };
    reqs = fx_guest_put(&fx, 0, r, sizeof(r));
    fx_guest_put(&fx, DONE_OFF, &done, sizeof(done));
    CHECK_EQ_CASE("PT-34 batch stops at an own frame",
                  pt_do_mmu_update(dom0(), reqs, 3, guest_ptr(FX_GUEST_VA + DONE_OFF),
                                   guest()->dom, NULL), -EBUSY);
    fx_guest_get(&fx, DONE_OFF, &done, sizeof(done));
    CHECK_EQ_CASE("PT-34 the foreign entry before it done", done, 1);
    CHECK_EQ_CASE("PT-34 fd reset after a failing entry", dom0()->fd, dom0()->dom);
    CHECK(fx_peek(l1, SLOT_RO) == r[0].val && fx_peek(l1, SLOT_MISC) == 0);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-34 fd reset after a bad request array",
                  pt_do_mmu_update(dom0(), guest_ptr(FX_GUEST_VA + FX_GUEST_LEN), 1, NO_DONE,
                                   guest()->dom, NULL), -EFAULT);
    CHECK_EQ(dom0()->fd, dom0()->dom);
    CHECK_EQ_CASE("PT-34 next call without foreigndom cannot map the guest",
                  pt_do_update_va_mapping(dom0(), slot_va(SLOT_MISC), fx_pte(gdata, FX_RO), 0),
                  -EBUSY);
    CHECK_EQ(dom0_map_self(SLOT_RO, 0), 0);
    CHECK_EQ(same_counts(counts_of(gdata), before), true);
    AUDIT_OK();
}

/* ---- PT-35, PT-37: validation and devalidation of L1s with foreign entries -- */

static void test_pin_unpin(void)
{
    uint32_t l1 = fx_alloc(&fx, 0), gdata = guest_sp()->data[1], gfresh = fx_alloc(&fx, 1);
    struct counts d0 = counts_of(gdata), f0 = counts_of(gfresh);

    CHECK_EQ(pt_pin_table(dom0(), l1, PGT_L1), 0);
    CHECK_EQ(update_as(dom0(), ptr_of(l1, 0, 0), fx_pte(gdata, FX_RO), guest()->dom), 0);
    CHECK_EQ(update_as(dom0(), ptr_of(l1, 1, 0), fx_pte(gfresh, FX_RW), guest()->dom), 0);
    CHECK(counts_of(gdata).refs == d0.refs + 1 && counts_of(gfresh).type_count == 1);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-37 unpin devalidates and puts foreign refs",
                  pt_unpin_table(dom0(), l1), 0);
    CHECK_EQ(fx_frame(&fx, l1)->type, PGT_NONE);
    CHECK(same_counts(counts_of(gdata), d0) && same_counts(counts_of(gfresh), f0));
    AUDIT_OK();

    hosted_set_foreign_mappable(guest()->dom, false);
    CHECK_EQ_CASE("PT-35 repin refused once the guest is not mappable",
                  pt_pin_table(dom0(), l1, PGT_L1), -EBUSY);
    CHECK(same_counts(counts_of(gdata), d0) && fx_frame(&fx, l1)->type == PGT_NONE);
    AUDIT_OK();
    hosted_set_foreign_mappable(guest()->dom, true);
    CHECK_EQ_CASE("PT-35 repin with foreign entries (guest mappable)",
                  pt_pin_table(dom0(), l1, PGT_L1), 0);
    CHECK(counts_of(gdata).refs == d0.refs + 1 && counts_of(gfresh).type == PGT_WRITABLE);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-35 hook it into dom0's L2 (no revalidation)",
                  update_as(dom0(), ptr_of(dom0_sp()->l2_low, 9, 0), fx_pte(l1, FX_TAB),
                            DOMID_SELF), 0);
    CHECK_EQ(pt_unpin_table(dom0(), l1), 0);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-37 unhooking the last use puts foreign refs",
                  update_as(dom0(), ptr_of(dom0_sp()->l2_low, 9, 0), 0, DOMID_SELF), 0);
    CHECK(same_counts(counts_of(gdata), d0) && same_counts(counts_of(gfresh), f0));
    AUDIT_OK();

    fx_poke(gfresh, 0, fx_pte(dom0_sp()->data[0], FX_RO));
    CHECK_EQ_CASE("PT-35 guest pins an L1 naming dom0's frame",
                  pt_pin_table(guest(), gfresh, PGT_L1), -EBUSY);
    fx_poke(gfresh, 0, 0);
    fx_poke(l1, 0, 0);
    fx_poke(l1, 1, 0);
    AUDIT_OK();
}

/* PT-35: validation accepts any mappable domain, the audit only listed ones. */
static void test_third_domain(void)
{
    uint32_t l1 = fx_alloc(&fx, 0), third = third_frame();

    fx_poke(l1, 5, fx_pte(third, FX_RO));
    CHECK_EQ_CASE("PT-35 L1 naming a domain that is not mappable",
                  pt_pin_table(dom0(), l1, PGT_L1), -EBUSY);
    hosted_set_foreign_mappable(THIRD_DOM, true);
    CHECK_EQ_CASE("PT-35 L1 naming a mappable third domain",
                  pt_pin_table(dom0(), l1, PGT_L1), 0);
    CHECK_EQ(counts_of(third).refs, 1);
    expect_finding("PT-38 foreign frame of an unlisted domain", PT_AUDIT_FOREIGN);
    CHECK_EQ(pt_unpin_table(dom0(), l1), 0);
    CHECK_EQ(counts_of(third).refs, 0);
    hosted_set_foreign_mappable(THIRD_DOM, false);
    fx_poke(l1, 5, 0);
    CHECK_EQ(frame_free(&fx.ft, third), 0);
    AUDIT_OK();
}

/* ---- PT-39: update_va_mapping_otherdomain ------------------------------------ */

static void test_otherdomain(void)
{
    uint32_t va = slot_va(SLOT_MISC), gdata = guest_sp()->data[2];
    struct counts before = counts_of(gdata);

    CHECK_EQ_CASE("PT-39 map a guest frame",
                  pt_do_update_va_mapping_otherdomain(dom0(), va, fx_pte(gdata, FX_RW),
                                                      UVMF_INVLPG, guest()->dom), 0);
    CHECK_EQ(fx_peek(dom0_sp()->l1, SLOT_MISC), fx_pte(gdata, FX_RW));
    CHECK(counts_of(gdata).refs == before.refs + 1 &&
          counts_of(gdata).type_count == before.type_count + 1);
    CHECK_EQ_CASE("PT-39 fd reset", dom0()->fd, dom0()->dom);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-39 guest L2 RW refused",
                  pt_do_update_va_mapping_otherdomain(dom0(), va,
                                                      fx_pte(guest_sp()->l2_low, FX_RW), 0,
                                                      guest()->dom), -EBUSY);
    CHECK_EQ_CASE("PT-39 own frame while naming the guest",
                  pt_do_update_va_mapping_otherdomain(dom0(), va,
                                                      fx_pte(dom0_sp()->data[0], FX_RO), 0,
                                                      guest()->dom), -EBUSY);
    CHECK_EQ_CASE("PT-39 DOMID_SELF is update_va_mapping",
                  pt_do_update_va_mapping_otherdomain(dom0(), va,
                                                      fx_pte(dom0_sp()->data[0], FX_RO), 0,
                                                      DOMID_SELF), 0);
    CHECK_EQ_CASE("PT-39 the foreign RW refs went", same_counts(counts_of(gdata), before),
                  true);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-39 own id", pt_do_update_va_mapping_otherdomain(dom0(), va, 0, 0,
                  dom0()->dom), -ESRCH);
    hosted_set_foreign_mappable(guest()->dom, false);
    CHECK_EQ_CASE("PT-39 guest not mappable",
                  pt_do_update_va_mapping_otherdomain(dom0(), va, fx_pte(gdata, FX_RO), 0,
                                                      guest()->dom), -ESRCH);
    hosted_set_foreign_mappable(guest()->dom, true);
    CHECK_EQ_CASE("PT-39 unprivileged caller",
                  pt_do_update_va_mapping_otherdomain(guest(), va,
                                                      fx_pte(dom0_sp()->data[0], FX_RO), 0,
                                                      dom0()->dom), -EPERM);
    CHECK_EQ_CASE("PT-39 unprivileged DOMID_SELF",
                  pt_do_update_va_mapping_otherdomain(guest(), va,
                                                      fx_pte(guest_sp()->data[0], FX_RO), 0,
                                                      DOMID_SELF), 0);
    CHECK_EQ_CASE("PT-39 hypervisor va, fd still reset",
                  pt_do_update_va_mapping_otherdomain(dom0(), HYPERVISOR_VIRT_START, 0, 0,
                                                      guest()->dom), -EINVAL);
    CHECK(dom0()->fd == dom0()->dom && guest()->fd == guest()->dom);
    CHECK_EQ(pt_do_update_va_mapping(dom0(), va, 0, 0), 0);
    CHECK_EQ(pt_do_update_va_mapping(guest(), va, 0, 0), 0);
    AUDIT_OK();
}

/* ---- PT-36: a guest takes its frame as a table only once dom0 lets go ------- */

static void test_guest_takes_table(void)
{
    uint32_t x = fx_alloc(&fx, 1), gl2 = guest_sp()->l2_low;

    CHECK_EQ(dom0_map(SLOT_MISC, fx_pte(x, FX_RW)), 0);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-36 guest pins a frame dom0 maps RW",
                  pt_pin_table(guest(), x, PGT_L1), -EINVAL);
    CHECK_EQ_CASE("PT-36 guest hooks it as an L1",
                  update_as(guest(), ptr_of(gl2, 20, 0), fx_pte(x, FX_TAB), DOMID_SELF),
                  -EINVAL);
    AUDIT_OK();
    CHECK_EQ(dom0_map_self(SLOT_MISC, 0), 0);
    CHECK_EQ_CASE("PT-36 guest hooks it once dom0's RW mapping is gone",
                  update_as(guest(), ptr_of(gl2, 20, 0), fx_pte(x, FX_TAB), DOMID_SELF), 0);
    CHECK_EQ(fx_frame(&fx, x)->type, PGT_L1);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-36 dom0 cannot map the guest's new L1 RW",
                  dom0_map(SLOT_MISC, fx_pte(x, FX_RW)), -EBUSY);
    CHECK_EQ_CASE("PT-36 but may read it", dom0_map(SLOT_MISC, fx_pte(x, FX_RO)), 0);
    AUDIT_OK();
    CHECK_EQ(dom0_map_self(SLOT_MISC, 0), 0);
    CHECK_EQ(update_as(guest(), ptr_of(gl2, 20, 0), 0, DOMID_SELF), 0);
    AUDIT_OK();
}

/* ---- PT-38: the audit counts foreign references --------------------------------- */

static void test_audit(void)
{
    uint32_t gdata = guest_sp()->data[1];
    struct fx_space *d = dom0_sp();

    CHECK_EQ(dom0_map(SLOT_RO, fx_pte(gdata, FX_RW)), 0);
    AUDIT_OK();
    dom0()->privileged = false;
    expect_finding("PT-38 foreign entry in an unprivileged domain's L1", PT_AUDIT_FOREIGN);
    dom0()->privileged = true;
    fx_frame(&fx, gdata)->refcount++;
    expect_finding("PT-38 leaked foreign reference", PT_AUDIT_REFCOUNT);
    fx_frame(&fx, gdata)->refcount -= 2;
    expect_finding("PT-38 foreign reference dropped twice", PT_AUDIT_REFCOUNT);
    fx_frame(&fx, gdata)->refcount++;
    fx_frame(&fx, gdata)->type_count--;
    expect_finding("PT-38 foreign writable type ref lost", PT_AUDIT_TYPE_COUNT);
    fx_frame(&fx, gdata)->type_count++;
    AUDIT_OK();
    fx_poke(d->l2_low, 11, fx_pte(guest_sp()->l1, FX_TAB));
    expect_finding("PT-38 L2 entry of dom0 to a guest L1", PT_AUDIT_FOREIGN);
    fx_poke(d->l2_low, 11, 0);
    fx_poke(d->l1, SLOT_MISC, fx_pte(2, FX_RO));
    expect_finding("PT-38 dom0 L1 entry to a hypervisor frame", PT_AUDIT_FOREIGN);
    fx_poke(d->l1, SLOT_MISC, 0);
    CHECK_EQ(dom0_map_self(SLOT_RO, 0), 0);
    AUDIT_OK();
}

/* ---- PT-37: puts, and a guest torn down under a foreign mapping ---------------- */

static void test_puts_and_teardown(void)
{
    uint32_t gdata = guest_sp()->data[0], own = dom0_sp()->data[0];
    struct fx_space *g = guest_sp();
    struct counts before = counts_of(own);

    pt_put_page(guest(), own);
    CHECK_EQ_CASE("PT-37 unprivileged put of another's frame refused", guest()->bugs, 1);
    CHECK_EQ(same_counts(counts_of(own), before), true);
    guest()->bugs = 0;
    pt_put_page(dom0(), 1);
    CHECK_EQ_CASE("PT-37 privileged put of a hypervisor frame refused", dom0()->bugs, 1);
    CHECK_EQ_CASE("PT-37 put_type of another's frame refused",
                  pt_put_type(guest(), own, PGT_WRITABLE), -EINVAL);
    CHECK_EQ(same_counts(counts_of(own), before), true);
    dom0()->bugs = guest()->bugs = 0;
    AUDIT_OK();

    CHECK_EQ(dom0_map(SLOT_RW, fx_pte(gdata, FX_RW)), 0);
    /* the guest goes away: its own tables are dropped first */
    pt_clear_baseptr(guest());
    CHECK_EQ(pt_unpin_table(guest(), g->l3), 0);
    CHECK(fx_frame(&fx, g->l1)->type == PGT_NONE && guest()->bugs == 0);
    CHECK_EQ_CASE("PT-37 only dom0's mapping holds the guest frame",
                  counts_of(gdata).refs == 1 && counts_of(gdata).type_count == 1, true);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-37 the frame cannot be freed yet", frame_free(&fx.ft, gdata), -EBUSY);
    hosted_set_foreign_mappable(guest()->dom, false);       /* dying: not mappable */
    CHECK_EQ_CASE("PT-37 dom0 unmaps a dying domain's frame", dom0_map_self(SLOT_RW, 0), 0);
    CHECK_EQ(dom0()->bugs, 0);
    CHECK(counts_of(gdata).refs == 0 && counts_of(gdata).type == PGT_NONE);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-37 now it can be freed", frame_free(&fx.ft, gdata), 0);
    AUDIT_OK();
}

int main(void)
{
    fx_init(&fx);
    dom0()->privileged = true;
    CHECK_EQ(fx_build(&fx, 0), 0);
    CHECK_EQ(fx_build(&fx, 1), 0);
    hosted_set_foreign_mappable(guest()->dom, true);         /* paused, being built */
    AUDIT_OK();
    test_decode();
    test_l1_frame_rule();
    test_map_ro_rw();
    test_tables_never_writable();
    test_refusals();
    test_tables_stay_own();
    test_fd_scope();
    test_pin_unpin();
    test_third_domain();
    test_otherdomain();
    test_guest_takes_table();
    test_audit();
    test_puts_and_teardown();
    hosted_env_fini();
    return check_report();
}
