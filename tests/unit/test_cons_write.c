/*
 * CONSOLEIO_write bounds (hv/core/cons_write.c, CON-1..CON-4, HC-6): the
 * per-call bound and the per-domain token bucket of unprivileged writers,
 * dropped bytes counted and never read, and the exempt (privileged)
 * writer's chunked, preemptible write printing every byte exactly once.
 */
#include <stdlib.h>

#include "check.h"
#include "hosted_env.h"
#include "cons_write.h"
#include "pv/layout.h"

#define RATE  CONS_RATE_DEFAULT
#define BURST (CONS_RATE_DEFAULT * CONS_BURST_SECONDS)
#define BASE  0x10000000u
#define LEN   0x20000u
#define MS    1000000ull
#define SEC   1000000000ull

static uint8_t window[LEN];

static uint32_t printed(void)
{
    uint32_t len;

    (void)hosted_console(&len);
    return len;
}

static void test_bucket(void)
{
    struct cons_limit l;
    uint32_t got = 0, t;

    cons_limit_init(&l, 5 * SEC, CONS_RATE_DEFAULT);
    CHECK_EQ_CASE("CON-3 full bucket", cons_limit_take(&l, 5 * SEC, BURST + 10), BURST);
    CHECK_EQ_CASE("CON-3 then empty", cons_limit_take(&l, 5 * SEC, 10), 0);
    CHECK_EQ_CASE("CON-3 one second refills the rate",
                  cons_limit_take(&l, 6 * SEC, BURST), RATE);
    /* 1000 small writes a millisecond apart earn the rate, not less:
     * time worth less than a byte is kept for the next write */
    for (t = 1; t <= 1000; t++)
        got += cons_limit_take(&l, 6 * SEC + t * MS, 100);
    CHECK_CASE_GE("CON-3 fractions kept", got, RATE - 2);
    CHECK_EQ_CASE("CON-3 never more than the rate", got <= RATE, 1);
    CHECK_EQ_CASE("CON-3 a long pause fills, no more",
                  cons_limit_take(&l, 3600 * SEC, 2 * BURST), BURST);
    CHECK_EQ_CASE("CON-3 clock backwards refills nothing", cons_limit_take(&l, SEC, 10), 0);
    CHECK_EQ_CASE("CON-3 and goes on from there", cons_limit_take(&l, 2 * SEC, BURST),
                  RATE);
}

static void test_unprivileged(void)
{
    struct cons_limit l;
    uint32_t i;

    hosted_console_reset();
    cons_limit_init(&l, 0, CONS_RATE_DEFAULT);
    for (i = 0; i < LEN; i++)
        window[i] = (uint8_t)('a' + i % 26);
    CHECK_EQ_CASE("CON-2 long write", cons_write(&l, 0, guest_ptr(BASE), 5000, NULL), 0);
    CHECK_EQ_CASE("CON-2 one call prints at most CONS_CALL_MAX", printed(), CONS_CALL_MAX);
    CHECK_EQ_CASE("CON-4 the rest counted", l.dropped, 5000 - CONS_CALL_MAX);
    /* the whole address space below the hypervisor, as the attack wrote */
    CHECK_EQ_CASE("CON-2 3.9 GB asked", cons_write(&l, 0, guest_ptr(BASE),
                  HYPERVISOR_VIRT_START - BASE, NULL), 0);
    CHECK_EQ_CASE("CON-4 counted, not read", l.dropped,
                  (uint64_t)(5000 - CONS_CALL_MAX) + (HYPERVISOR_VIRT_START - BASE) - CONS_CALL_MAX);
    for (i = 0; i < 100; i++)
        (void)cons_write(&l, 0, guest_ptr(BASE), 200, NULL);
    CHECK_EQ_CASE("CON-3 the bucket bounds a burst", printed(), BURST);
    CHECK_EQ_CASE("CON-1 into the hypervisor",
                  cons_write(&l, 0, guest_ptr(HYPERVISOR_VIRT_START - 4), 8, NULL), -EFAULT);
    CHECK_EQ_CASE("CON-1 wrapping", cons_write(&l, 0, guest_ptr(0xFFFFFFF0u), 0x20, NULL),
                  -EFAULT);
    cons_limit_init(&l, 0, CONS_RATE_DEFAULT);
    CHECK_EQ_CASE("CON-1 unreadable printed part", cons_write(&l, 0, guest_ptr(0x1000), 10, NULL),
                  -EFAULT);
}

static void test_exempt(void)
{
    struct hc_cont c;
    uint32_t args[3] = { 0, 3000, BASE + 7 }, issues, len, i, bad = 0;
    const char *out;
    int32_t rc = 0;

    hosted_console_reset();
    hosted_set_preempt(1);
    for (issues = 1; issues < 1000; issues++) {
        rc = cons_write(NULL, 0, guest_ptr(args[2]), args[1], &c);
        if (rc != -ERESTART)
            break;
        CHECK_EQ_CASE("HC-6 still a write", c.args[0], 0);
        args[1] = c.args[1];
        args[2] = c.args[2];
    }
    hosted_set_preempt(0);
    CHECK_EQ_CASE("HC-6 done", rc, 0);
    CHECK_EQ_CASE("HC-6 one chunk per issue", issues, (3000 + CONS_CHUNK - 1) / CONS_CHUNK);
    out = hosted_console(&len);
    CHECK_EQ_CASE("HC-6 every byte once", len, 3000);
    for (i = 0; i < len; i++)
        bad += (uint8_t)out[i] != window[7 + i];
    CHECK_EQ_CASE("HC-6 in order", bad, 0);
    hosted_console_reset();
    CHECK_EQ_CASE("CON-2 exempt: no per-call bound",
                  cons_write(NULL, 0, guest_ptr(BASE), 20000, NULL), 0);
    CHECK_EQ_CASE("CON-2 exempt printed all", printed(), 20000);
}

/* console_rate= changes the rate and the bucket with it. */
static void test_other_rate(void)
{
    struct cons_limit l;

    cons_limit_init(&l, 0, 100);
    CHECK_EQ_CASE("CON-3 bucket of 8 s", cons_limit_take(&l, 0, 5000), 800);
    CHECK_EQ_CASE("CON-3 100 bytes a second", cons_limit_take(&l, SEC, 5000), 100);
    cons_limit_init(&l, 0, 0);
    CHECK_EQ_CASE("CON-3 rate 0 clamped to 1", l.rate, 1);
    cons_limit_init(&l, 0, 0xFFFFFFFFu);
    CHECK_EQ_CASE("CON-3 rate clamped", l.rate, CONS_RATE_MAX);
    CHECK_EQ_CASE("CON-3 its bucket", cons_limit_take(&l, 0, 0xFFFFFFFFu),
                  CONS_RATE_MAX * CONS_BURST_SECONDS);
}

int main(void)
{
    hosted_env_init(16);
    hosted_guest_window(BASE, window, LEN);
    test_bucket();
    test_other_rate();
    test_unprivileged();
    test_exempt();
    hosted_env_fini();
    return check_report();
}
