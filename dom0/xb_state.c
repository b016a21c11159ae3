/*
 * The backend's xenbus state machine: see xb_state.h. The steps follow
 * what Xen's Linux block and network backends do on a frontend change
 * (blkback's and netback's frontend_changed), with one difference kept
 * deliberately: a backend connects only from InitWait, so a frontend that
 * jumps to Initialised or Connected from Closed without passing through
 * Initialising (which brings the backend back to InitWait) gets nothing.
 */
#include "xb_state.h"

uint32_t xb_fe_state(bool has, const char *val, uint32_t len)
{
    uint32_t v;

    if (!has || !xb_parse_u32(val, len, 0xFFFFFFFFu, &v))
        return XenbusStateUnknown;
    return v <= XenbusStateReconfigured ? v : XB_FE_BAD;
}

static struct xb_step step(enum xb_action a, uint32_t next)
{
    struct xb_step s = { a, next };
    return s;
}

struct xb_step xb_backend_step(uint32_t be, uint32_t fe)
{
    bool closed = be == XenbusStateClosed, closing = be == XenbusStateClosing;

    switch (fe) {
    case XenbusStateInitialising:
        /* a frontend that closed and starts again: serve it again */
        return closed ? step(XB_REINIT, XenbusStateInitWait) : step(XB_NONE, be);
    case XenbusStateInitialised:
    case XenbusStateConnected:
        return be == XenbusStateInitWait ? step(XB_CONNECT, XenbusStateConnected)
                                         : step(XB_NONE, be);
    case XenbusStateInitWait:
        return step(XB_NONE, be);       /* a backend's state, meaningless from a frontend */
    case XenbusStateClosing:
        return closed || closing ? step(XB_NONE, be) : step(XB_DISCONNECT, XenbusStateClosing);
    case XenbusStateUnknown:
    case XenbusStateClosed:
        /* the frontend is gone or closed: let go of its pages and channel */
        return closed ? step(XB_NONE, be) : step(XB_DISCONNECT, XenbusStateClosed);
    default:
        /* Reconfiguring, Reconfigured (not offered) or no state at all: Xen's
         * backends call it fatal and close */
        return closed || closing ? step(XB_NONE, be) : step(XB_DISCONNECT, XenbusStateClosing);
    }
}

bool xb_parse_u32(const char *val, uint32_t len, uint32_t max, uint32_t *out)
{
    uint64_t v = 0;
    uint32_t i;

    if (len == 0 || len > 10 || (len > 1 && val[0] == '0'))
        return false;
    for (i = 0; i < len; i++) {
        if (val[i] < '0' || val[i] > '9')
            return false;
        v = v * 10u + (uint32_t)(val[i] - '0');
    }
    if (v > max)
        return false;
    *out = (uint32_t)v;
    return true;
}
