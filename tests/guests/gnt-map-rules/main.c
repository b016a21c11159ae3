/*
 * The map side of grant tables (spec/grants.md), run as the privileged
 * domain (host maps are its alone, GNT-19), with the page-table audit
 * after every hypercall: it grants pages to itself and then tries what a
 * hostile backend or frontend would: a writable map of a read-only
 * grant, revoking while mapped, unmapping twice (XSA-224), a misaligned
 * or non-L1 PTE target (XSA-227), a hypervisor address, refs never
 * granted or out of range, a granter that does not exist.
 */
#include "grants.h"
#include "pv/errno.h"
#include "pv/layout.h"
#include "test.h"

#define REF_RO   40u
#define REF_NONE 41u

static uint8_t granted[4096] __attribute__((aligned(4096)));
static uint8_t window[4096] __attribute__((aligned(4096)));
static uint8_t other[4096] __attribute__((aligned(4096)));

static int16_t map_at(uint64_t host_addr, uint32_t flags, uint32_t ref, domid_t dom,
                      grant_handle_t *handle)
{
    struct gnttab_map_grant_ref m;

    memset(&m, 0, sizeof(m));
    m.host_addr = host_addr;
    m.flags = flags;
    m.ref = ref;
    m.dom = dom;
    if (hcall3(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, GPTR(&m), 1))
        return -100;
    if (handle)
        *handle = m.handle;
    return m.status;
}

/* The machine address of the L1 entry that maps `va` (virt_base 0). */
static uint64_t pte_maddr(const void *va)
{
    const uint32_t *m2p = (const uint32_t *)MACH2PHYS_VIRT_START;
    const uint64_t *l3 = (const uint64_t *)(uintptr_t)start_info->pt_base;
    uint32_t v = GPTR(va);
    uint32_t l2_mfn = (uint32_t)(l3[v >> 30] >> 12) & 0xFFFFFFu;
    const uint64_t *l2 = (const uint64_t *)(uintptr_t)(m2p[l2_mfn] * 4096u);
    uint32_t l1_mfn = (uint32_t)(l2[(v >> 21) & 511] >> 12) & 0xFFFFFFu;

    return ((uint64_t)l1_mfn << 12) + ((v >> 12) & 511) * 8u;
}

int guest_main(struct start_info *si)
{
    grant_handle_t h = 0, h2 = 0;
    struct gnttab_unmap_grant_ref u;
    uint32_t ro = GNTMAP_host_map | GNTMAP_readonly;
    const volatile uint8_t *w = window;

    (void)si;
    CHECK_RC("map our grant table", grants_init(), 0);
    granted[0] = 0xA5;
    CHECK_RC("grant a page read-only to ourselves", grants_offer(REF_RO, 0, virt_to_mfn(granted), true), 0);

    CHECK_RC("GNT-5 writable map of a read-only grant",
             map_at(GPTR(window), GNTMAP_host_map, REF_RO, 0, NULL), GNTST_general_error);
    CHECK_RC("GNT-5 map of a ref never granted", map_at(GPTR(window), ro, REF_NONE, 0, NULL),
             GNTST_general_error);
    CHECK_RC("GNT-1 map of a ref beyond the table", map_at(GPTR(window), ro, 5000, 0, NULL),
             GNTST_bad_gntref);
    CHECK_RC("GNT-3 map from a domain that does not exist", map_at(GPTR(window), ro, REF_RO, 77, NULL),
             GNTST_bad_domain);
    CHECK_RC("GNT-4 device map", map_at(GPTR(window), ro | GNTMAP_device_map, REF_RO, 0, NULL),
             GNTST_general_error);
    CHECK_RC("GNT-9 host_addr in the hypervisor", map_at(HYPERVISOR_VIRT_START + 0x1000u, ro, REF_RO, 0, NULL),
             GNTST_general_error);
    CHECK_RC("GNT-9 misaligned PTE address (XSA-227)",
             map_at(pte_maddr(window) + 4, ro | GNTMAP_contains_pte, REF_RO, 0, NULL), GNTST_general_error);
    CHECK_RC("GNT-9 PTE address in a data frame",
             map_at((uint64_t)virt_to_mfn(other) << 12, ro | GNTMAP_contains_pte, REF_RO, 0, NULL),
             GNTST_general_error);

    CHECK_RC("read-only map", map_at(GPTR(window), ro, REF_RO, 0, &h), GNTST_okay);
    test_check("the mapping shows the granted page", w[0] == 0xA5);
    CHECK_RC("GNT-13 revoke while mapped", grants_revoke(REF_RO), -EBUSY);
    CHECK_RC("a second map through its PTE address",
             map_at(pte_maddr(other), ro | GNTMAP_contains_pte, REF_RO, 0, &h2), GNTST_okay);

    memset(&u, 0, sizeof(u));
    u.host_addr = GPTR(window);
    u.handle = h;
    CHECK_RC("unmap", hcall3(__HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, GPTR(&u), 1), 0);
    CHECK_RC("unmap status", u.status, GNTST_okay);
    CHECK_RC("GNT-2 unmap twice (XSA-224)",
             hcall3(__HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, GPTR(&u), 1) ? -100 : u.status,
             GNTST_bad_handle);
    u.host_addr = pte_maddr(other);     /* GNT-14: the host_addr the map was given */
    u.handle = h2;
    CHECK_RC("unmap the second",
             hcall3(__HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, GPTR(&u), 1) ? -100 : u.status,
             GNTST_okay);
    CHECK_RC("revoke once unmapped", grants_revoke(REF_RO), 0);
    CHECK_RC("GNT-5 map after revoke", map_at(GPTR(window), ro, REF_RO, 0, NULL), GNTST_general_error);
    test_finish();
}
