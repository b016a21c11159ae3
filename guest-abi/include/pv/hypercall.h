/*
 * Hypercall numbers, the trap vector and the hypercall page.
 *
 * A 32-bit PV kernel enters the hypervisor with `int $0x82` from ring 1:
 * EAX holds the number below, EBX, ECX, EDX, ESI, EDI the arguments, and
 * EAX the result (a negative errno on failure). All argument registers
 * count as clobbered. Kernels normally do not issue the trap themselves
 * but call into the hypercall page, which the domain builder fills with
 * one small stub per number, so the entry sequence can change without
 * recompiling guests.
 *
 * Numbers are Xen's. Every slot below NR_hypercalls that Bulkhead does not
 * implement answers -ENOSYS, as do slots with no name here.
 */
#ifndef PV_HYPERCALL_H
#define PV_HYPERCALL_H

#define HYPERCALL_VECTOR 0x82   /* IDT gate, DPL 1: ring 3 gets #GP */
#define NR_hypercalls    64

#define __HYPERVISOR_set_trap_table                 0
#define __HYPERVISOR_mmu_update                     1
#define __HYPERVISOR_set_gdt                        2
#define __HYPERVISOR_stack_switch                   3
#define __HYPERVISOR_set_callbacks                  4
#define __HYPERVISOR_fpu_taskswitch                 5
#define __HYPERVISOR_sched_op_compat                6   /* before interface 0x00030101 */
#define __HYPERVISOR_platform_op                    7   /* once named dom0_op */
#define __HYPERVISOR_set_debugreg                   8
#define __HYPERVISOR_get_debugreg                   9
#define __HYPERVISOR_update_descriptor             10
/* 11 has never been assigned. */
#define __HYPERVISOR_memory_op                     12
#define __HYPERVISOR_multicall                     13
#define __HYPERVISOR_update_va_mapping             14
#define __HYPERVISOR_set_timer_op                  15
#define __HYPERVISOR_event_channel_op_compat       16
#define __HYPERVISOR_xen_version                   17
#define __HYPERVISOR_console_io                    18
#define __HYPERVISOR_physdev_op_compat             19
#define __HYPERVISOR_grant_table_op                20
#define __HYPERVISOR_vm_assist                     21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret                          23   /* jumped to, never returns */
#define __HYPERVISOR_vcpu_op                       24
#define __HYPERVISOR_set_segment_base              25   /* x86-64 guests only */
#define __HYPERVISOR_mmuext_op                     26
#define __HYPERVISOR_xsm_op                        27
#define __HYPERVISOR_nmi_op                        28
#define __HYPERVISOR_sched_op                      29
#define __HYPERVISOR_callback_op                   30
#define __HYPERVISOR_xenoprof_op                   31
#define __HYPERVISOR_event_channel_op              32
#define __HYPERVISOR_physdev_op                    33
#define __HYPERVISOR_hvm_op                        34
#define __HYPERVISOR_sysctl                        35
#define __HYPERVISOR_domctl                        36
#define __HYPERVISOR_kexec_op                      37
#define __HYPERVISOR_tmem_op                       38
#define __HYPERVISOR_argo_op                       39   /* xc_reserved_op in Xen 4.2 */
#define __HYPERVISOR_xc_reserved_op                39
#define __HYPERVISOR_xenpmu_op                     40
#define __HYPERVISOR_dm_op                         41
#define __HYPERVISOR_hypfs_op                      42
/* 43-47 are unassigned. */
#define __HYPERVISOR_arch_0                        48   /* x86: machine-check op */
#define __HYPERVISOR_arch_1                        49
#define __HYPERVISOR_arch_2                        50
#define __HYPERVISOR_arch_3                        51
#define __HYPERVISOR_arch_4                        52
#define __HYPERVISOR_arch_5                        53
#define __HYPERVISOR_arch_6                        54
#define __HYPERVISOR_arch_7                        55
/* 56-63 are unassigned. */

/*
 * Hypercall page: 4 KiB, 128 slots of 32 bytes; the guest calls
 * `hypercall_page + nr * 32`. The builder first fills the whole page with
 * int3 so that a stray jump between stubs traps instead of sliding. Slots
 * beyond NR_hypercalls are filled too (they answer -ENOSYS).
 *
 * Ordinary slot i:   B8 <i:imm32>  CD 82  C3        mov $i,%eax; int $0x82; ret
 * iret slot (23):    50  B8 17 00 00 00  CD 82      push %eax; mov $23,%eax; int $0x82
 * The iret stub has no ret: the hypercall consumes the frame and resumes
 * the interrupted context, so nothing ever returns into the page.
 */
#define HYPERCALL_PAGE_SIZE      4096u
#define HYPERCALL_PAGE_SLOT_SIZE 32u
#define HYPERCALL_PAGE_NR_SLOTS  128u
#define HYPERCALL_PAGE_FILL      0xCCu   /* int3 */
#define HYPERCALL_PAGE_IRET_OFFSET (__HYPERVISOR_iret * HYPERCALL_PAGE_SLOT_SIZE)

#define HYPERCALL_OPC_MOV_EAX    0xB8u   /* followed by a 32-bit immediate */
#define HYPERCALL_OPC_INT        0xCDu   /* followed by HYPERCALL_VECTOR */
#define HYPERCALL_OPC_RET        0xC3u
#define HYPERCALL_OPC_PUSH_EAX   0x50u

_Static_assert(HYPERCALL_PAGE_SLOT_SIZE * HYPERCALL_PAGE_NR_SLOTS == HYPERCALL_PAGE_SIZE,
               "hypercall page is exactly one page of slots");
_Static_assert(NR_hypercalls <= HYPERCALL_PAGE_NR_SLOTS, "every hypercall has a slot");
_Static_assert(HYPERCALL_PAGE_IRET_OFFSET == 0x2E0u, "iret stub offset");

#endif
