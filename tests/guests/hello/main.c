/*
 * A minimal unprivileged guest: it checks what its builder gave it
 * (start_info magic and flags, the P2M agreeing with the M2P, its command
 * line) and reports the result, then powers off. Used as a domU by the
 * dom0 scenarios.
 */
#include "pv/layout.h"
#include "test.h"

int guest_main(struct start_info *si)
{
    const uint32_t *p2m = (const uint32_t *)(uintptr_t)si->mfn_list;
    const uint32_t *m2p = (const uint32_t *)MACH2PHYS_VIRT_START;
    uint32_t pfn, bad = 0;

    gprintf("hello from a guest: %u pages, cmdline '%s'\n", si->nr_pages, si->cmd_line);
    test_check("magic", !strcmp(si->magic, PV_START_INFO_MAGIC));
    test_check("not privileged", !(si->flags & (SIF_PRIVILEGED | SIF_INITDOMAIN)));
    test_check("console page given", si->console.domU.mfn != 0);
    for (pfn = 0; pfn < si->nr_pages; pfn++)
        bad += m2p[p2m[pfn]] != pfn;
    test_check("P2M and M2P agree", bad == 0);
    test_finish();
}
