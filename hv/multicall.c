/*
 * multicall: run a list of hypercalls in one trap (facts sheet §4.4).
 *
 * Each 32-byte entry is copied in once, its hypercall run with args[0..4],
 * and its result written back; a failing entry does not stop the batch.
 * A multicall inside a multicall is refused (its own result is -EINVAL),
 * and iret, which replaces the caller's frame, may not be batched at all
 * (-EINVAL in its result, and the batch stops, as Xen stops at iret). The
 * batch itself fails only when the list cannot be read or written
 * (-EFAULT, with the entries before it done).
 */
#include "domain.h"
#include "env.h"
#include "hypercall.h"
#include "pv/errno.h"
#include "pv/hypercall.h"
#include "pv/multicall.h"

#define MULTICALL_MAX 4096u

static int32_t run_entry(struct multicall_entry *e)
{
    if (e->op == __HYPERVISOR_multicall || e->op == __HYPERVISOR_iret)
        return -EINVAL;
    return hypercall_call(e->op, e->args);
}

int32_t do_multicall(const uint32_t args[5])
{
    guest_ptr_t list = guest_ptr(args[0]);
    uint32_t nr = args[1], i;
    int32_t rc = 0;

    if (nr > MULTICALL_MAX)
        return -EINVAL;
    for (i = 0; i < nr && current->state == DOM_ACTIVE; i++) {
        struct multicall_entry e;
        guest_ptr_t at = guest_ptr_add(list, i * (uint32_t)sizeof(e));

        if (env_copy_from_guest(&e, at, sizeof(e))) {
            rc = -EFAULT;
            break;
        }
        e.result = (uint32_t)run_entry(&e);
        if (env_copy_to_guest(guest_ptr_add(at, 4), &e.result, sizeof(e.result))) {
            rc = -EFAULT;
            break;
        }
        if (e.op == __HYPERVISOR_iret)
            break;
    }
    return rc;
}
