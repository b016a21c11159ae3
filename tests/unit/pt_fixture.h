/*
 * Test fixture for the page-table core: a small machine (frame table over
 * the hosted memory model), two domains, and a builder that gives a
 * domain a valid three-level address space the way a domain builder
 * would, so tests start from a realistic state and read as scenarios.
 *
 * Layout of frames: 0..FX_XEN_FRAMES-1 belong to the hypervisor (the
 * template of the hypervisor slots points at them), the rest start free.
 * fx_build() gives a domain:
 *
 *   l3      slot 0 -> l2_low, slot 3 -> l2_xen; pinned and loaded (CR3)
 *   l2_low  slot FX_L2_SLOT -> l1            (va FX_DATA_VA)
 *   l2_xen  slot 0 -> l1_hi                  (va 0xC0000000)
 *   l1      slots 0..FX_NR_DATA-1 -> data[i] RW, slot FX_L1_SELF -> l1 RO
 *   l1_hi   slot 0 -> data[0] RO
 */
#ifndef TEST_PT_FIXTURE_H
#define TEST_PT_FIXTURE_H

#include "pt_audit.h"
#include "pt_table.h"
#include "pt_update.h"
#include "mmu_ops.h"
#include "hosted_env.h"

#define FX_FRAMES      256u
#define FX_XEN_FRAMES  8u
#define FX_NR_DOMS     2u
#define FX_NR_DATA     4u
#define FX_L2_SLOT     2u                 /* l2_low slot of the data L1 */
#define FX_L1_SELF     10u                /* l1 slot mapping l1 itself RO */
#define FX_DATA_VA     0x00400000u        /* 3 GiB space: L3 0, L2 2, L1 0 */
#define FX_HIGH_VA     0xC0000000u        /* L3 3, L2 0, L1 0 */
#define FX_GUEST_VA    0x10000000u        /* the guest window for copies */
#define FX_GUEST_LEN   0x10000u
#define FX_MAX_HOLDS   4u

/* Flags of a typical guest mapping. */
#define FX_RW   (PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D)
#define FX_RO   (PTE_P | PTE_US | PTE_A)
#define FX_TAB  (PTE_P | PTE_RW | PTE_US | PTE_A)   /* L2 entry to an L1 */
#define FX_PDPTE (PTE_P)

struct fx_space {
    uint32_t l3, l2_low, l2_xen, l1, l1_hi;
    uint32_t data[FX_NR_DATA];
};

struct fx {
    struct frame frames[FX_FRAMES];
    struct frame_table ft;
    uint64_t xen_slots[PT_XEN_SLOTS];
    uint32_t m2p[FX_FRAMES];
    struct pt_audit_count scratch[FX_FRAMES];
    struct pt_ctx ctx[FX_NR_DOMS];      /* domain ids 1 and 2 */
    struct fx_space sp[FX_NR_DOMS];
    struct pt_audit_hold holds[FX_MAX_HOLDS];
    uint32_t nr_holds;
    struct pt_audit_report last;        /* the last audit's report */
    bool quiet;                         /* findings are expected: do not print them */
    uint8_t guest[FX_GUEST_LEN];
};

/* A fresh machine with two empty domains. */
void fx_init(struct fx *fx);

/* A free frame for domain index `d` (aborts the test program if none). */
uint32_t fx_alloc(struct fx *fx, unsigned d);

uint64_t fx_pte(uint32_t mfn, uint64_t flags);
void fx_poke(uint32_t mfn, uint32_t slot, uint64_t e);
uint64_t fx_peek(uint32_t mfn, uint32_t slot);

/* Give domain index `d` the address space described above. 0 or the error. */
int fx_build(struct fx *fx, unsigned d);

/* Run pt_audit() over both domains and the declared holds; 0 or -EINVAL
 * (and the finding printed to stderr, kept in fx->last). */
int fx_audit(struct fx *fx);

/* Copy `len` bytes into the guest window at offset `off`; its guest address. */
guest_ptr_t fx_guest_put(struct fx *fx, uint32_t off, const void *p, uint32_t len);
void fx_guest_get(struct fx *fx, uint32_t off, void *p, uint32_t len);

/* Frame `mfn`'s record. */
static inline struct frame *fx_frame(struct fx *fx, uint32_t mfn)
{
    return &fx->frames[mfn];
}

#endif
