/*
 * Leaves a secret behind: fills every frame it owns with a marker, then
 * shuts down. The snoop guest, created next from the same memory, must
 * not find the marker anywhere.
 *
 * Each frame is mapped writable, in turn, at one scratch address past the
 * boot stack (as snoop maps them to read). Skipped: the frames holding our
 * own code and data, and the boot structures from the P2M on (start_info,
 * the store and console pages, the page tables, the boot stack and the
 * scratch slot itself), which we still use; the page tables could not be
 * mapped writable anyway.
 */
#include "guest.h"
#include "pv/mmu.h"
#include "secret.h"

extern char _image_end[];

int guest_main(struct start_info *si)
{
    const uint32_t *p2m = (const uint32_t *)(uintptr_t)si->mfn_list;
    uint32_t image_end = ((uint32_t)(uintptr_t)_image_end + 4095u) / 4096u;
    uint32_t boot_first = si->mfn_list / 4096u;
    uint32_t scratch = si->pt_base + (si->nr_pt_frames + 1) * 4096u;
    uint32_t boot_end = scratch / 4096u + 1;
    uint32_t pfn, n = 0;

    for (pfn = image_end; pfn < si->nr_pages; pfn++) {
        volatile uint32_t *w = (volatile uint32_t *)(uintptr_t)scratch;
        uint64_t pte = ((uint64_t)p2m[pfn] << 12) | 0x63u;     /* P, RW, A, D */
        uint32_t i;

        if (pfn >= boot_first && pfn < boot_end)
            continue;
        if (hcall4(__HYPERVISOR_update_va_mapping, scratch, (uint32_t)pte, 0, UVMF_INVLPG))
            continue;
        for (i = 0; i < 1024; i++)
            w[i] = SECRET_MARKER ^ i;
        n++;
    }
    gprintf("secret: marked %u of %u pages\n", n, si->nr_pages);
    return 0;
}
