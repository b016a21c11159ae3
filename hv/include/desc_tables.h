#ifndef HV_DESC_TABLES_H
#define HV_DESC_TABLES_H

#include <stdbool.h>
#include <stdint.h>

struct domain;

/* A #PF at `addr` in the LDT shadow area: map the guest's LDT page; true if done. */
bool desc_ldt_fault(struct domain *d, uint32_t addr);
/* Point the LDT register at d's LDT (or none) when d runs. */
void desc_load_ldt(const struct domain *d);
void desc_release_ldt(struct domain *d);
/* Teardown: drop every GDT and LDT frame reference. */
void desc_release_all(struct domain *d);

#endif
