/*
 * The invariants checked around every operation (see exec.h).
 *
 * The audit (pt_audit, PT-31) is the expensive one (every validated table is read), so it
 * runs only when the operation could have changed what it reads: the core
 * mapped a frame that is or was a page table, a raw write happened, or a
 * frame record or base pointer changed (an unpin can drop counts without
 * mapping anything). Frames the core maps for other reasons (shared_info
 * for an event, a descriptor frame) cannot change what it reads. The
 * independent table oracle then reads only the frames that changed.
 * Everything else is cheap and runs every time.
 */
#include <string.h>

#include "exec_internal.h"
#include "hosted_env.h"

static struct frame before[M_FRAMES];
static uint32_t cr3_before[M_NR_DOMS];
static struct evtchn_domain evt_before[M_NR_DOMS];

void checks_before_op(void)
{
    uint32_t d;

    memcpy(before, M.frames, sizeof(before));
    for (d = 0; d < M_NR_DOMS; d++)
        cr3_before[d] = M.dom[d].pt.cr3_mfn;
    oracle_slot3_before();
    /* the channel rules compare with the state before the op */
    if ((X.prog->ops[X.index].op >= OP_EVT_ALLOC_UNBOUND &&
         X.prog->ops[X.index].op <= OP_EVT_RAW) || X.prog->ops[X.index].op == OP_DESTROY ||
        X.prog->ops[X.index].op == OP_SCHED)
        memcpy(evt_before, M_evt, sizeof(evt_before));
}

static void check_contexts(void)
{
    uint32_t d;

    if (hosted_live_maps() != 0)
        exec_finding("%d frames left mapped", hosted_live_maps());
    for (d = 0; d < M_NR_DOMS; d++) {
        const struct pt_ctx *c = &M.dom[d].pt;

        if (c->bugs)
            exec_finding("dom%u: %u refused transitions (pt_ctx.bugs)", d, c->bugs);
        if (c->fd != c->dom)
            exec_finding("PT-34: dom%u left with data owner %u", d, c->fd);
    }
}

/* GNT-16: a free frame becomes a grant frame of the table that grew. */
static bool grant_frame_of_owner(uint32_t mfn, uint16_t owner)
{
    uint32_t f;

    if (owner >= M_NR_DOMS)
        return false;
    for (f = 0; f < M_gnt[owner].nr_frames && f < GNTTAB_MAX_FRAMES; f++)
        if (M_gnt[owner].frames[f] == mfn)
            return true;
    return false;
}

/* Who may own frame `mfn` now, that `was` owned at the start: a dead
 * domain's frames go free (teardown); a free one becomes a grant frame. */
static bool owner_change_ok(uint32_t mfn, uint16_t was, uint16_t now)
{
    bool freed = was == FRAME_OWNER_FREE || (was < M_NR_DOMS && M.dom[was].dead);

    return freed && (now == FRAME_OWNER_FREE || grant_frame_of_owner(mfn, now));
}

/* The victim's frames and M2P entries, and every owner, as at the start. */
static void check_victim_records(void)
{
    uint32_t i;

    for (i = 0; i < M_FRAMES; i++) {
        const struct frame *s = machine_snap_frame(i);

        if (M.frames[i].owner != s->owner && !owner_change_ok(i, s->owner, M.frames[i].owner))
            exec_finding("frame %u changed owner %#x -> %#x", i, s->owner, M.frames[i].owner);
        if (s->owner == M_VICTIM &&
            (memcmp(&M.frames[i], s, sizeof(*s)) || M.m2p[i] != machine_snap_m2p(i)))
            exec_finding("victim frame %u: refs %u->%u type %u->%u count %u->%u m2p %u->%u", i,
                         s->refcount, M.frames[i].refcount, s->type, M.frames[i].type,
                         s->type_count, M.frames[i].type_count, machine_snap_m2p(i), M.m2p[i]);
    }
}

/* A frame whose content nobody but its owner may change: the victim's
 * (but for shared_info, where events are delivered) and the hypervisor's. */
static bool protected_frame(uint32_t mfn)
{
    uint16_t o = machine_snap_frame(mfn)->owner;

    return (o == M_VICTIM && mfn != M.dom[M_VICTIM].shared) || o == DOMID_XEN;
}

static void check_memory(uint32_t mfn)
{
    if (protected_frame(mfn) && memcmp(hosted_frame(mfn), machine_snap_mem(mfn), PAGE_SIZE))
        exec_finding("frame %u (owner %#x) changed", mfn, machine_snap_frame(mfn)->owner);
}

static void audit(void)
{
    struct pt_audit_report rep;

    if (machine_audit(&rep) == 0)
        return;
    exec_finding("audit: %s at frame %u (owner %#x type %u) slot %d entry %#llx "
                 "(expected %u, found %u)", pt_audit_what_name(rep.what), rep.mfn,
                 rep.mfn < M_FRAMES ? M.frames[rep.mfn].owner : 0,
                 rep.mfn < M_FRAMES ? M.frames[rep.mfn].type : 0,
                 rep.slot == PT_AUDIT_NO_SLOT ? -1 : (int)rep.slot,
                 rep.mfn < M_FRAMES && rep.slot < 512
                     ? (unsigned long long)machine_peek(rep.mfn, rep.slot) : 0ull,
                 rep.expected, rep.found);
}

/*
 * What an attacker's event op may do to another domain's port: bind a
 * port that was unbound for it, or (closing its end) return one linked to
 * it to unbound for it. Nothing else, and no VIRQ binding.
 */
static bool port_change_ok(const struct evtchn_port *o, const struct evtchn_port *n)
{
    if (!memcmp(o, n, sizeof(*o)))
        return true;
    if (o->state == EVTCHN_UNBOUND && o->remote_dom == M_ATTACKER)
        return n->state == EVTCHN_INTERDOMAIN && n->remote_dom == M_ATTACKER;
    if (o->state == EVTCHN_INTERDOMAIN && o->remote_dom == M_ATTACKER)
        return n->state == EVTCHN_UNBOUND && n->remote_dom == M_ATTACKER;
    return false;
}

static void check_others_ports(void)
{
    uint32_t d, p;

    for (d = 0; d < M_NR_DOMS; d++) {
        if (d == M_ATTACKER || !memcmp(&evt_before[d], &M_evt[d], sizeof(M_evt[d])))
            continue;
        if (memcmp(evt_before[d].virq_port, M_evt[d].virq_port, sizeof(M_evt[d].virq_port)) ||
            evt_before[d].max_ports != M_evt[d].max_ports)
            exec_finding("EVT: the attacker changed dom%u's VIRQs or port limit", d);
        for (p = 0; p < EVTCHN_NR_PORTS; p++)
            if (!port_change_ok(&evt_before[d].ports[p], &M_evt[d].ports[p]))
                exec_finding("EVT-5/7: the attacker changed dom%u port %u: state %u->%u "
                             "remote %u->%u", d, p, evt_before[d].ports[p].state,
                             M_evt[d].ports[p].state, evt_before[d].ports[p].remote_dom,
                             M_evt[d].ports[p].remote_dom);
    }
}

static bool is_table(const struct frame *f)
{
    return f->type >= PGT_L1 && f->type <= PGT_L3;
}

static void check_grants(void)
{
    if (gnttab_check(&M.gworld) != 0)
        exec_finding("GNT-21: grant handles and pins disagree");
}

void checks_after_op(void)
{
    bool changed = X.raw_write;
    uint8_t frames_changed[M_FRAMES / 8u];
    uint32_t i;

    check_contexts();
    for (i = 0; i < M_NR_DOMS; i++)
        changed |= M.dom[i].pt.cr3_mfn != cr3_before[i];
    memset(frames_changed, 0, sizeof(frames_changed));
    for (i = 0; i < M_FRAMES; i++) {
        bool t = hosted_frame_touched(i);
        bool rec = memcmp(&before[i], &M.frames[i], sizeof(before[i])) != 0;

        if (t)
            check_memory(i);
        /* the audit reads frame records and table contents only */
        if (rec || (t && (is_table(&before[i]) || is_table(&M.frames[i]))))
            changed = true;
        if (t || rec || (X.raw_write && X.raw_mfn == i))
            frames_changed[i / 8u] |= (uint8_t)(1u << (i % 8u));
    }
    machine_collect_touched();
    oracle_desc_frames(frames_changed);
    if (changed) {
        check_victim_records();
        audit();
        oracle_tables(frames_changed);
        oracle_slot3_after();
        hosted_touched_reset();         /* the audit's own maps change nothing */
    }
    /* GNT-21 is a scan of every table: after each success, and at the end
     * (a failure must change nothing, which the end still sees) */
    if (X.gnt_op && X.rc == 0)
        check_grants();
    /* the tables held every invariant before; only a change can break one */
    if (X.evt_op && memcmp(evt_before, M_evt, sizeof(evt_before)) != 0) {
        oracle_evtchn_world();
        if (X.actor_id == M_ATTACKER)
            check_others_ports();
    }
}

/* After the program: every protected frame, mapped by the core or not. */
void checks_end(void)
{
    uint32_t i;

    for (i = 0; i < M_FRAMES; i++)
        check_memory(i);
    check_victim_records();
    if (X.gnt_ran)
        check_grants();
}
