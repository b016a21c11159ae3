/*
 * What the executor's parts share (fuzz/exec*.c, fuzz/resolve.c,
 * fuzz/checks.c, fuzz/oracle.c). Not an interface: see exec.h for that.
 */
#ifndef FUZZ_EXEC_INTERNAL_H
#define FUZZ_EXEC_INTERNAL_H

#include "exec.h"
#include "machine.h"
#include "program.h"

/* The operation being run and who runs it. */
struct exec_state {
    const struct program *prog;
    uint32_t index;              /* of the op being run (the first of a batch) */
    int verbose;
    uint32_t actor_id;           /* M_ATTACKER or M_DOM0 */
    struct mdom *actor;
    bool raw_write;              /* the op wrote memory outside the core */
    uint32_t raw_mfn;            /* ... in this frame */
    bool evt_op;                 /* the op may have changed event tables */
    bool gnt_op;                 /* ... grant tables */
    bool gnt_ran;                /* some op of the program did */
    int rc;                      /* what the op returned */
};

extern struct exec_state X;

/*
 * HC-1: batches run with the hosted env answering "other work is due" on
 * every FUZZ_PREEMPT_EVERY-th question; a batch may stop at most once
 * per element, so more issues than this are a finding.
 */
#define FUZZ_PREEMPT_EVERY 3u
#define FUZZ_MAX_ISSUES    100000u

/* A broken invariant: print it with the program, then abort(). */
__attribute__((noreturn, format(printf, 1, 2)))
void exec_finding(const char *fmt, ...);

/* A trace line for verbose replays (nothing when not verbose). */
__attribute__((format(printf, 1, 2)))
void exec_trace(const char *fmt, ...);

/* ---- handles to values (resolve.c) ---- */
void resolve_init(void);
uint32_t res_frame(const struct prog_arg *a, uint32_t delta);
uint64_t res_ptr(const struct prog_arg *a, uint32_t cmd);
uint64_t res_pte(const struct prog_arg *a);
uint32_t res_va(const struct prog_arg *a);
uint32_t res_domid(const struct prog_arg *a);
uint32_t res_port(const struct prog_arg *a);
uint32_t res_u32(const struct prog_arg *a);
uint16_t res_sel(const struct prog_arg *a);
uint64_t res_desc(const struct prog_arg *a);
uint32_t res_uvmf(const struct prog_arg *a);
void res_learn_port(uint32_t port);
uint32_t res_gref(const struct prog_arg *a);
uint32_t res_ghandle(const struct prog_arg *a);
void res_learn_ghandle(uint32_t handle);

/* ---- the argument window ---- */
guest_ptr_t args_put(uint32_t off, const void *p, uint32_t len);
/* Where a structure of `len` bytes goes for pointer mode `mode` (0..3):
 * the window, straddling its end, the hypervisor boundary, NULL. */
guest_ptr_t args_place(uint32_t mode, uint32_t off, const void *p, uint32_t len);

/* ---- operation groups ---- */
int exec_mmu_batch(const struct prog_op *ops, uint32_t n);
int exec_mmuext_batch(const struct prog_op *ops, uint32_t n);
int exec_mm_op(const struct prog_op *op);
int exec_evt_op(const struct prog_op *op);
int exec_cpu_op(const struct prog_op *op);
int exec_vcpu_op(const struct prog_op *op);
int exec_elf_op(const struct prog_op *op);
/* 0 when ELF template `which` (0..2) parses as built (a self-test). */
int exec_elf_template_ok(unsigned which);
/* Parse `size` bytes as a kernel image and check every promise of
 * elf_image.h on the result (a finding aborts); the parser's answer. */
int exec_elf_check(const uint8_t *img, uint32_t size);
int exec_mem_op(const struct prog_op *op);
/* A write to frame `mfn` outside the core: restore it, audit after it. */
void exec_note_raw_write(uint32_t mfn);
int exec_gnt_op(const struct prog_op *op);
void exec_ldt_hook(uint32_t base, uint32_t nr_ents);

/* ---- invariants (checks.c) ---- */
void checks_before_op(void);
void checks_after_op(void);
void checks_end(void);

/* ---- independent oracles (oracle.c) ---- */
bool oracle_desc_safe(uint64_t d);
bool oracle_code_selector(uint16_t sel);
bool oracle_dr_safe(const struct emul_dr_state *s);
void oracle_evtchn_world(void);
void oracle_tables(const uint8_t *changed);
void oracle_desc_frames(const uint8_t *changed);
void oracle_slot3_before(void);
void oracle_slot3_after(void);

#endif
