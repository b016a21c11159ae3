/*
 * domctl and sysctl: the privileged control interface (spec/domctl.md).
 *
 * Every sub-op first checks that the caller is the privileged domain and
 * that the interface version is Bulkhead's, copies the whole request in
 * once, checks every argument, and only then acts. The payload layouts
 * are in guest-abi/include/pv/domctl.h.
 */
#include "arch/desc.h"
#include "arch/mm.h"
#include "audit.h"
#include "console_io.h"
#include "ctl_version.h"
#include "domain.h"
#include "domctl_ops.h"
#include "env.h"
#include "hc_cont.h"
#include "hypercall.h"
#include "pv/domctl.h"
#include "pv/errno.h"
#include "sched.h"
#include "string.h"
#include "time.h"

#define MAX_WEIGHT 65535u

static bool name_ok(const char *name)
{
    uint32_t i;

    for (i = 0; i < DOMAIN_NAME_LEN && name[i]; i++)
        if (name[i] <= ' ' || name[i] >= 0x7F)
            return false;
    return i > 0 && i < DOMAIN_NAME_LEN;
}

/*
 * CTL-6: the id after the last one handed out whose record slot is free
 * (as Xen's rover), never the lowest free id: other guests' unbound ports
 * and grant entries may still name a dead domain's id, and the next
 * domain must not inherit them. 0 when every slot is taken.
 */
static domid_t free_domid(void)
{
    static domid_t last;
    bool busy[MAX_DOMAINS];
    domid_t id;
    uint32_t i;

    for (i = 0; i < MAX_DOMAINS; i++)
        busy[i] = domains[i].state != DOM_FREE;
    id = domid_next(last, busy, MAX_DOMAINS);
    if (id)
        last = id;
    return id;
}

static int32_t create(struct xen_domctl *op)
{
    struct xen_domctl_createdomain *c = &op->u.create;
    struct domain *d;
    domid_t id;
    int err = 0;

    if (!name_ok(c->name) || c->weight > MAX_WEIGHT || c->max_pages == 0)
        return -EINVAL;
    if (c->max_pages > frame_table.nr_frames)
        return -ENOMEM;
    id = free_domid();
    if (id == 0)
        return -ENOSPC;
    d = domain_create(id, c->name, false, &err);
    if (!d)
        return err;
    d->max_pages = c->max_pages;
    d->weight = c->weight ? c->weight : 256;
    d->pause_count = 1;              /* built while paused, started by unpause */
    op->domain = id;
    return 0;
}

/* A domain dom0 may act on: exists, is not dom0, is not the caller. */
static struct domain *target(domid_t id)
{
    struct domain *d = domain_by_id(id);

    if (!d || d->privileged || d == current)
        return NULL;
    return d;
}

/*
 * HC-7: taking a big domain apart stops between units of work when other
 * work is due; dom0 then issues the same domctl again (Xen's -ERESTART
 * continuation of destroydomain), which goes on where it stopped.
 */
static int32_t destroy(struct domain *d, const uint32_t args[5])
{
    struct hc_cont cont;
    int rc;

    d->destroyed = true;
    if (d->state == DOM_ACTIVE)
        domain_kill(d);
    rc = domain_release_resources(d);
    if (rc == 0)
        rc = domain_try_free(d);
    if (rc != -ERESTART)
        return rc;
    hc_cont_set(&cont, args[0], args[1], args[2], args[3], args[4]);
    return hypercall_continue(&cont);
}

static int32_t pause(struct domain *d)
{
    if (d->state != DOM_ACTIVE)
        return -EINVAL;
    if (d->pause_count == 0xFFFFu)
        return -EOVERFLOW;
    d->pause_count++;
    return 0;
}

static int32_t unpause(struct domain *d)
{
    if (d->state != DOM_ACTIVE || d->pause_count == 0)
        return -EINVAL;
    if (d->pt.cr3_mfn == INVALID_MFN)
        return -EINVAL;              /* no vCPU context yet: nothing to run */
    d->pause_count--;
    if (d->pause_count == 0 && !d->periodic_next)
        time_domain_start(d);
    sched_raise();
    return 0;
}

static uint32_t info_state(const struct domain *d)
{
    if (d->state == DOM_DEAD)
        /* stopped on its own, its frames may still be mapped by a backend until dom0 destroys it */
        return d->destroyed && d->tot_pages ? DOMINFO_DYING
               : d->crashed                 ? DOMINFO_CRASHED
                                            : DOMINFO_SHUTDOWN;
    if (d->pause_count)
        return DOMINFO_PAUSED;
    return d->vcpu.blocked ? DOMINFO_BLOCKED : DOMINFO_RUNNABLE;
}

/* The domain with the lowest id >= `from` (ids are not slot numbers). */
static const struct domain *first_domain_from(domid_t from)
{
    const struct domain *d = NULL;
    uint32_t i;

    for (i = 0; i < MAX_DOMAINS; i++) {
        const struct domain *c = &domains[i];
        if (c->state != DOM_FREE && c->id >= from && (!d || c->id < d->id))
            d = c;
    }
    return d;
}

static int32_t getdomaininfo(struct xen_domctl *op)
{
    struct xen_domctl_getdomaininfo *info = &op->u.info;
    const struct domain *d = first_domain_from(op->domain);

    if (!d)
        return -ESRCH;
    memset(info, 0, sizeof(*info));
    info->domain = d->id;
    info->pause_count = (uint16_t)d->pause_count;      /* at most 0xFFFF (pause) */
    info->state = info_state(d);
    info->privileged = d->privileged;
    info->tot_pages = d->tot_pages;
    info->max_pages = d->max_pages;
    info->shutdown_reason = d->shutdown_reason;
    info->weight = d->weight;
    info->cpu_time_ns = d->cpu_time_ns;
    memcpy(info->name, d->name, sizeof(info->name) - 1);
    memcpy(info->crash_reason, d->crash_reason, sizeof(info->crash_reason) - 1);
    info->shared_info_frame = d->shared_info_mfn;
    info->console_dropped = console_dropped(d);         /* CON-4 */
    op->domain = d->id;
    return 0;
}

/* The whole crash reason of any domain there is (getdomaininfo carries 47 characters). */
static int32_t crash_reason(struct xen_domctl *op)
{
    const struct domain *d = domain_by_id(op->domain);

    if (!d)
        return -ESRCH;
    memset(&op->u, 0, sizeof(op->u));
    memcpy(op->u.crash_reason.reason, d->crash_reason, sizeof(op->u.crash_reason.reason) - 1);
    return 0;
}

static int32_t set_weight(struct domain *d, uint32_t weight)
{
    if (weight == 0 || weight > MAX_WEIGHT)
        return -EINVAL;
    d->weight = weight;
    return 0;
}

/*
 * CTL row 11, as Xen: a maximum below what the domain holds is accepted
 * (it ratchets down: nothing more is allocated to it until it has given
 * back enough), so the toolstack's mem-set binds the guest to its target.
 */
static int32_t max_mem(struct domain *d, uint32_t max_pages)
{
    if (max_pages > frame_table.nr_frames)
        return -EINVAL;
    d->max_pages = max_pages;
    return 0;
}

static int32_t on_target(struct xen_domctl *op, const uint32_t args[5])
{
    struct domain *d = target(op->domain);

    /* CTL-4: a weight is the one thing dom0 may set on itself (xl sched-credit -d 0 -w) */
    if (!d && op->cmd == XEN_DOMCTL_set_weight && op->domain == current->id)
        d = current;
    if (!d)
        return -ESRCH;
    switch (op->cmd) {
    case XEN_DOMCTL_destroydomain:
        return destroy(d, args);
    case XEN_DOMCTL_pausedomain:
        return pause(d);
    case XEN_DOMCTL_unpausedomain:
        return unpause(d);
    case XEN_DOMCTL_max_mem:
        return max_mem(d, op->u.max_mem.max_pages);
    case XEN_DOMCTL_set_weight:
        return set_weight(d, op->u.weight.weight);
    case XEN_DOMCTL_setvcpucontext:
        return domctl_setvcpucontext(d, &op->u.vcpucontext);
    case XEN_DOMCTL_hypercall_init:
        return domctl_hypercall_init(d, op->u.hypercall_init.gmfn);
    default:
        return -ENOSYS;                 /* CTL-5 */
    }
}

int32_t do_domctl(const uint32_t args[5])
{
    struct xen_domctl op;
    guest_ptr_t uop = guest_ptr(args[0]);
    int32_t rc;

    rc = ctl_caller_check(current->privileged);                /* CTL-1: first */
    if (rc)
        return rc;
    if (env_copy_from_guest(&op, uop, sizeof(op)))          /* CTL-2: once, whole */
        return -EFAULT;
    rc = ctl_domctl_version(op.cmd, op.interface_version);     /* CTL-3 */
    if (rc)
        return rc;
    if (op.cmd == XEN_DOMCTL_createdomain)
        rc = create(&op);
    else if (op.cmd == XEN_DOMCTL_getdomaininfo)
        rc = getdomaininfo(&op);
    else if (op.cmd == BULKHEAD_DOMCTL_crash_reason)
        rc = crash_reason(&op);
    else
        rc = on_target(&op, args);
    if (rc == 0 && env_copy_to_guest(uop, &op, sizeof(op)))
        return -EFAULT;
    return rc;
}

int32_t do_sysctl(const uint32_t args[5])
{
    struct xen_sysctl op;
    guest_ptr_t uop = guest_ptr(args[0]);
    uint32_t i, n = 0;
    int rc = ctl_caller_check(current->privileged);            /* CTL-1: first */

    if (rc)
        return rc;
    if (env_copy_from_guest(&op, uop, sizeof(op)))          /* CTL-2: once, whole */
        return -EFAULT;
    rc = ctl_sysctl_version(op.cmd, op.interface_version);     /* CTL-3 */
    if (rc)
        return rc;
    if (op.cmd == XEN_SYSCTL_audit)
        return audit_now() ? -EIO : 0;
    if (op.cmd != XEN_SYSCTL_physinfo)
        return -ENOSYS;                                         /* CTL-5 */
    for (i = 0; i < MAX_DOMAINS; i++)
        n += domains[i].state != DOM_FREE;
    memset(&op.u, 0, sizeof(op.u));
    op.u.physinfo.total_pages = frame_table.nr_frames;
    op.u.physinfo.free_pages = frame_table.nr_free;
    op.u.physinfo.nr_domains = n;
    op.u.physinfo.max_domains = MAX_DOMAINS;
    op.u.physinfo.capabilities = XEN_SYSCTL_PHYSCAP_pv | XEN_SYSCTL_PHYSCAP_gnttab_v1 |
                                 (desc_seg_limits_enforced() ? BULKHEAD_PHYSCAP_seg_limits : 0u);
    return env_copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : 0;
}
