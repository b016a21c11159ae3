/*
 * The hosted machine the in-process fuzzers run programs on.
 *
 * Theory of operation. Four domains over one frame table and the hosted
 * memory model (tests/hosted/hosted_env.c), set up the way the
 * hypervisor's domain_create() and a domain builder would:
 *
 *   dom0      id 0  privileged, I/O capable, its own address space
 *   attacker  id 1  runs the program
 *   victim    id 2  running (never mappable by dom0); its data frames hold
 *                   a known pattern; it never acts
 *   builder   id 3  a paused guest dom0 is building: data frames, no
 *                   tables; dom0 may map its frames (PT-33)
 *
 * dom0, the attacker and the victim each get (frame numbers vary):
 *
 *   l3      slot 0 -> l2_low, slot 3 -> l2_xen; pinned, and the base table
 *   l2_low  slot 2 -> l1                       (va M_DATA_VA, 0x00400000)
 *   l2_xen  slot 0 -> l1_hi                    (va M_HIGH_VA, 0xC0000000)
 *   l1      0..7 data RW, 10 l1 RO, 11 shared_info RW, 12 l2_low RO,
 *           13 l3 RO, 16..19 spare[4..7] RW
 *   l1_hi   slot 0 -> data[0] RO
 *   spare   8 frames with no type, for building new tables
 *
 * Every domain has a shared_info frame the hypervisor holds one
 * reference on, and an event-channel table. Frames 0..7 are the
 * hypervisor's (the hypervisor slots of every slot-3 L2 name them; the
 * first eight slots, the M2P, read-only); frames 248..255 are MMIO
 * (DOMID_IO). Initial channels: dom0 port 1 <-> victim port 1; victim
 * ports 2 and 3 unbound for the attacker, port 4 VIRQ_TIMER, port 5 IPI;
 * attacker port 1 unbound for the victim, port 2 VIRQ_TIMER; builder
 * port 1 unbound for dom0.
 *
 * Every domain has a grant table (none of its frames set up) but the
 * victim, which has one frame: ref 1 grants its data[1] read-only to the
 * attacker, ref 2 its data[2] writable to a domain that does not exist.
 * Nothing the attacker or dom0 may legally do changes the victim then.
 *
 * Fast reset (Nyx-like): the whole state is snapshotted once after set
 * up. machine_reset() copies back the small records always, the event
 * and grant tables only if an op of theirs ran, and only the frames the core mapped or
 * a raw write touched (hosted_frame_touched(), machine_mark_dirty()).
 */
#ifndef FUZZ_MACHINE_H
#define FUZZ_MACHINE_H

#include "desc_op.h"
#include "emul_dr.h"
#include "evtchn.h"
#include "gnttab.h"
#include "pt_audit.h"
#include "pt_ctx.h"
#include "pte.h"

#define M_FRAMES        256u
#define M_XEN_FRAMES    8u
#define M_IO_FIRST      248u
#define M_NR_DOMS       4u
#define M_DOM0          0u
#define M_ATTACKER      1u
#define M_VICTIM        2u
#define M_BUILDER       3u
#define M_NR_DATA       8u
#define M_NR_SPARE      8u
#define M_FIRST_MAPPED_SPARE 4u
#define M_EVT_WORLD     8u          /* ids 4..7 exist as "no such domain" */
#define M_NO_DOMAIN     5u

#define M_DATA_VA       0x00400000u
#define M_HIGH_VA       0xC0000000u
#define M_DATA_L2_SLOT  2u
#define M_SLOT_L1_SELF  10u
#define M_SLOT_SHARED   11u
#define M_SLOT_L2_RO    12u
#define M_SLOT_L3_RO    13u
#define M_SLOT_SPARE    16u

#define M_ARGS_VA       0x10000000u /* the hypercall argument window */
#define M_ARGS_LEN      0x4000u

#define M_GDT_FRAMES    DESC_GDT_FRAMES
#define M_LDT_PAGES     DESC_LDT_PAGES
#define M_MAX_LEARNED   16u
#define M_MAX_HOLDS     (M_NR_DOMS * (1u + M_GDT_FRAMES + M_LDT_PAGES + GNTTAB_MAX_FRAMES))

/* Entry flags as a guest kernel writes them. */
#define M_RW     (PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D)
#define M_RO     (PTE_P | PTE_US | PTE_A)
#define M_TAB    (PTE_P | PTE_RW | PTE_US | PTE_A)
#define M_PDPTE  (PTE_P)

struct mdom {
    struct pt_ctx pt;
    bool has_tables;
    uint32_t l3, l2_low, l2_xen, l1, l1_hi, shared;
    uint32_t data[M_NR_DATA];
    uint32_t spare[M_NR_SPARE];
    struct desc_tables desc;        /* GDT frames, mapped LDT pages (hv/core/desc_op.h) */
    /* guest CPU state the pure checks update */
    struct emul_dr_state dr;
    uint32_t viopl;
    /* ports its own event operations returned (handles PC_LEARNED) */
    uint32_t learned[M_MAX_LEARNED];
    uint32_t nr_learned;
    /* grant handles its own maps returned (handles GH_LEARNED) */
    uint32_t gnt_learned[M_MAX_LEARNED];
    uint32_t nr_gnt_learned;
    bool mappable;                  /* env_foreign_mappable() for this id */
    bool dead;                      /* torn down: acts no more, holds nothing */
};

/* Everything but the large tables and memory; restored on every reset. */
struct machine {
    struct frame frames[M_FRAMES];
    struct frame_table ft;
    uint32_t m2p[M_FRAMES];
    uint64_t xen_slots[PT_XEN_SLOTS];
    struct mdom dom[M_NR_DOMS];
    struct evtchn_domain *evt_doms[M_EVT_WORLD];
    struct evtchn_world world;
    struct gnttab_domain *gnt_doms[M_EVT_WORLD];
    struct gnttab_world gworld;     /* as hv/grant_table.c: no unprivileged host maps */
};

extern struct machine M;
extern struct evtchn_domain M_evt[M_NR_DOMS];
extern struct gnttab_domain M_gnt[M_NR_DOMS];
extern uint8_t M_args[M_ARGS_LEN];

/* Build the machine and take the snapshot (once per process). */
void machine_init(void);

/* Back to the snapshot. */
void machine_reset(void);

/* A frame changed outside the core (a raw write): restore it on reset. */
void machine_mark_dirty(uint32_t mfn);

/* Fold the frames the core mapped since the last call into the dirty set. */
void machine_collect_touched(void);

/* An event table changed: restore it on reset. */
void machine_mark_evt_dirty(void);

/* A grant table changed: restore it on reset. */
void machine_mark_gnt_dirty(void);

/* The snapshot's view, for the victim and hypervisor checks. */
const struct frame *machine_snap_frame(uint32_t mfn);
const uint8_t *machine_snap_mem(uint32_t mfn);
const struct evtchn_domain *machine_snap_evt(uint32_t dom);
uint32_t machine_snap_m2p(uint32_t mfn);

/* The pattern the victim's data frames hold. */
uint32_t machine_pattern(uint32_t mfn, uint32_t word);

/* Run pt_audit() over every domain and hold; 0 or -EINVAL with *rep. */
int machine_audit(struct pt_audit_report *rep);

/*
 * domain_release_resources() for `id`, or (already dead) the sweep of
 * domain_try_free(): the number of its frames still referenced elsewhere.
 */
uint32_t machine_destroy(uint32_t id);

/* desc_release_all() for `d` (fuzz/exec_mm.c). */
void machine_release_desc(struct mdom *d);

/* Entry `ref` of domain `dom`'s grant table in its frame *mfn, or NULL. */
struct grant_entry_v1 *machine_gnt_entry(uint32_t dom, uint32_t ref, uint32_t *mfn);

/* The 8-byte entry `slot` of frame `mfn`, read and written directly. */
uint64_t machine_peek(uint32_t mfn, uint32_t slot);
void machine_poke(uint32_t mfn, uint32_t slot, uint64_t e);

#endif
