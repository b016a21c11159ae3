/*
 * Unit tests for dom0's console log (dom0/cons_log.c, spec/dom0.md
 * DOM0-5): lines go in and come out whole, the oldest go first when the
 * log is full and are counted, and a reader that fell behind learns how
 * many lines it missed.
 */
#include "check.h"
#include "cons_log.h"

static struct cons_log log_;

static void add(const char *s)
{
    cons_log_append(&log_, s, (uint32_t)strlen(s));
}

static void test_basic(void)
{
    char out[CONS_LOG_SIZE + 1];
    uint64_t next = 0;
    uint32_t lost = 7, n;

    cons_log_init(&log_);
    CHECK_EQ(cons_log_read(&log_, &next, out, sizeof(out), &lost), 0);
    CHECK_EQ(lost, 0);
    add("one");
    add("");
    add("three");
    CHECK_EQ(log_.lines, 3);
    n = cons_log_read(&log_, &next, out, sizeof(out), &lost);
    out[n] = '\0';
    CHECK(!strcmp(out, "one\n\nthree\n"));
    CHECK_EQ(next, 3);
    CHECK_EQ(cons_log_read(&log_, &next, out, sizeof(out), &lost), 0);
    /* the tail: the last n lines, or all */
    next = cons_log_tail(&log_, 1);
    n = cons_log_read(&log_, &next, out, sizeof(out), &lost);
    out[n] = '\0';
    CHECK(!strcmp(out, "three\n"));
    CHECK_EQ(cons_log_tail(&log_, 99), 0);
    /* a buffer too small for the next line: nothing, and the reader stays */
    next = 0;
    CHECK_EQ(cons_log_read(&log_, &next, out, 3, &lost), 0);
    CHECK_EQ(next, 0);
    CHECK_EQ(cons_log_read(&log_, &next, out, 5, &lost), 5);    /* "one\n\n" */
    CHECK_EQ(next, 2);
}

/* DOM0-5: bounded; the oldest lines go, whole, and are counted. */
static void test_full(void)
{
    char out[CONS_LOG_SIZE + 1], line[64];
    uint64_t next = 0;
    uint32_t lost, n, i, kept;

    cons_log_init(&log_);
    for (i = 0; i < 1000; i++) {
        snprintf(line, sizeof(line), "line %04u", i);     /* 10 bytes with the newline */
        add(line);
        CHECK(log_.head - log_.first <= CONS_LOG_SIZE);
    }
    kept = CONS_LOG_SIZE / 10;
    CHECK_EQ(log_.lines, kept);
    CHECK_EQ(log_.dropped, 1000 - kept);
    CHECK_EQ(log_.total, 1000);
    n = cons_log_read(&log_, &next, out, sizeof(out), &lost);
    CHECK_EQ(lost, 1000 - kept);
    CHECK_EQ(n, kept * 10);
    out[n] = '\0';
    snprintf(line, sizeof(line), "line %04u\n", 1000 - kept);
    CHECK(!strncmp(out, line, 10));                     /* starts at a whole line */
    CHECK(!strcmp(out + n - 10, "line 0999\n"));
    CHECK_EQ(next, 1000);
    /* a line as long as the log is cut to fit and pushes out everything else */
    {
        static char big[CONS_LOG_SIZE + 100];
        memset(big, 'x', sizeof(big));
        cons_log_append(&log_, big, sizeof(big));
        CHECK_EQ(log_.lines, 1);
        CHECK_EQ(log_.head - log_.first, CONS_LOG_SIZE);
        n = cons_log_read(&log_, &next, out, sizeof(out), &lost);
        CHECK_EQ(lost, 0);
        CHECK_EQ(n, CONS_LOG_SIZE);
        CHECK_EQ(out[CONS_LOG_SIZE - 1], '\n');
        add("after");
        CHECK_EQ(log_.lines, 1);
        n = cons_log_read(&log_, &next, out, sizeof(out), &lost);
        out[n] = '\0';
        CHECK(!strcmp(out, "after\n"));
    }
}

int main(void)
{
    test_basic();
    test_full();
    return check_report();
}
