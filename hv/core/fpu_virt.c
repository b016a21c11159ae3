/*
 * The virtual CR0.TS and the FPU switch decisions (see fpu_virt.h).
 */
#include "emul_policy.h"
#include "env.h"
#include "fpu_virt.h"

/* "AuthenticAMD" and "HygonGenuine" as CPUID 0 returns them in EBX, EDX, ECX. */
#define AMD_EBX   0x68747541u
#define AMD_EDX   0x69746E65u
#define AMD_ECX   0x444D4163u
#define HYGON_EBX 0x6F677948u
#define HYGON_EDX 0x6E65476Eu
#define HYGON_ECX 0x656E6975u

#define FPU_EXC_MASKS 0x3Fu    /* FSW exception flags, FCW mask bits 5:0 */

uint32_t fpu_guest_cr0(uint32_t real_cr0, bool virt_ts)
{
    return (real_cr0 & ~FPU_CR0_TS) | (virt_ts ? FPU_CR0_TS : 0u);   /* FPU-2 */
}

uint32_t fpu_vcpu_cr0(uint32_t real_cr0, bool virt_ts)
{
    return fpu_guest_cr0(real_cr0, virt_ts);     /* FPU-3: the real TS mirrors the virtual */
}

bool fpu_taskswitch_ts(uint32_t arg)
{
    return arg != 0;                             /* FPU-3 */
}

int32_t fpu_taskswitch_op(bool *virt_ts, uint32_t arg)
{
    *virt_ts = fpu_taskswitch_ts(arg);
    env_fpu_ts_set(*virt_ts);                    /* FPU-3: the real TS follows now */
    return 0;
}

int fpu_cr0_write(uint32_t cur, uint32_t value, bool *virt_ts)
{
    int rc = emul_cr0_write(cur, value);         /* FPU-3, EMUL-15: TS only */

    if (rc)
        return rc;
    *virt_ts = (value & FPU_CR0_TS) != 0;
    return 0;
}

enum fpu_nm_action fpu_nm_decide(bool virt_ts)
{
    /* FPU-4: as Xen, delivering #NM clears the guest's TS. */
    return virt_ts ? FPU_NM_DELIVER : FPU_NM_RETRY;
}

static bool amd_family(const struct fpu_cpu_id *id)
{
    return (id->vendor_ebx == AMD_EBX && id->vendor_edx == AMD_EDX && id->vendor_ecx == AMD_ECX) ||
           (id->vendor_ebx == HYGON_EBX && id->vendor_edx == HYGON_EDX && id->vendor_ecx == HYGON_ECX);
}

bool fpu_ptrs_leak(const struct fpu_cpu_id *id)
{
    bool restores_ptrs = id->max_ext_leaf >= 0x80000008u && (id->ext8_ebx & FPU_RSTR_FP_ERR_PTRS);

    return amd_family(id) && !restores_ptrs;     /* FPU-5 */
}

bool fpu_zap_before_restore(bool ptrs_leak, uint16_t fsw, uint16_t fcw)
{
    bool pending = (fsw & ~fcw & FPU_EXC_MASKS) != 0;

    return ptrs_leak && !pending;                /* FPU-5 */
}
