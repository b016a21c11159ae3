/* Verdict bookkeeping for guest scenarios (see test.h). */
#include "pv/sched.h"
#include "test.h"

unsigned test_failures, test_checks;

void test_check_rc(const char *what, int32_t got, int32_t want)
{
    test_checks++;
    if (got == want)
        return;
    test_failures++;
    gprintf("FAILED: %s: got %d, want %d\n", what, got, want);
}

uint32_t test_cmdline_number(const char *cmdline, const char *key)
{
    const char *p = strstr(cmdline, key);
    uint32_t v = 0;

    if (!p)
        return 0;
    for (p += strlen(key); *p >= '0' && *p <= '9'; p++)
        v = v * 10 + (uint32_t)(*p - '0');
    return v;
}

void test_check(const char *what, int ok)
{
    test_checks++;
    if (ok)
        return;
    test_failures++;
    gprintf("FAILED: %s\n", what);
}

void test_finish(void)
{
    gprintf("%u checks, %u failed\n", test_checks, test_failures);
    gprintf("Test result: %s\n", test_failures ? "FAILURE" : "SUCCESS");
    guest_shutdown(SHUTDOWN_poweroff);
}

void test_skip(const char *why)
{
    gprintf("Test result: SKIP (%s)\n", why);
    guest_shutdown(SHUTDOWN_poweroff);
}
