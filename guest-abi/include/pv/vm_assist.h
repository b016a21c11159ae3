/*
 * vm_assist (hypercall 21): optional hypervisor help a guest opts into.
 * vm_assist(cmd, type); an unknown type answers -EINVAL. The enabled set
 * is also visible in vcpu_guest_context.vm_assist as a bitmap of types.
 */
#ifndef PV_VM_ASSIST_H
#define PV_VM_ASSIST_H

#define VMASST_CMD_enable  0
#define VMASST_CMD_disable 1

#define VMASST_TYPE_4gb_segments        0   /* emulate flat segments past the hole */
#define VMASST_TYPE_4gb_segments_notify 1   /* ... and raise vector 15 when used */
#define VMASST_TYPE_writable_pagetables 2   /* emulate direct writes to L1 tables */
#define VMASST_TYPE_pae_extended_cr3    3   /* L3 may live above 4 GiB; CR3 folded */
#define VMASST_TYPE_architectural_iopl  4   /* virtual IOPL follows iret/bounce frames */
#define VMASST_TYPE_runstate_update_flag 5  /* flag runstate areas while updating */
#define MAX_VMASST_TYPE                 5

#endif
