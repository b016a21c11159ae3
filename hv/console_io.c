/*
 * console_io: guest output to the serial line, and dom0's serial input.
 *
 * The core decodes and decides the hypercall (hv/core/console_op.c): what
 * a write may print, the copy-once chunking, the per-call and rate
 * bounds of unprivileged domains, where dom0's long write stops, and who
 * may read (CON-1..CON-4, HC-6, HC-11). The glue keeps
 * each domain's allowance and presents what the core hands it: dom0's
 * output goes out as written; any other domain's output keeps only
 * printable characters and is emitted a whole line at a time behind the
 * domain's name, so no guest can forge or interleave another writer's
 * lines, nor leave half a line for the next domain in its record slot
 * (DEV-16).
 */
#include "arch/serial.h"
#include "arch/timer.h"
#include "console_io.h"
#include "console_op.h"
#include "domain.h"
#include "env.h"
#include "hypercall.h"
#include "printk.h"
#include "pv/console.h"
#include "pv/errno.h"
#include "pv/layout.h"

#define LINE_MAX 160u

struct line_buf {
    char text[LINE_MAX];
    uint32_t len;
};

static struct line_buf lines[MAX_DOMAINS];
static struct cons_limit limits[MAX_DOMAINS];      /* CON-3, CON-4 */
uint32_t console_rate = CONS_RATE_DEFAULT;

/*
 * DEV-16: the line buffer belongs to a record slot, which outlives the
 * domain: a guest that dies in mid-line must not have its fragment
 * printed under the name of the next domain in its slot.
 */
void console_domain_init(const struct domain *d)
{
    lines[domain_slot(d)].len = 0;
    cons_limit_init(&limits[domain_slot(d)], time_now_ns(), console_rate);
}

uint64_t console_dropped(const struct domain *d)
{
    return limits[domain_slot(d)].dropped;
}

static void flush_line(const struct domain *d, struct line_buf *lb)
{
    printk("[%s] %.*s\n", d->name, (int)lb->len, lb->text);
    lb->len = 0;
}

static void guest_line_putc(const struct domain *d, char c)
{
    struct line_buf *lb = &lines[domain_slot(d)];

    if (c == '\n' || lb->len == LINE_MAX) {
        flush_line(d, lb);
        if (c == '\n')
            return;
    }
    if (c >= 0x20 && c < 0x7F)
        lb->text[lb->len++] = c;
}

/* CON-1: what the core copied from the caller's buffer. */
void env_console_emit(const char *buf, uint32_t n)
{
    uint32_t i;

    if (current->privileged) {
        console_write_raw(buf, n);
        return;
    }
    for (i = 0; i < n; i++)
        guest_line_putc(current, buf[i]);
}

/* HC-11: a byte waiting on the serial line, or -1 (never blocks). */
int env_console_getc(void)
{
    return serial_getc();
}

int32_t do_console_io(const uint32_t args[5])
{
    struct console_caller c = { current->privileged, &limits[domain_slot(current)] };
    struct hc_cont cont;
    int32_t rc = console_io(&c, args[0], args[1], guest_ptr(args[2]), &cont);

    return rc == -ERESTART ? hypercall_continue(&cont) : rc;       /* HC-6 */
}
