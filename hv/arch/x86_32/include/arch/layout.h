/*
 * The hypervisor's virtual address space (the top 168 MiB of every address
 * space, L3 slot 3, L2 slots 428..511). spec/memory-layout.md describes the
 * same table for readers; keep the two in step.
 *
 *   F5800000  M2P, read-only view (readable by guest kernels in ring 1)
 *   F6800000  frame table (struct frame per machine frame)
 *   FC800000  M2P, writable view (hypervisor only)
 *   FD800000  domain area: 64 KiB of hypervisor state per domain id
 *   FE800000  per-domain area: GDT (64 KiB) then LDT shadow (64 KiB)
 *   FEC00000  mapcache: temporary mappings of any machine frame
 *   FF000000  direct map of machine memory 0..12 MiB (hypervisor image, heap)
 *
 * All of it is supervisor-only (US=0); what keeps ring-1 guest kernels out
 * is the segment limit at GUEST_SEGMENT_MAX_ADDR, the immutability of these
 * L2 slots, and the absence of guest-writable page tables.
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#include "pv/layout.h"

#define DIRECTMAP_VIRT      0xFF000000u
#define DIRECTMAP_SIZE      (12u << 20)
#define FRAMETABLE_VIRT     0xF6800000u
#define FRAMETABLE_SIZE     (96u << 20)
#define M2P_RO_VIRT         MACH2PHYS_VIRT_START
#define M2P_RW_VIRT         0xFC800000u
#define M2P_SIZE            (16u << 20)
#define DOMAREA_VIRT        0xFD800000u   /* 64 KiB of hypervisor state per domain slot */
#define DOMAREA_SIZE        (16u << 20)
#define DOMAREA_PER_DOMAIN  0x10000u
#define PERDOMAIN_VIRT      0xFE800000u
#define GDT_VIRT            PERDOMAIN_VIRT
#define LDT_VIRT            (PERDOMAIN_VIRT + 0x10000u)
/* The running domain's shared_info, mapped in its own per-domain L1. */
#define SHARED_INFO_SLOT    32u
#define SHARED_INFO_VIRT    (PERDOMAIN_VIRT + SHARED_INFO_SLOT * 0x1000u)
#define MAPCACHE_VIRT       0xFEC00000u
#define MAPCACHE_SIZE       (4u << 20)

/* Index of a hypervisor address in the L2 under L3 slot 3. */
#define L2_SLOT(va)         (((va) - 0xC0000000u) >> 21)
#define XEN_L2_FIRST_SLOT   L2_SLOT(HYPERVISOR_VIRT_START)   /* 428 */
#define XEN_L2_NR_SLOTS     (512u - XEN_L2_FIRST_SLOT)       /* 84 */

/* Machine memory the boot identity map covers (L3 slots 0..2). */
#define BOOT_IDENTITY_LIMIT 0xC0000000ull

#define phys_to_virt(pa)    ((void *)((uint32_t)(pa) + DIRECTMAP_VIRT))
#define virt_to_phys(va)    ((uint32_t)(va) - DIRECTMAP_VIRT)

#endif
