/*
 * The hypercall page a PV kernel calls into (facts sheet §1.3): 128 slots
 * of 32 bytes, slot n = `mov $n, %eax; int $0x82; ret`, except slot 23
 * (iret), which is jumped to and never returns: `push %eax; mov $23,
 * %eax; int $0x82`. Everything else is int3.
 */
#ifndef CORE_HYPERCALL_PAGE_H
#define CORE_HYPERCALL_PAGE_H

#include "types.h"

/*@ requires \valid((uint8_t *)page + (0 .. PAGE_SIZE - 1));
    assigns ((uint8_t *)page)[0 .. PAGE_SIZE - 1];
*/
void hypercall_page_fill(void *page);

#endif
