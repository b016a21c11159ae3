#ifndef HV_AUDIT_H
#define HV_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

extern bool audit_enabled;

/* With auditing on, recount all page-table references; panic on a mismatch. */
void audit_check(const char *after, uint32_t arg);

#endif
