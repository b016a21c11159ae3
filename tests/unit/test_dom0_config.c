/* Unit tests for dom0's guest configuration parser (dom0/config.c). */
#include "check.h"
#include "config.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct config_set set;

static int parse(const char *text)
{
    return config_parse(text, (uint32_t)strlen(text), &set);
}

static void test_good(void)
{
    const struct guest_config *g;

    CHECK_EQ(parse("# two guests\n[web]\nkernel = app.elf\nmemory = 8M\nweight=512\n"
                   "cmdline = serve --port 80\n\n[spin]\n  kernel=spin.elf\nmemory= 2048\n"), 0);
    CHECK_EQ(set.nr, 2);
    g = config_find(&set, "web");
    CHECK(g != NULL);
    if (g) {
        CHECK(strcmp(g->kernel, "app.elf") == 0);
        CHECK_EQ(g->pages, 2048);
        CHECK_EQ(g->weight, 512);
        CHECK(strcmp(g->cmdline, "serve --port 80") == 0);
    }
    g = config_find(&set, "spin");
    CHECK(g != NULL);
    if (g) {
        CHECK_EQ(g->pages, 2048);
        CHECK_EQ(g->weight, 256);
        CHECK(g->cmdline[0] == '\0');
    }
    CHECK(config_find(&set, "nope") == NULL);
    CHECK_EQ(parse("[a]\nkernel=k\nmemory=64K\n"), 0);
    CHECK_EQ(set.guests[0].pages, 16);
    CHECK_EQ(parse("[a]\r\nkernel=k\r\nmemory=1G\r\n"), 0);
    CHECK_EQ(set.guests[0].pages, 262144);
    /* DOM0-1: the largest value of each unit is taken exactly */
    CHECK_EQ(parse("[a]\nkernel=k\nmemory=4G\n"), 0);
    CHECK_EQ(set.guests[0].pages, 1048576);
    CHECK_EQ(parse("[a]\nkernel=k\nmemory=4096M\n"), 0);
    CHECK_EQ(set.guests[0].pages, 1048576);
    CHECK_EQ(parse("[a]\nkernel=k\nmemory=4194304K\n"), 0);
    CHECK_EQ(set.guests[0].pages, 1048576);
    CHECK_EQ(parse("[a]\nkernel=k\nmemory=1048576\n"), 0);
    CHECK_EQ(set.guests[0].pages, 1048576);
    CHECK_EQ(parse("[a]\nkernel=k\nmemory=00000000000000000000001G\n"), 0);
    CHECK_EQ(set.guests[0].pages, 262144);
    CHECK_EQ(parse("[a]\nkernel=k\nmemory=1M\nweight=65535\ndisk=4294967294+1\n"), 0);
    CHECK_EQ(set.guests[0].weight, 65535);
    CHECK_EQ(set.guests[0].disk[0].start, 4294967294u);
    CHECK_EQ(parse(""), 0);
    CHECK_EQ(set.nr, 0);
}

static void test_devices(void)
{
    const struct guest_config *g;

    CHECK_EQ(parse("[d]\nkernel=k\nmemory=1M\ndisk = 2048+4096\nmac = 02:00:0a:Ff:00:01\n"), 0);
    g = config_find(&set, "d");
    CHECK(g != NULL);
    if (g) {
        CHECK_EQ(g->nr_disks, 1);
        CHECK_EQ(g->disk[0].start, 2048);
        CHECK_EQ(g->disk[0].sectors, 4096);
        CHECK_EQ(g->disk[0].vdev, 51712);
        CHECK_EQ(g->nr_vifs, 1);
        CHECK_EQ(g->vif[0].mac[3], 0xFF);
        CHECK_EQ(g->vif[0].mac[5], 1);
    }
    CHECK_EQ(parse("[e]\nkernel=k\nmemory=1M\n"), 0);
    CHECK_EQ(set.guests[0].nr_disks, 0);
    CHECK_EQ(set.guests[0].nr_vifs, 0);
}

/* DEV-29: each disk and mac line adds a device, in order: xvda, xvdb, ...; vif 0, 1, ... */
static void test_several_devices(void)
{
    const struct guest_config *g;

    CHECK_EQ(parse("[m]\nkernel=k\nmemory=1M\ndisk=0+64\nmac=02:00:00:00:00:01\n"
                   "disk=64+64\ndisk=128+8\ndisk=200+1\nmac=02:00:00:00:00:02\n"
                   "mac=02:00:00:00:00:03\nmac=02:00:00:00:00:04\n"), 0);
    g = config_find(&set, "m");
    CHECK(g != NULL);
    if (!g)
        return;
    CHECK_EQ(g->nr_disks, 4);
    CHECK_EQ(g->disk[0].vdev, 51712);
    CHECK_EQ(g->disk[1].vdev, 51728);
    CHECK_EQ(g->disk[1].start, 64);
    CHECK_EQ(g->disk[3].vdev, 51760);
    CHECK_EQ(g->disk[3].start, 200);
    CHECK_EQ(g->nr_vifs, 4);
    CHECK_EQ(g->vif[0].mac[5], 1);
    CHECK_EQ(g->vif[3].mac[5], 4);
}

struct bad_case {
    const char *text;
    const char *error;
};

static const struct bad_case bad[] = {
    { "kernel = x\n", "line 1: key outside a [guest] section" },
    { "[a]\nkernel x\n", "line 2: expected key = value" },
    { "[a]\ncolour = red\n", "line 2: unknown key" },
    { "[a]\nkernel=k\nmemory=lots\n", "line 3: memory must be a number with an optional K, M or G" },
    { "[a]\nkernel=k\nmemory=8MB\n", "line 3: memory must be a number with an optional K, M or G" },
    { "[a]\nkernel=k\nmemory=0\n", "line 3: memory must be between 1 page and 4 GiB" },
    { "[a]\nkernel=k\nmemory=5G\n", "line 3: memory must be between 1 page and 4 GiB" },
    /* DOM0-1: a number too large is refused, never wrapped into range */
    { "[a]\nkernel=k\nmemory=99999999999999999999\n", "line 3: memory must be between 1 page and 4 GiB" },
    { "[a]\nkernel=k\nmemory=17179869185G\n", "line 3: memory must be between 1 page and 4 GiB" },
    { "[a]\nkernel=k\nmemory=17592186044417M\n", "line 3: memory must be between 1 page and 4 GiB" },
    { "[a]\nkernel=k\nmemory=18014398509481985K\n", "line 3: memory must be between 1 page and 4 GiB" },
    { "[a]\nkernel=k\nmemory=4503599627370497\n", "line 3: memory must be between 1 page and 4 GiB" },
    { "[a]\nkernel=k\nmemory=4097M\n", "line 3: memory must be between 1 page and 4 GiB" },
    { "[a]\nkernel=k\nmemory=4194305K\n", "line 3: memory must be between 1 page and 4 GiB" },
    { "[a]\nkernel=k\nmemory=1048577\n", "line 3: memory must be between 1 page and 4 GiB" },
    { "[a]\nkernel=k\nmemory=1K\n", "line 3: memory must be between 1 page and 4 GiB" },
    { "[a]\nkernel=k\nmemory=18446744073709551617G\n", "line 3: memory must be between 1 page and 4 GiB" },
    { "[a]\nkernel=k\nmemory=1M\nweight=18446744073709551617\n", "line 4: weight must be 1..65535" },
    { "[a]\nkernel=k\nmemory=1M\nweight=4294967297\n", "line 4: weight must be 1..65535" },
    { "[a]\nkernel=k\nmemory=1M\nweight=65536\n", "line 4: weight must be 1..65535" },
    { "[a]\ndisk=4294967296+1\n", "line 2: disk must end within 2^32 sectors" },
    { "[a]\ndisk=0+4294967296\n", "line 2: disk must end within 2^32 sectors" },
    { "[a]\ndisk=0+18446744073709551617\n", "line 2: disk must end within 2^32 sectors" },
    { "[a]\ndisk=18446744073709551615+2\n", "line 2: disk must end within 2^32 sectors" },
    { "[a]\nkernel=k\nmemory=1M\nweight=0\n", "line 4: weight must be 1..65535" },
    { "[a]\nkernel=k\nmemory=1M\nweight=70000\n", "line 4: weight must be 1..65535" },
    { "[a]\nkernel=\n", "line 2: empty value" },
    { "[a]\nmemory=1M\n", "line 2: section has no kernel" },
    { "[a]\nkernel=k\n[b]\n", "line 3: section has no memory" },
    { "[a\nkernel=k\n", "line 1: malformed section header" },
    { "[a] x\n", "line 1: malformed section header" },
    { "[]\n", "line 1: empty value" },
    { "[a]\nkernel=k\nmemory=1M\n[a]\n", "line 4: duplicate guest name" },
    { "[a b]\n", "line 1: guest names use letters, digits, '.', '_' and '-'" },
    { "[a/b]\n", "line 1: guest names use letters, digits, '.', '_' and '-'" },
    { "[a]\nkernel=k\x01\n", "line 2: value has a non-printable character" },
    { "[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n", "line 1: value too long" },
    { "[a]\ndisk=100\n", "line 2: disk must be START+COUNT (sectors)" },
    { "[a]\ndisk=1+0\n", "line 2: disk must be START+COUNT (sectors), COUNT at least 1" },
    { "[a]\ndisk=4294967295+1\n", "line 2: disk must end within 2^32 sectors" },
    { "[a]\ndisk=x+1\n", "line 2: disk must be START+COUNT (sectors), COUNT at least 1" },
    { "[a]\nmac=02:00:00:00:00\n", "line 2: mac must be six hex bytes separated by ':'" },
    { "[a]\nmac=02:00:00:00:00:01:02\n", "line 2: mac must be six hex bytes separated by ':'" },
    { "[a]\nmac=01:00:00:00:00:01\n", "line 2: mac must be a unicast address" },
    /* DEV-29, DEV-30: at most 4 of each kind, no MAC twice */
    { "[a]\ndisk=0+1\ndisk=1+1\ndisk=2+1\ndisk=3+1\ndisk=4+1\n",
      "line 6: at most 4 disks per guest (DEV-29)" },
    { "[a]\nmac=02:00:00:00:00:01\nmac=02:00:00:00:00:02\nmac=02:00:00:00:00:03\n"
      "mac=02:00:00:00:00:04\nmac=02:00:00:00:00:05\n",
      "line 6: at most 4 network interfaces per guest (DEV-29)" },
    { "[a]\nmac=02:00:00:00:00:01\nmac=02:00:00:00:00:01\n",
      "line 3: two interfaces have the MAC 02:00:00:00:00:01 (DEV-30)" },
};

static void test_bad(void)
{
    size_t i;
    char longline[400];

    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        CHECK_EQ_CASE(bad[i].text, parse(bad[i].text), -1);
        if (strcmp(set.error, bad[i].error) != 0) {
            printf("  case %zu: got '%s', want '%s'\n", i, set.error, bad[i].error);
            CHECK(0);
        }
    }
    memset(longline, 'x', sizeof(longline) - 1);
    longline[sizeof(longline) - 1] = '\0';
    CHECK_EQ(parse(longline), -1);
    CHECK(strcmp(set.error, "line 1: line too long") == 0);
    /* The parser never reads past len: a section cut off mid-way. */
    CHECK_EQ(config_parse("[a]\nkernel=k\nmemory=1M\n[b]", 22, &set), 0);
    CHECK_EQ(set.nr, 1);
}

int main(void)
{
    test_good();
    test_devices();
    test_several_devices();
    test_bad();
    return check_report();
}
