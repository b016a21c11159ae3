/* Formatted hypervisor log output (see printk.h). */
#include "printk.h"
#include "fmt.h"
#include "arch/serial.h"

int log_level = LOG_INFO;

void console_write_raw(const char *s, unsigned long n)
{
    unsigned long i;

    for (i = 0; i < n; i++) {
        if (s[i] == '\n')
            serial_putc('\r');
        serial_putc(s[i]);
    }
}

void vprintk(const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);

    if (n < 0)
        return;
    console_write_raw(buf, (unsigned long)n < sizeof(buf) ? (unsigned long)n : sizeof(buf) - 1);
}

void printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

void log_at(enum log_level lvl, const char *fmt, ...)
{
    va_list ap;

    if ((int)lvl > log_level)
        return;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}
