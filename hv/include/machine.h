/*
 * Leaving the machine: power off, or (in test mode) exit QEMU through the
 * isa-debug-exit device with a status the test runner understands.
 * The status values are part of the boot protocol (spec/boot.md).
 */
#ifndef HV_MACHINE_H
#define HV_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

enum exit_status {
    EXIT_DOM0_POWEROFF = 0,   /* QEMU exits with status 1 */
    EXIT_DOM0_CRASH    = 1,   /* status 3 */
    EXIT_PANIC         = 2,   /* status 5 */
    EXIT_DOM0_OTHER    = 3,   /* status 7: reboot, suspend, watchdog ... */
    EXIT_BAD_IMAGE     = 4,   /* status 9: dom0 image refused at boot */
};

extern bool test_mode;

void machine_exit(enum exit_status status) __attribute__((noreturn));

#endif
