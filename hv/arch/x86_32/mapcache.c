/*
 * The mapcache: short-lived mappings of any machine frame, the arch side
 * of env_map_frame(). 1024 slots in a 4 MiB window in the hypervisor
 * slots, so a mapping is visible in every address space. A slot's TLB
 * entry is flushed when it is unmapped, so a reused slot never shows the
 * previous frame. Running out of slots means a caller leaked mappings:
 * that is a hypervisor bug, and it panics.
 */
#include "arch/cpu.h"
#include "arch/layout.h"
#include "arch/mm.h"
#include "arch/page.h"
#include "env.h"
#include "printk.h"

#define MAPCACHE_SLOTS 1024u

uint64_t mapcache_l1[2][512] __attribute__((aligned(4096)));
static uint32_t in_use[MAPCACHE_SLOTS / 32];
static uint32_t next_slot;
static uint32_t live;

void *env_map_frame(uint32_t mfn)
{
    uint32_t n, slot;

    if (mfn >= frame_table.nr_frames)
        panic("mapcache: frame %u is not machine memory", mfn);
    for (n = 0; n < MAPCACHE_SLOTS; n++) {
        slot = (next_slot + n) % MAPCACHE_SLOTS;
        if (!(in_use[slot / 32] & (1u << (slot % 32))))
            break;
    }
    if (n == MAPCACHE_SLOTS)
        panic("mapcache: all %u slots in use (leaked mappings)", MAPCACHE_SLOTS);
    in_use[slot / 32] |= 1u << (slot % 32);
    next_slot = (slot + 1) % MAPCACHE_SLOTS;
    live++;
    mapcache_l1[slot / 512][slot % 512] =
        mk_pte(mfn, _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_NX);
    return (void *)(MAPCACHE_VIRT + (slot << 12));
}

void env_unmap_frame(const void *va)
{
    uint32_t addr = (uint32_t)va, slot;

    if (addr < MAPCACHE_VIRT || addr - MAPCACHE_VIRT >= MAPCACHE_SIZE)
        panic("mapcache: unmap of %08x, not a mapcache address", addr);
    slot = (addr - MAPCACHE_VIRT) >> 12;
    if (!(in_use[slot / 32] & (1u << (slot % 32))))
        panic("mapcache: double unmap of slot %u", slot);
    mapcache_l1[slot / 512][slot % 512] = 0;
    invlpg(MAPCACHE_VIRT + (slot << 12));
    in_use[slot / 32] &= ~(1u << (slot % 32));
    live--;
}

uint32_t mapcache_live(void)
{
    return live;
}

void mapcache_init(void)
{
    /* The L1s are installed by mm_init(); nothing is mapped yet. */
    next_slot = 0;
    live = 0;
}
