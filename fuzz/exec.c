/*
 * The executor's main loop (see exec.h): reset, then for each op (or
 * batch of joined mmu_update / mmuext_op records) set the actor, run it,
 * check every invariant; a broken one is a finding.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "exec_internal.h"
#include "hosted_env.h"
#include "pv/errno.h"

struct exec_state X;

static void put_stderr(void *ctx, const char *s)
{
    (void)ctx;
    fputs(s, stderr);
}

void exec_print_program(const struct program *p)
{
    prog_print(p, put_stderr, NULL);
}

void exec_finding(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "\nFINDING after op %u (%s, as %s): ", X.index,
            X.prog && X.index < X.prog->nr_ops ? prog_op_name(X.prog->ops[X.index].op) : "end",
            X.actor_id == M_DOM0 ? "dom0" : "attacker");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nprogram (%u ops):\n", X.prog ? X.prog->nr_ops : 0);
    if (X.prog)
        exec_print_program(X.prog);
    fflush(stderr);
    abort();
}

void exec_trace(const char *fmt, ...)
{
    va_list ap;

    if (!X.verbose)
        return;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

void exec_init(void)
{
    machine_init();
    resolve_init();
    hosted_set_ldt_hook(exec_ldt_hook);
}

/* How many records from `i` form one hypercall (joined batch). */
static uint32_t batch_len(const struct program *p, uint32_t i)
{
    uint32_t n = 1;

    while (i + n < p->nr_ops && prog_joins_previous(p, i + n))
        n++;
    return n;
}

static int run_one(const struct prog_op *op, uint32_t n)
{
    if (X.actor->dead)
        return -ESRCH;                      /* a dead domain makes no hypercall */
    switch (prog_family(op->op)) {
    case 1:
        return exec_mmu_batch(op, n);
    case 2:
        return exec_mmuext_batch(op, n);
    default:
        break;
    }
    if (op->op >= OP_EVT_ALLOC_UNBOUND && op->op <= OP_EVT_RAW)
        return exec_evt_op(op);
    if (op->op == OP_ELF)
        return exec_elf_op(op);
    if (op->op >= OP_DESC_CHECK && op->op <= OP_BOOT_LAYOUT)
        return exec_cpu_op(op);
    if (op->op == OP_DESTROY)
        return exec_mem_op(op);
    if (op->op >= OP_STACK_SWITCH)
        return exec_vcpu_op(op);
    if (op->op >= OP_GNT_SETUP)
        return exec_gnt_op(op);
    if (op->op >= OP_RAW_WRITE)
        return exec_mem_op(op);
    return exec_mm_op(op);
}

static void trace_ops(const struct program *p, uint32_t i, uint32_t n)
{
    uint32_t k;

    if (!X.verbose)
        return;
    for (k = 0; k < n; k++)
        prog_print_op(&p->ops[i + k], i + k, k > 0, put_stderr, NULL);
}

uint32_t exec_program(const struct program *p, int verbose)
{
    uint32_t i = 0, calls = 0;

    machine_reset();
    X.prog = p;
    X.verbose = verbose;
    X.gnt_ran = false;
    while (i < p->nr_ops) {
        const struct prog_op *op = &p->ops[i];
        uint32_t n = batch_len(p, i);
        int rc;

        X.index = i;
        X.actor_id = (op->flags & PROG_F_DOM0) ? M_DOM0 : M_ATTACKER;
        X.actor = &M.dom[X.actor_id];
        X.raw_write = false;
        X.evt_op = false;
        X.gnt_op = false;
        trace_ops(p, i, n);
        checks_before_op();
        rc = run_one(op, n);
        exec_trace("        -> %d\n", rc);
        X.rc = rc;
        X.gnt_ran |= X.gnt_op;
        checks_after_op();
        calls++;
        i += n;
    }
    X.index = p->nr_ops;
    checks_end();
    X.prog = NULL;
    return calls;
}

uint32_t exec_bytes(const uint8_t *data, size_t len, int verbose)
{
    static struct program p;

    prog_decode(data, len, &p);
    return exec_program(&p, verbose);
}
