/*
 * The balloon driver: see balloon.h.
 */
#include "balloon.h"
#include "guest.h"
#include "pv/errno.h"
#include "pv/memory.h"
#include "pv/mmu.h"
#include "pv/multicall.h"
#include "xenbus.h"

#define TARGET_NODE "memory/target"
#define BATCH       256u                /* frames per hypercall (a 1 MiB step) */
#define INVALID_MFN 0xFFFFFFFFu
#define PAD_PAGES   128u                /* BOOT-10: the region ends >= 512 KiB past the stack */
#define ALIGN_VA    0x400000u           /* ... on a 4 MiB boundary */
#define PTE_LO      0x063u              /* P | RW | A | D */
#define PTE_HI_NX   0x80000000u         /* data: never executed */

extern char __virt_base[];

static uint32_t top, floor_pfn, max_pfn, mapped_end;

static uint32_t *p2m(void) { return (uint32_t *)(uintptr_t)start_info->mfn_list; }
static uint32_t va_of(uint32_t pfn) { return GPTR(__virt_base) + pfn * 4096u; }

uint32_t balloon_pages(void) { return top; }
uint32_t balloon_floor(void) { return floor_pfn; }
uint32_t balloon_mapped_end(void) { return mapped_end; }

/* BOOT-10: the boot stack follows the page tables; the mapping ends past it. */
static void find_pool(void)
{
    uint32_t base = GPTR(__virt_base);
    uint32_t stack_pfn = (start_info->pt_base - base) / 4096u + start_info->nr_pt_frames;
    uint32_t end_va = base + (stack_pfn + 1u + PAD_PAGES) * 4096u;

    end_va = (end_va + ALIGN_VA - 1u) / ALIGN_VA * ALIGN_VA;
    max_pfn = start_info->nr_pages;
    top = max_pfn;
    floor_pfn = stack_pfn + 1u;
    mapped_end = (end_va - base) / 4096u;
    if (mapped_end > max_pfn)
        mapped_end = max_pfn;
}

int balloon_init(void)
{
    static struct xenbus_msg m;
    static const char arg[] = TARGET_NODE "\0memory";
    int rc = xenbus_open();

    find_pool();
    if (!rc)
        rc = xenbus_call(XS_WATCH, 0, arg, sizeof(arg), &m);
    return rc ? rc : xenbus_errno(&m);
}

static int32_t reservation(uint32_t cmd, uint32_t *list, uint32_t n)
{
    struct xen_memory_reservation r;

    memset(&r, 0, sizeof(r));
    r.extent_start = GPTR(list);
    r.nr_extents = n;
    r.domid = DOMID_SELF;
    return hcall2(__HYPERVISOR_memory_op, cmd, GPTR(&r));
}

/*
 * Point each pfns[i] the bootstrap mapping covers at mfns[i] (INVALID_MFN:
 * unmap it), in one multicall, as Linux's lazy MMU mode batches them:
 * 0, or -EIO if any entry was refused.
 */
static int map_batch(const uint32_t *pfns, const uint32_t *mfns, uint32_t n)
{
    static struct multicall_entry mc[BATCH];
    uint32_t i, k = 0;

    for (i = 0; i < n; i++) {
        uint64_t pte = ((uint64_t)mfns[i] << 12) | PTE_LO;
        if (pfns[i] >= mapped_end)
            continue;                   /* nothing of ours maps it */
        memset(&mc[k], 0, sizeof(mc[k]));
        mc[k].op = __HYPERVISOR_update_va_mapping;
        mc[k].args[0] = va_of(pfns[i]);
        mc[k].args[1] = mfns[i] == INVALID_MFN ? 0 : (uint32_t)pte;
        mc[k].args[2] = mfns[i] == INVALID_MFN ? 0 : (uint32_t)(pte >> 32) | PTE_HI_NX;
        mc[k].args[3] = UVMF_INVLPG;
        k++;
    }
    if (k && hcall2(__HYPERVISOR_multicall, GPTR(mc), k))
        return -EIO;
    for (i = 0; i < k; i++)
        if (mc[i].result)
            return -EIO;
    return 0;
}

/* Frames mfns[i] are pfns[i]'s again: P2M, then the mapping back. */
static void own(const uint32_t *pfns, const uint32_t *mfns, uint32_t n)
{
    uint32_t i;

    for (i = 0; i < n; i++)
        p2m()[pfns[i]] = mfns[i];
    if (map_batch(pfns, mfns, n))
        guest_panic("balloon: cannot map %u frames again", n);
}

/*
 * DEV-26: give back the n frames below top (n <= BATCH), the highest
 * first: unmap, P2M, then the hypervisor. Xen stops at the first extent
 * it cannot take, so what it did not take is the lowest of the batch and
 * stays ours: the held frames are still exactly those below top.
 */
static int give_back(uint32_t n)
{
    static uint32_t pfns[BATCH], mfns[BATCH], none[BATCH];
    uint32_t i;
    int32_t done;

    for (i = 0; i < n; i++) {
        pfns[i] = top - 1u - i;
        mfns[i] = p2m()[pfns[i]];
        none[i] = INVALID_MFN;
    }
    if (map_batch(pfns, none, n)) {
        own(pfns, mfns, n);
        return -EIO;
    }
    for (i = 0; i < n; i++)
        p2m()[pfns[i]] = INVALID_MFN;
    done = reservation(XENMEM_decrease_reservation, mfns, n);
    if (done < 0)
        done = 0;
    own(pfns + done, mfns + done, n - (uint32_t)done);
    top -= (uint32_t)done;
    return (uint32_t)done == n ? 0 : -EIO;
}

/* DEV-27: take n frames (n <= BATCH) at top: M2P, P2M, then the mapping. */
static int take(uint32_t n)
{
    static uint32_t pfns[BATCH], mfns[BATCH];
    static struct mmu_update u[BATCH];
    uint32_t got, done = 0, i;
    int32_t rc;

    memset(mfns, 0, sizeof(mfns));
    rc = reservation(XENMEM_increase_reservation, mfns, n);
    got = rc > 0 ? (uint32_t)rc : 0;
    for (i = 0; i < got; i++) {
        pfns[i] = top + i;
        u[i].ptr = ((uint64_t)mfns[i] << 12) | MMU_MACHPHYS_UPDATE;
        u[i].val = pfns[i];
    }
    if (got && hcall4(__HYPERVISOR_mmu_update, GPTR(u), got, GPTR(&done), DOMID_SELF))
        guest_panic("balloon: the M2P refused %u new frames (%u done)", got, done);
    own(pfns, mfns, got);
    top += got;
    return got == n ? 0 : -EIO;
}

/* DEV-25: strict decimal KiB, 1..10 digits, at most 2^32-1; else -EINVAL. */
static int parse_kib(const char *s, uint32_t *kib)
{
    uint64_t v = 0;
    uint32_t n = 0;

    for (; s[n]; n++) {
        if (s[n] < '0' || s[n] > '9' || n == 10)
            return -EINVAL;
        v = v * 10u + (uint32_t)(s[n] - '0');
    }
    if (n == 0 || v > 0xFFFFFFFFu)
        return -EINVAL;
    *kib = (uint32_t)v;
    return 0;
}

/* DEV-28: the pages a target means, within what the guest can hold and must keep. */
static uint32_t target_pages(uint32_t kib)
{
    uint32_t want = kib / 4u;

    if (want > max_pfn) {
        gprintf("balloon: target %u KiB is above the maximum %u KiB: holding the maximum\n",
                kib, max_pfn * 4u);
        return max_pfn;
    }
    if (want < floor_pfn) {
        gprintf("balloon: target %u KiB is below the %u KiB the guest needs: keeping those\n",
                kib, floor_pfn * 4u);
        return floor_pfn;
    }
    return want;
}

int balloon_check(void)
{
    char v[16];
    uint32_t kib, want, was = top;
    int n = xenbus_read(0, TARGET_NODE, v, sizeof(v));
    int rc = 0;

    if (n == -E2BIG || (n >= 0 && parse_kib(v, &kib))) {
        gprintf("balloon: memory/target is not a number of KiB: ignored\n");
        return -EINVAL;
    }
    if (n < 0)
        return -ENOENT;
    want = target_pages(kib);
    while (!rc && top > want)
        rc = give_back(top - want < BATCH ? top - want : BATCH);
    while (!rc && top < want)
        rc = take(want - top < BATCH ? want - top : BATCH);
    if (top != was)
        gprintf("balloon: target %u KiB: %s %u pages, holding %u\n", kib,
                top < was ? "gave back" : "took", top < was ? was - top : top - was, top);
    if (rc)
        gprintf("balloon: the hypervisor refused a step: holding %u pages\n", top);
    return rc ? rc : (int)top;
}
