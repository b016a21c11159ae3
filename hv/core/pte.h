/*
 * Page-table entries of 32-bit PAE paging: formats and pure predicates.
 *
 * Theory of operation. An entry is a 64-bit value; what it means depends
 * on the level of the table that holds it (L3 = the 4-entry PDPT, L2, L1).
 * A guest chooses every bit of every entry it submits, so each level has
 * one predicate that accepts exactly the entries Bulkhead allows
 * (spec/memory.md, rules PT-1 to PT-6) and refuses everything else:
 *
 *  - L1 (4 KiB mappings): no global bit; cache attributes (PWT, PCD, PAT)
 *    only for I/O-capable domains; physical address bits 44..62 clear;
 *    NX allowed.
 *  - L2: no superpages (PSE), no cache attributes, no global bit, bits
 *    44..62 clear.
 *  - L3 (PDPTE): P, AVAIL, the address and, as Xen's 32-bit PV guests
 *    may write them (COMPAT_L3_DISALLOW_MASK), RW, US, A and D; no cache
 *    attributes (PWT, PCD), no PSE or G, bits 44..63 clear. A PAE PDPTE
 *    cannot hold RW, US, A or D (the CPU reserves them: a CR3 load would
 *    fault), and the hardware loads the guest's L3 frame itself, so an
 *    accepted entry is rewritten in place without them (pte_l3_strip).
 *    Xen, which runs the same L3 in long mode, rewrites it in place too
 *    but the other way (adjust_guest_l3e adds RW and US); a guest reads
 *    back the stored entry either way (spec/xen-compat.md).
 *  - A present entry at any level names a frame below nr_frames that the
 *    page-table owner owns (PT-6): never another domain's RAM, never the
 *    hypervisor's, never MMIO.
 *
 * Non-present entries are not examined (PT-21): the CPU ignores them, as
 * Xen 4.2 does. The L1TF caveat (a non-present entry's address bits can
 * still steer speculative loads) is out of scope, see spec/memory.md.
 *
 * Fields are extracted with division and remainder by powers of two, so
 * the SMT provers can relate them (BRIEF §5); the compiler emits the same
 * shifts and masks. The *_DISALLOW_MASK constants are the same rules in
 * Xen's mask form; tests/unit/test_pte.c checks that both agree on every
 * combination of flag bits.
 */
#ifndef CORE_PTE_H
#define CORE_PTE_H

#include "types.h"
#include "frame.h"
#include "pv/errno.h"
#include "pv/layout.h"

/* Entry bits (Intel SDM, PAE paging). */
#define PTE_P      0x001u
#define PTE_RW     0x002u
#define PTE_US     0x004u
#define PTE_PWT    0x008u
#define PTE_PCD    0x010u
#define PTE_A      0x020u
#define PTE_D      0x040u
#define PTE_PSE    0x080u   /* in an L2 entry: 2 MiB page */
#define PTE_PAT    0x080u   /* in an L1 entry: PAT index bit */
#define PTE_G      0x100u
#define PTE_AVAIL  0xE00u   /* bits 9..11, free for the guest */
#define PTE_NX     0x8000000000000000ull

/* Bits 44..63 of an entry, seen as a 20-bit number (bit 63 = NX = 2^19). */
#define PTE_HIGH_DIV  0x100000000000ull   /* 2^44 */
#define PTE_HIGH_NX   0x80000u            /* 2^19 */

/* Xen's disallow masks for the same rules (documentation and tests). */
#define L1_DISALLOW_MASK     0x7FFFF00000000198ull  /* PWT PCD PAT G, bits 44..62 */
#define L1_DISALLOW_MASK_IO  0x7FFFF00000000100ull  /* G, bits 44..62 */
#define L2_DISALLOW_MASK     0x7FFFF00000000198ull  /* PWT PCD PSE G, bits 44..62 */
#define L3_DISALLOW_MASK     0xFFFFF00000000198ull  /* PWT PCD PSE G, bits 44..63 */
/* What a stored PDPTE may not hold: the above and RW, US, A, D (PT-5). */
#define L3_STORED_DISALLOW_MASK 0xFFFFF000000001FEull
#define L3_STRIPPED_FLAGS    0x66u                  /* RW US A D */

#define PT_L1_ENTRIES   512u
#define PT_L2_ENTRIES   512u
#define PT_L3_ENTRIES   4u      /* the PDPT: the rest of an L3 frame is ignored */
#define PT_ENTRY_SIZE   8u

/* Slots 428..511 of the L2 under L3 slot 3 map the hypervisor (PT-12). */
#define PT_XEN_FIRST_SLOT  428u
#define PT_XEN_SLOTS       (PT_L2_ENTRIES - PT_XEN_FIRST_SLOT)
#define PT_XEN_L3_SLOT     3u

_Static_assert(PT_XEN_FIRST_SLOT == (HYPERVISOR_VIRT_START - 0xC0000000u) / 0x200000u,
               "Xen slots start where the hypervisor area starts");
_Static_assert(PT_L1_ENTRIES * PT_ENTRY_SIZE == PAGE_SIZE, "a table fills a frame");

/*@ logic integer pte_bit(integer e, integer b) = (e / b) % 2;
    predicate pte_has(integer e, integer b) = (e / b) % 2 == 1;
    logic integer pte_frame(integer e) = (e / 4096) % 4294967296;
    logic integer pte_high(integer e) = e / 17592186044416;

    // bits 44..62 clear: the address fits 44 bits, only NX may sit above
    predicate pte_high_ok(integer e) = pte_high(e) % 524288 == 0;

    predicate pte_l1_flags(integer e, integer io) =
        pte_high_ok(e) && !pte_has(e, PTE_G) &&
        (io != 0 || (!pte_has(e, PTE_PWT) && !pte_has(e, PTE_PCD) &&
                     !pte_has(e, PTE_PAT)));

    predicate pte_l2_flags(integer e) =
        pte_high_ok(e) && !pte_has(e, PTE_PSE) && !pte_has(e, PTE_G) &&
        !pte_has(e, PTE_PWT) && !pte_has(e, PTE_PCD);

    predicate pte_l3_flags(integer e) =
        pte_high(e) == 0 && !pte_has(e, PTE_PWT) && !pte_has(e, PTE_PCD) &&
        !pte_has(e, PTE_PSE) && !pte_has(e, PTE_G);

    // what a PAE PDPTE can hold, as Bulkhead stores an L3 entry
    predicate pte_l3_pdpte(integer e) =
        pte_l3_flags(e) && !pte_has(e, PTE_RW) && !pte_has(e, PTE_US) &&
        !pte_has(e, PTE_A) && !pte_has(e, PTE_D);

    // e without RW (bit 1), US (2), A (5) and D (6)
    logic integer pte_l3_stripped(integer e) =
        e - pte_bit(e, PTE_RW) * PTE_RW - pte_bit(e, PTE_US) * PTE_US -
        pte_bit(e, PTE_A) * PTE_A - pte_bit(e, PTE_D) * PTE_D;

    predicate pte_ft_ok(struct frame_table *ft) =
        \valid_read(ft) && \valid_read(ft->frames + (0 .. ft->nr_frames - 1));

    // the frame exists and belongs to `owner` (PT-6)
    predicate pte_owned(struct frame_table *ft, integer mfn, integer owner) =
        0 <= mfn < ft->nr_frames && ft->frames[mfn].owner == owner;
*/

/*@ assigns \nothing;
    ensures \result == 1 <==> pte_has(e, PTE_P);
*/
bool pte_present(uint64_t e);

/*@ assigns \nothing;
    ensures \result == 1 <==> pte_has(e, PTE_RW);
*/
bool pte_writable(uint64_t e);

/* The frame an entry names (address bits 12..43; bits above are refused). */
/*@ assigns \nothing;
    ensures \result == pte_frame(e);
*/
uint32_t pte_mfn(uint64_t e);

/* PT-1, PT-2: the flag rules of a present L1 entry. */
/*@ assigns \nothing;
    ensures PT_1_PT_2: \result == 1 <==> pte_l1_flags(l1e, io_capable);
*/
bool pte_l1_flags_ok(uint64_t l1e, bool io_capable);

/* PT-3, PT-4: the flag rules of a present L2 entry (no superpages). */
/*@ assigns \nothing;
    ensures PT_3_PT_4: \result == 1 <==> pte_l2_flags(l2e);
*/
bool pte_l2_flags_ok(uint64_t l2e);

/*
 * PT-5: the flag rules of a present L3 entry as a guest submits it (Xen's
 * 32-bit PV rule): RW, US, A, D are accepted, and pte_l3_strip() removes
 * them before the entry is stored.
 */
/*@ assigns \nothing;
    ensures PT_5: \result == 1 <==> pte_l3_flags(l3e);
*/
bool pte_l3_flags_ok(uint64_t l3e);

/*
 * PT-5: the entry as it is stored in the PDPT: a present entry loses RW,
 * US, A and D (a PAE PDPTE reserves them), everything else is kept: its
 * frame, P, PWT/PCD/PSE/G (which PT-5 refused already), AVAIL and the
 * bits above the address. So an entry that passed pte_l3_flags_ok() is
 * stored as a valid PDPTE naming the same frame. A non-present entry is
 * not touched (PT-21: the CPU ignores it).
 */
/*@ assigns \nothing;
    ensures PT_21: !pte_has(l3e, PTE_P) ==> \result == l3e;
    ensures PT_5_strip: pte_has(l3e, PTE_P) ==> \result == pte_l3_stripped(l3e);
    ensures PT_5_same_frame: pte_frame(\result) == pte_frame(l3e) &&
        pte_high(\result) == pte_high(l3e) &&
        pte_bit(\result, PTE_P) == pte_bit(l3e, PTE_P);
    ensures PT_5_stored: pte_has(l3e, PTE_P) && pte_l3_flags(l3e) ==> pte_l3_pdpte(\result);
*/
uint64_t pte_l3_strip(uint64_t l3e);

/*
 * PT-5, PT-31: a present L3 entry as stored is a valid PDPTE (the audit's
 * check; it ignores A, which QEMU's page walker sets).
 */
/*@ assigns \nothing;
    ensures PT_5: \result == 1 <==> pte_l3_pdpte(l3e);
*/
bool pte_l3_stored_ok(uint64_t l3e);

/*
 * PT-6 for the frame of an L1 entry: 0 when `mfn` is RAM owned by `owner`;
 * -EPERM when it is not RAM (beyond the frame table or owned by DOMID_IO:
 * Xen's answer when I/O memory access is not permitted); -EBUSY when it is
 * RAM of another owner (another domain, the hypervisor, or free).
 */
/*@ requires pte_ft_ok(ft);
    assigns \nothing;
    behavior ok:
        assumes pte_owned(ft, mfn, owner);
        ensures \result == 0;
    behavior not_ram:
        assumes mfn >= ft->nr_frames ||
                (ft->frames[mfn].owner == DOMID_IO && owner != DOMID_IO);
        ensures \result == -EPERM;
    behavior foreign:
        assumes mfn < ft->nr_frames && ft->frames[mfn].owner != owner &&
                ft->frames[mfn].owner != DOMID_IO;
        ensures \result == -EBUSY;
    complete behaviors;
    disjoint behaviors;
*/
int pte_check_l1_frame(const struct frame_table *ft, domid_t owner, uint32_t mfn);

/* PT-6 for the frame of an L2 or L3 entry: 0 if owned, else -EINVAL. */
/*@ requires pte_ft_ok(ft);
    assigns \nothing;
    ensures PT_6: \result == 0 <==> pte_owned(ft, mfn, owner);
    ensures \result == 0 || \result == -EINVAL;
*/
int pte_check_table_frame(const struct frame_table *ft, domid_t owner, uint32_t mfn);

/*
 * The static checks of an entry, before any reference is taken: 0 when
 * it is not present (PT-21) or passes its level's flag rules and PT-6.
 * L1 returns -EINVAL (flags), -EPERM or -EBUSY (frame); L2 and L3 return
 * -EINVAL for everything.
 */
/*@ requires pte_ft_ok(ft);
    assigns \nothing;
    ensures PT_21: !pte_has(l1e, PTE_P) ==> \result == 0;
    ensures PT_1_PT_2_PT_6: \result == 0 && pte_has(l1e, PTE_P) ==>
        pte_l1_flags(l1e, io_capable) && pte_owned(ft, pte_frame(l1e), owner);
    ensures flags: pte_has(l1e, PTE_P) && !pte_l1_flags(l1e, io_capable) ==>
        \result == -EINVAL;
    ensures \result == 0 || \result == -EINVAL || \result == -EPERM ||
            \result == -EBUSY;
*/
int pte_check_l1e(const struct frame_table *ft, domid_t owner, bool io_capable,
                  uint64_t l1e);

/*@ requires pte_ft_ok(ft);
    assigns \nothing;
    ensures PT_21: !pte_has(l2e, PTE_P) ==> \result == 0;
    ensures PT_3_PT_4_PT_6: pte_has(l2e, PTE_P) ==>
        (\result == 0 <==> pte_l2_flags(l2e) && pte_owned(ft, pte_frame(l2e), owner));
    ensures \result == 0 || \result == -EINVAL;
*/
int pte_check_l2e(const struct frame_table *ft, domid_t owner, uint64_t l2e);

/*@ requires pte_ft_ok(ft);
    assigns \nothing;
    ensures PT_21: !pte_has(l3e, PTE_P) ==> \result == 0;
    ensures PT_5_PT_6: pte_has(l3e, PTE_P) ==>
        (\result == 0 <==> pte_l3_flags(l3e) && pte_owned(ft, pte_frame(l3e), owner));
    ensures \result == 0 || \result == -EINVAL;
*/
int pte_check_l3e(const struct frame_table *ft, domid_t owner, uint64_t l3e);

/*
 * PT-19 fast path: may `n` replace `o` without new references? Both must
 * be present and agree in every bit that translates, caches or that
 * validation looks at: the frame (bits 12..43), bits 44..62, PWT, PCD,
 * PSE/PAT, G, and per level the bits that grant access. What may differ
 * grants nothing the old entry's references do not already cover (Xen's
 * FASTPATH_FLAG_WHITELIST and FASTPATH_PDE_FLAG_WHITELIST):
 *  - L1: A, D, AVAIL, US, NX (the frame is already mapped with this RW
 *    for the guest kernel; US and NX only choose who in the guest may use
 *    it, and how);
 *  - L2: the same and RW (no linear page tables: an L2 entry grants
 *    nothing by itself, its RW only restricts the L1 entries below);
 *  - L3: AVAIL only (a PDPTE reserves everything else).
 * The lemmas below are the point: a replacement the fast path keeps
 * passes its level's flag rules exactly when the old entry did, so the
 * fast path can never keep a bit that validation would refuse.
 */
/*@ predicate pte_same_bit(integer o, integer n, integer b) = pte_bit(o, b) == pte_bit(n, b);

    // what every level compares: presence, the frame, bits 44..62,
    // cache attributes, PSE/PAT and G
    predicate pte_same_core(integer o, integer n) =
        pte_has(o, PTE_P) && pte_has(n, PTE_P) && pte_frame(o) == pte_frame(n) &&
        pte_high(o) % 524288 == pte_high(n) % 524288 &&
        pte_same_bit(o, n, PTE_PWT) && pte_same_bit(o, n, PTE_PCD) &&
        pte_same_bit(o, n, PTE_PSE) && pte_same_bit(o, n, PTE_G);

    predicate pte_l1_same(integer o, integer n) =
        pte_same_core(o, n) && pte_same_bit(o, n, PTE_RW);

    predicate pte_l2_same(integer o, integer n) = pte_same_core(o, n);

    predicate pte_l3_same(integer o, integer n) =
        pte_same_core(o, n) && pte_high(o) == pte_high(n) &&
        pte_same_bit(o, n, PTE_RW) && pte_same_bit(o, n, PTE_US) &&
        pte_same_bit(o, n, PTE_A) && pte_same_bit(o, n, PTE_D);

    lemma PT_19_l1: \forall integer o, n, io;
        pte_l1_same(o, n) ==> (pte_l1_flags(o, io) <==> pte_l1_flags(n, io));
    lemma PT_19_l2: \forall integer o, n;
        pte_l2_same(o, n) ==> (pte_l2_flags(o) <==> pte_l2_flags(n));
    lemma PT_19_l3: \forall integer o, n;
        pte_l3_same(o, n) ==> (pte_l3_flags(o) <==> pte_l3_flags(n));
*/

/*@ assigns \nothing;
    ensures PT_19: \result == 1 <==> pte_l1_same(o, n);
*/
bool pte_l1_same_rights(uint64_t o, uint64_t n);

/*@ assigns \nothing;
    ensures PT_19: \result == 1 <==> pte_l2_same(o, n);
*/
bool pte_l2_same_rights(uint64_t o, uint64_t n);

/*@ assigns \nothing;
    ensures PT_19: \result == 1 <==> pte_l3_same(o, n);
*/
bool pte_l3_same_rights(uint64_t o, uint64_t n);

/*
 * PT-20: replacing `o` by `n` removes or downgrades a translation (the
 * old entry was present and the new one is absent, names another frame,
 * or drops RW), so TLBs must be flushed before `o`'s references go.
 */
/*@ assigns \nothing;
    ensures PT_20: \result == 1 <==>
        (pte_has(o, PTE_P) &&
         (!pte_has(n, PTE_P) || pte_frame(o) != pte_frame(n) ||
          (pte_has(o, PTE_RW) && !pte_has(n, PTE_RW))));
*/
bool pte_needs_flush(uint64_t o, uint64_t n);

/*
 * PT-12: which L2 slots a guest may write. -EINVAL beyond the table,
 * -EPERM for the hypervisor's slots of an L2 under L3 slot 3 (Xen's code).
 */
/*@ assigns \nothing;
    behavior out_of_table:
        assumes slot >= PT_L2_ENTRIES;
        ensures \result == -EINVAL;
    behavior xen_slot:
        assumes slot < PT_L2_ENTRIES && type == PGT_L2_XEN && slot >= PT_XEN_FIRST_SLOT;
        ensures PT_12: \result == -EPERM;
    behavior guest_slot:
        assumes slot < PT_L2_ENTRIES && (type != PGT_L2_XEN || slot < PT_XEN_FIRST_SLOT);
        ensures \result == 0;
    complete behaviors;
    disjoint behaviors;
*/
int pte_l2_slot_check(uint8_t type, uint32_t slot);

/* PT-13: a guest may change L3 slots 0..2 only (slot 3 is fixed). */
/*@ assigns \nothing;
    ensures PT_13: \result == 0 <==> slot < PT_XEN_L3_SLOT;
    ensures \result == 0 || \result == -EINVAL;
*/
int pte_l3_slot_check(uint32_t slot);

/* Where a virtual address is found at each level. */
/*@ assigns \nothing;
    ensures \result == va / 1073741824 && \result < PT_L3_ENTRIES;
*/
uint32_t pte_va_l3_slot(uint32_t va);

/*@ assigns \nothing;
    ensures \result == (va / 2097152) % 512 && \result < PT_L2_ENTRIES;
*/
uint32_t pte_va_l2_slot(uint32_t va);

/*@ assigns \nothing;
    ensures \result == (va / 4096) % 512 && \result < PT_L1_ENTRIES;
*/
uint32_t pte_va_l1_slot(uint32_t va);

#endif
