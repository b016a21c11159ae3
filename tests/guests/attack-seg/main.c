/*
 * Hostile guest: selectors a guest hands the hypervisor, and faults on
 * the way back to the guest (BSA-2026-2, BSA-2026-5; spec/traps.md CB-7,
 * CB-8, TRAP-3, TRAP-7, BOUNCE-8; spec/descriptors.md DESC-12, DESC-13).
 * Named on the command line (attack=<name>):
 *
 *  stack-switch-out-of-range  the advisory itself: stack_switch(0xFFF9),
 *      then int3 from ring 3. Refused with -EINVAL (CB-7); the ring-1
 *      stack stays usable and the #BP reaches our handler.
 *  sel-refused  every selector-taking hypercall (stack_switch,
 *      set_callbacks, callback_op for each type, set_trap_table) offered
 *      every selector that can never be valid there (past the GDT, null,
 *      system, ring 0, code where data, data where code) and handler
 *      addresses in the hypervisor's range: each refused with -EINVAL,
 *      nothing changed (a bounce from ring 3, an event upcall from ring 3
 *      and the failsafe path still work). Selectors that are valid when
 *      used (our own GDT and LDT data segments) carry a bounce from ring 3.
 *  stack-<case>  a ring-1 stack selector that stack_switch accepts
 *      because the guest could fill it in later, which is absent or
 *      unsuitable when a fault from ring 3 (or an event upcall, or the
 *      failsafe path) needs it: the domain is crashed with a reason
 *      naming the selector (DESC-12, DESC-13), as Xen crashes it.
 *  exit-faults  faults on the way back to us, each continued through our
 *      failsafe callback (BOUNCE-8): ES, DS, FS, GS unloadable (a GDT
 *      entry made not present, the LDT withdrawn or moved), a bad CS
 *      (data where code, LDT withdrawn under it), a bad SS, EIP past the
 *      code segment's limit, a trap handler and an event callback whose
 *      CS is absent when used, and ESP past the stack segment's limit (the
 *      guest's own #SS in ring 3). The limit cases need an emulator that
 *      enforces segment limits: without one they report SKIP, and so does
 *      the whole run.
 *  failsafe-faults  the failsafe callback's own CS is absent when an exit
 *      fault needs it: the domain is crashed, never a loop (BOUNCE-8).
 *  desc-tables-refused  set_gdt and update_descriptor offered everything
 *      they must refuse (DESC-14, DESC-15): too many entries, an
 *      unreadable frame list, a frame with a descriptor reaching the
 *      hypervisor, a frame mapped writable, a hypervisor frame, a second
 *      frame refused after a good first one (which must come back
 *      untyped: we can map it writable afterwards); a misaligned address,
 *      an address past 2^44 that would alias our GDT frame, a page table,
 *      a hypervisor frame, a frame past RAM, a descriptor reaching the
 *      hypervisor. Each -EINVAL (-EFAULT for the list), our GDT entry
 *      unchanged, our GDT still in use.
 */
#include <stddef.h>

#include "events.h"
#include "pv/arch_x86_32.h"
#include "pv/callback.h"
#include "pv/errno.h"
#include "pv/mmu.h"
#include "pv/vcpu.h"
#include "pvtime.h"
#include "attack_table.h"
#include "test.h"
#include "traps.h"

#define HVS             HYPERVISOR_VIRT_START
#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))
#define IRET_SLOT       (23 * 32)
#define GDT_ENTS        16u

/* Descriptors of our own tables (the checker truncates the limits, DESC-8). */
#define D_DATA1   0x00CFB3000000FFFFull   /* flat data, DPL 1 */
#define D_CODE1   0x00CFBB000000FFFFull   /* flat code, DPL 1 */
#define D_DATA3   0x00CFF3000000FFFFull   /* flat data, DPL 3 */
#define D_GATE    0x0000AC00E0190000ull   /* a call gate to FLAT_RING1_CS: a system descriptor */
#define D_ABSENT  0x00CF33000000FFFFull   /* data, DPL 1, not present */
#define D_RODATA  0x00CFB1000000FFFFull   /* read-only data, DPL 1 */

enum { G_DATA1 = 1, G_CODE1, G_DATA3, G_GATE, G_ABSENT, G_RODATA, G_SCRATCH };
enum { L_DATA1 = 0, L_CODE1 = 1, L_DATA3 = 2, L_FAR = 300 };

#define GSEL(i, rpl) ((uint16_t)((i) << 3 | (rpl)))
#define LSEL(i, rpl) ((uint16_t)((i) << 3 | 4 | (rpl)))

extern char _image_start[], _image_end[];

static uint64_t gdt[512] __attribute__((aligned(4096)));
static uint64_t ldt[512] __attribute__((aligned(4096)));
static uint64_t ldt_zero[512] __attribute__((aligned(4096)));
static uint8_t kstack[8192] __attribute__((aligned(16)));
static uint8_t user_stack[8192] __attribute__((aligned(16)));
static uint8_t unmapped_ldt_page[4096] __attribute__((aligned(4096)));
static uint64_t bad_gdt[512] __attribute__((aligned(4096)));
static uint64_t spare_gdt[512] __attribute__((aligned(4096)));
static uint64_t rw_page[512] __attribute__((aligned(4096)));
static uint32_t gdt_mfn;

#define KSTACK_TOP GPTR(kstack + sizeof(kstack))
#define USTACK_TOP GPTR(user_stack + sizeof(user_stack))

/* ------------------------------------------------------------------ */
/* Tables                                                              */

static uint32_t p2m(uint32_t va)
{
    return ((const uint32_t *)(uintptr_t)start_info->mfn_list)[va / 4096u];
}

static int32_t map_page(uint32_t va, uint32_t flags)
{
    uint64_t pte = flags ? ((uint64_t)p2m(va) << 12) | flags : 0;

    return hcall4(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte, (uint32_t)(pte >> 32),
                  UVMF_INVLPG);
}

static int32_t set_ldt(uint32_t va, uint32_t ents)
{
    struct mmuext_op op;

    memset(&op, 0, sizeof(op));
    op.cmd = MMUEXT_SET_LDT;
    op.arg1.linear_addr = va;
    op.arg2.nr_ents = ents;
    return hcall4(__HYPERVISOR_mmuext_op, GPTR(&op), 1, 0, DOMID_SELF);
}

static int32_t update_desc(uint32_t index, uint64_t d)
{
    uint64_t ma = ((uint64_t)gdt_mfn << 12) + index * 8u;

    return hcall4(__HYPERVISOR_update_descriptor, (uint32_t)ma, (uint32_t)(ma >> 32),
                  (uint32_t)d, (uint32_t)(d >> 32));
}

/*
 * Ring 3 may run our image; then our GDT (16 entries) and the LDT pages
 * become read-only, as descriptor tables must be. unmapped_ldt_page is
 * left with no mapping at all.
 */
static void tables_init(void)
{
    if (traps_init() || traps_make_user(GPTR(_image_start), GPTR(_image_end)))
        guest_panic("cannot set up traps and ring 3");
    gdt[G_DATA1] = D_DATA1;
    gdt[G_CODE1] = D_CODE1;
    gdt[G_DATA3] = D_DATA3;
    gdt[G_GATE] = D_GATE;
    gdt[G_ABSENT] = D_ABSENT;
    gdt[G_RODATA] = D_RODATA;
    gdt[G_SCRATCH] = D_DATA1;
    ldt[L_DATA1] = D_DATA1;
    ldt[L_CODE1] = D_CODE1;
    ldt[L_DATA3] = D_DATA3;
    ldt[L_FAR] = D_DATA1;
    gdt_mfn = p2m(GPTR(gdt));
    if (map_page(GPTR(gdt), 0x25) || map_page(GPTR(ldt), 0x25) || map_page(GPTR(ldt_zero), 0x25) ||
        map_page(GPTR(unmapped_ldt_page), 0) ||
        hcall2(__HYPERVISOR_set_gdt, GPTR(&gdt_mfn), GDT_ENTS))
        guest_panic("cannot set up our GDT and LDT pages");
}

/* ------------------------------------------------------------------ */
/* Escapes: a failsafe callback or a trap handler may end a case here  */

/* int case_call(void (*fn)(void)): 0 when fn returns, 1 after case_escape. */
int case_call(void (*fn)(void));
void case_escape(void);
__asm__(
    "   .text\n"
    "   .globl case_call\n"
    "case_call:\n"
    "   pushl %ebp\n pushl %ebx\n pushl %esi\n pushl %edi\n"
    "   movl %esp, case_esp\n"
    "   call *20(%esp)\n"
    "   xorl %eax, %eax\n"
    "   jmp 1f\n"
    "   .globl case_escape\n"
    "case_escape:\n"
    "   movl $0xE021, %eax\n movl %eax, %ds\n movl %eax, %es\n"
    "   movl case_esp, %esp\n"
    "   movl $1, %eax\n"
    "1: popl %edi\n popl %esi\n popl %ebx\n popl %ebp\n"
    "   ret\n"
    "   .bss\n .align 4\ncase_esp: .long 0\n .text\n");

/* The failsafe frame: DS ES FS GS EIP CS EFLAGS, and ESP SS from ring 2/3. */
struct failsafe_frame {
    uint32_t ds, es, fs, gs, eip, cs, eflags, esp, ss;
};

static volatile uint32_t failsafe_count;
static struct failsafe_frame failsafe_last;
static volatile bool escape_armed;

void failsafe_record(struct failsafe_frame *f);
void failsafe_record(struct failsafe_frame *f)
{
    failsafe_last = *f;
    failsafe_count++;
    if (escape_armed) {         /* the interrupted CS:EIP is the broken one: leave it */
        f->eip = GPTR(case_escape);
        f->cs = FLAT_RING1_CS;
    }
}

/*
 * The failsafe callback: our data segments first (the hypervisor loaded
 * null ones), then C, then back through iret past the four selectors.
 * The resumed code gets the flat DS and ES and null FS and GS.
 */
void failsafe_entry(void);
__asm__(
    "   .text\n"
    "   .globl failsafe_entry\n"
    "failsafe_entry:\n"
    "   pushl %eax\n"
    "   movl $0xE021, %eax\n movl %eax, %ds\n movl %eax, %es\n"
    "   popl %eax\n"
    "   pushal\n"
    "   cld\n"
    "   leal 32(%esp), %eax\n"
    "   pushl %eax\n"
    "   call failsafe_record\n"
    "   addl $4, %esp\n"
    "   popal\n"
    "   addl $16, %esp\n"
    "   jmp hypercall_page + 23 * 32\n");

static int32_t register_cb(uint16_t type, uint32_t cs, void *eip, uint16_t flags)
{
    struct callback_register reg = { type, flags, { cs, GPTR(eip) } };

    return hcall2(__HYPERVISOR_callback_op, CALLBACKOP_register, GPTR(&reg));
}

/* Events stay masked while it runs: its own data segments are loaded first thing. */
static void failsafe_init(void)
{
    CHECK_RC("register our failsafe callback",
             register_cb(CALLBACKTYPE_failsafe, FLAT_RING1_CS, failsafe_entry,
                         CALLBACKF_mask_events), 0);
}

/* ------------------------------------------------------------------ */
/* Ring 3                                                              */

static volatile uint32_t user_traps, user_trap_cs, user_trap_vector;
static volatile uint32_t upcalls, upcalls_from_ring3;

static void user_exit(void)
{
    __asm__ volatile("int $0x80" :: "a"(0) : "memory");
}

static void user_int3(void)
{
    __asm__ volatile("int3" ::: "memory");
    user_exit();
}

/* Spin in ring 3 until an event upcall from ring 3 has come (the timer is armed). */
static volatile uint32_t upcall_wait_base;

static void user_wait_upcall(void)
{
    while (upcalls_from_ring3 == upcall_wait_base)
        __asm__ volatile("pause" ::: "memory");
    user_exit();
}

static void syscall_handler(struct trap_frame *f)
{
    if (f->eax == 0)
        user_return(0);
}

static void trap_record(struct trap_frame *f)
{
    user_traps++;
    user_trap_cs = f->cs;
    user_trap_vector = f->vector;
}

static void upcall_handler(struct trap_frame *f)
{
    upcalls++;
    if ((f->cs & 3u) == 3)
        upcalls_from_ring3++;
    events_dispatch();
}

/*
 * Arm a timer event a millisecond ahead, with events masked: whether it
 * fires before or after, the upcall comes when an iret unmasks events
 * (entering ring 3, or e_event_cs's own unmask).
 */
static void arm_timer_event(void)
{
    uint32_t port = pv_timer_port();
    uint64_t at = pv_time_ns() + 1000000ull;

    pv_shared_info()->vcpu_info[0].evtchn_upcall_mask = 1;
    upcall_wait_base = upcalls_from_ring3;

    if (!port || evtchn_unmask_port(port))
        guest_panic("no timer event port");
    events_test_and_clear(port);
    hcall2(__HYPERVISOR_set_timer_op, (uint32_t)at, (uint32_t)(at >> 32));
}

/*
 * A system call from ring 3 enters ring 1 on the ring-1 stack the TSS
 * names (stack_switch), and user_return() stays on it: back to the flat one.
 */
static void flat_ring1_ss(void)
{
    __asm__ volatile("mov %0, %%ss" :: "r"((uint32_t)FLAT_RING1_SS) : "memory");
}

static void ring3_int3_reaches_handler(const char *what)
{
    uint32_t before = user_traps;

    user_run(user_int3, USTACK_TOP);
    flat_ring1_ss();
    test_check(what, user_traps == before + 1 && (user_trap_cs & 3u) == 3 && user_trap_vector == 3);
}

static void ring3_upcall_arrives(const char *what)
{
    uint32_t before = upcalls_from_ring3;

    arm_timer_event();
    user_run(user_wait_upcall, USTACK_TOP);
    flat_ring1_ss();
    test_check(what, upcalls_from_ring3 > before);
}

/* ------------------------------------------------------------------ */
/* stack-switch-out-of-range (BSA-2026-2)                              */

static int32_t a_stack_switch_out_of_range(void)
{
    int32_t rc = hcall2(__HYPERVISOR_stack_switch, 0xFFF9u, KSTACK_TOP);

    ring3_int3_reaches_handler("CB-7: after the refusal a #BP from ring 3 still reaches us");
    return rc;
}

/* ------------------------------------------------------------------ */
/* sel-refused                                                         */

struct bad_sel {
    const char *what;
    uint32_t sel;
};

/* Never a ring-1 stack (CB-7). */
static const struct bad_sel never_stack[] = {
    { "past the GDT", 0xFFF9u },
    { "first entry past the reserved page", 0xF001u },
    { "null", 0x0000u },
    { "null, RPL 3", 0x0003u },
    { "the TSS (system)", 0xE041u },
    { "the LDT descriptor (system)", 0xE049u },
    { "the hypervisor's CS (ring 0)", 0xE008u },
    { "the hypervisor's DS (ring 0)", 0xE010u },
    { "code where data: FLAT_RING1_CS", FLAT_RING1_CS },
    { "the flat ring-1 DS with RPL 3", 0xE023u },
    { "above 16 bits", 0x1E021u },
};

/* Never a handler's CS (TRAP-3, CB-3). */
static const struct bad_sel never_code[] = {
    { "past the GDT", 0xFFF9u },
    { "first entry past the reserved page", 0xF001u },
    { "null", 0x0000u },
    { "null, RPL 3", 0x0003u },
    { "the TSS (system)", 0xE041u },
    { "the LDT descriptor (system)", 0xE049u },
    { "the hypervisor's CS (ring 0)", 0xE008u },
    { "the hypervisor's DS (ring 0)", 0xE010u },
    { "data where code: FLAT_RING1_DS", FLAT_RING1_DS },
    { "data where code: FLAT_RING3_DS", FLAT_RING3_DS },
};

static const uint32_t hypervisor_addresses[] = { HVS, 0xF6800000u, 0xFF001000u, 0xFFFFFFF0u };

static const uint16_t cb_types[] = {
    CALLBACKTYPE_event, CALLBACKTYPE_failsafe, CALLBACKTYPE_sysenter, CALLBACKTYPE_syscall32,
};

static void refuse(const char *path, const char *what, int32_t rc)
{
    if (rc != -EINVAL)
        gprintf("FAILED: %s with %s: got %d, want %d\n", path, what, rc, -EINVAL);
    test_check(path, rc == -EINVAL);
}

static int32_t trap_entry(uint16_t cs, uint32_t address)
{
    struct trap_info t[2] = { { 3, 3 | TI_IF_FLAG, cs, address }, { 0, 0, 0, 0 } };

    return hcall1(__HYPERVISOR_set_trap_table, GPTR(t));
}

static void refuse_selectors(void)
{
    char what[96];
    uint32_t i, t;

    for (i = 0; i < ARRAY_SIZE(never_stack); i++)
        refuse("CB-7 stack_switch", never_stack[i].what,
               hcall2(__HYPERVISOR_stack_switch, never_stack[i].sel, KSTACK_TOP));
    for (i = 0; i < ARRAY_SIZE(never_code); i++) {
        uint32_t sel = never_code[i].sel;

        refuse("CB-3 set_callbacks event", never_code[i].what,
               hcall4(__HYPERVISOR_set_callbacks, sel, GPTR(failsafe_entry), FLAT_RING1_CS,
                      GPTR(failsafe_entry)));
        refuse("CB-3 set_callbacks failsafe", never_code[i].what,
               hcall4(__HYPERVISOR_set_callbacks, FLAT_RING1_CS, GPTR(failsafe_entry), sel,
                      GPTR(failsafe_entry)));
        for (t = 0; t < ARRAY_SIZE(cb_types); t++) {
            snprintf(what, sizeof(what), "type %u, %s", cb_types[t], never_code[i].what);
            refuse("CB-3 callback_op register", what,
                   register_cb(cb_types[t], sel, failsafe_entry, 0));
        }
        refuse("TRAP-3 set_trap_table", never_code[i].what,
               trap_entry((uint16_t)sel, GPTR(failsafe_entry)));
        /* CB-5: the NMI entry takes no CS; whatever is given it runs on FLAT_RING1_CS */
        CHECK_RC("CB-5 NMI callback ignores its CS", register_cb(CALLBACKTYPE_nmi, sel,
                                                                 failsafe_entry, 0), 0);
    }
    refuse("CB-3 set_callbacks event", "above 16 bits",
           hcall4(__HYPERVISOR_set_callbacks, 0x1E019u, GPTR(failsafe_entry), FLAT_RING1_CS,
                  GPTR(failsafe_entry)));
    {
        struct callback_unregister un = { CALLBACKTYPE_nmi, 0 };

        CHECK_RC("CB-6 unregister the NMI callback again",
                 hcall2(__HYPERVISOR_callback_op, CALLBACKOP_unregister, GPTR(&un)), 0);
    }
}

static void refuse_addresses(void)
{
    char what[64];
    uint32_t i, t;

    for (i = 0; i < ARRAY_SIZE(hypervisor_addresses); i++) {
        uint32_t a = hypervisor_addresses[i];

        snprintf(what, sizeof(what), "address %08x", a);
        refuse("TRAP-7 set_trap_table", what, trap_entry(FLAT_RING1_CS, a));
        refuse("CB-8 set_callbacks event", what,
               hcall4(__HYPERVISOR_set_callbacks, FLAT_RING1_CS, a, FLAT_RING1_CS,
                      GPTR(failsafe_entry)));
        refuse("CB-8 set_callbacks failsafe", what,
               hcall4(__HYPERVISOR_set_callbacks, FLAT_RING1_CS, GPTR(failsafe_entry),
                      FLAT_RING1_CS, a));
        for (t = 0; t < ARRAY_SIZE(cb_types); t++)
            refuse("CB-8 callback_op register", what,
                   register_cb(cb_types[t], FLAT_RING1_CS, (void *)(uintptr_t)a, 0));
        refuse("CB-8 callback_op register nmi", what,
               register_cb(CALLBACKTYPE_nmi, FLAT_RING1_CS, (void *)(uintptr_t)a, 0));
    }
}

/* An exit fault: ES holds our scratch GDT entry, which the hypercall makes absent. */
static int32_t es_made_absent(void)
{
    int32_t rc;

    if (update_desc(G_SCRATCH, D_DATA1))
        return -1;
    __asm__ volatile("mov %0, %%es" :: "r"((uint32_t)GSEL(G_SCRATCH, 1)) : "memory");
    rc = update_desc(G_SCRATCH, D_ABSENT);
    __asm__ volatile("mov %0, %%es" :: "r"((uint32_t)FLAT_RING1_DS) : "memory");
    return rc;
}

static int32_t a_sel_refused(void)
{
    uint32_t before;

    failsafe_init();
    refuse_selectors();
    refuse_addresses();
    /* Nothing of that reached the vCPU: ring 3 -> ring 1 bounces, upcalls, failsafe work. */
    ring3_int3_reaches_handler("a #BP from ring 3 reaches our handler on our ring-1 stack");
    ring3_upcall_arrives("an event upcall from ring 3 reaches our callback");
    before = failsafe_count;
    CHECK_RC("the hypercall that made ES unloadable", es_made_absent(), 0);
    test_check("the failsafe callback ran for it", failsafe_count == before + 1);
    test_check("... with the selector that faulted",
               failsafe_last.es == GSEL(G_SCRATCH, 1) &&
               (failsafe_last.cs & 0xFFFFu) == FLAT_RING1_CS);
    /* DESC-12/13: stack selectors that are valid when used carry a bounce from ring 3. */
    CHECK_RC("stack_switch to our own GDT data segment",
             hcall2(__HYPERVISOR_stack_switch, GSEL(G_DATA1, 1), KSTACK_TOP), 0);
    ring3_int3_reaches_handler("a #BP from ring 3 on our GDT stack segment");
    CHECK_RC("set_ldt", set_ldt(GPTR(ldt), 512), 0);
    CHECK_RC("stack_switch to our LDT data segment (RPL 0 raised)",
             hcall2(__HYPERVISOR_stack_switch, LSEL(L_FAR, 0), KSTACK_TOP), 0);
    ring3_int3_reaches_handler("a #BP from ring 3 on our LDT stack segment");
    CHECK_RC("stack_switch back to FLAT_RING1_SS",
             hcall2(__HYPERVISOR_stack_switch, FLAT_RING1_SS, KSTACK_TOP), 0);
    CHECK_RC("set_ldt none", set_ldt(0, 0), 0);
    return 0;
}

/* ------------------------------------------------------------------ */
/* stack-<case>: the domain must be crashed                            */

struct stack_case {
    const char *name;
    uint16_t sel;               /* for stack_switch (0: prepare does it) */
    void (*prepare)(void);
    void (*trigger)(void);      /* makes the hypervisor use the ring-1 stack */
};

static void no_prepare(void)
{
}

static void ldt_unmapped(void)
{
    CHECK_RC("set_ldt on a page with no mapping", set_ldt(GPTR(unmapped_ldt_page), 16), 0);
}

static void ldt_shrunk(void)
{
    CHECK_RC("set_ldt 512 entries", set_ldt(GPTR(ldt), 512), 0);
    CHECK_RC("stack_switch to LDT entry 300",
             hcall2(__HYPERVISOR_stack_switch, LSEL(L_FAR, 1), KSTACK_TOP), 0);
    CHECK_RC("set_ldt shrinks it to 16 entries", set_ldt(GPTR(ldt), 16), 0);
}

static void ldt_moved(void)
{
    CHECK_RC("set_ldt", set_ldt(GPTR(ldt), 16), 0);
    CHECK_RC("stack_switch to LDT entry 0",
             hcall2(__HYPERVISOR_stack_switch, LSEL(L_DATA1, 1), KSTACK_TOP), 0);
    CHECK_RC("set_ldt moves it to a page of zeros", set_ldt(GPTR(ldt_zero), 16), 0);
}

static void gdt_made_absent(void)
{
    CHECK_RC("stack_switch to our scratch GDT entry",
             hcall2(__HYPERVISOR_stack_switch, GSEL(G_SCRATCH, 1), KSTACK_TOP), 0);
    CHECK_RC("update_descriptor makes it not present", update_desc(G_SCRATCH, D_ABSENT), 0);
}

/* A fault from ring 3: the bounce needs the ring-1 stack. */
static void trigger_int3(void)
{
    user_run(user_int3, USTACK_TOP);
}

/* An event upcall while in ring 3. */
static void trigger_upcall(void)
{
    arm_timer_event();
    user_run(user_wait_upcall, USTACK_TOP);
}

/* The failsafe path for a ring-3 context: an iret to ring 3 whose CS (LDT code, RPL 3) is absent. */
static void trigger_failsafe(void)
{
    failsafe_init();
    __asm__ volatile("pushl %0\n pushl %1\n pushl $0x202\n pushl %2\n pushl $0x1000\n jmp *%3"
                     :: "i"(FLAT_RING3_SS), "r"(USTACK_TOP), "i"(LSEL(L_CODE1, 3)),
                        "r"(hypercall_page + IRET_SLOT) : "memory");
}

static const struct stack_case stack_cases[] = {
    { "stack-ldt-none", LSEL(0, 3), no_prepare, trigger_int3 },
    { "stack-ldt-unmapped", LSEL(0, 1), ldt_unmapped, trigger_int3 },
    { "stack-ldt-shrunk", 0, ldt_shrunk, trigger_int3 },
    { "stack-ldt-moved", 0, ldt_moved, trigger_int3 },
    { "stack-gdt-past-ents", GSEL(40, 1), no_prepare, trigger_int3 },
    { "stack-gdt-gate", GSEL(G_GATE, 1), no_prepare, trigger_int3 },
    { "stack-gdt-code", GSEL(G_CODE1, 1), no_prepare, trigger_int3 },
    { "stack-gdt-rodata", GSEL(G_RODATA, 1), no_prepare, trigger_int3 },
    { "stack-gdt-absent", 0, gdt_made_absent, trigger_int3 },
    { "stack-gdt-dpl", GSEL(G_DATA1, 3), no_prepare, trigger_int3 },
    { "stack-upcall", LSEL(0, 1), no_prepare, trigger_upcall },
    { "stack-failsafe", LSEL(0, 1), no_prepare, trigger_failsafe },
};

static void run_stack_case(const struct stack_case *c)
{
    int32_t rc = 0;

    c->prepare();
    if (c->sel)
        rc = hcall2(__HYPERVISOR_stack_switch, c->sel, KSTACK_TOP);
    gprintf("ATTACK DESC-13 %s: stack_switch result %d; the hypervisor must use it now\n",
            c->name, rc);
    c->trigger();
    gprintf("ATTACK DESC-13 %s: still running, which is wrong\n", c->name);
    gprintf("Test result: FAILURE\n");
    guest_shutdown(SHUTDOWN_poweroff);
}

/* ------------------------------------------------------------------ */
/* exit-faults                                                         */

static bool limits_enforced;
static volatile uint32_t probe_vector, probe_resume;

static void probe_gp(struct trap_frame *f)
{
    probe_vector = f->vector;
    f->eip = probe_resume;
}

/* A ring-1 read just past the flat data segment's limit: #GP where limits hold. */
static bool probe_limits(void)
{
    probe_vector = 0;
    traps_set_handler(13, probe_gp);
    __asm__ volatile("movl $1f, %0\n movl 0xF6800000, %%eax\n 1:" : "=m"(probe_resume)
                     :: "eax", "memory");
    traps_set_handler(13, trap_record);
    return probe_vector == 13;
}

/* Run one asm sequence with segment register `seg` holding `sel` across a hypercall. */
#define WITH_SEG(seg, sel, call)                                                          \
    do {                                                                                  \
        __asm__ volatile("mov %0, %%" seg :: "r"((uint32_t)(sel)) : "memory");            \
        rc = (call);                                                                      \
        __asm__ volatile("mov %0, %%" seg :: "r"((uint32_t)FLAT_RING1_DS) : "memory");    \
    } while (0)

static volatile int32_t case_rc;

static void e_es(void)
{
    int32_t rc;

    update_desc(G_SCRATCH, D_DATA1);
    WITH_SEG("es", GSEL(G_SCRATCH, 1), update_desc(G_SCRATCH, D_ABSENT));
    case_rc = rc;
}

static void e_ds(void)
{
    int32_t rc;

    update_desc(G_SCRATCH, D_DATA1);
    WITH_SEG("ds", GSEL(G_SCRATCH, 1), update_desc(G_SCRATCH, D_ABSENT));
    case_rc = rc;
}

static void e_fs(void)
{
    int32_t rc;

    set_ldt(GPTR(ldt), 16);
    WITH_SEG("fs", LSEL(L_DATA1, 1), set_ldt(0, 0));
    __asm__ volatile("mov %0, %%fs" :: "r"(0u));
    case_rc = rc;
}

static void e_gs(void)
{
    int32_t rc;

    set_ldt(GPTR(ldt), 16);
    WITH_SEG("gs", LSEL(L_DATA1, 1), set_ldt(GPTR(ldt_zero), 16));
    __asm__ volatile("mov %0, %%gs" :: "r"(0u));
    set_ldt(0, 0);
    case_rc = rc;
}

/* iret to ring 1 with CS:EIP, or to ring 3 with CS:EIP and SS:ESP. */
#define IRET_RING1(cs, eip)                                                               \
    __asm__ volatile("pushl $0x202\n pushl %0\n pushl %1\n jmp *%2"                      \
                     :: "r"((uint32_t)(cs)), "r"((uint32_t)(eip)),                        \
                        "r"(hypercall_page + IRET_SLOT) : "memory")
/* Ring 3 gets the flat ring-3 DS and ES (ours would be nulled by the IRET), as user_run(). */
#define IRET_RING3(cs, eip, ss, esp)                                                      \
    __asm__ volatile("pushl %0\n pushl %1\n pushl $0x202\n pushl %2\n pushl %3\n"        \
                     "movl %5, %%ds\n movl %5, %%es\n jmp *%4"                            \
                     :: "r"((uint32_t)(ss)), "r"((uint32_t)(esp)), "r"((uint32_t)(cs)),   \
                        "r"((uint32_t)(eip)), "r"(hypercall_page + IRET_SLOT),            \
                        "r"((uint32_t)FLAT_RING3_DS) : "memory")

static void e_cs_data(void)
{
    IRET_RING1(GSEL(G_DATA1, 1), GPTR(case_escape));
}

static void e_ss_ring(void)
{
    IRET_RING3(FLAT_RING3_CS, GPTR(user_exit), FLAT_RING1_SS, USTACK_TOP);
}

static void e_eip_limit(void)
{
    IRET_RING1(FLAT_RING1_CS, 0xF7000000u);
}

/* Ring 3 with ESP past the ring-3 data segment's limit: the first push is #SS. */
static void user_push(void)
{
    __asm__ volatile("pushl $1" ::: "memory");
    user_exit();
}

static void ss_escape(struct trap_frame *f)
{
    trap_record(f);
    f->eip = GPTR(case_escape);
    f->cs = FLAT_RING1_CS;
}

static void e_esp_limit(void)
{
    traps_set_handler(12, ss_escape);
    IRET_RING3(FLAT_RING3_CS, GPTR(user_push), FLAT_RING3_SS, 0xF6FFFFF0u);
}

static struct mmuext_op no_ldt = { MMUEXT_SET_LDT, { 0 }, { 0 } };
static uint32_t no_ldt_arg = GPTR(&no_ldt);
static char *mmuext_slot;

/* Run in LDT code entry 1, withdraw the LDT there: the way back reloads CS from nothing. */
static void e_cs_ldt(void)
{
    mmuext_slot = hypercall_page + __HYPERVISOR_mmuext_op * 32;
    set_ldt(GPTR(ldt), 16);
    __asm__ volatile("ljmp %2, $1f\n"
                     "1: movl %0, %%ebx\n movl $1, %%ecx\n xorl %%edx, %%edx\n movl $0x7FF0, %%esi\n"
                     "   call *%1\n"
                     "   ljmp %3, $2f\n"
                     "2:\n"
                     :: "m"(no_ldt_arg), "m"(mmuext_slot), "i"(LSEL(L_CODE1, 1)), "i"(FLAT_RING1_CS)
                     : "eax", "ebx", "ecx", "edx", "esi", "edi", "memory");
}

static void e_trap_cs(void)
{
    CHECK_RC("a #BP handler on LDT code entry 1 (no LDT yet: accepted)",
             trap_entry(LSEL(L_CODE1, 1), GPTR(failsafe_entry)), 0);
    __asm__ volatile("int3" ::: "memory");
}

static void e_event_cs(void)
{
    uint32_t before = upcalls;

    CHECK_RC("an event callback on LDT code entry 1 (no LDT yet: accepted)",
             register_cb(CALLBACKTYPE_event, LSEL(L_CODE1, 1), failsafe_entry, 0), 0);
    arm_timer_event();
    pv_shared_info()->vcpu_info[0].evtchn_upcall_mask = 0;
    while (upcalls == before)
        __asm__ volatile("pause" ::: "memory");
}

struct exit_case {
    const char *name;
    void (*run)(void);
    bool escapes;           /* the interrupted CS:EIP is broken: end through case_escape */
    bool needs_limits;
    uint32_t frame_word;    /* which failsafe frame word must show the bad value (0: none) */
    uint32_t want;
};

#define FW(field) (offsetof(struct failsafe_frame, field) / 4u + 1u)

static const struct exit_case exit_cases[] = {
    { "es-gdt-entry-absent", e_es, false, false, FW(es), GSEL(G_SCRATCH, 1) },
    { "ds-gdt-entry-absent", e_ds, false, false, FW(ds), GSEL(G_SCRATCH, 1) },
    { "fs-ldt-withdrawn", e_fs, false, false, FW(fs), LSEL(L_DATA1, 1) },
    { "gs-ldt-moved", e_gs, false, false, FW(gs), LSEL(L_DATA1, 1) },
    { "cs-data-segment", e_cs_data, true, false, FW(cs), GSEL(G_DATA1, 1) },
    { "cs-ldt-withdrawn", e_cs_ldt, true, false, FW(cs), LSEL(L_CODE1, 1) },
    { "ss-rpl-not-cpl", e_ss_ring, true, false, FW(ss), FLAT_RING1_SS },
    { "trap-handler-cs-absent", e_trap_cs, true, false, FW(cs), LSEL(L_CODE1, 1) },
    { "event-callback-cs-absent", e_event_cs, true, false, FW(cs), LSEL(L_CODE1, 1) },
    { "eip-past-cs-limit", e_eip_limit, true, true, FW(eip), 0xF7000000u },
    { "esp-past-ss-limit", e_esp_limit, true, true, 0, 0 },
};

/* Frame word n (1-based); the CS word carries the saved event mask in bits 16..23 (BOUNCE-3). */
static uint32_t frame_word(uint32_t n)
{
    const uint32_t *w = (const uint32_t *)&failsafe_last;

    if (n == FW(cs))
        return w[n - 1] & 0xFFFFu;
    return n ? w[n - 1] : 0;
}

static void run_exit_case(const struct exit_case *c)
{
    uint32_t before = failsafe_count, traps_before = user_traps;
    bool escaped;
    char what[96];

    if (c->needs_limits && !limits_enforced) {
        gprintf("EXIT %s: SKIP (segment limits not enforced here)\n", c->name);
        return;
    }
    escape_armed = c->escapes;
    case_rc = 0;
    pv_shared_info()->vcpu_info[0].evtchn_upcall_mask = 1;
    escaped = case_call(c->run) != 0;
    escape_armed = false;
    __asm__ volatile("mov %0, %%fs\n mov %0, %%gs" :: "r"(0u));
    if (c->frame_word == 0) {           /* the guest's own fault, not an exit fault */
        snprintf(what, sizeof(what), "%s: our #SS handler ran, from ring 3", c->name);
        test_check(what, escaped && user_traps == traps_before + 1 && user_trap_vector == 12 &&
                   (user_trap_cs & 3u) == 3);
        gprintf("EXIT %s: #SS from ring 3 delivered (%s)\n", c->name,
                user_trap_vector == 12 ? "ok" : "WRONG");
        return;
    }
    snprintf(what, sizeof(what), "%s: the failsafe callback ran once", c->name);
    test_check(what, failsafe_count == before + 1 && escaped == c->escapes && case_rc == 0);
    snprintf(what, sizeof(what), "%s: its frame shows %x", c->name, c->want);
    test_check(what, frame_word(c->frame_word) == c->want);
    gprintf("EXIT %s: failsafe frame ds %04x es %04x fs %04x gs %04x cs %04x eip %08x (%s)\n",
            c->name, failsafe_last.ds, failsafe_last.es, failsafe_last.fs, failsafe_last.gs,
            failsafe_last.cs & 0xFFFFu, failsafe_last.eip,
            failsafe_count == before + 1 && frame_word(c->frame_word) == c->want ? "ok" : "WRONG");
    /* put back what the case changed */
    if (traps_init())
        guest_panic("traps_init");
    traps_set_handler(TRAP_EVENT, upcall_handler);
    traps_set_handler(12, trap_record);
    set_ldt(0, 0);
}

static int32_t a_exit_faults(void)
{
    uint32_t i;

    limits_enforced = probe_limits();
    gprintf("segment limits %s here\n", limits_enforced ? "enforced" : "NOT enforced");
    failsafe_init();
    for (i = 0; i < ARRAY_SIZE(exit_cases); i++)
        run_exit_case(&exit_cases[i]);
    ring3_int3_reaches_handler("after every exit fault a #BP from ring 3 reaches us");
    return 0;
}

/* The failsafe callback itself on an absent CS: the domain must be crashed. */
static int32_t a_failsafe_faults(void)
{
    int32_t rc;

    CHECK_RC("a failsafe callback on LDT code entry 1 (no LDT: accepted)",
             register_cb(CALLBACKTYPE_failsafe, LSEL(L_CODE1, 1), failsafe_entry, 0), 0);
    gprintf("ATTACK BOUNCE-8 failsafe-faults: making ES unloadable\n");
    rc = es_made_absent();
    gprintf("ATTACK BOUNCE-8 failsafe-faults: still running (%d), which is wrong\n", rc);
    gprintf("Test result: FAILURE\n");
    guest_shutdown(SHUTDOWN_poweroff);
}

/* ------------------------------------------------------------------ */
/* desc-tables-refused (DESC-14, DESC-15)                              */

/* A DPL-1 data segment based at 0xF6800000: refused (DESC-7). */
#define D_HV_BASE 0xF640B28000000000ull

static int32_t set_gdt_list(const uint32_t *mfns, uint32_t entries)
{
    return hcall2(__HYPERVISOR_set_gdt, GPTR(mfns), entries);
}

static int32_t update_at(uint64_t ma, uint64_t d)
{
    return hcall4(__HYPERVISOR_update_descriptor, (uint32_t)ma, (uint32_t)(ma >> 32),
                  (uint32_t)d, (uint32_t)(d >> 32));
}

static void refuse_set_gdt(void)
{
    uint32_t list[2];

    bad_gdt[3] = D_HV_BASE;
    if (map_page(GPTR(bad_gdt), 0x25) || map_page(GPTR(spare_gdt), 0x25))
        guest_panic("cannot map the test frames read-only");
    list[0] = gdt_mfn;
    refuse("DESC-14 set_gdt", "7169 entries", set_gdt_list(list, FIRST_RESERVED_GDT_ENTRY + 1));
    refuse("DESC-14 set_gdt", "2^32-1 entries", set_gdt_list(list, 0xFFFFFFFFu));
    CHECK_RC("DESC-14 set_gdt with the frame list in the hypervisor",
             hcall2(__HYPERVISOR_set_gdt, HVS, 512), -EFAULT);
    list[0] = p2m(GPTR(bad_gdt));
    refuse("DESC-14 set_gdt", "an entry based in the hypervisor", set_gdt_list(list, 512));
    list[0] = p2m(GPTR(rw_page));
    refuse("DESC-14 set_gdt", "a frame mapped writable", set_gdt_list(list, 512));
    list[0] = 0;
    refuse("DESC-14 set_gdt", "a hypervisor frame", set_gdt_list(list, 512));
    list[0] = p2m(GPTR(spare_gdt));
    list[1] = p2m(GPTR(bad_gdt));
    refuse("DESC-14 set_gdt", "a good frame, then a refused one", set_gdt_list(list, 1024));
    CHECK_RC("DESC-14 ... the good frame came back untyped: it maps writable",
             map_page(GPTR(spare_gdt), 0x67), 0);
    spare_gdt[0] = 1;
    CHECK_RC("DESC-14 ... and read-only again", map_page(GPTR(spare_gdt), 0x25), 0);
}

static void refuse_update_descriptor(void)
{
    uint64_t ma = ((uint64_t)gdt_mfn << 12) + G_SCRATCH * 8u;
    uint64_t pt = (uint64_t)p2m(start_info->pt_base) << 12;
    uint64_t before = gdt[G_SCRATCH];

    refuse("DESC-15 update_descriptor", "a misaligned address", update_at(ma + 4u, D_DATA1));
    refuse("DESC-15 update_descriptor", "our GDT entry's address + 2^44",
           update_at(ma + (1ull << 44), D_DATA3));
    refuse("DESC-15 update_descriptor", "our L3", update_at(pt + 8u * 100u, D_DATA1));
    refuse("DESC-15 update_descriptor", "a hypervisor frame", update_at(8u, D_DATA1));
    refuse("DESC-15 update_descriptor", "a frame past RAM", update_at(0xFFFFF000ull, D_DATA1));
    refuse("DESC-15 update_descriptor", "a descriptor based in the hypervisor",
           update_at(ma, D_HV_BASE));
    test_check("DESC-15 our GDT entry is unchanged", gdt[G_SCRATCH] == before);
    CHECK_RC("DESC-15 a good descriptor is still stored", update_at(ma, D_DATA3), 0);
    test_check("DESC-15 ... and reads back (DPL 3, limit truncated: DESC-8)",
               ((gdt[G_SCRATCH] >> 45) & 3u) == 3u && gdt[G_SCRATCH] != D_DATA3);
    CHECK_RC("DESC-15 ... and the old one again", update_at(ma, before), 0);
}

static int32_t a_desc_tables_refused(void)
{
    refuse_set_gdt();
    refuse_update_descriptor();
    /* our GDT is still the one in use: a segment of it loads */
    __asm__ volatile("movl %0, %%fs" : : "r"((uint32_t)GSEL(G_DATA1, 1)));
    __asm__ volatile("movl %0, %%fs" : : "r"(0u));
    ring3_int3_reaches_handler("DESC-14 after the refusals a #BP from ring 3 still reaches us");
    return 0;
}

/* ------------------------------------------------------------------ */

static const struct attack attacks[] = {
    { "desc-tables-refused", "DESC-14", a_desc_tables_refused, 0 },
    { "stack-switch-out-of-range", "CB-7", a_stack_switch_out_of_range, -EINVAL },
    { "sel-refused", "CB-7", a_sel_refused, 0 },
    { "exit-faults", "BOUNCE-8", a_exit_faults, 0 },
    { "failsafe-faults", "BOUNCE-8", a_failsafe_faults, 0 },
};

static void after_attack(const struct attack *a)
{
    CHECK_RC("hypercalls still served", hcall2(__HYPERVISOR_xen_version, 0, 0), (4 << 16) | 2);
    if (!strcmp(a->name, "exit-faults") && !limits_enforced && !test_failures)
        test_skip("the segment-limit cases need an emulator that enforces limits");
}

int guest_main(struct start_info *si)
{
    uint32_t len, i;
    const char *want = attack_wanted(si, &len);

    tables_init();
    for (i = 0; i < 20; i++)
        traps_set_handler(i, trap_record);
    traps_set_handler(0x80, syscall_handler);
    traps_set_handler(TRAP_EVENT, upcall_handler);
    for (i = 0; i < ARRAY_SIZE(stack_cases); i++)
        if (!strncmp(stack_cases[i].name, want, len) && !stack_cases[i].name[len])
            run_stack_case(&stack_cases[i]);
    return attack_run(si, attacks, ARRAY_SIZE(attacks), after_attack);
}
