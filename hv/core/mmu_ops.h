/*
 * The memory-management hypercalls: mmu_update, mmuext_op and
 * update_va_mapping, over the state in a pt_ctx.
 *
 * Theory of operation. Each handler is a loop of decode-then-commit
 * steps. A request is copied from the guest exactly once into a local
 * (PT-32); the copy is decoded by the proved decoders of mmu_decode.h,
 * and only a decoded request reaches the page-type machine (pt_table.h,
 * pt_update.h), whose every step either fails leaving the state as it was
 * or succeeds completely. So a batch stops at the first failing request
 * with that request's error, every request before it fully applied and
 * none after it touched; the number completed goes to `done` when the
 * guest gave one (a failure to write it is reported as -EFAULT only if
 * everything else succeeded, as Xen ignores it).
 *
 * The hypercall table calls these with the raw guest arguments. Both
 * batched calls are preemptible as in Xen (hc_cont.h, HC-1, HC-2): before
 * every request but the first of an issue they may stop, fill *cont with
 * (reqs advanced past the requests done, the rest of count |
 * MMU_UPDATE_PREEMPTED, done, foreigndom) and return -ERESTART, after
 * writing the requests done so far to `done`. A count with
 * MMU_UPDATE_PREEMPTED adds this requests to the `done` the guest
 * already has. One request costs at most one full L3 validation; the
 * stopping points lie between requests.
 *
 * Errors: see each function, and spec/memory.md for the rule behind each.
 */
#ifndef CORE_MMU_OPS_H
#define CORE_MMU_OPS_H

#include "hc_cont.h"
#include "pt_ctx.h"

/*
 * mmu_update(reqs, count, done, foreigndom): MMU_NORMAL_PT_UPDATE,
 * MMU_MACHPHYS_UPDATE, MMU_PT_UPDATE_PRESERVE_AD. A table update is
 * dispatched on the frame's current type: L1/L2/L2_XEN/L3 go through
 * pt_mod_lN_entry(); a frame with no type or the writable type is written
 * as plain data (as in Xen: the guest could write it through a mapping);
 * a descriptor frame is refused (-EINVAL). foreigndom decodes as PT-23 /
 * PT-33; a foreign domain named by the privileged caller becomes ctx->fd
 * for the whole batch (PT-34): L1 entries written then map only its
 * frames, M2P updates concern only its frames, tables stay the caller's.
 * ctx->fd is back to ctx->dom on return, whatever the result. Returns 0,
 * -EFAULT (reqs or done unreadable/unwritable), -EINVAL, -ENOSYS, -EPERM,
 * -ESRCH, -EBUSY, -EOVERFLOW, or -ERESTART with *cont filled (never when
 * cont is NULL). count == MMU_UPDATE_PREEMPTED with reqs NULL returns
 * foreigndom and does nothing: Xen's marker call for finishing a deferred
 * put, of which Bulkhead has none (HC-2).
 */
int pt_do_mmu_update(struct pt_ctx *ctx, guest_ptr_t reqs, uint32_t count,
                     guest_ptr_t done, uint32_t foreigndom, struct hc_cont *cont);

/*
 * mmuext_op(ops, count, done, foreigndom): PIN_L1/L2/L3_TABLE, PIN_L4
 * (ignored, 0), UNPIN_TABLE, NEW_BASEPTR, TLB_FLUSH_LOCAL/MULTI/ALL,
 * INVLPG_LOCAL/MULTI/ALL, SET_LDT; anything else -ENOSYS. MULTI is
 * treated as ALL (a superset, correct for any vCPU mask; the mask is not
 * read). INVLPG of a hypervisor address is ignored (0), as in Xen.
 * foreigndom must be DOMID_SELF for every caller, dom0 included (PT-23:
 * -ESRCH for one's own id, -EPERM for anything else). Returns 0, -EFAULT,
 * -EINVAL, -ENOSYS, -EPERM, -ESRCH, -EBUSY, -EOVERFLOW, or -ERESTART as
 * pt_do_mmu_update() (the same marker call included).
 */
int pt_do_mmuext_op(struct pt_ctx *ctx, guest_ptr_t ops, uint32_t count,
                    guest_ptr_t done, uint32_t foreigndom, struct hc_cont *cont);

/*
 * update_va_mapping(va, pte, flags): replace the L1 entry that maps `va`
 * in the current address space, then flush as `flags` asks. -EINVAL for
 * va >= HYPERVISOR_VIRT_START, no base table, or no present, owned,
 * validated L1 on the walk; -EFAULT when a vCPU-bitmap pointer in flags
 * cannot be read (checked before anything changes); otherwise
 * pt_mod_l1_entry()'s errors.
 */
int pt_do_update_va_mapping(struct pt_ctx *ctx, uint32_t va, uint64_t pte,
                            uint32_t flags);

/*
 * PT-39: update_va_mapping_otherdomain(va, pte, flags, domid): as
 * update_va_mapping, in the caller's own address space, with `domid`
 * decoded like mmu_update's foreigndom (PT-33) and, when it names another
 * domain, used as ctx->fd for this call (PT-34): the new entry must map a
 * frame of that domain. DOMID_SELF behaves as update_va_mapping. -EPERM
 * (an unprivileged caller naming another domain), -ESRCH (its own id, or
 * a domain that may not be mapped), then update_va_mapping's errors.
 * ctx->fd is back to ctx->dom on return.
 */
int pt_do_update_va_mapping_otherdomain(struct pt_ctx *ctx, uint32_t va, uint64_t pte,
                                        uint32_t flags, domid_t domid);

#endif
