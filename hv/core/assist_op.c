/*
 * vm_assist: which optional behaviours a vCPU has on (see assist_op.h).
 */
#include "assist_op.h"
#include "pv/errno.h"
#include "pv/vm_assist.h"

_Static_assert(VM_ASSIST_KNOWN == ((1u << VMASST_TYPE_4gb_segments) | (1u << VMASST_TYPE_4gb_segments_notify) |
                                   (1u << VMASST_TYPE_writable_pagetables) |
                                   (1u << VMASST_TYPE_pae_extended_cr3) |
                                   (1u << VMASST_TYPE_architectural_iopl) |
                                   (1u << VMASST_TYPE_runstate_update_flag)),
               "HC-9: every type up to MAX_VMASST_TYPE");

int32_t vm_assist_op(uint32_t *enabled, uint32_t cmd, uint32_t type)
{
    if (type >= 32 || !(VM_ASSIST_KNOWN & (1u << type)))     /* HC-9 */
        return -EINVAL;
    switch (cmd) {
    case VMASST_CMD_enable:
        *enabled |= 1u << type;
        return 0;
    case VMASST_CMD_disable:
        *enabled &= ~(1u << type);
        return 0;
    default:                                                /* HC-9 */
        return -ENOSYS;
    }
}
