/*
 * Pure decoders of mmu_update / mmuext_op / update_va_mapping arguments
 * (see mmu_decode.h). Proved in full.
 */
#include "mmu_decode.h"

int mmu_decode_ptr(const struct frame_table *ft, domid_t dom, domid_t fd,
                   uint32_t m2p_entries, uint64_t ptr, struct mmu_target *t)
{
    uint32_t cmd = (uint32_t)(ptr % MMU_CMD_COUNT);
    uint32_t mfn;
    domid_t owner = dom;         /* PT-22: a table is always the caller's */

    if (cmd == MMU_MACHPHYS_UPDATE)
        owner = fd;              /* PT-24: an M2P entry goes with the data owner's frame */
    if (cmd > MMU_PT_UPDATE_PRESERVE_AD)        /* PT-22: 3..7 unknown */
        return -ENOSYS;
    if (ptr / PAGE_SIZE >= ft->nr_frames)       /* PT-22 */
        return -EINVAL;
    mfn = (uint32_t)(ptr / PAGE_SIZE);
    if (ft->frames[mfn].owner != owner)         /* PT-22, PT-24 */
        return -EINVAL;
    if (cmd == MMU_MACHPHYS_UPDATE && mfn >= m2p_entries)   /* PT-24 */
        return -EINVAL;
    t->cmd = cmd;
    t->mfn = mfn;
    t->slot = (uint32_t)(ptr % PAGE_SIZE) / PT_ENTRY_SIZE;
    return 0;
}

int mmu_decode_foreigndom(uint32_t foreigndom, domid_t self, bool privileged, domid_t *fd)
{
    if (foreigndom / 0x10000u != 0)             /* PT-23: tables are our own */
        return -EPERM;
    if (foreigndom == DOMID_SELF) {
        *fd = self;                             /* PT-34 */
        return 0;
    }
    if (foreigndom == self)                     /* PT-23: as Xen */
        return -ESRCH;
    if (!privileged)                            /* PT-33 */
        return -EPERM;
    /* PT-33: a real domain the hypervisor lets dom0 map (a paused guest);
     * the reserved ids are refused here whatever the environment says */
    if (foreigndom >= DOMID_FIRST_RESERVED || !env_foreign_mappable((domid_t)foreigndom))
        return -ESRCH;
    *fd = (domid_t)foreigndom;                  /* PT-34 */
    return 0;
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
