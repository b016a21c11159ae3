/*
 * Pure decoders of mmu_update / mmuext_op / update_va_mapping arguments
 * (see mmu_decode.h). Proved in full.
 */
#include "mmu_decode.h"

int mmu_decode_ptr(const struct frame_table *ft, domid_t dom, uint32_t m2p_entries,
                   uint64_t ptr, struct mmu_target *t)
{
    uint32_t cmd = (uint32_t)(ptr % MMU_CMD_COUNT);
    uint64_t mfn = ptr / PAGE_SIZE;

    if (cmd > MMU_PT_UPDATE_PRESERVE_AD)        /* PT-22: 3..7 unknown */
        return -ENOSYS;
    /* PT-22: the frame must exist and be the caller's */
    if (mfn >= ft->nr_frames || ft->frames[mfn].owner != dom)
        return -EINVAL;
    if (cmd == MMU_MACHPHYS_UPDATE && mfn >= m2p_entries)   /* PT-24 */
        return -EINVAL;
    t->cmd = cmd;
    t->mfn = (uint32_t)mfn;
    t->slot = (uint32_t)(ptr % PAGE_SIZE) / PT_ENTRY_SIZE;
    return 0;
}

int mmu_decode_foreigndom(uint32_t foreigndom, domid_t self)
{
    if (foreigndom == DOMID_SELF)
        return 0;
    if (foreigndom == self)                     /* PT-23: as Xen */
        return -ESRCH;
    return -EPERM;                              /* PT-23: no foreign frames yet */
}

int mmuext_decode_ldt(uint32_t base, uint32_t nr_ents, uint32_t *ldt_base)
{
    if (nr_ents > MMUEXT_LDT_MAX_ENTS)          /* PT-27 */
        return -EINVAL;
    if (nr_ents == 0) {
        *ldt_base = 0;                          /* the base means nothing */
        return 0;
    }
    if (base % PAGE_SIZE != 0)                  /* PT-27 */
        return -EINVAL;
    /* PT-27: subtraction form, no wrap: the LDT ends below the hypervisor */
    if (base > HYPERVISOR_VIRT_START - nr_ents * MMUEXT_LDT_ENTRY)
        return -EINVAL;
    *ldt_base = base;
    return 0;
}

void mmu_decode_uvmf(uint32_t flags, struct uvmf *u)
{
    uint32_t type = flags % 4u;
    uint32_t scope = flags - type;

    u->flush = type == 3u ? UVMF_NONE : type;
    u->mask_va = 0;
    if (scope == UVMF_LOCAL)
        u->scope = UVMF_SCOPE_LOCAL;
    else if (scope == UVMF_ALL)
        u->scope = UVMF_SCOPE_ALL;
    else {
        u->scope = UVMF_SCOPE_MASK;
        u->mask_va = scope;
    }
}

bool mmu_guest_va(uint32_t va)
{
    return va < HYPERVISOR_VIRT_START;
}

int mmu_decode_array(uint32_t va, uint32_t count, uint32_t size)
{
    if (va > HYPERVISOR_VIRT_START)             /* PT-32 */
        return -EFAULT;
    if (count > (HYPERVISOR_VIRT_START - va) / size)
        return -EFAULT;
    return 0;
}
