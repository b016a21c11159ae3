/*
 * console_io: guest output to the serial line, and dom0's serial input.
 *
 * The guest buffer is copied in fixed-size chunks into a local buffer and
 * only the copy is used, so a guest changing its buffer meanwhile cannot
 * make the hypervisor print something it did not check. dom0's output
 * goes out as written; any other domain's output keeps only printable
 * characters and is emitted a whole line at a time behind the domain's
 * name, so no guest can forge or interleave another writer's lines, nor
 * leave half a line for the next domain with its id (DEV-16).
 */
#include "arch/serial.h"
#include "domain.h"
#include "env.h"
#include "hypercall.h"
#include "printk.h"
#include "pv/console.h"
#include "pv/errno.h"
#include "pv/layout.h"

#define CHUNK 128u
#define LINE_MAX 160u

struct line_buf {
    char text[LINE_MAX];
    uint32_t len;
};

static struct line_buf lines[MAX_DOMAINS];

/*
 * DEV-16: the buffer belongs to a domain id, which outlives the domain:
 * a guest that dies in mid-line must not have its fragment printed under
 * the name of the next domain given its id.
 */
void console_io_domain_init(const struct domain *d)
{
    lines[domain_slot(d)].len = 0;
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

static void emit(const struct domain *d, const char *buf, uint32_t n)
{
    uint32_t i;

    if (d->privileged) {
        console_write_raw(buf, n);
        return;
    }
    for (i = 0; i < n; i++)
        guest_line_putc(d, buf[i]);
}

/* Returns 0 or -EFAULT; chunks before a faulting one have been written. */
static int32_t console_write(guest_ptr_t buf, uint32_t count)
{
    char chunk[CHUNK];
    uint32_t done = 0;

    if (buf.va >= HYPERVISOR_VIRT_START || count > HYPERVISOR_VIRT_START - buf.va)
        return -EFAULT;
    while (done < count) {
        uint32_t n = count - done < CHUNK ? count - done : CHUNK;
        if (env_copy_from_guest(chunk, guest_ptr_add(buf, done), n))
            return -EFAULT;
        emit(current, chunk, n);
        done += n;
    }
    return 0;
}

/* dom0 only: the serial bytes waiting now (never blocks). */
static int32_t console_read(guest_ptr_t buf, uint32_t count)
{
    char chunk[CHUNK];
    uint32_t n = 0;
    int c;

    if (!current->privileged)
        return -EPERM;
    while (n < count && n < CHUNK && (c = serial_getc()) >= 0)
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
