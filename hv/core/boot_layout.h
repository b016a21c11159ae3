/*
 * The start-of-day layout of a PV guest, as Xen's domain builder makes it
 * (facts sheet §2.5). Shared by the hypervisor's dom0 builder and dom0's
 * domain builder, so every guest Bulkhead starts sees the same layout a
 * Xen pv32pae kernel expects.
 *
 * One virtual region starts at virt_base and maps pseudo-physical frame n
 * at virt_base + n * 4096. In order, page aligned: the kernel image (the
 * frames below it are plain RAM; kernel_end includes the BSD_SYMTAB area
 * when there is one, elf_bsdsym.h), the module, the P2M list, start_info,
 * (domU only) the xenstore and console ring pages, the bootstrap page
 * tables (L3, then the L2s, then the L1s), and one page of boot stack.
 * The region then ends on a 4 MiB boundary at least 512 KiB past the
 * stack, and everything up to that end is mapped and backed by RAM.
 */
#ifndef CORE_BOOT_LAYOUT_H
#define CORE_BOOT_LAYOUT_H

#include "types.h"

struct boot_layout_req {
    uint32_t virt_base;        /* VA of pseudo-physical frame 0 */
    uint32_t kernel_start;     /* VA range of the loaded image */
    uint32_t kernel_end;
    uint32_t nr_pages;         /* frames the domain will own */
    uint32_t module_len;       /* bytes, 0 for none */
    bool domU;                 /* xenstore and console pages */
};

struct boot_layout {
    uint32_t virt_base;
    uint32_t module_pfn, module_pages;
    uint32_t p2m_pfn, p2m_pages;
    uint32_t start_info_pfn;
    uint32_t store_pfn, console_pfn;     /* domU only, else 0 */
    uint32_t pt_pfn;                     /* first page-table frame (the L3) */
    uint32_t nr_pt_frames;               /* 1 L3 + nr_l2 + nr_l1 */
    uint32_t nr_l2, nr_l1;
    uint32_t first_l3_slot;              /* L3 slots first_l3_slot..3 have an L2 */
    uint32_t first_l1_va;                /* 2 MiB aligned VA the first L1 maps */
    uint32_t stack_pfn;
    uint32_t mapped_pages;               /* frames 0..mapped_pages-1 are mapped */
    uint32_t v_end;                      /* virt_base + mapped_pages * 4096 */
};

/*
 * Compute the layout. Returns 0, or -ENOMEM when nr_pages cannot back the
 * mapped region, or -EINVAL when the request is inconsistent (kernel below
 * virt_base, anything reaching the hypervisor hole, arithmetic overflow).
 */
int boot_layout_compute(const struct boot_layout_req *req, struct boot_layout *out);

/*
 * The bootstrap page-table entry at `slot` of page-table frame `index`
 * (0 = the L3, then the L2s, then the L1s), given the P2M (mfn of each
 * pfn). Slots the builder leaves empty give 0; the hypervisor slots of the
 * slot-3 L2 are left 0 for validation to fill.
 */
uint64_t boot_layout_pt_entry(const struct boot_layout *l, const uint32_t *p2m,
                              uint32_t index, uint32_t slot);

#endif
