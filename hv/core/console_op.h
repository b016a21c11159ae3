/*
 * console_io (hypercall 18), decoded and decided in the core
 * (spec/hypercalls.md CON-1..CON-4, HC-6, HC-11).
 *
 * CONSOLEIO_write is cons_write()'s (cons_write.h): the copy-once
 * chunking, the per-call and rate bounds of unprivileged callers and
 * the continuation of the privileged caller's long write. The bytes go
 * out through env_console_emit(), which presents them (raw for dom0, a
 * line at a time behind the domain's name for the others).
 *
 * CONSOLEIO_read hands the privileged caller the bytes waiting on the
 * serial line (env_console_getc()), at most CONS_CHUNK a call, and never
 * waits for more (HC-11): the serial line is the operator's, so no other
 * domain may read it.
 */
#ifndef CORE_CONSOLE_OP_H
#define CORE_CONSOLE_OP_H

#include "cons_write.h"
#include "types.h"

/* The caller, as console_io sees it. */
struct console_caller {
    bool privileged;             /* dom0: exempt from the bounds, may read */
    struct cons_limit *limit;    /* its allowance (CON-2..CON-4); unused when privileged */
};

/*
 * HC-11, console_io(cmd, count, buf) for caller `c`. CONSOLEIO_write: 0,
 * -EFAULT, or -ERESTART with *cont the call that does the rest (the
 * privileged caller only), as cons_write(). CONSOLEIO_read: the number of
 * bytes written to buf (0 .. min(count, CONS_CHUNK)); -EPERM for an
 * unprivileged caller (nothing read); -EFAULT when buf cannot take the
 * bytes (which are then lost, as on a serial line). Any other command
 * -ENOSYS.
 */
int32_t console_io(const struct console_caller *c, uint32_t cmd, uint32_t count, guest_ptr_t buf,
                   struct hc_cont *cont);

#endif
