/*
 * The acting domain's own memory accesses, through its own page tables
 * as the MMU would walk them (not as the core believes they are), and the
 * environment switch of who dom0 may map.
 *
 * The walk is a model of PAE paging for a ring-1 kernel: CR3 names the
 * L3 (PDPTEs: P only), an L2 entry with PSE maps 2 MiB directly, RW must
 * be set at L2 and L1 for a write (CR0.WP is on); US does not matter to a
 * supervisor ring. Every access that completes is checked: the frame it
 * reaches must be the actor's own (dom0: also a guest's it may have
 * mapped, PT-33..PT-37; never the victim's, the hypervisor's, a free one
 * or MMIO), and a write must reach a PGT_WRITABLE frame (PT-7). Addresses
 * at or above HYPERVISOR_VIRT_START are out of reach of every guest
 * segment (DESC-7) and fault.
 *
 * raw_write: aux % 4 = width (1, 2, 4, 8 bytes; the address is aligned
 * down to it), the value is a PTE-typed argument so a domain can write
 * entry-shaped values into frames it is preparing as tables.
 */
#include <string.h>

#include "exec_internal.h"
#include "hosted_env.h"
#include "pv/errno.h"
#include "pv/layout.h"

struct access {
    uint32_t mfn;
    uint32_t off;
};

static bool walk_entry(uint32_t table, uint32_t slot, uint64_t *e)
{
    if (table >= M_FRAMES)
        return false;                   /* the audit reports such an entry */
    *e = machine_peek(table, slot);
    return (*e & PTE_P) != 0;
}

static int walk(uint32_t va, bool write, struct access *a)
{
    uint32_t cr3 = X.actor->pt.cr3_mfn;
    uint64_t l3e, l2e, l1e;

    if (va >= HYPERVISOR_VIRT_START || cr3 == INVALID_MFN)
        return -EFAULT;
    if (!walk_entry(cr3, va >> 30, &l3e) || !walk_entry(pte_mfn(l3e), (va >> 21) & 511u, &l2e))
        return -EFAULT;
    if (l2e & PTE_PSE) {
        if (write && !(l2e & PTE_RW))
            return -EFAULT;
        a->mfn = pte_mfn(l2e) + ((va >> 12) & 511u);
    } else {
        if (!walk_entry(pte_mfn(l2e), (va >> 12) & 511u, &l1e))
            return -EFAULT;
        if (write && !((l2e & l1e) & PTE_RW))
            return -EFAULT;
        a->mfn = pte_mfn(l1e);
    }
    a->off = va & 0xFFFu;
    return 0;
}

/* PT-6, PT-7, PT-33..PT-38: what a completed access may reach. */
static void check_access(uint32_t va, bool write, const struct access *a)
{
    const struct frame *f;
    uint16_t o;

    if (a->mfn >= M_FRAMES)
        exec_finding("va %08x reaches frame %u beyond RAM", va, a->mfn);
    f = &M.frames[a->mfn];
    o = f->owner;
    if (o != X.actor_id &&
        !(X.actor_id == M_DOM0 && (o == M_ATTACKER || o == M_BUILDER)))
        exec_finding("PT-6: va %08x reaches frame %u of owner %#x", va, a->mfn, o);
    if (write && f->type != PGT_WRITABLE)
        exec_finding("PT-7: va %08x writes frame %u of type %u", va, a->mfn, f->type);
}

void exec_note_raw_write(uint32_t mfn)
{
    machine_mark_dirty(mfn);
    X.raw_write = true;
    X.raw_mfn = mfn;
}

static int raw_write(const struct prog_op *op)
{
    static const uint32_t widths[4] = { 1, 2, 4, 8 };
    uint32_t va = res_va(&op->a[0]), w = widths[op->aux % 4u];
    uint64_t v = res_pte(&op->a[1]);
    struct access a;
    int rc = walk(va, true, &a);

    if (rc)
        return rc;
    check_access(va, true, &a);
    a.off &= ~(w - 1u);
    memcpy(hosted_frame(a.mfn) + a.off, &v, w);   /* little-endian, as the guest */
    exec_note_raw_write(a.mfn);
    exec_trace("        wrote %#llx (%u bytes) to frame %u + %#x\n", (unsigned long long)v, w,
               a.mfn, a.off);
    return 0;
}

static int raw_read(const struct prog_op *op)
{
    uint32_t va = res_va(&op->a[0]);
    struct access a;
    int rc = walk(va, false, &a);

    if (rc)
        return rc;
    check_access(va, false, &a);
    exec_trace("        read frame %u + %#x\n", a.mfn, a.off);
    return 0;
}

/* Only the attacker and the builder are ever "paused guests": the victim
 * keeps running and dom0 is privileged (hv/domain.c env_foreign_mappable). */
static int set_mappable(const struct prog_op *op)
{
    uint32_t dom = res_domid(&op->a[0]);

    if (dom != M_ATTACKER && dom != M_BUILDER)
        return -EPERM;
    M.dom[dom].mappable = op->aux & 1u;
    hosted_set_foreign_mappable((uint16_t)dom, M.dom[dom].mappable);
    return 0;
}

/* domain_destroy: dom0 destroys the attacker or the paused guest, or the
 * attacker shuts itself down; the victim keeps running, dom0 never dies. */
static int destroy(const struct prog_op *op)
{
    uint32_t dom = res_domid(&op->a[0]);

    if (dom == DOMID_SELF)
        dom = X.actor_id;
    if ((dom != M_ATTACKER && dom != M_BUILDER) || (X.actor_id != M_DOM0 && dom != X.actor_id))
        return -EPERM;
    X.evt_op = true;
    X.gnt_op = true;
    return (int)machine_destroy(dom);
}

int exec_mem_op(const struct prog_op *op)
{
    switch (op->op) {
    case OP_RAW_WRITE:
        return raw_write(op);
    case OP_RAW_READ:
        return raw_read(op);
    case OP_DESTROY:
        return destroy(op);
    default:
        return set_mappable(op);
    }
}
