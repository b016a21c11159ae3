/*
 * Building a guest (see builder.h): parse and place, create the domain,
 * populate its memory, then write each page that needs content through a
 * foreign mapping — the image, the P2M, start_info, the page tables —
 * and hand the vCPU context to the hypervisor, which pins and validates
 * the page tables before anything can run. Any failure destroys the half
 * built domain, so nothing leaks.
 */
#include "boot_layout.h"
#include "builder.h"
#include "ctl.h"
#include "dev_setup.h"
#include "elf_bsdsym.h"
#include "elf_image.h"
#include "foreign.h"
#include "guest.h"
#include "pv/arch_x86_32.h"
#include "pv/elfnote.h"
#include "pv/errno.h"

#define MAX_GUEST_PAGES (1u << 18)

/* Features a kernel may require (the hypervisor's dom0 loader agrees). */
#define REQUIRABLE_FEATURES \
    ((1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_pae_pgdir_above_4gb) | \
     (1u << XENFEAT_mmu_pt_update_preserve_ad))

struct build {
    const struct guest_config *cfg;
    const struct module *kernel;
    struct elf_image_info info;
    struct elf_bsdsym bsdsym;          /* the BSD_SYMTAB area, if any */
    struct boot_layout layout;
    domid_t domid;
    uint32_t shared_info_mfn;
    struct dev_ports ports;
    char *why;
};

static uint32_t p2m[MAX_GUEST_PAGES];
static struct vcpu_guest_context vcpu_ctx;

static int refuse(struct build *b, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int refuse(struct build *b, int err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(b->why, BUILD_ERROR_LEN, fmt, ap);
    va_end(ap);
    return err;
}

/* The fewest pages the layout fits in (req.nr_pages does not), or 0 if even the limit does not. */
static uint32_t pages_needed(struct boot_layout_req req)
{
    struct boot_layout l;
    uint32_t fits = MAX_GUEST_PAGES, short_of = req.nr_pages;

    req.nr_pages = fits;
    if (boot_layout_compute(&req, &l))
        return 0;
    while (fits - short_of > 1) {       /* more pages never make the layout fit worse */
        req.nr_pages = short_of + (fits - short_of) / 2u;
        if (boot_layout_compute(&req, &l))
            short_of = req.nr_pages;
        else
            fits = req.nr_pages;
    }
    return fits;
}

static int parse_and_place(struct build *b)
{
    struct boot_layout_req req;
    int rc;

    if (b->cfg->pages > MAX_GUEST_PAGES)
        return refuse(b, -EINVAL, "memory %u MiB is above the builder's limit of %u MiB",
                      b->cfg->pages / 256u, MAX_GUEST_PAGES / 256u);
    rc = elf_image_parse(b->kernel->data, b->kernel->len, &b->info);
    if (rc)
        return refuse(b, rc, "%s", b->info.reason);
    if (b->info.features_required & ~REQUIRABLE_FEATURES)
        return refuse(b, -EINVAL, "the kernel requires a Xen feature Bulkhead does not provide");
    rc = elf_bsdsym_plan(b->kernel->data, b->kernel->len, &b->info, &b->bsdsym);
    if (rc)
        return refuse(b, rc, "%s", b->bsdsym.reason);
    req.virt_base = b->info.virt_base;
    req.kernel_start = b->info.virt_kstart;
    /* ELF-35: the symbol area extends the kernel, as Xen's virt_kend. */
    req.kernel_end = b->bsdsym.present ? b->bsdsym.end : b->info.virt_kend;
    req.nr_pages = b->cfg->pages;
    req.module_len = 0;
    req.domU = true;
    rc = boot_layout_compute(&req, &b->layout);
    if (rc == -ENOMEM)
        return refuse(b, rc, "memory too small for the image and its boot structures "
                      "(it has %u KiB, needs at least %u KiB)", b->cfg->pages * 4u,
                      pages_needed(req) * 4u);
    if (rc)
        return refuse(b, rc, "the boot layout would reach the hypervisor hole");
    return 0;
}

/* Write into pseudo-physical page `pfn` of the guest, at `off`. */
static int write_page(struct build *b, uint32_t pfn, uint32_t off, const void *src, uint32_t len)
{
    int err;
    uint8_t *page = foreign_map(b->domid, p2m[pfn], &err);

    if (!page)
        return err;
    memcpy(page + off, src, len);
    foreign_unmap(page);
    return 0;
}

static int load_image(struct build *b)
{
    static uint8_t chunk[4096];
    uint32_t i;

    for (i = 0; i < b->info.nr_segs; i++) {
        const struct elf_segment *s = &b->info.seg[i];
        uint32_t at = 0;

        while (at < s->memsz) {
            uint32_t pa = s->vaddr - b->info.virt_base + at;
            uint32_t off = pa % 4096u, len = 4096u - off;
            int rc;

            if (len > s->memsz - at)
                len = s->memsz - at;
            if (elf_image_load_chunk(&b->info, i, b->kernel->data, b->kernel->len, at, chunk, len))
                return refuse(b, -ENOEXEC, "segment does not match its checked description");
            rc = write_page(b, pa / 4096u, off, chunk, len);
            if (rc)
                return refuse(b, rc, "cannot map the guest's memory");
            at += len;
        }
    }
    return 0;
}

/* The BSD_SYMTAB area right after the image, one destination page at a time. */
static int load_bsdsym(struct build *b)
{
    static uint8_t chunk[4096];
    const struct elf_bsdsym *s = &b->bsdsym;
    uint32_t at = 0;

    while (s->present && at < s->len) {
        uint32_t pa = s->start - b->info.virt_base + at;
        uint32_t off = pa % 4096u, len = 4096u - off;
        int rc;

        if (len > s->len - at)
            len = s->len - at;
        if (elf_bsdsym_chunk(s, b->kernel->data, b->kernel->len, at, chunk, len))
            return refuse(b, -ENOEXEC, "symbol area does not match its checked description");
        rc = write_page(b, pa / 4096u, off, chunk, len);
        if (rc)
            return refuse(b, rc, "cannot map the guest's memory");
        at += len;
    }
    return 0;
}

static int write_p2m(struct build *b)
{
    uint32_t done = 0;

    while (done < b->cfg->pages) {
        uint32_t n = b->cfg->pages - done > 1024 ? 1024 : b->cfg->pages - done;
        int rc = write_page(b, b->layout.p2m_pfn + done / 1024, 0, &p2m[done], n * 4);
        if (rc)
            return refuse(b, rc, "cannot write the P2M");
        done += n;
    }
    return 0;
}

static uint32_t pfn_va(const struct build *b, uint32_t pfn)
{
    return b->info.virt_base + pfn * 4096u;
}

static int write_start_info(struct build *b)
{
    static struct start_info si;
    const struct boot_layout *l = &b->layout;

    memset(&si, 0, sizeof(si));
    memcpy(si.magic, PV_START_INFO_MAGIC, sizeof(PV_START_INFO_MAGIC));
    si.nr_pages = b->cfg->pages;
    si.shared_info = b->shared_info_mfn << 12;
    si.store_mfn = p2m[l->store_pfn];
    si.store_evtchn = b->ports.store;
    si.console.domU.mfn = p2m[l->console_pfn];
    si.console.domU.evtchn = b->ports.console;
    si.pt_base = pfn_va(b, l->pt_pfn);
    si.nr_pt_frames = l->nr_pt_frames;
    si.mfn_list = pfn_va(b, l->p2m_pfn);
    /* DEV-2: the configuration's command line alone; devices are in the store */
    snprintf((char *)si.cmd_line, sizeof(si.cmd_line), "%s", b->cfg->cmdline);
    if (write_page(b, l->start_info_pfn, 0, &si, sizeof(si)))
        return refuse(b, -EFAULT, "cannot write start_info");
    return 0;
}

static int write_page_tables(struct build *b)
{
    static uint64_t table[512];
    const struct boot_layout *l = &b->layout;
    uint32_t t, s;

    for (t = 0; t < l->nr_pt_frames; t++) {
        for (s = 0; s < 512; s++)
            table[s] = boot_layout_pt_entry(l, p2m, t, s);
        if (write_page(b, l->pt_pfn + t, 0, table, sizeof(table)))
            return refuse(b, -EFAULT, "cannot write the page tables");
    }
    return 0;
}

static int set_context(struct build *b)
{
    struct cpu_user_regs *r = &vcpu_ctx.user_regs;
    uint32_t stack_top = pfn_va(b, b->layout.stack_pfn + 1);
    int rc;

    memset(&vcpu_ctx, 0, sizeof(vcpu_ctx));
    vcpu_ctx.flags = VGCF_in_kernel | VGCF_online;
    r->eip = b->info.entry;
    r->esi = pfn_va(b, b->layout.start_info_pfn);
    r->esp = stack_top;
    r->cs = FLAT_RING1_CS;
    r->ss = r->ds = r->es = r->fs = r->gs = FLAT_RING1_DS;
    r->eflags = 0x200;
    vcpu_ctx.kernel_ss = FLAT_RING1_DS;
    vcpu_ctx.kernel_sp = stack_top;
    vcpu_ctx.ctrlreg[3] = xen_pfn_to_cr3(p2m[b->layout.pt_pfn]);
    rc = ctl_set_context(b->domid, &vcpu_ctx);
    return rc ? refuse(b, rc, "the hypervisor refused the page tables or the vCPU context") : 0;
}

static int populate(struct build *b)
{
    struct xen_domctl_getdomaininfo info;
    uint32_t i;
    int rc;

    for (i = 0; i < b->cfg->pages; i++)
        p2m[i] = i;
    rc = ctl_populate(b->domid, p2m, b->cfg->pages);
    if (rc != (int)b->cfg->pages) {
        struct xen_sysctl_physinfo pi;
        memset(&pi, 0, sizeof(pi));
        ctl_physinfo(&pi);
        return refuse(b, rc < 0 ? rc : -ENOMEM, "not enough free machine memory: it needs %u KiB, "
                      "%u KiB were free", b->cfg->pages * 4u, pi.free_pages * 4u + (rc > 0 ? (uint32_t)rc * 4u : 0));
    }
    rc = ctl_info(b->domid, &info);
    if (rc || info.domain != b->domid)
        return refuse(b, -ESRCH, "the new domain disappeared");
    b->shared_info_mfn = info.shared_info_frame;
    return 0;
}

static int setup_devices(struct build *b)
{
    const char *what = NULL;
    int rc = dev_setup(b->domid, p2m[b->layout.console_pfn], p2m[b->layout.store_pfn],
                       &b->ports, &what);

    return rc ? refuse(b, rc, "%s", what) : 0;
}

static int attach_backends(struct build *b)
{
    return backends_attach(b->domid, b->cfg, &b->ports, b->why, BUILD_ERROR_LEN);
}

/*
 * DEV-19: the backends are served between the steps, so guests built a
 * moment ago keep being answered while a script builds many in a row.
 */
static int build_steps(struct build *b)
{
    int rc = populate(b);

    backends_poll();
    if (!rc)
        rc = setup_devices(b);
    if (!rc)
        rc = load_image(b);
    if (!rc)
        rc = load_bsdsym(b);
    backends_poll();
    if (!rc)
        rc = write_p2m(b);
    if (!rc)
        rc = write_start_info(b);
    if (!rc)
        rc = write_page_tables(b);
    if (!rc && b->info.hypercall_page != ELF_NO_HYPERCALL_PAGE) {
        rc = ctl_hypercall_init(b->domid, p2m[(b->info.hypercall_page - b->info.virt_base) / 4096u]);
        if (rc)
            refuse(b, rc, "cannot fill the hypercall page");
    }
    if (!rc)
        rc = set_context(b);
    if (!rc)
        rc = attach_backends(b);
    return rc;
}

static uint32_t nr_domains(void)
{
    struct xen_sysctl_physinfo pi;

    memset(&pi, 0, sizeof(pi));
    ctl_physinfo(&pi);
    return pi.nr_domains;
}

int destroy_guest(domid_t domid)
{
    ctl_pause(domid);           /* fails harmlessly if it already stopped */
    backends_detach(domid);     /* our mappings of its pages first, or it lingers as dying */
    return ctl_destroy(domid);
}

int build_guest(const struct guest_config *cfg, const struct module *kernel,
                domid_t *domid, char why[BUILD_ERROR_LEN])
{
    struct build b;
    int rc;

    memset(&b, 0, sizeof(b));
    b.cfg = cfg;
    b.kernel = kernel;
    b.why = why;
    why[0] = '\0';
    rc = foreign_init();
    if (rc)
        return refuse(&b, rc, "cannot set up the foreign-mapping window");
    rc = parse_and_place(&b);
    if (rc)
        return rc;
    rc = ctl_create(cfg->name, cfg->pages, cfg->weight, &b.domid);
    if (rc == -ENOSPC)
        return refuse(&b, rc, "every domain record is taken (%u domains)", nr_domains());
    if (rc == -ENOMEM)
        return refuse(&b, rc, "memory above the machine's (%u KiB)", cfg->pages * 4u);
    if (rc)
        return refuse(&b, rc, "the hypervisor refused to create the domain");
    rc = build_steps(&b);
    if (rc) {
        destroy_guest(b.domid);
        return rc;
    }
    *domid = b.domid;
    return 0;
}
