/*
 * Every domain's x87/SSE state is its own: it is saved and restored
 * eagerly on every switch (FXSAVE/FXRSTOR, FPU-6), so no domain can read
 * the registers another left behind. The hypervisor itself never uses the
 * FPU otherwise (it is built with -mgeneral-regs-only). A guest's CR0.TS
 * is virtual (hv/core/fpu_virt.h): the real TS may be set when a switch
 * begins, so the switch clears it before its first FPU instruction
 * (FPU-1), and the scheduler then loads the incoming vCPU's TS (FPU-3).
 * Where FXRSTOR would leave the outgoing domain's last instruction and
 * data pointers in place, they are overwritten first (FPU-5).
 */
#include "arch/cpu.h"
#include "arch/fpu.h"
#include "arch/mm.h"
#include "fpu_virt.h"
#include "printk.h"
#include "string.h"

static uint8_t clean_state[512] __attribute__((aligned(16)));
static bool zap_ptrs;
static const int32_t zap_value;                  /* what FPU-5's FILD loads */

static bool cpu_ptrs_leak(void)
{
    struct fpu_cpu_id id;
    uint32_t a, b, c, d;

    memset(&id, 0, sizeof(id));
    cpuid_count(0, 0, &a, &id.vendor_ebx, &id.vendor_ecx, &id.vendor_edx);
    cpuid_count(0x80000000u, 0, &id.max_ext_leaf, &b, &c, &d);
    if (id.max_ext_leaf >= 0x80000008u && id.max_ext_leaf <= 0x8FFFFFFFu)
        cpuid_count(0x80000008u, 0, &a, &id.ext8_ebx, &c, &d);
    return fpu_ptrs_leak(&id);
}

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
    zap_ptrs = cpu_ptrs_leak();
    if (zap_ptrs)
        log_info("fpu: FXRSTOR keeps the x87 FIP/FDP/FOP here: cleared on every switch\n");
}

void fpu_init_area(void *area)
{
    memcpy(area, clean_state, sizeof(clean_state));
}

void fpu_switch(void *save_to, const void *load_from)
{
    const uint16_t *img = load_from;             /* FXSAVE image: FCW at 0, FSW at 2 */

    clts();                                      /* FPU-1: whatever TS the guest left */
    if (save_to)
        fxsave(save_to);
    if (fpu_zap_before_restore(zap_ptrs, img[1], img[0]))
        fpu_zap_pointers(&zap_value);            /* FPU-5 */
    fxrstor(load_from);
}
