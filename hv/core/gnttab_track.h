/*
 * Grant tables v1: the hypervisor's own record of grants in use, and the
 * single steps that change it (spec/grants.md, GNT-1..). gnttab.h builds
 * the grant_table_op operations on these steps.
 *
 * Theory of operation. A granting domain ("granter") writes grant_entry_v1
 * records into grant-table frames it shares with the hypervisor; another
 * domain ("grantee") asks to map or copy the frame an entry names. The
 * shared entries are guest memory, hostile and changeable at any time, so
 * nothing about safety is kept there (GNT-13). What keeps a frame alive
 * and typed is in hypervisor memory:
 *
 *  - Frame references. A host mapping of a granted frame is an L1 entry
 *    in the grantee's tables, and it holds what any L1 entry holds
 *    (spec/memory.md): one general reference, plus a PGT_WRITABLE type
 *    reference when it is writable. gnttab_frame_get() takes exactly
 *    that on the granter's frame (GNT-7, GNT-8), gnttab_frame_put() drops
 *    exactly that; a failed get changes nothing. So while a grant is
 *    mapped the granter cannot free the frame, and a frame mapped
 *    writable through a grant can never become a page table (PT-15).
 *
 *  - The maptrack, per grantee: handle -> {granter, ref, frame, RW, the L1
 *    and slot of the PTE, the address the guest gave}. A handle is in use
 *    from a successful map to its unmap, and only an in-use handle below
 *    GNTTAB_MAPTRACK_SIZE is accepted (GNT-2; unmapping twice finds the
 *    handle free: XSA-224).
 *
 *  - The active entries, per granter and ref: how many read-only and
 *    writable mappings exist (pins), of which frame, by which grantee.
 *    Every in-use, not orphaned maptrack entry accounts for exactly one
 *    pin. The pins only decide when the hypervisor sets or clears
 *    GTF_reading/GTF_writing in the shared entry, the granter's hint that
 *    revoking would not take the page back.
 *
 * Grant-table frames belong to their domain (it maps them itself, as a
 * PV guest does) and the hypervisor holds a general and a PGT_WRITABLE
 * reference on each from setup until the domain dies (GNT-16), so they
 * can never become page tables or descriptor tables: the hypervisor
 * writes flag bits into them.
 *
 * Every index is checked here: a grant ref against the granter's table
 * size (GNT-1), a handle against the maptrack size (GNT-2), a frame
 * number against the frame table (GNT-7). Proved with WP (proofs/).
 */
#ifndef CORE_GNTTAB_TRACK_H
#define CORE_GNTTAB_TRACK_H

#include "types.h"
#include "frame.h"
#include "env.h"
#include "pagetype.h"
#include "pv/errno.h"
#include "pv/grant_table.h"

#define GNTTAB_ENTRIES_PER_FRAME  GNTTAB_ENTRIES_PER_FRAME_V1   /* 512 */
#define GNTTAB_MAX_FRAMES         4u
#define GNTTAB_MAX_ENTRIES        (GNTTAB_MAX_FRAMES * GNTTAB_ENTRIES_PER_FRAME)
#define GNTTAB_MAPTRACK_SIZE      1024u   /* dom0: 4 ring pages for each of 255 guests (DEV-18) */
#define GNTTAB_PIN_MAX            0xFFFFu
#define GNTTAB_NO_HANDLE          GNTTAB_MAPTRACK_SIZE

_Static_assert(sizeof(struct grant_entry_v1) * GNTTAB_ENTRIES_PER_FRAME == PAGE_SIZE,
               "a grant frame holds 512 v1 entries");

/* Per granter and ref: the mappings that exist (hypervisor memory). */
struct gnttab_active {
    uint32_t mfn;          /* the frame the pins are on (while pinned) */
    uint16_t ro_pins;      /* read-only host mappings */
    uint16_t rw_pins;      /* writable host mappings */
    domid_t  grantee;      /* whose mappings they are (while pinned) */
    uint16_t pad;
};

/* gnttab_map.flags */
#define GNTTAB_MT_USED    0x01u   /* the handle is in use */
#define GNTTAB_MT_RW      0x02u   /* writable: holds PGT_WRITABLE too */
#define GNTTAB_MT_ORPHAN  0x04u   /* the granter died: no pin to release */

/* Per grantee and handle: one host mapping it made (hypervisor memory). */
struct gnttab_map {
    uint8_t  flags;        /* GNTTAB_MT_* */
    uint8_t  pad;
    domid_t  granter;
    uint32_t ref;
    uint32_t mfn;          /* the granted frame */
    uint32_t l1_mfn;       /* the grantee's L1 holding the PTE */
    uint32_t l1_slot;
    uint32_t pad2;
    uint64_t host_addr;    /* as the guest gave it (unmap must repeat it) */
};

struct gnttab_domain {
    domid_t  dom;
    uint16_t pad;
    uint32_t nr_frames;                    /* grant frames set up */
    uint32_t max_frames;                   /* at most GNTTAB_MAX_FRAMES */
    uint32_t frames[GNTTAB_MAX_FRAMES];    /* their mfns */
    struct gnttab_active active[GNTTAB_MAX_ENTRIES];
    struct gnttab_map maptrack[GNTTAB_MAPTRACK_SIZE];
};

/*@ predicate gnt_dom_ok(struct gnttab_domain *gt) =
        \valid(gt) && gt->nr_frames <= gt->max_frames &&
        gt->max_frames <= GNTTAB_MAX_FRAMES;

    predicate gnt_ft_ok(struct frame_table *ft) =
        \valid(ft) && \valid(ft->frames + (0 .. ft->nr_frames - 1)) &&
        \separated(ft, ft->frames + (0 .. ft->nr_frames - 1));

    predicate gnt_f_owned(struct frame_table *ft, integer mfn, integer owner) =
        0 <= mfn < ft->nr_frames && owner < DOMID_FIRST_RESERVED &&
        ft->frames[mfn].owner == owner;

    predicate gnt_handle_used(struct gnttab_domain *gt, integer h) =
        0 <= h < GNTTAB_MAPTRACK_SIZE && (gt->maptrack[h].flags / GNTTAB_MT_USED) % 2 == 1;

    // The shared entry `ref` of gt's table as memory holds it at label L:
    // little-endian fields of the frame gt->frames[ref / 512], at offset
    // (ref % 512) * 8. In the proof model every mapping is the one window
    // env_map_window (proofs/include/proof_env.h), so the frame shows only
    // through the mapping that the functions below make of it.
    logic integer gnt_entry_off(integer ref) = (ref % GNTTAB_ENTRIES_PER_FRAME) * 8;
    logic integer gnt_byte{L}(integer i) = (env_map_window[i] + 256) % 256;
    logic integer gnt_u16{L}(integer i) = gnt_byte(i) + gnt_byte(i + 1) * 256;
    logic integer gnt_entry_flags{L}(integer ref) = gnt_u16(gnt_entry_off(ref));
    logic integer gnt_entry_domid{L}(integer ref) = gnt_u16(gnt_entry_off(ref) + 2);
    logic integer gnt_entry_frame{L}(integer ref) =
        gnt_u16(gnt_entry_off(ref) + 4) + gnt_u16(gnt_entry_off(ref) + 6) * 65536;

    // Every byte of the mapped frame but the entry's flags is as it was.
    // (A `% 65536` below only restates that the flags word is 16 bits
    // wide: the provers do not bound `|` and `&` by themselves.)
    predicate gnt_only_flags_changed{A,B}(integer ref) =
        \forall integer i; 0 <= i < PAGE_SIZE && i != gnt_entry_off(ref) &&
            i != gnt_entry_off(ref) + 1 ==>
            \at(env_map_window[i], A) == \at(env_map_window[i], B);
*/

/* GNT-1: is `ref` an entry of gt's table as it is now? */
/*@ requires \valid_read(gt);
    assigns \nothing;
    ensures GNT_1: \result == 1 <==>
        (gt->nr_frames <= GNTTAB_MAX_FRAMES &&
         ref < gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME);
    ensures \result == 1 ==> ref < GNTTAB_MAX_ENTRIES;
*/
bool gnttab_ref_ok(const struct gnttab_domain *gt, uint32_t ref);

/*
 * GNT-5: may `grantee` map (rw: writably) or copy through this entry, a
 * local copy of the shared one? Its type must be permit_access (not
 * sub-page), its domid the grantee, and a writable use needs the entry
 * not readonly. GNTST_okay or GNTST_general_error (Xen's code).
 */
/*@ assigns \nothing;
    ensures GNT_5: \result == GNTST_okay <==>
        (flags % 4 == GTF_permit_access && (flags / GTF_sub_page) % 2 == 0 &&
         domid == grantee && (rw == 0 || (flags / GTF_readonly) % 2 == 0));
    ensures \result == GNTST_okay || \result == GNTST_general_error;
*/
int gnttab_entry_check(uint16_t flags, domid_t domid, domid_t grantee, bool rw);

/*
 * Read entry `ref` of gt's shared table once, field by field, into *e
 * (the only copy the caller may look at). Requires gnttab_ref_ok().
 */
/*@ requires gnt_dom_ok(gt) && \valid(e);
    requires ref < gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME;
    requires \separated(e, env_map_window + (0 .. PAGE_SIZE - 1));
    assigns *e;
    ensures GNT_13: e->flags == gnt_entry_flags(ref) && e->domid == gnt_entry_domid(ref) &&
                    e->frame == gnt_entry_frame(ref);
*/
void gnttab_entry_read(const struct gnttab_domain *gt, uint32_t ref,
                       struct grant_entry_v1 *e);

/*
 * GNT-13: set `bits` (GTF_reading, GTF_writing) in entry `ref`'s flags if
 * its flags and domid still read as `seen` (a compare-and-swap on the
 * 32-bit flags+domid word; see gnttab.c for why a plain read-compare-
 * write is atomic enough on one CPU). true when written.
 */
/*@ requires gnt_dom_ok(gt);
    requires ref < gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME;
    assigns env_map_window[0 .. PAGE_SIZE - 1];
    ensures GNT_13: \result == 1 <==>
        (\old(gnt_entry_flags(ref)) == seen_flags && \old(gnt_entry_domid(ref)) == seen_domid);
    ensures GNT_13: gnt_only_flags_changed{Old,Post}(ref);
    ensures GNT_13: \result == 1 ==> gnt_entry_flags(ref) == (seen_flags | bits) % 65536;
    ensures GNT_13: \result == 0 ==> gnt_entry_flags(ref) == \old(gnt_entry_flags(ref));
*/
bool gnttab_entry_set_flags(const struct gnttab_domain *gt, uint32_t ref,
                            uint16_t seen_flags, domid_t seen_domid, uint16_t bits);

/* GNT-13: clear `bits` in entry `ref`'s flags (the last pin went). */
/*@ requires gnt_dom_ok(gt);
    requires ref < gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME;
    assigns env_map_window[0 .. PAGE_SIZE - 1];
    ensures GNT_13: gnt_only_flags_changed{Old,Post}(ref);
    ensures GNT_13: gnt_entry_flags(ref) == (\old(gnt_entry_flags(ref)) & (65535 - bits)) % 65536;
*/
void gnttab_entry_clear_flags(const struct gnttab_domain *gt, uint32_t ref, uint16_t bits);

/*
 * GNT-7, GNT-8: the references a mapping of `mfn` holds, taken for a
 * grant of `owner`: one general reference, and with `rw` the
 * PGT_WRITABLE type as well (a frame of another type, such as a page
 * table, refuses it: PT-7, PT-15). GNTST_okay; GNTST_bad_page when the
 * frame is not `owner`'s RAM (beyond the table, another owner, free, the
 * hypervisor's or I/O); GNTST_general_error for a type conflict or a
 * count at its limit. A failure changes nothing.
 */
/*@ requires gnt_ft_ok(ft);
    assigns ft->frames[mfn].refcount, ft->frames[mfn].type,
            ft->frames[mfn].type_count, ft->frames[mfn].flags;
    ensures \result == GNTST_okay || \result == GNTST_bad_page ||
            \result == GNTST_general_error;
    ensures GNT_7: \result != GNTST_bad_page <==> gnt_f_owned(ft, mfn, owner);
    ensures GNT_8: \result != GNTST_okay && mfn < ft->nr_frames ==>
        fr_unchanged{Old,Post}(&ft->frames[mfn]);
    ensures GNT_8: \result == GNTST_okay ==>
        ft->frames[mfn].refcount == \old(ft->frames[mfn].refcount) + 1;
    ensures GNT_8: \result == GNTST_okay && rw != 0 ==>
        ft->frames[mfn].type == PGT_WRITABLE && fr_validated(ft->frames[mfn]) &&
        ft->frames[mfn].type_count == \old(ft->frames[mfn].type_count) + 1;
    ensures GNT_8: \result == GNTST_okay && rw == 0 ==>
        ft->frames[mfn].type == \old(ft->frames[mfn].type) &&
        ft->frames[mfn].type_count == \old(ft->frames[mfn].type_count) &&
        ft->frames[mfn].flags == \old(ft->frames[mfn].flags);
*/
int gnttab_frame_get(struct frame_table *ft, uint32_t mfn, domid_t owner, bool rw);

/*
 * GNT-8: drop exactly what gnttab_frame_get(ft, mfn, _, rw) took. false,
 * changing nothing, when the frame does not hold it (a bug: the caller
 * counts it).
 */
/*@ requires gnt_ft_ok(ft);
    assigns ft->frames[mfn].refcount, ft->frames[mfn].type,
            ft->frames[mfn].type_count, ft->frames[mfn].flags;
    behavior holds:
        assumes mfn < ft->nr_frames && ft->frames[mfn].refcount > 0;
        assumes rw != 0 ==> ft->frames[mfn].type == PGT_WRITABLE &&
                           ft->frames[mfn].type_count > 0 &&
                           !fr_pinned(ft->frames[mfn]) &&
                           ft->frames[mfn].refcount >= ft->frames[mfn].type_count;
        ensures GNT_8: \result == 1;
        ensures GNT_8: ft->frames[mfn].refcount == \old(ft->frames[mfn].refcount) - 1;
        ensures GNT_8: rw != 0 ==>
            ft->frames[mfn].type_count == \old(ft->frames[mfn].type_count) - 1;
        ensures GNT_8: rw == 0 ==> ft->frames[mfn].type_count == \old(ft->frames[mfn].type_count) &&
            ft->frames[mfn].type == \old(ft->frames[mfn].type) &&
            ft->frames[mfn].flags == \old(ft->frames[mfn].flags);
    behavior lacks:
        assumes !(mfn < ft->nr_frames && ft->frames[mfn].refcount > 0 &&
                  (rw != 0 ==> ft->frames[mfn].type == PGT_WRITABLE &&
                               ft->frames[mfn].type_count > 0 &&
                               !fr_pinned(ft->frames[mfn]) &&
                               ft->frames[mfn].refcount >= ft->frames[mfn].type_count));
        assigns \nothing;
        ensures \result == 0;
    complete behaviors;
    disjoint behaviors;
*/
bool gnttab_frame_put(struct frame_table *ft, uint32_t mfn, bool rw);

/*
 * GNT-6: may `grantee` add a (rw) pin for frame `mfn` to this active
 * entry? Yes when it has none; otherwise only the same grantee, the same
 * frame, and below GNTTAB_PIN_MAX. GNTST_okay or GNTST_general_error.
 */
/*@ requires \valid_read(a);
    assigns \nothing;
    ensures GNT_6: \result == GNTST_okay <==>
        (a->ro_pins + a->rw_pins == 0 ||
         (a->grantee == grantee && a->mfn == mfn &&
          (rw != 0 ? a->rw_pins < GNTTAB_PIN_MAX : a->ro_pins < GNTTAB_PIN_MAX)));
    ensures \result == GNTST_okay || \result == GNTST_general_error;
*/
int gnttab_pin_check(const struct gnttab_active *a, domid_t grantee, uint32_t mfn, bool rw);

/* Add the pin gnttab_pin_check() accepted. */
/*@ requires \valid(a);
    requires a->ro_pins + a->rw_pins == 0 ||
             (a->grantee == grantee && a->mfn == mfn &&
              (rw != 0 ? a->rw_pins < GNTTAB_PIN_MAX : a->ro_pins < GNTTAB_PIN_MAX));
    assigns *a;
    ensures a->grantee == grantee && a->mfn == mfn;
    ensures rw != 0 ==> a->rw_pins == \old(a->rw_pins) + 1 && a->ro_pins == \old(a->ro_pins);
    ensures rw == 0 ==> a->ro_pins == \old(a->ro_pins) + 1 && a->rw_pins == \old(a->rw_pins);
*/
void gnttab_pin(struct gnttab_active *a, domid_t grantee, uint32_t mfn, bool rw);

/* Release one pin (none to release: nothing changes). */
/*@ requires \valid(a);
    assigns a->ro_pins, a->rw_pins;
    ensures rw != 0 ==> a->ro_pins == \old(a->ro_pins) &&
        a->rw_pins == (\old(a->rw_pins) > 0 ? \old(a->rw_pins) - 1 : 0);
    ensures rw == 0 ==> a->rw_pins == \old(a->rw_pins) &&
        a->ro_pins == (\old(a->ro_pins) > 0 ? \old(a->ro_pins) - 1 : 0);
*/
void gnttab_unpin(struct gnttab_active *a, bool rw);

/* GNT-12: the lowest free handle, or GNTTAB_NO_HANDLE when all are in use. */
/*@ requires \valid_read(gt);
    assigns \nothing;
    ensures \result <= GNTTAB_MAPTRACK_SIZE;
    ensures GNT_12: \result < GNTTAB_MAPTRACK_SIZE ==> !gnt_handle_used(gt, \result);
    ensures GNT_12: \result == GNTTAB_NO_HANDLE ==>
        \forall integer h; 0 <= h < GNTTAB_MAPTRACK_SIZE ==> gnt_handle_used(gt, h);
*/
uint32_t gnttab_handle_alloc(const struct gnttab_domain *gt);

/* GNT-2: is `handle` (a guest's number) an in-use handle of gt? */
/*@ requires \valid_read(gt);
    assigns \nothing;
    ensures GNT_2: \result == 1 <==> gnt_handle_used(gt, handle);
*/
bool gnttab_handle_ok(const struct gnttab_domain *gt, uint32_t handle);

/* Record mapping `m` (flags get GNTTAB_MT_USED) under a free handle. */
/*@ requires \valid(gt) && \valid_read(m) && \separated(gt, m);
    requires h < GNTTAB_MAPTRACK_SIZE;
    assigns gt->maptrack[h];
    ensures gnt_handle_used(gt, h);
    ensures gt->maptrack[h].mfn == m->mfn && gt->maptrack[h].ref == m->ref &&
            gt->maptrack[h].granter == m->granter &&
            gt->maptrack[h].l1_mfn == m->l1_mfn && gt->maptrack[h].l1_slot == m->l1_slot;
    ensures (gt->maptrack[h].flags / GNTTAB_MT_RW) % 2 == (m->flags / GNTTAB_MT_RW) % 2;
*/
void gnttab_handle_set(struct gnttab_domain *gt, uint32_t h, const struct gnttab_map *m);

/* Free handle h (GNT-2: a second unmap finds it free). */
/*@ requires \valid(gt) && h < GNTTAB_MAPTRACK_SIZE;
    assigns gt->maptrack[h];
    ensures GNT_2: !gnt_handle_used(gt, h);
*/
void gnttab_handle_free(struct gnttab_domain *gt, uint32_t h);

#endif
