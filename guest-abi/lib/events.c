/*
 * Guest-side event channels (see events.h). The upcall clears
 * evtchn_upcall_pending before it scans, so an event arriving during the
 * scan raises a fresh upcall instead of being lost.
 */
#include "events.h"
#include "guest.h"
#include "pvtime.h"
#include "pv/errno.h"
#include "pv/sched.h"
#include "traps.h"

#define MAX_PORTS 1024u

static event_handler_fn *handlers[MAX_PORTS];

static int op(uint32_t cmd, void *arg)
{
    return hcall2(__HYPERVISOR_event_channel_op, cmd, GPTR(arg));
}

int evtchn_bind_virq_port(uint32_t virq, uint32_t *port)
{
    struct evtchn_bind_virq b = { virq, 0, 0 };
    int rc = op(EVTCHNOP_bind_virq, &b);

    if (!rc)
        *port = b.port;
    return rc;
}

int evtchn_alloc_unbound_port(domid_t remote, uint32_t *port)
{
    struct evtchn_alloc_unbound a = { DOMID_SELF, remote, 0 };
    int rc = op(EVTCHNOP_alloc_unbound, &a);

    if (!rc)
        *port = a.port;
    return rc;
}

int evtchn_bind_interdomain_port(domid_t remote, uint32_t remote_port, uint32_t *port)
{
    struct evtchn_bind_interdomain b;
    int rc;

    memset(&b, 0, sizeof(b));
    b.remote_dom = remote;
    b.remote_port = remote_port;
    rc = op(EVTCHNOP_bind_interdomain, &b);
    if (!rc)
        *port = b.local_port;
    return rc;
}

int evtchn_send_port(uint32_t port)
{
    struct evtchn_send s = { port };
    return op(EVTCHNOP_send, &s);
}

int evtchn_close_port(uint32_t port)
{
    struct evtchn_close c = { port };
    return op(EVTCHNOP_close, &c);
}

int evtchn_unmask_port(uint32_t port)
{
    struct evtchn_unmask u = { port };
    return op(EVTCHNOP_unmask, &u);
}

void events_set_handler(uint32_t port, event_handler_fn *fn)
{
    if (port < MAX_PORTS)
        handlers[port] = fn;
}

int events_test_and_clear(uint32_t port)
{
    struct shared_info *s = pv_shared_info();
    uint32_t bit = 1u << (port % 32);

    if (!s || port >= MAX_PORTS)
        return 0;
    if (!(__atomic_load_n(&s->evtchn_pending[port / 32], __ATOMIC_SEQ_CST) & bit))
        return 0;
    __atomic_fetch_and(&s->evtchn_pending[port / 32], ~bit, __ATOMIC_SEQ_CST);
    return 1;
}

uint32_t events_dispatch(void)
{
    struct shared_info *s = pv_shared_info();
    volatile struct vcpu_info *vi;
    uint32_t sel, n = 0;

    if (!s)
        return 0;
    vi = &s->vcpu_info[0];
    vi->evtchn_upcall_pending = 0;
    sel = __atomic_exchange_n(&s->vcpu_info[0].evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    while (sel) {
        uint32_t w = (uint32_t)__builtin_ctz(sel), bits;
        sel &= sel - 1;
        bits = s->evtchn_pending[w] & ~s->evtchn_mask[w];
        while (bits) {
            uint32_t port = w * 32 + (uint32_t)__builtin_ctz(bits);
            bits &= bits - 1;
            __atomic_fetch_and(&s->evtchn_pending[w], ~(1u << (port % 32)), __ATOMIC_SEQ_CST);
            if (handlers[port])
                handlers[port](port);
            n++;
        }
    }
    return n;
}

int events_wait(uint32_t port, uint64_t timeout_ns)
{
    struct sched_poll poll;
    struct shared_info *s = pv_shared_info();
    uint64_t deadline = pv_time_ns() + timeout_ns;

    memset(&poll, 0, sizeof(poll));
    poll.ports = GPTR(&port);
    poll.nr_ports = 1;
    poll.timeout = deadline;
    while (!events_test_and_clear(port)) {
        if (pv_time_ns() >= deadline)
            return -ETIMEDOUT;
        /* polling, not upcalls: keep the upcall flag from ending the poll at once */
        s->vcpu_info[0].evtchn_upcall_pending = 0;
        s->vcpu_info[0].evtchn_pending_sel = 0;
        hcall2(__HYPERVISOR_sched_op, SCHEDOP_poll, GPTR(&poll));
    }
    return 0;
}
