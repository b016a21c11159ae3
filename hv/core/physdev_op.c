/*
 * physdev_op: the virtual IOPL (see physdev_op.h).
 */
#include "env.h"
#include "physdev_op.h"
#include "pv/errno.h"
#include "pv/physdev.h"

int32_t physdev_op(uint32_t *viopl, uint32_t cmd, guest_ptr_t arg)
{
    struct physdev_set_iopl op;

    if (cmd != PHYSDEVOP_set_iopl)                      /* HC-10 */
        return -ENOSYS;
    if (env_copy_from_guest(&op, arg, sizeof(op)))      /* HC-10: read once */
        return -EFAULT;
    if (op.iopl > 3)                                    /* EMUL-25 */
        return -EINVAL;
    *viopl = op.iopl;
    return 0;
}
