/*
 * grant_table_op: copy, setup_table, query_size, versions, the hypercall's
 * batch loop, and the audit helpers (see gnttab.h and spec/grants.md).
 * Map, unmap and teardown are in gnttab.c.
 */
#include "gnttab.h"
#include "mmu_decode.h"
#include "pt_ref.h"
#include "pv/layout.h"

/* ---- lookups ------------------------------------------------------------ */

/* A domain as a guest names it (DOMID_SELF is the caller). */
static struct gnttab_domain *lookup(const struct gnttab_world *w, domid_t caller, domid_t id)
{
    uint32_t i = id == DOMID_SELF ? caller : id;

    return i < w->nr ? w->doms[i] : NULL;
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

/*
 * GNT-22: as Xen when version 2 is not available (gnttab=max-ver:1, or a
 * domain created with max_grant_version 1): 1 is accepted (nothing to
 * change), 2 is -ENOSYS ("behave as before set_version was introduced"),
 * anything else -EINVAL; in every case the version in force is written
 * back.
 */
int gnttab_set_version(struct gnttab_call *c, struct gnttab_set_version *op)
{
    uint32_t asked = op->version;

    (void)c;
    op->version = GNTTAB_VERSION;          /* the version in force, as Xen */
    if (asked == GNTTAB_VERSION)
        return 0;
    return asked == 2u ? -ENOSYS : -EINVAL;
}

/*
 * GNT-22: the domain first (-ESRCH for none, whoever asks, as Xen's
 * rcu_lock_domain_by_any_id), then the permission (Xen's XSM_TARGET: the
 * caller itself or the privileged domain, else -EPERM).
 */
int gnttab_get_version(struct gnttab_call *c, struct gnttab_get_version *op)
{
    const struct gnttab_domain *gt = lookup(c->w, c->ctx->dom, op->dom);

    if (gt == NULL)
        return -ESRCH;
    if (gt->dom != c->ctx->dom && !c->ctx->privileged)
        return -EPERM;
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

/* The versions read one structure whatever the count says, as Xen (GNT-22). */
static bool count_ignored(uint32_t cmd)
{
    return cmd == GNTTABOP_set_version || cmd == GNTTABOP_get_version;
}

/*
 * GNT-18: the command's own argument checks; the structure size and the
 * number of structures to handle.
 */
static int decode_op(uint32_t cmd, guest_ptr_t uop, uint32_t *count, uint32_t *size)
{
    bool single = cmd == GNTTABOP_setup_table || cmd == GNTTABOP_query_size;

    if (*count > INT32_MAX)                 /* GNT-18: a negative int, as Xen */
        return -EINVAL;
    if ((cmd & GNTTABOP_ARG_MASK) != 0)     /* no continuation bits outside cache_flush */
        return -EINVAL;
    *size = op_size(cmd);
    if (*size == 0)
        return -ENOSYS;
    if (single && *count != 1)
        return -EINVAL;
    if (count_ignored(cmd))
        *count = 1;                         /* GNT-22 */
    /* GNT-18: the whole array below the hypervisor, so the walk cannot wrap */
    return mmu_decode_array(uop.va, *count, *size);
}

int gnttab_op(struct gnttab_call *c, uint32_t cmd, guest_ptr_t uop, uint32_t count,
              struct hc_cont *cont)
{
    uint64_t buf[GNT_OP_MAX_SIZE / sizeof(uint64_t)];      /* aligned for any */
    uint32_t size = 0, i;
    int rc = decode_op(cmd, uop, &count, &size);

    for (i = 0; i < count && rc == 0; i++) {
        guest_ptr_t at = guest_ptr_add(uop, i * size);

        if (hc_should_stop(i, cont)) {                          /* HC-1, HC-4 */
            hc_cont_gnttab(cont, cmd, uop.va, size, count, i);
            return -ERESTART;
        }
        if (env_copy_from_guest(buf, at, size) != 0)            /* once */
            return -EFAULT;
        rc = op_one(c, cmd, buf);
        if (env_copy_to_guest(at, buf, size) != 0)
            return -EFAULT;
    }
    return rc;
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
    rgt = gnttab_lookup_id(w, m->granter);
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
