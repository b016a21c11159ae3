/*
 * The policy of Bulkhead's weighted fair-share scheduler (one CPU).
 *
 * Theory of operation. Each domain has a weight (1..65535, default 256)
 * and a virtual time: the CPU time it has had, divided by its weight
 * (vtime += ran_ns * SCHED_REF_WEIGHT / weight). Always running the
 * runnable domain with the smallest virtual time (ties: lowest index)
 * keeps the virtual times of CPU-bound domains level, so each gets CPU in
 * proportion to its weight.
 *
 * A blocked domain is never picked, so it uses no CPU. So that blocking
 * does not bank credit (sleep for an hour, then monopolise the CPU for an
 * hour), a domain that wakes has its virtual time raised to at least
 * floor - one slice of its own, where `floor` is a monotonic virtual
 * clock: the largest minimum runnable virtual time seen so far. Using the
 * monotonic floor rather than the current minimum also stops a domain that
 * ran alone while everyone else slept from being starved later for the
 * CPU it used when nobody else wanted it. A new domain starts at floor.
 *
 * Virtual times are 64-bit and only grow; a weight-1 domain's grows 256
 * times faster than real time, so once the floor passes 2^62 (146 years
 * of weight-256 time, seven months of weight 1) sched_account() subtracts
 * the floor from every virtual time. Ordering is unchanged by that, so
 * fairness is too; a blocked domain further behind than the floor is
 * clamped at 0, which loses nothing since waking would raise it anyway.
 * Every addition saturates, so no input can overflow.
 *
 * The glue keeps the array of entities (one per domain, at most
 * SCHED_MAX_ENTITIES), calls sched_account() for the domain that ran
 * (before marking it blocked, if it blocked), sched_pick() to choose the
 * next, and sched_entity_wake()/sched_entity_block() on state changes.
 */
#ifndef CORE_SCHED_POLICY_H
#define CORE_SCHED_POLICY_H

#include "types.h"

#define SCHED_MAX_ENTITIES   256u
#define SCHED_WEIGHT_MIN     1u
#define SCHED_WEIGHT_MAX     65535u
#define SCHED_WEIGHT_DEFAULT 256u
#define SCHED_REF_WEIGHT     256u          /* vtime advances 1 ns per ns at this weight */
#define SCHED_REBASE_AT      (1ull << 62)

struct sched_entity {
    uint64_t vtime;      /* ns of CPU * SCHED_REF_WEIGHT / weight, relative to the floor's origin */
    uint32_t weight;     /* SCHED_WEIGHT_MIN .. SCHED_WEIGHT_MAX */
    bool     runnable;
};

/* A domain that has never run: not runnable, at the floor. */
void sched_entity_init(struct sched_entity *d, uint32_t weight, uint64_t floor);

/* 0, or -EINVAL (weight outside 1..65535, nothing changed). */
int sched_entity_set_weight(struct sched_entity *d, uint32_t weight);

/*
 * The runnable entity with the smallest vtime, the lowest index among
 * equals, or -1 when none is runnable. Only the first SCHED_MAX_ENTITIES
 * entries are considered.
 */
int sched_pick(const struct sched_entity *e, uint32_t n);

/* Virtual time worth `ran_ns` at `weight` (a weight of 0 counts as 1). */
uint64_t sched_vtime_delta(uint64_t ran_ns, uint32_t weight);

/* Charge `ran_ns` of CPU to d (saturating). */
void sched_charge(struct sched_entity *d, uint64_t ran_ns);

/* max(floor, smallest runnable vtime): the new floor. */
uint64_t sched_floor(const struct sched_entity *e, uint32_t n, uint64_t floor);

/*
 * If floor >= SCHED_REBASE_AT, subtract it from every vtime (clamping at
 * 0) and return the new floor 0; otherwise change nothing, return floor.
 */
uint64_t sched_rebase(struct sched_entity *e, uint32_t n, uint64_t floor);

/*
 * After entity `cur` ran for `ran_ns`: charge it, advance *floor and
 * rebase if due. Call it while `cur` is still marked runnable if it was
 * running, so its new vtime counts for the floor. Out-of-range `cur`
 * (>= n) charges nothing but still advances the floor.
 */
void sched_account(struct sched_entity *e, uint32_t n, uint32_t cur, uint64_t ran_ns,
                   uint64_t *floor);

/* d becomes runnable, its vtime raised to at least floor - one slice of d's. */
void sched_entity_wake(struct sched_entity *d, uint64_t floor, uint64_t slice_ns);

/* d stops being runnable; its vtime is kept. */
void sched_entity_block(struct sched_entity *d);

/*
 * Should a domain that just woke preempt the running one? Only when it
 * is ahead by more than `gran_ns` of the running domain's time, so two
 * domains waking each other do not switch on every event.
 */
bool sched_preempts(const struct sched_entity *woken, const struct sched_entity *running,
                    uint64_t gran_ns);

#endif
