/*
 * Page-table hypercalls: mmu_update (1), update_va_mapping (14, 22) and
 * mmuext_op (26), and the reserved domain ids they accept.
 *
 * A PV guest never writes a live page table: it asks the hypervisor to,
 * and every request is validated against the frame's current type. Both
 * batched calls stop at the first failing entry and report how many
 * completed through their `done` pointer.
 */
#ifndef PV_MMU_H
#define PV_MMU_H

#include "types.h"

/*
 * Reserved domain ids. hv/core/frame.h spells some of these exactly the
 * same way, which C allows in either include order; the guards only let
 * another header that defines one first win without a warning.
 */
#ifndef DOMID_FIRST_RESERVED
#define DOMID_FIRST_RESERVED 0x7FF0u   /* ids from here up are never real domains */
#endif
#ifndef DOMID_SELF
#define DOMID_SELF           0x7FF0u   /* the caller */
#endif
#ifndef DOMID_IO
#define DOMID_IO             0x7FF1u   /* MMIO and other non-RAM frames */
#endif
#ifndef DOMID_XEN
#define DOMID_XEN            0x7FF2u   /* hypervisor-owned frames */
#endif
#ifndef DOMID_COW
#define DOMID_COW            0x7FF3u
#endif
#ifndef DOMID_INVALID
#define DOMID_INVALID        0x7FF4u
#endif
#ifndef DOMID_ANY
#define DOMID_ANY            0x7FF5u
#endif
#ifndef DOMID_IDLE
#define DOMID_IDLE           0x7FFFu
#endif

/*
 * mmu_update(reqs, count, done, foreigndom)
 *
 * The command sits in the low bits of ptr, which is otherwise the 8-byte
 * aligned machine address of the entry to write. foreigndom bits 15:0 name
 * the owner of the frames being mapped (DOMID_SELF normally); bits 31:16,
 * when nonzero, are 1 + the owner of the page tables being written.
 */
#define MMU_NORMAL_PT_UPDATE       0   /* checked *ptr = val */
#define MMU_MACHPHYS_UPDATE        1   /* M2P[ptr >> 12] = val */
#define MMU_PT_UPDATE_PRESERVE_AD  2   /* as 0, keeping hardware A/D bits */
#define MMU_PT_UPDATE_NO_TRANSLATE 3   /* as 0, val not translated (newer Xen) */
#define MMU_UPDATE_CMD_MASK        7u  /* our name: ptr & this = command; 4-7 -ENOSYS */

/*
 * OR-ed into count by a continuation: the call then starts by reading
 * *done and adds to it. A guest may set it too (Xen accepts it).
 */
#define MMU_UPDATE_PREEMPTED       0x80000000u

struct mmu_update {
    pv_u64 ptr;                   /* IN: machine address | MMU_* command */
    pv_u64 val;                   /* IN: new entry or M2P value */
};
PV_ABI_SIZE(struct mmu_update, 16);
PV_ABI_OFFSET(struct mmu_update, ptr, 0);
PV_ABI_OFFSET(struct mmu_update, val, 8);

/*
 * update_va_mapping(va, pte_lo, pte_hi, flags): flags bits 1:0 choose the
 * flush, the rest the scope. A scope that is neither LOCAL nor ALL is a
 * guest pointer to a vCPU bitmap (UVMF_MULTI).
 */
#define UVMF_NONE           0u
#define UVMF_TLB_FLUSH      1u
#define UVMF_INVLPG         2u
#define UVMF_FLUSHTYPE_MASK 3u
#define UVMF_MULTI          0u    /* OR in the bitmap pointer */
#define UVMF_LOCAL          0u
#define UVMF_ALL            4u

/* mmuext_op(ops, count, done, foreigndom) */
#define MMUEXT_PIN_L1_TABLE        0   /* arg1.mfn */
#define MMUEXT_PIN_L2_TABLE        1
#define MMUEXT_PIN_L3_TABLE        2
#define MMUEXT_PIN_L4_TABLE        3   /* accepted and ignored for 32-bit guests */
#define MMUEXT_UNPIN_TABLE         4
#define MMUEXT_NEW_BASEPTR         5   /* arg1.mfn: new L3 for CR3 */
#define MMUEXT_TLB_FLUSH_LOCAL     6
#define MMUEXT_INVLPG_LOCAL        7   /* arg1.linear_addr */
#define MMUEXT_TLB_FLUSH_MULTI     8   /* arg2.vcpumask */
#define MMUEXT_INVLPG_MULTI        9   /* arg1.linear_addr, arg2.vcpumask */
#define MMUEXT_TLB_FLUSH_ALL      10
#define MMUEXT_INVLPG_ALL         11   /* arg1.linear_addr */
#define MMUEXT_FLUSH_CACHE        12
#define MMUEXT_SET_LDT            13   /* arg1.linear_addr (page aligned), arg2.nr_ents */
/* 14 is unassigned. */
#define MMUEXT_NEW_USER_BASEPTR   15   /* x86-64 guests only */
#define MMUEXT_CLEAR_PAGE         16   /* arg1.mfn */
#define MMUEXT_COPY_PAGE          17   /* arg1.mfn (destination), arg2.src_mfn */
#define MMUEXT_FLUSH_CACHE_GLOBAL 18
#define MMUEXT_MARK_SUPER         19   /* superpages: refused by Bulkhead */
#define MMUEXT_UNMARK_SUPER       20

struct mmuext_op {
    uint32_t cmd;                 /* IN: MMUEXT_* */
    union {
        xen_pfn_t   mfn;
        xen_ulong_t linear_addr;
    } arg1;                       /* IN */
    union {
        uint32_t    nr_ents;
        pv_handle_t vcpumask;     /* guest pointer to a vCPU bitmap */
        xen_pfn_t   src_mfn;
    } arg2;                       /* IN */
};
PV_ABI_SIZE(struct mmuext_op, 12);
PV_ABI_OFFSET(struct mmuext_op, cmd, 0);
PV_ABI_OFFSET(struct mmuext_op, arg1, 4);
PV_ABI_OFFSET(struct mmuext_op, arg2, 8);

#endif
