/*
 * Event-channel operations: the argument structures a program op names,
 * run through the hypervisor's own code (evtchn_op() and
 * evtchn_raise_virq() of hv/core/evtchn_op.c, which the glue in
 * hv/events.c forwards to), then the port-bound oracle.
 *
 * Each op builds its structure in the argument window; `aux` bits 0..1
 * pick where (window, straddling its end, hypervisor boundary, NULL) and
 * `count` repeats the call (1 + count times: port exhaustion in four
 * ops). Ports an allocation or binding returns become PC_LEARNED handles.
 */
#include <stddef.h>
#include <string.h>

#include "env.h"
#include "evtchn_op.h"
#include "exec_internal.h"
#include "pv/errno.h"
#include "pv/event_channel.h"

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

/*
 * The port a successful allocation or binding returned, or 0: read back
 * from the argument the core copied out.
 */
static uint32_t returned_port(uint32_t cmd, guest_ptr_t arg)
{
    uint32_t off, port = 0;

    switch (cmd) {
    case EVTCHNOP_alloc_unbound:    off = offsetof(struct evtchn_alloc_unbound, port); break;
    case EVTCHNOP_bind_interdomain: off = offsetof(struct evtchn_bind_interdomain, local_port); break;
    case EVTCHNOP_bind_virq:        off = offsetof(struct evtchn_bind_virq, port); break;
    case EVTCHNOP_bind_ipi:         off = offsetof(struct evtchn_bind_ipi, port); break;
    default:                        return 0;
    }
    if (env_copy_from_guest(&port, guest_ptr_add(arg, off), sizeof(port)))
        exec_finding("event op %u succeeded but its result cannot be read back", cmd);
    return port;
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

/* The hypercall as the hypervisor runs it (hv/core/evtchn_op.c), then the oracles. */
static int run_evtchn_op(uint32_t cmd, const union evt_args *a, guest_ptr_t arg)
{
    struct evtchn_call c = { &M.world, (domid_t)X.actor_id, X.actor->pt.privileged };
    int rc = evtchn_op(&c, cmd, arg);

    if (rc == 0) {
        check_port_bound(cmd, a);
        if (returned_port(cmd, arg))
            res_learn_port(returned_port(cmd, arg));
    }
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
    return evtchn_raise_virq(&M.world, (domid_t)res_domid(&op->a[0]), res_u32(&op->a[1]));
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
        rc = run_evtchn_op(cmd, &a, args_place(op->aux, EVT_OFF, &a, sizeof(a)));
    }
    return rc;
}
