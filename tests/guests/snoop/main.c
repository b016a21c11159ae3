/*
 * Looks for another domain's old data in the frames it was given: every
 * frame it owns is mapped (in turn, at one scratch address) and searched
 * for the marker the secret guest left. Frames are scrubbed on every
 * allocation, so nothing may be found.
 */
#include "../secret/secret.h"
#include "pv/mmu.h"
#include "test.h"

int guest_main(struct start_info *si)
{
    const uint32_t *p2m = (const uint32_t *)(uintptr_t)si->mfn_list;
    uint32_t scratch = si->pt_base + (si->nr_pt_frames + 1) * 4096u;
    uint32_t pfn, found = 0, scanned = 0;

    for (pfn = 0; pfn < si->nr_pages; pfn++) {
        const volatile uint32_t *w = (const volatile uint32_t *)(uintptr_t)scratch;
        uint64_t pte = ((uint64_t)p2m[pfn] << 12) | 0x21u;     /* P, A: read-only */
        uint32_t i;

        if (hcall4(__HYPERVISOR_update_va_mapping, scratch, (uint32_t)pte, 0, UVMF_INVLPG))
            continue;                 /* a page table of ours: not mappable this way */
        scanned++;
        for (i = 0; i < 1024; i++)
            if (w[i] == (SECRET_MARKER ^ i))
                found++;
    }
    gprintf("snoop: scanned %u of %u frames, %u marker words found\n", scanned, si->nr_pages, found);
    test_check("no other domain's data", found == 0);
    test_check("scanned nearly every frame", scanned + 16 >= si->nr_pages);
    test_finish();
}
