/*
 * Guest-side grant tables (see grants.h).
 */
#include "grants.h"
#include "guest.h"
#include "pv/errno.h"
#include "pv/mmu.h"

#define PTE_P  0x001u
#define PTE_RW 0x002u
#define PTE_A  0x020u
#define PTE_D  0x040u

extern char __virt_base[];

/* A page of our image whose frame is swapped for the grant frame. */
static struct grant_entry_v1 table[GNTTAB_ENTRIES_PER_FRAME_V1] __attribute__((aligned(4096)));
static bool mapped;

uint32_t virt_to_mfn(const void *va)
{
    const uint32_t *p2m = (const uint32_t *)(uintptr_t)start_info->mfn_list;

    return p2m[(GPTR(va) - GPTR(__virt_base)) / 4096u];
}

static int op(uint32_t cmd, void *arg, uint32_t count)
{
    return hcall3(__HYPERVISOR_grant_table_op, cmd, GPTR(arg), count);
}

int grants_init(void)
{
    struct gnttab_setup_table setup;
    uint32_t mfn = 0;
    uint64_t pte;
    int rc;

    if (mapped)
        return 0;
    memset(&setup, 0, sizeof(setup));
    setup.dom = DOMID_SELF;
    setup.nr_frames = 1;
    setup.frame_list = GPTR(&mfn);
    rc = op(GNTTABOP_setup_table, &setup, 1);
    if (rc)
        return rc;
    if (setup.status)
        return setup.status;
    pte = ((uint64_t)mfn << 12) | PTE_P | PTE_RW | PTE_A | PTE_D;
    rc = hcall4(__HYPERVISOR_update_va_mapping, GPTR(table), (uint32_t)pte,
                (uint32_t)(pte >> 32), UVMF_INVLPG);
    mapped = rc == 0;
    return rc;
}

int grants_offer(grant_ref_t ref, domid_t to, uint32_t mfn, bool readonly)
{
    volatile struct grant_entry_v1 *e;

    if (!mapped || ref >= GNTTAB_ENTRIES_PER_FRAME_V1)
        return -EINVAL;
    e = &table[ref];
    e->domid = to;
    e->frame = mfn;
    /* the hypervisor may look at the entry as soon as the type is set */
    __asm__ volatile("" ::: "memory");
    e->flags = (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0u));
    return 0;
}

int grants_revoke(grant_ref_t ref)
{
    uint16_t flags;

    if (!mapped || ref >= GNTTAB_ENTRIES_PER_FRAME_V1)
        return -EINVAL;
    /* A compare-and-swap, so a map that sets GTF_reading meanwhile is seen. */
    flags = __atomic_load_n(&table[ref].flags, __ATOMIC_SEQ_CST);
    do {
        if (flags & (GTF_reading | GTF_writing))
            return -EBUSY;
    } while (!__atomic_compare_exchange_n(&table[ref].flags, &flags, 0, false,
                                          __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    return 0;
}

int grants_map(domid_t from, grant_ref_t ref, uint32_t va, bool readonly,
               grant_handle_t *handle)
{
    struct gnttab_map_grant_ref m;
    int rc;

    memset(&m, 0, sizeof(m));
    m.host_addr = va;
    m.flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0u);
    m.ref = ref;
    m.dom = from;
    rc = op(GNTTABOP_map_grant_ref, &m, 1);
    if (rc)
        return rc;
    *handle = m.handle;
    return m.status;
}

int grants_unmap(uint32_t va, grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref u;
    int rc;

    memset(&u, 0, sizeof(u));
    u.host_addr = va;
    u.handle = handle;
    rc = op(GNTTABOP_unmap_grant_ref, &u, 1);
    return rc ? rc : u.status;
}

int grants_copy(struct gnttab_copy *ops, uint32_t n)
{
    return op(GNTTABOP_copy, ops, n);
}
