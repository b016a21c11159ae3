/*
 * Weighted fair-share scheduling policy (see sched_policy.h for the
 * theory of operation). Pure functions over a plain array; the glue owns
 * the array, the clock and the context switch.
 */
#include "sched_policy.h"
#include "pv/errno.h"

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t sat_sub(uint64_t a, uint64_t b)
{
    return a > b ? a - b : 0;
}

/* The glue never has more entities; a larger n is not trusted further. */
static uint32_t entities(uint32_t n)
{
    if (n > SCHED_MAX_ENTITIES)
        return SCHED_MAX_ENTITIES;
    return n;
}

static bool weight_ok(uint32_t weight)
{
    return weight >= SCHED_WEIGHT_MIN && weight <= SCHED_WEIGHT_MAX;
}

void sched_entity_init(struct sched_entity *d, uint32_t weight, uint64_t floor)
{
    d->vtime = floor;
    d->weight = weight_ok(weight) ? weight : SCHED_WEIGHT_DEFAULT;
    d->runnable = false;
}

int sched_entity_set_weight(struct sched_entity *d, uint32_t weight)
{
    if (!weight_ok(weight))
        return -EINVAL;
    d->weight = weight;
    return 0;
}

/* SCHED-1, SCHED-2: the runnable entity with the smallest virtual time. */
int sched_pick(const struct sched_entity *e, uint32_t n)
{
    uint32_t i, lim = entities(n);
    int best = -1;

    for (i = 0; i < lim; i++) {
        if (!e[i].runnable)
            continue;
        /* strictly smaller: the lower index wins a tie */
        if (best < 0 || e[i].vtime < e[best].vtime)
            best = (int)i;
    }
    return best;
}

/*
 * ran_ns * REF / weight without overflowing the product: split ran_ns
 * into quotient and remainder by weight first. The quotient term
 * saturates; the remainder term is below REF. SCHED-2.
 */
uint64_t sched_vtime_delta(uint64_t ran_ns, uint32_t weight)
{
    uint64_t w = weight ? weight : 1;
    uint64_t q = ran_ns / w, r = ran_ns % w;

    if (q > UINT64_MAX / SCHED_REF_WEIGHT)
        return UINT64_MAX;
    return sat_add(q * SCHED_REF_WEIGHT, r * SCHED_REF_WEIGHT / w);
}

void sched_charge(struct sched_entity *d, uint64_t ran_ns)
{
    d->vtime = sat_add(d->vtime, sched_vtime_delta(ran_ns, d->weight));
}

uint64_t sched_floor(const struct sched_entity *e, uint32_t n, uint64_t floor)
{
    int i = sched_pick(e, n);

    /* the picked entity is the one with the smallest runnable vtime */
    return i >= 0 && e[i].vtime > floor ? e[i].vtime : floor;
}

uint64_t sched_rebase(struct sched_entity *e, uint32_t n, uint64_t floor)
{
    uint32_t i, lim = entities(n);

    if (floor < SCHED_REBASE_AT)
        return floor;
    for (i = 0; i < lim; i++)
        e[i].vtime = sat_sub(e[i].vtime, floor);
    return 0;
}

void sched_account(struct sched_entity *e, uint32_t n, uint32_t cur, uint64_t ran_ns,
                   uint64_t *floor)
{
    if (cur < entities(n))
        sched_charge(&e[cur], ran_ns);
    *floor = sched_floor(e, n, *floor);
    *floor = sched_rebase(e, n, *floor);
}

/* SCHED-3: a waking entity banks at most one slice of credit. */
void sched_entity_wake(struct sched_entity *d, uint64_t floor, uint64_t slice_ns)
{
    uint64_t lowest = sat_sub(floor, sched_vtime_delta(slice_ns, d->weight));

    if (d->vtime < lowest)
        d->vtime = lowest;
    d->runnable = true;
}

void sched_entity_block(struct sched_entity *d)
{
    d->runnable = false;
}

/* SCHED-4: does a woken entity take the CPU before the running one's slice ends? */
bool sched_preempts(const struct sched_entity *woken, const struct sched_entity *running,
                    uint64_t gran_ns)
{
    uint64_t gran = sched_vtime_delta(gran_ns, running->weight);

    return woken->runnable && sat_add(woken->vtime, gran) < running->vtime;
}
