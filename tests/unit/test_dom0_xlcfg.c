/*
 * Unit tests for dom0's xl.cfg reader (dom0/xlcfg.c, dom0/xlcfg_spec.c;
 * spec/dom0.md "xl.cfg", DOM0-1 for its numbers): Xen-style files map
 * onto the same guest configuration as Bulkhead's own format, and every
 * key, value or device field Bulkhead cannot honour is refused with the
 * line it is on.
 */
#include "check.h"
#include "xlcfg.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct guest_config g;
static char err[CFG_ERROR_LEN];

static int parse(const char *text)
{
    return xlcfg_parse(text, (uint32_t)strlen(text), &g, err, sizeof(err));
}

static void test_detect(void)
{
    CHECK(xlcfg_detect("name = \"a\"\n", 11));
    CHECK(xlcfg_detect("# c\n\n  name='a'", 15));
    CHECK(!xlcfg_detect("# c\n[web]\nkernel=a\n", 19));
    CHECK(!xlcfg_detect("  \n", 3));
    CHECK(!xlcfg_detect("", 0));
}

static void test_good(void)
{
    CHECK_EQ(parse("# an xl.cfg as Xen's examples write it\n"
                   "name = \"web\"\n"
                   "type = \"pv\"\n"
                   "kernel = \"/boot/app.elf\"\n"
                   "memory = 16\n"
                   "maxmem = 16\n"
                   "vcpus = 1\n"
                   "cpu_weight = 0x200\n"
                   "extra = \"console=hvc0 quiet\"\n"
                   "root = '/dev/xvda1 ro'\n"
                   "on_crash = \"preserve\"\n"
                   "disk = [ 'disk.img@2048+4096,raw,xvda,rw' ]\n"
                   "vif = [ 'mac=00:16:3e:00:00:01,bridge=xenbr0', ]\n"), 0);
    CHECK(!strcmp(g.name, "web"));
    CHECK(!strcmp(g.kernel, "app.elf"));
    CHECK_EQ(g.pages, 4096);
    CHECK_EQ(g.weight, 512);
    CHECK(!strcmp(g.cmdline, "root=/dev/xvda1 ro console=hvc0 quiet"));
    CHECK_EQ(g.nr_disks, 1);
    CHECK_EQ(g.disk[0].start, 2048);
    CHECK_EQ(g.disk[0].sectors, 4096);
    CHECK_EQ(g.disk[0].whole, 0);
    CHECK_EQ(g.disk[0].vdev, 51712);
    CHECK_EQ(g.nr_vifs, 1);
    CHECK_EQ(g.vif[0].mac[2], 0x3e);
    CHECK_EQ(g.vif[0].mac[5], 0x01);
    /* ';' separates pairs; lists span lines; cmdline wins over root and extra */
    CHECK_EQ(parse("name='a';kernel='k';memory=010;cmdline=\"x \\\"y\\\"\";extra='z'\n"
                   "disk = [\n  'vdev=xvda, access=w, target=/images/disk.img'\n]\n"
                   "vif = [ '' ]"), 0);
    CHECK_EQ(g.pages, 8 * 256);
    CHECK(!strcmp(g.cmdline, "x \"y\""));
    CHECK_EQ(g.disk[0].whole, 1);
    CHECK_EQ(g.disk[0].sectors, 0);
    CHECK_EQ(g.weight, 256);
    /* a vif without mac= gets Xen's OUI and bytes of the name, the same each time */
    CHECK_EQ(g.nr_vifs, 1);
    CHECK_EQ(g.vif[0].mac[0], 0x00);
    CHECK_EQ(g.vif[0].mac[1], 0x16);
    CHECK_EQ(g.vif[0].mac[2], 0x3e);
    CHECK(g.vif[0].mac[3] < 0x80);
    {
        uint8_t first[6];
        memcpy(first, g.vif[0].mac, 6);
        CHECK_EQ(parse("name='a'\nkernel='k'\nmemory=8\nvif=['bridge=xenbr0']\n"), 0);
        CHECK(!memcmp(first, g.vif[0].mac, 6));
        CHECK_EQ(parse("name='b'\nkernel='k'\nmemory=8\nvif=['bridge=xenbr0']\n"), 0);
        CHECK(memcmp(first, g.vif[0].mac, 6) != 0);
    }
    /* no devices: empty lists */
    CHECK_EQ(parse("name='a'\nkernel='k'\nmemory=4096\ndisk=[]\nvif=[ ]\n"), 0);
    CHECK_EQ(g.pages, 1048576);
    CHECK_EQ(g.nr_disks + g.nr_vifs, 0);
    /* the largest disk slice that ends within 2^32 sectors */
    CHECK_EQ(parse("name='a'\nkernel='k'\nmemory=1\ndisk=['disk.img@4294967294+1,,xvda']\n"), 0);
    CHECK_EQ(g.disk[0].start, 4294967294u);
}

/* DEV-29: several disks (each its vdev) and vifs (each its MAC), in the list's order. */
static void test_several_devices(void)
{
    CHECK_EQ(parse("name='m'\nkernel='k'\nmemory=8\n"
                   "disk=['disk.img@0+64,raw,xvda,rw', 'disk.img@64+64,raw,xvdc,rw',\n"
                   "      'vdev=xvdb,target=disk.img@128+8', 'disk.img,,xvdd']\n"
                   "vif=['mac=02:00:00:00:00:01', 'bridge=xenbr0', 'mac=02:00:00:00:00:03',"
                   " 'bridge=xenbr0']\n"), 0);
    CHECK_EQ(g.nr_disks, 4);
    CHECK_EQ(g.disk[0].vdev, 51712);
    CHECK_EQ(g.disk[1].vdev, 51744);
    CHECK_EQ(g.disk[1].start, 64);
    CHECK_EQ(g.disk[2].vdev, 51728);
    CHECK_EQ(g.disk[2].start, 128);
    CHECK_EQ(g.disk[3].whole, 1);
    CHECK_EQ(g.nr_vifs, 4);
    CHECK_EQ(g.vif[0].mac[5], 1);
    CHECK_EQ(g.vif[2].mac[5], 3);
    /* the two without mac= get two different derived MACs */
    CHECK_EQ(g.vif[1].mac[2], 0x3e);
    CHECK(memcmp(g.vif[1].mac, g.vif[3].mac, 6) != 0);
}

struct bad_case {
    const char *text;
    const char *error;      /* the start of the message */
};

static const struct bad_case bad_cases[] = {
    { "name='a'\nkernel='k'\n", "line 3: no memory" },
    { "kernel='k'\nmemory=8\n", "line 3: no name" },
    { "name='a'\nmemory=8\n", "line 3: no kernel" },
    { "name='a'\nkernel='k'\nmemory=8\nfoo=1\n", "line 4: not a key Bulkhead reads" },
    { "name='a'\nname='b'\n", "line 2: a key is set twice" },
    { "name='a b'\n", "line 1: guest names use" },
    { "name=''\n", "line 1: name is empty" },
    { "name='a\n", "line 1: a string is not closed" },
    { "name=\"a\x01\"\n", "line 1: a string has a non-printable" },
    { "name=a\n", "line 1: a value is a" },
    { "name 'a'\n", "line 1: expected '='" },
    { "name='a' kernel='k'\n", "line 1: one KEY = VALUE per line" },
    { "= 'a'\n", "line 1: expected KEY = VALUE" },
    { "name='a'\n@\n", "line 2: unexpected character" },
    { "memory=0\n", "line 1: memory (MiB) takes a number 1..4096" },
    { "memory=4097\n", "line 1: memory (MiB) takes a number 1..4096" },
    { "memory=18446744073709551617\n", "line 1: memory (MiB) takes a number" },   /* DOM0-1 */
    { "memory=0x1000000000000000001\n", "line 1: memory (MiB) takes a number" },
    { "memory='8'\n", "line 1: memory (MiB) takes a number" },
    { "memory=08\n", "line 1: a number is malformed" },
    { "memory=8M\n", "line 1: a number is malformed" },
    { "memory=1.5\n", "line 1: a number is malformed" },
    { "name='a'\nkernel='k'\nmemory=8\nmaxmem=16\n", "line 5: maxmem differs from memory" },
    { "vcpus=2\n", "line 1: Bulkhead guests have one vCPU" },
    { "maxvcpus=4\n", "line 1: Bulkhead guests have one vCPU" },
    { "cpu_weight=65536\n", "line 1: cpu_weight takes a number 1..65535" },
    { "cpu_weight=0\n", "line 1: cpu_weight takes a number 1..65535" },
    { "type='hvm'\n", "line 1: type: Bulkhead runs PV guests only" },
    { "builder='hvm'\n", "line 1: builder: Bulkhead runs PV guests only" },
    { "on_poweroff='destroy'\n", "line 1: Bulkhead keeps a stopped guest" },
    { "kernel='/boot/'\n", "line 1: kernel names no file" },
    { "cmdline=['a']\n", "line 1: cmdline takes a \"string\"" },
    { "disk='disk.img'\n", "line 1: disk takes a [ 'list' ]" },
    /* DEV-29, DEV-30: at most 4 of each kind, no vdev or MAC twice */
    { "disk=['disk.img@0+1,,xvda','disk.img@1+1,,xvdb','disk.img@2+1,,xvdc',"
      "'disk.img@3+1,,xvdd','disk.img@4+1,,xvde']\n", "line 1: at most 4 disks per guest (DEV-29)" },
    { "vif=['','','','','']\n", "line 1: at most 4 network interfaces per guest (DEV-29)" },
    { "disk=['a','b','c','d','e','f']\n", "line 1: a list is longer than" },
    { "disk=['disk.img@0+1,,xvda','disk.img@1+1,,xvda']\n", "line 1: two disks are xvda (DEV-30)" },
    { "disk=['disk.img,,hda']\n", "line 1: disk: vdev is xvda .. xvdz: hda" },
    { "disk=['disk.img,,xvdA']\n", "line 1: disk: vdev is xvda .. xvdz" },
    { "vif=['mac=02:00:00:00:00:07','mac=02:00:00:00:00:07']\n",
      "line 1: two interfaces have the MAC 02:00:00:00:00:07 (DEV-30)" },
    { "disk=[['disk.img']]\n", "line 1: nested lists" },
    { "disk=[1]\n", "line 1: a list holds 'strings'" },
    { "disk=['a' 'b']\n", "line 1: expected ',' or ']'" },
    { "disk=['other.img,,xvda']\n", "line 1: disk: the target is the ramdisk module disk.img" },
    { "disk=['disk.img2,,xvda']\n", "line 1: disk: the target is the ramdisk module" },
    { "disk=['disk.img@5,,xvda']\n", "line 1: disk: disk.img@START+COUNT" },
    { "disk=['disk.img@5+0,,xvda']\n", "line 1: disk: disk.img@START+COUNT" },
    { "disk=['disk.img@4294967295+2,,xvda']\n", "line 1: disk must end within 2^32" },
    { "disk=['disk.img@99999999999+1,,xvda']\n", "line 1: disk: disk.img@START+COUNT" },
    { "disk=['disk.img,qcow2,xvda']\n", "line 1: disk: the format is raw" },
    { "disk=['disk.img,raw']\n", "line 1: disk: no vdev" },
    { "disk=['disk.img,raw,xvda,ro']\n", "line 1: disk: Bulkhead's disks are read-write" },
    { "disk=['disk.img,raw,xvda,rx']\n", "line 1: disk: access is rw or w" },
    { "disk=['disk.img,raw,xvda,rw,more']\n", "line 1: disk: more than target" },
    { "disk=['disk.img,,hdc,cdrom']\n", "line 1: disk: Bulkhead has no cdrom" },
    { "disk=['disk.img,,xvda,devtype=cdrom']\n", "line 1: disk: a parameter Bulkhead does not" },
    { "disk=['disk.img,vdev=xvda,vdev=xvdb']\n", "line 1: disk: a parameter is given twice" },
    { "disk=[',raw,xvda']\n", "line 1: disk: no target" },
    { "vif=['mac=01:00:00:00:00:01']\n", "line 1: vif: mac must be a unicast" },
    { "vif=['mac=00:16:3e']\n", "line 1: vif: mac is six hex bytes" },
    { "vif=['model=e1000']\n", "line 1: vif: a parameter Bulkhead does not" },
    { "vif=['type=ioemu']\n", "line 1: vif: type is vif" },
    { "vif=['backend=drv']\n", "line 1: vif: the backend is dom0" },
    { "vif=['bridge=']\n", "line 1: vif: bridge is empty" },
    { "vif=['rate']\n", "line 1: vif: a flag" },
    { "name='a'\nkernel='k'\nmemory=8\ndisk=[\n\n'x,,xvda'\n]\n", "line 4: disk: the target" },
    { "name='a'\nkernel='k'\nmemory=8\ndisk=[\n\n'x,,xvda'\n\n", "line 8: expected ',' or ']'" },
};

static void test_refusals(void)
{
    uint32_t i;

    for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
        const struct bad_case *c = &bad_cases[i];
        CHECK_EQ_CASE(c->text, parse(c->text), -1);
        if (strncmp(err, c->error, strlen(c->error)))
            fprintf(stderr, "case %u: got '%s', want '%s...'\n", i, err, c->error);
        CHECK(!strncmp(err, c->error, strlen(c->error)));
    }
}

/* Nothing is read past len, whatever the text holds after it. */
static void test_bounds(void)
{
    const char text[] = "name='a'\nkernel='k'\nmemory=8\nvcpus=2\n";

    CHECK_EQ(xlcfg_parse(text, 28, &g, err, sizeof(err)), 0);
    CHECK_EQ(xlcfg_parse(text, 5, &g, err, sizeof(err)), -1);
    CHECK_EQ(xlcfg_parse("name='a'\0kernel", 15, &g, err, sizeof(err)), -1);
}

int main(void)
{
    test_detect();
    test_good();
    test_several_devices();
    test_refusals();
    test_bounds();
    return check_report();
}
