/*
 * grant_table_op, as hv/grant_table.c runs it: the caller's page-table
 * context and the world of grant tables go to gnttab_op(), which copies
 * each structure in once from the argument window, handles it and copies
 * it back. The world refuses host mappings to unprivileged domains, as the
 * hypervisor does (GNT-19), so the attacker grants and copies while dom0
 * maps its grants.
 *
 * The first structure comes from the op; `count` more follow as zeros
 * (batches, and the count rules of GNT-18); `aux` bits 0..1 pick where
 * they go (args_place()). A map's returned handles become GH_LEARNED
 * handles.
 *
 * Each successful map and copy is checked against the granter's entry as
 * the op found it (GNT-5, GNT-15), stated apart from gnttab_entry_check();
 * gnttab_check() (GNT-21) runs after every grant op (checks.c).
 */
#include <string.h>

#include "env.h"
#include "exec_internal.h"
#include "hosted_env.h"
#include "gnttab.h"
#include "pv/errno.h"
#include "pv/grant_table.h"

#define GNT_OFF   0x400u            /* the structures (up to 256 x 32 bytes) */
#define LIST_OFF  0x3000u           /* setup_table's frame list */
#define MAX_STRUCT 32u
#define MAX_BATCH 256u

/* The entry `ref` of domain `dom`'s table, or false when there is none. */
static bool read_entry(uint32_t dom, uint32_t ref, struct grant_entry_v1 *e)
{
    uint32_t mfn;
    const struct grant_entry_v1 *p = machine_gnt_entry(dom, ref, &mfn);

    if (p)
        *e = *p;
    return p != NULL;
}

static uint32_t real_dom(uint32_t dom)
{
    return dom == DOMID_SELF ? X.actor_id : dom;
}

/*
 * GNT-5 for a use by the actor: the entry (as read before the op) permits
 * access (not sub-page) to exactly the actor, and is writable if written.
 */
static bool entry_allows(const struct grant_entry_v1 *e, bool write)
{
    return (e->flags & GTF_type_mask) == GTF_permit_access && !(e->flags & GTF_sub_page) &&
           e->domid == X.actor_id && !(write && (e->flags & GTF_readonly));
}

/* One hypercall over `count` structures, the first one `first`. */
static int call(uint32_t cmd, const void *first, uint32_t size, uint32_t count, uint32_t mode)
{
    static uint8_t buf[MAX_STRUCT * MAX_BATCH];
    struct gnttab_call c = { &M.gworld, &X.actor->pt };
    uint32_t n = count < MAX_BATCH ? count : MAX_BATCH;
    guest_ptr_t uop;
    struct hc_cont cont;
    uint32_t issues = 0;
    int rc;

    memset(buf, 0, size * n);
    memcpy(buf, first, size);
    X.gnt_op = true;
    machine_mark_gnt_dirty();
    uop = args_place(mode, GNT_OFF, buf, size * n);
    hosted_set_preempt(FUZZ_PREEMPT_EVERY);             /* HC-4, as exec_mm.c */
    while ((rc = gnttab_op(&c, cmd, uop, count, &cont)) == -ERESTART) {
        if (++issues > FUZZ_MAX_ISSUES)
            exec_finding("HC-1: a grant batch still stops after %u issues", issues);
        cmd = cont.args[0];
        uop = guest_ptr(cont.args[1]);
        count = cont.args[2];
    }
    hosted_set_preempt(0);
    return rc;
}

/* The first structure as the core left it (the window, pointer mode 0). */
static void result(void *s, uint32_t size, uint32_t mode)
{
    if (mode % 4u == 0)
        memcpy(s, M_args + GNT_OFF, size);
}

static int op_setup(const struct prog_op *op)
{
    struct gnttab_setup_table s;
    int rc;

    memset(&s, 0, sizeof(s));
    s.dom = (domid_t)res_domid(&op->a[0]);
    s.nr_frames = res_u32(&op->a[1]);
    s.frame_list = (op->aux & 4u) ? 0 : M_ARGS_VA + LIST_OFF;
    s.status = 1;
    rc = call(GNTTABOP_setup_table, &s, sizeof(s), 1u + op->count, op->aux);
    result(&s, sizeof(s), op->aux);
    exec_trace("        status %d\n", s.status);
    return rc ? rc : s.status;
}

static int op_query(const struct prog_op *op)
{
    struct gnttab_query_size q;
    int rc;

    memset(&q, 0, sizeof(q));
    q.dom = (domid_t)res_domid(&op->a[0]);
    q.status = 1;
    rc = call(GNTTABOP_query_size, &q, sizeof(q), 1u + op->count, op->aux);
    result(&q, sizeof(q), op->aux);
    exec_trace("        status %d nr_frames %u max %u\n", q.status, q.nr_frames,
               q.max_nr_frames);
    return rc ? rc : q.status;
}

/* A PTE's machine address; a handle's bits 25..27 misalign it (XSA-227). */
static uint64_t pte_addr(const struct prog_arg *a)
{
    return res_ptr(a, 0) + (prog_arg_is_handle(T_PTR, a) ? (a->value >> 25) & 7u : 0);
}

/* GNT-12: a map takes the lowest free handle; none free is the only no_device_space. */
static uint32_t lowest_free_handle(const struct gnttab_domain *gt)
{
    uint32_t h;

    for (h = 0; h < GNTTAB_MAPTRACK_SIZE; h++)
        if (!gnttab_handle_ok(gt, h))
            return h;
    return GNTTAB_NO_HANDLE;
}

static int op_map(const struct prog_op *op)
{
    struct gnttab_map_grant_ref m;
    struct grant_entry_v1 e;
    uint32_t lowest;
    bool had;
    int rc;

    memset(&m, 0, sizeof(m));
    m.flags = op->aux >> 2;
    m.dom = (domid_t)res_domid(&op->a[0]);
    m.ref = res_gref(&op->a[1]);
    m.host_addr = (m.flags & GNTMAP_contains_pte) ? pte_addr(&op->a[3]) : res_va(&op->a[2]);
    m.status = 1;
    had = read_entry(m.dom, m.ref, &e);
    lowest = lowest_free_handle(&M_gnt[X.actor_id]);
    rc = call(GNTTABOP_map_grant_ref, &m, sizeof(m), 1u + op->count, op->aux);
    result(&m, sizeof(m), op->aux);
    exec_trace("        host_addr %#llx flags %#x -> status %d handle %u\n",
               (unsigned long long)m.host_addr, m.flags, m.status, m.handle);
    if (rc == 0 && m.status == GNTST_okay && op->aux % 4u == 0) {
        if (!had || !entry_allows(&e, !(m.flags & GNTMAP_readonly)) ||
            (m.dev_bus_addr >> PAGE_SHIFT) != e.frame)
            exec_finding("GNT-5 oracle: dom%u ref %u mapped (flags %#x) with entry %#x dom %u "
                         "frame %u", m.dom, m.ref, m.flags, had ? e.flags : 0xFFFFu,
                         had ? e.domid : 0xFFFFu, had ? e.frame : 0);
        if (m.handle != lowest)                                               /* GNT-12 */
            exec_finding("GNT-12 oracle: map took handle %u, the lowest free was %u", m.handle,
                         lowest);
        res_learn_ghandle(m.handle);
    }
    if (rc == 0 && m.status == GNTST_no_device_space && lowest != GNTTAB_NO_HANDLE)
        exec_finding("GNT-12 oracle: no_device_space with handle %u free", lowest);
    return rc ? rc : m.status;
}

static int op_unmap(const struct prog_op *op)
{
    struct gnttab_unmap_grant_ref u;
    int rc;

    memset(&u, 0, sizeof(u));
    u.handle = res_ghandle(&op->a[0]);
    u.host_addr = (op->aux & 4u) ? pte_addr(&op->a[2]) : res_va(&op->a[1]);
    u.dev_bus_addr = op->a[3].value;
    u.status = 1;
    rc = call(GNTTABOP_unmap_grant_ref, &u, sizeof(u), 1u + op->count, op->aux);
    result(&u, sizeof(u), op->aux);
    exec_trace("        handle %u host_addr %#llx -> status %d\n", u.handle,
               (unsigned long long)u.host_addr, u.status);
    return rc ? rc : u.status;
}

/* A copy end: a grant ref, or (not a ref) the actor's frame the handle's
 * number picks among its data frames; a raw argument names any frame. */
static void copy_end(const struct prog_arg *dom, const struct prog_arg *ref, bool is_ref,
                     struct gnttab_copy_ptr *p)
{
    p->domid = (domid_t)res_domid(dom);
    p->offset = (uint16_t)((ref->value >> 16) & 0x1FFFu);
    if (is_ref)
        p->u.ref = res_gref(ref);
    else if (prog_arg_is_handle(T_GREF, ref))
        p->u.gmfn = X.actor->data[(ref->value & 0xFFFFu) % M_NR_DATA];
    else
        p->u.gmfn = (uint32_t)ref->value;
}

/* GNT-15, stated apart: what a successful copy end must have been. */
static void check_copy_end(const struct gnttab_copy_ptr *p, bool is_ref, bool write,
                           bool had, const struct grant_entry_v1 *e)
{
    if (is_ref ? (!had || !entry_allows(e, write))
               : (p->domid != DOMID_SELF || p->u.gmfn >= M_FRAMES ||
                  M.frames[p->u.gmfn].owner != X.actor_id))
        exec_finding("GNT-15 oracle: copy %s dom %u %s %u accepted", write ? "to" : "from",
                     p->domid, is_ref ? "ref" : "frame", p->u.ref);
}

static int op_copy(const struct prog_op *op)
{
    struct gnttab_copy c;
    struct grant_entry_v1 se, de;
    bool sref = op->aux & 4u, dref = op->aux & 8u, shad = false, dhad = false;
    int rc;

    memset(&c, 0, sizeof(c));
    copy_end(&op->a[0], &op->a[1], sref, &c.source);
    copy_end(&op->a[2], &op->a[3], dref, &c.dest);
    c.len = (uint16_t)((op->a[1].value >> 32) & 0x1FFFu);
    c.flags = (uint16_t)((sref ? GNTCOPY_source_gref : 0) | (dref ? GNTCOPY_dest_gref : 0));
    c.status = 1;
    if (sref)
        shad = read_entry(real_dom(c.source.domid), c.source.u.ref, &se);
    if (dref)
        dhad = read_entry(real_dom(c.dest.domid), c.dest.u.ref, &de);
    rc = call(GNTTABOP_copy, &c, sizeof(c), 1u + op->count, op->aux);
    result(&c, sizeof(c), op->aux);
    exec_trace("        len %u -> status %d\n", c.len, c.status);
    if (rc == 0 && c.status == GNTST_okay && op->aux % 4u == 0) {
        check_copy_end(&c.source, sref, false, shad, &se);
        check_copy_end(&c.dest, dref, true, dhad, &de);
    }
    return rc ? rc : c.status;
}

/* The actor writes an entry of its own table, as through its own mapping
 * of the grant frame (a guest may write there at any time: GNT-13). */
static int op_entry(const struct prog_op *op)
{
    uint32_t ref = res_gref(&op->a[0]), mfn = 0;
    struct grant_entry_v1 *e = machine_gnt_entry(X.actor_id, ref, &mfn);

    if (!e)
        return -EINVAL;                     /* no such entry: nothing to write */
    e->flags = (uint16_t)op->a[1].value;
    e->domid = (domid_t)res_domid(&op->a[2]);
    e->frame = res_frame(&op->a[3], 0);
    exec_note_raw_write(mfn);
    exec_trace("        ref %u := flags %#x dom %u frame %u\n", ref, e->flags, e->domid,
               e->frame);
    return 0;
}

/* Any command and count over 16 raw bytes (versions, unknown commands). */
static int op_raw(const struct prog_op *op)
{
    uint64_t raw[MAX_STRUCT / 8u] = { op->a[2].value, op->a[3].value, 0, 0 };

    return call(res_u32(&op->a[0]), raw, sizeof(raw), res_u32(&op->a[1]), op->aux);
}

int exec_gnt_op(const struct prog_op *op)
{
    switch (op->op) {
    case OP_GNT_SETUP:  return op_setup(op);
    case OP_GNT_QUERY:  return op_query(op);
    case OP_GNT_MAP:    return op_map(op);
    case OP_GNT_UNMAP:  return op_unmap(op);
    case OP_GNT_COPY:   return op_copy(op);
    case OP_GNT_ENTRY:  return op_entry(op);
    default:            return op_raw(op);
    }
}
