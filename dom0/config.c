/*
 * The guest configuration parser (see config.h). It reads the text once,
 * line by line, never past `len`, and copies every value into a bounded
 * field; nothing it is given is trusted to be well formed.
 */
#include "config.h"
#include "devices.h"
#include "fmt.h"
#include "string.h"

#define MAX_LINE 300

struct cursor {
    const char *text;
    uint32_t len, pos, line;
    struct config_set *set;
    struct guest_config *cur;
};

static int fail(struct cursor *c, const char *why)
{
    snprintf(c->set->error, sizeof(c->set->error), "line %u: %s", c->line, why);
    return -1;
}

static const char *trim(char *s)
{
    char *end;

    while (*s == ' ' || *s == '\t')
        s++;
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        *--end = '\0';
    return s;
}

static int copy_field(struct cursor *c, char *dst, uint32_t size, const char *v)
{
    uint32_t n = (uint32_t)strlen(v), i;

    if (n == 0)
        return fail(c, "empty value");
    if (n >= size)
        return fail(c, "value too long");
    for (i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] >= 0x7F)
            return fail(c, "value has a non-printable character");
    memcpy(dst, v, n + 1);
    return 0;
}

/*
 * DOM0-1: decimal digits, then at most one character of `suffixes`; the
 * value must not exceed `max`, which is checked digit by digit, before
 * anything is scaled, so no number can wrap into range. -1: not a number
 * of that form; -2: out of range.
 */
static int parse_number(const char *v, const char *suffixes, uint64_t max, uint64_t *out,
                        char *suffix)
{
    uint64_t n = 0;
    const char *p = v;
    bool big = false;

    for (; *p >= '0' && *p <= '9'; p++) {
        if (!big)
            n = n * 10 + (uint64_t)(*p - '0');
        big = big || n > max;       /* every max is at most 2^40: n * 10 + 9 never wraps */
    }
    if (p == v)
        return -1;
    *suffix = *p;
    if (*p && (!strchr(suffixes, *p) || p[1]))
        return -1;
    if (big)
        return -2;
    *out = n;
    return 0;
}

#define MAX_PAGES (1u << 20)        /* 4 GiB */

/* Bytes per unit of each suffix, as a shift (no suffix: pages). */
static uint32_t memory_shift(char suffix)
{
    return suffix == 'K' ? 10u : suffix == 'M' ? 20u : suffix == 'G' ? 30u : 12u;
}

static int parse_memory(struct cursor *c, const char *v)
{
    uint64_t n = 0;
    char suffix = 0;
    uint32_t shift;
    int rc;

    /* the suffix decides the limit: parse the form first, then the range */
    rc = parse_number(v, "KMG", UINT64_C(1) << 40, &n, &suffix);
    if (rc == -1)
        return fail(c, "memory must be a number with an optional K, M or G");
    shift = memory_shift(suffix);
    if (rc == -2 || n > ((uint64_t)MAX_PAGES << 12) >> shift)
        return fail(c, "memory must be between 1 page and 4 GiB");
    n = (n << shift) >> 12;             /* n << shift <= 4 GiB: no wrap */
    if (n == 0)
        return fail(c, "memory must be between 1 page and 4 GiB");
    c->cur->pages = (uint32_t)n;
    return 0;
}

static int parse_weight(struct cursor *c, const char *v)
{
    uint64_t n;
    char suffix;

    if (parse_number(v, "", 65535, &n, &suffix) || n == 0)
        return fail(c, "weight must be 1..65535");
    c->cur->weight = (uint32_t)n;
    return 0;
}

/* "START+COUNT" sectors of the ramdisk; the backend checks it against the disk. */
static int parse_disk(struct cursor *c, const char *v)
{
    char part[24], *plus;
    uint64_t start = 0, count = 0;
    char suffix;
    int rc_start, rc_count;

    if (strlen(v) >= sizeof(part))
        return fail(c, "disk must be START+COUNT (sectors)");
    memcpy(part, v, strlen(v) + 1);
    plus = strchr(part, '+');
    if (!plus)
        return fail(c, "disk must be START+COUNT (sectors)");
    *plus = '\0';
    rc_start = parse_number(part, "", 0xFFFFFFFFu, &start, &suffix);
    rc_count = parse_number(plus + 1, "", 0xFFFFFFFFu, &count, &suffix);
    if (rc_start == -1 || rc_count == -1 || (!rc_count && count == 0))
        return fail(c, "disk must be START+COUNT (sectors), COUNT at least 1");
    if (rc_start || rc_count || count > 0xFFFFFFFFu - start)
        return fail(c, "disk must end within 2^32 sectors");
    {
        struct cfg_disk d = { (uint32_t)start, (uint32_t)count, 0, 0 };
        char why[CFG_ERROR_LEN];
        return config_add_disk(c->cur, &d, why, sizeof(why)) ? fail(c, why) : 0;
    }
}

static int parse_mac(struct cursor *c, const char *v)
{
    char why[CFG_ERROR_LEN];
    const char *end;
    uint8_t mac[6];

    if (!devices_parse_mac(v, mac, &end) || *end)
        return fail(c, "mac must be six hex bytes separated by ':'");
    if (mac[0] & 1)
        return fail(c, "mac must be a unicast address");
    return config_add_vif(c->cur, mac, 1, why, sizeof(why)) ? fail(c, why) : 0;
}

static int finish_section(struct cursor *c)
{
    if (!c->cur)
        return 0;
    if (!c->cur->kernel[0])
        return fail(c, "section has no kernel");
    if (!c->cur->pages)
        return fail(c, "section has no memory");
    c->set->nr++;
    c->cur = NULL;
    return 0;
}

static int name_char_ok(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '.' || ch == '_' || ch == '-';
}

static int open_section(struct cursor *c, char *line)
{
    char *close = strchr(line, ']');
    const char *name;
    uint32_t i;

    if (!close || trim(close + 1)[0])
        return fail(c, "malformed section header");
    *close = '\0';
    name = trim(line + 1);
    if (finish_section(c))
        return -1;
    if (c->set->nr == CFG_MAX_GUESTS)
        return fail(c, "too many guests");
    if (config_find(c->set, name))
        return fail(c, "duplicate guest name");
    for (i = 0; name[i]; i++)
        if (!name_char_ok(name[i]))
            return fail(c, "guest names use letters, digits, '.', '_' and '-'");
    c->cur = &c->set->guests[c->set->nr];
    memset(c->cur, 0, sizeof(*c->cur));
    c->cur->weight = 256;
    return copy_field(c, c->cur->name, sizeof(c->cur->name), name);
}

static int key_value(struct cursor *c, char *line)
{
    char *eq = strchr(line, '=');
    const char *key, *value;

    if (!eq)
        return fail(c, "expected key = value");
    if (!c->cur)
        return fail(c, "key outside a [guest] section");
    *eq = '\0';
    key = trim(line);
    value = trim(eq + 1);
    if (!strcmp(key, "kernel"))
        return copy_field(c, c->cur->kernel, sizeof(c->cur->kernel), value);
    if (!strcmp(key, "memory"))
        return parse_memory(c, value);
    if (!strcmp(key, "weight"))
        return parse_weight(c, value);
    if (!strcmp(key, "cmdline"))
        return copy_field(c, c->cur->cmdline, sizeof(c->cur->cmdline), value);
    if (!strcmp(key, "disk"))
        return parse_disk(c, value);
    if (!strcmp(key, "mac"))
        return parse_mac(c, value);
    return fail(c, "unknown key");
}

static int parse_line(struct cursor *c, char *raw)
{
    char *line = (char *)trim(raw);

    if (!line[0] || line[0] == '#')
        return 0;
    if (line[0] == '[')
        return open_section(c, line);
    return key_value(c, line);
}

int config_parse(const char *text, uint32_t len, struct config_set *set)
{
    struct cursor c = { text, len, 0, 0, set, NULL };
    char line[MAX_LINE + 1];

    memset(set, 0, sizeof(*set));
    while (c.pos < len) {
        uint32_t n = 0;

        c.line++;
        while (c.pos < len && text[c.pos] != '\n') {
            if (n == MAX_LINE)
                return fail(&c, "line too long");
            if (text[c.pos] == '\0')
                return fail(&c, "NUL byte in the text");
            line[n++] = text[c.pos++];
        }
        c.pos++;
        line[n] = '\0';
        if (parse_line(&c, line))
            return -1;
    }
    return finish_section(&c);
}

const struct guest_config *config_find(const struct config_set *set, const char *name)
{
    uint32_t i;

    for (i = 0; i < set->nr; i++)
        if (!strcmp(set->guests[i].name, name))
            return &set->guests[i];
    return NULL;
}
