/*
 * The hypervisor's record of grants in use: bounds, the shared entry
 * read once, frame references, pins and the maptrack (see gnttab_track.h).
 *
 * Flag bits are tested arithmetically ((x / bit) % 2), which the provers
 * relate to the other conditions; the values are single bits, so this is
 * the usual mask test.
 */
#include "gnttab_track.h"

bool gnttab_ref_ok(const struct gnttab_domain *gt, uint32_t ref)
{
    /* GNT-1: the table as it is now; nr_frames is ours, never the guest's */
    return gt->nr_frames <= GNTTAB_MAX_FRAMES &&
           ref < gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME;
}

int gnttab_entry_check(uint16_t flags, domid_t domid, domid_t grantee, bool rw)
{
    if (flags % 4u != GTF_permit_access)                        /* GNT-5: type */
        return GNTST_general_error;
    if ((flags / GTF_sub_page) % 2u != 0)                       /* v2 only */
        return GNTST_general_error;
    if (domid != grantee)                                       /* GNT-5: whose */
        return GNTST_general_error;
    if (rw && (flags / GTF_readonly) % 2u != 0)                 /* GNT-5: RO grant */
        return GNTST_general_error;
    return GNTST_okay;
}

/* Where entry `ref` lives: its frame (index into gt->frames) and offset. */
/*@ requires gnt_dom_ok(gt);
    requires ref < gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME;
    assigns \nothing;
    ensures \result == gt->frames[ref / GNTTAB_ENTRIES_PER_FRAME];
*/
static uint32_t entry_mfn(const struct gnttab_domain *gt, uint32_t ref)
{
    return gt->frames[ref / GNTTAB_ENTRIES_PER_FRAME];
}

/*@ assigns \nothing;
    ensures \result == (ref % GNTTAB_ENTRIES_PER_FRAME) * 8;
    ensures \result <= PAGE_SIZE - 8;
*/
static uint32_t entry_offset(uint32_t ref)
{
    return (ref % GNTTAB_ENTRIES_PER_FRAME) * (uint32_t)sizeof(struct grant_entry_v1);
}

/*
 * Little-endian fields of a mapped frame, read and written bytewise
 * through the char view the proof model gives a mapping. A char may be
 * signed: (c + 256) % 256 is its byte value without a conversion that
 * could wrap.
 */
/*@ assigns \nothing;
    ensures 0 <= \result <= 255;
    ensures \result == (c + 256) % 256;
*/
static uint32_t byte_at(char c)
{
    return (uint32_t)((c + 256) % 256);
}

/*@ requires \valid_read(p + (0 .. 1));
    assigns \nothing;
    ensures \result == (p[0] + 256) % 256 + ((p[1] + 256) % 256) * 256;
*/
static uint16_t get16(const char *p)
{
    return (uint16_t)(byte_at(p[0]) + byte_at(p[1]) * 0x100u);
}

/*@ requires \valid_read(p + (0 .. 3));
    assigns \nothing;
    ensures \result == (p[0] + 256) % 256 + ((p[1] + 256) % 256) * 256 +
                       ((p[2] + 256) % 256) * 65536 + ((p[3] + 256) % 256) * 16777216;
*/
static uint32_t get32(const char *p)
{
    return byte_at(p[0]) + byte_at(p[1]) * 0x100u + byte_at(p[2]) * 0x10000u +
           byte_at(p[3]) * 0x1000000u;
}

/*@ // two bytes make the low 16 bits (proved: a proof step, not an axiom)
    lemma gnt_u16_bytes: \forall integer v;
        0 <= v ==> v % 256 + ((v / 256) % 256) * 256 == v % 65536;
*/

/*
 * The char holding byte value b: computed in range, so no conversion of
 * an out-of-range value to a (possibly signed) char is involved.
 */
/*@ requires b <= 255;
    assigns \nothing;
    ensures (\result + 256) % 256 == b;
*/
static char char_of(uint32_t b)
{
    return (char)(b < 128u ? (int)b : (int)b - 256);
}

/* The low 16 bits of v, little-endian. */
/*@ requires \valid(p + (0 .. 1));
    assigns p[0 .. 1];
    ensures (p[0] + 256) % 256 == v % 256 && (p[1] + 256) % 256 == (v / 256) % 256;
    ensures (p[0] + 256) % 256 + ((p[1] + 256) % 256) * 256 == v % 65536;
*/
static void put16(char *p, uint32_t v)
{
    p[0] = char_of(v % 0x100u);
    p[1] = char_of((v / 0x100u) % 0x100u);
}

void gnttab_entry_read(const struct gnttab_domain *gt, uint32_t ref,
                       struct grant_entry_v1 *e)
{
    const char *page = env_map_frame(entry_mfn(gt, ref));
    const char *ent = page + entry_offset(ref);

    /* GNT-13: one read of each field; only the copy is looked at */
    e->flags = get16(ent);
    e->domid = get16(ent + 2);
    e->frame = get32(ent + 4);
    env_unmap_frame(page);
}

bool gnttab_entry_set_flags(const struct gnttab_domain *gt, uint32_t ref,
                            uint16_t seen_flags, domid_t seen_domid, uint16_t bits)
{
    char *page = env_map_frame(entry_mfn(gt, ref));
    char *ent = page + entry_offset(ref);
    bool same = get16(ent) == seen_flags && get16(ent + 2) == seen_domid;

    /*
     * GNT-13: compare-and-swap on flags+domid. With one CPU and the
     * hypercall running with interrupts off the granter cannot write in
     * between, so the compare always succeeds; the SMP port must make
     * this a locked cmpxchg on the 32-bit word (as Xen does, retrying a
     * few times before giving up with GNTST_general_error).
     */
    if (same)
        put16(ent, (uint32_t)seen_flags | bits);
    env_unmap_frame(page);
    return same;
}

void gnttab_entry_clear_flags(const struct gnttab_domain *gt, uint32_t ref, uint16_t bits)
{
    char *page = env_map_frame(entry_mfn(gt, ref));
    char *ent = page + entry_offset(ref);
    uint16_t flags = get16(ent);

    //@ assert flags == gnt_entry_flags(ref);
    put16(ent, flags & (0xFFFFu - bits));                       /* GNT-13 */
    env_unmap_frame(page);
}

int gnttab_frame_get(struct frame_table *ft, uint32_t mfn, domid_t owner, bool rw)
{
    struct frame *f;
    int rc;

    /* GNT-7: only RAM of the granting domain itself */
    if (mfn >= ft->nr_frames || owner >= DOMID_FIRST_RESERVED ||
        ft->frames[mfn].owner != owner)
        return GNTST_bad_page;
    f = &ft->frames[mfn];
    if (pt_ref_get(f) != 0)                                     /* PT-16 */
        return GNTST_general_error;
    if (!rw)
        return GNTST_okay;
    /* GNT-8, PT-7: a writable mapping holds the writable type */
    rc = pt_type_get(f, PGT_WRITABLE);
    if (rc == PT_TYPE_NEW) {
        pt_type_validated(f);       /* data frames need no validation */
        return GNTST_okay;
    }
    if (rc == PT_TYPE_HELD)
        return GNTST_okay;
    (void)pt_ref_put(f);            /* a table, or a count at its limit */
    return GNTST_general_error;
}

bool gnttab_frame_put(struct frame_table *ft, uint32_t mfn, bool rw)
{
    struct frame *f;

    if (mfn >= ft->nr_frames)
        return false;
    f = &ft->frames[mfn];
    if (f->refcount == 0)
        return false;
    if (rw) {
        /* GNT-8: the writable type reference first, refused if missing */
        if (f->type != PGT_WRITABLE || f->type_count == 0 || pt_frame_pinned(f) ||
            f->refcount < f->type_count)
            return false;
        (void)pt_type_put(f);
    }
    (void)pt_ref_put(f);
    return true;
}

int gnttab_pin_check(const struct gnttab_active *a, domid_t grantee, uint32_t mfn, bool rw)
{
    if (a->ro_pins + a->rw_pins == 0)
        return GNTST_okay;
    /* GNT-6: one grantee and one frame per active entry */
    if (a->grantee != grantee || a->mfn != mfn)
        return GNTST_general_error;
    if ((rw ? a->rw_pins : a->ro_pins) >= GNTTAB_PIN_MAX)
        return GNTST_general_error;
    return GNTST_okay;
}

void gnttab_pin(struct gnttab_active *a, domid_t grantee, uint32_t mfn, bool rw)
{
    a->grantee = grantee;
    a->mfn = mfn;
    if (rw)
        a->rw_pins++;
    else
        a->ro_pins++;
}

void gnttab_unpin(struct gnttab_active *a, bool rw)
{
    if (rw) {
        if (a->rw_pins > 0)
            a->rw_pins--;
    } else if (a->ro_pins > 0) {
        a->ro_pins--;
    }
}

uint32_t gnttab_handle_alloc(const struct gnttab_domain *gt)
{
    uint32_t h;

    /*@ loop invariant 0 <= h <= GNTTAB_MAPTRACK_SIZE;
        loop invariant \forall integer k; 0 <= k < h ==> gnt_handle_used(gt, k);
        loop assigns h;
        loop variant GNTTAB_MAPTRACK_SIZE - h;
    */
    for (h = 0; h < GNTTAB_MAPTRACK_SIZE; h++)
        if ((gt->maptrack[h].flags / GNTTAB_MT_USED) % 2u == 0)
            return h;
    return GNTTAB_NO_HANDLE;                                    /* GNT-12 */
}

bool gnttab_handle_ok(const struct gnttab_domain *gt, uint32_t handle)
{
    /* GNT-2: bounded first, then in use */
    return handle < GNTTAB_MAPTRACK_SIZE &&
           (gt->maptrack[handle].flags / GNTTAB_MT_USED) % 2u == 1;
}

void gnttab_handle_set(struct gnttab_domain *gt, uint32_t h, const struct gnttab_map *m)
{
    struct gnttab_map *t = &gt->maptrack[h];
    uint8_t rw = (uint8_t)(((m->flags / GNTTAB_MT_RW) % 2u) * GNTTAB_MT_RW);

    t->flags = (uint8_t)(GNTTAB_MT_USED + rw);
    t->pad = 0;
    t->granter = m->granter;
    t->ref = m->ref;
    t->mfn = m->mfn;
    t->l1_mfn = m->l1_mfn;
    t->l1_slot = m->l1_slot;
    t->pad2 = 0;
    t->host_addr = m->host_addr;
}

void gnttab_handle_free(struct gnttab_domain *gt, uint32_t h)
{
    struct gnttab_map *t = &gt->maptrack[h];

    t->flags = 0;
    t->pad = 0;
    t->granter = 0;
    t->ref = 0;
    t->mfn = 0;
    t->l1_mfn = 0;
    t->l1_slot = 0;
    t->pad2 = 0;
    t->host_addr = 0;
}
