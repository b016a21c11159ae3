/*
 * Guest-kernel traps for programs on the runtime: a virtual IDT with C
 * handlers, entering ring 3, and the event upcall.
 */
#ifndef GUEST_TRAPS_H
#define GUEST_TRAPS_H

#include <stdint.h>

/* What a handler sees; changing eip/eax changes where and how it resumes. */
struct trap_frame {
    uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;   /* pushal */
    uint32_t vector, error;
    uint32_t eip, cs, eflags;
    uint32_t esp, ss;            /* valid only when (cs & 3) == 3 */
};

typedef void trap_handler_fn(struct trap_frame *f);

#define TRAP_EVENT 256           /* the event upcall's pseudo vector */

/*
 * Install the virtual IDT: exceptions 0-19, the software-interrupt test
 * vectors 0x20 (DPL 1), 0x40 (DPL 1), 0x41 (DPL 0: refused from ring 1
 * and 3), 0x80 (DPL 3, a trap gate: the direct system-call path that
 * never enters the hypervisor) and 0x81 (DPL 3 through the hypervisor),
 * plus the event callback and a ring-1 stack for entries from ring 3.
 */
int traps_init(void);
void traps_set_handler(uint32_t vector, trap_handler_fn *fn);

/* Run fn in ring 3 on user_stack_top until it calls the exit system call. */
uint32_t user_run(void (*fn)(void), uint32_t user_stack_top);
/* The same, entering ring 3 with `eflags` in the iret frame (IF, IOPL). */
uint32_t user_run_eflags(void (*fn)(void), uint32_t user_stack_top, uint32_t eflags);
/* From a system-call handler: leave ring 3 for good, user_run returns value. */
void user_return(uint32_t value) __attribute__((noreturn));

/* Map the pages of [start, end) user-accessible (US) so ring 3 can use them. */
int traps_make_user(uint32_t start, uint32_t end);

#endif
