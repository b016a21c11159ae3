/*
 * vcpu_op and set_timer_op as the hypervisor runs them (hv/core/vcpu_op.c):
 * every op's decision and error path with Xen's error, the argument
 * copied in once (and the runstate out), and the caller's timer fields
 * changed only on success (spec/time.md TIME-4, TIME-5; spec/traps.md
 * NMI-2; spec/hypercalls.md vcpu_op and set_timer_op).
 */
#include <string.h>

#include "check.h"
#include "env.h"
#include "hosted_env.h"
#include "pv/errno.h"
#include "pv/vcpu.h"
#include "timekeeping.h"
#include "vcpu_op.h"

#define WIN_VA  0x10000000u
#define WIN_LEN 0x1000u
#define NOW     5000000000ull        /* 5 s of system time */
#define MS      1000000ull

static uint8_t win[WIN_LEN];
static struct vcpu_op_state st;

/* A vCPU that has run for 5 s: 3 s running, 1 s blocked, switched in at 4.5 s. */
static void reset(void)
{
    static const struct vcpu_op_state start = {
        0, NOW + 10 * MS, 10 * MS, 3000 * MS - 500 * MS, 4500 * MS, 0, 1000 * MS, 77, false,
    };

    hosted_env_init(4);
    hosted_guest_window(WIN_VA, win, WIN_LEN);
    memset(win, 0, sizeof(win));
    hosted_sched_reset(NOW);
    st = start;
}

/* Put `len` bytes at offset `off` of the window and run VCPUOP_`cmd` on them, as vCPU 0. */
static int32_t run(uint32_t cmd, const void *arg, uint32_t len, uint32_t off)
{
    memcpy(win + off, arg, len);
    return vcpu_op(&st, cmd, 0, guest_ptr(WIN_VA + off));
}

static bool unchanged(void)
{
    return st.timer_deadline == 0 && st.periodic_next == NOW + 10 * MS && st.periodic_ns == 10 * MS &&
           !st.nmi_pending;
}

static void test_decode(void)
{
    static const uint32_t unserved[] = {
        VCPUOP_initialise, VCPUOP_up, VCPUOP_down, VCPUOP_register_runstate_memory_area,
        VCPUOP_register_vcpu_info, VCPUOP_get_physid, VCPUOP_register_vcpu_time_memory_area,
        VCPUOP_register_runstate_phys_area, VCPUOP_register_vcpu_time_phys_area, 16, 0xFFFu,
        0x1001u, 0xFFFFFFFFu,
    };
    static const uint32_t vcpus[] = { 1, 2, 31, 0x7FFFFFFFu, 0xFFFFFFFFu };
    unsigned i;

    reset();
    for (i = 0; i < ARRAY_SIZE(unserved); i++)
        CHECK_EQ_CASE("VCPUOP not served is -ENOSYS",
                      vcpu_op(&st, unserved[i], 0, guest_ptr(WIN_VA)), -ENOSYS);
    for (i = 0; i < ARRAY_SIZE(vcpus); i++) {
        CHECK_EQ_CASE("a vCPU other than 0 is -ENOENT (as Xen)",
                      vcpu_op(&st, VCPUOP_is_up, vcpus[i], guest_ptr(0)), -ENOENT);
        CHECK_EQ_CASE("... before the op: stop_periodic on vCPU n stops nothing",
                      vcpu_op(&st, VCPUOP_stop_periodic_timer, vcpus[i], guest_ptr(0)), -ENOENT);
        CHECK_EQ_CASE("... not even an op not served",
                      vcpu_op(&st, 0xFFFFFFFFu, vcpus[i], guest_ptr(0)), -ENOENT);
    }
    CHECK_EQ_CASE("-ENOENT and -ENOSYS change nothing", unchanged(), true);
    CHECK_EQ_CASE("is_up: vCPU 0 is up", vcpu_op(&st, VCPUOP_is_up, 0, guest_ptr(0)), 1);
    CHECK_EQ_CASE("entry count (Bulkhead's 0x1000)",
                  vcpu_op(&st, VCPUOP_bulkhead_entry_count, 0, guest_ptr(0)), 77);
}

static void test_runstate(void)
{
    struct vcpu_runstate_info r;

    reset();
    CHECK_EQ_CASE("runstate", vcpu_op(&st, VCPUOP_get_runstate_info, 0, guest_ptr(WIN_VA)), 0);
    memcpy(&r, win, sizeof(r));
    CHECK_EQ_CASE("runstate: running", r.state, RUNSTATE_running);
    CHECK_EQ_CASE("runstate: since the switch in", r.state_entry_time, 4500 * MS);
    CHECK_EQ_CASE("runstate: ran before and since the switch in", r.time[RUNSTATE_running], 3000 * MS);
    CHECK_EQ_CASE("runstate: blocked", r.time[RUNSTATE_blocked], 1000 * MS);
    CHECK_EQ_CASE("runstate: the rest waited", r.time[RUNSTATE_runnable], 1000 * MS);
    CHECK_EQ_CASE("runstate: never offline", r.time[RUNSTATE_offline], 0);
    st.blocked_ns = 4000 * MS;               /* accounts past the elapsed time: no underflow */
    CHECK_EQ(vcpu_op(&st, VCPUOP_get_runstate_info, 0, guest_ptr(WIN_VA)), 0);
    memcpy(&r, win, sizeof(r));
    CHECK_EQ_CASE("runstate: runnable never wraps", r.time[RUNSTATE_runnable], 0);
    CHECK_EQ_CASE("runstate outside guest memory is -EFAULT",
                  vcpu_op(&st, VCPUOP_get_runstate_info, 0, guest_ptr(0)), -EFAULT);
    CHECK_EQ_CASE("runstate straddling the end is -EFAULT",
                  vcpu_op(&st, VCPUOP_get_runstate_info, 0, guest_ptr(WIN_VA + WIN_LEN - 8)), -EFAULT);
    CHECK_EQ_CASE("runstate into the hypervisor is -EFAULT",
                  vcpu_op(&st, VCPUOP_get_runstate_info, 0, guest_ptr(0xF5800000u)), -EFAULT);
}

/* TIME-5: set_periodic_timer, at least 1 ms, at most 2^50 ns; stop_periodic_timer. */
static void test_periodic(void)
{
    static const uint64_t bad[] = { 0, 1, MS - 1, VCPU_PERIOD_MAX_NS + 1, ~0ull };
    struct vcpu_set_periodic_timer p;
    unsigned i;

    reset();
    CHECK_EQ_CASE("TIME-5 period unreadable is -EFAULT",
                  vcpu_op(&st, VCPUOP_set_periodic_timer, 0, guest_ptr(0)), -EFAULT);
    CHECK_EQ_CASE("TIME-5 period straddling the end is -EFAULT",
                  vcpu_op(&st, VCPUOP_set_periodic_timer, 0, guest_ptr(WIN_VA + WIN_LEN - 4)), -EFAULT);
    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        p.period_ns = bad[i];
        CHECK_EQ_CASE("TIME-5 period out of bounds is -EINVAL",
                      run(VCPUOP_set_periodic_timer, &p, sizeof(p), 0), -EINVAL);
    }
    CHECK_EQ_CASE("TIME-5 refused periods change nothing", unchanged(), true);
    p.period_ns = MS;
    CHECK_EQ_CASE("TIME-5 1 ms", run(VCPUOP_set_periodic_timer, &p, sizeof(p), 0), 0);
    CHECK_EQ_CASE("TIME-5 ... is the period", st.periodic_ns, MS);
    CHECK_EQ_CASE("TIME-5 ... next one period from now", st.periodic_next, NOW + MS);
    p.period_ns = VCPU_PERIOD_MAX_NS;
    CHECK_EQ_CASE("TIME-5 2^50 ns", run(VCPUOP_set_periodic_timer, &p, sizeof(p), 0), 0);
    CHECK_EQ_CASE("TIME-5 ... next", st.periodic_next, NOW + VCPU_PERIOD_MAX_NS);
    CHECK_EQ_CASE("TIME-5 stop", vcpu_op(&st, VCPUOP_stop_periodic_timer, 0, guest_ptr(0)), 0);
    CHECK_EQ_CASE("TIME-5 ... stopped", st.periodic_next, 0);
    CHECK_EQ_CASE("TIME-5 ... the period is kept", st.periodic_ns, VCPU_PERIOD_MAX_NS);
}

/* VCPUOP_set_singleshot_timer and stop_singleshot_timer (the TIME-4 timer). */
static void test_singleshot(void)
{
    struct vcpu_set_singleshot_timer t;

    reset();
    CHECK_EQ_CASE("singleshot unreadable is -EFAULT",
                  vcpu_op(&st, VCPUOP_set_singleshot_timer, 0, guest_ptr(0)), -EFAULT);
    CHECK_EQ_CASE("singleshot straddling the end is -EFAULT",
                  vcpu_op(&st, VCPUOP_set_singleshot_timer, 0, guest_ptr(WIN_VA + WIN_LEN - 8)), -EFAULT);
    t.timeout_abs_ns = NOW - 1;
    t.flags = VCPU_SSHOTTMR_future;
    CHECK_EQ_CASE("singleshot past with future is -ETIME (as Xen)",
                  run(VCPUOP_set_singleshot_timer, &t, sizeof(t), 0), -ETIME);
    t.timeout_abs_ns = 0;
    CHECK_EQ_CASE("singleshot 0 with future is -ETIME",
                  run(VCPUOP_set_singleshot_timer, &t, sizeof(t), 0), -ETIME);
    CHECK_EQ_CASE("refused singleshots change nothing", unchanged(), true);
    t.timeout_abs_ns = NOW;
    CHECK_EQ_CASE("singleshot now with future", run(VCPUOP_set_singleshot_timer, &t, sizeof(t), 0), 0);
    CHECK_EQ_CASE("... armed", st.timer_deadline, NOW);
    t.timeout_abs_ns = NOW - 1;
    t.flags = 0;
    CHECK_EQ_CASE("singleshot past without future", run(VCPUOP_set_singleshot_timer, &t, sizeof(t), 0), 0);
    CHECK_EQ_CASE("... fires at once", st.timer_deadline, NOW - 1);
    t.timeout_abs_ns = 0;
    t.flags = 0xFFFFFFFEu;                   /* unknown flags are ignored, as Xen */
    CHECK_EQ_CASE("singleshot 0", run(VCPUOP_set_singleshot_timer, &t, sizeof(t), 0), 0);
    CHECK_EQ_CASE("... armed at 1 (0 would mean none)", st.timer_deadline, 1);
    CHECK_EQ_CASE("stop singleshot", vcpu_op(&st, VCPUOP_stop_singleshot_timer, 0, guest_ptr(0)), 0);
    CHECK_EQ_CASE("... stopped", st.timer_deadline, 0);
    CHECK_EQ_CASE("... the periodic timer untouched", st.periodic_next, NOW + 10 * MS);
}

/* NMI-2: send_nmi takes no argument. */
static void test_nmi(void)
{
    reset();
    CHECK_EQ_CASE("NMI-2 send_nmi with an argument is -EINVAL",
                  vcpu_op(&st, VCPUOP_send_nmi, 0, guest_ptr(WIN_VA)), -EINVAL);
    CHECK_EQ_CASE("NMI-2 ... none pending", st.nmi_pending, false);
    CHECK_EQ_CASE("NMI-2 send_nmi", vcpu_op(&st, VCPUOP_send_nmi, 0, guest_ptr(0)), 0);
    CHECK_EQ_CASE("NMI-2 ... pending", st.nmi_pending, true);
}

/* TIME-4: set_timer_op. */
static void test_set_timer_op(void)
{
    reset();
    st.timer_deadline = 42;
    CHECK_EQ_CASE("TIME-4 0 cancels", set_timer_op(&st, 0, 0), 0);
    CHECK_EQ_CASE("TIME-4 ... cancelled", st.timer_deadline, 0);
    CHECK_EQ_CASE("TIME-4 a future deadline", set_timer_op(&st, (uint32_t)(NOW + MS), (uint32_t)((NOW + MS) >> 32)), 0);
    CHECK_EQ_CASE("TIME-4 ... armed", st.timer_deadline, NOW + MS);
    CHECK_EQ_CASE("TIME-4 a past deadline", set_timer_op(&st, 1, 0), 0);
    CHECK_EQ_CASE("TIME-4 ... fires at once", st.timer_deadline, 1);
    CHECK_EQ_CASE("TIME-4 the high word counts", set_timer_op(&st, 0, 1), 0);
    CHECK_EQ_CASE("TIME-4 ... 2^32 ns (past)", st.timer_deadline, 1ull << 32);
    CHECK_EQ_CASE("TIME-4 negative", set_timer_op(&st, 0, 0x80000000u), 0);
    CHECK_EQ_CASE("TIME-4 ... fires in 100 ms", st.timer_deadline, NOW + TIMEKEEPING_TIMER_SLOP_NS);
    st.timer_deadline = 0;
    CHECK_EQ_CASE("TIME-4 2^50 ns ahead",
                  set_timer_op(&st, (uint32_t)(NOW + TIMEKEEPING_TIMER_FAR_NS),
                               (uint32_t)((NOW + TIMEKEEPING_TIMER_FAR_NS) >> 32)), 0);
    CHECK_EQ_CASE("TIME-4 ... fires in 100 ms", st.timer_deadline, NOW + TIMEKEEPING_TIMER_SLOP_NS);
    CHECK_EQ_CASE("TIME-4 ... the periodic timer untouched", st.periodic_next, NOW + 10 * MS);
}

int main(void)
{
    test_decode();
    test_runstate();
    test_periodic();
    test_singleshot();
    test_nmi();
    test_set_timer_op();
    return check_report();
}
