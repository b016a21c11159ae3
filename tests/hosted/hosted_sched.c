/* Hosted implementation of env.h's scheduling and lifecycle seams (see hosted_env.h). */
#include <string.h>

#include "env.h"
#include "hosted_env.h"

static struct hosted_sched hs;

void hosted_sched_reset(uint64_t now)
{
    memset(&hs, 0, sizeof(hs));
    hs.now = now;
}

struct hosted_sched *hosted_sched(void)
{
    return &hs;
}

uint64_t env_now_ns(void)
{
    hs.now_reads++;
    return hs.now;
}

void env_sched_yield(void)
{
    hs.yields++;
}

void env_sched_block(void)
{
    hs.blocks++;
}

void env_domain_shutdown(uint32_t reason)
{
    hs.shutdowns++;
    hs.last_reason = reason;
}
