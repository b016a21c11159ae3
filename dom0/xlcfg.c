/*
 * The xl.cfg reader (see xlcfg.h). A small lexer turns the text into
 * tokens, never reading past `len`; each KEY = VALUE statement is read
 * whole into one bounded value (a string, a number or a list of
 * strings) and applied to the guest at once; what needs every key
 * (cmdline from root and extra, maxmem against memory, the default MAC)
 * is settled at the end.
 */
#include "devices.h"
#include "fmt.h"
#include "string.h"
#include "xlcfg.h"
#include "xlcfg_spec.h"

#define XL_STR_MAX   CFG_CMDLINE_LEN   /* the longest value a key takes */
#define XL_LIST_MAX  (CFG_MAX_DISKS + 1u)  /* one more than any key accepts, to say so */
_Static_assert(CFG_MAX_VIFS <= CFG_MAX_DISKS, "a vif list fits the list too");
#define XL_BIG       (UINT64_C(1) << 40)

enum tok { T_EOF, T_NEWLINE, T_IDENT, T_STRING, T_NUMBER, T_EQ, T_LBRACK, T_RBRACK, T_COMMA,
           T_BAD };

enum vkind { V_STRING, V_NUMBER, V_LIST };

struct value {
    enum vkind kind;
    char str[XL_STR_MAX];
    uint64_t num;                       /* XL_BIG or more: out of every range */
    char list[XL_LIST_MAX][XL_STR_MAX];
    uint32_t nr;
};

struct xl {
    const char *text;
    uint32_t len, pos, line;
    enum tok tok;
    char tok_str[XL_STR_MAX];
    uint64_t tok_num;
    const char *bad;                    /* why the lexer gave T_BAD */
    struct guest_config *g;
    char *error;
    uint32_t error_len;
    struct value v;
    uint32_t seen;                      /* keys set so far, one bit each */
    uint32_t maxmem_mib;
    char root[XL_STR_MAX], extra[XL_STR_MAX];
};

static int fail(struct xl *x, const char *why)
{
    snprintf(x->error, x->error_len, "line %u: %s", x->line, why);
    return -1;
}

static int peek(const struct xl *x)
{
    return x->pos < x->len ? (unsigned char)x->text[x->pos] : -1;
}

static bool ident_char(int c, bool first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (!first && c >= '0' && c <= '9');
}

static enum tok bad(struct xl *x, const char *why)
{
    x->bad = why;
    return T_BAD;
}

/* A quoted string; the quote it starts with ends it; \\ escapes the next character. */
static enum tok lex_string(struct xl *x)
{
    char quote = x->text[x->pos++];
    uint32_t n = 0;

    for (;;) {
        int c = peek(x);
        if (c < 0 || c == '\n')
            return bad(x, "a string is not closed on its line");
        x->pos++;
        if (c == quote)
            break;
        if (c == '\\') {
            c = peek(x);
            if (c < 0 || c == '\n')
                return bad(x, "a string is not closed on its line");
            x->pos++;
        }
        if (c < 0x20 || c >= 0x7f)
            return bad(x, "a string has a non-printable character");
        if (n + 1 >= sizeof(x->tok_str))
            return bad(x, "a string is too long");
        x->tok_str[n++] = (char)c;
    }
    x->tok_str[n] = '\0';
    return T_STRING;
}

static int digit_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return 99;
}

/* DOM0-1: decimal, 0octal or 0xhex; past XL_BIG the value stays XL_BIG (no wrap). */
static enum tok lex_number(struct xl *x)
{
    uint32_t base = 10;
    uint64_t n = 0;
    bool any = false;

    if (peek(x) == '0') {
        x->pos++;
        any = true;
        base = 8;
        if (peek(x) == 'x' || peek(x) == 'X') {
            x->pos++;
            base = 16;
            any = false;
        }
    }
    for (;;) {
        int d = digit_value(peek(x));
        if (d >= (int)base)
            break;
        x->pos++;
        any = true;
        n = n >= XL_BIG ? XL_BIG : n * base + (uint32_t)d;
    }
    if (!any || ident_char(peek(x), false) || peek(x) == '.')
        return bad(x, "a number is malformed (decimal, 0octal or 0xhex)");
    x->tok_num = n;
    return T_NUMBER;
}

static enum tok lex_ident(struct xl *x)
{
    uint32_t n = 0;

    while (ident_char(peek(x), n == 0)) {
        if (n + 1 >= sizeof(x->tok_str))
            return bad(x, "a key is too long");
        x->tok_str[n++] = x->text[x->pos++];
    }
    x->tok_str[n] = '\0';
    return T_IDENT;
}

static enum tok lex(struct xl *x)
{
    int c;

    for (;;) {
        c = peek(x);
        if (c == ' ' || c == '\t' || c == '\r') {
            x->pos++;
        } else if (c == '#') {
            while (peek(x) >= 0 && peek(x) != '\n')
                x->pos++;
        } else {
            break;
        }
    }
    if (c < 0)
        return T_EOF;
    if (c == '\n' || c == ';') {
        x->pos++;
        return T_NEWLINE;
    }
    if (c == '=' || c == '[' || c == ']' || c == ',') {
        x->pos++;
        return c == '=' ? T_EQ : c == '[' ? T_LBRACK : c == ']' ? T_RBRACK : T_COMMA;
    }
    if (c == '"' || c == '\'')
        return lex_string(x);
    if (c >= '0' && c <= '9')
        return lex_number(x);
    if (ident_char(c, true))
        return lex_ident(x);
    if (c == 0)
        return bad(x, "NUL byte in the text");
    return bad(x, "unexpected character");
}

/* The next token; newlines are counted here, so `line` is the token's line. */
static enum tok next(struct xl *x)
{
    if (x->tok == T_NEWLINE && x->pos > 0 && x->text[x->pos - 1] == '\n')
        x->line++;
    x->tok = lex(x);
    return x->tok;
}

/* Inside a list, newlines are only space. */
static enum tok next_in_list(struct xl *x)
{
    while (next(x) == T_NEWLINE)
        ;
    return x->tok;
}

static int lex_fail(struct xl *x)
{
    return fail(x, x->tok == T_BAD ? x->bad : "expected KEY = VALUE");
}

static int read_list(struct xl *x)
{
    x->v.kind = V_LIST;
    x->v.nr = 0;
    if (next_in_list(x) == T_RBRACK)
        return 0;
    for (;;) {
        if (x->tok == T_LBRACK)
            return fail(x, "nested lists are not used by any key Bulkhead reads");
        if (x->tok != T_STRING)
            return x->tok == T_BAD ? lex_fail(x) : fail(x, "a list holds 'strings'");
        if (x->v.nr == XL_LIST_MAX)
            return fail(x, "a list is longer than any key Bulkhead reads takes (at most 4 disks "
                           "or vifs, spec/devices.md DEV-29)");
        memcpy(x->v.list[x->v.nr++], x->tok_str, sizeof(x->tok_str));
        if (next_in_list(x) == T_COMMA)
            next_in_list(x);
        else if (x->tok != T_RBRACK)
            return x->tok == T_BAD ? lex_fail(x) : fail(x, "expected ',' or ']' in a list");
        if (x->tok == T_RBRACK)
            return 0;
    }
}

static int read_value(struct xl *x)
{
    switch (next(x)) {
    case T_STRING:
        x->v.kind = V_STRING;
        memcpy(x->v.str, x->tok_str, sizeof(x->tok_str));
        return 0;
    case T_NUMBER:
        x->v.kind = V_NUMBER;
        x->v.num = x->tok_num;
        return 0;
    case T_LBRACK:
        return read_list(x);
    case T_BAD:
        return lex_fail(x);
    default:
        return fail(x, "a value is a \"string\", a number or a [ list ]");
    }
}

static int want_string(struct xl *x, const char *key)
{
    char why[80];

    if (x->v.kind == V_STRING)
        return 0;
    snprintf(why, sizeof(why), "%s takes a \"string\"", key);
    return fail(x, why);
}

static int want_number(struct xl *x, const char *key, uint64_t lo, uint64_t hi, uint32_t *out)
{
    if (x->v.kind != V_NUMBER || x->v.num < lo || x->v.num > hi) {
        char why[96];
        snprintf(why, sizeof(why), "%s takes a number %llu..%llu", key, (unsigned long long)lo,
                 (unsigned long long)hi);
        return fail(x, why);
    }
    *out = (uint32_t)x->v.num;
    return 0;
}

static int copy_str(struct xl *x, char *dst, uint32_t size, const char *what)
{
    if (strlen(x->v.str) >= size) {
        char why[80];
        snprintf(why, sizeof(why), "%s is too long (at most %u characters)", what, size - 1);
        return fail(x, why);
    }
    memcpy(dst, x->v.str, strlen(x->v.str) + 1);
    return 0;
}

static int only(struct xl *x, const char *key, const char *allowed, const char *why)
{
    if (want_string(x, key))
        return -1;
    return strcmp(x->v.str, allowed) ? fail(x, why) : 0;
}

static int key_name(struct xl *x)
{
    uint32_t i;

    if (want_string(x, "name") || copy_str(x, x->g->name, sizeof(x->g->name), "name"))
        return -1;
    for (i = 0; x->g->name[i]; i++)
        if (!xlspec_name_char(x->g->name[i]))
            return fail(x, "guest names use letters, digits, '.', '_' and '-'");
    return x->g->name[0] ? 0 : fail(x, "name is empty");
}

/* "/boot/app.elf" is the boot module "app.elf". */
static int key_kernel(struct xl *x)
{
    const char *base = xlspec_basename(x->v.str);

    if (want_string(x, "kernel"))
        return -1;
    if (!*base)
        return fail(x, "kernel names no file");
    memmove(x->v.str, base, strlen(base) + 1);
    return copy_str(x, x->g->kernel, sizeof(x->g->kernel), "kernel");
}

static int key_memory(struct xl *x)
{
    uint32_t mib;

    if (want_number(x, "memory (MiB)", 1, 4096, &mib))
        return -1;
    x->g->pages = mib * 256u;
    return 0;
}

static int key_devices(struct xl *x, bool disk)
{
    char why[CFG_ERROR_LEN];
    uint32_t i;

    if (x->v.kind != V_LIST)
        return fail(x, disk ? "disk takes a [ 'list' ]" : "vif takes a [ 'list' ]");
    /* DEV-29: the list may hold one more than the maximum, so config_add_* says so */
    for (i = 0; i < x->v.nr; i++) {
        int rc = disk ? xlspec_disk(x->v.list[i], x->g, why, sizeof(why))
                      : xlspec_vif(x->v.list[i], x->g, why, sizeof(why));
        if (rc)
            return fail(x, why);
    }
    return 0;
}

static int key_one(struct xl *x, const char *key)
{
    uint32_t n;

    if (want_number(x, key, 1, 1, &n))
        return fail(x, "Bulkhead guests have one vCPU: vcpus and maxvcpus are 1");
    return 0;
}

#define ON_WHY "Bulkhead keeps a stopped guest until `destroy`: only \"preserve\""

static int apply(struct xl *x, const char *key)
{
    if (!strcmp(key, "name"))
        return key_name(x);
    if (!strcmp(key, "kernel"))
        return key_kernel(x);
    if (!strcmp(key, "memory"))
        return key_memory(x);
    if (!strcmp(key, "maxmem"))
        return want_number(x, "maxmem (MiB)", 1, 4096, &x->maxmem_mib);
    if (!strcmp(key, "vcpus") || !strcmp(key, "maxvcpus"))
        return key_one(x, key);
    if (!strcmp(key, "cpu_weight"))
        return want_number(x, "cpu_weight", 1, 65535, &x->g->weight);
    if (!strcmp(key, "cmdline"))
        return want_string(x, key) || copy_str(x, x->g->cmdline, sizeof(x->g->cmdline), key);
    if (!strcmp(key, "root"))
        return want_string(x, key) || copy_str(x, x->root, sizeof(x->root), key);
    if (!strcmp(key, "extra"))
        return want_string(x, key) || copy_str(x, x->extra, sizeof(x->extra), key);
    if (!strcmp(key, "type"))
        return only(x, key, "pv", "type: Bulkhead runs PV guests only (\"pv\")");
    if (!strcmp(key, "builder"))
        return only(x, key, "generic", "builder: Bulkhead runs PV guests only (\"generic\")");
    if (!strcmp(key, "on_poweroff") || !strcmp(key, "on_reboot") || !strcmp(key, "on_crash") ||
        !strcmp(key, "on_watchdog"))
        return only(x, key, "preserve", ON_WHY);
    if (!strcmp(key, "disk"))
        return key_devices(x, true);
    if (!strcmp(key, "vif"))
        return key_devices(x, false);
    return fail(x, "not a key Bulkhead reads (spec/dom0.md lists them)");
}

static const char *const keys[] = {
    "name", "kernel", "memory", "maxmem", "vcpus", "maxvcpus", "cpu_weight", "cmdline", "root",
    "extra", "type", "builder", "on_poweroff", "on_reboot", "on_crash", "on_watchdog", "disk",
    "vif",
};

/* Each key once: a second setting would make the file mean two things. */
static int once(struct xl *x, const char *key)
{
    uint32_t i;

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (strcmp(keys[i], key))
            continue;
        if (x->seen & (1u << i))
            return fail(x, "a key is set twice");
        x->seen |= 1u << i;
        return 0;
    }
    return 0;       /* not a key: apply() says so */
}

static int statement(struct xl *x)
{
    char key[XL_STR_MAX];
    uint32_t key_line = x->line, line;

    memcpy(key, x->tok_str, sizeof(key));
    if (next(x) != T_EQ)
        return x->tok == T_BAD ? lex_fail(x) : fail(x, "expected '=' after the key");
    if (read_value(x))
        return -1;
    line = x->line;
    x->line = key_line;         /* what the value means is the key's line's fault */
    if (once(x, key) || apply(x, key))
        return -1;
    x->line = line;
    if (next(x) != T_NEWLINE && x->tok != T_EOF)
        return x->tok == T_BAD ? lex_fail(x) : fail(x, "one KEY = VALUE per line (or ';')");
    return 0;
}

static bool seen(const struct xl *x, const char *key)
{
    uint32_t i;

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (!strcmp(keys[i], key))
            return x->seen & (1u << i);
    return false;
}

/* xl: cmdline wins; else "root=ROOT EXTRA". */
static int finish(struct xl *x)
{
    struct guest_config *g = x->g;

    if (!seen(x, "name"))
        return fail(x, "no name = \"...\"");
    if (!seen(x, "kernel"))
        return fail(x, "no kernel = \"...\"");
    if (!seen(x, "memory"))
        return fail(x, "no memory = MiB");
    if (seen(x, "maxmem") && x->maxmem_mib * 256u != g->pages)
        return fail(x, "maxmem differs from memory: Bulkhead builds a guest with all of it");
    if (!seen(x, "cmdline") && (x->root[0] || x->extra[0])) {
        uint32_t n = (uint32_t)snprintf(g->cmdline, sizeof(g->cmdline), "%s%s%s%s",
                                        x->root[0] ? "root=" : "", x->root,
                                        x->root[0] && x->extra[0] ? " " : "", x->extra);
        if (n >= sizeof(g->cmdline))
            return fail(x, "root and extra make too long a command line");
    }
    {
        char why[CFG_ERROR_LEN];
        uint32_t i;
        for (i = 0; i < g->nr_vifs; i++)
            if (!g->vif[i].mac_given)
                xlspec_default_mac(g, i);
        if (config_check_vifs(g, why, sizeof(why)))     /* DEV-30, defaults included */
            return fail(x, why);
    }
    return 0;
}

bool xlcfg_detect(const char *text, uint32_t len)
{
    uint32_t i = 0;

    for (;;) {
        while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
            i++;
        if (i < len && text[i] == '#') {
            while (i < len && text[i] != '\n')
                i++;
            continue;
        }
        return i < len && text[i] != '[';
    }
}

int xlcfg_parse(const char *text, uint32_t len, struct guest_config *g, char *error,
                uint32_t error_len)
{
    static struct xl x;

    memset(&x, 0, sizeof(x));
    x.text = text;
    x.len = len;
    x.line = 1;
    x.g = g;
    x.error = error;
    x.error_len = error_len;
    memset(g, 0, sizeof(*g));
    g->weight = 256;
    error[0] = '\0';
    for (;;) {
        switch (next(&x)) {
        case T_EOF:
            return finish(&x);
        case T_NEWLINE:
            continue;
        case T_IDENT:
            if (statement(&x))
                return -1;
            if (x.tok == T_EOF)
                return finish(&x);
            continue;
        default:
            return lex_fail(&x);
        }
    }
}
