/*
 * Unit tests for hv/core/frame_alloc.c (FA-1, FA-2 in frame.h).
 *
 * The frame table runs over the hosted memory model, so scrubbing can be
 * observed: a pattern written into a frame through hosted_frame() must be
 * gone when the frame is handed out again.
 */
#include "check.h"
#include "frame.h"
#include "hosted_env.h"

#define NR 16u

static struct frame frames[NR];
static struct frame_table ft;

static uint32_t count_free(void)
{
    uint32_t i, n = 0;

    for (i = 0; i < ft.nr_frames; i++)
        n += ft.frames[i].owner == FRAME_OWNER_FREE;
    return n;
}

/* frame_table_inv() of frame.h, executable. */
static int table_ok(void)
{
    uint32_t i;

    if (ft.nr_free != count_free() || ft.cursor >= ft.nr_frames)
        return 0;
    for (i = 0; i < ft.nr_frames; i++) {
        const struct frame *f = &ft.frames[i];

        if (f->owner == FRAME_OWNER_FREE &&
            (f->refcount || f->type_count || f->type != PGT_NONE || f->flags))
            return 0;
    }
    return 1;
}

/* Frames [lo, hi) become free RAM; the rest stays DOMID_IO. */
static void setup(uint32_t lo, uint32_t hi)
{
    uint32_t i;

    hosted_env_init(NR);
    frame_table_init(&ft, frames, NR);
    for (i = lo; i < hi; i++)
        frame_release_boot(&ft, i);
}

static void test_init_and_boot(void)
{
    uint32_t i;
    int all_io = 1;

    hosted_env_init(NR);
    memset(frames, 0x5A, sizeof(frames));
    frame_table_init(&ft, frames, NR);
    for (i = 0; i < NR; i++)
        all_io &= frames[i].owner == DOMID_IO && frames[i].refcount == 0 &&
                  frames[i].type_count == 0 && frames[i].flags == 0 &&
                  frames[i].type == PGT_NONE && frames[i].aux == 0;
    CHECK(all_io);
    CHECK_EQ(ft.nr_free, 0);
    CHECK(table_ok());

    frame_release_boot(&ft, 3);
    frame_release_boot(&ft, 3);          /* already free: no change */
    frame_release_boot(&ft, NR);         /* out of range: no change */
    CHECK_EQ(ft.nr_free, 1);
    frame_set_owner_boot(&ft, 3, DOMID_XEN);
    CHECK_EQ(ft.nr_free, 0);
    CHECK_EQ(frames[3].owner, DOMID_XEN);
    frame_set_owner_boot(&ft, 4, 1);     /* not free: count unchanged */
    CHECK_EQ(ft.nr_free, 0);
    frame_set_owner_boot(&ft, NR + 5, 1);
    CHECK(table_ok());
}

static void test_alloc_scrub(void)
{
    uint32_t mfn = INVALID_MFN, again = INVALID_MFN, k;
    int zero = 1;

    setup(4, 8);
    CHECK_EQ(frame_alloc(&ft, 1, &mfn), 0);
    CHECK_EQ(mfn, 4);
    CHECK_EQ(frames[4].owner, 1);
    CHECK_EQ(ft.nr_free, 3);
    CHECK_EQ(ft.cursor, 5);
    CHECK_EQ(hosted_live_maps(), 0);
    CHECK(table_ok());

    memset(hosted_frame(mfn), 0xC3, PAGE_SIZE);
    CHECK_EQ(frame_free(&ft, mfn), 0);
    CHECK_EQ(ft.nr_free, 4);
    /* Next-fit: 5, 6, 7, then the scan wraps around to 4. */
    for (k = 0; k < 4; k++)
        CHECK_EQ(frame_alloc(&ft, 2, &again), 0);
    CHECK_EQ(again, 4);
    for (k = 0; k < PAGE_SIZE; k++)
        zero &= hosted_frame(again)[k] == 0;
    CHECK(zero);
    CHECK_EQ(hosted_live_maps(), 0);
    CHECK(table_ok());
}

static void test_exhaustion(void)
{
    struct frame before[NR];
    struct frame_table ft_before;
    uint32_t mfn = 77, n = 0;

    setup(0, NR);
    while (frame_alloc(&ft, 9, &mfn) == 0)
        n++;
    CHECK_EQ(n, NR);
    CHECK_EQ(ft.nr_free, 0);
    memcpy(before, frames, sizeof(before));
    ft_before = ft;
    mfn = 77;
    CHECK_EQ(frame_alloc(&ft, 9, &mfn), -ENOMEM);
    CHECK_EQ(mfn, 77);
    CHECK(memcmp(before, frames, sizeof(before)) == 0);
    CHECK(memcmp(&ft_before, &ft, sizeof(ft)) == 0);

    /* Nothing free at all from the start (every frame DOMID_IO). */
    setup(0, 0);
    CHECK_EQ(frame_alloc(&ft, 1, &mfn), -ENOMEM);
    CHECK(table_ok());
}

static void test_cursor_wrap(void)
{
    uint32_t mfn = 0;

    setup(0, 2);                     /* frames 0 and 1 free */
    ft.cursor = NR - 1;              /* the scan starts at the last frame */
    CHECK_EQ(frame_alloc(&ft, 1, &mfn), 0);
    CHECK_EQ(mfn, 0);
    CHECK_EQ(ft.cursor, 1);
    CHECK_EQ(frame_alloc(&ft, 1, &mfn), 0);
    CHECK_EQ(mfn, 1);
    CHECK_EQ(ft.cursor, 2);

    setup(NR - 1, NR);               /* only the last frame is free */
    CHECK_EQ(frame_alloc(&ft, 1, &mfn), 0);
    CHECK_EQ(mfn, NR - 1);
    CHECK_EQ(ft.cursor, 0);          /* wraps to 0, never NR */
    CHECK(table_ok());
}

struct free_case {
    const char *name;
    uint32_t mfn;
    uint16_t owner;
    uint32_t refcount, type_count;
    uint8_t type, flags;
    int rc;
};

static const struct free_case free_cases[] = {
    { "referenced",        5,  1,                1, 0, PGT_NONE,     0,            -EBUSY },
    { "typed",             5,  1,                0, 1, PGT_L1,       0,            -EBUSY },
    { "pinned",            5,  1,                0, 0, PGT_L3,       FRAME_PINNED, -EBUSY },
    { "DOMID_IO",          5,  DOMID_IO,         0, 0, PGT_NONE,     0,            -EINVAL },
    { "already free",      5,  FRAME_OWNER_FREE, 0, 0, PGT_NONE,     0,            -EINVAL },
    { "out of range",      NR, 1,                0, 0, PGT_NONE,     0,            -EINVAL },
    { "hypervisor frame",  5,  DOMID_XEN,        0, 0, PGT_NONE,     0,            0 },
    { "validated, unused", 5,  1,                0, 0, PGT_WRITABLE, FRAME_VALIDATED, 0 },
    { "plain",             5,  1,                0, 0, PGT_NONE,     0,            0 },
};

static void test_free_table(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(free_cases); i++) {
        const struct free_case *c = &free_cases[i];
        struct frame before;
        uint32_t nr_free;
        int rc;

        setup(0, 4);
        if (c->owner != FRAME_OWNER_FREE)
            frames[5].owner = c->owner;   /* frame 5 is DOMID_IO after setup */
        else
            frame_release_boot(&ft, 5);
        frames[5].refcount = c->refcount;
        frames[5].type_count = c->type_count;
        frames[5].type = c->type;
        frames[5].flags = c->flags;
        frames[5].aux = 0x1234;
        before = frames[5];
        nr_free = ft.nr_free;

        rc = frame_free(&ft, c->mfn);
        CHECK_EQ_CASE(c->name, rc, c->rc);
        if (rc == 0) {
            CHECK_EQ_CASE(c->name, frames[5].owner, FRAME_OWNER_FREE);
            CHECK_EQ_CASE(c->name, frames[5].type, PGT_NONE);
            CHECK_EQ_CASE(c->name, frames[5].flags, 0);
            CHECK_EQ_CASE(c->name, frames[5].aux, 0);
            CHECK_EQ_CASE(c->name, ft.nr_free, nr_free + 1);
        } else {
            CHECK_EQ_CASE(c->name, memcmp(&before, &frames[5], sizeof(before)), 0);
            CHECK_EQ_CASE(c->name, ft.nr_free, nr_free);
        }
    }
}

int main(void)
{
    test_init_and_boot();
    test_alloc_scrub();
    test_exhaustion();
    test_cursor_wrap();
    test_free_table();
    hosted_env_fini();
    return check_report();
}
