/*
 * The BSD_SYMTAB area: a kernel whose notes say BSD_SYMTAB=yes gets its
 * symbol table and the symbol names loaded right after its image, laid
 * out as Xen's libelf lays them out (spec/elf-loader.md, "The BSD_SYMTAB
 * area", rules ELF-32 .. ELF-35), so a NetBSD-style kernel finds them at
 * its end:
 *
 *   start = the image's end, rounded up to 4 in p_paddr space
 *   +0    uint32 size: bytes from +4 to the end of the string table
 *   +4    the kernel's ELF header (52 bytes) with e_version 1,
 *         e_phoff/e_phentsize/e_phnum 0, e_shoff 64, e_ehsize 52,
 *         e_shentsize 40, e_shnum 3, e_shstrndx 0; then 12 zero bytes
 *   +68   three section headers of 40 bytes: 0 all zero, 1 the symbol
 *         table's (sh_offset 256, sh_link 2), 2 its string table's
 *         (sh_offset = its position - 4); offsets count from +4
 *   +188  zero up to +260 (Xen keeps room for 64-bit headers)
 *   +260  the symbol table's bytes, zero padding to a multiple of 4,
 *         then the string table's bytes, zero padding to a multiple of 4.
 *
 * The builders lay out everything else (module, P2M, start_info, page
 * tables) from `end` instead of the image's end, as Xen's builders take
 * the extended virt_kend.
 */
#ifndef CORE_ELF_BSDSYM_H
#define CORE_ELF_BSDSYM_H

#include "elf_image.h"

#define ELF_BSDSYM_HDR_LEN 260u     /* size word, header and section slots */

struct elf_bsdsym {
    bool present;          /* an area is to be loaded */
    uint32_t start;        /* VA of the size word */
    uint32_t end;          /* VA one past the area: the kernel's new end */
    uint32_t len;          /* end - start */
    uint32_t symtab_shdr;  /* file offset of the symbol table's section header */
    uint32_t strtab_shdr;  /* ... and of its string table's */
    uint32_t symtab_off, symtab_len;   /* the tables' file bytes */
    uint32_t strtab_off, strtab_len;
    uint32_t strtab_at;    /* area offset of the string table */
    const char *reason;    /* failure: the broken rule; else NULL */
};

/*
 * Plan the area of an image elf_image_parse() accepted into *info.
 * Returns 0 (out->present false when the kernel does not ask for one or
 * has no symbol table, as Xen), or -EINVAL (or -ENOEXEC for a section
 * header table outside the image) with out->reason set and out->present
 * false. Reads nothing outside the image.
 */
/*@ requires \valid_read(image + (0 .. size - 1));
    requires \valid_read(info) && \valid(out);
    requires \separated(out, info) && \separated(out, image + (0 .. size - 1));
    assigns *out;
    ensures \result == 0 || \result == -EINVAL || \result == -ENOEXEC;
    ensures \result != 0 ==> !out->present;
    ensures ELF_34: out->present ==> \result == 0 &&
        out->symtab_shdr + 40 <= size && out->strtab_shdr + 40 <= size &&
        out->symtab_off + out->symtab_len <= size && out->strtab_off + out->strtab_len <= size;
    ensures ELF_35_aligned: out->present ==> out->start <= \old(info->virt_kend) + 3;
    ensures ELF_35_below: out->present ==> out->start + out->len <= HYPERVISOR_VIRT_START;
    ensures ELF_35_end: out->present ==> out->end == out->start + out->len;
*/
int elf_bsdsym_plan(const uint8_t *image, uint32_t size,
                    const struct elf_image_info *info, struct elf_bsdsym *out);

/*
 * Fill dst[0 .. len) with bytes [at, at + len) of the planned area.
 * Meant to be called once per destination page. Returns 0, or -EINVAL
 * (writing nothing) when the plan is absent, the span is not inside
 * [0, b->len), or the plan's file ranges are not inside the image.
 */
/*@ requires \valid_read(b) && \valid_read(image + (0 .. size - 1));
    requires \valid(dst + (0 .. len - 1));
    requires \separated(dst + (0 .. len - 1), image + (0 .. size - 1), b);
    assigns dst[0 .. len - 1];
    ensures \result == 0 || \result == -EINVAL;
*/
int elf_bsdsym_chunk(const struct elf_bsdsym *b, const uint8_t *image, uint32_t size,
                     uint32_t at, uint8_t *dst, uint32_t len);

#endif
