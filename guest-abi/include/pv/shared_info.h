/*
 * The shared_info page and the per-vCPU vcpu_info inside it (x86_32).
 *
 * The guest maps the page itself at a virtual address of its choice, from
 * the machine address in start_info.shared_info. Both sides write it
 * concurrently, so each field says who writes it; the other side only
 * reads. Multi-word values that the hypervisor updates (vcpu_time_info,
 * the wallclock) use a version counter: odd while an update is under way,
 * so a reader retries while the version is odd or changed under it.
 *
 * The layout is current Xen's up to wc_sec_hi. What follows it differs
 * between Xen versions, so guests must not depend on sizeof(struct
 * shared_info), and no assertion pins it here.
 */
#ifndef PV_SHARED_INFO_H
#define PV_SHARED_INFO_H

#include "types.h"

#define XEN_LEGACY_MAX_VCPUS 32   /* vcpu_info slots inside shared_info */

/* vcpu_time_info.flags */
#define XEN_PVCLOCK_TSC_STABLE_BIT (1u << 0)
#define XEN_PVCLOCK_GUEST_STOPPED  (1u << 1)

/*
 * Written by the hypervisor only. Current system time in ns is
 *   system_time + ((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul >> 32
 * with a right shift when tsc_shift is negative.
 */
struct vcpu_time_info {
    uint32_t version;             /* odd while an update is in progress */
    uint32_t pad0;
    pv_u64   tsc_timestamp;       /* TSC at the last update */
    pv_u64   system_time;         /* ns since boot at tsc_timestamp */
    uint32_t tsc_to_system_mul;   /* 32.32 fixed point */
    int8_t   tsc_shift;
    uint8_t  flags;               /* XEN_PVCLOCK_* */
    uint8_t  pad1[2];
};
PV_ABI_SIZE(struct vcpu_time_info, 32);
PV_ABI_OFFSET(struct vcpu_time_info, version, 0);
PV_ABI_OFFSET(struct vcpu_time_info, pad0, 4);
PV_ABI_OFFSET(struct vcpu_time_info, tsc_timestamp, 8);
PV_ABI_OFFSET(struct vcpu_time_info, system_time, 16);
PV_ABI_OFFSET(struct vcpu_time_info, tsc_to_system_mul, 24);
PV_ABI_OFFSET(struct vcpu_time_info, tsc_shift, 28);
PV_ABI_OFFSET(struct vcpu_time_info, flags, 29);
PV_ABI_OFFSET(struct vcpu_time_info, pad1, 30);

struct arch_vcpu_info {
    xen_ulong_t cr2;              /* hypervisor: fault address of the last #PF bounced */
    xen_ulong_t pad[5];
};
PV_ABI_SIZE(struct arch_vcpu_info, 24);

/*
 * The upcall handshake: the hypervisor sets evtchn_upcall_pending and the
 * selector bits; the guest clears upcall_pending *before* scanning the
 * selector, so an event arriving during the scan raises it again. The
 * mask is the guest's virtual interrupt flag (nonzero: no upcalls); every
 * vCPU starts masked.
 */
struct vcpu_info {
    uint8_t     evtchn_upcall_pending;  /* hypervisor sets, guest clears */
    uint8_t     evtchn_upcall_mask;     /* guest (hypervisor on bounce / iret / block) */
    uint8_t     pad0[2];
    xen_ulong_t evtchn_pending_sel;     /* bit w: evtchn_pending[w] has work */
    struct arch_vcpu_info arch;
    struct vcpu_time_info time;
};
PV_ABI_SIZE(struct vcpu_info, 64);
PV_ABI_OFFSET(struct vcpu_info, evtchn_upcall_pending, 0);
PV_ABI_OFFSET(struct vcpu_info, evtchn_upcall_mask, 1);
PV_ABI_OFFSET(struct vcpu_info, evtchn_pending_sel, 4);
PV_ABI_OFFSET(struct vcpu_info, arch.cr2, 8);
PV_ABI_OFFSET(struct vcpu_info, arch.pad, 12);
PV_ABI_OFFSET(struct vcpu_info, time, 32);

/* arch_shared_info.nmi_reason bits: why the hypervisor passed an NMI on (to dom0). */
#define _XEN_NMIREASON_io_error 0    /* I/O check error */
#define XEN_NMIREASON_io_error  (1u << _XEN_NMIREASON_io_error)
#define _XEN_NMIREASON_pci_serr 1    /* PCI SERR */
#define XEN_NMIREASON_pci_serr  (1u << _XEN_NMIREASON_pci_serr)
#define _XEN_NMIREASON_unknown  2    /* any other NMI */
#define XEN_NMIREASON_unknown   (1u << _XEN_NMIREASON_unknown)

struct arch_shared_info {
    xen_ulong_t max_pfn;                     /* guest: highest PFN, for the tools */
    xen_pfn_t   pfn_to_mfn_frame_list_list;  /* guest: root of the 3-level P2M tree */
    xen_ulong_t nmi_reason;                  /* hypervisor */
    xen_ulong_t p2m_cr3;                     /* guest: virtually mapped P2M, for the tools */
    xen_ulong_t p2m_vaddr;
    xen_ulong_t p2m_generation;
    uint32_t    wc_sec_hi;                   /* hypervisor: upper 32 bits of wc_sec (i386 only) */
};

/*
 * Two-level event channels: evtchn_pending/evtchn_mask are 32 words of 32
 * bits, one bit per port (1024 ports). The hypervisor sets pending bits,
 * the guest clears them; the guest owns the mask bits.
 */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t evtchn_pending[32];
    xen_ulong_t evtchn_mask[32];
    uint32_t    wc_version;             /* hypervisor: odd while updating */
    uint32_t    wc_sec;                 /* wallclock at system_time 0 */
    uint32_t    wc_nsec;
    struct arch_shared_info arch;
};
PV_ABI_OFFSET(struct shared_info, vcpu_info, 0);
PV_ABI_OFFSET(struct shared_info, vcpu_info[1], 64);
PV_ABI_OFFSET(struct shared_info, evtchn_pending, 2048);
PV_ABI_OFFSET(struct shared_info, evtchn_mask, 2176);
PV_ABI_OFFSET(struct shared_info, wc_version, 2304);
PV_ABI_OFFSET(struct shared_info, wc_sec, 2308);
PV_ABI_OFFSET(struct shared_info, wc_nsec, 2312);
PV_ABI_OFFSET(struct shared_info, arch.max_pfn, 2316);
PV_ABI_OFFSET(struct shared_info, arch.pfn_to_mfn_frame_list_list, 2320);
PV_ABI_OFFSET(struct shared_info, arch.nmi_reason, 2324);
PV_ABI_OFFSET(struct shared_info, arch.p2m_cr3, 2328);
PV_ABI_OFFSET(struct shared_info, arch.p2m_vaddr, 2332);
PV_ABI_OFFSET(struct shared_info, arch.p2m_generation, 2336);
PV_ABI_OFFSET(struct shared_info, arch.wc_sec_hi, 2340);
_Static_assert(sizeof(struct shared_info) <= 4096, "shared_info fits in its page");

#endif
