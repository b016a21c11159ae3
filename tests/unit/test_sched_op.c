/*
 * sched_op as the hypervisor runs it (hv/core/sched_op.c): the dispatch,
 * every error path with its error, and what it asks of the scheduler and
 * the caller's lifecycle through env.h (spec/time.md SCHED-4, SCHED-5;
 * spec/hypercalls.md sched_op). Poll's own rules are test_evtchn_op.c's;
 * here only that SCHEDOP_poll reaches them.
 */
#include <string.h>

#include "check.h"
#include "env.h"
#include "evtchn_2l.h"
#include "hosted_env.h"
#include "pv/errno.h"
#include "pv/sched.h"
#include "pv/shared_info.h"
#include "sched_op.h"

#define WIN_VA  0x10000000u
#define WIN_LEN 0x1000u

static struct evtchn_domain table;
static struct evtchn_domain *slots[2];
static struct evtchn_world world = { slots, 2 };
static uint8_t win[WIN_LEN];

/* Domain 1 calls; its shared_info is frame 1. */
static void reset(void)
{
    hosted_env_init(4);
    hosted_guest_window(WIN_VA, win, WIN_LEN);
    memset(win, 0, sizeof(win));
    hosted_desc_evt_reset(true);
    hosted_sched_reset(0);
    evtchn_domain_init(&table, 1, 0);
    slots[0] = NULL;
    slots[1] = &table;
    hosted_set_shared_info(1, 1);
}

static struct shared_info *si(void)
{
    return (struct shared_info *)(void *)hosted_frame(1);
}

static int32_t call(uint32_t cmd, uint32_t arg_va)
{
    struct evtchn_call c = { &world, 1, false };

    return sched_op(&c, cmd, guest_ptr(arg_va));
}

static bool no_effect(void)
{
    const struct hosted_sched *h = hosted_sched();

    return h->yields == 0 && h->blocks == 0 && h->shutdowns == 0 && hosted_desc_evt()->poll_blocks == 0;
}

static void test_decode(void)
{
    static const uint32_t unserved[] = {
        SCHEDOP_remote_shutdown, SCHEDOP_shutdown_code, SCHEDOP_watchdog, SCHEDOP_pin_override,
        8, 0x100u, 0xFFFFFFFFu,
    };
    unsigned i;

    reset();
    for (i = 0; i < ARRAY_SIZE(unserved); i++)
        CHECK_EQ_CASE("SCHEDOP not served is -ENOSYS", call(unserved[i], WIN_VA), -ENOSYS);
    CHECK_EQ_CASE("-ENOSYS does nothing", no_effect(), true);
    CHECK_EQ_CASE("SCHED-4 yield", call(SCHEDOP_yield, 0), 0);
    CHECK_EQ_CASE("SCHED-4 ... asks the scheduler", hosted_sched()->yields, 1);
}

static void test_shutdown(void)
{
    static const uint32_t bad[] = { SHUTDOWN_soft_reset + 1, 0xFF, 0x100, 0x103, 0xFFFFFFFFu };
    struct sched_shutdown sd;
    uint32_t r;
    unsigned i;

    reset();
    CHECK_EQ_CASE("shutdown argument unreadable is -EFAULT", call(SCHEDOP_shutdown, 0), -EFAULT);
    CHECK_EQ_CASE("shutdown argument past the window is -EFAULT",
                  call(SCHEDOP_shutdown, WIN_VA + WIN_LEN - 2), -EFAULT);
    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        sd.reason = bad[i];
        memcpy(win, &sd, sizeof(sd));
        CHECK_EQ_CASE("shutdown reason not Xen's is -EINVAL", call(SCHEDOP_shutdown, WIN_VA), -EINVAL);
    }
    CHECK_EQ_CASE("refused shutdowns do nothing", no_effect(), true);
    for (r = SHUTDOWN_poweroff; r <= SHUTDOWN_soft_reset; r++) {
        sd.reason = r;
        memcpy(win, &sd, sizeof(sd));
        CHECK_EQ_CASE("shutdown with each reason", call(SCHEDOP_shutdown, WIN_VA), 0);
        CHECK_EQ_CASE("... asks the lifecycle with it", hosted_sched()->last_reason, r);
    }
    CHECK_EQ_CASE("... once each", hosted_sched()->shutdowns, SHUTDOWN_soft_reset + 1);
}

/* SCHED-5: block unmasks and sleeps unless an upcall is already pending. */
static void test_block(void)
{
    reset();
    si()->vcpu_info[0].evtchn_upcall_mask = 1;
    CHECK_EQ_CASE("SCHED-5 block", call(SCHEDOP_block, 0), 0);
    CHECK_EQ_CASE("SCHED-5 ... unmasks events", si()->vcpu_info[0].evtchn_upcall_mask, 0);
    CHECK_EQ_CASE("SCHED-5 ... and sleeps", hosted_sched()->blocks, 1);
    si()->vcpu_info[0].evtchn_upcall_mask = 1;
    si()->vcpu_info[0].evtchn_upcall_pending = 1;
    CHECK_EQ_CASE("SCHED-5 block with an upcall pending", call(SCHEDOP_block, 0), 0);
    CHECK_EQ_CASE("SCHED-5 ... unmasks events", si()->vcpu_info[0].evtchn_upcall_mask, 0);
    CHECK_EQ_CASE("SCHED-5 ... does not sleep", hosted_sched()->blocks, 1);
    table.poll_port = EVTCHN_POLL_ANY;
    CHECK_EQ(call(SCHEDOP_block, 0), 0);
    CHECK_EQ_CASE("SCHED-5 a domain that blocks no longer polls", table.poll_port, 0);
    hosted_set_shared_info(1, INVALID_MFN);
    CHECK_EQ_CASE("SCHED-5 block with no page to unmask in", call(SCHEDOP_block, 0), 0);
    CHECK_EQ_CASE("SCHED-5 ... does not sleep", hosted_sched()->blocks, 1);
    CHECK_EQ(hosted_live_maps(), 0);
}

/* EMUL-14: hlt sleeps unless an upcall is pending, and never touches the mask. */
static void test_halt(void)
{
    struct evtchn_call c = { &world, 1, false };

    reset();
    si()->vcpu_info[0].evtchn_upcall_mask = 1;
    CHECK_EQ_CASE("EMUL-14 hlt", sched_halt(&c), 0);
    CHECK_EQ_CASE("EMUL-14 ... sleeps", hosted_sched()->blocks, 1);
    CHECK_EQ_CASE("EMUL-14 ... the mask as it was", si()->vcpu_info[0].evtchn_upcall_mask, 1);
    si()->vcpu_info[0].evtchn_upcall_pending = 1;
    CHECK_EQ_CASE("EMUL-14 hlt with an upcall pending", sched_halt(&c), 0);
    CHECK_EQ_CASE("EMUL-14 ... does not sleep", hosted_sched()->blocks, 1);
    CHECK_EQ_CASE("EMUL-14 ... the mask as it was", si()->vcpu_info[0].evtchn_upcall_mask, 1);
    table.poll_port = EVTCHN_POLL_ANY;
    CHECK_EQ(sched_halt(&c), 0);
    CHECK_EQ_CASE("EMUL-14 a domain that halts no longer polls", table.poll_port, 0);
    CHECK_EQ(hosted_live_maps(), 0);
}

/* SCHED-5: poll reaches evtchn_poll with the caller's world. */
static void test_poll(void)
{
    struct sched_poll p;
    uint32_t port = 1;

    reset();
    CHECK_EQ_CASE("SCHED-5 poll argument unreadable is -EFAULT", call(SCHEDOP_poll, 0), -EFAULT);
    memset(&p, 0, sizeof(p));
    p.ports = WIN_VA + 0x100;
    p.nr_ports = SCHED_POLL_MAX_PORTS + 1;
    memcpy(win, &p, sizeof(p));
    CHECK_EQ_CASE("SCHED-5 poll on too many ports is -EINVAL", call(SCHEDOP_poll, WIN_VA), -EINVAL);
    CHECK_EQ_CASE("errors never sleep", no_effect(), true);
    p.nr_ports = 1;
    p.timeout = 99;
    memcpy(win, &p, sizeof(p));
    memcpy(win + 0x100, &port, sizeof(port));
    CHECK_EQ_CASE("SCHED-5 poll, nothing pending", call(SCHEDOP_poll, WIN_VA), 0);
    CHECK_EQ_CASE("SCHED-5 ... sleeps until the timeout", hosted_desc_evt()->last_poll_timeout, 99);
    CHECK_EQ_CASE("SCHED-5 ... through the poll seam, not block", hosted_sched()->blocks, 0);
    CHECK_EQ_CASE("SCHED-5 ... ended by its one port", table.poll_port, port);
    evtchn_2l_set_pending(si(), port);
    CHECK_EQ_CASE("SCHED-5 poll, one pending", call(SCHEDOP_poll, WIN_VA), 0);
    CHECK_EQ_CASE("SCHED-5 ... does not sleep", hosted_desc_evt()->poll_blocks, 1);
    CHECK_EQ_CASE("SCHED-5 ... nor poll", table.poll_port, 0);
    CHECK_EQ(hosted_live_maps(), 0);
}

int main(void)
{
    test_decode();
    test_shutdown();
    test_block();
    test_halt();
    test_poll();
    return check_report();
}
