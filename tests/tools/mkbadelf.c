/*
 * mkbadelf: derive a malformed guest image from a good one, for the
 * scenarios that check the dom0 loader refuses it.
 *
 *   mkbadelf <mutation> <good.elf> <out.elf>
 *
 * Each mutation breaks exactly one rule of spec/elf-loader.md (the list is
 * printed by `mkbadelf list`). The good image must be a Bulkhead guest:
 * ELF32, two PT_LOADs, a PT_NOTE with the Xen notes; for the bsd-*
 * mutations, one that carries the BSD_SYMTAB note and a symbol table.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PT_LOAD 1
#define PT_NOTE 4
#define SHT_NOTE 7
#define SHT_PROGBITS 1
#define SHT_SYMTAB 2

static uint8_t *img;
static size_t img_len;

static uint32_t rd32(size_t off) { uint32_t v; memcpy(&v, img + off, 4); return v; }
static uint16_t rd16(size_t off) { uint16_t v; memcpy(&v, img + off, 2); return v; }
static void wr32(size_t off, uint32_t v) { memcpy(img + off, &v, 4); }
static void wr16(size_t off, uint16_t v) { memcpy(img + off, &v, 2); }

static size_t phdr(unsigned i) { return rd32(28) + (size_t)i * rd16(42); }
static unsigned phnum(void) { return rd16(44); }

static size_t find_phdr(uint32_t type, unsigned nth)
{
    unsigned i;

    for (i = 0; i < phnum(); i++)
        if (rd32(phdr(i)) == type && nth-- == 0)
            return phdr(i);
    fprintf(stderr, "mkbadelf: no program header of type %u\n", type);
    exit(2);
}

/* Offset of the descriptor of the Xen note of `type`, and its size. */
static size_t find_note(uint32_t type, uint32_t *descsz)
{
    size_t ph = find_phdr(PT_NOTE, 0), off = rd32(ph + 4), end = off + rd32(ph + 16);

    while (off + 12 <= end) {
        uint32_t namesz = rd32(off), dsz = rd32(off + 4), t = rd32(off + 8);
        size_t desc = off + 12 + ((namesz + 3) & ~3u);
        if (t == type && namesz == 4 && memcmp(img + off + 12, "Xen", 4) == 0) {
            *descsz = dsz;
            return desc;
        }
        off = desc + ((dsz + 3) & ~3u);
    }
    fprintf(stderr, "mkbadelf: no Xen note %u\n", type);
    exit(2);
}

static void set_note_str(uint32_t type, const char *s)
{
    uint32_t sz;
    size_t d = find_note(type, &sz);

    if (strlen(s) + 1 > sz) {
        fprintf(stderr, "mkbadelf: replacement note too long\n");
        exit(2);
    }
    memset(img + d, 0, sz);
    memcpy(img + d, s, strlen(s));
}

static void set_note_num(uint32_t type, uint32_t v)
{
    uint32_t sz;

    wr32(find_note(type, &sz), v);
}

static void drop_notes(void)
{
    size_t sh = rd32(32);
    unsigned i, n = rd16(48);

    wr32(find_phdr(PT_NOTE, 0), 0);          /* PT_NULL */
    for (i = 0; i < n; i++)
        if (rd32(sh + i * 40 + 4) == SHT_NOTE)
            wr32(sh + i * 40 + 4, SHT_PROGBITS);
}

/* Offset of the section header of the (first) symbol table. */
static size_t find_symtab(void)
{
    size_t sh = rd32(32);
    unsigned i, n = rd16(48);

    for (i = 1; i < n; i++)
        if (rd32(sh + i * 40 + 4) == SHT_SYMTAB)
            return sh + i * 40;
    fprintf(stderr, "mkbadelf: no symbol table\n");
    exit(2);
}

struct mutation {
    const char *name;
    const char *breaks;
    void (*apply)(void);
};

static void m_bad_magic(void) { img[1] = 'X'; }
static void m_bad_class(void) { img[4] = 2; }
static void m_bad_machine(void) { wr16(18, 62); }
static void m_not_exec(void) { wr16(16, 3); }
static void m_no_notes(void) { drop_notes(); }
static void m_bad_xen_version(void) { set_note_str(5, "xen-2.0"); }
static void m_no_pae(void) { set_note_str(9, "no"); }
static void m_bad_loader(void) { set_note_str(8, "other"); }
/* Move a segment: p_vaddr and p_paddr together, so both views agree. */
static void move_segment(size_t ph, uint32_t vaddr)
{
    uint32_t delta = vaddr - rd32(ph + 8);

    wr32(ph + 8, vaddr);
    wr32(ph + 12, rd32(ph + 12) + delta);
}
static void m_segment_in_hole(void) { move_segment(find_phdr(PT_LOAD, 1), 0xF5800000u); }
static void m_overlapping_segments(void)
{
    move_segment(find_phdr(PT_LOAD, 1), rd32(find_phdr(PT_LOAD, 0) + 8) + 0x1000);
}
static void m_entry_outside(void) { set_note_num(1, 0x00001000u); wr32(24, 0x00001000u); }
static void m_offset_overflow(void) { wr32(find_phdr(PT_LOAD, 0) + 4, 0xFFFFFF00u); }
static void m_filesz_gt_memsz(void)
{
    size_t ph = find_phdr(PT_LOAD, 1);    /* .data: a few file bytes, more in memory */
    wr32(ph + 20, rd32(ph + 16) - 1);
}
static void m_phdrs_outside(void) { wr32(28, 0x7FFFFFF0u); }
static void m_truncated(void) { img_len = 40; }
static void m_sections_outside(void) { img_len = 200; }
static void m_too_big(void) { wr32(find_phdr(PT_LOAD, 1) + 20, 0x20000000u); }
static void m_hypercall_page_outside(void) { set_note_num(2, 0x00002000u); }
/* The section-name table becomes a second symbol table. */
static void m_bsd_two_symtabs(void) { wr32(rd32(32) + rd16(50) * 40u + 4, SHT_SYMTAB); }
static void m_bsd_bad_link(void) { wr32(find_symtab() + 24, rd16(48)); }
static void m_bsd_symtab_outside(void) { wr32(find_symtab() + 16, (uint32_t)img_len - 4); }

static void m_bad_header_sizes(void) { wr16(40, 53); }
/* GUEST_VERSION ("1") with no NUL in its descriptor. */
static void m_string_unterminated(void)
{
    uint32_t sz;
    size_t d = find_note(7, &sz);

    memset(img + d, 'x', sz);
}
static void m_unknown_feature(void) { set_note_str(10, "!no_such_feature"); }
/* VIRT_BASE's descriptor claims 2 bytes (the walk stays aligned). */
static void m_numeric_note_size(void)
{
    uint32_t sz;

    wr32(find_note(3, &sz) - 12, 2);
}
/* GUEST_VERSION ("1") becomes a second XEN_VERSION ("xen-3.0"). */
static void m_note_twice(void)
{
    uint32_t sz;

    wr32(find_note(7, &sz) - 8, 5);
}
/* VIRT_BASE becomes a note type nobody reads; PADDR_OFFSET stays. */
static void m_paddr_without_virt_base(void)
{
    uint32_t sz;

    wr32(find_note(3, &sz) - 8, 0x7F);
}

/* HYPERCALL_PAGE becomes HV_START_LOW, inside the hypervisor's hole. */
static void m_hv_start_low_above(void)
{
    uint32_t sz;
    size_t d = find_note(2, &sz);

    wr32(d - 8, 12);
    wr32(d, 0xF6000000u);
}
/* The first segment's p_paddr + VIRT_BASE (PADDR_OFFSET is 0) passes 4 GiB. */
static void m_address_wrap(void) { wr32(find_phdr(PT_LOAD, 0) + 12, 0x40100000u); }
/* PADDR_OFFSET above the first p_paddr puts the kernel below VIRT_BASE. */
static void m_virt_base_above_kernel(void) { set_note_num(4, 0x00200000u); }

static const struct mutation mutations[] = {
    { "bad-magic", "ELF-2: ELF identification", m_bad_magic },
    { "bad-class", "ELF-3: ELFCLASS32 only", m_bad_class },
    { "bad-machine", "ELF-5: EM_386 only", m_bad_machine },
    { "not-exec", "ELF-4: ET_EXEC only", m_not_exec },
    { "no-notes", "ELF-18: XEN_VERSION note required", m_no_notes },
    { "bad-xen-version", "ELF-20: XEN_VERSION must start with xen-3.0", m_bad_xen_version },
    { "no-pae", "ELF-22: PAE_MODE must allow PAE", m_no_pae },
    { "bad-loader", "ELF-21: LOADER must be generic", m_bad_loader },
    { "segment-in-hole", "ELF-27: segments end below HYPERVISOR_VIRT_START", m_segment_in_hole },
    { "overlapping-segments", "ELF-28: PT_LOAD segments do not overlap", m_overlapping_segments },
    { "entry-outside", "ELF-30: entry inside the loaded range", m_entry_outside },
    { "offset-overflow", "ELF-10: file bytes inside the image, no overflow", m_offset_overflow },
    { "filesz-gt-memsz", "ELF-9: p_filesz <= p_memsz", m_filesz_gt_memsz },
    { "phdrs-outside", "ELF-7: program headers inside the image", m_phdrs_outside },
    { "truncated", "ELF-1: the ELF header fits", m_truncated },
    { "sections-outside", "ELF-8: section headers inside the image", m_sections_outside },
    { "too-big", "BOOT-9: the image fits in dom0_mem", m_too_big },
    { "bad-header-sizes", "ELF-6: e_ehsize 52", m_bad_header_sizes },
    { "string-unterminated", "ELF-16: string notes NUL-terminated", m_string_unterminated },
    { "unknown-feature", "ELF-23: required features known", m_unknown_feature },
    { "numeric-note-size", "ELF-15: numeric notes of 4 or 8 bytes", m_numeric_note_size },
    { "note-twice", "ELF-17: a note given twice has one value", m_note_twice },
    { "paddr-without-virt-base", "ELF-25: PADDR_OFFSET only with VIRT_BASE", m_paddr_without_virt_base },
    { "hv-start-low-above", "ELF-24: HV_START_LOW not above the hole", m_hv_start_low_above },
    { "address-wrap", "ELF-26: segment addresses within 32 bits", m_address_wrap },
    { "virt-base-above-kernel", "ELF-29: VIRT_BASE not above the kernel", m_virt_base_above_kernel },
    { "hypercall-page-outside", "ELF-31: HYPERCALL_PAGE inside the image", m_hypercall_page_outside },
    { "bsd-two-symtabs", "BSD_SYMTAB: one symbol table", m_bsd_two_symtabs },
    { "bsd-bad-link", "BSD_SYMTAB: symtab linked to a string table", m_bsd_bad_link },
    { "bsd-symtab-outside", "BSD_SYMTAB: tables inside the image", m_bsd_symtab_outside },
};

int main(int argc, char **argv)
{
    FILE *f;
    size_t i;

    if (argc == 2 && strcmp(argv[1], "list") == 0) {
        for (i = 0; i < sizeof(mutations) / sizeof(mutations[0]); i++)
            printf("%s\t%s\n", mutations[i].name, mutations[i].breaks);
        return 0;
    }
    if (argc != 4) {
        fprintf(stderr, "usage: mkbadelf <mutation|list> <good.elf> <out.elf>\n");
        return 2;
    }
    f = fopen(argv[2], "rb");
    if (!f || fseek(f, 0, SEEK_END) || (img_len = (size_t)ftell(f)) < 64) {
        fprintf(stderr, "mkbadelf: cannot read %s\n", argv[2]);
        return 2;
    }
    rewind(f);
    img = malloc(img_len);
    if (!img || fread(img, 1, img_len, f) != img_len)
        return 2;
    fclose(f);
    for (i = 0; i < sizeof(mutations) / sizeof(mutations[0]); i++)
        if (strcmp(mutations[i].name, argv[1]) == 0)
            break;
    if (i == sizeof(mutations) / sizeof(mutations[0])) {
        fprintf(stderr, "mkbadelf: unknown mutation %s\n", argv[1]);
        return 2;
    }
    mutations[i].apply();
    f = fopen(argv[3], "wb");
    if (!f || fwrite(img, 1, img_len, f) != img_len || fclose(f))
        return 2;
    free(img);
    return 0;
}
