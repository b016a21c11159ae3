/*
 * PAE page-table entry bits, as the hypervisor's own mappings use them.
 * (The guest-entry validation rules live in hv/core/pte.h.)
 */
#ifndef ARCH_PAGE_H
#define ARCH_PAGE_H

#include <stdint.h>

#define _PAGE_PRESENT  0x001ull
#define _PAGE_RW       0x002ull
#define _PAGE_USER     0x004ull
#define _PAGE_PWT      0x008ull
#define _PAGE_PCD      0x010ull
#define _PAGE_ACCESSED 0x020ull
#define _PAGE_DIRTY    0x040ull
#define _PAGE_PSE      0x080ull
#define _PAGE_GLOBAL   0x100ull
#define _PAGE_NX       (1ull << 63)
#define PTE_ADDR_MASK  0x00000FFFFFFFF000ull

#define L1_ENTRIES 512u
#define L2_ENTRIES 512u
#define L3_ENTRIES 4u

#define l1_index(va) (((va) >> 12) & 511u)
#define l2_index(va) (((va) >> 21) & 511u)
#define l3_index(va) ((va) >> 30)

typedef uint64_t pte_t;

static inline pte_t mk_pte(uint32_t mfn, uint64_t flags)
{
    return ((uint64_t)mfn << 12) | flags;
}

static inline uint32_t pte_mfn(pte_t e)
{
    return (uint32_t)((e & PTE_ADDR_MASK) >> 12);
}

#endif
