/*
 * Grant mappings: map, unmap and teardown (see gnttab.h and
 * spec/grants.md); gnttab_op.c has the other operations and the hypercall.
 * Each operation decodes and checks first, then commits through steps
 * that either cannot fail or, for taking frame references, fail without
 * changing anything.
 */
#include "gnttab.h"
#include "pt_update.h"
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

/* A domain by a real id (stored in a maptrack entry, or a map's op->dom). */
struct gnttab_domain *gnttab_lookup_id(const struct gnttab_world *w, domid_t id)
{
    return id < w->nr ? w->doms[id] : NULL;
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
    rgt = gnttab_lookup_id(w, m->granter);
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
    uint64_t npte;                 /* the entry the map will write */
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
    p->me = gnttab_lookup_id(c->w, ctx->dom);
    if (!p->me)
        return GNTST_general_error;
    p->rgt = gnttab_lookup_id(c->w, op->dom);                   /* GNT-3 */
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
    /* GNT-11: the same flag rules as any L1 entry (PT-1, PT-2) */
    p->npte = grant_pte(p->e.frame, p->rw, op->flags);
    if (!pte_l1_flags_ok(p->npte, ctx->io_capable))
        return GNTST_general_error;
    return find_target(ctx, op->host_addr, op->flags, &p->t);   /* GNT-9, GNT-10 */
}

void gnttab_map(struct gnttab_call *c, struct gnttab_map_grant_ref *op)
{
    struct pt_ctx *ctx = c->ctx;
    struct map_plan p = { 0 };
    struct gnttab_map rec = { 0 };
    uint16_t need;
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
    write_pte(p.t.l1_mfn, p.t.slot, p.npte);
    if (pte_needs_flush(p.t.old, p.npte))                       /* PT-20 */
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
    struct gnttab_domain *me = gnttab_lookup_id(c->w, ctx->dom);
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
    struct gnttab_domain *me = gnttab_lookup_id(w, ctx->dom);
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
