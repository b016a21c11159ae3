/*
 * Trap entries, callbacks, the iret frame and bounce frames (see
 * trap_check.h for the theory of operation, spec/traps.md for the rules).
 *
 * EFLAGS images are edited the way desc_check.c edits descriptors: split
 * into fields, change fields, put back together by Horner's scheme, so
 * each field of the result is one division step away for the provers.
 */
#include "trap_check.h"

/* Every bit of EFLAGS as a field (10 fields, 32 bits). */
struct ef_fields {
    uint32_t low;    /* 0..7: CF, 1, PF, AF, ZF, SF */
    uint32_t tf;     /* 8 */
    uint32_t iff;    /* 9: the real interrupt flag */
    uint32_t dfof;   /* 10..11: DF, OF */
    uint32_t iopl;   /* 12..13 */
    uint32_t nt;     /* 14 */
    uint32_t b15;    /* 15 (reserved) */
    uint32_t rf;     /* 16 */
    uint32_t vm;     /* 17 */
    uint32_t high;   /* 18..31: AC, VIF, VIP, ID, reserved */
};

/*@ predicate ef_bounded(struct ef_fields f) =
        f.low < 256 && f.tf < 2 && f.iff < 2 && f.dfof < 4 && f.iopl < 4 &&
        f.nt < 2 && f.b15 < 2 && f.rf < 2 && f.vm < 2 && f.high < 16384;

    predicate ef_has(integer x, struct ef_fields f) =
        ef_low(x) == f.low && ef_tf(x) == f.tf && ef_if(x) == f.iff &&
        ef_dfof(x) == f.dfof && ef_iopl(x) == f.iopl && ef_nt(x) == f.nt &&
        ef_b15(x) == f.b15 && ef_rf(x) == f.rf && ef_vm(x) == f.vm &&
        ef_high(x) == f.high;
*/

/*@ requires \valid(f);
    assigns *f;
    ensures ef_has(x, *f) && ef_bounded(*f);
*/
static void ef_decode(uint32_t x, struct ef_fields *f)
{
    f->low = x % 256u;
    f->tf = (x / EFLAGS_TF) % 2u;
    f->iff = (x / EFLAGS_IF) % 2u;
    f->dfof = (x / 0x400u) % 4u;
    f->iopl = (x / 0x1000u) % 4u;
    f->nt = (x / EFLAGS_NT) % 2u;
    f->b15 = (x / 0x8000u) % 2u;
    f->rf = (x / EFLAGS_RF) % 2u;
    f->vm = (x / EFLAGS_VM) % 2u;
    f->high = x / 0x40000u;
}

/*@ requires \valid_read(f) && ef_bounded(*f);
    assigns \nothing;
    ensures ef_has(\result, *f);
*/
static uint32_t ef_encode(const struct ef_fields *f)
{
    /* From the top down: h_x holds bit x and everything above it. */
    uint32_t h_vm = f->vm + 2u * f->high;
    //@ assert h_vm == f->vm + 2 * f->high < 32768;
    uint32_t h_rf = f->rf + 2u * h_vm;
    //@ assert h_rf == f->rf + 2 * h_vm < 65536;
    uint32_t h_b15 = f->b15 + 2u * h_rf;
    //@ assert h_b15 == f->b15 + 2 * h_rf < 131072;
    uint32_t h_nt = f->nt + 2u * h_b15;
    //@ assert h_nt == f->nt + 2 * h_b15 < 262144;
    uint32_t h_iopl = f->iopl + 4u * h_nt;
    //@ assert h_iopl == f->iopl + 4 * h_nt < 1048576;
    uint32_t h_dfof = f->dfof + 4u * h_iopl;
    //@ assert h_dfof == f->dfof + 4 * h_iopl < 4194304;
    uint32_t h_if = f->iff + 2u * h_dfof;
    //@ assert h_if == f->iff + 2 * h_dfof < 8388608;
    uint32_t h_tf = f->tf + 2u * h_if;
    //@ assert h_tf == f->tf + 2 * h_if < 16777216;
    uint32_t x = f->low + 256u * h_tf;
    //@ assert x == f->low + 256 * h_tf;

    //@ assert h_tf % 2 == f->tf;
    //@ assert h_if % 2 == f->iff;
    //@ assert h_dfof % 4 == f->dfof;
    //@ assert h_iopl % 4 == f->iopl;
    //@ assert h_nt % 2 == f->nt;
    //@ assert h_b15 % 2 == f->b15;
    //@ assert h_rf % 2 == f->rf;
    //@ assert h_vm % 2 == f->vm;
    //@ assert x / 256 == h_tf && x / 512 == h_if && x / 1024 == h_dfof;
    //@ assert x / 4096 == h_iopl && x / 16384 == h_nt && x / 32768 == h_b15;
    //@ assert x / 65536 == h_rf && x / 131072 == h_vm && x / 262144 == f->high;
    //@ assert x % 256 == f->low;
    return x;
}

/* ------------------------------------------------------------------ */
/* Selectors                                                           */

uint16_t trap_selector_fixup(uint16_t sel)
{
    /* Xen's GUEST_KERNEL_RPL is 1: the guest kernel's own ring */
    if (sel % 4u == 0)
        return (uint16_t)(sel + 1u);
    return sel;
}

bool trap_code_selector_ok(uint16_t sel)
{
    uint32_t index = sel / 8u;

    if (sel == FLAT_RING1_CS || sel == FLAT_RING3_CS)
        return true;
    if ((sel / 4u) % 2u != 0)           /* LDT: checked by desc_check() */
        return true;
    /* a guest GDT entry, not the null one, not the reserved page */
    return index >= 1 && index < FIRST_RESERVED_GDT_ENTRY;
}

bool trap_stack_selector_ok(uint16_t sel)
{
    uint32_t index = sel / 8u;

    if (sel == FLAT_RING1_SS || sel == FLAT_RING3_SS)
        return true;
    if ((sel / 4u) % 2u != 0)           /* LDT: judged at each use (DESC-12/13) */
        return true;
    /* a guest GDT entry, not the null one, not the reserved page, not past the GDT */
    return index >= 1 && index < FIRST_RESERVED_GDT_ENTRY;
}

int trap_stack_switch(uint32_t ss, uint16_t *out)
{
    uint16_t fixed;

    if (ss > 0xFFFFu)                   /* CB-7: a selector is 16 bits */
        return -EINVAL;
    fixed = trap_selector_fixup((uint16_t)ss);
    if (!trap_stack_selector_ok(fixed)) /* CB-7: never a guest stack */
        return -EINVAL;
    *out = fixed;
    return 0;
}

bool trap_handler_address_ok(uint32_t addr)
{
    /* TRAP-7, CB-8: from here up every linear address is the hypervisor's */
    return addr < HYPERVISOR_VIRT_START;
}

/* ------------------------------------------------------------------ */
/* Virtual IDT                                                         */

int trap_check_entry(struct trap_info *ti)
{
    uint16_t cs = trap_selector_fixup(ti->cs);      /* TRAP-2 */

    /* TRAP-3: a handler never runs under a null or hypervisor selector */
    if (!trap_code_selector_ok(cs))
        return -EINVAL;
    /* TRAP-7: nor at a hypervisor address, where it could only fault */
    if (!trap_handler_address_ok(ti->address))
        return -EINVAL;
    ti->cs = cs;
    return 0;
}

bool trap_soft_int_permitted(const struct trap_info *ti, uint32_t cpl)
{
    return ti->flags % 4u >= cpl;       /* TRAP-4: the entry's DPL */
}

uint32_t trap_soft_int_error_code(uint8_t vector)
{
    /* the error code #GP carries for a gate: IDT bit (2) and the vector */
    return (uint32_t)vector * 8u + 2u;
}

bool trap_vector_has_error_code(uint32_t vector)
{
    /* TRAP-6: #DF, #TS, #NP, #SS, #GP, #PF, #AC */
    return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17;
}

bool trap_int80_direct_ok(const struct trap_info *ti)
{
    if (ti->address == 0)               /* nothing registered */
        return false;
    /* the CPU cannot set the virtual event mask on entry */
    if ((ti->flags / 4u) % 2u != 0)
        return false;
    /* the gate goes straight into the IDT: DESC-5 as for a call gate */
    return ti->cs % 4u != 0 && desc_gate_selector_ok(ti->cs) &&
           trap_code_selector_ok(ti->cs);
}

uint64_t trap_int80_gate(const struct trap_info *ti)
{
    struct desc_fields g;
    uint32_t addr = ti->address;

    if (!trap_int80_direct_ok(ti))
        return 0;
    g.lim_lo = addr % 0x10000u;         /* offset 15:0 */
    g.sel = ti->cs;
    g.mid = 0;                          /* no parameters in a trap gate */
    g.type = 0xFu;                      /* 32-bit trap gate: IF stays set */
    g.s = 0;
    g.dpl = ti->flags % 4u;
    g.p = 1;
    g.lim_hi = (addr / 0x10000u) % 16u; /* offset 31:16 spans these fields */
    g.avl = (addr / 0x100000u) % 8u;
    g.g = (addr / 0x800000u) % 2u;
    g.top = addr / 0x1000000u;
    return desc_encode(&g);
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */

/*@ assigns \nothing;
    ensures \result == 1 <==> cb_type_ok(type);
*/
static bool cb_type_supported(uint16_t type)
{
    /* syscall (2) is for 64-bit guests; sysenter_deprecated (3) needs
     * supervisor_mode_kernel, which Bulkhead never has */
    return type == CALLBACKTYPE_event || type == CALLBACKTYPE_failsafe ||
           type == CALLBACKTYPE_nmi || type == CALLBACKTYPE_sysenter ||
           type == CALLBACKTYPE_syscall32;
}

int trap_callback_register(const struct callback_register *reg, struct trap_callback *out)
{
    uint32_t cs = reg->address.cs;
    uint16_t fixed;

    if (!cb_type_supported(reg->type))          /* CB-1 */
        return -ENOSYS;
    if (!trap_handler_address_ok(reg->address.eip))  /* CB-8 */
        return -EINVAL;
    if (reg->type == CALLBACKTYPE_nmi) {
        /* CB-5: Xen enters NMI handlers on the flat ring-1 CS */
        out->cs = FLAT_RING1_CS;
        out->eip = reg->address.eip;
        out->mask_events = true;
        return 0;
    }
    if (cs > 0xFFFFu)                           /* CB-3: a selector is 16 bits */
        return -EINVAL;
    fixed = trap_selector_fixup((uint16_t)cs);  /* CB-2 */
    if (!trap_code_selector_ok(fixed))          /* CB-3 */
        return -EINVAL;
    out->cs = fixed;
    out->eip = reg->address.eip;
    /* CB-4: event upcalls always mask; the others as the guest asks */
    out->mask_events = reg->type == CALLBACKTYPE_event ||
                       reg->flags % 2u != 0;
    return 0;
}

int trap_callback_unregister(uint16_t type)
{
    if (type == CALLBACKTYPE_nmi)
        return 0;
    if (cb_type_supported(type))                /* CB-6: the guest needs them */
        return -EINVAL;
    return -ENOSYS;
}

/* ------------------------------------------------------------------ */
/* NMIs                                                                */

int trap_nmi_action(bool pending, bool masked, const struct trap_callback *cb)
{
    /* NMI-3: one NMI frame at a time; the guest's iret ends it */
    if (!pending || masked)
        return NMI_NONE;
    return cb->cs != 0 ? NMI_DELIVER : NMI_DROP;
}

/* ------------------------------------------------------------------ */
/* iret                                                                */

bool iret_frame_range_ok(uint32_t esp)
{
    /* IRET-1: Xen's worst-case frame, in subtraction form (no wrap) */
    return esp <= HYPERVISOR_VIRT_START - IRET_FRAME_MAX_BYTES;
}

uint32_t iret_frame_bytes(uint32_t cs_word)
{
    /* IRET-2: a return to an outer ring also pops ESP and SS */
    return cs_word % 4u >= 2 ? 24u : 16u;
}

int iret_decode(const uint32_t frame[6], uint32_t esp, uint16_t ss, struct iret_state *out)
{
    struct ef_fields ef;
    uint32_t cs_word = frame[2];

    if (!iret_frame_range_ok(esp))              /* IRET-1 */
        return IRET_CRASH_RANGE;
    ef_decode(frame[3], &ef);
    if (ef.vm != 0)                             /* IRET-5 */
        return IRET_CRASH_VM86;
    if (cs_word % 4u == 0)                      /* IRET-3: never to ring 0 */
        return IRET_CRASH_RING0;

    /* IRET-6: the frame's IF is the guest's virtual interrupt flag */
    out->upcall_mask = ef.iff != 0 ? 0 : 1;
    /* IRET-4: no real IOPL for the guest, real interrupts always on */
    ef.iopl = 0;
    ef.iff = 1;
    out->eflags = ef_encode(&ef);
    out->eax = frame[0];
    out->eip = frame[1];
    out->cs = (uint16_t)(cs_word % 0x10000u);
    //@ assert out->cs % 4 == cs_word % 4;
    if (cs_word % 4u == 1) {
        /* IRET-2: back to the ring-1 kernel: EAX, EIP, CS, EFLAGS popped */
        out->esp = esp + 16u;
        out->ss = ss;
    } else {
        out->esp = frame[4];
        out->ss = (uint16_t)(frame[5] % 0x10000u);
    }
    return IRET_OK;
}

/* ------------------------------------------------------------------ */
/* Bounce frames                                                       */

uint16_t bounce_stack_selector(const struct bounce_req *req)
{
    /* BOUNCE-1: from ring 2/3 switch to the kernel stack; ring 1 stays put */
    return req->cs % 4u >= 2 ? req->kernel_ss : req->ss;
}

/*@ requires \valid_read(req);
    assigns \nothing;
    ensures \result == bounce_words(req) && 3 <= \result <= BOUNCE_MAX_WORDS;
*/
static uint32_t bounce_nr_words(const struct bounce_req *req)
{
    uint32_t n = 3;                     /* EIP, CS, EFLAGS */

    if (req->has_error)
        n += 1;
    if (req->failsafe)
        n += 4;                         /* DS, ES, FS, GS */
    if (req->cs % 4u >= 2)
        n += 2;                         /* ESP, SS of the outer ring */
    return n;
}

uint32_t bounce_stack_top(const struct bounce_req *req)
{
    return req->cs % 4u >= 2 ? req->kernel_sp : req->esp;
}

uint32_t bounce_frame_bytes(const struct bounce_req *req)
{
    return 4u * bounce_nr_words(req);
}

/*
 * The checks, in the order of the contract's behaviours; 0 when the frame
 * can be built.
 */
/*@ requires \valid_read(req);
    assigns \nothing;
    ensures !bounce_context_ok(req) ==> \result == BOUNCE_CRASH_CONTEXT;
    ensures bounce_context_ok(req) && !bounce_handler_ok(req) ==>
        \result == BOUNCE_CRASH_HANDLER;
    ensures bounce_context_ok(req) && bounce_handler_ok(req) &&
        !bounce_stack_sel_ok(req) ==> \result == BOUNCE_CRASH_STACK_SEL;
    ensures bounce_context_ok(req) && bounce_handler_ok(req) &&
        bounce_stack_sel_ok(req) && !bounce_stack_ok(req) ==>
        \result == BOUNCE_CRASH_STACK;
    ensures bounce_context_ok(req) && bounce_handler_ok(req) &&
        bounce_stack_sel_ok(req) && bounce_stack_ok(req) ==> \result == BOUNCE_OK;
    ensures \result == BOUNCE_OK ==> bounce_context_ok(req) && bounce_handler_ok(req) &&
        bounce_stack_sel_ok(req) && bounce_stack_ok(req);
*/
static int bounce_check(const struct bounce_req *req)
{
    uint32_t bytes = 4u * bounce_nr_words(req);
    uint32_t top = req->cs % 4u >= 2 ? req->kernel_sp : req->esp;

    /* BOUNCE-6: the hypervisor never runs guests in ring 0 or VM86 mode */
    if (req->cs % 4u == 0 || (req->eflags / EFLAGS_VM) % 2u != 0)
        return BOUNCE_CRASH_CONTEXT;
    /* BOUNCE-2: a null CS means no handler; RPL 0 would be ring 0 */
    if (req->handler_cs < 4 || req->handler_cs % 4u == 0)
        return BOUNCE_CRASH_HANDLER;
    /* BOUNCE-1: the kernel stack from stack_switch must be usable */
    if (req->cs % 4u >= 2 && (req->kernel_ss < 4 || req->kernel_ss % 4u == 0))
        return BOUNCE_CRASH_STACK_SEL;
    /* BOUNCE-4: [ss_base + top - bytes, ss_base + top) below the hypervisor */
    if (top < bytes || req->ss_base > HYPERVISOR_VIRT_START ||
        top > HYPERVISOR_VIRT_START - req->ss_base)
        return BOUNCE_CRASH_STACK;
    return BOUNCE_OK;
}

/*
 * BOUNCE-3: the words, lowest address first:
 * [DS ES FS GS] [error code] EIP CS|mask<<16 EFLAGS [ESP SS].
 */
/*@ requires \valid_read(req) && \valid(out) && \separated(req, out);
    assigns out->words[0 .. BOUNCE_MAX_WORDS - 1];
    ensures out->words[bounce_eip_at(req)] == req->eip &&
        out->words[bounce_eip_at(req) + 1] == req->cs + 65536 * req->saved_mask;
    ensures out->words[bounce_eip_at(req) + 2] == slot;
    ensures req->cs % 4 >= 2 ==>
        out->words[bounce_eip_at(req) + 3] == req->esp &&
        out->words[bounce_eip_at(req) + 4] == req->ss;
    ensures req->has_error != 0 ==>
        out->words[bounce_eip_at(req) - 1] == req->error_code;
    ensures req->failsafe != 0 ==>
        out->words[0] == req->ds && out->words[1] == req->es &&
        out->words[2] == req->fs && out->words[3] == req->gs;
*/
static void bounce_fill_words(const struct bounce_req *req, uint32_t slot,
                              struct bounce_frame *out)
{
    uint32_t i = 0;

    if (req->failsafe) {
        out->words[0] = req->ds;
        out->words[1] = req->es;
        out->words[2] = req->fs;
        out->words[3] = req->gs;
        i = 4;
    }
    if (req->has_error) {
        out->words[i] = req->error_code;
        i++;
    }
    out->words[i] = req->eip;
    out->words[i + 1] = req->cs + 0x10000u * req->saved_mask;
    out->words[i + 2] = slot;
    if (req->cs % 4u >= 2) {
        out->words[i + 3] = req->esp;
        out->words[i + 4] = req->ss;
    }
}

/* BOUNCE-3: the interrupted EFLAGS as the guest sees it: its virtual IF, no IOPL. */
/*@ assigns \nothing;
    ensures ef_iopl(\result) == 0 && ef_if(\result) == (saved_mask == 0 ? 1 : 0) &&
        ef_tf(\result) == ef_tf(eflags) && ef_nt(\result) == ef_nt(eflags) &&
        ef_rf(\result) == ef_rf(eflags) && ef_vm(\result) == ef_vm(eflags) &&
        ef_same_rest(eflags, \result);
*/
static uint32_t bounce_frame_eflags(uint32_t eflags, uint8_t saved_mask)
{
    struct ef_fields ef;

    ef_decode(eflags, &ef);
    ef.iff = saved_mask == 0 ? 1 : 0;
    ef.iopl = 0;
    return ef_encode(&ef);
}

/* BOUNCE-5: the handler starts with TF, NT, RF, VM, IOPL clear and IF set. */
/*@ assigns \nothing;
    ensures ef_iopl(\result) == 0 && ef_if(\result) == 1 && ef_tf(\result) == 0 &&
        ef_nt(\result) == 0 && ef_rf(\result) == 0 && ef_vm(\result) == 0 &&
        ef_same_rest(eflags, \result);
*/
static uint32_t bounce_handler_eflags(uint32_t eflags)
{
    struct ef_fields ef;

    ef_decode(eflags, &ef);
    ef.tf = 0;
    ef.nt = 0;
    ef.rf = 0;
    ef.vm = 0;
    ef.iopl = 0;
    ef.iff = 1;
    return ef_encode(&ef);
}

int bounce_build(const struct bounce_req *req, struct bounce_frame *out)
{
    uint32_t top, n, esp, eflags, slot;
    uint16_t ss;
    int rc = bounce_check(req);

    if (rc != BOUNCE_OK)
        return rc;
    top = req->cs % 4u >= 2 ? req->kernel_sp : req->esp;
    //@ assert top == bounce_top(req) && bounce_stack_ok(req);
    n = bounce_nr_words(req);
    esp = top - 4u * n;
    //@ assert esp == bounce_top(req) - 4 * n;
    //@ assert req->ss_base + esp + 4 * bounce_words(req) <= HYPERVISOR_VIRT_START;
    ss = bounce_stack_selector(req);
    eflags = bounce_handler_eflags(req->eflags);
    slot = bounce_frame_eflags(req->eflags, req->saved_mask);

    out->nr_words = n;
    out->esp = esp;
    out->frame_va = req->ss_base + esp;
    out->ss = ss;
    out->cs = req->handler_cs;
    out->eip = req->handler_eip;
    out->eflags = eflags;
    /* BOUNCE-3: events masked on entry when asked, else as they were */
    out->upcall_mask = req->mask_events ? 1 : req->saved_mask;
    bounce_fill_words(req, slot, out);
    return BOUNCE_OK;
}
