/*
 * A strict loader front end for Xen PV kernel images (ELF32, i386, PAE).
 *
 * elf_image_parse() reads an image held in memory, checks it against the
 * rules of spec/elf-loader.md (ELF-1 .. ELF-31) and describes what to load
 * and where: up to ELF_MAX_SEGS loadable segments, each a run of file bytes
 * followed by zeroes, placed at a virtual address below the hypervisor
 * hole; the entry point; the hypercall page; and the Xen metadata (notes or
 * the legacy __xen_guest string). It never writes outside *info and never
 * reads outside the image. The hypervisor's dom0 builder and dom0's domain
 * builder both use it, and then copy each segment with
 * elf_image_load_chunk(), one destination page at a time.
 *
 * Error codes: -ENOEXEC (not a loadable Xen PV image) and -EINVAL (a Xen
 * note or the __xen_guest string holds a malformed or contradictory
 * value); info->reason then names the broken rule in one line.
 */
#ifndef CORE_ELF_IMAGE_H
#define CORE_ELF_IMAGE_H

#include "types.h"
#include "pv/errno.h"
#include "pv/layout.h"

#define ELF_MAX_SEGS          8u           /* loadable (PT_LOAD) segments kept */
#define ELF_GUEST_OS_LEN      32u          /* bytes of guest_os, NUL included */
#define ELF_NO_HYPERCALL_PAGE 0xFFFFFFFFu  /* hypercall_page when none is asked for */

/* What the kernel says about PAE (the x86_32p guest type needs one of these). */
enum elf_pae {
    ELF_PAE_NONE = 0,   /* never in a successful result */
    ELF_PAE_YES,        /* legacy "PAE=yes": the top table must lie below 4 GiB */
    ELF_PAE_EXTCR3,     /* note "yes", legacy "yes[extended-cr3]" */
    ELF_PAE_BIMODAL     /* note "bimodal" or "yes,bimodal" */
};

struct elf_segment {
    uint32_t offset;   /* file offset of the segment's first byte */
    uint32_t filesz;   /* bytes taken from the image */
    uint32_t memsz;    /* bytes in memory; [filesz, memsz) is zero */
    uint32_t vaddr;    /* destination: p_paddr + virt_base - paddr_offset */
};

struct elf_image_info {
    uint32_t entry;            /* virtual entry point (ENTRY note or e_entry) */
    uint32_t virt_base;        /* virtual address of pseudo-physical frame 0 */
    uint32_t paddr_offset;     /* subtracted from p_paddr */
    uint32_t virt_kstart;      /* lowest loaded virtual address */
    uint32_t virt_kend;        /* one past the highest loaded virtual address */
    uint32_t hypercall_page;   /* virtual address, or ELF_NO_HYPERCALL_PAGE */
    uint32_t nr_segs;          /* 0 whenever the parse failed */
    struct elf_segment seg[ELF_MAX_SEGS];
    uint32_t pae;              /* enum elf_pae */
    uint32_t features_supported;  /* XENFEAT bits the kernel can use */
    uint32_t features_required;   /* '!' features: the caller must provide them */
    char guest_os[ELF_GUEST_OS_LEN];  /* printable ASCII, NUL-terminated */
    bool loader_generic;       /* LOADER is "generic" */
    bool xen_version_ok;       /* XEN_VERSION starts with "xen-3.0" */
    bool legacy;               /* metadata came from __xen_guest, not notes */
    bool bsd_symtab;           /* the kernel asks for its symbol table */
    const char *reason;        /* failure: the broken rule; success: NULL */
};

/*@ predicate elf_seg_ok(struct elf_segment *s, integer size) =
        0 < s->memsz && s->filesz <= s->memsz &&
        s->offset + s->filesz <= size &&
        s->vaddr + s->memsz <= HYPERVISOR_VIRT_START;

    predicate elf_segs_disjoint{L}(struct elf_image_info *info, integer n) =
        \forall integer i, j; 0 <= i < j < n ==>
            info->seg[i].vaddr + info->seg[i].memsz <= info->seg[j].vaddr ||
            info->seg[j].vaddr + info->seg[j].memsz <= info->seg[i].vaddr;

    predicate elf_segs_within{L}(struct elf_image_info *info, integer n) =
        \forall integer i; 0 <= i < n ==>
            info->virt_kstart <= info->seg[i].vaddr &&
            info->seg[i].vaddr + info->seg[i].memsz <= info->virt_kend;

    predicate elf_hypercall_ok{L}(struct elf_image_info *info) =
        info->hypercall_page == ELF_NO_HYPERCALL_PAGE ||
        (info->hypercall_page % PAGE_SIZE == 0 &&
         info->virt_kstart <= info->hypercall_page &&
         info->hypercall_page + PAGE_SIZE <= info->virt_kend);

    // What a successful parse guarantees (the security meaning of the rules).
    predicate elf_info_ok{L}(struct elf_image_info *info, integer size) =
        1 <= info->nr_segs <= ELF_MAX_SEGS &&
        (\forall integer i; 0 <= i < info->nr_segs ==>
            elf_seg_ok(&info->seg[i], size)) &&
        elf_segs_disjoint(info, info->nr_segs) &&
        elf_segs_within(info, info->nr_segs) &&
        info->virt_base <= info->virt_kstart &&
        info->virt_kstart < info->virt_kend &&
        info->virt_kend <= HYPERVISOR_VIRT_START &&
        info->virt_kstart <= info->entry < info->virt_kend &&
        elf_hypercall_ok(info) &&
        info->pae != ELF_PAE_NONE &&
        info->guest_os[ELF_GUEST_OS_LEN - 1] == 0 &&
        info->reason == \null;
*/

/*
 * Parse and check `image` (`size` bytes). Returns 0 with *info filled in,
 * or -ENOEXEC / -EINVAL with info->nr_segs == 0 and info->reason set.
 */
/*@ requires \valid_read(image + (0 .. size - 1));
    requires \valid(info);
    requires \separated(image + (0 .. size - 1), info);
    assigns *info;
    ensures \result == 0 || \result == -ENOEXEC || \result == -EINVAL;
    ensures \result == 0 ==> elf_info_ok(info, size);
    ensures \result != 0 ==> info->nr_segs == 0 && info->reason != \null;
*/
int elf_image_parse(const uint8_t *image, uint32_t size, struct elf_image_info *info);

/*
 * Fill dst[0 .. len) with bytes [at, at + len) of segment i as it must
 * appear in memory: image bytes below filesz, zeroes above. Meant to be
 * called once per destination page. Returns 0, or -EINVAL (and writes
 * nothing) when i is not a segment of info, the span is not inside
 * [0, memsz), or the segment's file bytes are not inside the image.
 */
/*@ requires \valid_read(info);
    requires \valid_read(image + (0 .. size - 1));
    requires \valid(dst + (0 .. len - 1));
    requires \separated(dst + (0 .. len - 1), image + (0 .. size - 1));
    requires \separated(dst + (0 .. len - 1), info);
    assigns dst[0 .. len - 1];
    behavior bad:
      assumes i >= info->nr_segs || i >= ELF_MAX_SEGS ||
              at > info->seg[i].memsz || len > info->seg[i].memsz - at ||
              info->seg[i].filesz > info->seg[i].memsz ||
              info->seg[i].offset > size ||
              info->seg[i].filesz > size - info->seg[i].offset;
      assigns \nothing;
      ensures \result == -EINVAL;
    behavior copied:
      assumes i < info->nr_segs && i < ELF_MAX_SEGS &&
              at <= info->seg[i].memsz && len <= info->seg[i].memsz - at &&
              info->seg[i].filesz <= info->seg[i].memsz &&
              info->seg[i].offset <= size &&
              info->seg[i].filesz <= size - info->seg[i].offset;
      ensures \result == 0;
      ensures \forall integer k; 0 <= k < len ==>
          dst[k] == (at + k < info->seg[i].filesz ?
                     image[info->seg[i].offset + at + k] : 0);
    complete behaviors;
    disjoint behaviors;
*/
int elf_image_load_chunk(const struct elf_image_info *info, uint32_t i,
                         const uint8_t *image, uint32_t size,
                         uint32_t at, uint8_t *dst, uint32_t len);

#endif
