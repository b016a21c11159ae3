/*
 * grant_table_op (spec/grants.md): the glue over the pure grant-table core
 * (hv/core/gnttab*.c). Each domain's table lives in its domain area; the
 * world the core sees holds the tables of living domains only.
 */
#include "arch/layout.h"
#include "arch/mm.h"
#include "domain.h"
#include "gnttab.h"
#include "grant_table.h"
#include "hypercall.h"
#include "pv/errno.h"
#include "string.h"

/* By domain id, not slot (CTL-6), as the core looks granters up by id. */
static struct gnttab_domain *tables[DOMID_FIRST_RESERVED];
static struct gnttab_world world = { tables, DOMID_FIRST_RESERVED, false };

_Static_assert(sizeof(struct gnttab_domain) <= DOMAREA_PER_DOMAIN,
               "a domain's grant table and maptrack fit its domain area");

int grant_table_domain_init(struct domain *d)
{
    struct gnttab_domain *gt = mm_domain_area_alloc(domain_slot(d), sizeof(*gt));

    if (!gt)
        return -ENOMEM;
    memset(gt, 0, sizeof(*gt));
    gnttab_domain_init(gt, d->id, 0);
    tables[d->id] = gt;
    return 0;
}

/* Before the page tables go: unmap what d mapped, orphan what it granted. */
void grant_table_domain_destroy(struct domain *d)
{
    if (!tables[d->id])
        return;
    gnttab_domain_destroy(&world, &d->pt);
    tables[d->id] = NULL;
}

void grant_table_domain_free(struct domain *d)
{
    mm_domain_area_free(domain_slot(d));
}

uint32_t grant_table_audit_holds(const struct domain *d, struct pt_audit_hold *holds, uint32_t max)
{
    return tables[d->id] ? gnttab_audit_holds(tables[d->id], holds, max) : 0;
}

int32_t do_grant_table_op(const uint32_t args[5])
{
    struct gnttab_call c = { &world, &current->pt };
    struct hc_cont cont;
    int rc = gnttab_op(&c, args[0], guest_ptr(args[1]), args[2], &cont);

    return rc == -ERESTART ? hypercall_continue(&cont) : rc;     /* HC-4 */
}
