/*
 * The vCPU-state hypercalls as the hypervisor runs them: stack_switch and
 * set_callbacks (hv/core/trap_op.c), vm_assist (hv/core/assist_op.c),
 * physdev_op (hv/core/physdev_op.c) and fpu_taskswitch
 * (hv/core/fpu_virt.c). Each starts from a vCPU whose state the op
 * chooses (so a refusal has something to leave alone), and its answer is
 * held against the rule restated here: the exact error, the state after
 * a success, and no change at all after a refusal.
 *
 * Arguments (the 64-bit values, per op):
 *   stack_switch   a0 SEL: the SS (raw: its 32 bits), a1 U32: the ESP
 *   set_callbacks  a0 SEL, a1 U32: event CS (raw: 32 bits) and EIP;
 *                  a2 SEL, a3 U32: failsafe CS and EIP
 *   vm_assist      a0 U32: cmd, a1 U32: type, a2 RAW: the mask before
 *   physdev_op     a0 U32: cmd, a1 U32: iopl, a2 RAW: the IOPL before;
 *                  aux: where the structure goes (args_place())
 *   fpu_taskswitch a0 U32: the argument; aux bit 0: TS before
 *   sched_op       a0 U32: cmd; a1 U32: the shutdown reason or poll's
 *                  nr_ports; a2 PORT: poll's first port; a3 RAW: poll's
 *                  timeout; aux bits 0..1: where the structure goes, bit
 *                  2: an upcall pending before, bit 3: upcalls masked
 *                  before, bit 4: a HLT (sched_halt) instead of cmd
 *   vcpu_op        a0 U32: cmd; a1 U32: the vCPU; a2 RAW: a timer's
 *                  period or deadline; a3 RAW: singleshot flags (bits
 *                  0..31), the time of the call past 1 s (32..63); aux:
 *                  where the structure goes
 *   set_timer_op   a0 RAW: the deadline (lo, hi); a1 RAW: the time now
 */
#include <string.h>

#include "assist_op.h"
#include "env.h"
#include "exec_internal.h"
#include "fpu_virt.h"
#include "hosted_env.h"
#include "physdev_op.h"
#include "sched_op.h"
#include "pv/arch_x86_32.h"
#include "pv/errno.h"
#include "pv/physdev.h"
#include "pv/sched.h"
#include "pv/shared_info.h"
#include "pv/vm_assist.h"
#include "timekeeping.h"
#include "trap_op.h"
#include "vcpu_op.h"
#include "pv/vcpu.h"

#define VCPU_OFF 0x300u    /* where a structure argument goes in the window */

/* The registrations the calls act on: a known non-zero state each op. */
static struct trap_vcpu vcpu_tv;

static void tv_prefill(void)
{
    memset(&vcpu_tv, 0, sizeof(vcpu_tv));
    vcpu_tv.kernel_ss = FLAT_RING1_SS;
    vcpu_tv.kernel_sp = 0xC0FFEE00u;
    vcpu_tv.event_cb.cs = FLAT_RING1_CS;
    vcpu_tv.event_cb.eip = 0xC0001111u;
    vcpu_tv.event_cb.mask_events = true;
    vcpu_tv.failsafe_cb.cs = FLAT_RING1_CS;
    vcpu_tv.failsafe_cb.eip = 0xC0002222u;
    vcpu_tv.failsafe_cb.mask_events = true;
}

static uint32_t sel_or_raw(const struct prog_arg *a)
{
    return prog_arg_is_handle(T_SEL, a) ? res_sel(a) : (uint32_t)a->value;
}

/* CB-7, restated: a stack the guest kernel may run on, after RPL 0 -> 1. */
static bool oracle_stack_ok(uint32_t ss, uint16_t *fixed)
{
    uint16_t s;

    if (ss > 0xFFFFu)
        return false;
    s = (uint16_t)((ss & 3u) ? ss : ss | 1u);
    *fixed = s;
    if (s == FLAT_RING1_SS || s == FLAT_RING3_SS || (s & 4u))
        return true;
    return (s >> 3) >= 1 && (s >> 3) < FIRST_RESERVED_GDT_ENTRY;
}

static int op_stack_switch(const struct prog_op *op)
{
    struct trap_vcpu before;
    uint32_t ss = sel_or_raw(&op->a[0]), esp = res_u32(&op->a[1]);
    uint16_t fixed = 0;
    bool ok = oracle_stack_ok(ss, &fixed);
    int rc;

    tv_prefill();
    memcpy(&before, &vcpu_tv, sizeof(before));
    hosted_cpu_reset();
    rc = trap_op_stack_switch(&vcpu_tv, ss, esp);
    if (rc != (ok ? 0 : -EINVAL))
        exec_finding("CB-7: stack_switch(%#x, %#x) gave %d", ss, esp, rc);
    if (rc != 0) {
        if (memcmp(&vcpu_tv, &before, sizeof(before)) || hosted_cpu()->stack_sets != 0)
            exec_finding("CB-7: a refused stack_switch changed the vCPU or the TSS");
        return rc;
    }
    if (vcpu_tv.kernel_ss != fixed || vcpu_tv.kernel_sp != esp || (fixed & 3u) == 0)
        exec_finding("CB-7: stack_switch stored %#x:%#x", vcpu_tv.kernel_ss, vcpu_tv.kernel_sp);
    if (hosted_cpu()->stack_sets != 1 || hosted_cpu()->stack_ss != fixed ||
        hosted_cpu()->stack_sp != esp)
        exec_finding("CB-7: the TSS was not told the stack the vCPU holds");
    before.kernel_ss = vcpu_tv.kernel_ss;
    before.kernel_sp = vcpu_tv.kernel_sp;
    if (memcmp(&vcpu_tv, &before, sizeof(before)))
        exec_finding("CB-7: stack_switch changed more than the stack");
    return rc;
}

/* CB-2, CB-3, CB-8, restated: a callback entry the guest may register. */
static bool oracle_callback_ok(uint32_t cs, uint32_t eip)
{
    uint16_t s;

    if (cs > 0xFFFFu || eip >= HYPERVISOR_VIRT_START)
        return false;
    s = (uint16_t)((cs & 3u) ? cs : cs | 1u);
    if (s == FLAT_RING1_CS || s == FLAT_RING3_CS || (s & 4u))
        return true;
    return (s >> 3) >= 1 && (s >> 3) < FIRST_RESERVED_GDT_ENTRY;
}

static void check_cb(const char *what, const struct trap_callback *cb, uint32_t cs,
                     uint32_t eip, bool mask)
{
    if (cb->eip != eip || cb->mask_events != mask || !oracle_code_selector(cb->cs) ||
        (cb->cs | 3u) != (cs | 3u))
        exec_finding("CB-2/CB-4: %s callback stored as %#x:%#x mask %d", what, cb->cs, cb->eip,
                     cb->mask_events);
}

static int op_set_callbacks(const struct prog_op *op)
{
    struct trap_vcpu before;
    uint32_t ev_cs = sel_or_raw(&op->a[0]), ev_eip = res_u32(&op->a[1]);
    uint32_t fs_cs = sel_or_raw(&op->a[2]), fs_eip = res_u32(&op->a[3]);
    bool ok = oracle_callback_ok(ev_cs, ev_eip) && oracle_callback_ok(fs_cs, fs_eip);
    int rc;

    tv_prefill();
    memcpy(&before, &vcpu_tv, sizeof(before));
    rc = trap_op_set_callbacks(&vcpu_tv, ev_cs, ev_eip, fs_cs, fs_eip);
    if (rc != (ok ? 0 : -EINVAL))
        exec_finding("CB-3/CB-8: set_callbacks(%#x:%#x, %#x:%#x) gave %d", ev_cs, ev_eip, fs_cs,
                     fs_eip, rc);
    if (rc != 0) {
        if (memcmp(&vcpu_tv, &before, sizeof(before)))
            exec_finding("CB-4: a refused set_callbacks changed the vCPU");
        return rc;
    }
    check_cb("event", &vcpu_tv.event_cb, ev_cs, ev_eip, true);      /* events always mask */
    check_cb("failsafe", &vcpu_tv.failsafe_cb, fs_cs, fs_eip, false);
    memcpy(&before.event_cb, &vcpu_tv.event_cb, sizeof(before.event_cb));
    memcpy(&before.failsafe_cb, &vcpu_tv.failsafe_cb, sizeof(before.failsafe_cb));
    if (memcmp(&vcpu_tv, &before, sizeof(before)))
        exec_finding("CB-4: set_callbacks changed more than its two callbacks");
    return rc;
}

/* HC-9, restated from Xen's list for a 32-bit PV guest. */
static bool oracle_assist_known(uint32_t type)
{
    return type == VMASST_TYPE_4gb_segments || type == VMASST_TYPE_4gb_segments_notify ||
           type == VMASST_TYPE_writable_pagetables || type == VMASST_TYPE_pae_extended_cr3 ||
           type == VMASST_TYPE_architectural_iopl || type == VMASST_TYPE_runstate_update_flag;
}

static int op_vm_assist(const struct prog_op *op)
{
    uint32_t cmd = res_u32(&op->a[0]), type = res_u32(&op->a[1]);
    uint32_t old = (uint32_t)op->a[2].value, mask = old, want = old;
    int expect = 0, rc;

    if (!oracle_assist_known(type))
        expect = -EINVAL;                       /* the type is judged first, as Xen */
    else if (cmd == VMASST_CMD_enable)
        want = old | 1u << type;
    else if (cmd == VMASST_CMD_disable)
        want = old & ~(1u << type);
    else
        expect = -ENOSYS;
    rc = vm_assist_op(&mask, cmd, type);
    if (rc != expect || mask != want)
        exec_finding("HC-9: vm_assist(%u, %u) on %#x gave %d and %#x, not %d and %#x", cmd, type,
                     old, rc, mask, expect, want);
    return rc;
}

static int op_physdev(const struct prog_op *op)
{
    struct physdev_set_iopl arg;
    uint32_t cmd = res_u32(&op->a[0]), old = (uint32_t)op->a[2].value, viopl = old, want = old;
    int expect = 0, rc;

    memset(&arg, 0, sizeof(arg));
    arg.iopl = res_u32(&op->a[1]);
    if (cmd != PHYSDEVOP_set_iopl)
        expect = -ENOSYS;
    else if (op->aux % 4u != 0)
        expect = -EFAULT;                       /* straddling, at the hypervisor, NULL */
    else if (arg.iopl > 3)
        expect = -EINVAL;                       /* EMUL-25 */
    else
        want = arg.iopl;
    rc = physdev_op(&viopl, cmd, args_place(op->aux, VCPU_OFF, &arg, sizeof(arg)));
    if (rc != expect || viopl != want)
        exec_finding("HC-10/EMUL-25: physdev_op(%u, iopl %u, mode %u) on %u gave %d and %u, not %d and %u",
                     cmd, arg.iopl, op->aux % 4u, old, rc, viopl, expect, want);
    return rc;
}

static int op_fpu_taskswitch(const struct prog_op *op)
{
    uint32_t arg = res_u32(&op->a[0]);
    bool ts = (op->aux & 1u) != 0;
    int rc;

    hosted_cpu_reset();
    rc = fpu_taskswitch_op(&ts, arg);
    if (rc != 0 || ts != (arg != 0))
        exec_finding("FPU-3: fpu_taskswitch(%#x) gave %d and TS %d", arg, rc, ts);
    if (hosted_cpu()->ts_sets != 1 || hosted_cpu()->ts != ts)
        exec_finding("FPU-3: the real TS (%d, set %u times) does not follow the virtual one",
                     hosted_cpu()->ts, hosted_cpu()->ts_sets);
    return rc;
}

/* vcpu_info[0]'s upcall bits of the actor, set (when `set`) or read. */
static bool upcall_bits(bool set, bool *pending, bool *mask)
{
    struct shared_info *sh = env_shared_info_map((domid_t)X.actor_id);

    if (!sh)
        return false;
    if (set) {
        sh->vcpu_info[0].evtchn_upcall_pending = *pending;
        sh->vcpu_info[0].evtchn_upcall_mask = *mask;
    }
    *pending = sh->vcpu_info[0].evtchn_upcall_pending != 0;
    *mask = sh->vcpu_info[0].evtchn_upcall_mask != 0;
    env_shared_info_unmap(sh);
    return true;
}

/* The answer Xen's rules give (SCHED-4, SCHED-5, EMUL-14, HC-*), where it
 * is fixed by the arguments alone; 1 where it depends on the ports. */
static int sched_expect(const struct prog_op *op, uint32_t cmd, uint32_t n, uint32_t port)
{
    if (op->aux & 0x10u)
        return 0;                               /* sched_halt */
    switch (cmd) {
    case SCHEDOP_yield:
    case SCHEDOP_block:
        return 0;
    case SCHEDOP_shutdown:
        if (op->aux % 4u != 0)
            return -EFAULT;
        return n > SHUTDOWN_soft_reset ? -EINVAL : 0;
    case SCHEDOP_poll:
        if (op->aux % 4u != 0)
            return -EFAULT;
        if (n > SCHED_POLL_MAX_PORTS)
            return -EINVAL;
        if (n == 1 && port >= M_evt[X.actor_id].max_ports)
            return -EINVAL;                     /* EVT-1 */
        return 1;
    default:
        return -ENOSYS;
    }
}

/* What the scheduler was asked, against the call and the upcall bits. */
static void check_sched(const struct prog_op *op, uint32_t cmd, uint32_t n, int rc, bool pending,
                        bool mask_before, bool mask_after)
{
    const struct hosted_sched *hs = hosted_sched();
    bool halt = (op->aux & 0x10u) != 0, sleeps = halt || (cmd == SCHEDOP_block);
    unsigned yields = !halt && cmd == SCHEDOP_yield && rc == 0;
    unsigned shutdowns = !halt && cmd == SCHEDOP_shutdown && rc == 0;

    if (hs->yields != yields || hs->shutdowns != shutdowns)
        exec_finding("SCHED-4: sched_op(%u) yielded %u, shut down %u times", cmd, hs->yields,
                     hs->shutdowns);
    if (shutdowns && hs->last_reason != n)
        exec_finding("sched_op shutdown recorded reason %u, asked %u", hs->last_reason, n);
    if (sleeps && hs->blocks != (pending ? 0u : 1u))
        exec_finding("SCHED-5/EMUL-14: %s with an upcall %spending blocked %u times",
                     halt ? "hlt" : "block", pending ? "" : "not ", hs->blocks);
    if (!sleeps && hs->blocks != 0)
        exec_finding("SCHED-5: sched_op(%u) blocked", cmd);
    if (mask_after != ((sleeps && !halt) ? false : mask_before))
        exec_finding("SCHED-5/EMUL-14: the upcall mask went %d -> %d", mask_before, mask_after);
}

static int op_sched(const struct prog_op *op)
{
    union { struct sched_shutdown sd; struct sched_poll poll; } a;
    uint32_t cmd = res_u32(&op->a[0]), n = res_u32(&op->a[1]), port = res_port(&op->a[2]);
    bool pending = (op->aux & 4u) != 0, mask = (op->aux & 8u) != 0, mask_before;
    struct evtchn_call c = { &M.world, (domid_t)X.actor_id, X.actor->pt.privileged };
    int expect = sched_expect(op, cmd, n, port), rc;

    X.evt_op = true;                            /* poll marks the caller polling */
    machine_mark_evt_dirty();
    memset(&a, 0, sizeof(a));
    if (cmd == SCHEDOP_poll) {
        (void)args_put(VCPU_OFF + 0x40u, &port, sizeof(port));
        a.poll.ports = M_ARGS_VA + VCPU_OFF + 0x40u;
        a.poll.nr_ports = n;
        a.poll.timeout = op->a[3].value;
    } else {
        a.sd.reason = n;
    }
    if (!upcall_bits(true, &pending, &mask))
        return -ESRCH;                          /* no shared_info: not a running domain */
    mask_before = mask;
    hosted_sched_reset(hosted_sched()->now);
    if (op->aux & 0x10u)
        rc = sched_halt(&c);
    else
        rc = sched_op(&c, cmd, args_place(op->aux, VCPU_OFF, &a, cmd == SCHEDOP_poll ?
                                          sizeof(a.poll) : sizeof(a.sd)));
    if (rc != expect && (expect != 1 || rc > 0 || (rc != 0 && rc != -EINVAL && rc != -EFAULT)))
        exec_finding("sched_op(%u, %u) gave %d, the rule %d", cmd, n, rc, expect);
    (void)upcall_bits(false, &pending, &mask);
    if (cmd != SCHEDOP_poll || (op->aux & 0x10u))
        check_sched(op, cmd, n, rc, pending, mask_before, mask);
    return rc;
}

/* The timer and accounting fields of a vCPU that has run a while. */
static void vs_prefill(struct vcpu_op_state *vs)
{
    memset(vs, 0, sizeof(*vs));
    vs->timer_deadline = 111;
    vs->periodic_next = 222;
    vs->periodic_ns = 333;
    vs->started_ns = 1000;
    vs->run_start_ns = 5000;
    vs->cpu_time_ns = 2000;
    vs->blocked_ns = 500;
    vs->entries = 77;
}

/* TIME-5, NMI-2 and do_vcpu_op's errors, restated: the answer and the
 * state after it, from the arguments, the pointer mode and the time. */
static int vcpu_expect(const struct prog_op *op, uint32_t cmd, uint64_t now,
                       struct vcpu_op_state *want)
{
    uint64_t v = op->a[2].value;
    bool readable = op->aux % 4u == 0;

    if (res_u32(&op->a[1]) != 0)
        return -ENOENT;
    switch (cmd) {
    case VCPUOP_is_up:
        return 1;
    case VCPUOP_get_runstate_info:
        return readable ? 0 : -EFAULT;
    case VCPUOP_set_periodic_timer:
        if (!readable)
            return -EFAULT;
        if (v < VCPU_PERIOD_MIN_NS || v > VCPU_PERIOD_MAX_NS)
            return -EINVAL;
        want->periodic_ns = v;
        want->periodic_next = now + v;
        return 0;
    case VCPUOP_stop_periodic_timer:
        want->periodic_next = 0;
        return 0;
    case VCPUOP_set_singleshot_timer:
        if (!readable)
            return -EFAULT;
        if ((op->a[3].value & VCPU_SSHOTTMR_future) && v < now)
            return -ETIME;
        want->timer_deadline = v ? v : 1;
        return 0;
    case VCPUOP_stop_singleshot_timer:
        want->timer_deadline = 0;
        return 0;
    case VCPUOP_send_nmi:
        if (op->aux % 4u != 3)
            return -EINVAL;                     /* only a NULL argument (NMI-2) */
        want->nmi_pending = true;
        return 0;
    case VCPUOP_bulkhead_entry_count:
        return (int)want->entries;
    default:
        return -ENOSYS;
    }
}

/* The runstate the call wrote: every nanosecond since start accounted once. */
static void check_runstate(const struct vcpu_op_state *vs, uint64_t now)
{
    struct vcpu_runstate_info r;
    uint64_t sum;

    memcpy(&r, M_args + VCPU_OFF, sizeof(r));
    sum = r.time[RUNSTATE_running] + r.time[RUNSTATE_runnable] + r.time[RUNSTATE_blocked];
    if (r.state != RUNSTATE_running || r.state_entry_time != vs->run_start_ns ||
        r.time[RUNSTATE_running] != vs->cpu_time_ns + (now - vs->run_start_ns) ||
        r.time[RUNSTATE_blocked] != vs->blocked_ns || r.time[RUNSTATE_offline] != 0 ||
        sum != now - vs->started_ns)
        exec_finding("vcpu_op get_runstate_info: state %d, times %llu/%llu/%llu at %llu", r.state,
                     (unsigned long long)r.time[0], (unsigned long long)r.time[1],
                     (unsigned long long)r.time[2], (unsigned long long)now);
}

static int op_vcpu(const struct prog_op *op)
{
    union { struct vcpu_set_singleshot_timer ss; struct vcpu_set_periodic_timer per;
            struct vcpu_runstate_info rs; } a;
    struct vcpu_op_state vs, want;
    uint32_t cmd = res_u32(&op->a[0]);
    uint64_t now = 1000000000ull + (op->a[3].value >> 32);
    int expect, rc;

    vs_prefill(&vs);
    memcpy(&want, &vs, sizeof(want));
    expect = vcpu_expect(op, cmd, now, &want);
    memset(&a, 0, sizeof(a));
    if (cmd == VCPUOP_set_periodic_timer) {
        a.per.period_ns = op->a[2].value;
    } else {
        a.ss.timeout_abs_ns = op->a[2].value;
        a.ss.flags = (uint32_t)op->a[3].value;
    }
    hosted_sched_reset(now);
    rc = vcpu_op(&vs, cmd, res_u32(&op->a[1]),
                 args_place(op->aux, VCPU_OFF, &a, cmd == VCPUOP_get_runstate_info ?
                            sizeof(a.rs) : sizeof(a.ss)));
    if (rc != expect || memcmp(&vs, &want, sizeof(vs)))
        exec_finding("TIME-5/NMI-2: vcpu_op(%u) gave %d (the rule: %d) or changed the vCPU wrongly",
                     cmd, rc, expect);
    if (rc == 0 && cmd == VCPUOP_get_runstate_info)
        check_runstate(&vs, now);
    return rc;
}

/* TIME-4, restated: 0 cancels; negative or 2^50 ns ahead is 100 ms from now. */
static int op_set_timer(const struct prog_op *op)
{
    uint64_t t = op->a[0].value, now = op->a[1].value, want;
    struct vcpu_op_state vs, before;
    int rc;

    if (t == 0)
        want = 0;
    else if ((t >> 63) != 0 || (t > now && t - now >= TIMEKEEPING_TIMER_FAR_NS))
        want = now + TIMEKEEPING_TIMER_SLOP_NS;
    else
        want = t;
    if (t != 0 && want == 0)
        want = 1;                               /* 0 would mean none */
    vs_prefill(&vs);
    memcpy(&before, &vs, sizeof(before));
    hosted_sched_reset(now);
    rc = set_timer_op(&vs, (uint32_t)t, (uint32_t)(t >> 32));
    before.timer_deadline = want;
    if (rc != 0 || memcmp(&vs, &before, sizeof(vs)))
        exec_finding("TIME-4: set_timer_op(%#llx) at %llu gave %d and deadline %llu, not %llu",
                     (unsigned long long)t, (unsigned long long)now, rc,
                     (unsigned long long)vs.timer_deadline, (unsigned long long)want);
    return rc;
}

int exec_vcpu_op(const struct prog_op *op)
{
    switch (op->op) {
    case OP_STACK_SWITCH:   return op_stack_switch(op);
    case OP_SET_CALLBACKS:  return op_set_callbacks(op);
    case OP_VM_ASSIST:      return op_vm_assist(op);
    case OP_PHYSDEV:        return op_physdev(op);
    case OP_SCHED:          return op_sched(op);
    case OP_VCPU:           return op_vcpu(op);
    case OP_SET_TIMER:      return op_set_timer(op);
    default:                return op_fpu_taskswitch(op);
    }
}
