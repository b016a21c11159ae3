/*
 * x86_32 specifics: the flat selectors the hypervisor provides, the GDT
 * space it reserves, the virtual IDT entry (trap_info), and the saved
 * register state of a vCPU (cpu_user_regs, vcpu_guest_context).
 *
 * The flat selectors live in the hypervisor's reserved GDT page, so a
 * guest can run without a GDT of its own. Their segments end at
 * GUEST_SEGMENT_MAX_ADDR (layout.h), below the hypervisor, because ring 1
 * is a supervisor ring for paging and segment limits are what keep the
 * kernel out of the hypervisor's mappings.
 */
#ifndef PV_ARCH_X86_32_H
#define PV_ARCH_X86_32_H

#include "types.h"

#define FLAT_RING1_CS 0xE019u   /* GDT entry 7171, RPL 1 */
#define FLAT_RING1_DS 0xE021u   /* GDT entry 7172, RPL 1 */
#define FLAT_RING1_SS 0xE021u
#define FLAT_RING3_CS 0xE02Bu   /* GDT entry 7173, RPL 3 */
#define FLAT_RING3_DS 0xE033u   /* GDT entry 7174, RPL 3 */
#define FLAT_RING3_SS 0xE033u

#define FLAT_KERNEL_CS FLAT_RING1_CS
#define FLAT_KERNEL_DS FLAT_RING1_DS
#define FLAT_KERNEL_SS FLAT_RING1_SS
#define FLAT_USER_CS   FLAT_RING3_CS
#define FLAT_USER_DS   FLAT_RING3_DS
#define FLAT_USER_SS   FLAT_RING3_SS

/* Guest GDT frames 0-13 (entries 0-7167) are the guest's; page 14 is ours. */
#define FIRST_RESERVED_GDT_PAGE  14
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)

_Static_assert(FIRST_RESERVED_GDT_BYTE == 57344, "reserved GDT byte");
_Static_assert(FIRST_RESERVED_GDT_ENTRY == 7168, "reserved GDT entry");
_Static_assert((FLAT_RING1_CS >> 3) == FIRST_RESERVED_GDT_ENTRY + 3, "ring-1 CS slot");
_Static_assert((FLAT_RING1_DS >> 3) == FIRST_RESERVED_GDT_ENTRY + 4, "ring-1 DS slot");
_Static_assert((FLAT_RING3_CS >> 3) == FIRST_RESERVED_GDT_ENTRY + 5, "ring-3 CS slot");
_Static_assert((FLAT_RING3_DS >> 3) == FIRST_RESERVED_GDT_ENTRY + 6, "ring-3 DS slot");

/*
 * CR3 as stored in vcpu_guest_context.ctrlreg[3]: the L3 frame number
 * rotated left by 12, so a frame above 4 GiB (pae_extended_cr3) still fits
 * in 32 bits.
 */
#define xen_pfn_to_cr3(pfn) (((uint32_t)(pfn) << 12) | ((uint32_t)(pfn) >> 20))
#define xen_cr3_to_pfn(cr3) (((uint32_t)(cr3) >> 12) | ((uint32_t)(cr3) << 20))

/*
 * One virtual IDT entry for set_trap_table. The table is an array ended
 * by an entry whose address is 0. flags bits 1:0 are the lowest ring that
 * may raise the vector with INT n; bit 2 asks for events to be masked on
 * entry, like an interrupt gate.
 */
struct trap_info {
    uint8_t     vector;           /* IN */
    uint8_t     flags;            /* IN: DPL | TI_IF_FLAG */
    uint16_t    cs;               /* IN: RPL raised to at least 1 */
    xen_ulong_t address;          /* IN: handler EIP; 0 ends the table */
};
PV_ABI_SIZE(struct trap_info, 8);
PV_ABI_OFFSET(struct trap_info, vector, 0);
PV_ABI_OFFSET(struct trap_info, flags, 1);
PV_ABI_OFFSET(struct trap_info, cs, 2);
PV_ABI_OFFSET(struct trap_info, address, 4);

#define TI_DPL_MASK 0x3u
#define TI_IF_FLAG  0x4u
#define TI_GET_DPL(ti)      ((unsigned)(ti)->flags & TI_DPL_MASK)
#define TI_GET_IF(ti)       ((unsigned)(ti)->flags & TI_IF_FLAG)
#define TI_SET_DPL(ti, dpl) ((ti)->flags = (uint8_t)(((ti)->flags & ~TI_DPL_MASK) | \
                                                     ((unsigned)(dpl) & TI_DPL_MASK)))
#define TI_SET_IF(ti, on)   ((ti)->flags = (uint8_t)(((ti)->flags & ~TI_IF_FLAG) | \
                                                     ((on) ? TI_IF_FLAG : 0u)))

/*
 * Saved user-visible registers. Segment registers are 16 bits, each with
 * 16 bits of padding. error_code and entry_vector are the hypervisor's
 * scratch space. saved_upcall_mask is the event mask at the time of the
 * trap; the EFLAGS.IF a guest sees is its inverse.
 */
struct cpu_user_regs {
    uint32_t ebx;
    uint32_t ecx;
    uint32_t edx;
    uint32_t esi;
    uint32_t edi;
    uint32_t ebp;
    uint32_t eax;
    uint16_t error_code;
    uint16_t entry_vector;
    uint32_t eip;
    uint16_t cs;
    uint8_t  saved_upcall_mask;
    uint8_t  pad0;
    uint32_t eflags;
    uint32_t esp;
    uint16_t ss, pad1;
    uint16_t es, pad2;
    uint16_t ds, pad3;
    uint16_t fs, pad4;
    uint16_t gs, pad5;
};
PV_ABI_SIZE(struct cpu_user_regs, 68);
PV_ABI_OFFSET(struct cpu_user_regs, ebx, 0);
PV_ABI_OFFSET(struct cpu_user_regs, ecx, 4);
PV_ABI_OFFSET(struct cpu_user_regs, edx, 8);
PV_ABI_OFFSET(struct cpu_user_regs, esi, 12);
PV_ABI_OFFSET(struct cpu_user_regs, edi, 16);
PV_ABI_OFFSET(struct cpu_user_regs, ebp, 20);
PV_ABI_OFFSET(struct cpu_user_regs, eax, 24);
PV_ABI_OFFSET(struct cpu_user_regs, error_code, 28);
PV_ABI_OFFSET(struct cpu_user_regs, entry_vector, 30);
PV_ABI_OFFSET(struct cpu_user_regs, eip, 32);
PV_ABI_OFFSET(struct cpu_user_regs, cs, 36);
PV_ABI_OFFSET(struct cpu_user_regs, saved_upcall_mask, 38);
PV_ABI_OFFSET(struct cpu_user_regs, eflags, 40);
PV_ABI_OFFSET(struct cpu_user_regs, esp, 44);
PV_ABI_OFFSET(struct cpu_user_regs, ss, 48);
PV_ABI_OFFSET(struct cpu_user_regs, es, 52);
PV_ABI_OFFSET(struct cpu_user_regs, ds, 56);
PV_ABI_OFFSET(struct cpu_user_regs, fs, 60);
PV_ABI_OFFSET(struct cpu_user_regs, gs, 64);

/* vcpu_guest_context.flags */
#define _VGCF_i387_valid               0
#define VGCF_i387_valid                (1u << _VGCF_i387_valid)
#define VGCF_I387_VALID                VGCF_i387_valid
#define _VGCF_in_kernel                2
#define VGCF_in_kernel                 (1u << _VGCF_in_kernel)
#define VGCF_IN_KERNEL                 VGCF_in_kernel
#define _VGCF_failsafe_disables_events 3
#define VGCF_failsafe_disables_events  (1u << _VGCF_failsafe_disables_events)
#define _VGCF_syscall_disables_events  4
#define VGCF_syscall_disables_events   (1u << _VGCF_syscall_disables_events)
#define _VGCF_online                   5
#define VGCF_online                    (1u << _VGCF_online)

#define PV_NR_TRAP_CTXT   256
#define PV_NR_GDT_FRAMES  16

/*
 * A vCPU's whole state, read and written by VCPUOP_initialise and by the
 * control domain. Every selector in it gets its RPL raised to at least 1
 * and every table in it is validated as if set by its own hypercall.
 */
struct vcpu_guest_context {
    struct { uint8_t x[512]; } fpu_ctxt;    /* FXSAVE image */
    xen_ulong_t flags;                      /* VGCF_* */
    struct cpu_user_regs user_regs;
    struct trap_info trap_ctxt[PV_NR_TRAP_CTXT];
    xen_ulong_t ldt_base, ldt_ents;         /* as MMUEXT_SET_LDT */
    xen_ulong_t gdt_frames[PV_NR_GDT_FRAMES], gdt_ents;  /* as set_gdt */
    xen_ulong_t kernel_ss, kernel_sp;       /* as stack_switch */
    xen_ulong_t ctrlreg[8];                 /* ctrlreg[3] via xen_pfn_to_cr3() */
    xen_ulong_t debugreg[8];
    xen_ulong_t event_callback_cs;          /* as set_callbacks */
    xen_ulong_t event_callback_eip;
    xen_ulong_t failsafe_callback_cs;
    xen_ulong_t failsafe_callback_eip;
    xen_ulong_t vm_assist;                  /* bitmap of VMASST_TYPE_* */
};
PV_ABI_SIZE(struct vcpu_guest_context, 2800);
PV_ABI_OFFSET(struct vcpu_guest_context, fpu_ctxt, 0);
PV_ABI_OFFSET(struct vcpu_guest_context, flags, 512);
PV_ABI_OFFSET(struct vcpu_guest_context, user_regs, 516);
PV_ABI_OFFSET(struct vcpu_guest_context, trap_ctxt, 584);
PV_ABI_OFFSET(struct vcpu_guest_context, ldt_base, 2632);
PV_ABI_OFFSET(struct vcpu_guest_context, ldt_ents, 2636);
PV_ABI_OFFSET(struct vcpu_guest_context, gdt_frames, 2640);
PV_ABI_OFFSET(struct vcpu_guest_context, gdt_ents, 2704);
PV_ABI_OFFSET(struct vcpu_guest_context, kernel_ss, 2708);
PV_ABI_OFFSET(struct vcpu_guest_context, kernel_sp, 2712);
PV_ABI_OFFSET(struct vcpu_guest_context, ctrlreg, 2716);
PV_ABI_OFFSET(struct vcpu_guest_context, debugreg, 2748);
PV_ABI_OFFSET(struct vcpu_guest_context, event_callback_cs, 2780);
PV_ABI_OFFSET(struct vcpu_guest_context, event_callback_eip, 2784);
PV_ABI_OFFSET(struct vcpu_guest_context, failsafe_callback_cs, 2788);
PV_ABI_OFFSET(struct vcpu_guest_context, failsafe_callback_eip, 2792);
PV_ABI_OFFSET(struct vcpu_guest_context, vm_assist, 2796);

#endif
