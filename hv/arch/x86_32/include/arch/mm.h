/*
 * Machine memory set-up and the hypervisor's own mappings.
 */
#ifndef ARCH_MM_H
#define ARCH_MM_H

#include <stdbool.h>
#include <stdint.h>

#include "bootinfo.h"
#include "frame.h"

struct pt_audit_count;

/* Maximum machine memory Bulkhead manages (the boot identity map). */
#define MAX_MACHINE_FRAMES (0xC0000000u >> 12)

extern struct frame_table frame_table;
extern uint32_t *m2p_table;          /* writable view */
extern struct pt_audit_count *audit_scratch;   /* pt_audit() counters, one per frame */
extern uint32_t idle_l3_pa;

void mm_init(const struct boot_info *bi);
/* Drop the 1:1 boot mappings once the boot modules have been consumed. */
void mm_end_boot(void);
/* The 84 hypervisor entries of an L3-slot-3 L2, for a domain's per-domain L1. */
void mm_xen_l2_slots(uint64_t slots[84], uint32_t perdomain_l1_mfn);
/* Fill a per-domain L1: GDT pages 0..13 show the zero page, page 14 the
 * reserved hypervisor descriptors; the LDT area starts empty. */
void mm_init_perdomain_l1_table(uint64_t *l1);
/*
 * CR4 for the hypervisor and for guests: SMEP and SMAP in the hypervisor
 * when the CPU has them and they are wanted (smep=, smap=), PGE in both.
 */
void mm_set_cr4(bool want_smep, bool want_smap);
bool cpu_has_smap(void);
/* CR4 in the hypervisor (SMEP/SMAP on when in use) and in guests. */
extern uint32_t cr4_hypervisor, cr4_guest;
/* Another CR4 feature was turned on: refresh both values. */
void mm_cr4_changed(void);
uint32_t mm_zero_mfn(void);
void mm_load_cr3(uint32_t l3_mfn);

/* 64 KiB of hypervisor memory for the large state of the domain in record
 * slot `slot`; NULL if none. */
void *mm_domain_area_alloc(uint32_t slot, uint32_t bytes);
void mm_domain_area_free(uint32_t slot);

void mapcache_init(void);
uint32_t mapcache_live(void);

#endif
