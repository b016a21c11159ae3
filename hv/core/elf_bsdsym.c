/*
 * The BSD_SYMTAB area (see elf_bsdsym.h; spec/elf-loader.md ELF-32 ..
 * ELF-35). The image is untrusted bytes even after elf_image_parse()
 * accepted it: every field is read through rd16/rd32, which answer 0
 * outside the image, every range is tested in subtraction form or in 64
 * bits, and the plan records only ranges it has checked. The fill step
 * re-checks them, so a plan cannot make it read outside the image.
 *
 * Xen's libelf (common/libelf/libelf-loader.c, elf_init,
 * elf_parse_bsdsyms, elf_load_bsdsyms) quietly loads nothing when the
 * symbol table's link is bad and takes the first of several symbol
 * tables; we refuse those images instead (none is a correct kernel).
 */
#include "elf_bsdsym.h"

#define SHDR_LEN        40u
#define SHT_SYMTAB      2u
#define SHT_STRTAB      3u
#define SH_TYPE         4u
#define SH_OFFSET       16u
#define SH_SIZE         20u
#define SH_LINK         24u

/* Area offsets of the pieces of the header (elf_bsdsym.h). */
#define AT_EHDR         4u
#define AT_SHDR(i)      (68u + (i) * SHDR_LEN)
#define EHDR_LEN        52u
#define SHOFF_IN_AREA   64u     /* e_shoff: Xen's 64-byte header slot */

/* Little-endian fields, by arithmetic (no shifts for the provers to doubt). */
/*@ requires \valid_read(img + (0 .. size - 1));
    assigns \nothing;
    ensures \result <= 0xFFFF;
*/
static uint32_t rd16(const uint8_t *img, uint32_t size, uint32_t off)
{
    if (off > size || size - off < 2)
        return 0;
    return (uint32_t)img[off] + (uint32_t)img[off + 1] * 0x100u;
}

/*@ requires \valid_read(img + (0 .. size - 1));
    assigns \nothing;
*/
static uint32_t rd32(const uint8_t *img, uint32_t size, uint32_t off)
{
    if (off > size || size - off < 4)
        return 0;
    return rd16(img, size, off) + rd16(img, size, off + 2) * 0x10000u;
}

/*@ requires \valid(p + (0 .. 1));
    assigns p[0 .. 1];
*/
static void wr16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v % 0x100u);
    p[1] = (uint8_t)(v / 0x100u % 0x100u);
}

/*@ requires \valid(p + (0 .. 3));
    assigns p[0 .. 3];
*/
static void wr32(uint8_t *p, uint32_t v)
{
    wr16(p, v % 0x10000u);
    wr16(p + 2, v / 0x10000u);
}

/*@ assigns \nothing;
    ensures \result <==> off <= size && len <= size - off;
*/
static bool span_ok(uint32_t size, uint32_t off, uint32_t len)
{
    return off <= size && len <= size - off;
}

/*@ requires v <= 0x300000000;
    assigns \nothing;
    ensures \result == (v + 3) / 4 * 4 && v <= \result <= v + 3;
*/
static uint64_t round4(uint64_t v)
{
    return (v + 3u) / 4u * 4u;
}

/*@ requires \valid(out);
    assigns out->present, out->reason;
    ensures \result == err && !out->present;
*/
static int fail(struct elf_bsdsym *out, int err, const char *why)
{
    out->present = false;
    out->reason = why;
    return err;
}

/* ELF-32: exactly one SHT_SYMTAB among sections 1.. (0 is the null one, skipped as Xen). */
/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid(out) && \valid(index) && \separated(out, index);
    requires \separated(out, img + (0 .. size - 1)) && \separated(index, img + (0 .. size - 1));
    requires shoff <= size && shnum * SHDR_LEN <= size - shoff && 1 <= shnum;
    assigns out->present, out->reason, *index;
    ensures \result == 1 || \result == 0 || \result == -EINVAL;
    ensures \result == 1 ==> 1 <= *index < shnum;
    ensures \result == -EINVAL ==> !out->present;
*/
static int find_symtab(const uint8_t *img, uint32_t size, uint32_t shoff, uint32_t shnum,
                       struct elf_bsdsym *out, uint32_t *index)
{
    uint32_t i, found = 0;

    /*@ loop invariant 1 <= i <= shnum;
        loop invariant found <= 1;
        loop invariant found == 1 ==> 1 <= *index < i;
        loop assigns i, found, *index;
        loop variant shnum - i;
    */
    for (i = 1; i < shnum; i++) {
        if (rd32(img, size, shoff + i * SHDR_LEN + SH_TYPE) != SHT_SYMTAB)
            continue;
        if (found++)
            return fail(out, -EINVAL, "BSD_SYMTAB: more than one symbol table");
        *index = i;
    }
    return found ? 1 : 0;
}

/* ELF-33, ELF-34: the linked string table, and both tables' bytes in the image. */
/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid(out) && \separated(out, img + (0 .. size - 1));
    requires shoff <= size && shnum * SHDR_LEN <= size - shoff && 1 <= sym < shnum;
    assigns out->symtab_shdr, out->strtab_shdr, out->symtab_off, out->symtab_len,
            out->strtab_off, out->strtab_len, out->present, out->reason;
    ensures \result == 0 || \result == -EINVAL;
    ensures ELF_34: \result == 0 ==>
        out->symtab_shdr + SHDR_LEN <= size && out->strtab_shdr + SHDR_LEN <= size &&
        out->symtab_off + out->symtab_len <= size && out->strtab_off + out->strtab_len <= size;
    ensures \result != 0 ==> !out->present;
*/
static int check_tables(const uint8_t *img, uint32_t size, uint32_t shoff, uint32_t shnum,
                        uint32_t sym, struct elf_bsdsym *out)
{
    uint32_t link;

    out->symtab_shdr = shoff + sym * SHDR_LEN;
    link = rd32(img, size, out->symtab_shdr + SH_LINK);
    if (link == 0 || link >= shnum ||
        rd32(img, size, shoff + link * SHDR_LEN + SH_TYPE) != SHT_STRTAB)
        return fail(out, -EINVAL, "BSD_SYMTAB: symbol table not linked to a string table");
    out->strtab_shdr = shoff + link * SHDR_LEN;
    out->symtab_off = rd32(img, size, out->symtab_shdr + SH_OFFSET);
    out->symtab_len = rd32(img, size, out->symtab_shdr + SH_SIZE);
    out->strtab_off = rd32(img, size, out->strtab_shdr + SH_OFFSET);
    out->strtab_len = rd32(img, size, out->strtab_shdr + SH_SIZE);
    if (!span_ok(size, out->symtab_off, out->symtab_len) ||
        !span_ok(size, out->strtab_off, out->strtab_len))
        return fail(out, -EINVAL, "BSD_SYMTAB: symbol or string table outside the image");
    return 0;
}

/*
 * ELF-35: where the area goes. Xen rounds the image's end up to 4 in
 * p_paddr space (pend), then adds VIRT_BASE - PADDR_OFFSET back.
 */
/*@ requires \valid_read(info) && \valid(out) && \separated(out, info);
    assigns out->start, out->len, out->end, out->strtab_at, out->present, out->reason;
    ensures \result == 0 || \result == -EINVAL;
    ensures ELF_35: \result == 0 ==>
        info->virt_kend <= out->start <= info->virt_kend + 3 &&
        out->start + out->len <= HYPERVISOR_VIRT_START && out->end == out->start + out->len &&
        out->strtab_at == (ELF_BSDSYM_HDR_LEN + out->symtab_len + 3) / 4 * 4 &&
        out->len == (out->strtab_at + out->strtab_len + 3) / 4 * 4;
    ensures \result != 0 ==> !out->present;
*/
static int place_area(const struct elf_image_info *info, struct elf_bsdsym *out)
{
    /* the image's end in p_paddr space is virt_kend - (virt_base - paddr_offset),
     * modulo 2^32; only its remainder by 4 matters, taken without a wrap */
    uint32_t pend4 = (info->virt_kend % 4u + 4u - info->virt_base % 4u + info->paddr_offset % 4u) % 4u;
    uint64_t start = (uint64_t)info->virt_kend + (4u - pend4) % 4u;
    uint64_t strtab_at = round4((uint64_t)ELF_BSDSYM_HDR_LEN + out->symtab_len);
    uint64_t len = round4(strtab_at + out->strtab_len);

    if (start + len > HYPERVISOR_VIRT_START)
        return fail(out, -EINVAL, "BSD_SYMTAB: the symbol area reaches the hypervisor hole");
    out->start = (uint32_t)start;
    out->len = (uint32_t)len;
    out->end = (uint32_t)(start + len);
    out->strtab_at = (uint32_t)strtab_at;
    return 0;
}

/*@ predicate bsdsym_plan_ok(struct elf_bsdsym *b, integer size) =
        b->present && size >= 52 &&
        b->symtab_shdr + SHDR_LEN <= size && b->strtab_shdr + SHDR_LEN <= size &&
        b->symtab_off + b->symtab_len <= size && b->strtab_off + b->strtab_len <= size &&
        b->strtab_at == (ELF_BSDSYM_HDR_LEN + b->symtab_len + 3) / 4 * 4 &&
        b->len == (b->strtab_at + b->strtab_len + 3) / 4 * 4;
*/

int elf_bsdsym_plan(const uint8_t *image, uint32_t size,
                    const struct elf_image_info *info, struct elf_bsdsym *out)
{
    struct elf_bsdsym b = { 0 };
    uint32_t shoff, shnum, sym = 0;
    int rc;

    *out = b;
    if (!info->bsd_symtab || info->nr_segs == 0)
        return 0;
    shoff = rd32(image, size, 32);
    shnum = rd16(image, size, 48);
    if (shnum == 0)
        return 0;
    /* ELF-8 and ELF-6 again: the parse checked them, this file does not rely on it. */
    if (rd16(image, size, 46) != SHDR_LEN || !span_ok(size, shoff, shnum * SHDR_LEN))
        return fail(out, -ENOEXEC, "ELF: section headers outside the image");
    rc = find_symtab(image, size, shoff, shnum, &b, &sym);
    if (rc <= 0) {
        *out = b;
        return rc;
    }
    rc = check_tables(image, size, shoff, shnum, sym, &b);
    if (!rc)
        rc = place_area(info, &b);
    if (!rc)
        b.present = true;
    /* proved here; as a postcondition over *out the provers time out */
    //@ assert ELF_35_after: b.present ==> \at(info->virt_kend, Pre) <= b.start;
    *out = b;
    return rc;
}

/* The ELF header as Xen rewrites it (elf_bsdsym.h). */
/*@ requires \valid_read(image + (0 .. EHDR_LEN - 1)) && \valid(h + (0 .. EHDR_LEN - 1));
    requires \separated(h + (0 .. EHDR_LEN - 1), image + (0 .. EHDR_LEN - 1));
    assigns h[0 .. EHDR_LEN - 1];
*/
static void put_ehdr(const uint8_t *image, uint8_t *h)
{
    uint32_t k;

    /*@ loop invariant 0 <= k <= EHDR_LEN;
        loop assigns k, h[0 .. EHDR_LEN - 1];
        loop variant EHDR_LEN - k;
    */
    for (k = 0; k < EHDR_LEN; k++)
        h[k] = image[k];
    wr32(h + 20, 1);                /* e_version: EV_CURRENT */
    wr32(h + 28, 0);                /* e_phoff */
    wr32(h + 32, SHOFF_IN_AREA);    /* e_shoff */
    wr16(h + 40, EHDR_LEN);         /* e_ehsize */
    wr16(h + 42, 0);                /* e_phentsize */
    wr16(h + 44, 0);                /* e_phnum */
    wr16(h + 46, SHDR_LEN);         /* e_shentsize */
    wr16(h + 48, 3);                /* e_shnum: null, symtab, strtab */
    wr16(h + 50, 0);                /* e_shstrndx: no section names */
}

/* A section header copied from the image, its sh_offset counted from the ELF header. */
/*@ requires \valid_read(image + (from .. from + SHDR_LEN - 1)) && \valid(h + (0 .. SHDR_LEN - 1));
    requires \separated(h + (0 .. SHDR_LEN - 1), image + (from .. from + SHDR_LEN - 1));
    requires from + SHDR_LEN <= 0xFFFFFFFF && at >= AT_EHDR;
    assigns h[0 .. SHDR_LEN - 1];
*/
static void put_shdr(const uint8_t *image, uint32_t from, uint8_t *h, uint32_t at)
{
    uint32_t k;

    /*@ loop invariant 0 <= k <= SHDR_LEN;
        loop assigns k, h[0 .. SHDR_LEN - 1];
        loop variant SHDR_LEN - k;
    */
    for (k = 0; k < SHDR_LEN; k++)
        h[k] = image[from + k];
    wr32(h + SH_OFFSET, at - AT_EHDR);
}

/* The first ELF_BSDSYM_HDR_LEN bytes of the area; image ranges already checked. */
/*@ requires \valid_read(b) && \valid_read(image + (0 .. size - 1));
    requires \valid(h + (0 .. ELF_BSDSYM_HDR_LEN - 1));
    requires \separated(h + (0 .. ELF_BSDSYM_HDR_LEN - 1), image + (0 .. size - 1), b);
    requires bsdsym_plan_ok(b, size);
    assigns h[0 .. ELF_BSDSYM_HDR_LEN - 1];
*/
static void build_header(const struct elf_bsdsym *b, const uint8_t *image, uint32_t size,
                         uint8_t *h)
{
    uint32_t k;

    /*@ loop invariant 0 <= k <= ELF_BSDSYM_HDR_LEN;
        loop assigns k, h[0 .. ELF_BSDSYM_HDR_LEN - 1];
        loop variant ELF_BSDSYM_HDR_LEN - k;
    */
    for (k = 0; k < ELF_BSDSYM_HDR_LEN; k++)
        h[k] = 0;
    wr32(h, b->strtab_at + b->strtab_len - AT_EHDR);
    put_ehdr(image, h + AT_EHDR);
    put_shdr(image, b->symtab_shdr, h + AT_SHDR(1), ELF_BSDSYM_HDR_LEN);
    wr32(h + AT_SHDR(1) + SH_LINK, 2);
    put_shdr(image, b->strtab_shdr, h + AT_SHDR(2), b->strtab_at);
}

/*@ requires \valid_read(b);
    assigns \nothing;
    ensures \result <==> bsdsym_plan_ok(b, size);
*/
static bool plan_ok(const struct elf_bsdsym *b, uint32_t size)
{
    return b->present && size >= EHDR_LEN &&
           span_ok(size, b->symtab_shdr, SHDR_LEN) && span_ok(size, b->strtab_shdr, SHDR_LEN) &&
           span_ok(size, b->symtab_off, b->symtab_len) &&
           span_ok(size, b->strtab_off, b->strtab_len) &&
           b->strtab_at == round4((uint64_t)ELF_BSDSYM_HDR_LEN + b->symtab_len) &&
           b->len == round4((uint64_t)b->strtab_at + b->strtab_len);
}

/* Byte `pos` of the area past the header: a table's byte or padding. */
/*@ requires \valid_read(b) && \valid_read(image + (0 .. size - 1));
    requires bsdsym_plan_ok(b, size) && pos >= ELF_BSDSYM_HDR_LEN;
    assigns \nothing;
*/
static uint8_t table_byte(const struct elf_bsdsym *b, const uint8_t *image, uint32_t size,
                          uint32_t pos)
{
    if (pos - ELF_BSDSYM_HDR_LEN < b->symtab_len)
        return image[b->symtab_off + (pos - ELF_BSDSYM_HDR_LEN)];
    if (pos >= b->strtab_at && pos - b->strtab_at < b->strtab_len)
        return image[b->strtab_off + (pos - b->strtab_at)];
    return 0;
}

int elf_bsdsym_chunk(const struct elf_bsdsym *b, const uint8_t *image, uint32_t size,
                     uint32_t at, uint8_t *dst, uint32_t len)
{
    uint8_t hdr[ELF_BSDSYM_HDR_LEN];
    uint32_t k;

    if (!plan_ok(b, size) || at > b->len || len > b->len - at)
        return -EINVAL;
    if (at < ELF_BSDSYM_HDR_LEN)
        build_header(b, image, size, hdr);
    /*@ loop invariant 0 <= k <= len;
        loop assigns k, dst[0 .. len - 1];
        loop variant len - k;
    */
    for (k = 0; k < len; k++) {
        uint32_t pos = at + k;
        dst[k] = pos < ELF_BSDSYM_HDR_LEN ? hdr[pos] : table_byte(b, image, size, pos);
    }
    return 0;
}
