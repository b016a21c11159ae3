/*
 * Replay programs from files (the suite's corpus replay, `make
 * fuzz-repro`, coverage runs and the speed measurement).
 *
 *   replay [-q] [-v] FILE...       print and run each program; -v traces
 *                                  every op and its result, -q prints
 *                                  only the summary
 *   replay --bench SECONDS FILE... run the files (the first 4096) round
 *                                  and round for that long and print
 *                                  programs and ops per CPU second
 *
 * Ends with "replayed N programs, M ops, H hypercalls". A finding aborts
 * with the program printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exec.h"

struct input {
    uint8_t bytes[PROG_MAX_BYTES];
    size_t len;
};

static size_t read_file(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n;

    if (!f) {
        perror(path);
        exit(2);
    }
    n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

static double now(clockid_t clock)
{
    struct timespec ts;

    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint32_t nr_ops(const struct input *in)
{
    struct program p;

    prog_decode(in->bytes, in->len, &p);
    return p.nr_ops;
}

static int bench(double seconds, const struct input *in, int n)
{
    /* per core: CPU time, so that other load on the machine does not count */
    double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID), t, c;
    unsigned long progs = 0, ops = 0;
    int i;

    do {
        for (i = 0; i < n; i++) {
            exec_bytes(in[i].bytes, in[i].len, 0);
            ops += nr_ops(&in[i]);
        }
        progs += (unsigned long)n;
        t = now(CLOCK_MONOTONIC) - t0;
    } while (t < seconds);
    c = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    printf("bench: %lu programs, %lu ops in %.2f s CPU (%.2f s wall): %.0f programs/s, "
           "%.0f ops/s per core\n", progs, ops, c, t, (double)progs / c, (double)ops / c);
    return 0;
}

int main(int argc, char **argv)
{
    static struct input in[4096];
    int verbose = 0, quiet = 0, n = 0, i = 1;
    double bench_s = 0;
    unsigned long ops = 0, calls = 0;

    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else if (!strcmp(argv[i], "-q"))
            quiet = 1;
        else if (!strcmp(argv[i], "--bench") && i + 1 < argc)
            bench_s = atof(argv[++i]);
        else {
            fprintf(stderr, "usage: %s [-q] [-v] [--bench SECONDS] FILE...\n", argv[0]);
            return 2;
        }
    }
    exec_init();
    if (bench_s > 0) {
        for (; i < argc && n < (int)(sizeof(in) / sizeof(in[0])); i++, n++)
            in[n].len = read_file(argv[i], in[n].bytes, sizeof(in[n].bytes));
        return bench(bench_s, in, n);
    }
    /* one file at a time: a whole AFL++ queue may be named */
    for (; i < argc; i++, n++) {
        struct program p;

        in[0].len = read_file(argv[i], in[0].bytes, sizeof(in[0].bytes));
        prog_decode(in[0].bytes, in[0].len, &p);
        if (!quiet) {
            fprintf(stderr, "== %s (%u ops)\n", argv[i], p.nr_ops);
            if (!verbose)
                exec_print_program(&p);
        }
        calls += exec_program(&p, verbose);
        ops += p.nr_ops;
    }
    printf("replayed %d programs, %lu ops, %lu hypercalls\n", n, ops, calls);
    return 0;
}
