/*
 * callback_op (hypercall 30): where the hypervisor enters the guest
 * kernel for events, failed returns and fast system calls.
 * callback_op(cmd, arg); set_callbacks (hypercall 4) is the older form of
 * registering the event and failsafe entries together.
 *
 * On x86_32 a callback address is a cs:eip pair; the CS gets its RPL
 * raised to at least 1 so that no callback can ever run in ring 0.
 */
#ifndef PV_CALLBACK_H
#define PV_CALLBACK_H

#include "types.h"

#define CALLBACKOP_register   0   /* struct callback_register */
#define CALLBACKOP_unregister 1   /* struct callback_unregister */

#define CALLBACKTYPE_event               0  /* event upcall; always masks events */
#define CALLBACKTYPE_failsafe            1  /* a segment load or iret back to the guest faulted */
#define CALLBACKTYPE_syscall             2  /* x86-64 guests only */
#define CALLBACKTYPE_sysenter_deprecated 3
#define CALLBACKTYPE_nmi                 4  /* always masks events */
#define CALLBACKTYPE_sysenter            5
/* 6 is unassigned. */
#define CALLBACKTYPE_syscall32           7

/*
 * Mask events on entry, as an interrupt gate would. Only the failsafe
 * and system-call entries look at it: event and NMI entries always mask.
 */
#define _CALLBACKF_mask_events 0
#define CALLBACKF_mask_events  (1u << _CALLBACKF_mask_events)

struct xen_callback {
    xen_ulong_t cs;
    xen_ulong_t eip;
};
PV_ABI_SIZE(struct xen_callback, 8);

struct callback_register {
    uint16_t type;                /* IN: CALLBACKTYPE_* */
    uint16_t flags;               /* IN: CALLBACKF_* */
    struct xen_callback address;  /* IN */
};
PV_ABI_SIZE(struct callback_register, 12);
PV_ABI_OFFSET(struct callback_register, type, 0);
PV_ABI_OFFSET(struct callback_register, flags, 2);
PV_ABI_OFFSET(struct callback_register, address.cs, 4);
PV_ABI_OFFSET(struct callback_register, address.eip, 8);

/*
 * Of the types a 32-bit guest registers, only nmi may be unregistered;
 * the others answer -EINVAL, and an unknown type -ENOSYS.
 */
struct callback_unregister {
    uint16_t type;                /* IN: CALLBACKTYPE_* */
    uint16_t _unused;
};
PV_ABI_SIZE(struct callback_unregister, 4);

#endif
