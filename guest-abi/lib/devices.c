/*
 * Device tokens on the command line (see devices.h).
 */
#include "devices.h"
#include "string.h"

/* The value after `key` at a word start, or NULL. */
static const char *token(const char *cmdline, const char *key)
{
    size_t n = strlen(key);
    const char *p = cmdline;

    for (; *p; p++) {
        bool word_start = p == cmdline || p[-1] == ' ';
        if (word_start && !strncmp(p, key, n))
            return p + n;
    }
    return NULL;
}

static bool parse_u32(const char **s, uint32_t *out)
{
    const char *p = *s;
    uint64_t v = 0;

    if (*p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        v = v * 10 + (uint64_t)(*p - '0');
        if (v > 0xFFFFFFFFu)
            return false;
    }
    *out = (uint32_t)v;
    *s = p;
    return true;
}

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
        int hi = hex(s[0]), lo = hex(s[1]);
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

static bool at_word_end(const char *p)
{
    return *p == '\0' || *p == ' ';
}

bool devices_find_vbd(const char *cmdline, struct vbd_params *p)
{
    const char *s = token(cmdline, "vbd=");

    return s && parse_u32(&s, &p->port) && *s++ == ',' && parse_u32(&s, &p->sectors) &&
           at_word_end(s);
}

bool devices_find_vif(const char *cmdline, struct vif_params *p)
{
    const char *s = token(cmdline, "vif=");

    return s && parse_u32(&s, &p->port) && *s++ == ',' && devices_parse_mac(s, p->mac, &s) &&
           at_word_end(s);
}
