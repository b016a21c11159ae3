/*
 * Guest descriptor tables: the glue over hv/core/desc_op.c, which decodes
 * and decides set_gdt, update_descriptor and the lazily mapped LDT
 * (spec/descriptors.md). Here: the hypercalls forwarded, the page-fault
 * and lookup entry points, lifecycle, and the env.h requests that reach
 * the hardware. The CPU reads the frames through the per-domain area
 * (GDT pages 0..13, LDT pages after them), mapped by the hypervisor only.
 */
#include "arch/cpu.h"
#include "arch/desc.h"
#include "arch/layout.h"
#include "arch/mm.h"
#include "arch/page.h"
#include "arch/traps.h"
#include "desc_op.h"
#include "desc_tables.h"
#include "domain.h"
#include "env.h"
#include "hypercall.h"
#include "seg_lookup.h"

#define LDT_FIRST_SLOT   16u       /* per-domain L1 slot of LDT page 0 */
#define PTE_HV_RW (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_NX)
#define PTE_HV_RO (_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_NX)

_Static_assert(DESC_GDT_FRAMES <= LDT_FIRST_SLOT, "GDT pages end before the LDT's");
_Static_assert(LDT_VIRT == PERDOMAIN_VIRT + LDT_FIRST_SLOT * PAGE_SIZE, "LDT area");

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

void env_gdt_page_set(domid_t dom, uint32_t page, uint32_t mfn)
{
    struct domain *d = domain_by_id(dom);

    if (d && page < DESC_GDT_FRAMES)
        perdomain_set(d, page, mfn == INVALID_MFN ? mk_pte(mm_zero_mfn(), PTE_HV_RO)
                                                  : mk_pte(mfn, PTE_HV_RW));
}

void env_ldt_page_set(domid_t dom, uint32_t page, uint32_t mfn)
{
    struct domain *d = domain_by_id(dom);

    if (d && page < DESC_LDT_PAGES)
        perdomain_set(d, LDT_FIRST_SLOT + page, mfn == INVALID_MFN ? 0 : mk_pte(mfn, PTE_HV_RW));
}

void env_desc_changed(void)
{
    traps_reload_fs_gs();              /* PERF-1: it may be one FS or GS names */
}

void desc_release_all(struct domain *d)
{
    desc_release_gdt(&d->pt, &d->desc);
    desc_release_ldt(&d->pt, &d->desc);
}

int32_t do_set_gdt(const uint32_t args[5])
{
    return desc_set_gdt(&current->pt, &current->desc, guest_ptr(args[0]), args[1]);
}

int32_t do_update_descriptor(const uint32_t args[5])
{
    return desc_update_descriptor(&current->pt, ((uint64_t)args[1] << 32) | args[0],
                                  ((uint64_t)args[3] << 32) | args[2]);
}

bool desc_ldt_area(uint32_t addr, uint32_t *offset)
{
    if (addr < LDT_VIRT || addr - LDT_VIRT >= DESC_LDT_PAGES * PAGE_SIZE)
        return false;
    *offset = addr - LDT_VIRT;
    return true;
}

bool desc_ldt_fault(struct domain *d, uint32_t addr)
{
    uint32_t offset;

    if (!d || !desc_ldt_area(addr, &offset))
        return false;
    return desc_map_ldt_page(&d->pt, &d->desc, offset / PAGE_SIZE) == 0;
}

/* DESC-12: the hypervisor's reserved page here, the guest's tables in the core. */
int desc_read_entry(struct domain *d, uint32_t table, uint32_t index, uint64_t *desc)
{
    if (table != SEG_RESERVED)
        return desc_table_entry(&d->pt, &d->desc, table, index, desc);
    if (index >= SEG_RESERVED_ENTRIES)
        return -EINVAL;
    *desc = desc_reserved_entry(index);
    return 0;
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
    desc_release_ldt(&current->pt, &current->desc);
    desc_load_ldt(current);
}
