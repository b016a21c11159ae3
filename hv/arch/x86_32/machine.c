/*
 * Power-off and test-mode exit. In test mode the isa-debug-exit device at
 * port 0xF4 ends QEMU with status (v << 1) | 1, so a test learns the
 * verdict at once instead of waiting for a timeout. Elsewhere we try the
 * ACPI power-off ports QEMU and Bochs decode, then halt (BOOT-6, BOOT-7).
 */
#include "machine.h"
#include "printk.h"
#include "arch/cpu.h"

bool test_mode;

#define DEBUG_EXIT_PORT 0xF4

void machine_exit(enum exit_status status)
{
    cli();
    if (test_mode)
        outl(DEBUG_EXIT_PORT, (uint32_t)status);
    printk("Bulkhead: machine stopped (status %d).\n", (int)status);
    outw(0x604, 0x2000);    /* QEMU i440fx/q35 ACPI PM1a: S5 */
    outw(0xB004, 0x2000);   /* Bochs and older QEMU */
    for (;;)
        halt();
}
