/*
 * Unit tests for the shared-ring library (guest-abi/lib/ring.c), under
 * ASan/UBSan. The page is heap-allocated and every byte of it the ring
 * must not touch (the slot area past nr_ents * ent_size, the header's
 * pvt/pad after init) is poisoned, so a stray index is a crash, not a
 * silent pass.
 *
 * The peer is simulated by writing the shared page directly: indices
 * racing ahead, moving backwards, wrapping past 2^32, slots rewritten
 * after they were copied, responses to requests never made. Each case
 * names the rule it exercises (RING-n, see ring.h).
 */
#include <sanitizer/asan_interface.h>
#include <stdbool.h>
#include <stdlib.h>

#include "check.h"
#include "ring.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define MAX_ENT 4032u

struct fix {
    struct ring_shared *s;
    struct ring_front f;
    struct ring_back b;
    uint32_t es;      /* entry size */
    uint32_t n;       /* nr_ents */
};

static void fix_poison(struct fix *x, bool on)
{
    char *tail = x->s->ents + x->n * x->es;
    size_t tail_len = sizeof(x->s->ents) - (size_t)x->n * x->es;

    if (on) {
        ASAN_POISON_MEMORY_REGION(x->s->pvt, sizeof(x->s->pvt) + sizeof(x->s->pad));
        ASAN_POISON_MEMORY_REGION(tail, tail_len);
    } else {
        ASAN_UNPOISON_MEMORY_REGION(x->s->pvt, sizeof(x->s->pvt) + sizeof(x->s->pad));
        ASAN_UNPOISON_MEMORY_REGION(tail, tail_len);
    }
}

static void fix_open(struct fix *x, uint32_t es, RING_IDX start)
{
    memset(x, 0, sizeof(*x));
    x->s = malloc(sizeof(*x->s));
    if (!x->s)
        abort();
    memset(x->s, 0x5a, sizeof(*x->s));   /* init must clear all of it */
    CHECK(ring_front_init_at(&x->f, x->s, es, start));
    CHECK(ring_back_attach_at(&x->b, x->s, es, start));
    x->es = es;
    x->n = x->f.nr_ents;
    fix_poison(x, true);
}

static void fix_close(struct fix *x)
{
    fix_poison(x, false);
    free(x->s);
    x->s = NULL;
}

/* Entry contents for sequence number seq: recognisable in every byte. */
static void ent_fill(char *e, uint32_t es, uint32_t seq, uint8_t salt)
{
    for (uint32_t k = 0; k < es; k++)
        e[k] = (char)(uint8_t)(seq * 131u + k * 7u + salt);
    if (es >= 4)
        memcpy(e, &seq, 4);
}

static bool ent_is(const char *e, uint32_t es, uint32_t seq, uint8_t salt)
{
    char want[MAX_ENT];

    ent_fill(want, es, seq, salt);
    return memcmp(e, want, es) == 0;
}

static char *slot_of(struct fix *x, RING_IDX idx)
{
    return x->s->ents + (idx % x->n) * x->es;
}

/* ---- geometry ---------------------------------------------------------- */

struct size_case {
    uint32_t page, es, want;
};

static const struct size_case size_cases[] = {
    { 4096, 108, 32 },          /* blkif request (x86_32) */
    { 4096, 12, 256 },          /* netif tx: 12-byte request */
    { 4096, 8, 256 },           /* netif rx: 8-byte request/response */
    { 4096, 1, 2048 },
    { 4096, 4032, 1 },
    { 4096, 4033, 0 },
    { 4096, 2016, 2 },
    { 4096, 2017, 1 },
    { 4096, 0, 0 },
    { 64, 1, 0 },
    { 63, 1, 0 },
    { 0, 8, 0 },
    { 8192, 108, 64 },
    { UINT32_MAX, 1, 0x80000000u },
};

static bool is_pow2(uint32_t v)
{
    return v != 0 && (v & (v - 1)) == 0;
}

static void test_size_for(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(size_cases); i++) {
        const struct size_case *c = &size_cases[i];
        char name[64];

        snprintf(name, sizeof(name), "size_for(%u,%u)", c->page, c->es);
        CHECK_EQ_CASE(name, ring_size_for(c->page, c->es), c->want);
    }
    /* Against the definition: the largest power of two that fits. */
    for (uint32_t es = 1; es <= 4100; es++) {
        uint32_t n = ring_size_for(RING_PAGE_SIZE, es);
        uint32_t fit = es <= RING_ENTS_BYTES ? RING_ENTS_BYTES / es : 0;

        if (fit == 0) {
            CHECK_EQ(n, 0);
            continue;
        }
        if (!is_pow2(n) || n > fit || 2 * n <= fit)
            CHECK_EQ_CASE("RING-3 largest power of two", n, fit);
    }
}

static void test_init(void)
{
    struct fix x;
    struct ring_front f, f0;
    struct ring_back b, b0;
    struct ring_shared *s = malloc(sizeof(*s));
    bool all_zero = true;

    if (!s)
        abort();
    fix_open(&x, 108, 0);
    CHECK_EQ(x.n, 32);
    CHECK_EQ(x.s->req_prod, 0);
    CHECK_EQ(x.s->rsp_prod, 0);
    CHECK_EQ(x.s->req_event, 1);
    CHECK_EQ(x.s->rsp_event, 1);
    for (size_t k = 0; k < x.n * x.es; k++)
        all_zero &= x.s->ents[k] == 0;
    CHECK(all_zero);
    fix_close(&x);

    fix_open(&x, 8, UINT32_MAX);
    CHECK_EQ(x.s->req_prod, UINT32_MAX);
    CHECK_EQ(x.s->req_event, 0);          /* start + 1 wraps */
    CHECK_EQ(x.f.req_prod_pvt, UINT32_MAX);
    CHECK_EQ(x.b.req_cons, UINT32_MAX);
    fix_close(&x);

    CHECK(ring_front_init(&f, s, 12));
    CHECK_EQ(f.nr_ents, 256);
    CHECK_EQ(f.req_prod_pvt, 0);
    CHECK(ring_back_attach(&b, s, 12));
    CHECK_EQ(b.req_cons, 0);

    /* Unusable entry sizes are refused and change nothing. */
    memset(&f, 0xa5, sizeof(f));
    memset(&b, 0xa5, sizeof(b));
    f0 = f;
    b0 = b;
    memset(s, 0x77, sizeof(*s));
    CHECK(!ring_front_init(&f, s, 0));
    CHECK(!ring_front_init(&f, s, RING_ENTS_BYTES + 1));
    CHECK(!ring_back_attach(&b, s, 0));
    CHECK(!ring_back_attach(&b, s, RING_ENTS_BYTES + 1));
    CHECK(memcmp(&f, &f0, sizeof(f)) == 0);
    CHECK(memcmp(&b, &b0, sizeof(b)) == 0);
    CHECK_EQ(s->req_prod, 0x77777777u);
    free(s);
}

/* ---- normal operation ---------------------------------------------------- */

/*
 * A full request/response pipeline against a reference model, with the
 * indices starting at `start` so they wrap past 2^32 on the way.
 * The backend answers request seq with response seq (salt 2).
 */
static void run_pipeline(uint32_t es, RING_IDX start, uint32_t steps, uint32_t seed)
{
    struct fix x;
    char ent[MAX_ENT];
    uint32_t next_req = 0, next_taken = 0, next_rsp = 0, next_got = 0, pushed = 0;
    uint32_t bad = 0;
    bool notify;

    fix_open(&x, es, start);
    for (uint32_t i = 0; i < steps; i++) {
        seed = seed * 1103515245u + 12345u;
        switch ((seed >> 16) % 6) {
        case 0:   /* frontend produces */
            ent_fill(ent, es, next_req, 1);
            if (next_req - next_got < x.n) {
                bad += ring_front_put_request(&x.f, ent) != RING_OK;
                next_req++;
            } else {
                bad += ring_front_put_request(&x.f, ent) != RING_FULL;   /* RING-4 */
            }
            break;
        case 1:
            ring_front_push_requests(&x.f, &notify);
            pushed = next_req;
            break;
        case 2: { /* backend consumes */
            enum ring_status st = ring_back_take_request(&x.b, ent);
            if (next_taken < pushed) {
                bad += st != RING_OK || !ent_is(ent, es, next_taken, 1);
                next_taken++;
            } else {
                bad += st != RING_EMPTY;
            }
            break;
        }
        case 3:   /* backend answers */
            ent_fill(ent, es, next_rsp, 2);
            if (next_rsp < next_taken) {
                bad += ring_back_put_response(&x.b, ent) != RING_OK;
                next_rsp++;
            } else {
                bad += ring_back_put_response(&x.b, ent) != RING_FULL;   /* RING-4 */
            }
            break;
        case 4:
            ring_back_push_responses(&x.b, &notify);
            break;
        default: { /* frontend takes responses */
            enum ring_status st = ring_front_take_response(&x.f, ent);
            if (next_got != x.b.rsp_prod_pub - start) {
                bad += st != RING_OK || !ent_is(ent, es, next_got, 2);
                next_got++;
            } else {
                bad += st != RING_EMPTY;
            }
            break;
        }
        }
    }
    {
        char name[80];

        snprintf(name, sizeof(name), "RING-4 pipeline es=%u start=%u", es, start);
        CHECK_EQ_CASE(name, bad, 0);
        CHECK_CASE_GE(name, next_got, steps / 60);   /* traffic really flowed */
        CHECK_EQ_CASE(name, x.f.rsp_cons, (RING_IDX)(start + next_got));
    }
    fix_close(&x);
}

static void test_pipeline(void)
{
    run_pipeline(108, 0, 20000, 1);
    run_pipeline(108, UINT32_MAX - 40, 20000, 2);   /* wraps past 2^32 */
    run_pipeline(12, UINT32_MAX - 3, 60000, 3);
    run_pipeline(8, 0x7ffffff0u, 60000, 4);
    run_pipeline(100, UINT32_MAX, 20000, 5);        /* 40 fit, 32 used */
    run_pipeline(4032, UINT32_MAX - 1, 6000, 6);    /* a single slot */
    run_pipeline(1, UINT32_MAX - 1000, 200000, 7);
}

/* Fill to the limit, drain, across the wrap; slot contents checked. */
static void test_fill_drain(void)
{
    struct fix x;
    char ent[MAX_ENT];
    bool notify = false;
    uint32_t bad = 0;

    fix_open(&x, 108, UINT32_MAX - 20);
    for (int round = 0; round < 5; round++) {
        for (uint32_t i = 0; i < x.n; i++) {
            ent_fill(ent, x.es, i, (uint8_t)round);
            bad += ring_front_put_request(&x.f, ent) != RING_OK;
        }
        CHECK_EQ(ring_front_free(&x.f), 0);
        /* RING-4: a 33rd request would overwrite the oldest, unanswered one. */
        ent_fill(ent, x.es, 999, 9);
        CHECK_EQ(ring_front_put_request(&x.f, ent), RING_FULL);
        CHECK(ent_is(slot_of(&x, x.f.rsp_cons), x.es, 0, (uint8_t)round));
        ring_front_push_requests(&x.f, &notify);
        for (uint32_t i = 0; i < x.n; i++) {
            bad += ring_back_take_request(&x.b, ent) != RING_OK;
            bad += !ent_is(ent, x.es, i, (uint8_t)round);
        }
        CHECK_EQ(ring_back_take_request(&x.b, ent), RING_EMPTY);
        for (uint32_t i = 0; i < x.n; i++) {
            ent_fill(ent, x.es, i, 0x40);
            bad += ring_back_put_response(&x.b, ent) != RING_OK;
        }
        CHECK_EQ(ring_back_put_response(&x.b, ent), RING_FULL);   /* RING-4 */
        ring_back_push_responses(&x.b, &notify);
        for (uint32_t i = 0; i < x.n; i++) {
            bad += ring_front_take_response(&x.f, ent) != RING_OK;
            bad += !ent_is(ent, x.es, i, 0x40);
        }
        CHECK_EQ(ring_front_take_response(&x.f, ent), RING_EMPTY);
        CHECK_EQ(ring_front_free(&x.f), x.n);
    }
    CHECK_EQ(bad, 0);
    CHECK(x.f.req_prod_pvt < 200);   /* really wrapped */
    fix_close(&x);
}

/* ---- notification (RING-5) ----------------------------------------------- */

struct notify_case {
    const char *name;
    RING_IDX old_idx, new_idx, event;
    bool want;
};

static const struct notify_case notify_cases[] = {
    { "RING-5 event just past old", 10, 15, 11, true },
    { "RING-5 event at new", 10, 15, 15, true },
    { "RING-5 event at old (already seen)", 10, 15, 10, false },
    { "RING-5 event behind old", 10, 15, 3, false },
    { "RING-5 event beyond new", 10, 15, 16, false },
    { "RING-5 nothing published", 10, 10, 11, false },
    { "RING-5 wrap: old below 2^32, event above", UINT32_MAX - 1, 3, 1, true },
    { "RING-5 wrap: event just below 2^32", UINT32_MAX - 1, 3, UINT32_MAX, true },
    { "RING-5 wrap: event at old", UINT32_MAX - 1, 3, UINT32_MAX - 1, false },
    { "RING-5 wrap: event beyond new", UINT32_MAX - 1, 3, 4, false },
    { "RING-5 hostile event far away", 100, 101, 0x80000000u, false },
};

static void test_notify_rule(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(notify_cases); i++) {
        const struct notify_case *c = &notify_cases[i];
        struct fix x;
        char ent[MAX_ENT] = { 0 };
        bool notify = !c->want;

        /* Frontend side: publish old..new with the backend's event as given. */
        fix_open(&x, 8, c->old_idx);
        for (RING_IDX k = c->old_idx; k != c->new_idx; k++)
            CHECK_EQ_CASE(c->name, ring_front_put_request(&x.f, ent), RING_OK);
        x.s->req_event = c->event;
        ring_front_push_requests(&x.f, &notify);
        CHECK_EQ_CASE(c->name, notify, c->want);
        CHECK_EQ_CASE(c->name, x.s->req_prod, c->new_idx);

        /* Backend side, same rule on rsp_prod/rsp_event. */
        for (RING_IDX k = c->old_idx; k != c->new_idx; k++) {
            CHECK_EQ_CASE(c->name, ring_back_take_request(&x.b, ent), RING_OK);
            CHECK_EQ_CASE(c->name, ring_back_put_response(&x.b, ent), RING_OK);
        }
        x.s->rsp_event = c->event;
        notify = !c->want;
        ring_back_push_responses(&x.b, &notify);
        CHECK_EQ_CASE(c->name, notify, c->want);
        CHECK_EQ_CASE(c->name, x.s->rsp_prod, c->new_idx);
        fix_close(&x);
    }
}

/* Hold-off through the protocol: a consumer is woken only after re-arming. */
static void test_notify_holdoff(void)
{
    struct fix x;
    char ent[MAX_ENT] = { 0 };
    bool notify;

    fix_open(&x, 108, UINT32_MAX - 1);
    ring_front_put_request(&x.f, ent);
    ring_front_push_requests(&x.f, &notify);
    CHECK(notify);                               /* req_event = start + 1 */
    ring_front_push_requests(&x.f, &notify);
    CHECK(!notify);                              /* nothing new */
    ring_front_put_request(&x.f, ent);
    ring_front_push_requests(&x.f, &notify);
    CHECK(!notify);                              /* backend has not re-armed */
    CHECK_EQ(ring_back_final_check(&x.b), RING_OK);   /* work waiting: no re-arm */
    CHECK_EQ(x.s->req_event, UINT32_MAX);        /* still start + 1 */
    CHECK_EQ(ring_back_take_request(&x.b, ent), RING_OK);
    CHECK_EQ(ring_back_take_request(&x.b, ent), RING_OK);
    CHECK_EQ(ring_back_final_check(&x.b), RING_EMPTY);
    CHECK_EQ(x.s->req_event, (RING_IDX)(x.b.req_cons + 1));
    ring_front_put_request(&x.f, ent);
    ring_front_push_requests(&x.f, &notify);
    CHECK(notify);                               /* re-armed: woken */

    /* Responses: the frontend re-arms with final_check. */
    ring_back_put_response(&x.b, ent);
    ring_back_push_responses(&x.b, &notify);
    CHECK(notify);                               /* rsp_event = start + 1 */
    ring_back_put_response(&x.b, ent);
    ring_back_push_responses(&x.b, &notify);
    CHECK(!notify);
    CHECK_EQ(ring_front_take_response(&x.f, ent), RING_OK);
    CHECK_EQ(ring_front_take_response(&x.f, ent), RING_OK);
    CHECK_EQ(ring_front_final_check(&x.f), RING_EMPTY);
    CHECK_EQ(x.s->rsp_event, (RING_IDX)(x.f.rsp_cons + 1));
    /* A response published between the check and the re-arm is not missed. */
    ring_back_take_request(&x.b, ent);
    ring_back_put_response(&x.b, ent);
    ring_back_push_responses(&x.b, &notify);
    CHECK(notify);
    CHECK_EQ(ring_front_final_check(&x.f), RING_OK);
    fix_close(&x);
}

/* ---- hostile frontend (RING-1, RING-3, RING-6) ---------------------------- */

/*
 * Refusals (BAD_PEER, EMPTY) that changed private state or the caller's
 * buffer (RING-6); checked to be 0 at the end of the run.
 */
static unsigned ring6_violations;

/* take_request with req_prod forced to `prod`. */
static enum ring_status take_forced(struct fix *x, RING_IDX prod, char *out)
{
    struct ring_back before = x->b;
    char out_before[MAX_ENT];
    enum ring_status st;

    memcpy(out_before, out, x->es);
    x->s->req_prod = prod;
    st = ring_back_take_request(&x->b, out);
    if (st != RING_OK)
        ring6_violations += memcmp(&before, &x->b, sizeof(before)) != 0 ||
                            memcmp(out, out_before, x->es) != 0;
    return st;
}

static void test_hostile_frontend(void)
{
    struct fix x;
    char ent[MAX_ENT];
    RING_IDX base;

    fix_open(&x, 108, UINT32_MAX - 5);
    base = x.b.req_cons;
    memset(ent, 0x33, sizeof(ent));

    /* Racing ahead: one past the ring, half the index space, all of it. */
    CHECK_EQ(take_forced(&x, base + x.n + 1, ent), RING_BAD_PEER);
    CHECK_EQ(take_forced(&x, base + 0x80000000u, ent), RING_BAD_PEER);
    CHECK_EQ(take_forced(&x, base + 0xfffffff0u, ent), RING_BAD_PEER);
    /* Exactly a full ring is legal. */
    CHECK_EQ(take_forced(&x, base + x.n, ent), RING_OK);
    for (uint32_t i = 1; i < x.n; i++)
        CHECK_EQ(take_forced(&x, base + x.n, ent), RING_OK);
    CHECK_EQ(take_forced(&x, base + x.n, ent), RING_EMPTY);
    /* RING_REQUEST_PROD_OVERFLOW: nr_ents taken, none answered, one more. */
    CHECK_EQ(take_forced(&x, base + x.n + 1, ent), RING_BAD_PEER);
    CHECK_EQ(ring_back_final_check(&x.b), RING_BAD_PEER);
    /* One answer frees one slot. */
    CHECK_EQ(ring_back_put_response(&x.b, ent), RING_OK);
    CHECK_EQ(take_forced(&x, base + x.n + 1, ent), RING_OK);
    CHECK_EQ(take_forced(&x, base + x.n + 2, ent), RING_BAD_PEER);

    /* Moving backwards, by one and by a lot. */
    CHECK_EQ(take_forced(&x, x.b.req_cons - 1, ent), RING_BAD_PEER);
    CHECK_EQ(take_forced(&x, x.b.req_cons - x.n, ent), RING_BAD_PEER);
    CHECK_EQ(take_forced(&x, x.b.req_cons - 0x80000000u, ent), RING_BAD_PEER);
    CHECK_EQ(take_forced(&x, x.b.req_cons, ent), RING_EMPTY);
    fix_close(&x);
}

/*
 * Every req_prod against a reference of the rule, from every reachable
 * backend state near the wrap: the answer matches, nothing out of range
 * is touched (ASan), and refusals change nothing.
 */
static void test_hostile_sweep(void)
{
    static const RING_IDX starts[] = { 0, UINT32_MAX - 7, 0x80000000u - 3 };
    uint32_t mismatches = 0;

    for (size_t si = 0; si < ARRAY_SIZE(starts); si++) {
        struct fix x;
        char ent[MAX_ENT] = { 0 };

        fix_open(&x, 12, starts[si]);
        /* Backend state: `taken` requests consumed, `answered` of them answered. */
        for (uint32_t taken = 0; taken <= x.n; taken += 17) {
            for (uint32_t answered = 0; answered <= taken; answered += 29) {
                uint32_t seed = taken * 7919u + answered;

                x.b.rsp_prod_pvt = x.b.rsp_prod_pub = starts[si] + answered;
                x.b.req_cons = starts[si] + taken;
                for (uint32_t d = 0; d < 600; d++) {
                    RING_IDX prod;
                    uint32_t room = x.n - (taken - answered);
                    enum ring_status want, got;
                    struct ring_back keep = x.b;

                    seed = seed * 1664525u + 1013904223u;
                    prod = d < 300 ? x.b.req_cons + d - 150 : seed;
                    want = (RING_IDX)(prod - x.b.req_cons) > room ? RING_BAD_PEER
                           : prod == x.b.req_cons                 ? RING_EMPTY
                                                                  : RING_OK;
                    got = take_forced(&x, prod, ent);
                    mismatches += got != want;
                    x.b = keep;
                }
            }
        }
        fix_close(&x);
    }
    CHECK_EQ(mismatches, 0);
}

/* RING-2: the consumer returns its copy; later changes to the slot do not reach it. */
static void test_copy_once(void)
{
    struct fix x;
    char a[MAX_ENT], b[MAX_ENT], ent[MAX_ENT];
    bool notify;

    fix_open(&x, 108, 0);
    ent_fill(ent, x.es, 1, 1);
    ring_front_put_request(&x.f, ent);
    ent_fill(ent, x.es, 2, 1);
    ring_front_put_request(&x.f, ent);
    ring_front_push_requests(&x.f, &notify);

    CHECK_EQ(ring_back_take_request(&x.b, a), RING_OK);
    memset(slot_of(&x, 0), 0xee, x.es);            /* the frontend rewrites slot 0 */
    CHECK(ent_is(a, x.es, 1, 1));                  /* the copy is intact */
    /* A slot rewritten between publication and the take: the take sees
     * whatever was there at the copy, once, and nothing later. */
    memset(slot_of(&x, 1), 0x11, x.es);
    CHECK_EQ(ring_back_take_request(&x.b, b), RING_OK);
    memset(slot_of(&x, 1), 0x22, x.es);
    for (uint32_t k = 0; k < x.es; k++)
        CHECK_EQ((uint8_t)b[k], 0x11);
    CHECK(ent_is(a, x.es, 1, 1));

    /* Same on the response side. */
    ent_fill(ent, x.es, 7, 3);
    ring_back_put_response(&x.b, ent);
    ring_back_push_responses(&x.b, &notify);
    CHECK_EQ(ring_front_take_response(&x.f, a), RING_OK);
    memset(slot_of(&x, 0), 0x99, x.es);
    CHECK(ent_is(a, x.es, 7, 3));
    fix_close(&x);
}

/* A hostile frontend scribbling on backend-owned fields changes no decision. */
static void test_scribbled_own_fields(void)
{
    struct fix x;
    char ent[MAX_ENT] = { 0 };
    bool notify;

    fix_open(&x, 108, 100);
    ring_front_put_request(&x.f, ent);
    ring_front_push_requests(&x.f, &notify);
    ring_back_take_request(&x.b, ent);
    ring_back_put_response(&x.b, ent);
    x.s->rsp_prod = 0xdeadbeef;                    /* backend's field, forged */
    x.s->rsp_event = 50;
    ring_back_push_responses(&x.b, &notify);
    CHECK_EQ(x.s->rsp_prod, 101);                  /* republished from private state */
    CHECK(!notify);                                /* 50 is not in (100, 101] */
    ring_back_take_request(&x.b, ent);             /* nothing: EMPTY */
    ring_front_put_request(&x.f, ent);
    ring_front_push_requests(&x.f, &notify);
    ring_back_take_request(&x.b, ent);
    ring_back_put_response(&x.b, ent);
    x.s->rsp_prod = 102;                           /* forged to hide the new response */
    x.s->rsp_event = 102;
    ring_back_push_responses(&x.b, &notify);
    CHECK(notify);                                 /* 102 is in (101, 102] */
    x.s->req_prod = 0xdeadbeef;                    /* frontend's field, forged by the backend */
    x.s->req_event = 50;
    ring_front_put_request(&x.f, ent);
    ring_front_push_requests(&x.f, &notify);
    CHECK_EQ(x.s->req_prod, 103);
    CHECK(!notify);                                /* 50 is not in (102, 103] */
    x.s->req_prod = 104;
    x.s->req_event = 104;
    ring_front_put_request(&x.f, ent);
    ring_front_push_requests(&x.f, &notify);
    CHECK(notify);                                 /* 104 is in (103, 104] */
    fix_close(&x);
}

/* ---- hostile backend (RING-1, RING-3, RING-6) ----------------------------- */

static enum ring_status take_rsp_forced(struct fix *x, RING_IDX prod, char *out)
{
    struct ring_front before = x->f;
    char out_before[MAX_ENT];
    enum ring_status st;

    memcpy(out_before, out, x->es);
    x->s->rsp_prod = prod;
    st = ring_front_take_response(&x->f, out);
    if (st != RING_OK)
        ring6_violations += memcmp(&before, &x->f, sizeof(before)) != 0 ||
                            memcmp(out, out_before, x->es) != 0;
    return st;
}

static void test_hostile_backend(void)
{
    struct fix x;
    char ent[MAX_ENT];
    bool notify;
    RING_IDX base;

    fix_open(&x, 108, UINT32_MAX - 2);
    base = x.f.rsp_cons;
    memset(ent, 0x44, sizeof(ent));
    for (int i = 0; i < 3; i++)
        ring_front_put_request(&x.f, ent);
    ring_front_push_requests(&x.f, &notify);
    ring_front_put_request(&x.f, ent);             /* a 4th, not published */

    /* RING-1: responses only to published requests. */
    CHECK_EQ(take_rsp_forced(&x, base + 4, ent), RING_BAD_PEER);   /* unpublished */
    CHECK_EQ(take_rsp_forced(&x, base + x.n + 1, ent), RING_BAD_PEER);   /* overflow */
    CHECK_EQ(take_rsp_forced(&x, base + 0x80000000u, ent), RING_BAD_PEER);
    CHECK_EQ(take_rsp_forced(&x, base - 1, ent), RING_BAD_PEER);   /* backwards */
    CHECK_EQ(ring_front_final_check(&x.f), RING_BAD_PEER);
    CHECK_EQ(take_rsp_forced(&x, base, ent), RING_EMPTY);
    CHECK_EQ(take_rsp_forced(&x, base + 3, ent), RING_OK);
    CHECK_EQ(take_rsp_forced(&x, base + 3, ent), RING_OK);
    CHECK_EQ(take_rsp_forced(&x, base + 3, ent), RING_OK);
    CHECK_EQ(take_rsp_forced(&x, base + 3, ent), RING_EMPTY);
    CHECK_EQ(take_rsp_forced(&x, base + 2, ent), RING_BAD_PEER);   /* backwards */
    /* Even with all answered, the front's room is intact: 1 outstanding. */
    CHECK_EQ(ring_front_free(&x.f), x.n - 1);
    ring_front_push_requests(&x.f, &notify);
    CHECK_EQ(take_rsp_forced(&x, base + 4, ent), RING_OK);
    CHECK_EQ(ring_front_free(&x.f), x.n);

    /* Sweep: any rsp_prod, matched against the rule. */
    {
        uint32_t mismatches = 0, seed = 5;

        for (uint32_t d = 0; d < 5000; d++) {
            RING_IDX prod;
            struct ring_front keep;
            enum ring_status want, got;
            uint32_t published;

            seed = seed * 1664525u + 1013904223u;
            published = seed % (x.n + 1);
            x.f.req_prod_pvt = x.f.req_prod_pub = x.f.rsp_cons + published;
            keep = x.f;
            prod = d < 2000 ? x.f.rsp_cons + (d % 80) - 40 : seed;
            want = (RING_IDX)(prod - x.f.rsp_cons) > published ? RING_BAD_PEER
                   : prod == x.f.rsp_cons                      ? RING_EMPTY
                                                               : RING_OK;
            got = take_rsp_forced(&x, prod, ent);
            mismatches += got != want;
            x.f = keep;
        }
        CHECK_EQ(mismatches, 0);
    }
    fix_close(&x);
}

int main(void)
{
    test_size_for();
    test_init();
    test_pipeline();
    test_fill_drain();
    test_notify_rule();
    test_notify_holdoff();
    test_hostile_frontend();
    test_hostile_sweep();
    test_copy_once();
    test_scribbled_own_fields();
    test_hostile_backend();
    CHECK_EQ(ring6_violations, 0);   /* RING-6 over every refusal above */
    return check_report();
}
