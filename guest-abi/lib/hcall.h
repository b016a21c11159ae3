/*
 * Hypercalls through the hypercall page: `call hypercall_page + nr * 32`
 * with arguments in EBX, ECX, EDX, ESI, EDI and the result in EAX. Every
 * argument register is treated as clobbered, as Xen's ABI allows.
 */
#ifndef GUEST_HCALL_H
#define GUEST_HCALL_H

#include <stdint.h>

#include "pv/hypercall.h"

extern char hypercall_page[];

static inline int32_t hcall5(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3,
                             uint32_t a4, uint32_t a5)
{
    int32_t ret;
    uint32_t b = a1, c = a2, d = a3, s = a4, di = a5;

    __asm__ volatile("call *%[fn]"
                     : "=a"(ret), "+b"(b), "+c"(c), "+d"(d), "+S"(s), "+D"(di)
                     : [fn] "r"(hypercall_page + nr * HYPERCALL_PAGE_SLOT_SIZE)
                     : "memory");
    return ret;
}

static inline int32_t hcall0(uint32_t nr) { return hcall5(nr, 0, 0, 0, 0, 0); }
static inline int32_t hcall1(uint32_t nr, uint32_t a1) { return hcall5(nr, a1, 0, 0, 0, 0); }
static inline int32_t hcall2(uint32_t nr, uint32_t a1, uint32_t a2) { return hcall5(nr, a1, a2, 0, 0, 0); }
static inline int32_t hcall3(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3)
{
    return hcall5(nr, a1, a2, a3, 0, 0);
}
static inline int32_t hcall4(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4)
{
    return hcall5(nr, a1, a2, a3, a4, 0);
}

/* A guest pointer as the ABI's 32-bit value. */
#define GPTR(p) ((uint32_t)(uintptr_t)(p))

/*
 * The raw trap, bypassing the hypercall page: for tests of the gate itself
 * and for reporting an unfilled page.
 */
static inline int32_t hcall_raw3(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3)
{
    int32_t ret;
    uint32_t b = a1, c = a2, d = a3;

    __asm__ volatile("int $0x82" : "=a"(ret), "+b"(b), "+c"(c), "+d"(d) : "a"(nr) : "memory", "esi", "edi");
    return ret;
}

#endif
