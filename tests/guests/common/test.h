/*
 * Shared helpers for guest scenarios: checks that count failures, and the
 * verdict line the runner reads ("Test result: SUCCESS|FAILURE|ERROR|SKIP").
 * A verdict can only get worse: one failed check makes the run FAILURE.
 */
#ifndef TEST_GUEST_TEST_H
#define TEST_GUEST_TEST_H

#include "guest.h"

extern unsigned test_failures, test_checks;

#define CHECK_RC(what, got, want) test_check_rc((what), (int32_t)(got), (int32_t)(want))

void test_check_rc(const char *what, int32_t got, int32_t want);
void test_check(const char *what, int ok);
/* The decimal number right after `key` in `cmdline` ("peer=" in "ping peer=2"), 0 if absent. */
uint32_t test_cmdline_number(const char *cmdline, const char *key);
/* Print the verdict and power off; never returns. */
void test_finish(void) __attribute__((noreturn));
void test_skip(const char *why) __attribute__((noreturn));

#endif
