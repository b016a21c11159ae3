/*
 * The multicall batch loop (see mc_batch.h).
 */
#include "mc_batch.h"
#include "mmu_decode.h"
#include "pv/hypercall.h"
#include "pv/multicall.h"

_Static_assert(sizeof(struct multicall_entry) == MC_ENTRY_SIZE, "multicall_entry ABI size");

/* The result field, written back after every entry. */
#define MC_RESULT_OFF 4u

/*
 * One entry, already copied in: run it (MC-1, MC-2, MC-5). True when its
 * call stopped early; *sub then holds its continuation. An iret runs like
 * any call (it never stops early); the loop ends the batch after it.
 */
static bool run_entry(struct multicall_entry *e, struct hc_cont *sub)
{
    bool preempted = false;

    if (e->op == __HYPERVISOR_multicall) {
        e->result = (uint32_t)-EINVAL;                      /* MC-2 */
        return false;
    }
    e->result = (uint32_t)env_multicall_entry(e->op, e->args, sub, &preempted);
    return preempted;
}

/*
 * HC-5: an entry whose call stopped early keeps its continuation: the
 * result Xen writes (the hypercall number) and the new arguments.
 */
static int save_sub_continuation(guest_ptr_t at, struct multicall_entry *e,
                                 const struct hc_cont *sub)
{
    uint32_t a;

    e->result = e->op;
    for (a = 0; a < HC_ARGS; a++)
        e->args[a] = sub->args[a];
    return env_copy_to_guest(at, e, sizeof(*e));
}

/*
 * MC-5: the iret entry has run and replaced the caller's frame: the batch
 * ends here. Its result goes back if it can (Xen: best effort, a guest
 * that unmapped its list learns nothing more), and is the multicall's.
 */
static int end_with_iret(guest_ptr_t at, const struct multicall_entry *e, uint32_t *iret_eax)
{
    (void)env_copy_to_guest(guest_ptr_add(at, MC_RESULT_OFF), &e->result, sizeof(e->result));
    *iret_eax = e->result;
    return MC_IRET;
}

int mc_run(guest_ptr_t list, uint32_t nr, struct hc_cont *cont, uint32_t *iret_eax)
{
    struct multicall_entry e;
    struct hc_cont sub;
    uint32_t i = 0;

    if (nr > MC_MAX_ENTRIES)                                    /* MC-3 */
        return -EINVAL;
    if (mmu_decode_array(list.va, nr, MC_ENTRY_SIZE) != 0)      /* MC-3: as Xen */
        return -EFAULT;
    while (i < nr && env_caller_active()) {
        guest_ptr_t at = guest_ptr_add(list, i * MC_ENTRY_SIZE);

        if (hc_should_stop(i, cont)) {                          /* HC-1, HC-5 */
            hc_cont_multicall(cont, list.va, nr, i);
            return -ERESTART;
        }
        if (env_copy_from_guest(&e, at, sizeof(e)))             /* MC-1: once */
            return -EFAULT;
        if (run_entry(&e, &sub)) {
            if (save_sub_continuation(at, &e, &sub))
                return -EFAULT;
            if (cont == NULL)
                continue;           /* a caller that cannot stop: this entry again now */
            hc_cont_multicall(cont, list.va, nr, i);            /* HC-5: this entry again */
            return -ERESTART;
        }
        if (e.op == __HYPERVISOR_iret)                          /* MC-5 */
            return end_with_iret(at, &e, iret_eax);
        if (env_copy_to_guest(guest_ptr_add(at, MC_RESULT_OFF), &e.result, sizeof(e.result)))
            return -EFAULT;
        i++;
    }
    return 0;
}
