/*
 * Continuations as a Xen guest sees them (spec/hypercalls.md HC-1..HC-8,
 * MC-1..MC-4; spec/memory.md PT-41). Long mmu_update, mmuext_op,
 * memory_op, grant copy and multicall batches, each checked against the
 * result an uninterrupted call must give: the return value, the `done`
 * counts, every element done exactly once (pin/unpin chains and a byte
 * shift, which a repeated or skipped element breaks), and an error after
 * a stopping point reported at its own index.
 *
 * Evidence that each call really stopped and was issued again (HC-8):
 * the vCPU's count of synchronous hypervisor entries (Bulkhead's
 * VCPUOP 0x1000) grows by one per issue, and the guest issues each call
 * once, so more than one entry means the hypervisor rewound EIP over the
 * `int $0x82` and the guest executed it again. Each batch must take two
 * issues at least.
 *
 * PT-41: inside one multicall a writable mapping is removed without a
 * flush request and its frame pinned as an L1; while the multicall's long
 * last entries are stopped again and again, a timer's event upcall,
 * delivered at the stopping points (with EIP on the multicall's own
 * `int $0x82`, the stub's byte 5, exactly as Xen delivers it), writes
 * through the old address. Every such write must fault: no stopping point
 * may leave a stale translation to a frame that changed type.
 */
#include "events.h"
#include "pv/errno.h"
#include "pv/grant_table.h"
#include "pv/memory.h"
#include "pv/mmu.h"
#include "pv/multicall.h"
#include "pv/vcpu.h"
#include "pvtime.h"
#include "test.h"
#include "traps.h"

#define INT82_OFF 5u                 /* `mov $nr, %eax` is 5 bytes, then int $0x82 */

/*
 * Batch sizes: long enough to be stopped many times. With `small` on the
 * command line they are smaller (for a run where every stopping point
 * costs a full recount on a big machine); the memory decrease is cheap per
 * extent and stays long in both.
 */
struct sizes {
    uint32_t reqs, bad_req;          /* mmu_update */
    uint32_t ext, bad_ext;           /* mmuext_op chain; bad_ext odd: op bad_ext - 1 pins */
    uint32_t copy, bad_copy;         /* grant copy */
    uint32_t dec, bad_dec, inc;      /* memory_op */
    uint32_t mc_reqs, mc_chain, mc_bad, mc_copy, stale_reqs;
};

static const struct sizes full = { 20000, 15001, 4000, 3001, 4000, 2500, 15000, 12000, 2200,
                                   5000, 1000, 501, 2000, 20000 };
static const struct sizes small = { 4000, 3001, 800, 601, 800, 500, 12000, 9000, 400,
                                    1000, 200, 101, 400, 2000 };
static const struct sizes *sz = &full;

/*
 * The PT-41 timer: a single-shot timer armed just before the call and
 * again at the end of each upcall during it (after the port is
 * dispatched, so the new expiry cannot be swallowed), at most MAX_UPCALLS
 * times. A periodic timer would not do under the audit: each upcall ends
 * in an iret hypercall that the audit can make outlast the period, and
 * the upcalls alone would then keep the guest from ever issuing its call
 * again. With `slow` on the command line (the audit run) the first delay
 * outlasts the audit of the arming hypercall, so it expires in the call.
 */
#define MAX_UPCALLS 16u
#define REARM_NS    1000000ull

static uint64_t first_ns = 1000000ull;

static volatile uint32_t in_call, upcalls, rewound;
static volatile uint32_t stale_va, stale_tries, stale_faults, stale_resume;

static uint32_t p2m(uint32_t pfn)
{
    return ((const uint32_t *)(uintptr_t)start_info->mfn_list)[pfn];
}

static uint32_t va_mfn(const void *va)
{
    return p2m(GPTR(va) / 4096u);
}

/* A frame of ours that nothing maps: the top of the allowance. */
static uint32_t spare_mfn(uint32_t n)
{
    return p2m(start_info->nr_pages - 1u - n);
}

/* ---- upcalls: the evidence ------------------------------------------------ */

static void stale_fault(struct trap_frame *f)
{
    stale_faults++;
    f->eip = stale_resume;
}

static void try_stale_write(void)
{
    stale_tries++;
    __asm__ volatile("movl $1f, %0\n movl $0x00000063, (%1)\n 1:"
                     : "=m"(stale_resume) : "r"(stale_va) : "memory");
}

static void arm_timer(uint64_t ns)
{
    uint64_t until = pv_time_ns() + ns;

    hcall2(__HYPERVISOR_set_timer_op, (uint32_t)until, (uint32_t)(until >> 32));
}

static void upcall(struct trap_frame *f)
{
    bool at_stop = false;

    if (in_call) {
        upcalls++;
        /* at a stopping point of the multicall: EIP rewound onto its int */
        at_stop = f->eip == GPTR(hypercall_page) + __HYPERVISOR_multicall * 32u + INT82_OFF;
        if (at_stop) {
            rewound++;
            try_stale_write();                      /* PT-41 */
        }
    }
    events_dispatch();
    /* not yet in the call (the arming call's audit outlasted the delay):
     * wait the first delay again rather than fire again at once */
    if (in_call && upcalls < MAX_UPCALLS)
        arm_timer(at_stop ? REARM_NS : first_ns);
}

static void ignore(uint32_t port)
{
    (void)port;
}

static void events_on(void)
{
    uint32_t port = 0;

    if (traps_init() || evtchn_bind_virq_port(VIRQ_TIMER, &port))
        test_skip("no event channels");
    events_set_handler(port, ignore);
    traps_set_handler(TRAP_EVENT, upcall);
    traps_set_handler(14, stale_fault);
    CHECK_RC("no periodic timer", hcall3(__HYPERVISOR_vcpu_op, VCPUOP_stop_periodic_timer,
                                        0, 0), 0);
    CHECK_RC("unmask the timer port", evtchn_unmask_port(port), 0);
    pv_shared_info()->vcpu_info[0].evtchn_upcall_mask = 0;
}

static uint32_t entries(void)
{
    return (uint32_t)hcall3(__HYPERVISOR_vcpu_op, VCPUOP_bulkhead_entry_count, 0, 0);
}

static uint32_t issues;

/* One call, counting how many times it was issued (HC-8). */
static int32_t traced(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4)
{
    uint32_t before = entries();
    int32_t rc = hcall5(nr, a1, a2, a3, a4, 0);

    issues = entries() - before - 1u;
    return rc;
}

static void stopped(const char *what)
{
    gprintf("%s: issued %u times\n", what, issues);
    test_check(what, issues >= 2);
}

/* ---- mmu_update ------------------------------------------------------------ */

#define NR_REQS 20000u

static struct mmu_update reqs[NR_REQS];
static uint8_t data[2][4096] __attribute__((aligned(4096)));
static uint32_t done_word;

/* Request i writes slot i % 512 of `l1`, mapping data[round % 2] read-only. */
static uint64_t req_val(uint32_t i)
{
    return ((uint64_t)va_mfn(data[(i / 512u) % 2u]) << 12) | 0x21u;      /* P | A */
}

static void put_reqs(uint32_t l1, uint32_t bad_at)
{
    uint32_t i;

    for (i = 0; i < sz->reqs; i++) {
        reqs[i].ptr = ((uint64_t)l1 << 12) + (i % 512u) * 8u;
        reqs[i].val = req_val(i);
    }
    if (bad_at < sz->reqs)
        reqs[bad_at].ptr = (uint64_t)0x100u << 12;          /* the hypervisor's: PT-22 */
}

/* What slot s of `l1` holds after requests 0 .. n - 1. */
static uint64_t expected_slot(uint32_t s, uint32_t n)
{
    uint32_t last;

    if (s >= n)
        return 0;
    last = s + ((n - 1u - s) / 512u) * 512u;
    return req_val(last);
}

/* A mapped page nobody uses: the first padding page after the boot stack. */
static uint32_t view_va(void)
{
    return start_info->pt_base + (start_info->nr_pt_frames + 1u) * 4096u;
}

/* Entries of the L1 (seen read-only at view_va()) not as n requests leave them. */
static uint32_t slots_wrong(uint32_t n)
{
    const volatile uint64_t *t = (const volatile uint64_t *)(uintptr_t)view_va();
    uint32_t s, bad = 0;

    for (s = 0; s < 512; s++)
        bad += t[s] != expected_slot(s, n);
    return bad;
}

static void map_l1_ro(uint32_t l1)
{
    uint64_t pte = ((uint64_t)l1 << 12) | 0x21u;

    CHECK_RC("map the L1 read-only", hcall4(__HYPERVISOR_update_va_mapping, view_va(),
             (uint32_t)pte, 0, UVMF_INVLPG), 0);
}

static void unmap_view(void)
{
    CHECK_RC("unmap the L1 view", hcall4(__HYPERVISOR_update_va_mapping, view_va(), 0, 0,
                                         UVMF_INVLPG), 0);
}

static void test_mmu_update(void)
{
    uint32_t l1 = spare_mfn(0);
    struct mmuext_op pin = { MMUEXT_PIN_L1_TABLE, { l1 }, { 0 } };
    int32_t rc;

    CHECK_RC("pin an empty L1", hcall4(__HYPERVISOR_mmuext_op, GPTR(&pin), 1, 0, DOMID_SELF), 0);
    map_l1_ro(l1);
    put_reqs(l1, sz->reqs);
    done_word = 0xDEAD;
    rc = traced(__HYPERVISOR_mmu_update, GPTR(reqs), sz->reqs, GPTR(&done_word), DOMID_SELF);
    CHECK_RC("HC-2 a long mmu_update", rc, 0);
    CHECK_RC("HC-2 done", done_word, sz->reqs);
    CHECK_RC("HC-2 every entry as an uninterrupted batch leaves it",
             slots_wrong(sz->reqs), 0);
    stopped("HC-2 mmu_update stopped and continued");

    /* a bad request after many stopping points: its error, at its index */
    put_reqs(l1, sz->bad_req);
    done_word = 0;
    rc = traced(__HYPERVISOR_mmu_update, GPTR(reqs), sz->reqs, GPTR(&done_word), DOMID_SELF);
    CHECK_RC("PT-22 the bad request's error", rc, -EINVAL);
    CHECK_RC("PT-22 done up to it", done_word, sz->bad_req);
    CHECK_RC("PT-22 requests before it applied, none after",
             slots_wrong(sz->bad_req), 0);
    stopped("HC-2 mmu_update stopped before its bad request");
    pin.cmd = MMUEXT_UNPIN_TABLE;
    unmap_view();
    CHECK_RC("unpin", hcall4(__HYPERVISOR_mmuext_op, GPTR(&pin), 1, 0, DOMID_SELF), 0);
}

/* ---- mmuext_op: pin and unpin, each exactly once --------------------------- */

#define NR_EXT 4000u

static struct mmuext_op exts[NR_EXT];

static void put_chain(struct mmuext_op *ops, uint32_t n, uint32_t mfn, uint32_t bad_at)
{
    uint32_t i;

    memset(ops, 0, n * sizeof(*ops));
    for (i = 0; i < n; i++) {
        ops[i].cmd = i % 2u ? MMUEXT_UNPIN_TABLE : MMUEXT_PIN_L1_TABLE;
        ops[i].arg1.mfn = mfn;
    }
    if (bad_at < n)
        ops[bad_at].cmd = 99;                               /* PT-30: -ENOSYS */
}

static void test_mmuext(void)
{
    uint32_t mfn = spare_mfn(1);
    struct mmuext_op unpin = { MMUEXT_UNPIN_TABLE, { mfn }, { 0 } };
    int32_t rc;

    put_chain(exts, sz->ext, mfn, sz->ext);
    done_word = 0;
    rc = traced(__HYPERVISOR_mmuext_op, GPTR(exts), sz->ext, GPTR(&done_word), DOMID_SELF);
    CHECK_RC("HC-2 a chain of pin/unpin pairs", rc, 0);
    CHECK_RC("HC-2 done", done_word, sz->ext);
    CHECK_RC("HC-2 left unpinned (each op exactly once)",
             hcall4(__HYPERVISOR_mmuext_op, GPTR(&unpin), 1, 0, DOMID_SELF), -EINVAL);
    stopped("HC-2 mmuext_op stopped and continued");

    put_chain(exts, sz->ext, mfn, sz->bad_ext);
    done_word = 0;
    rc = traced(__HYPERVISOR_mmuext_op, GPTR(exts), sz->ext, GPTR(&done_word), DOMID_SELF);
    CHECK_RC("PT-30 the bad op's error", rc, -ENOSYS);
    CHECK_RC("PT-30 done up to it", done_word, sz->bad_ext);
    CHECK_RC("PT-30 the op before it (a pin) done", hcall4(__HYPERVISOR_mmuext_op, GPTR(&unpin), 1, 0,
                                                 DOMID_SELF), 0);
    stopped("HC-2 mmuext_op stopped before its bad op");
}

/* ---- grant copy: a shift, which a repeated or skipped copy breaks --------- */

#define NR_COPY 4000u

static struct gnttab_copy copies[NR_COPY];
static uint8_t shift_page[4096] __attribute__((aligned(4096)));

static void put_shift(struct gnttab_copy *ops, uint32_t n, uint32_t bad_at)
{
    uint32_t i;

    for (i = 0; i <= n; i++)
        shift_page[i] = (uint8_t)(i * 7u + 1u);
    memset(ops, 0, n * sizeof(*ops));
    for (i = 0; i < n; i++) {
        ops[i].source.u.gmfn = va_mfn(shift_page);
        ops[i].source.domid = DOMID_SELF;
        ops[i].source.offset = (uint16_t)(i + 1u);
        ops[i].dest.u.gmfn = va_mfn(shift_page);
        ops[i].dest.domid = DOMID_SELF;
        ops[i].dest.offset = (uint16_t)i;
        ops[i].len = 1;
        ops[i].status = 99;
    }
    if (bad_at < n)
        ops[bad_at].len = 4096;                             /* GNT-15: crosses its page */
}

static uint32_t shift_wrong(uint32_t n, uint32_t bad_at)
{
    uint32_t i, bad = 0;

    for (i = 0; i < n; i++) {
        uint32_t from = i == bad_at ? i : i + 1u;

        bad += shift_page[i] != (uint8_t)(from * 7u + 1u);
        bad += copies[i].status != (i == bad_at ? GNTST_bad_copy_arg : GNTST_okay);
    }
    return bad;
}

static void test_gnttab_copy(void)
{
    put_shift(copies, sz->copy, sz->bad_copy);
    CHECK_RC("HC-4 a long copy batch", traced(__HYPERVISOR_grant_table_op, GNTTABOP_copy,
                                              GPTR(copies), sz->copy, 0), 0);
    CHECK_RC("HC-4 each copy once, the bad one's status at its index",
             shift_wrong(sz->copy, sz->bad_copy), 0);
    stopped("HC-4 grant copy stopped and continued");
}

/* ---- memory_op: give back and take again ---------------------------------- */

#define NR_MEM 16000u

static uint32_t extents[NR_MEM];

static int32_t current_pages(void)
{
    domid_t self = DOMID_SELF;

    return hcall2(__HYPERVISOR_memory_op, XENMEM_current_reservation, GPTR(&self));
}

static int32_t maximum_pages(void)
{
    domid_t self = DOMID_SELF;

    return hcall2(__HYPERVISOR_memory_op, XENMEM_maximum_reservation, GPTR(&self));
}

static void test_memory_op(void)
{
    struct xen_memory_reservation r = { GPTR(extents), sz->dec, 0, 0, DOMID_SELF };
    int32_t before = current_pages();
    uint32_t room = (uint32_t)(maximum_pages() - before), i, want;

    for (i = 0; i < sz->dec; i++)
        extents[i] = spare_mfn(10 + i);
    extents[sz->bad_dec] = va_mfn(data[0]);         /* mapped: refused (PT-18) */
    CHECK_RC("HC-3 decrease stops at the mapped frame",
             traced(__HYPERVISOR_memory_op, XENMEM_decrease_reservation, GPTR(&r), 0, 0),
             sz->bad_dec);
    gprintf("HC-3 decrease: issued %u times\n", issues);
    CHECK_RC("HC-3 each frame given back once", current_pages(), before - (int32_t)sz->bad_dec);
    /* take them back and a few more: the allowance refuses the first extra */
    want = sz->bad_dec + room;
    if (want + 50u > NR_MEM)
        test_skip("the allowance leaves too much room for this test");
    r.nr_extents = want + 50u;
    CHECK_RC("HC-3 increase stops at the allowance", traced(__HYPERVISOR_memory_op,
             XENMEM_increase_reservation, GPTR(&r), 0, 0), want);
    stopped("HC-3 increase stopped before its refused extent");
    CHECK_RC("HC-3 each frame taken once", current_pages(), before + (int32_t)room);
    /* the new frames replace old ones in our P2M (none of them is mapped) */
    for (i = 0; i < sz->bad_dec; i++)
        ((uint32_t *)(uintptr_t)start_info->mfn_list)[start_info->nr_pages - 11u - i] = extents[i];
    CHECK_RC("HC-3 a start extent past the end",
             hcall2(__HYPERVISOR_memory_op, XENMEM_increase_reservation | (r.nr_extents << 6),
                    GPTR(&r)), r.nr_extents);
    CHECK_RC("HC-3 a start extent on another op",
             hcall2(__HYPERVISOR_memory_op, XENMEM_maximum_ram_page | (1u << 6), 0), -EINVAL);
}

/* ---- multicall -------------------------------------------------------------- */

#define NR_MC 5u

static struct multicall_entry mc[NR_MC];
static uint32_t mc_done[NR_MC];
static struct mmuext_op chain_a[1000], chain_b[1000];        /* mc_chain at most */

static void test_multicall(void)
{
    uint32_t mfn_a = spare_mfn(2), mfn_b = spare_mfn(3), l1 = spare_mfn(0), i;
    struct mmuext_op pin = { MMUEXT_PIN_L1_TABLE, { l1 }, { 0 } };

    CHECK_RC("pin the L1 again", hcall4(__HYPERVISOR_mmuext_op, GPTR(&pin), 1, 0, DOMID_SELF), 0);
    map_l1_ro(l1);
    put_reqs(l1, sz->reqs);
    put_chain(chain_a, sz->mc_chain, mfn_a, sz->mc_chain);
    put_chain(chain_b, sz->mc_chain, mfn_b, sz->mc_bad);
    put_shift(copies, sz->mc_copy, sz->mc_copy);
    memset(mc, 0, sizeof(mc));
    mc[0].op = __HYPERVISOR_mmu_update;
    mc[0].args[0] = GPTR(reqs);
    mc[0].args[1] = sz->mc_reqs;
    mc[0].args[2] = GPTR(&mc_done[0]);
    mc[0].args[3] = DOMID_SELF;
    mc[1].op = __HYPERVISOR_mmuext_op;
    mc[1].args[0] = GPTR(chain_a);
    mc[1].args[1] = sz->mc_chain;
    mc[1].args[2] = GPTR(&mc_done[1]);
    mc[1].args[3] = DOMID_SELF;
    mc[2].op = __HYPERVISOR_grant_table_op;
    mc[2].args[0] = GNTTABOP_copy;
    mc[2].args[1] = GPTR(copies);
    mc[2].args[2] = sz->mc_copy;
    mc[3].op = __HYPERVISOR_xen_version;
    mc[4].op = __HYPERVISOR_mmuext_op;
    mc[4].args[0] = GPTR(chain_b);
    mc[4].args[1] = sz->mc_chain;
    mc[4].args[2] = GPTR(&mc_done[4]);
    mc[4].args[3] = DOMID_SELF;
    for (i = 0; i < NR_MC; i++) {
        mc[i].result = 0xAAAAAAAAu;
        mc_done[i] = 0;
    }
    CHECK_RC("MC-1 the multicall", traced(__HYPERVISOR_multicall, GPTR(mc), NR_MC, 0, 0), 0);
    stopped("HC-5 multicall stopped and continued");
    CHECK_RC("HC-5 mmu_update entry", mc[0].result, 0);
    CHECK_RC("HC-5 its done", mc_done[0], sz->mc_reqs);
    CHECK_RC("HC-5 its entries", slots_wrong(sz->mc_reqs), 0);
    CHECK_RC("HC-5 chain entry", mc[1].result, 0);
    CHECK_RC("HC-5 its done", mc_done[1], sz->mc_chain);
    CHECK_RC("HC-5 chain ran exactly once", hcall4(__HYPERVISOR_mmuext_op,
             GPTR(&chain_a[1]), 1, 0, DOMID_SELF), -EINVAL);
    CHECK_RC("HC-5 copy entry", mc[2].result, 0);
    CHECK_RC("HC-5 each copy once", shift_wrong(sz->mc_copy, sz->mc_copy), 0);
    CHECK_RC("MC-1 xen_version entry", mc[3].result, (4 << 16) | 2);
    CHECK_RC("HC-5 bad op's error in its entry", (int32_t)mc[4].result, -ENOSYS);
    CHECK_RC("HC-5 at its index", mc_done[4], sz->mc_bad);
    CHECK_RC("HC-5 the op before it (a pin) done", hcall4(__HYPERVISOR_mmuext_op, GPTR(&chain_b[1]), 1, 0,
                                               DOMID_SELF), 0);
    unmap_view();
    pin.cmd = MMUEXT_UNPIN_TABLE;
    CHECK_RC("unpin", hcall4(__HYPERVISOR_mmuext_op, GPTR(&pin), 1, 0, DOMID_SELF), 0);
}

/* ---- PT-41: no stale translation at any stopping point -------------------- */

static uint8_t stale_page[4096] __attribute__((aligned(4096)));

static void test_stale_tlb(void)
{
    uint32_t va = GPTR(stale_page), mfn = va_mfn(stale_page), i, k, dirty = 0;
    uint64_t pte = ((uint64_t)mfn << 12) | 0x63u;                  /* P RW A D */
    struct mmuext_op pin = { MMUEXT_PIN_L1_TABLE, { mfn }, { 0 } };
    struct multicall_entry batch[5];
    int32_t rc;

    memset(batch, 0, sizeof(batch));
    stale_page[0] = 0;                              /* the TLB now holds a RW translation */
    batch[0].op = __HYPERVISOR_update_va_mapping;   /* unmap, no flush asked for */
    batch[0].args[0] = va;
    batch[0].args[3] = UVMF_NONE;
    batch[1].op = __HYPERVISOR_mmuext_op;           /* the frame becomes a page table */
    batch[1].args[0] = GPTR(&pin);
    batch[1].args[1] = 1;
    batch[1].args[3] = DOMID_SELF;
    for (i = 0; i < sz->stale_reqs; i++) {
        reqs[i].ptr = ((uint64_t)va_mfn(data[1]) << 12) | MMU_MACHPHYS_UPDATE;
        reqs[i].val = GPTR(data[1]) / 4096u;
    }
    for (k = 2; k < 5; k++) {                       /* long: stopped many times */
        batch[k].op = __HYPERVISOR_mmu_update;
        batch[k].args[0] = GPTR(reqs);
        batch[k].args[1] = sz->stale_reqs;
        batch[k].args[3] = DOMID_SELF;
    }
    stale_va = va;
    stale_tries = 0;
    stale_faults = 0;
    upcalls = 0;
    rewound = 0;
    in_call = 1;
    arm_timer(first_ns);
    rc = hcall2(__HYPERVISOR_multicall, GPTR(batch), 5);
    in_call = 0;
    stale_va = 0;
    CHECK_RC("PT-41 the multicall", rc, 0);
    for (k = 0; k < 5; k++)
        CHECK_RC("PT-41 entry result", batch[k].result, 0);
    gprintf("PT-41: %u upcalls at stopping points (%u in all), %u writes through the old "
            "mapping, %u faulted\n", rewound, upcalls, stale_tries, stale_faults);
    test_check("PT-41 writes tried at stopping points", stale_tries >= 1);
    test_check("PT-41 every one faulted", stale_faults == stale_tries);
    pin.cmd = MMUEXT_UNPIN_TABLE;
    CHECK_RC("PT-41 unpin", hcall4(__HYPERVISOR_mmuext_op, GPTR(&pin), 1, 0, DOMID_SELF), 0);
    CHECK_RC("PT-41 map it again", hcall4(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte, 0,
                                          UVMF_INVLPG), 0);
    for (i = 0; i < 4096; i++)
        dirty += stale_page[i] != 0;
    CHECK_RC("PT-41 the table was never written through the old mapping", dirty, 0);
}

int guest_main(struct start_info *si)
{
    if (strstr(si->cmd_line, "small"))
        sz = &small;
    if (strstr(si->cmd_line, "slow"))
        first_ns = 10000000ull;
    events_on();
    test_mmu_update();
    test_mmuext();
    test_gnttab_copy();
    test_multicall();
    test_stale_tlb();
    test_memory_op();
    test_finish();
}
