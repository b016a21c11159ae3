/*
 * Decoding and printing typed hypercall programs (see program.h).
 * Freestanding: no libc, so the hostile guest of layer 2 links it too.
 */
#include "program.h"

const uint32_t prog_u32s[PROG_NR_U32S] = {
    0, 1, 2, 7, 8, 511, 512, 1023, 1024, 4096, 8192, 8193,
    0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu, 0x10000u,
};

/* Null, the flat selectors, the hypervisor's ring-0 ones, RPL 0 forms,
 * the first and last guest GDT entries, LDT selectors. */
const uint16_t prog_sels[PROG_NR_SELS] = {
    0x0000, 0xE019, 0xE021, 0xE02B, 0xE033, 0xE008, 0xE010, 0xE018,
    0x0009, 0x0008, 0x000F, 0x000D, 0xDFF9, 0xE001, 0xFFFF, 0x0003,
};

/* Flat ring-1 code and data, DPL 0, the truncated limit, call gates to
 * ring 1 and ring 0, expand-down (32- and 16-bit), a byte-granular
 * segment that would need truncating, a base at the limit, a TSS, a
 * not-present DPL-0 code segment, conforming code, an LDT descriptor. */
const uint64_t prog_descs[PROG_NR_DESCS] = {
    0x0000000000000000ull, 0x00CFBA000000FFFFull, 0x00CFB2000000FFFFull,
    0x00CF92000000FFFFull, 0x00CFB200000067FFull, 0x0000AC00E0191000ull,
    0x0000AC00E0081000ull, 0x0000EC0000081000ull, 0x00C0B60000000000ull,
    0xF600B67F00000000ull, 0xF60FB2000000FFFFull, 0xF600B27FF0000000ull,
    0x0000A90000000067ull, 0x00CF1A000000FFFFull, 0x00CFBE000000FFFFull,
    0x0000A20000000FFFull,
};

/* No flush, flush, invlpg, "3", flush all, invlpg all, and two vCPU
 * bitmap pointers that cannot be read (hypervisor, unmapped). */
const uint32_t prog_uvmfs[PROG_NR_UVMFS] = {
    0, 1, 2, 3, 5, 6, 0xF5800002u, 0x00000FFEu,
};

const uint32_t prog_va_edges[PROG_NR_EDGES] = {
    0, 0x00001000u, 0xF57FF000u, 0xF57FFFFCu, 0xF5800000u, 0xF6800000u,
    0xFFFFF000u, 0xFFFFFFFFu,
};

const uint32_t prog_port_edges[PROG_NR_EDGES] = {
    0, 1, 1023, 1024, 4096, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu,
};

/* Around one grant frame, the largest table (4 frames) and 32 bits. */
const uint32_t prog_gref_edges[PROG_NR_EDGES] = {
    511, 512, 1023, 2047, 2048, 4096, 0x7FFFFFFFu, 0xFFFFFFFFu,
};

/* Around the maptrack (1024 handles) and the 32-bit handle field. */
const uint32_t prog_ghandle_edges[PROG_NR_EDGES] = {
    0, 1, 1023, 1024, 0xFFFFu, 0x10000u, 0x7FFFFFFFu, 0xFFFFFFFFu,
};

/* ---- decoding ------------------------------------------------------------ */

static uint64_t get_le64(const uint8_t *b)
{
    uint64_t v = 0;
    int i;

    for (i = 7; i >= 0; i--)
        v = (v << 8) | b[i];
    return v;
}

static void put_le64(uint8_t *b, uint64_t v)
{
    unsigned i;

    for (i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

static void decode_rec(const uint8_t *r, struct prog_op *op)
{
    unsigned i;

    op->op = (uint8_t)(r[0] % PROG_OP_COUNT);
    op->flags = r[1];
    op->aux = r[2];
    op->count = r[3];
    for (i = 0; i < PROG_NR_ARGS; i++) {
        op->a[i].kind = r[4 + 9 * i];
        op->a[i].value = get_le64(r + 5 + 9 * i);
    }
}

void prog_decode(const uint8_t *bytes, size_t len, struct program *p)
{
    uint8_t rec[PROG_REC_SIZE];
    size_t off = 0;
    unsigned i;

    p->nr_ops = 0;
    while (off < len && p->nr_ops < PROG_MAX_OPS) {
        /* a short last record reads as if padded with zeros */
        for (i = 0; i < PROG_REC_SIZE; i++)
            rec[i] = off + i < len ? bytes[off + i] : 0;
        decode_rec(rec, &p->ops[p->nr_ops++]);
        off += PROG_REC_SIZE;
    }
}

size_t prog_encode(const struct program *p, uint8_t *bytes, size_t cap)
{
    size_t off = 0;
    uint32_t n;
    unsigned i;

    for (n = 0; n < p->nr_ops && n < PROG_MAX_OPS && cap - off >= PROG_REC_SIZE; n++) {
        const struct prog_op *op = &p->ops[n];
        uint8_t *r = bytes + off;

        r[0] = op->op;
        r[1] = op->flags;
        r[2] = op->aux;
        r[3] = op->count;
        for (i = 0; i < PROG_NR_ARGS; i++) {
            r[4 + 9 * i] = op->a[i].kind;
            put_le64(r + 5 + 9 * i, op->a[i].value);
        }
        off += PROG_REC_SIZE;
    }
    return off;
}

/* ---- signatures ---------------------------------------------------------- */

struct op_desc {
    const char *name;
    uint8_t family;                 /* 1 mmu_update, 2 mmuext_op */
    uint8_t types[PROG_NR_ARGS];
};

#define SIG(n, f, t0, t1, t2, t3) { n, f, { t0, t1, t2, t3 } }

static const struct op_desc op_descs[PROG_OP_COUNT] = {
    [OP_MMU_NORMAL]          = SIG("mmu_update", 1, T_PTR, T_PTE, T_DOMID, T_NONE),
    [OP_MMU_MACHPHYS]        = SIG("mmu_machphys", 1, T_PTR, T_U32, T_DOMID, T_NONE),
    [OP_MMU_PRESERVE_AD]     = SIG("mmu_preserve_ad", 1, T_PTR, T_PTE, T_DOMID, T_NONE),
    [OP_EXT_PIN_L1]          = SIG("pin_l1", 2, T_FRAME, T_NONE, T_DOMID, T_NONE),
    [OP_EXT_PIN_L2]          = SIG("pin_l2", 2, T_FRAME, T_NONE, T_DOMID, T_NONE),
    [OP_EXT_PIN_L3]          = SIG("pin_l3", 2, T_FRAME, T_NONE, T_DOMID, T_NONE),
    [OP_EXT_PIN_L4]          = SIG("pin_l4", 2, T_FRAME, T_NONE, T_DOMID, T_NONE),
    [OP_EXT_UNPIN]           = SIG("unpin", 2, T_FRAME, T_NONE, T_DOMID, T_NONE),
    [OP_EXT_NEW_BASEPTR]     = SIG("new_baseptr", 2, T_FRAME, T_NONE, T_DOMID, T_NONE),
    [OP_EXT_TLB_FLUSH_LOCAL] = SIG("tlb_flush_local", 2, T_NONE, T_NONE, T_DOMID, T_NONE),
    [OP_EXT_TLB_FLUSH_MULTI] = SIG("tlb_flush_multi", 2, T_NONE, T_VA, T_DOMID, T_NONE),
    [OP_EXT_TLB_FLUSH_ALL]   = SIG("tlb_flush_all", 2, T_NONE, T_NONE, T_DOMID, T_NONE),
    [OP_EXT_INVLPG_LOCAL]    = SIG("invlpg_local", 2, T_VA, T_NONE, T_DOMID, T_NONE),
    [OP_EXT_INVLPG_MULTI]    = SIG("invlpg_multi", 2, T_VA, T_VA, T_DOMID, T_NONE),
    [OP_EXT_INVLPG_ALL]      = SIG("invlpg_all", 2, T_VA, T_NONE, T_DOMID, T_NONE),
    [OP_EXT_SET_LDT]         = SIG("set_ldt", 2, T_VA, T_U32, T_DOMID, T_NONE),
    [OP_EXT_RAW]             = SIG("mmuext_raw", 2, T_U32, T_RAW, T_DOMID, T_RAW),
    [OP_UVM]                 = SIG("update_va_mapping", 0, T_VA, T_PTE, T_UVMF, T_NONE),
    [OP_UVM_OTHER]           = SIG("update_va_mapping_otherdomain", 0, T_VA, T_PTE, T_UVMF,
                                   T_DOMID),
    [OP_SET_GDT]             = SIG("set_gdt", 0, T_FRAME, T_U32, T_FRAME, T_NONE),
    [OP_UPDATE_DESC]         = SIG("update_descriptor", 0, T_PTR, T_DESC, T_NONE, T_NONE),
    [OP_LDT_FAULT]           = SIG("ldt_fault", 0, T_U32, T_NONE, T_NONE, T_NONE),
    [OP_EVT_ALLOC_UNBOUND]   = SIG("evtchn_alloc_unbound", 0, T_DOMID, T_DOMID, T_NONE, T_NONE),
    [OP_EVT_BIND_INTERDOMAIN] = SIG("evtchn_bind_interdomain", 0, T_DOMID, T_PORT, T_NONE,
                                    T_NONE),
    [OP_EVT_BIND_VIRQ]       = SIG("evtchn_bind_virq", 0, T_U32, T_U32, T_NONE, T_NONE),
    [OP_EVT_BIND_IPI]        = SIG("evtchn_bind_ipi", 0, T_U32, T_NONE, T_NONE, T_NONE),
    [OP_EVT_SEND]            = SIG("evtchn_send", 0, T_PORT, T_NONE, T_NONE, T_NONE),
    [OP_EVT_CLOSE]           = SIG("evtchn_close", 0, T_PORT, T_NONE, T_NONE, T_NONE),
    [OP_EVT_STATUS]          = SIG("evtchn_status", 0, T_DOMID, T_PORT, T_NONE, T_NONE),
    [OP_EVT_UNMASK]          = SIG("evtchn_unmask", 0, T_PORT, T_NONE, T_NONE, T_NONE),
    [OP_EVT_BIND_VCPU]       = SIG("evtchn_bind_vcpu", 0, T_PORT, T_U32, T_NONE, T_NONE),
    [OP_EVT_RAISE_VIRQ]      = SIG("raise_virq", 0, T_DOMID, T_U32, T_NONE, T_NONE),
    [OP_EVT_RAW]             = SIG("evtchn_raw", 0, T_U32, T_RAW, T_RAW, T_RAW),
    [OP_DESC_CHECK]          = SIG("desc_check", 0, T_DESC, T_NONE, T_NONE, T_NONE),
    [OP_TRAP_CHECK]          = SIG("trap_check_entry", 0, T_SEL, T_U32, T_RAW, T_NONE),
    [OP_CALLBACK]            = SIG("callback_register", 0, T_U32, T_SEL, T_U32, T_U32),
    [OP_IRET]                = SIG("iret", 0, T_SEL, T_RAW, T_SEL, T_RAW),
    [OP_BOUNCE]              = SIG("bounce_build", 0, T_RAW, T_RAW, T_RAW, T_RAW),
    [OP_EMUL]                = SIG("emulate", 0, T_RAW, T_RAW, T_RAW, T_RAW),
    [OP_DR_WRITE]            = SIG("dr_write", 0, T_U32, T_U32, T_NONE, T_NONE),
    [OP_ELF]                 = SIG("elf_image_parse", 0, T_RAW, T_RAW, T_RAW, T_RAW),
    [OP_BOOT_LAYOUT]         = SIG("boot_layout", 0, T_RAW, T_RAW, T_RAW, T_RAW),
    [OP_RAW_WRITE]           = SIG("raw_write", 0, T_VA, T_PTE, T_NONE, T_NONE),
    [OP_RAW_READ]            = SIG("raw_read", 0, T_VA, T_NONE, T_NONE, T_NONE),
    [OP_SET_MAPPABLE]        = SIG("set_mappable", 0, T_DOMID, T_NONE, T_NONE, T_NONE),
    [OP_GNT_SETUP]           = SIG("gnttab_setup_table", 0, T_DOMID, T_U32, T_NONE, T_NONE),
    [OP_GNT_QUERY]           = SIG("gnttab_query_size", 0, T_DOMID, T_NONE, T_NONE, T_NONE),
    [OP_GNT_MAP]             = SIG("gnttab_map_grant_ref", 0, T_DOMID, T_GREF, T_VA, T_PTR),
    [OP_GNT_UNMAP]           = SIG("gnttab_unmap_grant_ref", 0, T_GHANDLE, T_VA, T_PTR, T_RAW),
    [OP_GNT_COPY]            = SIG("gnttab_copy", 0, T_DOMID, T_GREF, T_DOMID, T_GREF),
    [OP_GNT_ENTRY]           = SIG("gnttab_write_entry", 0, T_GREF, T_RAW, T_DOMID, T_FRAME),
    [OP_GNT_RAW]             = SIG("gnttab_raw", 0, T_U32, T_U32, T_RAW, T_RAW),
    [OP_DESTROY]             = SIG("domain_destroy", 0, T_DOMID, T_NONE, T_NONE, T_NONE),
    [OP_STACK_SWITCH]        = SIG("stack_switch", 0, T_SEL, T_U32, T_NONE, T_NONE),
    [OP_SET_CALLBACKS]       = SIG("set_callbacks", 0, T_SEL, T_U32, T_SEL, T_U32),
    [OP_VM_ASSIST]           = SIG("vm_assist", 0, T_U32, T_U32, T_RAW, T_NONE),
    [OP_PHYSDEV]             = SIG("physdev_op", 0, T_U32, T_U32, T_RAW, T_NONE),
    [OP_FPU_TASKSWITCH]      = SIG("fpu_taskswitch", 0, T_U32, T_NONE, T_NONE, T_NONE),
    [OP_SCHED]               = SIG("sched_op", 0, T_U32, T_U32, T_PORT, T_RAW),
    [OP_VCPU]                = SIG("vcpu_op", 0, T_U32, T_U32, T_RAW, T_RAW),
    [OP_SET_TIMER]           = SIG("set_timer_op", 0, T_RAW, T_RAW, T_NONE, T_NONE),
};

enum prog_arg_type prog_arg_type(uint8_t op, unsigned i)
{
    if (op >= PROG_OP_COUNT || i >= PROG_NR_ARGS)
        return T_NONE;
    return (enum prog_arg_type)op_descs[op].types[i];
}

unsigned prog_family(uint8_t op)
{
    return op < PROG_OP_COUNT ? op_descs[op].family : 0;
}

bool prog_joins_previous(const struct program *p, uint32_t i)
{
    const struct prog_op *o, *prev;

    if (i == 0 || i >= p->nr_ops)
        return false;
    o = &p->ops[i];
    prev = &p->ops[i - 1];
    return (o->flags & PROG_F_JOIN) && prog_family(o->op) != 0 &&
           prog_family(o->op) == prog_family(prev->op) &&
           (o->flags & PROG_F_DOM0) == (prev->flags & PROG_F_DOM0);
}

const char *prog_op_name(uint8_t op)
{
    return op < PROG_OP_COUNT ? op_descs[op].name : "?";
}

static unsigned nr_classes(enum prog_arg_type t)
{
    switch (t) {
    case T_FRAME:
    case T_PTR:
    case T_PTE:
        return FC_NR;
    case T_VA:
        return VC_NR;
    case T_DOMID:
        return DC_NR;
    case T_PORT:
        return PC_NR;
    case T_GREF:
        return GR_NR;
    case T_GHANDLE:
        return GH_NR;
    case T_U32:
    case T_SEL:
    case T_DESC:
    case T_UVMF:
        return 1;
    default:
        return 0;
    }
}

bool prog_arg_is_handle(enum prog_arg_type t, const struct prog_arg *a)
{
    return nr_classes(t) != 0 && a->kind < PROG_KIND_RAW;
}

unsigned prog_arg_class(enum prog_arg_type t, const struct prog_arg *a)
{
    unsigned n = nr_classes(t);

    return n ? a->kind % n : 0;
}

/* ---- printing ------------------------------------------------------------ */

void prog_put_hex(prog_put_fn *put, void *ctx, uint64_t v)
{
    char buf[19];
    int i = 18;

    buf[i] = 0;
    do {
        buf[--i] = "0123456789abcdef"[v % 16];
        v /= 16;
    } while (v);
    buf[--i] = 'x';
    buf[--i] = '0';
    put(ctx, buf + i);
}

void prog_put_dec(prog_put_fn *put, void *ctx, int64_t v)
{
    char buf[22];
    int i = 21;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

    buf[i] = 0;
    do {
        buf[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        buf[--i] = '-';
    put(ctx, buf + i);
}

static const char *const frame_names[FC_NR] = {
    "own.data", "own.spare", "own.l1", "own.l2", "own.l3", "own.shared", "own.table",
    "own.pinned", "own.any", "victim", "other", "builder", "xen", "free", "not_ram", "own.cr3",
};
static const char *const va_names[VC_NR] = { "data", "high", "l3s", "edge", "args" };
static const char *const dom_names[DC_NR] = {
    "SELF", "own", "victim", "dom0", "attacker", "builder", "nodom", "XEN", "IO",
    "INVALID", "pfd(own)", "0xffffffff",
};
static const char *const port_names[PC_NR] = { "learned", "own.port", "victim.port", "edge" };

static void put_index(prog_put_fn *put, void *ctx, const char *name, uint64_t v)
{
    put(ctx, name);
    put(ctx, "#");
    prog_put_dec(put, ctx, (int64_t)(v & 0xFFFFu));
}

static void print_va(const struct prog_arg *a, prog_put_fn *put, void *ctx)
{
    unsigned c = prog_arg_class(T_VA, a);

    if (c == VC_EDGE) {
        prog_put_hex(put, ctx, prog_va_edges[(a->value & 0xFFFFu) % PROG_NR_EDGES]);
        return;
    }
    put(ctx, va_names[c]);
    put(ctx, "[");
    prog_put_dec(put, ctx, (int64_t)(a->value & 0xFFFFu));
    put(ctx, "]+");
    prog_put_hex(put, ctx, (a->value >> 16) & 0xFFFu);
}

static void print_pte(const struct prog_arg *a, prog_put_fn *put, void *ctx)
{
    put(ctx, "pte(");
    put_index(put, ctx, frame_names[prog_arg_class(T_PTE, a)], a->value);
    put(ctx, ", ");
    prog_put_hex(put, ctx, (a->value >> 16) & 0xFFFu);
    if (a->value >> 52) {
        put(ctx, ", hi=");
        prog_put_hex(put, ctx, a->value >> 52);
    }
    put(ctx, ")");
}

static void print_table(enum prog_arg_type t, const struct prog_arg *a, prog_put_fn *put,
                        void *ctx)
{
    uint32_t i = (uint32_t)(a->value & 0xFFFFu);

    switch (t) {
    case T_U32:
        prog_put_hex(put, ctx, prog_u32s[i % PROG_NR_U32S]);
        break;
    case T_SEL:
        put(ctx, "sel:");
        prog_put_hex(put, ctx, prog_sels[i % PROG_NR_SELS]);
        break;
    case T_DESC:
        put(ctx, "desc:");
        prog_put_hex(put, ctx, prog_descs[i % PROG_NR_DESCS]);
        break;
    default:
        put(ctx, "uvmf:");
        prog_put_hex(put, ctx, prog_uvmfs[i % PROG_NR_UVMFS]);
        break;
    }
}

static void print_handle(enum prog_arg_type t, const struct prog_arg *a, prog_put_fn *put,
                         void *ctx)
{
    unsigned c = prog_arg_class(t, a);

    switch (t) {
    case T_FRAME:
        put_index(put, ctx, frame_names[c], a->value);
        break;
    case T_PTR:
        put_index(put, ctx, frame_names[c], a->value);
        put(ctx, "[");
        prog_put_dec(put, ctx, (int64_t)((a->value >> 16) % 512u));
        put(ctx, "]");
        break;
    case T_PTE:
        print_pte(a, put, ctx);
        break;
    case T_VA:
        print_va(a, put, ctx);
        break;
    case T_DOMID:
        put(ctx, dom_names[c]);
        break;
    case T_GREF:
        put(ctx, "ref:");
        prog_put_dec(put, ctx, c == GR_EDGE ? prog_gref_edges[(a->value & 0xFFFFu) % PROG_NR_EDGES]
                                           : (int64_t)(a->value & 0xFFFFu));
        if (a->value >> 16) {
            put(ctx, "@");
            prog_put_hex(put, ctx, (a->value >> 16) & 0x1FFFu);
            put(ctx, "+");
            prog_put_hex(put, ctx, (a->value >> 32) & 0x1FFFu);
        }
        break;
    case T_GHANDLE:
        if (c == GH_EDGE) {
            put(ctx, "handle:");
            prog_put_hex(put, ctx, prog_ghandle_edges[(a->value & 0xFFFFu) % PROG_NR_EDGES]);
        } else {
            put_index(put, ctx, "handle.learned", a->value);
        }
        break;
    case T_PORT:
        if (c == PC_EDGE)
            prog_put_dec(put, ctx, prog_port_edges[(a->value & 0xFFFFu) % PROG_NR_EDGES]);
        else
            put_index(put, ctx, port_names[c], a->value);
        break;
    default:
        print_table(t, a, put, ctx);
        break;
    }
}

static void print_arg(enum prog_arg_type t, const struct prog_arg *a, prog_put_fn *put,
                      void *ctx)
{
    if (prog_arg_is_handle(t, a)) {
        print_handle(t, a, put, ctx);
        return;
    }
    if (t != T_RAW)
        put(ctx, "raw:");
    prog_put_hex(put, ctx, a->value);
}

void prog_print_op(const struct prog_op *op, uint32_t index, bool joined, prog_put_fn *put,
                   void *ctx)
{
    unsigned i, shown = 0;

    put(ctx, index < 10 ? "   " : "  ");
    prog_put_dec(put, ctx, index);
    put(ctx, joined ? ": + " : ": ");
    if (op->flags & PROG_F_DOM0)
        put(ctx, "dom0:");
    put(ctx, prog_op_name(op->op));
    put(ctx, "(");
    for (i = 0; i < PROG_NR_ARGS; i++) {
        enum prog_arg_type t = prog_arg_type(op->op, i);

        if (t == T_NONE)
            continue;
        if (shown++)
            put(ctx, ", ");
        print_arg(t, &op->a[i], put, ctx);
    }
    put(ctx, ")");
    if (op->aux || op->count) {
        put(ctx, " aux=");
        prog_put_hex(put, ctx, op->aux);
        put(ctx, " count=");
        prog_put_dec(put, ctx, op->count);
    }
    put(ctx, "\n");
}

void prog_print(const struct program *p, prog_put_fn *put, void *ctx)
{
    uint32_t i;

    for (i = 0; i < p->nr_ops; i++)
        prog_print_op(&p->ops[i], i, prog_joins_previous(p, i), put, ctx);
}
