/*
 * Command-line parsing (see cmdline.h). Works on (pointer, length) words
 * of the original string, never writes to it, and bounds every number so
 * a hostile or mistyped value cannot overflow.
 */
#include "cmdline.h"
#include "cons_write.h"
#include "pv/errno.h"

#define DEFAULT_DOM0_MEM   (64ull << 20)
#define DEFAULT_QUANTUM_MS 10u
#define MAX_SIZE_BYTES     (1ull << 44)

static bool word_is(const char *w, uint32_t len, const char *name)
{
    uint32_t i;

    for (i = 0; i < len; i++)
        if (name[i] != w[i])
            return false;
    return name[len] == '\0';
}

static int parse_decimal(const char *s, uint32_t len, uint64_t *out)
{
    uint64_t v = 0;
    uint32_t i;

    if (len == 0)
        return -EINVAL;
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9' || v > MAX_SIZE_BYTES)
            return -EINVAL;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return 0;
}

int cmdline_parse_size(const char *s, uint32_t len, uint64_t *bytes)
{
    uint32_t shift = 10;
    uint64_t v;

    if (len > 0) {
        char c = s[len - 1];
        if (c == 'k' || c == 'K')
            shift = 10;
        else if (c == 'm' || c == 'M')
            shift = 20;
        else if (c == 'g' || c == 'G')
            shift = 30;
        else if (c < '0' || c > '9')
            return -EINVAL;
        if (c < '0' || c > '9')
            len--;
    }
    if (parse_decimal(s, len, &v) || v > (MAX_SIZE_BYTES >> shift))
        return -EINVAL;
    *bytes = v << shift;
    return 0;
}

static int parse_level(const char *s, uint32_t len, int *level)
{
    static const char *const names[] = { "err", "warn", "info", "debug" };
    uint64_t v;
    int i;

    for (i = 0; i < 4; i++) {
        if (word_is(s, len, names[i])) {
            *level = i;
            return 0;
        }
    }
    if (parse_decimal(s, len, &v) || v > 3)
        return -EINVAL;
    *level = (int)v;
    return 0;
}

int cmdline_parse_bool(const char *s, uint32_t len, bool *value)
{
    static const char *const yes[] = { "yes", "on", "true", "enable", "1" };
    static const char *const no[] = { "no", "off", "false", "disable", "0" };
    uint32_t i;

    for (i = 0; i < ARRAY_SIZE(yes); i++) {
        if (word_is(s, len, yes[i])) {
            *value = true;
            return 0;
        }
        if (word_is(s, len, no[i])) {
            *value = false;
            return 0;
        }
    }
    return -EINVAL;
}

/* The boolean options: `name`, `no-name` and `name=<bool>`. */
static bool *bool_option(struct hv_options *opt, const char *name, uint32_t len)
{
    if (word_is(name, len, "smep"))
        return &opt->smep;
    if (word_is(name, len, "smap"))
        return &opt->smap;
    return NULL;
}

/* A bare word naming a boolean option, or `no-` and one: true if it was one. */
static bool apply_bool_word(struct hv_options *opt, const char *w, uint32_t len)
{
    bool *flag = bool_option(opt, w, len);

    if (flag) {
        *flag = true;
        return true;
    }
    if (len > 3 && w[0] == 'n' && w[1] == 'o' && w[2] == '-') {
        flag = bool_option(opt, w + 3, len - 3);
        if (flag) {
            *flag = false;
            return true;
        }
    }
    return false;
}

static void note_bad(struct hv_options *opt, const char *w, uint32_t len)
{
    uint32_t i;

    if (opt->nr_bad++ != 0)
        return;
    for (i = 0; i < len && i + 1 < sizeof(opt->first_bad); i++)
        opt->first_bad[i] = w[i];
    opt->first_bad[i] = '\0';
}

static int apply_value(struct hv_options *opt, const char *name, uint32_t nlen,
                       const char *val, uint32_t vlen)
{
    bool *flag = bool_option(opt, name, nlen);
    uint64_t v;

    if (flag)
        return cmdline_parse_bool(val, vlen, flag);

    if (word_is(name, nlen, "dom0_mem"))
        return cmdline_parse_size(val, vlen, &opt->dom0_mem);
    if (word_is(name, nlen, "loglvl"))
        return parse_level(val, vlen, &opt->log_level);
    if (word_is(name, nlen, "sched_quantum_ms")) {
        if (parse_decimal(val, vlen, &v) || v == 0 || v > 1000)
            return -EINVAL;
        opt->sched_quantum_ms = (uint32_t)v;
        return 0;
    }
    if (word_is(name, nlen, "console_rate")) {
        if (parse_decimal(val, vlen, &v) || v == 0 || v > CONS_RATE_MAX)
            return -EINVAL;
        opt->console_rate = (uint32_t)v;
        return 0;
    }
    return -ENOENT;
}

static void apply_word(struct hv_options *opt, const char *w, uint32_t len)
{
    uint32_t eq;

    for (eq = 0; eq < len && w[eq] != '='; eq++)
        ;
    if (eq == len) {
        if (word_is(w, len, "testmode"))
            opt->test_mode = true;
        else if (word_is(w, len, "audit"))
            opt->audit = true;
        else if (word_is(w, len, "crashtest"))
            opt->crash_test = true;
        else if (word_is(w, len, "benchgate"))
            opt->bench_gate = true;
        else if (!apply_bool_word(opt, w, len))
            note_bad(opt, w, len);
        return;
    }
    if (apply_value(opt, w, eq, w + eq + 1, len - eq - 1))
        note_bad(opt, w, len);
}

static bool is_path(const char *w, uint32_t len)
{
    uint32_t i;

    for (i = 0; i < len; i++)
        if (w[i] == '/')
            return true;
    return false;
}

void cmdline_parse(const char *line, struct hv_options *opt)
{
    uint32_t i = 0, words = 0;

    opt->dom0_mem = DEFAULT_DOM0_MEM;
    opt->log_level = 2;
    opt->test_mode = false;
    opt->audit = false;
    opt->crash_test = false;
    opt->sched_quantum_ms = DEFAULT_QUANTUM_MS;
    opt->console_rate = CONS_RATE_DEFAULT;
    opt->smep = true;
    opt->smap = true;
    opt->bench_gate = false;
    opt->nr_bad = 0;
    opt->first_bad[0] = '\0';
    while (line[i]) {
        uint32_t start, len;

        while (line[i] == ' ' || line[i] == '\t')
            i++;
        start = i;
        while (line[i] && line[i] != ' ' && line[i] != '\t')
            i++;
        len = i - start;
        if (len == 0)
            break;
        /* Multiboot 1 loaders put the image path first: skip it. */
        if (words++ == 0 && is_path(line + start, len))
            continue;
        apply_word(opt, line + start, len);
    }
}
