/*
 * The victim beside the hostile guest of fuzz layer 2. It fills 1 MiB of
 * its memory with a pattern, records the checksum, then keeps verifying
 * it between short sleeps and prints a heartbeat with the checksum. The
 * runner (fuzz/qemu/run.sh) requires every heartbeat to carry the first
 * checksum and one heartbeat after the hostile guest finished; a changed
 * word is reported at once ("CORRUPTED") and crashes the victim.
 *
 * It also holds a few event channels (an unbound port for the hostile
 * guest, the timer VIRQ), so the attacker's guessed victim ports name
 * something real.
 *
 * Command line: peer=ID (the hostile guest), beat=N (checks per heartbeat),
 * slack=MS (how late a timer may wake it, see nap()).
 */
#include "events.h"
#include "guest.h"
#include "pvtime.h"
#include "pv/sched.h"
#include "pv/vcpu.h"
#include "traps.h"

#define WORDS (1u << 18)

static uint32_t area[WORDS];

static uint32_t pattern(uint32_t i)
{
    return (i * 2654435761u) ^ 0xA5C3E187u;
}

static uint32_t checksum(void)
{
    uint32_t i, h = 2166136261u;

    for (i = 0; i < WORDS; i++) {
        if (area[i] != pattern(i))
            guest_panic("fuzz-victim: CORRUPTED word %u: %08x, expected %08x", i, area[i],
                        pattern(i));
        h = (h ^ area[i]) * 16777619u;
    }
    return h;
}

static uint32_t arg_num(const char *cmd, const char *key, uint32_t dflt)
{
    const char *p = strstr(cmd, key);
    uint32_t v = 0;

    if (!p)
        return dflt;
    for (p += strlen(key); *p >= '0' && *p <= '9'; p++)
        v = v * 10u + (uint32_t)(*p - '0');
    return v;
}

/*
 * One nap of about 250 ms: arm the timer, then wait in SCHEDOP_poll on
 * the timer's port with a poll deadline `slack` ms after the timer.
 * Upcalls stay masked meanwhile: were they enabled, a vCPU held off
 * between arming and waiting (longer than the nap, with the audit on and
 * other domains running) could take the expiry in an upcall, and the poll
 * would then wait for an event already consumed (with SCHEDOP_block,
 * forever). The poll deadline wakes us even
 * if the timer's event never does. Waking that late, the runstate times
 * tell which it was: blocked for over half the slack means the timer did
 * not wake us ("LOST WAKEUP", a finding), otherwise we were woken but not
 * run in time ("LATE", reported). The runner gives 5 s of slack with the
 * audit after every hypercall (each hypercall then costs tens of
 * milliseconds of hypervisor time with interrupts off), 2 s otherwise;
 * the worst delay seen so far is in every heartbeat.
 */
static uint32_t timer_port, slack_ms = 2000, worst_late_ms;

static uint64_t runstate_ms(struct vcpu_runstate_info *r, uint32_t state)
{
    return r->time[state] / 1000000u;
}

static void nap(void)
{
    struct shared_info *s = pv_shared_info();
    volatile struct vcpu_info *vi = &s->vcpu_info[0];
    uint64_t until = pv_time_ns() + 250000000ull;
    struct vcpu_runstate_info r0, r1;
    struct sched_poll poll;
    uint64_t now;

    memset(&r0, 0, sizeof(r0));
    memset(&r1, 0, sizeof(r1));
    poll.ports = GPTR(&timer_port);
    poll.nr_ports = 1;
    poll.timeout = until + slack_ms * 1000000ull;
    vi->evtchn_upcall_mask = 1;
    hcall3(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, GPTR(&r0));
    hcall2(__HYPERVISOR_set_timer_op, (uint32_t)until, (uint32_t)(until >> 32));
    hcall2(__HYPERVISOR_sched_op, SCHEDOP_poll, GPTR(&poll));
    now = pv_time_ns();
    if (now > until && (now - until) / 1000000u > worst_late_ms)
        worst_late_ms = (uint32_t)((now - until) / 1000000u);
    if (now >= poll.timeout) {
        uint32_t blocked, runnable;

        hcall3(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, GPTR(&r1));
        blocked = (uint32_t)(runstate_ms(&r1, RUNSTATE_blocked) - runstate_ms(&r0, RUNSTATE_blocked));
        runnable = (uint32_t)(runstate_ms(&r1, RUNSTATE_runnable) - runstate_ms(&r0, RUNSTATE_runnable));
        if (blocked >= slack_ms / 2)
            gprintf("fuzz-victim: LOST WAKEUP: blocked %u ms past the timer (port %u, sel=%08x "
                    "upcall_pending=%u word0 pending=%08x mask=%08x)\n", blocked, timer_port,
                    vi->evtchn_pending_sel, vi->evtchn_upcall_pending, s->evtchn_pending[0],
                    s->evtchn_mask[0]);
        else
            gprintf("fuzz-victim: LATE: runnable %u ms, blocked %u ms\n", runnable, blocked);
    }
    events_dispatch();
}

int guest_main(struct start_info *si)
{
    uint32_t i, sum, beats = 0, checks = 0, port = 0;
    uint32_t peer = arg_num(si->cmd_line, "peer=", 2), every = arg_num(si->cmd_line, "beat=", 5);

    slack_ms = arg_num(si->cmd_line, "slack=", 2000);

    if (traps_init())
        guest_panic("fuzz-victim: traps_init failed");
    for (i = 0; i < WORDS; i++)
        area[i] = pattern(i);
    sum = checksum();
    evtchn_alloc_unbound_port((domid_t)peer, &port);
    timer_port = pv_timer_port();
    if (!timer_port)
        guest_panic("fuzz-victim: cannot bind VIRQ_TIMER");
    gprintf("fuzz-victim: ready sum=%08x words=%u port=%u\n", sum, WORDS, port);
    for (;;) {
        uint32_t now;

        nap();
        now = checksum();
        if (now != sum)
            guest_panic("fuzz-victim: CORRUPTED sum=%08x, expected %08x", now, sum);
        if (++checks % (every ? every : 1) == 0)
            gprintf("fuzz-victim: intact hb=%u sum=%08x t=%ums worst_late=%ums\n", ++beats, now,
                    (uint32_t)(pv_time_ns() / 1000000u), worst_late_ms);
    }
}
