/*
 * Start-of-day layout (see boot_layout.h). The page tables live inside
 * the region they map, so their number is found by iteration: guess a
 * count, place the stack after it, round the end, count the tables that
 * end needs, and repeat until the guess covers the need (it converges in
 * a couple of rounds since each table maps far more than it occupies).
 */
#include "boot_layout.h"
#include "pv/errno.h"
#include "pv/layout.h"

#define PAGE_MASK      0xFFFu
#define L1_SPAN        (2u << 20)          /* one L1 maps 2 MiB */
#define L3_SPAN        (1u << 30)          /* one L2 maps 1 GiB */
#define END_ALIGN      (4u << 20)
#define END_PADDING    (512u << 10)

#define PTE_P   0x001ull
#define PTE_RW  0x002ull
#define PTE_US  0x004ull
#define PTE_A   0x020ull
#define PTE_D   0x040ull

static uint32_t pages_for(uint32_t bytes)
{
    return bytes / PAGE_SIZE + (bytes % PAGE_SIZE != 0);
}

/* BOOT-10: Xen's start-of-day layout. */
/* Tables needed to map [virt_base, v_end): L3 + L2s (slot 3 always) + L1s. */
static void count_tables(struct boot_layout *l)
{
    uint32_t last = l->v_end - 1;

    l->first_l3_slot = l->virt_base / L3_SPAN;
    l->nr_l2 = 4 - l->first_l3_slot;
    l->first_l1_va = l->virt_base - l->virt_base % L1_SPAN;
    l->nr_l1 = last / L1_SPAN - l->first_l1_va / L1_SPAN + 1;
}

/* Place stack and end for a given table count; false if it overflows. */
static bool place_end(struct boot_layout *l, uint32_t nr_pt)
{
    uint64_t end;

    l->nr_pt_frames = nr_pt;
    l->stack_pfn = l->pt_pfn + nr_pt;
    end = (uint64_t)l->virt_base + ((uint64_t)l->stack_pfn + 1) * PAGE_SIZE + END_PADDING;
    end = (end + END_ALIGN - 1) / END_ALIGN * END_ALIGN;
    if (end > HYPERVISOR_VIRT_START)
        return false;
    l->v_end = (uint32_t)end;
    l->mapped_pages = (l->v_end - l->virt_base) / PAGE_SIZE;
    return true;
}

static int place_elements(const struct boot_layout_req *req, struct boot_layout *l)
{
    uint32_t pfn = pages_for(req->kernel_end - req->virt_base);

    l->virt_base = req->virt_base;
    l->module_pfn = req->module_len ? pfn : 0;
    l->module_pages = pages_for(req->module_len);
    pfn += l->module_pages;
    l->p2m_pfn = pfn;
    l->p2m_pages = pages_for(req->nr_pages * 4u);
    pfn += l->p2m_pages;
    l->start_info_pfn = pfn++;
    l->store_pfn = req->domU ? pfn++ : 0;
    l->console_pfn = req->domU ? pfn++ : 0;
    l->pt_pfn = pfn;
    return 0;
}

static bool request_ok(const struct boot_layout_req *r)
{
    return r->kernel_start >= r->virt_base && r->kernel_end > r->kernel_start &&
           r->kernel_end <= HYPERVISOR_VIRT_START && r->virt_base % PAGE_SIZE == 0 &&
           r->nr_pages > 0 && r->nr_pages <= (1u << 24) && r->module_len <= (1u << 30);
}

int boot_layout_compute(const struct boot_layout_req *req, struct boot_layout *out)
{
    struct boot_layout l = { 0 };
    uint32_t nr_pt;

    if (!request_ok(req))
        return -EINVAL;
    place_elements(req, &l);
    for (nr_pt = 3; nr_pt < 4096; nr_pt++) {
        if (!place_end(&l, nr_pt))
            return -EINVAL;
        count_tables(&l);
        if (1 + l.nr_l2 + l.nr_l1 <= nr_pt)
            break;
    }
    l.nr_pt_frames = 1 + l.nr_l2 + l.nr_l1;
    if (l.mapped_pages > req->nr_pages)
        return -ENOMEM;
    *out = l;
    return 0;
}

static bool pfn_is_pt(const struct boot_layout *l, uint32_t pfn)
{
    return pfn >= l->pt_pfn && pfn - l->pt_pfn < l->nr_pt_frames;
}

static uint64_t l1_entry(const struct boot_layout *l, const uint32_t *p2m, uint32_t l1, uint32_t slot)
{
    uint32_t va = l->first_l1_va + l1 * L1_SPAN + slot * PAGE_SIZE;
    uint32_t pfn;

    if (va < l->virt_base || va >= l->v_end)
        return 0;
    pfn = (va - l->virt_base) / PAGE_SIZE;
    /* Page-table frames read-only, or they could never validate. */
    return ((uint64_t)p2m[pfn] << 12) | PTE_P | PTE_A | (pfn_is_pt(l, pfn) ? 0 : PTE_RW);
}

static uint64_t l2_entry(const struct boot_layout *l, const uint32_t *p2m, uint32_t l2, uint32_t slot)
{
    uint32_t va = (l->first_l3_slot + l2) * L3_SPAN + slot * L1_SPAN;
    uint32_t l1;

    if (va < l->first_l1_va || va >= l->v_end)
        return 0;
    l1 = (va - l->first_l1_va) / L1_SPAN;
    return ((uint64_t)p2m[l->pt_pfn + 1 + l->nr_l2 + l1] << 12) | PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D;
}

/* BOOT-11: L1 P|RW|A (tables P|A), L2 P|RW|US|A|D, L3 P only. */
uint64_t boot_layout_pt_entry(const struct boot_layout *l, const uint32_t *p2m,
                              uint32_t index, uint32_t slot)
{
    if (index == 0) {
        /* PAE PDPTEs carry only P (RW/US/A/D are reserved there). */
        if (slot >= 4 || slot < l->first_l3_slot)
            return 0;
        return ((uint64_t)p2m[l->pt_pfn + 1 + slot - l->first_l3_slot] << 12) | PTE_P;
    }
    if (index <= l->nr_l2)
        return l2_entry(l, p2m, index - 1, slot);
    return l1_entry(l, p2m, index - 1 - l->nr_l2, slot);
}
