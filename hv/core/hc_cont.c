/*
 * Continuation decisions and encodings (see hc_cont.h). Each encoding is
 * the one Xen's handler passes to hypercall_create_continuation() for the
 * same call, so a guest sees the same re-issued arguments. Proved in full;
 * flags and fields are written as sums and quotients of powers of two,
 * which the compiler turns into the same ORs and shifts.
 */
#include "hc_cont.h"
#include "pv/console.h"
#include "pv/memory.h"
#include "pv/mmu.h"

_Static_assert(HC_MMU_FLAG == MMU_UPDATE_PREEMPTED, "the flag of HC-2");
_Static_assert(HC_MEMOP_UNIT == 1u << MEMOP_EXTENT_SHIFT, "the unit of HC-3");
_Static_assert(HC_MEMOP_MAX == UINT32_MAX >> MEMOP_EXTENT_SHIFT, "the bound of HC-3");

bool hc_should_stop(uint32_t i, const struct hc_cont *cont)
{
    /* HC-1: the first element of an issue always runs: progress */
    return i != 0 && cont != NULL && env_preempt_pending();
}

void hc_cont_set(struct hc_cont *c, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3,
                 uint32_t a4)
{
    c->args[0] = a0;
    c->args[1] = a1;
    c->args[2] = a2;
    c->args[3] = a3;
    c->args[4] = a4;
}

void hc_cont_mmu(struct hc_cont *c, uint32_t list, uint32_t size, uint32_t count, uint32_t i,
                 uint32_t pdone, uint32_t foreigndom)
{
    /* HC-2: the rest of the array; the flag says "add to *done" (count
     * is below the flag, so adding it is OR-ing it) */
    hc_cont_set(c, list + i * size, (count - i) + HC_MMU_FLAG, pdone, foreigndom, 0);
}

bool hc_mmu_count(uint32_t count, uint32_t *n)
{
    *n = count % HC_MMU_FLAG;
    return count >= HC_MMU_FLAG;
}

void hc_cont_multicall(struct hc_cont *c, uint32_t list, uint32_t nr, uint32_t i)
{
    /* HC-5: resume at the interrupted entry; those before it are done */
    hc_cont_set(c, list + i * 32u, nr - i, 0, 0, 0);
}

void hc_memop_cmd(uint32_t cmd, uint32_t *op, uint32_t *start)
{
    *op = cmd % HC_MEMOP_UNIT;
    *start = cmd / HC_MEMOP_UNIT;
}

void hc_cont_memop(struct hc_cont *c, uint32_t op, uint32_t nr_done, uint32_t arg)
{
    /* HC-3: the argument is unchanged; progress rides in cmd */
    hc_cont_set(c, op + nr_done * HC_MEMOP_UNIT, arg, 0, 0, 0);
}

void hc_cont_gnttab(struct hc_cont *c, uint32_t cmd, uint32_t uop, uint32_t size,
                    uint32_t count, uint32_t i)
{
    hc_cont_set(c, cmd, uop + i * size, count - i, 0, 0);       /* HC-4 */
}

void hc_cont_console(struct hc_cont *c, uint32_t count, uint32_t buf, uint32_t done)
{
    hc_cont_set(c, CONSOLEIO_write, count - done, buf + done, 0, 0);   /* HC-6 */
}
