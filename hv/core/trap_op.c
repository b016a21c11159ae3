/*
 * The trap table, the ring-1 stack and the callbacks a guest registers
 * (see trap_op.h and spec/traps.md): copy in once, check, then install.
 */
#include "env.h"
#include "pv/errno.h"
#include "trap_op.h"

/* TRAP-5: the int 0x80 gate follows the table's vector 0x80 entry. */
static void show_int80(const struct trap_vcpu *tv)
{
    env_int80_gate_set(trap_int80_gate(&tv->idt[TRAP_INT80_VECTOR]));
}

/* TRAP-1: a NULL list clears the table. */
static void clear_table(struct trap_vcpu *tv)
{
    uint32_t i;

    for (i = 0; i < TRAP_VECTORS; i++) {
        struct trap_info none = { 0, 0, 0, 0 };

        tv->idt[i] = none;
    }
}

/*
 * TRAP-1, TRAP-8: take the entries at `list` one at a time, as Xen does,
 * so an entry refused or unreadable ends the call with those before it
 * in place. At most one entry per vector is read.
 */
static int32_t merge_entries(struct trap_vcpu *tv, guest_ptr_t list)
{
    struct trap_info ti;
    uint32_t i;

    for (i = 0; i < TRAP_VECTORS; i++) {
        if (env_copy_from_guest(&ti, guest_ptr_add(list, i * (uint32_t)sizeof(ti)), sizeof(ti)))
            return -EFAULT;                             /* TRAP-8: read once */
        if (ti.address == 0)                            /* TRAP-1: the end */
            return 0;
        if (trap_check_entry(&ti))                      /* TRAP-2, TRAP-3, TRAP-7 */
            return -EINVAL;
        tv->idt[ti.vector] = ti;
    }
    return 0;
}

int32_t trap_op_set_table(struct trap_vcpu *tv, guest_ptr_t list)
{
    int32_t rc = 0;

    if (list.va == 0)
        clear_table(tv);
    else
        rc = merge_entries(tv, list);
    show_int80(tv);                 /* TRAP-8: whatever was merged before a refusal too */
    return rc;
}

int32_t trap_op_stack_switch(struct trap_vcpu *tv, uint32_t ss, uint32_t esp)
{
    uint16_t sel = 0;

    if (trap_stack_switch(ss, &sel))                    /* CB-7 */
        return -EINVAL;
    tv->kernel_ss = sel;
    tv->kernel_sp = esp;
    env_kernel_stack_set(sel, esp);
    return 0;
}

/* CB-4: set_callbacks registers the failsafe entry without masking. */
int32_t trap_op_set_callbacks(struct trap_vcpu *tv, uint32_t event_cs, uint32_t event_eip,
                              uint32_t failsafe_cs, uint32_t failsafe_eip)
{
    struct callback_register ev = { CALLBACKTYPE_event, 0, { event_cs, event_eip } };
    struct callback_register fs = { CALLBACKTYPE_failsafe, 0, { failsafe_cs, failsafe_eip } };
    struct trap_callback ev_cb, fs_cb;
    int rc = trap_callback_register(&ev, &ev_cb);       /* CB-2, CB-3, CB-8 */

    if (!rc)
        rc = trap_callback_register(&fs, &fs_cb);
    if (rc)
        return rc;
    tv->event_cb = ev_cb;                               /* both checked: install both */
    tv->failsafe_cb = fs_cb;
    return 0;
}

/* The slot of a type trap_callback_register() accepted (CB-1). */
static struct trap_callback *callback_slot(struct trap_vcpu *tv, uint16_t type)
{
    switch (type) {
    case CALLBACKTYPE_event:     return &tv->event_cb;
    case CALLBACKTYPE_failsafe:  return &tv->failsafe_cb;
    case CALLBACKTYPE_nmi:       return &tv->nmi_cb;
    case CALLBACKTYPE_syscall32: return &tv->syscall32_cb;
    default:                     return &tv->sysenter_cb;
    }
}

static int32_t register_callback(struct trap_vcpu *tv, guest_ptr_t arg)
{
    struct callback_register reg;
    struct trap_callback cb;
    int rc;

    if (env_copy_from_guest(&reg, arg, sizeof(reg)))    /* CB-9: read once */
        return -EFAULT;
    rc = trap_callback_register(&reg, &cb);             /* CB-1..CB-5, CB-8 */
    if (rc)
        return rc;
    *callback_slot(tv, reg.type) = cb;
    return 0;
}

/* CB-6: only the NMI callback can go; NMIs then wait for a new one, or are dropped. */
static int32_t unregister_callback(struct trap_vcpu *tv, guest_ptr_t arg)
{
    struct callback_unregister unreg;
    struct trap_callback none = { 0, 0, false };
    int rc;

    if (env_copy_from_guest(&unreg, arg, sizeof(unreg)))    /* CB-9 */
        return -EFAULT;
    rc = trap_callback_unregister(unreg.type);
    if (rc == 0)
        tv->nmi_cb = none;
    return rc;
}

int32_t trap_op_callback(struct trap_vcpu *tv, uint32_t cmd, guest_ptr_t arg)
{
    switch (cmd) {
    case CALLBACKOP_register:
        return register_callback(tv, arg);
    case CALLBACKOP_unregister:
        return unregister_callback(tv, arg);
    default:                                            /* CB-9 */
        return -ENOSYS;
    }
}
