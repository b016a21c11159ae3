/*
 * Every domain's x87/SSE state is its own: it is saved and restored
 * eagerly on every switch (FXSAVE/FXRSTOR), so no domain can read the
 * registers another left behind. The hypervisor itself never uses the
 * FPU (it is built with -mgeneral-regs-only).
 */
#include "arch/cpu.h"
#include "arch/fpu.h"
#include "arch/mm.h"
#include "printk.h"
#include "string.h"

static uint8_t clean_state[512] __attribute__((aligned(16)));

void fpu_init(void)
{
    uint32_t a, b, c, d;

    cpuid_count(1, 0, &a, &b, &c, &d);
    if (!(d & (1u << 24)) || !(d & (1u << 0)))
        panic("fpu: the CPU has no FXSAVE/x87; Bulkhead needs both");
    write_cr0((read_cr0() & ~CR0_EM & ~CR0_TS) | CR0_MP | CR0_NE);
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    mm_cr4_changed();
    fninit();
    fxsave(clean_state);         /* the state a new domain starts from */
}

void fpu_init_area(void *area)
{
    memcpy(area, clean_state, sizeof(clean_state));
}

void fpu_switch(void *save_to, const void *load_from)
{
    if (save_to)
        fxsave(save_to);
    fxrstor(load_from);
}
