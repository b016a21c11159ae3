/* Unit tests for the hypervisor command-line parser (hv/core/cmdline.c). */
#include "check.h"
#include "cmdline.h"
#include "cons_write.h"
#include "pv/errno.h"

struct size_case {
    const char *text;
    int rc;
    uint64_t bytes;
};

static const struct size_case size_cases[] = {
    { "64M", 0, 64ull << 20 },
    { "512m", 0, 512ull << 20 },
    { "1G", 0, 1ull << 30 },
    { "2048k", 0, 2048ull << 10 },
    { "4096", 0, 4096ull << 10 },         /* no suffix: KiB, as Xen */
    { "", -EINVAL, 0 },
    { "M", -EINVAL, 0 },
    { "64X", -EINVAL, 0 },
    { "6a4M", -EINVAL, 0 },
    { "99999999999999999999G", -EINVAL, 0 },
    { "17000G", -EINVAL, 0 },             /* past the 44-bit physical limit */
};

static void test_sizes(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(size_cases); i++) {
        const struct size_case *c = &size_cases[i];
        uint64_t bytes = 0;
        int rc = cmdline_parse_size(c->text, (uint32_t)strlen(c->text), &bytes);
        CHECK_EQ_CASE(c->text, rc, c->rc);
        if (c->rc == 0)
            CHECK_EQ_CASE(c->text, bytes, c->bytes);
    }
}

static void test_defaults(void)
{
    struct hv_options o;

    cmdline_parse("", &o);
    CHECK_EQ(o.dom0_mem, 64ull << 20);
    CHECK_EQ(o.log_level, 2);
    CHECK(!o.test_mode);
    CHECK(!o.audit);
    CHECK(!o.crash_test);
    CHECK(o.smep);                        /* safe by default */
    CHECK(o.smap);
    CHECK(!o.bench_gate);
    CHECK_EQ(o.nr_bad, 0);
}

struct bool_case {
    const char *text;
    int rc;
    bool value;
};

/* Xen's spellings (docs/misc/xen-command-line.pandoc, "Boolean"). */
static const struct bool_case bool_cases[] = {
    { "yes", 0, true }, { "on", 0, true }, { "true", 0, true }, { "enable", 0, true },
    { "1", 0, true }, { "no", 0, false }, { "off", 0, false }, { "false", 0, false },
    { "disable", 0, false }, { "0", 0, false },
    { "", -EINVAL, false }, { "2", -EINVAL, false }, { "On", -EINVAL, false },
    { "yess", -EINVAL, false }, { "n", -EINVAL, false },
};

static void test_bools(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(bool_cases); i++) {
        const struct bool_case *c = &bool_cases[i];
        bool v = !c->value;
        int rc = cmdline_parse_bool(c->text, (uint32_t)strlen(c->text), &v);
        CHECK_EQ_CASE(c->text, rc, c->rc);
        if (c->rc == 0)
            CHECK_EQ_CASE(c->text, v, c->value);
    }
}

/* smep= and smap=: each form, each option on its own, the last word wins. */
static void test_smep_smap(void)
{
    struct hv_options o;

    cmdline_parse("smep=0 smap=off", &o);
    CHECK(!o.smep);
    CHECK(!o.smap);
    CHECK_EQ(o.nr_bad, 0);
    cmdline_parse("smap=no", &o);
    CHECK(o.smep);
    CHECK(!o.smap);
    cmdline_parse("no-smep", &o);
    CHECK(!o.smep);
    CHECK(o.smap);
    cmdline_parse("no-smep smep no-smap smap=1", &o);
    CHECK(o.smep);
    CHECK(o.smap);
    CHECK_EQ(o.nr_bad, 0);
    /* a bad value leaves the safe default; a stray prefix is no option */
    cmdline_parse("smep=maybe smap= no-smep=0 nosmap no- no-testmode smepx", &o);
    CHECK(o.smep);
    CHECK(o.smap);
    CHECK(!o.test_mode);
    CHECK_EQ(o.nr_bad, 7);
    CHECK(strcmp(o.first_bad, "smep=maybe") == 0);
    cmdline_parse("benchgate", &o);
    CHECK(o.bench_gate);
}

static void test_options(void)
{
    struct hv_options o;

    cmdline_parse("build/bulkhead.elf testmode dom0_mem=128M loglvl=debug audit sched_quantum_ms=5 crashtest", &o);
    CHECK(o.test_mode);
    CHECK(o.audit);
    CHECK(o.crash_test);
    CHECK_EQ(o.dom0_mem, 128ull << 20);
    CHECK_EQ(o.log_level, 3);
    CHECK_EQ(o.sched_quantum_ms, 5);
    CHECK_EQ(o.nr_bad, 0);

    cmdline_parse("  loglvl=1\ttestmode  ", &o);
    CHECK_EQ(o.log_level, 1);
    CHECK(o.test_mode);
    CHECK_EQ(o.console_rate, CONS_RATE_DEFAULT);

    cmdline_parse("console_rate=65536", &o);
    CHECK_EQ(o.console_rate, 65536);
    CHECK_EQ(o.nr_bad, 0);
    cmdline_parse("console_rate=0 console_rate=1048577 console_rate=x", &o);
    CHECK_EQ(o.nr_bad, 3);
    CHECK_EQ(o.console_rate, CONS_RATE_DEFAULT);
}

static void test_bad_words(void)
{
    struct hv_options o;

    cmdline_parse("dom0_mem=lots frobnicate loglvl=7 testmode=yes sched_quantum_ms=0", &o);
    CHECK_EQ(o.nr_bad, 5);
    CHECK(strcmp(o.first_bad, "dom0_mem=lots") == 0);
    CHECK_EQ(o.dom0_mem, 64ull << 20);    /* bad values leave the default */
    CHECK_EQ(o.log_level, 2);
    CHECK(!o.test_mode);

    /* A very long bad word is truncated, never overflows first_bad. */
    cmdline_parse("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", &o);
    CHECK_EQ(o.nr_bad, 1);
    CHECK_EQ(strlen(o.first_bad), sizeof(o.first_bad) - 1);

    /* BOOT-5: a path is skipped only as the first word. */
    cmdline_parse("testmode a/b", &o);
    CHECK_EQ(o.nr_bad, 1);
}

int main(void)
{
    test_sizes();
    test_defaults();
    test_options();
    test_bad_words();
    test_bools();
    test_smep_smap();
    return check_report();
}
