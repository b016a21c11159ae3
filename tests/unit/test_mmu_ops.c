/*
 * The memory-management hypercalls (hv/core/mmu_decode.c, mmu_ops.c,
 * pt_update.c), driven as a guest would: request arrays placed in the
 * guest window, each call's return, `done` and side effects checked, the
 * audit after every call.
 */
#include "check.h"
#include "pt_fixture.h"
#include "mmu_decode.h"

static struct fx fx;

#define AUDIT_OK() CHECK_EQ(fx_audit(&fx), 0)
#define DONE_OFF  0x8000u
#define NO_DONE   guest_ptr(0)

static struct pt_ctx *dom1(void)
{
    return &fx.ctx[0];
}

static struct fx_space *sp(void)
{
    return &fx.sp[0];
}

static uint64_t ptr_of(uint32_t mfn, uint32_t slot, uint32_t cmd)
{
    return ((uint64_t)mfn << PAGE_SHIFT) + slot * PT_ENTRY_SIZE + cmd;
}

/* Run mmu_update with `n` requests; *done_out gets the guest's done. */
static int mmu_update(const struct mmu_update *reqs, uint32_t n, uint32_t *done_out)
{
    uint32_t done = 0xDEADu;
    int rc;

    fx_guest_put(&fx, DONE_OFF, &done, sizeof(done));
    rc = pt_do_mmu_update(dom1(), fx_guest_put(&fx, 0, reqs, n * sizeof(*reqs)), n,
                          guest_ptr(FX_GUEST_VA + DONE_OFF), DOMID_SELF, NULL);
    fx_guest_get(&fx, DONE_OFF, &done, sizeof(done));
    *done_out = done;
    return rc;
}

static int one_update(uint64_t ptr, uint64_t val)
{
    struct mmu_update r = { ptr, val };
    uint32_t done;

    return mmu_update(&r, 1, &done);
}

static int mmuext(const struct mmuext_op *ops, uint32_t n, uint32_t *done_out)
{
    uint32_t done = 0xDEADu;
    int rc;

    fx_guest_put(&fx, DONE_OFF, &done, sizeof(done));
    rc = pt_do_mmuext_op(dom1(), fx_guest_put(&fx, 0, ops, n * sizeof(*ops)), n,
                         guest_ptr(FX_GUEST_VA + DONE_OFF), DOMID_SELF, NULL);
    fx_guest_get(&fx, DONE_OFF, &done, sizeof(done));
    *done_out = done;
    return rc;
}

static int one_ext(uint32_t cmd, uint32_t arg1, uint32_t arg2)
{
    struct mmuext_op op;
    uint32_t done;

    memset(&op, 0, sizeof(op));
    op.cmd = cmd;
    op.arg1.mfn = arg1;
    op.arg2.nr_ents = arg2;
    return mmuext(&op, 1, &done);
}

/* ---- decoders ----------------------------------------------------------- */

static void test_decoders(void)
{
    struct mmu_target t;
    struct uvmf u;
    uint32_t base = 7;
    uint32_t own = sp()->data[1];
    domid_t fd = 0;

    CHECK_EQ_CASE("PT-22 normal",
                  mmu_decode_ptr(&fx.ft, 1, 1, FX_FRAMES, ptr_of(own, 17, 0), &t), 0);
    CHECK(t.cmd == 0 && t.mfn == own && t.slot == 17);
    CHECK_EQ_CASE("PT-22 preserve AD", mmu_decode_ptr(&fx.ft, 1, 1, FX_FRAMES,
                  ptr_of(own, 511, 2), &t), 0);
    CHECK(t.cmd == 2 && t.slot == 511);
    CHECK_EQ_CASE("PT-22 no-translate unknown", mmu_decode_ptr(&fx.ft, 1, 1, FX_FRAMES,
                  ptr_of(own, 0, 3), &t), -ENOSYS);
    CHECK_EQ_CASE("PT-22 misaligned by 4 is cmd 4", mmu_decode_ptr(&fx.ft, 1, 1, FX_FRAMES,
                  ptr_of(own, 0, 4), &t), -ENOSYS);
    CHECK_EQ_CASE("PT-22 cmd 7", mmu_decode_ptr(&fx.ft, 1, 1, FX_FRAMES, ptr_of(own, 0, 7), &t),
                  -ENOSYS);
    CHECK_EQ_CASE("PT-22 frame beyond", mmu_decode_ptr(&fx.ft, 1, 1, FX_FRAMES,
                  ptr_of(FX_FRAMES, 0, 0), &t), -EINVAL);
    CHECK_EQ_CASE("PT-22 address above 4G frames", mmu_decode_ptr(&fx.ft, 1, 1, FX_FRAMES,
                  (1ull << 44) | (uint64_t)own << 12, &t), -EINVAL);
    CHECK_EQ_CASE("PT-22 other domain's frame", mmu_decode_ptr(&fx.ft, 1, 1, FX_FRAMES,
                  ptr_of(fx.sp[1].l1, 0, 0), &t), -EINVAL);
    CHECK_EQ_CASE("PT-24 M2P beyond the M2P", mmu_decode_ptr(&fx.ft, 1, 1, own,
                  ptr_of(own, 0, 1), &t), -EINVAL);

    CHECK_EQ_CASE("PT-23 DOMID_SELF", mmu_decode_foreigndom(DOMID_SELF, 1, false, &fd), 0);
    CHECK_EQ(fd, 1);
    CHECK_EQ_CASE("PT-23 own id", mmu_decode_foreigndom(1, 1, false, &fd), -ESRCH);
    CHECK_EQ_CASE("PT-33 foreign, unprivileged", mmu_decode_foreigndom(2, 1, false, &fd),
                  -EPERM);
    CHECK_EQ_CASE("PT-23 foreign table owner",
                  mmu_decode_foreigndom(0x20000u | DOMID_SELF, 1, false, &fd), -EPERM);

    CHECK_EQ_CASE("PT-27 LDT ok", mmuext_decode_ldt(0x1000, 8192, &base), 0);
    CHECK_EQ(base, 0x1000);
    CHECK_EQ_CASE("PT-27 LDT too many", mmuext_decode_ldt(0x1000, 8193, &base), -EINVAL);
    CHECK_EQ_CASE("PT-27 LDT misaligned", mmuext_decode_ldt(0x1008, 1, &base), -EINVAL);
    CHECK_EQ_CASE("PT-27 LDT reaches the hypervisor",
                  mmuext_decode_ldt(HYPERVISOR_VIRT_START - 0x1000, 513, &base), -EINVAL);
    CHECK_EQ_CASE("PT-27 LDT ends at the hypervisor",
                  mmuext_decode_ldt(HYPERVISOR_VIRT_START - 0x1000, 512, &base), 0);
    CHECK_EQ_CASE("PT-27 LDT wraps", mmuext_decode_ldt(0xFFFFF000u, 1024, &base), -EINVAL);
    CHECK_EQ_CASE("PT-27 LDT empty ignores base", mmuext_decode_ldt(0xFFFFF123u, 0, &base), 0);
    CHECK_EQ(base, 0);

    mmu_decode_uvmf(UVMF_INVLPG | UVMF_ALL, &u);
    CHECK(u.flush == UVMF_INVLPG && u.scope == UVMF_SCOPE_ALL);
    mmu_decode_uvmf(UVMF_TLB_FLUSH | 0x12340u, &u);
    CHECK(u.flush == UVMF_TLB_FLUSH && u.scope == UVMF_SCOPE_MASK && u.mask_va == 0x12340u);
    mmu_decode_uvmf(3, &u);
    CHECK_EQ_CASE("PT-29 flush type 3 is none", u.flush, UVMF_NONE);
    CHECK_EQ_CASE("PT-32 array below the hypervisor", mmu_decode_array(0x1000, 16, 16), 0);
    CHECK_EQ_CASE("PT-32 array into the hypervisor",
                  mmu_decode_array(HYPERVISOR_VIRT_START - 16, 2, 16), -EFAULT);
    CHECK_EQ_CASE("PT-32 array count overflow", mmu_decode_array(0x1000, 0x10000000u, 16),
                  -EFAULT);
    CHECK_EQ_CASE("PT-29 guest va", mmu_guest_va(HYPERVISOR_VIRT_START - 1), true);
    CHECK_EQ_CASE("PT-29 hypervisor va", mmu_guest_va(HYPERVISOR_VIRT_START), false);
}

/* ---- mmu_update ---------------------------------------------------------- */

static void test_mmu_update_basics(void)
{
    struct mmu_update r[3];
    uint32_t done = 0, l1 = sp()->l1, d1 = sp()->data[1], d2 = sp()->data[2];

    CHECK_EQ_CASE("PT-22 map RO", one_update(ptr_of(l1, 20, 0), fx_pte(d1, FX_RO)), 0);
    CHECK_EQ(fx_peek(l1, 20), fx_pte(d1, FX_RO));
    AUDIT_OK();
    r[0] = (struct mmu_update){ ptr_of(l1, 21, 0), fx_pte(d2, FX_RO) };
    r[1] = (struct mmu_update){ ptr_of(l1, 22, 0), fx_pte(d2, FX_RO | PTE_G) };
    r[2] = (struct mmu_update){ ptr_of(l1, 23, 0), fx_pte(d2, FX_RO) };
    CHECK_EQ_CASE("PT-22 stop at the first failure", mmu_update(r, 3, &done), -EINVAL);
    CHECK_EQ_CASE("PT-22 done counts the completed", done, 1);
    CHECK(fx_peek(l1, 21) == r[0].val && fx_peek(l1, 22) == 0 && fx_peek(l1, 23) == 0);
    AUDIT_OK();
    r[1].val = fx_pte(d2, FX_RW);
    CHECK_EQ(mmu_update(r, 3, &done), 0);
    CHECK_EQ_CASE("PT-22 done counts all", done, 3);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-22 unknown command", one_update(ptr_of(l1, 24, 4), 0), -ENOSYS);
    CHECK_EQ_CASE("PT-22 cmd 3 refused", one_update(ptr_of(l1, 24, 3), 0), -ENOSYS);
    CHECK_EQ_CASE("PT-22 ptr outside its frames",
                  one_update(ptr_of(FX_FRAMES + 1, 0, 0), 0), -EINVAL);
    CHECK_EQ_CASE("PT-22 ptr in a hypervisor frame", one_update(ptr_of(2, 0, 0), 0), -EINVAL);
    CHECK_EQ_CASE("PT-22 ptr in another domain's L1",
                  one_update(ptr_of(fx.sp[1].l1, 0, 0), 0), -EINVAL);
    CHECK_EQ(fx_peek(fx.sp[1].l1, 0), fx_pte(fx.sp[1].data[0], FX_RW));
    AUDIT_OK();
}

static void test_mmu_update_tables(void)
{
    struct fx_space *s = sp();
    uint32_t fresh = fx_alloc(&fx, 0), l2 = fx_alloc(&fx, 0);

    CHECK_EQ_CASE("PT-12 hypervisor slot 428 refused",
                  one_update(ptr_of(s->l2_xen, 428, 0), 0), -EPERM);
    CHECK_EQ_CASE("PT-12 hypervisor slot 511 refused",
                  one_update(ptr_of(s->l2_xen, 511, 0), fx_pte(s->l1, FX_TAB)), -EPERM);
    CHECK_EQ(fx_peek(s->l2_xen, 511), fx.xen_slots[PT_XEN_SLOTS - 1]);
    CHECK_EQ_CASE("PT-12 guest slot 427 of the slot-3 L2",
                  one_update(ptr_of(s->l2_xen, 427, 0), fx_pte(fresh, FX_TAB)), 0);
    CHECK_EQ(fx_frame(&fx, fresh)->type, PGT_L1);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-13 L3 slot 3 change refused",
                  one_update(ptr_of(s->l3, 3, 0), fx_pte(l2, FX_PDPTE)), -EINVAL);
    CHECK_EQ_CASE("PT-13 L3 slot 3 same value refused",
                  one_update(ptr_of(s->l3, 3, 0), fx_peek(s->l3, 3)), -EINVAL);
    CHECK_EQ_CASE("PT-13 ignored part of the L3 frame",
                  one_update(ptr_of(s->l3, 100, 0), 0), -EINVAL);
    hosted_hw_reset();
    CHECK_EQ_CASE("PT-9 L3 slot 1 to a fresh L2", one_update(ptr_of(s->l3, 1, 0),
                  fx_pte(l2, FX_PDPTE)), 0);
    CHECK_EQ_CASE("PT-20 PDPTEs reloaded", hosted_hw()->l3_updated, 1);
    CHECK_EQ(hosted_hw()->last_l3, s->l3);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-5 L3 RW|US|A|D accepted on the fast path", one_update(ptr_of(s->l3, 1, 0),
                  fx_pte(l2, FX_PDPTE | 0x66)), 0);
    CHECK_EQ_CASE("PT-5 ... stored without them", fx_peek(s->l3, 1), fx_pte(l2, FX_PDPTE));
    CHECK_EQ_CASE("PT-5 L3 PCD refused", one_update(ptr_of(s->l3, 1, 0),
                  fx_pte(l2, FX_PDPTE | PTE_PCD)), -EINVAL);
    AUDIT_OK();
    CHECK_EQ(one_update(ptr_of(s->l3, 1, 0), fx_pte(l2, FX_PDPTE | 0x200)), 0);
    CHECK_EQ_CASE("PT-19 AVAIL change needs no reload", hosted_hw()->l3_updated, 1);
    CHECK_EQ(one_update(ptr_of(s->l3, 1, 0), 0), 0);
    CHECK_EQ_CASE("PT-20 L3 removal flushes", hosted_hw()->tlb_flush_all, 1);
    CHECK_EQ(fx_frame(&fx, l2)->type, PGT_NONE);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-5 L3 P|RW|US|A|D to a fresh L2", one_update(ptr_of(s->l3, 1, 0),
                  fx_pte(l2, FX_PDPTE | 0x66)), 0);
    CHECK_EQ_CASE("PT-5 ... stored as a PDPTE", fx_peek(s->l3, 1), fx_pte(l2, FX_PDPTE));
    CHECK_EQ(fx_frame(&fx, l2)->type, PGT_L2);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-14 recursive L3 with RW|US|A|D: the linear rule refuses",
                  one_update(ptr_of(s->l3, 2, 0), fx_pte(s->l3, FX_PDPTE | 0x66)), -EINVAL);
    CHECK_EQ(one_update(ptr_of(s->l3, 1, 0), 0), 0);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-4 PSE via mmu_update",
                  one_update(ptr_of(s->l2_low, 7, 0), fx_pte(512, FX_TAB | PTE_PSE)), -EINVAL);
    CHECK_EQ_CASE("PT-8 linear L2 via mmu_update",
                  one_update(ptr_of(s->l2_low, 7, 0), fx_pte(s->l2_low, PTE_P)), -EINVAL);
    AUDIT_OK();
}

static void test_mmu_update_data(void)
{
    struct fx_space *s = sp();
    uint32_t gdt = fx_alloc(&fx, 0);

    CHECK_EQ_CASE("PT-22 plain write to a data frame",
                  one_update(ptr_of(s->data[1], 5, 0), 0x1122334455667788ull), 0);
    CHECK_EQ(fx_peek(s->data[1], 5), 0x1122334455667788ull);
    CHECK_EQ(pt_get_typed_begin(dom1(), gdt, PGT_SEG_DESC), PT_TYPE_NEW);
    pt_get_typed_end(dom1(), gdt, true);
    fx.holds[0] = (struct pt_audit_hold){ gdt, 1, 1, PGT_SEG_DESC };
    fx.nr_holds = 1;
    CHECK_EQ_CASE("PT-22 descriptor frame refused", one_update(ptr_of(gdt, 0, 0), 1), -EINVAL);
    pt_put_typed_leaf(dom1(), gdt, PGT_SEG_DESC);
    fx.nr_holds = 0;
    AUDIT_OK();

    CHECK_EQ_CASE("PT-24 M2P of own frame", one_update(ptr_of(s->data[2], 0, 1), 77), 0);
    CHECK_EQ(fx.m2p[s->data[2]], 77);
    CHECK_EQ_CASE("PT-24 M2P of a foreign frame",
                  one_update(ptr_of(fx.sp[1].data[0], 0, 1), 77), -EINVAL);
    CHECK_EQ(fx.m2p[fx.sp[1].data[0]], 0);
    CHECK_EQ_CASE("PT-24 M2P of a hypervisor frame", one_update(ptr_of(1, 0, 1), 7), -EINVAL);
    AUDIT_OK();
}

static void test_mmu_update_flush(void)
{
    struct fx_space *s = sp();
    uint32_t l1 = s->l1, d = s->data[3];

    CHECK_EQ(one_update(ptr_of(l1, 60, 0), fx_pte(d, FX_RW)), 0);
    hosted_hw_reset();
    CHECK_EQ(one_update(ptr_of(l1, 60, 0), fx_pte(d, FX_RW | PTE_NX)), 0);
    CHECK_EQ_CASE("PT-19 NX change is not a downgrade", hosted_hw()->tlb_flush_all, 0);
    CHECK_EQ(one_update(ptr_of(l1, 60, 0), fx_pte(d, FX_RO)), 0);
    CHECK_EQ_CASE("PT-20 RW to RO flushes", hosted_hw()->tlb_flush_all, 1);
    CHECK_EQ(one_update(ptr_of(l1, 60, 0), fx_pte(d, FX_RW)), 0);
    CHECK_EQ_CASE("PT-20 RO to RW does not flush", hosted_hw()->tlb_flush_all, 1);
    CHECK_EQ(one_update(ptr_of(l1, 60, 0), 0), 0);
    CHECK_EQ_CASE("PT-20 unmap flushes", hosted_hw()->tlb_flush_all, 2);
    AUDIT_OK();

    fx_poke(l1, 61, 0);
    CHECK_EQ(one_update(ptr_of(l1, 61, 0), fx_pte(d, PTE_P | PTE_A | PTE_D)), 0);
    CHECK_EQ_CASE("PT-19 preserve A/D", one_update(ptr_of(l1, 61, 2), fx_pte(d, PTE_P)), 0);
    CHECK_EQ(fx_peek(l1, 61), fx_pte(d, PTE_P | PTE_A | PTE_D));
    CHECK_EQ(one_update(ptr_of(l1, 61, 0), 0), 0);
    AUDIT_OK();
}

static void test_mmu_update_args(void)
{
    struct mmu_update r = { ptr_of(sp()->l1, 70, 0), fx_pte(sp()->data[0], FX_RO) };
    guest_ptr_t reqs = fx_guest_put(&fx, 0, &r, sizeof(r));
    guest_ptr_t bad = guest_ptr(FX_GUEST_VA + FX_GUEST_LEN);

    CHECK_EQ_CASE("PT-23 own id as foreigndom",
                  pt_do_mmu_update(dom1(), reqs, 1, NO_DONE, dom1()->dom, NULL), -ESRCH);
    CHECK_EQ_CASE("PT-23 foreign domain", pt_do_mmu_update(dom1(), reqs, 1, NO_DONE, 2, NULL), -EPERM);
    CHECK_EQ_CASE("PT-32 requests unreadable", pt_do_mmu_update(dom1(), bad, 1, NO_DONE,
                  DOMID_SELF, NULL), -EFAULT);
    CHECK_EQ_CASE("PT-32 requests into the hypervisor",
                  pt_do_mmu_update(dom1(), guest_ptr(HYPERVISOR_VIRT_START - 16), 2, NO_DONE,
                                   DOMID_SELF, NULL), -EFAULT);
    /* HC-2: the continuation flag from the guest itself: the batch runs
     * and adds to the done the guest has (test_preempt.c has the rest) */
    {
        uint32_t five = 5;

        fx_guest_put(&fx, DONE_OFF, &five, sizeof(five));
        CHECK_EQ_CASE("HC-2 preempted bit accepted",
                      pt_do_mmu_update(dom1(), reqs, MMU_UPDATE_PREEMPTED | 1,
                                       guest_ptr(FX_GUEST_VA + DONE_OFF), DOMID_SELF, NULL), 0);
        fx_guest_get(&fx, DONE_OFF, &five, sizeof(five));
        CHECK_EQ_CASE("HC-2 done added to", five, 6);
        CHECK_EQ(fx_peek(sp()->l1, 70), r.val);
        CHECK_EQ(one_update(ptr_of(sp()->l1, 70, 0), 0), 0);
        reqs = fx_guest_put(&fx, 0, &r, sizeof(r));
    }
    CHECK_EQ(fx_peek(sp()->l1, 70), 0);
    CHECK_EQ_CASE("PT-22 done unwritable",
                  pt_do_mmu_update(dom1(), reqs, 1, bad, DOMID_SELF, NULL), -EFAULT);
    CHECK_EQ(fx_peek(sp()->l1, 70), r.val);
    CHECK_EQ_CASE("PT-22 no done pointer", pt_do_mmu_update(dom1(), reqs, 1, NO_DONE,
                  DOMID_SELF, NULL), 0);
    CHECK_EQ(pt_do_mmu_update(dom1(), reqs, 0, NO_DONE, DOMID_SELF, NULL), 0);
    AUDIT_OK();
}

/* ---- mmuext_op ----------------------------------------------------------- */

/* A second valid L3 for domain 1, sharing l2_low, with its own slot-3 L2. */
static uint32_t second_l3(void)
{
    uint32_t l3 = fx_alloc(&fx, 0), xl2 = fx_alloc(&fx, 0);

    fx_poke(l3, 0, fx_pte(sp()->l2_low, FX_PDPTE));
    fx_poke(l3, 3, fx_pte(xl2, FX_PDPTE));
    return l3;
}

static void test_mmuext_pins(void)
{
    struct mmuext_op ops[3];
    uint32_t done = 0, l1 = fx_alloc(&fx, 0);

    memset(ops, 0, sizeof(ops));
    ops[0].cmd = MMUEXT_PIN_L1_TABLE;
    ops[0].arg1.mfn = l1;
    ops[1].cmd = MMUEXT_PIN_L4_TABLE;
    ops[1].arg1.mfn = l1;
    ops[2].cmd = MMUEXT_PIN_L1_TABLE;
    ops[2].arg1.mfn = l1;
    CHECK_EQ_CASE("PT-25 pin twice in a batch", mmuext(ops, 3, &done), -EINVAL);
    CHECK_EQ_CASE("PT-25 PIN_L4 ignored, counted done", done, 2);
    CHECK(pt_frame_pinned(fx_frame(&fx, l1)));
    AUDIT_OK();
    CHECK_EQ_CASE("PT-25 unpin", one_ext(MMUEXT_UNPIN_TABLE, l1, 0), 0);
    CHECK_EQ_CASE("PT-25 unpin not pinned", one_ext(MMUEXT_UNPIN_TABLE, l1, 0), -EINVAL);
    CHECK_EQ_CASE("PT-25 PIN_L2 of a data frame mapped RW",
                  one_ext(MMUEXT_PIN_L2_TABLE, sp()->data[0], 0), -EINVAL);
    CHECK_EQ_CASE("PT-25 unpin a table still in use",
                  one_ext(MMUEXT_UNPIN_TABLE, sp()->l3, 0), 0);
    CHECK_EQ(fx_frame(&fx, sp()->l3)->type, PGT_L3);
    AUDIT_OK();
    CHECK_EQ(one_ext(MMUEXT_PIN_L3_TABLE, sp()->l3, 0), 0);
    AUDIT_OK();
}

static void test_mmuext_baseptr(void)
{
    uint32_t l3 = second_l3(), old = sp()->l3;

    CHECK_EQ_CASE("PT-26 NEW_BASEPTR to a data frame",
                  one_ext(MMUEXT_NEW_BASEPTR, sp()->data[0], 0), -EINVAL);
    CHECK_EQ_CASE("PT-26 NEW_BASEPTR to an L1", one_ext(MMUEXT_NEW_BASEPTR, sp()->l1, 0),
                  -EINVAL);
    CHECK_EQ_CASE("PT-26 NEW_BASEPTR to an L2",
                  one_ext(MMUEXT_NEW_BASEPTR, sp()->l2_low, 0), -EINVAL);
    CHECK_EQ(dom1()->cr3_mfn, old);
    AUDIT_OK();
    hosted_hw_reset();
    CHECK_EQ_CASE("PT-26 NEW_BASEPTR to a fresh L3", one_ext(MMUEXT_NEW_BASEPTR, l3, 0), 0);
    CHECK_EQ(dom1()->cr3_mfn, l3);
    CHECK_EQ(hosted_hw()->last_cr3, l3);
    CHECK_EQ_CASE("PT-26 old base released", fx_frame(&fx, old)->type_count, 1);
    AUDIT_OK();
    CHECK_EQ(one_ext(MMUEXT_NEW_BASEPTR, old, 0), 0);
    CHECK_EQ_CASE("PT-26 unused L3 devalidated", fx_frame(&fx, l3)->type, PGT_NONE);
    AUDIT_OK();
}

static void test_mmuext_misc(void)
{
    hosted_hw_reset();
    CHECK_EQ(one_ext(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_EQ(one_ext(MMUEXT_TLB_FLUSH_ALL, 0, 0), 0);
    CHECK_EQ(one_ext(MMUEXT_TLB_FLUSH_MULTI, 0, 0x1234), 0);
    CHECK(hosted_hw()->tlb_flush_local == 1 && hosted_hw()->tlb_flush_all == 2);
    CHECK_EQ(one_ext(MMUEXT_INVLPG_LOCAL, FX_DATA_VA, 0), 0);
    CHECK_EQ(one_ext(MMUEXT_INVLPG_ALL, FX_DATA_VA + 0x1000, 0), 0);
    CHECK(hosted_hw()->invlpg_local == 1 && hosted_hw()->invlpg_all == 1);
    CHECK_EQ(hosted_hw()->last_invlpg_va, FX_DATA_VA + 0x1000);
    CHECK_EQ_CASE("PT-28 INVLPG of a hypervisor address ignored",
                  one_ext(MMUEXT_INVLPG_ALL, HYPERVISOR_VIRT_START, 0), 0);
    CHECK_EQ(hosted_hw()->invlpg_all, 1);

    CHECK_EQ_CASE("PT-27 SET_LDT", one_ext(MMUEXT_SET_LDT, 0x20000, 16), 0);
    CHECK(dom1()->ldt_base == 0x20000 && dom1()->ldt_ents == 16);
    CHECK(hosted_hw()->ldt_changed == 1 && hosted_hw()->ldt_ents == 16);
    CHECK_EQ_CASE("PT-27 SET_LDT misaligned", one_ext(MMUEXT_SET_LDT, 0x20010, 16), -EINVAL);
    CHECK_EQ_CASE("PT-27 SET_LDT too many", one_ext(MMUEXT_SET_LDT, 0x20000, 8193), -EINVAL);
    CHECK_EQ_CASE("PT-27 SET_LDT into the hypervisor",
                  one_ext(MMUEXT_SET_LDT, HYPERVISOR_VIRT_START - 0x1000, 1024), -EINVAL);
    CHECK(dom1()->ldt_base == 0x20000 && dom1()->ldt_ents == 16);
    CHECK_EQ_CASE("PT-27 SET_LDT empty", one_ext(MMUEXT_SET_LDT, 0x20010, 0), 0);
    CHECK(dom1()->ldt_base == 0 && dom1()->ldt_ents == 0);

    CHECK_EQ_CASE("PT-30 unassigned 14", one_ext(14, 0, 0), -ENOSYS);
    CHECK_EQ_CASE("PT-30 CLEAR_PAGE", one_ext(MMUEXT_CLEAR_PAGE, sp()->data[0], 0), -ENOSYS);
    CHECK_EQ_CASE("PT-30 MARK_SUPER", one_ext(MMUEXT_MARK_SUPER, sp()->data[0], 0), -ENOSYS);
    CHECK_EQ_CASE("PT-23 mmuext foreign",
                  pt_do_mmuext_op(dom1(), guest_ptr(FX_GUEST_VA), 1, NO_DONE, 2, NULL), -EPERM);
    AUDIT_OK();
}

/* ---- update_va_mapping ---------------------------------------------------- */

static void test_update_va_mapping(void)
{
    struct fx_space *s = sp();
    uint32_t va = FX_DATA_VA + 80 * PAGE_SIZE;

    hosted_hw_reset();
    CHECK_EQ_CASE("PT-29 map", pt_do_update_va_mapping(dom1(), va, fx_pte(s->data[2], FX_RO),
                  UVMF_INVLPG), 0);
    CHECK_EQ(fx_peek(s->l1, 80), fx_pte(s->data[2], FX_RO));
    CHECK(hosted_hw()->invlpg_local == 1 && hosted_hw()->last_invlpg_va == va);
    AUDIT_OK();
    CHECK_EQ_CASE("PT-29 unmap, flush all", pt_do_update_va_mapping(dom1(), va, 0,
                  UVMF_TLB_FLUSH | UVMF_ALL), 0);
    CHECK_EQ(hosted_hw()->tlb_flush_all, 2);           /* the downgrade + the request */
    AUDIT_OK();
    CHECK_EQ_CASE("PT-29 hypervisor va", pt_do_update_va_mapping(dom1(),
                  HYPERVISOR_VIRT_START, 0, 0), -EINVAL);
    CHECK_EQ_CASE("PT-29 va without an L1",
                  pt_do_update_va_mapping(dom1(), 0x40000000u, 0, 0), -EINVAL);
    CHECK_EQ_CASE("PT-29 va under an absent L2 entry",
                  pt_do_update_va_mapping(dom1(), 0x00200000u, 0, 0), -EINVAL);
    CHECK_EQ_CASE("PT-29 unreadable vCPU mask", pt_do_update_va_mapping(dom1(), va,
                  fx_pte(s->data[2], FX_RO), UVMF_TLB_FLUSH | 0x30000000u), -EFAULT);
    CHECK_EQ(fx_peek(s->l1, 80), 0);
    CHECK_EQ_CASE("PT-29 readable vCPU mask", pt_do_update_va_mapping(dom1(), va,
                  fx_pte(s->data[2], FX_RO), UVMF_TLB_FLUSH | FX_GUEST_VA), 0);
    CHECK_EQ_CASE("PT-6 map a foreign frame", pt_do_update_va_mapping(dom1(), va,
                  fx_pte(fx.sp[1].data[2], FX_RO), 0), -EBUSY);
    CHECK_EQ_CASE("PT-7 map own L2 writable", pt_do_update_va_mapping(dom1(), va,
                  fx_pte(s->l2_low, FX_RW), 0), -EBUSY);
    CHECK_EQ_CASE("PT-29 high half through the slot-3 L2",
                  pt_do_update_va_mapping(dom1(), FX_HIGH_VA + PAGE_SIZE,
                                          fx_pte(s->data[1], FX_RO), 0), 0);
    CHECK_EQ(fx_peek(s->l1_hi, 1), fx_pte(s->data[1], FX_RO));
    AUDIT_OK();
    dom1()->cr3_mfn = INVALID_MFN;
    CHECK_EQ_CASE("PT-29 no base table", pt_do_update_va_mapping(dom1(), va, 0, 0), -EINVAL);
    dom1()->cr3_mfn = s->l3;
    AUDIT_OK();
}

int main(void)
{
    fx_init(&fx);
    CHECK_EQ(fx_build(&fx, 0), 0);
    CHECK_EQ(fx_build(&fx, 1), 0);
    AUDIT_OK();
    test_decoders();
    test_mmu_update_basics();
    test_mmu_update_tables();
    test_mmu_update_data();
    test_mmu_update_flush();
    test_mmu_update_args();
    test_mmuext_pins();
    test_mmuext_baseptr();
    test_mmuext_misc();
    test_update_va_mapping();
    hosted_env_fini();
    return check_report();
}
