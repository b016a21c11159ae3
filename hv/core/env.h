/*
 * The pure core's only window on the world.
 *
 * hv/core never touches hardware or guest memory directly. It reaches a
 * machine frame through env_map_frame() and guest virtual memory through
 * the copy functions, which the hypervisor implements with its mapcache
 * and fault-fixup copies, and the hosted builds implement over a model of
 * machine memory. Each function's contract is the assumption the proofs
 * make about it (listed in proofs/README.md).
 */
#ifndef CORE_ENV_H
#define CORE_ENV_H

#include "types.h"

/*
 * Map machine frame `mfn` (which the caller knows to be RAM) and return a
 * writable view of its PAGE_SIZE bytes, valid until env_unmap_frame().
 */
/*@ assigns \nothing;
    ensures \valid((uint8_t *)\result + (0 .. PAGE_SIZE - 1));
*/
void *env_map_frame(uint32_t mfn);

/*@ assigns \nothing; */
void env_unmap_frame(const void *va);

/*
 * Copy between hypervisor memory and the current guest's virtual memory.
 * Return 0, or -EFAULT when any byte is unmapped, not accessible to the
 * guest, or at or above HYPERVISOR_VIRT_START; on -EFAULT a prefix of the
 * destination may have been written.
 */
/*@ requires \valid((uint8_t *)dst + (0 .. len - 1));
    assigns ((uint8_t *)dst)[0 .. len - 1];
    ensures \result == 0 || \result == -14;
*/
int env_copy_from_guest(void *dst, guest_ptr_t src, uint32_t len);

/*@ requires \valid_read((const uint8_t *)src + (0 .. len - 1));
    assigns \nothing;
    ensures \result == 0 || \result == -14;
*/
int env_copy_to_guest(guest_ptr_t dst, const void *src, uint32_t len);

/*
 * Paging hardware, as seen by the page-type machine (pt_*.c). The core
 * never loads CR3 or flushes a TLB itself; it tells the arch layer when
 * it must, and the contracts below only say that hardware state (the
 * abstract ghost `env_hw_state`) changes. One physical CPU for now: "all"
 * means every CPU that may hold a translation of the domain.
 */
/*@ ghost extern int env_hw_state; */

/*
 * Flush every non-global TLB entry on every CPU. Called (PT-20) before a
 * removed or downgraded mapping's references are dropped, so no frame can
 * change type or owner while a stale translation still reaches it.
 */
/*@ assigns env_hw_state; */
void env_tlb_flush_all(void);

/* Guest-requested flushes (mmuext_op, update_va_mapping flush flags). */
/*@ assigns env_hw_state; */
void env_tlb_flush_local(void);

/*@ assigns env_hw_state; */
void env_invlpg_local(uint32_t va);

/*@ assigns env_hw_state; */
void env_invlpg_all(uint32_t va);

/*
 * Make `l3_mfn` the current vCPU's base table (a CR3 load, which also
 * reloads the PDPTEs and drops the shadow LDT mappings). Called after the
 * new base holds its L3 type reference and before the old base's is
 * dropped. It must leave no translation of the old tables in any TLB or
 * paging-structure cache (a CR3 load does this for non-global entries,
 * and guests cannot create global ones, PT-1): dropping the old base may
 * devalidate its whole tree and free its frames for other types.
 */
/*@ assigns env_hw_state; */
void env_load_cr3(uint32_t l3_mfn);

/*
 * An entry of L3 `l3_mfn` changed. PAE CPUs cache the four PDPTEs at CR3
 * load, so every CPU running on this L3 must reload CR3 before the old
 * entry's references are dropped.
 */
/*@ assigns env_hw_state; */
void env_l3_updated(uint32_t l3_mfn);

/* The LDT base or size changed (MMUEXT_SET_LDT): drop the shadow LDT. */
/*@ assigns env_hw_state; */
void env_ldt_changed(uint32_t base, uint32_t nr_ents);

/*
 * Descriptor tables (desc_op.c). Page `page` of domain `dom`'s GDT
 * (0..13) or LDT (0..15) area now shows frame `mfn`, which holds a
 * PGT_SEG_DESC reference for as long as it is shown; INVALID_MFN shows
 * none (the GDT area then reads the zero frame, the LDT area faults).
 * When `dom` is running, the stale translation goes and the segment
 * registers the CPU cached from the table are reloaded (PERF-1).
 */
/*@ assigns env_hw_state; */
void env_gdt_page_set(domid_t dom, uint32_t page, uint32_t mfn);

/*@ assigns env_hw_state; */
void env_ldt_page_set(domid_t dom, uint32_t page, uint32_t mfn);

/*
 * update_descriptor changed a descriptor of the caller in place: reload
 * the segment registers the CPU may have cached from it (PERF-1).
 */
/*@ assigns env_hw_state; */
void env_desc_changed(void);

/*
 * Event delivery (evtchn_op.c). The shared_info page of domain `dom`,
 * for the 2-level pending and mask bits (EVT-14..EVT-17), or NULL when
 * the hypervisor writes no event into it now (no such domain, or one
 * not running: the event is dropped). Lent only while the frame carries
 * the writable hold taken at the domain's creation (PT-40); valid until
 * env_shared_info_unmap().
 */
struct shared_info;
/*@ assigns \nothing;
    ensures \result == \null || \valid(\result);
*/
struct shared_info *env_shared_info_map(domid_t dom);

/*@ assigns \nothing; */
void env_shared_info_unmap(struct shared_info *s);

/* EVT-15: an upcall became due for `dom`: wake its vCPU if it blocked. */
/*@ assigns env_hw_state; */
void env_evtchn_kick(domid_t dom);

/*
 * SCHED-5: the caller sleeps until an event is due, or until system
 * time `timeout` ns (0: no timeout), once the hypercall returns.
 */
/*@ assigns env_hw_state; */
void env_poll_block(uint64_t timeout);

/*
 * The caller's scheduling and lifecycle (vcpu_op.c, sched_op.c). The
 * system time now, ns (TIME-9: never goes back).
 */
/*@ assigns \nothing; */
uint64_t env_now_ns(void);

/* SCHED-4: the caller yields: a scheduling decision is due on the way back. */
/*@ assigns env_hw_state; */
void env_sched_yield(void);

/* SCHED-5: the caller sleeps, once the hypercall returns, until an event is due. */
/*@ assigns env_hw_state; */
void env_sched_block(void);

/*
 * The caller shuts down with `reason` (SHUTDOWN_poweroff..soft_reset,
 * checked by the core); dom0's crash halts the machine (BOOT-7).
 */
/*@ assigns env_hw_state; */
void env_domain_shutdown(uint32_t reason);

/*
 * Foreign mappings (PT-33): may the privileged caller map frames of
 * domain `fd` now? The hypervisor answers true only for an existing,
 * paused, unprivileged domain other than the caller (so never DOMID_XEN,
 * DOMID_IO or a free frame's owner); the core asks only on behalf of a
 * privileged pt_ctx, and checks the reserved ids itself as well. The
 * answer is a function of the domains' state, modelled by the abstract
 * ghost `env_domain_state` (no core function changes it), so within one
 * call of the core it cannot change between two questions.
 */
/*@ ghost extern int env_domain_state; */

/*
 * HC-1: is other work due that should run before the current hypercall
 * goes on (Xen's hypercall_preempt_check: a timer interrupt is pending,
 * another domain should be scheduled)? Cheap, as the core asks before
 * every element of a batch; the answer may change between two calls.
 */
/*@ assigns \nothing; */
bool env_preempt_pending(void);

struct hc_cont;

/*
 * MC-1: run hypercall `op` (any number; multicall and iret are refused by
 * the core before it asks) for the caller, as one multicall entry, and
 * return its result. When the call stopped early (HC-1), *preempted is
 * set and *sub holds the arguments that make it do the rest.
 */
/*@ requires \valid_read(args + (0 .. 4)) && \valid(preempted);
    assigns env_hw_state, *sub, *preempted;
*/
int32_t env_multicall_entry(uint32_t op, const uint32_t args[5], struct hc_cont *sub,
                            bool *preempted);

/*
 * MC-3: may the caller's multicall go on? False once an entry stopped the
 * caller (it crashed or shut down).
 */
/*@ assigns \nothing; */
bool env_caller_active(void);

/*
 * CON-1: print `n` bytes the caller wrote with CONSOLEIO_write, already
 * copied into hypervisor memory (the glue decides the presentation: raw
 * for dom0, printable characters a line at a time behind the domain's
 * name for the others).
 */
/*@ requires \valid_read(buf + (0 .. n - 1));
    assigns env_hw_state;
*/
void env_console_emit(const char *buf, uint32_t n);

/*
 * HC-11: the next byte waiting on the serial line, 0..255, or -1 when
 * none is (never waits). Each call takes the byte it returns.
 */
/*@ assigns env_hw_state;
    ensures -1 <= \result <= 255;
*/
int env_console_getc(void);

/*
 * The guest CPU's registrations (trap_op.c). TRAP-5: the IDT gate for
 * vector 0x80 while the caller runs is `gate` (0: not present).
 */
/*@ assigns env_hw_state; */
void env_int80_gate_set(uint64_t gate);

/* CB-7: the ring-1 stack the CPU switches to for the caller is ss:sp. */
/*@ assigns env_hw_state; */
void env_kernel_stack_set(uint16_t ss, uint32_t sp);

/* FPU-3: the real CR0.TS mirrors the caller's virtual TS, now `ts`. */
/*@ assigns env_hw_state; */
void env_fpu_ts_set(bool ts);

/*@ axiomatic EnvForeign {
        predicate env_foreign_ok(integer state, integer fd);
    }
*/

/*@ assigns \nothing;
    ensures \result == 1 <==> env_foreign_ok(env_domain_state, fd);
*/
bool env_foreign_mappable(domid_t fd);

#endif
