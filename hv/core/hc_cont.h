/*
 * Continuations: how a long hypercall stops early and is issued again
 * (Xen's hypercall_create_continuation; spec/hypercalls.md, HC-1..HC-9).
 *
 * Theory of operation. Every call whose work grows with a guest-chosen
 * count (mmu_update, mmuext_op, multicall, the memory_op reservations,
 * grant_table_op batches, console writes, domain teardown) asks
 * hc_should_stop() before each element except the first of an issue, so
 * every issue makes progress and none runs longer than one element past
 * the moment other work became due (env_preempt_pending()). When it says
 * stop, the call has completed every element before the stopping point,
 * touched none after it, and fills a struct hc_cont with the arguments
 * that make the same call do exactly the rest, encoded as Xen encodes
 * them for that call (the helpers below). It then returns -ERESTART.
 *
 * The glue applies a continuation and decides nothing: outside a
 * multicall it rewinds the guest's EIP over `int $0x82` (2 bytes), puts
 * the hypercall number back in EAX and the new arguments in EBX..EDI, so
 * the guest issues the call again as its next instruction (after any
 * event upcall or other domain that was due); inside a multicall the new
 * arguments go into the entry and the multicall itself continues at that
 * entry (mc.h). -ERESTART never reaches a guest, and neither does any
 * other trace of the stop except what Xen's ABI shows: the progress
 * fields of the re-issued arguments and, between two issues, the partial
 * `done` counts that mmu_update and mmuext_op write.
 *
 * A continuation carries all of its state in the guest's own registers or
 * multicall entry, as in Xen; the hypervisor keeps none, so a guest that
 * edits the arguments in between merely issues a different call, which
 * is checked like any other. (Domain teardown, which a guest cannot edit,
 * keeps its progress in the dying domain: teardown.h.)
 */
#ifndef CORE_HC_CONT_H
#define CORE_HC_CONT_H

#include "env.h"
#include "pv/errno.h"

/* Internal only, Xen's value: "stopped early; hc_cont says how to go on". */
#define ERESTART 85

#define HC_ARGS 5

/* The arguments (EBX..EDI) the call is issued with next. */
struct hc_cont {
    uint32_t args[HC_ARGS];
};

/* The flag and the shift of the encodings, as numbers (proofs, STYLE). */
#define HC_MMU_FLAG     0x80000000u   /* MMU_UPDATE_PREEMPTED: 2^31 */
#define HC_MEMOP_UNIT   64u           /* 1 << MEMOP_EXTENT_SHIFT */
#define HC_MEMOP_MAX    0x3FFFFFFu    /* the largest start extent cmd holds */

/*
 * HC-1: stop before element `i` of this issue? Never before the first
 * (i == 0), never when the caller cannot continue (cont == NULL: hosted
 * callers that run a call to completion), otherwise when
 * env_preempt_pending() says other work is due.
 */
/*@ assigns \nothing;
    ensures HC_1: (i == 0 || cont == \null) ==> \result == 0;
*/
bool hc_should_stop(uint32_t i, const struct hc_cont *cont);

/* Fill all five arguments. */
/*@ requires \valid(c);
    assigns c->args[0 .. 4];
    ensures c->args[0] == a0 && c->args[1] == a1 && c->args[2] == a2 &&
            c->args[3] == a3 && c->args[4] == a4;
*/
void hc_cont_set(struct hc_cont *c, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3,
                 uint32_t a4);

/*
 * HC-2: mmu_update / mmuext_op after `i` of this issue's `count` elements
 * of `size` bytes at `list`: (list + i * size, (count - i) |
 * MMU_UPDATE_PREEMPTED, pdone, foreigndom). Requires i < count, a count
 * without the flag, and the array within 32 bits (the callers checked it
 * lies below HYPERVISOR_VIRT_START).
 */
/*@ requires \valid(c);
    requires i < count < HC_MMU_FLAG && size > 0;
    requires count * size <= 0xFFFFFFFF - list;
    assigns c->args[0 .. 4];
    ensures HC_2: c->args[0] == list + i * size;
    ensures HC_2: c->args[1] == count - i + HC_MMU_FLAG;
    ensures HC_2: c->args[2] == pdone && c->args[3] == foreigndom && c->args[4] == 0;
*/
void hc_cont_mmu(struct hc_cont *c, uint32_t list, uint32_t size, uint32_t count, uint32_t i,
                 uint32_t pdone, uint32_t foreigndom);

/*
 * HC-2: a count argument of mmu_update / mmuext_op: the element count
 * without MMU_UPDATE_PREEMPTED in *n; true when the flag was set (the
 * call then starts from the `done` the guest has).
 */
/*@ requires \valid(n);
    assigns *n;
    ensures HC_2: *n == count % HC_MMU_FLAG && *n < HC_MMU_FLAG;
    ensures HC_2: \result == 1 <==> count >= HC_MMU_FLAG;
*/
bool hc_mmu_count(uint32_t count, uint32_t *n);

/*
 * HC-5: the multicall after entry `i` of `nr` stopped it: (list + 32 * i,
 * nr - i). Requires i < nr and the list within 32 bits.
 */
/*@ requires \valid(c);
    requires i < nr && nr * 32 <= 0xFFFFFFFF - list;
    assigns c->args[0 .. 4];
    ensures HC_5: c->args[0] == list + i * 32 && c->args[1] == nr - i;
    ensures c->args[2] == 0 && c->args[3] == 0 && c->args[4] == 0;
*/
void hc_cont_multicall(struct hc_cont *c, uint32_t list, uint32_t nr, uint32_t i);

/*
 * HC-3: memory_op's cmd: *op = cmd bits 5:0, *start = the extent to start
 * at (cmd >> MEMOP_EXTENT_SHIFT).
 */
/*@ requires \valid(op) && \valid(start) && \separated(op, start);
    assigns *op, *start;
    ensures HC_3: *op == cmd % HC_MEMOP_UNIT && *start == cmd / HC_MEMOP_UNIT;
    ensures HC_3: *op + *start * HC_MEMOP_UNIT == cmd;
*/
void hc_memop_cmd(uint32_t cmd, uint32_t *op, uint32_t *start);

/*
 * HC-3: a reservation op after extent `nr_done` (counted from the
 * beginning of the list, not of this issue): (op | nr_done <<
 * MEMOP_EXTENT_SHIFT, arg). Requires an op of 6 bits and nr_done <=
 * HC_MEMOP_MAX, which the nr_extents bound (MEM-2) guarantees.
 */
/*@ requires \valid(c);
    requires op < HC_MEMOP_UNIT && nr_done <= HC_MEMOP_MAX;
    assigns c->args[0 .. 4];
    ensures HC_3: c->args[0] == op + nr_done * HC_MEMOP_UNIT;
    ensures HC_3: c->args[0] % HC_MEMOP_UNIT == op && c->args[0] / HC_MEMOP_UNIT == nr_done;
    ensures c->args[1] == arg && c->args[2] == 0 && c->args[3] == 0 && c->args[4] == 0;
*/
void hc_cont_memop(struct hc_cont *c, uint32_t op, uint32_t nr_done, uint32_t arg);

/*
 * HC-4: grant_table_op after `i` of this issue's `count` structures of
 * `size` bytes: (cmd, uop + i * size, count - i). Requires i < count and
 * the array within 32 bits.
 */
/*@ requires \valid(c);
    requires i < count && size > 0 && count * size <= 0xFFFFFFFF - uop;
    assigns c->args[0 .. 4];
    ensures HC_4: c->args[0] == cmd && c->args[1] == uop + i * size &&
                  c->args[2] == count - i;
    ensures c->args[3] == 0 && c->args[4] == 0;
*/
void hc_cont_gnttab(struct hc_cont *c, uint32_t cmd, uint32_t uop, uint32_t size,
                    uint32_t count, uint32_t i);

/*
 * HC-6: CONSOLEIO_write after `done` of `count` bytes at `buf`:
 * (CONSOLEIO_write, count - done, buf + done). Requires done < count and
 * the buffer within 32 bits.
 */
/*@ requires \valid(c);
    requires done < count && count <= 0xFFFFFFFF - buf;
    assigns c->args[0 .. 4];
    ensures HC_6: c->args[0] == 0 && c->args[1] == count - done && c->args[2] == buf + done;
    ensures c->args[3] == 0 && c->args[4] == 0;
*/
void hc_cont_console(struct hc_cont *c, uint32_t count, uint32_t buf, uint32_t done);

#endif
