/*
 * Instruction decoding for emulation (see emul_decode.h for the theory of
 * operation and EMUL-2 in spec/emulation.md).
 *
 * Shape: fetch() is the only function that reads a byte, and it refuses
 * any index at or past `avail` or EMUL_MAX_INSN_LEN, so every other
 * function works on positions it has already been told are readable.
 * A decode step writes *op only through its own fields; emul_decode()
 * clears *op first and again on every refusal, so a caller never sees a
 * half-filled op. ModRM fields are taken with division and remainder,
 * which the provers relate to arithmetic (shifts they do not).
 */
#include "emul_decode.h"

/* The forced-emulation sequence: ud2; .ascii "xen"; cpuid. */
#define FORCED_LEN 7u

#define PFX_NONE    0   /* not a prefix byte: the opcode starts here */
#define PFX_TAKEN   1   /* a prefix we understand, recorded */
#define PFX_REFUSED 2   /* LOCK or REPNE: never emulated */

struct prefixes {
    bool opsize;        /* 66 */
    bool addr16;        /* 67 */
    bool rep;           /* F3 */
    uint32_t seg;       /* last segment override, EMUL_SEG_DS by default */
};

/*@ predicate op_ok(struct emul_op o, integer avail) =
        1 <= o.len && o.len <= avail && o.len <= EMUL_MAX_INSN_LEN &&
        o.kind != EMUL_KIND_UNKNOWN && o.kind < EMUL_KIND_COUNT &&
        (emul_io_kind(o.kind) ==> emul_io_size(o.size) && o.port <= 255) &&
        (emul_mov_kind(o.kind) ==> o.reg <= 7 && o.gpr <= 7) &&
        o.seg <= EMUL_SEG_GS;

    // What op_clear() leaves, and what the decode steps start from.
    predicate op_fresh(struct emul_op o) =
        o.kind == EMUL_KIND_UNKNOWN && o.len == 0 && o.size == 0 && o.port == 0 &&
        o.reg == 0 && o.gpr == 0 && o.seg <= EMUL_SEG_GS;
*/

/*@ requires \valid(op);
    assigns *op;
    ensures op_fresh(*op) && op->seg == 0;
*/
static void op_clear(struct emul_op *op)
{
    op->kind = EMUL_KIND_UNKNOWN;
    op->len = 0;
    op->size = 0;
    op->port = 0;
    op->port_dx = false;
    op->reg = 0;
    op->gpr = 0;
    op->vector = 0;
    op->rep = false;
    op->addr16 = false;
    op->seg = 0;
}

/*
 * The byte at `pos`, if the instruction may have one there: past 15 bytes
 * the CPU itself would have refused (#GP), so that is UNKNOWN, checked
 * before `avail` so a long run of prefixes is never "truncated".
 */
/*@ requires \valid_read(insn + (0 .. avail - 1));
    requires \valid(b) && \separated(b, insn + (0 .. avail - 1));
    assigns *b;
    ensures \result == EMUL_DEC_OK || \result == EMUL_DEC_UNKNOWN ||
            \result == EMUL_DEC_TRUNCATED;
    ensures \result == EMUL_DEC_OK <==> (pos < EMUL_MAX_INSN_LEN && pos < avail);
    ensures pos >= EMUL_MAX_INSN_LEN ==> \result == EMUL_DEC_UNKNOWN;
    ensures pos < EMUL_MAX_INSN_LEN && pos >= avail ==> \result == EMUL_DEC_TRUNCATED;
*/
static int fetch(const uint8_t *insn, uint32_t avail, uint32_t pos, uint8_t *b)
{
    if (pos >= EMUL_MAX_INSN_LEN)
        return EMUL_DEC_UNKNOWN;
    if (pos >= avail)
        return EMUL_DEC_TRUNCATED;
    *b = insn[pos];
    return EMUL_DEC_OK;
}

/*@ requires \valid(p);
    assigns *p;
    ensures \result == PFX_NONE || \result == PFX_TAKEN || \result == PFX_REFUSED;
    ensures \old(p->seg) <= EMUL_SEG_GS ==> p->seg <= EMUL_SEG_GS;
*/
static int take_prefix(struct prefixes *p, uint8_t b)
{
    switch (b) {
    case 0x66: p->opsize = true; return PFX_TAKEN;
    case 0x67: p->addr16 = true; return PFX_TAKEN;
    case 0xF3: p->rep = true; return PFX_TAKEN;
    case 0x26: p->seg = EMUL_SEG_ES; return PFX_TAKEN;
    case 0x2E: p->seg = EMUL_SEG_CS; return PFX_TAKEN;
    case 0x36: p->seg = EMUL_SEG_SS; return PFX_TAKEN;
    case 0x3E: p->seg = EMUL_SEG_DS; return PFX_TAKEN;
    case 0x64: p->seg = EMUL_SEG_FS; return PFX_TAKEN;
    case 0x65: p->seg = EMUL_SEG_GS; return PFX_TAKEN;
    case 0xF0: /* LOCK: #UD on all of these; never guess */
    case 0xF2: /* REPNE: undefined on string I/O */
        return PFX_REFUSED;
    default:
        return PFX_NONE;
    }
}

/*
 * Byte i of the forced sequence. A function rather than a table so the
 * proof needs no assumption that the guest's bytes are not our table.
 */
/*@ requires 2 <= i < FORCED_LEN;
    assigns \nothing;
*/
static uint8_t forced_byte(uint32_t i)
{
    switch (i) {
    case 2: return 0x78;   /* 'x' */
    case 3: return 0x65;   /* 'e' */
    case 4: return 0x6E;   /* 'n' */
    case 5: return 0x0F;
    default: return 0xA2;  /* cpuid */
    }
}

/*
 * The forced-emulation sequence at offset 0 (the caller saw 0F 0B there).
 * A ud2 followed by anything else is a plain ud2: not emulated.
 */
/*@ requires 2 <= avail;
    requires \valid_read(insn + (0 .. avail - 1));
    requires \valid(op) && \separated(op, insn + (0 .. avail - 1));
    requires op_fresh(*op);
    assigns op->kind, op->len;
    ensures \result == EMUL_DEC_OK || \result == EMUL_DEC_UNKNOWN ||
            \result == EMUL_DEC_TRUNCATED;
    ensures \result == EMUL_DEC_OK ==> op_ok(*op, avail);
    ensures \result != EMUL_DEC_OK ==> op->kind == EMUL_KIND_UNKNOWN && op->len == 0;
*/
static int decode_forced(const uint8_t *insn, uint32_t avail, struct emul_op *op)
{
    uint32_t i;

    /*@ loop invariant 2 <= i <= FORCED_LEN;
        loop invariant i <= avail;
        loop assigns i;
        loop variant FORCED_LEN - i;
    */
    for (i = 2; i < FORCED_LEN; i++) {
        if (i >= avail)
            return EMUL_DEC_TRUNCATED;
        if (insn[i] != forced_byte(i))
            return EMUL_DEC_UNKNOWN;
    }
    op->kind = EMUL_KIND_FORCED_CPUID;
    op->len = FORCED_LEN;
    return EMUL_DEC_OK;
}

/*
 * 0F xx at `pos` (the byte after 0F). Only the register form of MOV
 * CR/DR is taken (ModRM.mod == 3).
 */
/*@ requires 1 <= pos <= EMUL_MAX_INSN_LEN && pos <= avail;
    requires \valid_read(insn + (0 .. avail - 1));
    requires \valid(op) && \separated(op, insn + (0 .. avail - 1));
    requires op_fresh(*op);
    assigns op->kind, op->len, op->reg, op->gpr;
    ensures \result == EMUL_DEC_OK || \result == EMUL_DEC_UNKNOWN ||
            \result == EMUL_DEC_TRUNCATED;
    ensures \result == EMUL_DEC_OK ==> op_ok(*op, avail);
*/
static int decode_0f(const uint8_t *insn, uint32_t avail, uint32_t pos, struct emul_op *op)
{
    uint8_t b = 0, modrm = 0;
    int rc = fetch(insn, avail, pos, &b);

    if (rc != EMUL_DEC_OK)
        return rc;
    switch (b) {
    case 0x06: op->kind = EMUL_KIND_CLTS; break;
    case 0x09: op->kind = EMUL_KIND_WBINVD; break;
    case 0x30: op->kind = EMUL_KIND_WRMSR; break;
    case 0x31: op->kind = EMUL_KIND_RDTSC; break;
    case 0x32: op->kind = EMUL_KIND_RDMSR; break;
    case 0xA2: op->kind = EMUL_KIND_CPUID; break;
    case 0x20: op->kind = EMUL_KIND_MOV_FROM_CR; break;
    case 0x21: op->kind = EMUL_KIND_MOV_FROM_DR; break;
    case 0x22: op->kind = EMUL_KIND_MOV_TO_CR; break;
    case 0x23: op->kind = EMUL_KIND_MOV_TO_DR; break;
    default:
        return EMUL_DEC_UNKNOWN;
    }
    if (b < 0x20 || b > 0x23) {
        op->len = pos + 1;
        return EMUL_DEC_OK;
    }
    rc = fetch(insn, avail, pos + 1, &modrm);
    if (rc != EMUL_DEC_OK)
        return rc;
    if (modrm / 64 != 3)
        return EMUL_DEC_UNKNOWN;
    op->reg = (uint32_t)(modrm / 8) % 8;
    op->gpr = (uint32_t)modrm % 8;
    op->len = pos + 2;
    return EMUL_DEC_OK;
}

/*
 * IN/OUT at `pos` (the byte after the opcode). E4..E7 carry an imm8 port,
 * EC..EF use DX; even opcodes move a byte, odd ones a word or dword.
 */
/*@ requires 1 <= pos <= EMUL_MAX_INSN_LEN && pos <= avail;
    requires 0xE4 <= opc <= 0xE7 || 0xEC <= opc <= 0xEF;
    requires \valid_read(insn + (0 .. avail - 1));
    requires \valid(op) && \separated(op, insn + (0 .. avail - 1));
    requires op_fresh(*op);
    assigns op->kind, op->len, op->size, op->port, op->port_dx;
    ensures \result == EMUL_DEC_OK || \result == EMUL_DEC_UNKNOWN ||
            \result == EMUL_DEC_TRUNCATED;
    ensures \result == EMUL_DEC_OK ==> op_ok(*op, avail);
*/
static int decode_inout(const uint8_t *insn, uint32_t avail, uint32_t pos, uint8_t opc,
                        bool opsize, struct emul_op *op)
{
    uint8_t port = 0;
    int rc;

    op->size = opc % 2 == 0 ? 1u : (opsize ? 2u : 4u);
    op->kind = opc % 4 < 2 ? EMUL_KIND_IN : EMUL_KIND_OUT;
    if (opc >= 0xEC) {
        op->port_dx = true;
        op->port = 0;
        op->len = pos;
        return EMUL_DEC_OK;
    }
    rc = fetch(insn, avail, pos, &port);
    if (rc != EMUL_DEC_OK)
        return rc;
    op->port = port;
    op->len = pos + 1;
    return EMUL_DEC_OK;
}

/*
 * CD ib at `pos` (the byte after CD).
 */
/*@ requires 1 <= pos <= EMUL_MAX_INSN_LEN && pos <= avail;
    requires \valid_read(insn + (0 .. avail - 1));
    requires \valid(op) && \separated(op, insn + (0 .. avail - 1));
    requires op_fresh(*op);
    assigns op->kind, op->len, op->vector;
    ensures \result == EMUL_DEC_OK || \result == EMUL_DEC_UNKNOWN ||
            \result == EMUL_DEC_TRUNCATED;
    ensures \result == EMUL_DEC_OK ==> op_ok(*op, avail);
*/
static int decode_int_n(const uint8_t *insn, uint32_t avail, uint32_t pos, struct emul_op *op)
{
    uint8_t vec = 0;
    int rc = fetch(insn, avail, pos, &vec);

    if (rc != EMUL_DEC_OK)
        return rc;
    op->kind = EMUL_KIND_INT_N;
    op->vector = vec;
    op->len = pos + 1;
    return EMUL_DEC_OK;
}

/*
 * The opcode `opc` was the byte at pos - 1; decode from there. Prefix
 * acceptance is checked afterwards by prefixes_fit().
 */
/*@ requires 1 <= pos <= EMUL_MAX_INSN_LEN && pos <= avail;
    requires \valid_read(insn + (0 .. avail - 1));
    requires \valid(op) && \separated(op, insn + (0 .. avail - 1));
    requires op_fresh(*op);
    assigns *op;
    ensures \result == EMUL_DEC_OK || \result == EMUL_DEC_UNKNOWN ||
            \result == EMUL_DEC_TRUNCATED;
    ensures \result == EMUL_DEC_OK ==> op_ok(*op, avail);
*/
static int decode_opcode(const uint8_t *insn, uint32_t avail, uint32_t pos, uint8_t opc,
                         bool opsize, struct emul_op *op)
{
    switch (opc) {
    case 0xFA: op->kind = EMUL_KIND_CLI; break;
    case 0xFB: op->kind = EMUL_KIND_STI; break;
    case 0xF4: op->kind = EMUL_KIND_HLT; break;
    case 0xCC: op->kind = EMUL_KIND_INT3; op->vector = 3; break;
    case 0xCE: op->kind = EMUL_KIND_INTO; op->vector = 4; break;
    case 0x6C: case 0x6D: op->kind = EMUL_KIND_INS; break;
    case 0x6E: case 0x6F: op->kind = EMUL_KIND_OUTS; break;
    case 0xCD:
        return decode_int_n(insn, avail, pos, op);
    case 0x0F:
        return decode_0f(insn, avail, pos, op);
    case 0xE4: case 0xE5: case 0xE6: case 0xE7:
    case 0xEC: case 0xED: case 0xEE: case 0xEF:
        return decode_inout(insn, avail, pos, opc, opsize, op);
    default:
        return EMUL_DEC_UNKNOWN;
    }
    if (op->kind == EMUL_KIND_INS || op->kind == EMUL_KIND_OUTS) {
        op->size = opc % 2 == 0 ? 1u : (opsize ? 2u : 4u);
        op->port_dx = true;
    }
    op->len = pos;
    return EMUL_DEC_OK;
}

/*
 * EMUL-2: which prefixes each kind accepts (see emul_decode.h). LOCK and
 * REPNE never get here. The software interrupts take segment overrides
 * only: 66/67 there would be a guess about frame sizes.
 */
/*@ requires \valid_read(p);
    assigns \nothing;
*/
static bool prefixes_fit(uint32_t kind, const struct prefixes *p)
{
    bool string_io = kind == EMUL_KIND_INS || kind == EMUL_KIND_OUTS;
    bool soft_int = kind == EMUL_KIND_INT_N || kind == EMUL_KIND_INT3 ||
                    kind == EMUL_KIND_INTO;

    if (p->rep && !string_io)
        return false;
    if ((p->opsize || p->addr16) && soft_int)
        return false;
    return true;
}

/*@ requires \valid(op);
    assigns *op;
    ensures \result == rc;
    ensures op->kind == EMUL_KIND_UNKNOWN && op->len == 0 && op->seg == 0;
*/
static int refuse(struct emul_op *op, int rc)
{
    op_clear(op);
    return rc;
}

int emul_decode(const uint8_t *insn, uint32_t avail, struct emul_op *op)
{
    struct prefixes p = { false, false, false, EMUL_SEG_DS };
    uint32_t pos = 0;
    uint8_t b = 0;
    int rc;

    op_clear(op);
    if (avail >= 2 && insn[0] == 0x0F && insn[1] == 0x0B)
        return decode_forced(insn, avail, op);
    /*@ loop invariant 0 <= pos <= EMUL_MAX_INSN_LEN && pos <= avail;
        loop invariant p.seg <= EMUL_SEG_GS;
        loop invariant op_fresh(*op);
        loop assigns pos, b, rc, p;
        loop variant EMUL_MAX_INSN_LEN - pos;
    */
    for (;;) {
        int pfx;

        rc = fetch(insn, avail, pos, &b);
        if (rc != EMUL_DEC_OK)
            return rc;
        pfx = take_prefix(&p, b);
        if (pfx == PFX_REFUSED)
            return EMUL_DEC_UNKNOWN;
        if (pfx == PFX_NONE)
            break;
        pos++;
    }
    op->seg = p.seg;
    rc = decode_opcode(insn, avail, pos + 1, b, p.opsize, op);
    if (rc != EMUL_DEC_OK)
        return refuse(op, rc);
    if (!prefixes_fit(op->kind, &p))
        return refuse(op, EMUL_DEC_UNKNOWN);
    op->rep = p.rep && (op->kind == EMUL_KIND_INS || op->kind == EMUL_KIND_OUTS);
    op->addr16 = p.addr16 && (op->kind == EMUL_KIND_INS || op->kind == EMUL_KIND_OUTS);
    if (op->kind != EMUL_KIND_OUTS)
        op->seg = 0;
    return EMUL_DEC_OK;
}
