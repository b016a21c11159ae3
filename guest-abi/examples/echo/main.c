/*
 * A guest that talks on its PV console: it shows a prompt, reads what
 * the operator types at dom0's `console <dom>`, answers, and powers off
 * on `quit`. The `make run` demo starts it, so `console` has someone to
 * talk to. Quiet otherwise: it waits for input, it prints nothing unasked.
 */
#include "consfront.h"
#include "guest.h"
#include "pv/errno.h"

#define WAIT_NS (3600ull * 1000000000ull)

static void say(const char *s)
{
    consfront_write(s, (uint32_t)strlen(s));
}

/*
 * One line typed at the console, echoed as it comes as a terminal would
 * (Enter arrives as '\n'; DEL or ^H takes a character back); -1 if the
 * console fails.
 */
static int read_line(char *line, uint32_t size)
{
    uint32_t n = 0;

    for (;;) {
        char c, echo[2] = { 0, 0 };
        int rc = consfront_read(&c, 1, WAIT_NS);
        if (rc == -ETIMEDOUT)
            continue;
        if (rc < 0)
            return -1;
        if (c == '\n')
            break;
        if ((c == 0x7f || c == 0x08) && n > 0) {
            n--;
            say("\b \b");
        } else if (c >= 0x20 && c < 0x7f && n + 1 < size) {
            line[n++] = c;
            echo[0] = c;
            say(echo);
        }
    }
    say("\n");
    line[n] = '\0';
    return (int)n;
}

int guest_main(struct start_info *si)
{
    char line[128], answer[160];
    uint32_t lines = 0;

    (void)si;
    if (consfront_open())
        return 1;
    say("echo: type a line and I say it back; 'quit' stops me\n");
    for (;;) {
        say("echo> ");
        if (read_line(line, sizeof(line)) < 0)
            return 1;
        if (!strcmp(line, "quit"))
            break;
        snprintf(answer, sizeof(answer), "echo: you said '%s' (line %u)\n", line, ++lines);
        say(answer);
    }
    say("echo: bye\n");
    return 0;
}
