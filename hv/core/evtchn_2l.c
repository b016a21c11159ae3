/*
 * 2-level pending/mask/selector bits over a guest's shared_info (see
 * evtchn_2l.h). Each shared word is read once into a local; the index
 * comes from the port alone.
 */
#include "evtchn_2l.h"

const uint32_t evtchn_2l_bit[32] = {
    0x00000001u, 0x00000002u, 0x00000004u, 0x00000008u,
    0x00000010u, 0x00000020u, 0x00000040u, 0x00000080u,
    0x00000100u, 0x00000200u, 0x00000400u, 0x00000800u,
    0x00001000u, 0x00002000u, 0x00004000u, 0x00008000u,
    0x00010000u, 0x00020000u, 0x00040000u, 0x00080000u,
    0x00100000u, 0x00200000u, 0x00400000u, 0x00800000u,
    0x01000000u, 0x02000000u, 0x04000000u, 0x08000000u,
    0x10000000u, 0x20000000u, 0x40000000u, 0x80000000u,
};

/* The selector step shared by set_pending and unmask: mark word `w` as
 * having work and raise the upcall, unless the selector bit was already
 * set (the guest has not scanned that word since the last upcall). */
/*@ requires \valid(si) && w < 32;
    assigns si->vcpu_info[0].evtchn_pending_sel,
            si->vcpu_info[0].evtchn_upcall_pending;
    ensures \result == 1 ==>
        si->vcpu_info[0].evtchn_upcall_pending == 1 &&
        si->vcpu_info[0].evtchn_pending_sel ==
            (\old(si->vcpu_info[0].evtchn_pending_sel) | evtchn_2l_bit[w]);
*/
static bool raise_selector(struct shared_info *si, uint32_t w)
{
    struct vcpu_info *vi = &si->vcpu_info[0];
    uint32_t bit = evtchn_2l_bit[w];
    uint32_t sel = vi->evtchn_pending_sel;                      /* read once */

    if ((sel & bit) != 0)
        return false;
    vi->evtchn_pending_sel = sel | bit;
    vi->evtchn_upcall_pending = 1;
    return true;
}

bool evtchn_2l_set_pending(struct shared_info *si, uint32_t port)
{
    uint32_t w, bit, pending, mask;

    if (port >= NR_EVENT_CHANNELS)                              /* EVT-14 */
        return false;
    w = port / EVTCHN_2L_WORD_BITS;
    bit = evtchn_2l_bit[port % EVTCHN_2L_WORD_BITS];
    pending = si->evtchn_pending[w];                            /* read once */
    /* written even when already set (same value), so the word is always
     * exactly old | bit */
    si->evtchn_pending[w] = pending | bit;
    if ((pending & bit) != 0)
        return false;               /* EVT-15: already pending, no new edge */
    mask = si->evtchn_mask[w];                                  /* read once */
    if ((mask & bit) != 0)
        return false;               /* masked: the edge waits for unmask */
    return raise_selector(si, w);
}

bool evtchn_2l_unmask(struct shared_info *si, uint32_t port)
{
    uint32_t w, bit, mask, pending;

    if (port >= NR_EVENT_CHANNELS)                              /* EVT-14 */
        return false;
    w = port / EVTCHN_2L_WORD_BITS;
    bit = evtchn_2l_bit[port % EVTCHN_2L_WORD_BITS];
    mask = si->evtchn_mask[w];                                  /* read once */
    si->evtchn_mask[w] = mask & ~bit;                           /* EVT-16 */
    pending = si->evtchn_pending[w];                            /* read once */
    if ((pending & bit) == 0)
        return false;
    return raise_selector(si, w);
}

void evtchn_2l_clear_pending(struct shared_info *si, uint32_t port)
{
    uint32_t w, bit, pending;

    if (port >= NR_EVENT_CHANNELS)                              /* EVT-14 */
        return;
    w = port / EVTCHN_2L_WORD_BITS;
    bit = evtchn_2l_bit[port % EVTCHN_2L_WORD_BITS];
    pending = si->evtchn_pending[w];                            /* read once */
    si->evtchn_pending[w] = pending & ~bit;                     /* EVT-17 */
}

bool evtchn_2l_is_pending(const struct shared_info *si, uint32_t port)
{
    if (port >= NR_EVENT_CHANNELS)
        return false;
    return (si->evtchn_pending[port / EVTCHN_2L_WORD_BITS] &
            evtchn_2l_bit[port % EVTCHN_2L_WORD_BITS]) != 0;
}

bool evtchn_2l_is_masked(const struct shared_info *si, uint32_t port)
{
    if (port >= NR_EVENT_CHANNELS)
        return false;
    return (si->evtchn_mask[port / EVTCHN_2L_WORD_BITS] &
            evtchn_2l_bit[port % EVTCHN_2L_WORD_BITS]) != 0;
}
