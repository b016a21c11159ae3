/*
 * The fair-share scheduler policy, driven by a simulated CPU: each step
 * picks a domain, runs it for one 10 ms slice and accounts for it, as the
 * glue does on every timer tick.
 *
 * Checked: CPU-bound shares follow the weights (1:2:4 within 1% of 1/7,
 * 2/7, 4/7 over 100,000 slices; 256 domains; extreme weights); a blocked
 * domain gets nothing; sleeping banks no credit (a domain that blocks half
 * the time gets no more than its share while awake); running alone
 * creates no debt; the rebase keeps order; arithmetic saturates and is
 * exact against a 128-bit reference.
 */
#include "check.h"
#include "sched_policy.h"
#include "pv/errno.h"

#define SLICE_NS 10000000ull

struct sim {
    struct sched_entity e[SCHED_MAX_ENTITIES];
    uint32_t n;
    uint64_t floor;
    uint64_t got[SCHED_MAX_ENTITIES];
    uint64_t idle;
};

static void sim_init(struct sim *s, uint32_t n, const uint32_t *weights)
{
    uint32_t i;

    memset(s, 0, sizeof(*s));
    s->n = n;
    for (i = 0; i < n; i++) {
        sched_entity_init(&s->e[i], weights ? weights[i] : SCHED_WEIGHT_DEFAULT, s->floor);
        sched_entity_wake(&s->e[i], s->floor, SLICE_NS);
    }
}

/* One slice: returns who ran, or -1 for an idle slice. */
static int sim_step(struct sim *s)
{
    int i = sched_pick(s->e, s->n);

    if (i < 0) {
        s->idle++;
        sched_account(s->e, s->n, s->n, 0, &s->floor);
        return -1;
    }
    s->got[i]++;
    sched_account(s->e, s->n, (uint32_t)i, SLICE_NS, &s->floor);
    return i;
}

static void sim_run(struct sim *s, uint32_t slices)
{
    uint32_t k;

    for (k = 0; k < slices; k++)
        sim_step(s);
}

/* |got/total - w/wsum| <= rel * w/wsum, in integers. */
static int share_ok(uint64_t got, uint64_t total, uint64_t w, uint64_t wsum, uint32_t rel_pct)
{
    uint64_t lhs = got * wsum * 100, ideal = total * w * 100;
    uint64_t diff = lhs > ideal ? lhs - ideal : ideal - lhs;

    return diff <= (uint64_t)rel_pct * total * w;
}

/* SCHED-2: CPU shares follow the weights. */
static void test_weights_1_2_4(const char *name, uint32_t unit)
{
    uint32_t w[4] = { unit, 2 * unit, 4 * unit, 4 * unit };
    struct sim s;
    uint32_t i;

    sim_init(&s, 4, w);
    sched_entity_block(&s.e[3]);   /* a fourth domain that never wakes */
    sim_run(&s, 100000);
    for (i = 0; i < 3; i++)
        CHECK_EQ_CASE(name, share_ok(s.got[i], 100000, w[i], 7 * unit, 1), 1);
    CHECK_EQ_CASE(name, s.got[3], 0);
    CHECK_EQ_CASE(name, s.idle, 0);
    /* shares are near-exact, not merely within 1% */
    CHECK_CASE_GE(name, s.got[0], 14284);
    CHECK_CASE_GE(name, 14288, s.got[0]);
    CHECK_CASE_GE(name, s.got[2], 57140);
}

/*
 * D0 is CPU-bound; D1 is awake for 100 slices, then blocked for 100
 * (equal weights). While awake D1 must get about half, never more than
 * half plus the one-slice lag, and must not be starved either.
 */
static void test_half_blocked(void)
{
    struct sim s;
    uint32_t round, k, worst_hi = 0, worst_lo = 100;

    sim_init(&s, 2, NULL);
    for (round = 0; round < 200; round++) {
        uint64_t before = s.got[1];

        sched_entity_wake(&s.e[1], s.floor, SLICE_NS);
        sim_run(&s, 100);
        if (s.got[1] - before > worst_hi)
            worst_hi = (uint32_t)(s.got[1] - before);
        if (s.got[1] - before < worst_lo)
            worst_lo = (uint32_t)(s.got[1] - before);
        /* it blocks at the end of its window (accounted while runnable) */
        sched_entity_block(&s.e[1]);
        for (k = 0; k < 100; k++)
            CHECK_EQ_CASE("blocked domain never runs", sim_step(&s), 0);
    }
    CHECK_CASE_GE("half-blocked: no banked credit", 51, worst_hi);
    CHECK_CASE_GE("half-blocked: not starved", worst_lo, 49);
    CHECK_CASE_GE("half-blocked: total at most its share", 200u * 51, s.got[1]);
}

/* A long sleep (1000 slices) buys exactly one slice of lead, no more. */
/* SCHED-3: sleeping banks no credit. */
static void test_long_sleep(void)
{
    struct sim s;
    uint64_t before;

    sim_init(&s, 2, NULL);
    sched_entity_block(&s.e[1]);
    sim_run(&s, 1000);
    CHECK_EQ(s.got[0], 1000);
    sched_entity_wake(&s.e[1], s.floor, SLICE_NS);
    before = s.got[1];
    sim_run(&s, 100);
    CHECK_CASE_GE("long sleep: at most share + 1 slice", 51, s.got[1] - before);
    CHECK_CASE_GE("long sleep: gets its share", s.got[1] - before, 49);
}

/*
 * A runs alone while B sleeps, then A sleeps while B runs a little, then
 * both are CPU-bound: A's earlier use of an idle CPU must not starve it.
 */
static void test_no_idle_debt(void)
{
    struct sim s;
    uint64_t a0;

    sim_init(&s, 2, NULL);
    sched_entity_block(&s.e[1]);
    sim_run(&s, 1000);                  /* A alone */
    sched_entity_block(&s.e[0]);               /* accounted while runnable, then blocks */
    sched_entity_wake(&s.e[1], s.floor, SLICE_NS);
    sim_run(&s, 10);                    /* B alone */
    sched_entity_wake(&s.e[0], s.floor, SLICE_NS);
    a0 = s.got[0];
    sim_run(&s, 100);
    CHECK_CASE_GE("no idle debt: A runs", s.got[0] - a0, 45);
    CHECK_CASE_GE("no idle debt: A not favoured", 55, s.got[0] - a0);
}

/*
 * A domain that wakes and blocks again before it is ever picked, over and
 * over, with accounting points in between: each wake may place it one
 * slice behind the floor, but the floor must not sink with it, or the
 * churn would bank credit a slice at a time.
 */
static void test_wake_churn(void)
{
    struct sim s;
    uint32_t k;
    uint64_t a0;

    sim_init(&s, 2, NULL);
    sched_entity_block(&s.e[1]);
    sim_run(&s, 100);
    for (k = 0; k < 1000; k++) {
        sched_entity_wake(&s.e[1], s.floor, SLICE_NS);
        sched_account(s.e, s.n, s.n, 0, &s.floor);   /* an interrupt, nobody charged */
        sched_entity_block(&s.e[1]);
    }
    sched_entity_wake(&s.e[1], s.floor, SLICE_NS);
    CHECK_CASE_GE("churn: at most one slice behind", s.e[1].vtime, s.e[0].vtime - SLICE_NS);
    a0 = s.got[0];
    sim_run(&s, 100);
    CHECK_CASE_GE("churn: A keeps its share", s.got[0] - a0, 49);
}

/*
 * Ten sleepers far behind wake one after another, with an accounting
 * point between wakes: each may land one slice behind the running domain,
 * never further. If the floor followed the smallest runnable vtime down,
 * each wake would start one slice lower than the last.
 */
static void test_wake_cascade(void)
{
    struct sim s;
    uint32_t k, bad = 0;

    sim_init(&s, 11, NULL);
    for (k = 1; k < 11; k++)
        sched_entity_block(&s.e[k]);
    sim_run(&s, 1000);
    for (k = 1; k < 11; k++) {
        sched_entity_wake(&s.e[k], s.floor, SLICE_NS);
        sched_account(s.e, s.n, s.n, 0, &s.floor);
        bad += s.e[k].vtime < s.e[0].vtime - SLICE_NS;
    }
    CHECK_EQ_CASE("cascade: every sleeper at most one slice behind", bad, 0);
}

/* SCHED-1: a blocked domain is never picked. */
static void test_all_blocked(void)
{
    struct sim s;

    sim_init(&s, 3, NULL);
    sched_entity_block(&s.e[0]);
    sched_entity_block(&s.e[1]);
    sched_entity_block(&s.e[2]);
    sim_run(&s, 50);
    CHECK_EQ(s.idle, 50);
    CHECK_EQ(s.got[0] + s.got[1] + s.got[2], 0);
    CHECK_EQ(sched_pick(s.e, 0), -1);
}

static void test_many(void)
{
    static struct sim s;
    uint32_t w[SCHED_MAX_ENTITIES], i, bad = 0;
    uint64_t wsum = 0, total = 1000000;

    sim_init(&s, SCHED_MAX_ENTITIES, NULL);
    sim_run(&s, SCHED_MAX_ENTITIES * 100);
    for (i = 0; i < SCHED_MAX_ENTITIES; i++)
        bad += s.got[i] != 100;
    CHECK_EQ_CASE("256 equal domains, 100 slices each", bad, 0);

    for (i = 0; i < SCHED_MAX_ENTITIES; i++) {
        w[i] = 64 * (i + 1);
        wsum += w[i];
    }
    sim_init(&s, SCHED_MAX_ENTITIES, w);
    sim_run(&s, (uint32_t)total);
    bad = 0;
    for (i = 0; i < SCHED_MAX_ENTITIES; i++) {
        /* within 1% or one slice of the weighted share */
        uint64_t ideal = total * w[i] / wsum;
        uint64_t diff = s.got[i] > ideal ? s.got[i] - ideal : ideal - s.got[i];
        bad += diff > ideal / 100 + 1;
    }
    CHECK_EQ_CASE("256 weighted domains", bad, 0);
}

static void test_extreme_weights(void)
{
    uint32_t w[2] = { SCHED_WEIGHT_MIN, SCHED_WEIGHT_MAX };
    struct sim s;

    sim_init(&s, 2, w);
    sim_run(&s, 655360);
    /* 1/65536 of the CPU: 10 slices, give or take one */
    CHECK_CASE_GE("weight 1 still runs", s.got[0], 9);
    CHECK_CASE_GE("weight 1 gets its share only", 11, s.got[0]);
}

static void test_pick(void)
{
    struct sched_entity e[SCHED_MAX_ENTITIES + 4];
    uint32_t i;

    for (i = 0; i < ARRAY_SIZE(e); i++)
        sched_entity_init(&e[i], SCHED_WEIGHT_DEFAULT, 1000);
    CHECK_EQ(sched_pick(e, ARRAY_SIZE(e)), -1);
    for (i = 0; i < ARRAY_SIZE(e); i++)
        e[i].runnable = true;
    CHECK_EQ_CASE("tie goes to the lowest index", sched_pick(e, ARRAY_SIZE(e)), 0);
    e[0].vtime = 1001;
    CHECK_EQ(sched_pick(e, ARRAY_SIZE(e)), 1);
    e[7].vtime = 5;
    e[9].vtime = 5;
    CHECK_EQ(sched_pick(e, ARRAY_SIZE(e)), 7);
    e[7].runnable = false;
    CHECK_EQ(sched_pick(e, ARRAY_SIZE(e)), 9);
    e[SCHED_MAX_ENTITIES + 1].vtime = 0;
    CHECK_EQ_CASE("entries past 256 ignored", sched_pick(e, ARRAY_SIZE(e)), 9);
    CHECK_EQ(sched_pick(e, 3), 1);
}

static void test_weights_and_init(void)
{
    struct sched_entity d;

    sched_entity_init(&d, 0, 77);
    CHECK_EQ(d.weight, SCHED_WEIGHT_DEFAULT);
    CHECK_EQ(d.vtime, 77);
    CHECK_EQ(d.runnable, 0);
    sched_entity_init(&d, 70000, 0);
    CHECK_EQ(d.weight, SCHED_WEIGHT_DEFAULT);
    CHECK_EQ(sched_entity_set_weight(&d, 0), -EINVAL);
    CHECK_EQ(sched_entity_set_weight(&d, 65536), -EINVAL);
    CHECK_EQ(d.weight, SCHED_WEIGHT_DEFAULT);
    CHECK_EQ(sched_entity_set_weight(&d, 1), 0);
    CHECK_EQ(d.weight, 1);
    CHECK_EQ(sched_entity_set_weight(&d, 65535), 0);
    CHECK_EQ(d.weight, 65535);
}

static void test_wake(void)
{
    struct sched_entity d;

    sched_entity_init(&d, SCHED_WEIGHT_DEFAULT, 0);
    sched_entity_wake(&d, 100 * SLICE_NS, SLICE_NS);
    CHECK_EQ_CASE("raised to floor - slice", d.vtime, 99 * SLICE_NS);
    CHECK_EQ(d.runnable, 1);
    d.vtime = 200 * SLICE_NS;
    sched_entity_wake(&d, 100 * SLICE_NS, SLICE_NS);
    CHECK_EQ_CASE("never lowered", d.vtime, 200 * SLICE_NS);
    d.vtime = 0;
    sched_entity_wake(&d, 5, SLICE_NS);
    CHECK_EQ_CASE("floor below a slice", d.vtime, 0);
    /* a heavier domain's slice is worth less virtual time */
    sched_entity_init(&d, 4 * SCHED_WEIGHT_DEFAULT, 0);
    sched_entity_wake(&d, 100 * SLICE_NS, SLICE_NS);
    CHECK_EQ(d.vtime, 100 * SLICE_NS - SLICE_NS / 4);
}

/* SCHED-4: preemption of the running domain. */
static void test_preempts(void)
{
    struct sched_entity a, b;

    sched_entity_init(&a, SCHED_WEIGHT_DEFAULT, 0);
    sched_entity_init(&b, SCHED_WEIGHT_DEFAULT, 10 * SLICE_NS);
    CHECK_EQ_CASE("not runnable", sched_preempts(&a, &b, SLICE_NS), 0);
    a.runnable = true;
    b.runnable = true;
    CHECK_EQ(sched_preempts(&a, &b, SLICE_NS), 1);
    CHECK_EQ(sched_preempts(&a, &b, 10 * SLICE_NS), 0);
    CHECK_EQ(sched_preempts(&b, &a, 0), 0);
    CHECK_EQ(sched_preempts(&a, &b, UINT64_MAX), 0);
}

static void test_arithmetic(void)
{
    static const uint32_t weights[] = { 0, 1, 2, 3, 255, 256, 257, 1000, 65534, 65535, 0xFFFFFFFFu };
    struct sched_entity d;
    uint64_t seed = 99;
    uint32_t i, bad = 0;

    for (i = 0; i < 300000; i++) {
        uint32_t w = weights[i % ARRAY_SIZE(weights)];
        uint64_t ns, want;
        unsigned __int128 exact;

        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        ns = seed >> (seed % 64);
        exact = (unsigned __int128)ns * SCHED_REF_WEIGHT / (w ? w : 1);
        want = exact > UINT64_MAX ? UINT64_MAX : (uint64_t)exact;
        bad += sched_vtime_delta(ns, w) != want;
    }
    CHECK_EQ_CASE("vtime_delta is floor(ns * 256 / w), saturated", bad, 0);
    sched_entity_init(&d, 1, UINT64_MAX - 5);
    sched_charge(&d, UINT64_MAX);
    CHECK_EQ_CASE("charge saturates", d.vtime, UINT64_MAX);
    sched_charge(&d, 1);
    CHECK_EQ(d.vtime, UINT64_MAX);
}

/* Near 2^62 the floor is rebased; order and fairness carry on. */
static void test_rebase(void)
{
    uint32_t w[3] = { 256, 512, 1024 };
    struct sim s;
    uint64_t before[3];
    uint32_t i;

    sim_init(&s, 3, w);
    sim_run(&s, 700);
    s.floor += SCHED_REBASE_AT;
    for (i = 0; i < 3; i++) {
        s.e[i].vtime += SCHED_REBASE_AT;
        before[i] = s.got[i];
    }
    sched_entity_block(&s.e[2]);
    s.e[2].vtime -= SCHED_REBASE_AT;   /* a sleeper far behind: clamped to 0 */
    sim_step(&s);
    CHECK_CASE_GE("rebased", SCHED_REBASE_AT - 1, s.floor);
    CHECK_CASE_GE("rebased", SCHED_REBASE_AT - 1, s.e[0].vtime);
    CHECK_EQ_CASE("sleeper clamped", s.e[2].vtime, 0);
    sched_entity_wake(&s.e[2], s.floor, SLICE_NS);
    sim_run(&s, 69999);
    CHECK_EQ(share_ok(s.got[0] - before[0], 70000, 1, 7, 1), 1);
    CHECK_EQ(share_ok(s.got[1] - before[1], 70000, 2, 7, 1), 1);
    CHECK_EQ(share_ok(s.got[2] - before[2], 70000, 4, 7, 1), 1);
    CHECK_EQ(sched_rebase(s.e, 3, SCHED_REBASE_AT - 1), SCHED_REBASE_AT - 1);
}

int main(void)
{
    test_weights_1_2_4("weights 1:2:4", 1);
    test_weights_1_2_4("weights 256:512:1024", 256);
    test_weights_1_2_4("weights 9000:18000:36000", 9000);
    test_half_blocked();
    test_long_sleep();
    test_no_idle_debt();
    test_wake_churn();
    test_wake_cascade();
    test_all_blocked();
    test_many();
    test_extreme_weights();
    test_pick();
    test_weights_and_init();
    test_wake();
    test_preempts();
    test_arithmetic();
    test_rebase();
    return check_report();
}
