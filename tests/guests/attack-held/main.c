/*
 * Hostile guest: every retyping a guest can ask for, tried on every frame
 * the hypervisor (or dom0, through a grant mapping) writes into after the
 * guest can reach it (PT-40, the table of hypervisor-held frames in
 * SECURITY.md; advisory BSA-2026-1).
 *
 * Rows: our shared_info (the hypervisor writes event bits, masks, time
 * and the fault address of every bounced #PF), our grant-table frame
 * (the hypervisor writes entry flags), our console page (dom0's backend
 * writes the input ring) and the hypercall page (written by the
 * hypervisor on the hypercall-page MSR). For each frame we first drop
 * every mapping of our own, as the original attack did, so that only the
 * holds of others stand in the way; then every action of the table below
 * must give exactly the documented answer. Afterwards the hypervisor is
 * made to write into each frame (a page fault at an address whose low
 * bits are a valid PTE's flags, an event to ourselves) and our tables and
 * memory must be intact. The scenario runs this beside a victim, with and
 * without the hypervisor's audit, then destroys us and checks that every
 * frame came back.
 */
#include "events.h"
#include "pv/errno.h"
#include "pv/grant_table.h"
#include "pv/memory.h"
#include "pv/mmu.h"
#include "pvtime.h"
#include "own_frames.h"
#include "test.h"
#include "traps.h"

#define P   0x001ull
#define RW  0x002ull
#define A   0x020ull
#define D   0x040ull
#define US  0x004ull

#define MSR_HYPERCALL_PAGE 0x40000000u

/* ---- our own layout (virt_base 0: pseudo-physical frame n at n*4096) ---- */

static uint32_t p2m(uint32_t pfn)
{
    return ((const uint32_t *)(uintptr_t)start_info->mfn_list)[pfn];
}

static uint32_t m2p(uint32_t mfn)
{
    return ((const uint32_t *)0xF5800000u)[mfn];
}

static uint64_t pte_of(uint32_t mfn, uint64_t flags)
{
    return ((uint64_t)mfn << 12) | flags;
}

static uint32_t l3_mfn(void) { return p2m(start_info->pt_base / 4096u); }
static uint32_t l2_mfn(void) { return (uint32_t)(((const uint64_t *)(uintptr_t)start_info->pt_base)[0] >> 12) & 0xFFFFFFu; }

/* A frame of ours that nothing maps: the top of the allowance. */
static uint32_t spare_mfn(uint32_t n)
{
    return p2m(start_info->nr_pages - 1 - n);
}

/* The first padding page after the boot stack: mapped, never used. */
#define SCRATCH_VA (start_info->pt_base + (start_info->nr_pt_frames + 1) * 4096u)

/* ---- hypercall shorthands ----------------------------------------------- */

static int32_t uvm(uint32_t va, uint64_t pte)
{
    return hcall4(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte, (uint32_t)(pte >> 32), UVMF_INVLPG);
}

static int32_t ext1(uint32_t cmd, uint32_t arg1, uint32_t arg2)
{
    struct mmuext_op op = { cmd, { arg1 }, { arg2 } };
    return hcall4(__HYPERVISOR_mmuext_op, GPTR(&op), 1, 0, DOMID_SELF);
}

static int32_t entry_write(uint32_t table_mfn, uint32_t slot, uint64_t val)
{
    struct mmu_update u = { ((uint64_t)table_mfn << 12) + slot * 8u, val };
    return hcall4(__HYPERVISOR_mmu_update, GPTR(&u), 1, 0, DOMID_SELF);
}

/* ---- the rows: which frame, and where we map it ourselves --------------- */

struct row {
    const char *name;
    uint32_t mfn;
    uint32_t own_va;            /* our own mapping of it, 0 for none */
    uint64_t own_pte;           /* what that mapping was, to put it back */
};

/* Our mapping of `mfn` in the initial linear map, if it has one there. */
static void find_own_mapping(struct row *r)
{
    uint32_t pfn = m2p(r->mfn);

    r->own_va = 0;
    if (pfn < start_info->nr_pages && p2m(pfn) == r->mfn) {
        r->own_va = pfn * 4096u;
        r->own_pte = pte_of(r->mfn, P | RW | A | D);
    }
}

/* As the original attack: zero the frame, so that as a table it would
 * validate (no entry present), then drop our writable view of it. */
static void row_unmap(const struct row *r)
{
    if (!r->own_va)
        return;
    memset((void *)(uintptr_t)r->own_va, 0, 4096);
    CHECK_RC("drop our own mapping", uvm(r->own_va, 0), 0);
}

static void row_remap(const struct row *r)
{
    if (r->own_va)
        CHECK_RC("put our own mapping back", uvm(r->own_va, r->own_pte), 0);
}

/* ---- the actions ---------------------------------------------------------- */

static volatile uint32_t fault_vector, fault_resume;

static void note_fault(struct trap_frame *f)
{
    fault_vector = f->vector;
    f->eip = fault_resume;
}

static int32_t act_pin_l1(uint32_t mfn) { return ext1(MMUEXT_PIN_L1_TABLE, mfn, 0); }
static int32_t act_pin_l2(uint32_t mfn) { return ext1(MMUEXT_PIN_L2_TABLE, mfn, 0); }
static int32_t act_pin_l3(uint32_t mfn) { return ext1(MMUEXT_PIN_L3_TABLE, mfn, 0); }
static int32_t act_base_ptr(uint32_t mfn) { return ext1(MMUEXT_NEW_BASEPTR, mfn, 0); }

/* Hooked into our L2 as the L1 of an unused 2 MiB slot. */
static int32_t act_l2_entry(uint32_t mfn)
{
    int32_t rc = entry_write(l2_mfn(), 300, pte_of(mfn, P | RW | US | A));

    if (rc == 0)
        entry_write(l2_mfn(), 300, 0);
    return rc;
}

static int32_t act_gdt(uint32_t mfn)
{
    return hcall2(__HYPERVISOR_set_gdt, GPTR(&mfn), 512);
}

/* The LDT is typed lazily, on the first descriptor load through it: the
 * load must fault (the hypervisor cannot take the descriptor type). */
static int32_t act_ldt(uint32_t mfn)
{
    int32_t rc;

    CHECK_RC("map the frame read-only", uvm(SCRATCH_VA, pte_of(mfn, P | A)), 0);
    CHECK_RC("point the LDT at it", ext1(MMUEXT_SET_LDT, SCRATCH_VA, 512), 0);
    fault_vector = 0xFFFF;
    __asm__ volatile("movl $1f, %0\n"
                     "movw $0x0f, %%ax\n"          /* LDT entry 1, RPL 3 */
                     "movw %%ax, %%fs\n"
                     "1:" : "=m"(fault_resume) : : "eax", "memory");
    __asm__ volatile("movw %w0, %%fs" : : "r"(0) : "memory");
    CHECK_RC("withdraw the LDT", ext1(MMUEXT_SET_LDT, 0, 0), 0);
    CHECK_RC("unmap it", uvm(SCRATCH_VA, 0), 0);
    rc = (int32_t)fault_vector;
    /* the frame must still be plain data: a writable mapping works */
    CHECK_RC("still mappable writable after the LDT load", uvm(SCRATCH_VA, pte_of(mfn, P | RW | A)), 0);
    CHECK_RC("unmap it again", uvm(SCRATCH_VA, 0), 0);
    return rc;
}

/* Ballooning out: the reservation call gives back 0 extents. */
static int32_t act_balloon(uint32_t mfn)
{
    struct xen_memory_reservation r = { GPTR(&mfn), 1, 0, 0, DOMID_SELF };
    return hcall2(__HYPERVISOR_memory_op, XENMEM_decrease_reservation, GPTR(&r));
}

/* A writable mapping is how the frame is meant to be used: allowed, and
 * while it stands the frame is still no table. */
static int32_t act_map_writable(uint32_t mfn)
{
    int32_t rc = uvm(SCRATCH_VA, pte_of(mfn, P | RW | A | D));

    CHECK_RC("pin while mapped writable", ext1(MMUEXT_PIN_L1_TABLE, mfn, 0), -EINVAL);
    if (rc == 0)
        uvm(SCRATCH_VA, 0);
    return rc;
}

/* The hypervisor writes into it for us (grant copy, a data write): 64
 * zero bytes at the end of the page, where none of the rows keeps
 * anything (shared_info and the console rings end before, and grant refs
 * 504..511 are unused). */
static uint8_t copy_source[64];

static int32_t act_grant_copy(uint32_t mfn)
{
    struct gnttab_copy c;

    memset(&c, 0, sizeof(c));
    c.source.u.gmfn = p2m((uint32_t)(uintptr_t)copy_source / 4096u);
    c.source.domid = DOMID_SELF;
    c.source.offset = (uint16_t)((uintptr_t)copy_source % 4096u);
    c.dest.u.gmfn = mfn;
    c.dest.domid = DOMID_SELF;
    c.dest.offset = 4096 - sizeof(copy_source);
    c.len = sizeof(copy_source);
    CHECK_RC("grant_table_op copy", hcall3(__HYPERVISOR_grant_table_op, GNTTABOP_copy, GPTR(&c), 1), 0);
    return c.status;
}

struct action {
    const char *name;
    int32_t (*run)(uint32_t mfn);
    int32_t expect;
};

static const struct action actions[] = {
    { "pin-l1", act_pin_l1, -EINVAL },
    { "pin-l2", act_pin_l2, -EINVAL },
    { "pin-l3", act_pin_l3, -EINVAL },
    { "new-baseptr", act_base_ptr, -EINVAL },
    { "l2-entry", act_l2_entry, -EINVAL },
    { "gdt-frame", act_gdt, -EINVAL },
    { "ldt-frame", act_ldt, 14 },                   /* #PF: the LDT page cannot be typed */
    { "balloon-out", act_balloon, 0 },              /* no extent given back */
    { "map-writable", act_map_writable, 0 },
    { "hypervisor-copy", act_grant_copy, GNTST_okay },
};

static void attack_row(const struct row *r)
{
    uint32_t i;

    if (!r->mfn) {
        test_check(r->name, 0);
        return;
    }
    row_unmap(r);
    for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
        int32_t rc = actions[i].run(r->mfn);
        gprintf("ATTACK PT-40 %s/%s: result %d, expected %d\n", r->name, actions[i].name, rc,
                actions[i].expect);
        test_check_rc(actions[i].name, rc, actions[i].expect);
    }
    row_remap(r);
}

/* ---- the hypercall page: written only into a frame held writable -------- */

static int32_t wrmsr_fault(uint32_t mfn)
{
    uint64_t v = (uint64_t)mfn << 12;

    fault_vector = 0;
    __asm__ volatile("movl $1f, %0\n"
                     "wrmsr\n"
                     "1:" : "=m"(fault_resume) : "c"(MSR_HYPERCALL_PAGE), "a"((uint32_t)v),
                     "d"((uint32_t)(v >> 32)) : "memory");
    return (int32_t)fault_vector;
}

static void attack_hypercall_page(void)
{
    uint32_t l1 = spare_mfn(0), data = spare_mfn(1), slot;
    int32_t rc;

    CHECK_RC("pin a fresh L1", act_pin_l1(l1), 0);
    rc = wrmsr_fault(l1);
    gprintf("ATTACK PT-40 hypercall-page/into-l1: result %d, expected 13\n", rc);
    CHECK_RC("hypercall page into an L1: #GP", rc, 13);
    CHECK_RC("the L1 is still a pinned L1: pinning again is refused", act_pin_l1(l1), -EINVAL);
    CHECK_RC("unpin it", ext1(MMUEXT_UNPIN_TABLE, l1, 0), 0);
    CHECK_RC("map the unpinned frame to look at it", uvm(SCRATCH_VA, pte_of(l1, P | A)), 0);
    for (slot = 0; slot < 512; slot++)
        if (((volatile uint64_t *)(uintptr_t)SCRATCH_VA)[slot] != 0)
            break;
    test_check("no stub written into the L1", slot == 512);
    CHECK_RC("into a data frame: done", wrmsr_fault(data), 0);
    CHECK_RC("map it", uvm(SCRATCH_VA, pte_of(data, P | A)), 0);
    test_check("the stubs are there", ((volatile uint8_t *)(uintptr_t)SCRATCH_VA)[17 * 32 + 1] == 17);
    CHECK_RC("unmap", uvm(SCRATCH_VA, 0), 0);
    gprintf("ATTACK PT-40 hypercall-page/into-data: result 0, expected 0\n");
}

/* ---- then make the hypervisor write, and look at ourselves ------------ */

static void make_hypervisor_write(void)
{
    uint32_t unbound = 0, bound = 0;

    /* BSA-2026-1: the fault address of a bounced #PF is written into
     * shared_info; with the low bits 0x63 it reads as a present, writable
     * PTE, which a table would take as an entry */
    CHECK_RC("nothing at the scratch page", uvm(SCRATCH_VA, 0), 0);
    fault_vector = 0xFFFF;
    __asm__ volatile("movl $1f, %0\n"
                     "movl (%1), %%eax\n"
                     "1:" : "=m"(fault_resume) : "r"(SCRATCH_VA | 0x63u) : "eax", "memory");
    CHECK_RC("the probe read faulted (#PF)", fault_vector, 14);
    /* and event bits: a loopback channel, one send */
    CHECK_RC("alloc_unbound", evtchn_alloc_unbound_port(DOMID_SELF, &unbound), 0);
    CHECK_RC("bind it to ourselves", evtchn_bind_interdomain_port(DOMID_SELF, unbound, &bound), 0);
    CHECK_RC("send", evtchn_send_port(bound), 0);
    CHECK_RC("close", evtchn_close_port(bound), 0);
    CHECK_RC("close", evtchn_close_port(unbound), 0);
}

static uint8_t data_page[4096] __attribute__((aligned(4096)));

static void check_intact(void)
{
    volatile uint32_t *p = (volatile uint32_t *)data_page;
    const uint64_t *l3 = (const uint64_t *)(uintptr_t)start_info->pt_base;

    p[7] = 0xC0FFEE;
    test_check("own memory still writable", p[7] == 0xC0FFEE);
    test_check("own L3 still maps slot 3", (l3[3] & P) != 0);
    CHECK_RC("our L3 is still our validated base: re-pinning it is refused",
             ext1(MMUEXT_PIN_L3_TABLE, l3_mfn(), 0), -EINVAL);
    CHECK_RC("hypercalls still served", hcall2(__HYPERVISOR_xen_version, 0, 0), (4 << 16) | 2);
}

int guest_main(struct start_info *si)
{
    struct row rows[3];
    uint32_t i, shared_mfn = (uint32_t)(si->shared_info >> 12);
    struct shared_info *mapped;

    if (traps_init())
        test_skip("no trap table");
    mapped = pv_shared_info();      /* traps_init() mapped it for upcalls */
    if (!mapped)
        test_skip("shared_info not mapped");
    traps_set_handler(13, note_fault);
    traps_set_handler(14, note_fault);
    memset(rows, 0, sizeof(rows));
    rows[0].name = "shared_info";
    rows[0].mfn = shared_mfn;
    rows[0].own_va = (uint32_t)(uintptr_t)mapped;         /* the runtime's view of it */
    rows[0].own_pte = pte_of(shared_mfn, P | RW | A | D);
    rows[1].name = "grant-frame";
    rows[1].mfn = own_grant_frame();
    find_own_mapping(&rows[1]);
    rows[2].name = "console-page";
    rows[2].mfn = si->console.domU.mfn;
    find_own_mapping(&rows[2]);
    for (i = 0; i < 3; i++)
        attack_row(&rows[i]);
    attack_hypercall_page();
    make_hypervisor_write();
    check_intact();
    gprintf("ATTACK PT-40 all: result %u, expected 0\n", test_failures);
    test_finish();
}
