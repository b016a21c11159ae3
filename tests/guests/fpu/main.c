/*
 * FPU isolation and the virtual CR0.TS (FPU-1..FPU-6, spec/emulation.md;
 * BSA-2026-4). One image, three roles chosen on the command line:
 *
 *  mode=lazy   a lazy-FPU kernel with two tasks of its own. On each of its
 *              task switches it sets TS (fpu_taskswitch(1), or MOV to CR0,
 *              alternately), yields the CPU, and lets the task's first FPU
 *              instruction raise #NM; the handler clears TS (CLTS,
 *              fpu_taskswitch(0) or MOV to CR0, in turn), saves the previous
 *              task's registers and restores this task's.
 *  mode=eager  loads its registers and yields, never touching TS.
 *
 *  Run together (scenario fpu-switch), each checks after every yield that
 *  its x87 and SSE registers are exactly what it left, that no register
 *  holds a value the other guest's tag marks, and that the x87
 *  last-instruction and last-data pointers and last opcode (FIP, FDP,
 *  FOP) are never the other guest's (a plain FXSAVE/FXRSTOR leaves them
 *  behind on AMD CPUs without RSTR_FP_ERR_PTRS: FPU-5). It also checks
 *  the guest-visible TS: MOV from CR0 shows what was set, #NM is delivered
 *  exactly when TS is set and arrives with TS already clear (as Xen), and
 *  a CR0 write changing anything but TS is refused.
 *
 *  attack=taskswitch-yield  (scenario attack-fpu-1-taskswitch-yield) sets
 *              TS and keeps yielding while the victim runs, so domain
 *              switches happen with its TS set: before FPU-1 that made the
 *              hypervisor's FXSAVE raise #NM in ring 0 and panic.
 */
#include "fpu_regs.h"
#include "pv/sched.h"
#include "pv/vcpu.h"
#include "pvtime.h"
#include "test.h"
#include "traps.h"

#define CR0_TS   (1u << 3)
#define CR0_EM   (1u << 2)
#define CR0_WP   (1u << 16)

#define TAG_LAZY_A 0x1Au
#define TAG_LAZY_B 0x1Bu
#define TAG_EAGER  0xEAu
#define TAG_ATTACK 0xA7u

#define ROUNDS       150u
#define YIELDS       3u
#define ATTACK_ROUNDS 12u

struct task {
    uint32_t tag;
    struct fpu_values vals;
    uint8_t ref[512] __attribute__((aligned(16)));    /* FXSAVE right after loading */
    uint8_t area[512] __attribute__((aligned(16)));   /* the lazy kernel's save area */
    int32_t marker32;
    int64_t marker64;
};

static struct task tasks[2];
static uint8_t now_img[512] __attribute__((aligned(16)));
static volatile uint32_t nm_count;
static volatile int owner = -1, running_task;
static uint32_t switches_seen, own_fip_seen, nm_style;
static uint64_t last_runnable_ns;

/* ---- the guest kernel's privileged operations, emulated or hypercalls ---- */

static uint32_t read_cr0(void)
{
    uint32_t v;

    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

static volatile uint32_t gp_resume;

/* Only the MOV to CR0 below may fault (it resumes with EAX = 1). */
static void on_gp(struct trap_frame *f)
{
    if (!gp_resume)
        guest_panic("unexpected #GP at %08x (error %x)", f->eip, f->error);
    f->eax = 1;
    f->eip = gp_resume;
}

/* MOV to CR0; false if the hypervisor refused it with #GP. */
static bool write_cr0(uint32_t v)
{
    uint32_t faulted;

    __asm__ volatile("xorl %0, %0\n movl $1f, %1\n mov %2, %%cr0\n 1:"
                     : "=&a"(faulted), "=m"(gp_resume) : "r"(v) : "memory");
    gp_resume = 0;
    return faulted == 0;
}

static void clts(void)
{
    __asm__ volatile("clts" ::: "memory");
}

static void taskswitch(uint32_t set)
{
    CHECK_RC("fpu_taskswitch", hcall1(__HYPERVISOR_fpu_taskswitch, set), 0);
}

static uint64_t runnable_ns(void)
{
    struct vcpu_runstate_info r;

    memset(&r, 0, sizeof(r));
    if (hcall3(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, GPTR(&r)))
        guest_panic("get_runstate_info failed");
    return r.time[RUNSTATE_runnable];
}

/* Yield n times; count the batches during which another domain ran. */
static void yield_n(uint32_t n)
{
    uint64_t r;

    while (n--)
        hcall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
    r = runnable_ns();
    if (r != last_runnable_ns)
        switches_seen++;
    last_runnable_ns = r;
}

/* ---- values and checks ---- */

static void make_values(struct fpu_values *v, uint32_t tag, uint32_t round)
{
    static const uint16_t fcw[4] = { 0x037F, 0x077F, 0x0B7F, 0x0F7F };   /* RC varies */
    uint32_t i, j;

    v->fcw = fcw[(tag + round) & 3u];
    v->mxcsr = 0x1F80u | (((tag + round) & 3u) << 13);
    for (i = 0; i < 7; i++)
        v->ints[i] = (int32_t)((tag << 24) | ((round & 0xFFFFu) << 8) | i);
    for (i = 0; i < 8; i++)
        for (j = 0; j < 4; j++)
            v->xmm[i][j] = (tag << 24) | ((round & 0xFFFFu) << 8) | (i << 4) | j;
}

/* FCW, FSW, FTW, MXCSR, ST0-7 (10 bytes each) and XMM0-7 of two images. */
static bool same_registers(const uint8_t *a, const uint8_t *b)
{
    uint32_t i;

    if (memcmp(a, b, 5) || memcmp(a + 24, b + 24, 4))
        return false;
    for (i = 0; i < 8; i++)
        if (memcmp(a + 32 + 16 * i, b + 32 + 16 * i, 10))
            return false;
    return memcmp(a + 160, b + 160, 128) == 0;
}

/* Does any XMM word carry one of the foreign tags? */
static bool carries_tag(const uint8_t *img, const uint32_t *tags, uint32_t nr_tags)
{
    uint32_t i, t;

    for (i = 0; i < 32; i++) {
        uint32_t w;
        memcpy(&w, img + 160 + 4 * i, 4);
        for (t = 0; t < nr_tags; t++)
            if ((w >> 24) == tags[t])
                return true;
    }
    return false;
}

/* The pointers must never be the other guest's (FPU-5); count our own. */
static void check_pointers(bool lazy)
{
    struct x87_env env;
    uint32_t foreign_fip = GPTR(lazy ? fpu_marker_eager : fpu_marker_lazy);
    uint32_t own_fip = GPTR(lazy ? fpu_marker_lazy : fpu_marker_eager);
    uint32_t foreign_fop = lazy ? FPU_FOP_EAGER : FPU_FOP_LAZY;
    bool foreign_fdp;

    memset(&env, 0, sizeof(env));
    fpu_env_read(&env);
    if (lazy)
        foreign_fdp = env.fdp == GPTR(&tasks[0].marker64);
    else
        foreign_fdp = env.fdp == GPTR(&tasks[0].marker32) || env.fdp == GPTR(&tasks[1].marker32);
    test_check("FPU-5 FIP is never the other guest's", env.fip != foreign_fip);
    test_check("FPU-5 FDP is never the other guest's", !foreign_fdp);
    test_check("FPU-5 FOP is never the other guest's", env.fip == 0 || FPU_FOP(&env) != foreign_fop);
    own_fip_seen += env.fip == own_fip;
}

static void check_task(const struct task *t, const uint32_t *foreign, uint32_t nr_foreign)
{
    fpu_fxsave(now_img);
    test_check("FPU-6 x87/SSE registers survive domain switches", same_registers(now_img, t->ref));
    test_check("FPU-6 no register holds another guest's value", !carries_tag(now_img, foreign, nr_foreign));
}

static void load_task(struct task *t, uint32_t round, bool lazy)
{
    make_values(&t->vals, t->tag, round);
    if (lazy)
        fpu_load_lazy(&t->vals, &t->marker32);
    else
        fpu_load_eager(&t->vals, &t->marker64);
    fpu_fxsave(t->ref);
}

/* ---- the lazy kernel ---- */

/* FPU-4: #NM arrives with the virtual TS already clear (as Xen). */
static void lazy_nm(struct trap_frame *f)
{
    (void)f;
    nm_count++;
    test_check("FPU-4 #NM arrives with TS clear", !(read_cr0() & CR0_TS));
    switch (nm_style++ % 3u) {                /* FPU-3: each way of clearing TS */
    case 0:  clts(); break;
    case 1:  taskswitch(0); break;
    default: test_check("FPU-3 MOV to CR0 clearing TS", write_cr0(read_cr0() & ~CR0_TS)); break;
    }
    check_pointers(true);                     /* straight after the domain switches */
    if (owner != running_task) {
        if (owner >= 0)
            fpu_fxsave(tasks[owner].area);
        fpu_fxrstor(tasks[running_task].area);
        owner = running_task;
    }
}

static void lazy_set_ts(uint32_t round)
{
    if (round & 1u)
        taskswitch(1);
    else
        test_check("FPU-3 MOV to CR0 setting TS", write_cr0(read_cr0() | CR0_TS));
    test_check("FPU-2 MOV from CR0 shows TS set", (read_cr0() & CR0_TS) != 0);
}

static void lazy_round(uint32_t round, int t)
{
    static const uint32_t foreign[1] = { TAG_EAGER };
    uint32_t before = nm_count;
    struct x87_env env;

    lazy_set_ts(round);
    yield_n(YIELDS);                          /* FPU-1: domain switches with TS set */
    test_check("FPU-2 TS still set after the switches", (read_cr0() & CR0_TS) != 0);
    running_task = t;
    fpu_env_read(&env);                       /* the task's first FPU instruction */
    CHECK_RC("FPU-4 one #NM per lazy task switch", nm_count - before, 1);
    test_check("FPU-2 TS clear after #NM", !(read_cr0() & CR0_TS));
    check_task(&tasks[t], foreign, 1);
    load_task(&tasks[t], round + 1u, true);
    yield_n(YIELDS);                          /* and with TS clear */
    check_pointers(true);
    check_task(&tasks[t], foreign, 1);
    CHECK_RC("FPU-4 no #NM while TS is clear", nm_count - before, 1);
}

static void run_lazy(void)
{
    uint32_t round, cr0 = read_cr0();

    test_check("FPU-2 CR0 shows PE, PG, WP and no EM", (cr0 & 0x80010001u) == 0x80010001u && !(cr0 & CR0_EM));
    test_check("FPU-3 a CR0 write changing WP is refused", !write_cr0(cr0 & ~CR0_WP));
    test_check("FPU-3 the refused write changed nothing", read_cr0() == cr0);
    traps_set_handler(7, lazy_nm);
    tasks[0].tag = TAG_LAZY_A;
    tasks[1].tag = TAG_LAZY_B;
    load_task(&tasks[1], 0, true);
    fpu_fxsave(tasks[1].area);
    load_task(&tasks[0], 0, true);
    owner = running_task = 0;
    for (round = 0; round < ROUNDS; round++) {
        lazy_round(round, 1);
        lazy_round(round, 0);
    }
    gprintf("fpu: lazy: %u rounds, %u #NM, %u of %u yield batches switched, own FIP seen %u times\n",
            ROUNDS, nm_count, switches_seen, ROUNDS * 4u, own_fip_seen);
}

/* ---- the eager kernel ---- */

static void eager_nm(struct trap_frame *f)
{
    (void)f;
    nm_count++;
    clts();
}

static void run_eager(void)
{
    static const uint32_t foreign[2] = { TAG_LAZY_A, TAG_LAZY_B };
    uint32_t round;

    traps_set_handler(7, eager_nm);
    tasks[0].tag = TAG_EAGER;
    for (round = 0; round < ROUNDS * 4u; round++) {     /* as many yield batches as lazy */
        load_task(&tasks[0], round, false);
        yield_n(YIELDS);
        check_pointers(false);
        check_task(&tasks[0], foreign, 2);
        test_check("FPU-2 TS stays clear for a guest that never sets it", !(read_cr0() & CR0_TS));
    }
    CHECK_RC("FPU-4 no #NM for a guest that never sets TS", nm_count, 0);
    gprintf("fpu: eager: %u rounds, %u of %u yield batches switched, own FIP seen %u times\n",
            ROUNDS * 4u, switches_seen, ROUNDS * 4u, own_fip_seen);
}

/* ---- the regression attack (FPU-1) ---- */

static void attack_nm(struct trap_frame *f)
{
    (void)f;
    nm_count++;
    clts();
}

/*
 * Set TS (both ways, alternately) and spin for 25 ms while the victim
 * wakes every 20 ms, so the hypervisor switches domains with our TS set
 * (at a timer interrupt, and at the yield that ends the spin); then the
 * first FPU instruction must raise #NM here, and the registers must be
 * intact.
 */
static int taskswitch_yield(void)
{
    static const uint32_t foreign[1] = { 0 };
    uint32_t i, bad = 0;
    struct x87_env env;

    traps_set_handler(7, attack_nm);
    tasks[0].tag = TAG_ATTACK;
    load_task(&tasks[0], 0, false);
    for (i = 0; i < ATTACK_ROUNDS; i++) {
        uint64_t until = pv_time_ns() + 25000000ull;
        uint32_t before;

        if (i & 1u)
            taskswitch(1);
        else
            bad += !write_cr0(read_cr0() | CR0_TS);
        while (pv_time_ns() < until)
            __asm__ volatile("pause");
        yield_n(1);
        before = nm_count;
        fpu_env_read(&env);
        bad += nm_count != before + 1;
        fpu_fxsave(now_img);
        bad += !same_registers(now_img, tasks[0].ref);
    }
    check_task(&tasks[0], foreign, 0);
    if (switches_seen == 0) {
        gprintf("Test result: ERROR (no domain switch seen while TS was set)\n");
        guest_shutdown(SHUTDOWN_poweroff);
    }
    gprintf("attack: %u #NM, %u yield batches switched domains with TS set\n", nm_count, switches_seen);
    return (int)bad;
}

int guest_main(struct start_info *si)
{
    const char *cmd = si->cmd_line;

    CHECK_RC("traps_init", traps_init(), 0);
    traps_set_handler(13, on_gp);
    last_runnable_ns = runnable_ns();
    if (strstr(cmd, "mode=lazy")) {
        run_lazy();
    } else if (strstr(cmd, "mode=eager")) {
        run_eager();
    } else if (strstr(cmd, "attack=taskswitch-yield")) {
        int bad = taskswitch_yield();
        gprintf("ATTACK FPU-1 taskswitch-yield: result %d, expected 0\n", bad);
        CHECK_RC("FPU-1 taskswitch-yield", bad, 0);
    } else {
        test_skip("no mode= or attack= on the command line");
    }
    test_finish();
}
