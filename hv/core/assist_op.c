/*
 * vm_assist: which optional behaviours a vCPU has on (see assist_op.h).
 */
#include "assist_op.h"
#include "pv/errno.h"

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
