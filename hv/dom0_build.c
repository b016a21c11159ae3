/*
 * Building dom0 from the first boot module, the way Xen builds a pv32pae
 * dom0: the strict ELF front end (hv/core/elf_image.c) decides whether the
 * image is acceptable, the shared layout code (hv/core/boot_layout.c)
 * decides where everything goes, and this file only carries it out:
 * allocate the frames, copy the segments, write the module package, P2M,
 * start_info, page tables and hypercall page, then pin the L3 through the
 * same validation every guest page table goes through.
 *
 * A refused image stops the machine with one line saying why; nothing
 * here trusts the image beyond what elf_image_parse() guaranteed.
 */
#include "arch/layout.h"
#include "arch/mm.h"
#include "boot_layout.h"
#include "boot_module.h"
#include "dom0_build.h"
#include "domain.h"
#include "elf_bsdsym.h"
#include "elf_image.h"
#include "env.h"
#include "hypercall_page.h"
#include "pv/errno.h"
#include "machine.h"
#include "printk.h"
#include "pt_table.h"
#include "pv/arch_x86_32.h"
#include "pv/elfnote.h"
#include "pv/shared_info.h"
#include "pv/start_info.h"
#include "string.h"
#include "time.h"

#define MAX_DOM0_PAGES (1u << 18)       /* 1 GiB */

/*
 * Features a kernel may list as required ('!'). writable_page_tables is
 * accepted although Bulkhead has no writable-page-table emulation: XTF
 * and Linux both mark it required yet update their tables by hypercall;
 * a direct write to a page table simply faults (spec/elf-loader.md).
 */
#define BULKHEAD_REQUIRABLE_FEATURES \
    ((1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_pae_pgdir_above_4gb) | \
     (1u << XENFEAT_mmu_pt_update_preserve_ad) | (1u << XENFEAT_dom0))

static uint32_t dom0_p2m[MAX_DOM0_PAGES];

struct dom0_image {
    const uint8_t *bytes;
    uint32_t size;
    struct elf_image_info info;
    struct elf_bsdsym bsdsym;          /* the BSD_SYMTAB area, if any */
    struct boot_layout layout;
    uint32_t nr_pages;
    uint32_t package_len;
};

/* BOOT-8: one line and the refused-image status. */
static void refuse(const char *why)
{
    printk("Bulkhead: dom0 image refused: %s\n", why);
    machine_exit(EXIT_BAD_IMAGE);
}

/* ---- copying into dom0's pseudo-physical memory -------------------- */

static void write_pfn(uint32_t pfn, uint32_t offset, const void *src, uint32_t len)
{
    uint8_t *page = env_map_frame(dom0_p2m[pfn]);

    memcpy(page + offset, src, len);
    env_unmap_frame(page);
}

/* Copy `len` bytes to pseudo-physical byte address `pa`, page by page. */
static void write_phys(uint32_t pa, const void *src, uint32_t len)
{
    const uint8_t *from = src;

    while (len) {
        uint32_t off = pa % PAGE_SIZE, n = PAGE_SIZE - off;
        if (n > len)
            n = len;
        write_pfn(pa / PAGE_SIZE, off, from, n);
        pa += n;
        from += n;
        len -= n;
    }
}

/* ---- the module package (SIF_MULTIBOOT_MOD, BOOT-13) ---------------- */

static uint32_t package_header_len(const struct boot_info *bi)
{
    uint32_t len = bi->nr_mods * sizeof(struct xen_multiboot_mod_list), i;

    for (i = 1; i < bi->nr_mods; i++)
        len += strnlen(bi->mods[i].cmdline, MODULE_CMDLINE_MAX - 1) + 1;
    return (len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

static uint32_t package_len(const struct boot_info *bi)
{
    uint32_t len, i;

    if (bi->nr_mods < 2)
        return 0;
    len = package_header_len(bi);
    for (i = 1; i < bi->nr_mods; i++)
        len += (bi->mods[i].end - bi->mods[i].start + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    return len;
}

/* Descriptors (offsets from the package start), strings, then page-aligned data. */
static void write_package(const struct boot_info *bi, uint32_t base_pa)
{
    uint32_t desc_off = 0, str_off = bi->nr_mods * sizeof(struct xen_multiboot_mod_list);
    uint32_t data_off = package_header_len(bi), i;
    struct xen_multiboot_mod_list end = { 0, 0, 0, 0 };

    for (i = 1; i < bi->nr_mods; i++) {
        const struct boot_module *m = &bi->mods[i];
        uint32_t len = m->end - m->start, slen = strnlen(m->cmdline, MODULE_CMDLINE_MAX - 1) + 1;
        struct xen_multiboot_mod_list d = { data_off, data_off + len - 1, str_off, 0 };

        write_phys(base_pa + desc_off, &d, sizeof(d));
        write_phys(base_pa + str_off, m->cmdline, slen);
        write_phys(base_pa + data_off, (const void *)m->start, len);
        desc_off += sizeof(d);
        str_off += slen;
        data_off += (len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    }
    write_phys(base_pa + desc_off, &end, sizeof(end));
}

/* ---- the steps ------------------------------------------------------- */

static void parse_and_place(const struct boot_info *bi, const struct hv_options *opt,
                            struct dom0_image *img)
{
    struct boot_layout_req req;
    int rc;

    img->bytes = (const uint8_t *)bi->mods[0].start;   /* BOOT-4: module 0 */
    img->size = bi->mods[0].end - bi->mods[0].start;
    if (elf_image_parse(img->bytes, img->size, &img->info))
        refuse(img->info.reason);
    if (elf_bsdsym_plan(img->bytes, img->size, &img->info, &img->bsdsym))
        refuse(img->bsdsym.reason);
    if (img->info.features_required & ~BULKHEAD_REQUIRABLE_FEATURES)
        refuse("the kernel requires a Xen feature Bulkhead does not provide");
    /* BOOT-9: dom0_mem, at most 1 GiB and never more than is free. */
    img->nr_pages = (uint32_t)(opt->dom0_mem >> PAGE_SHIFT);
    if (img->nr_pages > MAX_DOM0_PAGES)
        img->nr_pages = MAX_DOM0_PAGES;
    if (img->nr_pages + 64 > frame_table.nr_free)
        refuse("dom0_mem is more than the free machine memory");
    img->package_len = package_len(bi);
    req.virt_base = img->info.virt_base;
    req.kernel_start = img->info.virt_kstart;
    /* ELF-35: the symbol area extends the kernel, as Xen's virt_kend. */
    req.kernel_end = img->bsdsym.present ? img->bsdsym.end : img->info.virt_kend;
    req.nr_pages = img->nr_pages;
    req.module_len = img->package_len;
    req.domU = false;
    rc = boot_layout_compute(&req, &img->layout);      /* BOOT-10 */
    if (rc == -ENOMEM)
        refuse("dom0_mem is too small for the image and its boot structures");
    if (rc)
        refuse("the boot layout would reach the hypervisor hole");
}

static void allocate_memory(struct domain *d, uint32_t nr_pages)
{
    uint32_t pfn, mfn;

    for (pfn = 0; pfn < nr_pages; pfn++) {
        if (frame_alloc(&frame_table, d->id, &mfn))
            panic("dom0 build: out of memory after the free-memory check");
        dom0_p2m[pfn] = mfn;
        m2p_table[mfn] = pfn;
    }
    d->tot_pages = nr_pages;
    d->max_pages = nr_pages;
}

/* Each segment, one destination page at a time, through the checked copier. */
static void load_segments(const struct dom0_image *img)
{
    uint32_t i;

    for (i = 0; i < img->info.nr_segs; i++) {
        const struct elf_segment *s = &img->info.seg[i];
        uint32_t at = 0;

        while (at < s->memsz) {
            uint32_t pa = s->vaddr - img->info.virt_base + at;
            uint32_t off = pa % PAGE_SIZE, len = PAGE_SIZE - off;
            uint8_t *page;

            if (len > s->memsz - at)
                len = s->memsz - at;
            page = env_map_frame(dom0_p2m[pa / PAGE_SIZE]);
            if (elf_image_load_chunk(&img->info, i, img->bytes, img->size, at, page + off, len))
                panic("dom0 build: segment %u does not match its checked description", i);
            env_unmap_frame(page);
            at += len;
        }
    }
}

/* The BSD_SYMTAB area right after the image, one destination page at a time. */
static void load_bsdsym(const struct dom0_image *img)
{
    const struct elf_bsdsym *b = &img->bsdsym;
    uint32_t at = 0;

    while (b->present && at < b->len) {
        uint32_t pa = b->start - img->info.virt_base + at;
        uint32_t off = pa % PAGE_SIZE, len = PAGE_SIZE - off;
        uint8_t *page;

        if (len > b->len - at)
            len = b->len - at;
        page = env_map_frame(dom0_p2m[pa / PAGE_SIZE]);
        if (elf_bsdsym_chunk(b, img->bytes, img->size, at, page + off, len))
            panic("dom0 build: the symbol area does not match its checked description");
        env_unmap_frame(page);
        at += len;
    }
}

static uint32_t pfn_va(const struct dom0_image *img, uint32_t pfn)
{
    return img->info.virt_base + pfn * PAGE_SIZE;
}

/* BOOT-11: the entries as Xen's builder writes them (boot_layout_pt_entry). */
static void write_page_tables(const struct boot_layout *l)
{
    uint32_t t, s;

    for (t = 0; t < l->nr_pt_frames; t++) {
        uint64_t *table = env_map_frame(dom0_p2m[l->pt_pfn + t]);
        for (s = 0; s < 512; s++)
            table[s] = boot_layout_pt_entry(l, dom0_p2m, t, s);
        env_unmap_frame(table);
    }
}

/* BOOT-12, BOOT-13 (SIF_MULTIBOOT_MOD). */
static void write_start_info(struct domain *d, const struct boot_info *bi,
                             const struct dom0_image *img)
{
    const struct boot_layout *l = &img->layout;
    struct start_info *si = env_map_frame(dom0_p2m[l->start_info_pfn]);

    memcpy(si->magic, PV_START_INFO_MAGIC, sizeof(PV_START_INFO_MAGIC));
    si->nr_pages = img->nr_pages;
    si->shared_info = d->shared_info_mfn << PAGE_SHIFT;
    si->flags = SIF_PRIVILEGED | SIF_INITDOMAIN;
    si->pt_base = pfn_va(img, l->pt_pfn);
    si->nr_pt_frames = l->nr_pt_frames;
    si->mfn_list = pfn_va(img, l->p2m_pfn);
    if (img->package_len) {
        si->flags |= SIF_MULTIBOOT_MOD;
        si->mod_start = pfn_va(img, l->module_pfn);
        si->mod_len = img->package_len;
    }
    memcpy(si->cmd_line, bi->mods[0].cmdline, strnlen(bi->mods[0].cmdline, MAX_GUEST_CMDLINE - 1));
    env_unmap_frame(si);
}

/* BOOT-15 */
static void write_hypercall_page(const struct dom0_image *img)
{
    uint32_t pfn;
    void *page;

    if (img->info.hypercall_page == ELF_NO_HYPERCALL_PAGE)
        return;
    pfn = (img->info.hypercall_page - img->info.virt_base) / PAGE_SIZE;
    page = env_map_frame(dom0_p2m[pfn]);
    hypercall_page_fill(page);
    env_unmap_frame(page);
}

/* BOOT-14 */
static void set_initial_registers(struct domain *d, const struct dom0_image *img)
{
    struct cpu_regs *r = &d->vcpu.regs;
    uint32_t stack_top = pfn_va(img, img->layout.stack_pfn + 1);

    memset(r, 0, sizeof(*r));
    r->eip = img->info.entry;
    r->esi = pfn_va(img, img->layout.start_info_pfn);
    r->esp = stack_top;
    r->cs = FLAT_RING1_CS;
    r->ss = r->ds = r->es = r->fs = r->gs = FLAT_RING1_DS;
    r->eflags = 0x202;
    d->vcpu.trap.kernel_ss = FLAT_RING1_DS;
    d->vcpu.trap.kernel_sp = stack_top;
}

/*
 * BOOT-13: the boot modules' frames are freed once copied; BOOT-4 (checked
 * when the loader's block was read) makes every one of them the module's.
 */
static void release_modules(const struct boot_info *bi)
{
    uint32_t i, pfn, first, end;

    for (i = 0; i < bi->nr_mods; i++) {
        boot_module_frames(bi->mods[i].start, bi->mods[i].end, &first, &end);
        for (pfn = first; pfn < end; pfn++)
            frame_free(&frame_table, pfn);
    }
}

void dom0_build(const struct boot_info *bi, const struct hv_options *opt)
{
    static struct dom0_image img;
    struct domain *d;
    uint32_t l3;
    int rc;

    parse_and_place(bi, opt, &img);
    d = domain_create(0, "dom0", true, &rc);
    if (!d)
        panic("dom0 build: cannot create the domain (%d)", rc);
    allocate_memory(d, img.nr_pages);
    load_segments(&img);
    load_bsdsym(&img);
    if (img.package_len)
        write_package(bi, img.layout.module_pfn * PAGE_SIZE);
    write_phys(img.layout.p2m_pfn * PAGE_SIZE, dom0_p2m, img.nr_pages * 4);
    write_start_info(d, bi, &img);
    write_page_tables(&img.layout);
    write_hypercall_page(&img);

    /* BOOT-11: the L3 is pinned through the same validation as any guest's. */
    l3 = dom0_p2m[img.layout.pt_pfn];
    rc = pt_pin_table(&d->pt, l3, PGT_L3);
    if (rc)
        panic("dom0 build: the bootstrap page tables did not validate (%d)", rc);
    rc = pt_set_baseptr(&d->pt, l3);
    if (rc)
        panic("dom0 build: cannot install the bootstrap L3 (%d)", rc);
    set_initial_registers(d, &img);
    time_domain_start(d);
    release_modules(bi);
    log_info("dom0: %u MiB, entry %08x, start_info %08x, %u page-table frames, v_end %08x\n",
             img.nr_pages >> 8, img.info.entry, d->vcpu.regs.esi, img.layout.nr_pt_frames,
             img.layout.v_end);
}
