/*
 * The invariant audit (see pt_audit.h): check every frame's own state,
 * recount the references from the tables, pins, base pointers and holds,
 * and compare.
 */
#include "pt_audit.h"
#include "pagetype.h"
#include "pt_table.h"
#include "env.h"

static int finding(struct pt_audit_report *rep, enum pt_audit_what what,
                   uint32_t mfn, uint32_t slot)
{
    rep->what = what;
    rep->mfn = mfn;
    rep->slot = slot;
    return -EINVAL;
}

/* Count one reference (and a type reference if `typed`) on `mfn`. */
static int count_ref(const struct pt_audit_in *in, uint32_t mfn, bool typed,
                     struct pt_audit_report *rep)
{
    struct pt_audit_count *c = &in->scratch[mfn];

    if (c->refs >= PT_COUNT_MAX || c->type_refs >= PT_COUNT_MAX)
        return finding(rep, PT_AUDIT_OVERFLOW, mfn, PT_AUDIT_NO_SLOT);
    c->refs++;
    if (typed)
        c->type_refs++;
    return 0;
}

static bool is_table_type(uint8_t type)
{
    return type == PGT_L1 || type == PGT_L2 || type == PGT_L2_XEN || type == PGT_L3;
}

/* A frame's own fields (the invariants of frame.h and pagetype.h). */
static int audit_frame(const struct pt_audit_in *in, uint32_t mfn,
                       struct pt_audit_report *rep)
{
    const struct frame *f = &in->ft->frames[mfn];

    if (f->owner == FRAME_OWNER_FREE &&
        (f->refcount || f->type_count || f->type != PGT_NONE || f->flags))
        return finding(rep, PT_AUDIT_FREE_IN_USE, mfn, PT_AUDIT_NO_SLOT);
    if (f->type >= PGT_NR_TYPES || (f->type == PGT_NONE) != (f->type_count == 0))
        return finding(rep, PT_AUDIT_TYPE_STATE, mfn, PT_AUDIT_NO_SLOT);
    if (f->type_count == 0 ? f->flags != 0 : !pt_frame_validated(f))
        return finding(rep, PT_AUDIT_FLAGS, mfn, PT_AUDIT_NO_SLOT);
    if (pt_frame_pinned(f) && (!is_table_type(f->type) || f->type == PGT_L2_XEN))
        return finding(rep, PT_AUDIT_FLAGS, mfn, PT_AUDIT_NO_SLOT);
    if (f->type == PGT_L2_XEN && f->type_count != 1)          /* PT-10 */
        return finding(rep, PT_AUDIT_XEN_L2_SHARED, mfn, PT_AUDIT_NO_SLOT);
    if (f->type == PGT_L3 && mfn >= PT_L3_MFN_LIMIT)         /* PT-11 */
        return finding(rep, PT_AUDIT_L3_HIGH, mfn, PT_AUDIT_NO_SLOT);
    if (pt_frame_pinned(f))
        return count_ref(in, mfn, true, rep);
    return 0;
}

static const struct pt_audit_domain *find_domain(const struct pt_audit_in *in,
                                                 uint16_t owner)
{
    uint32_t i;

    for (i = 0; i < in->nr_doms; i++)
        if (in->doms[i].dom == owner)
            return &in->doms[i];
    return NULL;
}

/*
 * PT-6, PT-38: may an entry of a table owned by `table_owner` name a frame
 * of `owner`? Its own, always; another's only in an L1 entry (`want` is
 * PGT_NONE or PGT_WRITABLE) of the privileged domain, and only a listed
 * domain's. Whether the owner was paused when the entry was written is
 * not a fact the tables keep, so it is not checked here.
 */
static bool owner_ok(const struct pt_audit_in *in, uint16_t table_owner, uint16_t owner,
                     uint8_t want)
{
    const struct pt_audit_domain *d;

    if (owner == table_owner)
        return true;
    if (want != PGT_NONE && want != PGT_WRITABLE)
        return false;                       /* PT-35: tables are never foreign */
    d = find_domain(in, table_owner);
    return d && d->privileged && owner < DOMID_FIRST_RESERVED &&
           find_domain(in, owner) != NULL;
}

/*
 * A present entry of table `mfn` naming frame `target`, which must exist,
 * be an owner owner_ok() accepts and, if `want` is not PGT_NONE, have
 * type `want`; it holds a general reference and, with a type, a type
 * reference (counted whoever owns the frame, so a leaked or doubly
 * dropped foreign reference shows as a count finding).
 */
static int audit_target(const struct pt_audit_in *in, uint32_t mfn, uint32_t slot,
                        uint64_t e, uint8_t want, enum pt_audit_what wrong_type,
                        struct pt_audit_report *rep)
{
    uint32_t target = pte_mfn(e);
    const struct frame *t;

    if (target >= in->ft->nr_frames)
        return finding(rep, PT_AUDIT_BAD_FRAME, mfn, slot);
    t = &in->ft->frames[target];
    if (!owner_ok(in, in->ft->frames[mfn].owner, t->owner, want))   /* PT-38 */
        return finding(rep, PT_AUDIT_FOREIGN, mfn, slot);
    if (want != PGT_NONE && t->type != want)
        return finding(rep, wrong_type, mfn, slot);
    return count_ref(in, target, want != PGT_NONE, rep);
}

static int audit_l1(const struct pt_audit_in *in, const struct pt_audit_domain *d,
                    uint32_t mfn, const uint64_t *l1, struct pt_audit_report *rep)
{
    uint32_t i;
    int rc = 0;

    for (i = 0; i < PT_L1_ENTRIES && rc == 0; i++) {
        if (!pte_present(l1[i]))
            continue;
        if (!pte_l1_flags_ok(l1[i], d->io_capable))           /* PT-1, PT-2 */
            return finding(rep, PT_AUDIT_BAD_FLAGS, mfn, i);
        rc = audit_target(in, mfn, i, l1[i],                    /* PT-6, PT-7, PT-38 */
                          pte_writable(l1[i]) ? PGT_WRITABLE : PGT_NONE,
                          PT_AUDIT_RW_NOT_WRITABLE, rep);
    }
    return rc;
}

static int audit_l2(const struct pt_audit_in *in, const struct pt_audit_domain *d,
                    uint32_t mfn, const uint64_t *l2, struct pt_audit_report *rep)
{
    bool xen = in->ft->frames[mfn].type == PGT_L2_XEN;
    uint32_t nr = xen ? PT_XEN_FIRST_SLOT : PT_L2_ENTRIES;
    uint32_t i;
    int rc = 0;

    for (i = 0; i < nr && rc == 0; i++) {
        if (!pte_present(l2[i]))
            continue;
        if (!pte_l2_flags_ok(l2[i]))                           /* PT-3, PT-4 */
            return finding(rep, PT_AUDIT_BAD_FLAGS, mfn, i);
        rc = audit_target(in, mfn, i, l2[i], PGT_L1, PT_AUDIT_L2E_NOT_L1, rep);
    }
    for (i = 0; xen && i < PT_XEN_SLOTS && rc == 0; i++)      /* PT-12 */
        if (l2[PT_XEN_FIRST_SLOT + i] != (d->xen_l2_slots ? d->xen_l2_slots[i] : 0))
            return finding(rep, PT_AUDIT_XEN_SLOTS, mfn, PT_XEN_FIRST_SLOT + i);
    return rc;
}

static int audit_l3(const struct pt_audit_in *in, uint32_t mfn, const uint64_t *l3,
                    struct pt_audit_report *rep)
{
    uint32_t i;
    int rc = 0;

    if (!pte_present(l3[PT_XEN_L3_SLOT]))                     /* PT-10 */
        return finding(rep, PT_AUDIT_SLOT3, mfn, PT_XEN_L3_SLOT);
    for (i = 0; i < PT_L3_ENTRIES && rc == 0; i++) {
        if (!pte_present(l3[i]))
            continue;
        /*
         * PT-5: stored as a PDPTE can hold it (validation strips RW, US,
         * A and D), less the accessed bit: the SDM reserves it in a PAE
         * PDPTE and a CPU never sets it, but QEMU's TCG page walker does.
         * It grants nothing, so the audit tolerates it.
         */
        if (!pte_l3_stored_ok(l3[i] & ~(uint64_t)PTE_A))     /* PT-5: a PDPTE */
            return finding(rep, PT_AUDIT_BAD_FLAGS, mfn, i);
        if (i < PT_XEN_L3_SLOT)                                /* PT-9 */
            rc = audit_target(in, mfn, i, l3[i], PGT_L2, PT_AUDIT_L3E_NOT_L2, rep);
        else                                                   /* PT-10 */
            rc = audit_target(in, mfn, i, l3[i], PGT_L2_XEN, PT_AUDIT_SLOT3, rep);
    }
    return rc;
}

/* The entries of one validated table. */
static int audit_table(const struct pt_audit_in *in, uint32_t mfn,
                       struct pt_audit_report *rep)
{
    const struct frame *f = &in->ft->frames[mfn];
    const struct pt_audit_domain *d;
    const uint64_t *t;
    int rc;

    if (!is_table_type(f->type) || f->type_count == 0)
        return 0;
    d = find_domain(in, f->owner);
    if (!d)
        return finding(rep, PT_AUDIT_UNKNOWN_OWNER, mfn, PT_AUDIT_NO_SLOT);
    t = env_map_frame(mfn);
    if (f->type == PGT_L1)
        rc = audit_l1(in, d, mfn, t, rep);
    else if (f->type == PGT_L3)
        rc = audit_l3(in, mfn, t, rep);
    else
        rc = audit_l2(in, d, mfn, t, rep);
    env_unmap_frame(t);
    return rc;
}

/* PT-26: each base pointer holds its domain's L3. */
static int audit_cr3(const struct pt_audit_in *in, const struct pt_audit_domain *d,
                     struct pt_audit_report *rep)
{
    const struct frame *f;

    if (d->cr3_mfn == INVALID_MFN)
        return 0;
    if (d->cr3_mfn >= in->ft->nr_frames)
        return finding(rep, PT_AUDIT_CR3, d->cr3_mfn, PT_AUDIT_NO_SLOT);
    f = &in->ft->frames[d->cr3_mfn];
    if (f->owner != d->dom || f->type != PGT_L3)
        return finding(rep, PT_AUDIT_CR3, d->cr3_mfn, PT_AUDIT_NO_SLOT);
    return count_ref(in, d->cr3_mfn, true, rep);
}

static int audit_hold(const struct pt_audit_in *in, const struct pt_audit_hold *h,
                      struct pt_audit_report *rep)
{
    struct pt_audit_count *c;

    if (h->mfn >= in->ft->nr_frames || h->type_refs > h->refs ||
        (h->type_refs && in->ft->frames[h->mfn].type != h->type))
        return finding(rep, PT_AUDIT_HOLD, h->mfn, PT_AUDIT_NO_SLOT);
    c = &in->scratch[h->mfn];
    if (h->refs > PT_COUNT_MAX - c->refs || h->type_refs > PT_COUNT_MAX - c->type_refs)
        return finding(rep, PT_AUDIT_OVERFLOW, h->mfn, PT_AUDIT_NO_SLOT);
    c->refs += h->refs;
    c->type_refs += h->type_refs;
    return 0;
}

static int compare_counts(const struct pt_audit_in *in, uint32_t mfn,
                          struct pt_audit_report *rep)
{
    const struct frame *f = &in->ft->frames[mfn];
    const struct pt_audit_count *c = &in->scratch[mfn];
    enum pt_audit_what what = PT_AUDIT_OK;

    if (f->refcount != c->refs) {
        what = PT_AUDIT_REFCOUNT;
        rep->expected = c->refs;
        rep->found = f->refcount;
    } else if (f->type_count != c->type_refs) {
        what = PT_AUDIT_TYPE_COUNT;
        rep->expected = c->type_refs;
        rep->found = f->type_count;
    }
    return what == PT_AUDIT_OK ? 0 : finding(rep, what, mfn, PT_AUDIT_NO_SLOT);
}

int pt_audit(const struct pt_audit_in *in, struct pt_audit_report *rep)
{
    uint32_t i, n = in->ft->nr_frames;
    int rc = 0;

    rep->what = PT_AUDIT_OK;
    rep->mfn = INVALID_MFN;
    rep->slot = PT_AUDIT_NO_SLOT;
    rep->expected = rep->found = 0;
    for (i = 0; i < n; i++)
        in->scratch[i].refs = in->scratch[i].type_refs = 0;
    for (i = 0; i < n && rc == 0; i++)
        rc = audit_frame(in, i, rep);
    for (i = 0; i < n && rc == 0; i++)
        rc = audit_table(in, i, rep);
    for (i = 0; i < in->nr_doms && rc == 0; i++)
        rc = audit_cr3(in, &in->doms[i], rep);
    for (i = 0; i < in->nr_holds && rc == 0; i++)
        rc = audit_hold(in, &in->holds[i], rep);
    for (i = 0; i < n && rc == 0; i++)
        rc = compare_counts(in, i, rep);
    return rc;
}

const char *pt_audit_what_name(enum pt_audit_what what)
{
    static const char *const names[PT_AUDIT_NR_WHAT] = {
        "ok", "free frame in use", "type/count state", "flags", "unknown owner",
        "entry flags", "entry frame out of range", "foreign frame",
        "RW entry to non-writable frame", "L2 entry to non-L1", "L3 entry to non-L2",
        "L3 slot 3", "L3 above 4 GiB", "hypervisor slots", "shared L2_XEN",
        "base pointer", "declared hold", "count overflow", "refcount", "type count",
    };

    return (unsigned)what < PT_AUDIT_NR_WHAT ? names[what] : "?";
}
