/*
 * The console backend: drains each guest's PV console ring onto dom0's
 * serial line, a line at a time with the guest's name in front (as the
 * hypervisor does for console_io), and feeds typed input back into it.
 * Input is offered once: bytes the guest's input ring has no room for are
 * dropped and counted, so no guest can make dom0 wait for it (DOM0-2).
 */
#include "backend_dev.h"
#include "cons_ring.h"
#include "events.h"
#include "guest.h"
#include "pv/errno.h"

int cons_back_attach(struct guest_devs *g, uint32_t guest_port)
{
    struct cons_back *c = &g->cons;
    int rc = backend_connect_page(g, GNTTAB_RESERVED_CONSOLE, (void **)&c->intf, &c->handle);

    if (!rc)
        rc = evtchn_bind_interdomain_port(g->id, guest_port, &c->port);
    return rc;
}

void cons_back_detach(struct guest_devs *g)
{
    struct cons_back *c = &g->cons;

    if (c->port)
        evtchn_close_port(c->port);
    c->port = 0;
    backend_disconnect_page((void **)&c->intf, c->handle);
}

static void flush_line(struct guest_devs *g)
{
    struct cons_back *c = &g->cons;

    c->line[c->line_len] = '\0';
    gprintf("[%s] %s\n", g->name, c->line);
    c->line_len = 0;
}

uint32_t cons_back_poll(struct guest_devs *g)
{
    struct cons_back *c = &g->cons;
    char buf[256];
    int32_t n, i;

    /* DEV-14: consume the kick before reading, so a later one is a new event
     * (a broken console's too, or its pending port would end every poll at once) */
    if (c->port)
        events_test_and_clear(c->port);
    if (!c->intf || c->broken)
        return 0;
    n = cons_ring_read(c->intf, CONS_RING_OUT, buf, sizeof(buf));
    if (n < 0) {
        c->broken = true;
        gprintf("dom0: console of domain %u: impossible ring indices; disconnected\n", g->id);
        return 0;
    }
    for (i = 0; i < n; i++) {
        char ch = buf[i];
        if (ch == '\n' || c->line_len == CONS_LINE_LEN - 1) {
            flush_line(g);
            if (ch == '\n')
                continue;
        }
        if (ch == '\r')
            continue;
        /* a guest's bytes cannot steer the operator's terminal */
        c->line[c->line_len++] = (ch >= 0x20 && ch < 0x7F) || ch == '\t' ? ch : '?';
    }
    if (n) {
        c->bytes_out += (uint32_t)n;
        evtchn_send_port(c->port);      /* room again for a writer that waits */
    }
    return (uint32_t)n;
}

int cons_back_input(struct guest_devs *g, const char *buf, uint32_t len)
{
    struct cons_back *c = &g->cons;
    int32_t n;

    if (!c->intf || c->broken)
        return -ENOTCONN;
    n = cons_ring_write(c->intf, CONS_RING_IN, buf, len);
    if (n < 0) {
        c->broken = true;
        gprintf("dom0: console of domain %u: impossible ring indices; disconnected\n", g->id);
        return -EIO;
    }
    if (n) {
        c->bytes_in += (uint32_t)n;
        evtchn_send_port(c->port);
    }
    /* DOM0-2: what the guest has no room for is dropped here, never retried */
    c->in_dropped += len - (uint32_t)n;
    return n;
}
