/*
 * Independent statements of the rules the pure checks enforce, written
 * from the hardware's point of view rather than from the checker's
 * arithmetic, so that a checker and its oracle would have to be wrong in
 * the same way for a bug to pass. Each returns whether the rule holds;
 * the callers turn "no" into a finding.
 */
#include "exec_internal.h"
#include "hosted_env.h"
#include "pv/arch_x86_32.h"
#include "pv/layout.h"

/* Field extraction, hardware layout (Intel SDM vol. 3, 3.4.5). */
static uint32_t hi(uint64_t d) { return (uint32_t)(d >> 32); }
static uint32_t lo(uint64_t d) { return (uint32_t)d; }

/*
 * DESC-1..DESC-10: what the CPU could do with descriptor `d` once loaded.
 * A present descriptor has DPL >= 1. A code or data segment reaches only
 * linear addresses below GUEST_SEGMENT_MAX_ADDR: for expand-up and code,
 * offsets 0..limit; for expand-down data, offsets limit+1 .. 0xFFFF or
 * 0xFFFFFFFF (the B bit), each added to the base modulo 2^32. A system
 * descriptor is a 32-bit call gate to a guest selector with RPL >= 1.
 */
bool oracle_desc_safe(uint64_t d)
{
    uint32_t h = hi(d), l = lo(d);
    uint32_t type = (h >> 8) & 0xFu, s = (h >> 12) & 1u, dpl = (h >> 13) & 3u;
    uint64_t base, limit, first, last;

    if (!((h >> 15) & 1u))
        return true;                            /* not present: never loaded */
    if (dpl == 0)
        return false;
    if (!s) {
        uint16_t sel = (uint16_t)(l >> 16);

        return type == 0xCu && (sel & 3u) != 0 && ((h >> 5) & 7u) == 0 &&
               ((sel & 4u) || (sel >> 3) < FIRST_RESERVED_GDT_ENTRY || sel == FLAT_RING1_CS);
    }
    base = (l >> 16) | ((uint64_t)(h & 0xFFu) << 16) | ((uint64_t)(h >> 24) << 24);
    limit = (l & 0xFFFFu) | ((uint64_t)((h >> 16) & 0xFu) << 16);
    if ((h >> 23) & 1u)
        limit = limit * 4096u + 4095u;
    if (!(type & 8u) && (type & 4u)) {          /* expand-down data */
        uint64_t top = ((h >> 22) & 1u) ? 0xFFFFFFFFull : 0xFFFFull;

        if (limit >= top)
            return true;                        /* no offset is accessible */
        first = base + limit + 1u;
        last = base + top;
    } else {
        first = base;
        last = base + limit;
    }
    if (first >= 0x100000000ull)                /* wholly wrapped: below the base */
        return last - 0x100000000ull < GUEST_SEGMENT_MAX_ADDR;
    return last < GUEST_SEGMENT_MAX_ADDR;       /* also refuses a range that wraps */
}

/* TRAP-3, CB-2, BOUNCE-2: code a guest may run: never ring 0, never a
 * hypervisor selector but the flat guest ones. */
bool oracle_code_selector(uint16_t sel)
{
    if ((sel & 3u) == 0 || sel < 4)
        return false;
    if (sel & 4u)
        return true;                            /* LDT: its entries were checked */
    if ((sel >> 3) < FIRST_RESERVED_GDT_ENTRY)
        return true;
    return (sel & ~3u) == (FLAT_RING1_CS & ~3u) || (sel & ~3u) == (FLAT_RING3_CS & ~3u);
}

/* EMUL-9, EMUL-10: every enabled breakpoint lies below the hypervisor,
 * none is an I/O breakpoint, general detect is off. EMUL-20: no DRn,
 * enabled or not, holds an address whose 4 bytes reach the hypervisor. */
bool oracle_dr_safe(const struct emul_dr_state *s)
{
    static const uint32_t len_of[4] = { 1, 2, 8, 4 };
    uint32_t n;

    if (s->dr7 & (1u << 13))
        return false;
    for (n = 0; n < 4; n++) {
        uint32_t rw = (s->dr7 >> (16 + 4 * n)) & 3u, len = (s->dr7 >> (18 + 4 * n)) & 3u;

        if ((uint64_t)s->dr[n] + 4 >= HYPERVISOR_VIRT_START)
            return false;
        if (!((s->dr7 >> (2 * n)) & 3u))
            continue;
        if (rw == 2 || (rw == 0 && len != 0))
            return false;
        if ((uint64_t)s->dr[n] + len_of[len] > HYPERVISOR_VIRT_START)
            return false;
    }
    return true;
}

/* EVT-1, EVT-2, EVT-6, EVT-9 over every table of the machine. */
static void check_port(uint32_t id, const struct evtchn_domain *d, uint32_t p)
{
    const struct evtchn_port *e = &d->ports[p];
    const struct evtchn_domain *peer;

    if (e->state > EVTCHN_IPI)
        exec_finding("EVT: dom%u port %u in state %u", id, p, e->state);
    if ((p == 0 || p >= d->max_ports) && e->state != EVTCHN_FREE)
        exec_finding("EVT-1: dom%u port %u (max %u) in use", id, p, d->max_ports);
    if (e->state == EVTCHN_VIRQ && (e->virq >= NR_VIRQS || d->virq_port[e->virq] != p))
        exec_finding("EVT-9: dom%u port %u VIRQ %u not recorded", id, p, e->virq);
    if (e->state != EVTCHN_INTERDOMAIN)
        return;
    if (e->remote_port >= EVTCHN_NR_PORTS || e->remote_dom >= M_EVT_WORLD ||
        !(peer = M.evt_doms[e->remote_dom]))
        exec_finding("EVT-6: dom%u port %u links to dom%u port %u", id, p, e->remote_dom,
                     e->remote_port);
    if (peer->ports[e->remote_port].state != EVTCHN_INTERDOMAIN ||
        peer->ports[e->remote_port].remote_dom != id ||
        peer->ports[e->remote_port].remote_port != p)
        exec_finding("EVT-6: dom%u port %u -> dom%u port %u does not link back", id, p,
                     e->remote_dom, e->remote_port);
}

void oracle_evtchn_world(void)
{
    uint32_t id, p, v;

    for (id = 0; id < M_NR_DOMS; id++) {
        const struct evtchn_domain *d = &M_evt[id];

        if (d->dom != id || d->max_ports < 1 || d->max_ports > EVTCHN_NR_PORTS)
            exec_finding("EVT-3: dom%u table id %u max_ports %u", id, d->dom, d->max_ports);
        for (p = 0; p < EVTCHN_NR_PORTS; p++)
            check_port(id, d, p);
        for (v = 0; v < NR_VIRQS; v++) {
            uint32_t p2 = d->virq_port[v];

            if (p2 && (p2 >= d->max_ports || d->ports[p2].state != EVTCHN_VIRQ ||
                       d->ports[p2].virq != v))
                exec_finding("EVT-9: dom%u VIRQ %u names port %u", id, v, p2);
        }
    }
}

/*
 * PT-1..PT-5, PT-10..PT-13 over every validated table of the machine, and
 * PT-35's "tables are never foreign" (an L2 or L3 entry names a table of
 * its own table's owner),
 * restated as the bits the CPU would honour (Intel SDM vol. 3, 4.4), so a
 * slip in pte.c, which the audit shares, still shows. An entry that is not
 * present is never walked and may hold anything.
 */
#define BITS_44_62 (0x7FFFF00000000000ull)
#define BITS_44_63 (0xFFFFF00000000000ull)
#define B_RW  0x002ull
#define B_US  0x004ull
#define B_PWT 0x008ull
#define B_PCD 0x010ull
#define B_D   0x040ull
#define B_PS  0x080ull               /* PSE in an L2 or L3 entry, PAT in an L1 entry */
#define B_G   0x100ull

static uint64_t entry(uint32_t mfn, uint32_t slot)
{
    return machine_peek(mfn, slot);
}

/* A whole table at once (the per-entry path costs a lookup per entry). */
static const uint64_t *table(uint32_t mfn)
{
    return (const uint64_t *)(const void *)hosted_frame(mfn);
}

static uint32_t target(uint64_t e)
{
    return (uint32_t)((e & 0x00000FFFFFFFF000ull) >> 12);
}

static bool is_type(uint32_t mfn, uint8_t type)
{
    return mfn < M_FRAMES && M.frames[mfn].type == type && M.frames[mfn].type_count > 0;
}

static void check_l1(uint32_t mfn, bool io)
{
    uint64_t bad = BITS_44_62 | B_G | (io ? 0 : (B_PWT | B_PCD | B_PS));
    const uint64_t *t = table(mfn);
    uint32_t s;

    for (s = 0; s < 512; s++) {
        uint64_t e = t[s];

        if ((e & 1u) && (e & bad))
            exec_finding("PT-1/2 oracle: L1 %u slot %u holds %#llx", mfn, s,
                         (unsigned long long)e);
    }
}

static void check_l2(uint32_t mfn, bool xen)
{
    uint32_t s, guest = xen ? PT_XEN_FIRST_SLOT : 512u;
    const uint64_t *t = table(mfn);

    for (s = 0; s < guest; s++) {
        uint64_t e = t[s];

        if (!(e & 1u))
            continue;
        if (e & (BITS_44_62 | B_PS | B_G | B_PWT | B_PCD))
            exec_finding("PT-3/4 oracle: L2 %u slot %u holds %#llx", mfn, s,
                         (unsigned long long)e);
        if (!is_type(target(e), PGT_L1))
            exec_finding("PT-8 oracle: L2 %u slot %u names frame %u, not an L1", mfn, s,
                         target(e));
        else if (M.frames[target(e)].owner != M.frames[mfn].owner)
            exec_finding("PT-35 oracle: L2 %u of owner %#x names L1 %u of owner %#x", mfn,
                         M.frames[mfn].owner, target(e), M.frames[target(e)].owner);
    }
    for (; s < 512; s++)
        if (t[s] != M.xen_slots[s - PT_XEN_FIRST_SLOT])
            exec_finding("PT-12 oracle: L2_XEN %u hypervisor slot %u holds %#llx", mfn, s,
                         (unsigned long long)t[s]);
}

static void check_l3(uint32_t mfn)
{
    uint32_t s;

    for (s = 0; s < 4; s++) {
        uint64_t e = entry(mfn, s);

        if (!(e & 1u)) {
            if (s == PT_XEN_L3_SLOT)
                exec_finding("PT-10 oracle: L3 %u has no slot 3", mfn);
            continue;
        }
        /* A: the CPU may set it in a PDPTE it has loaded (pt_audit agrees) */
        if (e & (BITS_44_63 | B_RW | B_US | B_PWT | B_PCD | B_D | B_PS | B_G))
            exec_finding("PT-5 oracle: L3 %u slot %u holds %#llx", mfn, s,
                         (unsigned long long)e);
        if (!is_type(target(e), s == PT_XEN_L3_SLOT ? PGT_L2_XEN : PGT_L2))
            exec_finding("PT-11 oracle: L3 %u slot %u names frame %u of type %u", mfn, s,
                         target(e), target(e) < M_FRAMES ? M.frames[target(e)].type : 0);
        else if (M.frames[target(e)].owner != M.frames[mfn].owner)
            exec_finding("PT-35 oracle: L3 %u of owner %#x names L2 %u of owner %#x", mfn,
                         M.frames[mfn].owner, target(e), M.frames[target(e)].owner);
    }
}

/*
 * DESC-1..DESC-11, DESC-14..DESC-16 on what the CPU can load: every entry
 * of a frame that holds the descriptor type and may have changed (mapped
 * by the core, written raw, or its record changed) is safe by the oracle
 * above, however it got there (set_gdt, update_descriptor, an LDT page).
 */
void oracle_desc_frames(const uint8_t *changed)
{
    uint32_t mfn, i;

    for (mfn = 0; mfn < M_FRAMES; mfn++) {
        if (!((changed[mfn / 8u] >> (mfn % 8u)) & 1u))
            continue;
        if (M.frames[mfn].type != PGT_SEG_DESC || M.frames[mfn].type_count == 0)
            continue;
        for (i = 0; i < 512u; i++)
            if (!oracle_desc_safe(machine_peek(mfn, i)))
                exec_finding("descriptor frame %u holds unsafe entry %u: %#llx", mfn, i,
                             (unsigned long long)machine_peek(mfn, i));
    }
}

/*
 * Only the tables the operation may have changed: `changed` marks frames
 * whose content (mapped by the core, or written raw) or record changed;
 * the audit's recount covers what the others name.
 */
void oracle_tables(const uint8_t *changed)
{
    uint32_t mfn;

    for (mfn = 0; mfn < M_FRAMES; mfn++) {
        const struct frame *f = &M.frames[mfn];

        if (!((changed[mfn / 8u] >> (mfn % 8u)) & 1u))
            continue;
        if (!(f->flags & FRAME_VALIDATED) || f->type_count == 0 || f->owner >= M_NR_DOMS)
            continue;
        switch (f->type) {
        case PGT_L1:
            check_l1(mfn, M.dom[f->owner].pt.io_capable);
            break;
        case PGT_L2:
        case PGT_L2_XEN:
            check_l2(mfn, f->type == PGT_L2_XEN);
            break;
        case PGT_L3:
            check_l3(mfn);
            break;
        default:
            break;
        }
    }
}

/* PT-13: slot 3 of a validated L3 is fixed while it stays validated. */
static uint64_t slot3_before[M_FRAMES];

static bool validated_l3(uint32_t mfn)
{
    return M.frames[mfn].type == PGT_L3 && (M.frames[mfn].flags & FRAME_VALIDATED);
}

void oracle_slot3_before(void)
{
    uint32_t mfn;

    for (mfn = 0; mfn < M_FRAMES; mfn++)
        slot3_before[mfn] = validated_l3(mfn) ? entry(mfn, PT_XEN_L3_SLOT) : 0;
}

void oracle_slot3_after(void)
{
    uint32_t mfn;

    for (mfn = 0; mfn < M_FRAMES; mfn++)
        if (slot3_before[mfn] && validated_l3(mfn) &&
            entry(mfn, PT_XEN_L3_SLOT) != slot3_before[mfn])
            exec_finding("PT-13 oracle: L3 %u slot 3 changed %#llx -> %#llx", mfn,
                         (unsigned long long)slot3_before[mfn],
                         (unsigned long long)entry(mfn, PT_XEN_L3_SLOT));
}
