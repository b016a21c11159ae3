/*
 * Domains and their (single) virtual CPU.
 *
 * A domain slot goes FREE -> (create) ACTIVE -> (shutdown or crash) DEAD
 * -> (destroy, or at once for a domain nobody manages) FREE. The domain
 * with id N lives in slot N % MAX_DOMAINS; ids are handed out by a rover
 * so a dead domain's id does not come back soon (CTL-6, hv/core/domid.h). While ACTIVE
 * the vCPU runs when it is neither paused nor blocked. A DEAD domain has
 * already given back every frame and resource; only its record (name,
 * reason, CPU time) stays so dom0 can see why it stopped.
 */
#ifndef HV_DOMAIN_H
#define HV_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/regs.h"
#include "desc_op.h"
#include "domid.h"
#include "emul_dr.h"
#include "evtchn.h"
#include "pt_ctx.h"
#include "teardown.h"
#include "pv/arch_x86_32.h"
#include "pv/domctl.h"
#include "trap_op.h"
#include "types.h"

#define MAX_DOMAINS      256
#define DOMAIN_NAME_MAX  32
#define XEN_L2_SLOTS     84

enum domain_state { DOM_FREE = 0, DOM_ACTIVE, DOM_DEAD };

struct vcpu {
    uint8_t fpu[512] __attribute__((aligned(16)));   /* FXSAVE image while not running */
    struct cpu_regs regs;        /* saved state while not running */
    bool blocked;
    struct trap_vcpu trap;               /* virtual IDT, callbacks, ring-1 stack (trap_op.h) */
    uint32_t vcr2;                       /* virtual CR2: the last #PF address delivered */
    bool virt_ts;                        /* virtual CR0.TS (fpu_taskswitch, clts) */
    uint32_t viopl;                      /* virtual IOPL 0..3 (physdev_op set_iopl) */
    uint32_t vm_assist;                  /* VMASST_TYPE_* bits enabled */
    struct emul_dr_state dr;             /* virtual debug registers */
    uint32_t entries;                    /* synchronous hypervisor entries (traps, hypercalls) */
    bool in_failsafe;                    /* a failsafe frame was delivered; the guest has not run since */
    bool nmi_pending;                    /* an NMI waits for delivery (NMI-2, VCPUOP_send_nmi) */
    bool nmi_masked;                     /* an NMI frame is out: the next waits for iret (NMI-3) */
    uint32_t nmi_reasons;                /* XEN_NMIREASON_* bits not yet in shared_info */
};

struct domain {
    domid_t id;
    enum domain_state state;
    char name[DOMAIN_NAME_MAX];
    bool privileged;
    uint8_t cmos_index;          /* EMUL-19: its latched RTC index (port 0x70) */
    uint32_t pause_count;
    uint32_t shutdown_reason;    /* SHUTDOWN_* once DEAD */
    bool crashed;
    char crash_reason[CRASH_REASON_FULL_LEN];
    uint32_t tot_pages;          /* frames owned */
    uint32_t max_pages;          /* allowance */
    uint32_t shared_info_mfn;
    uint32_t perdomain_l1_mfn;
    uint64_t xen_l2_slots[XEN_L2_SLOTS];   /* template for this domain's slot-3 L2s */
    struct pt_ctx pt;            /* page-table state; pt.cr3_mfn is the L3 in use */
    struct evtchn_domain evtchn; /* its event-channel ports */
    bool released;               /* teardown done: holds no tables or holds */
    struct td_cursor td;         /* how far teardown has got (PT-42) */
    bool destroyed;              /* dom0 asked for it to go; frames may still be held */
    struct desc_tables desc;     /* its GDT frames and mapped LDT pages (PGT_SEG_DESC) */
    uint64_t cpu_time_ns;        /* time spent running */
    uint64_t run_start_ns;       /* when it was last switched in */
    uint64_t started_ns;         /* when it first became runnable */
    uint64_t blocked_ns;         /* time spent blocked */
    uint64_t blocked_since_ns;
    uint64_t sched_vtime;        /* fair-share virtual time (sched_policy) */
    uint64_t timer_deadline;     /* set_timer_op, 0 = none */
    uint64_t poll_deadline;      /* SCHEDOP_poll timeout, 0 = none */
    uint64_t periodic_next;      /* next periodic VIRQ_TIMER, 0 = stopped */
    uint64_t periodic_ns;        /* its period (10 ms at start) */
    uint32_t time_seq, wc_seq;   /* versions of the time records we publish */
    uint32_t weight;
    struct vcpu vcpu;
};

extern struct domain domains[MAX_DOMAINS];
extern struct domain *current;

/* The live (or dead, not yet freed) domain with this id, or NULL. */
struct domain *domain_by_id(domid_t id);
/* Its record slot: the index into domains[] and every per-slot table. */
static inline uint32_t domain_slot(const struct domain *d)
{
    return domid_slot(d->id, MAX_DOMAINS);
}
/* Allocate a slot and the per-domain structures; NULL with *err on failure. */
struct domain *domain_create(domid_t id, const char *name, bool privileged, int *err);

/*
 * The hypervisor's only way to write a domain's shared_info (PT-40): the
 * frame must still carry the writable hold taken at creation, else the
 * hypervisor panics rather than write into what could be a table.
 */
struct shared_info;
struct shared_info *shared_info_map(struct domain *d);
void shared_info_unmap(struct shared_info *s);
/* Teardown: drop that hold; the frame is freed with the domain's others. */
void domain_release_shared_info(struct domain *d);

/* Inline: asked on every way back to a guest (PERF-1). */
static inline bool domain_runnable(const struct domain *d)
{
    return d->state == DOM_ACTIVE && d->pause_count == 0 && !d->vcpu.blocked;
}

/* A guest-caused fault with nowhere to go: the domain stops, the rest runs. */
void domain_crash(struct domain *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void domain_shutdown(struct domain *d, uint32_t reason);
/* dom0 destroys a running domain. */
void domain_kill(struct domain *d);
/*
 * Give back everything a stopped domain holds (its tables must not be
 * loaded). 0 when done (d->released), -ERESTART when it stopped for other
 * work (HC-7): call again to go on from where it stopped.
 */
int domain_release_resources(struct domain *d);
/*
 * Free the record of a released domain once no frame of it is held: 0
 * (the slot is free), -EBUSY (frames still mapped elsewhere), -ERESTART
 * (the check stopped for other work; call again).
 */
int domain_try_free(struct domain *d);

#endif
