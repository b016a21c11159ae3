/*
 * vcpu_op (hypercall 24): bringing vCPUs up and down, their timers, and
 * memory areas the hypervisor keeps up to date for them.
 * vcpu_op(cmd, vcpuid, arg).
 */
#ifndef PV_VCPU_H
#define PV_VCPU_H

#include "types.h"

#define VCPUOP_initialise                     0   /* struct vcpu_guest_context */
#define VCPUOP_up                             1   /* arg NULL */
#define VCPUOP_down                           2   /* arg NULL */
#define VCPUOP_is_up                          3   /* arg NULL; returns 0 or 1 */
#define VCPUOP_get_runstate_info              4   /* struct vcpu_runstate_info */
#define VCPUOP_register_runstate_memory_area  5   /* struct vcpu_register_runstate_memory_area */
#define VCPUOP_set_periodic_timer             6   /* struct vcpu_set_periodic_timer */
#define VCPUOP_stop_periodic_timer            7   /* arg NULL */
#define VCPUOP_set_singleshot_timer           8   /* struct vcpu_set_singleshot_timer */
#define VCPUOP_stop_singleshot_timer          9   /* arg NULL */
#define VCPUOP_register_vcpu_info            10   /* struct vcpu_register_vcpu_info */
#define VCPUOP_send_nmi                      11   /* arg NULL */
#define VCPUOP_get_physid                    12   /* struct vcpu_get_physid */
#define VCPUOP_register_vcpu_time_memory_area 13  /* struct vcpu_register_time_memory_area */
#define VCPUOP_register_runstate_phys_area   14
#define VCPUOP_register_vcpu_time_phys_area  15
/* Bulkhead: synchronous hypervisor entries (hypercalls, traps) of this vCPU so far. */
#define VCPUOP_bulkhead_entry_count      0x1000

/* vcpu_runstate_info.state */
#define RUNSTATE_running  0
#define RUNSTATE_runnable 1
#define RUNSTATE_blocked  2
#define RUNSTATE_offline  3

/* Set in state_entry_time while an update is in progress (runstate_update_flag). */
#define XEN_RUNSTATE_UPDATE (1ull << 63)

struct vcpu_runstate_info {       /* OUT */
    int32_t state;                /* RUNSTATE_* */
    pv_u64  state_entry_time;     /* system time of the last state change */
    pv_u64  time[4];              /* ns spent in each RUNSTATE_* */
};
PV_ABI_SIZE(struct vcpu_runstate_info, 44);
PV_ABI_OFFSET(struct vcpu_runstate_info, state_entry_time, 4);
PV_ABI_OFFSET(struct vcpu_runstate_info, time, 12);

/* The hypervisor copies the runstate there on every change. */
struct vcpu_register_runstate_memory_area {
    union {
        pv_handle_t h;            /* IN: guest virtual address */
        pv_u64      p;
    } addr;
};

/* Every PV vCPU starts with a 10 ms periodic timer raising VIRQ_TIMER. */
struct vcpu_set_periodic_timer {
    pv_u64 period_ns;             /* IN */
};

#define _VCPU_SSHOTTMR_future 0
#define VCPU_SSHOTTMR_future  (1u << _VCPU_SSHOTTMR_future)  /* -ETIME if already past */

struct vcpu_set_singleshot_timer {
    pv_u64   timeout_abs_ns;      /* IN: absolute system time */
    uint32_t flags;               /* IN: VCPU_SSHOTTMR_* */
};
PV_ABI_SIZE(struct vcpu_set_singleshot_timer, 12);
PV_ABI_OFFSET(struct vcpu_set_singleshot_timer, timeout_abs_ns, 0);
PV_ABI_OFFSET(struct vcpu_set_singleshot_timer, flags, 8);

/*
 * Move this vCPU's vcpu_info out of shared_info (needed beyond 32 vCPUs).
 * Allowed once per vCPU; the structure must not cross a page boundary.
 */
struct vcpu_register_vcpu_info {
    pv_u64   mfn;                 /* IN: machine frame holding it */
    uint32_t offset;              /* IN: byte offset within the frame */
    uint32_t rsvd;                /* IN: must be 0 */
};
PV_ABI_SIZE(struct vcpu_register_vcpu_info, 16);
PV_ABI_OFFSET(struct vcpu_register_vcpu_info, mfn, 0);
PV_ABI_OFFSET(struct vcpu_register_vcpu_info, offset, 8);
PV_ABI_OFFSET(struct vcpu_register_vcpu_info, rsvd, 12);

struct vcpu_get_physid {
    pv_u64 phys_id;               /* OUT: x86: APIC id in 31:0, ACPI id in 63:32 */
};

struct vcpu_register_time_memory_area {
    union {
        pv_handle_t h;            /* IN: guest virtual address of a vcpu_time_info */
        pv_u64      p;
    } addr;
};

#endif
