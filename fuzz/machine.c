/*
 * The fuzzers' hosted machine: set-up, audit, snapshot and fast reset
 * (see machine.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "evtchn.h"
#include "held_frame.h"
#include "hosted_env.h"
#include "machine.h"
#include "pt_table.h"
#include "pv/shared_info.h"

struct machine M;
struct evtchn_domain M_evt[M_NR_DOMS];
struct gnttab_domain M_gnt[M_NR_DOMS];
uint8_t M_args[M_ARGS_LEN];

static struct machine snap;
static struct evtchn_domain snap_evt[M_NR_DOMS];
static struct gnttab_domain snap_gnt[M_NR_DOMS];
static bool gnt_dirty;
static uint8_t snap_mem[M_FRAMES][PAGE_SIZE];
static uint8_t dirty[M_FRAMES / 8u];
static bool evt_dirty;
static struct pt_audit_count scratch[M_FRAMES];

static void die(const char *what)
{
    fprintf(stderr, "machine set-up failed: %s\n", what);
    abort();
}

uint32_t machine_pattern(uint32_t mfn, uint32_t word)
{
    return (mfn * 0x9E3779B1u) ^ (word * 2654435761u) ^ 0x5A5A1234u;
}

uint64_t machine_peek(uint32_t mfn, uint32_t slot)
{
    uint64_t e;

    memcpy(&e, hosted_frame(mfn) + slot * PT_ENTRY_SIZE, sizeof(e));
    return e;
}

void machine_poke(uint32_t mfn, uint32_t slot, uint64_t e)
{
    memcpy(hosted_frame(mfn) + slot * PT_ENTRY_SIZE, &e, sizeof(e));
}

static uint64_t pte(uint32_t mfn, uint64_t flags)
{
    return ((uint64_t)mfn << PAGE_SHIFT) | flags;
}

static uint32_t alloc(domid_t owner)
{
    uint32_t mfn = INVALID_MFN;

    if (frame_alloc(&M.ft, owner, &mfn) != 0)
        die("out of frames");
    return mfn;
}

/* Frames and the hypervisor's L2 template, as the boot code leaves them. */
static void init_frames(void)
{
    uint32_t i;

    frame_table_init(&M.ft, M.frames, M_FRAMES);
    for (i = 0; i < M_FRAMES; i++) {
        if (i < M_XEN_FRAMES)
            frame_set_owner_boot(&M.ft, i, DOMID_XEN);
        else if (i < M_IO_FIRST)
            frame_release_boot(&M.ft, i);       /* the rest stays DOMID_IO */
        M.m2p[i] = 0xFFFFFFFFu;
    }
    /* the first 16 MiB of the hypervisor area is the M2P, read-only */
    for (i = 0; i < PT_XEN_SLOTS; i++)
        M.xen_slots[i] = pte(i % M_XEN_FRAMES,
                             i < 8 ? (PTE_P | PTE_A) : (PTE_P | PTE_RW | PTE_A | PTE_D));
}

/* What domain_create() does: the context, shared_info held, an event table. */
static void create_domain(uint32_t id)
{
    struct mdom *d = &M.dom[id];
    struct shared_info *s;
    unsigned i;

    d->pt.ft = &M.ft;
    d->pt.dom = (domid_t)id;
    d->pt.privileged = id == M_DOM0;
    d->pt.fd = (domid_t)id;
    d->pt.io_capable = id == M_DOM0;
    d->pt.m2p = M.m2p;
    d->pt.m2p_entries = M_FRAMES;
    d->pt.xen_l2_slots = M.xen_slots;
    d->pt.cr3_mfn = INVALID_MFN;
    d->shared = alloc((domid_t)id);
    s = (struct shared_info *)hosted_frame(d->shared);
    for (i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
        s->vcpu_info[i].evtchn_upcall_mask = 1;
    if (held_frame_take(&d->pt, d->shared) != 0)                /* PT-40 */
        die("shared_info hold");
    hosted_set_shared_info((uint16_t)id, d->shared);           /* env_shared_info_map() */
    emul_dr_init(&d->dr);
    evtchn_domain_init(&M_evt[id], (domid_t)id, 0);
    M.evt_doms[id] = &M_evt[id];
    gnttab_domain_init(&M_gnt[id], (domid_t)id, 0);
    M.gnt_doms[id] = &M_gnt[id];
}

struct grant_entry_v1 *machine_gnt_entry(uint32_t dom, uint32_t ref, uint32_t *mfn)
{
    const struct gnttab_domain *gt = dom < M_NR_DOMS ? &M_gnt[dom] : NULL;

    if (!gt || ref >= gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME)
        return NULL;
    *mfn = gt->frames[ref / GNTTAB_ENTRIES_PER_FRAME];
    return (struct grant_entry_v1 *)(void *)(hosted_frame(*mfn) +
                                             (ref % GNTTAB_ENTRIES_PER_FRAME) * 8u);
}

static void grant(uint32_t ref, uint16_t flags, domid_t to, uint32_t data)
{
    uint32_t mfn;
    struct grant_entry_v1 *e = machine_gnt_entry(M_VICTIM, ref, &mfn);

    e->flags = flags;
    e->domid = to;
    e->frame = M.dom[M_VICTIM].data[data];
}

/* The victim's grants of machine.h, set up with the core's own operation. */
static void init_grants(void)
{
    struct gnttab_call c = { &M.gworld, &M.dom[M_VICTIM].pt };
    struct gnttab_setup_table op = { DOMID_SELF, 0, 1, 0, 0, M_ARGS_VA };

    M.gworld.doms = M.gnt_doms;
    M.gworld.nr = M_EVT_WORLD;
    M.gworld.unpriv_host_map = false;
    if (gnttab_setup_table(&c, &op) != 0 || op.status != GNTST_okay)
        die("gnttab_setup_table");
    grant(1, GTF_permit_access | GTF_readonly, M_ATTACKER, 1);
    grant(2, GTF_permit_access, M_NO_DOMAIN, 2);
}

static void alloc_data(uint32_t id)
{
    struct mdom *d = &M.dom[id];
    uint32_t i, w;

    for (i = 0; i < M_NR_DATA; i++) {
        uint32_t *words;

        d->data[i] = alloc((domid_t)id);
        words = (uint32_t *)hosted_frame(d->data[i]);
        for (w = 0; w < PAGE_SIZE / 4u; w++)
            words[w] = machine_pattern(d->data[i], w);
        M.m2p[d->data[i]] = i;
    }
}

/* The address space of machine.h, validated by pinning and loading the L3. */
static void build_space(uint32_t id)
{
    struct mdom *d = &M.dom[id];
    uint32_t i;

    d->l3 = alloc((domid_t)id);
    d->l2_low = alloc((domid_t)id);
    d->l2_xen = alloc((domid_t)id);
    d->l1 = alloc((domid_t)id);
    d->l1_hi = alloc((domid_t)id);
    for (i = 0; i < M_NR_SPARE; i++) {
        d->spare[i] = alloc((domid_t)id);
        M.m2p[d->spare[i]] = M_NR_DATA + i;
    }
    for (i = 0; i < M_NR_DATA; i++)
        machine_poke(d->l1, i, pte(d->data[i], M_RW));
    machine_poke(d->l1, M_SLOT_L1_SELF, pte(d->l1, M_RO));
    machine_poke(d->l1, M_SLOT_SHARED, pte(d->shared, M_RW));
    machine_poke(d->l1, M_SLOT_L2_RO, pte(d->l2_low, M_RO));
    machine_poke(d->l1, M_SLOT_L3_RO, pte(d->l3, M_RO));
    for (i = M_FIRST_MAPPED_SPARE; i < M_NR_SPARE; i++)
        machine_poke(d->l1, M_SLOT_SPARE + i - M_FIRST_MAPPED_SPARE, pte(d->spare[i], M_RW));
    machine_poke(d->l1_hi, 0, pte(d->data[0], M_RO));
    machine_poke(d->l2_low, M_DATA_L2_SLOT, pte(d->l1, M_TAB));
    machine_poke(d->l2_xen, 0, pte(d->l1_hi, M_TAB));
    machine_poke(d->l3, 0, pte(d->l2_low, M_PDPTE));
    machine_poke(d->l3, PT_XEN_L3_SLOT, pte(d->l2_xen, M_PDPTE));
    if (pt_pin_table(&d->pt, d->l3, PGT_L3) != 0 || pt_set_baseptr(&d->pt, d->l3) != 0)
        die("boot tables do not validate");
    d->has_tables = true;
}

static uint32_t alloc_unbound(uint32_t id, domid_t remote)
{
    struct evtchn_alloc_unbound op = { DOMID_SELF, remote, 0 };

    if (evtchn_alloc_unbound(&M.world, (domid_t)id, id == M_DOM0, &op) != 0)
        die("alloc_unbound");
    return op.port;
}

static void bind_virq(uint32_t id, uint32_t virq)
{
    struct evtchn_bind_virq op = { virq, 0, 0 };

    if (evtchn_bind_virq(&M.world, (domid_t)id, id == M_DOM0, &op) != 0)
        die("bind_virq");
}

/* The channels of machine.h, made with the core's own operations. */
static void init_events(void)
{
    struct evtchn_bind_interdomain bi = { M_VICTIM, 0, 0, 0 };
    struct evtchn_bind_ipi ipi = { 0, 0 };
    struct evtchn_notify n;

    M.world.doms = M.evt_doms;
    M.world.nr = M_EVT_WORLD;
    bi.remote_port = alloc_unbound(M_VICTIM, M_DOM0);
    if (evtchn_bind_interdomain(&M.world, M_DOM0, &bi, &n) != 0)
        die("bind_interdomain");
    alloc_unbound(M_VICTIM, M_ATTACKER);
    alloc_unbound(M_VICTIM, M_ATTACKER);
    bind_virq(M_VICTIM, VIRQ_TIMER);
    if (evtchn_bind_ipi(&M.world, M_VICTIM, &ipi) != 0)
        die("bind_ipi");
    alloc_unbound(M_ATTACKER, M_VICTIM);
    bind_virq(M_ATTACKER, VIRQ_TIMER);
    alloc_unbound(M_BUILDER, M_DOM0);
}

void machine_init(void)
{
    struct pt_audit_report rep;
    uint32_t id, i;

    memset(&M, 0, sizeof(M));
    hosted_env_init(M_FRAMES);
    hosted_desc_evt_reset(true);
    /* the attacker's hypercall arguments live here (copy_from/to_guest) */
    hosted_guest_window(M_ARGS_VA, M_args, M_ARGS_LEN);
    hosted_hw_reset();
    init_frames();
    for (id = 0; id < M_NR_DOMS; id++)
        create_domain(id);
    for (id = 0; id < M_NR_DOMS; id++)
        alloc_data(id);
    for (id = 0; id < M_NR_DOMS; id++)
        if (id != M_BUILDER)
            build_space(id);
    init_events();
    init_grants();
    M.dom[M_BUILDER].mappable = true;       /* paused: dom0 is building it */
    hosted_set_foreign_mappable(M_BUILDER, true);
    if (machine_audit(&rep) != 0)
        die(pt_audit_what_name(rep.what));
    snap = M;
    memcpy(snap_evt, M_evt, sizeof(snap_evt));
    memcpy(snap_gnt, M_gnt, sizeof(snap_gnt));
    for (i = 0; i < M_FRAMES; i++)
        memcpy(snap_mem[i], hosted_frame(i), PAGE_SIZE);
    memset(dirty, 0, sizeof(dirty));
    hosted_touched_reset();
    hosted_hw_reset();
}

void machine_mark_dirty(uint32_t mfn)
{
    if (mfn < M_FRAMES)
        dirty[mfn / 8u] |= (uint8_t)(1u << (mfn % 8u));
}

void machine_collect_touched(void)
{
    uint32_t i;

    for (i = 0; i < M_FRAMES; i++)
        if (hosted_frame_touched(i))
            machine_mark_dirty(i);
    hosted_touched_reset();
}

void machine_mark_evt_dirty(void)
{
    evt_dirty = true;
}

void machine_mark_gnt_dirty(void)
{
    gnt_dirty = true;
}

void machine_reset(void)
{
    uint32_t i;

    machine_collect_touched();
    for (i = 0; i < M_FRAMES; i++)
        if ((dirty[i / 8u] >> (i % 8u)) & 1u)
            memcpy(hosted_frame(i), snap_mem[i], PAGE_SIZE);
    memset(dirty, 0, sizeof(dirty));
    hosted_touched_reset();
    M = snap;
    if (evt_dirty)
        memcpy(M_evt, snap_evt, sizeof(M_evt));
    evt_dirty = false;
    if (gnt_dirty)
        memcpy(M_gnt, snap_gnt, sizeof(M_gnt));
    gnt_dirty = false;
    memset(M_args, 0, sizeof(M_args));
    hosted_hw_reset();
    hosted_desc_evt_reset(false);
    for (i = 0; i < M_NR_DOMS; i++) {
        hosted_set_foreign_mappable((uint16_t)i, M.dom[i].mappable);
        hosted_set_shared_info((uint16_t)i, M.dom[i].shared);
    }
}

const struct frame *machine_snap_frame(uint32_t mfn)
{
    return &snap.frames[mfn];
}

const uint8_t *machine_snap_mem(uint32_t mfn)
{
    return snap_mem[mfn];
}

const struct evtchn_domain *machine_snap_evt(uint32_t dom)
{
    return &snap_evt[dom];
}

uint32_t machine_snap_m2p(uint32_t mfn)
{
    return snap.m2p[mfn];
}

/* sweep_frames(): free what nothing references any more. */
static uint32_t sweep(uint32_t id)
{
    uint32_t mfn, held = 0;

    for (mfn = 0; mfn < M_FRAMES; mfn++) {
        if (M.frames[mfn].owner != id)
            continue;
        if (frame_free(&M.ft, mfn) == 0)
            M.m2p[mfn] = 0xFFFFFFFFu;
        else
            held++;
    }
    return held;
}

uint32_t machine_destroy(uint32_t id)
{
    struct mdom *d = &M.dom[id];
    uint32_t mfn;

    if (d->dead)
        return sweep(id);
    /* events_domain_destroy(), grant_table_domain_destroy() */
    evtchn_domain_destroy(&M.world, (domid_t)id);
    M.evt_doms[id] = NULL;
    machine_mark_evt_dirty();
    gnttab_domain_destroy(&M.gworld, &d->pt);
    M.gnt_doms[id] = NULL;
    machine_mark_gnt_dirty();
    machine_release_desc(d);
    /* drop_tables() */
    pt_clear_baseptr(&d->pt);
    for (mfn = 0; mfn < M_FRAMES; mfn++)
        if (M.frames[mfn].owner == id && (M.frames[mfn].flags & FRAME_PINNED))
            pt_unpin_table(&d->pt, mfn);
    held_frame_release(&d->pt, d->shared);
    hosted_set_shared_info((uint16_t)id, INVALID_MFN);          /* a dead domain gets no event */
    d->dead = true;
    return sweep(id);
}

static void hold(struct pt_audit_hold *h, uint32_t *n, uint32_t mfn, uint32_t type_refs,
                 uint8_t type)
{
    h[*n].mfn = mfn;
    h[*n].refs = 1;
    h[*n].type_refs = type_refs;
    h[*n].type = type;
    (*n)++;
}

/* The holds hv/audit.c declares: shared_info, GDT, LDT and grant frames. */
static uint32_t collect_holds(struct pt_audit_hold *h)
{
    uint32_t n = 0, id, j;

    for (id = 0; id < M_NR_DOMS; id++) {
        const struct mdom *d = &M.dom[id];

        if (d->dead)
            continue;                       /* teardown released them all */
        n += gnttab_audit_holds(&M_gnt[id], h + n, M_MAX_HOLDS - n);
        hold(h, &n, d->shared, 1, PGT_WRITABLE);
        for (j = 0; j < d->desc.gdt_frames; j++)
            hold(h, &n, d->desc.gdt_mfn[j], 1, PGT_SEG_DESC);
        for (j = 0; j < M_LDT_PAGES; j++)
            if (d->desc.ldt_mfn[j])
                hold(h, &n, d->desc.ldt_mfn[j], 1, PGT_SEG_DESC);
    }
    return n;
}

int machine_audit(struct pt_audit_report *rep)
{
    struct pt_audit_domain doms[M_NR_DOMS];
    struct pt_audit_hold holds[M_MAX_HOLDS];
    struct pt_audit_in in;
    uint32_t id;

    for (id = 0; id < M_NR_DOMS; id++) {
        doms[id].dom = (domid_t)id;
        doms[id].io_capable = M.dom[id].pt.io_capable;
        doms[id].cr3_mfn = M.dom[id].pt.cr3_mfn;
        doms[id].xen_l2_slots = M.dom[id].pt.xen_l2_slots;
        doms[id].privileged = M.dom[id].pt.privileged;
    }
    in.ft = &M.ft;
    in.doms = doms;
    in.nr_doms = M_NR_DOMS;
    in.holds = holds;
    in.nr_holds = collect_holds(holds);
    in.scratch = scratch;
    return pt_audit(&in, rep);
}
