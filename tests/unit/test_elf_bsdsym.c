/*
 * Unit tests for hv/core/elf_bsdsym.c: the BSD_SYMTAB area (rules
 * ELF-32 .. ELF-35 of spec/elf-loader.md).
 *
 * A small writer builds a kernel image with Xen notes (BSD_SYMTAB=yes),
 * one PT_LOAD segment and sections: null, .shstrtab, .symtab (linked to
 * .strtab) and .strtab. The area elf_bsdsym_chunk() fills is compared
 * byte for byte with one written out here from Xen's layout, whatever the
 * chunking; each refusal checks the exact error and reason; a seeded
 * mutation loop then feeds damaged images in buffers of exactly their
 * size, so ASan sees any read outside them.
 */
#include <stdlib.h>

#include "check.h"
#include "elf_bsdsym.h"
#include "pv/elfnote.h"

#define IMG_SIZE   0x2000u
#define OFF_PHDR   52u
#define OFF_NOTES  0x100u
#define OFF_SHDR   0x400u
#define OFF_SHSTR  0x500u
#define OFF_SYMTAB 0x600u
#define OFF_STRTAB 0x700u
#define OFF_TEXT   0x1000u
#define SYMTAB_LEN 0x43u       /* deliberately not a multiple of 4 */
#define STRTAB_LEN 0x1Du

#define SHT_SYMTAB 2u
#define SHT_STRTAB 3u

static const char *bsd_value = "yes";      /* the BSD_SYMTAB note's value */

struct img {
    uint8_t b[IMG_SIZE];
    uint32_t phnum, notes_len;
};

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v & 0xFFFFu);
    put16(p + 2, v >> 16);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void phdr(struct img *m, uint32_t type, uint32_t off, uint32_t paddr,
                 uint32_t filesz, uint32_t memsz)
{
    uint8_t *p = m->b + OFF_PHDR + 32 * m->phnum++;

    put32(p, type);
    put32(p + 4, off);
    put32(p + 8, paddr);
    put32(p + 12, paddr);
    put32(p + 16, filesz);
    put32(p + 20, memsz);
    put16(m->b + 44, m->phnum);
}

static void note(struct img *m, uint32_t type, const void *desc, uint32_t len)
{
    uint8_t *p = m->b + OFF_NOTES + m->notes_len;

    put32(p, 4);
    put32(p + 4, len);
    put32(p + 8, type);
    memcpy(p + 12, "Xen", 4);
    memcpy(p + 16, desc, len);
    m->notes_len += 16 + ((len + 3) & ~3u);
}

static void note_str(struct img *m, uint32_t type, const char *s)
{
    note(m, type, s, (uint32_t)strlen(s) + 1);
}

static void note_num(struct img *m, uint32_t type, uint32_t v)
{
    uint8_t d[4];

    put32(d, v);
    note(m, type, d, 4);
}

static uint8_t *shdr(struct img *m, uint32_t i)
{
    return m->b + OFF_SHDR + 40 * i;
}

static void section(struct img *m, uint32_t i, uint32_t name, uint32_t type,
                    uint32_t off, uint32_t size, uint32_t link)
{
    put32(shdr(m, i), name);
    put32(shdr(m, i) + 4, type);
    put32(shdr(m, i) + 8, 0x2);             /* sh_flags, kept as is */
    put32(shdr(m, i) + 12, 0xABC0 + i);     /* sh_addr, kept as is */
    put32(shdr(m, i) + 16, off);
    put32(shdr(m, i) + 20, size);
    put32(shdr(m, i) + 24, link);
    put32(shdr(m, i) + 28, 7 + i);          /* sh_info, kept */
    put32(shdr(m, i) + 32, 4);
    put32(shdr(m, i) + 36, type == SHT_SYMTAB ? 16 : 0);
}

/*
 * The kernel: loaded at paddr `paddr` (memsz `memsz`), VIRT_BASE and
 * PADDR_OFFSET as given (both 0 for an XTF-like link), BSD_SYMTAB=yes.
 */
static void build(struct img *m, uint32_t virt_base, uint32_t paddr_offset,
                  uint32_t paddr, uint32_t memsz)
{
    uint32_t i, entry = paddr + virt_base - paddr_offset;

    memset(m, 0, sizeof(*m));
    memcpy(m->b, "\177ELF", 4);
    m->b[4] = 1;
    m->b[5] = 1;
    m->b[6] = 1;
    m->b[7] = 9;                            /* EI_OSABI, kept in the copy */
    put16(m->b + 16, 2);
    put16(m->b + 18, 3);
    put32(m->b + 20, 1);
    put32(m->b + 24, entry);
    put32(m->b + 28, OFF_PHDR);
    put32(m->b + 32, OFF_SHDR);
    put32(m->b + 36, 0x12345);              /* e_flags, kept */
    put16(m->b + 40, 52);
    put16(m->b + 42, 32);
    put16(m->b + 46, 40);
    put16(m->b + 48, 4);
    put16(m->b + 50, 1);
    note_str(m, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    note_str(m, XEN_ELFNOTE_LOADER, "generic");
    note_str(m, XEN_ELFNOTE_PAE_MODE, "yes");
    note_str(m, XEN_ELFNOTE_BSD_SYMTAB, bsd_value);
    if (virt_base) {
        note_num(m, XEN_ELFNOTE_VIRT_BASE, virt_base);
        note_num(m, XEN_ELFNOTE_PADDR_OFFSET, paddr_offset);
    }
    phdr(m, 1, OFF_TEXT, paddr, 0x800, memsz);
    phdr(m, 4, OFF_NOTES, 0, m->notes_len, m->notes_len);
    memcpy(m->b + OFF_SHSTR, "\0.shstrtab\0.symtab\0.strtab", 27);
    section(m, 1, 1, SHT_STRTAB, OFF_SHSTR, 27, 0);
    section(m, 2, 11, SHT_SYMTAB, OFF_SYMTAB, SYMTAB_LEN, 3);
    section(m, 3, 19, SHT_STRTAB, OFF_STRTAB, STRTAB_LEN, 0);
    for (i = 0; i < SYMTAB_LEN; i++)
        m->b[OFF_SYMTAB + i] = (uint8_t)(0x40 + i);
    for (i = 0; i < STRTAB_LEN; i++)
        m->b[OFF_STRTAB + i] = (uint8_t)(0xA0 + i);
    for (i = OFF_TEXT; i < IMG_SIZE; i++)
        m->b[i] = 0x90;
}

/* Xen's area for the image above, written out from its layout. */
static uint32_t expected_area(const struct img *m, uint8_t *a)
{
    const uint32_t sym_at = 260, str_at = 260 + 0x44, len = str_at + 0x20;
    uint32_t i;

    memset(a, 0, len);
    put32(a, str_at + STRTAB_LEN - 4);          /* size word */
    memcpy(a + 4, m->b, 52);                    /* ELF header ... */
    put32(a + 4 + 28, 0);                       /* e_phoff */
    put32(a + 4 + 32, 64);                      /* e_shoff */
    put16(a + 4 + 42, 0);                       /* e_phentsize */
    put16(a + 4 + 44, 0);                       /* e_phnum */
    put16(a + 4 + 48, 3);                       /* e_shnum */
    put16(a + 4 + 50, 0);                       /* e_shstrndx */
    memcpy(a + 108, m->b + OFF_SHDR + 80, 40);           /* section 1: the symtab */
    put32(a + 108 + 16, sym_at - 4);
    put32(a + 108 + 24, 2);
    memcpy(a + 148, m->b + OFF_SHDR + 120, 40);           /* section 2: the strtab */
    put32(a + 148 + 16, str_at - 4);
    for (i = 0; i < SYMTAB_LEN; i++)
        a[sym_at + i] = (uint8_t)(0x40 + i);
    for (i = 0; i < STRTAB_LEN; i++)
        a[str_at + i] = (uint8_t)(0xA0 + i);
    return len;
}

static int plan(const struct img *m, struct elf_image_info *info, struct elf_bsdsym *b)
{
    int rc = elf_image_parse(m->b, IMG_SIZE, info);

    CHECK_EQ(rc, 0);
    return elf_bsdsym_plan(m->b, IMG_SIZE, info, b);
}

/* ELF-35: the exact area, however the builder cuts it into chunks. */
static void test_layout(void)
{
    static struct img m;
    static uint8_t want[1024], got[1024];
    struct elf_image_info info;
    struct elf_bsdsym b;
    uint32_t len, at, step;

    build(&m, 0, 0, 0x100000, 0x2001);
    CHECK_EQ(plan(&m, &info, &b), 0);
    CHECK(b.present && b.reason == NULL);
    CHECK_EQ(info.virt_kend, 0x102001);
    CHECK_EQ(b.start, 0x102004);                /* rounded up to 4 */
    len = expected_area(&m, want);
    CHECK_EQ(b.len, len);
    CHECK_EQ(b.end, 0x102004 + len);
    CHECK_EQ(b.strtab_at, 260 + 0x44);
    for (step = 1; step <= len; step += step < 8 ? 1 : 97) {
        memset(got, 0xEE, sizeof(got));
        for (at = 0; at < len; at += step)
            CHECK_EQ(elf_bsdsym_chunk(&b, m.b, IMG_SIZE, at, got + at,
                                      len - at < step ? len - at : step), 0);
        CHECK(memcmp(got, want, len) == 0);
    }
    CHECK_EQ(get32(got), b.strtab_at + STRTAB_LEN - 4);
    CHECK(memcmp(got + 4, "\177ELF", 4) == 0);
}

/* ELF-35: Xen rounds in p_paddr space, then adds VIRT_BASE - PADDR_OFFSET. */
static void test_paddr_rounding(void)
{
    static struct img m;
    struct elf_image_info info;
    struct elf_bsdsym b;

    build(&m, 0xC0000000u, 0xC0000001u, 0xC0100001u, 0x1000);
    CHECK_EQ(plan(&m, &info, &b), 0);
    CHECK_EQ(info.virt_kend, 0xC0101000u);
    CHECK_EQ(b.start, 0xC0101003u);             /* pend 0xC0101001 -> 0xC0101004 */
}

/* No note, a note other than "yes", no symbol table: no area, as Xen. */
static void test_absent(void)
{
    static struct img m;
    struct elf_image_info info;
    struct elf_bsdsym b;
    uint8_t one;

    build(&m, 0, 0, 0x100000, 0x2000);
    put32(shdr(&m, 2) + 4, 1);                  /* symtab -> PROGBITS */
    CHECK_EQ(plan(&m, &info, &b), 0);
    CHECK(!b.present);
    CHECK_EQ(elf_bsdsym_chunk(&b, m.b, IMG_SIZE, 0, &one, 1), -EINVAL);
    build(&m, 0, 0, 0x100000, 0x2000);
    put16(m.b + 48, 0);                         /* no sections at all */
    CHECK_EQ(plan(&m, &info, &b), 0);
    CHECK(!b.present);
    bsd_value = "no";
    build(&m, 0, 0, 0x100000, 0x2000);
    bsd_value = "yes";
    CHECK_EQ(plan(&m, &info, &b), 0);
    CHECK(!info.bsd_symtab && !b.present);
}

struct bad_case {
    const char *name;
    uint32_t shdr_index, field, value;
    int err;
    const char *reason;
};

static const char R32[] = "BSD_SYMTAB: more than one symbol table";
static const char R33[] = "BSD_SYMTAB: symbol table not linked to a string table";
static const char R34[] = "BSD_SYMTAB: symbol or string table outside the image";

static const struct bad_case bad_cases[] = {
    { "ELF-32 two symbol tables", 1, 4, SHT_SYMTAB, -EINVAL, R32 },
    { "ELF-33 link 0", 2, 24, 0, -EINVAL, R33 },
    { "ELF-33 link past e_shnum", 2, 24, 4, -EINVAL, R33 },
    { "ELF-33 link huge", 2, 24, 0xFFFFFFFFu, -EINVAL, R33 },
    { "ELF-33 link to a non-string table", 3, 4, 1, -EINVAL, R33 },
    { "ELF-33 link to itself", 2, 24, 2, -EINVAL, R33 },
    { "ELF-34 symtab offset outside", 2, 16, IMG_SIZE, -EINVAL, R34 },
    { "ELF-34 symtab size outside", 2, 20, IMG_SIZE - OFF_SYMTAB + 1, -EINVAL, R34 },
    { "ELF-34 symtab size wraps", 2, 20, 0xFFFFFFF0u, -EINVAL, R34 },
    { "ELF-34 strtab offset wraps", 3, 16, 0xFFFFFFF8u, -EINVAL, R34 },
    { "ELF-34 strtab size outside", 3, 20, IMG_SIZE, -EINVAL, R34 },
};

static void test_refusals(void)
{
    static struct img m;
    struct elf_image_info info;
    struct elf_bsdsym b;
    uint32_t i;
    uint8_t one;

    for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const struct bad_case *c = &bad_cases[i];

        build(&m, 0, 0, 0x100000, 0x2000);
        put32(shdr(&m, c->shdr_index) + c->field, c->value);
        CHECK_EQ_CASE(c->name, plan(&m, &info, &b), c->err);
        CHECK(!b.present && b.reason && !strcmp(b.reason, c->reason));
        CHECK_EQ_CASE(c->name, elf_bsdsym_chunk(&b, m.b, IMG_SIZE, 0, &one, 1), -EINVAL);
    }
    /* ELF-35: a kernel ending just below the hypervisor leaves no room. */
    build(&m, 0, 0, 0xF57FF000u, 0xF00);
    CHECK_EQ(plan(&m, &info, &b), -EINVAL);
    CHECK(!b.present && !strcmp(b.reason, "BSD_SYMTAB: the symbol area reaches the hypervisor hole"));
}

/* A chunk outside the area, or a plan whose ranges leave the image, writes nothing. */
static void test_chunk_bounds(void)
{
    static struct img m;
    struct elf_image_info info;
    struct elf_bsdsym b, forged;
    uint8_t buf[8] = { 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55 };

    build(&m, 0, 0, 0x100000, 0x2000);
    CHECK_EQ(plan(&m, &info, &b), 0);
    CHECK_EQ(elf_bsdsym_chunk(&b, m.b, IMG_SIZE, b.len - 4, buf, 5), -EINVAL);
    CHECK_EQ(elf_bsdsym_chunk(&b, m.b, IMG_SIZE, b.len + 1, buf, 0), -EINVAL);
    CHECK_EQ(elf_bsdsym_chunk(&b, m.b, IMG_SIZE, 0xFFFFFFFFu, buf, 2), -EINVAL);
    CHECK_EQ(elf_bsdsym_chunk(&b, m.b, 0x100, 0, buf, 4), -EINVAL);   /* smaller image */
    forged = b;
    forged.symtab_len = 0xFFFFFFFFu;
    CHECK_EQ(elf_bsdsym_chunk(&forged, m.b, IMG_SIZE, 0, buf, 4), -EINVAL);
    forged = b;
    forged.len += 4;
    CHECK_EQ(elf_bsdsym_chunk(&forged, m.b, IMG_SIZE, 0, buf, 4), -EINVAL);
    CHECK_EQ(buf[0], 0x55);
    CHECK_EQ(elf_bsdsym_chunk(&b, m.b, IMG_SIZE, b.len - 4, buf, 4), 0);
}

/* Damaged images in exact-size buffers: never a read outside, and a sane plan. */
static void test_mutations(void)
{
    static struct img m;
    struct elf_image_info info;
    struct elf_bsdsym b;
    uint32_t n, k, accepted = 0;

    srand(14);
    for (n = 0; n < 20000; n++) {
        uint32_t size = IMG_SIZE - (uint32_t)(rand() % 3 == 0 ? rand() % IMG_SIZE : 0);
        uint8_t *copy;

        build(&m, 0, 0, 0x100000, 0x2000);
        for (k = 0; k < 1 + (uint32_t)rand() % 4; k++) {
            uint32_t at = rand() % 2 ? OFF_SHDR + (uint32_t)rand() % 160 : (uint32_t)rand() % 64;
            m.b[at] = (uint8_t)rand();
        }
        copy = malloc(size);
        memcpy(copy, m.b, size);
        if (elf_image_parse(copy, size, &info) == 0 &&
            elf_bsdsym_plan(copy, size, &info, &b) == 0 && b.present) {
            uint8_t *area = malloc(b.len);

            accepted++;
            CHECK(b.start >= info.virt_kend && b.end <= HYPERVISOR_VIRT_START);
            CHECK_EQ(elf_bsdsym_chunk(&b, copy, size, 0, area, b.len), 0);
            CHECK_EQ(get32(area), b.strtab_at + b.strtab_len - 4);
            free(area);
        }
        free(copy);
    }
    CHECK(accepted > 100);
}

int main(void)
{
    test_layout();
    test_paddr_rounding();
    test_absent();
    test_refusals();
    test_chunk_bounds();
    test_mutations();
    return check_report();
}
