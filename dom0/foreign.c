/*
 * The foreign-mapping window (see foreign.h). dom0 builds the window with
 * the same hypercalls any guest uses for its own page tables: pin a fresh
 * frame as an L1, then point an L2 entry at it. Mappings go in and out
 * with update_va_mapping_otherdomain, which the hypervisor allows only to
 * the privileged domain and only for a paused domain's frames.
 */
#include "errors.h"
#include "foreign.h"
#include "grants.h"
#include "guest.h"
#include "pv/errno.h"
#include "pv/mmu.h"

/*
 * DEV-18: four L1 tables, L2 slots 424..427, up to the hypervisor's first
 * slot (0xF5800000): 2048 pages, room for every ring of 255 guests with a
 * console, a disk and a network interface each (4 pages a guest) and the
 * builder's own mappings beside them.
 */
#define WINDOW_VA     0xF5000000u
#define WINDOW_TABLES 4u
#define WINDOW_SLOTS  (WINDOW_TABLES * 512u)
#define PTE_P   0x001u
#define PTE_RW  0x002u
#define PTE_US  0x004u
#define PTE_A   0x020u
#define PTE_D   0x040u

_Static_assert(WINDOW_VA + WINDOW_SLOTS * 4096u == 0xF5800000u, "the window ends at the hypervisor");

static uint8_t slot_used[WINDOW_SLOTS];

static uint32_t own_mfn(uint32_t pfn)
{
    const uint32_t *p2m = (const uint32_t *)(uintptr_t)start_info->mfn_list;
    return p2m[pfn];
}

/* The machine frame behind one of our own mapped virtual addresses. */
static uint32_t l3_slot3_l2_mfn(void)
{
    const uint64_t *l3 = (const uint64_t *)(uintptr_t)start_info->pt_base;
    return (uint32_t)(l3[3] >> 12) & 0xFFFFFFu;
}

/* Pin the last `t`-th frame of our allowance as an L1 and hook it at its L2 slot. */
static int add_table(uint32_t t)
{
    struct mmuext_op pin;
    struct mmu_update hook;
    /* The last frames of our allowance lie beyond the initial mapping. */
    uint32_t l1_mfn = own_mfn(start_info->nr_pages - 1u - t);
    uint32_t l2_slot = (WINDOW_VA - 0xC0000000u) / (2u << 20) + t;
    int rc;

    memset(&pin, 0, sizeof(pin));
    pin.cmd = MMUEXT_PIN_L1_TABLE;
    pin.arg1.mfn = l1_mfn;
    rc = hcall4(__HYPERVISOR_mmuext_op, GPTR(&pin), 1, 0, DOMID_SELF);
    if (rc)
        return rc;
    hook.ptr = ((uint64_t)l3_slot3_l2_mfn() << 12) + l2_slot * 8u + MMU_NORMAL_PT_UPDATE;
    hook.val = ((uint64_t)l1_mfn << 12) | PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D;
    return hcall4(__HYPERVISOR_mmu_update, GPTR(&hook), 1, 0, DOMID_SELF);
}

int foreign_init(void)
{
    static uint32_t tables;
    int rc = 0;

    while (tables < WINDOW_TABLES && rc == 0) {
        rc = add_table(tables);
        tables += rc == 0;
    }
    return rc;
}

static int free_slot(uint32_t *va)
{
    uint32_t i;

    for (i = 0; i < WINDOW_SLOTS && slot_used[i]; i++)
        ;
    if (i == WINDOW_SLOTS)
        return -ENOSPC;
    *va = WINDOW_VA + i * 4096u;
    return 0;
}

void *foreign_map(domid_t domid, uint32_t mfn, int *err)
{
    uint32_t i, va = 0;
    uint64_t pte = ((uint64_t)mfn << 12) | PTE_P | PTE_RW | PTE_A | PTE_D;

    *err = free_slot(&va);
    if (*err)
        return NULL;
    i = (va - WINDOW_VA) / 4096u;
    *err = hcall5(__HYPERVISOR_update_va_mapping_otherdomain, va, (uint32_t)pte,
                  (uint32_t)(pte >> 32), UVMF_INVLPG, domid);
    if (*err)
        return NULL;
    slot_used[i] = 1;
    return (void *)(uintptr_t)va;
}

void *foreign_map_grant(domid_t from, grant_ref_t ref, grant_handle_t *handle, int *err)
{
    uint32_t va = 0;

    *err = free_slot(&va);
    if (!*err)
        *err = grants_map(from, ref, va, false, handle);
    if (*err >= GNTST_no_space && *err < 0)
        *err = err_from_gntst(*err);    /* a status must not read as an errno of its value */
    if (*err)
        return NULL;
    slot_used[(va - WINDOW_VA) / 4096u] = 1;
    return (void *)(uintptr_t)va;
}

int foreign_unmap_grant(void *p, grant_handle_t handle)
{
    uint32_t va = GPTR(p), i = (va - WINDOW_VA) / 4096u;
    int rc;

    if (va < WINDOW_VA || i >= WINDOW_SLOTS || !slot_used[i])
        guest_panic("foreign_unmap_grant of %08x, not a window address", va);
    rc = grants_unmap(va, handle);
    if (!rc)
        slot_used[i] = 0;
    return rc;
}

uint32_t foreign_free_slots(void)
{
    uint32_t i, n = 0;

    for (i = 0; i < WINDOW_SLOTS; i++)
        n += !slot_used[i];
    return n;
}

void foreign_unmap(void *p)
{
    uint32_t va = GPTR(p), i = (va - WINDOW_VA) / 4096u;

    if (va < WINDOW_VA || i >= WINDOW_SLOTS || !slot_used[i])
        guest_panic("foreign_unmap of %08x, not a window address", va);
    if (hcall4(__HYPERVISOR_update_va_mapping, va, 0, 0, UVMF_INVLPG))
        guest_panic("foreign_unmap of %08x refused", va);
    slot_used[i] = 0;
}
