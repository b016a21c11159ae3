/*
 * set_gdt, update_descriptor and the lazily mapped LDT (see desc_op.h and
 * spec/descriptors.md): decode and check everything, then commit.
 */
#include "desc_check.h"
#include "desc_op.h"
#include "env.h"
#include "pt_ref.h"
#include "pt_update.h"
#include "pte.h"
#include "pv/errno.h"
#include "seg_lookup.h"

_Static_assert(DESC_GDT_ENTRIES == FIRST_RESERVED_GDT_ENTRY, "the guest GDT ends where Xen's does");

void desc_store(uint64_t *page, uint32_t slot, uint64_t desc)
{
    ((volatile uint64_t *)page)[slot % 512u] = desc;
}

/*
 * DESC-14, DESC-16: type a frame as descriptors. The first type reference
 * validates all 512 entries; a refused frame has its references undone.
 * 0, or the pt_get_typed_begin() error, or -EINVAL (an entry refused).
 */
static int get_desc_frame(struct pt_ctx *pt, uint32_t mfn)
{
    int rc = pt_get_typed_begin(pt, mfn, PGT_SEG_DESC);
    uint64_t *descs;
    bool ok;

    if (rc != PT_TYPE_NEW)
        return rc < 0 ? rc : 0;
    descs = env_map_frame(mfn);
    ok = desc_check_table(descs, 512) == 0;
    env_unmap_frame(descs);
    pt_get_typed_end(pt, mfn, ok);
    return ok ? 0 : -EINVAL;
}

void desc_release_gdt(struct pt_ctx *pt, struct desc_tables *dt)
{
    uint32_t i;

    for (i = 0; i < dt->gdt_frames && i < DESC_GDT_FRAMES; i++) {
        env_gdt_page_set(pt->dom, i, INVALID_MFN);     /* hidden before it is dropped */
        pt_put_typed_leaf(pt, dt->gdt_mfn[i], PGT_SEG_DESC);
        dt->gdt_mfn[i] = 0;
    }
    dt->gdt_frames = 0;
    dt->gdt_ents = 0;
}

void desc_release_ldt(struct pt_ctx *pt, struct desc_tables *dt)
{
    uint32_t i;

    for (i = 0; i < DESC_LDT_PAGES; i++) {
        if (!dt->ldt_mfn[i])
            continue;
        env_ldt_page_set(pt->dom, i, INVALID_MFN);
        pt_put_typed_leaf(pt, dt->ldt_mfn[i], PGT_SEG_DESC);
        dt->ldt_mfn[i] = 0;
    }
}

int desc_set_gdt(struct pt_ctx *pt, struct desc_tables *dt, guest_ptr_t frames,
                 uint32_t entries)
{
    uint32_t mfns[DESC_GDT_FRAMES] = { 0 }, n, i;
    int rc = 0;

    if (entries > DESC_GDT_ENTRIES)                             /* DESC-14 */
        return -EINVAL;
    n = (entries + 511u) / 512u;
    if (env_copy_from_guest(mfns, frames, n * (uint32_t)sizeof(mfns[0])))
        return -EFAULT;                                         /* read once */
    for (i = 0; i < n && rc == 0; i++)
        rc = get_desc_frame(pt, mfns[i]);
    if (rc) {
        while (--i > 0)                     /* undo the frames typed before the refused one */
            pt_put_typed_leaf(pt, mfns[i - 1], PGT_SEG_DESC);
        return rc;
    }
    desc_release_gdt(pt, dt);
    for (i = 0; i < n; i++) {
        dt->gdt_mfn[i] = mfns[i];
        env_gdt_page_set(pt->dom, i, mfns[i]);
    }
    dt->gdt_frames = n;
    dt->gdt_ents = entries;
    return 0;
}

/* DESC-15: a frame update_descriptor may write: the caller's, and no table. */
static bool desc_frame_writable(const struct pt_ctx *pt, uint32_t mfn)
{
    const struct frame *f;

    if (mfn >= pt->ft->nr_frames)
        return false;
    f = &pt->ft->frames[mfn];
    if (f->owner != pt->dom)
        return false;
    return f->type == PGT_SEG_DESC || f->type == PGT_NONE || f->type == PGT_WRITABLE;
}

int desc_update_descriptor(const struct pt_ctx *pt, uint64_t maddr, uint64_t desc)
{
    uint64_t mfn64 = maddr / PAGE_SIZE;
    uint64_t *page;

    if (maddr % 8u)                                             /* DESC-15 */
        return -EINVAL;
    if (mfn64 >= pt->ft->nr_frames || !desc_frame_writable(pt, (uint32_t)mfn64))
        return -EINVAL;                                         /* DESC-15 */
    if (desc_check(&desc))                                      /* DESC-1..11 */
        return -EINVAL;
    page = env_map_frame((uint32_t)mfn64);
    desc_store(page, (uint32_t)(maddr % PAGE_SIZE) / 8u, desc);
    env_unmap_frame(page);
    env_desc_changed();
    return 0;
}

/* The frame the caller's own L1 maps at `va`: 0, or -EINVAL for none. */
static int guest_frame_at(const struct pt_ctx *pt, uint32_t va, uint32_t *mfn)
{
    uint32_t l1;
    const uint64_t *t;
    uint64_t pte;

    if (pt_walk_l1(pt, va, &l1))
        return -EINVAL;
    t = env_map_frame(l1);
    pte = t[(va / PAGE_SIZE) % 512u];                          /* read once */
    env_unmap_frame(t);
    if (!(pte & PTE_P))
        return -EINVAL;
    *mfn = pte_mfn(pte);
    return 0;
}

int desc_map_ldt_page(struct pt_ctx *pt, struct desc_tables *dt, uint32_t page)
{
    uint32_t mfn;

    if (page >= DESC_LDT_PAGES || page * 512u >= pt->ldt_ents || dt->ldt_mfn[page])
        return -EINVAL;                                         /* DESC-16 */
    if (guest_frame_at(pt, pt->ldt_base + page * PAGE_SIZE, &mfn) || get_desc_frame(pt, mfn))
        return -EINVAL;                                         /* DESC-16 */
    dt->ldt_mfn[page] = mfn;
    env_ldt_page_set(pt->dom, page, mfn);
    return 0;
}

/* One entry of a frame the domain holds typed: through the frame, never a guest address. */
static uint64_t frame_entry(uint32_t mfn, uint32_t index)
{
    const uint64_t *page = env_map_frame(mfn);
    uint64_t desc = page[index % 512u];

    env_unmap_frame(page);
    return desc;
}

int desc_table_entry(struct pt_ctx *pt, struct desc_tables *dt, uint32_t table,
                     uint32_t index, uint64_t *desc)
{
    uint32_t page = index / 512u;

    switch (table) {
    case SEG_GDT:                                               /* DESC-12 */
        if (index >= dt->gdt_ents || page >= dt->gdt_frames || page >= DESC_GDT_FRAMES)
            return -EINVAL;
        *desc = frame_entry(dt->gdt_mfn[page], index);
        return 0;
    case SEG_LDT:                                               /* DESC-12, DESC-16 */
        if (index >= pt->ldt_ents || page >= DESC_LDT_PAGES)
            return -EINVAL;
        if (!dt->ldt_mfn[page] && desc_map_ldt_page(pt, dt, page))
            return -EINVAL;
        *desc = frame_entry(dt->ldt_mfn[page], index);
        return 0;
    default:
        return -EINVAL;
    }
}
