/*
 * AFL++ persistent-mode harness: the machine is built once before the
 * fork server starts (deferred initialisation), then each test case is
 * read from shared memory and run on a fast-reset machine, up to 100000
 * cases per process. A finding aborts, which AFL++ records as a crash.
 *
 * Built with afl-clang-fast; under any other compiler (the linters) the
 * AFL++ macros fall back to reading one input from stdin.
 */
#include <stdint.h>
#include <unistd.h>

#include "exec.h"

#ifndef __AFL_FUZZ_TESTCASE_LEN
static ssize_t fallback_len;
static unsigned char fallback_buf[PROG_MAX_BYTES];
#define __AFL_FUZZ_TESTCASE_LEN fallback_len
#define __AFL_FUZZ_TESTCASE_BUF fallback_buf
#define __AFL_FUZZ_INIT() void afl_fallback_init(void)
#define __AFL_INIT() ((void)0)
#define __AFL_LOOP(x) \
    ((fallback_len = read(0, fallback_buf, sizeof(fallback_buf))) > 0 ? 1 : 0)
#endif

__AFL_FUZZ_INIT();

int main(void)
{
    unsigned char *buf;

    exec_init();
    __AFL_INIT();
    buf = __AFL_FUZZ_TESTCASE_BUF;         /* after __AFL_INIT, before the loop */
    while (__AFL_LOOP(100000)) {
        ssize_t len = __AFL_FUZZ_TESTCASE_LEN;

        exec_bytes(buf, len > 0 ? (size_t)len : 0, 0);
    }
    return 0;
}
