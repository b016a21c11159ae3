/*
 * mmu_update, mmuext_op and update_va_mapping handlers (see mmu_ops.h):
 * copy one request, decode it with mmu_decode.c, apply it through the
 * page-type machine, stop at the first error.
 */
#include "mmu_ops.h"
#include "mmu_decode.h"
#include "pt_update.h"
#include "env.h"
#include "hc_cont.h"

_Static_assert(sizeof(struct mmu_update) == 16, "mmu_update ABI size");
_Static_assert(sizeof(struct mmuext_op) == 12, "mmuext_op ABI size");

/* Tell the guest how many requests completed; see mmu_ops.h for -EFAULT. */
static int report_done(guest_ptr_t done, uint32_t nr_done, int rc)
{
    int copy_rc;

    if (done.va == 0)
        return rc;
    copy_rc = env_copy_to_guest(done, &nr_done, sizeof(nr_done));
    return rc != 0 ? rc : copy_rc;
}

/*
 * Common checks of both batched calls (PT-23, PT-32), on the element
 * count without MMU_UPDATE_PREEMPTED (HC-2). The data owner the
 * foreigndom names goes to *fd; mmuext_op passes privileged = false, as
 * it only ever acts on the caller's own tables (PT-23).
 */
static int decode_batch(const struct pt_ctx *ctx, guest_ptr_t list, uint32_t count,
                        uint32_t size, uint32_t foreigndom, bool privileged,
                        domid_t *fd)
{
    int rc = mmu_decode_foreigndom(foreigndom, ctx->dom, privileged, fd);  /* PT-33 */

    if (rc != 0)
        return rc;
    return mmu_decode_array(list.va, count, size);          /* PT-32 */
}

/*
 * HC-2: the `done` a continued batch adds to. Only with
 * MMU_UPDATE_PREEMPTED in count; an unreadable *done counts as 0, as in
 * Xen. The element count goes to *n.
 */
static uint32_t done_before(uint32_t count, guest_ptr_t done, uint32_t *n)
{
    uint32_t before = 0;

    if (hc_mmu_count(count, n) && done.va != 0 &&
        env_copy_from_guest(&before, done, sizeof(before)) != 0)
        before = 0;
    return before;
}

/* A table update dispatched on what the frame is now (PT-22). */
static int write_table_entry(struct pt_ctx *ctx, const struct mmu_target *t,
                             uint64_t val)
{
    uint64_t *data;

    switch (ctx->ft->frames[t->mfn].type) {
    case PGT_L1:
        return pt_mod_l1_entry(ctx, t->mfn, t->slot, val,
                               t->cmd == MMU_PT_UPDATE_PRESERVE_AD);
    case PGT_L2:
    case PGT_L2_XEN:
        return pt_mod_l2_entry(ctx, t->mfn, t->slot, val);
    case PGT_L3:
        return pt_mod_l3_entry(ctx, t->mfn, t->slot, val);
    case PGT_NONE:
    case PGT_WRITABLE:
        /* plain data of the caller: no different from a write through a
         * RW mapping, which it could have */
        data = env_map_frame(t->mfn);
        data[t->slot] = val;
        env_unmap_frame(data);
        return 0;
    default:
        return -EINVAL;     /* PT-22: descriptors change via update_descriptor */
    }
}

static int mmu_update_one(struct pt_ctx *ctx, uint64_t ptr, uint64_t val)
{
    struct mmu_target t;
    int rc = mmu_decode_ptr(ctx->ft, ctx->dom, ctx->fd, ctx->m2p_entries, ptr, &t);

    if (rc != 0)                                /* PT-22, PT-24, PT-34 */
        return rc;
    if (t.cmd == MMU_MACHPHYS_UPDATE) {
        ctx->m2p[t.mfn] = (uint32_t)val;        /* a guest pfn: 32 bits, as Xen */
        return 0;
    }
    return write_table_entry(ctx, &t, val);
}

/*
 * The requests of a decoded batch, in order, up to the first failure or
 * a stop (HC-1, -ERESTART). Every entry change flushes before it drops
 * the old references (PT-20), so no flush is owed at a stop (PT-41).
 */
static int mmu_update_batch(struct pt_ctx *ctx, guest_ptr_t reqs, uint32_t count,
                            uint32_t *nr_done, const struct hc_cont *cont)
{
    struct mmu_update req;
    uint32_t i = 0;
    int rc = 0;

    while (rc == 0 && i < count) {
        if (hc_should_stop(i, cont)) {
            rc = -ERESTART;
            break;
        }
        /* PT-32: one copy, and only the copy is used */
        rc = env_copy_from_guest(&req, guest_ptr_add(reqs, i * (uint32_t)sizeof(req)),
                                 sizeof(req));
        if (rc == 0)
            rc = mmu_update_one(ctx, req.ptr, req.val);
        if (rc == 0)
            i++;
    }
    *nr_done = i;
    return rc;
}

int pt_do_mmu_update(struct pt_ctx *ctx, guest_ptr_t reqs, uint32_t count,
                     guest_ptr_t done, uint32_t foreigndom, struct hc_cont *cont)
{
    domid_t fd = ctx->dom;
    uint32_t n = 0, nr_done = 0, before;
    int rc;

    if (count == MMU_UPDATE_PREEMPTED && reqs.va == 0)
        return (int)foreigndom;     /* HC-2: Xen's marker call, nothing to finish */
    before = done_before(count, done, &n);
    rc = decode_batch(ctx, reqs, n, sizeof(struct mmu_update), foreigndom,
                      ctx->privileged, &fd);
    if (rc == 0) {
        ctx->fd = fd;               /* PT-34: the data owner, for this batch only */
        rc = mmu_update_batch(ctx, reqs, n, &nr_done, cont);
        ctx->fd = ctx->dom;         /* PT-34: reset whatever happened */
    }
    if (rc == -ERESTART)
        hc_cont_mmu(cont, reqs.va, sizeof(struct mmu_update), n, nr_done, done.va, foreigndom);
    return report_done(done, before + nr_done, rc);
}

/* ---- mmuext_op ---------------------------------------------------------- */

static int set_ldt(struct pt_ctx *ctx, uint32_t base, uint32_t nr_ents)
{
    uint32_t ldt_base = 0;
    int rc = mmuext_decode_ldt(base, nr_ents, &ldt_base);    /* PT-27 */

    if (rc != 0)
        return rc;
    if (ldt_base != ctx->ldt_base || nr_ents != ctx->ldt_ents) {
        ctx->ldt_base = ldt_base;
        ctx->ldt_ents = nr_ents;
        env_ldt_changed(ldt_base, nr_ents);
    }
    return 0;
}

/* PT-28: flushes. A hypervisor address needs no flush by the guest. */
static int flush_op(uint32_t cmd, uint32_t va)
{
    switch (cmd) {
    case MMUEXT_TLB_FLUSH_LOCAL:
        env_tlb_flush_local();
        break;
    case MMUEXT_TLB_FLUSH_MULTI:
    case MMUEXT_TLB_FLUSH_ALL:
        env_tlb_flush_all();
        break;
    case MMUEXT_INVLPG_LOCAL:
        if (mmu_guest_va(va))
            env_invlpg_local(va);
        break;
    default:    /* MMUEXT_INVLPG_MULTI, MMUEXT_INVLPG_ALL */
        if (mmu_guest_va(va))
            env_invlpg_all(va);
        break;
    }
    return 0;
}

static int mmuext_one(struct pt_ctx *ctx, const struct mmuext_op *op)
{
    switch (op->cmd) {
    case MMUEXT_PIN_L1_TABLE:
        return pt_pin_table(ctx, op->arg1.mfn, PGT_L1);
    case MMUEXT_PIN_L2_TABLE:
        return pt_pin_table(ctx, op->arg1.mfn, PGT_L2);    /* plain L2: PT-10 */
    case MMUEXT_PIN_L3_TABLE:
        return pt_pin_table(ctx, op->arg1.mfn, PGT_L3);
    case MMUEXT_PIN_L4_TABLE:
        return 0;                               /* PT-25: ignored, as Xen */
    case MMUEXT_UNPIN_TABLE:
        return pt_unpin_table(ctx, op->arg1.mfn);
    case MMUEXT_NEW_BASEPTR:
        return pt_set_baseptr(ctx, op->arg1.mfn);          /* PT-26 */
    case MMUEXT_TLB_FLUSH_LOCAL:
    case MMUEXT_INVLPG_LOCAL:
    case MMUEXT_TLB_FLUSH_MULTI:
    case MMUEXT_INVLPG_MULTI:
    case MMUEXT_TLB_FLUSH_ALL:
    case MMUEXT_INVLPG_ALL:
        return flush_op(op->cmd, op->arg1.linear_addr);
    case MMUEXT_SET_LDT:
        return set_ldt(ctx, op->arg1.linear_addr, op->arg2.nr_ents);
    default:
        return -ENOSYS;                         /* PT-30 */
    }
}

/* The operations of a decoded batch, as mmu_update_batch(). */
static int mmuext_batch(struct pt_ctx *ctx, guest_ptr_t ops, uint32_t count,
                        uint32_t *nr_done, const struct hc_cont *cont)
{
    struct mmuext_op op;
    uint32_t i = 0;
    int rc = 0;

    while (rc == 0 && i < count) {
        if (hc_should_stop(i, cont)) {
            rc = -ERESTART;
            break;
        }
        rc = env_copy_from_guest(&op, guest_ptr_add(ops, i * (uint32_t)sizeof(op)),
                                 sizeof(op));   /* PT-32 */
        if (rc == 0)
            rc = mmuext_one(ctx, &op);
        if (rc == 0)
            i++;
    }
    *nr_done = i;
    return rc;
}

int pt_do_mmuext_op(struct pt_ctx *ctx, guest_ptr_t ops, uint32_t count,
                    guest_ptr_t done, uint32_t foreigndom, struct hc_cont *cont)
{
    domid_t fd = ctx->dom;
    uint32_t n = 0, nr_done = 0, before;
    int rc;

    if (count == MMU_UPDATE_PREEMPTED && ops.va == 0)
        return (int)foreigndom;     /* HC-2: Xen's marker call, nothing to finish */
    before = done_before(count, done, &n);
    /* PT-23: pins, base pointers and flushes concern the caller's own
     * tables, so even dom0 may not name a foreign domain here */
    rc = decode_batch(ctx, ops, n, sizeof(struct mmuext_op), foreigndom, false, &fd);
    if (rc == 0)
        rc = mmuext_batch(ctx, ops, n, &nr_done, cont);
    if (rc == -ERESTART)
        hc_cont_mmu(cont, ops.va, sizeof(struct mmuext_op), n, nr_done, done.va, foreigndom);
    return report_done(done, before + nr_done, rc);
}

/* ---- update_va_mapping -------------------------------------------------- */

static void uvmf_flush(const struct uvmf *u, uint32_t va)
{
    bool local = u->scope == UVMF_SCOPE_LOCAL;

    if (u->flush == UVMF_TLB_FLUSH) {
        if (local)
            env_tlb_flush_local();
        else
            env_tlb_flush_all();            /* a vCPU mask: all is a superset */
    } else if (u->flush == UVMF_INVLPG) {
        if (local)
            env_invlpg_local(va);
        else
            env_invlpg_all(va);
    }
}

int pt_do_update_va_mapping(struct pt_ctx *ctx, uint32_t va, uint64_t pte,
                            uint32_t flags)
{
    struct uvmf u;
    uint32_t l1_mfn = 0, mask = 0;
    int rc;

    if (!mmu_guest_va(va))                      /* PT-29 */
        return -EINVAL;
    mmu_decode_uvmf(flags, &u);
    if (u.flush != UVMF_NONE && u.scope == UVMF_SCOPE_MASK) {
        /* PT-29: the bitmap must be readable, as in Xen, before any change */
        rc = env_copy_from_guest(&mask, guest_ptr(u.mask_va), sizeof(mask));
        if (rc != 0)
            return rc;
    }
    rc = pt_walk_l1(ctx, va, &l1_mfn);
    if (rc != 0)
        return rc;
    rc = pt_mod_l1_entry(ctx, l1_mfn, pte_va_l1_slot(va), pte, false);
    if (rc != 0)
        return rc;
    uvmf_flush(&u, va);
    return 0;
}

int pt_do_update_va_mapping_otherdomain(struct pt_ctx *ctx, uint32_t va, uint64_t pte,
                                        uint32_t flags, domid_t domid)
{
    domid_t fd = ctx->dom;
    /* PT-39: the domid decodes as mmu_update's foreigndom (PT-33) */
    int rc = mmu_decode_foreigndom(domid, ctx->dom, ctx->privileged, &fd);

    if (rc != 0)
        return rc;
    ctx->fd = fd;                   /* PT-34: the data owner, for this call only */
    rc = pt_do_update_va_mapping(ctx, va, pte, flags);
    ctx->fd = ctx->dom;             /* PT-34: reset whatever happened */
    return rc;
}
