/*
 * Unit tests for the PV console ring (guest-abi/lib/cons_ring.c), under
 * ASan/UBSan: both directions, indices wrapping past 2^32, buffer
 * positions wrapping past the end of in[]/out[], a full ring, and a
 * hostile peer moving either index (RING-7). Each case checks that the
 * other direction is untouched.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "check.h"
#include "cons_ring.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

static struct xencons_interface *intf_new(void)
{
    struct xencons_interface *intf = malloc(sizeof(*intf));

    if (!intf)
        abort();
    memset(intf, 0, sizeof(*intf));
    return intf;
}

static uint32_t dir_size(enum cons_ring_dir d)
{
    return d == CONS_RING_IN ? XENCONS_IN_SIZE : XENCONS_OUT_SIZE;
}

static XENCONS_RING_IDX *prod_of(struct xencons_interface *i, enum cons_ring_dir d)
{
    return d == CONS_RING_IN ? &i->in_prod : &i->out_prod;
}

static XENCONS_RING_IDX *cons_of(struct xencons_interface *i, enum cons_ring_dir d)
{
    return d == CONS_RING_IN ? &i->in_cons : &i->out_cons;
}

static char *data_of(struct xencons_interface *i, enum cons_ring_dir d)
{
    return d == CONS_RING_IN ? i->in : i->out;
}

static void set_idx(struct xencons_interface *i, enum cons_ring_dir d, XENCONS_RING_IDX cons,
                    XENCONS_RING_IDX prod)
{
    *cons_of(i, d) = cons;
    *prod_of(i, d) = prod;
}

static void pattern(char *buf, uint32_t len, uint32_t seed)
{
    for (uint32_t k = 0; k < len; k++)
        buf[k] = (char)(uint8_t)(seed + k * 13u);
}

/* The other direction's bytes and indices, to check they are never touched. */
struct other_snap {
    char data[XENCONS_OUT_SIZE];
    XENCONS_RING_IDX cons, prod;
};

static void other_take(struct xencons_interface *i, enum cons_ring_dir d, struct other_snap *o)
{
    enum cons_ring_dir other = d == CONS_RING_IN ? CONS_RING_OUT : CONS_RING_IN;

    memcpy(o->data, data_of(i, other), dir_size(other));
    o->cons = *cons_of(i, other);
    o->prod = *prod_of(i, other);
}

static bool other_same(struct xencons_interface *i, enum cons_ring_dir d,
                       const struct other_snap *o)
{
    struct other_snap now;
    enum cons_ring_dir other = d == CONS_RING_IN ? CONS_RING_OUT : CONS_RING_IN;

    other_take(i, d, &now);
    return memcmp(now.data, o->data, dir_size(other)) == 0 && now.cons == o->cons &&
           now.prod == o->prod;
}

/* ---- normal operation ---------------------------------------------------- */

struct rw_case {
    const char *name;
    enum cons_ring_dir dir;
    XENCONS_RING_IDX start;   /* both indices */
    uint32_t len;             /* bytes offered to the writer */
    int32_t wrote;            /* expected */
};

static const struct rw_case rw_cases[] = {
    { "out: hello", CONS_RING_OUT, 0, 5, 5 },
    { "in: hello", CONS_RING_IN, 0, 5, 5 },
    { "out: nothing", CONS_RING_OUT, 7, 0, 0 },
    { "out: crosses end of out[]", CONS_RING_OUT, 2040, 20, 20 },
    { "in: crosses end of in[]", CONS_RING_IN, 1020, 20, 20 },
    { "out: index wraps 2^32", CONS_RING_OUT, UINT32_MAX - 3, 10, 10 },
    { "in: index wraps 2^32", CONS_RING_IN, UINT32_MAX, 1024, 1024 },
    { "RING-8 out: exactly full", CONS_RING_OUT, 100, 2048, 2048 },
    { "RING-8 out: more than fits", CONS_RING_OUT, UINT32_MAX - 100, 5000, 2048 },
    { "RING-8 in: more than fits", CONS_RING_IN, 3, 1025, 1024 },
};

static void test_write_read(void)
{
    static char src[5000], dst[5000];

    for (size_t i = 0; i < ARRAY_SIZE(rw_cases); i++) {
        const struct rw_case *c = &rw_cases[i];
        struct xencons_interface *intf = intf_new();
        struct other_snap o;
        int32_t got;

        pattern(src, sizeof(src), (uint32_t)i);
        memset(dst, 0, sizeof(dst));
        set_idx(intf, c->dir, c->start, c->start);
        other_take(intf, c->dir, &o);

        got = cons_ring_write(intf, c->dir, src, c->len);
        CHECK_EQ_CASE(c->name, got, c->wrote);
        CHECK_EQ_CASE(c->name, *prod_of(intf, c->dir), (XENCONS_RING_IDX)(c->start + c->wrote));
        CHECK_EQ_CASE(c->name, *cons_of(intf, c->dir), c->start);
        /* Byte k of the stream sits at (start + k) % size. */
        for (int32_t k = 0; k < got; k++) {
            uint32_t pos = (uint32_t)(c->start + (uint32_t)k) % dir_size(c->dir);
            if (data_of(intf, c->dir)[pos] != src[k]) {
                CHECK_EQ_CASE(c->name, k, -1);
                break;
            }
        }
        /* Full: a further write takes nothing. */
        if (got == (int32_t)dir_size(c->dir))
            CHECK_EQ_CASE(c->name, cons_ring_write(intf, c->dir, src, 1), 0);

        got = cons_ring_read(intf, c->dir, dst, sizeof(dst));
        CHECK_EQ_CASE(c->name, got, c->wrote);
        CHECK_EQ_CASE(c->name, memcmp(dst, src, (size_t)c->wrote), 0);
        CHECK_EQ_CASE(c->name, *cons_of(intf, c->dir), (XENCONS_RING_IDX)(c->start + c->wrote));
        CHECK_EQ_CASE(c->name, cons_ring_read(intf, c->dir, dst, sizeof(dst)), 0);
        CHECK_CASE_GE(c->name, other_same(intf, c->dir, &o), 1);
        free(intf);
    }
}

/* Partial reads and writes against a FIFO model, wrapping many times. */
static void test_stream_model(void)
{
    static const XENCONS_RING_IDX starts[] = { 0, UINT32_MAX - 700, 0x7fffff00u };
    uint32_t bad = 0;

    for (size_t si = 0; si < ARRAY_SIZE(starts); si++) {
        for (int d = CONS_RING_IN; d <= CONS_RING_OUT; d++) {
            enum cons_ring_dir dir = (enum cons_ring_dir)d;
            struct xencons_interface *intf = intf_new();
            uint32_t size = dir_size(dir), seed = (uint32_t)(si * 2 + (size_t)d + 1);
            uint32_t written = 0, read = 0;   /* stream positions, as the model sees them */
            char chunk[3000], got[3000];

            set_idx(intf, dir, starts[si], starts[si]);
            for (int step = 0; step < 4000; step++) {
                uint32_t len;
                int32_t n;

                seed = seed * 1103515245u + 12345u;
                len = (seed >> 8) % 700;
                if ((seed >> 20) & 1) {
                    for (uint32_t k = 0; k < len; k++)
                        chunk[k] = (char)(uint8_t)((written + k) * 7u);
                    n = cons_ring_write(intf, dir, chunk, len);
                    bad += n != (int32_t)(len < size - (written - read) ? len
                                                                         : size - (written - read));
                    if (n > 0)
                        written += (uint32_t)n;
                } else {
                    n = cons_ring_read(intf, dir, got, len);
                    bad += n != (int32_t)(len < written - read ? len : written - read);
                    for (int32_t k = 0; k < n; k++)
                        bad += got[k] != (char)(uint8_t)((read + (uint32_t)k) * 7u);
                    if (n > 0)
                        read += (uint32_t)n;
                }
            }
            CHECK_CASE_GE("stream moved", read, 100000);
            CHECK_EQ(*cons_of(intf, dir), (XENCONS_RING_IDX)(starts[si] + read));
            free(intf);
        }
    }
    CHECK_EQ(bad, 0);
}

/* ---- hostile peer (RING-7) --------------------------------------------- */

struct bad_case {
    const char *name;
    enum cons_ring_dir dir;
    XENCONS_RING_IDX cons, prod;
    bool bad;                 /* BAD_PEER expected for both read and write */
};

static const struct bad_case bad_cases[] = {
    { "RING-7 in: prod one past full", CONS_RING_IN, 10, 10 + 1025, true },
    { "RING-7 in: exactly full is fine", CONS_RING_IN, 10, 10 + 1024, false },
    { "RING-7 out: prod one past full", CONS_RING_OUT, 0, 2049, true },
    { "RING-7 out: exactly full is fine", CONS_RING_OUT, 0, 2048, false },
    { "RING-7 out: prod far ahead", CONS_RING_OUT, 5, 0x80000005u, true },
    { "RING-7 in: prod behind cons", CONS_RING_IN, 100, 99, true },
    { "RING-7 out: cons ahead of prod", CONS_RING_OUT, 2, 1, true },
    { "RING-7 in: across 2^32, far", CONS_RING_IN, UINT32_MAX - 1, 2000, true },
    { "RING-7 in: across 2^32, fine", CONS_RING_IN, UINT32_MAX - 1, 1000, false },
    { "RING-7 out: cons far behind", CONS_RING_OUT, 0, UINT32_MAX, true },
};

static void test_hostile(void)
{
    static char buf[4096], before[4096];

    for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++) {
        const struct bad_case *c = &bad_cases[i];
        struct xencons_interface *intf = intf_new();
        struct xencons_interface snap;
        struct other_snap o;
        int32_t r;

        pattern(intf->in, sizeof(intf->in), 1);
        pattern(intf->out, sizeof(intf->out), 2);
        set_idx(intf, c->dir, c->cons, c->prod);
        other_take(intf, c->dir, &o);
        memcpy(&snap, intf, sizeof(snap));
        memset(buf, 0x5c, sizeof(buf));
        memcpy(before, buf, sizeof(buf));

        /* Reader: BAD_PEER, and neither the page nor the buffer changed. */
        r = cons_ring_read(intf, c->dir, buf, sizeof(buf));
        if (c->bad) {
            CHECK_EQ_CASE(c->name, r, CONS_RING_BAD_PEER);
            CHECK_EQ_CASE(c->name, memcmp(buf, before, sizeof(buf)), 0);
            CHECK_EQ_CASE(c->name, memcmp(intf, &snap, sizeof(snap)), 0);
        } else {
            CHECK_EQ_CASE(c->name, r, (int32_t)(c->prod - c->cons));
        }

        /* Writer over the same indices: BAD_PEER, nothing written. */
        set_idx(intf, c->dir, c->cons, c->prod);
        memcpy(&snap, intf, sizeof(snap));
        r = cons_ring_write(intf, c->dir, buf, sizeof(buf));
        if (c->bad) {
            CHECK_EQ_CASE(c->name, r, CONS_RING_BAD_PEER);
            CHECK_EQ_CASE(c->name, memcmp(intf, &snap, sizeof(snap)), 0);
        } else {
            CHECK_EQ_CASE(c->name, r, (int32_t)(dir_size(c->dir) - (c->prod - c->cons)));
        }
        CHECK_CASE_GE(c->name, other_same(intf, c->dir, &o), 1);
        free(intf);
    }
}

/* Every index pair around the boundaries, against the rule. */
static void test_hostile_sweep(void)
{
    struct xencons_interface *intf = intf_new();
    static char buf[4096];
    uint32_t mismatches = 0, seed = 9;

    for (int d = CONS_RING_IN; d <= CONS_RING_OUT; d++) {
        enum cons_ring_dir dir = (enum cons_ring_dir)d;
        uint32_t size = dir_size(dir);

        for (uint32_t t = 0; t < 20000; t++) {
            XENCONS_RING_IDX cons, prod;
            uint32_t fill;
            int32_t r, w;

            seed = seed * 1664525u + 1013904223u;
            cons = (t & 1) ? seed : UINT32_MAX - (seed % 5000);
            prod = t < 10000 ? cons + (t % (2 * size + 20)) - 10 : seed * 2654435761u;
            fill = prod - cons;
            set_idx(intf, dir, cons, prod);
            r = cons_ring_read(intf, dir, buf, sizeof(buf));
            set_idx(intf, dir, cons, prod);
            w = cons_ring_write(intf, dir, buf, sizeof(buf));
            if (fill > size)
                mismatches += r != CONS_RING_BAD_PEER || w != CONS_RING_BAD_PEER;
            else
                mismatches += r != (int32_t)fill || w != (int32_t)(size - fill);
        }
    }
    CHECK_EQ(mismatches, 0);
    free(intf);
}

/* RING-2: what a read returned is the reader's copy; the peer changing the ring later does not reach it. */
static void test_copy_intact(void)
{
    struct xencons_interface *intf = intf_new();
    char got[16];

    CHECK_EQ(cons_ring_write(intf, CONS_RING_IN, "console!", 8), 8);
    CHECK_EQ(cons_ring_read(intf, CONS_RING_IN, got, sizeof(got)), 8);
    memset(intf->in, 'X', sizeof(intf->in));
    CHECK(memcmp(got, "console!", 8) == 0);
    free(intf);
}

int main(void)
{
    test_write_read();
    test_stream_model();
    test_hostile();
    test_hostile_sweep();
    test_copy_intact();
    return check_report();
}
