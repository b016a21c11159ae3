/*
 * Guest descriptor tables: set_gdt, update_descriptor and the LDT.
 *
 * A GDT or LDT frame is typed PGT_SEG_DESC, and taking that type runs the
 * one descriptor checker (hv/core/desc_check.c) over all 512 entries, so
 * every descriptor the CPU can load from guest memory has passed it: no
 * DPL-0 segment, nothing reaching past 0xF6800000, no gate to ring 0 (the
 * rules of spec/descriptors.md). The type also keeps the frame from being
 * mapped writable while it is in use. The CPU reads the frames through the
 * per-domain area (GDT pages 0..13, LDT pages after them), mapped by the
 * hypervisor only; the LDT is mapped lazily on the first access, as Xen
 * does, because a guest names it by virtual address.
 */
#include "arch/cpu.h"
#include "arch/desc.h"
#include "arch/layout.h"
#include "arch/mm.h"
#include "arch/page.h"
#include "arch/traps.h"
#include "desc_check.h"
#include "desc_tables.h"
#include "domain.h"
#include "env.h"
#include "hypercall.h"
#include "mmu_ops.h"
#include "pt_ref.h"
#include "pv/errno.h"
#include "pv/layout.h"
#include "seg_lookup.h"
#include "string.h"

#define GDT_GUEST_FRAMES 14u
#define GDT_GUEST_ENTRIES (GDT_GUEST_FRAMES * 512u)
#define LDT_FIRST_SLOT   16u       /* per-domain L1 slot of LDT page 0 */
#define LDT_MAX_PAGES    16u       /* 8192 entries */
#define PTE_HV_RW (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_NX)

/* Type a frame as descriptors (validating all 512) or fail with the refs undone. */
static int get_desc_frame(struct domain *d, uint32_t mfn)
{
    int rc = pt_get_typed_begin(&d->pt, mfn, PGT_SEG_DESC);
    uint64_t *descs;
    bool ok;

    if (rc != PT_TYPE_NEW)
        return rc < 0 ? rc : 0;
    descs = env_map_frame(mfn);
    ok = desc_check_table(descs, 512) == 0;
    env_unmap_frame(descs);
    pt_get_typed_end(&d->pt, mfn, ok);
    return ok ? 0 : -EINVAL;
}

static void perdomain_set(struct domain *d, uint32_t slot, uint64_t pte)
{
    uint64_t *l1 = env_map_frame(d->perdomain_l1_mfn);

    l1[slot] = pte;
    env_unmap_frame(l1);
    if (d == current) {
        invlpg(PERDOMAIN_VIRT + slot * PAGE_SIZE);
        traps_reload_fs_gs();          /* PERF-1: a GDT or LDT page changed */
    }
}

static void release_gdt(struct domain *d)
{
    uint32_t i;

    for (i = 0; i < d->gdt_frames; i++) {
        perdomain_set(d, i, mk_pte(mm_zero_mfn(), _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_NX));
        pt_put_typed_leaf(&d->pt, d->gdt_mfn[i], PGT_SEG_DESC);
    }
    d->gdt_frames = 0;
    d->gdt_ents = 0;
}

void desc_release_ldt(struct domain *d)
{
    uint32_t i;

    for (i = 0; i < LDT_MAX_PAGES; i++) {
        if (!d->ldt_mfn[i])
            continue;
        perdomain_set(d, LDT_FIRST_SLOT + i, 0);
        pt_put_typed_leaf(&d->pt, d->ldt_mfn[i], PGT_SEG_DESC);
        d->ldt_mfn[i] = 0;
    }
}

void desc_release_all(struct domain *d)
{
    release_gdt(d);
    desc_release_ldt(d);
}

int32_t do_set_gdt(const uint32_t args[5])
{
    uint32_t mfns[GDT_GUEST_FRAMES], entries = args[1], n, i;
    struct domain *d = current;
    int rc = 0;

    if (entries > GDT_GUEST_ENTRIES)
        return -EINVAL;
    n = (entries + 511u) / 512u;
    if (env_copy_from_guest(mfns, guest_ptr(args[0]), n * 4u))
        return -EFAULT;
    for (i = 0; i < n && rc == 0; i++)
        rc = get_desc_frame(d, mfns[i]);
    if (rc) {
        while (--i > 0)             /* undo the frames already typed */
            pt_put_typed_leaf(&d->pt, mfns[i - 1], PGT_SEG_DESC);
        return rc;
    }
    release_gdt(d);
    for (i = 0; i < n; i++) {
        d->gdt_mfn[i] = mfns[i];
        perdomain_set(d, i, mk_pte(mfns[i], PTE_HV_RW));
    }
    d->gdt_frames = n;
    d->gdt_ents = entries;
    return 0;
}

int32_t do_update_descriptor(const uint32_t args[5])
{
    uint64_t maddr = ((uint64_t)args[1] << 32) | args[0];
    uint64_t desc = ((uint64_t)args[3] << 32) | args[2];
    uint32_t mfn = (uint32_t)(maddr >> PAGE_SHIFT);
    struct domain *d = current;
    const struct frame *f;
    uint64_t *page;

    if (maddr % 8 || mfn >= frame_table.nr_frames)
        return -EINVAL;
    f = &frame_table.frames[mfn];
    if (f->owner != d->id || (f->type != PGT_SEG_DESC && f->type != PGT_NONE && f->type != PGT_WRITABLE))
        return -EINVAL;
    if (desc_check(&desc))
        return -EINVAL;
    page = env_map_frame(mfn);
    ((volatile uint64_t *)page)[(maddr % PAGE_SIZE) / 8] = desc;   /* one 8-byte store */
    env_unmap_frame(page);
    traps_reload_fs_gs();              /* PERF-1: it may be one FS or GS names */
    return 0;
}

/* The guest frame its L1 maps at `va`, read from its own tables. */
static int guest_frame_at(struct domain *d, uint32_t va, uint32_t *mfn)
{
    uint32_t l1;
    uint64_t *t, pte;

    if (pt_walk_l1(&d->pt, va, &l1))
        return -EINVAL;
    t = env_map_frame(l1);
    pte = t[(va >> 12) & 511u];
    env_unmap_frame(t);
    if (!(pte & _PAGE_PRESENT))
        return -EINVAL;
    *mfn = pte_mfn(pte);
    return 0;
}

/* Map LDT page `page` of d (lazily, as Xen): the guest frame at ldt_base, typed. */
static bool map_ldt_page(struct domain *d, uint32_t page)
{
    uint32_t mfn;

    if (page >= LDT_MAX_PAGES || page * 512u >= d->pt.ldt_ents || d->ldt_mfn[page])
        return false;
    if (guest_frame_at(d, d->pt.ldt_base + page * PAGE_SIZE, &mfn) || get_desc_frame(d, mfn))
        return false;
    d->ldt_mfn[page] = mfn;
    perdomain_set(d, LDT_FIRST_SLOT + page, mk_pte(mfn, PTE_HV_RW));
    return true;
}

bool desc_ldt_fault(struct domain *d, uint32_t addr)
{
    if (!d || addr < LDT_VIRT || addr - LDT_VIRT >= LDT_MAX_PAGES * PAGE_SIZE)
        return false;
    return map_ldt_page(d, (addr - LDT_VIRT) / PAGE_SIZE);
}

bool desc_ldt_area(uint32_t addr, uint32_t *offset)
{
    if (addr < LDT_VIRT || addr - LDT_VIRT >= LDT_MAX_PAGES * PAGE_SIZE)
        return false;
    *offset = addr - LDT_VIRT;
    return true;
}

/* One descriptor out of a frame d holds typed: read through the frame, never a guest address. */
static uint64_t read_frame_entry(uint32_t mfn, uint32_t slot)
{
    const uint64_t *page = env_map_frame(mfn);
    uint64_t desc = page[slot % 512u];

    env_unmap_frame(page);
    return desc;
}

/*
 * DESC-12: the entry seg_locate() found, read where it lives now: a GDT
 * frame d registered, the hypervisor's reserved page, or an LDT page
 * (mapped here if the guest has not touched it yet, as the CPU's access
 * would). Nothing is read through a linear address, so nothing can
 * fault; an LDT page that cannot be mapped reads as absent.
 */
int desc_read_entry(struct domain *d, uint32_t table, uint32_t index, uint64_t *desc)
{
    uint32_t page = index / 512u;

    switch (table) {
    case SEG_GDT:
        if (index >= d->gdt_ents || page >= d->gdt_frames)
            return -EINVAL;
        *desc = read_frame_entry(d->gdt_mfn[page], index);
        return 0;
    case SEG_RESERVED:
        if (index >= SEG_RESERVED_ENTRIES)
            return -EINVAL;
        *desc = desc_reserved_entry(index);
        return 0;
    case SEG_LDT:
        if (index >= d->pt.ldt_ents || page >= LDT_MAX_PAGES)
            return -EINVAL;
        if (!d->ldt_mfn[page] && !map_ldt_page(d, page))
            return -EINVAL;
        *desc = read_frame_entry(d->ldt_mfn[page], index);
        return 0;
    default:
        return -EINVAL;
    }
}

void desc_load_ldt(const struct domain *d)
{
    desc_set_ldt(d->pt.ldt_ents ? LDT_VIRT : 0, d->pt.ldt_ents);
}

void env_ldt_changed(uint32_t base, uint32_t nr_ents)
{
    (void)base;
    (void)nr_ents;
    if (!current)
        return;
    desc_release_ldt(current);
    desc_load_ldt(current);
}
