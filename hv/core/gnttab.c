/*
 * grant_table_op: setup, query, map, unmap, copy, versions, teardown
 * (see gnttab.h and spec/grants.md). Each operation decodes and checks
 * first, then commits through steps that either cannot fail or, for
 * taking frame references, fail without changing anything.
 */
#include "gnttab.h"
#include "pt_update.h"
#include "mmu_ops.h"
#include "pv/layout.h"

/* PTE bits every grant mapping has (as Xen: data, never executable). */
#define GNT_PTE_BASE  (PTE_P | PTE_A | PTE_D | PTE_NX)

void gnttab_domain_init(struct gnttab_domain *gt, domid_t dom, uint32_t max_frames)
{
    uint32_t i;

    gt->dom = dom;
    gt->pad = 0;
    gt->nr_frames = 0;
    if (max_frames == 0 || max_frames > GNTTAB_MAX_FRAMES)
        max_frames = GNTTAB_MAX_FRAMES;
    gt->max_frames = max_frames;
    for (i = 0; i < GNTTAB_MAX_FRAMES; i++)
        gt->frames[i] = INVALID_MFN;
    for (i = 0; i < GNTTAB_MAX_ENTRIES; i++) {
        gt->active[i].mfn = INVALID_MFN;
        gt->active[i].ro_pins = 0;
        gt->active[i].rw_pins = 0;
        gt->active[i].grantee = 0;
        gt->active[i].pad = 0;
    }
    for (i = 0; i < GNTTAB_MAPTRACK_SIZE; i++)
        gnttab_handle_free(gt, i);
}

/* ---- lookups ------------------------------------------------------------ */

/* A domain as a guest names it (DOMID_SELF is the caller). */
static struct gnttab_domain *lookup(const struct gnttab_world *w, domid_t caller, domid_t id)
{
    uint32_t i = id == DOMID_SELF ? caller : id;

    return i < w->nr ? w->doms[i] : NULL;
}

/* A domain by a real id (stored in a maptrack entry, or a map's op->dom). */
static struct gnttab_domain *lookup_id(const struct gnttab_world *w, domid_t id)
{
    return id < w->nr ? w->doms[id] : NULL;
}

/*
 * GNT-3, GNT-16, GNT-17: the table a setup/query/version names: the
 * caller's own (DOMID_SELF or its id), or for the privileged caller any
 * domain's. GNTST_okay with *gt set, permission_denied or bad_domain.
 */
static int16_t table_of(const struct gnttab_call *c, domid_t dom, struct gnttab_domain **gt)
{
    if (dom != DOMID_SELF && dom != c->ctx->dom && !c->ctx->privileged)
        return GNTST_permission_denied;
    *gt = lookup(c->w, c->ctx->dom, dom);
    return *gt ? GNTST_okay : GNTST_bad_domain;
}

/* ---- the PTE a host mapping writes -------------------------------------- */

static void write_pte(uint32_t l1_mfn, uint32_t slot, uint64_t e)
{
    uint64_t *t = env_map_frame(l1_mfn);

    t[slot] = e;
    env_unmap_frame(t);
}

/* GNT-11: what the new entry says: the frame, present, accessed, dirty,
 * NX; RW unless read-only; US for an application mapping. */
static uint64_t grant_pte(uint32_t mfn, bool rw, uint32_t flags)
{
    uint64_t e = ((uint64_t)mfn << PAGE_SHIFT) | GNT_PTE_BASE;

    if (rw)
        e |= PTE_RW;
    if (flags & GNTMAP_application_map)
        e |= PTE_US;
    return e;
}

/* Where a map's PTE goes, and what is there now. */
struct pte_target {
    uint32_t l1_mfn;
    uint32_t slot;
    uint64_t old;
};

/*
 * GNT-9: host_addr is a virtual address of the caller's current address
 * space below the hypervisor, or with GNTMAP_contains_pte the machine
 * address of an L1 entry, which must be 8-byte aligned (XSA-227: a
 * misaligned address would splice the new entry across two). Either way
 * the frame must be a validated L1 of the caller. GNT-10: the entry there
 * now, if present, must map one of the caller's own frames (it is
 * replaced, like mod_l1_entry; a grant mapping is never overwritten by
 * another). GNTST_okay or GNTST_general_error (Xen's code).
 */
static int16_t find_target(const struct pt_ctx *ctx, uint64_t host_addr, uint32_t flags,
                           struct pte_target *t)
{
    if (flags & GNTMAP_contains_pte) {
        if (host_addr % PT_ENTRY_SIZE != 0)                     /* GNT-9: XSA-227 */
            return GNTST_general_error;
        if (host_addr / PAGE_SIZE > 0xFFFFFFFFull)
            return GNTST_general_error;
        t->l1_mfn = (uint32_t)(host_addr / PAGE_SIZE);
        t->slot = (uint32_t)(host_addr % PAGE_SIZE) / PT_ENTRY_SIZE;
    } else {
        if (host_addr >= HYPERVISOR_VIRT_START)                 /* GNT-9 */
            return GNTST_general_error;
        if (pt_walk_l1(ctx, (uint32_t)host_addr, &t->l1_mfn) != 0)
            return GNTST_general_error;
        t->slot = pte_va_l1_slot((uint32_t)host_addr);
    }
    if (!pt_is_table(ctx, t->l1_mfn, PGT_L1))                  /* GNT-9 */
        return GNTST_general_error;
    t->old = pt_read_entry(t->l1_mfn, t->slot);
    if (pte_present(t->old) &&                                  /* GNT-10 */
        pte_check_l1_frame(ctx->ft, ctx->dom, pte_mfn(t->old)) != 0)
        return GNTST_general_error;
    return GNTST_okay;
}

/* ---- pins and the shared entry's flags ---------------------------------- */

/*
 * GNT-13: release the pin maptrack entry `m` accounts for, and clear
 * GTF_writing / GTF_reading in the granter's entry when the last writable
 * / last mapping of the ref goes. Orphans (the granter died) have none.
 */
static void release_pin(const struct gnttab_world *w, domid_t grantee,
                        const struct gnttab_map *m)
{
    struct gnttab_domain *rgt;
    struct gnttab_active *a;
    bool rw = (m->flags & GNTTAB_MT_RW) != 0;
    uint16_t clear = 0;

    if (m->flags & GNTTAB_MT_ORPHAN)
        return;
    rgt = lookup_id(w, m->granter);
    if (!rgt || !gnttab_ref_ok(rgt, m->ref))
        return;
    a = &rgt->active[m->ref];
    if (a->grantee != grantee || a->mfn != m->mfn || (rw ? a->rw_pins : a->ro_pins) == 0)
        return;                     /* unreachable while GNT-21 holds */
    gnttab_unpin(a, rw);
    if (rw && a->rw_pins == 0)
        clear |= GTF_writing;
    if (a->ro_pins + a->rw_pins == 0)
        clear |= GTF_reading;
    if (clear)
        gnttab_entry_clear_flags(rgt, m->ref, clear);
}

/* ---- map ------------------------------------------------------------------ */

/* Everything a map decided before it commits. */
struct map_plan {
    struct gnttab_domain *me, *rgt;
    struct grant_entry_v1 e;       /* the one copy of the shared entry */
    struct pte_target t;
    uint32_t handle;
    bool rw;
};

/* The decode half of a map: every check, nothing changed. */
static int16_t map_decode(const struct gnttab_call *c, const struct gnttab_map_grant_ref *op,
                          struct map_plan *p)
{
    const struct pt_ctx *ctx = c->ctx;
    int16_t st;

    /* GNT-4: host mappings only (no device/IOMMU mappings here) */
    if (!(op->flags & GNTMAP_host_map) || (op->flags & GNTMAP_device_map))
        return GNTST_general_error;
    if (!ctx->privileged && !c->w->unpriv_host_map)            /* GNT-19 */
        return GNTST_permission_denied;
    p->me = lookup_id(c->w, ctx->dom);
    if (!p->me)
        return GNTST_general_error;
    p->rgt = lookup_id(c->w, op->dom);                          /* GNT-3 */
    if (!p->rgt)
        return GNTST_bad_domain;
    if (!gnttab_ref_ok(p->rgt, op->ref))                        /* GNT-1 */
        return GNTST_bad_gntref;
    p->handle = gnttab_handle_alloc(p->me);                     /* GNT-12 */
    if (p->handle >= GNTTAB_MAPTRACK_SIZE)
        return GNTST_no_device_space;
    p->rw = !(op->flags & GNTMAP_readonly);
    gnttab_entry_read(p->rgt, op->ref, &p->e);                  /* GNT-13: once */
    st = (int16_t)gnttab_entry_check(p->e.flags, p->e.domid, ctx->dom, p->rw); /* GNT-5 */
    if (st != GNTST_okay)
        return st;
    st = (int16_t)gnttab_pin_check(&p->rgt->active[op->ref], ctx->dom, p->e.frame, p->rw);
    if (st != GNTST_okay)                                       /* GNT-6 */
        return st;
    return find_target(ctx, op->host_addr, op->flags, &p->t);   /* GNT-9, GNT-10 */
}

void gnttab_map(struct gnttab_call *c, struct gnttab_map_grant_ref *op)
{
    struct pt_ctx *ctx = c->ctx;
    struct map_plan p = { 0 };
    struct gnttab_map rec = { 0 };
    uint16_t need;
    uint64_t npte;
    int16_t st;

    op->handle = 0;
    op->dev_bus_addr = 0;
    st = map_decode(c, op, &p);
    if (st == GNTST_okay)                                       /* GNT-7, GNT-8 */
        st = (int16_t)gnttab_frame_get(ctx->ft, p.e.frame, p.rgt->dom, p.rw);
    if (st != GNTST_okay) {
        op->status = st;
        return;
    }
    /* GNT-13: tell the granter the entry is in use (hint, not safety) */
    need = (uint16_t)(GTF_reading | (p.rw ? GTF_writing : 0));
    if ((p.e.flags & need) != need &&
        !gnttab_entry_set_flags(p.rgt, op->ref, p.e.flags, p.e.domid, need)) {
        if (!gnttab_frame_put(ctx->ft, p.e.frame, p.rw))
            pt_note_bug(ctx);
        op->status = GNTST_general_error;
        return;
    }
    /* GNT-11: from here nothing fails; the new entry's references are held */
    npte = grant_pte(p.e.frame, p.rw, op->flags);
    write_pte(p.t.l1_mfn, p.t.slot, npte);
    if (pte_needs_flush(p.t.old, npte))                         /* PT-20 */
        env_tlb_flush_all();
    pt_put_l1e(ctx, p.t.old);                                   /* PT-19: old last */
    gnttab_pin(&p.rgt->active[op->ref], ctx->dom, p.e.frame, p.rw);
    rec.flags = p.rw ? GNTTAB_MT_RW : 0;
    rec.granter = p.rgt->dom;
    rec.ref = op->ref;
    rec.mfn = p.e.frame;
    rec.l1_mfn = p.t.l1_mfn;
    rec.l1_slot = p.t.slot;
    rec.host_addr = op->host_addr;
    gnttab_handle_set(p.me, p.handle, &rec);
    op->handle = p.handle;
    op->dev_bus_addr = (uint64_t)p.e.frame << PAGE_SHIFT;
    op->status = GNTST_okay;
}

/* ---- unmap ---------------------------------------------------------------- */

/*
 * GNT-14: does the PTE the map wrote still map m's frame with m's access?
 * (The grantee may have removed it through mmu_update or by dropping the
 * L1; then the page-table layer dropped its references.)
 */
static bool pte_still_mapped(const struct pt_ctx *ctx, const struct gnttab_map *m)
{
    uint64_t e;

    if (m->l1_slot >= PT_L1_ENTRIES || !pt_is_table(ctx, m->l1_mfn, PGT_L1))
        return false;
    e = pt_read_entry(m->l1_mfn, m->l1_slot);
    return pte_present(e) && pte_mfn(e) == m->mfn &&
           pte_writable(e) == ((m->flags & GNTTAB_MT_RW) != 0);
}

/* Drop what the map took on the frame (GNT-8); a refusal is a core bug. */
static void drop_frame(struct pt_ctx *ctx, const struct gnttab_map *m)
{
    if (!gnttab_frame_put(ctx->ft, m->mfn, (m->flags & GNTTAB_MT_RW) != 0))
        pt_note_bug(ctx);
}

void gnttab_unmap(struct gnttab_call *c, struct gnttab_unmap_grant_ref *op)
{
    struct pt_ctx *ctx = c->ctx;
    struct gnttab_domain *me = lookup_id(c->w, ctx->dom);
    struct gnttab_map m;

    if (!me || !gnttab_handle_ok(me, op->handle)) {             /* GNT-2 */
        op->status = GNTST_bad_handle;
        return;
    }
    m = me->maptrack[op->handle];
    /* GNT-14: the same mapping the guest made, still in place */
    if (op->host_addr != m.host_addr ||
        (op->dev_bus_addr != 0 && op->dev_bus_addr != (uint64_t)m.mfn << PAGE_SHIFT) ||
        !pte_still_mapped(ctx, &m)) {
        op->status = GNTST_general_error;
        return;
    }
    write_pte(m.l1_mfn, m.l1_slot, 0);
    env_tlb_flush_all();                        /* PT-20: before the refs go */
    drop_frame(ctx, &m);                                        /* GNT-8 */
    release_pin(c->w, ctx->dom, &m);                            /* GNT-13 */
    gnttab_handle_free(me, op->handle);                         /* GNT-2 */
    op->status = GNTST_okay;
}

/* ---- copy ----------------------------------------------------------------- */

/* One end of a copy, resolved. */
struct copy_end {
    uint32_t mfn;
    domid_t owner;
};

/*
 * GNT-15: resolve one end. A grant ref (DOMID_SELF allowed, as Xen) must
 * be in range and allow the caller (and writing, for the destination); a
 * frame number is the caller's own and only with DOMID_SELF.
 */
static int16_t copy_resolve(const struct gnttab_call *c, const struct gnttab_copy_ptr *p,
                            bool is_ref, bool write, struct copy_end *end)
{
    const struct gnttab_domain *gt;
    struct grant_entry_v1 e;
    int16_t st;

    if (!is_ref) {
        if (p->domid != DOMID_SELF)
            return GNTST_permission_denied;
        end->mfn = p->u.gmfn;
        end->owner = c->ctx->dom;
        return GNTST_okay;
    }
    gt = lookup(c->w, c->ctx->dom, p->domid);                   /* GNT-3 */
    if (!gt)
        return GNTST_bad_domain;
    if (!gnttab_ref_ok(gt, p->u.ref))                           /* GNT-1 */
        return GNTST_bad_gntref;
    gnttab_entry_read(gt, p->u.ref, &e);                        /* GNT-13: once */
    st = (int16_t)gnttab_entry_check(e.flags, e.domid, c->ctx->dom, write);
    if (st != GNTST_okay)                                       /* GNT-5 */
        return st;
    end->mfn = e.frame;
    end->owner = gt->dom;
    return GNTST_okay;
}

/* Copy len bytes within or between two mapped frames (memmove within one). */
static void copy_bytes(uint32_t smfn, uint32_t soff, uint32_t dmfn, uint32_t doff,
                       uint32_t len)
{
    const uint8_t *s = env_map_frame(smfn);
    uint8_t *d = smfn == dmfn ? (uint8_t *)s : env_map_frame(dmfn);
    uint32_t i;

    if (d == s && doff > soff) {
        for (i = len; i > 0; i--)
            d[doff + i - 1] = s[soff + i - 1];
    } else {
        for (i = 0; i < len; i++)
            d[doff + i] = s[soff + i];
    }
    if (smfn != dmfn)
        env_unmap_frame(d);
    env_unmap_frame(s);
}

void gnttab_copy(struct gnttab_call *c, struct gnttab_copy *op)
{
    struct frame_table *ft = c->ctx->ft;
    struct copy_end src = { 0 }, dst = { 0 };
    uint32_t len = op->len;
    int16_t st;

    /* GNT-15: neither end crosses its page */
    if (op->source.offset > PAGE_SIZE || len > PAGE_SIZE - op->source.offset ||
        op->dest.offset > PAGE_SIZE || len > PAGE_SIZE - op->dest.offset) {
        op->status = GNTST_bad_copy_arg;
        return;
    }
    st = copy_resolve(c, &op->source, (op->flags & GNTCOPY_source_gref) != 0, false, &src);
    if (st == GNTST_okay)
        st = copy_resolve(c, &op->dest, (op->flags & GNTCOPY_dest_gref) != 0, true, &dst);
    /* GNT-7, GNT-8: hold both frames for the copy; the destination as
     * writable, so a page table or descriptor frame is never written */
    if (st == GNTST_okay)
        st = (int16_t)gnttab_frame_get(ft, src.mfn, src.owner, false);
    if (st != GNTST_okay) {
        op->status = st;
        return;
    }
    st = (int16_t)gnttab_frame_get(ft, dst.mfn, dst.owner, true);
    if (st == GNTST_okay) {
        copy_bytes(src.mfn, op->source.offset, dst.mfn, op->dest.offset, len);
        if (!gnttab_frame_put(ft, dst.mfn, true))
            pt_note_bug(c->ctx);
    }
    if (!gnttab_frame_put(ft, src.mfn, false))
        pt_note_bug(c->ctx);
    op->status = st;
}

/* ---- setup, query, versions ----------------------------------------------- */

/* GNT-16: add one scrubbed frame of gt's domain, held writable by us. */
static int16_t grow_one(struct frame_table *ft, struct gnttab_domain *gt)
{
    uint32_t mfn = INVALID_MFN;

    if (frame_alloc(ft, gt->dom, &mfn) != 0)
        return GNTST_general_error;
    if (gnttab_frame_get(ft, mfn, gt->dom, true) != GNTST_okay) {
        (void)frame_free(ft, mfn);          /* unreachable: a fresh frame */
        return GNTST_general_error;
    }
    gt->frames[gt->nr_frames++] = mfn;
    return GNTST_okay;
}

int gnttab_setup_table(struct gnttab_call *c, struct gnttab_setup_table *op)
{
    struct frame_table *ft = c->ctx->ft;
    struct gnttab_domain *gt = NULL;
    int16_t st = table_of(c, op->dom, &gt);

    if (st == GNTST_okay && (op->nr_frames > gt->max_frames ||   /* GNT-16 */
                             gt->nr_frames > gt->max_frames))
        st = GNTST_general_error;
    /* all or nothing: enough free frames before the first is taken */
    if (st == GNTST_okay && op->nr_frames > gt->nr_frames &&
        ft->nr_free < op->nr_frames - gt->nr_frames)
        st = GNTST_general_error;
    while (st == GNTST_okay && gt->nr_frames < op->nr_frames)
        st = grow_one(ft, gt);
    op->status = st;
    if (st != GNTST_okay || op->nr_frames == 0)
        return 0;
    return env_copy_to_guest(guest_ptr(op->frame_list), gt->frames,
                             op->nr_frames * (uint32_t)sizeof(gt->frames[0]));
}

void gnttab_query_size(struct gnttab_call *c, struct gnttab_query_size *op)
{
    struct gnttab_domain *gt = NULL;
    int16_t st = table_of(c, op->dom, &gt);                     /* GNT-17 */

    op->nr_frames = st == GNTST_okay ? gt->nr_frames : 0;
    op->max_nr_frames = st == GNTST_okay ? gt->max_frames : 0;
    op->status = st;
}

int gnttab_set_version(struct gnttab_call *c, struct gnttab_set_version *op)
{
    uint32_t asked = op->version;

    (void)c;
    op->version = GNTTAB_VERSION;          /* the version in force, as Xen */
    return asked == GNTTAB_VERSION ? 0 : -EINVAL;               /* GNT-18 */
}

int gnttab_get_version(struct gnttab_call *c, struct gnttab_get_version *op)
{
    struct gnttab_domain *gt = NULL;
    int16_t st = table_of(c, op->dom, &gt);

    if (st == GNTST_permission_denied)
        return -EPERM;
    if (st != GNTST_okay)
        return -ESRCH;
    op->version = GNTTAB_VERSION;
    return 0;
}

/* ---- the hypercall -------------------------------------------------------- */

/* The structure size of each command we serve, 0 for the others. */
static uint32_t op_size(uint32_t cmd)
{
    switch (cmd) {
    case GNTTABOP_map_grant_ref:   return sizeof(struct gnttab_map_grant_ref);
    case GNTTABOP_unmap_grant_ref: return sizeof(struct gnttab_unmap_grant_ref);
    case GNTTABOP_setup_table:     return sizeof(struct gnttab_setup_table);
    case GNTTABOP_copy:            return sizeof(struct gnttab_copy);
    case GNTTABOP_query_size:      return sizeof(struct gnttab_query_size);
    case GNTTABOP_set_version:     return sizeof(struct gnttab_set_version);
    case GNTTABOP_get_version:     return sizeof(struct gnttab_get_version);
    default:                       return 0;
    }
}

/* One structure, already copied in: handle it in place. */
static int op_one(struct gnttab_call *c, uint32_t cmd, void *buf)
{
    switch (cmd) {
    case GNTTABOP_map_grant_ref:
        gnttab_map(c, buf);
        return 0;
    case GNTTABOP_unmap_grant_ref:
        gnttab_unmap(c, buf);
        return 0;
    case GNTTABOP_setup_table:
        return gnttab_setup_table(c, buf);
    case GNTTABOP_copy:
        gnttab_copy(c, buf);
        return 0;
    case GNTTABOP_query_size:
        gnttab_query_size(c, buf);
        return 0;
    case GNTTABOP_set_version:
        return gnttab_set_version(c, buf);
    default:
        return gnttab_get_version(c, buf);
    }
}

/* The largest structure a command takes (map: 32 bytes). */
#define GNT_OP_MAX_SIZE 32u
_Static_assert(sizeof(struct gnttab_map_grant_ref) <= GNT_OP_MAX_SIZE &&
               sizeof(struct gnttab_unmap_grant_ref) <= GNT_OP_MAX_SIZE &&
               sizeof(struct gnttab_setup_table) <= GNT_OP_MAX_SIZE &&
               sizeof(struct gnttab_copy) <= GNT_OP_MAX_SIZE &&
               sizeof(struct gnttab_query_size) <= GNT_OP_MAX_SIZE &&
               sizeof(struct gnttab_set_version) <= GNT_OP_MAX_SIZE &&
               sizeof(struct gnttab_get_version) <= GNT_OP_MAX_SIZE,
               "every command's structure fits the buffer");

int gnttab_op(struct gnttab_call *c, uint32_t cmd, guest_ptr_t uop, uint32_t count)
{
    uint64_t buf[GNT_OP_MAX_SIZE / sizeof(uint64_t)];      /* aligned for any */
    uint32_t size = op_size(cmd), i;
    bool single = cmd != GNTTABOP_map_grant_ref && cmd != GNTTABOP_unmap_grant_ref &&
                  cmd != GNTTABOP_copy;
    int rc = 0;

    if (size == 0)
        return -ENOSYS;
    if (count > GNTTAB_MAX_BATCH || (single && count != 1))     /* GNT-18 */
        return -EINVAL;
    /* GNT-18: the whole array below the hypervisor, so the walk cannot wrap */
    if (uop.va >= HYPERVISOR_VIRT_START ||
        count * size > HYPERVISOR_VIRT_START - uop.va)
        return -EFAULT;
    for (i = 0; i < count && rc == 0; i++) {
        guest_ptr_t at = guest_ptr_add(uop, i * size);

        if (env_copy_from_guest(buf, at, size) != 0)            /* once */
            return -EFAULT;
        rc = op_one(c, cmd, buf);
        if (env_copy_to_guest(at, buf, size) != 0)
            return -EFAULT;
    }
    return rc;
}

/* ---- teardown ------------------------------------------------------------- */

/* GNT-20: remove every host mapping `me` made, each as an unmap would
 * (teardown is rare; a flush per mapping keeps the order simple). */
static void unmap_all(struct gnttab_world *w, struct pt_ctx *ctx, struct gnttab_domain *me)
{
    uint32_t h;

    for (h = 0; h < GNTTAB_MAPTRACK_SIZE; h++) {
        const struct gnttab_map *m = &me->maptrack[h];

        if (!gnttab_handle_ok(me, h))
            continue;
        if (pte_still_mapped(ctx, m)) {
            write_pte(m->l1_mfn, m->l1_slot, 0);
            env_tlb_flush_all();                                /* PT-20 */
            drop_frame(ctx, m);
        }                   /* else the page-table layer took the refs along */
        release_pin(w, me->dom, m);
        gnttab_handle_free(me, h);
    }
}

/* GNT-20: other domains' mappings of `dom`'s grants no longer pin anything. */
static void orphan_mappings_of(struct gnttab_world *w, domid_t dom)
{
    uint32_t i, h;

    for (i = 0; i < w->nr; i++) {
        struct gnttab_domain *g = w->doms[i];

        if (!g || g->dom == dom)
            continue;
        for (h = 0; h < GNTTAB_MAPTRACK_SIZE; h++)
            if (gnttab_handle_ok(g, h) && g->maptrack[h].granter == dom)
                g->maptrack[h].flags |= GNTTAB_MT_ORPHAN;
    }
}

void gnttab_domain_destroy(struct gnttab_world *w, struct pt_ctx *ctx)
{
    struct gnttab_domain *me = lookup_id(w, ctx->dom);
    uint32_t f;

    if (!me)
        return;
    unmap_all(w, ctx, me);
    orphan_mappings_of(w, me->dom);
    /* GNT-16: our holds on the grant frames go; the glue's sweep frees them */
    for (f = 0; f < me->nr_frames && f < GNTTAB_MAX_FRAMES; f++)
        if (!gnttab_frame_put(ctx->ft, me->frames[f], true))
            pt_note_bug(ctx);
    gnttab_domain_init(me, me->dom, me->max_frames);
}

/* ---- audit ---------------------------------------------------------------- */

uint32_t gnttab_audit_holds(const struct gnttab_domain *gt, struct pt_audit_hold *holds,
                            uint32_t max)
{
    uint32_t f, n = 0;

    for (f = 0; f < gt->nr_frames && f < GNTTAB_MAX_FRAMES && n < max; f++) {
        holds[n].mfn = gt->frames[f];
        holds[n].refs = 1;
        holds[n].type_refs = 1;
        holds[n].type = PGT_WRITABLE;
        n++;
    }
    return n;
}

/* The handles of the world that account for a pin of (granter, ref). */
static void count_pins(const struct gnttab_world *w, domid_t granter, uint32_t ref,
                       uint32_t *ro, uint32_t *rw)
{
    uint32_t i, h;

    *ro = 0;
    *rw = 0;
    for (i = 0; i < w->nr; i++) {
        const struct gnttab_domain *g = w->doms[i];

        if (!g)
            continue;
        for (h = 0; h < GNTTAB_MAPTRACK_SIZE; h++) {
            const struct gnttab_map *m = &g->maptrack[h];

            if (!gnttab_handle_ok(g, h) || (m->flags & GNTTAB_MT_ORPHAN) ||
                m->granter != granter || m->ref != ref)
                continue;
            if (m->flags & GNTTAB_MT_RW)
                (*rw)++;
            else
                (*ro)++;
        }
    }
}

/* GNT-21 for one handle of grantee g. */
static bool handle_consistent(const struct gnttab_world *w, const struct gnttab_domain *g,
                              const struct gnttab_map *m)
{
    const struct gnttab_domain *rgt;
    const struct gnttab_active *a;

    if (m->flags & GNTTAB_MT_ORPHAN)
        return true;
    rgt = lookup_id(w, m->granter);
    if (!rgt || !gnttab_ref_ok(rgt, m->ref))
        return false;
    a = &rgt->active[m->ref];
    return a->grantee == g->dom && a->mfn == m->mfn &&
           ((m->flags & GNTTAB_MT_RW) ? a->rw_pins : a->ro_pins) > 0;
}

int gnttab_check(const struct gnttab_world *w)
{
    uint32_t i, h, r, ro, rw;

    for (i = 0; i < w->nr; i++) {
        const struct gnttab_domain *g = w->doms[i];

        if (!g)
            continue;
        if (g->dom != i || g->max_frames > GNTTAB_MAX_FRAMES || g->nr_frames > g->max_frames)
            return -EINVAL;
        for (h = 0; h < GNTTAB_MAPTRACK_SIZE; h++)
            if (gnttab_handle_ok(g, h) && !handle_consistent(w, g, &g->maptrack[h]))
                return -EINVAL;
        for (r = 0; r < GNTTAB_MAX_ENTRIES; r++) {
            const struct gnttab_active *a = &g->active[r];

            if (a->ro_pins + a->rw_pins == 0)
                continue;
            if (!gnttab_ref_ok(g, r))
                return -EINVAL;
            count_pins(w, g->dom, r, &ro, &rw);
            if (ro != a->ro_pins || rw != a->rw_pins)
                return -EINVAL;
        }
    }
    return 0;
}
