/*
 * The guest's CR0.TS and the FPU state on a domain switch (FPU-1..FPU-6
 * in spec/emulation.md).
 *
 * Theory of operation. Every domain's x87/SSE state is its own and is
 * switched eagerly: saved when the domain leaves the CPU, restored when it
 * comes back (FPU-6). A PV kernel may still run its own lazy FPU switching
 * through CR0.TS, but that TS is virtual: a per-vCPU flag the guest sets
 * with fpu_taskswitch(1) or MOV to CR0, clears with fpu_taskswitch(0),
 * CLTS or MOV to CR0, and which the delivery of #NM clears (FPU-2, FPU-4).
 * The real TS mirrors it only while that vCPU runs (FPU-3), so the guest's
 * FPU instructions fault exactly when its kernel asked; the hypervisor's
 * own FPU work (FXSAVE, FXRSTOR, the pointer zap) runs with the real TS
 * clear whatever any guest set (FPU-1): a #NM in ring 0 would be fatal.
 *
 * On CPUs whose FXSAVE/FXRSTOR skip the x87 last-instruction pointer,
 * last-data pointer and last opcode unless an unmasked exception is
 * pending, the values the outgoing domain left would survive the restore;
 * the switch then overwrites them first with hypervisor-chosen values
 * (FPU-5, as Xen).
 *
 * These functions decide; the arch glue reads the CPU and applies, and
 * fpu_taskswitch_op() asks it through env.h (env_fpu_ts_set()).
 */
#ifndef CORE_FPU_VIRT_H
#define CORE_FPU_VIRT_H

#include "types.h"

#define FPU_CR0_TS (1u << 3)

/* FPU-2: what MOV from CR0 shows: the real CR0 with the virtual TS. */
uint32_t fpu_guest_cr0(uint32_t real_cr0, bool virt_ts);

/* FPU-3: the real CR0 to run a vCPU with: TS exactly its virtual TS. */
uint32_t fpu_vcpu_cr0(uint32_t real_cr0, bool virt_ts);

/* FPU-3: fpu_taskswitch(set): any non-zero argument sets TS, as Xen. */
bool fpu_taskswitch_ts(uint32_t arg);

/*
 * FPU-3, fpu_taskswitch(arg) (hypercall 5): *virt_ts becomes
 * fpu_taskswitch_ts(arg) and the real TS is asked to follow it
 * (env_fpu_ts_set()). Always 0, as Xen.
 */
int32_t fpu_taskswitch_op(bool *virt_ts, uint32_t arg);

/*
 * FPU-3, EMUL-15: MOV to CR0. `cur` is what the guest reads now
 * (fpu_guest_cr0); a value that changes any bit but TS is -EPERM (#GP(0))
 * and *virt_ts is left alone; otherwise 0 and *virt_ts is the new TS.
 */
int fpu_cr0_write(uint32_t cur, uint32_t value, bool *virt_ts);

/* FPU-4: what to do with a #NM a guest ring raised. */
enum fpu_nm_action {
    FPU_NM_DELIVER = 1,      /* TS was set: clear it (virtual and real), deliver #NM */
    FPU_NM_RETRY = 2,        /* TS was clear: clear the real TS, retry; nothing delivered */
};
enum fpu_nm_action fpu_nm_decide(bool virt_ts);

/* FPU-5: the CPUID facts the pointer decision needs. */
struct fpu_cpu_id {
    uint32_t vendor_ebx, vendor_edx, vendor_ecx;   /* CPUID 0 */
    uint32_t max_ext_leaf;                         /* CPUID 0x80000000 EAX */
    uint32_t ext8_ebx;                             /* CPUID 0x80000008 EBX, if that leaf exists */
};

#define FPU_RSTR_FP_ERR_PTRS (1u << 2)             /* CPUID 0x80000008 EBX[2] */

/*
 * FPU-5: does FXRSTOR leave FIP/FDP/FOP behind on this CPU? True for the
 * AMD family (AuthenticAMD, HygonGenuine) unless it advertises
 * RSTR_FP_ERR_PTRS; false otherwise.
 */
bool fpu_ptrs_leak(const struct fpu_cpu_id *id);

/*
 * FPU-5: zap the pointers before restoring an image whose saved FSW and
 * FCW are given? Only where they leak, and not when the image has an
 * unmasked exception pending (FSW & ~FCW & 0x3F): FXRSTOR then restores
 * them itself.
 */
bool fpu_zap_before_restore(bool ptrs_leak, uint16_t fsw, uint16_t fcw);

#endif
