/*
 * Entry predicates (see pte.h for the rules and why fields are extracted
 * arithmetically). Every function here is pure and proved in full.
 */
#include "pte.h"

/* Bit `bit` (a power of two below 2^12) of an entry. */
/*@ requires bit == PTE_P || bit == PTE_RW || bit == PTE_US || bit == PTE_PWT ||
             bit == PTE_PCD || bit == PTE_A || bit == PTE_D || bit == PTE_PSE ||
             bit == PTE_G;
    assigns \nothing;
    ensures \result == 1 <==> pte_has(e, bit);
*/
static bool has(uint64_t e, uint32_t bit)
{
    return (e / bit) % 2u != 0;
}

/* Bits 44..63 as a number below 2^20. */
/*@ assigns \nothing;
    ensures \result == pte_high(e) && \result < 1048576;
*/
static uint32_t high_bits(uint64_t e)
{
    return (uint32_t)(e / PTE_HIGH_DIV);
}

bool pte_present(uint64_t e)
{
    return has(e, PTE_P);
}

bool pte_writable(uint64_t e)
{
    return has(e, PTE_RW);
}

uint32_t pte_mfn(uint64_t e)
{
    return (uint32_t)((e / PAGE_SIZE) % 0x100000000ull);
}

bool pte_l1_flags_ok(uint64_t l1e, bool io_capable)
{
    if (high_bits(l1e) % PTE_HIGH_NX != 0)      /* PT-1: bits 44..62 */
        return false;
    if (has(l1e, PTE_G))                        /* PT-1: no global pages */
        return false;
    if (io_capable)
        return true;
    /* PT-2: cache attributes only for domains with I/O resources */
    return !has(l1e, PTE_PWT) && !has(l1e, PTE_PCD) && !has(l1e, PTE_PAT);
}

bool pte_l2_flags_ok(uint64_t l2e)
{
    if (high_bits(l2e) % PTE_HIGH_NX != 0)      /* PT-3: bits 44..62 */
        return false;
    if (has(l2e, PTE_PSE))                      /* PT-4: no superpages */
        return false;
    /* PT-3: no global bit, no cache attributes at L2 */
    return !has(l2e, PTE_G) && !has(l2e, PTE_PWT) && !has(l2e, PTE_PCD);
}

bool pte_l3_flags_ok(uint64_t l3e)
{
    /* PT-5: Xen's 32-bit PV mask; RW, US, A, D are accepted and stripped */
    if (high_bits(l3e) != 0)
        return false;
    if (has(l3e, PTE_PWT) || has(l3e, PTE_PCD))
        return false;
    return !has(l3e, PTE_PSE) && !has(l3e, PTE_G);
}

/*@ // the bits PT-5 keeps: P, PWT, PCD, PSE, G (and the frame, bits 44..63)
    predicate pte_l3_kept_low(integer e, integer r) =
        pte_bit(r, PTE_P) == pte_bit(e, PTE_P) && pte_bit(r, PTE_PWT) == pte_bit(e, PTE_PWT) &&
        pte_bit(r, PTE_PCD) == pte_bit(e, PTE_PCD);
    predicate pte_l3_kept_mid(integer e, integer r) =
        pte_bit(r, PTE_PSE) == pte_bit(e, PTE_PSE) && pte_bit(r, PTE_G) == pte_bit(e, PTE_G);
*/

/*
 * Entry e without flag bit b (RW, US, A or D), every other bit kept. One
 * clause per fact: the provers relate one division at a time.
 */
/*@ requires b == PTE_RW || b == PTE_US || b == PTE_A || b == PTE_D;
    assigns \nothing;
    ensures pte_has(e, b) ==> \result == e - b;
    ensures !pte_has(e, b) ==> \result == e;
    behavior rw:
        assumes b == PTE_RW;
        ensures !pte_has(\result, PTE_RW);
        ensures pte_l3_kept_low(e, \result);
        ensures pte_l3_kept_mid(e, \result);
        ensures pte_frame(\result) == pte_frame(e);
        ensures pte_high(\result) == pte_high(e);
        ensures pte_bit(\result, PTE_US) == pte_bit(e, PTE_US);
        ensures pte_bit(\result, PTE_A) == pte_bit(e, PTE_A);
        ensures pte_bit(\result, PTE_D) == pte_bit(e, PTE_D);
    behavior us:
        assumes b == PTE_US;
        ensures !pte_has(\result, PTE_US);
        ensures pte_l3_kept_low(e, \result);
        ensures pte_l3_kept_mid(e, \result);
        ensures pte_frame(\result) == pte_frame(e);
        ensures pte_high(\result) == pte_high(e);
        ensures pte_bit(\result, PTE_RW) == pte_bit(e, PTE_RW);
        ensures pte_bit(\result, PTE_A) == pte_bit(e, PTE_A);
        ensures pte_bit(\result, PTE_D) == pte_bit(e, PTE_D);
    behavior a:
        assumes b == PTE_A;
        ensures !pte_has(\result, PTE_A);
        ensures pte_l3_kept_low(e, \result);
        ensures pte_l3_kept_mid(e, \result);
        ensures pte_frame(\result) == pte_frame(e);
        ensures pte_high(\result) == pte_high(e);
        ensures pte_bit(\result, PTE_RW) == pte_bit(e, PTE_RW);
        ensures pte_bit(\result, PTE_US) == pte_bit(e, PTE_US);
        ensures pte_bit(\result, PTE_D) == pte_bit(e, PTE_D);
    behavior d:
        assumes b == PTE_D;
        ensures !pte_has(\result, PTE_D);
        ensures pte_l3_kept_low(e, \result);
        ensures pte_l3_kept_mid(e, \result);
        ensures pte_frame(\result) == pte_frame(e);
        ensures pte_high(\result) == pte_high(e);
        ensures pte_bit(\result, PTE_RW) == pte_bit(e, PTE_RW);
        ensures pte_bit(\result, PTE_US) == pte_bit(e, PTE_US);
        ensures pte_bit(\result, PTE_A) == pte_bit(e, PTE_A);
    complete behaviors;
    disjoint behaviors;
*/
static uint64_t drop_flag(uint64_t e, uint32_t b)
{
    return has(e, b) ? e - b : e;
}

uint64_t pte_l3_strip(uint64_t l3e)
{
    if (!has(l3e, PTE_P))                       /* PT-21 */
        return l3e;
    /* PT-5: a PDPTE reserves RW, US, A and D */
    return drop_flag(drop_flag(drop_flag(drop_flag(l3e, PTE_RW), PTE_US), PTE_A), PTE_D);
}

bool pte_l3_stored_ok(uint64_t l3e)
{
    if (!pte_l3_flags_ok(l3e))
        return false;
    return !has(l3e, PTE_RW) && !has(l3e, PTE_US) && !has(l3e, PTE_A) && !has(l3e, PTE_D);
}

int pte_check_l1_frame(const struct frame_table *ft, domid_t owner, uint32_t mfn)
{
    uint16_t real;

    if (mfn >= ft->nr_frames)                   /* PT-6: not RAM */
        return -EPERM;
    real = ft->frames[mfn].owner;
    if (real == owner)
        return 0;
    if (real == DOMID_IO)                       /* PT-6: MMIO, not permitted */
        return -EPERM;
    return -EBUSY;                              /* PT-6: someone else's RAM */
}

int pte_check_table_frame(const struct frame_table *ft, domid_t owner, uint32_t mfn)
{
    if (mfn >= ft->nr_frames || ft->frames[mfn].owner != owner)   /* PT-6 */
        return -EINVAL;
    return 0;
}

int pte_check_l1e(const struct frame_table *ft, domid_t owner, bool io_capable,
                  uint64_t l1e)
{
    if (!pte_present(l1e))                      /* PT-21 */
        return 0;
    if (!pte_l1_flags_ok(l1e, io_capable))
        return -EINVAL;
    return pte_check_l1_frame(ft, owner, pte_mfn(l1e));
}

int pte_check_l2e(const struct frame_table *ft, domid_t owner, uint64_t l2e)
{
    if (!pte_present(l2e))                      /* PT-21 */
        return 0;
    if (!pte_l2_flags_ok(l2e))
        return -EINVAL;
    return pte_check_table_frame(ft, owner, pte_mfn(l2e));
}

int pte_check_l3e(const struct frame_table *ft, domid_t owner, uint64_t l3e)
{
    if (!pte_present(l3e))                      /* PT-21 */
        return 0;
    if (!pte_l3_flags_ok(l3e))
        return -EINVAL;
    return pte_check_table_frame(ft, owner, pte_mfn(l3e));
}

/*@ requires bit == PTE_P || bit == PTE_RW || bit == PTE_US || bit == PTE_PWT ||
             bit == PTE_PCD || bit == PTE_A || bit == PTE_D || bit == PTE_PSE ||
             bit == PTE_G;
    assigns \nothing;
    ensures \result == 1 <==> pte_same_bit(o, n, bit);
*/
static bool same_bit(uint64_t o, uint64_t n, uint32_t bit)
{
    return has(o, bit) == has(n, bit);
}

/* PT-19: the bits no fast path at any level lets change. */
/*@ assigns \nothing;
    ensures \result == 1 <==> pte_same_core(o, n);
*/
static bool same_core(uint64_t o, uint64_t n)
{
    if (!has(o, PTE_P) || !has(n, PTE_P) || pte_mfn(o) != pte_mfn(n))
        return false;
    if (high_bits(o) % PTE_HIGH_NX != high_bits(n) % PTE_HIGH_NX)   /* bits 44..62 */
        return false;
    return same_bit(o, n, PTE_PWT) && same_bit(o, n, PTE_PCD) &&
           same_bit(o, n, PTE_PSE) && same_bit(o, n, PTE_G);
}

bool pte_l1_same_rights(uint64_t o, uint64_t n)
{
    return same_core(o, n) && same_bit(o, n, PTE_RW);
}

bool pte_l2_same_rights(uint64_t o, uint64_t n)
{
    return same_core(o, n);
}

bool pte_l3_same_rights(uint64_t o, uint64_t n)
{
    return same_core(o, n) && high_bits(o) == high_bits(n) && same_bit(o, n, PTE_RW) &&
           same_bit(o, n, PTE_US) && same_bit(o, n, PTE_A) && same_bit(o, n, PTE_D);
}

bool pte_needs_flush(uint64_t o, uint64_t n)
{
    if (!has(o, PTE_P))
        return false;
    if (!has(n, PTE_P) || pte_mfn(o) != pte_mfn(n))
        return true;
    return has(o, PTE_RW) && !has(n, PTE_RW);
}

int pte_l2_slot_check(uint8_t type, uint32_t slot)
{
    if (slot >= PT_L2_ENTRIES)
        return -EINVAL;
    if (type == PGT_L2_XEN && slot >= PT_XEN_FIRST_SLOT)   /* PT-12 */
        return -EPERM;
    return 0;
}

int pte_l3_slot_check(uint32_t slot)
{
    if (slot >= PT_XEN_L3_SLOT)                 /* PT-13 (and the ignored rest) */
        return -EINVAL;
    return 0;
}

uint32_t pte_va_l3_slot(uint32_t va)
{
    return va / 0x40000000u;
}

uint32_t pte_va_l2_slot(uint32_t va)
{
    return (va / 0x200000u) % PT_L2_ENTRIES;
}

uint32_t pte_va_l1_slot(uint32_t va)
{
    return (va / PAGE_SIZE) % PT_L1_ENTRIES;
}
