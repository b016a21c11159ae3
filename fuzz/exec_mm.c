/*
 * Memory-management operations, called as the hypervisor glue calls them:
 * hv/mm_hypercalls.c (mmu_update, mmuext_op, update_va_mapping[_other
 * domain]) and hv/desc_tables.c (set_gdt, update_descriptor, the lazily
 * mapped LDT): the same core functions, over the hosted machine. Here
 * only the arguments are built.
 *
 * Batches: joined records make one list in the argument window. Record
 * 0's `aux` picks where the list and the `done` pointer go (bits 0..1
 * list: window, straddling its end, the hypervisor boundary, NULL; bits
 * 2..3 done: none, window, hypervisor, straddling) and its `count` the
 * count passed: 0 the number of records, 1..0xEF that many more (the
 * extra entries read as zeros), 0xF0..0xFF prog_u32s[count - 0xF0].
 *
 * Every batch runs under preemption (HC-1, HC-2): the hosted env says
 * "other work is due" on every FUZZ_PREEMPT_EVERY-th question and each
 * -ERESTART is issued again with the arguments the core encoded, as the
 * guest re-executing its hypercall would; the oracle sees only the
 * final result, which must be what one uninterrupted call gives.
 */
#include <string.h>

#include "desc_op.h"
#include "env.h"
#include "exec_internal.h"
#include "hosted_env.h"
#include "mmu_ops.h"
#include "pt_ref.h"
#include "pv/errno.h"
#include "pv/mmu.h"

#define LIST_OFF 0x100u
#define DONE_OFF 0x0u

static uint32_t batch_count(const struct prog_op *op, uint32_t n)
{
    if (op->count == 0)
        return n;
    if (op->count < 0xF0u)
        return n + op->count;
    return prog_u32s[op->count - 0xF0u];
}

static guest_ptr_t done_ptr(uint32_t aux)
{
    switch ((aux >> 2) % 4u) {
    case 0:
        return guest_ptr(0);
    case 1:
        return guest_ptr(M_ARGS_VA + DONE_OFF);
    case 2:
        return guest_ptr(0xF5800000u);
    default:
        return guest_ptr(M_ARGS_VA + M_ARGS_LEN - 2u);
    }
}

static uint32_t mmu_cmd(uint8_t op)
{
    return op == OP_MMU_MACHPHYS ? MMU_MACHPHYS_UPDATE :
           op == OP_MMU_PRESERVE_AD ? MMU_PT_UPDATE_PRESERVE_AD : MMU_NORMAL_PT_UPDATE;
}

typedef int mmu_batch_fn(struct pt_ctx *ctx, guest_ptr_t list, uint32_t count, guest_ptr_t done,
                         uint32_t foreigndom, struct hc_cont *cont);

/* One batch as a preempted guest issues it: until it no longer stops. */
static int issue_batch(mmu_batch_fn *fn, guest_ptr_t list, uint32_t count, guest_ptr_t done,
                       uint32_t foreigndom)
{
    struct hc_cont c;
    uint32_t issues = 0;
    int rc;

    hosted_set_preempt(FUZZ_PREEMPT_EVERY);
    while ((rc = fn(&X.actor->pt, list, count, done, foreigndom, &c)) == -ERESTART) {
        if (++issues > FUZZ_MAX_ISSUES)
            exec_finding("HC-1: a batch still stops after %u issues", issues);
        list = guest_ptr(c.args[0]);
        count = c.args[1];
        done = guest_ptr(c.args[2]);
        foreigndom = c.args[3];
    }
    hosted_set_preempt(0);
    return rc;
}

int exec_mmu_batch(const struct prog_op *ops, uint32_t n)
{
    struct mmu_update reqs[PROG_MAX_OPS];
    uint32_t i;

    for (i = 0; i < n; i++) {
        reqs[i].ptr = res_ptr(&ops[i].a[0], mmu_cmd(ops[i].op));
        reqs[i].val = ops[i].op == OP_MMU_MACHPHYS ? res_u32(&ops[i].a[1])
                                                   : res_pte(&ops[i].a[1]);
        exec_trace("        ptr %#llx val %#llx\n", (unsigned long long)reqs[i].ptr,
                   (unsigned long long)reqs[i].val);
    }
    return issue_batch(pt_do_mmu_update,
                       args_place(ops[0].aux, LIST_OFF, reqs, n * (uint32_t)sizeof(reqs[0])),
                       batch_count(&ops[0], n), done_ptr(ops[0].aux), res_domid(&ops[0].a[2]));
}

static void ext_args(const struct prog_op *op, struct mmuext_op *e)
{
    memset(e, 0, sizeof(*e));
    switch (op->op) {
    case OP_EXT_TLB_FLUSH_LOCAL:
    case OP_EXT_TLB_FLUSH_ALL:
        e->cmd = op->op == OP_EXT_TLB_FLUSH_ALL ? MMUEXT_TLB_FLUSH_ALL : MMUEXT_TLB_FLUSH_LOCAL;
        break;
    case OP_EXT_TLB_FLUSH_MULTI:
        e->cmd = MMUEXT_TLB_FLUSH_MULTI;
        e->arg2.vcpumask = res_va(&op->a[1]);
        break;
    case OP_EXT_INVLPG_LOCAL:
    case OP_EXT_INVLPG_MULTI:
    case OP_EXT_INVLPG_ALL:
        e->cmd = op->op == OP_EXT_INVLPG_LOCAL ? MMUEXT_INVLPG_LOCAL :
                 op->op == OP_EXT_INVLPG_MULTI ? MMUEXT_INVLPG_MULTI : MMUEXT_INVLPG_ALL;
        e->arg1.linear_addr = res_va(&op->a[0]);
        e->arg2.vcpumask = res_va(&op->a[1]);
        break;
    case OP_EXT_SET_LDT:
        e->cmd = MMUEXT_SET_LDT;
        e->arg1.linear_addr = res_va(&op->a[0]);
        e->arg2.nr_ents = res_u32(&op->a[1]);
        break;
    case OP_EXT_RAW:
        e->cmd = res_u32(&op->a[0]);
        e->arg1.mfn = (uint32_t)op->a[1].value;
        e->arg2.nr_ents = (uint32_t)op->a[3].value;
        break;
    default:            /* pins, unpin, new_baseptr: a frame */
        e->cmd = op->op == OP_EXT_UNPIN ? MMUEXT_UNPIN_TABLE :
                 op->op == OP_EXT_NEW_BASEPTR ? MMUEXT_NEW_BASEPTR :
                 MMUEXT_PIN_L1_TABLE + (uint32_t)(op->op - OP_EXT_PIN_L1);
        e->arg1.mfn = res_frame(&op->a[0], 0);
        break;
    }
}

int exec_mmuext_batch(const struct prog_op *ops, uint32_t n)
{
    struct mmuext_op list[PROG_MAX_OPS];
    uint32_t i;

    for (i = 0; i < n; i++) {
        ext_args(&ops[i], &list[i]);
        exec_trace("        cmd %u arg1 %#x arg2 %#x\n", list[i].cmd, list[i].arg1.mfn,
                   list[i].arg2.nr_ents);
    }
    return issue_batch(pt_do_mmuext_op,
                       args_place(ops[0].aux, LIST_OFF, list, n * (uint32_t)sizeof(list[0])),
                       batch_count(&ops[0], n), done_ptr(ops[0].aux), res_domid(&ops[0].a[2]));
}

/* ---- descriptor tables: hv/core/desc_op.c, as hv/desc_tables.c calls it ---- */

/* desc_release_all(), at teardown. */
void machine_release_desc(struct mdom *d)
{
    desc_release_gdt(&d->pt, &d->desc);
    desc_release_ldt(&d->pt, &d->desc);
}

/* env_ldt_changed() in the hypervisor: the shadow LDT goes. */
void exec_ldt_hook(uint32_t base, uint32_t nr_ents)
{
    (void)base;
    (void)nr_ents;
    if (X.actor)
        desc_release_ldt(&X.actor->pt, &X.actor->desc);
}

/* set_gdt's frame list: frames a0 (+i), the second one a2; aux bit 0: a bad list pointer. */
static int set_gdt(const struct prog_op *op)
{
    uint32_t mfns[DESC_GDT_FRAMES], i;

    for (i = 0; i < DESC_GDT_FRAMES; i++)
        mfns[i] = i == 1 ? res_frame(&op->a[2], 0) : res_frame(&op->a[0], i);
    return desc_set_gdt(&X.actor->pt, &X.actor->desc,
                        args_place(op->aux % 2u ? 2u : 0u, LIST_OFF, mfns, sizeof(mfns)),
                        res_u32(&op->a[1]));
}

int exec_mm_op(const struct prog_op *op)
{
    struct pt_ctx *c = &X.actor->pt;

    switch (op->op) {
    case OP_UVM:
        return pt_do_update_va_mapping(c, res_va(&op->a[0]), res_pte(&op->a[1]),
                                       res_uvmf(&op->a[2]));
    case OP_UVM_OTHER:
        /* PT-39: the glue passes the low 16 bits of the domid argument */
        return pt_do_update_va_mapping_otherdomain(c, res_va(&op->a[0]), res_pte(&op->a[1]),
                                                   res_uvmf(&op->a[2]),
                                                   (domid_t)res_domid(&op->a[3]));
    case OP_SET_GDT:
        return set_gdt(op);
    case OP_UPDATE_DESC:
        return desc_update_descriptor(c, res_ptr(&op->a[0], 0), res_desc(&op->a[1]));
    default:                                    /* desc_ldt_fault(): the guest touches a page */
        return desc_map_ldt_page(c, &X.actor->desc, res_u32(&op->a[0]));
    }
}
