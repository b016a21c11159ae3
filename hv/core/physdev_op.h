/*
 * physdev_op (hypercall 33), decoded and decided in the core
 * (spec/hypercalls.md HC-10, spec/emulation.md EMUL-25).
 *
 * Bulkhead passes no physical device through, so of Xen's physdev_op it
 * serves only PHYSDEVOP_set_iopl: the vCPU's virtual IOPL, which the
 * emulation of IN, OUT, CLI and STI judges a ring against (EMUL-12,
 * EMUL-13). The real EFLAGS.IOPL is always 0 (IRET-4), so no value here
 * gives a guest real port access.
 */
#ifndef CORE_PHYSDEV_OP_H
#define CORE_PHYSDEV_OP_H

#include "types.h"

/*
 * HC-10, physdev_op(cmd, arg): PHYSDEVOP_set_iopl sets *viopl from the
 * physdev_set_iopl at `arg`, copied in once. -ENOSYS any other command,
 * -EFAULT an argument that cannot be read, -EINVAL an IOPL above 3
 * (EMUL-25); *viopl changes only on success.
 */
int32_t physdev_op(uint32_t *viopl, uint32_t cmd, guest_ptr_t arg);

#endif
