/*
 * The memory-management hypercalls: thin glue from the argument registers
 * to the pure core (hv/core/mmu_ops.c), which copies, decodes, checks and
 * commits, and decides where a long batch stops (HC-2); the glue only
 * hands a continuation back to the dispatcher. The caller's page-table
 * context is always its own.
 */
#include "domain.h"
#include "hypercall.h"
#include "mmu_ops.h"

int32_t do_mmu_update(const uint32_t args[5])
{
    struct hc_cont cont;
    int rc = pt_do_mmu_update(&current->pt, guest_ptr(args[0]), args[1],
                              guest_ptr(args[2]), args[3], &cont);

    return rc == -ERESTART ? hypercall_continue(&cont) : rc;
}

int32_t do_mmuext_op(const uint32_t args[5])
{
    struct hc_cont cont;
    int rc = pt_do_mmuext_op(&current->pt, guest_ptr(args[0]), args[1],
                             guest_ptr(args[2]), args[3], &cont);

    return rc == -ERESTART ? hypercall_continue(&cont) : rc;
}

int32_t do_update_va_mapping(const uint32_t args[5])
{
    uint64_t pte = ((uint64_t)args[2] << 32) | args[1];

    return pt_do_update_va_mapping(&current->pt, args[0], pte, args[3]);
}

/* PT-39: the domid argument is a domid_t in Xen's prototype, so only its
 * low 16 bits count. */
int32_t do_update_va_mapping_otherdomain(const uint32_t args[5])
{
    uint64_t pte = ((uint64_t)args[2] << 32) | args[1];

    return pt_do_update_va_mapping_otherdomain(&current->pt, args[0], pte, args[3],
                                               (domid_t)args[4]);
}
