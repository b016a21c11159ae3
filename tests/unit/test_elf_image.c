/*
 * Unit tests for hv/core/elf_image.c (rules ELF-1 .. ELF-31 of
 * spec/elf-loader.md).
 *
 * Images are built here by a small ELF writer: one or more PT_LOAD
 * segments, Xen notes in a PT_NOTE segment, in an SHT_NOTE section, or the
 * legacy __xen_guest section. Each accepted variant is checked field by
 * field; each refusal case carries the rule ID it exercises and checks the
 * exact error code and reason string. A seeded mutation loop then feeds
 * thousands of damaged images (each in a buffer of exactly its size, so
 * ASan sees any read past the end) and checks that every accepted result
 * keeps the guarantees of elf_info_ok().
 */
#include <stdlib.h>

#include "check.h"
#include "elf_image.h"
#include "pv/elfnote.h"

#define IMG_SIZE   0x3000u
#define OFF_PHDR   52u
#define OFF_NOTES  0x200u
#define NOTES_MAX  0x600u
#define OFF_SHDR   0x800u
#define OFF_STRTAB 0xA00u
#define OFF_LEGACY 0xB00u
#define OFF_TEXT   0x1000u

#define PT_NULL 0u
#define PT_LOAD 1u
#define PT_NOTE 4u
#define SHT_PROGBITS 1u
#define SHT_STRTAB 3u
#define SHT_NOTE 7u

struct tb {
    uint8_t b[IMG_SIZE];
    uint32_t size;
    uint32_t phnum;
    uint32_t notes_len;
    uint32_t shnum;
    uint32_t str_len;
};

/* ---- A tiny ELF writer ------------------------------------------------- */

static void put16(struct tb *t, uint32_t off, uint32_t v)
{
    t->b[off] = (uint8_t)v;
    t->b[off + 1] = (uint8_t)(v >> 8);
}

static void put32(struct tb *t, uint32_t off, uint32_t v)
{
    put16(t, off, v & 0xFFFF);
    put16(t, off + 2, v >> 16);
}

static void tb_init(struct tb *t, uint32_t entry)
{
    uint32_t i;

    memset(t, 0, sizeof(*t));
    t->size = IMG_SIZE;
    memcpy(t->b, "\177ELF", 4);
    t->b[4] = 1;                    /* ELFCLASS32 */
    t->b[5] = 1;                    /* ELFDATA2LSB */
    t->b[6] = 1;                    /* EV_CURRENT */
    put16(t, 16, 2);                /* ET_EXEC */
    put16(t, 18, 3);                /* EM_386 */
    put32(t, 20, 1);                /* e_version */
    put32(t, 24, entry);
    put32(t, 28, OFF_PHDR);
    put16(t, 40, 52);
    put16(t, 42, 32);
    put16(t, 46, 40);
    for (i = OFF_TEXT; i < IMG_SIZE; i++)
        t->b[i] = (uint8_t)(i * 7 + 3);
}

static uint32_t ph_off(uint32_t i)
{
    return OFF_PHDR + i * 32;
}

static void tb_phdr(struct tb *t, uint32_t type, uint32_t off, uint32_t paddr,
                    uint32_t filesz, uint32_t memsz)
{
    uint32_t p = ph_off(t->phnum++);

    put32(t, p, type);
    put32(t, p + 4, off);
    put32(t, p + 8, paddr);
    put32(t, p + 12, paddr);
    put32(t, p + 16, filesz);
    put32(t, p + 20, memsz);
    put32(t, p + 24, 7);
    put32(t, p + 28, 0x1000);
    put16(t, 44, t->phnum);
}

static void tb_bytes(struct tb *t, const void *p, uint32_t n)
{
    memcpy(t->b + OFF_NOTES + t->notes_len, p, n);
    t->notes_len += (n + 3) & ~3u;
}

static void tb_note_raw(struct tb *t, const char *name, uint32_t namesz, uint32_t type,
                        const void *desc, uint32_t descsz)
{
    uint8_t hdr[12];

    hdr[0] = (uint8_t)namesz; hdr[1] = hdr[2] = hdr[3] = 0;
    hdr[4] = (uint8_t)descsz; hdr[5] = (uint8_t)(descsz >> 8); hdr[6] = hdr[7] = 0;
    hdr[8] = (uint8_t)type; hdr[9] = hdr[10] = hdr[11] = 0;
    tb_bytes(t, hdr, 12);
    tb_bytes(t, name, namesz);
    tb_bytes(t, desc, descsz);
}

static void tb_note_str(struct tb *t, uint32_t type, const char *s)
{
    tb_note_raw(t, "Xen", 4, type, s, (uint32_t)strlen(s) + 1);
}

static void tb_note_num(struct tb *t, uint32_t type, uint32_t v)
{
    uint8_t d[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

    tb_note_raw(t, "Xen", 4, type, d, 4);
}

static void tb_note_num8(struct tb *t, uint32_t type, uint64_t v)
{
    uint8_t d[8];
    int k;

    for (k = 0; k < 8; k++)
        d[k] = (uint8_t)(v >> (8 * k));
    tb_note_raw(t, "Xen", 4, type, d, 8);
}

static void tb_pt_note(struct tb *t)
{
    tb_phdr(t, PT_NOTE, OFF_NOTES, 0, t->notes_len, t->notes_len);
}

/* Sections: 0 is null, 1 is .shstrtab; tb_section() appends more. */
static uint32_t tb_section(struct tb *t, const char *name, uint32_t type,
                           uint32_t off, uint32_t size)
{
    uint32_t s;

    if (t->shnum == 0) {
        t->shnum = 2;
        t->str_len = 1;
        put32(t, 32, OFF_SHDR);
        put16(t, 50, 1);
        s = OFF_SHDR + 40;
        put32(t, s, t->str_len);
        memcpy(t->b + OFF_STRTAB + t->str_len, ".shstrtab", 10);
        t->str_len += 10;
        put32(t, s + 4, SHT_STRTAB);
        put32(t, s + 16, OFF_STRTAB);
    }
    s = OFF_SHDR + t->shnum * 40;
    put32(t, s, t->str_len);
    memcpy(t->b + OFF_STRTAB + t->str_len, name, strlen(name) + 1);
    t->str_len += (uint32_t)strlen(name) + 1;
    put32(t, s + 4, type);
    put32(t, s + 16, off);
    put32(t, s + 20, size);
    put32(t, OFF_SHDR + 40 + 20, t->str_len);
    t->shnum++;
    put16(t, 48, t->shnum);
    return t->shnum - 1;
}

static void tb_legacy(struct tb *t, const char *s)
{
    uint32_t n = (uint32_t)strlen(s) + 1;

    memcpy(t->b + OFF_LEGACY, s, n);
    tb_section(t, "__xen_guest", SHT_PROGBITS, OFF_LEGACY, n);
}

/* ---- The valid images -------------------------------------------------- */

/* Like an XTF pv32pae test kernel: linked at 1 MiB, no VIRT_BASE. */
static void xtf_load(struct tb *t)
{
    tb_init(t, 0x100000);
    tb_phdr(t, PT_LOAD, OFF_TEXT, 0x100000, 0x1000, 0x3000);
}

static void xtf_notes(struct tb *t)
{
    tb_note_str(t, XEN_ELFNOTE_GUEST_OS, "XTF");
    tb_note_str(t, XEN_ELFNOTE_GUEST_VERSION, "0");
    tb_note_str(t, XEN_ELFNOTE_LOADER, "generic");
    tb_note_num(t, XEN_ELFNOTE_HYPERCALL_PAGE, 0x101000);
    tb_note_str(t, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    tb_note_str(t, XEN_ELFNOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb");
    tb_note_str(t, XEN_ELFNOTE_PAE_MODE, "yes");
}

static void build_xtf(struct tb *t)
{
    xtf_load(t);
    xtf_notes(t);
    tb_pt_note(t);
}

/* Like a Linux kernel: high VIRT_BASE, two segments, notes in a section. */
static void build_linux(struct tb *t)
{
    tb_init(t, 0x1000000);
    tb_phdr(t, PT_LOAD, OFF_TEXT, 0x1000000, 0x1000, 0x1000);
    tb_phdr(t, PT_LOAD, OFF_TEXT + 0x1000, 0x1002000, 0x800, 0x4000);
    tb_note_str(t, XEN_ELFNOTE_GUEST_OS, "linux");
    tb_note_str(t, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    tb_note_num(t, XEN_ELFNOTE_VIRT_BASE, 0xC0000000);
    tb_note_num(t, XEN_ELFNOTE_PADDR_OFFSET, 0);
    tb_note_num(t, XEN_ELFNOTE_ENTRY, 0xC1000010);
    tb_note_num8(t, XEN_ELFNOTE_HYPERCALL_PAGE, 0xC1000000);
    tb_note_num(t, XEN_ELFNOTE_HV_START_LOW, 0xF5800000);
    tb_note_str(t, XEN_ELFNOTE_PAE_MODE, "yes,bimodal");
    tb_note_str(t, XEN_ELFNOTE_FEATURES, "writable_descriptor_tables|auto_translated_physmap|!dom0");
    tb_note_num(t, XEN_ELFNOTE_SUPPORTED_FEATURES, 0x20);
    tb_note_str(t, XEN_ELFNOTE_BSD_SYMTAB, "yes");
    tb_section(t, ".note.Xen", SHT_NOTE, OFF_NOTES, t->notes_len);
}

/* An old kernel with the legacy __xen_guest string. */
static void build_legacy(struct tb *t)
{
    tb_init(t, 0xC0100000);
    tb_phdr(t, PT_LOAD, OFF_TEXT, 0xC0100000, 0x2000, 0x2000);
    tb_legacy(t, "GUEST_OS=linux,GUEST_VER=2.6,XEN_VER=xen-3.0,VIRT_BASE=0xC0000000,"
                 "ELF_PADDR_OFFSET=0xC0000000,HYPERCALL_PAGE=0x101,"
                 "PAE=yes[extended-cr3],LOADER=generic,BSD_SYMTAB,UNKNOWN_KEY=1");
}

static int parse(const struct tb *t, struct elf_image_info *info)
{
    uint8_t *copy = malloc(t->size ? t->size : 1);
    int rc;

    memcpy(copy, t->b, t->size);
    rc = elf_image_parse(copy, t->size, info);
    free(copy);
    return rc;
}

/* The guarantees of elf_info_ok(), checked on an accepted result. */
static int info_ok(const struct elf_image_info *info, uint32_t size)
{
    uint32_t i, j;

    if (info->nr_segs < 1 || info->nr_segs > ELF_MAX_SEGS || info->reason)
        return 0;
    for (i = 0; i < info->nr_segs; i++) {
        const struct elf_segment *s = &info->seg[i];

        if (s->memsz == 0 || s->filesz > s->memsz ||
            (uint64_t)s->offset + s->filesz > size ||
            (uint64_t)s->vaddr + s->memsz > HYPERVISOR_VIRT_START ||
            s->vaddr < info->virt_kstart || s->vaddr + s->memsz > info->virt_kend)
            return 0;
        for (j = 0; j < i; j++) {
            const struct elf_segment *r = &info->seg[j];

            if (!(r->vaddr + r->memsz <= s->vaddr || s->vaddr + s->memsz <= r->vaddr))
                return 0;
        }
    }
    if (info->virt_base > info->virt_kstart || info->virt_kstart >= info->virt_kend ||
        info->virt_kend > HYPERVISOR_VIRT_START ||
        info->entry < info->virt_kstart || info->entry >= info->virt_kend)
        return 0;
    if (info->hypercall_page != ELF_NO_HYPERCALL_PAGE &&
        (info->hypercall_page % 4096 != 0 || info->hypercall_page < info->virt_kstart ||
         (uint64_t)info->hypercall_page + 4096 > info->virt_kend))
        return 0;
    if (info->pae == ELF_PAE_NONE || info->guest_os[ELF_GUEST_OS_LEN - 1] != 0)
        return 0;
    if ((info->features_required & ~info->features_supported) != 0)
        return 0;
    return 1;
}

/* ---- Accepted images ---------------------------------------------------- */

static void test_xtf(void)
{
    struct tb t;
    struct elf_image_info info;

    build_xtf(&t);
    CHECK_EQ(parse(&t, &info), 0);
    CHECK(info_ok(&info, t.size));
    CHECK(info.reason == NULL);
    CHECK_EQ(info.entry, 0x100000);
    CHECK_EQ(info.virt_base, 0);
    CHECK_EQ(info.paddr_offset, 0);
    CHECK_EQ(info.virt_kstart, 0x100000);
    CHECK_EQ(info.virt_kend, 0x103000);
    CHECK_EQ(info.hypercall_page, 0x101000);
    CHECK_EQ(info.nr_segs, 1);
    CHECK_EQ(info.seg[0].offset, OFF_TEXT);
    CHECK_EQ(info.seg[0].filesz, 0x1000);
    CHECK_EQ(info.seg[0].memsz, 0x3000);
    CHECK_EQ(info.seg[0].vaddr, 0x100000);
    CHECK_EQ(info.pae, ELF_PAE_EXTCR3);
    CHECK_EQ(info.features_supported, (1u << XENFEAT_writable_page_tables) |
                                      (1u << XENFEAT_pae_pgdir_above_4gb));
    CHECK_EQ(info.features_required, 1u << XENFEAT_writable_page_tables);
    CHECK(strcmp(info.guest_os, "XTF") == 0);
    CHECK(info.loader_generic);
    CHECK(info.xen_version_ok);
    CHECK(!info.legacy);
    CHECK(!info.bsd_symtab);
}

static void test_linux_sections(void)
{
    struct tb t;
    struct elf_image_info info;

    build_linux(&t);
    CHECK_EQ(parse(&t, &info), 0);
    CHECK(info_ok(&info, t.size));
    CHECK_EQ(info.virt_base, 0xC0000000);
    CHECK_EQ(info.paddr_offset, 0);
    CHECK_EQ(info.entry, 0xC1000010);
    CHECK_EQ(info.nr_segs, 2);
    CHECK_EQ(info.seg[0].vaddr, 0xC1000000);
    CHECK_EQ(info.seg[1].vaddr, 0xC1002000);
    CHECK_EQ(info.seg[1].filesz, 0x800);
    CHECK_EQ(info.virt_kstart, 0xC1000000);
    CHECK_EQ(info.virt_kend, 0xC1006000);
    CHECK_EQ(info.hypercall_page, 0xC1000000);
    CHECK_EQ(info.pae, ELF_PAE_BIMODAL);
    CHECK_EQ(info.features_supported, 0x20u | (1u << 1) | (1u << 2) | (1u << 11));
    CHECK_EQ(info.features_required, 1u << 11);
    CHECK(strcmp(info.guest_os, "linux") == 0);
    CHECK(!info.loader_generic);
    CHECK(info.bsd_symtab);
}

static void test_legacy(void)
{
    struct tb t;
    struct elf_image_info info;

    build_legacy(&t);
    CHECK_EQ(parse(&t, &info), 0);
    CHECK(info_ok(&info, t.size));
    CHECK(info.legacy);
    CHECK_EQ(info.virt_base, 0xC0000000);
    CHECK_EQ(info.paddr_offset, 0xC0000000);
    CHECK_EQ(info.seg[0].vaddr, 0xC0100000);
    CHECK_EQ(info.entry, 0xC0100000);
    CHECK_EQ(info.hypercall_page, 0xC0101000);
    CHECK_EQ(info.pae, ELF_PAE_EXTCR3);
    CHECK(info.bsd_symtab);
    CHECK(info.loader_generic);
    CHECK(strcmp(info.guest_os, "linux") == 0);

    /* PAE=yes (no extended cr3), PADDR_OFFSET defaulting to VIRT_BASE. */
    tb_init(&t, 0xC0100000);
    tb_phdr(&t, PT_LOAD, OFF_TEXT, 0xC0100000, 0x1000, 0x1000);
    tb_legacy(&t, "XEN_VER=xen-3.0.4,GUEST_OS=linux,VIRT_BASE=3221225472,PAE=yes");
    CHECK_EQ(parse(&t, &info), 0);
    CHECK_EQ(info.pae, ELF_PAE_YES);
    CHECK_EQ(info.paddr_offset, 0xC0000000);
    CHECK_EQ(info.hypercall_page, ELF_NO_HYPERCALL_PAGE);
    CHECK(!info.bsd_symtab);
}

/* Accepted corner cases, each one step from a refusal. */
static void test_accepted_edges(void)
{
    struct tb t;
    struct elf_image_info info;

    /* ELF-27 edge: a segment ending exactly at HYPERVISOR_VIRT_START. */
    tb_init(&t, 0xF57FD000);
    tb_phdr(&t, PT_LOAD, OFF_TEXT, 0xF57FD000, 0x1000, 0x3000);
    tb_note_str(&t, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    tb_note_str(&t, XEN_ELFNOTE_LOADER, "generic");
    tb_note_str(&t, XEN_ELFNOTE_PAE_MODE, "bimodal");
    tb_note_num(&t, XEN_ELFNOTE_HYPERCALL_PAGE, 0xF57FF000);
    tb_pt_note(&t);
    CHECK_EQ(parse(&t, &info), 0);
    CHECK_EQ(info.virt_kend, HYPERVISOR_VIRT_START);
    CHECK_EQ(info.hypercall_page, 0xF57FF000);  /* ELF-31 edge: last page */
    CHECK_EQ(info.pae, ELF_PAE_BIMODAL);
    CHECK_EQ(info.guest_os[0], 0);

    /* ELF-17 edge: the same note twice with the same value; 8-byte number. */
    build_xtf(&t);
    t.phnum = 1; put16(&t, 44, 1);
    tb_note_str(&t, XEN_ELFNOTE_GUEST_OS, "XTF");
    tb_note_num8(&t, XEN_ELFNOTE_HYPERCALL_PAGE, 0x101000);
    tb_pt_note(&t);
    CHECK_EQ(parse(&t, &info), 0);

    /* ELF-23 edge: an unknown optional feature is ignored; empty items too. */
    xtf_load(&t);
    tb_note_str(&t, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    tb_note_str(&t, XEN_ELFNOTE_LOADER, "generic");
    tb_note_str(&t, XEN_ELFNOTE_PAE_MODE, "yes");
    tb_note_str(&t, XEN_ELFNOTE_FEATURES, "fancy_feature||pae_pgdir_above_4gb|");
    tb_pt_note(&t);
    CHECK_EQ(parse(&t, &info), 0);
    CHECK_EQ(info.features_supported, 1u << XENFEAT_pae_pgdir_above_4gb);
    CHECK_EQ(info.features_required, 0);
    CHECK_EQ(info.hypercall_page, ELF_NO_HYPERCALL_PAGE);

    /* GUEST_OS is truncated to 31 bytes and only printable ASCII is kept. */
    xtf_load(&t);
    tb_note_str(&t, XEN_ELFNOTE_XEN_VERSION, "xen-3.0-x86_32p");
    tb_note_str(&t, XEN_ELFNOTE_LOADER, "generic");
    tb_note_str(&t, XEN_ELFNOTE_PAE_MODE, "yes");
    tb_note_str(&t, XEN_ELFNOTE_GUEST_OS, "a\033[2Jb-0123456789012345678901234567890123456789");
    tb_pt_note(&t);
    CHECK_EQ(parse(&t, &info), 0);
    CHECK(strcmp(info.guest_os, "a?[2Jb-012345678901234567890123") == 0);
    CHECK_EQ(strlen(info.guest_os), 31);

    /* A non-Xen note before the Xen ones, and a zero-size PT_LOAD: ignored. */
    xtf_load(&t);
    tb_phdr(&t, PT_LOAD, 0, 0x500000, 0, 0);
    tb_note_raw(&t, "GNU", 4, 3, "abcdefgh", 8);
    xtf_notes(&t);
    tb_pt_note(&t);
    CHECK_EQ(parse(&t, &info), 0);
    CHECK_EQ(info.nr_segs, 1);
    CHECK_EQ(info.virt_kend, 0x103000);

    /* A PT_NOTE at file offset 0 (old binutils) is skipped, as by Xen. */
    build_xtf(&t);
    tb_phdr(&t, PT_NOTE, 0, 0, 52, 52);
    CHECK_EQ(parse(&t, &info), 0);

    /* Eight segments is the limit, not an error. */
    {
        uint32_t k;

        tb_init(&t, 0x100000);
        for (k = 0; k < ELF_MAX_SEGS; k++)
            tb_phdr(&t, PT_LOAD, OFF_TEXT, 0x100000 + k * 0x1000, 0x100, 0x1000);
        xtf_notes(&t);
        tb_pt_note(&t);
        CHECK_EQ(parse(&t, &info), 0);
        CHECK_EQ(info.nr_segs, ELF_MAX_SEGS);
        CHECK_EQ(info.virt_kend, 0x108000);
    }
}

/* ---- One case per refusal rule ----------------------------------------- */

struct refusal {
    const char *rule;
    void (*build)(struct tb *t);
    int rc;
    const char *reason;
};

#define R_SHORT    "ELF: image smaller than the ELF header"
#define R_MAGIC    "ELF: bad magic"
#define R_CLASS    "ELF: not 32-bit little-endian ELF version 1"
#define R_TYPE     "ELF: not an executable (ET_EXEC)"
#define R_MACHINE  "ELF: not an i386 image (EM_386)"
#define R_SIZES    "ELF: bad header sizes"
#define R_PHDRS    "ELF: program headers outside the image"
#define R_SHDRS    "ELF: section headers outside the image"
#define R_FILESZ   "ELF: segment file size exceeds its memory size"
#define R_SEGDATA  "ELF: segment data outside the image"
#define R_TOOMANY  "ELF: too many loadable segments"
#define R_NOLOAD   "ELF: no loadable segment"
#define R_NOTEDATA "ELF: note data outside the image"
#define R_NOTE     "ELF: malformed note"
#define R_NUM      "Xen notes: numeric note not 4 or 8 bytes, or above 32 bits"
#define R_STR      "Xen notes: string note not NUL-terminated"
#define R_DUP      "Xen notes: a note is given twice with different values"
#define R_NONOTES  "Xen notes: none found, and no __xen_guest section"
#define R_LEGACY   "__xen_guest: malformed string"
#define R_VERSION  "Xen notes: XEN_VERSION missing or not xen-3.0"
#define R_LOADER   "Xen notes: LOADER is not generic and GUEST_OS is not linux"
#define R_PAE      "Xen notes: PAE_MODE missing or not yes/bimodal (x86_32p needs PAE)"
#define R_FEATURE  "Xen notes: a required feature is unknown"
#define R_HVSTART  "Xen notes: HV_START_LOW above the hypervisor hole"
#define R_POFF     "Xen notes: PADDR_OFFSET given without VIRT_BASE"
#define R_RANGE    "ELF: segment address out of 32-bit range"
#define R_HOLE     "ELF: segment reaches the hypervisor hole"
#define R_OVERLAP  "ELF: loadable segments overlap"
#define R_VBASE    "Xen notes: VIRT_BASE above the kernel start"
#define R_ENTRY    "ELF: entry point outside the loaded range"
#define R_HCALL    "Xen notes: HYPERCALL_PAGE outside the kernel or not page aligned"

/* The XTF image with the notes replaced by `notes` (the PT_LOAD stays). */
static void xtf_with(struct tb *t, void (*notes)(struct tb *t))
{
    xtf_load(t);
    notes(t);
    tb_pt_note(t);
}

static void base_notes(struct tb *t)
{
    tb_note_str(t, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    tb_note_str(t, XEN_ELFNOTE_LOADER, "generic");
    tb_note_str(t, XEN_ELFNOTE_PAE_MODE, "yes");
}

static void r_short(struct tb *t) { build_xtf(t); t->size = 51; }
static void r_empty(struct tb *t) { build_xtf(t); t->size = 0; }
static void r_magic(struct tb *t) { build_xtf(t); t->b[1] = 'e'; }
static void r_class(struct tb *t) { build_xtf(t); t->b[4] = 2; }
static void r_data(struct tb *t) { build_xtf(t); t->b[5] = 2; }
static void r_version(struct tb *t) { build_xtf(t); put32(t, 20, 2); }
static void r_ident_version(struct tb *t) { build_xtf(t); t->b[6] = 2; }
static void r_type(struct tb *t) { build_xtf(t); put16(t, 16, 3); }
static void r_machine(struct tb *t) { build_xtf(t); put16(t, 18, 62); }
static void r_ehsize(struct tb *t) { build_xtf(t); put16(t, 40, 64); }
static void r_phentsize(struct tb *t) { build_xtf(t); put16(t, 42, 56); }
static void r_shentsize(struct tb *t) { build_linux(t); put16(t, 46, 64); }
static void r_phoff(struct tb *t) { build_xtf(t); put32(t, 28, IMG_SIZE - 32); }
static void r_phoff_wrap(struct tb *t) { build_xtf(t); put32(t, 28, 0xFFFFFFF0); }
static void r_phnum_xnum(struct tb *t) { build_xtf(t); put16(t, 44, 0xFFFF); }
static void r_shoff(struct tb *t) { build_linux(t); put32(t, 32, IMG_SIZE - 40); }
static void r_shoff_wrap(struct tb *t) { build_linux(t); put32(t, 32, 0xFFFFFFD8); }
static void r_filesz(struct tb *t) { build_xtf(t); put32(t, ph_off(0) + 16, 0x4000); }
static void r_filesz_edge(struct tb *t) { build_xtf(t); put32(t, ph_off(0) + 16, 0x3001); }
static void r_segdata(struct tb *t) { build_xtf(t); put32(t, ph_off(0) + 4, 0x2800); }
static void r_segdata_wrap(struct tb *t) { build_xtf(t); put32(t, ph_off(0) + 4, 0xFFFFF800); }

static void r_toomany(struct tb *t)
{
    uint32_t k;

    tb_init(t, 0x100000);
    for (k = 0; k <= ELF_MAX_SEGS; k++)
        tb_phdr(t, PT_LOAD, OFF_TEXT, 0x100000 + k * 0x1000, 0x100, 0x1000);
    xtf_notes(t);
    tb_pt_note(t);
}

static void r_noload(struct tb *t) { build_xtf(t); put32(t, ph_off(0), PT_NULL); }
static void r_noload_empty(struct tb *t) { build_xtf(t); put32(t, ph_off(0) + 16, 0); put32(t, ph_off(0) + 20, 0); }
static void r_notedata(struct tb *t) { build_xtf(t); put32(t, ph_off(1) + 4, IMG_SIZE - 8); }
static void r_notedata_wrap(struct tb *t) { build_xtf(t); put32(t, ph_off(1) + 16, 0xFFFFFFFF); }

static void r_notedata_shdr(struct tb *t)
{
    build_linux(t);
    put32(t, OFF_SHDR + 2 * 40 + 20, IMG_SIZE);  /* the .note.Xen size */
}

static void n_namesz(struct tb *t)
{
    base_notes(t);
    tb_note_raw(t, "Xen", 4, XEN_ELFNOTE_GUEST_OS, "x", 2);
    put32(t, OFF_NOTES + t->notes_len - 20, 0x7FFFFFFF);  /* namesz */
}

static void n_namesz_wrap(struct tb *t)
{
    base_notes(t);
    tb_note_raw(t, "Xen", 4, XEN_ELFNOTE_GUEST_OS, "x", 2);
    put32(t, OFF_NOTES + t->notes_len - 20, 0xFFFFFFFE);  /* pads to 0 if unchecked */
    put32(t, OFF_NOTES + t->notes_len - 16, 8);           /* ... then spans 20 bytes */
}

static void r_name_pad_cut(struct tb *t)
{
    /* The last note's name padding runs past the end of its region. */
    xtf_load(t);
    base_notes(t);
    tb_note_raw(t, "X", 1, 99, "", 0);
    tb_phdr(t, PT_NOTE, OFF_NOTES, 0, t->notes_len - 3, t->notes_len - 3);
}

static void n_descsz(struct tb *t)
{
    base_notes(t);
    tb_note_raw(t, "Xen", 4, XEN_ELFNOTE_GUEST_OS, "x", 2);
    put32(t, OFF_NOTES + t->notes_len - 16, 0x100);  /* descsz past the end */
}

static void n_trailing(struct tb *t)
{
    base_notes(t);
    tb_bytes(t, "\0\0\0\0\0\0\0\0", 8);  /* 8 bytes: too short for a header */
}

static void n_num_size(struct tb *t)
{
    base_notes(t);
    tb_note_raw(t, "Xen", 4, XEN_ELFNOTE_VIRT_BASE, "\0\0", 2);
}

static void n_num_high(struct tb *t)
{
    base_notes(t);
    tb_note_num8(t, XEN_ELFNOTE_ENTRY, 0x100100000ull);
}

static void n_str_nul(struct tb *t)
{
    tb_note_raw(t, "Xen", 4, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 7);
    tb_note_str(t, XEN_ELFNOTE_LOADER, "generic");
    tb_note_str(t, XEN_ELFNOTE_PAE_MODE, "yes");
}

static void n_dup_str(struct tb *t)
{
    base_notes(t);
    tb_note_str(t, XEN_ELFNOTE_GUEST_OS, "XTF");
    tb_note_str(t, XEN_ELFNOTE_GUEST_OS, "XTG");
}

static void n_dup_num(struct tb *t)
{
    base_notes(t);
    tb_note_num(t, XEN_ELFNOTE_ENTRY, 0x100000);
    tb_note_num(t, XEN_ELFNOTE_ENTRY, 0x100004);
}

static void r_nonotes(struct tb *t) { xtf_load(t); }

static void r_gnu_only(struct tb *t)
{
    xtf_load(t);
    tb_note_raw(t, "GNU", 4, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8);
    tb_pt_note(t);
}

static void r_xen4(struct tb *t)
{
    /* "Xen" without its NUL is not a Xen note. */
    xtf_load(t);
    tb_note_raw(t, "Xen", 3, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8);
    tb_pt_note(t);
}

static void legacy_with(struct tb *t, const char *s)
{
    tb_init(t, 0xC0100000);
    tb_phdr(t, PT_LOAD, OFF_TEXT, 0xC0100000, 0x1000, 0x1000);
    tb_legacy(t, s);
}

static void l_nonul(struct tb *t)
{
    legacy_with(t, "XEN_VER=xen-3.0,GUEST_OS=linux,PAE=yes");
    put32(t, OFF_SHDR + 2 * 40 + 20, 38);  /* drop the NUL from the section */
}

static void l_longkey(struct tb *t) { legacy_with(t, "XEN_VER=xen-3.0,GUEST_OS=linux,PAE=yes,ABCDEFGHIJKLMNOPQRSTUVWXYZ_ABCDEF=1"); }

static void l_longval(struct tb *t)
{
    char s[300];

    snprintf(s, sizeof(s), "XEN_VER=xen-3.0,GUEST_OS=linux,PAE=yes,GUEST_VER=%0128d", 7);
    legacy_with(t, s);
}

static void l_badnum(struct tb *t) { legacy_with(t, "XEN_VER=xen-3.0,GUEST_OS=linux,PAE=yes,VIRT_BASE=0xC000000G"); }
static void l_octal(struct tb *t) { legacy_with(t, "XEN_VER=xen-3.0,GUEST_OS=linux,PAE=yes,VIRT_BASE=010"); }
static void l_bignum(struct tb *t) { legacy_with(t, "XEN_VER=xen-3.0,GUEST_OS=linux,PAE=yes,VIRT_BASE=4294967296"); }
static void l_emptynum(struct tb *t) { legacy_with(t, "XEN_VER=xen-3.0,GUEST_OS=linux,PAE=yes,VIRT_BASE="); }
static void l_dup(struct tb *t) { legacy_with(t, "XEN_VER=xen-3.0,GUEST_OS=linux,PAE=yes,GUEST_OS=netbsd"); }
static void l_outside(struct tb *t) { legacy_with(t, "XEN_VER=xen-3.0"); put32(t, OFF_SHDR + 2 * 40 + 16, IMG_SIZE - 4); }

static void v_missing(struct tb *t)
{
    tb_note_str(t, XEN_ELFNOTE_LOADER, "generic");
    tb_note_str(t, XEN_ELFNOTE_PAE_MODE, "yes");
}

static void v_old(struct tb *t)
{
    tb_note_str(t, XEN_ELFNOTE_XEN_VERSION, "xen-2.0");
    tb_note_str(t, XEN_ELFNOTE_LOADER, "generic");
    tb_note_str(t, XEN_ELFNOTE_PAE_MODE, "yes");
}

static void v_short(struct tb *t)
{
    tb_note_str(t, XEN_ELFNOTE_XEN_VERSION, "xen-3");
    tb_note_str(t, XEN_ELFNOTE_LOADER, "generic");
    tb_note_str(t, XEN_ELFNOTE_PAE_MODE, "yes");
}

static void o_loader(struct tb *t)
{
    tb_note_str(t, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    tb_note_str(t, XEN_ELFNOTE_LOADER, "elf");
    tb_note_str(t, XEN_ELFNOTE_GUEST_OS, "XTF");
    tb_note_str(t, XEN_ELFNOTE_PAE_MODE, "yes");
}

static void o_noloader(struct tb *t)
{
    tb_note_str(t, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    tb_note_str(t, XEN_ELFNOTE_GUEST_OS, "linuxx");
    tb_note_str(t, XEN_ELFNOTE_PAE_MODE, "yes");
}

static void p_missing(struct tb *t)
{
    tb_note_str(t, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    tb_note_str(t, XEN_ELFNOTE_LOADER, "generic");
}

static void p_no(struct tb *t)
{
    tb_note_str(t, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    tb_note_str(t, XEN_ELFNOTE_LOADER, "generic");
    tb_note_str(t, XEN_ELFNOTE_PAE_MODE, "no");
}

static void p_legacy_form(struct tb *t)
{
    /* "yes[extended-cr3]" is only the legacy spelling. */
    tb_note_str(t, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    tb_note_str(t, XEN_ELFNOTE_LOADER, "generic");
    tb_note_str(t, XEN_ELFNOTE_PAE_MODE, "yes[extended-cr3]");
}

static void l_pae_bimodal(struct tb *t) { legacy_with(t, "XEN_VER=xen-3.0,GUEST_OS=linux,PAE=bimodal"); }

static void f_unknown(struct tb *t)
{
    base_notes(t);
    tb_note_str(t, XEN_ELFNOTE_FEATURES, "pae_pgdir_above_4gb|!fancy_feature");
}

static void f_bang(struct tb *t)
{
    base_notes(t);
    tb_note_str(t, XEN_ELFNOTE_FEATURES, "!");
}

static void h_low(struct tb *t)
{
    base_notes(t);
    tb_note_num(t, XEN_ELFNOTE_HV_START_LOW, 0xF6000000);
}

static void h_poff(struct tb *t)
{
    base_notes(t);
    tb_note_num(t, XEN_ELFNOTE_PADDR_OFFSET, 0);
}

static void a_negative(struct tb *t)
{
    base_notes(t);
    tb_note_num(t, XEN_ELFNOTE_VIRT_BASE, 0x1000);
    tb_note_num(t, XEN_ELFNOTE_PADDR_OFFSET, 0x200000);
}

static void a_wrap(struct tb *t)
{
    base_notes(t);
    tb_note_num(t, XEN_ELFNOTE_VIRT_BASE, 0xFFF00000);
}

static void r_hole(struct tb *t)
{
    build_xtf(t);
    put32(t, ph_off(0) + 12, 0xF57FE000);
}

static void r_hole_edge(struct tb *t)
{
    build_xtf(t);
    put32(t, ph_off(0) + 12, HYPERVISOR_VIRT_START - 0x3000 + 1);
}

static void r_hole_wrap(struct tb *t)
{
    build_xtf(t);
    put32(t, ph_off(0) + 12, 0xFFFFF000);
}

static void r_overlap(struct tb *t)
{
    xtf_load(t);
    tb_phdr(t, PT_LOAD, OFF_TEXT, 0x102FFF, 0x10, 0x10);
    xtf_notes(t);
    tb_pt_note(t);
}

static void r_overlap_inside(struct tb *t)
{
    xtf_load(t);
    tb_phdr(t, PT_LOAD, OFF_TEXT, 0x101000, 0x10, 0x10);
    xtf_notes(t);
    tb_pt_note(t);
}

static void b_vbase(struct tb *t)
{
    base_notes(t);
    tb_note_num(t, XEN_ELFNOTE_VIRT_BASE, 0x200000);
    tb_note_num(t, XEN_ELFNOTE_PADDR_OFFSET, 0x200000);
}

static void r_entry_high(struct tb *t) { build_xtf(t); put32(t, 24, 0x103000); }
static void r_entry_low(struct tb *t) { build_xtf(t); put32(t, 24, 0xFFFFF); }

static void e_note(struct tb *t)
{
    base_notes(t);
    tb_note_num(t, XEN_ELFNOTE_ENTRY, 0x200000);
}

static void c_unaligned(struct tb *t)
{
    base_notes(t);
    tb_note_num(t, XEN_ELFNOTE_HYPERCALL_PAGE, 0x101800);
}

static void c_end(struct tb *t)
{
    base_notes(t);
    tb_note_num(t, XEN_ELFNOTE_HYPERCALL_PAGE, 0x103000);
}

static void c_below(struct tb *t)
{
    base_notes(t);
    tb_note_num(t, XEN_ELFNOTE_HYPERCALL_PAGE, 0xFF000);
}

static void r_c_cut(struct tb *t)
{
    /* kend 0x102800 is not page aligned: the page at 0x102000 is cut. */
    xtf_load(t);
    put32(t, ph_off(0) + 20, 0x2800);
    base_notes(t);
    tb_note_num(t, XEN_ELFNOTE_HYPERCALL_PAGE, 0x102000);
    tb_pt_note(t);
}

static void c_marker(struct tb *t)
{
    base_notes(t);
    tb_note_num(t, XEN_ELFNOTE_HYPERCALL_PAGE, ELF_NO_HYPERCALL_PAGE);
}

static void c_legacy_wrap(struct tb *t) { legacy_with(t, "XEN_VER=xen-3.0,GUEST_OS=linux,PAE=yes,VIRT_BASE=0xC0000000,HYPERCALL_PAGE=0x40000"); }

#define X(name, fn) static void name(struct tb *t) { xtf_with(t, fn); }
X(r_namesz, n_namesz)
X(r_descsz, n_descsz)
X(r_namesz_wrap, n_namesz_wrap)
X(r_trailing, n_trailing)
X(r_num_size, n_num_size)
X(r_num_high, n_num_high)
X(r_str_nul, n_str_nul)
X(r_dup_str, n_dup_str)
X(r_dup_num, n_dup_num)
X(r_v_missing, v_missing)
X(r_v_old, v_old)
X(r_v_short, v_short)
X(r_o_loader, o_loader)
X(r_o_noloader, o_noloader)
X(r_p_missing, p_missing)
X(r_p_no, p_no)
X(r_p_legacy_form, p_legacy_form)
X(r_f_unknown, f_unknown)
X(r_f_bang, f_bang)
X(r_h_low, h_low)
X(r_h_poff, h_poff)
X(r_a_negative, a_negative)
X(r_a_wrap, a_wrap)
X(r_b_vbase, b_vbase)
X(r_e_note, e_note)
X(r_c_unaligned, c_unaligned)
X(r_c_end, c_end)
X(r_c_below, c_below)
X(r_c_marker, c_marker)
#undef X

static const struct refusal refusals[] = {
    { "ELF-1 short",            r_short,          -ENOEXEC, R_SHORT },
    { "ELF-1 empty",            r_empty,          -ENOEXEC, R_SHORT },
    { "ELF-2 magic",            r_magic,          -ENOEXEC, R_MAGIC },
    { "ELF-3 class",            r_class,          -ENOEXEC, R_CLASS },
    { "ELF-3 data",             r_data,           -ENOEXEC, R_CLASS },
    { "ELF-3 e_version",        r_version,        -ENOEXEC, R_CLASS },
    { "ELF-3 EI_VERSION",       r_ident_version,  -ENOEXEC, R_CLASS },
    { "ELF-4 e_type",           r_type,           -ENOEXEC, R_TYPE },
    { "ELF-5 e_machine",        r_machine,        -ENOEXEC, R_MACHINE },
    { "ELF-6 e_ehsize",         r_ehsize,         -ENOEXEC, R_SIZES },
    { "ELF-6 e_phentsize",      r_phentsize,      -ENOEXEC, R_SIZES },
    { "ELF-6 e_shentsize",      r_shentsize,      -ENOEXEC, R_SIZES },
    { "ELF-7 e_phoff",          r_phoff,          -ENOEXEC, R_PHDRS },
    { "ELF-7 e_phoff wraps",    r_phoff_wrap,     -ENOEXEC, R_PHDRS },
    { "ELF-7 PN_XNUM",          r_phnum_xnum,     -ENOEXEC, R_PHDRS },
    { "ELF-8 e_shoff",          r_shoff,          -ENOEXEC, R_SHDRS },
    { "ELF-8 e_shoff wraps",    r_shoff_wrap,     -ENOEXEC, R_SHDRS },
    { "ELF-9 filesz > memsz",   r_filesz,         -ENOEXEC, R_FILESZ },
    { "ELF-9 one byte more",    r_filesz_edge,    -ENOEXEC, R_FILESZ },
    { "ELF-10 data past end",   r_segdata,        -ENOEXEC, R_SEGDATA },
    { "ELF-10 offset wraps",    r_segdata_wrap,   -ENOEXEC, R_SEGDATA },
    { "ELF-11 nine segments",   r_toomany,        -ENOEXEC, R_TOOMANY },
    { "ELF-12 no PT_LOAD",      r_noload,         -ENOEXEC, R_NOLOAD },
    { "ELF-12 only empty",      r_noload_empty,   -ENOEXEC, R_NOLOAD },
    { "ELF-13 PT_NOTE past end", r_notedata,      -ENOEXEC, R_NOTEDATA },
    { "ELF-13 PT_NOTE wraps",   r_notedata_wrap,  -ENOEXEC, R_NOTEDATA },
    { "ELF-13 SHT_NOTE",        r_notedata_shdr,  -ENOEXEC, R_NOTEDATA },
    { "ELF-13 __xen_guest",     l_outside,        -ENOEXEC, R_NOTEDATA },
    { "ELF-14 namesz",          r_namesz,         -ENOEXEC, R_NOTE },
    { "ELF-14 descsz",          r_descsz,         -ENOEXEC, R_NOTE },
    { "ELF-14 namesz wraps",    r_namesz_wrap,    -ENOEXEC, R_NOTE },
    { "ELF-14 name padding cut", r_name_pad_cut,  -ENOEXEC, R_NOTE },
    { "ELF-14 trailing bytes",  r_trailing,       -ENOEXEC, R_NOTE },
    { "ELF-15 2-byte number",   r_num_size,       -EINVAL,  R_NUM },
    { "ELF-15 above 32 bits",   r_num_high,       -EINVAL,  R_NUM },
    { "ELF-16 no NUL",          r_str_nul,        -EINVAL,  R_STR },
    { "ELF-17 string",          r_dup_str,        -EINVAL,  R_DUP },
    { "ELF-17 number",          r_dup_num,        -EINVAL,  R_DUP },
    { "ELF-17 legacy",          l_dup,            -EINVAL,  R_DUP },
    { "ELF-18 no notes",        r_nonotes,        -ENOEXEC, R_NONOTES },
    { "ELF-18 GNU note only",   r_gnu_only,       -ENOEXEC, R_NONOTES },
    { "ELF-18 name without NUL", r_xen4,          -ENOEXEC, R_NONOTES },
    { "ELF-19 no NUL",          l_nonul,          -EINVAL,  R_LEGACY },
    { "ELF-19 long key",        l_longkey,        -EINVAL,  R_LEGACY },
    { "ELF-19 long value",      l_longval,        -EINVAL,  R_LEGACY },
    { "ELF-19 bad digit",       l_badnum,         -EINVAL,  R_LEGACY },
    { "ELF-19 octal",           l_octal,          -EINVAL,  R_LEGACY },
    { "ELF-19 above 32 bits",   l_bignum,         -EINVAL,  R_LEGACY },
    { "ELF-19 empty number",    l_emptynum,       -EINVAL,  R_LEGACY },
    { "ELF-20 missing",         r_v_missing,      -ENOEXEC, R_VERSION },
    { "ELF-20 xen-2.0",         r_v_old,          -ENOEXEC, R_VERSION },
    { "ELF-20 too short",       r_v_short,        -ENOEXEC, R_VERSION },
    { "ELF-21 LOADER elf",      r_o_loader,       -ENOEXEC, R_LOADER },
    { "ELF-21 no LOADER",       r_o_noloader,     -ENOEXEC, R_LOADER },
    { "ELF-22 missing",         r_p_missing,      -ENOEXEC, R_PAE },
    { "ELF-22 no",              r_p_no,           -ENOEXEC, R_PAE },
    { "ELF-22 legacy spelling", r_p_legacy_form,  -ENOEXEC, R_PAE },
    { "ELF-22 legacy bimodal",  l_pae_bimodal,    -ENOEXEC, R_PAE },
    { "ELF-23 unknown",         r_f_unknown,      -ENOEXEC, R_FEATURE },
    { "ELF-23 bare !",          r_f_bang,         -ENOEXEC, R_FEATURE },
    { "ELF-24 HV_START_LOW",    r_h_low,          -ENOEXEC, R_HVSTART },
    { "ELF-25 PADDR_OFFSET",    r_h_poff,         -EINVAL,  R_POFF },
    { "ELF-26 below zero",      r_a_negative,     -ENOEXEC, R_RANGE },
    { "ELF-26 above 4 GiB",     r_a_wrap,         -ENOEXEC, R_RANGE },
    { "ELF-27 into the hole",   r_hole,           -ENOEXEC, R_HOLE },
    { "ELF-27 one byte in",     r_hole_edge,      -ENOEXEC, R_HOLE },
    { "ELF-27 end wraps",       r_hole_wrap,      -ENOEXEC, R_HOLE },
    { "ELF-28 overlap at end",  r_overlap,        -ENOEXEC, R_OVERLAP },
    { "ELF-28 overlap inside",  r_overlap_inside, -ENOEXEC, R_OVERLAP },
    { "ELF-29 VIRT_BASE",       r_b_vbase,        -ENOEXEC, R_VBASE },
    { "ELF-30 entry == kend",   r_entry_high,     -ENOEXEC, R_ENTRY },
    { "ELF-30 entry < kstart",  r_entry_low,      -ENOEXEC, R_ENTRY },
    { "ELF-30 ENTRY note",      r_e_note,         -ENOEXEC, R_ENTRY },
    { "ELF-31 unaligned",       r_c_unaligned,    -ENOEXEC, R_HCALL },
    { "ELF-31 at kend",         r_c_end,          -ENOEXEC, R_HCALL },
    { "ELF-31 below kstart",    r_c_below,        -ENOEXEC, R_HCALL },
    { "ELF-31 page cut by kend", r_c_cut,         -ENOEXEC, R_HCALL },
    { "ELF-31 the none marker", r_c_marker,       -ENOEXEC, R_HCALL },
    { "ELF-31 legacy wraps",    c_legacy_wrap,    -ENOEXEC, R_HCALL },
};

static void test_refusals(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(refusals); i++) {
        const struct refusal *r = &refusals[i];
        struct tb t;
        struct elf_image_info info;
        int rc;

        r->build(&t);
        memset(&info, 0xA5, sizeof(info));
        rc = parse(&t, &info);
        CHECK_EQ_CASE(r->rule, rc, r->rc);
        CHECK_EQ_CASE(r->rule, info.nr_segs, 0);
        check_at(info.reason && strcmp(info.reason, r->reason) == 0, r->rule,
                 __FILE__, __LINE__);
        if (rc == 0 || !info.reason || strcmp(info.reason, r->reason) != 0)
            fprintf(stderr, "  [%s] got %d \"%s\"\n", r->rule, rc,
                    info.reason ? info.reason : "(null)");
    }
}

/* ELF-7: PN_XNUM is refused even when 0xFFFF headers would fit. */
static void test_pn_xnum(void)
{
    const uint32_t big = 0xFFFFu * 32 + OFF_PHDR + 0x100;
    struct tb t;
    struct elf_image_info info;
    uint8_t *img = calloc(1, big);

    build_xtf(&t);
    memcpy(img, t.b, t.size);
    img[44] = 0xFF;
    img[45] = 0xFF;
    CHECK_EQ(elf_image_parse(img, big, &info), -ENOEXEC);
    CHECK(info.reason && strcmp(info.reason, R_PHDRS) == 0);
    img[44] = 2;                 /* the same image with its real count loads */
    img[45] = 0;
    CHECK_EQ(elf_image_parse(img, big, &info), 0);
    free(img);
}

/* ---- Loading segments ---------------------------------------------------- */

static void test_load_chunk(void)
{
    struct tb t;
    struct elf_image_info info;
    uint8_t page[4096], guard[4];
    uint32_t k;
    int ok = 1;

    build_xtf(&t);
    CHECK_EQ(parse(&t, &info), 0);
    /* The page across filesz: [0x800, 0x1000) from the file, then zeroes. */
    memset(page, 0xEE, sizeof(page));
    CHECK_EQ(elf_image_load_chunk(&info, 0, t.b, t.size, 0x800, page, 4096), 0);
    for (k = 0; k < 4096; k++)
        ok &= page[k] == (k < 0x800 ? t.b[OFF_TEXT + 0x800 + k] : 0);
    CHECK(ok);
    /* The last byte of the segment. */
    CHECK_EQ(elf_image_load_chunk(&info, 0, t.b, t.size, 0x2FFF, page, 1), 0);
    CHECK_EQ(page[0], 0);
    /* Out of the segment, a bad index, a forged segment: -EINVAL, no write. */
    memset(guard, 0x5A, sizeof(guard));
    CHECK_EQ(elf_image_load_chunk(&info, 0, t.b, t.size, 0x2FFF, guard, 2), -EINVAL);
    CHECK_EQ(elf_image_load_chunk(&info, 0, t.b, t.size, 0x3001, guard, 0), -EINVAL);
    CHECK_EQ(elf_image_load_chunk(&info, 1, t.b, t.size, 0, guard, 1), -EINVAL);
    CHECK_EQ(elf_image_load_chunk(&info, ELF_MAX_SEGS, t.b, t.size, 0, guard, 1), -EINVAL);
    info.seg[0].offset = t.size - 0x10;
    CHECK_EQ(elf_image_load_chunk(&info, 0, t.b, t.size, 0, guard, 1), -EINVAL);
    info.seg[0].offset = OFF_TEXT;
    info.seg[0].filesz = 0x4000;
    CHECK_EQ(elf_image_load_chunk(&info, 0, t.b, t.size, 0, guard, 1), -EINVAL);
    CHECK_EQ(guard[0], 0x5A);
    info.nr_segs = 0;
    CHECK_EQ(elf_image_load_chunk(&info, 0, t.b, t.size, 0, guard, 1), -EINVAL);
}

/* ---- Mutations ------------------------------------------------------------ */

static uint32_t rng_state = 0x2545F491u;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static void mutate(struct tb *t)
{
    static const uint32_t interesting[] = {
        0, 1, 4, 8, 0x7F, 0xFF, 0x1000, 0xFFFF, 0x7FFFFFFF, 0x80000000,
        0xF57FF000, 0xF5800000, 0xFFFFF000, 0xFFFFFFFF,
    };
    uint32_t n = 1 + rng() % 6, k;

    for (k = 0; k < n; k++) {
        uint32_t what = rng() % 8;
        /* Aim mostly at the headers and notes, where the decisions are. */
        uint32_t off = rng() % 4 ? rng() % 0xC00 : rng() % t->size;

        if (what < 4) {
            t->b[off] = (uint8_t)rng();
        } else if (what < 7 && off + 4 <= t->size) {
            put32(t, off & ~3u, interesting[rng() % ARRAY_SIZE(interesting)]);
        } else {
            t->size = rng() % (t->size + 1);
        }
    }
}

static void test_mutations(void)
{
    static void (*const bases[])(struct tb *t) = { build_xtf, build_linux, build_legacy };
    uint32_t iter, accepted = 0, bad = 0;

    for (iter = 0; iter < 6000; iter++) {
        struct tb t;
        struct elf_image_info info;
        int rc;

        bases[iter % ARRAY_SIZE(bases)](&t);
        mutate(&t);
        rc = parse(&t, &info);
        if (rc == 0) {
            uint32_t i;
            uint8_t page[64];

            accepted++;
            if (!info_ok(&info, t.size))
                bad++;
            /* Load every segment in small pieces: ASan checks the reads. */
            for (i = 0; i < info.nr_segs; i++) {
                uint32_t at;

                for (at = 0; at < info.seg[i].memsz; at += sizeof(page)) {
                    uint32_t len = info.seg[i].memsz - at < sizeof(page) ?
                                   info.seg[i].memsz - at : sizeof(page);
                    uint8_t *copy = malloc(t.size);

                    memcpy(copy, t.b, t.size);
                    if (elf_image_load_chunk(&info, i, copy, t.size, at, page, len) != 0)
                        bad++;
                    free(copy);
                    if (at > 0x4000)
                        break;
                }
            }
        } else if ((rc != -ENOEXEC && rc != -EINVAL) || info.nr_segs != 0 || !info.reason) {
            bad++;
        }
    }
    CHECK_EQ(bad, 0);
    /* The mutations must leave some images acceptable, or they test little. */
    CHECK(accepted > 100);
    printf("mutations: %u accepted of 6000\n", accepted);
}

int main(void)
{
    test_xtf();
    test_linux_sections();
    test_legacy();
    test_accepted_edges();
    test_refusals();
    test_pn_xnum();
    test_load_chunk();
    test_mutations();
    return check_report();
}
