/*
 * A small vsnprintf for the hypervisor and the guest runtime.
 * Conversions: %c %s %d %i %u %x %X %p %%, length modifiers l and ll, flags
 * '-' and '0', a field width (also '*'), and a precision for %s ('.n', '.*'). Output is always NUL-terminated
 * when size > 0; the return value is the length that would have been
 * written, as in C99.
 */
#ifndef LIB_FMT_H
#define LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
