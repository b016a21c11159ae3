/*
 * Runtime start-up, console output and shutdown (see guest.h).
 */
#include "guest.h"
#include "pv/console.h"
#include "pv/sched.h"

struct start_info *start_info;

void guest_start(struct start_info *si);

static void report_unfilled_page(void)
{
    static const char msg[] = "guest: the hypercall page was not filled in\n";

    /* The page is useless; the gate itself still works. */
    hcall_raw3(__HYPERVISOR_console_io, CONSOLEIO_write, sizeof(msg) - 1, GPTR(msg));
    for (;;)
        hcall_raw3(__HYPERVISOR_sched_op, SCHEDOP_shutdown, 0, 0);
}

void guest_start(struct start_info *si)
{
    int rc;

    if ((uint8_t)hypercall_page[0] == HYPERCALL_OPC_RET)
        report_unfilled_page();
    start_info = si;
    rc = guest_main(si);
    guest_shutdown(rc == 0 ? SHUTDOWN_poweroff : SHUTDOWN_crash);
}

void gputs(const char *s)
{
    hcall3(__HYPERVISOR_console_io, CONSOLEIO_write, (uint32_t)strlen(s), GPTR(s));
}

int vgprintf(const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);

    gputs(buf);
    return n;
}

int gprintf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vgprintf(fmt, ap);
    va_end(ap);
    return n;
}

void guest_shutdown(uint32_t reason)
{
    struct sched_shutdown sd = { reason };

    for (;;)
        hcall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown, GPTR(&sd));
}

void guest_panic(const char *fmt, ...)
{
    va_list ap;

    gputs("guest panic: ");
    va_start(ap, fmt);
    vgprintf(fmt, ap);
    va_end(ap);
    gputs("\n");
    guest_shutdown(SHUTDOWN_crash);
}

/* The stack protector's canary; a fixed value is enough to catch overruns. */
uint32_t __stack_chk_guard = 0x2c9a1f00u;
void __stack_chk_fail(void);
void __stack_chk_fail(void)
{
    guest_panic("stack protector: corrupted stack frame");
}
