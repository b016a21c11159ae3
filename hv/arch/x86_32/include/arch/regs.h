/*
 * The register frame built on the hypervisor stack at every entry. Its
 * layout is Xen's 32-bit cpu_user_regs (68 bytes), which is also the frame
 * a guest sees in vcpu_guest_context, so no translation is ever needed.
 * The four data-segment slots sit above SS: TSS.esp0 points 16 bytes below
 * the stack top so the CPU's frame leaves room for them.
 */
#ifndef ARCH_REGS_H
#define ARCH_REGS_H

#include <stddef.h>
#include <stdint.h>

struct cpu_regs {
    uint32_t ebx, ecx, edx, esi, edi, ebp, eax;
    uint16_t error_code;
    uint16_t entry_vector;
    uint32_t eip;
    uint16_t cs;
    uint8_t  saved_upcall_mask;
    uint8_t  pad0;
    uint32_t eflags;
    uint32_t esp;       /* only when entered from ring 1..3 */
    uint32_t ss;
    uint32_t es, ds, fs, gs;
};

_Static_assert(sizeof(struct cpu_regs) == 68, "cpu_regs is Xen's cpu_user_regs");
_Static_assert(offsetof(struct cpu_regs, error_code) == 28, "error_code");
_Static_assert(offsetof(struct cpu_regs, eip) == 32, "eip");
_Static_assert(offsetof(struct cpu_regs, cs) == 36, "cs");
_Static_assert(offsetof(struct cpu_regs, eflags) == 40, "eflags");
_Static_assert(offsetof(struct cpu_regs, esp) == 44, "esp");
_Static_assert(offsetof(struct cpu_regs, es) == 52, "es");
_Static_assert(offsetof(struct cpu_regs, gs) == 64, "gs");

static inline unsigned regs_ring(const struct cpu_regs *r)
{
    return r->cs & 3u;
}

#endif
