#ifndef HV_DESC_TABLES_H
#define HV_DESC_TABLES_H

#include <stdbool.h>
#include <stdint.h>

struct domain;

/* A #PF at `addr` in the LDT shadow area: map the guest's LDT page; true if done. */
bool desc_ldt_fault(struct domain *d, uint32_t addr);
/* Is `addr` in the LDT shadow area? *offset: its byte offset in the LDT. */
bool desc_ldt_area(uint32_t addr, uint32_t *offset);
/*
 * DESC-12: read entry `index` of `table` (SEG_GDT, SEG_RESERVED, SEG_LDT,
 * as seg_locate() returned them) of d, bounded by the table as it is now,
 * without any access that could fault. 0, or -EINVAL when there is none.
 */
int desc_read_entry(struct domain *d, uint32_t table, uint32_t index, uint64_t *desc);
/* Point the LDT register at d's LDT (or none) when d runs. */
void desc_load_ldt(const struct domain *d);
/* Teardown: drop every GDT and LDT frame reference. */
void desc_release_all(struct domain *d);

#endif
