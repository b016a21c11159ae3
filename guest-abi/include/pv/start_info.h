/*
 * start_info: the page the domain builder hands a new PV kernel (ESI holds
 * its virtual address at entry), and the multiboot-style module list a
 * privileged domain may receive.
 *
 * Addresses here are virtual (in the initial mapping at VIRT_BASE) unless
 * the comment says machine. The fields before pt_base are rewritten when
 * a suspended domain resumes, so a kernel must re-read them then.
 */
#ifndef PV_START_INFO_H
#define PV_START_INFO_H

#include "types.h"

/*
 * magic[] holds this NUL-terminated string: the guest type the image was
 * built as. A kernel that finds another string was loaded for the wrong
 * ABI and should stop.
 */
#define PV_START_INFO_MAGIC "xen-3.0-x86_32p"
#define MAX_GUEST_CMDLINE   1024

/* start_info.flags */
#define SIF_PRIVILEGED      (1u << 0)   /* domain may use privileged operations */
#define SIF_INITDOMAIN      (1u << 1)   /* this is the initial control domain */
#define SIF_MULTIBOOT_MOD   (1u << 2)   /* mod_start points at a xen_multiboot_mod_list */
#define SIF_MOD_START_PFN   (1u << 3)   /* mod_start is a PFN, module not mapped */
#define SIF_VIRT_P2M_4TOOLS (1u << 4)   /* P2M list is virtually mapped for the tools */
#define SIF_PM_MASK         (0xFFu << 8) /* power-management flags (dom0) */

struct start_info {                    /* all OUT: written by the builder */
    char        magic[32];
    xen_ulong_t nr_pages;              /* pseudo-physical pages the domain owns */
    xen_ulong_t shared_info;           /* MACHINE address of the shared_info page */
    uint32_t    flags;                 /* SIF_* */
    xen_pfn_t   store_mfn;             /* xenstore ring (machine frame) */
    uint32_t    store_evtchn;
    union {
        struct {
            xen_pfn_t mfn;             /* console ring (machine frame) */
            uint32_t  evtchn;
        } domU;
        struct {
            uint32_t info_off;         /* dom0: VGA/console info inside this page */
            uint32_t info_size;
        } dom0;
    } console;
    xen_ulong_t pt_base;               /* the bootstrap L3 */
    xen_ulong_t nr_pt_frames;          /* bootstrap page-table frames, L3 first */
    xen_ulong_t mfn_list;              /* the P2M array: nr_pages MFNs */
    xen_ulong_t mod_start;             /* initrd/module, or its PFN (SIF_MOD_START_PFN) */
    xen_ulong_t mod_len;
    char        cmd_line[MAX_GUEST_CMDLINE];
    xen_ulong_t first_p2m_pfn;         /* only with the INIT_P2M note (x86-64) */
    xen_ulong_t nr_p2m_frames;
};
PV_ABI_SIZE(struct start_info, 1112);
PV_ABI_OFFSET(struct start_info, magic, 0);
PV_ABI_OFFSET(struct start_info, nr_pages, 32);
PV_ABI_OFFSET(struct start_info, shared_info, 36);
PV_ABI_OFFSET(struct start_info, flags, 40);
PV_ABI_OFFSET(struct start_info, store_mfn, 44);
PV_ABI_OFFSET(struct start_info, store_evtchn, 48);
PV_ABI_OFFSET(struct start_info, console.domU.mfn, 52);
PV_ABI_OFFSET(struct start_info, console.domU.evtchn, 56);
PV_ABI_OFFSET(struct start_info, console.dom0.info_off, 52);
PV_ABI_OFFSET(struct start_info, console.dom0.info_size, 56);
PV_ABI_OFFSET(struct start_info, pt_base, 60);
PV_ABI_OFFSET(struct start_info, nr_pt_frames, 64);
PV_ABI_OFFSET(struct start_info, mfn_list, 68);
PV_ABI_OFFSET(struct start_info, mod_start, 72);
PV_ABI_OFFSET(struct start_info, mod_len, 76);
PV_ABI_OFFSET(struct start_info, cmd_line, 80);
PV_ABI_OFFSET(struct start_info, first_p2m_pfn, 1104);
PV_ABI_OFFSET(struct start_info, nr_p2m_frames, 1108);
_Static_assert(sizeof(PV_START_INFO_MAGIC) <= sizeof(((struct start_info *)0)->magic),
               "magic string fits with its NUL");

/*
 * With SIF_MULTIBOOT_MOD, mod_start/mod_len describe a package of several
 * modules that begins with an array of these, ended by an entry whose
 * mod_start is 0. Every address in an entry is an offset from the start
 * of the package, so the guest rebases them onto wherever it finds it.
 */
struct xen_multiboot_mod_list {
    uint32_t mod_start;                /* first byte of the module */
    uint32_t mod_end;                  /* LAST byte of the module (inclusive) */
    uint32_t cmdline;                  /* NUL-terminated command line */
    uint32_t pad;                      /* zero */
};
PV_ABI_SIZE(struct xen_multiboot_mod_list, 16);
PV_ABI_OFFSET(struct xen_multiboot_mod_list, mod_start, 0);
PV_ABI_OFFSET(struct xen_multiboot_mod_list, mod_end, 4);
PV_ABI_OFFSET(struct xen_multiboot_mod_list, cmdline, 8);
PV_ABI_OFFSET(struct xen_multiboot_mod_list, pad, 12);

#endif
