/*
 * multicall: glue over the core's batch loop (hv/core/mc_batch.c, MC-1..
 * MC-5), which runs each entry through env_multicall_entry() (in
 * hypercall.c) and decides where the batch stops and how it goes on
 * (HC-5); the glue hands that continuation to the dispatcher. After an
 * iret entry the caller's frame is the one iret loaded: the multicall
 * returns the frame's EAX, which the dispatcher writes into EAX, and
 * never a continuation (that would move the new EIP back).
 */
#include "hypercall.h"
#include "mc_batch.h"

int32_t do_multicall(const uint32_t args[5])
{
    struct hc_cont cont;
    uint32_t iret_eax = 0;
    int rc = mc_run(guest_ptr(args[0]), args[1], &cont, &iret_eax);

    if (rc == MC_IRET)                                      /* MC-5 */
        return (int32_t)iret_eax;
    return rc == -ERESTART ? hypercall_continue(&cont) : rc;
}
