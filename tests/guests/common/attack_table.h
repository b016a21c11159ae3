/*
 * The attack runner the hostile test guests share: the command line
 * names one attack (`attack=<name>`, up to a space), the guest runs it,
 * prints `ATTACK <rule> <name>: result R, expected E` (the line the
 * scenarios and tests/guests/common/attack.sh look for), checks R, lets
 * the guest check its own state is intact, and prints the verdict.
 */
#ifndef TEST_GUEST_ATTACK_TABLE_H
#define TEST_GUEST_ATTACK_TABLE_H

#include "test.h"

struct attack {
    const char *name;
    const char *rule;           /* the spec rule it attacks, e.g. "PT-7" */
    int32_t (*run)(void);
    int32_t expect;             /* the exact answer the hypervisor must give */
};

/* The attack=<name> the command line asks for, NULL (and a SKIP verdict)
 * when there is none; its length in *len. */
const char *attack_wanted(const struct start_info *si, uint32_t *len);

/* Does `a` carry the name wanted? */
bool attack_is(const struct attack *a, const char *want, uint32_t len);

/*
 * Run the wanted attack of `table`, then `after` (the guest's own
 * intact checks; may be NULL), then finish with the verdict. An unknown
 * name gives the ERROR verdict. Returns only for an unknown name.
 */
int attack_run(const struct start_info *si, const struct attack *table, uint32_t n,
               void (*after)(const struct attack *a));

#endif
