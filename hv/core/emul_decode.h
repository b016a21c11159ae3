/*
 * Decoding the few instructions Bulkhead emulates for a PV guest.
 *
 * Theory of operation. A guest kernel runs in ring 1, so its privileged
 * instructions (cli, in, mov to CR3, rdmsr, ...) raise #GP(0). The arch
 * layer copies up to EMUL_FETCH_MAX bytes from the faulting CS:EIP into a
 * hypervisor buffer (the guest may change them afterwards: only the copy
 * is decoded, once) and asks emul_decode() what they are. The decoder is
 * pure and total over hostile bytes:
 *
 *  - it reads only insn[0 .. avail-1] (a hypervisor copy: the guest's
 *    own bytes are never read twice);
 *  - it accepts at most EMUL_MAX_INSN_LEN bytes, prefixes included, like
 *    the CPU (a longer instruction is not emulated: EMUL_DEC_UNKNOWN);
 *  - every prefix it does not understand, and LOCK on anything, makes the
 *    instruction EMUL_KIND_UNKNOWN, so the caller reflects the original
 *    fault rather than guess (EMUL-2);
 *  - when the bytes run out before the instruction ends it answers
 *    EMUL_DEC_TRUNCATED, never a partial decode.
 *
 * The decoder says what the bytes are, not whether they may run: the
 * policy (emul_policy.h) and the glue decide that. Which trap a kind is
 * acted on from is the caller's rule (EMUL-1): EMUL_KIND_FORCED_CPUID only
 * on #UD, every other kind only on #GP(0).
 *
 * Prefixes (EMUL-2). Segment overrides (26 2E 36 3E 64 65) are accepted on
 * every kind; only OUTS has a memory source, and it records the segment.
 * 66 and 67 are accepted on every kind except the software interrupts;
 * 66 selects a 16-bit port size for IN/OUT/INS/OUTS and is ignored by the
 * CPU elsewhere, 67 selects SI/DI/CX for INS/OUTS. F3 (REP) is accepted
 * only on INS/OUTS; F2 and F0 (LOCK) on nothing. The forced-emulation
 * sequence is exactly the seven bytes 0F 0B 78 65 6E 0F A2, no prefixes.
 *
 * MOV to/from CRn/DRn (0F 20..23 /r) need ModRM.mod == 3 (the CPU ignores
 * mod, we refuse anything that does not look like a register form);
 * reg is the CR/DR number and rm the general register, numbered as in
 * EMUL_GPR_*.
 */
#ifndef CORE_EMUL_DECODE_H
#define CORE_EMUL_DECODE_H

#include "types.h"

#define EMUL_MAX_INSN_LEN 15u   /* the architectural limit */
#define EMUL_FETCH_MAX    16u   /* bytes the caller should try to copy */

/* emul_decode() results (not errno values). */
#define EMUL_DEC_OK        0    /* *op holds a known instruction */
#define EMUL_DEC_UNKNOWN   1    /* not emulated: reflect the fault as it was */
#define EMUL_DEC_TRUNCATED 2    /* the bytes ended mid-instruction */

/* What the instruction is. */
#define EMUL_KIND_UNKNOWN      0
#define EMUL_KIND_CLI          1
#define EMUL_KIND_STI          2
#define EMUL_KIND_HLT          3
#define EMUL_KIND_IN           4   /* size, port or port_dx */
#define EMUL_KIND_OUT          5   /* size, port or port_dx */
#define EMUL_KIND_INS          6   /* size, rep, addr16; port in DX, dest ES:(E)DI */
#define EMUL_KIND_OUTS         7   /* size, rep, addr16, seg; port in DX */
#define EMUL_KIND_CLTS         8
#define EMUL_KIND_WBINVD       9
#define EMUL_KIND_MOV_FROM_CR 10   /* gpr := CR[reg] */
#define EMUL_KIND_MOV_TO_CR   11   /* CR[reg] := gpr */
#define EMUL_KIND_MOV_FROM_DR 12   /* gpr := DR[reg] */
#define EMUL_KIND_MOV_TO_DR   13   /* DR[reg] := gpr */
#define EMUL_KIND_RDMSR       14
#define EMUL_KIND_WRMSR       15
#define EMUL_KIND_RDTSC       16
#define EMUL_KIND_CPUID       17
#define EMUL_KIND_FORCED_CPUID 18  /* ud2; "xen"; cpuid */
#define EMUL_KIND_INT_N       19   /* CD ib: vector */
#define EMUL_KIND_INT3        20   /* CC: vector 3 */
#define EMUL_KIND_INTO        21   /* CE: vector 4 */
#define EMUL_KIND_COUNT       22

/* General registers, in ModRM order. */
#define EMUL_GPR_EAX 0
#define EMUL_GPR_ECX 1
#define EMUL_GPR_EDX 2
#define EMUL_GPR_EBX 3
#define EMUL_GPR_ESP 4
#define EMUL_GPR_EBP 5
#define EMUL_GPR_ESI 6
#define EMUL_GPR_EDI 7

/* Segments, in the order of the segment-register encoding. */
#define EMUL_SEG_ES 0
#define EMUL_SEG_CS 1
#define EMUL_SEG_SS 2
#define EMUL_SEG_DS 3
#define EMUL_SEG_FS 4
#define EMUL_SEG_GS 5

/* A decoded instruction. Fields a kind does not use are zero. */
struct emul_op {
    uint32_t kind;      /* EMUL_KIND_* */
    uint32_t len;       /* bytes, prefixes included: 1 .. EMUL_MAX_INSN_LEN */
    uint32_t size;      /* IN/OUT/INS/OUTS: 1, 2 or 4 */
    uint32_t port;      /* IN/OUT imm8 form: the port (0..255) */
    bool     port_dx;   /* IN/OUT/INS/OUTS: the port is DX */
    uint32_t reg;       /* MOV CR/DR: register number 0..7 */
    uint32_t gpr;       /* MOV CR/DR: EMUL_GPR_* */
    uint32_t vector;    /* INT_N, INT3, INTO */
    bool     rep;       /* INS/OUTS: F3 prefix */
    bool     addr16;    /* INS/OUTS: 67 prefix */
    uint32_t seg;       /* OUTS: source segment (EMUL_SEG_DS unless overridden) */
};

/*@ predicate emul_io_size(integer s) = s == 1 || s == 2 || s == 4;
    predicate emul_io_kind(integer k) =
        k == EMUL_KIND_IN || k == EMUL_KIND_OUT || k == EMUL_KIND_INS || k == EMUL_KIND_OUTS;
    predicate emul_mov_kind(integer k) =
        k == EMUL_KIND_MOV_FROM_CR || k == EMUL_KIND_MOV_TO_CR ||
        k == EMUL_KIND_MOV_FROM_DR || k == EMUL_KIND_MOV_TO_DR;
*/

/*
 * EMUL-2: decode insn[0 .. avail-1]. Returns EMUL_DEC_OK with *op filled,
 * EMUL_DEC_UNKNOWN (not an emulated instruction, a refused prefix, or
 * longer than 15 bytes) or EMUL_DEC_TRUNCATED (avail ended first); on
 * anything but EMUL_DEC_OK, *op is all zero (kind UNKNOWN, len 0).
 */
/*@ requires \valid_read(insn + (0 .. avail - 1));
    requires \valid(op);
    requires \separated(op, insn + (0 .. avail - 1));
    assigns *op;
    ensures EMUL_2_result: \result == EMUL_DEC_OK || \result == EMUL_DEC_UNKNOWN ||
                           \result == EMUL_DEC_TRUNCATED;
    ensures EMUL_2_len: \result == EMUL_DEC_OK ==>
        1 <= op->len && op->len <= avail && op->len <= EMUL_MAX_INSN_LEN;
    ensures EMUL_2_kind: \result == EMUL_DEC_OK ==>
        op->kind != EMUL_KIND_UNKNOWN && op->kind < EMUL_KIND_COUNT;
    ensures EMUL_2_refused: \result != EMUL_DEC_OK ==> op->kind == EMUL_KIND_UNKNOWN;
    ensures EMUL_2_refused: \result != EMUL_DEC_OK ==> op->len == 0;
    ensures EMUL_2_io: \result == EMUL_DEC_OK && emul_io_kind(op->kind) ==>
        emul_io_size(op->size) && op->port <= 255;
    ensures EMUL_2_mov: \result == EMUL_DEC_OK && emul_mov_kind(op->kind) ==>
        op->reg <= 7 && op->gpr <= 7;
    ensures EMUL_2_seg: op->seg <= EMUL_SEG_GS;
    ensures EMUL_2_empty: avail == 0 ==> \result == EMUL_DEC_TRUNCATED;
*/
int emul_decode(const uint8_t *insn, uint32_t avail, struct emul_op *op);

#endif
