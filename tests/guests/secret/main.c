/*
 * Leaves a secret behind: fills every page it owns and maps with a marker
 * (skipping its page tables and the pages holding its own code and data),
 * then shuts down. The snoop guest, created next from the same memory,
 * must not find the marker anywhere.
 */
#include "guest.h"
#include "secret.h"

extern char _image_end[];

int guest_main(struct start_info *si)
{
    uint32_t first = ((uint32_t)(uintptr_t)_image_end + 4095u) / 4096u;
    uint32_t last = si->pt_base / 4096u, pfn, n = 0;

    /* Pages after our image and before the page tables (P2M and start_info
     * excepted) are ours to scribble on. */
    for (pfn = first; pfn < last; pfn++) {
        uint32_t *w = (uint32_t *)(uintptr_t)(pfn * 4096u), i;
        if (pfn * 4096u >= si->mfn_list && pfn * 4096u < GPTR(si) + 4096u)
            continue;
        for (i = 0; i < 1024; i++)
            w[i] = SECRET_MARKER ^ i;
        n++;
    }
    gprintf("secret: marked %u pages\n", n);
    return 0;
}
