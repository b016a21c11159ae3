/*
 * Decoding the arguments of the memory-management hypercalls.
 *
 * Theory of operation. Every value here comes from a guest and may be
 * anything. Each decoder is total: it names the error for every bad input
 * and, when it accepts, states exactly what the hypercall will act on, so
 * the handlers in mmu_ops.c only dispatch on decoded, checked values
 * (decode, then commit). The decoders are pure and proved.
 */
#ifndef CORE_MMU_DECODE_H
#define CORE_MMU_DECODE_H

#include "env.h"
#include "pte.h"
#include "pv/mmu.h"

#define MMU_CMD_COUNT        8u      /* ptr % 8 is the command */
#define MMUEXT_LDT_MAX_ENTS  8192u   /* PT-27 */
#define MMUEXT_LDT_ENTRY     8u

/* What a mmu_update request addresses. */
struct mmu_target {
    uint32_t cmd;    /* MMU_NORMAL_PT_UPDATE, MMU_MACHPHYS_UPDATE or ..._PRESERVE_AD */
    uint32_t mfn;    /* a frame below nr_frames, owned as mmu_decode_ptr() says */
    uint32_t slot;   /* the 8-byte entry in it (table updates) */
};

/*@ // PT-22, PT-24: whose frame a request may address: a table (or data
    // written in place) is always the caller's; an M2P entry is the data
    // owner's (fd, the caller itself unless a foreign domain was named).
    logic integer mmu_ptr_owner(integer ptr, integer dom, integer fd) =
        ptr % 8 == MMU_MACHPHYS_UPDATE ? fd : dom;
*/

/*
 * PT-22, PT-24: decode `ptr` of a mmu_update request. The command is
 * ptr % 8, so an entry address is 8-byte aligned by construction; the
 * frame is ptr / 4096. A table update's frame must be the caller's
 * (`dom`); an MMU_MACHPHYS_UPDATE's must be the data owner's (`fd`, which
 * is `dom` unless a privileged caller named a foreign domain, PT-34) and
 * below the M2P's length. -ENOSYS for commands 3..7, -EINVAL otherwise.
 */
/*@ requires pte_ft_ok(ft) && \valid(t);
    requires \separated(t, ft, ft->frames + (0 .. ft->nr_frames - 1));
    assigns *t;
    behavior bad_cmd:
        assumes ptr % 8 >= 3;
        ensures PT_22: \result == -ENOSYS;
    behavior bad_frame:
        assumes ptr % 8 < 3 && !pte_owned(ft, ptr / 4096, mmu_ptr_owner(ptr, dom, fd));
        ensures PT_22: \result == -EINVAL;
    behavior bad_m2p:
        assumes ptr % 8 == MMU_MACHPHYS_UPDATE && pte_owned(ft, ptr / 4096, fd) &&
                ptr / 4096 >= m2p_entries;
        ensures PT_24: \result == -EINVAL;
    behavior ok:
        assumes ptr % 8 < 3 && pte_owned(ft, ptr / 4096, mmu_ptr_owner(ptr, dom, fd)) &&
                (ptr % 8 != MMU_MACHPHYS_UPDATE || ptr / 4096 < m2p_entries);
        ensures \result == 0;
        ensures PT_22: t->cmd == ptr % 8 && t->mfn == ptr / 4096 &&
                t->slot == (ptr % 4096) / 8 && t->slot < PT_L1_ENTRIES;
        ensures PT_22_exact: t->mfn * 4096 + t->slot * 8 + t->cmd == ptr;
        ensures PT_6: t->cmd != MMU_MACHPHYS_UPDATE ==> pte_owned(ft, t->mfn, dom);
        ensures PT_24: t->cmd == MMU_MACHPHYS_UPDATE ==> pte_owned(ft, t->mfn, fd);
    complete behaviors;
    disjoint behaviors;
*/
int mmu_decode_ptr(const struct frame_table *ft, domid_t dom, domid_t fd,
                   uint32_t m2p_entries, uint64_t ptr, struct mmu_target *t);

/*
 * PT-23, PT-33, PT-34: foreigndom of mmu_update (and the domid of
 * update_va_mapping_otherdomain). Bits 15:0 name the owner of the mapped
 * data frames (FD), bits 31:16 (plus one) the owner of the tables (PFD).
 * Decoded in this order:
 *  - PFD given: -EPERM (page tables are always the caller's own);
 *  - DOMID_SELF: 0, *fd = self;
 *  - the caller's own id: -ESRCH (as Xen);
 *  - any other value from an unprivileged caller: -EPERM;
 *  - a privileged caller: 0 and *fd = FD if FD is a real domain id that
 *    env_foreign_mappable() accepts, else -ESRCH (no such domain, or not
 *    one that may be mapped: running, privileged, reserved ids).
 * On error *fd is not written.
 */
/*@ requires self < DOMID_FIRST_RESERVED && \valid(fd);
    assigns *fd;
    ensures PT_33: \result == 0 ==>
        *fd == self ||
        (privileged != 0 && *fd != self && *fd < DOMID_FIRST_RESERVED &&
         env_foreign_ok(env_domain_state, *fd));
    ensures \result == 0 || \result == -EPERM || \result == -ESRCH;
    behavior table_owner:
        assumes foreigndom / 65536 != 0;
        assigns \nothing;
        ensures PT_23: \result == -EPERM;
    behavior self_ok:
        assumes foreigndom == DOMID_SELF;
        ensures PT_34: \result == 0 && *fd == self;
    behavior own_id:
        assumes foreigndom == self;
        assigns \nothing;
        ensures PT_23: \result == -ESRCH;
    behavior unprivileged:
        assumes foreigndom < 65536 && foreigndom != DOMID_SELF && foreigndom != self &&
                privileged == 0;
        assigns \nothing;
        ensures PT_33: \result == -EPERM;
    behavior foreign:
        assumes foreigndom < 65536 && foreigndom != DOMID_SELF && foreigndom != self &&
                privileged != 0;
        ensures PT_33: \result == 0 <==>
            (foreigndom < DOMID_FIRST_RESERVED &&
             env_foreign_ok(env_domain_state, foreigndom));
        ensures PT_33: \result != 0 ==> \result == -ESRCH && *fd == \old(*fd);
        ensures PT_34: \result == 0 ==> *fd == foreigndom;
    complete behaviors;
    disjoint behaviors;
*/
int mmu_decode_foreigndom(uint32_t foreigndom, domid_t self, bool privileged, domid_t *fd);

/*
 * PT-27: MMUEXT_SET_LDT. At most 8192 entries; when there are any, the
 * base is page aligned and the whole table lies below
 * HYPERVISOR_VIRT_START (no wrap-around). With no entries the base is
 * ignored and recorded as 0. -EINVAL otherwise.
 */
/*@ requires \valid(ldt_base);
    assigns *ldt_base;
    behavior too_many:
        assumes nr_ents > MMUEXT_LDT_MAX_ENTS;
        ensures PT_27: \result == -EINVAL;
    behavior none:
        assumes nr_ents == 0;
        ensures \result == 0 && *ldt_base == 0;
    behavior misaligned:
        assumes 0 < nr_ents <= MMUEXT_LDT_MAX_ENTS && base % 4096 != 0;
        ensures PT_27: \result == -EINVAL;
    behavior beyond:
        assumes 0 < nr_ents <= MMUEXT_LDT_MAX_ENTS && base % 4096 == 0 &&
                base + nr_ents * 8 > HYPERVISOR_VIRT_START;
        ensures PT_27: \result == -EINVAL;
    behavior ok:
        assumes 0 < nr_ents <= MMUEXT_LDT_MAX_ENTS && base % 4096 == 0 &&
                base + nr_ents * 8 <= HYPERVISOR_VIRT_START;
        ensures \result == 0 && *ldt_base == base;
    complete behaviors;
    disjoint behaviors;
*/
int mmuext_decode_ldt(uint32_t base, uint32_t nr_ents, uint32_t *ldt_base);

/* Decoded update_va_mapping flags (PT-29). */
#define UVMF_SCOPE_LOCAL  0u
#define UVMF_SCOPE_ALL    1u
#define UVMF_SCOPE_MASK   2u   /* a guest pointer to a vCPU bitmap */

struct uvmf {
    uint32_t flush;    /* UVMF_NONE, UVMF_TLB_FLUSH or UVMF_INVLPG */
    uint32_t scope;    /* UVMF_SCOPE_* */
    uint32_t mask_va;  /* UVMF_SCOPE_MASK: where the bitmap is */
};

/*
 * PT-29: flags bits 1:0 are the flush type (3 is no flush, as in Xen);
 * the rest is 0 (local), 4 (all) or the bitmap pointer.
 */
/*@ requires \valid(u);
    assigns *u;
    ensures u->flush == (flags % 4 == 3 ? UVMF_NONE : flags % 4);
    ensures flags - flags % 4 == UVMF_LOCAL ==> u->scope == UVMF_SCOPE_LOCAL;
    ensures flags - flags % 4 == UVMF_ALL ==> u->scope == UVMF_SCOPE_ALL;
    ensures flags - flags % 4 != UVMF_LOCAL && flags - flags % 4 != UVMF_ALL ==>
            u->scope == UVMF_SCOPE_MASK && u->mask_va == flags - flags % 4;
*/
void mmu_decode_uvmf(uint32_t flags, struct uvmf *u);

/* PT-28, PT-29: an address a guest may name in a flush or a mapping. */
/*@ assigns \nothing;
    ensures \result == 1 <==> va < HYPERVISOR_VIRT_START;
*/
bool mmu_guest_va(uint32_t va);

/*
 * PT-32: a guest array of `count` elements of `size` bytes at `va` lies
 * wholly below HYPERVISOR_VIRT_START (checked before the first element is
 * copied, as Xen's guest_handle_okay); -EFAULT otherwise. Each element is
 * still copied on its own, and may still fault.
 */
/*@ requires size > 0;
    assigns \nothing;
    ensures PT_32: \result == 0 <==>
        (va <= HYPERVISOR_VIRT_START && count * size <= HYPERVISOR_VIRT_START - va);
    ensures \result == 0 || \result == -EFAULT;
*/
int mmu_decode_array(uint32_t va, uint32_t count, uint32_t size);

#endif
