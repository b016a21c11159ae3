/*
 * Event-channel operations, as hv/events.c runs them: the argument is
 * copied in once from the guest, the core decides and changes the port
 * tables, the glue marks or clears pending bits in shared_info, and the
 * argument is copied back out on success.
 *
 * Each op builds its structure in the argument window; `aux` bits 0..1
 * pick where (window, straddling its end, hypervisor boundary, NULL) and
 * `count` repeats the call (1 + count times: port exhaustion in four
 * ops). Ports an allocation or binding returns become PC_LEARNED handles.
 */
#include <string.h>

#include "env.h"
#include "evtchn.h"
#include "evtchn_2l.h"
#include "exec_internal.h"
#include "pv/errno.h"
#include "pv/event_channel.h"
#include "pv/shared_info.h"

#define EVT_OFF 0x200u

union evt_args {
    struct evtchn_bind_interdomain bind_interdomain;
    struct evtchn_bind_virq bind_virq;
    struct evtchn_close close;
    struct evtchn_send send;
    struct evtchn_status status;
    struct evtchn_alloc_unbound alloc_unbound;
    struct evtchn_bind_ipi bind_ipi;
    struct evtchn_bind_vcpu bind_vcpu;
    struct evtchn_unmask unmask;
    uint8_t raw[24];
};

/* deliver(): mark `port` pending for `dom` (a live domain). */
static void deliver(domid_t dom, uint32_t port)
{
    struct shared_info *s;

    if (!port || dom >= M_NR_DOMS)
        return;
    s = env_map_frame(M.dom[dom].shared);
    (void)evtchn_2l_set_pending(s, port);
    env_unmap_frame(s);
}

static void clear_pending(domid_t dom, uint32_t port)
{
    struct shared_info *s;

    if (!port || dom >= M_NR_DOMS)
        return;
    s = env_map_frame(M.dom[dom].shared);
    evtchn_2l_clear_pending(s, port);
    env_unmap_frame(s);
}

static int unmask(uint32_t port)
{
    struct shared_info *s;
    int rc = evtchn_unmask_check(&M.world, (domid_t)X.actor_id, port);

    if (rc)
        return rc;
    s = env_map_frame(X.actor->shared);
    (void)evtchn_2l_unmask(s, port);
    env_unmap_frame(s);
    return 0;
}

static uint32_t op_size(uint32_t cmd)
{
    switch (cmd) {
    case EVTCHNOP_bind_interdomain: return sizeof(struct evtchn_bind_interdomain);
    case EVTCHNOP_bind_virq:        return sizeof(struct evtchn_bind_virq);
    case EVTCHNOP_close:            return sizeof(struct evtchn_close);
    case EVTCHNOP_send:             return sizeof(struct evtchn_send);
    case EVTCHNOP_status:           return sizeof(struct evtchn_status);
    case EVTCHNOP_alloc_unbound:    return sizeof(struct evtchn_alloc_unbound);
    case EVTCHNOP_bind_ipi:         return sizeof(struct evtchn_bind_ipi);
    case EVTCHNOP_bind_vcpu:        return sizeof(struct evtchn_bind_vcpu);
    case EVTCHNOP_unmask:           return sizeof(struct evtchn_unmask);
    default:                        return 0;
    }
}

static int run_op(uint32_t cmd, union evt_args *a)
{
    struct evtchn_notify n = { 0, 0, 0 };
    domid_t self = (domid_t)X.actor_id;
    bool priv = X.actor->pt.privileged;
    int rc;

    switch (cmd) {
    case EVTCHNOP_alloc_unbound:
        return evtchn_alloc_unbound(&M.world, self, priv, &a->alloc_unbound);
    case EVTCHNOP_bind_interdomain:
        rc = evtchn_bind_interdomain(&M.world, self, &a->bind_interdomain, &n);
        deliver(n.dom, n.port);
        return rc;
    case EVTCHNOP_bind_virq:
        return evtchn_bind_virq(&M.world, self, priv, &a->bind_virq);
    case EVTCHNOP_bind_ipi:
        return evtchn_bind_ipi(&M.world, self, &a->bind_ipi);
    case EVTCHNOP_close:
        rc = evtchn_close(&M.world, self, a->close.port, &n);
        clear_pending(n.dom, n.port);
        return rc;
    case EVTCHNOP_send:
        rc = evtchn_send(&M.world, self, a->send.port, &n);
        deliver(n.dom, n.port);
        return rc;
    case EVTCHNOP_status:
        return evtchn_status(&M.world, self, priv, &a->status);
    case EVTCHNOP_bind_vcpu:
        return evtchn_bind_vcpu(&M.world, self, a->bind_vcpu.port, a->bind_vcpu.vcpu);
    case EVTCHNOP_unmask:
        return unmask(a->unmask.port);
    default:
        return -ENOSYS;
    }
}

/* The port a successful allocation or binding returned, or 0. */
static uint32_t returned_port(uint32_t cmd, const union evt_args *a)
{
    switch (cmd) {
    case EVTCHNOP_alloc_unbound:    return a->alloc_unbound.port;
    case EVTCHNOP_bind_interdomain: return a->bind_interdomain.local_port;
    case EVTCHNOP_bind_virq:        return a->bind_virq.port;
    case EVTCHNOP_bind_ipi:         return a->bind_ipi.port;
    default:                        return 0;
    }
}

/*
 * EVT-1, stated apart from evtchn_port_valid(): an operation on a port
 * number at or past the table's limit never succeeds. `dom` is whose
 * table the number indexes.
 */
static void check_port_bound(uint32_t cmd, const union evt_args *a)
{
    uint32_t port, dom = X.actor_id;

    switch (cmd) {
    case EVTCHNOP_send:        port = a->send.port; break;
    case EVTCHNOP_close:       port = a->close.port; break;
    case EVTCHNOP_unmask:      port = a->unmask.port; break;
    case EVTCHNOP_bind_vcpu:   port = a->bind_vcpu.port; break;
    case EVTCHNOP_bind_interdomain:
        port = a->bind_interdomain.remote_port;
        dom = a->bind_interdomain.remote_dom;
        break;
    case EVTCHNOP_status:
        port = a->status.port;
        dom = a->status.dom == DOMID_SELF ? X.actor_id : a->status.dom;
        break;
    default:
        return;
    }
    if (dom < M_NR_DOMS && port >= M_evt[dom].max_ports)
        exec_finding("EVT-1 oracle: command %u on dom%u port %u (max %u) succeeded", cmd, dom,
                     port, M_evt[dom].max_ports);
}

/* evtchn_op(): copy in once, run, copy out. */
static int evtchn_op(uint32_t cmd, guest_ptr_t arg)
{
    union evt_args a;
    uint32_t size = op_size(cmd);
    int rc;

    if (!size)
        return -ENOSYS;
    memset(&a, 0, sizeof(a));
    if (env_copy_from_guest(&a, arg, size))
        return -EFAULT;
    rc = run_op(cmd, &a);
    if (rc == 0)
        check_port_bound(cmd, &a);
    if (rc == 0 && env_copy_to_guest(arg, &a, size))
        return -EFAULT;
    if (rc == 0 && returned_port(cmd, &a))
        res_learn_port(returned_port(cmd, &a));
    return rc;
}

/* The command and argument structure an op names. */
static uint32_t build(const struct prog_op *op, union evt_args *a)
{
    memset(a, 0, sizeof(*a));
    switch (op->op) {
    case OP_EVT_ALLOC_UNBOUND:
        a->alloc_unbound.dom = (domid_t)res_domid(&op->a[0]);
        a->alloc_unbound.remote_dom = (domid_t)res_domid(&op->a[1]);
        return EVTCHNOP_alloc_unbound;
    case OP_EVT_BIND_INTERDOMAIN:
        a->bind_interdomain.remote_dom = (domid_t)res_domid(&op->a[0]);
        a->bind_interdomain.remote_port = res_port(&op->a[1]);
        return EVTCHNOP_bind_interdomain;
    case OP_EVT_BIND_VIRQ:
        a->bind_virq.virq = res_u32(&op->a[0]);
        a->bind_virq.vcpu = res_u32(&op->a[1]);
        return EVTCHNOP_bind_virq;
    case OP_EVT_BIND_IPI:
        a->bind_ipi.vcpu = res_u32(&op->a[0]);
        return EVTCHNOP_bind_ipi;
    case OP_EVT_SEND:
        a->send.port = res_port(&op->a[0]);
        return EVTCHNOP_send;
    case OP_EVT_CLOSE:
        a->close.port = res_port(&op->a[0]);
        return EVTCHNOP_close;
    case OP_EVT_STATUS:
        a->status.dom = (domid_t)res_domid(&op->a[0]);
        a->status.port = res_port(&op->a[1]);
        return EVTCHNOP_status;
    case OP_EVT_UNMASK:
        a->unmask.port = res_port(&op->a[0]);
        return EVTCHNOP_unmask;
    case OP_EVT_BIND_VCPU:
        a->bind_vcpu.port = res_port(&op->a[0]);
        a->bind_vcpu.vcpu = res_u32(&op->a[1]);
        return EVTCHNOP_bind_vcpu;
    default: {                                  /* OP_EVT_RAW */
        uint64_t v[3] = { op->a[1].value, op->a[2].value, op->a[3].value };

        memcpy(a->raw, v, sizeof(a->raw));
        return res_u32(&op->a[0]);
    }
    }
}

/* events_raise_virq(): the hypervisor's side, no guest argument. */
static int raise_virq(const struct prog_op *op)
{
    struct evtchn_notify n = { 0, 0, 0 };
    int rc = evtchn_virq_target(&M.world, (domid_t)res_domid(&op->a[0]), res_u32(&op->a[1]), &n);

    if (rc == 0)
        deliver(n.dom, n.port);
    return rc;
}

int exec_evt_op(const struct prog_op *op)
{
    union evt_args a;
    uint32_t reps = 1u + op->count, r;
    int rc = 0;

    X.evt_op = true;
    machine_mark_evt_dirty();
    for (r = 0; r < reps; r++) {
        uint32_t cmd;

        if (op->op == OP_EVT_RAISE_VIRQ) {
            rc = raise_virq(op);
            continue;
        }
        /* built anew each time: a handle may name a port the last call made */
        cmd = build(op, &a);
        rc = evtchn_op(cmd, args_place(op->aux, EVT_OFF, &a, sizeof(a)));
    }
    return rc;
}
