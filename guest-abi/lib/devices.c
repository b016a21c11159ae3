/*
 * The MAC text format of the store's `mac` keys (see devices.h).
 */
#include "devices.h"
#include "string.h"

static int hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool devices_parse_mac(const char *s, uint8_t mac[6], const char **end)
{
    unsigned i;

    for (i = 0; i < 6; i++) {
        /* look no further than the first byte that is wrong: s may end anywhere */
        int hi = hex(s[0]), lo = hi < 0 ? -1 : hex(s[1]);
        if (hi < 0 || lo < 0 || (i < 5 && s[2] != ':'))
            return false;
        mac[i] = (uint8_t)(hi * 16 + lo);
        s += i < 5 ? 3 : 2;
    }
    if (end)
        *end = s;
    return true;
}

void devices_format_mac(const uint8_t mac[6], char out[18])
{
    static const char digits[] = "0123456789abcdef";
    unsigned i;

    for (i = 0; i < 6; i++) {
        out[i * 3] = digits[mac[i] >> 4];
        out[i * 3 + 1] = digits[mac[i] & 15];
        out[i * 3 + 2] = i < 5 ? ':' : '\0';
    }
}
