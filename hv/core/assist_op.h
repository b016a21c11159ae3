/*
 * vm_assist (hypercall 21), decoded and decided in the core
 * (spec/hypercalls.md HC-9).
 *
 * A PV kernel switches optional hypervisor behaviours ("VM assists") on
 * and off per vCPU; the set it has on is a bit mask, one bit per
 * VMASST_TYPE_*. Bulkhead records the types a 32-bit PV guest may switch,
 * as Xen's: of those only architectural_iopl changes what the hypervisor
 * does (EMUL-25); the others are accepted so unmodified kernels that ask
 * for them boot.
 */
#ifndef CORE_ASSIST_OP_H
#define CORE_ASSIST_OP_H

#include "pv/vm_assist.h"
#include "types.h"

/* HC-9: the types a 32-bit PV guest may switch, as Xen's. */
#define VM_ASSIST_KNOWN ((1u << VMASST_TYPE_4gb_segments) | (1u << VMASST_TYPE_4gb_segments_notify) | \
                         (1u << VMASST_TYPE_writable_pagetables) | (1u << VMASST_TYPE_pae_extended_cr3) | \
                         (1u << VMASST_TYPE_architectural_iopl) | (1u << VMASST_TYPE_runstate_update_flag))

/*
 * HC-9, vm_assist(cmd, type): VMASST_CMD_enable sets bit `type` of
 * *enabled, VMASST_CMD_disable clears it. -EINVAL a type past 31 or not
 * in VM_ASSIST_KNOWN (checked first, as Xen), -ENOSYS any other command;
 * *enabled changes only on success.
 */
int32_t vm_assist_op(uint32_t *enabled, uint32_t cmd, uint32_t type);

#endif
