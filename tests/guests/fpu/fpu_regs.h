/*
 * x87/SSE register access for the FPU scenarios, in assembly because the
 * guests are compiled with -mgeneral-regs-only. Two loaders exist, one
 * per kind of guest, so the x87 last-instruction pointer (FIP), the
 * last-data pointer (FDP) and the last opcode (FOP) a loader leaves
 * behind tell whose code ran last: the lazy guest's loader ends with
 * `fildl (%edx)` (FOP 0x302) at fpu_marker_lazy, the eager one's with
 * `fildll (%edx)` (FOP 0x72A) at fpu_marker_eager, each reading a marker
 * variable of its own (the FDP).
 */
#ifndef TEST_FPU_REGS_H
#define TEST_FPU_REGS_H

#include <stdint.h>

/* What a loader puts in the registers (offsets used by fpu_regs.c). */
struct fpu_values {
    uint32_t fcw;                /* +0: control word (low 16 bits) */
    uint32_t mxcsr;              /* +4 */
    int32_t ints[7];             /* +8: st(7)..st(1), loaded first */
    uint32_t xmm[8][4];          /* +36: xmm0..xmm7 */
};

/* The protected-mode 32-bit FNSTENV image. */
struct x87_env {
    uint32_t fcw, fsw, ftw;
    uint32_t fip;
    uint32_t fcs_fop;            /* FCS in bits 15:0, FOP in bits 26:16 */
    uint32_t fdp;
    uint32_t fds;
};

/* FNINIT, then every register of v; the marker load comes last. */
void fpu_load_lazy(const struct fpu_values *v, const int32_t *marker);
void fpu_load_eager(const struct fpu_values *v, const int64_t *marker);
/* FNSTENV then FLDENV: reads the pointers and changes nothing. */
void fpu_env_read(struct x87_env *env);
void fpu_fxsave(void *area512);
void fpu_fxrstor(const void *area512);

/* The marker instructions (their addresses are the FIP each leaves). */
extern char fpu_marker_lazy[], fpu_marker_eager[];

#define FPU_FOP_LAZY  0x302u
#define FPU_FOP_EAGER 0x72Au
#define FPU_FOP(env) (((env)->fcs_fop >> 16) & 0x7FFu)

#endif
