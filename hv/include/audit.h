#ifndef HV_AUDIT_H
#define HV_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

extern bool audit_enabled;

/* With auditing on, recount all page-table references; panic on a mismatch. */
void audit_check(const char *after, uint32_t arg);
/* Recount now whatever the command line says; 0, or -1 after logging the finding. */
int audit_now(void);

#endif
