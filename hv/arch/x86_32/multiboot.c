/*
 * Multiboot 1 and 2 information blocks -> struct boot_info.
 *
 * Runs while machine memory below 3 GiB is still identity mapped, so
 * physical addresses from the loader can be read directly. The loader is
 * trusted to give a well-formed block, but every length is still bounded
 * so a malformed one gives a clean error instead of a wild read.
 */
#include "boot_module.h"
#include "bootinfo.h"
#include "printk.h"
#include "string.h"
#include "pv/errno.h"
#include "arch/layout.h"

#define MB1_BOOT_MAGIC 0x2BADB002u
#define MB2_BOOT_MAGIC 0x36D76289u

#define MB1_INFO_CMDLINE (1u << 2)
#define MB1_INFO_MODS    (1u << 3)
#define MB1_INFO_MMAP    (1u << 6)

#define MB2_MAX_INFO    (1u << 20)

static const void *phys(uint32_t pa)
{
    return (const void *)pa;   /* identity mapped during boot */
}

static uint32_t rd32(uint32_t pa)
{
    return *(const volatile uint32_t *)phys(pa);
}

static uint64_t rd64(uint32_t pa)
{
    return (uint64_t)rd32(pa) | ((uint64_t)rd32(pa + 4) << 32);
}

static void copy_string(char *dst, uint32_t size, uint32_t pa)
{
    const char *s = phys(pa);
    uint32_t i;

    for (i = 0; i + 1 < size && s[i]; i++)
        dst[i] = s[i];
    dst[i] = '\0';
}

/* BOOT-5: multiboot1 loaders put the image path first; drop it. */
static void drop_path_word(char *s)
{
    size_t end = 0, i;
    bool path = false;

    while (s[end] && s[end] != ' ') {
        path |= s[end] == '/';
        end++;
    }
    if (!path)
        return;
    while (s[end] == ' ')
        end++;
    for (i = 0; s[end + i]; i++)
        s[i] = s[end + i];
    s[i] = '\0';
}

static void add_region(struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type)
{
    if (bi->nr_mmap == BOOT_MAX_MMAP) {
        log_warn("multiboot: more than %u memory regions, ignoring the rest\n", BOOT_MAX_MMAP);
        return;
    }
    bi->mmap[bi->nr_mmap].base = base;
    bi->mmap[bi->nr_mmap].len = len;
    bi->mmap[bi->nr_mmap].type = type;
    bi->nr_mmap++;
}

/* BOOT-4: a module the loader did not page-align stops the boot. */
static int add_module(struct boot_info *bi, uint32_t start, uint32_t end, uint32_t cmdline_pa,
                      uint32_t cmdline_max)
{
    const char *refusal = boot_module_refusal(start, end, BOOT_IDENTITY_LIMIT);
    struct boot_module *m;

    if (bi->nr_mods == BOOT_MAX_MODULES) {
        log_err("multiboot: more than %u modules\n", BOOT_MAX_MODULES);
        return -E2BIG;
    }
    if (refusal) {
        log_err("multiboot: module %u (0x%x-0x%x) %s\n", bi->nr_mods, start, end, refusal);
        return -EINVAL;
    }
    m = &bi->mods[bi->nr_mods++];
    m->start = start;
    m->end = end;
    if (cmdline_pa) {
        copy_string(m->cmdline, cmdline_max < sizeof(m->cmdline) ? cmdline_max + 1 : sizeof(m->cmdline),
                    cmdline_pa);
        drop_path_word(m->cmdline);
    }
    return 0;
}

static int parse_mb1(uint32_t info, struct boot_info *bi)
{
    uint32_t flags = rd32(info);

    bi->loader = "multiboot1";
    bi->info_start = info;
    bi->info_end = info + 88;
    if (flags & MB1_INFO_CMDLINE)
        copy_string(bi->cmdline, sizeof(bi->cmdline), rd32(info + 16));
    if (flags & MB1_INFO_MODS) {
        uint32_t count = rd32(info + 20), addr = rd32(info + 24), i;
        for (i = 0; i < count; i++) {
            uint32_t m = addr + 16 * i;
            int rc = add_module(bi, rd32(m), rd32(m + 4), rd32(m + 8), MODULE_CMDLINE_MAX);
            if (rc)
                return rc;
        }
    }
    if (!(flags & MB1_INFO_MMAP)) {
        log_err("multiboot: the loader gave no memory map\n");   /* BOOT-2 */
        return -EINVAL;
    }
    {
        uint32_t addr = rd32(info + 48), len = rd32(info + 44), off = 0;
        while (off + 24 <= len) {
            uint32_t size = rd32(addr + off);
            add_region(bi, rd64(addr + off + 4), rd64(addr + off + 12), rd32(addr + off + 20));
            if (size < 20)
                break;
            off += size + 4;
        }
    }
    return 0;
}

static int parse_mb2_mmap(uint32_t tag, uint32_t size, struct boot_info *bi)
{
    uint32_t entry_size = rd32(tag + 8), off;

    if (entry_size < 24)
        return -EINVAL;
    for (off = 16; off + entry_size <= size; off += entry_size)
        add_region(bi, rd64(tag + off), rd64(tag + off + 8), rd32(tag + off + 16));
    return 0;
}

static int parse_mb2_module(uint32_t info, const struct mb2_tag *t, struct boot_info *bi)
{
    struct mb2_module m;

    if (mb2_module(phys(info), t, &m)) {
        log_err("multiboot2: module tag of %u bytes\n", t->size);
        return -EINVAL;
    }
    return add_module(bi, m.start, m.end, info + m.cmdline_off, m.cmdline_max);
}

/* The tag walk and the module checks are the core's (boot_module.h). */
static int parse_mb2(uint32_t info, struct boot_info *bi)
{
    uint32_t total = rd32(info), off = MB2_INFO_HEADER;
    bool have_mmap = false;
    struct mb2_tag t;
    int more;

    bi->loader = "multiboot2";
    if (total < 16 || total > MB2_MAX_INFO)
        return -EINVAL;
    bi->info_start = info;
    bi->info_end = info + total;
    while ((more = mb2_next_tag(phys(info), total, &off, &t)) > 0) {
        int rc = 0;

        if (t.type == MB2_TAG_CMDLINE)
            copy_string(bi->cmdline, t.size - 8 < sizeof(bi->cmdline) ? t.size - 8 + 1 : sizeof(bi->cmdline),
                        info + t.off + 8);
        else if (t.type == MB2_TAG_MODULE)
            rc = parse_mb2_module(info, &t, bi);
        else if (t.type == MB2_TAG_MMAP && t.size >= 16) {
            rc = parse_mb2_mmap(info + t.off, t.size, bi);
            have_mmap = true;
        }
        if (rc)
            return rc;
    }
    if (more < 0)
        return more;
    if (!have_mmap) {
        log_err("multiboot2: the loader gave no memory map\n");  /* BOOT-2 */
        return -EINVAL;
    }
    return 0;
}

int multiboot_parse(uint32_t magic, uint32_t info_pa, struct boot_info *bi)
{
    memset(bi, 0, sizeof(*bi));
    if (magic == MB1_BOOT_MAGIC)
        return parse_mb1(info_pa, bi);
    if (magic == MB2_BOOT_MAGIC)
        return parse_mb2(info_pa, bi);
    log_err("boot: unknown loader magic 0x%x\n", magic);      /* BOOT-1 */
    return -EINVAL;
}
