/*
 * The page-table invariant audit: the executable twin of the rules in
 * spec/memory.md (PT-31).
 *
 * Theory of operation. The frame table's counts are a cache of facts
 * that can be recomputed from the page tables that exist. The audit reads
 * every validated table of every listed domain, recounts from scratch the
 * references each frame should hold (table entries, pins, base pointers,
 * and the holds the hypervisor declares), and compares: a count that
 * differs by one in either direction is the beginning of a use-after-free
 * or a writable page table. On the way it checks each entry against the
 * rules that validation enforced when the entry was written (flags,
 * ownership, the type of what it names, the hypervisor slots), so a bug
 * that lets an entry in unchecked is caught at the next audit.
 *
 * It is meant to run after every hypercall in the unit tests, the debug
 * hypervisor and the fuzzers: cost O(frames + tables x 512), no allocation
 * (the caller lends a scratch array of nr_frames counters), no writes to
 * the frame table or to any frame. It stops at the first finding and
 * reports it in `rep`.
 */
#ifndef CORE_PT_AUDIT_H
#define CORE_PT_AUDIT_H

#include "pt_ctx.h"

/*
 * What the audit knows about each domain. Every domain that still owns a
 * table or a referenced frame must be listed (a dying one too), so that
 * its tables are read and foreign mappings of its frames are recognised.
 */
struct pt_audit_domain {
    domid_t dom;
    bool io_capable;                /* PT-2 applies unless set */
    uint32_t cr3_mfn;               /* INVALID_MFN for none */
    const uint64_t *xen_l2_slots;   /* the PT_XEN_SLOTS template (NULL = zeros) */
    /*
     * PT-38: the privileged domain. A present L1 entry of its tables may
     * name a frame of another listed domain (a foreign mapping, counted
     * like any other reference); for anyone else, and for an owner that
     * is not listed, such an entry is PT_AUDIT_FOREIGN.
     */
    bool privileged;
};

/*
 * A reference the hypervisor holds outside any page table: the shared
 * info frame, GDT frames (PGT_SEG_DESC), grant mappings later. The glue
 * declares each hold here so the recount can include it.
 */
struct pt_audit_hold {
    uint32_t mfn;
    uint32_t refs;        /* general references */
    uint32_t type_refs;   /* type references, of type `type` */
    uint8_t type;
};

/* One counter pair per frame, lent by the caller. */
struct pt_audit_count {
    uint32_t refs;
    uint32_t type_refs;
};

struct pt_audit_in {
    const struct frame_table *ft;
    const struct pt_audit_domain *doms;
    uint32_t nr_doms;
    const struct pt_audit_hold *holds;
    uint32_t nr_holds;
    struct pt_audit_count *scratch;   /* ft->nr_frames entries */
};

enum pt_audit_what {
    PT_AUDIT_OK = 0,
    PT_AUDIT_FREE_IN_USE,       /* a free frame with counts, type or flags */
    PT_AUDIT_TYPE_STATE,        /* type NONE <=> type_count 0 violated, or bad type */
    PT_AUDIT_FLAGS,             /* validated/pinned inconsistent with the type */
    PT_AUDIT_UNKNOWN_OWNER,     /* a table of a domain not listed */
    PT_AUDIT_BAD_FLAGS,         /* an entry breaks its level's flag rules */
    PT_AUDIT_BAD_FRAME,         /* an entry names a frame beyond the table */
    PT_AUDIT_FOREIGN,           /* an entry names a frame of another owner (PT-38) */
    PT_AUDIT_RW_NOT_WRITABLE,   /* a RW L1 entry to a frame not PGT_WRITABLE */
    PT_AUDIT_L2E_NOT_L1,        /* an L2 entry to a frame not PGT_L1 */
    PT_AUDIT_L3E_NOT_L2,        /* L3 slot 0..2 to a frame not PGT_L2 */
    PT_AUDIT_SLOT3,             /* L3 slot 3 missing or not PGT_L2_XEN */
    PT_AUDIT_L3_HIGH,           /* an L3 at or above 4 GiB */
    PT_AUDIT_XEN_SLOTS,         /* an L2_XEN's slots 428..511 differ from the template */
    PT_AUDIT_XEN_L2_SHARED,     /* an L2_XEN with type count other than 1 */
    PT_AUDIT_CR3,               /* a base table that is not the domain's L3 */
    PT_AUDIT_HOLD,              /* a declared hold on a bad frame or type */
    PT_AUDIT_OVERFLOW,          /* the recount passed PT_COUNT_MAX */
    PT_AUDIT_REFCOUNT,          /* refcount differs from the recount */
    PT_AUDIT_TYPE_COUNT,        /* type_count differs from the recount */
    PT_AUDIT_NR_WHAT
};

#define PT_AUDIT_NO_SLOT 0xFFFFFFFFu

struct pt_audit_report {
    enum pt_audit_what what;
    uint32_t mfn;        /* the frame where it was found */
    uint32_t slot;       /* the entry at fault, or PT_AUDIT_NO_SLOT */
    uint32_t expected;   /* count findings: the recount */
    uint32_t found;      /* count findings: the frame table */
};

/*
 * Returns 0 when every invariant holds, else -EINVAL with the first
 * finding in *rep (rep->what == PT_AUDIT_OK on success).
 */
int pt_audit(const struct pt_audit_in *in, struct pt_audit_report *rep);

/* A short name for a finding, for logs. */
const char *pt_audit_what_name(enum pt_audit_what what);

#endif
