/*
 * Continuations (hv/core/hc_cont.c and every preemptible batch: mmu_ops,
 * gnttab_op, mc_batch), driven as a guest under preemption would be: the
 * hosted env says "other work is due" on every n-th question, and each
 * -ERESTART is issued again with exactly the arguments the core encoded,
 * as the guest re-executing its `int $0x82` does. Every case checks what
 * Xen's guest sees: the encodings (HC-2..HC-6), the final result and
 * `done` equal to a run without preemption, every element done exactly
 * once, an error after a stopping point reported at its own index, and
 * the audit clean at every stopping point.
 */
#include "check.h"
#include "pt_fixture.h"
#include "gnttab.h"
#include "hc_cont.h"
#include "mc_batch.h"
#include "pv/hypercall.h"
#include "pv/memory.h"
#include "pv/mmu.h"
#include "pv/multicall.h"

static struct fx fx;

#define DONE_OFF  0xF000u           /* the guest's `done` word */
#define MC_OFF    0xE000u           /* multicall entries */
#define MAX_ISSUES 100000u

static struct pt_ctx *dom1(void) { return &fx.ctx[0]; }
static struct fx_space *sp(void) { return &fx.sp[0]; }

static uint64_t ptr_of(uint32_t mfn, uint32_t slot)
{
    return ((uint64_t)mfn << PAGE_SHIFT) + slot * PT_ENTRY_SIZE;
}

static uint32_t guest_done(void)
{
    uint32_t d;

    fx_guest_get(&fx, DONE_OFF, &d, sizeof(d));
    return d;
}

static void set_done(uint32_t d)
{
    fx_guest_put(&fx, DONE_OFF, &d, sizeof(d));
}

static void fresh(void)
{
    fx_init(&fx);
    CHECK_EQ(fx_build(&fx, 0), 0);
    CHECK_EQ(fx_build(&fx, 1), 0);
}

/* ---- encodings ------------------------------------------------------------ */

static void test_encodings(void)
{
    struct hc_cont c;
    uint32_t op = 0, start = 0, n = 0;

    hc_cont_mmu(&c, 0x1000, 16, 100, 30, 0x2000, DOMID_SELF);
    CHECK_EQ_CASE("HC-2 list advanced", c.args[0], 0x1000 + 30 * 16);
    CHECK_EQ_CASE("HC-2 count left | PREEMPTED", c.args[1], 70u | MMU_UPDATE_PREEMPTED);
    CHECK_EQ_CASE("HC-2 done unchanged", c.args[2], 0x2000);
    CHECK_EQ_CASE("HC-2 foreigndom unchanged", c.args[3], DOMID_SELF);
    CHECK_EQ_CASE("HC-2 flag seen", hc_mmu_count(70u | MMU_UPDATE_PREEMPTED, &n), true);
    CHECK_EQ_CASE("HC-2 count without the flag", n, 70);
    CHECK_EQ_CASE("HC-2 no flag", hc_mmu_count(70, &n), false);

    hc_memop_cmd(XENMEM_populate_physmap | (1234u << MEMOP_EXTENT_SHIFT), &op, &start);
    CHECK_EQ_CASE("HC-3 op", op, XENMEM_populate_physmap);
    CHECK_EQ_CASE("HC-3 start extent", start, 1234);
    hc_cont_memop(&c, XENMEM_decrease_reservation, 77, 0x3000);
    CHECK_EQ_CASE("HC-3 cmd", c.args[0], XENMEM_decrease_reservation | (77u << 6));
    CHECK_EQ_CASE("HC-3 arg unchanged", c.args[1], 0x3000);

    hc_cont_gnttab(&c, GNTTABOP_copy, 0x4000, 24, 10, 4);
    CHECK_EQ_CASE("HC-4 cmd", c.args[0], GNTTABOP_copy);
    CHECK_EQ_CASE("HC-4 uop", c.args[1], 0x4000 + 4 * 24);
    CHECK_EQ_CASE("HC-4 count", c.args[2], 6);

    hc_cont_multicall(&c, 0x5000, 9, 3);
    CHECK_EQ_CASE("HC-5 list at the entry", c.args[0], 0x5000 + 3 * 32);
    CHECK_EQ_CASE("HC-5 entries left", c.args[1], 6);

    hc_cont_console(&c, 1000, 0x6000, 384);
    CHECK_EQ_CASE("HC-6 write", c.args[0], 0);
    CHECK_EQ_CASE("HC-6 bytes left", c.args[1], 616);
    CHECK_EQ_CASE("HC-6 buffer advanced", c.args[2], 0x6000 + 384);

    hosted_set_preempt(1);
    CHECK_EQ_CASE("HC-1 never before the first element", hc_should_stop(0, &c), false);
    CHECK_EQ_CASE("HC-1 a caller that cannot stop", hc_should_stop(5, NULL), false);
    CHECK_EQ_CASE("HC-1 work due", hc_should_stop(1, &c), true);
    hosted_set_preempt(0);
    CHECK_EQ_CASE("HC-1 nothing due", hc_should_stop(1, &c), false);
}

/* ---- mmu_update ------------------------------------------------------------ */

#define NR_REQS 700u

/* 512 PTEs into a fresh pinned L1, then 188 of them again with other rights. */
static uint32_t put_mmu_batch(struct mmu_update *r, uint32_t l1, uint32_t bad_at)
{
    uint32_t i;

    for (i = 0; i < NR_REQS; i++) {
        uint32_t slot = i % 512u;
        uint64_t flags = i < 512u ? FX_RW : FX_RO;

        r[i].ptr = ptr_of(l1, slot);
        r[i].val = fx_pte(sp()->data[i % FX_NR_DATA], flags);
    }
    if (bad_at < NR_REQS)
        r[bad_at].ptr = ptr_of(fx.sp[1].data[0], 0);    /* not ours: -EINVAL (PT-22) */
    return NR_REQS;
}

struct mmu_run {
    int rc;
    uint32_t done, issues, l1;
    uint64_t entries[512];
    uint32_t refs[FX_NR_DATA], type_refs[FX_NR_DATA];
};

/* One mmu_update as the guest sees it: issued until it does not stop. */
static void run_mmu_update(struct mmu_run *out, uint32_t every, uint32_t bad_at)
{
    static struct mmu_update reqs[NR_REQS];
    struct hc_cont c;
    uint32_t args[4], i;

    fresh();
    out->l1 = fx_alloc(&fx, 0);
    CHECK_EQ(pt_pin_table(dom1(), out->l1, PGT_L1), 0);
    put_mmu_batch(reqs, out->l1, bad_at);
    args[0] = fx_guest_put(&fx, 0, reqs, sizeof(reqs)).va;
    args[1] = NR_REQS;
    args[2] = FX_GUEST_VA + DONE_OFF;
    args[3] = DOMID_SELF;
    set_done(0xDEAD);
    hosted_set_preempt(every);
    for (out->issues = 1; out->issues < MAX_ISSUES; out->issues++) {
        out->rc = pt_do_mmu_update(dom1(), guest_ptr(args[0]), args[1], guest_ptr(args[2]),
                                   args[3], &c);
        if (out->rc != -ERESTART)
            break;
        /* HC-2: what the guest holds between two issues */
        CHECK_EQ_CASE("HC-2 done so far", guest_done(),
                      (c.args[0] - args[0]) / 16u + (NR_REQS - (args[1] & ~MMU_UPDATE_PREEMPTED)));
        CHECK_EQ_CASE("HC-2 flag", c.args[1] & MMU_UPDATE_PREEMPTED, MMU_UPDATE_PREEMPTED);
        CHECK_EQ_CASE("PT-41 audit at a stopping point", fx_audit(&fx), 0);
        for (i = 0; i < 4; i++)
            args[i] = c.args[i];
    }
    hosted_set_preempt(0);
    out->done = guest_done();
    for (i = 0; i < 512; i++)
        out->entries[i] = fx_peek(out->l1, i);
    for (i = 0; i < FX_NR_DATA; i++) {
        out->refs[i] = fx_frame(&fx, sp()->data[i])->refcount;
        out->type_refs[i] = fx_frame(&fx, sp()->data[i])->type_count;
    }
    CHECK_EQ(fx_audit(&fx), 0);
}

static void compare_runs(const char *what, const struct mmu_run *a, const struct mmu_run *b)
{
    uint32_t i, same = 1;

    CHECK_EQ_CASE(what, a->rc, b->rc);
    CHECK_EQ_CASE(what, a->done, b->done);
    for (i = 0; i < 512; i++)
        same &= a->entries[i] == b->entries[i];
    for (i = 0; i < FX_NR_DATA; i++)
        same &= a->refs[i] == b->refs[i] && a->type_refs[i] == b->type_refs[i];
    CHECK_EQ_CASE(what, same, 1);
}

static void test_mmu_update(void)
{
    static struct mmu_run plain, stopped, bad_plain, bad_stopped;

    run_mmu_update(&plain, 0, NR_REQS);
    CHECK_EQ_CASE("HC-2 no preemption: one issue", plain.issues, 1);
    CHECK_EQ(plain.rc, 0);
    CHECK_EQ(plain.done, NR_REQS);
    run_mmu_update(&stopped, 7, NR_REQS);
    CHECK_CASE_GE("HC-2 preempted many times", stopped.issues, 50);
    compare_runs("HC-2 same result as without preemption", &stopped, &plain);

    run_mmu_update(&bad_plain, 0, 600);
    CHECK_EQ_CASE("PT-22 error at its index", bad_plain.rc, -EINVAL);
    CHECK_EQ_CASE("PT-22 done up to it", bad_plain.done, 600);
    run_mmu_update(&bad_stopped, 5, 600);
    CHECK_CASE_GE("HC-2 stopped before the bad request", bad_stopped.issues, 50);
    compare_runs("HC-2 bad request after stopping points", &bad_stopped, &bad_plain);

    /* every issue does one request: the most issues a batch can take */
    run_mmu_update(&stopped, 1, NR_REQS);
    CHECK_EQ_CASE("HC-1 one request per issue", stopped.issues, NR_REQS);
    compare_runs("HC-2 one request per issue", &stopped, &plain);

    /* Xen's marker call: nothing done, foreigndom returned */
    CHECK_EQ_CASE("HC-2 marker call", pt_do_mmu_update(dom1(), guest_ptr(0),
                  MMU_UPDATE_PREEMPTED, guest_ptr(0), 0x1234, NULL), 0x1234);
    CHECK_EQ_CASE("HC-2 marker call (mmuext)", pt_do_mmuext_op(dom1(), guest_ptr(0),
                  MMU_UPDATE_PREEMPTED, guest_ptr(0), DOMID_SELF, NULL), DOMID_SELF);
}

/* ---- mmuext_op: pin and unpin the same table, each exactly once ----------- */

#define NR_EXT 200u

/* NR_EXT/2 pin-unpin pairs of `l1`, optionally a bad command at bad_at. */
static guest_ptr_t put_pin_chain(uint32_t off, uint32_t l1, uint32_t bad_at)
{
    static struct mmuext_op ops[NR_EXT];
    uint32_t i;

    memset(ops, 0, sizeof(ops));
    for (i = 0; i < NR_EXT; i++) {
        ops[i].cmd = i % 2 ? MMUEXT_UNPIN_TABLE : MMUEXT_PIN_L1_TABLE;
        ops[i].arg1.mfn = l1;
    }
    if (bad_at < NR_EXT)
        ops[bad_at].cmd = 99;                                   /* PT-30: -ENOSYS */
    return fx_guest_put(&fx, off, ops, sizeof(ops));
}

static int run_mmuext(uint32_t l1, uint32_t every, uint32_t bad_at, uint32_t *issues)
{
    struct hc_cont c;
    uint32_t args[4], i;
    int rc = 0;

    args[0] = put_pin_chain(0, l1, bad_at).va;
    args[1] = NR_EXT;
    args[2] = FX_GUEST_VA + DONE_OFF;
    args[3] = DOMID_SELF;
    set_done(0);
    hosted_set_preempt(every);
    for (*issues = 1; *issues < MAX_ISSUES; (*issues)++) {
        rc = pt_do_mmuext_op(dom1(), guest_ptr(args[0]), args[1], guest_ptr(args[2]), args[3],
                             &c);
        if (rc != -ERESTART)
            break;
        CHECK_EQ_CASE("PT-41 audit at a stopping point", fx_audit(&fx), 0);
        for (i = 0; i < 4; i++)
            args[i] = c.args[i];
    }
    hosted_set_preempt(0);
    return rc;
}

static void test_mmuext(void)
{
    uint32_t l1, issues = 0;

    fresh();
    l1 = fx_alloc(&fx, 0);
    /* a pin done twice or an unpin skipped would fail (PT-25): exactly once */
    CHECK_EQ_CASE("HC-2 pin/unpin chain", run_mmuext(l1, 3, NR_EXT, &issues), 0);
    CHECK_CASE_GE("HC-2 chain preempted", issues, 40);
    CHECK_EQ_CASE("HC-2 chain done", guest_done(), NR_EXT);
    CHECK_EQ_CASE("HC-2 table left unpinned", fx_frame(&fx, l1)->type_count, 0);
    CHECK_EQ(fx_audit(&fx), 0);
    CHECK_EQ_CASE("PT-30 bad op after stopping points", run_mmuext(l1, 4, 151, &issues),
                  -ENOSYS);
    CHECK_EQ_CASE("PT-30 done up to it", guest_done(), 151);
    CHECK_EQ_CASE("PT-30 left pinned by op 150", pt_unpin_table(dom1(), l1), 0);
    CHECK_EQ(fx_audit(&fx), 0);
}

/* ---- grant copy: a shift left, which a repeated or skipped copy breaks ---- */

#define NR_COPY 300u

static void test_gnttab_copy(void)
{
    static struct gnttab_copy ops[NR_COPY];
    static struct gnttab_domain *none[3];
    struct gnttab_world w = { none, 3, false };
    struct gnttab_call call = { &w, NULL };
    uint32_t frame, i, issues, bad = 0;
    struct hc_cont c;
    uint32_t args[3];
    uint8_t *bytes;
    int rc = 0;

    fresh();
    call.ctx = dom1();
    frame = sp()->data[1];
    bytes = hosted_frame(frame);
    for (i = 0; i <= NR_COPY; i++)
        bytes[i] = (uint8_t)(i * 7u + 1u);
    memset(ops, 0, sizeof(ops));
    for (i = 0; i < NR_COPY; i++) {
        ops[i].source.u.gmfn = frame;
        ops[i].source.domid = DOMID_SELF;
        ops[i].source.offset = (uint16_t)(i + 1u);
        ops[i].dest.u.gmfn = frame;
        ops[i].dest.domid = DOMID_SELF;
        ops[i].dest.offset = (uint16_t)i;
        ops[i].len = 1;
        ops[i].status = 99;
    }
    ops[250].len = PAGE_SIZE;                       /* GNT-15: crosses its page */
    args[0] = GNTTABOP_copy;
    args[1] = fx_guest_put(&fx, 0, ops, sizeof(ops)).va;
    args[2] = NR_COPY;
    hosted_set_preempt(5);
    for (issues = 1; issues < MAX_ISSUES; issues++) {
        rc = gnttab_op(&call, args[0], guest_ptr(args[1]), args[2], &c);
        if (rc != -ERESTART)
            break;
        CHECK_EQ_CASE("HC-4 cmd unchanged", c.args[0], GNTTABOP_copy);
        for (i = 0; i < 3; i++)
            args[i] = c.args[i];
    }
    hosted_set_preempt(0);
    CHECK_EQ_CASE("HC-4 batch result", rc, 0);
    CHECK_CASE_GE("HC-4 preempted", issues, 50);
    fx_guest_get(&fx, 0, ops, sizeof(ops));
    for (i = 0; i < NR_COPY; i++)
        bad += ops[i].status != (i == 250 ? GNTST_bad_copy_arg : GNTST_okay);
    CHECK_EQ_CASE("HC-4 every status, the bad one at its index", bad, 0);
    for (i = 0, bad = 0; i < NR_COPY; i++)
        bad += bytes[i] != (uint8_t)((i == 250 ? i : i + 1u) * 7u + 1u);
    CHECK_EQ_CASE("HC-4 each copy exactly once", bad, 0);
    CHECK_EQ(fx_audit(&fx), 0);
}

/* ---- multicall -------------------------------------------------------------- */

static unsigned calls_by_op[64];
static uint32_t iret_eax_model;

/* The hypercall table a multicall entry reaches (the glue's, in small). */
static int32_t mc_entry(uint32_t op, const uint32_t args[5], struct hc_cont *sub,
                        bool *preempted)
{
    int rc;

    calls_by_op[op % 64]++;
    switch (op) {
    case __HYPERVISOR_mmu_update:
        rc = pt_do_mmu_update(dom1(), guest_ptr(args[0]), args[1], guest_ptr(args[2]), args[3],
                              sub);
        break;
    case __HYPERVISOR_mmuext_op:
        rc = pt_do_mmuext_op(dom1(), guest_ptr(args[0]), args[1], guest_ptr(args[2]), args[3],
                             sub);
        break;
    case __HYPERVISOR_xen_version:
        return 0x40002;
    case __HYPERVISOR_iret:
        return (int32_t)iret_eax_model;     /* the glue's iret: the frame's EAX */
    default:
        return -ENOSYS;
    }
    *preempted = rc == -ERESTART;
    return rc;
}

#define NR_MC 5u
#define CHAIN_OFF(k) (0x1000u + (k) * 0x1000u)
#define DONE_AT(k) (DONE_OFF + 4u * (k))

/* Entries 0, 2, 4: pin/unpin chains of their own table; 1: xen_version;
 * 3: mmu_update with a bad request at 40 of 60. */
static void put_multicall(uint32_t *tables, struct mmu_update *reqs)
{
    struct multicall_entry e[NR_MC];
    uint32_t k, i;

    memset(e, 0, sizeof(e));
    for (k = 0; k < NR_MC; k += 2) {
        tables[k] = fx_alloc(&fx, 0);
        e[k].op = __HYPERVISOR_mmuext_op;
        e[k].args[0] = put_pin_chain(CHAIN_OFF(k), tables[k], NR_EXT).va;
        e[k].args[1] = NR_EXT;
        e[k].args[2] = FX_GUEST_VA + DONE_AT(k);
        e[k].args[3] = DOMID_SELF;
    }
    e[1].op = __HYPERVISOR_xen_version;
    for (i = 0; i < 60; i++) {
        reqs[i].ptr = ptr_of(sp()->l1, 100 + i);
        reqs[i].val = fx_pte(sp()->data[0], FX_RO);
    }
    reqs[40].ptr = ptr_of(fx.sp[1].data[0], 0);                 /* PT-22: -EINVAL */
    e[3].op = __HYPERVISOR_mmu_update;
    e[3].args[0] = fx_guest_put(&fx, CHAIN_OFF(1), reqs, 60 * sizeof(*reqs)).va;
    e[3].args[1] = 60;
    e[3].args[2] = FX_GUEST_VA + DONE_AT(3);
    e[3].args[3] = DOMID_SELF;
    for (k = 0; k < NR_MC; k++)
        e[k].result = 0xAAAAu;
    fx_guest_put(&fx, MC_OFF, e, sizeof(e));
}

static void test_multicall(void)
{
    static struct mmu_update reqs[60];
    struct multicall_entry e[NR_MC];
    uint32_t tables[NR_MC], args[2], issues, k, first = 1, eax = 0;
    struct hc_cont c;
    int rc = 0;

    fresh();
    memset(calls_by_op, 0, sizeof(calls_by_op));
    memset(fx.guest + DONE_OFF, 0, 4 * NR_MC);
    put_multicall(tables, reqs);
    hosted_set_multicall(mc_entry);
    args[0] = FX_GUEST_VA + MC_OFF;
    args[1] = NR_MC;
    hosted_set_preempt(1);
    for (issues = 1; issues < MAX_ISSUES; issues++) {
        rc = mc_run(guest_ptr(args[0]), args[1], &c, &eax);
        if (rc != -ERESTART)
            break;
        if (first) {
            /* HC-5: entry 0's call stopped after its first op: the entry
             * holds its continuation, the multicall resumes at it */
            fx_guest_get(&fx, MC_OFF, e, sizeof(e));
            CHECK_EQ_CASE("HC-5 result is the op", e[0].result, __HYPERVISOR_mmuext_op);
            CHECK_EQ_CASE("HC-5 entry args advanced", e[0].args[0],
                          FX_GUEST_VA + CHAIN_OFF(0) + sizeof(struct mmuext_op));
            CHECK_EQ_CASE("HC-5 entry count", e[0].args[1],
                          (NR_EXT - 1) | MMU_UPDATE_PREEMPTED);
            CHECK_EQ_CASE("HC-5 at the same entry", c.args[0], FX_GUEST_VA + MC_OFF);
            CHECK_EQ_CASE("HC-5 entries left", c.args[1], NR_MC);
            first = 0;
        }
        CHECK_EQ_CASE("PT-41 audit at a stopping point", fx_audit(&fx), 0);
        args[0] = c.args[0];
        args[1] = c.args[1];
    }
    hosted_set_preempt(0);
    CHECK_EQ_CASE("MC-1 multicall result", rc, 0);
    fx_guest_get(&fx, MC_OFF, e, sizeof(e));
    for (k = 0; k < NR_MC; k += 2) {
        uint32_t d;

        fx_guest_get(&fx, DONE_AT(k), &d, sizeof(d));
        CHECK_EQ_CASE("HC-5 chain entry result", e[k].result, 0);
        CHECK_EQ_CASE("HC-5 chain entry done exactly once", d, NR_EXT);
        CHECK_EQ_CASE("HC-5 chain table unpinned", fx_frame(&fx, tables[k])->type_count, 0);
    }
    CHECK_EQ_CASE("HC-5 xen_version ran once", calls_by_op[__HYPERVISOR_xen_version], 1);
    CHECK_EQ_CASE("MC-1 its result", e[1].result, 0x40002);
    CHECK_EQ_CASE("HC-5 bad request's error", (int32_t)e[3].result, -EINVAL);
    {
        uint32_t d;

        fx_guest_get(&fx, DONE_AT(3), &d, sizeof(d));
        CHECK_EQ_CASE("HC-5 bad request at its index", d, 40);
    }
    CHECK_EQ_CASE("HC-5 requests before it applied", fx_peek(sp()->l1, 139),
                  fx_pte(sp()->data[0], FX_RO));
    CHECK_EQ_CASE("HC-5 requests after it not", fx_peek(sp()->l1, 141), 0);
    CHECK_EQ(fx_audit(&fx), 0);
    hosted_set_multicall(NULL);
}

/* A multicall whose caller cannot stop (cont NULL) still completes each
 * entry exactly once, re-running a stopped entry from its continuation. */
static void test_multicall_no_cont(void)
{
    static struct mmu_update reqs[60];
    struct multicall_entry e[NR_MC];
    uint32_t tables[NR_MC], eax = 0;

    fresh();
    memset(fx.guest + DONE_OFF, 0, 4 * NR_MC);
    put_multicall(tables, reqs);
    hosted_set_multicall(mc_entry);
    hosted_set_preempt(2);
    CHECK_EQ_CASE("MC-1 run to completion", mc_run(guest_ptr(FX_GUEST_VA + MC_OFF), NR_MC, NULL, &eax),
                  0);
    hosted_set_preempt(0);
    fx_guest_get(&fx, MC_OFF, e, sizeof(e));
    CHECK_EQ_CASE("MC-1 chain result", e[2].result, 0);
    CHECK_EQ_CASE("MC-1 chain table unpinned", fx_frame(&fx, tables[2])->type_count, 0);
    hosted_set_multicall(NULL);
}

static void test_multicall_args(void)
{
    uint32_t eax = 0;

    fresh();
    CHECK_EQ_CASE("MC-3 too many", mc_run(guest_ptr(FX_GUEST_VA), MC_MAX_ENTRIES + 1, NULL, &eax),
                  -EINVAL);
    CHECK_EQ_CASE("MC-3 list into the hypervisor",
                  mc_run(guest_ptr(HYPERVISOR_VIRT_START - 32), 2, NULL, &eax), -EFAULT);
    CHECK_EQ_CASE("MC-3 list unreadable", mc_run(guest_ptr(0x1000), 1, NULL, &eax), -EFAULT);
    CHECK_EQ_CASE("MC-1 empty", mc_run(guest_ptr(0x1000), 0, NULL, &eax), 0);
}

#define NR_IRET_MC 4u

/* [xen_version, op1, op2, xen_version] with every result preset. */
static void put_iret_batch(uint32_t op1, uint32_t op2)
{
    struct multicall_entry e[NR_IRET_MC];
    uint32_t k;

    memset(e, 0, sizeof(e));
    e[0].op = __HYPERVISOR_xen_version;
    e[1].op = op1;
    e[2].op = op2;
    e[3].op = __HYPERVISOR_xen_version;
    for (k = 0; k < NR_IRET_MC; k++)
        e[k].result = 0xAAAAu;
    fx_guest_put(&fx, MC_OFF, e, sizeof(e));
}

/*
 * MC-5: an iret entry is performed and ends the batch: its result (the
 * frame's EAX) is written back and returned; no later entry runs, however
 * the batch is split into issues. MC-2: a nested multicall is refused.
 */
static void test_multicall_iret(void)
{
    struct multicall_entry e[NR_IRET_MC];
    struct hc_cont c;
    uint32_t eax = 0, args[2], issues;
    int rc = 0;

    fresh();
    hosted_set_multicall(mc_entry);
    memset(calls_by_op, 0, sizeof(calls_by_op));
    iret_eax_model = 0x12345678u;
    put_iret_batch(__HYPERVISOR_iret, __HYPERVISOR_xen_version);
    CHECK_EQ_CASE("MC-5 iret ends the batch", mc_run(guest_ptr(FX_GUEST_VA + MC_OFF), NR_IRET_MC, NULL, &eax),
                  MC_IRET);
    CHECK_EQ_CASE("MC-5 the multicall returns the frame's EAX", eax, 0x12345678u);
    fx_guest_get(&fx, MC_OFF, e, sizeof(e));
    CHECK_EQ_CASE("MC-1 the entry before it ran", e[0].result, 0x40002);
    CHECK_EQ_CASE("MC-5 iret ran once", calls_by_op[__HYPERVISOR_iret], 1);
    CHECK_EQ_CASE("MC-5 its result written back", e[1].result, 0x12345678u);
    CHECK_EQ_CASE("MC-5 the entries after it not run", calls_by_op[__HYPERVISOR_xen_version], 1);
    CHECK_EQ_CASE("MC-5 ... their results untouched", e[2].result, 0xAAAAu);
    CHECK_EQ_CASE("MC-5 ... to the last", e[3].result, 0xAAAAu);

    /* A frame's EAX that reads as -ERESTART is still only the frame's EAX. */
    memset(calls_by_op, 0, sizeof(calls_by_op));
    iret_eax_model = (uint32_t)-ERESTART;
    put_iret_batch(__HYPERVISOR_xen_version, __HYPERVISOR_iret);
    CHECK_EQ_CASE("MC-5 iret as the third entry", mc_run(guest_ptr(FX_GUEST_VA + MC_OFF), NR_IRET_MC, NULL, &eax),
                  MC_IRET);
    CHECK_EQ_CASE("MC-5 EAX -ERESTART is a value, not a continuation", eax, (uint32_t)-ERESTART);
    CHECK_EQ_CASE("MC-5 last entry not run", calls_by_op[__HYPERVISOR_xen_version], 2);

    /* Stopped before every entry: the iret still runs once, at its turn. */
    memset(calls_by_op, 0, sizeof(calls_by_op));
    iret_eax_model = 7;
    put_iret_batch(__HYPERVISOR_xen_version, __HYPERVISOR_iret);
    args[0] = FX_GUEST_VA + MC_OFF;
    args[1] = NR_IRET_MC;
    hosted_set_preempt(1);
    for (issues = 1; issues < 16; issues++) {
        rc = mc_run(guest_ptr(args[0]), args[1], &c, &eax);
        if (rc != -ERESTART)
            break;
        args[0] = c.args[0];
        args[1] = c.args[1];
    }
    hosted_set_preempt(0);
    CHECK_EQ_CASE("MC-5 ends with iret across issues", rc, MC_IRET);
    CHECK_EQ_CASE("MC-5 ... its EAX", eax, 7u);
    CHECK_EQ_CASE("HC-5 ... iret run once", calls_by_op[__HYPERVISOR_iret], 1);
    CHECK_EQ_CASE("HC-5 ... entries before it once each", calls_by_op[__HYPERVISOR_xen_version], 2);
    fx_guest_get(&fx, MC_OFF, e, sizeof(e));
    CHECK_EQ_CASE("MC-5 ... the last entry not run", e[3].result, 0xAAAAu);

    /* MC-2: a nested multicall is refused in its entry, the batch goes on. */
    memset(calls_by_op, 0, sizeof(calls_by_op));
    put_iret_batch(__HYPERVISOR_multicall, __HYPERVISOR_xen_version);
    CHECK_EQ_CASE("MC-2 batch with a nested multicall", mc_run(guest_ptr(FX_GUEST_VA + MC_OFF), NR_IRET_MC, NULL, &eax),
                  0);
    fx_guest_get(&fx, MC_OFF, e, sizeof(e));
    CHECK_EQ_CASE("MC-2 nested multicall -EINVAL", (int32_t)e[1].result, -EINVAL);
    CHECK_EQ_CASE("MC-2 ... never called", calls_by_op[__HYPERVISOR_multicall], 0);
    CHECK_EQ_CASE("MC-1 ... the rest ran", calls_by_op[__HYPERVISOR_xen_version], 3);
    hosted_set_multicall(NULL);
}

int main(void)
{
    test_encodings();
    test_mmu_update();
    test_mmuext();
    test_gnttab_copy();
    test_multicall();
    test_multicall_no_cont();
    test_multicall_args();
    test_multicall_iret();
    return check_report();
}
