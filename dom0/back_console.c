/*
 * The console backend: drains each guest's PV console ring, a line at a
 * time, into the guest's console log (DOM0-5), and shows each line on
 * dom0's serial line with the guest's name in front (as the hypervisor
 * does for console_io) when consoles.h says the operator is not busy;
 * during `console` the guest's bytes are shown raw as they come. Typed
 * input is fed back in once: bytes the guest's input ring has no room
 * for are dropped and counted, so no guest can make dom0 wait (DOM0-2).
 * DEV-5: control bytes shown as '?', impossible indices disconnect.
 */
#include "backend_dev.h"
#include "cons_ring.h"
#include "consoles.h"
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

#define REPLAY_CHUNK 512u

/* Print lines of the log from *next on, each after `prefix` ("" for raw); 0: nothing left. */
static uint32_t print_lines(struct guest_devs *g, uint64_t *next, const char *prefix)
{
    static char chunk[REPLAY_CHUNK + 1];
    uint32_t lost = 0, n = cons_log_read(&g->cons.log, next, chunk, REPLAY_CHUNK, &lost);
    char *line = chunk;

    if (lost)
        gprintf("%s[%u line(s) dropped from the log of domain %u]\n", prefix, lost, g->id);
    chunk[n] = '\0';
    while (line < chunk + n) {
        char *nl = strchr(line, '\n');
        *nl = '\0';
        gprintf("%s%s\n", prefix, line);
        line = nl + 1;
    }
    return n;
}

void cons_back_show(struct guest_devs *g, bool force)
{
    char prefix[CFG_NAME_LEN + 4];
    struct cons_back *c = &g->cons;

    if (c->shown == c->log.total || (!force && !consoles_may_show(g->id)))
        return;
    snprintf(prefix, sizeof(prefix), "[%s] ", g->name);
    consoles_showing();
    while (print_lines(g, &c->shown, prefix))
        ;
}

void cons_back_replay(struct guest_devs *g, uint32_t n)
{
    struct cons_back *c = &g->cons;
    uint64_t next = cons_log_tail(&c->log, n);

    while (print_lines(g, &next, ""))
        ;
    c->shown = c->log.total;
    c->line[c->line_len] = '\0';
    gputs(c->line);             /* what it is writing now: a prompt, say */
}

void cons_back_print_log(struct guest_devs *g, uint32_t n)
{
    struct cons_back *c = &g->cons;
    uint64_t next = cons_log_tail(&c->log, n ? n : c->log.lines);

    gprintf("[log of domain %u (%s): %u line(s) kept, %u dropped]\n", g->id, g->name,
            c->log.lines, c->log.dropped);
    while (print_lines(g, &next, ""))
        ;
    if (c->line_len) {
        c->line[c->line_len] = '\0';
        gprintf("%s\n", c->line);
    }
    gprintf("[end of the log of domain %u]\n", g->id);
}

static void flush_line(struct guest_devs *g)
{
    struct cons_back *c = &g->cons;

    cons_log_append(&c->log, c->line, c->line_len);
    c->line_len = 0;
    if (consoles_live() == g->id)
        c->shown = c->log.total;        /* shown raw as it came */
    else
        cons_back_show(g, false);
}

/* `console`: the bytes just read, shown as they came (sanitised as the log is). */
static void show_live(const char *buf, int32_t n)
{
    char out[257];
    int32_t i, k = 0;

    for (i = 0; i < n && k < 256; i++) {
        char ch = buf[i];
        if (ch == '\r')
            continue;
        out[k++] = (ch >= 0x20 && ch < 0x7F) || ch == '\t' || ch == '\n' ? ch : '?';
    }
    out[k] = '\0';
    gputs(out);
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
        backend_log("dom0: console of domain %u: impossible ring indices; disconnected\n", g->id);
        return 0;
    }
    if (n > 0 && consoles_live() == g->id)
        show_live(buf, n);
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
        backend_log("dom0: console of domain %u: impossible ring indices; disconnected\n", g->id);
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
