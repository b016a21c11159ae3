/*
 * The 2-level event delivery ABI: pending and mask bits in shared_info
 * (spec/events.md EVT-14..EVT-17; facts sheet §3.2).
 *
 * Theory of operation. Port p is bit p % 32 of word p / 32 of
 * evtchn_pending[] and evtchn_mask[]; bit p / 32 of the vCPU's
 * evtchn_pending_sel says "word p / 32 may have work", and
 * evtchn_upcall_pending says "look at the selector". The hypervisor sets
 * pending and selector bits and the upcall flag; the guest clears them
 * and owns the mask.
 *
 * The page is guest-writable, so everything read from it is hostile
 * (EVT-14): every index is computed from the port number the hypervisor
 * passes (checked against EVTCHN_NR_PORTS first), never from the page;
 * each word is read once into a local, and only the one bit being tested
 * decides anything. A guest that scribbles over the page can therefore
 * lose or invent its own events, nothing else.
 *
 * The read-modify-write of a word is not atomic against the guest on
 * another CPU. Bulkhead runs one CPU and the glue calls these with the
 * guest descheduled, so it cannot race; SMP needs lock-prefixed bit
 * operations here (a seam in env.h).
 *
 * vCPU 0's vcpu_info is the only one used (one vCPU per domain).
 */
#ifndef CORE_EVTCHN_2L_H
#define CORE_EVTCHN_2L_H

#include "types.h"
#include "pv/event_channel.h"
#include "pv/shared_info.h"

#define EVTCHN_2L_WORD_BITS 32u
#define EVTCHN_2L_WORDS     (NR_EVENT_CHANNELS / EVTCHN_2L_WORD_BITS)   /* 32 */

_Static_assert(EVTCHN_2L_WORDS == 32, "2-level: 32 words of 32 bits");

/*
 * Bit b of a word is evtchn_2l_bit[b] (2^b): a table rather than a shift,
 * so no step of the code is a shift whose result the provers would have to
 * bound.
 */
extern const uint32_t evtchn_2l_bit[32];

/*
 * Spelling of the contracts below: the word and bit of a port with the
 * casts the code's uint32_t arithmetic has, as macros rather than ACSL
 * logic functions so that WP's simplifier sees (and normalises) the very
 * terms the code computes. Used only inside annotations.
 */
#define EVT_ACSL_W(p)      ((uint32_t)((p) / 32))
#define EVT_ACSL_BIT(p)    (evtchn_2l_bit[(uint32_t)((p) % 32)])
#define EVT_ACSL_SEL(p)    (evtchn_2l_bit[(uint32_t)((p) / 32)])
#define EVT_ACSL_HAS(x, p) (((x) & EVT_ACSL_BIT(p)) != 0)

/*
 * EVT-15: set port's pending bit. Returns true ("kick": wake the vCPU if
 * it is blocked) when the port is unmasked and its selector bit was newly
 * set; then evtchn_upcall_pending is 1. Nothing happens for a port that
 * was already pending (the edge was already given), and a port out of
 * range (EVT-14) changes nothing and returns false.
 */
/*@ requires \valid(si);
    assigns si->evtchn_pending[port / 32],
            si->vcpu_info[0].evtchn_pending_sel,
            si->vcpu_info[0].evtchn_upcall_pending;
    behavior out_of_range:
        assumes port >= NR_EVENT_CHANNELS;
        assigns \nothing;
        ensures EVT_14: \result == 0;
    behavior in_range:
        assumes port < NR_EVENT_CHANNELS;
        ensures EVT_14: port / 32 < 32;
        ensures EVT_15: si->evtchn_pending[EVT_ACSL_W(port)] ==
            (\old(si->evtchn_pending[EVT_ACSL_W(port)]) | EVT_ACSL_BIT(port));
        ensures EVT_15: EVT_ACSL_HAS(\old(si->evtchn_pending[EVT_ACSL_W(port)]), port) ==>
            \result == 0;
        ensures EVT_15: EVT_ACSL_HAS(\old(si->evtchn_mask[EVT_ACSL_W(port)]), port) ==>
            \result == 0;
        ensures EVT_15: \result == 1 ==>
            si->vcpu_info[0].evtchn_upcall_pending == 1 &&
            si->vcpu_info[0].evtchn_pending_sel ==
                (\old(si->vcpu_info[0].evtchn_pending_sel) | EVT_ACSL_SEL(port));
    complete behaviors;
    disjoint behaviors;
*/
bool evtchn_2l_set_pending(struct shared_info *si, uint32_t port);

/*
 * EVT-16 (EVTCHNOP_unmask): clear port's mask bit; if the port is pending
 * and its selector bit was newly set, raise the upcall and return true.
 * The caller checked the port against the domain's table (EVT-1); here a
 * port out of range changes nothing (EVT-14).
 */
/*@ requires \valid(si);
    assigns si->evtchn_mask[port / 32],
            si->vcpu_info[0].evtchn_pending_sel,
            si->vcpu_info[0].evtchn_upcall_pending;
    behavior out_of_range:
        assumes port >= NR_EVENT_CHANNELS;
        assigns \nothing;
        ensures EVT_14: \result == 0;
    behavior in_range:
        assumes port < NR_EVENT_CHANNELS;
        ensures EVT_16: si->evtchn_mask[EVT_ACSL_W(port)] ==
            (\old(si->evtchn_mask[EVT_ACSL_W(port)]) & (uint32_t)~EVT_ACSL_BIT(port));
        ensures EVT_16: !EVT_ACSL_HAS(si->evtchn_pending[EVT_ACSL_W(port)], port) ==> \result == 0;
        ensures EVT_16: \result == 1 ==>
            si->vcpu_info[0].evtchn_upcall_pending == 1 &&
            si->vcpu_info[0].evtchn_pending_sel ==
                (\old(si->vcpu_info[0].evtchn_pending_sel) | EVT_ACSL_SEL(port));
    complete behaviors;
    disjoint behaviors;
*/
bool evtchn_2l_unmask(struct shared_info *si, uint32_t port);

/*
 * EVT-17: clear port's pending bit (a port being closed, so a rebound
 * port does not start with a stale event). Out of range: nothing.
 */
/*@ requires \valid(si);
    assigns si->evtchn_pending[port / 32];
    behavior out_of_range:
        assumes port >= NR_EVENT_CHANNELS;
        assigns \nothing;
    behavior in_range:
        assumes port < NR_EVENT_CHANNELS;
        ensures EVT_17: si->evtchn_pending[EVT_ACSL_W(port)] ==
            (\old(si->evtchn_pending[EVT_ACSL_W(port)]) & (uint32_t)~EVT_ACSL_BIT(port));
    complete behaviors;
    disjoint behaviors;
*/
void evtchn_2l_clear_pending(struct shared_info *si, uint32_t port);

/* Is the port's pending (resp. mask) bit set? false out of range. */
/*@ requires \valid_read(si);
    assigns \nothing;
    ensures port >= NR_EVENT_CHANNELS ==> \result == 0;
    ensures port < NR_EVENT_CHANNELS ==>
        (\result == 1 <==> EVT_ACSL_HAS(si->evtchn_pending[EVT_ACSL_W(port)], port));
*/
bool evtchn_2l_is_pending(const struct shared_info *si, uint32_t port);

/*@ requires \valid_read(si);
    assigns \nothing;
    ensures port >= NR_EVENT_CHANNELS ==> \result == 0;
    ensures port < NR_EVENT_CHANNELS ==>
        (\result == 1 <==> EVT_ACSL_HAS(si->evtchn_mask[EVT_ACSL_W(port)], port));
*/
bool evtchn_2l_is_masked(const struct shared_info *si, uint32_t port);

#endif
