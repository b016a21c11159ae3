/*
 * Machine memory at boot: the memory map becomes the frame table, and the
 * throw-away boot page tables become the idle page tables, whose
 * hypervisor slots (L2 entries 428..511 under L3 slot 3) every guest
 * address space later shares.
 *
 * The mappings that never change after boot and are the same in every
 * address space (the image, the frame table, both M2P views) are global
 * when the CPU has PGE, so a CR3 load or a CR4 write does not drop them
 * from the TLB (PERF-2). Nothing else of the hypervisor's is: not the
 * per-domain area (each domain maps it differently, so a global entry
 * would show one domain's GDT or shared_info to the next), not the
 * mapcache or the domain area (remapped at run time), and never a guest
 * entry (PT-1 refuses the G bit).
 *
 * Every L1 the hypervisor's own mappings need is a static table here,
 * sized for the largest machine Bulkhead manages (3 GiB), so the
 * hypervisor slots never change after boot and the copies in guests'
 * L2s never go stale. Permissions: text RX, rodata R, data and bss RW+NX,
 * guard pages and everything unused unmapped.
 */
#include "arch/cpu.h"
#include "arch/desc.h"
#include "arch/layout.h"
#include "arch/mm.h"
#include "arch/page.h"
#include "pt_audit.h"
#include "printk.h"
#include "string.h"

#define FT_L1S  9   /* frame table + audit scratch: 786432 frames x 24 bytes = 18 MiB */
#define M2P_L1S 2   /* M2P: 786432 x 4 bytes = 3 MiB */
#define DM_L1S  6   /* direct map: 12 MiB */

#define PTE_TABLE  (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define PTE_RW_NX  (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_NX)
#define PTE_RO_NX  (_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_NX)
#define PTE_RX     (_PAGE_PRESENT | _PAGE_ACCESSED)
/* PERF-2: fixed for the life of the machine, the same in every address space */
#define PTE_FIXED  _PAGE_GLOBAL

_Static_assert((sizeof(struct frame) + sizeof(struct pt_audit_count)) * MAX_MACHINE_FRAMES <= FT_L1S * 512u * 4096u,
               "frame table L1s");
_Static_assert(4u * MAX_MACHINE_FRAMES <= M2P_L1S * 512u * 4096u, "M2P L1s");

extern char _image_start_pa[], _text_start[], _text_end[], _rodata_start[], _rodata_end[];
extern char _data_start[], _image_end[], boot_stack_guard[], df_stack_guard[];

static uint64_t idle_l3[4] __attribute__((aligned(32)));
static uint64_t idle_l2[512] __attribute__((aligned(4096)));
static uint64_t identity_l2[3][512] __attribute__((aligned(4096)));
static uint64_t directmap_l1[DM_L1S][512] __attribute__((aligned(4096)));
static uint64_t frametable_l1[FT_L1S][512] __attribute__((aligned(4096)));
static uint64_t m2p_ro_l1[M2P_L1S][512] __attribute__((aligned(4096)));
static uint64_t m2p_rw_l1[M2P_L1S][512] __attribute__((aligned(4096)));
static uint64_t idle_perdomain_l1[512] __attribute__((aligned(4096)));
static uint64_t domarea_l1[8][512] __attribute__((aligned(4096)));
static uint8_t zero_page[4096] __attribute__((aligned(4096)));
extern uint64_t mapcache_l1[2][512];

struct frame_table frame_table;
uint32_t *m2p_table;
struct pt_audit_count *audit_scratch;
uint32_t idle_l3_pa;

/* ---- boot-time chunk allocator ------------------------------------ */

struct range {
    uint64_t start, end;
};

static struct range reserved[BOOT_MAX_MODULES + 8];
static unsigned nr_reserved;
static struct range boot_chunks[4];
static unsigned nr_boot_chunks;

static void reserve(uint64_t start, uint64_t end)
{
    if (nr_reserved == ARRAY_SIZE(reserved))
        panic("boot: too many reserved ranges");
    reserved[nr_reserved].start = start & ~0xFFFull;
    reserved[nr_reserved].end = (end + 0xFFF) & ~0xFFFull;
    nr_reserved++;
}

/* Highest reserved range overlapping [s, e), or NULL. */
static const struct range *reserved_overlap(uint64_t s, uint64_t e)
{
    const struct range *hit = NULL;
    unsigned i;

    for (i = 0; i < nr_reserved; i++)
        if (reserved[i].start < e && s < reserved[i].end &&
            (!hit || reserved[i].start > hit->start))
            hit = &reserved[i];
    return hit;
}

/* A run of `pages` free frames, taken from the top of some RAM region. */
static uint32_t boot_alloc_chunk(const struct boot_info *bi, uint32_t pages)
{
    uint64_t size = (uint64_t)pages << 12;
    uint32_t i;

    for (i = 0; i < bi->nr_mmap; i++) {
        const struct mem_region *r = &bi->mmap[i];
        uint64_t lo = r->base < (1u << 20) ? (1u << 20) : r->base;
        uint64_t hi = r->base + r->len;

        if (r->type != MEM_USABLE)
            continue;
        if (hi > BOOT_IDENTITY_LIMIT)
            hi = BOOT_IDENTITY_LIMIT;
        hi &= ~0xFFFull;
        while (hi >= lo + size) {
            const struct range *clash = reserved_overlap(hi - size, hi);
            if (!clash) {
                reserve(hi - size, hi);
                boot_chunks[nr_boot_chunks].start = hi - size;
                boot_chunks[nr_boot_chunks++].end = hi;
                return (uint32_t)((hi - size) >> 12);
            }
            hi = clash->start;
        }
    }
    panic("boot: no room for %u contiguous frames of hypervisor tables", pages);
}

/* ---- building the idle page tables -------------------------------- */

static uint32_t pa_of(const void *va)
{
    return virt_to_phys(va);
}

static uint64_t directmap_flags(uint32_t va)
{
    if (va == (uint32_t)boot_stack_guard || va == (uint32_t)df_stack_guard)
        return 0;
    if (va >= (uint32_t)_text_start && va < (uint32_t)_text_end)
        return PTE_RX | PTE_FIXED;
    if (va >= (uint32_t)_rodata_start && va < (uint32_t)_rodata_end)
        return PTE_RO_NX | PTE_FIXED;
    if (va >= (uint32_t)_data_start && va < (uint32_t)_image_end)
        return PTE_RW_NX | PTE_FIXED;
    return 0;
}

static void build_directmap(void)
{
    uint32_t i;

    for (i = 0; i < DM_L1S * 512u; i++) {
        uint64_t flags = directmap_flags(DIRECTMAP_VIRT + (i << 12));
        directmap_l1[i / 512][i % 512] = flags ? mk_pte(i, flags) : 0;
    }
}

static void map_run(uint64_t (*l1)[512], uint32_t first_mfn, uint32_t pages, uint64_t flags)
{
    uint32_t i;

    for (i = 0; i < pages; i++)
        l1[i / 512][i % 512] = mk_pte(first_mfn + i, flags);
}

static void install_l1s(uint32_t va, uint64_t (*l1)[512], unsigned n)
{
    unsigned i;

    for (i = 0; i < n; i++)
        idle_l2[L2_SLOT(va) + i] = mk_pte(pa_of(l1[i]) >> 12, PTE_TABLE);
}

static void build_idle_tables(uint32_t ft_mfn, uint32_t ft_pages, uint32_t m2p_mfn, uint32_t m2p_pages)
{
    uint32_t i, j;

    build_directmap();
    map_run(frametable_l1, ft_mfn, ft_pages, PTE_RW_NX | PTE_FIXED);
    map_run(m2p_rw_l1, m2p_mfn, m2p_pages, PTE_RW_NX | PTE_FIXED);
    map_run(m2p_ro_l1, m2p_mfn, m2p_pages, PTE_RO_NX | PTE_FIXED);
    mm_init_perdomain_l1_table(idle_perdomain_l1);

    install_l1s(DIRECTMAP_VIRT, directmap_l1, DM_L1S);
    install_l1s(FRAMETABLE_VIRT, frametable_l1, FT_L1S);
    install_l1s(M2P_RO_VIRT, m2p_ro_l1, M2P_L1S);
    install_l1s(M2P_RW_VIRT, m2p_rw_l1, M2P_L1S);
    install_l1s(MAPCACHE_VIRT, mapcache_l1, 2);
    install_l1s(DOMAREA_VIRT, domarea_l1, 8);
    idle_l2[L2_SLOT(PERDOMAIN_VIRT)] = mk_pte(pa_of(idle_perdomain_l1) >> 12, PTE_TABLE);

    for (i = 0; i < 3; i++) {
        for (j = 0; j < 512; j++)
            identity_l2[i][j] = ((uint64_t)(i * 512 + j) << 21) | PTE_RW_NX | _PAGE_PSE;
        idle_l3[i] = pa_of(identity_l2[i]) | _PAGE_PRESENT;
    }
    idle_l3[3] = pa_of(idle_l2) | _PAGE_PRESENT;
    idle_l3_pa = pa_of(idle_l3);
}

void mm_init_perdomain_l1_table(uint64_t *l1)
{
    unsigned i;

    memset(l1, 0, 4096);
    for (i = 0; i < 14; i++)
        l1[i] = mk_pte(pa_of(zero_page) >> 12, PTE_RO_NX);
    l1[14] = mk_pte(desc_reserved_gdt_mfn(), PTE_RW_NX);
}

/* ---- frame table ----------------------------------------------------- */

static uint32_t highest_ram_frame(const struct boot_info *bi)
{
    uint64_t top = 0;
    uint32_t i;

    for (i = 0; i < bi->nr_mmap; i++)
        if (bi->mmap[i].type == MEM_USABLE && bi->mmap[i].base + bi->mmap[i].len > top)
            top = bi->mmap[i].base + bi->mmap[i].len;
    if (top > BOOT_IDENTITY_LIMIT) {            /* BOOT-2 */
        log_warn("mm: ignoring machine memory above 3 GiB\n");
        top = BOOT_IDENTITY_LIMIT;
    }
    return (uint32_t)(top >> 12);
}

static void owner_range(uint64_t start, uint64_t end, domid_t owner)
{
    uint64_t pfn;

    for (pfn = start >> 12; pfn < (end + 0xFFF) >> 12; pfn++)
        frame_set_owner_boot(&frame_table, (uint32_t)pfn, owner);
}

static void populate_frame_table(const struct boot_info *bi, uint32_t nr_frames)
{
    uint32_t i;
    uint64_t pfn;

    frame_table_init(&frame_table, (struct frame *)FRAMETABLE_VIRT, nr_frames);
    for (i = 0; i < bi->nr_mmap; i++) {
        const struct mem_region *r = &bi->mmap[i];
        if (r->type != MEM_USABLE)
            continue;
        /* Only whole frames, and nothing below 1 MiB (firmware's). */
        for (pfn = (r->base + 0xFFF) >> 12; pfn < (r->base + r->len) >> 12 && pfn < nr_frames; pfn++)
            if (pfn >= 256)
                frame_release_boot(&frame_table, (uint32_t)pfn);
    }
    for (i = 0; i < nr_reserved; i++)
        owner_range(reserved[i].start, reserved[i].end, DOMID_XEN);
}

/*
 * SMEP and SMAP guard the hypervisor (no executing or touching guest user
 * pages by accident), but ring 1 is a supervisor ring: left on, they would
 * stop a guest kernel from running or reading its own user-accessible
 * pages. So, as Xen does for 32-bit PV guests, entry.S turns them on when
 * the hypervisor is entered and off again on the way back to a guest. Each
 * is used when the CPU has it unless the command line says `smep=0` or
 * `smap=0` (BOOT-3); with neither in use the two CR4 values are equal and
 * entry.S never writes CR4 (PERF-1).
 */
uint32_t cr4_hypervisor, cr4_guest;
static bool smap_on;

static uint32_t cpuid7_ebx(void)
{
    uint32_t a, b, c, d;

    cpuid_count(0, 0, &a, &b, &c, &d);
    if (a < 7)
        return 0;
    cpuid_count(7, 0, &a, &b, &c, &d);
    return b;
}

static bool cpu_has_pge(void)
{
    uint32_t a, b, c, d;

    cpuid_count(1, 0, &a, &b, &c, &d);
    return (d & (1u << 13)) != 0;
}

static const char *use_word(bool has, bool wanted)
{
    return !has ? "absent" : wanted ? "on" : "off (command line)";
}

void mm_set_cr4(bool want_smep, bool want_smap)
{
    uint32_t ebx = cpuid7_ebx(), cr4 = read_cr4(), extra = 0;
    bool has_smep = (ebx & (1u << 7)) != 0, has_smap = (ebx & (1u << 20)) != 0;

    if (has_smep && want_smep)
        extra |= CR4_SMEP;
    if (has_smap && want_smap)
        extra |= CR4_SMAP;
    /* PERF-2: turning PGE on flushes the TLB once; it stays on */
    if (cpu_has_pge())
        cr4 |= CR4_PGE;
    smap_on = (extra & CR4_SMAP) != 0;
    cr4_guest = cr4 & ~(CR4_SMEP | CR4_SMAP);
    cr4_hypervisor = cr4_guest | extra;
    write_cr4(cr4_hypervisor);
    log_info("mm: SMEP %s, SMAP %s, global pages %s\n", use_word(has_smep, want_smep),
             use_word(has_smap, want_smap), cpu_has_pge() ? "on" : "absent");
}

void mm_cr4_changed(void)
{
    uint32_t cr4 = read_cr4();

    cr4_guest = cr4 & ~(CR4_SMEP | CR4_SMAP);
    cr4_hypervisor = cr4;
}

bool cpu_has_smap(void)
{
    return smap_on;
}

void mm_init(const struct boot_info *bi)
{
    uint32_t nr_frames = highest_ram_frame(bi), i;
    /* The audit's scratch counters live right after the frame table. */
    uint32_t ft_bytes = nr_frames * (uint32_t)sizeof(struct frame);
    uint32_t scratch_off = (ft_bytes + 4095) & ~4095u;
    uint32_t ft_pages = (scratch_off + nr_frames * (uint32_t)sizeof(struct pt_audit_count) + 4095) / 4096;
    uint32_t m2p_pages = (nr_frames * 4u + 4095) / 4096;
    uint32_t ft_mfn, m2p_mfn;

    if (nr_frames < 4096)
        panic("mm: at least 16 MiB of RAM is needed");      /* BOOT-2 */
    reserve((uint32_t)_image_start_pa, pa_of(_image_end));
    reserve(bi->info_start, bi->info_end);
    for (i = 0; i < bi->nr_mods; i++)
        reserve(bi->mods[i].start, bi->mods[i].end);
    ft_mfn = boot_alloc_chunk(bi, ft_pages);
    m2p_mfn = boot_alloc_chunk(bi, m2p_pages);

    build_idle_tables(ft_mfn, ft_pages, m2p_mfn, m2p_pages);
    write_cr3(idle_l3_pa);

    populate_frame_table(bi, nr_frames);
    audit_scratch = (struct pt_audit_count *)(FRAMETABLE_VIRT + scratch_off);
    m2p_table = (uint32_t *)M2P_RW_VIRT;
    memset(m2p_table, 0xFF, (size_t)nr_frames * 4);
    log_info("mm: %u MiB of RAM, %u frames free, frame table %u KiB, M2P %u KiB\n",
             nr_frames >> 8, frame_table.nr_free, ft_pages * 4, m2p_pages * 4);
}

void mm_end_boot(void)
{
    idle_l3[0] = idle_l3[1] = idle_l3[2] = 0;
    if (read_cr3() == idle_l3_pa)
        write_cr3(idle_l3_pa);
}

void mm_xen_l2_slots(uint64_t slots[XEN_L2_NR_SLOTS], uint32_t perdomain_l1_mfn)
{
    unsigned i;

    for (i = 0; i < XEN_L2_NR_SLOTS; i++)
        slots[i] = idle_l2[XEN_L2_FIRST_SLOT + i];
    slots[L2_SLOT(PERDOMAIN_VIRT) - XEN_L2_FIRST_SLOT] = mk_pte(perdomain_l1_mfn, PTE_TABLE);
}

uint32_t mm_zero_mfn(void)
{
    return pa_of(zero_page) >> 12;
}

void mm_load_cr3(uint32_t l3_mfn)
{
    write_cr3(l3_mfn << 12);
}

/*
 * The domain area: per domain record slot a fixed 64 KiB window of
 * hypervisor memory for the structures too big to keep for every possible
 * domain in the image (grant tables). Frames come from the allocator, belong to the
 * hypervisor, and go back when the domain's record is freed.
 */
void *mm_domain_area_alloc(uint32_t slot, uint32_t bytes)
{
    uint32_t pages = (bytes + 4095u) / 4096u, first = slot * (DOMAREA_PER_DOMAIN / 4096u), i, mfn;

    if (slot >= DOMAREA_SIZE / DOMAREA_PER_DOMAIN || pages > DOMAREA_PER_DOMAIN / 4096u)
        return NULL;
    for (i = 0; i < pages; i++) {
        if (frame_alloc(&frame_table, DOMID_XEN, &mfn)) {
            mm_domain_area_free(slot);
            return NULL;
        }
        domarea_l1[(first + i) / 512][(first + i) % 512] = mk_pte(mfn, PTE_RW_NX);
    }
    return (void *)(DOMAREA_VIRT + slot * DOMAREA_PER_DOMAIN);
}

void mm_domain_area_free(uint32_t slot)
{
    uint32_t first = slot * (DOMAREA_PER_DOMAIN / 4096u), i;

    if (slot >= DOMAREA_SIZE / DOMAREA_PER_DOMAIN)
        return;
    for (i = 0; i < DOMAREA_PER_DOMAIN / 4096u; i++) {
        uint64_t *e = &domarea_l1[(first + i) / 512][(first + i) % 512];
        if (!*e)
            continue;
        frame_free(&frame_table, pte_mfn(*e));
        *e = 0;
        invlpg(DOMAREA_VIRT + (first + i) * 4096u);
    }
}
