/*
 * elf_image_parse() on small kernel images: one of three valid templates
 * (notes in a PT_NOTE segment like an XTF kernel, notes in a section and
 * two segments like Linux, the legacy __xen_guest string), damaged by up
 * to four patches, cut short, then parsed from a buffer of exactly its
 * size (ASan sees any read past the end: the oracle of the "inside the
 * image" rules, ELF-13 and ELF-14 for notes). An accepted image must keep
 * the promises of elf_image.h (spec/elf-loader.md), and every page of
 * every segment must then load. The Linux-like template also carries a
 * symbol table and the BSD_SYMTAB note: the area elf_bsdsym.h plans for
 * an accepted image must lie after the kernel and below the hypervisor,
 * and fill (ELF-32 .. ELF-35). An image accepted through the legacy
 * __xen_guest string must hold a string of ELF-19's form, read here
 * again by this file's own walk of the section headers.
 *
 * Op layout: aux % 3 = template; count = 0 keeps the size, else size *
 * count / 256; each arg is a patch: kind % 5 = width (none, 1, 2, 4, 8
 * bytes), value bits 0..15 = offset (modulo the size), bits 16..63 = the
 * bytes written (little-endian).
 */
#include <stdlib.h>
#include <string.h>

#include "elf_bsdsym.h"
#include "elf_image.h"
#include "exec_internal.h"
#include "pv/elfnote.h"

#define TPL_MAX 0x0C00u
#define PT_LOAD 1u
#define PT_NOTE 4u
#define SHT_PROGBITS 1u
#define SHT_SYMTAB 2u
#define SHT_STRTAB 3u
#define SHT_NOTE 7u

struct tpl {
    uint8_t b[TPL_MAX];
    uint32_t size;
    uint32_t notes_at, notes_len;
};

static struct tpl tpls[3];

static void put16(struct tpl *t, uint32_t off, uint32_t v)
{
    t->b[off] = (uint8_t)v;
    t->b[off + 1] = (uint8_t)(v >> 8);
}

static void put32(struct tpl *t, uint32_t off, uint32_t v)
{
    put16(t, off, v & 0xFFFFu);
    put16(t, off + 2, v >> 16);
}

static void ehdr(struct tpl *t, uint32_t size, uint32_t entry, uint32_t phnum)
{
    uint32_t i;

    memset(t, 0, sizeof(*t));
    t->size = size;
    memcpy(t->b, "\177ELF\1\1\1", 7);         /* ELFCLASS32, LSB, EV_CURRENT */
    put16(t, 16, 2);                            /* ET_EXEC */
    put16(t, 18, 3);                            /* EM_386 */
    put32(t, 20, 1);
    put32(t, 24, entry);
    put32(t, 28, 52);                           /* program headers follow */
    put16(t, 40, 52);
    put16(t, 42, 32);
    put16(t, 44, phnum);
    put16(t, 46, 40);
    for (i = 0x400; i < size; i++)
        t->b[i] = (uint8_t)(i * 7u + 3u);
}

static void phdr(struct tpl *t, uint32_t i, uint32_t type, uint32_t off, uint32_t paddr,
                 uint32_t filesz, uint32_t memsz)
{
    uint32_t p = 52 + i * 32;

    put32(t, p, type);
    put32(t, p + 4, off);
    put32(t, p + 8, paddr);
    put32(t, p + 12, paddr);
    put32(t, p + 16, filesz);
    put32(t, p + 20, memsz);
    put32(t, p + 24, 7);
    put32(t, p + 28, 0x1000);
}

static void note(struct tpl *t, uint32_t type, const void *desc, uint32_t descsz)
{
    uint32_t at = t->notes_at + t->notes_len;

    put32(t, at, 4);
    put32(t, at + 4, descsz);
    put32(t, at + 8, type);
    memcpy(t->b + at + 12, "Xen", 4);
    memcpy(t->b + at + 16, desc, descsz);
    t->notes_len += 16 + ((descsz + 3u) & ~3u);
}

static void note_str(struct tpl *t, uint32_t type, const char *s)
{
    note(t, type, s, (uint32_t)strlen(s) + 1);
}

static void note_num(struct tpl *t, uint32_t type, uint64_t v, uint32_t bytes)
{
    uint8_t d[8];
    uint32_t k;

    for (k = 0; k < 8; k++)
        d[k] = (uint8_t)(v >> (8 * k));
    note(t, type, d, bytes);
}

/* Sections at `shoff`: null, .shstrtab at `stroff`, then `name`. */
static void sections(struct tpl *t, uint32_t shoff, uint32_t stroff, const char *name,
                     uint32_t type, uint32_t off, uint32_t size)
{
    uint32_t name_len = (uint32_t)strlen(name) + 1;

    put32(t, 32, shoff);
    put16(t, 48, 3);
    put16(t, 50, 1);
    memcpy(t->b + stroff + 1, ".shstrtab", 10);
    memcpy(t->b + stroff + 11, name, name_len);
    put32(t, shoff + 40, 1);
    put32(t, shoff + 40 + 4, SHT_STRTAB);
    put32(t, shoff + 40 + 16, stroff);
    put32(t, shoff + 40 + 20, 11 + name_len);
    put32(t, shoff + 80, 11);
    put32(t, shoff + 80 + 4, type);
    put32(t, shoff + 80 + 16, off);
    put32(t, shoff + 80 + 20, size);
}

static void build_xtf(struct tpl *t)
{
    ehdr(t, 0x800, 0x100000, 2);
    t->notes_at = 0x100;
    note_str(t, XEN_ELFNOTE_GUEST_OS, "XTF");
    note_str(t, XEN_ELFNOTE_LOADER, "generic");
    note_num(t, XEN_ELFNOTE_HYPERCALL_PAGE, 0x101000, 4);
    note_str(t, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    note_str(t, XEN_ELFNOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb");
    note_str(t, XEN_ELFNOTE_PAE_MODE, "yes");
    phdr(t, 0, PT_LOAD, 0x400, 0x100000, 0x400, 0x2000);
    phdr(t, 1, PT_NOTE, t->notes_at, 0, t->notes_len, t->notes_len);
}

static void build_linux(struct tpl *t)
{
    ehdr(t, 0xC00, 0x1000000, 2);
    t->notes_at = 0x100;
    note_str(t, XEN_ELFNOTE_GUEST_OS, "linux");
    note_str(t, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    note_num(t, XEN_ELFNOTE_VIRT_BASE, 0xC0000000u, 4);
    note_num(t, XEN_ELFNOTE_PADDR_OFFSET, 0, 4);
    note_num(t, XEN_ELFNOTE_ENTRY, 0xC1000010u, 4);
    note_num(t, XEN_ELFNOTE_HYPERCALL_PAGE, 0xC1000000u, 8);
    note_num(t, XEN_ELFNOTE_HV_START_LOW, 0xF5800000u, 4);
    note_str(t, XEN_ELFNOTE_PAE_MODE, "yes,bimodal");
    note_str(t, XEN_ELFNOTE_BSD_SYMTAB, "yes");
    phdr(t, 0, PT_LOAD, 0x800, 0x1000000, 0x200, 0x1000);
    phdr(t, 1, PT_LOAD, 0xA00, 0x1002000, 0x200, 0x3000);
    sections(t, 0x300, 0x3E0, ".note.Xen", SHT_NOTE, t->notes_at, t->notes_len);
    /* sections 3 and 4: a symbol table (3 entries) linked to its names */
    put16(t, 48, 5);
    put32(t, 0x300 + 120 + 4, SHT_SYMTAB);
    put32(t, 0x300 + 120 + 16, 0x400);
    put32(t, 0x300 + 120 + 20, 0x30);
    put32(t, 0x300 + 120 + 24, 4);
    put32(t, 0x300 + 160 + 4, SHT_STRTAB);
    put32(t, 0x300 + 160 + 16, 0x440);
    put32(t, 0x300 + 160 + 20, 0x1F);
}

static void build_legacy(struct tpl *t)
{
    static const char s[] = "GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0xC0000000,"
                            "ELF_PADDR_OFFSET=0xC0000000,HYPERCALL_PAGE=0x101,"
                            "PAE=yes[extended-cr3],LOADER=generic";

    ehdr(t, 0xA00, 0xC0100000u, 1);
    phdr(t, 0, PT_LOAD, 0x600, 0xC0100000u, 0x400, 0x2000);
    memcpy(t->b + 0x2C0, s, sizeof(s));
    sections(t, 0x200, 0x2A0, "__xen_guest", SHT_PROGBITS, 0x2C0, sizeof(s));
}

static bool info_ok(const struct elf_image_info *in, uint32_t size)
{
    uint32_t i, j;

    if (in->nr_segs < 1 || in->nr_segs > ELF_MAX_SEGS || in->reason)     /* ELF-12, ELF-11 */
        return false;
    for (i = 0; i < in->nr_segs; i++) {
        const struct elf_segment *s = &in->seg[i];

        /* ELF-9, ELF-10, ELF-27 */
        if (s->filesz > s->memsz || (uint64_t)s->offset + s->filesz > size ||
            (uint64_t)s->vaddr + s->memsz > HYPERVISOR_VIRT_START ||
            s->vaddr < in->virt_kstart || (uint64_t)s->vaddr + s->memsz > in->virt_kend)
            return false;
        for (j = 0; j < i; j++)                                         /* ELF-28 */
            if ((uint64_t)in->seg[j].vaddr + in->seg[j].memsz > s->vaddr &&
                (uint64_t)s->vaddr + s->memsz > in->seg[j].vaddr)
                return false;
    }
    if (in->virt_kstart >= in->virt_kend || in->virt_kend > HYPERVISOR_VIRT_START ||
        in->entry < in->virt_kstart || in->entry >= in->virt_kend)     /* ELF-30 */
        return false;
    if (in->virt_base > in->virt_kstart)                                    /* ELF-29 */
        return false;
    if (in->hypercall_page != ELF_NO_HYPERCALL_PAGE &&                     /* ELF-31 */
        (in->hypercall_page % PAGE_SIZE || in->hypercall_page < in->virt_kstart ||
         (uint64_t)in->hypercall_page + PAGE_SIZE > in->virt_kend))
        return false;
    return in->pae != ELF_PAE_NONE && in->guest_os[ELF_GUEST_OS_LEN - 1] == 0;   /* ELF-22 */
}

/* Every page of every segment loads (at most 4 pages each). */
static void load_all(const struct elf_image_info *in, const uint8_t *img, uint32_t size)
{
    static uint8_t page[PAGE_SIZE];
    uint32_t i, at;

    for (i = 0; i < in->nr_segs; i++)
        for (at = 0; at < in->seg[i].memsz && at < 4 * PAGE_SIZE; at += PAGE_SIZE) {
            uint32_t len = in->seg[i].memsz - at < PAGE_SIZE ? in->seg[i].memsz - at : PAGE_SIZE;

            if (elf_image_load_chunk(in, i, img, size, at, page, len) != 0)
                exec_finding("ELF: segment %u of an accepted image does not load at %#x", i, at);
        }
    if (elf_image_load_chunk(in, in->nr_segs, img, size, 0, page, 1) == 0)
        exec_finding("ELF: segment %u beyond nr_segs loads", in->nr_segs);
}

/* The BSD_SYMTAB area of an accepted image: placed after the kernel, and it fills. */
static void check_bsdsym(const struct elf_image_info *in, const uint8_t *img, uint32_t size)
{
    static uint8_t page[PAGE_SIZE];
    struct elf_bsdsym b;
    uint32_t at;
    int rc = elf_bsdsym_plan(img, size, in, &b);

    if (rc != 0 && (b.present || !b.reason || (rc != -EINVAL && rc != -ENOEXEC)))
        exec_finding("ELF: refused symbol area (%d) is still present", rc);
    if (rc != 0 || !b.present)
        return;
    if (b.start < in->virt_kend || b.start - in->virt_kend > 3 || b.end > HYPERVISOR_VIRT_START ||
        b.end - b.start != b.len || b.len < ELF_BSDSYM_HDR_LEN)
        exec_finding("ELF: symbol area [%#x, %#x) misplaced after %#x", b.start, b.end, in->virt_kend);
    for (at = 0; at < b.len && at < 4 * PAGE_SIZE; at += PAGE_SIZE) {
        uint32_t len = b.len - at < PAGE_SIZE ? b.len - at : PAGE_SIZE;

        if (elf_bsdsym_chunk(&b, img, size, at, page, len) != 0)
            exec_finding("ELF: the planned symbol area does not fill at %#x", at);
        if (at == 0 && (page[0] | page[1] << 8 | page[2] << 16 | (uint32_t)page[3] << 24) !=
                       b.strtab_at + b.strtab_len - 4)
            exec_finding("ELF: the symbol area's size word is wrong");
    }
    if (elf_bsdsym_chunk(&b, img, size, b.len, page, 1) == 0)
        exec_finding("ELF: the symbol area fills past its end");
}

/* ---- ELF-19, read independently of the loader ----------------------------- */

static uint32_t rd32(const uint8_t *img, uint32_t size, uint64_t at)
{
    return at + 4 <= size ? (uint32_t)img[at] | (uint32_t)img[at + 1] << 8 |
                            (uint32_t)img[at + 2] << 16 | (uint32_t)img[at + 3] << 24 : 0;
}

static uint32_t rd16(const uint8_t *img, uint32_t size, uint64_t at)
{
    return at + 2 <= size ? (uint32_t)img[at] | (uint32_t)img[at + 1] << 8 : 0;
}

/* The span of the section named "__xen_guest", or false. */
static bool legacy_span(const uint8_t *img, uint32_t size, uint32_t *off, uint32_t *len)
{
    uint32_t shoff = rd32(img, size, 32), shnum = rd16(img, size, 48), shstr = rd16(img, size, 50);
    uint32_t str_off = rd32(img, size, (uint64_t)shoff + shstr * 40u + 16), i;

    for (i = 1; i < shnum; i++) {
        uint64_t sh = (uint64_t)shoff + i * 40u, name = (uint64_t)str_off + rd32(img, size, sh);

        if (name + 12 <= size && !memcmp(img + name, "__xen_guest", 12)) {
            *off = rd32(img, size, sh + 16);
            *len = rd32(img, size, sh + 20);
            return (uint64_t)*off + *len <= size;
        }
    }
    return false;
}

static bool is_numeric_key(const char *k, uint32_t klen)
{
    static const char *const keys[] = { "VIRT_BASE", "VIRT_ENTRY", "ELF_PADDR_OFFSET", "HYPERCALL_PAGE" };
    uint32_t i;

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strlen(keys[i]) == klen && !memcmp(keys[i], k, klen))
            return true;
    return false;
}

/* "0", decimal without a leading zero, or 0x hex; within 32 bits. */
static bool number_ok(const char *v, uint32_t vlen)
{
    bool hex = vlen > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X');
    uint64_t n = 0;
    uint32_t i;

    if (vlen == 0 || (!hex && vlen > 1 && v[0] == '0'))
        return false;
    for (i = hex ? 2 : 0; i < vlen; i++) {
        char c = v[i];
        uint32_t d = c >= '0' && c <= '9' ? (uint32_t)(c - '0')
                   : hex && c >= 'a' && c <= 'f' ? (uint32_t)(c - 'a' + 10)
                   : hex && c >= 'A' && c <= 'F' ? (uint32_t)(c - 'A' + 10) : 99u;

        if (d == 99u)
            return false;
        n = n * (hex ? 16 : 10) + d;
        if (n > 0xFFFFFFFFu)
            return false;
    }
    return true;
}

/* ELF-19: the string an accepted legacy image was read from. */
static void check_legacy(const struct elf_image_info *in, const uint8_t *img, uint32_t size)
{
    uint32_t off = 0, len = 0, end, pos = 0;
    const char *str;

    if (!in->legacy)
        return;
    if (!legacy_span(img, size, &off, &len)) {
        exec_finding("ELF: accepted as legacy without a __xen_guest section");
        return;
    }
    str = (const char *)img + off;
    for (end = 0; end < len && str[end]; end++)
        ;
    if (end == len) {
        exec_finding("ELF-19: accepted __xen_guest string has no NUL in its section");
        return;
    }
    while (pos < end) {
        const char *item = str + pos, *comma = memchr(item, ',', end - pos);
        uint32_t ilen = comma ? (uint32_t)(comma - item) : end - pos;
        const char *eq = memchr(item, '=', ilen);
        uint32_t klen = eq ? (uint32_t)(eq - item) : ilen, vlen = eq ? ilen - klen - 1 : 0;

        if (klen > 31 || vlen > 127)
            exec_finding("ELF-19: accepted __xen_guest item with a %u-byte key, %u-byte value", klen, vlen);
        if (is_numeric_key(item, klen) && !number_ok(eq ? eq + 1 : item + ilen, vlen))
            exec_finding("ELF-19: accepted __xen_guest number '%.*s'", (int)ilen, item);
        pos += ilen + 1;
    }
}

int exec_elf_op(const struct prog_op *op)
{
    static const uint32_t widths[5] = { 0, 1, 2, 4, 8 };
    static bool built;
    const struct tpl *t;
    uint32_t size, i, k;
    uint8_t *img;
    int rc;

    if (!built) {
        build_xtf(&tpls[0]);
        build_linux(&tpls[1]);
        build_legacy(&tpls[2]);
        built = true;
    }
    t = &tpls[op->aux % 3u];
    size = op->count ? t->size * op->count / 256u : t->size;
    img = malloc(size ? size : 1);
    if (!img)
        abort();
    memcpy(img, t->b, size);
    for (i = 0; i < PROG_NR_ARGS && size; i++) {
        uint32_t off = (uint32_t)(op->a[i].value & 0xFFFFu) % size;

        /* the value has 6 bytes above the offset; an 8-byte patch ends in zeros */
        for (k = 0; k < widths[op->a[i].kind % 5u] && off + k < size; k++)
            img[off + k] = k < 6 ? (uint8_t)(op->a[i].value >> (16 + 8 * k)) : 0;
    }
    rc = exec_elf_check(img, size);
    free(img);
    return rc;
}

int exec_elf_check(const uint8_t *img, uint32_t size)
{
    struct elf_image_info info;
    int rc;

    memset(&info, 0, sizeof(info));
    rc = elf_image_parse(img, size, &info);
    if (rc == 0 && !info_ok(&info, size))
        exec_finding("ELF: accepted image breaks the loader's promises");
    if (rc != 0 && (info.nr_segs != 0 || !info.reason))
        exec_finding("ELF: refused image leaves nr_segs %u", info.nr_segs);
    if (rc == 0) {
        load_all(&info, img, size);
        check_bsdsym(&info, img, size);
        check_legacy(&info, img, size);
    }
    return rc;
}

int exec_elf_template_ok(unsigned which)
{
    struct prog_op op;

    memset(&op, 0, sizeof(op));
    op.op = OP_ELF;
    op.aux = (uint8_t)which;
    return exec_elf_op(&op);
}
