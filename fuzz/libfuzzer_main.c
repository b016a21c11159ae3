/*
 * libFuzzer entry point on the same executor as the AFL++ harness. The
 * machine is built on the first call; every call resets it.
 */
#include <stddef.h>
#include <stdint.h>

#include "exec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;

    if (!ready) {
        exec_init();
        ready = 1;
    }
    exec_bytes(data, size, 0);
    return 0;
}
