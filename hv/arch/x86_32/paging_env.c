/*
 * The paging hooks of env.h: what the page-type machine asks of the
 * hardware. One physical CPU, so "all" and "local" flush the same TLB.
 * A base-pointer or L3 change concerns the CPU only if it is running on
 * that L3 now; any other domain reloads CR3 when it is next switched in.
 * A CR3 reload drops every translation but the global ones: guests have
 * none (PT-1), and the hypervisor's (PERF-2) map only its own image,
 * frame table and M2P, which never change, so every flush PT-20 asks for
 * is complete.
 */
#include "arch/cpu.h"
#include "domain.h"
#include "env.h"

static bool running_on(uint32_t l3_mfn)
{
    return (read_cr3() >> 12) == l3_mfn;
}

void env_tlb_flush_all(void)
{
    flush_tlb_local();
}

void env_tlb_flush_local(void)
{
    flush_tlb_local();
}

void env_invlpg_local(uint32_t va)
{
    invlpg(va);
}

void env_invlpg_all(uint32_t va)
{
    invlpg(va);
}

void env_load_cr3(uint32_t l3_mfn)
{
    /* Only the running domain's own base pointer is loaded now. */
    if (current && current->pt.cr3_mfn == l3_mfn)
        write_cr3(l3_mfn << 12);
}

void env_l3_updated(uint32_t l3_mfn)
{
    /* PAE caches the PDPTEs at CR3 load: reload them. */
    if (running_on(l3_mfn))
        write_cr3(l3_mfn << 12);
}
