/*
 * Scenario: ballooning through memory_op, a round trip (issue 3).
 *
 * The guest fills a few frames at the top of its allowance (frames the
 * start-of-day tables do not map) with a pattern, unmaps them, gives them
 * back with XENMEM_decrease_reservation and asks for them again with
 * XENMEM_populate_physmap. It checks the reservation sizes before and
 * after, that the frames it gave back are no longer its own (M2P entry
 * invalid, a mapping refused), that the new frames are its own, named in
 * the M2P by the GPFNs it asked for, and scrubbed (all zero: the allocator
 * is next-fit, so the new frames are seldom our patterned ones; reuse
 * across domains is isolation-scrub's),
 * and that nothing can be had beyond the allowance. Refusals it checks:
 * frames that are still mapped, page tables, shared_info, other owners'
 * frames, order > 0, unreadable arguments, other domains. Also the
 * pseudo-physical memory map and the M2P's place. Runs as dom0 and as an
 * unprivileged domain (naming another domain differs).
 */
#include "pv/errno.h"
#include "pv/layout.h"
#include "pv/memory.h"
#include "pv/mmu.h"
#include "test.h"

#define NR        4u              /* frames ballooned out and back */
#define PATTERN   0x5Au
#define INVALID   0xFFFFFFFFu
#define PTE_FLAGS 0x063u          /* P | RW | A | D */
#define HV_MFN    0x100u          /* 1 MiB: the hypervisor image, never ours */
#define UNMAPPED  0x30000000u

/* A page of our own whose mapping we borrow to look at other frames. */
static uint8_t window[4096] __attribute__((aligned(4096)));
static uint32_t window_mfn;

static uint32_t *p2m(void) { return (uint32_t *)(uintptr_t)start_info->mfn_list; }
static const uint32_t *m2p(void) { return (const uint32_t *)MACH2PHYS_VIRT_START; }

static int32_t map_window(uint32_t mfn)
{
    uint64_t pte = ((uint64_t)mfn << 12) | PTE_FLAGS;
    return hcall4(__HYPERVISOR_update_va_mapping, GPTR(window), (uint32_t)pte,
                  (uint32_t)(pte >> 32), UVMF_INVLPG);
}

static void restore_window(void)
{
    CHECK_RC("restore the window's own frame", map_window(window_mfn), 0);
}

static int32_t reserve(uint32_t cmd, uint32_t *list, uint32_t n, uint32_t order, domid_t domid)
{
    struct xen_memory_reservation r;

    memset(&r, 0, sizeof(r));
    r.extent_start = GPTR(list);
    r.nr_extents = n;
    r.extent_order = order;
    r.domid = domid;
    return hcall2(__HYPERVISOR_memory_op, cmd, GPTR(&r));
}

static int32_t size_of(uint32_t cmd, domid_t domid)
{
    return hcall2(__HYPERVISOR_memory_op, cmd, GPTR(&domid));
}

static int32_t current_pages(void) { return size_of(XENMEM_current_reservation, DOMID_SELF); }

/*
 * Frames that are ours but must not be given back, and frames not ours; a
 * reservation's own errors while nothing is done (MEM-1).
 */
static void decrease_refusals(int32_t cur0)
{
    uint32_t l3 = p2m()[start_info->pt_base / 4096u];   /* virt_base is 0 */
    uint32_t mfn;

    mfn = window_mfn;
    CHECK_RC("decrease a mapped frame does none", reserve(XENMEM_decrease_reservation, &mfn, 1, 0, DOMID_SELF), 0);
    mfn = l3;
    CHECK_RC("decrease our L3 does none", reserve(XENMEM_decrease_reservation, &mfn, 1, 0, DOMID_SELF), 0);
    mfn = (uint32_t)(start_info->shared_info >> 12);
    CHECK_RC("decrease shared_info does none", reserve(XENMEM_decrease_reservation, &mfn, 1, 0, DOMID_SELF), 0);
    mfn = HV_MFN;
    CHECK_RC("decrease a hypervisor frame does none", reserve(XENMEM_decrease_reservation, &mfn, 1, 0, DOMID_SELF), 0);
    mfn = 0xFFFFF0u;
    CHECK_RC("decrease a frame past the machine does none",
             reserve(XENMEM_decrease_reservation, &mfn, 1, 0, DOMID_SELF), 0);
    mfn = p2m()[start_info->nr_pages - 1];
    CHECK_RC("order 1 is -EINVAL", reserve(XENMEM_decrease_reservation, &mfn, 1, 1, DOMID_SELF), -EINVAL);
    CHECK_RC("an unreadable reservation is -EFAULT",
             hcall2(__HYPERVISOR_memory_op, XENMEM_decrease_reservation, UNMAPPED), -EFAULT);
    CHECK_RC("an unreadable extent list is -EFAULT",
             reserve(XENMEM_decrease_reservation, (uint32_t *)UNMAPPED, 1, 0, DOMID_SELF), -EFAULT);
    CHECK_RC("nothing was given back", current_pages(), cur0);
    CHECK_RC("the L3 still maps us", m2p()[l3], start_info->pt_base / 4096u);
}

/* MEM-1: no such target, another domain from a guest, an unreadable argument. */
static void other_domains(bool privileged)
{
    uint32_t mfn = 0;
    int32_t want = privileged ? -ESRCH : -EPERM;

    CHECK_RC("populate for a domain that does not exist",
             reserve(XENMEM_populate_physmap, &mfn, 1, 0, 999), want);
    if (!privileged)
        CHECK_RC("populate for dom0 from a guest", reserve(XENMEM_populate_physmap, &mfn, 1, 0, 0), -EPERM);
    CHECK_RC("current_reservation of nobody", size_of(XENMEM_current_reservation, 999), -ESRCH);
    CHECK_RC("current_reservation from NULL",
             hcall2(__HYPERVISOR_memory_op, XENMEM_current_reservation, 0), -EFAULT);
}

static void round_trip(int32_t cur0, int32_t max0)
{
    uint32_t pfn[NR], old[NR], list[NR], i, j, dirty;
    uint32_t top = start_info->nr_pages - 1;

    for (i = 0; i < NR; i++) {
        pfn[i] = top - i;
        old[i] = p2m()[pfn[i]];
        CHECK_RC("map a top frame", map_window(old[i]), 0);
        memset(window, PATTERN, sizeof(window));
    }
    restore_window();

    memcpy(list, old, sizeof(list));
    CHECK_RC("decrease_reservation gives back all of them",
             reserve(XENMEM_decrease_reservation, list, NR, 0, DOMID_SELF), (int32_t)NR);
    CHECK_RC("current_reservation after decrease", current_pages(), cur0 - (int32_t)NR);
    CHECK_RC("maximum_reservation unchanged", size_of(XENMEM_maximum_reservation, DOMID_SELF), max0);
    for (i = 0; i < NR; i++) {
        CHECK_RC("a given-back frame leaves the M2P", m2p()[old[i]], INVALID);
        /* No longer ours: mapping it is another owner's (or a free) frame. */
        CHECK_RC("a given-back frame cannot be mapped", map_window(old[i]), -EBUSY);
        p2m()[pfn[i]] = INVALID;
    }
    CHECK_RC("decrease it twice does none", reserve(XENMEM_decrease_reservation, old, 1, 0, DOMID_SELF), 0);
    CHECK_RC("current_reservation unchanged by that", current_pages(), cur0 - (int32_t)NR);

    memcpy(list, pfn, sizeof(list));
    CHECK_RC("populate_physmap within the allowance",
             reserve(XENMEM_populate_physmap, list, NR, 0, DOMID_SELF), (int32_t)NR);
    CHECK_RC("current_reservation back where it was", current_pages(), cur0);
    CHECK_RC("maximum_reservation still unchanged", size_of(XENMEM_maximum_reservation, DOMID_SELF), max0);
    for (i = 0; i < NR; i++) {
        gprintf("pfn %x: mfn %x given back, mfn %x received\n", pfn[i], old[i], list[i]);
        test_check("the new frame is a machine frame",
                   list[i] <= (uint32_t)hcall2(__HYPERVISOR_memory_op, XENMEM_maximum_ram_page, 0));
        for (j = 0; j < i; j++)
            test_check("the new frames are distinct", list[j] != list[i]);
        CHECK_RC("the M2P names the GPFN asked for", m2p()[list[i]], pfn[i]);
        CHECK_RC("the new frame is ours to map", map_window(list[i]), 0);
        for (j = 0, dirty = 0; j < sizeof(window); j++)
            dirty += window[j] != 0;
        if (dirty)
            gprintf("FAILED: %u non-zero bytes (first %02x)\n", dirty, window[0]);
        test_check("the new frame is scrubbed", dirty == 0);
        p2m()[pfn[i]] = list[i];
    }
    restore_window();
}

/*
 * Beyond the allowance: a batch stops at the first extent it cannot do
 * and answers how many it did (Xen's convention), so 0 for none.
 */
static void beyond_allowance(int32_t cur0)
{
    uint32_t list[2], gpfn = start_info->nr_pages;
    uint32_t pfn = start_info->nr_pages - 1;

    CHECK_RC("populate past the allowance does none",
             reserve(XENMEM_populate_physmap, &gpfn, 1, 0, DOMID_SELF), 0);
    list[0] = 0;
    CHECK_RC("increase past the allowance does none",
             reserve(XENMEM_increase_reservation, list, 1, 0, DOMID_SELF), 0);
    CHECK_RC("nothing gained", current_pages(), cur0);

    /* One frame of room, two asked for: the batch stops after one. */
    list[0] = p2m()[pfn];
    CHECK_RC("give one back", reserve(XENMEM_decrease_reservation, list, 1, 0, DOMID_SELF), 1);
    list[0] = pfn;
    list[1] = pfn + 1;
    CHECK_RC("populate two with room for one does one",
             reserve(XENMEM_populate_physmap, list, 2, 0, DOMID_SELF), 1);
    CHECK_RC("its M2P entry", m2p()[list[0]], pfn);
    CHECK_RC("the second slot untouched", list[1], pfn + 1);
    p2m()[pfn] = list[0];
    CHECK_RC("back at the allowance", current_pages(), cur0);
}

static void maps(int32_t max0)
{
    struct e820entry e[4];
    struct xen_memory_map map;
    struct xen_machphys_mapping mm;

    memset(e, 0xAA, sizeof(e));
    map.nr_entries = 4;
    map.buffer = GPTR(e);
    CHECK_RC("XENMEM_memory_map", hcall2(__HYPERVISOR_memory_op, XENMEM_memory_map, GPTR(&map)), 0);
    CHECK_RC("one entry", map.nr_entries, 1);
    test_check("it starts at 0", e[0].addr == 0);
    test_check("it covers the allowance", e[0].size == (uint64_t)(uint32_t)max0 << 12);
    CHECK_RC("it is RAM", e[0].type, E820_RAM);
    test_check("the second entry untouched", e[1].addr == 0xAAAAAAAAAAAAAAAAull);
    map.nr_entries = 0;
    CHECK_RC("memory_map with no room", hcall2(__HYPERVISOR_memory_op, XENMEM_memory_map, GPTR(&map)), -EINVAL);
    map.nr_entries = 4;
    map.buffer = UNMAPPED;
    CHECK_RC("memory_map into nowhere", hcall2(__HYPERVISOR_memory_op, XENMEM_memory_map, GPTR(&map)), -EFAULT);
    CHECK_RC("memory_map from NULL", hcall2(__HYPERVISOR_memory_op, XENMEM_memory_map, 0), -EFAULT);

    memset(&mm, 0xAA, sizeof(mm));
    CHECK_RC("XENMEM_machphys_mapping", hcall2(__HYPERVISOR_memory_op, XENMEM_machphys_mapping, GPTR(&mm)), 0);
    CHECK_RC("the M2P starts at MACH2PHYS_VIRT_START", mm.v_start, MACH2PHYS_VIRT_START);
    CHECK_RC("max_mfn is maximum_ram_page", mm.max_mfn,
             hcall2(__HYPERVISOR_memory_op, XENMEM_maximum_ram_page, 0));
}

int guest_main(struct start_info *si)
{
    bool privileged = (si->flags & SIF_PRIVILEGED) != 0;
    int32_t cur0, max0;

    /* Like XTF, unmap page 0 so NULL really is unmapped. */
    CHECK_RC("unmap page 0", hcall4(__HYPERVISOR_update_va_mapping, 0, 0, 0, UVMF_INVLPG), 0);
    window_mfn = p2m()[GPTR(window) / 4096u];
    cur0 = current_pages();
    max0 = size_of(XENMEM_maximum_reservation, DOMID_SELF);
    gprintf("mem-balloon: %s, %u pages, current %d, maximum %d\n",
            privileged ? "dom0" : "unprivileged", si->nr_pages, cur0, max0);
    CHECK_RC("current_reservation is what we were given", cur0, (int32_t)si->nr_pages);
    CHECK_RC("maximum_reservation is the same (no headroom)", max0, (int32_t)si->nr_pages);
    decrease_refusals(cur0);
    other_domains(privileged);
    round_trip(cur0, max0);
    beyond_allowance(cur0);
    maps(max0);
    CHECK_RC("reservation as at the start", current_pages(), cur0);
    test_finish();
}
