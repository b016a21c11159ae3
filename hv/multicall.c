/*
 * multicall: glue over the core's batch loop (hv/core/mc_batch.c, MC-1..
 * MC-4), which runs each entry through env_multicall_entry() (in
 * hypercall.c) and decides where the batch stops and how it goes on
 * (HC-5); the glue hands that continuation to the dispatcher.
 */
#include "hypercall.h"
#include "mc_batch.h"

int32_t do_multicall(const uint32_t args[5])
{
    struct hc_cont cont;
    int rc = mc_run(guest_ptr(args[0]), args[1], &cont);

    return rc == -ERESTART ? hypercall_continue(&cont) : rc;
}
