/*
 * Hypervisor-held frames: the guest frames the hypervisor itself writes
 * into after a guest can reach them (PT-40; the table in SECURITY.md).
 *
 * Theory of operation. The hypervisor writes values a guest chooses or
 * steers (the fault address of a bounced #PF, event bits, upcall masks,
 * time records, hypercall stubs) into frames the guest owns. Were such a
 * frame a page table or a descriptor table, every one of those writes
 * would be an entry no check ever saw: a guest could forge a PTE by
 * faulting at a chosen address. So for as long as the hypervisor may
 * write a frame, it holds one general and one PGT_WRITABLE type
 * reference on it. PT-15 then refuses every table and descriptor type
 * whatever the guest asks (pin, base pointer, L2/L3 entry, GDT, LDT),
 * and frame_free() refuses the frame, so it can be neither ballooned out
 * nor freed. A guest may still map it writable (PGT_WRITABLE is shared),
 * which is how it reads and acknowledges what the hypervisor writes.
 *
 * Long-lived holds (shared_info, grant-table frames) are taken when the
 * frame is handed out and released at teardown; a one-off write (the
 * hypercall page) takes the hold around the write. Before each write the
 * glue checks held_frame_intact(): a hold that is gone is a hypervisor
 * bug, and stopping is better than forging an entry.
 */
#ifndef CORE_HELD_FRAME_H
#define CORE_HELD_FRAME_H

#include "pt_ref.h"

/*@ predicate held_frame_ok(struct frame_table *ft, integer mfn, integer owner) =
        0 <= mfn < ft->nr_frames && ft->frames[mfn].owner == owner &&
        ft->frames[mfn].type == PGT_WRITABLE && ft->frames[mfn].type_count > 0;
*/

/*
 * PT-40: hold frame `mfn` of ctx's domain for hypervisor writes: general
 * + PGT_WRITABLE reference. 0; -EINVAL when the frame is not the domain's
 * or is a page table, a descriptor table or under validation (so it
 * cannot be written as data); -EOVERFLOW at the count limit. On error
 * nothing changes.
 */
/*@ requires pt_ctx_ok(ctx);
    assigns ctx->ft->frames[mfn], ctx->bugs;
    ensures \result != 0 ==> fr_unchanged{Old,Post}(&ctx->ft->frames[mfn]);
    ensures \result == 0 || \result == -EINVAL || \result == -EOVERFLOW;
    ensures PT_6: !\old(pt_owned(ctx, mfn)) ==> \result == -EINVAL;
    ensures PT_40: \result == 0 ==> 0 <= mfn < ctx->ft->nr_frames;
    ensures PT_40: \result == 0 ==> ctx->ft->frames[mfn].owner == ctx->dom;
    ensures PT_40: \result == 0 ==> ctx->ft->frames[mfn].type == PGT_WRITABLE;
    ensures PT_40: \result == 0 ==> ctx->ft->frames[mfn].type_count > 0;
    ensures PT_6: \result == 0 ==> pt_real_owner(ctx, mfn);
*/
int held_frame_take(struct pt_ctx *ctx, uint32_t mfn);

/*
 * PT-40: drop a hold taken by held_frame_take(): one PGT_WRITABLE and one
 * general reference, or nothing (a bug is counted) when the frame holds
 * no such reference of this ctx's.
 */
/*@ requires pt_ctx_ok(ctx);
    assigns ctx->ft->frames[mfn].type, ctx->ft->frames[mfn].type_count,
            ctx->ft->frames[mfn].flags, ctx->ft->frames[mfn].refcount, ctx->bugs;
    behavior release:
        assumes pt_may_put(ctx, mfn) &&
                pt_type_droppable(ctx->ft->frames[mfn], PGT_WRITABLE) &&
                ctx->ft->frames[mfn].refcount > 0;
        ensures PT_40: ctx->ft->frames[mfn].refcount ==
            \old(ctx->ft->frames[mfn].refcount) - 1;
        ensures PT_40: ctx->ft->frames[mfn].type_count ==
            \old(ctx->ft->frames[mfn].type_count) - 1;
    behavior refused:
        assumes !pt_may_put(ctx, mfn) ||
                !pt_type_droppable(ctx->ft->frames[mfn], PGT_WRITABLE);
        ensures PT_16_PT_37: mfn < ctx->ft->nr_frames ==>
            fr_unchanged{Old,Post}(&ctx->ft->frames[mfn]);
*/
void held_frame_release(struct pt_ctx *ctx, uint32_t mfn);

/* PT-40: is `mfn` still a data frame of `owner` with a writable hold? */
/*@ requires \valid_read(ft) && \valid_read(ft->frames + (0 .. ft->nr_frames - 1));
    assigns \nothing;
    ensures \result == 1 <==> held_frame_ok(ft, mfn, owner);
*/
bool held_frame_intact(const struct frame_table *ft, uint32_t mfn, domid_t owner);

#endif
