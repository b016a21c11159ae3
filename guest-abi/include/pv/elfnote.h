/*
 * Xen ELF notes: how a PV kernel image tells the domain builder where it
 * wants to be loaded and what it needs. Notes have the owner name "Xen".
 */
#ifndef PV_ELFNOTE_H
#define PV_ELFNOTE_H

#define XEN_ELFNOTE_NAME            "Xen"

#define XEN_ELFNOTE_INFO            0
#define XEN_ELFNOTE_ENTRY           1  /* num: virtual entry point */
#define XEN_ELFNOTE_HYPERCALL_PAGE  2  /* num: virtual address of the hypercall page */
#define XEN_ELFNOTE_VIRT_BASE       3  /* num: virtual address of pseudo-physical 0 */
#define XEN_ELFNOTE_PADDR_OFFSET    4  /* num: subtracted from p_paddr */
#define XEN_ELFNOTE_XEN_VERSION     5  /* str: must start with "xen-3.0" */
#define XEN_ELFNOTE_GUEST_OS        6  /* str */
#define XEN_ELFNOTE_GUEST_VERSION   7  /* str */
#define XEN_ELFNOTE_LOADER          8  /* str: "generic" unless GUEST_OS is "linux" */
#define XEN_ELFNOTE_PAE_MODE        9  /* str: "yes", "yes,bimodal", "bimodal", "no" */
#define XEN_ELFNOTE_FEATURES        10 /* str: '|'-separated XENFEAT names, '!' = required */
#define XEN_ELFNOTE_BSD_SYMTAB      11 /* str: "yes" */
#define XEN_ELFNOTE_HV_START_LOW    12 /* num */
#define XEN_ELFNOTE_L1_MFN_VALID    13
#define XEN_ELFNOTE_SUSPEND_CANCEL  14
#define XEN_ELFNOTE_INIT_P2M        15
#define XEN_ELFNOTE_MOD_START_PFN   16
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17
#define XEN_ELFNOTE_PHYS32_ENTRY    18

/* XENFEAT bit numbers (public/features.h). */
#define XENFEAT_writable_page_tables        0
#define XENFEAT_writable_descriptor_tables  1
#define XENFEAT_auto_translated_physmap     2
#define XENFEAT_supervisor_mode_kernel      3
#define XENFEAT_pae_pgdir_above_4gb         4
#define XENFEAT_mmu_pt_update_preserve_ad   5
#define XENFEAT_highmem_assist              6
#define XENFEAT_gnttab_map_avail_bits       7
#define XENFEAT_hvm_callback_vector         8
#define XENFEAT_dom0                        11

#endif
