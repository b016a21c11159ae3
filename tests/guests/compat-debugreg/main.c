/*
 * Scenario: debug registers as a kernel built for Xen sees them
 * (EMUL-7, EMUL-9..11, EMUL-18, EMUL-20..24 in spec/emulation.md;
 * spec/xen-compat.md).
 *
 * Written against Xen's public ABI alone: the hypercall numbers, errors
 * and DR6/DR7 bits under test are defined below from Xen's public headers
 * and the architecture (each block names its source), none from
 * Bulkhead's own ABI headers; the runtime only boots, prints, makes the
 * hypercall and hands traps to a C handler.
 *
 * Without attack= on the command line (scenario compat-debugreg, as dom0):
 * the reset values (DR6 0xffff0ff0, DR7 0x400, DR0-3 0) through both
 * get_debugreg and MOV; set/get round trips between the hypercalls and
 * MOV (one state); Xen's refusals (a DR0-3 address whose 4 bytes reach
 * HYPERVISOR_VIRT_START -EPERM, GD -EPERM, register 8 -ENODEV, MOV of a
 * refused value #GP); a real instruction breakpoint on a function of
 * ours (#DB at its first instruction, DR6 B0) and a real data breakpoint
 * on a variable of ours (#DB after the write, DR6 B1); the guest's own
 * DR6 clear; rdmsr IA32_DEBUGCTL 0, wrmsr 0 taken, wrmsr 1 #GP.
 *
 * attack=dr-hostile (scenarios attack-emul-18-dr-hostile and -prod, a
 * domU beside a victim): data breakpoints on what the hypervisor touches
 * for us, each hit in ring 0: the last and the first word of a buffer a
 * hypercall writes (xen_version) and of one it reads (console_io); the
 * words of our kernel stack a bounce frame is written to (int $0x40 from
 * ring 1); MOV SS and POP SS from a watched word right before int $0x82
 * (the CPU erratum: the #DB is held back to the hypervisor's first
 * instruction). Each hypercall must answer as without breakpoints, with
 * the data intact, and no #DB reach us for the hypervisor's accesses (as
 * Xen, which notes and ignores them); the hypervisor must stay up and the
 * victim intact (checked by the scenario).
 */
#include "test.h"
#include "traps.h"

/* xen/include/public/xen.h */
#define HYPERCALL_set_debugreg 8
#define HYPERCALL_get_debugreg 9
#define HYPERCALL_xen_version  17
#define HYPERCALL_console_io   18
#define XENVER_version         0
#define XENVER_extraversion    1
#define CONSOLEIO_write        0
#define FLAT_RING1_SS          0xe021u
#define HYPERVISOR_VIRT_START  0xF5800000u  /* arch-x86/xen-x86_32.h, PAE */

/* xen/include/public/errno.h */
#define XEN_EPERM   1
#define XEN_ENODEV  19

/* Architecture: DR6 and DR7 (Intel SDM vol. 3, 18.2) */
#define DR6_RESET   0xFFFF0FF0u
#define DR7_RESET   0x00000400u
#define DR6_B(n)    (1u << (n))
#define DR7_L(n)    (1u << (2 * (n)))
#define DR7_RW(n, rw)   ((uint32_t)(rw) << (16 + 4 * (n)))
#define DR7_LEN(n, l)   ((uint32_t)(l) << (18 + 4 * (n)))
#define DR7_GD      (1u << 13)
#define RW_EXEC 0
#define RW_WRITE 1
#define RW_RDWR 3
#define LEN_1 0
#define LEN_2 1
#define LEN_4 3
#define MSR_IA32_DEBUGCTL 0x1D9u

static volatile uint32_t db_count, db_eip, db_dr6, gp_count, resume_at;

static int32_t set_dr(uint32_t n, uint32_t v) { return hcall2(HYPERCALL_set_debugreg, n, v); }
static int32_t get_dr(uint32_t n) { return hcall1(HYPERCALL_get_debugreg, n); }

/* #DB: note where and DR6, then disarm, so nothing fires twice. */
static void on_db(struct trap_frame *f)
{
    db_count++;
    db_eip = f->eip;
    db_dr6 = (uint32_t)get_dr(6);
    set_dr(7, 0);
    set_dr(6, 0);
}

static void on_gp(struct trap_frame *f)
{
    gp_count++;
    if (resume_at)
        f->eip = resume_at;
    resume_at = 0;
}

#define MOV_FROM_DR(n, out) __asm__ volatile("mov %%db" #n ", %0" : "=r"(out))
/* MOV to DRn, resuming after it should it #GP. */
#define MOV_TO_DR(n, v) \
    __asm__ volatile("movl $1f, %0\n mov %1, %%db" #n "\n1:" : "=m"(resume_at) : "r"(v) : "memory")

/* ---- compat: values, round trips, refusals, real breakpoints ------------ */

static void reset_values(void)
{
    uint32_t v = 0, n;

    CHECK_RC("EMUL-11 get_debugreg 6 at start", get_dr(6), (int32_t)DR6_RESET);
    CHECK_RC("EMUL-11 get_debugreg 7 at start", get_dr(7), DR7_RESET);
    for (n = 0; n < 4; n++)
        CHECK_RC("EMUL-11 get_debugreg 0-3 at start", get_dr(n), 0);
    MOV_FROM_DR(6, v);
    CHECK_RC("EMUL-11 mov from db6 at start", v, (int32_t)DR6_RESET);
    MOV_FROM_DR(7, v);
    CHECK_RC("EMUL-11 mov from db7 at start", v, DR7_RESET);
}

static void round_trips(void)
{
    uint32_t v = 0;

    CHECK_RC("EMUL-21 set_debugreg 1", set_dr(1, 0x12345678u), 0);
    CHECK_RC("EMUL-21 get_debugreg 1", get_dr(1), 0x12345678);
    MOV_FROM_DR(1, v);
    CHECK_RC("EMUL-21 mov from db1 sees set_debugreg", v, 0x12345678);
    MOV_TO_DR(2, 0x00400000u);
    CHECK_RC("EMUL-21 get_debugreg sees mov to db2", get_dr(2), 0x00400000);
    CHECK_RC("EMUL-20 last address allowed", set_dr(3, HYPERVISOR_VIRT_START - 5), 0);
    CHECK_RC("EMUL-11 set_debugreg 6 ones", set_dr(6, 0xFFFFFFFFu), 0);
    CHECK_RC("EMUL-11 dr6 reserved bits", get_dr(6), (int32_t)0xFFFFEFFFu);
    CHECK_RC("EMUL-11 set_debugreg 6 zero", set_dr(6, 0), 0);
    CHECK_RC("EMUL-11 dr6 back to reset", get_dr(6), (int32_t)DR6_RESET);
    CHECK_RC("EMUL-11 set_debugreg 7 zero", set_dr(7, 0), 0);
    CHECK_RC("EMUL-11 dr7 reads 0x400", get_dr(7), DR7_RESET);
    CHECK_RC("EMUL-10 LE/GE kept", set_dr(7, 0x300), 0);
    CHECK_RC("EMUL-10 LE/GE kept", get_dr(7), 0x700);
    set_dr(7, 0);
}

static void refusals(void)
{
    CHECK_RC("EMUL-20 dr0 at HYPERVISOR_VIRT_START", set_dr(0, HYPERVISOR_VIRT_START), -XEN_EPERM);
    CHECK_RC("EMUL-20 dr0 4 bytes reach it", set_dr(0, HYPERVISOR_VIRT_START - 4), -XEN_EPERM);
    CHECK_RC("EMUL-20 dr3 top of memory", set_dr(3, 0xFFFFFFFCu), -XEN_EPERM);
    CHECK_RC("EMUL-20 refusal kept dr3", get_dr(3), (int32_t)(HYPERVISOR_VIRT_START - 5));
    CHECK_RC("EMUL-10 general detect", set_dr(7, DR7_GD), -XEN_EPERM);
    CHECK_RC("EMUL-10 I/O breakpoint", set_dr(7, DR7_L(0) | DR7_RW(0, 2)), -XEN_EPERM);
    CHECK_RC("EMUL-21 set register 8", set_dr(8, 0), -XEN_ENODEV);
    CHECK_RC("EMUL-21 get register 8", get_dr(8), -XEN_ENODEV);
    gp_count = 0;
    MOV_TO_DR(0, HYPERVISOR_VIRT_START);
    CHECK_RC("EMUL-20 mov to db0 of a hypervisor address #GP", gp_count, 1);
    CHECK_RC("EMUL-20 mov refusal kept dr0", get_dr(0), 0);
    set_dr(3, 0);
}

static void __attribute__((noinline)) bp_target(void)
{
    __asm__ volatile("nop");
}

static volatile uint32_t watched;

static void real_breakpoints(void)
{
    /* Instruction breakpoint: a fault at the first instruction. */
    db_count = 0;
    CHECK_RC("EMUL-22 dr0 = our function", set_dr(0, GPTR(bp_target)), 0);
    CHECK_RC("EMUL-22 enable L0 exec", set_dr(7, DR7_L(0) | DR7_RW(0, RW_EXEC)), 0);
    bp_target();
    CHECK_RC("EMUL-23 instruction breakpoint: one #DB", db_count, 1);
    CHECK_RC("EMUL-23 at the function", db_eip, GPTR(bp_target));
    CHECK_RC("EMUL-23 DR6 B0", db_dr6, (int32_t)(DR6_RESET | DR6_B(0)));
    CHECK_RC("EMUL-23 guest cleared DR6", get_dr(6), (int32_t)DR6_RESET);

    /* Data breakpoint, MOV-written DR7: a trap after the write. */
    db_count = 0;
    MOV_TO_DR(1, GPTR(&watched));
    MOV_TO_DR(7, DR7_L(1) | DR7_RW(1, RW_WRITE) | DR7_LEN(1, LEN_4));
    watched = 42;
    CHECK_RC("EMUL-23 data breakpoint: one #DB", db_count, 1);
    CHECK_RC("EMUL-23 DR6 B1", db_dr6, (int32_t)(DR6_RESET | DR6_B(1)));
    CHECK_RC("EMUL-23 the write happened", watched, 42);
    watched = 43;
    CHECK_RC("EMUL-23 disarmed by the handler", db_count, 1);

    /* A breakpoint DR7 does not enable never fires. */
    CHECK_RC("EMUL-22 dr0 set, DR7 clear", set_dr(7, DR7_RW(1, RW_WRITE) | DR7_LEN(1, LEN_4)), 0);
    watched = 44;
    bp_target();
    CHECK_RC("EMUL-22 nothing fires", db_count, 1);
    set_dr(7, 0);
}

static int rdmsr_safe(uint32_t msr, uint32_t *lo, uint32_t *hi)
{
    gp_count = 0;
    __asm__ volatile("movl $1f, %2\n rdmsr\n1:" : "=a"(*lo), "=d"(*hi), "=m"(resume_at)
                     : "c"(msr), "a"(0xDEADu), "d"(0xBEEFu) : "memory");
    return (int)gp_count;
}

static int wrmsr_safe(uint32_t msr, uint32_t lo)
{
    gp_count = 0;
    __asm__ volatile("movl $1f, %0\n wrmsr\n1:" : "=m"(resume_at) : "c"(msr), "a"(lo), "d"(0) : "memory");
    return (int)gp_count;
}

static void debugctl(void)
{
    uint32_t lo = 1, hi = 1;

    CHECK_RC("EMUL-7 rdmsr IA32_DEBUGCTL no #GP", rdmsr_safe(MSR_IA32_DEBUGCTL, &lo, &hi), 0);
    CHECK_RC("EMUL-7 IA32_DEBUGCTL low", lo, 0);
    CHECK_RC("EMUL-7 IA32_DEBUGCTL high", hi, 0);
    CHECK_RC("EMUL-8 wrmsr IA32_DEBUGCTL 0 taken", wrmsr_safe(MSR_IA32_DEBUGCTL, 0), 0);
    CHECK_RC("EMUL-8 wrmsr IA32_DEBUGCTL LBR #GP", wrmsr_safe(MSR_IA32_DEBUGCTL, 1), 1);
}

/* ---- attack=dr-hostile: breakpoints on what the hypervisor touches ------ */

static char verbuf[16] __attribute__((aligned(16)));
static char msg[32] __attribute__((aligned(16))) = "dr-hostile: watched buffer ok\n";
static volatile uint16_t ss_word __attribute__((aligned(4))) = FLAT_RING1_SS;
static volatile uint32_t int40_count;

static void on_int40(struct trap_frame *f)
{
    (void)f;
    int40_count++;
}

static void arm(uint32_t n, uint32_t addr, uint32_t rw, uint32_t len, const char *what)
{
    test_check(what, set_dr(n, addr) == 0 &&
                     set_dr(7, DR7_L(n) | DR7_RW(n, rw) | DR7_LEN(n, len)) == 0);
}

static uint32_t hostile_buffers(void)
{
    uint32_t bad = 0, i;
    char want[16];

    memset(want, 0, sizeof(want));
    CHECK_RC("extraversion unwatched", hcall2(HYPERCALL_xen_version, XENVER_extraversion, GPTR(want)), 0);
    for (i = 0; i < 2; i++) {
        /* the last byte: the #DB comes after the copy's final iteration */
        uint32_t at = i ? GPTR(verbuf) : GPTR(verbuf) + 15;

        db_count = 0;
        memset(verbuf, 'x', sizeof(verbuf));
        arm(0, at, RW_WRITE, i ? LEN_4 : LEN_1, "EMUL-18 arm on the xen_version buffer");
        bad += hcall2(HYPERCALL_xen_version, XENVER_extraversion, GPTR(verbuf)) != 0;
        bad += memcmp(verbuf, want, sizeof(want)) != 0;
        bad += db_count != 0;
        set_dr(7, 0);
        CHECK_RC("EMUL-18 xen_version into a watched buffer", bad, 0);
    }
    for (i = 0; i < 2; i++) {
        uint32_t len = (uint32_t)strlen(msg);

        db_count = 0;
        arm(1, i ? GPTR(msg) : GPTR(msg) + len - 1, RW_RDWR, i ? LEN_4 : LEN_1,
            "EMUL-18 arm on the console_io buffer");
        bad += hcall3(HYPERCALL_console_io, CONSOLEIO_write, len, GPTR(msg)) != 0;
        bad += db_count != 0;
        set_dr(7, 0);
        CHECK_RC("EMUL-18 console_io from a watched buffer", bad, 0);
    }
    return bad;
}

/* The bounce frame of int $0x40 lands just below our stack pointer. */
static uint32_t hostile_stack(void)
{
    uint32_t bad = 0, k;

    for (k = 4; k <= 16; k += 4) {
        uint32_t dr7 = DR7_L(2) | DR7_RW(2, RW_RDWR) | DR7_LEN(2, LEN_4);

        int40_count = 0;
        db_count = 0;
        /* arm, trap, disarm with no write of ours in between (MOV to DR is emulated) */
        __asm__ volatile("movl %%esp, %%eax\n subl %[k], %%eax\n andl $~3, %%eax\n"
                         "mov %%eax, %%db2\n mov %[dr7], %%eax\n mov %%eax, %%db7\n"
                         "int $0x40\n"
                         "xorl %%eax, %%eax\n mov %%eax, %%db7\n"
                         :: [k] "r"(k), [dr7] "r"(dr7) : "eax", "memory");
        bad += int40_count != 1;
    }
    CHECK_RC("EMUL-18 bounce frames onto a watched kernel stack", bad, 0);
    gprintf("dr-hostile: %u #DB reached us from our own stack use\n", db_count);
    return bad;
}

/*
 * MOV SS from a watched word, then POP SS from a watched stack slot, each
 * right before int $0x82 (xen_version): on hardware the #DB waits for the
 * end of the interrupt shadow, that is the hypervisor's first instruction.
 */
static uint32_t hostile_movss(void)
{
    uint32_t bad = 0, ver = (uint32_t)hcall1(HYPERCALL_xen_version, XENVER_version), got;
    static uint32_t ss32 = FLAT_RING1_SS, dr7 = DR7_L(3) | DR7_RW(3, RW_RDWR) | DR7_LEN(3, LEN_4);

    db_count = 0;
    db_eip = 0;
    arm(3, GPTR(&ss_word), RW_RDWR, LEN_2, "EMUL-18 arm on the SS word");
    got = HYPERCALL_xen_version;
    __asm__ volatile("mov %[ss], %%ss\n int $0x82"
                     : "+a"(got) : "b"(XENVER_version), [ss] "m"(ss_word)
                     : "ecx", "edx", "esi", "edi", "memory");
    set_dr(7, 0);
    bad += got != ver;
    gprintf("dr-hostile: mov ss: version %08x, %u #DB delivered to us at %08x\n",
            got, db_count, db_eip);

    db_count = 0;
    db_eip = 0;
    got = HYPERCALL_xen_version;
    /* globals, not locals: an %esp-relative operand would move with the push */
    __asm__ volatile("pushl %[ss]\n movl %%esp, %%ecx\n mov %%ecx, %%db3\n"
                     "movl %[dr7], %%ecx\n mov %%ecx, %%db7\n"
                     "popl %%ss\n int $0x82"
                     : "+a"(got) : "b"(XENVER_version), [ss] "m"(ss32), [dr7] "m"(dr7)
                     : "ecx", "edx", "esi", "edi", "memory");
    set_dr(7, 0);
    bad += got != ver;
    gprintf("dr-hostile: pop ss: version %08x, %u #DB delivered to us at %08x\n",
            got, db_count, db_eip);
    CHECK_RC("EMUL-18 mov ss / pop ss + int $0x82", bad, 0);
    return bad;
}

static void hostile(void)
{
    uint32_t bad;

    traps_set_handler(0x40, on_int40);
    bad = hostile_buffers();
    bad += hostile_stack();
    bad += hostile_movss();
    gprintf("ATTACK EMUL-18 dr-hostile: result %u, expected 0\n", bad);
}

int guest_main(struct start_info *si)
{
    CHECK_RC("traps_init", traps_init(), 0);
    traps_set_handler(1, on_db);
    traps_set_handler(13, on_gp);
    reset_values();
    if (strstr(si->cmd_line, "attack=dr-hostile")) {
        hostile();
        test_finish();
    }
    round_trips();
    refusals();
    real_breakpoints();
    debugctl();
    test_finish();
}
