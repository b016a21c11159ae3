/*
 * console_io as the hypervisor runs it (hv/core/console_op.c,
 * spec/hypercalls.md CON-1..CON-4, HC-6, HC-11): the dispatch, who may
 * read and how much, and that a write reaches cons_write() with the
 * caller's bounds (their own rules are test_cons_write.c's).
 */
#include <string.h>

#include "check.h"
#include "console_op.h"
#include "hosted_env.h"
#include "pv/console.h"
#include "pv/layout.h"

#define WIN_VA  0x10000000u
#define WIN_LEN 0x2000u
#define SEC     1000000000ull

static uint8_t win[WIN_LEN];
static struct cons_limit limit;
static struct console_caller dom0 = { true, NULL };
static struct console_caller domu = { false, &limit };

static void reset(void)
{
    hosted_env_init(1);
    hosted_guest_window(WIN_VA, win, WIN_LEN);
    memset(win, 0, sizeof(win));
    hosted_console_reset();
    hosted_cpu_reset();
    hosted_sched_reset(10 * SEC);
    hosted_set_preempt(0);
    cons_limit_init(&limit, 10 * SEC, CONS_RATE_DEFAULT);
}

static uint32_t printed(void)
{
    uint32_t len;

    (void)hosted_console(&len);
    return len;
}

static void waiting(const char *s)
{
    struct hosted_cpu *h = hosted_cpu();

    h->input_len = (uint32_t)strlen(s);
    memcpy(h->input, s, h->input_len);
    h->input_pos = 0;
}

static int32_t call(const struct console_caller *c, uint32_t cmd, uint32_t count, uint32_t va,
                    struct hc_cont *cont)
{
    return console_io(c, cmd, count, guest_ptr(va), cont);
}

static void test_decode(void)
{
    static const uint32_t cmds[] = { 2, 3, 0x100u, 0xFFFFFFFFu };
    struct hc_cont cont;
    unsigned i;

    reset();
    waiting("x");
    memcpy(win, "abc", 3);
    for (i = 0; i < ARRAY_SIZE(cmds); i++) {
        CHECK_EQ_CASE("HC-11 an unknown command is -ENOSYS", call(&dom0, cmds[i], 3, WIN_VA, &cont),
                      -ENOSYS);
        CHECK_EQ_CASE("HC-11 ... from any caller", call(&domu, cmds[i], 3, WIN_VA, &cont), -ENOSYS);
    }
    CHECK_EQ_CASE("HC-11 ... prints nothing", printed(), 0);
    CHECK_EQ_CASE("HC-11 ... reads nothing", hosted_cpu()->getc_calls, 0);
}

static void test_read(void)
{
    struct hc_cont cont;

    reset();
    waiting("secret");
    CHECK_EQ_CASE("HC-11 read by an unprivileged domain is -EPERM",
                  call(&domu, CONSOLEIO_read, 16, WIN_VA, &cont), -EPERM);
    CHECK_EQ_CASE("HC-11 ... takes no byte", hosted_cpu()->getc_calls, 0);
    CHECK_EQ_CASE("HC-11 dom0 reads what waits, up to count", call(&dom0, CONSOLEIO_read, 3, WIN_VA, &cont), 3);
    CHECK_EQ_CASE("HC-11 ... into its buffer", memcmp(win, "sec", 3), 0);
    CHECK_EQ_CASE("HC-11 ... and never waits for more", call(&dom0, CONSOLEIO_read, 16, WIN_VA + 8, &cont), 3);
    CHECK_EQ_CASE("HC-11 ... the rest", memcmp(win + 8, "ret", 3), 0);
    CHECK_EQ_CASE("HC-11 nothing waiting is 0", call(&dom0, CONSOLEIO_read, 16, WIN_VA, &cont), 0);
    CHECK_EQ_CASE("HC-11 count 0 is 0", call(&dom0, CONSOLEIO_read, 0, WIN_VA, &cont), 0);

    reset();
    memset(hosted_cpu()->input, 'k', 300);
    hosted_cpu()->input_len = 300;
    CHECK_EQ_CASE("HC-11 at most one chunk a call", call(&dom0, CONSOLEIO_read, 1000, WIN_VA, &cont),
                  CONS_CHUNK);
    CHECK_EQ_CASE("HC-11 ... the rest waits", hosted_cpu()->input_pos, CONS_CHUNK);
    CHECK_EQ_CASE("HC-11 a buffer that cannot take them is -EFAULT",
                  call(&dom0, CONSOLEIO_read, 16, WIN_VA + WIN_LEN - 4, &cont), -EFAULT);
    CHECK_EQ_CASE("HC-11 a buffer in the hypervisor is -EFAULT",
                  call(&dom0, CONSOLEIO_read, 16, HYPERVISOR_VIRT_START, &cont), -EFAULT);
}

static void test_write(void)
{
    struct hc_cont cont;
    uint32_t len;
    const char *out;

    reset();
    memset(win, 'a', WIN_LEN);
    CHECK_EQ_CASE("CON-1 a buffer reaching the hypervisor is -EFAULT",
                  call(&domu, CONSOLEIO_write, 16, HYPERVISOR_VIRT_START - 8, &cont), -EFAULT);
    CHECK_EQ_CASE("CON-1 ... from dom0 too",
                  call(&dom0, CONSOLEIO_write, 16, HYPERVISOR_VIRT_START - 8, &cont), -EFAULT);
    CHECK_EQ_CASE("CON-1 a chunk that cannot be read is -EFAULT",
                  call(&dom0, CONSOLEIO_write, 16, WIN_VA + WIN_LEN - 8, &cont), -EFAULT);
    CHECK_EQ_CASE("CON-1 ... prints nothing of it", printed(), 0);

    CHECK_EQ_CASE("CON-1 an unprivileged write", call(&domu, CONSOLEIO_write, 5, WIN_VA, &cont), 0);
    out = hosted_console(&len);
    CHECK_EQ_CASE("CON-1 ... prints what it copied", len == 5 && memcmp(out, "aaaaa", 5) == 0, 1);
    CHECK_EQ_CASE("CON-3 ... draws from the caller's bucket at the time now",
                  limit.tokens, CONS_RATE_DEFAULT * CONS_BURST_SECONDS - 5);
    CHECK_EQ_CASE("CON-2 a long unprivileged write", call(&domu, CONSOLEIO_write, 4000, WIN_VA, &cont), 0);
    CHECK_EQ_CASE("CON-2 ... prints one call's worth", printed(), 5 + CONS_CALL_MAX);
    CHECK_EQ_CASE("CON-4 ... the rest counted", limit.dropped, 4000 - CONS_CALL_MAX);

    reset();
    memset(win, 'b', WIN_LEN);
    CHECK_EQ_CASE("CON-2 dom0's long write is not bounded", call(&dom0, CONSOLEIO_write, 4000, WIN_VA, &cont), 0);
    CHECK_EQ_CASE("CON-2 ... every byte printed", printed(), 4000);
    CHECK_EQ_CASE("CON-3 ... nor drawn from any bucket", limit.tokens, CONS_RATE_DEFAULT * CONS_BURST_SECONDS);

    reset();
    hosted_set_preempt(1);
    CHECK_EQ_CASE("HC-6 dom0's write stops between chunks",
                  call(&dom0, CONSOLEIO_write, 300, WIN_VA, &cont), -ERESTART);
    CHECK_EQ_CASE("HC-6 ... issued again as a write", cont.args[0], CONSOLEIO_write);
    CHECK_EQ_CASE("HC-6 ... of the bytes left", cont.args[1], 300 - CONS_CHUNK);
    CHECK_EQ_CASE("HC-6 ... past those printed", cont.args[2], WIN_VA + CONS_CHUNK);
    CHECK_EQ_CASE("HC-6 an unprivileged write never stops",
                  call(&domu, CONSOLEIO_write, 300, WIN_VA, &cont), 0);
    hosted_set_preempt(0);
}

int main(void)
{
    test_decode();
    test_read();
    test_write();
    hosted_env_fini();
    return check_report();
}
