/*
 * BOOT-4, BOOT-13: boot modules as the loader hands them over, read from
 * crafted multiboot2 information blocks (hv/core/boot_module.c).
 */
#include "boot_module.h"
#include "check.h"
#include "pv/errno.h"

#define LIMIT_3G 0xC0000000ull

/* A multiboot2 block being built: tags appended 8-byte aligned. */
struct mb2_block {
    uint8_t bytes[512];
    uint32_t len;
};

static void put32(struct mb2_block *b, uint32_t at, uint32_t v)
{
    b->bytes[at] = (uint8_t)v;
    b->bytes[at + 1] = (uint8_t)(v >> 8);
    b->bytes[at + 2] = (uint8_t)(v >> 16);
    b->bytes[at + 3] = (uint8_t)(v >> 24);
}

static void block_init(struct mb2_block *b)
{
    memset(b, 0, sizeof(*b));
    b->len = MB2_INFO_HEADER;
}

static void add_tag(struct mb2_block *b, uint32_t type, uint32_t size, const uint32_t *words,
                    uint32_t nr_words, const char *str)
{
    uint32_t at = b->len, i;

    put32(b, at, type);
    put32(b, at + 4, size);
    for (i = 0; i < nr_words; i++)
        put32(b, at + 8 + 4 * i, words[i]);
    if (str)
        memcpy(b->bytes + at + 8 + 4 * nr_words, str, strlen(str) + 1);
    b->len = at + ((size + 7) & ~7u);
}

static void add_module(struct mb2_block *b, uint32_t start, uint32_t end, const char *cmdline)
{
    uint32_t words[2] = { start, end };

    add_tag(b, MB2_TAG_MODULE, MB2_MODULE_HEAD + (uint32_t)strlen(cmdline) + 1, words, 2, cmdline);
}

static void block_end(struct mb2_block *b)
{
    add_tag(b, MB2_TAG_END, 8, NULL, 0, NULL);
    put32(b, 0, b->len);
}

/* What the hypervisor does with a block: every module, BOOT-4 checked; -EINVAL at the first refusal. */
static int read_modules(const struct mb2_block *b, struct mb2_module *mods, uint32_t *nr,
                        const char **refusal)
{
    uint32_t off = MB2_INFO_HEADER;
    struct mb2_tag t;
    int more;

    *nr = 0;
    *refusal = NULL;
    while ((more = mb2_next_tag(b->bytes, b->len, &off, &t)) > 0) {
        if (t.type != MB2_TAG_MODULE)
            continue;
        if (mb2_module(b->bytes, &t, &mods[*nr]))
            return -EINVAL;
        *refusal = boot_module_refusal(mods[*nr].start, mods[*nr].end, LIMIT_3G);
        if (*refusal)
            return -EINVAL;
        (*nr)++;
    }
    return more;
}

static void test_aligned_modules(void)
{
    struct mb2_block b;
    struct mb2_module m[4] = { { 0, 0, 0, 0 } };
    const char *why;
    uint32_t nr, first, end;
    uint32_t mmap[4] = { 24, 0, 0x100000, 0 };

    block_init(&b);
    add_tag(&b, MB2_TAG_CMDLINE, 8 + 9, NULL, 0, "testmode");
    add_module(&b, 0x200000, 0x234567, "dom0.elf");
    add_tag(&b, MB2_TAG_MMAP, 16 + 24, mmap, 4, NULL);
    add_module(&b, 0x235000, 0x236000, "guest.elf");
    block_end(&b);
    CHECK_EQ_CASE("BOOT-4 page-aligned modules read", read_modules(&b, m, &nr, &why), 0);
    CHECK_EQ_CASE("BOOT-4 both modules", nr, 2);
    CHECK_EQ_CASE("BOOT-4 no refusal", why == NULL, true);
    CHECK_EQ_CASE("BOOT-4 module 0 start", m[0].start, 0x200000);
    CHECK_EQ_CASE("BOOT-4 module 0 end", m[0].end, 0x234567);
    CHECK_EQ_CASE("BOOT-4 module 0 string", strcmp((const char *)b.bytes + m[0].cmdline_off, "dom0.elf") == 0, true);
    CHECK_EQ_CASE("BOOT-4 module 0 string room", m[0].cmdline_max, 9);
    CHECK_EQ_CASE("BOOT-4 module 1 start", m[1].start, 0x235000);
    /* BOOT-13: the last, partial frame is the module's too (boot_module.h) */
    boot_module_frames(m[0].start, m[0].end, &first, &end);
    CHECK_EQ_CASE("BOOT-13 module 0 first frame", first, 0x200);
    CHECK_EQ_CASE("BOOT-13 module 0 frames end", end, 0x235);
    boot_module_frames(m[1].start, m[1].end, &first, &end);
    CHECK_EQ_CASE("BOOT-13 module 1 first frame", first, 0x235);
    CHECK_EQ_CASE("BOOT-13 module 1 one frame", end, 0x236);
    boot_module_frames(0x300000, 0x300000, &first, &end);
    CHECK_EQ_CASE("BOOT-13 empty module: no frames", end - first, 0);
}

/* A loader that ignored the alignment request: the module after dom0 shares its last frame. */
static void test_unaligned_module(void)
{
    struct mb2_block b;
    struct mb2_module m[4] = { { 0, 0, 0, 0 } };
    const char *why;
    uint32_t nr;

    block_init(&b);
    add_module(&b, 0x200000, 0x234567, "dom0.elf");
    add_module(&b, 0x234568, 0x240000, "guest.elf");
    block_end(&b);
    CHECK_EQ_CASE("BOOT-4 module starting mid-page refused", read_modules(&b, m, &nr, &why), -EINVAL);
    CHECK_EQ_CASE("BOOT-4 ... after the first module", nr, 1);
    CHECK_EQ_CASE("BOOT-4 ... saying why", why && strstr(why, "BOOT-4") && strstr(why, "inside a page"), true);

    block_init(&b);
    add_module(&b, 0x200800, 0x201000, "dom0.elf");
    block_end(&b);
    CHECK_EQ_CASE("BOOT-4 first module mid-page refused", read_modules(&b, m, &nr, &why), -EINVAL);
    CHECK_EQ_CASE("BOOT-4 ... none taken", nr, 0);
}

struct refusal_case {
    const char *name;
    uint32_t start, end;
    bool refused;
};

static const struct refusal_case refusal_cases[] = {
    { "BOOT-4 aligned", 0x100000, 0x100001, false },
    { "BOOT-4 aligned, empty", 0x100000, 0x100000, false },
    { "BOOT-4 aligned, ends at the limit", 0xBFFFF000u, 0xC0000000u, false },
    { "BOOT-4 one byte past a page", 0x100001, 0x102000, true },
    { "BOOT-4 last byte of a page", 0x100FFF, 0x102000, true },
    { "BOOT-4 ends before it starts", 0x102000, 0x101000, true },
    { "BOOT-4 past the identity map", 0xBFFFF000u, 0xC0000001u, true },
};

static void test_refusals(void)
{
    size_t i;

    for (i = 0; i < sizeof(refusal_cases) / sizeof(refusal_cases[0]); i++) {
        const struct refusal_case *c = &refusal_cases[i];

        CHECK_EQ_CASE(c->name, boot_module_refusal(c->start, c->end, LIMIT_3G) != NULL, c->refused);
    }
}

/* The tag walk never reads outside the block. */
static void test_malformed(void)
{
    struct mb2_block b;
    struct mb2_tag t;
    struct mb2_module m;
    uint32_t off;

    block_init(&b);
    add_module(&b, 0x200000, 0x201000, "x");
    block_end(&b);
    put32(&b, MB2_INFO_HEADER + 4, 4);              /* tag size below 8 */
    off = MB2_INFO_HEADER;
    CHECK_EQ_CASE("mb2 tag size 4", mb2_next_tag(b.bytes, b.len, &off, &t), -EINVAL);
    put32(&b, MB2_INFO_HEADER + 4, b.len);          /* runs past the block */
    off = MB2_INFO_HEADER;
    CHECK_EQ_CASE("mb2 tag past the block", mb2_next_tag(b.bytes, b.len, &off, &t), -EINVAL);
    off = b.len - 4;
    CHECK_EQ_CASE("mb2 no room for a tag header", mb2_next_tag(b.bytes, b.len, &off, &t), 0);
    off = b.len + 100;
    CHECK_EQ_CASE("mb2 offset past the block", mb2_next_tag(b.bytes, b.len, &off, &t), 0);
    t.type = MB2_TAG_MODULE;
    t.size = 12;
    t.off = MB2_INFO_HEADER;
    CHECK_EQ_CASE("mb2 module tag too short", mb2_module(b.bytes, &t, &m), -EINVAL);

    block_init(&b);
    add_module(&b, 0x200000, 0x201000, "x");        /* 18 bytes: padded to 24 */
    block_end(&b);
    off = MB2_INFO_HEADER;
    CHECK_EQ_CASE("mb2 module tag", mb2_next_tag(b.bytes, b.len, &off, &t), 1);
    CHECK_EQ_CASE("mb2 next tag 8-byte aligned", off, MB2_INFO_HEADER + 24);
    CHECK_EQ_CASE("mb2 then the end tag", mb2_next_tag(b.bytes, b.len, &off, &t), 0);
    CHECK_EQ_CASE("mb2 ... which is the end", t.type, MB2_TAG_END);
}

int main(void)
{
    test_aligned_modules();
    test_unaligned_module();
    test_refusals();
    test_malformed();
    return check_report();
}
