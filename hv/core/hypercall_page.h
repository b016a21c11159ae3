/*
 * The hypercall page a PV kernel calls into (facts sheet §1.3): 128 slots
 * of 32 bytes, slot n = `mov $n, %eax; int $0x82; ret`, except slot 23
 * (iret), which is jumped to and never returns: `push %eax; mov $23,
 * %eax; int $0x82`. Everything else is int3.
 */
#ifndef CORE_HYPERCALL_PAGE_H
#define CORE_HYPERCALL_PAGE_H

#include "pt_ctx.h"
#include "types.h"

/*@ requires \valid((uint8_t *)page + (0 .. PAGE_SIZE - 1));
    assigns ((uint8_t *)page)[0 .. PAGE_SIZE - 1];
*/
void hypercall_page_fill(void *page);

/*
 * Write the hypercall page into frame `mfn` of ctx's domain (the
 * builder's domctl, or the guest's write of the hypercall-page MSR).
 * PT-40: the frame is held writable for the write, so a page table, a
 * descriptor table or another domain's frame is never written: -EINVAL
 * (or -EOVERFLOW at the count limit) and nothing changes.
 */
int hypercall_page_install(struct pt_ctx *ctx, uint32_t mfn);

#endif
