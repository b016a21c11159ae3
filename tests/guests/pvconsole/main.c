/*
 * The PV console from the guest's side (spec/devices.md): output through
 * the ring reaches the serial line with the guest's name in front, and a
 * line typed at dom0's `console <id>` arrives through the input ring.
 * 300 numbered lines check that a writer faster than the backend loses
 * nothing (the writer waits for room).
 */
#include "consfront.h"
#include "test.h"

static void say(const char *fmt, ...)
{
    char buf[128];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    CHECK_RC("ring write", consfront_write(buf, (uint32_t)n), 0);
}

static int read_line(char *line, uint32_t size)
{
    uint32_t n = 0;

    while (n + 1 < size) {
        char c;
        int rc = consfront_read(&c, 1, 60000000000ull);
        if (rc < 0)
            return rc;
        if (c == '\n')
            break;
        line[n++] = c;
    }
    line[n] = '\0';
    return (int)n;
}

int guest_main(struct start_info *si)
{
    char line[80];
    uint32_t i;

    test_check("console port given", si->console.domU.evtchn != 0);
    CHECK_RC("open the console ring", consfront_open(), 0);
    say("pvconsole: ready for input\n");
    test_check("a line typed at dom0 arrives", read_line(line, sizeof(line)) > 0);
    say("pvconsole: got '%s'\n", line);
    for (i = 0; i < 300; i++)
        say("pvconsole: line %u of 300\n", i + 1);
    test_finish();
}
