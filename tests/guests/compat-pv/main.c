/*
 * Scenario: guest-visible x86 PV behaviours a kernel built for Xen 4.17
 * relies on, checked with Xen's numbers and errors (spec/xen-compat.md).
 *
 * Written against Xen's public ABI alone: every number and layout under
 * test is defined below from Xen's public headers (each block names its
 * header), none from Bulkhead's own ABI headers; the runtime only boots,
 * prints and makes the hypercalls. It runs as an unprivileged domU started
 * by dom0, beside nothing, with the audit of every page-table reference
 * after the run.
 *
 * PAE L3 entries (PT-5, PT-14): a 32-bit PV guest may write RW, US, A and
 * D in its L3 entries (Xen's COMPAT_L3_DISALLOW_MASK 0xFFFFF198 refuses
 * only PWT, PCD, PSE, G and bits 52..63). An L3 written that way pins, is
 * loaded as the base pointer and translates; an L3 entry written that way
 * through mmu_update into the running L3 is accepted and the address
 * space keeps working across the PDPTE reload. PCD and NX stay refused
 * (-EINVAL, as Xen). A recursive L3 entry with those flags, and an L3
 * that names itself, are refused (-EINVAL, Xen's answer: an L3 frame is
 * no L2). What the guest reads back differs by design: Bulkhead stores
 * the entry as a PAE PDPTE can hold it, without RW, US, A and D, where
 * Xen (which runs the guest's L3 in long mode) sets RW and US.
 *
 * iret inside a multicall (MC-5): performed, and the multicall ends there
 * (Xen's common/multicall.c mc_exit after arch/x86/pv/iret.c): a
 * multicall [update_va_mapping, iret] issued with an iret frame at ESP
 * maps the page, then lands at the frame's EIP with the frame's EAX (the
 * multicall's return value), ESP past the 16-byte ring-1 frame, EFLAGS
 * the frame's without IOPL (IRET-4), the upcall mask from its IF
 * (IRET-6), EBP as it was; the iret entry's result is the frame's EAX. With iret in the middle, the entries after it do not
 * run. A frame on a read-only page is only read, so it works there too.
 *
 * Virtual IOPL (EMUL-12, EMUL-13, EMUL-25), as Xen's iopl_ok(): a ring-3
 * program runs in/out (immediate and DX ports) and cli/sti. At virtual
 * IOPL 3 (PHYSDEVOP_set_iopl) none faults; at IOPL 1 and 0 each gives the
 * program #GP(0) and changes nothing. This domain has no I/O privilege:
 * at IOPL 3 its reads see absent hardware (all ones) and its writes go
 * nowhere, isa-debug-exit included (a write reaching it would end the
 * run). VMASST_TYPE_architectural_iopl is accepted: the kernel's cli then
 * passes at IOPL 0, ring 3 still needs 3, and an iret frame's IOPL sets
 * the virtual IOPL (here through the multicall iret above).
 */
#include "test.h"
#include "traps.h"

/* xen/include/public/xen.h */
#define HYPERCALL_mmu_update        1
#define HYPERCALL_multicall         13
#define HYPERCALL_update_va_mapping 14
#define HYPERCALL_vm_assist         21
#define HYPERCALL_iret              23
#define HYPERCALL_physdev_op        33
#define VMASST_CMD_enable           0
#define VMASST_CMD_disable          1
#define VMASST_TYPE_architectural_iopl 4
#define HYPERCALL_xen_version       17
#define HYPERCALL_mmuext_op         26
#define DOMID_SELF                  0x7FF0u
#define MMUEXT_PIN_L3_TABLE         2
#define MMUEXT_UNPIN_TABLE          4
#define MMUEXT_NEW_BASEPTR          5
#define UVMF_INVLPG                 2
struct mmu_update_abi {
    uint64_t ptr;                   /* machine address of the entry | command */
    uint64_t val;
};
struct mmuext_op_abi {
    uint32_t cmd;
    uint32_t arg1;                  /* mfn / linear_addr */
    uint32_t arg2;                  /* nr_ents / vcpumask / src_mfn */
};
_Static_assert(sizeof(struct mmuext_op_abi) == 12, "struct mmuext_op (x86_32)");
struct multicall_entry_abi {
    uint32_t op;
    uint32_t result;
    uint32_t args[6];
};
_Static_assert(sizeof(struct multicall_entry_abi) == 32, "struct multicall_entry (x86_32)");
struct vcpu_info_head_abi {         /* the start of vcpu_info[0], at shared_info + 0 */
    uint8_t evtchn_upcall_pending;
    uint8_t evtchn_upcall_mask;
};

/* EFLAGS (the SDM) */
#define EFL_CF   0x0001u
#define EFL_ZF   0x0040u
#define EFL_IF   0x0200u
#define EFL_IOPL 0x3000u

/* xen/include/public/physdev.h */
#define PHYSDEVOP_set_iopl 6
struct physdev_set_iopl_abi {
    uint32_t iopl;                  /* IN */
};

/* xen/include/public/errno.h */
#define XEN_EINVAL 22

/* xen/include/public/arch-x86/xen-x86_32.h: PAE entry bits (_PAGE_*). */
#define PG_P   0x001ull
#define PG_RW  0x002ull
#define PG_US  0x004ull
#define PG_PCD 0x010ull
#define PG_A   0x020ull
#define PG_D   0x040ull
#define PG_NX  (1ull << 63)
#define PG_XEN_L3 (PG_P | PG_RW | PG_US | PG_A | PG_D)   /* what a Linux/libxc PDPTE may carry */
#define PG_FRAME  0x000FFFFFFFFFF000ull

/* ---- the guest's own layout (start_info, as Xen lays it out) ---------- */

static uint32_t p2m(uint32_t pfn)
{
    return ((const uint32_t *)(uintptr_t)start_info->mfn_list)[pfn];
}

static uint64_t table_entry(uint32_t table_va, uint32_t slot)
{
    return ((const volatile uint64_t *)(uintptr_t)table_va)[slot];
}

static uint32_t own_l3(void) { return p2m(start_info->pt_base / 4096u); }   /* virt_base 0 */
static uint32_t own_l2(uint32_t slot) { return (uint32_t)(table_entry(start_info->pt_base, slot) >> 12) & 0xFFFFFFu; }

/* A frame of ours nothing maps: the top of the allowance. */
static uint32_t spare_mfn(uint32_t n) { return p2m(start_info->nr_pages - 1 - n); }
/* The first padding page after the bootstrap tables and stack: mapped, unused. */
#define SCRATCH_VA (start_info->pt_base + (start_info->nr_pt_frames + 1) * 4096u)

static uint64_t pte_of(uint32_t mfn, uint64_t flags) { return ((uint64_t)mfn << 12) | flags; }

static int32_t entry_write(uint32_t table_mfn, uint32_t slot, uint64_t val)
{
    struct mmu_update_abi u = { ((uint64_t)table_mfn << 12) + slot * 8u, val };

    return hcall4(HYPERCALL_mmu_update, GPTR(&u), 1, 0, DOMID_SELF);
}

static int32_t mmuext(uint32_t cmd, uint32_t mfn)
{
    struct mmuext_op_abi op = { cmd, mfn, 0 };

    return hcall4(HYPERCALL_mmuext_op, GPTR(&op), 1, 0, DOMID_SELF);
}

static int32_t map_at(uint32_t va, uint64_t pte)
{
    return hcall4(HYPERCALL_update_va_mapping, va, (uint32_t)pte, (uint32_t)(pte >> 32), UVMF_INVLPG);
}

static volatile uint32_t probe_word;

/* Our memory reads and writes, and hypercalls are served. */
static bool still_runs(void)
{
    probe_word = 0x5A5A1234u;
    return probe_word == 0x5A5A1234u && hcall2(HYPERCALL_xen_version, 0, 0) > 0;
}

/* ---- PT-5, PT-14: PAE L3 entries ---------------------------------------- */

/*
 * A second L3 written as libxenguest and Linux may write one: slots 0..2
 * our own L2s, slot 3 a fresh empty L2, every entry with RW|US|A|D.
 */
static void l3_pinned_with_xen_flags(void)
{
    uint32_t l3 = spare_mfn(0), l2x = spare_mfn(1), old = own_l3(), s;
    int32_t rc = 0;
    uint64_t e;

    for (s = 0; s < 3; s++)
        rc |= entry_write(l3, s, pte_of(own_l2(s), PG_XEN_L3));
    rc |= entry_write(l3, 3, pte_of(l2x, PG_XEN_L3));
    CHECK_RC("PT-5 write an L3 with P|RW|US|A|D entries", rc, 0);
    CHECK_RC("PT-5 it pins (Xen: accepted)", mmuext(MMUEXT_PIN_L3_TABLE, l3), 0);
    CHECK_RC("PT-5 it becomes the base pointer", mmuext(MMUEXT_NEW_BASEPTR, l3), 0);
    test_check("PT-5 ... and translates", still_runs());
    CHECK_RC("back on our own L3", mmuext(MMUEXT_NEW_BASEPTR, old), 0);

    /* Read it back through a read-only mapping. */
    CHECK_RC("map the pinned L3 read-only", map_at(SCRATCH_VA, pte_of(l3, PG_P | PG_A)), 0);
    e = table_entry(SCRATCH_VA, 0);
    test_check("PT-5 read back: present, same frame", (e & PG_P) && (e & PG_FRAME) == ((uint64_t)own_l2(0) << 12));
    /*
     * Bulkhead's documented difference (Xen: RW|US set, spec/xen-compat.md).
     * A is left out: QEMU's TCG page walker sets it in a PDPTE, a CPU never.
     */
    if ((e & (PG_RW | PG_US | PG_D)) != 0)
        gprintf("slot 0 reads %08x%08x\n", (uint32_t)(e >> 32), (uint32_t)e);
    test_check("PT-5 read back: stored as a PDPTE, without RW|US|D", (e & (PG_RW | PG_US | PG_D)) == 0);
    e = table_entry(SCRATCH_VA, 3) & ~PG_A;
    test_check("PT-5 read back: slot 3 as a PDPTE", e == pte_of(l2x, PG_P));
    CHECK_RC("unmap it", map_at(SCRATCH_VA, 0), 0);
    CHECK_RC("unpin it", mmuext(MMUEXT_UNPIN_TABLE, l3), 0);
}

/* The running L3, rewritten through mmu_update with Xen's flags. */
static void l3_live_updates(void)
{
    uint32_t l3 = own_l3();
    uint64_t slot0 = table_entry(start_info->pt_base, 0), slot1 = table_entry(start_info->pt_base, 1);

    CHECK_RC("PT-5 slot 0 (in use) rewritten P|RW|US|A|D",
             entry_write(l3, 0, (slot0 & PG_FRAME) | PG_XEN_L3), 0);
    CHECK_RC("PT-20 CR3 reloaded (new_baseptr of the same L3)", mmuext(MMUEXT_NEW_BASEPTR, l3), 0);
    test_check("PT-5 ... the address space still works", still_runs());
    test_check("PT-5 slot 0 reads back as a PDPTE",
               (table_entry(start_info->pt_base, 0) & ~PG_A) == ((slot0 & PG_FRAME) | PG_P));
    CHECK_RC("PT-5 slot 1 removed", entry_write(l3, 1, 0), 0);
    CHECK_RC("PT-5 slot 1 back with P|RW|US|A|D", entry_write(l3, 1, (slot1 & PG_FRAME) | PG_XEN_L3), 0);
    test_check("PT-5 ... the address space still works", still_runs());
    CHECK_RC("PT-5 PCD still refused (Xen: -EINVAL)", entry_write(l3, 1, (slot1 & PG_FRAME) | PG_P | PG_PCD), -XEN_EINVAL);
    CHECK_RC("PT-5 NX still refused (Xen: -EINVAL)", entry_write(l3, 1, (slot1 & PG_FRAME) | PG_P | PG_NX), -XEN_EINVAL);
    test_check("PT-5 refused entries left the slot alone",
               (table_entry(start_info->pt_base, 1) & ~PG_A) == ((slot1 & PG_FRAME) | PG_P));
}

/* The linear rule, not the flag rule, is what a recursive L3 hits now. */
static void l3_recursive_refused(void)
{
    uint32_t l3 = own_l3(), self = spare_mfn(2);
    uint64_t slot1 = table_entry(start_info->pt_base, 1);

    CHECK_RC("PT-14 recursive L3 entry with P|RW|US|A|D (Xen: -EINVAL)",
             entry_write(l3, 1, pte_of(l3, PG_XEN_L3)), -XEN_EINVAL);
    test_check("PT-14 ... slot 1 unchanged", table_entry(start_info->pt_base, 1) == slot1);
    CHECK_RC("write an L3 naming itself", entry_write(self, 0, pte_of(self, PG_XEN_L3)), 0);
    CHECK_RC("PT-14 pin of an L3 naming itself (Xen: -EINVAL)", mmuext(MMUEXT_PIN_L3_TABLE, self), -XEN_EINVAL);
    CHECK_RC("clear it", entry_write(self, 0, 0), 0);
    test_check("PT-14 ... still running", still_runs());
}

/* ---- MC-5: iret inside a multicall ------------------------------------- */

static uint8_t si_page[4096] __attribute__((aligned(4096)));
static uint8_t data_page[4096] __attribute__((aligned(4096)));

static volatile uint8_t *upcall_mask(void)
{
    return &((volatile struct vcpu_info_head_abi *)si_page)->evtchn_upcall_mask;
}

/*
 * What the guest saw after `int $0x82`: where it landed and its registers.
 * Globals, so the asm below reaches them by name whatever ESP and EBP hold.
 */
uint32_t cpv_frame_esp, cpv_esp_before, cpv_plain_rc, cpv_landed;
uint32_t cpv_eax, cpv_esp, cpv_ebp, cpv_eflags, cpv_cs;

/*
 * multicall(list, nr) through `int $0x82` with a ring-1 iret frame
 * {eax, target, cs, eflags} at ESP, on the stack or, when frame_va is not
 * 0, at frame_va (the frame is written there beforehand). EBP carries a
 * marker. If the multicall returns normally (no iret performed),
 * cpv_plain_rc gets its result and cpv_landed stays 0.
 */
extern char cpv_landing[];       /* the frames' target, inside mc_with_frame */

/* noinline, noclone: the asm defines the global label cpv_landing once. */
static __attribute__((noinline, noclone)) void
mc_with_frame(const struct multicall_entry_abi *list, uint32_t nr, uint32_t eax,
              uint32_t eflags, uint32_t frame_va)
{
    uint32_t cs;

    __asm__ volatile("movl %%cs, %0" : "=r"(cs));
    cpv_landed = 0;
    cpv_plain_rc = 0xDEADBEEFu;
    cpv_frame_esp = frame_va;
    __asm__ volatile(
        "pushl %%ebp\n"
        "movl %%esp, cpv_esp_before\n"
        "cmpl $0, cpv_frame_esp\n"
        "jne 3f\n"
        "pushl %[efl]\n"
        "pushl %[cs]\n"
        "pushl $cpv_landing\n"
        "pushl %[eax]\n"
        "jmp 4f\n"
        "3: movl cpv_frame_esp, %%esp\n"
        "4: movl %[nr], %%ecx\n"
        "movl %[list], %%ebx\n"
        "movl $13, %%eax\n"
        "movl $0xB9B9B9B9, %%ebp\n"
        "int $0x82\n"
        "movl %%eax, cpv_plain_rc\n"           /* no iret was performed */
        "movl cpv_esp_before, %%esp\n"
        "jmp 2f\n"
        "cpv_landing: movl %%eax, cpv_eax\n"
        "movl %%esp, cpv_esp\n"
        "movl %%ebp, cpv_ebp\n"
        "movl cpv_esp_before, %%esp\n"        /* off a read-only frame page first */
        "pushfl\n"
        "popl cpv_eflags\n"
        "movl %%cs, %%eax\n"
        "movl %%eax, cpv_cs\n"
        "movl $1, cpv_landed\n"
        "2: popl %%ebp\n"
        :
        : [efl] "m"(eflags), [cs] "m"(cs), [eax] "m"(eax), [nr] "m"(nr), [list] "m"(list)
        : "eax", "ebx", "ecx", "edx", "esi", "edi", "memory", "cc");
}

static void mc_iret_lands(void)
{
    static struct multicall_entry_abi list[2];
    uint64_t pte = pte_of(p2m((uint32_t)(uintptr_t)data_page / 4096u), PG_P | PG_A);
    uint8_t mask = *upcall_mask();
    uint32_t iflag = mask ? 0 : EFL_IF;

    data_page[0] = 0x5C;
    memset(list, 0, sizeof(list));
    list[0].op = HYPERCALL_update_va_mapping;
    list[0].args[0] = SCRATCH_VA;
    list[0].args[1] = (uint32_t)pte;
    list[0].args[2] = (uint32_t)(pte >> 32);
    list[0].args[3] = UVMF_INVLPG;
    list[0].result = 0xAAAAu;
    list[1].op = HYPERCALL_iret;
    list[1].result = 0xAAAAu;
    mc_with_frame(list, 2, 0xCAFEF00Du, iflag | EFL_IOPL | EFL_CF | EFL_ZF | 0x2u, 0);
    if (!cpv_landed)
        gprintf("the multicall returned %d\n", (int32_t)cpv_plain_rc);
    test_check("MC-5 [update_va_mapping, iret] lands at the frame's EIP", cpv_landed);
    CHECK_RC("MC-5 ... EAX is the frame's", cpv_eax, 0xCAFEF00Du);
    CHECK_RC("IRET-2 ... ESP past the 16-byte frame", cpv_esp, cpv_esp_before);
    /*
     * EBX..EDI are argument registers, clobbered as far as the ABI goes (a
     * multicall stopped between entries comes back with its continuation
     * in them); EBP, which a 2-argument call never touches, is kept.
     */
    CHECK_RC("MC-5 ... EBP kept", cpv_ebp, 0xB9B9B9B9u);
    test_check("IRET-4 ... CF and ZF from the frame", (cpv_eflags & (EFL_CF | EFL_ZF)) == (EFL_CF | EFL_ZF));
    CHECK_RC("IRET-4 ... IOPL cleared", cpv_eflags & EFL_IOPL, 0);
    test_check("IRET-3 ... still ring 1", (cpv_cs & 3) == 1);
    CHECK_RC("IRET-6 ... upcall mask from the frame's IF", *upcall_mask(), mask);
    CHECK_RC("MC-1 the update_va_mapping entry ran", (int32_t)list[0].result, 0);
    CHECK_RC("MC-5 the iret entry's result is the frame's EAX", list[1].result, 0xCAFEF00Du);
    test_check("MC-1 ... and mapped the page", *(volatile uint8_t *)(uintptr_t)SCRATCH_VA == 0x5C);
    CHECK_RC("unmap it", map_at(SCRATCH_VA, 0), 0);
}

/* iret in the middle: the entries after it never run. */
static void mc_iret_not_last(void)
{
    static struct multicall_entry_abi list[3];
    uint64_t pte = pte_of(p2m((uint32_t)(uintptr_t)data_page / 4096u), PG_P | PG_A);
    uint32_t iflag = *upcall_mask() ? 0 : EFL_IF;

    memset(list, 0, sizeof(list));
    list[0].op = HYPERCALL_update_va_mapping;
    list[0].args[0] = SCRATCH_VA;
    list[0].args[1] = (uint32_t)pte;
    list[0].args[2] = (uint32_t)(pte >> 32);
    list[0].args[3] = UVMF_INVLPG;
    list[1].op = HYPERCALL_iret;
    list[2] = list[0];
    list[2].args[1] = 0;                        /* would unmap it again */
    list[2].args[2] = 0;
    list[2].result = 0xAAAAu;
    mc_with_frame(list, 3, 0x600Du, iflag | 0x2u, 0);
    test_check("MC-5 [uvm, iret, uvm] lands at the frame's EIP", cpv_landed);
    CHECK_RC("MC-5 ... EAX is the frame's", cpv_eax, 0x600D);
    CHECK_RC("MC-5 the entry after iret did not run", list[2].result, 0xAAAAu);
    test_check("MC-5 ... the page is still mapped", *(volatile uint8_t *)(uintptr_t)SCRATCH_VA == 0x5C);
    CHECK_RC("unmap it", map_at(SCRATCH_VA, 0), 0);
}

/* The frame on a read-only page (an alias of data_page): only read. */
static void mc_iret_readonly_frame(void)
{
    static struct multicall_entry_abi list[1];
    uint64_t pte = pte_of(p2m((uint32_t)(uintptr_t)data_page / 4096u), PG_P | PG_A);
    uint32_t *f = (uint32_t *)(void *)(data_page + 0x800), cs;
    uint8_t mask = *upcall_mask();

    __asm__ volatile("movl %%cs, %0" : "=r"(cs));
    memset(list, 0, sizeof(list));
    list[0].op = HYPERCALL_iret;
    f[0] = 0x0BEEFu;
    f[1] = GPTR(cpv_landing);
    f[2] = cs;
    f[3] = 0x2u;                                /* IF clear: no upcall onto the read-only stack */
    CHECK_RC("map the frame's page read-only", map_at(SCRATCH_VA, pte), 0);
    mc_with_frame(list, 1, 0, 0, SCRATCH_VA + 0x800);
    test_check("MC-5 iret frame on a read-only page: lands", cpv_landed);
    CHECK_RC("MC-5 ... EAX is the frame's", cpv_eax, 0x0BEEF);
    CHECK_RC("IRET-2 ... ESP past the frame", cpv_esp, SCRATCH_VA + 0x810);
    CHECK_RC("IRET-6 ... events masked by the frame", *upcall_mask(), 1);
    *upcall_mask() = mask;
    CHECK_RC("unmap it", map_at(SCRATCH_VA, 0), 0);
}

/* ---- EMUL-12, EMUL-13, EMUL-25: virtual IOPL ------------------------------ */

extern char _image_start[], _image_end[];
static uint8_t user_stack[8192] __attribute__((aligned(16)));

/* Filled by the ring-3 program and the #GP handler. */
uint32_t cpv_resume, cpv_gp, cpv_gp_err, cpv_in_imm, cpv_in_dx;

static void gp_handler(struct trap_frame *f)
{
    cpv_gp++;
    cpv_gp_err |= f->error;
    test_check("EMUL-12 the #GP came from ring 3", (f->cs & 3) == 3);
    f->eip = cpv_resume;                /* past the refused instruction */
}

static void exit_handler(struct trap_frame *f)
{
    user_return(f->eax);
}

/* Each privileged instruction once; cpv_resume is where a #GP resumes. */
static void user_io_program(void)
{
    __asm__ volatile(
        "movl $1f, cpv_resume\n movl $0x1234, %%eax\n inb $0x80, %%al\n 1: movl %%eax, cpv_in_imm\n"
        "movl $2f, cpv_resume\n movl $0x3FD, %%edx\n movl $0x5678, %%eax\n inb (%%dx), %%al\n"
        "2: movl %%eax, cpv_in_dx\n"
        "movl $3f, cpv_resume\n movb $0x41, %%al\n outb %%al, $0xF4\n 3:\n"
        "movl $4f, cpv_resume\n movl $0x3F8, %%edx\n outb %%al, (%%dx)\n 4:\n"
        "movl $5f, cpv_resume\n cli\n 5:\n"
        "movl $6f, cpv_resume\n sti\n 6:\n"
        "movl $0, %%eax\n int $0x80\n"
        ::: "eax", "edx", "memory");
}

static int32_t set_iopl(uint32_t iopl)
{
    struct physdev_set_iopl_abi op = { iopl };

    return hcall2(HYPERCALL_physdev_op, PHYSDEVOP_set_iopl, GPTR(&op));
}

/*
 * Run the program, entered through an iret whose frame has `iopl` in its
 * EFLAGS (only architectural_iopl reads it): how many #GPs it took.
 */
static uint32_t run_user_io_frame(uint32_t iopl)
{
    uint8_t mask = *upcall_mask();

    cpv_gp = 0;
    cpv_gp_err = 0;
    cpv_in_imm = cpv_in_dx = 0;
    user_run_eflags(user_io_program, GPTR(user_stack + sizeof(user_stack)), EFL_IF | 0x2u | (iopl << 12));
    *upcall_mask() = mask;              /* cli/sti from ring 3 may have moved it (EMUL-13) */
    return cpv_gp;
}

/* At the current virtual IOPL (the frame says 0, as Linux's do). */
static uint32_t run_user_io(void)
{
    return run_user_io_frame(0);
}

static void iopl_ring3(void)
{
    static struct multicall_entry_abi list[1];
    struct physdev_set_iopl_abi bad = { 4 };
    uint8_t mask;

    CHECK_RC("EMUL-12 set_iopl 4 (Xen: -EINVAL)", hcall2(HYPERCALL_physdev_op, PHYSDEVOP_set_iopl, GPTR(&bad)),
             -XEN_EINVAL);
    CHECK_RC("EMUL-12 set_iopl 3", set_iopl(3), 0);
    CHECK_RC("EMUL-12 ring 3 at IOPL 3: no #GP", run_user_io(), 0);
    CHECK_RC("EMUL-12 ... inb $0x80 reads absent hardware", cpv_in_imm, 0x12FF);
    CHECK_RC("EMUL-12 ... inb (%dx) of COM1 reads absent hardware", cpv_in_dx, 0x56FF);
    /* (the outb to isa-debug-exit went nowhere: the run goes on) */
    CHECK_RC("EMUL-12 set_iopl 1", set_iopl(1), 0);
    CHECK_RC("EMUL-12 ring 3 at IOPL 1: #GP on each of the six", run_user_io(), 6);
    CHECK_RC("EMUL-12 ... #GP(0)", cpv_gp_err, 0);
    CHECK_RC("EMUL-12 ... the in refused left EAX", cpv_in_imm, 0x1234);
    CHECK_RC("EMUL-12 set_iopl 0", set_iopl(0), 0);
    CHECK_RC("EMUL-12 ring 3 at IOPL 0: #GP on each of the six", run_user_io(), 6);

    /* EMUL-25: architectural_iopl. */
    CHECK_RC("EMUL-25 vm_assist enable architectural_iopl (Xen: 0)",
             hcall2(HYPERCALL_vm_assist, VMASST_CMD_enable, VMASST_TYPE_architectural_iopl), 0);
    mask = *upcall_mask();
    cpv_gp = 0;
    traps_set_handler(13, gp_handler);
    __asm__ volatile("movl $1f, cpv_resume\n cli\n 1:" ::: "memory");
    CHECK_RC("EMUL-25 kernel cli at IOPL 0 passes", cpv_gp, 0);
    *upcall_mask() = mask;
    CHECK_RC("EMUL-25 ring 3 at IOPL 0 still #GP", run_user_io(), 6);
    /* every iret sets the virtual IOPL from its frame now */
    CHECK_RC("EMUL-25 entered with IOPL 3 in the iret frame: no #GP", run_user_io_frame(3), 0);
    CHECK_RC("EMUL-25 set_iopl 3", set_iopl(3), 0);
    CHECK_RC("EMUL-25 entered with IOPL 0 in the frame: #GP again", run_user_io_frame(0), 6);
    /* the multicall iret of MC-5 with IOPL 3 in its frame, back to ring 1 */
    memset(list, 0, sizeof(list));
    list[0].op = HYPERCALL_iret;
    mc_with_frame(list, 1, 0, (mask ? 0 : EFL_IF) | EFL_IOPL | 0x2u, 0);
    test_check("EMUL-25 iret with IOPL 3 in its frame landed", cpv_landed);
    CHECK_RC("IRET-4 ... the real IOPL stays 0", cpv_eflags & EFL_IOPL, 0);
    CHECK_RC("EMUL-25 vm_assist disable", hcall2(HYPERCALL_vm_assist, VMASST_CMD_disable,
                                                 VMASST_TYPE_architectural_iopl), 0);
    CHECK_RC("set_iopl 0 again", set_iopl(0), 0);
}

int guest_main(struct start_info *si)
{
    uint64_t si_pte = (uint64_t)si->shared_info | PG_P | PG_RW | PG_A | PG_D;

    gprintf("compat-pv: as an unprivileged domain\n");
    l3_pinned_with_xen_flags();
    l3_live_updates();
    l3_recursive_refused();
    if (map_at(GPTR(si_page), si_pte) != 0)
        test_check("map shared_info", 0);
    mc_iret_lands();
    mc_iret_not_last();
    mc_iret_readonly_frame();
    if (traps_init() != 0 || traps_make_user(GPTR(_image_start), GPTR(_image_end)) != 0 ||
        map_at(GPTR(si_page), si_pte) != 0)
        test_check("ring 3 set up", 0);
    traps_set_handler(13, gp_handler);
    traps_set_handler(0x80, exit_handler);
    iopl_ring3();
    test_finish();
}
