/*
 * dom0 waiting (see waits.h): slices of at most WAIT_SLICE_NS in the
 * backends' idle loop, the serial line checked between slices.
 */
#include "backend.h"
#include "ctl.h"
#include "pv/errno.h"
#include "pvtime.h"
#include "serial_input.h"
#include "waits.h"

/* One slice, ending early at deadline_ns; -EINTR if the operator typed Ctrl-C. */
static int slice(uint64_t deadline_ns)
{
    uint64_t now = pv_time_ns();
    uint64_t left = deadline_ns > now ? deadline_ns - now : 0;

    if (input_interrupted())
        return -EINTR;
    backends_idle(left < WAIT_SLICE_NS ? left : WAIT_SLICE_NS);
    return 0;
}

int wait_until(uint64_t deadline_ns)
{
    while (pv_time_ns() < deadline_ns) {
        if (slice(deadline_ns))
            return -EINTR;
    }
    return 0;
}

int wait_domain_stopped(domid_t id, struct xen_domctl_getdomaininfo *info)
{
    for (;;) {
        if (ctl_info(id, info) || info->domain != id)
            return -ESRCH;
        if (info->state >= 3)
            return 0;
        if (slice(pv_time_ns() + WAIT_SLICE_NS))
            return -EINTR;
    }
}
