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
 * Command line: peer=ID (the hostile guest), beat=N (checks per heartbeat).
 */
#include "events.h"
#include "guest.h"
#include "pvtime.h"
#include "pv/sched.h"
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
 * the timer's port with a poll deadline two seconds later. The poll
 * deadline wakes us even if the timer's event never does; waking by it
 * means a wakeup was lost, which is reported with the event state (a
 * liveness finding: the runner refuses "LOST WAKEUP").
 */
static uint32_t timer_port;

static void nap(void)
{
    struct shared_info *s = pv_shared_info();
    volatile struct vcpu_info *vi = &s->vcpu_info[0];
    uint64_t until = pv_time_ns() + 250000000ull;
    struct sched_poll poll;
    uint32_t before_sel, before_up, before_pend;

    poll.ports = GPTR(&timer_port);
    poll.nr_ports = 1;
    poll.timeout = until + 2000000000ull;
    vi->evtchn_upcall_mask = 0;         /* upcalls on, as SCHEDOP_block does */
    hcall2(__HYPERVISOR_set_timer_op, (uint32_t)until, (uint32_t)(until >> 32));
    /* the event state the poll starts from, for the report below */
    before_sel = vi->evtchn_pending_sel;
    before_up = vi->evtchn_upcall_pending;
    before_pend = s->evtchn_pending[0];
    hcall2(__HYPERVISOR_sched_op, SCHEDOP_poll, GPTR(&poll));
    if (pv_time_ns() >= poll.timeout)
        gprintf("fuzz-victim: LOST WAKEUP: port %u; before the poll: sel=%08x upcall_pending=%u "
                "word0 pending=%08x; after: sel=%08x upcall_pending=%u mask=%u word0 "
                "pending=%08x mask=%08x\n", timer_port, before_sel, before_up, before_pend,
                vi->evtchn_pending_sel, vi->evtchn_upcall_pending, vi->evtchn_upcall_mask,
                s->evtchn_pending[0], s->evtchn_mask[0]);
    events_dispatch();
}

int guest_main(struct start_info *si)
{
    uint32_t i, sum, beats = 0, checks = 0, port = 0;
    uint32_t peer = arg_num(si->cmd_line, "peer=", 2), every = arg_num(si->cmd_line, "beat=", 5);

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
            gprintf("fuzz-victim: intact hb=%u sum=%08x t=%ums\n", ++beats, now,
                    (uint32_t)(pv_time_ns() / 1000000u));
    }
}
