/*
 * Scenario: domctl setvcpucontext refusals (issue 5), from a test dom0.
 *
 * The guest is itself dom0. It creates a domain (paused, being built),
 * populates it, writes a minimal valid L3 (slot 3 naming an empty L2) and
 * some frames that are not L3s through a foreign mapping, then offers
 * vCPU contexts that must be refused with spec/domctl.md's codes: a
 * hypervisor or null CS, SS or kernel_ss, EIP or a stack in the hypervisor
 * area, a CR3 that is no L3 of that domain (a data frame, a bad L3, dom0's
 * own L3, a hypervisor frame, past the machine), the parts Bulkhead does
 * not take yet, a second vCPU, an unreadable context, dom0 as target.
 * After each refusal the L3 can still be mapped writable, so no refusal
 * left a pin or a base pointer behind, and the domain still cannot be
 * unpaused (no context). Then a good context (CS and kernel_ss given with
 * RPL 0, which must be raised to 1) is accepted, the L3 is a table now,
 * and the domain runs: its first instruction fetch at the EIP we gave
 * faults with no handler, and its crash reason must name e019:00001000,
 * so CS was raised and EIP kept. A stopped domain's context is -EBUSY.
 * Selectors that can never be valid (past the GDT, system, code where
 * data, data where code) and callbacks on a bad CS or at a hypervisor
 * address are refused too (CB-3, CB-7, CB-8); a second domain starts with
 * GS past the GDT, a failsafe callback and its stack unmapped, and must be
 * crashed on its way in (BOUNCE-8). Destroying them gives every frame back
 * (free memory as before).
 */
#include "pv/arch_x86_32.h"
#include "pv/domctl.h"
#include "pv/errno.h"
#include "pv/layout.h"
#include "pv/memory.h"
#include "pv/mmu.h"
#include "pv/sched.h"
#include "test.h"

#define PAGES      8u
#define START_EIP  0x1000u        /* nothing mapped there: the first fetch faults */
#define START_ESP  0x2000u
#define HV_CS      0xE008u        /* the hypervisor's ring-0 code selector */
#define HV_DS      0xE010u        /* the hypervisor's ring-0 data selector */
#define HV_MFN     0x100u         /* 1 MiB: the hypervisor image */
#define UNMAPPED   0x30000000u
#define PTE_RW     0x063u         /* P | RW | A | D */
#define L3_P       0x001u
#define L3_PSE     0x080u         /* reserved in a PAE PDPTE and refused (PT-5) */

static uint8_t window[4096] __attribute__((aligned(4096)));
static uint32_t window_mfn;
static uint32_t mfn[PAGES];       /* 0: L3, 1: its slot-3 L2, 2: data, 3: bad L3 */
static domid_t dom;
static struct vcpu_guest_context ctx;   /* 2800 bytes: not on the stack */

static int32_t domctl(uint32_t cmd, domid_t domid, struct xen_domctl *op)
{
    op->cmd = cmd;
    op->interface_version = BULKHEAD_DOMCTL_INTERFACE_VERSION;
    op->domain = domid;
    return hcall1(__HYPERVISOR_domctl, GPTR(op));
}

static int32_t simple(uint32_t cmd, domid_t domid)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    return domctl(cmd, domid, &op);
}

static int32_t set_context(domid_t domid, uint32_t vcpu, uint32_t ctxt)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    op.u.vcpucontext.vcpu = vcpu;
    op.u.vcpucontext.ctxt = ctxt;
    return domctl(XEN_DOMCTL_setvcpucontext, domid, &op);
}

static int32_t info(struct xen_domctl_getdomaininfo *out)
{
    struct xen_domctl op;
    int32_t rc;

    memset(&op, 0, sizeof(op));
    rc = domctl(XEN_DOMCTL_getdomaininfo, dom, &op);
    *out = op.u.info;
    return rc ? rc : op.u.info.domain == dom ? 0 : -ESRCH;
}

static struct xen_sysctl_physinfo physinfo(void)
{
    struct xen_sysctl op;

    memset(&op, 0, sizeof(op));
    op.cmd = XEN_SYSCTL_physinfo;
    op.interface_version = BULKHEAD_SYSCTL_INTERFACE_VERSION;
    CHECK_RC("sysctl physinfo", hcall1(__HYPERVISOR_sysctl, GPTR(&op)), 0);
    return op.u.physinfo;
}

/* CTL-5: with Bulkhead's interface versions, a sub-op it does not know is -ENOSYS. */
static void unknown_subops(void)
{
    struct xen_sysctl op;

    CHECK_RC("CTL-5 unknown domctl on an existing domain", simple(77, dom), -ENOSYS);
    memset(&op, 0, sizeof(op));
    op.cmd = 77;
    op.interface_version = BULKHEAD_SYSCTL_INTERFACE_VERSION;
    CHECK_RC("CTL-5 unknown sysctl", hcall1(__HYPERVISOR_sysctl, GPTR(&op)), -ENOSYS);
}

/* Map one of the new domain's frames writable at our window. */
static int32_t map_foreign_rw(uint32_t frame)
{
    uint64_t pte = ((uint64_t)frame << 12) | PTE_RW;
    return hcall5(__HYPERVISOR_update_va_mapping_otherdomain, GPTR(window), (uint32_t)pte,
                  (uint32_t)(pte >> 32), UVMF_INVLPG, dom);
}

static void restore_window(void)
{
    uint64_t pte = ((uint64_t)window_mfn << 12) | PTE_RW;
    CHECK_RC("restore the window", hcall4(__HYPERVISOR_update_va_mapping, GPTR(window),
                                          (uint32_t)pte, (uint32_t)(pte >> 32), UVMF_INVLPG), 0);
}

static void write_l3(uint32_t frame, uint64_t slot3)
{
    CHECK_RC("map a new frame to write it", map_foreign_rw(frame), 0);
    ((uint64_t *)window)[3] = slot3;
    restore_window();
}

static void good_context(void)
{
    struct cpu_user_regs *r = &ctx.user_regs;

    memset(&ctx, 0, sizeof(ctx));
    r->eip = START_EIP;
    r->esp = START_ESP;
    r->cs = FLAT_RING1_CS;
    r->ss = r->ds = r->es = r->fs = r->gs = FLAT_RING1_DS;
    r->eflags = 0x200;
    ctx.kernel_ss = FLAT_RING1_SS;
    ctx.kernel_sp = START_ESP;
    ctx.ctrlreg[3] = xen_pfn_to_cr3(mfn[0]);
}

/* Nothing of a refused context may stay: the L3 is still plain data. */
static void unchanged(const char *what)
{
    int32_t rc = map_foreign_rw(mfn[0]);

    if (rc)
        gprintf("FAILED: after '%s' the L3 cannot be mapped writable (%d)\n", what, rc);
    test_check("a refusal leaves the L3 untyped", rc == 0);
    if (rc == 0)
        restore_window();
}

static void refuse(const char *what, int32_t want)
{
    CHECK_RC(what, set_context(dom, 0, GPTR(&ctx)), want);
    unchanged(what);
    good_context();
}

static void refusals(void)
{
    uint32_t own_l3 = ((const uint32_t *)(uintptr_t)start_info->mfn_list)[start_info->pt_base / 4096u];

    good_context();
    CHECK_RC("vCPU 1", set_context(dom, 1, GPTR(&ctx)), -EINVAL);
    CHECK_RC("an unreadable context", set_context(dom, 0, UNMAPPED), -EFAULT);
    CHECK_RC("dom0 as the target", set_context(0, 0, GPTR(&ctx)), -ESRCH);
    CHECK_RC("a domain that does not exist", set_context(200, 0, GPTR(&ctx)), -ESRCH);
    unchanged("the argument refusals");

    /* CR3: must name an L3 of this domain that validates (PT-5, PT-10). */
    ctx.ctrlreg[3] = xen_pfn_to_cr3(mfn[2]);
    refuse("CR3 naming a data frame", -EINVAL);
    ctx.ctrlreg[3] = xen_pfn_to_cr3(mfn[3]);
    refuse("CR3 naming an L3 with a reserved bit", -EINVAL);
    ctx.ctrlreg[3] = xen_pfn_to_cr3(own_l3);
    refuse("CR3 naming dom0's own L3", -EINVAL);
    ctx.ctrlreg[3] = xen_pfn_to_cr3(HV_MFN);
    refuse("CR3 naming a hypervisor frame", -EINVAL);
    ctx.ctrlreg[3] = xen_pfn_to_cr3(0xFFFFFu);
    refuse("CR3 past the machine", -EINVAL);

    /* Selectors: never null, never the hypervisor's reserved GDT entries. */
    ctx.user_regs.cs = HV_CS;
    refuse("CS the hypervisor's code selector", -EINVAL);
    ctx.user_regs.cs = HV_DS | 1u;
    refuse("CS the hypervisor's data selector, RPL 1", -EINVAL);
    ctx.user_regs.cs = 0;
    refuse("CS null", -EINVAL);
    ctx.user_regs.ss = HV_DS;
    refuse("SS the hypervisor's data selector", -EINVAL);
    ctx.user_regs.ss = 0;
    refuse("SS null", -EINVAL);
    ctx.kernel_ss = HV_DS;
    refuse("kernel_ss the hypervisor's (ring 0) data selector", -EINVAL);
    ctx.kernel_ss = 0;
    refuse("kernel_ss null", -EINVAL);
    ctx.kernel_ss = 0x10000u | FLAT_RING1_SS;
    refuse("kernel_ss wider than 16 bits", -EINVAL);
    /* CB-7, TRAP-3: selectors that can never be valid there (BSA-2026-2's class). */
    ctx.kernel_ss = 0xFFF9u;
    refuse("kernel_ss past the GDT", -EINVAL);
    ctx.kernel_ss = 0xE041u;
    refuse("kernel_ss the TSS (a system descriptor)", -EINVAL);
    ctx.kernel_ss = FLAT_RING1_CS;
    refuse("kernel_ss a code selector", -EINVAL);
    ctx.user_regs.ss = 0xF001u;
    refuse("SS past the reserved page", -EINVAL);
    ctx.user_regs.cs = FLAT_RING1_DS;
    refuse("CS a data selector", -EINVAL);
    ctx.user_regs.cs = 0xFFF9u;
    refuse("CS past the GDT", -EINVAL);
    /* CB-3, CB-8: the callbacks, as set_callbacks takes them. */
    ctx.event_callback_cs = HV_CS;
    ctx.event_callback_eip = START_EIP;
    refuse("event callback on the hypervisor's CS", -EINVAL);
    ctx.failsafe_callback_cs = 0xFFF9u;
    ctx.failsafe_callback_eip = START_EIP;
    refuse("failsafe callback past the GDT", -EINVAL);
    ctx.event_callback_cs = FLAT_RING1_CS;
    ctx.event_callback_eip = HYPERVISOR_VIRT_START;
    refuse("event callback at a hypervisor address", -EINVAL);
    ctx.failsafe_callback_cs = FLAT_RING1_CS;
    ctx.failsafe_callback_eip = 0xFF000000u;
    refuse("failsafe callback at a hypervisor address", -EINVAL);

    /* Addresses: the hypervisor area is never a guest's to run or push on. */
    ctx.user_regs.eip = HYPERVISOR_VIRT_START;
    refuse("EIP at HYPERVISOR_VIRT_START", -EINVAL);
    ctx.user_regs.eip = 0xFF100000u;
    refuse("EIP in the hypervisor's text", -EINVAL);
    ctx.user_regs.esp = HYPERVISOR_VIRT_START + 4u;
    refuse("ESP in the hypervisor area", -EINVAL);
    ctx.user_regs.esp = 0xFFFFFFF0u;
    refuse("ESP at the top of memory", -EINVAL);
    ctx.kernel_sp = 0xF6000000u;
    refuse("kernel_sp in the hypervisor area", -EINVAL);

    /* Parts Bulkhead does not take yet (GDT, LDT, trap table) must be empty. */
    ctx.gdt_ents = 1;
    refuse("a GDT", -EINVAL);
    ctx.ldt_ents = 1;
    refuse("an LDT", -EINVAL);
    ctx.trap_ctxt[14].address = START_EIP;
    refuse("a trap table", -EINVAL);
    /* EMUL-24: debug registers are taken through set_debugreg's checks. */
    ctx.debugreg[0] = 0xF5800000u;
    refuse("EMUL-24 a breakpoint address in the hypervisor", -EINVAL);
    ctx.debugreg[7] = 0x2000u;
    refuse("EMUL-24 general detect", -EINVAL);

    CHECK_RC("still no context: unpause refused", simple(XEN_DOMCTL_unpausedomain, dom), -EINVAL);
}

static void run_until_crash(const char *what, const char *want);

static void accept_and_run(void)
{
    struct xen_domctl_getdomaininfo di;

    good_context();
    /* RPL 0 is raised to 1 (as Xen), not refused: FLAT_RING1_CS comes back. */
    ctx.user_regs.cs = FLAT_RING1_CS & ~3u;
    ctx.kernel_ss = FLAT_RING1_SS & ~3u;
    /* The very top of the guest area is a valid (empty) stack. */
    ctx.kernel_sp = HYPERVISOR_VIRT_START;
    CHECK_RC("a good context is accepted", set_context(dom, 0, GPTR(&ctx)), 0);
    CHECK_RC("the L3 is a table now: no writable mapping", map_foreign_rw(mfn[0]), -EBUSY);
    CHECK_RC("setting it again while paused", set_context(dom, 0, GPTR(&ctx)), 0);
    ctx.user_regs.cs = HV_CS;
    CHECK_RC("a bad context after a good one", set_context(dom, 0, GPTR(&ctx)), -EINVAL);

    CHECK_RC("getdomaininfo", info(&di), 0);
    CHECK_RC("paused", di.state, DOMINFO_PAUSED);
    CHECK_RC("its pages", di.tot_pages, PAGES);

    run_until_crash("it ran and crashed at its first fetch", "e019:00001000");
    good_context();
    CHECK_RC("a stopped domain's context", set_context(dom, 0, GPTR(&ctx)), -EBUSY);
}

/* Unpause it and wait until it has crashed; its crash reason must contain `want`. */
static void run_until_crash(const char *what, const char *want)
{
    struct xen_domctl_getdomaininfo di;
    uint32_t tries;

    CHECK_RC("unpause", simple(XEN_DOMCTL_unpausedomain, dom), 0);
    for (tries = 0; tries < 1000; tries++) {
        hcall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
        if (info(&di) || di.state == DOMINFO_CRASHED)
            break;
    }
    gprintf("domain %u: state %u, crash reason '%s'\n", dom, di.state, di.crash_reason);
    CHECK_RC(what, di.state, DOMINFO_CRASHED);
    test_check(want, strstr(di.crash_reason, want) != NULL);
}

/*
 * BOUNCE-8, DESC-13 from a context: the data segment selectors are taken
 * as given (as Xen) and a stack selector in the guest's own LDT is
 * accepted (it could be filled in later). The first return to the domain
 * then faults loading GS (past the GDT), which enters the failsafe
 * callback the context names; its frame goes on SS:ESP, where nothing is
 * mapped: the domain is crashed, the hypervisor is not touched.
 */
static void exit_fault_context(void)
{
    good_context();
    ctx.user_regs.gs = 0xFFF9u;
    ctx.kernel_ss = 0x0005u;
    ctx.failsafe_callback_cs = FLAT_RING1_CS;
    ctx.failsafe_callback_eip = START_EIP;
    CHECK_RC("a context with GS past the GDT and an LDT kernel_ss is accepted",
             set_context(dom, 0, GPTR(&ctx)), 0);
    run_until_crash("it crashed on its way in", "failsafe callback: bounce frame at");
}

/* A new paused domain with PAGES frames, mfn[0] a valid L3, mfn[3] an invalid one. */
static void create_target(const char *name)
{
    struct xen_domctl op;
    struct xen_memory_reservation r;
    uint32_t i;

    memset(&op, 0, sizeof(op));
    op.u.create.max_pages = PAGES;
    memcpy(op.u.create.name, name, strlen(name) + 1);
    CHECK_RC("createdomain", domctl(XEN_DOMCTL_createdomain, 0, &op), 0);
    dom = op.domain;
    test_check("a new domain id", dom >= 1 && dom < DOMID_FIRST_RESERVED);
    CHECK_RC("unpause before any context", simple(XEN_DOMCTL_unpausedomain, dom), -EINVAL);
    for (i = 0; i < PAGES; i++)
        mfn[i] = i;
    memset(&r, 0, sizeof(r));
    r.extent_start = GPTR(mfn);
    r.nr_extents = PAGES;
    r.domid = dom;
    CHECK_RC("populate it", hcall2(__HYPERVISOR_memory_op, XENMEM_populate_physmap, GPTR(&r)), PAGES);
    write_l3(mfn[0], ((uint64_t)mfn[1] << 12) | L3_P);
    write_l3(mfn[3], ((uint64_t)mfn[1] << 12) | L3_P | L3_PSE);
}

int guest_main(struct start_info *si)
{
    struct xen_sysctl_physinfo before, after;

    gprintf("ctl-vcpucontext: refusals for a new domain's vCPU context\n");
    test_check("we are the privileged domain", (si->flags & SIF_PRIVILEGED) != 0);
    window_mfn = ((const uint32_t *)(uintptr_t)si->mfn_list)[GPTR(window) / 4096u];
    before = physinfo();

    create_target("target");
    unknown_subops();

    refusals();
    accept_and_run();
    CHECK_RC("destroy it", simple(XEN_DOMCTL_destroydomain, dom), 0);

    create_target("target2");
    exit_fault_context();
    CHECK_RC("destroy it", simple(XEN_DOMCTL_destroydomain, dom), 0);
    after = physinfo();
    gprintf("free frames %u before, %u after; domains %u before, %u after\n",
            before.free_pages, after.free_pages, before.nr_domains, after.nr_domains);
    CHECK_RC("every frame given back", after.free_pages, before.free_pages);
    CHECK_RC("the record freed", after.nr_domains, before.nr_domains);
    test_finish();
}
