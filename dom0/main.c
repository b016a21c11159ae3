/*
 * dom0, the privileged control domain. At this stage it introduces
 * itself: it prints what start_info says (memory, modules, command line)
 * and powers off.
 */
#include "guest.h"
#include "pv/version.h"

static void print_modules(const struct start_info *si)
{
    const struct xen_multiboot_mod_list *mods;
    uint32_t i, n;

    if (!si->mod_len) {
        gprintf("dom0: no modules\n");
        return;
    }
    if (!(si->flags & SIF_MULTIBOOT_MOD)) {
        gprintf("dom0: one module at %08x, %u bytes\n", si->mod_start, si->mod_len);
        return;
    }
    mods = (const struct xen_multiboot_mod_list *)(uintptr_t)si->mod_start;
    n = 0;
    while (n < 64 && mods[n].mod_start != 0)
        n++;
    gprintf("dom0: %u module(s)\n", n);
    for (i = 0; i < n; i++)
        gprintf("  module %u: %u bytes, '%s'\n", i, mods[i].mod_end - mods[i].mod_start + 1,
                (const char *)(uintptr_t)(si->mod_start + mods[i].cmdline));
}

int guest_main(struct start_info *si)
{
    int32_t ver = hcall2(__HYPERVISOR_xen_version, XENVER_version, 0);

    gprintf("dom0: Bulkhead control domain, ABI %d.%d, magic '%s'\n",
            ver >> 16, ver & 0xFFFF, si->magic);
    gprintf("dom0: %u pages, flags %x, shared_info at machine %08x\n",
            si->nr_pages, si->flags, si->shared_info);
    gprintf("dom0: page tables at %08x (%u frames), P2M at %08x\n",
            si->pt_base, si->nr_pt_frames, si->mfn_list);
    gprintf("dom0: command line '%s'\n", si->cmd_line);
    print_modules(si);
    gprintf("dom0: shutting down\n");
    return 0;
}
