/*
 * grant_table_op (hypercall 20), grant tables v1 (spec/grants.md):
 * gnttab.c maps, unmaps and tears down; gnttab_op.c has copy, setup,
 * query, versions and the hypercall's batch loop.
 *
 * Theory of operation. gnttab_track.h keeps the hypervisor's record of
 * grants in use; this layer decodes one operation at a time against it,
 * then commits. A map:
 *
 *   decode   flags (host_map only), the granter exists (GNT-3), ref in
 *            range (GNT-1), a free handle (GNT-12), the shared entry read
 *            once and allowing this grantee and access (GNT-5), the active
 *            entry compatible (GNT-6), the PTE target a validated L1 of
 *            the grantee at an aligned slot (GNT-9) whose current entry,
 *            if present, maps the grantee's own frame (GNT-10);
 *   commit   take the frame references (GNT-7, GNT-8: the only step that
 *            can fail, and it changes nothing when it does), mark the
 *            shared entry (GNT-13), write the PTE, flush and drop the old
 *            entry's references as mod_l1_entry does (PT-19, PT-20), pin,
 *            record the handle.
 *
 * An unmap finds its handle (GNT-2), checks that the PTE it recorded still
 * maps the frame with the recorded access (GNT-14), clears it, flushes the
 * TLBs, and only then drops exactly the references the map took.
 *
 * The grant PTE is an ordinary L1 entry as far as the page-table layer is
 * concerned: it holds the references that any L1 entry to that frame
 * would hold (spec/memory.md), taken through the grant path instead of
 * the ownership rule PT-6, because the frame is the granter's. So the
 * audit's recount matches it, and if the grantee overwrites or tears
 * down the L1 itself, the page-table layer drops those references (for
 * the privileged domain: PT-37) and the maptrack entry merely goes stale
 * (its unmap then answers GNTST_general_error; teardown releases its pin).
 * For an unprivileged grantee the page-table layer does not yet accept
 * dropping another domain's frame (PT-37) and the audit reports the
 * entry as foreign (PT-38); until both learn about grant mappings,
 * `unpriv_host_map` keeps host mappings to the privileged domain
 * (spec/grants.md, GNT-19, "Open points").
 *
 * Per-operation results go to each structure's status (GNTST_*); the
 * hypercall's own return value is 0 or an argument error (-EFAULT,
 * -EINVAL, -ENOSYS), as in Xen.
 *
 * One CPU, interrupts off during a hypercall: no other domain runs while
 * an operation reads and writes the shared entries (see GNT-13 for SMP).
 */
#ifndef CORE_GNTTAB_H
#define CORE_GNTTAB_H

#include "gnttab_track.h"
#include "hc_cont.h"
#include "pt_ctx.h"
#include "pt_audit.h"

#define GNTTAB_VERSION    1u

/* Every domain's grant state, by domain id (the glue's). */
struct gnttab_world {
    struct gnttab_domain **doms;   /* doms[id], NULL if none (or dead) */
    uint32_t nr;
    /*
     * GNT-19: may an unprivileged domain make host mappings? false until
     * the page-table layer knows grant PTEs (see above).
     */
    bool unpriv_host_map;
};

/* One hypercall: the world and the caller's page-table state. */
struct gnttab_call {
    struct gnttab_world *w;
    struct pt_ctx *ctx;            /* the caller: ctx->dom, ->privileged, ->ft */
};

/* The table of domain `id` (a real id, not DOMID_SELF), or NULL. */
struct gnttab_domain *gnttab_lookup_id(const struct gnttab_world *w, domid_t id);

/* An empty table for `dom` that may grow to max_frames (clamped to
 * 1 .. GNTTAB_MAX_FRAMES; 0 means GNTTAB_MAX_FRAMES). */
void gnttab_domain_init(struct gnttab_domain *gt, domid_t dom, uint32_t max_frames);

/*
 * GNTTABOP_setup_table (GNT-16): grow op->dom's table to op->nr_frames
 * frames (never shrinks) and write their mfns to op->frame_list. Status:
 * GNTST_permission_denied (another domain, unprivileged), bad_domain,
 * general_error (more than max_frames, or not enough free frames).
 * Returns 0, or -EFAULT if the list cannot be written.
 */
int gnttab_setup_table(struct gnttab_call *c, struct gnttab_setup_table *op);

/* GNTTABOP_query_size (GNT-17): the same domain rules; status only. */
void gnttab_query_size(struct gnttab_call *c, struct gnttab_query_size *op);

/*
 * GNTTABOP_map_grant_ref (GNT-1..GNT-13, GNT-19). Status: okay (handle,
 * dev_bus_addr set), general_error, bad_domain, bad_gntref, bad_page,
 * no_device_space, permission_denied.
 */
void gnttab_map(struct gnttab_call *c, struct gnttab_map_grant_ref *op);

/*
 * GNTTABOP_unmap_grant_ref (GNT-2, GNT-14). Status: okay, bad_handle
 * (out of range or not in use: a second unmap), general_error (the
 * address differs from the map's, or the PTE no longer maps the frame:
 * nothing changes).
 */
void gnttab_unmap(struct gnttab_call *c, struct gnttab_unmap_grant_ref *op);

/*
 * GNTTABOP_copy (GNT-15). Status: okay, bad_copy_arg (crosses a page),
 * bad_domain, bad_gntref, permission_denied (a frame number for a domain
 * other than DOMID_SELF), general_error (entry refuses; destination
 * cannot be written, e.g. a page table), bad_page.
 */
void gnttab_copy(struct gnttab_call *c, struct gnttab_copy *op);

/*
 * GNTTABOP_set_version (GNT-22): 0 for 1, -ENOSYS for 2 (not offered, as
 * Xen without v2), -EINVAL otherwise; op->version := 1 in every case.
 */
int gnttab_set_version(struct gnttab_call *c, struct gnttab_set_version *op);

/*
 * GNTTABOP_get_version (GNT-22): 0 with op->version := 1; -ESRCH (no such
 * domain, checked first), -EPERM (another domain, unprivileged caller).
 */
int gnttab_get_version(struct gnttab_call *c, struct gnttab_get_version *op);

/*
 * The hypercall: `count` structures of the type `cmd` names at `uop`,
 * each copied in once, handled, copied out. 0; -ENOSYS (other commands:
 * transfer, unmap_and_replace, dump_table, v2-only, ...); -EINVAL (count
 * above INT32_MAX, continuation bits above GNTTABOP_CMD_MASK in cmd, or
 * a count other than 1 for setup_table and query_size; set/get_version
 * handle one structure whatever the count, as Xen: GNT-22);
 * -EFAULT (the array is not wholly below HYPERVISOR_VIRT_START or cannot
 * be copied: the batch stops there). Preemptible before every structure
 * but the first of an issue (HC-1, HC-4): -ERESTART with *cont = (cmd,
 * uop past the structures done, count less them); never with cont NULL.
 */
int gnttab_op(struct gnttab_call *c, uint32_t cmd, guest_ptr_t uop, uint32_t count,
              struct hc_cont *cont);

/*
 * Teardown (GNT-20) of ctx's domain, before its page tables are torn
 * down: every host mapping it made is removed (PTE cleared if still
 * there, references dropped, pins released), every other domain's
 * mapping of its grants becomes an orphan (it keeps its PTE and frame
 * references until unmapped, but no longer touches this table), and the
 * hypervisor's holds on its grant frames are dropped, so the glue's
 * sweep frees them once nothing else maps them. The glue then removes
 * the table from the world.
 */
void gnttab_domain_destroy(struct gnttab_world *w, struct pt_ctx *ctx);

/*
 * The hypervisor's holds on gt's grant frames (one general and one
 * PGT_WRITABLE reference each), for pt_audit's recount: writes at most
 * `max` entries, returns how many it wrote.
 */
uint32_t gnttab_audit_holds(const struct gnttab_domain *gt, struct pt_audit_hold *holds,
                            uint32_t max);

/*
 * The grant invariants (GNT-21): every in-use, not orphaned handle names
 * a live granter, a ref in range and an active entry pinned for this
 * grantee and frame; each active entry's pins equal the handles that
 * account for them. 0, or -EINVAL.
 */
int gnttab_check(const struct gnttab_world *w);

#endif
