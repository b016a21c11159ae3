#ifndef HV_GRANT_TABLE_H
#define HV_GRANT_TABLE_H

#include <stdint.h>

struct domain;
struct pt_audit_hold;

int grant_table_domain_init(struct domain *d);
void grant_table_domain_destroy(struct domain *d);
/* The table's memory goes back with the domain record. */
void grant_table_domain_free(struct domain *d);
uint32_t grant_table_audit_holds(const struct domain *d, struct pt_audit_hold *holds, uint32_t max);

#endif
