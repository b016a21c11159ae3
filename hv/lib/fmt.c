/* See fmt.h. One pass over the format; the output cursor never passes size. */
#include <stdint.h>

#include "fmt.h"

struct out {
    char *buf;
    size_t size;
    size_t len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width, int left, char pad)
{
    int fill = width > (int)n ? width - (int)n : 0;

    if (!left)
        while (fill-- > 0)
            put(o, pad);
    while (n--)
        put(o, *s++);
    if (left)
        while (fill-- > 0)
            put(o, ' ');
}

static void put_number(struct out *o, unsigned long long v, unsigned base, int upper,
                       int negative, int width, int left, char pad)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    size_t n = 0;

    do {
        tmp[sizeof(tmp) - 1 - n++] = digits[v % base];
        v /= base;
    } while (v);
    if (negative) {
        if (pad == '0') {
            put(o, '-');
            width--;
        } else {
            tmp[sizeof(tmp) - 1 - n++] = '-';
        }
    }
    put_padded(o, tmp + sizeof(tmp) - n, n, width, left, pad);
}

static unsigned long long fetch_unsigned(va_list *ap, int longs)
{
    if (longs >= 2)
        return va_arg(*ap, unsigned long long);
    if (longs == 1)
        return va_arg(*ap, unsigned long);
    return va_arg(*ap, unsigned int);
}

static long long fetch_signed(va_list *ap, int longs)
{
    if (longs >= 2)
        return va_arg(*ap, long long);
    if (longs == 1)
        return va_arg(*ap, long);
    return va_arg(*ap, int);
}

static void convert(struct out *o, char conv, va_list *ap, int longs, int width, int prec,
                    int left, char pad)
{
    switch (conv) {
    case 'c': {
        char c = (char)va_arg(*ap, int);
        put_padded(o, &c, 1, width, left, ' ');
        break;
    }
    case 's': {
        const char *s = va_arg(*ap, const char *);
        size_t n = 0;
        if (!s)
            s = "(null)";
        while (s[n] && (prec < 0 || n < (size_t)prec))
            n++;
        put_padded(o, s, n, width, left, ' ');
        break;
    }
    case 'd':
    case 'i': {
        long long v = fetch_signed(ap, longs);
        unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
        put_number(o, mag, 10, 0, v < 0, width, left, pad);
        break;
    }
    case 'u':
        put_number(o, fetch_unsigned(ap, longs), 10, 0, 0, width, left, pad);
        break;
    case 'x':
    case 'X':
        put_number(o, fetch_unsigned(ap, longs), 16, conv == 'X', 0, width, left, pad);
        break;
    case 'p':
        put(o, '0');
        put(o, 'x');
        put_number(o, (uintptr_t)va_arg(*ap, void *), 16, 0, 0, width, left, pad);
        break;
    case '%':
        put(o, '%');
        break;
    default:
        put(o, '%');
        put(o, conv);
        break;
    }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    va_list args;

    va_copy(args, ap);
    while (*fmt) {
        int left = 0, width = 0, prec = -1, longs = 0;
        char pad = ' ';

        if (*fmt != '%') {
            put(&o, *fmt++);
            continue;
        }
        fmt++;
        for (; *fmt == '-' || *fmt == '0'; fmt++) {
            if (*fmt == '-')
                left = 1;
            else
                pad = '0';
        }
        if (*fmt == '*') {
            width = va_arg(args, int);
            fmt++;
        }
        for (; *fmt >= '0' && *fmt <= '9'; fmt++)
            width = width * 10 + (*fmt - '0');
        if (*fmt == '.') {
            prec = 0;
            if (*++fmt == '*') {
                prec = va_arg(args, int);
                fmt++;
            }
            for (; *fmt >= '0' && *fmt <= '9'; fmt++)
                prec = prec * 10 + (*fmt - '0');
        }
        for (; *fmt == 'l'; fmt++)
            longs++;
        if (!*fmt)
            break;
        convert(&o, *fmt++, &args, longs, width, prec, left, left ? ' ' : pad);
    }
    va_end(args);
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
