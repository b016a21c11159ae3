/*
 * A minimal table-driven test harness for the hosted unit tests.
 *
 * Each test program calls CHECK*() as often as it likes and ends with
 * `return check_report();`, which prints one summary line and makes the
 * exit status non-zero when any check failed.
 */
#ifndef TEST_CHECK_H
#define TEST_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static unsigned check_passed, check_failed;

static inline void check_at(int ok, const char *what, const char *file, int line)
{
    if (ok) {
        check_passed++;
        return;
    }
    check_failed++;
    fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, what);
}

#define CHECK(cond) check_at(!!(cond), #cond, __FILE__, __LINE__)

#define CHECK_EQ(got, want)                                                   \
    do {                                                                      \
        long long got_ = (long long)(got), want_ = (long long)(want);         \
        char what_[256];                                                      \
        snprintf(what_, sizeof(what_), "%s == %s (got %lld, want %lld)",      \
                 #got, #want, got_, want_);                                   \
        check_at(got_ == want_, what_, __FILE__, __LINE__);                   \
    } while (0)

/* Same as CHECK_EQ, with a case name for table-driven loops. */
#define CHECK_EQ_CASE(name, got, want)                                        \
    do {                                                                      \
        long long got_ = (long long)(got), want_ = (long long)(want);         \
        char what_[320];                                                      \
        snprintf(what_, sizeof(what_), "[%s] %s == %s (got %lld, want %lld)", \
                 (name), #got, #want, got_, want_);                           \
        check_at(got_ == want_, what_, __FILE__, __LINE__);                   \
    } while (0)

/* got >= floor, with a case name. */
#define CHECK_CASE_GE(name, got, floor)                                       \
    do {                                                                      \
        long long got_ = (long long)(got), floor_ = (long long)(floor);       \
        char what_[320];                                                      \
        snprintf(what_, sizeof(what_), "[%s] %s >= %s (got %lld, want >= %lld)", \
                 (name), #got, #floor, got_, floor_);                         \
        check_at(got_ >= floor_, what_, __FILE__, __LINE__);                  \
    } while (0)

static inline int check_report_named(const char *prog)
{
    printf("%s: %u checks passed, %u failed\n", prog, check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#define check_report() check_report_named(__FILE__)

#endif
