/*
 * Guest CPU state the hypervisor takes from a guest or builds for it:
 * virtual IDT entries, callbacks, the iret hypercall frame, and bounce
 * frames (spec/traps.md).
 *
 * Theory of operation. A guest names code it wants entered (a trap
 * handler, a callback) by CS:EIP, and asks to be resumed at a CS:EIP with
 * an EFLAGS image of its choosing (iret). Whatever it asks, the hypervisor
 * must never enter or resume guest code in ring 0, never hand the guest a
 * real IOPL (port access, cli/sti on the real CPU) or let it run with real
 * interrupts off, and never write a frame for the guest anywhere but in
 * the guest's own part of the address space. These functions are the pure
 * decisions behind those promises; the hypercalls (trap_op.c) and the
 * glue (iret, bounces) read the guest's words with copy_from_guest, call
 * them, and only then change vCPU state (decode, then commit). Every result that lets the glue go on carries:
 *
 *  - a code selector with RPL >= 1 that names a guest descriptor (checked
 *    by desc_check(), so never DPL 0) or one of the flat guest selectors:
 *    TRAP-2/TRAP-3 for trap entries, CB-2/CB-3 for callbacks, IRET-3 for
 *    iret, BOUNCE-2 for bounces;
 *  - a code offset below HYPERVISOR_VIRT_START for every handler and
 *    callback a guest registers (TRAP-7, CB-8): at and above it every
 *    linear address is the hypervisor's (the read-only M2P is NX, the rest
 *    lies past every guest segment's limit), so such a handler could only
 *    fault on the way back to the guest;
 *  - a ring-1 stack selector that can name a guest stack (CB-7): never the
 *    null selector nor a hypervisor entry of the reserved GDT page;
 *  - an EFLAGS with IOPL 0 and IF 1 (IRET-4, BOUNCE-5): the guest's own
 *    interrupt flag is virtual, kept in vcpu_info.evtchn_upcall_mask;
 *  - for a bounce frame, words that lie wholly in [frame_va, frame_va +
 *    4 * nr_words), below HYPERVISOR_VIRT_START, without wrapping
 *    (BOUNCE-4). The glue writes them with copy_to_guest and crashes the
 *    domain if that faults (BOUNCE-7).
 *
 * Results that mean "crash the domain" are positive codes, distinct from
 * the -errno values a hypercall returns to the guest.
 */
#ifndef CORE_TRAP_CHECK_H
#define CORE_TRAP_CHECK_H

#include "types.h"
#include "desc_check.h"
#include "pv/errno.h"
#include "pv/layout.h"
#include "pv/arch_x86_32.h"
#include "pv/callback.h"

/* EFLAGS bits the rules name. */
#define EFLAGS_TF   0x100u
#define EFLAGS_IF   0x200u
#define EFLAGS_IOPL 0x3000u
#define EFLAGS_NT   0x4000u
#define EFLAGS_RF   0x10000u
#define EFLAGS_VM   0x20000u

#define TRAP_INT80_VECTOR 0x80u

/*@ // The guest code selectors (TRAP-3); sel_rpl_fixed() is in desc_check.h.
    predicate guest_code_sel(integer sel) =
        sel == FLAT_RING1_CS || sel == FLAT_RING3_CS || (sel / 4) % 2 == 1 ||
        (1 <= sel / 8 && sel / 8 < FIRST_RESERVED_GDT_ENTRY);

    // The guest stack selectors (CB-7): the same, with the flat stack selectors.
    predicate guest_stack_sel(integer sel) =
        sel == FLAT_RING1_SS || sel == FLAT_RING3_SS || (sel / 4) % 2 == 1 ||
        (1 <= sel / 8 && sel / 8 < FIRST_RESERVED_GDT_ENTRY);

    // TRAP-7, CB-8: an offset a guest handler may start at.
    predicate guest_code_addr(integer addr) = addr < HYPERVISOR_VIRT_START;

    // EFLAGS fields.
    logic integer ef_low(integer x)  = x % 256;            // CF, PF, AF, ZF, SF
    logic integer ef_tf(integer x)   = (x / 256) % 2;
    logic integer ef_if(integer x)   = (x / 512) % 2;
    logic integer ef_dfof(integer x) = (x / 1024) % 4;     // DF, OF
    logic integer ef_iopl(integer x) = (x / 4096) % 4;
    logic integer ef_nt(integer x)   = (x / 16384) % 2;
    logic integer ef_b15(integer x)  = (x / 32768) % 2;
    logic integer ef_rf(integer x)   = (x / 65536) % 2;
    logic integer ef_vm(integer x)   = (x / 131072) % 2;
    logic integer ef_high(integer x) = x / 262144;         // AC, VIF, VIP, ID, reserved

    // The arithmetic flags, DF, OF, AC, ID and the reserved bits pass through.
    predicate ef_same_rest(integer o, integer n) =
        ef_low(n) == ef_low(o) && ef_dfof(n) == ef_dfof(o) &&
        ef_b15(n) == ef_b15(o) && ef_high(n) == ef_high(o);
*/

/* ------------------------------------------------------------------ */
/* Selectors                                                           */

/* TRAP-2, CB-2: RPL 0 becomes 1 (as Xen's fixup_guest_code_selector). */
/*@ assigns \nothing;
    ensures \result == sel_rpl_fixed(sel) && \result % 4 != 0;
*/
uint16_t trap_selector_fixup(uint16_t sel);

/*
 * TRAP-3: a selector a trap handler or callback may run under (after
 * trap_selector_fixup): FLAT_RING1_CS, FLAT_RING3_CS, an LDT selector, or
 * a guest GDT entry 1..7167. Never the null selector, never another entry
 * of the hypervisor's reserved GDT page (its ring-0 CS and DS among them).
 */
/*@ assigns \nothing;
    ensures TRAP_3: \result == 1 <==> guest_code_sel(sel);
*/
bool trap_code_selector_ok(uint16_t sel);

/*
 * CB-7: a selector a ring-1 stack may be named by (after
 * trap_selector_fixup): FLAT_RING1_SS, FLAT_RING3_SS, an LDT selector or a
 * guest GDT entry 1..7167. Never the null selector, never another entry
 * of the reserved page (the hypervisor's DS, the TSS, the code
 * selectors), never past the GDT. A guest GDT or LDT entry may be filled
 * in later; each use judges it then (DESC-12, DESC-13).
 */
/*@ assigns \nothing;
    ensures CB_7: \result == 1 <==> guest_stack_sel(sel);
*/
bool trap_stack_selector_ok(uint16_t sel);

/*
 * stack_switch(ss, esp): the selector the ring-1 stack is kept as. Returns
 * 0 with *out = the selector with RPL >= 1, or -EINVAL for a value above
 * 16 bits or one that can never name a guest stack (CB-7); *out is
 * written only on success.
 */
/*@ requires \valid(out);
    assigns *out;
    ensures \result == 0 || \result == -EINVAL;
    ensures CB_7: \result == 0 <==> (ss <= 65535 && guest_stack_sel(sel_rpl_fixed(ss)));
    ensures CB_7: \result == 0 ==> *out == sel_rpl_fixed(ss) && *out % 4 != 0;
    ensures \result != 0 ==> *out == \old(*out);
*/
int trap_stack_switch(uint32_t ss, uint16_t *out);

/* TRAP-7, CB-8: may a handler or callback start at offset `addr`? */
/*@ assigns \nothing;
    ensures \result == 1 <==> guest_code_addr(addr);
*/
bool trap_handler_address_ok(uint32_t addr);

/* ------------------------------------------------------------------ */
/* Virtual IDT (set_trap_table)                                         */

/*
 * Check one entry of a set_trap_table list (the glue stops at the first
 * entry whose address is 0, TRAP-1). Fixes the CS RPL in place (TRAP-2)
 * and refuses a CS that is not a guest code selector (TRAP-3) or an
 * address in the hypervisor's range (TRAP-7). Returns 0 or -EINVAL; a
 * refused entry is left unchanged.
 */
/*@ requires \valid(ti);
    assigns ti->cs;
    ensures \result == 0 || \result == -EINVAL;
    ensures TRAP_3: \result == 0 <==>
        (guest_code_sel(sel_rpl_fixed(\old(ti->cs))) && guest_code_addr(ti->address));
    ensures TRAP_7: !guest_code_addr(ti->address) ==> \result == -EINVAL;
    ensures TRAP_2: \result == 0 ==> ti->cs == sel_rpl_fixed(\old(ti->cs)) && ti->cs % 4 != 0;
    ensures \result != 0 ==> ti->cs == \old(ti->cs);
*/
int trap_check_entry(struct trap_info *ti);

/*
 * TRAP-4: `int $n` from ring `cpl` (1..3) reaches the guest's handler for
 * n when the entry's DPL allows it; otherwise the guest gets #GP with
 * trap_soft_int_error_code(n). (Vectors 3 and 4 never come this way: the
 * hypervisor's own gates for them are DPL 3.)
 */
/*@ requires \valid_read(ti);
    assigns \nothing;
    ensures TRAP_4: \result == 1 <==> ti->flags % 4 >= cpl;
*/
bool trap_soft_int_permitted(const struct trap_info *ti, uint32_t cpl);

/*@ assigns \nothing;
    ensures \result == vector * 8 + 2;
*/
uint32_t trap_soft_int_error_code(uint8_t vector);

/* The exceptions that push an error code: 8, 10-14, 17 (TRAP-6). */
/*@ assigns \nothing;
    ensures TRAP_6: \result == 1 <==>
        (vector == 8 || (10 <= vector <= 14) || vector == 17);
*/
bool trap_vector_has_error_code(uint32_t vector);

/*
 * TRAP-5: may vector 0x80's entry become a real trap gate in the IDT
 * (the "fast system call": `int $0x80` enters the guest kernel directly)?
 * Only if it is registered (address != 0), does not ask for events to be
 * masked (the CPU cannot set the virtual mask), and its CS passes both
 * DESC-5 (the rule for gates) and TRAP-3.
 */
/*@ requires \valid_read(ti);
    assigns \nothing;
    ensures TRAP_5: \result == 1 <==>
        (ti->address != 0 && (ti->flags / 4) % 2 == 0 &&
         ti->cs % 4 != 0 && desc_gate_sel_ok(ti->cs) && guest_code_sel(ti->cs));
*/
bool trap_int80_direct_ok(const struct trap_info *ti);

/*
 * The IDT gate for vector 0x80 while this vCPU runs: a present 32-bit
 * trap gate (type 0xF) with the entry's DPL, selector and offset when
 * trap_int80_direct_ok(), else 0 (not present: `int $0x80` then raises
 * #GP and takes the TRAP-4 path).
 */
/*@ requires \valid_read(ti);
    assigns \nothing;
    behavior direct:
        assumes ti->address != 0 && (ti->flags / 4) % 2 == 0 &&
                ti->cs % 4 != 0 && desc_gate_sel_ok(ti->cs) && guest_code_sel(ti->cs);
        ensures TRAP_5: desc_p(\result) == 1 && desc_s(\result) == 0 &&
            desc_type(\result) == 15 && desc_dpl(\result) == ti->flags % 4 &&
            desc_sel(\result) == ti->cs && desc_mid(\result) == 0;
        ensures desc_lim_lo(\result) == ti->address % 65536 &&
            desc_lim_hi(\result) == (ti->address / 65536) % 16 &&
            desc_avl(\result) == (ti->address / 1048576) % 8 &&
            desc_g(\result) == (ti->address / 8388608) % 2 &&
            desc_top(\result) == ti->address / 16777216;
    behavior not_direct:
        assumes !(ti->address != 0 && (ti->flags / 4) % 2 == 0 &&
                  ti->cs % 4 != 0 && desc_gate_sel_ok(ti->cs) && guest_code_sel(ti->cs));
        ensures \result == 0;
    complete behaviors;
    disjoint behaviors;
*/
uint64_t trap_int80_gate(const struct trap_info *ti);

/* ------------------------------------------------------------------ */
/* Callbacks (callback_op, set_callbacks)                              */

/* A registered callback as the vCPU keeps it. */
struct trap_callback {
    uint32_t eip;
    uint16_t cs;
    bool     mask_events;   /* set evtchn_upcall_mask on entry */
};

/*@ predicate cb_type_ok(integer t) =
        t == CALLBACKTYPE_event || t == CALLBACKTYPE_failsafe ||
        t == CALLBACKTYPE_nmi || t == CALLBACKTYPE_sysenter ||
        t == CALLBACKTYPE_syscall32;
*/

/*
 * CALLBACKOP_register (and each half of set_callbacks). Returns 0 with
 * *out filled, -ENOSYS for a type Bulkhead does not take (CB-1), or
 * -EINVAL for a CS above 16 bits or not a guest code selector after the
 * RPL fix-up (CB-2, CB-3), or an address in the hypervisor's range, NMI
 * included (CB-8). *out is written only on success.
 * Event and NMI entries always mask events; failsafe, sysenter and
 * syscall32 follow CALLBACKF_mask_events (CB-4). The NMI entry runs on
 * FLAT_RING1_CS whatever CS is given, as Xen (CB-5).
 */
/*@ requires \valid_read(reg) && \valid(out) && \separated(reg, out);
    assigns *out;
    ensures \result == 0 || \result == -EINVAL || \result == -ENOSYS;
    ensures CB_1: \result == -ENOSYS <==> !cb_type_ok(reg->type);
    ensures CB_3: \result == -EINVAL <==>
        (cb_type_ok(reg->type) &&
         ((reg->type != CALLBACKTYPE_nmi &&
           (reg->address.cs > 65535 || !guest_code_sel(sel_rpl_fixed(reg->address.cs)))) ||
          !guest_code_addr(reg->address.eip)));
    ensures CB_8: cb_type_ok(reg->type) && !guest_code_addr(reg->address.eip) ==>
        \result == -EINVAL;
    ensures CB_2: \result == 0 ==> out->cs % 4 != 0 && guest_code_sel(out->cs) &&
        out->eip == reg->address.eip;
    ensures CB_5: \result == 0 && reg->type == CALLBACKTYPE_nmi ==> out->cs == FLAT_RING1_CS;
    ensures \result == 0 && reg->type != CALLBACKTYPE_nmi ==>
        out->cs == sel_rpl_fixed(reg->address.cs);
    ensures CB_4: \result == 0 ==>
        (out->mask_events == 1 <==>
         (reg->type == CALLBACKTYPE_event || reg->type == CALLBACKTYPE_nmi ||
          reg->flags % 2 == 1));
    ensures \result != 0 ==> *out == \old(*out);
*/
int trap_callback_register(const struct callback_register *reg, struct trap_callback *out);

/*
 * CALLBACKOP_unregister: 0 for nmi (trap_op.c clears it), -EINVAL for the
 * types that cannot be removed (event, failsafe, sysenter, syscall32),
 * -ENOSYS for the others (CB-6).
 */
/*@ assigns \nothing;
    ensures CB_6_nmi: \result == 0 <==> type == CALLBACKTYPE_nmi;
    ensures CB_6_kept: \result == -EINVAL <==> (cb_type_ok(type) && type != CALLBACKTYPE_nmi);
    ensures CB_6_unknown: \result == -ENOSYS <==> !cb_type_ok(type);
*/
int trap_callback_unregister(uint16_t type);

/* ------------------------------------------------------------------ */
/* NMIs                                                                */

/*
 * NMI-3: a vCPU's pending NMI on the way back to it. While an NMI frame
 * is outstanding (masked: set when one is delivered, cleared by the
 * guest's iret) it stays pending; otherwise it is delivered to the NMI
 * callback, or dropped when none is registered, as Xen does.
 */
#define NMI_NONE    0   /* nothing to do now */
#define NMI_DELIVER 1   /* enter the NMI callback; mask until the guest's iret */
#define NMI_DROP    2   /* no callback: the pending NMI is discarded */

/*@ requires \valid_read(cb);
    assigns \nothing;
    ensures NMI_3: pending == 0 || masked != 0 ==> \result == NMI_NONE;
    ensures NMI_3: pending != 0 && masked == 0 && cb->cs != 0 ==> \result == NMI_DELIVER;
    ensures NMI_3: pending != 0 && masked == 0 && cb->cs == 0 ==> \result == NMI_DROP;
*/
int trap_nmi_action(bool pending, bool masked, const struct trap_callback *cb);

/* ------------------------------------------------------------------ */
/* The iret hypercall (facts §1.4)                                     */

/*
 * At `int $0x82` the guest stack holds, from ESP up: EAX, EIP, CS,
 * EFLAGS, and for a return to ring 2/3 also ESP, SS. The glue checks
 * iret_frame_range_ok(esp), copies iret_frame_bytes(cs word) bytes (16 or
 * 24; the cs word is the third one, so it reads 16 first), then decodes.
 * A fault while reading crashes the domain (IRET-1).
 */
#define IRET_FRAME_MAX_BYTES 40u  /* the worst case Xen checks: with VM86 selectors */

#define IRET_OK          0
#define IRET_CRASH_RANGE 1        /* frame not wholly below HYPERVISOR_VIRT_START */
#define IRET_CRASH_VM86  2        /* EFLAGS.VM: Bulkhead has no virtual-8086 mode */
#define IRET_CRASH_RING0 3        /* target CS RPL 0 */

/* The registers after the hypercall: what the glue writes into the vCPU. */
struct iret_state {
    uint32_t eax;           /* also the hypercall's return value */
    uint32_t eip;
    uint32_t eflags;
    uint32_t esp;
    uint16_t cs;
    uint16_t ss;
    uint8_t  upcall_mask;   /* new vcpu_info.evtchn_upcall_mask */
};

/*@ predicate iret_range_ok(integer esp) =
        esp <= HYPERVISOR_VIRT_START - IRET_FRAME_MAX_BYTES;
*/

/* IRET-1: the worst-case 40-byte frame at `esp` lies below the hypervisor. */
/*@ assigns \nothing;
    ensures IRET_1: \result == 1 <==> iret_range_ok(esp);
*/
bool iret_frame_range_ok(uint32_t esp);

/* IRET-2: 16 bytes for a return to ring 0/1 (ring 0 is then refused), 24 for ring 2/3. */
/*@ assigns \nothing;
    ensures IRET_2: \result == (cs_word % 4 >= 2 ? 24 : 16);
*/
uint32_t iret_frame_bytes(uint32_t cs_word);

/*
 * Decode the frame words the glue read at `esp` (frame[4], frame[5] are
 * looked at only for a return to ring 2/3) against the current stack
 * segment `ss`. Returns IRET_OK with *out filled, or one of the
 * IRET_CRASH_* codes: the glue then crashes the domain.
 */
/*@ requires \valid_read(frame + (0 .. 5)) && \valid(out);
    requires \separated(frame + (0 .. 5), out);
    assigns *out;
    behavior IRET_1_range:
        assumes !iret_range_ok(esp);
        ensures \result == IRET_CRASH_RANGE;
    behavior IRET_5_vm86:
        assumes iret_range_ok(esp) && ef_vm(frame[3]) == 1;
        ensures \result == IRET_CRASH_VM86;
    behavior IRET_3_ring0:
        assumes iret_range_ok(esp) && ef_vm(frame[3]) == 0 && frame[2] % 4 == 0;
        ensures \result == IRET_CRASH_RING0;
    behavior ok:
        assumes iret_range_ok(esp) && ef_vm(frame[3]) == 0 && frame[2] % 4 != 0;
        ensures \result == IRET_OK;
        ensures out->eax == frame[0] && out->eip == frame[1];
        ensures IRET_3: out->cs == frame[2] % 65536 && out->cs % 4 != 0;
        ensures IRET_4: ef_iopl(out->eflags) == 0 && ef_if(out->eflags) == 1 &&
            ef_vm(out->eflags) == 0 && ef_tf(out->eflags) == ef_tf(frame[3]) &&
            ef_nt(out->eflags) == ef_nt(frame[3]) && ef_rf(out->eflags) == ef_rf(frame[3]) &&
            ef_same_rest(frame[3], out->eflags);
        ensures IRET_6: out->upcall_mask == 1 - ef_if(frame[3]);
        ensures IRET_2: frame[2] % 4 == 1 ==> out->esp == esp + 16 && out->ss == ss;
        ensures IRET_2: frame[2] % 4 >= 2 ==>
            out->esp == frame[4] && out->ss == frame[5] % 65536;
    complete behaviors;
    disjoint behaviors;
*/
int iret_decode(const uint32_t frame[6], uint32_t esp, uint16_t ss, struct iret_state *out);

/* ------------------------------------------------------------------ */
/* Bounce frames (facts §6.6)                                          */

/* What is being delivered, and from where. */
struct bounce_req {
    /* the interrupted guest context */
    uint32_t eip, eflags, esp;
    uint16_t cs, ss;
    uint16_t ds, es, fs, gs;    /* pushed by failsafe frames only */
    uint8_t  saved_mask;        /* vcpu_info.evtchn_upcall_mask before delivery */
    /* the guest kernel stack for bounces from ring 2/3 (stack_switch) */
    uint16_t kernel_ss;
    uint32_t kernel_sp;
    /* linear base of the segment bounce_stack_selector() names (0 when flat) */
    uint32_t ss_base;
    /* the guest handler */
    uint16_t handler_cs;
    uint32_t handler_eip;
    bool     mask_events;       /* interrupt-gate entry, event callback, ... */
    bool     has_error;         /* push error_code (TRAP-6 vectors) */
    uint32_t error_code;
    bool     failsafe;          /* push DS, ES, FS, GS below everything */
};

#define BOUNCE_MAX_WORDS 10u    /* DS ES FS GS err EIP CS EFLAGS ESP SS */

/* The frame to write and the state to enter the handler with. */
struct bounce_frame {
    uint32_t words[BOUNCE_MAX_WORDS];   /* lowest address first */
    uint32_t nr_words;
    uint32_t frame_va;      /* linear address of words[0] (ss_base + esp) */
    uint32_t esp;           /* handler ESP: offset of words[0] in ss */
    uint16_t ss;
    uint16_t cs;            /* handler CS:EIP */
    uint32_t eip;
    uint32_t eflags;        /* handler EFLAGS */
    uint8_t  upcall_mask;   /* new vcpu_info.evtchn_upcall_mask */
};

#define BOUNCE_OK            0
#define BOUNCE_CRASH_CONTEXT 1  /* interrupted context in ring 0 or VM86: not a guest's */
#define BOUNCE_CRASH_HANDLER 2  /* handler CS null or RPL 0 (nothing registered) */
#define BOUNCE_CRASH_STACK_SEL 3 /* switching to a null or RPL-0 kernel SS */
#define BOUNCE_CRASH_STACK   4  /* frame not wholly below HYPERVISOR_VIRT_START */

/*@ // The frame's shape: outer rings (RPL 2, 3) also push ESP and SS.
    logic integer bounce_words(struct bounce_req *r) =
        3 + (r->has_error != 0 ? 1 : 0) + (r->failsafe != 0 ? 4 : 0) +
        (r->cs % 4 >= 2 ? 2 : 0);
    logic integer bounce_top(struct bounce_req *r) =
        r->cs % 4 >= 2 ? r->kernel_sp : r->esp;
    // index of the EIP word
    logic integer bounce_eip_at(struct bounce_req *r) =
        (r->failsafe != 0 ? 4 : 0) + (r->has_error != 0 ? 1 : 0);

    predicate bounce_context_ok(struct bounce_req *r) =
        r->cs % 4 != 0 && ef_vm(r->eflags) == 0;
    predicate bounce_handler_ok(struct bounce_req *r) =
        r->handler_cs >= 4 && r->handler_cs % 4 != 0;
    predicate bounce_stack_sel_ok(struct bounce_req *r) =
        r->cs % 4 < 2 || (r->kernel_ss >= 4 && r->kernel_ss % 4 != 0);
    predicate bounce_stack_ok(struct bounce_req *r) =
        4 * bounce_words(r) <= bounce_top(r) && r->ss_base <= HYPERVISOR_VIRT_START &&
        bounce_top(r) <= HYPERVISOR_VIRT_START - r->ss_base;
*/

/* Which stack the frame goes on: kernel_ss from ring 2/3, else the interrupted ss. */
/*@ requires \valid_read(req);
    assigns \nothing;
    ensures BOUNCE_1: \result == (req->cs % 4 >= 2 ? req->kernel_ss : req->ss);
*/
uint16_t bounce_stack_selector(const struct bounce_req *req);

/*
 * The stack offset the frame ends at (BOUNCE-1: kernel_sp from ring 2/3,
 * else the interrupted ESP) and its size in bytes (BOUNCE-3): the glue
 * judges the stack segment for exactly these offsets (DESC-13) before it
 * asks for the frame.
 */
/*@ requires \valid_read(req);
    assigns \nothing;
    ensures BOUNCE_1: \result == bounce_top(req);
*/
uint32_t bounce_stack_top(const struct bounce_req *req);

/*@ requires \valid_read(req);
    assigns \nothing;
    ensures BOUNCE_3: \result == 4 * bounce_words(req) && 12 <= \result <= 4 * BOUNCE_MAX_WORDS;
*/
uint32_t bounce_frame_bytes(const struct bounce_req *req);

/*
 * Compute a bounce frame. Returns BOUNCE_OK with *out filled, or a
 * BOUNCE_CRASH_* code: the glue then crashes the domain (it never
 * writes a partial frame).
 */
/*@ requires \valid_read(req) && \valid(out) && \separated(req, out);
    assigns *out;
    behavior BOUNCE_6_context:
        assumes !bounce_context_ok(req);
        ensures \result == BOUNCE_CRASH_CONTEXT;
    behavior BOUNCE_2_handler:
        assumes bounce_context_ok(req) && !bounce_handler_ok(req);
        ensures \result == BOUNCE_CRASH_HANDLER;
    behavior BOUNCE_1_stack_sel:
        assumes bounce_context_ok(req) && bounce_handler_ok(req) &&
                !bounce_stack_sel_ok(req);
        ensures \result == BOUNCE_CRASH_STACK_SEL;
    behavior BOUNCE_4_stack:
        assumes bounce_context_ok(req) && bounce_handler_ok(req) &&
                bounce_stack_sel_ok(req) && !bounce_stack_ok(req);
        ensures \result == BOUNCE_CRASH_STACK;
    behavior ok:
        assumes bounce_context_ok(req) && bounce_handler_ok(req) &&
                bounce_stack_sel_ok(req) && bounce_stack_ok(req);
        ensures \result == BOUNCE_OK;
        ensures BOUNCE_1: out->ss ==
            (\old(req->cs) % 4 >= 2 ? \old(req->kernel_ss) : \old(req->ss));
        ensures BOUNCE_4: out->nr_words == \old(bounce_words(req));
        ensures BOUNCE_4: out->esp == \old(bounce_top(req)) - 4 * out->nr_words;
        ensures BOUNCE_4: out->frame_va == \old(req->ss_base) + out->esp;
        ensures BOUNCE_4: out->frame_va + 4 * out->nr_words <= HYPERVISOR_VIRT_START;
        ensures BOUNCE_2: out->cs == \old(req->handler_cs) && out->cs % 4 != 0 &&
            out->cs >= 4 && out->eip == \old(req->handler_eip);
        ensures BOUNCE_5: ef_iopl(out->eflags) == 0 && ef_if(out->eflags) == 1 &&
            ef_tf(out->eflags) == 0 && ef_nt(out->eflags) == 0 &&
            ef_rf(out->eflags) == 0 && ef_vm(out->eflags) == 0 &&
            ef_same_rest(\old(req->eflags), out->eflags);
        ensures BOUNCE_3: out->upcall_mask ==
            (\old(req->mask_events) != 0 ? 1 : \old(req->saved_mask));
        ensures BOUNCE_3: out->words[\old(bounce_eip_at(req))] == \old(req->eip) &&
            out->words[\old(bounce_eip_at(req)) + 1] ==
                \old(req->cs) + 65536 * \old(req->saved_mask);
        ensures BOUNCE_3: \let e = out->words[\old(bounce_eip_at(req)) + 2];
            ef_iopl(e) == 0 && ef_if(e) == (\old(req->saved_mask) == 0 ? 1 : 0) &&
            ef_tf(e) == ef_tf(\old(req->eflags)) && ef_nt(e) == ef_nt(\old(req->eflags)) &&
            ef_rf(e) == ef_rf(\old(req->eflags)) && ef_vm(e) == 0 &&
            ef_same_rest(\old(req->eflags), e);
        ensures BOUNCE_3: \old(req->cs) % 4 >= 2 ==>
            out->words[\old(bounce_eip_at(req)) + 3] == \old(req->esp) &&
            out->words[\old(bounce_eip_at(req)) + 4] == \old(req->ss);
        ensures BOUNCE_3: \old(req->has_error) != 0 ==>
            out->words[\old(bounce_eip_at(req)) - 1] == \old(req->error_code);
        ensures BOUNCE_3: \old(req->failsafe) != 0 ==>
            out->words[0] == \old(req->ds) && out->words[1] == \old(req->es) &&
            out->words[2] == \old(req->fs) && out->words[3] == \old(req->gs);
    complete behaviors;
    disjoint behaviors;
*/
int bounce_build(const struct bounce_req *req, struct bounce_frame *out);

#endif
