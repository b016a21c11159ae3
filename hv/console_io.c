/*
 * console_io: guest output to the serial line, and dom0's serial input.
 *
 * What a write may print, the copy-once chunking, the per-call and rate
 * bounds of unprivileged domains and where dom0's long write stops are
 * the core's (hv/core/cons_write.c, CON-1..CON-4, HC-6). The glue keeps
 * each domain's allowance and presents what the core hands it: dom0's
 * output goes out as written; any other domain's output keeps only
 * printable characters and is emitted a whole line at a time behind the
 * domain's name, so no guest can forge or interleave another writer's
 * lines, nor leave half a line for the next domain in its record slot
 * (DEV-16).
 */
#include "arch/serial.h"
#include "arch/timer.h"
#include "cons_write.h"
#include "console_io.h"
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

/* Returns 0 or -EFAULT; dom0's long write may continue (HC-6). */
static int32_t console_write(guest_ptr_t buf, uint32_t count)
{
    struct cons_limit *l = current->privileged ? NULL : &limits[domain_slot(current)];
    struct hc_cont cont;
    int32_t rc = cons_write(l, time_now_ns(), buf, count, &cont);

    return rc == -ERESTART ? hypercall_continue(&cont) : rc;
}

/* dom0 only: the serial bytes waiting now (never blocks). */
static int32_t console_read(guest_ptr_t buf, uint32_t count)
{
    char chunk[CONS_CHUNK];
    uint32_t n = 0;
    int c;

    if (!current->privileged)
        return -EPERM;
    while (n < count && n < CONS_CHUNK && (c = serial_getc()) >= 0)
        chunk[n++] = (char)c;
    if (env_copy_to_guest(buf, chunk, n))
        return -EFAULT;
    return (int32_t)n;
}

int32_t do_console_io(const uint32_t args[5])
{
    switch (args[0]) {
    case CONSOLEIO_write:
        return console_write(guest_ptr(args[2]), args[1]);
    case CONSOLEIO_read:
        return console_read(guest_ptr(args[2]), args[1]);
    default:
        return -ENOSYS;
    }
}
