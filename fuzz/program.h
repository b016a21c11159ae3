/*
 * Typed hypercall programs: the input format of every Bulkhead fuzzer.
 *
 * Theory of operation. A program is a short list of operations, each one
 * hypercall (or sub-op) the attacker domain may make, or one raw access
 * to its own memory, or one call of a pure decoder. Arguments are drawn
 * from HANDLES (the attacker's own frames and tables, its ports, the
 * victim's domain id and frames, hypervisor frames, ...) or are RAW
 * values, so that a random mutation mostly keeps an argument meaningful
 * ("the victim's frame #3" stays a victim frame when its index changes).
 * The executor resolves handles against its own world: the in-process
 * harness (fuzz/exec*.c) against the hosted machine, a hostile guest
 * (layer 2) against the frames it really owns. This file only decodes
 * and prints; it is freestanding C (no libc, no pointers in the format)
 * so a 32-bit guest can decode the very same bytes.
 *
 * Encoding. Every byte string is a valid program: it is cut into records
 * of PROG_REC_SIZE (40) bytes, at most PROG_MAX_OPS (64) of them; a short
 * last record is padded with zeros; bytes beyond the 64th record are
 * ignored. Fields are fixed-width and little-endian:
 *
 *   offset size field
 *   0      1    op     operation, taken modulo PROG_OP_COUNT
 *   1      1    flags  bit 0 PROG_F_DOM0: run as dom0 (privileged), else as
 *                      the attacker; bit 1 PROG_F_JOIN: join the previous
 *                      record's hypercall (one batch of mmu_update or
 *                      mmuext_op, when both are of the same family);
 *                      bits 2..7 reserved (ignored)
 *   2      1    aux    per op: pointer modes of batches, access width,
 *                      ELF template, on/off
 *   3      1    count  per op: batch count override, repeat count,
 *                      image size trim
 *   4      9    arg 0  kind (1 byte) then value (8 bytes)
 *   13     9    arg 1
 *   22     9    arg 2
 *   31     9    arg 3
 *
 * An argument's meaning is fixed by its op's signature (prog_arg_type()).
 * For a handle-capable type, kind >= PROG_KIND_RAW (0xC0) means "value is
 * the raw value"; a smaller kind is a handle: class = kind % number of
 * classes of that type, index = the value's low 16 bits (taken modulo the
 * class's size by the executor). The other bits of the value refine a
 * handle (a slot in a table, PTE flags, an offset in a page). Decoder ops
 * (desc_check, iret, bounce, emul, elf, boot_layout) read their 32 value
 * bytes as a raw blob with the layout given at each op; their kinds only
 * matter where stated.
 *
 * Details per type (bits of the 64-bit value of a handle):
 *   FRAME  class: enum prog_frame_class; index bits 0..15.
 *   PTR    mmu_update ptr: frame handle (bits 0..15), slot = bits 16..24;
 *          the command comes from the op. Raw: the 64-bit ptr verbatim,
 *          command bits included (so commands 3..7 can be sent).
 *   PTE    an entry naming a frame handle (bits 0..15) with flags =
 *          bits 16..27 (P RW US PWT PCD A D PSE/PAT G AVAIL) and bits
 *          52..63 copied to the entry (NX, reserved high bits).
 *   VA     class: enum prog_va_class; page index bits 0..15, byte
 *          offset bits 16..27.
 *   DOMID  class: enum prog_dom_class (index unused).
 *   PORT   class: enum prog_port_class; index bits 0..15.
 *   U32    class: index into a table of boundary numbers (prog_u32s).
 *   SEL    class: index into a table of selectors (prog_sels).
 *   DESC   class: index into a table of descriptors (prog_descs).
 *   UVMF   class: index into a table of update_va_mapping flags.
 *   GREF   class: enum prog_gref_class; ref bits 0..15 (or edge index),
 *          copy offset bits 16..28, copy length bits 32..44.
 *   GHANDLE class: enum prog_ghandle_class; index bits 0..15.
 *   RAW    the value, kind ignored.
 */
#ifndef FUZZ_PROGRAM_H
#define FUZZ_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROG_REC_SIZE  40u
#define PROG_NR_ARGS   4u
#define PROG_MAX_OPS   64u
#define PROG_MAX_BYTES (PROG_REC_SIZE * PROG_MAX_OPS)
#define PROG_KIND_RAW  0xC0u

#define PROG_F_DOM0 0x01u
#define PROG_F_JOIN 0x02u

/* The operations. Keep the order: it is the wire encoding. */
enum prog_opcode {
    /* mmu_update family (batchable): ptr, val, foreigndom */
    OP_MMU_NORMAL = 0,
    OP_MMU_MACHPHYS,
    OP_MMU_PRESERVE_AD,
    /* mmuext_op family (batchable): arg1, arg2, foreigndom (first record) */
    OP_EXT_PIN_L1,
    OP_EXT_PIN_L2,
    OP_EXT_PIN_L3,
    OP_EXT_PIN_L4,
    OP_EXT_UNPIN,
    OP_EXT_NEW_BASEPTR,
    OP_EXT_TLB_FLUSH_LOCAL,
    OP_EXT_TLB_FLUSH_MULTI,
    OP_EXT_TLB_FLUSH_ALL,
    OP_EXT_INVLPG_LOCAL,
    OP_EXT_INVLPG_MULTI,
    OP_EXT_INVLPG_ALL,
    OP_EXT_SET_LDT,
    OP_EXT_RAW,              /* arg0 = raw cmd, arg1, arg3 = arg2 */
    /* single memory hypercalls */
    OP_UVM,                  /* va, pte, flags */
    OP_UVM_OTHER,            /* va, pte, flags, domid */
    OP_SET_GDT,              /* frame, entries, frame (2nd) */
    OP_UPDATE_DESC,          /* ptr (frame + slot), descriptor */
    OP_LDT_FAULT,            /* page of the LDT touched (0..15) */
    /* event channels (count = extra repeats) */
    OP_EVT_ALLOC_UNBOUND,    /* dom, remote_dom */
    OP_EVT_BIND_INTERDOMAIN, /* remote_dom, remote_port */
    OP_EVT_BIND_VIRQ,        /* virq, vcpu */
    OP_EVT_BIND_IPI,         /* vcpu */
    OP_EVT_SEND,             /* port */
    OP_EVT_CLOSE,            /* port */
    OP_EVT_STATUS,           /* dom, port */
    OP_EVT_UNMASK,           /* port */
    OP_EVT_BIND_VCPU,        /* port, vcpu */
    OP_EVT_RAISE_VIRQ,       /* dom, virq: the hypervisor raises a VIRQ */
    OP_EVT_RAW,              /* cmd, then 24 raw argument bytes (args 1..3) */
    /* guest CPU state and pure decoders */
    OP_DESC_CHECK,           /* descriptor */
    OP_TRAP_CHECK,           /* cs, address, vector | flags << 8 */
    OP_CALLBACK,             /* type, cs, eip, flags */
    OP_IRET,                 /* blob: see fuzz/exec_cpu.c */
    OP_BOUNCE,               /* blob */
    OP_EMUL,                 /* blob: 16 instruction bytes, registers */
    OP_DR_WRITE,             /* register, value */
    OP_ELF,                  /* aux = template, count = size trim, 4 patches */
    OP_BOOT_LAYOUT,          /* blob */
    /* the attacker's own memory, through its own page tables */
    OP_RAW_WRITE,            /* va, value (PTE-typed), aux = width */
    OP_RAW_READ,             /* va */
    /* the environment: may dom0 map this domain (paused)? aux bit 0 */
    OP_SET_MAPPABLE,         /* dom */
    /*
     * grant_table_op (appended: the encodings above stay valid). `aux`
     * bits 0..1 of each pick where the structure goes (window, straddling
     * its end, hypervisor boundary, NULL); `count` adds that many zeroed
     * structures to a map, unmap or copy batch.
     */
    OP_GNT_SETUP,            /* dom, nr_frames; aux bit 2: frame_list NULL */
    OP_GNT_QUERY,            /* dom */
    OP_GNT_MAP,              /* granter, ref, va, pte ptr (bits 25..27 misalign it);
                              * aux bits 2..7 GNTMAP_* (contains_pte: the ptr is used) */
    OP_GNT_UNMAP,            /* handle, va, pte ptr, dev_bus_addr; aux bit 2: by pte ptr */
    OP_GNT_COPY,             /* src dom, src ref, dst dom, dst ref; aux bits 2..3 GNTCOPY_* */
    OP_GNT_ENTRY,            /* ref, flags, domid, frame: a raw write of one's own entry */
    OP_GNT_RAW,              /* cmd, count, then 16 raw argument bytes (args 2..3) */
    /* teardown (hv/domain_teardown.c) of the attacker or the paused guest,
     * by dom0 or by the attacker itself; again: the sweep of a dying one */
    OP_DESTROY,              /* dom */
    /* the vCPU's own state (appended): fuzz/exec_vcpu.c gives the layouts */
    OP_STACK_SWITCH,         /* ss, esp */
    OP_SET_CALLBACKS,        /* event cs, eip, failsafe cs, eip */
    OP_VM_ASSIST,            /* cmd, type, the mask before */
    OP_PHYSDEV,              /* cmd, iopl, the IOPL before; aux: pointer mode */
    OP_FPU_TASKSWITCH,       /* arg; aux bit 0: TS before */
    OP_SCHED,                /* cmd, reason or nr_ports, port, timeout; aux: see exec_vcpu.c */
    OP_VCPU,                 /* cmd, vcpu, period or deadline, flags and the time */
    OP_SET_TIMER,            /* deadline, the time now */
    PROG_OP_COUNT
};

/* Argument types (the signature of each op gives one per argument). */
enum prog_arg_type {
    T_NONE = 0,
    T_FRAME,
    T_PTR,
    T_PTE,
    T_VA,
    T_DOMID,
    T_PORT,
    T_U32,
    T_SEL,
    T_DESC,
    T_UVMF,
    T_RAW,
    T_GREF,
    T_GHANDLE,
    T_NR_TYPES
};

/* Frame handles, relative to the acting domain. */
enum prog_frame_class {
    FC_OWN_DATA = 0,     /* its data frames (mapped RW) */
    FC_OWN_SPARE,        /* frames it owns with no type (some mapped RW) */
    FC_OWN_L1,           /* its boot L1 tables */
    FC_OWN_L2,           /* its boot L2s (low, slot-3) */
    FC_OWN_L3,           /* its boot L3 */
    FC_OWN_SHARED,       /* its shared_info frame */
    FC_OWN_TABLE,        /* any of its frames that is a page table now */
    FC_OWN_PINNED,       /* any of its pinned frames now */
    FC_OWN_ANY,          /* any frame it owns */
    FC_VICTIM,           /* the victim's frames */
    FC_OTHER,            /* dom0's frames (for dom0: the attacker's) */
    FC_BUILDER,          /* the paused guest dom0 builds */
    FC_XEN,              /* hypervisor frames */
    FC_FREE,             /* free frames */
    FC_NOT_RAM,          /* MMIO frames, and frame numbers past the end */
    FC_CR3,              /* its current base table */
    FC_NR
};

enum prog_va_class {
    VC_DATA = 0,         /* the data window its boot L1 maps (0x00400000) */
    VC_HIGH,             /* the window its slot-3 L1 maps (0xC0000000) */
    VC_L3SLOT,           /* index bits 0..1 L3 slot, 2..10 L2 slot, 11..15 page */
    VC_EDGE,             /* 0, the hypervisor boundary, the top, ... */
    VC_ARGS,             /* its hypercall argument window */
    VC_NR
};

enum prog_dom_class {
    DC_SELF = 0,         /* DOMID_SELF */
    DC_OWN,              /* its own id */
    DC_VICTIM,
    DC_DOM0,
    DC_ATTACKER,
    DC_BUILDER,
    DC_NO_DOMAIN,        /* a free id */
    DC_XEN,              /* DOMID_XEN */
    DC_IO,               /* DOMID_IO */
    DC_INVALID,          /* DOMID_INVALID */
    DC_PFD_OWN,          /* foreigndom naming a page-table owner: (own + 1) << 16 */
    DC_BIG,              /* 0xFFFFFFFF */
    DC_NR
};

enum prog_port_class {
    PC_LEARNED = 0,      /* ports its own event ops returned */
    PC_OWN_USED,         /* its ports in use now */
    PC_VICTIM_USED,      /* the victim's ports in use now */
    PC_EDGE,             /* 0, 1, 1023, 1024, 4096, 2^31, 2^32-1, ... */
    PC_NR
};

struct prog_arg {
    uint8_t kind;
    uint64_t value;
};

struct prog_op {
    uint8_t op;
    uint8_t flags;
    uint8_t aux;
    uint8_t count;
    struct prog_arg a[PROG_NR_ARGS];
};

struct program {
    uint32_t nr_ops;
    struct prog_op ops[PROG_MAX_OPS];
};

/* Grant refs: a number (bits 0..15), or an edge of the table sizes. Bits
 * 16..28 of the value are the page offset of a copy end, bits 32..44 the
 * length of a copy (source end). */
enum prog_gref_class {
    GR_NUMBER = 0,
    GR_EDGE,
    GR_NR
};

/* Grant handles: ones the actor's maps returned, or edges. */
enum prog_ghandle_class {
    GH_LEARNED = 0,
    GH_EDGE,
    GH_NR
};

/* The boundary tables handles of type U32, SEL, DESC, UVMF, VC_EDGE,
 * PC_EDGE, GR_EDGE and GH_EDGE index into (shared, so every executor
 * means the same). */
#define PROG_NR_U32S   16u
#define PROG_NR_SELS   16u
#define PROG_NR_DESCS  16u
#define PROG_NR_UVMFS  8u
#define PROG_NR_EDGES  8u
extern const uint32_t prog_u32s[PROG_NR_U32S];
extern const uint16_t prog_sels[PROG_NR_SELS];
extern const uint64_t prog_descs[PROG_NR_DESCS];
extern const uint32_t prog_uvmfs[PROG_NR_UVMFS];
extern const uint32_t prog_va_edges[PROG_NR_EDGES];
extern const uint32_t prog_port_edges[PROG_NR_EDGES];
extern const uint32_t prog_gref_edges[PROG_NR_EDGES];
extern const uint32_t prog_ghandle_edges[PROG_NR_EDGES];

/* Any bytes to a program (never fails). */
void prog_decode(const uint8_t *bytes, size_t len, struct program *p);

/* A program back to bytes; returns the bytes written (nr_ops * 40). */
size_t prog_encode(const struct program *p, uint8_t *bytes, size_t cap);

/* The signature: the type of argument `i` of `op` (T_NONE if unused). */
enum prog_arg_type prog_arg_type(uint8_t op, unsigned i);

/* mmu_update and mmuext_op batches: 1 or 2 for the family, 0 for none. */
unsigned prog_family(uint8_t op);

/* Does record i join record i-1's hypercall (same family and actor)? */
bool prog_joins_previous(const struct program *p, uint32_t i);

/* Is argument `a` of type `t` a handle (rather than a raw value)? */
bool prog_arg_is_handle(enum prog_arg_type t, const struct prog_arg *a);

/* Handle class of an argument (meaningful when prog_arg_is_handle()). */
unsigned prog_arg_class(enum prog_arg_type t, const struct prog_arg *a);

const char *prog_op_name(uint8_t op);

/*
 * Printing: text goes out through `put`, a piece at a time, so the
 * printer works in a guest as well as on the host. One op per line:
 * "   3: mmu_update(own.l1#0[5], pte(own.data#2, 0x67), SELF)"; a record
 * joined to the previous hypercall shows "+" after its number.
 */
typedef void prog_put_fn(void *ctx, const char *s);

void prog_print_op(const struct prog_op *op, uint32_t index, bool joined, prog_put_fn *put,
                   void *ctx);
void prog_print(const struct program *p, prog_put_fn *put, void *ctx);

/* Small freestanding formatters the printer and executors share. */
void prog_put_hex(prog_put_fn *put, void *ctx, uint64_t v);
void prog_put_dec(prog_put_fn *put, void *ctx, int64_t v);

#endif
