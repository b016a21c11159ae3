/*
 * xl's DISKSPEC and VIFSPEC, each read into one more of a guest's disks
 * or network interfaces (see xlcfg_spec.h; config_devs.c keeps the list). Every field xl would take but
 * Bulkhead cannot honour is refused by name, never ignored.
 */
#include "devices.h"
#include "fmt.h"
#include "string.h"
#include "xlcfg_spec.h"

#define SPEC_MAX CFG_CMDLINE_LEN

/* The first `c` in len bytes at p, or NULL. */
static const char *find(const char *p, uint32_t len, char c)
{
    for (; len; p++, len--)
        if (*p == c)
            return p;
    return NULL;
}

static int refuse(char *why, uint32_t why_len, const char *what, const char *field)
{
    snprintf(why, why_len, "%s%s%s", what, field ? ": " : "", field ? field : "");
    return -1;
}

bool xlspec_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
}

const char *xlspec_basename(const char *path)
{
    const char *base = path;

    for (; *path; path++)
        if (*path == '/')
            base = path + 1;
    return base;
}

/* DOM0-1: decimal digits only, at most max, checked before it can wrap. */
static bool decimal(const char *s, const char *end, uint64_t max, uint64_t *out)
{
    uint64_t n = 0;

    if (s == end)
        return false;
    for (; s < end; s++) {
        if (*s < '0' || *s > '9')
            return false;
        n = n * 10 + (uint64_t)(*s - '0');
        if (n > max)
            return false;
    }
    *out = n;
    return true;
}

/* "disk.img" (all of it) or "disk.img@START+COUNT", after any directories. */
static int disk_target(const char *target, struct cfg_disk *g, char *why, uint32_t why_len)
{
    const char *t = xlspec_basename(target), *plus;
    uint32_t n = (uint32_t)strlen(XL_RAMDISK);
    uint64_t start = 0, count = 0;

    if (strncmp(t, XL_RAMDISK, n) || (t[n] && t[n] != '@'))
        return refuse(why, why_len, "disk: the target is the ramdisk module " XL_RAMDISK
                      " (or " XL_RAMDISK "@START+COUNT)", NULL);
    if (!t[n]) {
        g->whole = 1;
        return 0;
    }
    plus = strchr(t + n + 1, '+');
    if (!plus || !decimal(t + n + 1, plus, 0xFFFFFFFFu, &start) ||
        !decimal(plus + 1, plus + strlen(plus), 0xFFFFFFFFu, &count) || count == 0)
        return refuse(why, why_len, "disk: " XL_RAMDISK "@START+COUNT (sectors), COUNT at least 1",
                      NULL);
    if (count > 0xFFFFFFFFu - start)
        return refuse(why, why_len, "disk must end within 2^32 sectors", NULL);
    g->start = (uint32_t)start;
    g->sectors = (uint32_t)count;
    return 0;
}

enum { D_TARGET, D_FORMAT, D_VDEV, D_ACCESS, D_NR };

static const char *const disk_fields[D_NR] = { "target", "format", "vdev", "access" };

struct diskspec {
    char field[D_NR][SPEC_MAX];
    bool given[D_NR];
};

static int set_field(struct diskspec *d, uint32_t f, const char *v, uint32_t len, char *why,
                     uint32_t why_len)
{
    if (d->given[f])
        return refuse(why, why_len, "disk: a parameter is given twice", disk_fields[f]);
    d->given[f] = true;
    memcpy(d->field[f], v, len);
    d->field[f][len] = '\0';
    return 0;
}

/* One comma-separated parameter of len bytes at p; *rest: target= took the rest. */
static int disk_param(struct diskspec *d, const char *p, uint32_t len, bool *rest, char *why,
                      uint32_t why_len)
{
    const char *eq;
    uint32_t f;

    while (len && (*p == ' ' || *p == '\t')) {
        p++;
        len--;
    }
    eq = find(p, len, '=');
    if (eq) {
        uint32_t klen = (uint32_t)(eq - p);
        for (f = 0; f < D_NR; f++)
            if (strlen(disk_fields[f]) == klen && !strncmp(p, disk_fields[f], klen))
                break;
        if (f == D_NR)
            return refuse(why, why_len, "disk: a parameter Bulkhead does not support", p);
        *rest = f == D_TARGET;
        return set_field(d, f, eq + 1, len - klen - 1, why, why_len);
    }
    if (!strncmp(p, "cdrom", len) && len == 5)
        return refuse(why, why_len, "disk: Bulkhead has no cdrom devices", NULL);
    for (f = 0; f < D_NR && d->given[f]; f++)
        ;
    if (f == D_NR)
        return refuse(why, why_len, "disk: more than target, format, vdev and access", NULL);
    return set_field(d, f, p, len, why, why_len);
}

static int disk_check(const struct diskspec *d, struct guest_config *g, char *why, uint32_t why_len)
{
    const char *access = d->field[D_ACCESS];
    struct cfg_disk disk;

    memset(&disk, 0, sizeof(disk));
    if (!d->field[D_TARGET][0])
        return refuse(why, why_len, "disk: no target", NULL);
    if (d->field[D_FORMAT][0] && strcmp(d->field[D_FORMAT], "raw"))
        return refuse(why, why_len, "disk: the format is raw", d->field[D_FORMAT]);
    if (!d->field[D_VDEV][0])
        return refuse(why, why_len, "disk: no vdev (e.g. xvda), as xl requires", NULL);
    disk.vdev = config_vdev(d->field[D_VDEV]);
    if (!disk.vdev)
        return refuse(why, why_len, "disk: vdev is xvda .. xvdz", d->field[D_VDEV]);
    if (!strcmp(access, "ro") || !strcmp(access, "r"))
        return refuse(why, why_len, "disk: Bulkhead's disks are read-write", NULL);
    if (access[0] && strcmp(access, "rw") && strcmp(access, "w"))
        return refuse(why, why_len, "disk: access is rw or w", access);
    if (disk_target(d->field[D_TARGET], &disk, why, why_len))
        return -1;
    return config_add_disk(g, &disk, why, why_len);
}

int xlspec_disk(const char *spec, struct guest_config *g, char *why, uint32_t why_len)
{
    static struct diskspec d;
    const char *p = spec;
    bool rest = false;

    memset(&d, 0, sizeof(d));
    while (!rest) {
        const char *comma = strchr(p, ','), *q = p;
        uint32_t len = comma ? (uint32_t)(comma - p) : (uint32_t)strlen(p);
        while (*q == ' ' || *q == '\t')
            q++;
        if (!strncmp(q, "target=", 7))
            len = (uint32_t)strlen(p);      /* target= takes the rest, commas and all */
        if (disk_param(&d, p, len, &rest, why, why_len))
            return -1;
        if (!p[len])
            break;
        p += len + 1;
    }
    return disk_check(&d, g, why, why_len);
}

/* One key=value of a VIFSPEC (len bytes at p, no comma in it). */
static int vif_param(const char *p, uint32_t len, uint8_t mac[6], bool *mac_given,
                     char *why, uint32_t why_len)
{
    char v[SPEC_MAX];
    const char *eq, *end;
    uint32_t klen;

    while (len && (*p == ' ' || *p == '\t')) {
        p++;
        len--;
    }
    if (len == 0)
        return 0;
    eq = find(p, len, '=');
    if (!eq)
        return refuse(why, why_len, "vif: a flag Bulkhead does not support", p);
    klen = (uint32_t)(eq - p);
    memcpy(v, eq + 1, len - klen - 1);
    v[len - klen - 1] = '\0';
    if (klen == 3 && !strncmp(p, "mac", 3)) {
        if (!devices_parse_mac(v, mac, &end) || *end)
            return refuse(why, why_len, "vif: mac is six hex bytes separated by ':'", v);
        if (mac[0] & 1)
            return refuse(why, why_len, "vif: mac must be a unicast address", v);
        *mac_given = true;
        return 0;
    }
    if (klen == 6 && !strncmp(p, "bridge", 6))
        return v[0] ? 0 : refuse(why, why_len, "vif: bridge is empty", NULL);
    if (klen == 4 && !strncmp(p, "type", 4))
        return strcmp(v, "vif") ? refuse(why, why_len, "vif: type is vif", v) : 0;
    if (klen == 7 && !strncmp(p, "backend", 7))
        return strcmp(v, "0") && strcmp(v, "dom0") && strcmp(v, "Domain-0")
                   ? refuse(why, why_len, "vif: the backend is dom0", v) : 0;
    return refuse(why, why_len, "vif: a parameter Bulkhead does not support", p);
}

int xlspec_vif(const char *spec, struct guest_config *g, char *why, uint32_t why_len)
{
    const char *p = spec;
    uint8_t mac[6] = { 0 };
    bool mac_given = false;

    for (;;) {
        const char *comma = strchr(p, ',');
        uint32_t len = comma ? (uint32_t)(comma - p) : (uint32_t)strlen(p);
        if (vif_param(p, len, mac, &mac_given, why, why_len))
            return -1;
        if (!comma)
            break;
        p = comma + 1;
    }
    return config_add_vif(g, mac, mac_given, why, why_len);
}

void xlspec_default_mac(struct guest_config *g, uint32_t index)
{
    uint32_t h = 2166136261u;       /* FNV-1a */
    uint8_t *mac = g->vif[index].mac;
    const char *s;

    for (s = g->name; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    h += index;                     /* the first interface's as before; the next ones differ */
    mac[0] = 0x00;
    mac[1] = 0x16;
    mac[2] = 0x3e;
    mac[3] = (uint8_t)(h >> 16) & 0x7f;         /* as xl: the top bit of byte 3 clear */
    mac[4] = (uint8_t)(h >> 8);
    mac[5] = (uint8_t)h;
}
