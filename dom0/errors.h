/*
 * Error numbers, as the operator reads them (spec/dom0.md, "Messages"):
 * every error dom0 prints is words, then the errno's name, e.g.
 * "no such domain (ESRCH)". Pure: the unit tests call it too.
 */
#ifndef DOM0_ERRORS_H
#define DOM0_ERRORS_H

#include <stdint.h>

/* "ESRCH" for -ESRCH (or ESRCH); "E?" for a number with no name here. */
const char *err_name(int err);
/* What the error means to the control tools, in a few words. */
const char *err_words(int err);

/*
 * A grant-table status (GNTST_*, negative) as the errno the rest of dom0
 * speaks, so that no status is mistaken for an errno of the same value.
 */
int err_from_gntst(int status);
/* "bad_gntref" for GNTST_bad_gntref. */
const char *err_gntst_name(int status);

#endif
