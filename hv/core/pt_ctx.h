/*
 * The explicit state every page-table operation works on.
 *
 * The core keeps no globals: the hypervisor glue builds one pt_ctx per
 * domain (one vCPU for now, so the vCPU state sits here too) and passes
 * it to every pt_* call. Everything a guest's request may change is in
 * here or in the frame table it points to.
 */
#ifndef CORE_PT_CTX_H
#define CORE_PT_CTX_H

#include "types.h"
#include "frame.h"

struct pt_ctx {
    struct frame_table *ft;
    domid_t dom;                  /* the caller: owns every table it has */
    /*
     * PT-33: the privileged control domain (dom0). Only it may name
     * another domain's frames in L1 entries (foreign mappings), and only
     * of a domain env_foreign_mappable() accepts.
     */
    bool privileged;
    /*
     * PT-34: the owner of the data frames that L1 entries written by the
     * current operation may map. Equal to `dom` except during a privileged
     * mmu_update or update_va_mapping_otherdomain naming a foreign domain,
     * which set it after decoding foreigndom and reset it to `dom` before
     * returning, whatever the outcome. Table validation never reads it.
     */
    domid_t fd;
    bool io_capable;              /* PT-2: may use cache attributes in L1 entries */
    uint32_t *m2p;                /* machine-to-phys table, m2p_entries entries */
    uint32_t m2p_entries;
    /*
     * The PT_XEN_SLOTS entries the hypervisor installs in slots 428..511
     * of every L2 under an L3's slot 3 (PT-12). They name hypervisor
     * frames, hold no references and are never validated. NULL installs
     * zeros (hosted tests that do not care).
     */
    const uint64_t *xen_l2_slots;
    /* The vCPU's base table, INVALID_MFN for none: holds one L3 type
     * reference and one general reference (PT-26). */
    uint32_t cr3_mfn;
    uint32_t ldt_base;            /* PT-27: 0 when ldt_ents == 0 */
    uint32_t ldt_ents;
    /*
     * Transitions refused because the counts disagreed with the tables
     * (an underflow, a put of the wrong type). Zero unless the core has a
     * bug; a debug build panics when it grows, and pt_audit() names the
     * frame.
     */
    uint32_t bugs;
};

#endif
