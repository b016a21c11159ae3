/*
 * multicall (hypercall 13): the batch loop (spec/hypercalls.md, MC-1..MC-4,
 * HC-5).
 *
 * Theory of operation. Each 32-byte entry is copied in once, its call run
 * through env_multicall_entry() with args[0..4], and its result written
 * back; a failing entry does not stop the batch (MC-1). A multicall inside
 * a multicall is refused in its entry (MC-2). An iret entry is performed,
 * as Xen performs it: it replaces the caller's frame with the one on the
 * guest stack, so the batch ends there, whatever entries follow; its
 * result (the frame's EAX) is written back if the entry is still
 * writable, and is what the multicall returns, so the exit path leaves it
 * in EAX (MC-5). The batch itself fails only when its arguments are bad
 * or the list cannot be read or written (MC-3).
 *
 * Preemption follows Xen (HC-5). Before every entry but the first of an
 * issue the batch may stop: the continuation is the list from that entry
 * on, so the entries before it are never run again. When an entry's own
 * call stops early, its continuation arguments are written into that
 * entry (result = the hypercall number, as Xen's
 * hypercall_create_continuation returns it, args = the sub-call's new
 * arguments) and the multicall continues at that same entry, which then
 * runs the rest of its call. Every entry is therefore completed exactly
 * once, whatever the number of issues.
 */
#ifndef CORE_MC_BATCH_H
#define CORE_MC_BATCH_H

#include "hc_cont.h"

#define MC_MAX_ENTRIES 4096u        /* MC-3 */
#define MC_ENTRY_SIZE  32u

/* mc_run()'s answer when an iret entry ended the batch (MC-5). */
#define MC_IRET 1

/*
 * multicall(list, nr). 0; -EINVAL (nr above MC_MAX_ENTRIES); -EFAULT (the
 * list is not wholly below HYPERVISOR_VIRT_START: nothing runs; an entry
 * unreadable or its result unwritable: the entries before it are done);
 * -ERESTART with *cont = (list from the entry to run next, the entries
 * left), never when cont is NULL; MC_IRET when an iret entry ran and
 * ended the batch: *iret_eax is then what the multicall returns (MC-5).
 */
int mc_run(guest_ptr_t list, uint32_t nr, struct hc_cont *cont, uint32_t *iret_eax);

#endif
