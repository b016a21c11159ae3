/*
 * Page tables as typed frames (see pt_table.h for what each entry holds
 * and why the levels never call upwards).
 */
#include "pt_table.h"
#include "env.h"

static struct frame *frame_at(const struct pt_ctx *ctx, uint32_t mfn)
{
    return &ctx->ft->frames[mfn];
}

/* ---- L1 ---------------------------------------------------------------- */

int pt_get_l1e(struct pt_ctx *ctx, uint64_t l1e, bool writing)
{
    if (!pte_present(l1e))                                  /* PT-21 */
        return 0;
    if (!pte_l1_flags_ok(l1e, ctx->io_capable))             /* PT-1, PT-2 */
        return -EINVAL;
    /* PT-6, PT-7, PT-34..PT-36: whose frame, and never a table writable */
    return pt_get_l1_frame(ctx, pte_mfn(l1e), pte_writable(l1e), writing);
}

void pt_put_l1e(struct pt_ctx *ctx, uint64_t l1e)
{
    if (!pte_present(l1e))
        return;
    if (pte_writable(l1e))
        pt_put_typed_leaf(ctx, pte_mfn(l1e), PGT_WRITABLE);
    else
        pt_put_page(ctx, pte_mfn(l1e));
}

static int validate_l1(struct pt_ctx *ctx, uint32_t mfn)
{
    const uint64_t *l1 = env_map_frame(mfn);
    uint32_t i;
    int rc = 0;

    for (i = 0; i < PT_L1_ENTRIES; i++) {
        rc = pt_get_l1e(ctx, l1[i], false);  /* PT-35: validation's owner rule */
        if (rc != 0)
            break;
    }
    if (rc != 0)
        while (i-- > 0)
            pt_put_l1e(ctx, l1[i]);          /* PT-17: all or nothing */
    env_unmap_frame(l1);
    return rc;
}

static void devalidate_l1(struct pt_ctx *ctx, uint32_t mfn)
{
    const uint64_t *l1 = env_map_frame(mfn);
    uint32_t i;

    for (i = 0; i < PT_L1_ENTRIES; i++)
        pt_put_l1e(ctx, l1[i]);              /* PT-18 */
    env_unmap_frame(l1);
}

int pt_get_l1_table(struct pt_ctx *ctx, uint32_t mfn)
{
    int rc = pt_get_typed_begin(ctx, mfn, PGT_L1);

    if (rc != PT_TYPE_NEW)
        return rc;
    rc = validate_l1(ctx, mfn);
    pt_get_typed_end(ctx, mfn, rc == 0);
    return rc;
}

void pt_put_l1_table(struct pt_ctx *ctx, uint32_t mfn)
{
    int rc = pt_put_type(ctx, mfn, PGT_L1);

    if (rc < 0)
        return;
    if (rc == PT_TYPE_LAST)
        devalidate_l1(ctx, mfn);
    pt_put_page(ctx, mfn);
}

/* ---- L2 ---------------------------------------------------------------- */

int pt_get_l2e(struct pt_ctx *ctx, uint64_t l2e)
{
    int rc = pte_check_l2e(ctx->ft, ctx->dom, l2e);   /* PT-3, PT-4, PT-6 */

    if (rc != 0 || !pte_present(l2e))                 /* PT-21 */
        return rc;
    return pt_get_l1_table(ctx, pte_mfn(l2e));        /* PT-8: only to an L1 */
}

void pt_put_l2e(struct pt_ctx *ctx, uint64_t l2e)
{
    if (pte_present(l2e))
        pt_put_l1_table(ctx, pte_mfn(l2e));
}

/* Validate the guest slots 0 .. nr_slots - 1 of an L2. */
static int validate_l2(struct pt_ctx *ctx, uint32_t mfn, uint32_t nr_slots)
{
    const uint64_t *l2 = env_map_frame(mfn);
    uint32_t i;
    int rc = 0;

    for (i = 0; i < nr_slots; i++) {
        rc = pt_get_l2e(ctx, l2[i]);
        if (rc != 0)
            break;
    }
    if (rc != 0)
        while (i-- > 0)
            pt_put_l2e(ctx, l2[i]);          /* PT-17 */
    env_unmap_frame(l2);
    return rc;
}

static void devalidate_l2(struct pt_ctx *ctx, uint32_t mfn, uint32_t nr_slots)
{
    const uint64_t *l2 = env_map_frame(mfn);
    uint32_t i;

    for (i = 0; i < nr_slots; i++)
        pt_put_l2e(ctx, l2[i]);              /* PT-18 */
    env_unmap_frame(l2);
}

/* PT-12: the hypervisor's slots come from the template, never the guest. */
static void set_xen_slots(const struct pt_ctx *ctx, uint32_t mfn, bool install)
{
    uint64_t *l2 = env_map_frame(mfn);
    uint32_t i;

    for (i = 0; i < PT_XEN_SLOTS; i++)
        l2[PT_XEN_FIRST_SLOT + i] =
            install && ctx->xen_l2_slots ? ctx->xen_l2_slots[i] : 0;
    env_unmap_frame(l2);
}

int pt_get_l2_table(struct pt_ctx *ctx, uint32_t mfn)
{
    /* PT-9: an L2_XEN (or any other type) refuses PGT_L2 */
    int rc = pt_get_typed_begin(ctx, mfn, PGT_L2);

    if (rc != PT_TYPE_NEW)
        return rc;
    rc = validate_l2(ctx, mfn, PT_L2_ENTRIES);
    pt_get_typed_end(ctx, mfn, rc == 0);
    return rc;
}

int pt_get_l2_xen_table(struct pt_ctx *ctx, uint32_t mfn)
{
    int rc;

    if (pte_check_table_frame(ctx->ft, ctx->dom, mfn) != 0)
        return -EINVAL;
    /* PT-10: used once: not pinned, not in another L3, not twice */
    if (frame_at(ctx, mfn)->type_count != 0)
        return -EINVAL;
    rc = pt_get_typed_begin(ctx, mfn, PGT_L2_XEN);
    if (rc != PT_TYPE_NEW)
        return rc < 0 ? rc : -EINVAL;
    rc = validate_l2(ctx, mfn, PT_XEN_FIRST_SLOT);
    if (rc == 0)
        set_xen_slots(ctx, mfn, true);
    pt_get_typed_end(ctx, mfn, rc == 0);
    return rc;
}

void pt_put_l2_table(struct pt_ctx *ctx, uint32_t mfn)
{
    int rc = pt_put_type(ctx, mfn, PGT_L2);

    if (rc < 0)
        return;
    if (rc == PT_TYPE_LAST)
        devalidate_l2(ctx, mfn, PT_L2_ENTRIES);
    pt_put_page(ctx, mfn);
}

void pt_put_l2_xen_table(struct pt_ctx *ctx, uint32_t mfn)
{
    int rc = pt_put_type(ctx, mfn, PGT_L2_XEN);

    if (rc < 0)
        return;
    if (rc == PT_TYPE_LAST) {
        devalidate_l2(ctx, mfn, PT_XEN_FIRST_SLOT);
        set_xen_slots(ctx, mfn, false);   /* PT-12: not readable once untyped */
    }
    pt_put_page(ctx, mfn);
}

/* ---- L3 ---------------------------------------------------------------- */

int pt_get_l3e(struct pt_ctx *ctx, uint32_t slot, uint64_t l3e)
{
    int rc = pte_check_l3e(ctx->ft, ctx->dom, l3e);   /* PT-5, PT-6 */

    if (rc != 0 || !pte_present(l3e))                 /* PT-21 */
        return rc;
    if (slot < PT_XEN_L3_SLOT)
        return pt_get_l2_table(ctx, pte_mfn(l3e));    /* PT-9 */
    if (slot == PT_XEN_L3_SLOT)
        return pt_get_l2_xen_table(ctx, pte_mfn(l3e));/* PT-10 */
    return -EINVAL;
}

void pt_put_l3e(struct pt_ctx *ctx, uint32_t slot, uint64_t l3e)
{
    if (!pte_present(l3e))
        return;
    if (slot < PT_XEN_L3_SLOT)
        pt_put_l2_table(ctx, pte_mfn(l3e));
    else if (slot == PT_XEN_L3_SLOT)
        pt_put_l2_xen_table(ctx, pte_mfn(l3e));
    else
        pt_note_bug(ctx);
}

/* The PDPT is small: copy it once, and check and undo from the copy. */
static void read_l3(uint32_t mfn, uint64_t l3[PT_L3_ENTRIES])
{
    const uint64_t *t = env_map_frame(mfn);
    uint32_t i;

    for (i = 0; i < PT_L3_ENTRIES; i++)
        l3[i] = t[i];
    env_unmap_frame(t);
}

/*
 * PT-5: once every entry is accepted, store each as a PDPTE can hold it
 * (the copy that was checked, stripped of RW, US, A and D): the frame is
 * typed L3 already, so no guest mapping can write it meanwhile (PT-7).
 */
static void store_l3(uint32_t mfn, const uint64_t l3[PT_L3_ENTRIES])
{
    uint64_t *t = env_map_frame(mfn);
    uint32_t i;

    for (i = 0; i < PT_L3_ENTRIES; i++)
        t[i] = pte_l3_strip(l3[i]);
    env_unmap_frame(t);
}

static int validate_l3(struct pt_ctx *ctx, uint32_t mfn)
{
    uint64_t l3[PT_L3_ENTRIES];
    uint32_t i;
    int rc = 0;

    read_l3(mfn, l3);
    if (!pte_present(l3[PT_XEN_L3_SLOT]))    /* PT-10: slot 3 is required */
        return -EINVAL;
    for (i = 0; i < PT_L3_ENTRIES; i++) {
        rc = pt_get_l3e(ctx, i, l3[i]);
        if (rc != 0)
            break;
    }
    if (rc == 0) {
        store_l3(mfn, l3);
        return 0;
    }
    while (i-- > 0)
        pt_put_l3e(ctx, i, l3[i]);           /* PT-17 */
    return rc;
}

static void devalidate_l3(struct pt_ctx *ctx, uint32_t mfn)
{
    uint64_t l3[PT_L3_ENTRIES];
    uint32_t i;

    read_l3(mfn, l3);
    for (i = 0; i < PT_L3_ENTRIES; i++)
        pt_put_l3e(ctx, i, l3[i]);           /* PT-18 */
}

int pt_get_l3_table(struct pt_ctx *ctx, uint32_t mfn)
{
    int rc;

    if (mfn >= PT_L3_MFN_LIMIT)              /* PT-11 */
        return -EINVAL;
    rc = pt_get_typed_begin(ctx, mfn, PGT_L3);
    if (rc != PT_TYPE_NEW)
        return rc;
    rc = validate_l3(ctx, mfn);
    pt_get_typed_end(ctx, mfn, rc == 0);
    return rc;
}

void pt_put_l3_table(struct pt_ctx *ctx, uint32_t mfn)
{
    int rc = pt_put_type(ctx, mfn, PGT_L3);

    if (rc < 0)
        return;
    if (rc == PT_TYPE_LAST)
        devalidate_l3(ctx, mfn);
    pt_put_page(ctx, mfn);
}

/* ---- pins and the base pointer ------------------------------------------ */

static int get_table(struct pt_ctx *ctx, uint32_t mfn, uint8_t type)
{
    switch (type) {
    case PGT_L1:
        return pt_get_l1_table(ctx, mfn);
    case PGT_L2:
        return pt_get_l2_table(ctx, mfn);
    case PGT_L3:
        return pt_get_l3_table(ctx, mfn);
    default:
        return -EINVAL;
    }
}

static void put_table(struct pt_ctx *ctx, uint32_t mfn)
{
    switch (frame_at(ctx, mfn)->type) {
    case PGT_L1:
        pt_put_l1_table(ctx, mfn);
        break;
    case PGT_L2:
        pt_put_l2_table(ctx, mfn);
        break;
    case PGT_L3:
        pt_put_l3_table(ctx, mfn);
        break;
    default:
        pt_note_bug(ctx);                          /* a pin on a non-table */
        break;
    }
}

int pt_pin_table(struct pt_ctx *ctx, uint32_t mfn, uint8_t type)
{
    int rc;

    if (pte_check_table_frame(ctx->ft, ctx->dom, mfn) != 0)
        return -EINVAL;
    if (pt_frame_pinned(frame_at(ctx, mfn)))  /* PT-25: pinned once */
        return -EINVAL;
    rc = get_table(ctx, mfn, type);
    if (rc != 0)
        return rc;
    rc = pt_pin_set(frame_at(ctx, mfn));
    if (rc != 0)
        put_table(ctx, mfn);
    return rc;
}

int pt_unpin_table(struct pt_ctx *ctx, uint32_t mfn)
{
    int rc;

    if (pte_check_table_frame(ctx->ft, ctx->dom, mfn) != 0)
        return -EINVAL;
    rc = pt_pin_clear(frame_at(ctx, mfn));    /* PT-25: only what is pinned */
    if (rc != 0)
        return rc;
    put_table(ctx, mfn);
    return 0;
}

int pt_set_baseptr(struct pt_ctx *ctx, uint32_t mfn)
{
    uint32_t old = ctx->cr3_mfn;
    int rc = pt_get_l3_table(ctx, mfn);       /* PT-26: new reference first */

    if (rc != 0)
        return rc;
    ctx->cr3_mfn = mfn;
    env_load_cr3(mfn);
    if (old != INVALID_MFN)
        pt_put_l3_table(ctx, old);            /* PT-26: no CPU uses it now */
    return 0;
}

void pt_clear_baseptr(struct pt_ctx *ctx)
{
    uint32_t old = ctx->cr3_mfn;

    if (old == INVALID_MFN)
        return;
    ctx->cr3_mfn = INVALID_MFN;
    pt_put_l3_table(ctx, old);
}
