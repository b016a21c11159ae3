/*
 * Host side of fuzz layer 2: builds program packs for the hostile guest,
 * regenerates the program a campaign ran at an index (the guest prints
 * only a marker per program; the bytes come from the same generator,
 * fuzz/qemu/gen.c), and prints programs readably.
 *
 *   progtool pack OUT FILE...              a pack of the given programs
 *   progtool gen SEED INDEX PACK OUT       program INDEX of campaign SEED
 *                                          whose corpus pack is PACK
 *   progtool print FILE                    a program (or each of a pack)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fq.h"

static uint8_t *slurp(const char *path, uint32_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;

    if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
        perror(path);
        exit(2);
    }
    buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        perror(path);
        exit(2);
    }
    fclose(f);
    *len = (uint32_t)n;
    return buf;
}

static void put_le32(FILE *f, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

    fwrite(b, 1, 4, f);
}

static int cmd_pack(int argc, char **argv)
{
    FILE *out = fopen(argv[0], "wb");
    int i;

    if (!out) {
        perror(argv[0]);
        return 2;
    }
    put_le32(out, FQ_PACK_MAGIC);
    put_le32(out, (uint32_t)(argc - 1));
    for (i = 1; i < argc; i++) {
        static const uint8_t zeros[4];
        uint32_t len;
        uint8_t *b = slurp(argv[i], &len);

        put_le32(out, len);
        fwrite(b, 1, len, out);
        fwrite(zeros, 1, (4u - len % 4u) % 4u, out);
        free(b);
    }
    return fclose(out) ? 2 : 0;
}

static struct fq_pack pack;
static uint8_t bytes[PROG_MAX_BYTES];

static int cmd_gen(char **argv)
{
    uint64_t seed = strtoull(argv[0], NULL, 0);
    uint32_t index = (uint32_t)strtoul(argv[1], NULL, 0), plen, len;
    uint8_t *p = slurp(argv[2], &plen);
    const uint8_t *src = NULL;
    FILE *out;

    fq_pack_open(&pack, p, plen);
    /* as the guest: the pack's programs first, then generated ones */
    if (index < pack.count) {
        len = fq_pack_get(&pack, index, &src);
    } else {
        len = fq_generate(seed, index, &pack, bytes);
        src = bytes;
    }
    out = fopen(argv[3], "wb");
    if (!out || fwrite(src, 1, len, out) != len || fclose(out)) {
        perror(argv[3]);
        return 2;
    }
    free(p);
    return 0;
}

static void put_stdout(void *ctx, const char *s)
{
    (void)ctx;
    fputs(s, stdout);
}

static void print_one(const uint8_t *b, uint32_t len)
{
    static struct program prog;

    prog_decode(b, len, &prog);
    printf("program: %u bytes, %u ops\n", len, prog.nr_ops);
    prog_print(&prog, put_stdout, NULL);
}

static int cmd_print(const char *path)
{
    uint32_t len;
    uint8_t *b = slurp(path, &len);

    if (fq_pack_open(&pack, b, len)) {
        for (uint32_t i = 0; i < pack.count; i++) {
            const uint8_t *src = NULL;
            uint32_t l = fq_pack_get(&pack, i, &src);

            printf("-- pack entry %u\n", i);
            print_one(src, l);
        }
    } else {
        print_one(b, len);
    }
    free(b);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "pack"))
        return cmd_pack(argc - 2, argv + 2);
    if (argc == 6 && !strcmp(argv[1], "gen"))
        return cmd_gen(argv + 2);
    if (argc == 3 && !strcmp(argv[1], "print"))
        return cmd_print(argv[2]);
    fprintf(stderr, "usage: %s pack OUT FILE... | gen SEED INDEX PACK OUT | print FILE\n",
            argv[0]);
    return 2;
}
