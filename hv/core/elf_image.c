/*
 * Strict ELF32 front end for Xen PV kernels (see elf_image.h).
 *
 * Theory of operation. The image is untrusted bytes. Every field is read
 * with elf_u8/u16/u32, which load little-endian bytes one at a time and
 * answer 0 for anything not entirely inside the image, so no read can
 * leave it whatever the checks above it do. The checks themselves decide:
 * each rule below is one early return with its own reason string, and
 * every range test is written in subtraction form (off <= size &&
 * len <= size - off) so that no sum can wrap. The parse runs in stages;
 * each establishes facts about *info that the later ones keep (their
 * contracts say which fields they may write, and the segment stages state
 * that they leave the notes' results alone):
 *
 *   header  -> the program and section header tables lie in the image;
 *   notes   -> the Xen notes (PT_NOTE first, then SHT_NOTE, then the
 *              legacy __xen_guest string) in one table, duplicates agreeing;
 *   apply   -> version, loader, PAE, features and addresses from the table;
 *   collect -> 1..ELF_MAX_SEGS non-empty PT_LOAD segments, file bytes in
 *              the image, filesz <= memsz;
 *   place   -> each segment moved to p_paddr + VIRT_BASE - PADDR_OFFSET
 *              without wrapping, below HYPERVISOR_VIRT_START, no overlap;
 *   layout  -> VIRT_BASE, entry and hypercall page inside the kernel.
 *
 * The success postcondition of elf_image_parse() (elf_info_ok() in the
 * header) is the conjunction of these facts; proofs/README.md says how it
 * is proved. On failure info->nr_segs is 0, so no caller can load a
 * half-checked image by ignoring the return value.
 *
 * Rules (spec/elf-loader.md has the table with error codes and reasons):
 *  ELF-1  the image holds at least the 52-byte ELF header
 *  ELF-2  magic is 0x7f 'E' 'L' 'F'
 *  ELF-3  ELFCLASS32, ELFDATA2LSB, EV_CURRENT (ident and e_version)
 *  ELF-4  e_type is ET_EXEC
 *  ELF-5  e_machine is EM_386
 *  ELF-6  e_ehsize 52, e_phentsize 32, e_shentsize 40 when sections exist
 *  ELF-7  the program header table lies inside the image
 *  ELF-8  the section header table lies inside the image
 *  ELF-9  a PT_LOAD segment's p_filesz does not exceed its p_memsz
 *  ELF-10 a PT_LOAD segment's file bytes lie inside the image
 *  ELF-11 at most ELF_MAX_SEGS non-empty PT_LOAD segments
 *  ELF-12 at least one non-empty PT_LOAD segment
 *  ELF-13 every PT_NOTE / SHT_NOTE region that is read lies in the image
 *  ELF-14 every note's header, name and descriptor fit in its region
 *  ELF-15 a numeric Xen note has a 4- or 8-byte descriptor whose value
 *         fits in 32 bits
 *  ELF-16 a string Xen note is NUL-terminated inside its descriptor
 *  ELF-17 a Xen note (or legacy key) given twice has the same value
 *  ELF-18 the image has Xen notes or a __xen_guest section
 *  ELF-19 the __xen_guest string is NUL-terminated, keys <= 31 and values
 *         <= 127 bytes, numbers decimal or 0x-hex within 32 bits
 *  ELF-20 XEN_VERSION is present and starts with "xen-3.0"
 *  ELF-21 LOADER is "generic" unless GUEST_OS is "linux"
 *  ELF-22 PAE_MODE is "yes", "yes,bimodal" or "bimodal" (legacy PAE:
 *         "yes" or "yes[extended-cr3]")
 *  ELF-23 every required ('!') feature is one the loader knows
 *  ELF-24 HV_START_LOW, if given, is not above HYPERVISOR_VIRT_START
 *  ELF-25 PADDR_OFFSET is not given without VIRT_BASE
 *  ELF-26 p_paddr + VIRT_BASE - PADDR_OFFSET fits in 32 bits
 *  ELF-27 every segment ends at or below HYPERVISOR_VIRT_START
 *  ELF-28 loadable segments do not overlap in virtual space
 *  ELF-29 VIRT_BASE is not above the kernel's start
 *  ELF-30 the entry point lies in [virt_kstart, virt_kend)
 *  ELF-31 the hypercall page, if any, is page aligned and lies wholly in
 *         [virt_kstart, virt_kend)
 */
#include "elf_image.h"
#include "pv/elfnote.h"

#define ELF_EHDR_SIZE  52u
#define ELF_PHDR_SIZE  32u
#define ELF_SHDR_SIZE  40u
#define ELF_ET_EXEC    2u
#define ELF_EM_386     3u
#define ELF_PT_LOAD    1u
#define ELF_PT_NOTE    4u
#define ELF_SHT_NOTE   7u
#define ELF_PN_XNUM    0xFFFFu
#define ELF_NOTE_HDR   12u
#define ELF_NOTE_TYPES 20u     /* Xen note types with a slot: 0 .. 19 */
#define ELF_NOTE_IGNORED 0
#define ELF_NOTE_NUM     1
#define ELF_NOTE_STR     2
#define ELF_LEGACY_KEY_MAX 31u
#define ELF_LEGACY_VAL_MAX 127u
#define ELF_U32_MAX    0xFFFFFFFFu

/* The ELF header fields the later stages use. */
struct elf_ehdr {
    uint32_t entry;
    uint32_t phoff, phnum;
    uint32_t shoff, shnum, shstrndx;
};

/* One Xen note (or legacy key): a number, or a string [off, off + len). */
struct elf_note_val {
    uint32_t num;
    uint32_t off;
    uint32_t len;
    bool present;
};

struct elf_notes {
    struct elf_note_val v[ELF_NOTE_TYPES];
    bool found;    /* at least one note named "Xen", or a __xen_guest section */
    bool legacy;   /* the values came from __xen_guest */
};

/*@ predicate elf_ehdr_ok(struct elf_ehdr *eh, integer size) =
        eh->phnum <= 0xFFFF && eh->shnum <= 0xFFFF &&
        eh->phoff + eh->phnum * ELF_PHDR_SIZE <= size &&
        eh->shoff + eh->shnum * ELF_SHDR_SIZE <= size;

    predicate elf_seg_file_ok(struct elf_segment *s, integer size) =
        0 < s->memsz && s->filesz <= s->memsz &&
        s->offset + s->filesz <= size;

    predicate elf_segs_file_ok{L}(struct elf_image_info *info, integer size) =
        1 <= info->nr_segs <= ELF_MAX_SEGS &&
        \forall integer i; 0 <= i < info->nr_segs ==>
            elf_seg_file_ok(&info->seg[i], size);

    predicate elf_notes_ok{L}(struct elf_notes *n, integer size) =
        \forall integer t; 0 <= t < ELF_NOTE_TYPES ==>
            n->v[t].off + n->v[t].len <= size;

    // What apply_notes established and the segment stages must keep.
    predicate elf_params_kept{L1, L2}(struct elf_image_info *info) =
        \at(info->hypercall_page, L1) == \at(info->hypercall_page, L2) &&
        \at(info->pae, L1) == \at(info->pae, L2) &&
        \at(info->guest_os[ELF_GUEST_OS_LEN - 1], L1) ==
            \at(info->guest_os[ELF_GUEST_OS_LEN - 1], L2);

    predicate elf_failed{L}(struct elf_image_info *info, integer rc) =
        (rc == -ENOEXEC || rc == -EINVAL) && info->reason != \null;
*/

/* ---- Bounded little-endian loads ------------------------------------ */

/*@ requires \valid_read(img + (0 .. size - 1));
    assigns \nothing;
    ensures \result <= 255;
    ensures off < size ==> \result == img[off];
*/
static uint32_t elf_u8(const uint8_t *img, uint32_t size, uint32_t off)
{
    if (off >= size)
        return 0;
    return img[off];
}

/*@ requires \valid_read(img + (0 .. size - 1));
    assigns \nothing;
    ensures \result <= 0xFFFF;
*/
static uint32_t elf_u16(const uint8_t *img, uint32_t size, uint32_t off)
{
    if (off > size || 2u > size - off)
        return 0;
    return (uint32_t)img[off] + (uint32_t)img[off + 1] * 0x100u;
}

/*@ requires \valid_read(img + (0 .. size - 1));
    assigns \nothing;
*/
static uint32_t elf_u32(const uint8_t *img, uint32_t size, uint32_t off)
{
    if (off > size || 4u > size - off)
        return 0;
    return (uint32_t)img[off] + (uint32_t)img[off + 1] * 0x100u +
           (uint32_t)img[off + 2] * 0x10000u + (uint32_t)img[off + 3] * 0x1000000u;
}

/*@ assigns \nothing;
    ensures \result <==> (off <= size && len <= size - off);
*/
static bool elf_span_ok(uint32_t size, uint32_t off, uint32_t len)
{
    return off <= size && len <= size - off;
}

/*@ requires \valid(info);
    requires code == -ENOEXEC || code == -EINVAL;
    requires why != \null;
    assigns info->reason;
    ensures info->reason == why && \result == code;
    ensures elf_failed(info, \result);
*/
static int elf_fail(struct elf_image_info *info, int code, const char *why)
{
    info->reason = why;
    return code;
}

/* ---- Byte strings in the image --------------------------------------- */

/* Bytes [off, off + n) of the image equal lit[0 .. n). */
/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid_read(lit + (0 .. n - 1));
    assigns \nothing;
*/
static bool elf_bytes_eq(const uint8_t *img, uint32_t size, uint32_t off,
                         const char *lit, uint32_t n)
{
    uint32_t k;

    if (!elf_span_ok(size, off, n))
        return false;
    /*@ loop invariant 0 <= k <= n;
        loop assigns k;
        loop variant n - k;
    */
    for (k = 0; k < n; k++) {
        if ((int)elf_u8(img, size, off + k) != (int)lit[k])
            return false;
    }
    return true;
}

/* The span [off, off + len) is exactly the string lit (n bytes). */
/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid_read(lit + (0 .. n - 1));
    assigns \nothing;
*/
static bool elf_span_is(const uint8_t *img, uint32_t size, uint32_t off,
                        uint32_t len, const char *lit, uint32_t n)
{
    return len == n && elf_bytes_eq(img, size, off, lit, n);
}

/* Index of the first byte c in [off, off + len), or len if there is none. */
/*@ requires \valid_read(img + (0 .. size - 1));
    assigns \nothing;
    ensures \result <= len;
*/
static uint32_t elf_find_byte(const uint8_t *img, uint32_t size, uint32_t off,
                              uint32_t len, uint32_t c)
{
    uint32_t k;

    /*@ loop invariant 0 <= k <= len;
        loop assigns k;
        loop variant len - k;
    */
    for (k = 0; k < len; k++) {
        if (off > ELF_U32_MAX - k)
            return len;
        if (elf_u8(img, size, off + k) == c)
            return k;
    }
    return len;
}

/* Two spans of the image of the same length hold the same bytes. */
/*@ requires \valid_read(img + (0 .. size - 1));
    assigns \nothing;
*/
static bool elf_spans_equal(const uint8_t *img, uint32_t size, uint32_t a,
                            uint32_t b, uint32_t len)
{
    uint32_t k;

    if (!elf_span_ok(size, a, len) || !elf_span_ok(size, b, len))
        return false;
    /*@ loop invariant 0 <= k <= len;
        loop assigns k;
        loop variant len - k;
    */
    for (k = 0; k < len; k++) {
        if (elf_u8(img, size, a + k) != elf_u8(img, size, b + k))
            return false;
    }
    return true;
}

/* ---- ELF header (ELF-1 .. ELF-8) -------------------------------------- */

/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid(info);
    requires \separated(img + (0 .. size - 1), info);
    assigns info->reason;
    ensures \result == 0 || elf_failed(info, \result);
    ensures \result == 0 ==> size >= ELF_EHDR_SIZE;
*/
static int elf_check_ident(const uint8_t *img, uint32_t size,
                           struct elf_image_info *info)
{
    /* ELF-1 */
    if (size < ELF_EHDR_SIZE)
        return elf_fail(info, -ENOEXEC, "ELF: image smaller than the ELF header");
    /* ELF-2 */
    if (!elf_bytes_eq(img, size, 0, "\177ELF", 4))
        return elf_fail(info, -ENOEXEC, "ELF: bad magic");
    /* ELF-3: ELFCLASS32, ELFDATA2LSB, EV_CURRENT */
    if (elf_u8(img, size, 4) != 1 || elf_u8(img, size, 5) != 1 ||
        elf_u8(img, size, 6) != 1 || elf_u32(img, size, 20) != 1)
        return elf_fail(info, -ENOEXEC, "ELF: not 32-bit little-endian ELF version 1");
    /* ELF-4 */
    if (elf_u16(img, size, 16) != ELF_ET_EXEC)
        return elf_fail(info, -ENOEXEC, "ELF: not an executable (ET_EXEC)");
    /* ELF-5 */
    if (elf_u16(img, size, 18) != ELF_EM_386)
        return elf_fail(info, -ENOEXEC, "ELF: not an i386 image (EM_386)");
    return 0;
}

/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid(info) && \valid(eh);
    requires \separated(img + (0 .. size - 1), info, eh);
    requires \separated(info, eh);
    assigns info->reason, *eh;
    ensures \result == 0 || elf_failed(info, \result);
    ensures \result == 0 ==> elf_ehdr_ok(eh, size);
*/
static int elf_read_header(const uint8_t *img, uint32_t size,
                           struct elf_ehdr *eh, struct elf_image_info *info)
{
    int rc = elf_check_ident(img, size, info);

    if (rc != 0)
        return rc;
    eh->entry = elf_u32(img, size, 24);
    eh->phoff = elf_u32(img, size, 28);
    eh->shoff = elf_u32(img, size, 32);
    eh->phnum = elf_u16(img, size, 44);
    eh->shnum = elf_u16(img, size, 48);
    eh->shstrndx = elf_u16(img, size, 50);
    /* ELF-6 */
    if (elf_u16(img, size, 40) != ELF_EHDR_SIZE ||
        elf_u16(img, size, 42) != ELF_PHDR_SIZE ||
        (eh->shnum != 0 && elf_u16(img, size, 46) != ELF_SHDR_SIZE))
        return elf_fail(info, -ENOEXEC, "ELF: bad header sizes");
    /* ELF-7 (PN_XNUM would put the real count elsewhere: refused) */
    if (eh->phnum == ELF_PN_XNUM ||
        !elf_span_ok(size, eh->phoff, eh->phnum * ELF_PHDR_SIZE))
        return elf_fail(info, -ENOEXEC, "ELF: program headers outside the image");
    /* ELF-8 */
    if (!elf_span_ok(size, eh->shoff, eh->shnum * ELF_SHDR_SIZE))
        return elf_fail(info, -ENOEXEC, "ELF: section headers outside the image");
    return 0;
}

/* ---- Loadable segments (ELF-9 .. ELF-12) ------------------------------- */

/* Append the PT_LOAD segment whose header is at `ph` (inside the image). */
/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid(info);
    requires \separated(img + (0 .. size - 1), info);
    requires ph + ELF_PHDR_SIZE <= size;
    requires info->nr_segs <= ELF_MAX_SEGS;
    requires \forall integer i; 0 <= i < info->nr_segs ==>
        elf_seg_file_ok(&info->seg[i], size);
    assigns info->reason, info->nr_segs, info->seg[0 .. ELF_MAX_SEGS - 1];
    ensures \result == 0 || elf_failed(info, \result);
    ensures info->nr_segs <= ELF_MAX_SEGS;
    ensures \forall integer i; 0 <= i < info->nr_segs ==>
        elf_seg_file_ok(&info->seg[i], size);
    ensures elf_params_kept{Pre, Post}(info);
*/
static int elf_add_segment(const uint8_t *img, uint32_t size, uint32_t ph,
                           struct elf_image_info *info)
{
    uint32_t offset = elf_u32(img, size, ph + 4);
    uint32_t paddr = elf_u32(img, size, ph + 12);
    uint32_t filesz = elf_u32(img, size, ph + 16);
    uint32_t memsz = elf_u32(img, size, ph + 20);
    struct elf_segment *s;

    /* ELF-9 */
    if (filesz > memsz)
        return elf_fail(info, -ENOEXEC, "ELF: segment file size exceeds its memory size");
    /* ELF-10 */
    if (!elf_span_ok(size, offset, filesz))
        return elf_fail(info, -ENOEXEC, "ELF: segment data outside the image");
    if (memsz == 0)
        return 0;  /* nothing to load */
    /* ELF-11 */
    if (info->nr_segs >= ELF_MAX_SEGS)
        return elf_fail(info, -ENOEXEC, "ELF: too many loadable segments");
    s = &info->seg[info->nr_segs];
    s->offset = offset;
    s->filesz = filesz;
    s->memsz = memsz;
    s->vaddr = paddr;  /* translated by elf_place_segments() */
    info->nr_segs++;
    return 0;
}

/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid(info) && \valid_read(eh);
    requires \separated(img + (0 .. size - 1), info, eh);
    requires \separated(info, eh);
    requires elf_ehdr_ok(eh, size);
    requires info->nr_segs == 0;
    assigns info->reason, info->nr_segs, info->seg[0 .. ELF_MAX_SEGS - 1];
    ensures \result == 0 || elf_failed(info, \result);
    ensures \result == 0 ==> elf_segs_file_ok(info, size);
    ensures elf_params_kept{Pre, Post}(info);
*/
static int elf_collect_segments(const uint8_t *img, uint32_t size,
                                const struct elf_ehdr *eh,
                                struct elf_image_info *info)
{
    uint32_t i;

    /*@ loop invariant 0 <= i <= eh->phnum;
        loop invariant info->nr_segs <= ELF_MAX_SEGS;
        loop invariant \forall integer j; 0 <= j < info->nr_segs ==>
            elf_seg_file_ok(&info->seg[j], size);
        loop invariant elf_params_kept{Pre, Here}(info);
        loop assigns i, info->reason, info->nr_segs,
                     info->seg[0 .. ELF_MAX_SEGS - 1];
        loop variant eh->phnum - i;
    */
    for (i = 0; i < eh->phnum; i++) {
        uint32_t ph = eh->phoff + i * ELF_PHDR_SIZE;
        int rc;

        if (elf_u32(img, size, ph) != ELF_PT_LOAD)
            continue;
        rc = elf_add_segment(img, size, ph, info);
        if (rc != 0)
            return rc;
    }
    /* ELF-12 */
    if (info->nr_segs == 0)
        return elf_fail(info, -ENOEXEC, "ELF: no loadable segment");
    return 0;
}

/* ---- Xen notes (ELF-13 .. ELF-17) -------------------------------------- */

/*@ assigns \nothing;
    ensures \result == ELF_NOTE_IGNORED || \result == ELF_NOTE_NUM ||
            \result == ELF_NOTE_STR;
    ensures \result != ELF_NOTE_IGNORED ==> type < ELF_NOTE_TYPES;
*/
static int elf_note_kind(uint32_t type)
{
    switch (type) {
    case XEN_ELFNOTE_ENTRY:
    case XEN_ELFNOTE_HYPERCALL_PAGE:
    case XEN_ELFNOTE_VIRT_BASE:
    case XEN_ELFNOTE_PADDR_OFFSET:
    case XEN_ELFNOTE_HV_START_LOW:
    case XEN_ELFNOTE_SUPPORTED_FEATURES:
        return ELF_NOTE_NUM;
    case XEN_ELFNOTE_XEN_VERSION:
    case XEN_ELFNOTE_GUEST_OS:
    case XEN_ELFNOTE_GUEST_VERSION:
    case XEN_ELFNOTE_LOADER:
    case XEN_ELFNOTE_PAE_MODE:
    case XEN_ELFNOTE_FEATURES:
    case XEN_ELFNOTE_BSD_SYMTAB:
        return ELF_NOTE_STR;
    default:
        return ELF_NOTE_IGNORED;  /* INFO, L1_MFN_VALID, INIT_P2M, PVH ... */
    }
}

/* Record a number for note `type`; a second, different value is refused. */
/*@ requires \valid(notes) && \valid(info) && \separated(notes, info);
    requires type < ELF_NOTE_TYPES;
    assigns notes->v[type], info->reason;
    ensures \result == 0 || elf_failed(info, \result);
    ensures notes->v[type].off + notes->v[type].len <= \old(notes->v[type].off + notes->v[type].len);
*/
static int elf_note_put_num(struct elf_notes *notes, uint32_t type,
                            uint32_t value, struct elf_image_info *info)
{
    struct elf_note_val *v = &notes->v[type];

    /* ELF-17 */
    if (v->present && v->num != value)
        return elf_fail(info, -EINVAL, "Xen notes: a note is given twice with different values");
    v->present = true;
    v->num = value;
    return 0;
}

/* Record the string [off, off + len) for note `type` (ELF-17 as above). */
/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid(notes) && \valid(info) && \separated(notes, info);
    requires \separated(img + (0 .. size - 1), notes, info);
    requires type < ELF_NOTE_TYPES;
    requires elf_notes_ok(notes, size);
    requires off + len <= size;
    assigns notes->v[type], info->reason;
    ensures \result == 0 || elf_failed(info, \result);
    ensures elf_notes_ok(notes, size);
*/
static int elf_note_put_str(const uint8_t *img, uint32_t size, struct elf_notes *notes,
                            uint32_t type, uint32_t off, uint32_t len,
                            struct elf_image_info *info)
{
    struct elf_note_val *v = &notes->v[type];

    /* ELF-17 */
    if (v->present &&
        (v->len != len || !elf_spans_equal(img, size, v->off, off, len)))
        return elf_fail(info, -EINVAL, "Xen notes: a note is given twice with different values");
    v->present = true;
    v->num = 0;
    v->off = off;
    v->len = len;
    return 0;
}

/* A numeric descriptor: 4 bytes, or 8 bytes whose high half is zero. */
/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid(value) && \separated(value, img + (0 .. size - 1));
    assigns *value;
*/
static bool elf_note_number(const uint8_t *img, uint32_t size, uint32_t off,
                            uint32_t len, uint32_t *value)
{
    if (!elf_span_ok(size, off, len) || (len != 4 && len != 8))
        return false;
    if (len == 8 && elf_u32(img, size, off + 4) != 0)
        return false;
    *value = elf_u32(img, size, off);
    return true;
}

/* A Xen note's descriptor [off, off + len), already inside the image. */
/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid(notes) && \valid(info) && \separated(notes, info);
    requires \separated(img + (0 .. size - 1), notes, info);
    requires elf_notes_ok(notes, size);
    requires off + len <= size;
    assigns notes->v[0 .. ELF_NOTE_TYPES - 1], info->reason;
    ensures \result == 0 || elf_failed(info, \result);
    ensures elf_notes_ok(notes, size);
*/
static int elf_note_record(const uint8_t *img, uint32_t size, uint32_t type,
                           uint32_t off, uint32_t len, struct elf_notes *notes,
                           struct elf_image_info *info)
{
    int kind = elf_note_kind(type);
    uint32_t value = 0;

    if (kind == ELF_NOTE_NUM) {
        /* ELF-15 */
        if (!elf_note_number(img, size, off, len, &value))
            return elf_fail(info, -EINVAL, "Xen notes: numeric note not 4 or 8 bytes, or above 32 bits");
        return elf_note_put_num(notes, type, value, info);
    }
    if (kind == ELF_NOTE_STR) {
        uint32_t slen = elf_find_byte(img, size, off, len, 0);

        /* ELF-16 */
        if (slen == len)
            return elf_fail(info, -EINVAL, "Xen notes: string note not NUL-terminated");
        return elf_note_put_str(img, size, notes, type, off, slen, info);
    }
    return 0;
}

/* Round up to a multiple of 4 (n + 3 must not wrap: the caller bounds n). */
/*@ requires n <= ELF_U32_MAX - 3;
    assigns \nothing;
    ensures \result == n + (4 - n % 4) % 4;
    ensures n <= \result <= n + 3;
*/
static uint32_t elf_pad4(uint32_t n)
{
    return n + (4u - n % 4u) % 4u;
}

/*
 * The note at `at`, with `rem` bytes left in its region (inside the
 * image). Sets *step to the bytes it spans, padding included (the last
 * descriptor's padding may be cut by the region's end).
 */
/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid(notes) && \valid(info) && \valid(step);
    requires \separated(notes, info, step);
    requires \separated(img + (0 .. size - 1), notes, info, step);
    requires elf_notes_ok(notes, size);
    requires at + rem <= size && rem > 0;
    assigns notes->v[0 .. ELF_NOTE_TYPES - 1], notes->found, info->reason, *step;
    ensures \result == 0 || elf_failed(info, \result);
    ensures \result == 0 ==> 0 < *step <= rem;
    ensures elf_notes_ok(notes, size);
*/
static int elf_scan_note(const uint8_t *img, uint32_t size, uint32_t at, uint32_t rem,
                         struct elf_notes *notes, struct elf_image_info *info,
                         uint32_t *step)
{
    uint32_t namesz, descsz, type, avail, npad, dpad;

    /* ELF-14 */
    if (rem < ELF_NOTE_HDR)
        return elf_fail(info, -ENOEXEC, "ELF: malformed note");
    namesz = elf_u32(img, size, at);
    descsz = elf_u32(img, size, at + 4);
    type = elf_u32(img, size, at + 8);
    avail = rem - ELF_NOTE_HDR;
    if (namesz > avail)
        return elf_fail(info, -ENOEXEC, "ELF: malformed note");
    npad = elf_pad4(namesz);
    if (npad > avail || descsz > avail - npad)
        return elf_fail(info, -ENOEXEC, "ELF: malformed note");
    dpad = elf_pad4(descsz);
    *step = ELF_NOTE_HDR + npad + (dpad <= avail - npad ? dpad : avail - npad);
    if (!elf_span_is(img, size, at + ELF_NOTE_HDR, namesz, "Xen", 4))
        return 0;  /* another owner's note */
    notes->found = true;
    return elf_note_record(img, size, type, at + ELF_NOTE_HDR + npad, descsz,
                           notes, info);
}

/* Every note of the region [off, off + len). */
/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid(notes) && \valid(info) && \separated(notes, info);
    requires \separated(img + (0 .. size - 1), notes, info);
    requires elf_notes_ok(notes, size);
    assigns notes->v[0 .. ELF_NOTE_TYPES - 1], notes->found, info->reason;
    ensures \result == 0 || elf_failed(info, \result);
    ensures elf_notes_ok(notes, size);
*/
static int elf_scan_region(const uint8_t *img, uint32_t size, uint32_t off,
                           uint32_t len, struct elf_notes *notes,
                           struct elf_image_info *info)
{
    uint32_t pos = 0, step = 0;

    /* ELF-13 */
    if (!elf_span_ok(size, off, len))
        return elf_fail(info, -ENOEXEC, "ELF: note data outside the image");
    /*@ loop invariant 0 <= pos <= len;
        loop invariant elf_notes_ok(notes, size);
        loop assigns pos, step, notes->v[0 .. ELF_NOTE_TYPES - 1],
                     notes->found, info->reason;
        loop variant len - pos;
    */
    while (pos < len) {
        int rc = elf_scan_note(img, size, off + pos, len - pos, notes, info, &step);

        if (rc != 0)
            return rc;
        pos += step;
    }
    return 0;
}

/* PT_NOTE segments (a zero p_offset is an old binutils bug: skipped, as Xen). */
/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid(notes) && \valid(info) && \valid_read(eh);
    requires \separated(notes, info, eh);
    requires \separated(img + (0 .. size - 1), notes, info);
    requires elf_ehdr_ok(eh, size);
    requires elf_notes_ok(notes, size);
    assigns notes->v[0 .. ELF_NOTE_TYPES - 1], notes->found, info->reason;
    ensures \result == 0 || elf_failed(info, \result);
    ensures elf_notes_ok(notes, size);
*/
static int elf_scan_phdr_notes(const uint8_t *img, uint32_t size,
                               const struct elf_ehdr *eh, struct elf_notes *notes,
                               struct elf_image_info *info)
{
    uint32_t i;

    /*@ loop invariant 0 <= i <= eh->phnum;
        loop invariant elf_notes_ok(notes, size);
        loop assigns i, notes->v[0 .. ELF_NOTE_TYPES - 1], notes->found,
                     info->reason;
        loop variant eh->phnum - i;
    */
    for (i = 0; i < eh->phnum; i++) {
        uint32_t ph = eh->phoff + i * ELF_PHDR_SIZE;
        uint32_t off = elf_u32(img, size, ph + 4);
        int rc;

        if (elf_u32(img, size, ph) != ELF_PT_NOTE || off == 0)
            continue;
        rc = elf_scan_region(img, size, off, elf_u32(img, size, ph + 16), notes, info);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* SHT_NOTE sections (section 0 is the null section). */
/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid(notes) && \valid(info) && \valid_read(eh);
    requires \separated(notes, info, eh);
    requires \separated(img + (0 .. size - 1), notes, info);
    requires elf_ehdr_ok(eh, size);
    requires elf_notes_ok(notes, size);
    assigns notes->v[0 .. ELF_NOTE_TYPES - 1], notes->found, info->reason;
    ensures \result == 0 || elf_failed(info, \result);
    ensures elf_notes_ok(notes, size);
*/
static int elf_scan_shdr_notes(const uint8_t *img, uint32_t size,
                               const struct elf_ehdr *eh, struct elf_notes *notes,
                               struct elf_image_info *info)
{
    uint32_t i;

    /*@ loop invariant 0 <= i <= eh->shnum || (eh->shnum == 0 && i == 1);
        loop invariant elf_notes_ok(notes, size);
        loop assigns i, notes->v[0 .. ELF_NOTE_TYPES - 1], notes->found,
                     info->reason;
        loop variant eh->shnum + 1 - i;
    */
    for (i = 1; i < eh->shnum; i++) {
        uint32_t sh = eh->shoff + i * ELF_SHDR_SIZE;
        int rc;

        if (elf_u32(img, size, sh + 4) != ELF_SHT_NOTE)
            continue;
        rc = elf_scan_region(img, size, elf_u32(img, size, sh + 16),
                             elf_u32(img, size, sh + 20), notes, info);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* ---- The legacy __xen_guest string (ELF-19) ---------------------------- */

/*
 * Find the section named "__xen_guest" and return its contents' span, or
 * false when there is none (or no usable section name table).
 */
/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid_read(eh) && \valid(off) && \valid(len);
    requires \separated(off, len);
    requires \separated(off, eh) && \separated(len, eh);
    requires \separated(off, img + (0 .. size - 1));
    requires \separated(len, img + (0 .. size - 1));
    requires elf_ehdr_ok(eh, size);
    assigns *off, *len;
*/
static bool elf_find_legacy(const uint8_t *img, uint32_t size,
                            const struct elf_ehdr *eh, uint32_t *off, uint32_t *len)
{
    uint32_t i, str_off, str_len;

    if (eh->shstrndx == 0 || eh->shstrndx >= eh->shnum)
        return false;
    str_off = elf_u32(img, size, eh->shoff + eh->shstrndx * ELF_SHDR_SIZE + 16);
    str_len = elf_u32(img, size, eh->shoff + eh->shstrndx * ELF_SHDR_SIZE + 20);
    if (!elf_span_ok(size, str_off, str_len))
        return false;
    /*@ loop invariant 0 <= i <= eh->shnum || (eh->shnum == 0 && i == 1);
        loop assigns i, *off, *len;
        loop variant eh->shnum + 1 - i;
    */
    for (i = 1; i < eh->shnum; i++) {
        uint32_t sh = eh->shoff + i * ELF_SHDR_SIZE;
        uint32_t name = elf_u32(img, size, sh);

        if (name < str_len &&
            elf_bytes_eq(img, size, str_off + name, "__xen_guest", 12)) {
            *off = elf_u32(img, size, sh + 16);
            *len = elf_u32(img, size, sh + 20);
            return true;
        }
    }
    return false;
}

/*@ assigns \nothing;
    ensures -1 <= \result < 16;
    ensures \result >= 0 ==> \result < base;
*/
static int elf_digit(uint32_t c, uint32_t base)
{
    if (c >= '0' && c <= '9')
        return c - '0' < base ? (int)(c - '0') : -1;
    if (base == 16 && c >= 'a' && c <= 'f')
        return (int)(c - 'a') + 10;
    if (base == 16 && c >= 'A' && c <= 'F')
        return (int)(c - 'A') + 10;
    return -1;
}

/* "0", a decimal number without leading zero, or 0x-hex; within 32 bits. */
/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid(value) && \separated(value, img + (0 .. size - 1));
    requires base == 10 || base == 16;
    assigns *value;
*/
static bool elf_number_digits(const uint8_t *img, uint32_t size, uint32_t off,
                              uint32_t len, uint32_t base, uint32_t *value)
{
    uint64_t v = 0;
    uint32_t k;

    /*@ loop invariant 0 <= k <= len;
        loop invariant v <= ELF_U32_MAX;
        loop assigns k, v;
        loop variant len - k;
    */
    for (k = 0; k < len; k++) {
        int d = off <= ELF_U32_MAX - k ? elf_digit(elf_u8(img, size, off + k), base) : -1;

        if (d < 0)
            return false;
        v = (base == 16 ? v * 16u : v * 10u) + (uint64_t)d;
        if (v > ELF_U32_MAX)
            return false;
    }
    *value = (uint32_t)v;
    return true;
}

/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid(value) && \separated(value, img + (0 .. size - 1));
    assigns *value;
*/
static bool elf_parse_number(const uint8_t *img, uint32_t size, uint32_t off,
                             uint32_t len, uint32_t *value)
{
    if (len == 0 || !elf_span_ok(size, off, len))
        return false;
    if (len > 2 && elf_u8(img, size, off) == '0' &&
        (elf_u8(img, size, off + 1) == 'x' || elf_u8(img, size, off + 1) == 'X'))
        return elf_number_digits(img, size, off + 2, len - 2, 16, value);
    if (len > 1 && elf_u8(img, size, off) == '0')
        return false;  /* C would read this as octal: ambiguous, refused */
    return elf_number_digits(img, size, off, len, 10, value);
}

/* The note type a legacy key stands for, or -1 for a key we ignore. */
/*@ requires \valid_read(img + (0 .. size - 1));
    assigns \nothing;
    ensures -1 <= \result < ELF_NOTE_TYPES;
*/
static int elf_legacy_key(const uint8_t *img, uint32_t size, uint32_t off, uint32_t len)
{
    if (elf_span_is(img, size, off, len, "GUEST_OS", 8))
        return XEN_ELFNOTE_GUEST_OS;
    if (elf_span_is(img, size, off, len, "GUEST_VER", 9))
        return XEN_ELFNOTE_GUEST_VERSION;
    if (elf_span_is(img, size, off, len, "XEN_VER", 7))
        return XEN_ELFNOTE_XEN_VERSION;
    if (elf_span_is(img, size, off, len, "LOADER", 6))
        return XEN_ELFNOTE_LOADER;
    if (elf_span_is(img, size, off, len, "PAE", 3))
        return XEN_ELFNOTE_PAE_MODE;
    if (elf_span_is(img, size, off, len, "FEATURES", 8))
        return XEN_ELFNOTE_FEATURES;
    if (elf_span_is(img, size, off, len, "BSD_SYMTAB", 10))
        return XEN_ELFNOTE_BSD_SYMTAB;
    if (elf_span_is(img, size, off, len, "VIRT_BASE", 9))
        return XEN_ELFNOTE_VIRT_BASE;
    if (elf_span_is(img, size, off, len, "VIRT_ENTRY", 10))
        return XEN_ELFNOTE_ENTRY;
    if (elf_span_is(img, size, off, len, "ELF_PADDR_OFFSET", 16))
        return XEN_ELFNOTE_PADDR_OFFSET;
    if (elf_span_is(img, size, off, len, "HYPERCALL_PAGE", 14))
        return XEN_ELFNOTE_HYPERCALL_PAGE;
    return -1;
}

/* One KEY or KEY=VALUE item, [off, off + len) inside the image. */
/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid(notes) && \valid(info) && \separated(notes, info);
    requires \separated(img + (0 .. size - 1), notes, info);
    requires elf_notes_ok(notes, size);
    requires off + len <= size;
    assigns notes->v[0 .. ELF_NOTE_TYPES - 1], info->reason;
    ensures \result == 0 || elf_failed(info, \result);
    ensures elf_notes_ok(notes, size);
*/
static int elf_legacy_item(const uint8_t *img, uint32_t size, uint32_t off,
                           uint32_t len, struct elf_notes *notes,
                           struct elf_image_info *info)
{
    uint32_t klen = elf_find_byte(img, size, off, len, '=');
    uint32_t voff = klen < len ? off + klen + 1 : off + len;
    uint32_t vlen = klen < len ? len - klen - 1 : 0;
    uint32_t value = 0;
    int type;

    /* ELF-19 */
    if (klen > ELF_LEGACY_KEY_MAX || vlen > ELF_LEGACY_VAL_MAX)
        return elf_fail(info, -EINVAL, "__xen_guest: malformed string");
    type = elf_legacy_key(img, size, off, klen);
    if (type < 0)
        return 0;
    if (elf_note_kind((uint32_t)type) == ELF_NOTE_STR)
        return elf_note_put_str(img, size, notes, (uint32_t)type, voff, vlen, info);
    /* ELF-19 */
    if (!elf_parse_number(img, size, voff, vlen, &value))
        return elf_fail(info, -EINVAL, "__xen_guest: malformed string");
    return elf_note_put_num(notes, (uint32_t)type, value, info);
}

/* The comma-separated items of the section [off, off + len). */
/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid(notes) && \valid(info) && \separated(notes, info);
    requires \separated(img + (0 .. size - 1), notes, info);
    requires elf_notes_ok(notes, size);
    assigns notes->v[0 .. ELF_NOTE_TYPES - 1], info->reason;
    ensures \result == 0 || elf_failed(info, \result);
    ensures elf_notes_ok(notes, size);
*/
static int elf_parse_legacy(const uint8_t *img, uint32_t size, uint32_t off,
                            uint32_t len, struct elf_notes *notes,
                            struct elf_image_info *info)
{
    uint32_t pos = 0, end;

    if (!elf_span_ok(size, off, len))
        return elf_fail(info, -ENOEXEC, "ELF: note data outside the image");
    end = elf_find_byte(img, size, off, len, 0);
    /* ELF-19 */
    if (end == len)
        return elf_fail(info, -EINVAL, "__xen_guest: malformed string");
    /*@ loop invariant 0 <= pos <= end;
        loop invariant elf_notes_ok(notes, size);
        loop assigns pos, notes->v[0 .. ELF_NOTE_TYPES - 1], info->reason;
        loop variant end - pos;
    */
    while (pos < end) {
        uint32_t ilen = elf_find_byte(img, size, off + pos, end - pos, ',');
        int rc = elf_legacy_item(img, size, off + pos, ilen, notes, info);

        if (rc != 0 || ilen == end - pos)
            return rc;
        pos += ilen + 1;
    }
    return 0;
}

/* ---- Finding the metadata (ELF-18) ------------------------------------- */

/*@ requires \valid(notes);
    assigns *notes;
    ensures \forall integer t; 0 <= t < ELF_NOTE_TYPES ==>
        notes->v[t].off == 0 && notes->v[t].len == 0;
    ensures !notes->found && !notes->legacy;
*/
static void elf_notes_reset(struct elf_notes *notes)
{
    uint32_t t;

    notes->found = false;
    notes->legacy = false;
    /*@ loop invariant 0 <= t <= ELF_NOTE_TYPES;
        loop invariant \forall integer u; 0 <= u < t ==>
            notes->v[u].off == 0 && notes->v[u].len == 0;
        loop assigns t, notes->v[0 .. ELF_NOTE_TYPES - 1];
        loop variant ELF_NOTE_TYPES - t;
    */
    for (t = 0; t < ELF_NOTE_TYPES; t++) {
        notes->v[t].present = false;
        notes->v[t].num = 0;
        notes->v[t].off = 0;
        notes->v[t].len = 0;
    }
}

/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid(notes) && \valid(info) && \valid_read(eh);
    requires \separated(notes, info, eh);
    requires \separated(img + (0 .. size - 1), notes, info);
    requires elf_ehdr_ok(eh, size);
    assigns *notes, info->reason;
    ensures \result == 0 || elf_failed(info, \result);
    ensures elf_notes_ok(notes, size);
*/
static int elf_find_notes(const uint8_t *img, uint32_t size,
                          const struct elf_ehdr *eh, struct elf_notes *notes,
                          struct elf_image_info *info)
{
    uint32_t off = 0, len = 0;
    int rc;

    elf_notes_reset(notes);
    rc = elf_scan_phdr_notes(img, size, eh, notes, info);
    if (rc == 0 && !notes->found)
        rc = elf_scan_shdr_notes(img, size, eh, notes, info);
    if (rc != 0 || notes->found)
        return rc;
    /* ELF-18 */
    if (!elf_find_legacy(img, size, eh, &off, &len))
        return elf_fail(info, -ENOEXEC, "Xen notes: none found, and no __xen_guest section");
    notes->found = true;
    notes->legacy = true;
    return elf_parse_legacy(img, size, off, len, notes, info);
}

/* ---- Applying the notes (ELF-20 .. ELF-25) ------------------------------ */

/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid_read(notes) && \valid(info) && \separated(notes, info);
    requires \separated(img + (0 .. size - 1), info);
    assigns info->reason, info->xen_version_ok, info->loader_generic;
    ensures \result == 0 || elf_failed(info, \result);
*/
static int elf_check_versions(const uint8_t *img, uint32_t size,
                              const struct elf_notes *notes,
                              struct elf_image_info *info)
{
    const struct elf_note_val *ver = &notes->v[XEN_ELFNOTE_XEN_VERSION];
    const struct elf_note_val *os = &notes->v[XEN_ELFNOTE_GUEST_OS];
    const struct elf_note_val *loader = &notes->v[XEN_ELFNOTE_LOADER];

    /* ELF-20 */
    if (!ver->present || ver->len < 7 || !elf_bytes_eq(img, size, ver->off, "xen-3.0", 7))
        return elf_fail(info, -ENOEXEC, "Xen notes: XEN_VERSION missing or not xen-3.0");
    info->xen_version_ok = true;
    info->loader_generic = loader->present &&
        elf_span_is(img, size, loader->off, loader->len, "generic", 7);
    /* ELF-21 */
    if (!info->loader_generic &&
        !(os->present && elf_span_is(img, size, os->off, os->len, "linux", 5)))
        return elf_fail(info, -ENOEXEC, "Xen notes: LOADER is not generic and GUEST_OS is not linux");
    return 0;
}

/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid_read(notes) && \valid(info) && \separated(notes, info);
    requires \separated(img + (0 .. size - 1), info);
    assigns info->reason, info->pae;
    ensures \result == 0 || elf_failed(info, \result);
    ensures \result == 0 ==> info->pae != ELF_PAE_NONE;
*/
static int elf_apply_pae(const uint8_t *img, uint32_t size,
                         const struct elf_notes *notes, struct elf_image_info *info)
{
    const struct elf_note_val *pae = &notes->v[XEN_ELFNOTE_PAE_MODE];

    info->pae = ELF_PAE_NONE;
    if (pae->present && notes->legacy) {
        if (elf_span_is(img, size, pae->off, pae->len, "yes", 3))
            info->pae = ELF_PAE_YES;
        else if (elf_span_is(img, size, pae->off, pae->len, "yes[extended-cr3]", 17))
            info->pae = ELF_PAE_EXTCR3;
    } else if (pae->present) {
        if (elf_span_is(img, size, pae->off, pae->len, "yes", 3))
            info->pae = ELF_PAE_EXTCR3;
        else if (elf_span_is(img, size, pae->off, pae->len, "yes,bimodal", 11) ||
                 elf_span_is(img, size, pae->off, pae->len, "bimodal", 7))
            info->pae = ELF_PAE_BIMODAL;
    }
    /* ELF-22 */
    if (info->pae == ELF_PAE_NONE)
        return elf_fail(info, -ENOEXEC, "Xen notes: PAE_MODE missing or not yes/bimodal (x86_32p needs PAE)");
    return 0;
}

/*
 * The XENFEAT mask of a feature name, or 0 if libelf does not know it.
 * (Masks are constants: the provers cannot evaluate a variable shift.)
 */
/*@ requires \valid_read(img + (0 .. size - 1));
    assigns \nothing;
*/
static uint32_t elf_feature_mask(const uint8_t *img, uint32_t size, uint32_t off,
                                 uint32_t len)
{
    if (elf_span_is(img, size, off, len, "writable_page_tables", 20))
        return 1u << XENFEAT_writable_page_tables;
    if (elf_span_is(img, size, off, len, "writable_descriptor_tables", 26))
        return 1u << XENFEAT_writable_descriptor_tables;
    if (elf_span_is(img, size, off, len, "auto_translated_physmap", 23))
        return 1u << XENFEAT_auto_translated_physmap;
    if (elf_span_is(img, size, off, len, "supervisor_mode_kernel", 22))
        return 1u << XENFEAT_supervisor_mode_kernel;
    if (elf_span_is(img, size, off, len, "pae_pgdir_above_4gb", 19))
        return 1u << XENFEAT_pae_pgdir_above_4gb;
    if (elf_span_is(img, size, off, len, "hvm_callback_vector", 19))
        return 1u << XENFEAT_hvm_callback_vector;
    if (elf_span_is(img, size, off, len, "dom0", 4))
        return 1u << XENFEAT_dom0;
    return 0;
}

/*
 * One feature name [off, off + len) of FEATURES. A leading '!' makes it
 * required, and a required feature also counts as supported (as libelf),
 * so required is a subset of supported by construction.
 */
/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid(info) && \separated(img + (0 .. size - 1), info);
    requires off + len <= size;
    assigns info->reason, info->features_supported, info->features_required;
    ensures \result == 0 || elf_failed(info, \result);
*/
static int elf_apply_feature(const uint8_t *img, uint32_t size, uint32_t off,
                             uint32_t len, struct elf_image_info *info)
{
    bool required = len > 0 && elf_u8(img, size, off) == '!';
    uint32_t mask = required ? elf_feature_mask(img, size, off + 1, len - 1)
                             : elf_feature_mask(img, size, off, len);

    if (mask == 0) {
        /* ELF-23 */
        if (required)
            return elf_fail(info, -ENOEXEC, "Xen notes: a required feature is unknown");
        return 0;  /* an optional feature we do not know: harmless */
    }
    info->features_supported |= mask;
    if (required)
        info->features_required |= mask;
    return 0;
}

/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid_read(notes) && \valid(info) && \separated(notes, info);
    requires \separated(img + (0 .. size - 1), info);
    requires elf_notes_ok(notes, size);
    assigns info->reason, info->features_supported, info->features_required;
    ensures \result == 0 || elf_failed(info, \result);
*/
static int elf_apply_features(const uint8_t *img, uint32_t size,
                              const struct elf_notes *notes,
                              struct elf_image_info *info)
{
    const struct elf_note_val *f = &notes->v[XEN_ELFNOTE_FEATURES];
    uint32_t pos = 0;

    info->features_supported = notes->v[XEN_ELFNOTE_SUPPORTED_FEATURES].num;
    info->features_required = 0;
    if (!f->present)
        return 0;
    /*@ loop invariant 0 <= pos <= f->len;
        loop assigns pos, info->reason, info->features_supported,
                     info->features_required;
        loop variant f->len - pos;
    */
    while (pos < f->len) {
        uint32_t tlen = elf_find_byte(img, size, f->off + pos, f->len - pos, '|');
        int rc = elf_apply_feature(img, size, f->off + pos, tlen, info);

        if (rc != 0 || tlen == f->len - pos)
            return rc;
        pos += tlen + 1;
    }
    return 0;
}

/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid_read(os) && \valid(info) && \separated(os, info);
    requires \separated(img + (0 .. size - 1), info);
    assigns info->guest_os[0 .. ELF_GUEST_OS_LEN - 1];
    ensures info->guest_os[ELF_GUEST_OS_LEN - 1] == 0;
*/
static void elf_copy_guest_os(const uint8_t *img, uint32_t size,
                              const struct elf_note_val *os,
                              struct elf_image_info *info)
{
    uint32_t k;

    /*@ loop invariant 0 <= k <= ELF_GUEST_OS_LEN - 1;
        loop assigns k, info->guest_os[0 .. ELF_GUEST_OS_LEN - 2];
        loop variant ELF_GUEST_OS_LEN - 1 - k;
    */
    for (k = 0; k < ELF_GUEST_OS_LEN - 1; k++) {
        uint32_t c = os->present && k < os->len && os->off <= ELF_U32_MAX - k ?
                     elf_u8(img, size, os->off + k) : 0;

        if (c != 0 && (c < 0x20 || c > 0x7e))
            c = '?';  /* only printable ASCII reaches the console */
        info->guest_os[k] = (char)c;
    }
    info->guest_os[ELF_GUEST_OS_LEN - 1] = 0;
}

/*@ requires \valid_read(notes) && \valid_read(eh) && \valid(info);
    requires \separated(notes, info, eh);
    assigns info->reason, info->virt_base, info->paddr_offset, info->entry,
            info->hypercall_page;
    ensures \result == 0 || elf_failed(info, \result);
    ensures \result == 0 ==> info->hypercall_page == ELF_NO_HYPERCALL_PAGE ||
                             info->hypercall_page % PAGE_SIZE == 0;
*/
static int elf_apply_addresses(const struct elf_notes *notes,
                               const struct elf_ehdr *eh, struct elf_image_info *info)
{
    const struct elf_note_val *vb = &notes->v[XEN_ELFNOTE_VIRT_BASE];
    const struct elf_note_val *po = &notes->v[XEN_ELFNOTE_PADDR_OFFSET];
    const struct elf_note_val *entry = &notes->v[XEN_ELFNOTE_ENTRY];
    const struct elf_note_val *hv = &notes->v[XEN_ELFNOTE_HV_START_LOW];
    const struct elf_note_val *hc = &notes->v[XEN_ELFNOTE_HYPERCALL_PAGE];
    uint64_t hc_va;

    /* ELF-24 */
    if (hv->present && hv->num > HYPERVISOR_VIRT_START)
        return elf_fail(info, -ENOEXEC, "Xen notes: HV_START_LOW above the hypervisor hole");
    /* ELF-25 */
    if (po->present && !vb->present)
        return elf_fail(info, -EINVAL, "Xen notes: PADDR_OFFSET given without VIRT_BASE");
    info->virt_base = vb->present ? vb->num : 0;
    info->paddr_offset = po->present ? po->num : notes->legacy ? info->virt_base : 0;
    info->entry = entry->present ? entry->num : eh->entry;
    info->hypercall_page = ELF_NO_HYPERCALL_PAGE;
    if (!hc->present)
        return 0;
    /* The legacy form gives a page number relative to VIRT_BASE. */
    hc_va = notes->legacy ? (uint64_t)hc->num * PAGE_SIZE + info->virt_base : hc->num;
    /* ELF-31 (the range half is checked once the kernel is placed) */
    if (hc_va % PAGE_SIZE != 0 || hc_va > ELF_U32_MAX)
        return elf_fail(info, -ENOEXEC, "Xen notes: HYPERCALL_PAGE outside the kernel or not page aligned");
    info->hypercall_page = (uint32_t)hc_va;
    return 0;
}

/*@ requires \valid_read(img + (0 .. size - 1));
    requires \valid_read(notes) && \valid_read(eh) && \valid(info);
    requires \separated(notes, info, eh);
    requires \separated(img + (0 .. size - 1), info);
    requires elf_notes_ok(notes, size);
    assigns info->reason, info->xen_version_ok, info->loader_generic, info->pae,
            info->features_supported, info->features_required,
            info->guest_os[0 .. ELF_GUEST_OS_LEN - 1], info->legacy,
            info->bsd_symtab, info->virt_base, info->paddr_offset, info->entry,
            info->hypercall_page;
    ensures \result == 0 || elf_failed(info, \result);
    ensures \result == 0 ==> info->pae != ELF_PAE_NONE;
    ensures \result == 0 ==> info->guest_os[ELF_GUEST_OS_LEN - 1] == 0;
    ensures \result == 0 ==> info->hypercall_page == ELF_NO_HYPERCALL_PAGE ||
                             info->hypercall_page % PAGE_SIZE == 0;
*/
static int elf_apply_notes(const uint8_t *img, uint32_t size,
                           const struct elf_ehdr *eh, const struct elf_notes *notes,
                           struct elf_image_info *info)
{
    const struct elf_note_val *bsd = &notes->v[XEN_ELFNOTE_BSD_SYMTAB];
    int rc = elf_check_versions(img, size, notes, info);

    if (rc != 0)
        return rc;
    rc = elf_apply_pae(img, size, notes, info);
    if (rc != 0)
        return rc;
    rc = elf_apply_features(img, size, notes, info);
    if (rc != 0)
        return rc;
    rc = elf_apply_addresses(notes, eh, info);
    if (rc != 0)
        return rc;
    elf_copy_guest_os(img, size, &notes->v[XEN_ELFNOTE_GUEST_OS], info);
    info->legacy = notes->legacy;
    info->bsd_symtab = bsd->present &&
        (notes->legacy || elf_span_is(img, size, bsd->off, bsd->len, "yes", 3));
    return 0;
}

/* ---- Placing the kernel (ELF-26 .. ELF-31) ------------------------------ */

/* paddr + vbase - poff, if that lies in [0, 2^32). */
/*@ requires \valid(va);
    assigns *va;
    ensures \result <==> 0 <= paddr + vbase - poff <= ELF_U32_MAX;
    ensures \result ==> *va == paddr + vbase - poff;
*/
static bool elf_translate(uint32_t paddr, uint32_t vbase, uint32_t poff, uint32_t *va)
{
    uint32_t d;

    if (vbase >= poff) {
        d = vbase - poff;
        if (paddr > ELF_U32_MAX - d)
            return false;
        *va = paddr + d;
        return true;
    }
    d = poff - vbase;
    if (paddr < d)
        return false;
    *va = paddr - d;
    return true;
}

/* Translate segment i and check that it stays below the hypervisor. */
/*@ requires \valid(info);
    requires i < info->nr_segs <= ELF_MAX_SEGS;
    requires 0 < info->seg[i].memsz;
    assigns info->seg[i].vaddr, info->reason;
    ensures \result == 0 || elf_failed(info, \result);
    ensures \result == 0 ==>
        info->seg[i].vaddr + info->seg[i].memsz <= HYPERVISOR_VIRT_START;
*/
static int elf_place_one(struct elf_image_info *info, uint32_t i)
{
    struct elf_segment *s = &info->seg[i];
    uint32_t va = 0;

    /* ELF-26 */
    if (!elf_translate(s->vaddr, info->virt_base, info->paddr_offset, &va))
        return elf_fail(info, -ENOEXEC, "ELF: segment address out of 32-bit range");
    /* ELF-27 */
    if (s->memsz > HYPERVISOR_VIRT_START || va > HYPERVISOR_VIRT_START - s->memsz)
        return elf_fail(info, -ENOEXEC, "ELF: segment reaches the hypervisor hole");
    s->vaddr = va;
    return 0;
}

/* Segment i does not overlap segments 0 .. i-1. */
/*@ requires \valid(info);
    requires i < info->nr_segs <= ELF_MAX_SEGS;
    requires \forall integer j; 0 <= j <= i ==>
        info->seg[j].vaddr + info->seg[j].memsz <= HYPERVISOR_VIRT_START;
    assigns info->reason;
    ensures \result == 0 || elf_failed(info, \result);
    ensures \result == 0 ==> \forall integer j; 0 <= j < i ==>
        info->seg[j].vaddr + info->seg[j].memsz <= info->seg[i].vaddr ||
        info->seg[i].vaddr + info->seg[i].memsz <= info->seg[j].vaddr;
*/
static int elf_check_overlap(struct elf_image_info *info, uint32_t i)
{
    const struct elf_segment *s = &info->seg[i];
    uint32_t j;

    /*@ loop invariant 0 <= j <= i;
        loop invariant \forall integer k; 0 <= k < j ==>
            info->seg[k].vaddr + info->seg[k].memsz <= s->vaddr ||
            s->vaddr + s->memsz <= info->seg[k].vaddr;
        loop assigns j;
        loop variant i - j;
    */
    for (j = 0; j < i; j++) {
        const struct elf_segment *t = &info->seg[j];

        /* ELF-28 */
        if (t->vaddr + t->memsz > s->vaddr && s->vaddr + s->memsz > t->vaddr)
            return elf_fail(info, -ENOEXEC, "ELF: loadable segments overlap");
    }
    return 0;
}

/*@ requires \valid(info);
    requires elf_segs_file_ok(info, size);
    assigns info->reason, info->seg[0 .. ELF_MAX_SEGS - 1].vaddr,
            info->virt_kstart, info->virt_kend;
    ensures \result == 0 || elf_failed(info, \result);
    ensures \result == 0 ==> \forall integer i; 0 <= i < info->nr_segs ==>
        elf_seg_ok(&info->seg[i], size);
    ensures \result == 0 ==> elf_segs_disjoint(info, info->nr_segs);
    ensures \result == 0 ==> elf_segs_within(info, info->nr_segs);
    ensures \result == 0 ==> info->virt_kstart < info->virt_kend <= HYPERVISOR_VIRT_START;
    ensures 1 <= info->nr_segs <= ELF_MAX_SEGS;
    ensures elf_params_kept{Pre, Post}(info);
*/
static int elf_place_segments(struct elf_image_info *info) /*@ ghost (uint32_t size) */
{
    uint32_t i, kstart = ELF_U32_MAX, kend = 0;

    /*@ loop invariant 0 <= i <= info->nr_segs;
        loop invariant \forall integer j; 0 <= j < i ==>
            info->seg[j].vaddr + info->seg[j].memsz <= HYPERVISOR_VIRT_START;
        loop invariant elf_segs_file_ok(info, size);
        loop invariant elf_params_kept{Pre, Here}(info);
        loop invariant elf_segs_disjoint(info, i);
        loop invariant \forall integer j; 0 <= j < i ==>
            kstart <= info->seg[j].vaddr &&
            info->seg[j].vaddr + info->seg[j].memsz <= kend;
        loop invariant i == 0 ==> kstart == ELF_U32_MAX && kend == 0;
        loop invariant i > 0 ==> kstart < kend <= HYPERVISOR_VIRT_START;
        loop assigns i, kstart, kend, info->reason,
                     info->seg[0 .. ELF_MAX_SEGS - 1].vaddr;
        loop variant info->nr_segs - i;
    */
    for (i = 0; i < info->nr_segs; i++) {
        int rc = elf_place_one(info, i);

        if (rc == 0)
            rc = elf_check_overlap(info, i);
        if (rc != 0)
            return rc;
        if (info->seg[i].vaddr < kstart)
            kstart = info->seg[i].vaddr;
        if (info->seg[i].vaddr + info->seg[i].memsz > kend)
            kend = info->seg[i].vaddr + info->seg[i].memsz;
    }
    info->virt_kstart = kstart;
    info->virt_kend = kend;
    return 0;
}

/*@ requires \valid(info);
    requires info->virt_kstart < info->virt_kend <= HYPERVISOR_VIRT_START;
    requires info->hypercall_page == ELF_NO_HYPERCALL_PAGE ||
             info->hypercall_page % PAGE_SIZE == 0;
    assigns info->reason;
    ensures \result == 0 || elf_failed(info, \result);
    ensures \result == 0 ==> info->virt_base <= info->virt_kstart;
    ensures \result == 0 ==> info->virt_kstart <= info->entry < info->virt_kend;
    ensures \result == 0 ==> elf_hypercall_ok(info);
*/
static int elf_check_layout(struct elf_image_info *info)
{
    uint32_t hc = info->hypercall_page;

    /* ELF-29 */
    if (info->virt_base > info->virt_kstart)
        return elf_fail(info, -ENOEXEC, "Xen notes: VIRT_BASE above the kernel start");
    /* ELF-30 */
    if (info->entry < info->virt_kstart || info->entry >= info->virt_kend)
        return elf_fail(info, -ENOEXEC, "ELF: entry point outside the loaded range");
    /* ELF-31 */
    if (hc != ELF_NO_HYPERCALL_PAGE &&
        (hc < info->virt_kstart || hc > info->virt_kend ||
         info->virt_kend - hc < PAGE_SIZE))
        return elf_fail(info, -ENOEXEC, "Xen notes: HYPERCALL_PAGE outside the kernel or not page aligned");
    return 0;
}

/* ---- Entry points ------------------------------------------------------- */

/*@ requires \valid(info);
    assigns *info;
    ensures info->nr_segs == 0 && info->reason == \null;
*/
static void elf_info_reset(struct elf_image_info *info)
{
    uint32_t k;

    info->entry = 0;
    info->virt_base = 0;
    info->paddr_offset = 0;
    info->virt_kstart = 0;
    info->virt_kend = 0;
    info->hypercall_page = ELF_NO_HYPERCALL_PAGE;
    info->nr_segs = 0;
    /*@ loop invariant 0 <= k <= ELF_MAX_SEGS;
        loop assigns k, info->seg[0 .. ELF_MAX_SEGS - 1];
        loop variant ELF_MAX_SEGS - k;
    */
    for (k = 0; k < ELF_MAX_SEGS; k++) {
        info->seg[k].offset = 0;
        info->seg[k].filesz = 0;
        info->seg[k].memsz = 0;
        info->seg[k].vaddr = 0;
    }
    info->pae = ELF_PAE_NONE;
    info->features_supported = 0;
    info->features_required = 0;
    /*@ loop invariant 0 <= k <= ELF_GUEST_OS_LEN;
        loop assigns k, info->guest_os[0 .. ELF_GUEST_OS_LEN - 1];
        loop variant ELF_GUEST_OS_LEN - k;
    */
    for (k = 0; k < ELF_GUEST_OS_LEN; k++)
        info->guest_os[k] = 0;
    info->loader_generic = false;
    info->xen_version_ok = false;
    info->legacy = false;
    info->bsd_symtab = false;
    info->reason = NULL;
}

/* A refused image describes nothing to load. */
/*@ requires \valid(info);
    requires elf_failed(info, rc);
    assigns info->nr_segs;
    ensures info->nr_segs == 0 && elf_failed(info, \result) && \result == rc;
*/
static int elf_refused(struct elf_image_info *info, int rc)
{
    info->nr_segs = 0;
    return rc;
}

int elf_image_parse(const uint8_t *image, uint32_t size, struct elf_image_info *info)
{
    struct elf_ehdr eh = { 0 };
    struct elf_notes notes;
    int rc;

    elf_info_reset(info);
    rc = elf_read_header(image, size, &eh, info);
    if (rc != 0)
        return elf_refused(info, rc);
    rc = elf_find_notes(image, size, &eh, &notes, info);
    if (rc != 0)
        return elf_refused(info, rc);
    rc = elf_apply_notes(image, size, &eh, &notes, info);
    if (rc != 0)
        return elf_refused(info, rc);
    rc = elf_collect_segments(image, size, &eh, info);
    if (rc != 0)
        return elf_refused(info, rc);
    rc = elf_place_segments(info) /*@ ghost (size) */;
    if (rc != 0)
        return elf_refused(info, rc);
    rc = elf_check_layout(info);
    if (rc != 0)
        return elf_refused(info, rc);
    info->reason = NULL;
    return 0;
}

int elf_image_load_chunk(const struct elf_image_info *info, uint32_t i,
                         const uint8_t *image, uint32_t size,
                         uint32_t at, uint8_t *dst, uint32_t len)
{
    const struct elf_segment *s;
    uint32_t k;

    if (i >= info->nr_segs || i >= ELF_MAX_SEGS)
        return -EINVAL;
    s = &info->seg[i];
    if (at > s->memsz || len > s->memsz - at || s->filesz > s->memsz ||
        !elf_span_ok(size, s->offset, s->filesz))
        return -EINVAL;
    /*@ loop invariant 0 <= k <= len;
        loop invariant \forall integer j; 0 <= j < k ==>
            dst[j] == (at + j < s->filesz ? image[s->offset + at + j] : 0);
        loop assigns k, dst[0 .. len - 1];
        loop variant len - k;
    */
    for (k = 0; k < len; k++)
        dst[k] = at + k < s->filesz ? image[s->offset + at + k] : 0;
    return 0;
}
