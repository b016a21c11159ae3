/*
 * Handles to values on the hosted machine (the classes of program.h).
 *
 * The frames of each owner are listed once, at start: only a grant
 * setup_table allocates while a program runs, and a free-frame handle
 * that now names the new grant frame is a fine thing to try. Classes that
 * depend on the current state (tables, pins, ports in use) are found by
 * a scan when an argument asks for them.
 */
#include <string.h>

#include "env.h"
#include "exec_internal.h"
#include "pagetype.h"

#define NR_OWNERS 6u     /* domains 0..3, the hypervisor, free */
#define OWNER_XEN 4u
#define OWNER_FREE 5u

static uint32_t owned[NR_OWNERS][M_FRAMES];
static uint32_t nr_owned[NR_OWNERS];

void resolve_init(void)
{
    uint32_t i;

    memset(nr_owned, 0, sizeof(nr_owned));
    for (i = 0; i < M_FRAMES; i++) {
        uint16_t o = M.frames[i].owner;
        uint32_t k = o < M_NR_DOMS ? o : o == DOMID_XEN ? OWNER_XEN :
                     o == FRAME_OWNER_FREE ? OWNER_FREE : NR_OWNERS;

        if (k < NR_OWNERS)
            owned[k][nr_owned[k]++] = i;
    }
}

static uint32_t pick(uint32_t owner, uint32_t index)
{
    return nr_owned[owner] ? owned[owner][index % nr_owned[owner]] : INVALID_MFN;
}

static bool is_table(uint8_t t)
{
    return t == PGT_L1 || t == PGT_L2 || t == PGT_L2_XEN || t == PGT_L3;
}

/* The index-th of the actor's frames that `want` accepts, or `fallback`. */
static uint32_t scan(uint32_t index, bool pinned_only, uint32_t fallback)
{
    uint32_t list[M_FRAMES], n = 0, i;

    for (i = 0; i < nr_owned[X.actor_id]; i++) {
        const struct frame *f = &M.frames[owned[X.actor_id][i]];

        if (pinned_only ? pt_frame_pinned(f) : is_table(f->type))
            list[n++] = owned[X.actor_id][i];
    }
    return n ? list[index % n] : fallback;
}

static uint32_t not_ram(uint32_t index)
{
    switch (index % 4u) {
    case 0:
        return M_IO_FIRST + (index / 4u) % (M_FRAMES - M_IO_FIRST);
    case 1:
        return M_FRAMES + index / 4u;
    case 2:
        return 0xFFFFFu;                    /* the last frame below 4 GiB */
    default:
        return INVALID_MFN;
    }
}

static uint32_t frame_of(unsigned c, uint32_t index)
{
    const struct mdom *d = X.actor;

    switch (c) {
    case FC_OWN_DATA:   return d->data[index % M_NR_DATA];
    case FC_OWN_SPARE:  return d->spare[index % M_NR_SPARE];
    case FC_OWN_L1:     return index % 2u ? d->l1_hi : d->l1;
    case FC_OWN_L2:     return index % 2u ? d->l2_xen : d->l2_low;
    case FC_OWN_L3:     return d->l3;
    case FC_OWN_SHARED: return d->shared;
    case FC_OWN_TABLE:  return scan(index, false, d->l1);
    case FC_OWN_PINNED: return scan(index, true, d->l3);
    case FC_OWN_ANY:    return pick(X.actor_id, index);
    case FC_VICTIM:     return pick(M_VICTIM, index);
    case FC_OTHER:      return pick(X.actor_id == M_DOM0 ? M_ATTACKER : M_DOM0, index);
    case FC_BUILDER:    return pick(M_BUILDER, index);
    case FC_XEN:        return pick(OWNER_XEN, index);
    case FC_FREE:       return pick(OWNER_FREE, index);
    case FC_NOT_RAM:    return not_ram(index);
    default:            return d->pt.cr3_mfn;
    }
}

/* `delta` steps a handle's index (consecutive frames of one class). */
uint32_t res_frame(const struct prog_arg *a, uint32_t delta)
{
    if (!prog_arg_is_handle(T_FRAME, a))
        return (uint32_t)a->value + delta;
    return frame_of(prog_arg_class(T_FRAME, a), (uint32_t)(a->value & 0xFFFFu) + delta);
}

uint64_t res_ptr(const struct prog_arg *a, uint32_t cmd)
{
    uint32_t mfn, slot;

    if (!prog_arg_is_handle(T_PTR, a))
        return a->value;
    mfn = frame_of(prog_arg_class(T_PTR, a), (uint32_t)(a->value & 0xFFFFu));
    slot = (uint32_t)((a->value >> 16) % 512u);
    return ((uint64_t)mfn << PAGE_SHIFT) + slot * 8u + cmd;
}

uint64_t res_pte(const struct prog_arg *a)
{
    uint32_t mfn;

    if (!prog_arg_is_handle(T_PTE, a))
        return a->value;
    mfn = frame_of(prog_arg_class(T_PTE, a), (uint32_t)(a->value & 0xFFFFu));
    return ((uint64_t)mfn << PAGE_SHIFT) | ((a->value >> 16) & 0xFFFu) |
           (a->value & 0xFFF0000000000000ull);
}

uint32_t res_va(const struct prog_arg *a)
{
    uint32_t idx = (uint32_t)(a->value & 0xFFFFu);
    uint32_t off = (uint32_t)((a->value >> 16) & 0xFFFu);

    if (!prog_arg_is_handle(T_VA, a))
        return (uint32_t)a->value;
    switch (prog_arg_class(T_VA, a)) {
    case VC_DATA:
        return M_DATA_VA + (idx % 512u) * PAGE_SIZE + off;
    case VC_HIGH:
        return M_HIGH_VA + (idx % 512u) * PAGE_SIZE + off;
    case VC_L3SLOT:
        return (idx % 4u) << 30 | ((idx >> 2) % 512u) << 21 | ((idx >> 11) % 32u) << 12 | off;
    case VC_EDGE:
        return prog_va_edges[idx % PROG_NR_EDGES];
    default:
        return M_ARGS_VA + (idx % 4u) * PAGE_SIZE + off;
    }
}

uint32_t res_domid(const struct prog_arg *a)
{
    if (!prog_arg_is_handle(T_DOMID, a))
        return (uint32_t)a->value;
    switch (prog_arg_class(T_DOMID, a)) {
    case DC_SELF:      return DOMID_SELF;
    case DC_OWN:       return X.actor_id;
    case DC_VICTIM:    return M_VICTIM;
    case DC_DOM0:      return M_DOM0;
    case DC_ATTACKER:  return M_ATTACKER;
    case DC_BUILDER:   return M_BUILDER;
    case DC_NO_DOMAIN: return M_NO_DOMAIN;
    case DC_XEN:       return DOMID_XEN;
    case DC_IO:        return DOMID_IO;
    case DC_INVALID:   return FRAME_OWNER_FREE;     /* DOMID_INVALID */
    case DC_PFD_OWN:   return (X.actor_id + 1u) << 16 | DOMID_SELF;
    default:           return 0xFFFFFFFFu;
    }
}

/* The index-th port of `d` that is in use. */
static uint32_t used_port(const struct evtchn_domain *d, uint32_t index)
{
    uint32_t p, n = 0;

    for (p = 1; p < EVTCHN_NR_PORTS; p++)
        n += d->ports[p].state != EVTCHN_FREE;
    if (n == 0)
        return 1;
    index %= n;
    for (p = 1; p < EVTCHN_NR_PORTS; p++)
        if (d->ports[p].state != EVTCHN_FREE && index-- == 0)
            return p;
    return 1;
}

uint32_t res_port(const struct prog_arg *a)
{
    uint32_t idx = (uint32_t)(a->value & 0xFFFFu);
    const struct mdom *d = X.actor;

    if (!prog_arg_is_handle(T_PORT, a))
        return (uint32_t)a->value;
    switch (prog_arg_class(T_PORT, a)) {
    case PC_LEARNED:
        return d->nr_learned ? d->learned[idx % d->nr_learned] : 1;
    case PC_OWN_USED:
        return used_port(&M_evt[X.actor_id], idx);
    case PC_VICTIM_USED:
        return used_port(&M_evt[M_VICTIM], idx);
    default:
        return prog_port_edges[idx % PROG_NR_EDGES];
    }
}

/* Remember a value an op returned; once full, a new one replaces an old. */
static void learn(uint32_t *list, uint32_t *n, uint32_t v)
{
    if (*n < M_MAX_LEARNED)
        list[(*n)++] = v;
    else
        list[v % M_MAX_LEARNED] = v;
}

void res_learn_port(uint32_t port)
{
    learn(X.actor->learned, &X.actor->nr_learned, port);
}

uint32_t res_gref(const struct prog_arg *a)
{
    if (!prog_arg_is_handle(T_GREF, a))
        return (uint32_t)a->value;
    if (prog_arg_class(T_GREF, a) == GR_EDGE)
        return prog_gref_edges[(a->value & 0xFFFFu) % PROG_NR_EDGES];
    return (uint32_t)(a->value & 0xFFFFu);
}

uint32_t res_ghandle(const struct prog_arg *a)
{
    uint32_t idx = (uint32_t)(a->value & 0xFFFFu);
    const struct mdom *d = X.actor;

    if (!prog_arg_is_handle(T_GHANDLE, a))
        return (uint32_t)a->value;
    if (prog_arg_class(T_GHANDLE, a) == GH_EDGE)
        return prog_ghandle_edges[idx % PROG_NR_EDGES];
    return d->nr_gnt_learned ? d->gnt_learned[idx % d->nr_gnt_learned] : 0;
}

void res_learn_ghandle(uint32_t handle)
{
    learn(X.actor->gnt_learned, &X.actor->nr_gnt_learned, handle);
}

uint32_t res_u32(const struct prog_arg *a)
{
    if (!prog_arg_is_handle(T_U32, a))
        return (uint32_t)a->value;
    return prog_u32s[(a->value & 0xFFFFu) % PROG_NR_U32S];
}

uint16_t res_sel(const struct prog_arg *a)
{
    if (!prog_arg_is_handle(T_SEL, a))
        return (uint16_t)a->value;
    return prog_sels[(a->value & 0xFFFFu) % PROG_NR_SELS];
}

uint64_t res_desc(const struct prog_arg *a)
{
    if (!prog_arg_is_handle(T_DESC, a))
        return a->value;
    return prog_descs[(a->value & 0xFFFFu) % PROG_NR_DESCS];
}

uint32_t res_uvmf(const struct prog_arg *a)
{
    if (!prog_arg_is_handle(T_UVMF, a))
        return (uint32_t)a->value;
    return prog_uvmfs[(a->value & 0xFFFFu) % PROG_NR_UVMFS];
}

/* ---- the argument window ------------------------------------------------- */

guest_ptr_t args_put(uint32_t off, const void *p, uint32_t len)
{
    if (off < M_ARGS_LEN && len <= M_ARGS_LEN - off)
        memcpy(M_args + off, p, len);
    return guest_ptr(M_ARGS_VA + off);
}

guest_ptr_t args_place(uint32_t mode, uint32_t off, const void *p, uint32_t len)
{
    switch (mode % 4u) {
    case 0:
        return args_put(off, p, len);
    case 1: {
        /* the last 8 bytes lie past the window: the copy of the tail faults */
        uint32_t at = len + 8u <= M_ARGS_LEN ? M_ARGS_LEN + 8u - len : 0;

        /* (a structure of 8 bytes or less lies wholly past it) */
        if (at < M_ARGS_LEN && at + len > M_ARGS_LEN)
            memcpy(M_args + at, p, M_ARGS_LEN - at);
        return guest_ptr(M_ARGS_VA + at);
    }
    case 2:
        return guest_ptr(0xF5800000u - 8u);    /* straddles HYPERVISOR_VIRT_START */
    default:
        return guest_ptr(0);
    }
}
