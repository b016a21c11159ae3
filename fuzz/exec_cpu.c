/*
 * Guest-CPU hypercalls and checks: set_trap_table and callback_op as the
 * hypervisor runs them (hv/core/trap_op.c), and the pure decoders, called
 * as hv/vcpu_ops.c (iret), hv/guest_fault.c and hv/emulate.c call them,
 * each result held against its rule (fuzz/oracle.c and the ACSL contracts in trap_check.h).
 *
 * Blob layouts (the 64-bit values of args 0..3, little-endian words):
 *   iret     a0 SEL: the CS word (raw: its low 32 bits; a handle: the
 *            selector, with bits 32..47 as the word's upper half);
 *            a1: EFLAGS (bits 0..31), EIP (32..63); a2 SEL: the SS word
 *            (raw: low 32 bits), ESP word = bits 32..63; a3: the frame's
 *            address (ESP) bits 0..31, the current SS 32..47, EAX 48..63
 *   bounce   a0: EIP, EFLAGS; a1: ESP, CS (32..47), SS (48..63);
 *            a2: kernel SP, kernel SS (32..47), handler CS (48..63);
 *            a3: handler EIP, error code (32..47), bit 48 mask events,
 *            49 error code, 50 failsafe, 51 saved mask, 52..54 SS base;
 *            the stack-segment checks also take a descriptor (a0 ^ a2),
 *            a GDT count (a3 bits 55..63) and an LDT size (a1 bits 20..)
 *   emulate  a0, a1: 16 instruction bytes; a2: EAX, ECX; a3: EDX (0..31),
 *            bytes available (32..36), ring 3 if bit 40, virtual IOPL
 *            (41..42)
 *   boot_layout a0: virt_base, kernel_start; a1: kernel_end, nr_pages
 *            (modulo 16384); a2: module_len, domU (bit 32)
 */
#include <stdlib.h>
#include <string.h>

#include "boot_layout.h"
#include "desc_check.h"
#include "emul_decode.h"
#include "emul_dr.h"
#include "emul_policy.h"
#include "env.h"
#include "exec_internal.h"
#include "hypercall_page.h"
#include "pt_table.h"
#include "pv/errno.h"
#include "pv/shared_info.h"
#include "seg_lookup.h"
#include "trap_check.h"
#include "trap_op.h"
#include "hosted_env.h"

#define EF_CHECK (EFLAGS_IOPL | EFLAGS_IF | EFLAGS_VM)

static int op_desc_check(const struct prog_op *op)
{
    uint64_t d = res_desc(&op->a[0]), orig = d, t = d;
    int rc = desc_check(&d);

    if (rc == 0 && !oracle_desc_safe(d))
        exec_finding("DESC: desc_check accepts %#llx as %#llx, which the CPU could misuse",
                     (unsigned long long)orig, (unsigned long long)d);
    if (rc != 0 && d != orig)
        exec_finding("DESC-11: refused descriptor %#llx changed to %#llx",
                     (unsigned long long)orig, (unsigned long long)d);
    if ((desc_check_table(&t, 1) == 0) != (rc == 0) || t != d)
        exec_finding("DESC: desc_check_table disagrees with desc_check on %#llx",
                     (unsigned long long)orig);
    return rc;
}

/* The vCPU registrations the trap hypercalls act on, fresh for each op. */
static struct trap_vcpu cpu_tv;

#define CPU_OFF 0x300u     /* where their argument goes in the window */

static bool tv_clear_but(uint32_t vector)
{
    static const struct trap_vcpu zero;
    uint32_t i;

    for (i = 0; i < TRAP_VECTORS; i++)
        if (i != vector && memcmp(&cpu_tv.idt[i], &zero.idt[i], sizeof(zero.idt[i])))
            return false;
    return true;
}

/*
 * set_trap_table (hv/core/trap_op.c, as the hypervisor runs it) with a
 * one-entry list, placed as op->aux says; then the entry it stored and
 * the int 0x80 gate it showed, held against the rules.
 */
static int op_trap_check(const struct prog_op *op)
{
    struct trap_info list[2];
    const struct trap_info *got;
    uint64_t gate;
    int rc;

    memset(list, 0, sizeof(list));
    list[0].vector = (uint8_t)op->a[2].value;
    list[0].flags = (uint8_t)(op->a[2].value >> 8);
    list[0].cs = res_sel(&op->a[0]);
    list[0].address = res_u32(&op->a[1]);
    memset(&cpu_tv, 0, sizeof(cpu_tv));
    hosted_cpu_reset();
    rc = trap_op_set_table(&cpu_tv, args_place(op->aux, CPU_OFF, list, sizeof(list)));
    got = &cpu_tv.idt[list[0].vector];
    if (hosted_cpu()->int80_sets != 1)
        exec_finding("TRAP-8: the int 0x80 gate shown %u times", hosted_cpu()->int80_sets);
    if (!tv_clear_but(list[0].vector))
        exec_finding("TRAP-1: set_trap_table changed a vector it was not given");
    if (got->address == 0) {
        if (got->cs != 0 || got->flags != 0)
            exec_finding("TRAP-1/8: an entry with no handler stored");
    } else if (rc != 0 && !(rc == -EFAULT && op->aux % 4u == 1)) {
        /* (straddling the window's end, the entry is read and stored and
         * the terminator after it faults: TRAP-8 keeps the entry) */
        exec_finding("TRAP-8: a refused entry (%d) stored", rc);
    } else {
        if (!oracle_code_selector(got->cs))
            exec_finding("TRAP-3: handler selector %#x accepted", got->cs);
        if (got->address >= HYPERVISOR_VIRT_START)
            exec_finding("TRAP-7: handler at %08x accepted", got->address);
    }
    gate = hosted_cpu()->int80_gate;
    if (gate != trap_int80_gate(&cpu_tv.idt[TRAP_INT80_VECTOR]))
        exec_finding("TRAP-5: the gate shown is not the table's");
    if ((gate >> 47) & 1u) {
        uint16_t sel = (uint16_t)(gate >> 16);

        if (((gate >> 40) & 0xFu) != 0xFu || !oracle_code_selector(sel) ||
            (!(sel & 4u) && (sel >> 3) >= FIRST_RESERVED_GDT_ENTRY && sel != FLAT_RING1_CS))
            exec_finding("TRAP-5: int 0x80 gate %#llx", (unsigned long long)gate);
    }
    (void)trap_soft_int_permitted(got, 1 + (uint32_t)(op->a[2].value >> 16) % 3u);
    return rc;
}

/*
 * callback_op register (hv/core/trap_op.c) with the structure placed as
 * op->aux says, then unregister of the same type: what was installed
 * must be a guest code selector, and nothing changes on a refusal.
 */
static int op_callback(const struct prog_op *op)
{
    static const struct trap_vcpu zero;
    struct callback_register reg;
    struct callback_unregister unreg;
    const struct trap_callback *slots[] = {
        &cpu_tv.event_cb, &cpu_tv.failsafe_cb, &cpu_tv.nmi_cb, &cpu_tv.syscall32_cb, &cpu_tv.sysenter_cb,
    };
    unsigned i, set = 0;
    int rc;

    memset(&reg, 0, sizeof(reg));
    reg.type = (uint16_t)res_u32(&op->a[0]);
    reg.flags = (uint16_t)res_u32(&op->a[3]);
    reg.address.cs = prog_arg_is_handle(T_SEL, &op->a[1]) ? res_sel(&op->a[1])
                                                          : (uint32_t)op->a[1].value;
    reg.address.eip = res_u32(&op->a[2]);
    memset(&cpu_tv, 0, sizeof(cpu_tv));
    rc = trap_op_callback(&cpu_tv, CALLBACKOP_register, args_place(op->aux, CPU_OFF, &reg, sizeof(reg)));
    if (rc != 0 && memcmp(&cpu_tv, &zero, sizeof(zero)))
        exec_finding("CB-9: a refused callback (%d) changed the vCPU", rc);
    for (i = 0; i < ARRAY_SIZE(slots); i++) {
        if (slots[i]->cs == 0)
            continue;
        set++;
        if (!oracle_code_selector(slots[i]->cs))
            exec_finding("CB-2: callback selector %#x accepted", slots[i]->cs);
        if (slots[i]->eip >= HYPERVISOR_VIRT_START)
            exec_finding("CB-8: callback at %08x accepted", slots[i]->eip);
    }
    if (set > 1 || (rc == 0 && set != 1))
        exec_finding("CB-1: register filled %u callbacks", set);
    memset(&unreg, 0, sizeof(unreg));
    unreg.type = reg.type;
    (void)trap_op_callback(&cpu_tv, CALLBACKOP_unregister, args_place(op->aux >> 2, CPU_OFF, &unreg,
                                                                      sizeof(unreg)));
    if (cpu_tv.nmi_cb.cs != 0 && reg.type == CALLBACKTYPE_nmi && (op->aux >> 2) % 4u == 0)
        exec_finding("CB-6: the NMI callback survived its unregister");
    return rc;
}

/* do_iret(): frame words as the glue copies them (16 or 24 bytes). */
static int op_iret(const struct prog_op *op)
{
    uint32_t frame[6] = { 0, 0, 0, 0, 0, 0 };
    uint32_t esp = (uint32_t)op->a[3].value;
    uint16_t ss = (uint16_t)(op->a[3].value >> 32);
    struct iret_state st;
    int rc;

    frame[0] = (uint32_t)(op->a[3].value >> 48);
    frame[1] = (uint32_t)(op->a[1].value >> 32);
    frame[2] = prog_arg_is_handle(T_SEL, &op->a[0])
        ? (uint32_t)res_sel(&op->a[0]) | (uint32_t)((op->a[0].value >> 32) & 0xFFFFu) << 16
        : (uint32_t)op->a[0].value;
    frame[3] = (uint32_t)op->a[1].value;
    if (!iret_frame_range_ok(esp))
        return -EFAULT;                         /* the domain is crashed */
    if (iret_frame_bytes(frame[2]) > 16) {
        frame[4] = (uint32_t)(op->a[2].value >> 32);
        frame[5] = prog_arg_is_handle(T_SEL, &op->a[2]) ? res_sel(&op->a[2])
                                                        : (uint32_t)op->a[2].value;
    }
    memset(&st, 0, sizeof(st));
    rc = iret_decode(frame, esp, ss, &st);
    if (rc != IRET_OK)
        return rc;
    if ((st.cs & 3u) == 0 || (st.eflags & EF_CHECK) != EFLAGS_IF)
        exec_finding("IRET-3/4: resumes at %04x with EFLAGS %08x", st.cs, st.eflags);
    if ((uint64_t)esp + 40u > HYPERVISOR_VIRT_START)
        exec_finding("IRET-1: frame at %08x accepted", esp);
    return rc;
}

static const uint32_t ss_bases[8] = {
    0, 0x1000u, 0x00400000u, 0xF5000000u, 0xF57FF000u, 0xF5800000u, 0xFFFFF000u, 0x80000000u,
};

/*
 * guest_fault.c's stack_segment_base() for the frame `req` asks for, with
 * the table sizes and the descriptor drawn from the request's words: the
 * entry seg_locate() names lies inside its table (DESC-12), and a segment
 * seg_stack_check() takes is writable data whose limit covers every byte
 * of the frame (DESC-13). The bounce itself goes on as the glue's would.
 */
static void check_stack_segment(const struct bounce_req *req, uint64_t desc, uint32_t gdt_ents,
                                uint32_t ldt_ents)
{
    uint16_t sel = bounce_stack_selector(req);
    uint32_t index = 0, base = 0, t = seg_locate(sel, gdt_ents, ldt_ents, &index);
    uint32_t top = bounce_stack_top(req), bytes = bounce_frame_bytes(req), hi = (uint32_t)(desc >> 32);
    uint64_t limit = (desc & 0xFFFFu) | (hi & 0xF0000u);

    if ((t == SEG_GDT && (index == 0 || index >= gdt_ents || index >= FIRST_RESERVED_GDT_ENTRY)) ||
        (t == SEG_RESERVED && index >= SEG_RESERVED_ENTRIES) ||
        (t == SEG_LDT && index >= ldt_ents) || (t == SEG_NONE && index != 0) || t > SEG_LDT)
        exec_finding("DESC-12: selector %04x located as table %u entry %u (gdt %u, ldt %u)",
                     sel, t, index, gdt_ents, ldt_ents);
    if (seg_stack_check(desc, sel, top, bytes, &base) != SEG_STACK_OK)
        return;
    if (hi & (1u << 23))
        limit = (limit << 12) | 0xFFFu;
    if (!(hi & (1u << 12)) || (hi & (1u << 11)) || !(hi & (1u << 9)) || !(hi & (1u << 15)) ||
        bytes > top || (!(hi & (1u << 10)) && top - 1u > limit) ||
        ((hi & (1u << 10)) && top - bytes <= limit))
        exec_finding("DESC-13: stack %04x desc %016llx accepted for %u bytes below %08x", sel,
                      (unsigned long long)desc, bytes, top);
}

/* guest_fault.c's enter_handler(): the frame must lie below the hypervisor. */
static int op_bounce(const struct prog_op *op)
{
    struct bounce_req req;
    struct bounce_frame out;
    uint64_t a3 = op->a[3].value, end;
    int rc;

    memset(&req, 0, sizeof(req));
    req.eip = (uint32_t)op->a[0].value;
    req.eflags = (uint32_t)(op->a[0].value >> 32);
    req.esp = (uint32_t)op->a[1].value;
    req.cs = (uint16_t)(op->a[1].value >> 32);
    /* the CPU saved this context: its SS has the RPL of its CS (SS.RPL == CPL) */
    req.ss = (uint16_t)((op->a[1].value >> 48 & ~3ull) | (req.cs & 3u));
    req.kernel_sp = (uint32_t)op->a[2].value;
    req.kernel_ss = (uint16_t)(op->a[2].value >> 32);
    req.handler_cs = (uint16_t)(op->a[2].value >> 48);
    req.handler_eip = (uint32_t)a3;
    req.error_code = (uint16_t)(a3 >> 32);
    req.mask_events = (a3 >> 48) & 1u;
    req.has_error = (a3 >> 49) & 1u;
    req.failsafe = (a3 >> 50) & 1u;
    req.saved_mask = (a3 >> 51) & 1u;
    req.ss_base = ss_bases[(a3 >> 52) % 8u];
    req.ds = req.es = FLAT_RING1_DS;
    req.fs = req.gs = 0;
    check_stack_segment(&req, op->a[0].value ^ op->a[2].value, (uint32_t)(a3 >> 55) % 8193u,
                        (uint32_t)(op->a[1].value >> 20) % 8193u);
    memset(&out, 0, sizeof(out));
    rc = bounce_build(&req, &out);
    /* BOUNCE-6: a ring-0 or VM86 context is never a guest's; nothing else is refused so */
    if (((req.cs & 3u) == 0 || (req.eflags & EFLAGS_VM)) != (rc == BOUNCE_CRASH_CONTEXT))
        exec_finding("BOUNCE-6: context cs %04x EFLAGS %08x answered %d", req.cs, req.eflags, rc);
    if (rc != BOUNCE_OK)
        return rc;
    end = (uint64_t)out.frame_va + 4u * (uint64_t)out.nr_words;
    if (out.nr_words < 3 || out.nr_words > BOUNCE_MAX_WORDS || end > HYPERVISOR_VIRT_START)
        exec_finding("BOUNCE-4: %u words at %08x", out.nr_words, out.frame_va);
    if ((out.cs & 3u) == 0 || out.cs < 4 || (out.ss & 3u) == 0 ||
        (out.eflags & EF_CHECK) != EFLAGS_IF)
        exec_finding("BOUNCE-2/5: handler %04x ss %04x EFLAGS %08x", out.cs, out.ss,
                     out.eflags);
    return rc;
}

/* ---- emulate.c's apply() over a small register file ------------------------ */

struct regs {
    uint32_t gpr[8];             /* in ModRM order */
    uint32_t ring;
};

static int write_cr(uint32_t n, uint32_t v)
{
    switch (n) {
    case 0:
        return emul_cr0_write(0x80050033u, v);
    case 3:
        return pt_set_baseptr(&X.actor->pt, xen_cr3_to_pfn(v));
    default:
        return -EPERM;
    }
}

static int port_io(const struct regs *r, const struct emul_op *e)
{
    struct emul_io_ctx c = { X.actor->viopl, r->ring, false, false };
    uint32_t port = e->port_dx ? (r->gpr[EMUL_GPR_EDX] & 0xFFFFu) : e->port;
    int rc = emul_io_check(&c, port, e->size);

    if (rc == EMUL_IO_PASS)
        exec_finding("EMUL-12: port %#x reaches hardware for a domain without I/O", port);
    c.io_capable = true;
    if (emul_io_check(&c, port, e->size) == EMUL_IO_PASS && emul_io_port_owned(port, e->size))
        exec_finding("EMUL-12: hypervisor port %#x passed through", port);
    return rc < 0 ? rc : 0;
}

static int hypercall_page(uint32_t mfn)
{
    const struct frame *f;
    void *page;

    if (mfn >= M.ft.nr_frames)
        return -EPERM;
    f = &M.ft.frames[mfn];
    if (f->owner != X.actor_id || (f->type != PGT_NONE && f->type != PGT_WRITABLE))
        return -EPERM;
    page = env_map_frame(mfn);
    hypercall_page_fill(page);
    env_unmap_frame(page);
    return 0;
}

static int msr(struct regs *r, bool write)
{
    struct emul_msr_ctx c = { 0x123456789ull, 0 };
    uint64_t v = 0;
    uint32_t mfn = 0;
    int rc;

    if (!write)
        return emul_rdmsr(&c, r->gpr[EMUL_GPR_ECX], &v);
    rc = emul_wrmsr(&c, r->gpr[EMUL_GPR_ECX],
                    (uint64_t)r->gpr[EMUL_GPR_EDX] << 32 | r->gpr[EMUL_GPR_EAX], &mfn);
    if (rc == EMUL_WRMSR_HYPERCALL_PAGE)
        return hypercall_page(mfn);
    return rc;
}

static int apply(struct regs *r, const struct emul_op *e)
{
    struct emul_cpuid_host host = { 0xDu, 0x80000008u };
    struct emul_cpuid_regs real = { 0x11111111u, 0x22222222u, 0xFFFFFFFFu, 0xFFFFFFFFu }, out;
    uint32_t v = 0;
    int rc;

    switch (e->kind) {
    case EMUL_KIND_CLI:
    case EMUL_KIND_STI:
        return emul_iopl_ok(X.actor->viopl, r->ring, false) ? 0 : -EPERM;
    case EMUL_KIND_IN:
    case EMUL_KIND_OUT:
        return port_io(r, e);
    case EMUL_KIND_MOV_FROM_CR:
        return emul_cr_known(e->reg) ? 0 : -EPERM;
    case EMUL_KIND_MOV_TO_CR:
        return write_cr(e->reg, r->gpr[e->gpr % 8u]);
    case EMUL_KIND_MOV_FROM_DR:
        return emul_dr_read(&X.actor->dr, e->reg, &v);
    case EMUL_KIND_MOV_TO_DR:
        rc = emul_dr_write(&X.actor->dr, e->reg, r->gpr[e->gpr % 8u]);
        if (!oracle_dr_safe(&X.actor->dr))
            exec_finding("EMUL-9/10: debug registers %08x %08x %08x %08x dr7 %08x",
                         X.actor->dr.dr[0], X.actor->dr.dr[1], X.actor->dr.dr[2],
                         X.actor->dr.dr[3], X.actor->dr.dr7);
        return rc;
    case EMUL_KIND_RDMSR:
    case EMUL_KIND_WRMSR:
        return msr(r, e->kind == EMUL_KIND_WRMSR);
    case EMUL_KIND_CPUID:
    case EMUL_KIND_FORCED_CPUID:
        emul_cpuid(&host, r->gpr[EMUL_GPR_EAX], r->gpr[EMUL_GPR_ECX], &real, &out);
        return 0;
    default:
        return 0;
    }
}

static int op_emul(const struct prog_op *op)
{
    uint8_t insn[16];
    struct emul_op e;
    struct regs r = { { 0 }, 1 };
    uint32_t avail = (uint32_t)(op->a[3].value >> 32) % 32u;
    int rc;

    memcpy(insn, &op->a[0].value, 8);           /* little-endian host */
    memcpy(insn + 8, &op->a[1].value, 8);
    r.gpr[EMUL_GPR_EAX] = (uint32_t)op->a[2].value;
    r.gpr[EMUL_GPR_ECX] = (uint32_t)(op->a[2].value >> 32);
    r.gpr[EMUL_GPR_EDX] = (uint32_t)op->a[3].value;
    r.gpr[EMUL_GPR_EBX] = 0x00001000u;
    r.gpr[EMUL_GPR_ESI] = 0xF5800000u;
    r.ring = (op->a[3].value >> 40) & 1u ? 3 : 1;
    X.actor->viopl = (uint32_t)(op->a[3].value >> 41) & 3u;
    if (avail > 16)
        avail = 16;
    rc = emul_decode(insn, avail, &e);
    if (rc != EMUL_DEC_OK) {
        if (e.kind != 0 || e.len != 0)
            exec_finding("EMUL-2: failed decode (%d) leaves kind %u len %u", rc, e.kind, e.len);
        return rc;
    }
    if (e.len < 1 || e.len > EMUL_MAX_INSN_LEN || e.len > avail || e.kind == 0 ||
        e.kind >= EMUL_KIND_COUNT)
        exec_finding("EMUL-2: decode of %u bytes gives kind %u len %u", avail, e.kind, e.len);
    return apply(&r, &e);
}

static int op_dr_write(const struct prog_op *op)
{
    int rc = emul_dr_write(&X.actor->dr, res_u32(&op->a[0]), res_u32(&op->a[1]));

    if (!oracle_dr_safe(&X.actor->dr))
        exec_finding("EMUL-9/10: dr7 %08x", X.actor->dr.dr7);
    return rc;
}

/* The dom0 builder's layout: every frame it names is one the domain has. */
static int op_boot_layout(const struct prog_op *op)
{
    struct boot_layout_req req;
    struct boot_layout l;
    uint32_t *p2m, i, s;
    int rc;

    req.virt_base = (uint32_t)op->a[0].value;
    req.kernel_start = (uint32_t)(op->a[0].value >> 32);
    req.kernel_end = (uint32_t)op->a[1].value;
    req.nr_pages = (uint32_t)(op->a[1].value >> 32) % 16384u;
    req.module_len = (uint32_t)op->a[2].value;
    req.domU = (op->a[2].value >> 32) & 1u;
    memset(&l, 0, sizeof(l));
    rc = boot_layout_compute(&req, &l);
    if (rc != 0)
        return rc;
    if ((uint64_t)l.virt_base + (uint64_t)l.mapped_pages * PAGE_SIZE > HYPERVISOR_VIRT_START ||
        l.mapped_pages > req.nr_pages || l.stack_pfn >= l.mapped_pages)
        exec_finding("boot layout maps %u pages from %08x (%u pages)", l.mapped_pages,
                     l.virt_base, req.nr_pages);
    p2m = malloc(req.nr_pages * sizeof(*p2m));  /* exactly sized: ASan sees overreads */
    if (!p2m)
        abort();
    for (i = 0; i < req.nr_pages; i++)
        p2m[i] = i;
    for (i = 0; i < l.nr_pt_frames && i < 8; i++)
        for (s = 0; s < 512; s += 37)
            (void)boot_layout_pt_entry(&l, p2m, i, s);
    free(p2m);
    return rc;
}

int exec_cpu_op(const struct prog_op *op)
{
    switch (op->op) {
    case OP_DESC_CHECK:   return op_desc_check(op);
    case OP_TRAP_CHECK:   return op_trap_check(op);
    case OP_CALLBACK:     return op_callback(op);
    case OP_IRET:         return op_iret(op);
    case OP_BOUNCE:       return op_bounce(op);
    case OP_EMUL:         return op_emul(op);
    case OP_DR_WRITE:     return op_dr_write(op);
    default:              return op_boot_layout(op);
    }
}
