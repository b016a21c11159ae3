/*
 * Scenario: the BSD_SYMTAB area (spec/elf-loader.md ELF-35), as a kernel
 * that asks for it with the BSD_SYMTAB note finds it: right after its
 * image (its end rounded up to 4), a size word, an ELF header whose
 * section headers (null, symtab, strtab) point at the tables loaded
 * behind it, and the later boot structures (the module package as dom0,
 * the P2M list as a domU) moved past it. The guest walks its own symbol table and finds the address of two
 * known symbols. Written against the ELF format and Xen's layout alone.
 * The same image runs as dom0 (the hypervisor's builder, bsd-symtab) and
 * as a domU (dom0's builder, the last guest of attack-elf-32-bsd-symtab).
 */
#include "test.h"

/* XEN_ELFNOTE_BSD_SYMTAB (11) = "yes": xen/include/public/elfnote.h */
__asm__(".pushsection .note.Xen, \"a\", @note\n"
        ".align 4\n"
        ".long 4, 4, 11\n"
        ".asciz \"Xen\"\n"
        ".asciz \"yes\"\n"
        ".popsection\n");

/*
 * 400 local symbols, so the tables (about 12 KiB) cross page boundaries
 * and the placement of what follows them is visible.
 */
__asm__(".macro bsd_symtab_fill\n"
        "bsd_symtab_fill_\\@: .byte 0\n"
        ".endm\n"
        ".pushsection .rodata\n"
        ".rept 400\n"
        "bsd_symtab_fill\n"
        ".endr\n"
        ".popsection\n");

/* ELF32 (the System V gABI) */
#define SHT_SYMTAB 2u
#define SHT_STRTAB 3u
#define SHDR_LEN   40u
#define SYM_LEN    16u

extern char _end[];
uint32_t bsd_symtab_marker = 0x5eed;

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t rd16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

/* The value of symbol `name` in the loaded table, or 0. */
static uint32_t lookup(const uint8_t *eh, const uint8_t *symtab, const uint8_t *strtab,
                       const char *name)
{
    uint32_t n = rd32(symtab + 20) / SYM_LEN, strsz = rd32(strtab + 20), i;
    const uint8_t *syms = eh + rd32(symtab + 16);
    const char *names = (const char *)eh + rd32(strtab + 16);

    for (i = 1; i < n; i++) {
        uint32_t at = rd32(syms + i * SYM_LEN);
        if (at < strsz && strsz - at > strlen(name) && !strcmp(names + at, name))
            return rd32(syms + i * SYM_LEN + 4);
    }
    return 0;
}

static int all_zero(const uint8_t *p, uint32_t n)
{
    while (n--)
        if (*p++)
            return 0;
    return 1;
}

int guest_main(struct start_info *si)
{
    const uint8_t *area = (const uint8_t *)(((uintptr_t)_end + 3u) & ~3u);
    const uint8_t *eh = area + 4, *sh = eh + 64;
    uint32_t size = rd32(area), area_end;

    gprintf("bsd-symtab: image ends at %p, area at %p, size word %u, module at 0x%x, "
            "P2M at 0x%x, %s\n", (void *)_end, (void *)area, size, si->mod_len ? si->mod_start : 0,
            si->mfn_list, (si->flags & 1u) ? "privileged" : "unprivileged");
    test_check("ELF-35 ELF magic after the size word", !memcmp(eh, "\177ELF", 4));
    test_check("ELF-35 header: e_phoff 0, e_shoff 64, e_phnum 0", rd32(eh + 28) == 0 &&
               rd32(eh + 32) == 64 && rd16(eh + 44) == 0);
    test_check("ELF-35 header: e_ehsize 52, e_shentsize 40, e_shnum 3, e_shstrndx 0",
               rd16(eh + 40) == 52 && rd16(eh + 46) == SHDR_LEN && rd16(eh + 48) == 3 &&
               rd16(eh + 50) == 0);
    test_check("ELF-35 section 0 is null", all_zero(sh, SHDR_LEN));
    test_check("ELF-35 section 1: symtab at 256, linked to 2",
               rd32(sh + SHDR_LEN + 4) == SHT_SYMTAB && rd32(sh + SHDR_LEN + 16) == 256 &&
               rd32(sh + SHDR_LEN + 24) == 2);
    test_check("ELF-35 section 2: strtab right after the symtab, rounded to 4",
               rd32(sh + 2 * SHDR_LEN + 4) == SHT_STRTAB &&
               rd32(sh + 2 * SHDR_LEN + 16) == ((256 + rd32(sh + SHDR_LEN + 20) + 3) & ~3u));
    test_check("ELF-35 size word ends at the end of the strtab",
               size == rd32(sh + 2 * SHDR_LEN + 16) + rd32(sh + 2 * SHDR_LEN + 20));
    test_check("ELF-35 symbol guest_main found at its address",
               lookup(eh, sh + SHDR_LEN, sh + 2 * SHDR_LEN, "guest_main") == (uintptr_t)guest_main);
    test_check("ELF-35 symbol bsd_symtab_marker found at its address",
               lookup(eh, sh + SHDR_LEN, sh + 2 * SHDR_LEN, "bsd_symtab_marker") ==
               (uintptr_t)&bsd_symtab_marker);
    /* BOOT-10: the module (dom0 here has one), else the P2M, from the next page. */
    area_end = ((uintptr_t)eh + size + 3u) & ~3u;
    test_check("ELF-35 the area ends on a later page than the image",
               area_end / 4096u > (uintptr_t)_end / 4096u);
    test_check("ELF-35 the first boot structure starts on the page after the area",
               (si->mod_len ? si->mod_start : si->mfn_list) == ((area_end + 4095u) & ~4095u));
    test_finish();
}
