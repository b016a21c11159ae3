/*
 * Unit tests for dom0's line editor (dom0/line_edit.c, spec/dom0.md
 * DOM0-4): each case types what a terminal sends and checks the line
 * that comes out, the result, and what the terminal was told to show.
 */
#include "check.h"
#include "line_edit.h"

static struct line_edit le;
static char shown[8192];

/* Type `keys` (a C string; "\x1b[A" is Up); the last result, all echo in `shown`. */
static enum le_result type(const char *keys)
{
    enum le_result r = LE_MORE;
    char echo[LE_ECHO_MAX];

    shown[0] = '\0';
    for (; *keys; keys++) {
        r = le_feed(&le, (uint8_t)*keys, echo);
        CHECK(strlen(echo) < LE_ECHO_MAX);
        if (strlen(shown) + strlen(echo) < sizeof(shown))
            memcpy(shown + strlen(shown), echo, strlen(echo) + 1);
    }
    return r;
}

static void test_typing(void)
{
    le_init(&le);
    CHECK_EQ(type("list"), LE_MORE);
    CHECK(!strcmp(shown, "list"));
    CHECK_EQ(type("\r"), LE_LINE);
    CHECK(!strcmp(le.line, "list"));
    CHECK(!strcmp(shown, "\n"));
    /* CR LF is one Enter; the next line starts empty */
    CHECK_EQ(type("mem\r"), LE_LINE);
    CHECK(!strcmp(le.line, "mem"));
    CHECK_EQ(type("\n"), LE_MORE);
    CHECK(!strcmp(shown, ""));
    CHECK_EQ(type("\n"), LE_LINE);
    CHECK(!strcmp(le.line, ""));
    /* backspace (DEL and ^H) removes the last character, on screen too */
    CHECK_EQ(type("lisy\x7ft\r"), LE_LINE);
    CHECK(!strcmp(le.line, "list"));
    CHECK(!strcmp(shown, "lisy\b \bt\n"));
    CHECK_EQ(type("ab\x08\x08\x08x\r"), LE_LINE);
    CHECK(!strcmp(le.line, "x"));
    /* Ctrl-U the whole line, Ctrl-W the last word */
    CHECK_EQ(type("destroy 7\x15list\r"), LE_LINE);
    CHECK(!strcmp(le.line, "list"));
    CHECK_EQ(type("pause 3  \x17unpause 4\r"), LE_LINE);
    CHECK(!strcmp(le.line, "pause unpause 4"));
    /* a tab is a space; other control bytes are neither stored nor shown */
    CHECK_EQ(type("a\tb\x01\x02\x04\x1d\r"), LE_LINE);
    CHECK(!strcmp(le.line, "a b"));
    CHECK(!strcmp(shown, "a b\n"));
}

static void test_cancel(void)
{
    le_init(&le);
    CHECK_EQ(type("destroy 1"), LE_MORE);
    CHECK_EQ(type("\x03"), LE_CANCEL);
    CHECK(!strcmp(shown, "^C\n"));
    CHECK_EQ(type("list\r"), LE_LINE);
    CHECK(!strcmp(le.line, "list"));
    /* Ctrl-C in the middle of an escape sequence still cancels */
    CHECK_EQ(type("x\x1b[\x03"), LE_CANCEL);
    CHECK_EQ(type("A\r"), LE_LINE);
    CHECK(!strcmp(le.line, "A"));
    /* a cancelled line does not enter the history */
    le_init(&le);
    CHECK_EQ(type("secret\x03"), LE_CANCEL);
    CHECK_EQ(type("\x1b[A"), LE_MORE);
    CHECK(!strcmp(le.line, ""));
    CHECK(!strcmp(shown, "\a"));
}

static void test_history(void)
{
    le_init(&le);
    CHECK_EQ(type("list\r"), LE_LINE);
    CHECK_EQ(type("mem\r"), LE_LINE);
    CHECK_EQ(type("mem\r"), LE_LINE);           /* a repeat is one entry */
    CHECK_EQ(type("\x1b[A"), LE_MORE);
    CHECK(!strcmp(le.line, "mem"));
    CHECK_EQ(type("\x1b[A"), LE_MORE);
    CHECK(!strcmp(le.line, "list"));
    CHECK(!strcmp(shown, "\b \b\b \b\b \blist"));
    CHECK_EQ(type("\x1b[A"), LE_MORE);          /* nothing older: the bell */
    CHECK(!strcmp(le.line, "list"));
    CHECK(!strcmp(shown, "\a"));
    CHECK_EQ(type("\x1bOB"), LE_MORE);          /* application-mode Down */
    CHECK(!strcmp(le.line, "mem"));
    CHECK_EQ(type("\x1b[B"), LE_MORE);          /* past the newest: an empty line */
    CHECK(!strcmp(le.line, ""));
    CHECK_EQ(type("\x1b[A\x7f\x7f\x7flist\r"), LE_LINE);  /* a recalled line is edited */
    CHECK(!strcmp(le.line, "list"));
    /* arrows right, left, delete and function keys change nothing */
    CHECK_EQ(type("ab\x1b[C\x1b[D\x1b[3~\x1b[15~\x1b[1;5A"), LE_MORE);
    CHECK(!strcmp(le.line, "list"));            /* Ctrl-Up is an Up too */
    CHECK_EQ(type("\x15"), LE_MORE);
    /* the history keeps the newest LE_HISTORY lines */
    le_init(&le);
    for (unsigned i = 0; i < LE_HISTORY + 5; i++) {
        char cmd[16];
        snprintf(cmd, sizeof(cmd), "echo %u\r", i);
        CHECK_EQ(type(cmd), LE_LINE);
    }
    for (unsigned i = 0; i < LE_HISTORY; i++)
        CHECK_EQ(type("\x1b[A"), LE_MORE);
    CHECK(!strcmp(le.line, "echo 5"));
    CHECK_EQ(type("\x1b[A"), LE_MORE);
    CHECK(!strcmp(le.line, "echo 5"));
}

/* DOM0-4: a line typed past the limit is refused whole, never cut and run. */
static void test_too_long(void)
{
    char keys[400];
    unsigned n = 0;

    le_init(&le);
    n += (unsigned)snprintf(keys, sizeof(keys), "destroy 77");
    while (n < 170)
        keys[n++] = ' ';
    keys[n++] = '5';
    keys[n] = '\0';
    CHECK_EQ(type(keys), LE_MORE);
    CHECK_EQ(le.len, LE_LINE_MAX);
    CHECK_EQ(le.extra, 171 - LE_LINE_MAX);
    CHECK(strchr(shown, '\a') && !strchr(strchr(shown, '\a') + 1, '\a'));   /* one bell */
    CHECK_EQ(type("\r"), LE_TOO_LONG);
    CHECK_EQ(type("\x1b[A"), LE_MORE);                      /* not in the history */
    CHECK(!strcmp(le.line, ""));
    /* backspace takes the uncounted characters back first */
    CHECK_EQ(type("\x15"), LE_MORE);
    memset(keys, 'x', LE_LINE_MAX + 2);
    keys[LE_LINE_MAX + 2] = '\0';
    CHECK_EQ(type(keys), LE_MORE);
    CHECK_EQ(type("\x7f\x7f"), LE_MORE);
    CHECK(!strcmp(shown, ""));
    CHECK_EQ(type("\r"), LE_LINE);
    CHECK_EQ(le.len, LE_LINE_MAX);
    /* the longest history line replaces the longest line within the echo bound */
    CHECK_EQ(type(keys), LE_MORE);
    CHECK_EQ(type("\x15"), LE_MORE);
    memset(keys, 'y', LE_LINE_MAX);
    keys[LE_LINE_MAX] = '\0';
    CHECK_EQ(type(keys), LE_MORE);
    CHECK_EQ(type("\x1b[A"), LE_MORE);
    CHECK_EQ(strlen(shown), 4 * LE_LINE_MAX);
    CHECK_EQ(le.line[0], 'x');
    CHECK_EQ(type("\x03"), LE_CANCEL);
    CHECK_EQ(le.len, 0);
}

int main(void)
{
    test_typing();
    test_cancel();
    test_history();
    test_too_long();
    return check_report();
}
