/*
 * Hostile guest: attacks on the page-table rules (spec/memory.md). The
 * attack to run is named on the command line (`attack=<name>`); each one
 * names the rule it attacks and the exact result the hypervisor must give.
 * After the attack the guest checks it still runs on intact tables (its
 * own memory is readable and writable, its L3 still validated) and prints
 * the verdict. The scenario runs it beside a victim domain, with the
 * hypervisor's invariant audit after every hypercall.
 */
#include "pv/errno.h"
#include "pv/memory.h"
#include "pv/mmu.h"
#include "pv/multicall.h"
#include "pv/grant_table.h"
#include "attack_table.h"
#include "own_frames.h"
#include "test.h"
#include "traps.h"

#define P   0x001ull
#define RW  0x002ull
#define US  0x004ull
#define PWT 0x008ull
#define PCD 0x010ull
#define A   0x020ull
#define D   0x040ull
#define PSE 0x080ull
#define G   0x100ull

#define HV_TEXT_MFN  0x100u          /* 1 MiB: the hypervisor image */
/* The first padding page after the boot stack: mapped, never used. */
#define SCRATCH_VA   (start_info->pt_base + (start_info->nr_pt_frames + 1) * 4096u)

static uint8_t data_page[4096] __attribute__((aligned(4096)));

/* ---- the guest's own layout -------------------------------------------- */

static uint32_t p2m(uint32_t pfn)
{
    return ((const uint32_t *)(uintptr_t)start_info->mfn_list)[pfn];
}

static uint32_t va_mfn(const void *va)
{
    return p2m((uint32_t)(uintptr_t)va / 4096u);   /* virt_base is 0 */
}

static uint64_t table_entry(uint32_t table_va, uint32_t slot)
{
    return ((const uint64_t *)(uintptr_t)table_va)[slot];
}

static uint32_t l3_mfn(void) { return va_mfn((const void *)(uintptr_t)start_info->pt_base); }
static uint32_t l2_mfn(uint32_t slot) { return (uint32_t)(table_entry(start_info->pt_base, slot) >> 12) & 0xFFFFFFu; }
static uint32_t l2_va(uint32_t slot) { return start_info->pt_base + 4096u * (1 + slot); }
static uint32_t l1_mfn(void) { return (uint32_t)(table_entry(l2_va(0), 0) >> 12) & 0xFFFFFFu; }

/* A frame of ours that nothing maps: the top of the allowance. */
static uint32_t spare_mfn(uint32_t n)
{
    return p2m(start_info->nr_pages - 1 - n);
}

/* ---- hypercall shorthands ---------------------------------------------- */

static int32_t mmu1(uint64_t ptr, uint64_t val, uint32_t foreigndom)
{
    struct mmu_update u = { ptr, val };
    return hcall4(__HYPERVISOR_mmu_update, GPTR(&u), 1, 0, foreigndom);
}

static int32_t entry_write(uint32_t table_mfn, uint32_t slot, uint64_t val)
{
    return mmu1(((uint64_t)table_mfn << 12) + slot * 8u, val, DOMID_SELF);
}

static int32_t ext1(uint32_t cmd, uint32_t arg1, uint32_t arg2)
{
    struct mmuext_op op = { cmd, { arg1 }, { arg2 } };
    return hcall4(__HYPERVISOR_mmuext_op, GPTR(&op), 1, 0, DOMID_SELF);
}

static int32_t uvm(uint32_t va, uint64_t pte)
{
    return hcall4(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte, (uint32_t)(pte >> 32), UVMF_INVLPG);
}

static uint64_t pte_of(uint32_t mfn, uint64_t flags)
{
    return ((uint64_t)mfn << 12) | flags;
}

static int32_t decrease(uint32_t mfn)
{
    struct xen_memory_reservation r = { GPTR(&mfn), 1, 0, 0, DOMID_SELF };
    return hcall2(__HYPERVISOR_memory_op, XENMEM_decrease_reservation, GPTR(&r));
}

/* ---- the attacks -------------------------------------------------------- */

static int32_t a_map_hypervisor(void) { return uvm(SCRATCH_VA, pte_of(HV_TEXT_MFN, P | A)); }
static int32_t a_rw_own_l1(void) { return uvm(SCRATCH_VA, pte_of(l1_mfn(), P | RW | A)); }
static int32_t a_rw_own_l2(void) { return uvm(SCRATCH_VA, pte_of(l2_mfn(0), P | RW | A)); }
static int32_t a_rw_own_l3(void) { return uvm(SCRATCH_VA, pte_of(l3_mfn(), P | RW | A)); }
static int32_t a_rw_slot3_l2(void) { return uvm(SCRATCH_VA, pte_of(l2_mfn(3), P | RW | A)); }
static int32_t a_global(void) { return uvm(SCRATCH_VA, pte_of(va_mfn(data_page), P | G)); }
static int32_t a_cache_attrs(void) { return uvm(SCRATCH_VA, pte_of(va_mfn(data_page), P | PCD | PWT)); }
static int32_t a_uvm_hypervisor_va(void) { return uvm(0xF6000000u, pte_of(va_mfn(data_page), P)); }

/* Every machine frame that is not ours, read-only: none may be mapped. */
static int32_t a_map_every_foreign_frame(void)
{
    const uint32_t *m2p = (const uint32_t *)0xF5800000u;
    int32_t max = hcall2(__HYPERVISOR_memory_op, XENMEM_maximum_ram_page, 0);
    uint32_t mfn, accepted = 0, tried = 0, grant_frame = own_grant_frame();

    for (mfn = 0; mfn <= (uint32_t)max; mfn++) {
        uint32_t pfn = m2p[mfn];
        if ((pfn < start_info->nr_pages && p2m(pfn) == mfn) || mfn == start_info->shared_info >> 12 ||
            mfn == grant_frame)
            continue;                           /* one of ours, our shared_info or grant frame */
        tried++;
        if (uvm(SCRATCH_VA, pte_of(mfn, P | A)) == 0) {
            gprintf("frame %u was accepted\n", mfn);
            accepted++;
            uvm(SCRATCH_VA, 0);
        }
    }
    gprintf("tried %u foreign frames\n", tried);
    return (int32_t)accepted;
}

static int32_t a_l2e_to_data(void) { return entry_write(l2_mfn(0), 100, pte_of(va_mfn(data_page), P | RW | US | A)); }
static int32_t a_l2e_foreign(void) { return entry_write(l2_mfn(0), 100, pte_of(HV_TEXT_MFN, P | RW | US | A)); }
static int32_t a_l3e_to_data(void) { return entry_write(l3_mfn(), 1, pte_of(va_mfn(data_page), P)); }
static int32_t a_l3_slot3_change(void) { return entry_write(l3_mfn(), 3, pte_of(l2_mfn(1), P)); }
static int32_t a_pse(void) { return entry_write(l2_mfn(0), 100, pte_of(0x200, P | RW | US | A | PSE)); }
static int32_t a_linear_l2(void) { return entry_write(l2_mfn(0), 100, pte_of(l2_mfn(0), P | US | A)); }
/* With the flags a libxenguest PDPTE carries: the linear rule (PT-14) refuses it, not PT-5. */
static int32_t a_recursive_l3(void) { return entry_write(l3_mfn(), 1, pte_of(l3_mfn(), P | RW | US | A | D)); }
/* PSE: reserved in a PDPTE and refused by Xen too (RW, US, A, D are accepted and stripped). */
static int32_t a_l3_reserved_bits(void) { return entry_write(l3_mfn(), 1, pte_of(l2_mfn(1), P | PSE)); }
static int32_t a_xen_slot_write(void) { return entry_write(l2_mfn(3), 430, 0); }
static int32_t a_misaligned_ptr(void) { return mmu1(((uint64_t)l1_mfn() << 12) + 4, 0, DOMID_SELF); }
static int32_t a_ptr_foreign(void) { return mmu1((uint64_t)HV_TEXT_MFN << 12, 0, DOMID_SELF); }
static int32_t a_unknown_cmd(void) { return mmu1(((uint64_t)l1_mfn() << 12) | 5, 0, DOMID_SELF); }
static int32_t a_m2p_foreign(void) { return mmu1(((uint64_t)HV_TEXT_MFN << 12) | MMU_MACHPHYS_UPDATE, 7, DOMID_SELF); }
static int32_t a_foreigndom(void) { return mmu1((uint64_t)spare_mfn(0) << 12, 0, 0); }

static int32_t a_uvm_otherdomain(void)
{
    return hcall5(__HYPERVISOR_update_va_mapping_otherdomain, SCRATCH_VA,
                  (uint32_t)pte_of(1000, P), 0, UVMF_INVLPG, 0);
}

/* A second L3 whose slot 3 names the L2 our own L3 already uses there. */
static int32_t a_slot3_l2_reused(void)
{
    uint32_t l3 = spare_mfn(0);

    CHECK_RC("write the new L3", entry_write(l3, 3, pte_of(l2_mfn(3), P)), 0);
    return ext1(MMUEXT_PIN_L3_TABLE, l3, 0);
}

/* A pinned (plain) L2 may not serve as an L3's slot 3. */
static int32_t a_pinned_l2_as_slot3(void)
{
    uint32_t l2 = spare_mfn(1), l3 = spare_mfn(0);

    CHECK_RC("pin an empty L2", ext1(MMUEXT_PIN_L2_TABLE, l2, 0), 0);
    CHECK_RC("write the new L3", entry_write(l3, 3, pte_of(l2, P)), 0);
    return ext1(MMUEXT_PIN_L3_TABLE, l3, 0);
}

static int32_t a_unpin_in_use(void)
{
    int32_t rc = ext1(MMUEXT_UNPIN_TABLE, l3_mfn(), 0);

    /* Still our base pointer: it stays validated; pin it again. */
    CHECK_RC("re-pin the L3", ext1(MMUEXT_PIN_L3_TABLE, l3_mfn(), 0), 0);
    return rc;
}

static int32_t a_unpin_not_pinned(void) { return ext1(MMUEXT_UNPIN_TABLE, l1_mfn(), 0); }
static int32_t a_baseptr_non_l3(void) { return ext1(MMUEXT_NEW_BASEPTR, l1_mfn(), 0); }
static int32_t a_ldt_misaligned(void) { return ext1(MMUEXT_SET_LDT, 0x1001, 1); }
static int32_t a_ldt_too_big(void) { return ext1(MMUEXT_SET_LDT, 0x10000, 8193); }
static int32_t a_ldt_hypervisor(void) { return ext1(MMUEXT_SET_LDT, 0xF5800000u, 16); }
static int32_t a_decrease_table(void) { return decrease(l1_mfn()); }
static int32_t a_decrease_mapped(void) { return decrease(va_mfn(data_page)); }

/* 512 references to one frame from one L1, then all dropped again. */
static int32_t a_many_refs(void)
{
    uint32_t l1 = spare_mfn(2), slot;

    for (slot = 0; slot < 512; slot++)
        if (entry_write(l1, slot, pte_of(va_mfn(data_page), P | A)))
            return -1;
    CHECK_RC("pin the L1 full of references", ext1(MMUEXT_PIN_L1_TABLE, l1, 0), 0);
    return ext1(MMUEXT_UNPIN_TABLE, l1, 0);
}

static int32_t a_nested_multicall(void)
{
    struct multicall_entry inner[1] = { { __HYPERVISOR_xen_version, 0, { 0 } } };
    struct multicall_entry outer[2] = {
        { __HYPERVISOR_multicall, 0, { GPTR(inner), 1 } },
        { __HYPERVISOR_xen_version, 0, { 0 } },
    };
    int32_t rc = hcall2(__HYPERVISOR_multicall, GPTR(outer), 2);

    CHECK_RC("the batch itself succeeds", rc, 0);
    CHECK_RC("the entry after it still ran", (int32_t)outer[1].result, (4 << 16) | 2);
    return (int32_t)outer[0].result;
}

/*
 * XSA-286 style: inside one multicall, unmap a writable mapping without
 * asking for a flush, then make the frame a page table. The TLB must not
 * still hold the old writable translation: the write after the batch has
 * to fault, and the new table must be intact.
 */
static volatile uint32_t stale_vector, stale_resume;

static void stale_fault(struct trap_frame *f)
{
    stale_vector = f->vector;
    f->eip = stale_resume;
}

static int32_t a_stale_tlb_multicall(void)
{
    uint32_t frame = spare_mfn(3), va = SCRATCH_VA;
    uint64_t pte = pte_of(frame, P | RW | A | D);
    struct multicall_entry batch[2] = {
        { __HYPERVISOR_update_va_mapping, 0, { va, 0, 0, UVMF_NONE } },
        { __HYPERVISOR_mmuext_op, 0, { 0, 1, 0, DOMID_SELF } },
    };
    struct mmuext_op pin = { MMUEXT_PIN_L1_TABLE, { frame }, { 0 } };
    int32_t rc;

    batch[1].args[0] = GPTR(&pin);
    if (traps_init())
        return -1000;
    traps_set_handler(14, stale_fault);
    CHECK_RC("map the frame writable", uvm(va, pte), 0);
    *(volatile uint32_t *)(uintptr_t)va = 0;            /* the TLB now holds it */
    rc = hcall2(__HYPERVISOR_multicall, GPTR(batch), 2);
    CHECK_RC("multicall", rc, 0);
    CHECK_RC("unmap without a flush request", (int32_t)batch[0].result, 0);
    CHECK_RC("the frame became a pinned L1", (int32_t)batch[1].result, 0);
    stale_vector = 0xFFFF;
    __asm__ volatile("movl $1f, %0\n movl $0x00000063, (%1)\n 1:" : "=m"(stale_resume) : "r"(va) : "memory");
    CHECK_RC("the old writable translation is gone (#PF)", stale_vector, 14);
    return (int32_t)ext1(MMUEXT_UNPIN_TABLE, frame, 0);
}

static const struct attack attacks[] = {
    { "map-hypervisor-frame", "PT-6", a_map_hypervisor, -EBUSY },
    { "map-every-foreign-frame", "PT-6", a_map_every_foreign_frame, 0 },
    { "rw-map-own-l1", "PT-7", a_rw_own_l1, -EBUSY },
    { "rw-map-own-l2", "PT-7", a_rw_own_l2, -EBUSY },
    { "rw-map-own-l3", "PT-7", a_rw_own_l3, -EBUSY },
    { "rw-map-slot3-l2", "PT-7", a_rw_slot3_l2, -EBUSY },
    { "global-bit", "PT-1", a_global, -EINVAL },
    { "cache-attributes", "PT-2", a_cache_attrs, -EINVAL },
    { "l2-entry-to-data-frame", "PT-8", a_l2e_to_data, -EINVAL },
    { "l2-entry-to-foreign-frame", "PT-6", a_l2e_foreign, -EINVAL },
    { "l3-entry-to-data-frame", "PT-9", a_l3e_to_data, -EINVAL },
    { "l3-slot3-change", "PT-13", a_l3_slot3_change, -EINVAL },
    { "slot3-l2-reused", "PT-10", a_slot3_l2_reused, -EINVAL },
    { "pinned-l2-as-slot3", "PT-10", a_pinned_l2_as_slot3, -EINVAL },
    { "pse-superpage", "PT-4", a_pse, -EINVAL },
    { "linear-l2", "PT-14", a_linear_l2, -EINVAL },
    { "recursive-l3", "PT-14", a_recursive_l3, -EINVAL },
    { "l3-reserved-bits", "PT-5", a_l3_reserved_bits, -EINVAL },
    { "hypervisor-slot-write", "PT-12", a_xen_slot_write, -EPERM },
    /* ptr's low 3 bits are the command: a ptr 4 bytes into an entry is command 4. */
    { "misaligned-ptr", "PT-22", a_misaligned_ptr, -ENOSYS },
    { "ptr-outside-own-frames", "PT-22", a_ptr_foreign, -EINVAL },
    { "unknown-mmu-command", "PT-22", a_unknown_cmd, -ENOSYS },
    { "m2p-update-foreign-frame", "PT-24", a_m2p_foreign, -EINVAL },
    { "foreigndom-unprivileged", "PT-23", a_foreigndom, -EPERM },
    { "uvm-otherdomain-unprivileged", "PT-39", a_uvm_otherdomain, -EPERM },
    { "uvm-hypervisor-address", "PT-29", a_uvm_hypervisor_va, -EINVAL },
    { "unpin-table-in-use", "PT-25", a_unpin_in_use, 0 },
    { "unpin-not-pinned", "PT-25", a_unpin_not_pinned, -EINVAL },
    { "new-baseptr-non-l3", "PT-26", a_baseptr_non_l3, -EINVAL },
    { "set-ldt-misaligned", "PT-27", a_ldt_misaligned, -EINVAL },
    { "set-ldt-too-many", "PT-27", a_ldt_too_big, -EINVAL },
    { "set-ldt-hypervisor", "PT-27", a_ldt_hypervisor, -EINVAL },
    { "decrease-page-table", "PT-18", a_decrease_table, 0 },
    { "decrease-mapped-frame", "PT-18", a_decrease_mapped, 0 },
    { "many-references", "PT-16", a_many_refs, 0 },
    { "nested-multicall", "MC-2", a_nested_multicall, -EINVAL },
    { "stale-tlb-multicall", "PT-20", a_stale_tlb_multicall, 0 },
};

/* Our own memory and tables still work after the attack. */
static void check_intact(void)
{
    volatile uint32_t *p = (volatile uint32_t *)data_page;

    p[7] = 0xC0FFEE;
    test_check("own memory still writable", p[7] == 0xC0FFEE);
    test_check("own L3 still maps slot 3", (table_entry(start_info->pt_base, 3) & P) != 0);
    CHECK_RC("hypercalls still served", hcall2(__HYPERVISOR_xen_version, 0, 0), (4 << 16) | 2);
}

/* After any attack: our own memory and tables still work. */
static void after_attack(const struct attack *a)
{
    (void)a;
    check_intact();
}

int guest_main(struct start_info *si)
{
    return attack_run(si, attacks, sizeof(attacks) / sizeof(attacks[0]), after_attack);
}
