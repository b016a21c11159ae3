/* The page-table test fixture (see pt_fixture.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_fixture.h"

void fx_init(struct fx *fx)
{
    uint32_t i;
    unsigned d;

    memset(fx, 0, sizeof(*fx));
    hosted_env_init(FX_FRAMES);
    hosted_hw_reset();
    frame_table_init(&fx->ft, fx->frames, FX_FRAMES);
    for (i = 0; i < FX_FRAMES; i++) {
        if (i < FX_XEN_FRAMES)
            frame_set_owner_boot(&fx->ft, i, DOMID_XEN);
        else
            frame_release_boot(&fx->ft, i);
        fx->m2p[i] = 0xFFFFFFFFu;
    }
    /* hypervisor mappings: supervisor, writable, pointing at Xen frames */
    for (i = 0; i < PT_XEN_SLOTS; i++)
        fx->xen_slots[i] = fx_pte(i % FX_XEN_FRAMES, PTE_P | PTE_RW | PTE_A | PTE_D);
    for (d = 0; d < FX_NR_DOMS; d++) {
        struct pt_ctx *c = &fx->ctx[d];

        c->ft = &fx->ft;
        c->dom = (domid_t)(d + 1);
        c->fd = c->dom;                 /* PT-34: no foreign operation running */
        c->m2p = fx->m2p;
        c->m2p_entries = FX_FRAMES;
        c->xen_l2_slots = fx->xen_slots;
        c->cr3_mfn = INVALID_MFN;
    }
    hosted_guest_window(FX_GUEST_VA, fx->guest, FX_GUEST_LEN);
}

uint32_t fx_alloc(struct fx *fx, unsigned d)
{
    uint32_t mfn = INVALID_MFN;

    if (frame_alloc(&fx->ft, fx->ctx[d].dom, &mfn) != 0) {
        fprintf(stderr, "fixture: out of frames\n");
        abort();
    }
    return mfn;
}

uint64_t fx_pte(uint32_t mfn, uint64_t flags)
{
    return ((uint64_t)mfn << PAGE_SHIFT) | flags;
}

void fx_poke(uint32_t mfn, uint32_t slot, uint64_t e)
{
    memcpy(hosted_frame(mfn) + slot * PT_ENTRY_SIZE, &e, sizeof(e));
}

uint64_t fx_peek(uint32_t mfn, uint32_t slot)
{
    uint64_t e;

    memcpy(&e, hosted_frame(mfn) + slot * PT_ENTRY_SIZE, sizeof(e));
    return e;
}

int fx_build(struct fx *fx, unsigned d)
{
    struct fx_space *s = &fx->sp[d];
    struct pt_ctx *c = &fx->ctx[d];
    uint32_t i;
    int rc;

    s->l3 = fx_alloc(fx, d);
    s->l2_low = fx_alloc(fx, d);
    s->l2_xen = fx_alloc(fx, d);
    s->l1 = fx_alloc(fx, d);
    s->l1_hi = fx_alloc(fx, d);
    for (i = 0; i < FX_NR_DATA; i++) {
        s->data[i] = fx_alloc(fx, d);
        fx_poke(s->l1, i, fx_pte(s->data[i], FX_RW));
        fx->m2p[s->data[i]] = i;
    }
    fx_poke(s->l1, FX_L1_SELF, fx_pte(s->l1, FX_RO));
    fx_poke(s->l1_hi, 0, fx_pte(s->data[0], FX_RO));
    fx_poke(s->l2_low, FX_L2_SLOT, fx_pte(s->l1, FX_TAB));
    fx_poke(s->l2_xen, 0, fx_pte(s->l1_hi, FX_TAB));
    fx_poke(s->l3, 0, fx_pte(s->l2_low, FX_PDPTE));
    fx_poke(s->l3, PT_XEN_L3_SLOT, fx_pte(s->l2_xen, FX_PDPTE));
    rc = pt_pin_table(c, s->l3, PGT_L3);
    if (rc == 0)
        rc = pt_set_baseptr(c, s->l3);
    return rc;
}

int fx_audit(struct fx *fx)
{
    struct pt_audit_domain doms[FX_NR_DOMS];
    struct pt_audit_in in;
    unsigned d;
    int rc;

    for (d = 0; d < FX_NR_DOMS; d++) {
        doms[d].dom = fx->ctx[d].dom;
        doms[d].io_capable = fx->ctx[d].io_capable;
        doms[d].cr3_mfn = fx->ctx[d].cr3_mfn;
        doms[d].xen_l2_slots = fx->ctx[d].xen_l2_slots;
        doms[d].privileged = fx->ctx[d].privileged;
    }
    in.ft = &fx->ft;
    in.doms = doms;
    in.nr_doms = FX_NR_DOMS;
    in.holds = fx->holds;
    in.nr_holds = fx->nr_holds;
    in.scratch = fx->scratch;
    rc = pt_audit(&in, &fx->last);
    if (rc != 0 && !fx->quiet)
        fprintf(stderr, "audit: %s at mfn %u slot %d (expected %u, found %u)\n",
                pt_audit_what_name(fx->last.what), fx->last.mfn, (int)fx->last.slot,
                fx->last.expected, fx->last.found);
    for (d = 0; d < FX_NR_DOMS; d++)
        if (fx->ctx[d].bugs != 0) {
            fprintf(stderr, "dom%u: %u refused transitions\n", d + 1, fx->ctx[d].bugs);
            rc = rc ? rc : -EINVAL;
        }
    if (hosted_live_maps() != 0) {
        fprintf(stderr, "%d frames still mapped\n", hosted_live_maps());
        rc = rc ? rc : -EINVAL;
    }
    return rc;
}

guest_ptr_t fx_guest_put(struct fx *fx, uint32_t off, const void *p, uint32_t len)
{
    if (off > FX_GUEST_LEN || len > FX_GUEST_LEN - off)
        abort();
    memcpy(fx->guest + off, p, len);
    return guest_ptr(FX_GUEST_VA + off);
}

void fx_guest_get(struct fx *fx, uint32_t off, void *p, uint32_t len)
{
    if (off > FX_GUEST_LEN || len > FX_GUEST_LEN - off)
        abort();
    memcpy(p, fx->guest + off, len);
}
