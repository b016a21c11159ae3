/*
 * event_channel_op (hypercall 32): ports, the PV replacement for
 * interrupts. event_channel_op(cmd, arg).
 *
 * A port is a small index private to a domain. Binding connects it to a
 * source: another domain's port, a virtual IRQ, a physical IRQ, or an IPI
 * between the domain's own vCPUs. Delivery marks the port pending in
 * shared_info (2-level ABI: 1024 ports for 32-bit guests) and raises an
 * upcall unless the port or the vCPU is masked. Port 0 is never allocated,
 * so 0 can mean "no port".
 */
#ifndef PV_EVENT_CHANNEL_H
#define PV_EVENT_CHANNEL_H

#include "types.h"

typedef uint32_t evtchn_port_t;

#define NR_EVENT_CHANNELS 1024u   /* 32 words x 32 bits in shared_info */

#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq        1
#define EVTCHNOP_bind_pirq        2
#define EVTCHNOP_close            3
#define EVTCHNOP_send             4
#define EVTCHNOP_status           5
#define EVTCHNOP_alloc_unbound    6
#define EVTCHNOP_bind_ipi         7
#define EVTCHNOP_bind_vcpu        8
#define EVTCHNOP_unmask           9
#define EVTCHNOP_reset           10
#define EVTCHNOP_init_control    11   /* 11-14: FIFO ABI, not offered */
#define EVTCHNOP_expand_array    12
#define EVTCHNOP_set_priority    13
#define EVTCHNOP_reset_cont      14

/*
 * Virtual IRQs. Per-vCPU ones (V) are bound once per vCPU; global ones (G)
 * once per domain on vCPU 0, and only by the domain that handles them
 * (the control domain by default).
 */
#define VIRQ_TIMER        0   /* V: timer expired */
#define VIRQ_DEBUG        1   /* V: dump debug state */
#define VIRQ_CONSOLE      2   /* G: input on the hypervisor console */
#define VIRQ_DOM_EXC      3   /* G: a domain crashed or shut down */
#define VIRQ_TBUF         4   /* G: trace buffer */
#define VIRQ_DEBUGGER     6   /* G: a domain paused for a debugger */
#define VIRQ_XENOPROF     7   /* V */
#define VIRQ_CON_RING     8   /* G: hypervisor console ring has data */
#define VIRQ_PCPU_STATE   9   /* G */
#define VIRQ_MEM_EVENT   10   /* G */
#define VIRQ_ARGO        11   /* per domain; VIRQ_XC_RESERVED in Xen 4.2 */
#define VIRQ_XC_RESERVED 11
#define VIRQ_ENOMEM      12   /* G: hypervisor low on memory */
#define VIRQ_XENPMU      13   /* V */
#define VIRQ_ARCH_0      16
#define VIRQ_ARCH_1      17
#define VIRQ_ARCH_2      18
#define VIRQ_ARCH_3      19
#define VIRQ_ARCH_4      20
#define VIRQ_ARCH_5      21
#define VIRQ_ARCH_6      22
#define VIRQ_ARCH_7      23
#define NR_VIRQS         24

/* evtchn_status.status */
#define EVTCHNSTAT_closed     0
#define EVTCHNSTAT_unbound    1
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_pirq       3
#define EVTCHNSTAT_virq       4
#define EVTCHNSTAT_ipi        5

/* Open a port that remote_dom may later bind to. */
struct evtchn_alloc_unbound {
    domid_t       dom;            /* IN: DOMID_SELF unless privileged */
    domid_t       remote_dom;     /* IN: may be DOMID_SELF (loopback) */
    evtchn_port_t port;           /* OUT */
};
PV_ABI_SIZE(struct evtchn_alloc_unbound, 8);
PV_ABI_OFFSET(struct evtchn_alloc_unbound, dom, 0);
PV_ABI_OFFSET(struct evtchn_alloc_unbound, remote_dom, 2);
PV_ABI_OFFSET(struct evtchn_alloc_unbound, port, 4);

/* The remote port must be unbound and name the caller; the new port starts pending. */
struct evtchn_bind_interdomain {
    domid_t       remote_dom;     /* IN */
    uint16_t      pad;
    evtchn_port_t remote_port;    /* IN */
    evtchn_port_t local_port;     /* OUT */
};
PV_ABI_SIZE(struct evtchn_bind_interdomain, 12);
PV_ABI_OFFSET(struct evtchn_bind_interdomain, remote_dom, 0);
PV_ABI_OFFSET(struct evtchn_bind_interdomain, remote_port, 4);
PV_ABI_OFFSET(struct evtchn_bind_interdomain, local_port, 8);

struct evtchn_bind_virq {
    uint32_t      virq;           /* IN: VIRQ_* */
    uint32_t      vcpu;           /* IN */
    evtchn_port_t port;           /* OUT */
};
PV_ABI_SIZE(struct evtchn_bind_virq, 12);
PV_ABI_OFFSET(struct evtchn_bind_virq, virq, 0);
PV_ABI_OFFSET(struct evtchn_bind_virq, vcpu, 4);
PV_ABI_OFFSET(struct evtchn_bind_virq, port, 8);

#define BIND_PIRQ__WILL_SHARE 1u

struct evtchn_bind_pirq {         /* privileged */
    uint32_t      pirq;           /* IN */
    uint32_t      flags;          /* IN: BIND_PIRQ__* */
    evtchn_port_t port;           /* OUT */
};
PV_ABI_SIZE(struct evtchn_bind_pirq, 12);
PV_ABI_OFFSET(struct evtchn_bind_pirq, port, 8);

struct evtchn_bind_ipi {
    uint32_t      vcpu;           /* IN */
    evtchn_port_t port;           /* OUT */
};
PV_ABI_SIZE(struct evtchn_bind_ipi, 8);
PV_ABI_OFFSET(struct evtchn_bind_ipi, port, 4);

/* Closing one end of an interdomain channel returns the other to unbound. */
struct evtchn_close {
    evtchn_port_t port;           /* IN */
};
PV_ABI_SIZE(struct evtchn_close, 4);

struct evtchn_send {
    evtchn_port_t port;           /* IN */
};
PV_ABI_SIZE(struct evtchn_send, 4);

struct evtchn_status {
    domid_t       dom;            /* IN */
    uint16_t      pad;
    evtchn_port_t port;           /* IN */
    uint32_t      status;         /* OUT: EVTCHNSTAT_* */
    uint32_t      vcpu;           /* OUT: vCPU notified */
    union {
        struct { domid_t dom; } unbound;
        struct { domid_t dom; evtchn_port_t port; } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;                          /* OUT, by status */
};
PV_ABI_SIZE(struct evtchn_status, 24);
PV_ABI_OFFSET(struct evtchn_status, dom, 0);
PV_ABI_OFFSET(struct evtchn_status, port, 4);
PV_ABI_OFFSET(struct evtchn_status, status, 8);
PV_ABI_OFFSET(struct evtchn_status, vcpu, 12);
PV_ABI_OFFSET(struct evtchn_status, u, 16);
PV_ABI_OFFSET(struct evtchn_status, u.interdomain.dom, 16);
PV_ABI_OFFSET(struct evtchn_status, u.interdomain.port, 20);

/* Not for IPI ports or per-vCPU VIRQs, whose vCPU is fixed at binding. */
struct evtchn_bind_vcpu {
    evtchn_port_t port;           /* IN */
    uint32_t      vcpu;           /* IN */
};
PV_ABI_SIZE(struct evtchn_bind_vcpu, 8);

/* Clear the mask bit and raise the upcall the masked port missed. */
struct evtchn_unmask {
    evtchn_port_t port;           /* IN */
};
PV_ABI_SIZE(struct evtchn_unmask, 4);

struct evtchn_reset {
    domid_t dom;                  /* IN */
};
PV_ABI_SIZE(struct evtchn_reset, 2);

/* Argument of the legacy event_channel_op_compat (hypercall 16). */
struct evtchn_op {
    uint32_t cmd;                 /* IN: EVTCHNOP_* */
    union {
        struct evtchn_alloc_unbound    alloc_unbound;
        struct evtchn_bind_interdomain bind_interdomain;
        struct evtchn_bind_virq        bind_virq;
        struct evtchn_bind_pirq        bind_pirq;
        struct evtchn_bind_ipi         bind_ipi;
        struct evtchn_close            close;
        struct evtchn_send             send;
        struct evtchn_status           status;
        struct evtchn_bind_vcpu        bind_vcpu;
        struct evtchn_unmask           unmask;
    } u;
};
PV_ABI_SIZE(struct evtchn_op, 28);
PV_ABI_OFFSET(struct evtchn_op, u, 4);

#endif
