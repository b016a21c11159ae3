/*
 * console_io: serial output for every domain, serial input for dom0
 * (see console_op.h).
 */
#include "console_op.h"
#include "env.h"
#include "pv/console.h"
#include "pv/errno.h"

/* HC-11: dom0 only; the bytes waiting now, never blocking. */
static int32_t console_read(const struct console_caller *c, guest_ptr_t buf, uint32_t count)
{
    char chunk[CONS_CHUNK];
    uint32_t n = 0;
    int ch;

    if (!c->privileged)                                 /* HC-11 */
        return -EPERM;
    while (n < count && n < CONS_CHUNK && (ch = env_console_getc()) >= 0)
        chunk[n++] = (char)ch;
    if (env_copy_to_guest(buf, chunk, n))
        return -EFAULT;
    return (int32_t)n;
}

int32_t console_io(const struct console_caller *c, uint32_t cmd, uint32_t count, guest_ptr_t buf,
                   struct hc_cont *cont)
{
    switch (cmd) {
    case CONSOLEIO_write:                               /* CON-1..CON-4, HC-6 */
        return cons_write(c->privileged ? NULL : c->limit, c->privileged ? 0 : env_now_ns(), buf,
                          count, cont);
    case CONSOLEIO_read:
        return console_read(c, buf, count);
    default:                                            /* HC-11 */
        return -ENOSYS;
    }
}
