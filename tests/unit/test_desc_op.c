/*
 * set_gdt, update_descriptor and the lazily mapped LDT as the hypervisor
 * runs them (hv/core/desc_op.c, spec/descriptors.md DESC-14..DESC-16):
 * every error path with Xen's error and nothing changed, the type and
 * reference work (checked with the audit, the GDT and LDT frames declared
 * as holds), and the requests to the hardware seam. The descriptor rules
 * themselves are test_desc_check.c's.
 */
#include "check.h"
#include "desc_check.h"
#include "desc_op.h"
#include "pt_fixture.h"
#include "seg_lookup.h"

static struct fx fx;
static struct desc_tables dt;
static struct pt_ctx *c;

#define LDT_VA (FX_DATA_VA + 20u * PAGE_SIZE)     /* l1 slot 20: mapped RO below */

/* A descriptor from its fields: base, raw 20-bit limit, access byte, flags nibble. */
static uint64_t mkdesc(uint32_t base, uint32_t limit, uint32_t access, uint32_t flags)
{
    uint32_t lo = (base << 16) | (limit & 0xFFFFu);
    uint32_t hi = (base & 0xFF000000u) | ((flags & 0xFu) << 20) | (limit & 0xF0000u) |
                  ((access & 0xFFu) << 8) | ((base >> 16) & 0xFFu);

    return ((uint64_t)hi << 32) | lo;
}

/* Ring-1 data, base 0, ending at 0xF67FFFFF: accepted as it is. */
#define SAFE      mkdesc(0, 0xF67FFu, 0xB2u, 0xCu)
/* DPL 0: accepted with DPL raised to 1 (DESC-2). */
#define DPL0      mkdesc(0, 0xF67FFu, 0x92u, 0xCu)
/* Base in the hypervisor: refused (DESC-7). */
#define BAD_BASE  mkdesc(0xF6800000u, 0, 0xB2u, 0x4u)

static void reset(void)
{
    fx_init(&fx);
    CHECK_EQ(fx_build(&fx, 0), 0);
    CHECK_EQ(fx_build(&fx, 1), 0);
    c = &fx.ctx[0];
    memset(&dt, 0, sizeof(dt));
    hosted_desc_evt_reset(true);
}

/* The audit with the descriptor frames dt holds declared as holds. */
static int audit(void)
{
    uint32_t i;

    fx.nr_holds = 0;
    for (i = 0; i < dt.gdt_frames && fx.nr_holds < FX_MAX_HOLDS; i++) {
        fx.holds[fx.nr_holds].mfn = dt.gdt_mfn[i];
        fx.holds[fx.nr_holds].refs = 1;
        fx.holds[fx.nr_holds].type_refs = 1;
        fx.holds[fx.nr_holds++].type = PGT_SEG_DESC;
    }
    for (i = 0; i < DESC_LDT_PAGES && fx.nr_holds < FX_MAX_HOLDS; i++) {
        if (!dt.ldt_mfn[i])
            continue;
        fx.holds[fx.nr_holds].mfn = dt.ldt_mfn[i];
        fx.holds[fx.nr_holds].refs = 1;
        fx.holds[fx.nr_holds].type_refs = 1;
        fx.holds[fx.nr_holds++].type = PGT_SEG_DESC;
    }
    return fx_audit(&fx);
}

static int set_gdt(const uint32_t *mfns, uint32_t n, uint32_t entries)
{
    return desc_set_gdt(c, &dt, fx_guest_put(&fx, 0x100, mfns, n * 4u), entries);
}

static void test_set_gdt_refused(void)
{
    uint32_t blank, bad, mfns[3];
    struct frame before;

    reset();
    blank = fx_alloc(&fx, 0);
    bad = fx_alloc(&fx, 0);
    fx_poke(bad, 3, BAD_BASE);
    mfns[0] = blank;
    CHECK_EQ_CASE("DESC-14 more than 7168 entries", set_gdt(mfns, 1, DESC_GDT_ENTRIES + 1), -EINVAL);
    CHECK_EQ_CASE("DESC-14 2^32-1 entries", set_gdt(mfns, 1, 0xFFFFFFFFu), -EINVAL);
    CHECK_EQ_CASE("DESC-14 frame list unreadable",
                  desc_set_gdt(c, &dt, guest_ptr(0x1000u), 512), -EFAULT);
    CHECK_EQ_CASE("DESC-14 frame list in the hypervisor",
                  desc_set_gdt(c, &dt, guest_ptr(0xF5800000u), 512), -EFAULT);
    before = *fx_frame(&fx, bad);
    mfns[0] = bad;
    CHECK_EQ_CASE("DESC-14 a frame with a refused entry", set_gdt(mfns, 1, 512), -EINVAL);
    CHECK_EQ_CASE("DESC-14 ... keeps no type", fx_frame(&fx, bad)->type, PGT_NONE);
    CHECK_EQ_CASE("DESC-14 ... nor a reference", fx_frame(&fx, bad)->refcount, before.refcount);
    mfns[0] = fx.sp[0].l1;
    CHECK_EQ_CASE("DESC-14 a page table", set_gdt(mfns, 1, 1), -EINVAL);
    mfns[0] = fx.sp[0].data[0];
    CHECK_EQ_CASE("DESC-14 a frame mapped writable", set_gdt(mfns, 1, 1), -EINVAL);
    mfns[0] = fx.sp[1].data[0];
    CHECK_EQ_CASE("DESC-14 another domain's frame", set_gdt(mfns, 1, 1), -EINVAL);
    mfns[0] = FX_FRAMES + 5u;
    CHECK_EQ_CASE("DESC-14 a frame beyond RAM", set_gdt(mfns, 1, 1), -EINVAL);
    /* the third of three refused: the two typed before it are released */
    mfns[0] = blank;
    mfns[1] = fx_alloc(&fx, 0);
    mfns[2] = fx.sp[0].l1;
    CHECK_EQ_CASE("DESC-14 the third frame refused", set_gdt(mfns, 3, 1025), -EINVAL);
    CHECK_EQ_CASE("DESC-14 ... the first released", fx_frame(&fx, blank)->type_count, 0);
    CHECK_EQ_CASE("DESC-14 ... the second released", fx_frame(&fx, mfns[1])->type_count, 0);
    CHECK_EQ_CASE("DESC-14 refusals leave no GDT", dt.gdt_frames, 0);
    CHECK_EQ_CASE("DESC-14 refusals show nothing", hosted_desc_evt()->gdt_page_set, 0);
    CHECK_EQ_CASE("DESC-14 refusals leave the counts right", audit(), 0);
    CHECK_EQ(hosted_live_maps(), 0);
}

static void test_set_gdt(void)
{
    uint32_t a, b, mfns[2];

    reset();
    a = fx_alloc(&fx, 0);
    b = fx_alloc(&fx, 0);
    fx_poke(a, 1, SAFE);
    fx_poke(b, 2, DPL0);
    mfns[0] = a;
    mfns[1] = b;
    CHECK_EQ_CASE("DESC-14 two frames", set_gdt(mfns, 2, 600), 0);
    CHECK_EQ_CASE("DESC-14 typed", fx_frame(&fx, a)->type, PGT_SEG_DESC);
    CHECK_EQ_CASE("DESC-14 the DPL 0 entry is fixed up (DESC-2)", fx_peek(b, 2), SAFE);
    CHECK_EQ_CASE("DESC-14 recorded", dt.gdt_frames, 2);
    CHECK_EQ_CASE("DESC-14 recorded entries", dt.gdt_ents, 600);
    CHECK_EQ_CASE("DESC-14 both shown", hosted_desc_evt()->gdt_page_set, 2);
    CHECK_EQ_CASE("DESC-14 shown for the caller", hosted_desc_evt()->last_desc_dom, c->dom);
    CHECK_EQ_CASE("DESC-14 page 1 shows b", hosted_desc_evt()->last_desc_mfn, b);
    CHECK_EQ_CASE("DESC-14 the counts", audit(), 0);
    /* the same frame again, then a new table: the old ones go */
    mfns[1] = a;
    CHECK_EQ_CASE("DESC-14 one frame twice", set_gdt(mfns, 2, 1024), 0);
    CHECK_EQ_CASE("DESC-14 ... two type references", fx_frame(&fx, a)->type_count, 2);
    CHECK_EQ_CASE("DESC-14 ... the old frame released", fx_frame(&fx, b)->type_count, 0);
    CHECK_EQ_CASE("DESC-14 ... the counts", audit(), 0);
    hosted_desc_evt_reset(false);
    CHECK_EQ_CASE("DESC-14 no entries", set_gdt(mfns, 0, 0), 0);
    CHECK_EQ_CASE("DESC-14 ... releases all", fx_frame(&fx, a)->type_count, 0);
    CHECK_EQ_CASE("DESC-14 ... hides both pages", hosted_desc_evt()->gdt_page_set, 2);
    CHECK_EQ_CASE("DESC-14 ... shows none", hosted_desc_evt()->last_desc_mfn, INVALID_MFN);
    CHECK_EQ_CASE("DESC-14 ... the counts", audit(), 0);
    CHECK_EQ(hosted_live_maps(), 0);
}

static void test_update_descriptor(void)
{
    uint32_t gdt, data;
    uint64_t ma;

    reset();
    data = fx.sp[0].data[1];
    gdt = fx_alloc(&fx, 0);
    CHECK_EQ(set_gdt(&gdt, 1, 512), 0);
    ma = (uint64_t)data * PAGE_SIZE + 5u * 8u;
    CHECK_EQ_CASE("DESC-15 misaligned", desc_update_descriptor(c, ma + 4u, SAFE), -EINVAL);
    CHECK_EQ_CASE("DESC-15 beyond RAM",
                  desc_update_descriptor(c, (uint64_t)FX_FRAMES * PAGE_SIZE, SAFE), -EINVAL);
    CHECK_EQ_CASE("DESC-15 an address past 2^44 is no alias of a frame",
                  desc_update_descriptor(c, ma + (1ull << 44), SAFE), -EINVAL);
    CHECK_EQ_CASE("DESC-15 another domain's frame",
                  desc_update_descriptor(c, (uint64_t)fx.sp[1].data[1] * PAGE_SIZE, SAFE),
                  -EINVAL);
    CHECK_EQ_CASE("DESC-15 a page table",
                  desc_update_descriptor(c, (uint64_t)fx.sp[0].l1 * PAGE_SIZE + 8u * 100u, SAFE),
                  -EINVAL);
    CHECK_EQ_CASE("DESC-15 a hypervisor frame", desc_update_descriptor(c, 8u, SAFE), -EINVAL);
    CHECK_EQ_CASE("DESC-15 a refused descriptor", desc_update_descriptor(c, ma, BAD_BASE), -EINVAL);
    CHECK_EQ_CASE("DESC-15 ... nothing written", fx_peek(data, 5), 0);
    CHECK_EQ_CASE("DESC-15 ... no reload asked", hosted_desc_evt()->desc_changed, 0);
    CHECK_EQ_CASE("DESC-15 a data frame", desc_update_descriptor(c, ma, DPL0), 0);
    CHECK_EQ_CASE("DESC-15 ... stored fixed up", fx_peek(data, 5), SAFE);
    CHECK_EQ_CASE("DESC-15 ... the reload asked", hosted_desc_evt()->desc_changed, 1);
    CHECK_EQ_CASE("DESC-15 a GDT frame",
                  desc_update_descriptor(c, (uint64_t)gdt * PAGE_SIZE + 511u * 8u, SAFE), 0);
    CHECK_EQ_CASE("DESC-15 ... stored", fx_peek(gdt, 511), SAFE);
    CHECK_EQ_CASE("DESC-15 a GDT frame, refused",
                  desc_update_descriptor(c, (uint64_t)gdt * PAGE_SIZE, BAD_BASE), -EINVAL);
    CHECK_EQ_CASE("DESC-15 the counts", audit(), 0);
    CHECK_EQ(hosted_live_maps(), 0);
}

static void test_ldt(void)
{
    uint32_t ldt = 0;
    uint64_t d = 0;

    reset();
    ldt = fx_alloc(&fx, 0);
    fx_poke(ldt, 7, DPL0);
    CHECK_EQ(pt_do_update_va_mapping(c, LDT_VA, fx_pte(ldt, FX_RO), 0), 0);
    CHECK_EQ_CASE("DESC-16 no LDT", desc_map_ldt_page(c, &dt, 0), -EINVAL);
    c->ldt_base = LDT_VA;
    c->ldt_ents = 512;
    CHECK_EQ_CASE("DESC-16 page past the LDT", desc_map_ldt_page(c, &dt, 1), -EINVAL);
    CHECK_EQ_CASE("DESC-16 page past the area", desc_map_ldt_page(c, &dt, DESC_LDT_PAGES), -EINVAL);
    CHECK_EQ_CASE("DESC-16 map page 0", desc_map_ldt_page(c, &dt, 0), 0);
    CHECK_EQ_CASE("DESC-16 ... typed", fx_frame(&fx, ldt)->type, PGT_SEG_DESC);
    CHECK_EQ_CASE("DESC-16 ... fixed up", fx_peek(ldt, 7), SAFE);
    CHECK_EQ_CASE("DESC-16 ... shown", hosted_desc_evt()->ldt_page_set, 1);
    CHECK_EQ_CASE("DESC-16 ... the counts", audit(), 0);
    CHECK_EQ_CASE("DESC-16 mapped twice", desc_map_ldt_page(c, &dt, 0), -EINVAL);
    CHECK_EQ_CASE("DESC-12 LDT entry", desc_table_entry(c, &dt, SEG_LDT, 7, &d), 0);
    CHECK_EQ_CASE("DESC-12 ... read through the frame", d, SAFE);
    CHECK_EQ_CASE("DESC-12 LDT entry past the LDT", desc_table_entry(c, &dt, SEG_LDT, 512, &d),
                  -EINVAL);
    desc_release_ldt(c, &dt);
    CHECK_EQ_CASE("DESC-16 released", fx_frame(&fx, ldt)->type_count, 0);
    CHECK_EQ_CASE("DESC-16 ... hidden", hosted_desc_evt()->last_desc_mfn, INVALID_MFN);
    CHECK_EQ_CASE("DESC-16 ... the counts", audit(), 0);
    /* mapped lazily by a lookup */
    CHECK_EQ_CASE("DESC-12 LDT entry maps the page", desc_table_entry(c, &dt, SEG_LDT, 7, &d), 0);
    CHECK_EQ_CASE("DESC-12 ... recorded", dt.ldt_mfn[0], ldt);
    desc_release_ldt(c, &dt);
    /* a page the guest maps writable, or not at all */
    c->ldt_base = FX_DATA_VA;
    CHECK_EQ_CASE("DESC-16 a frame mapped writable", desc_map_ldt_page(c, &dt, 0), -EINVAL);
    c->ldt_base = FX_DATA_VA + 30u * PAGE_SIZE;
    CHECK_EQ_CASE("DESC-16 a page not mapped", desc_map_ldt_page(c, &dt, 0), -EINVAL);
    c->ldt_base = 0x80000000u;
    CHECK_EQ_CASE("DESC-16 no L1 there", desc_map_ldt_page(c, &dt, 0), -EINVAL);
    CHECK_EQ_CASE("DESC-12 a page that cannot be mapped", desc_table_entry(c, &dt, SEG_LDT, 0, &d),
                  -EINVAL);
    CHECK_EQ_CASE("DESC-16 the counts", audit(), 0);
    CHECK_EQ(hosted_live_maps(), 0);
}

static void test_gdt_entry(void)
{
    uint32_t gdt;
    uint64_t d = 0;

    reset();
    gdt = fx_alloc(&fx, 0);
    fx_poke(gdt, 9, SAFE);
    CHECK_EQ_CASE("DESC-12 no GDT", desc_table_entry(c, &dt, SEG_GDT, 9, &d), -EINVAL);
    CHECK_EQ(set_gdt(&gdt, 1, 10), 0);
    CHECK_EQ_CASE("DESC-12 GDT entry", desc_table_entry(c, &dt, SEG_GDT, 9, &d), 0);
    CHECK_EQ_CASE("DESC-12 ... its value", d, SAFE);
    CHECK_EQ_CASE("DESC-12 past gdt_ents", desc_table_entry(c, &dt, SEG_GDT, 10, &d), -EINVAL);
    CHECK_EQ_CASE("DESC-12 the reserved page is the glue's",
                  desc_table_entry(c, &dt, SEG_RESERVED, 0, &d), -EINVAL);
    CHECK_EQ_CASE("DESC-12 no table", desc_table_entry(c, &dt, SEG_NONE, 0, &d), -EINVAL);
    desc_release_gdt(c, &dt);
    CHECK_EQ_CASE("DESC-14 released", fx_frame(&fx, gdt)->type_count, 0);
    CHECK_EQ_CASE("DESC-14 ... the counts", audit(), 0);
    CHECK_EQ(hosted_live_maps(), 0);
}

static void test_store(void)
{
    uint64_t page[512];

    memset(page, 0, sizeof(page));
    desc_store(page, 17, SAFE);
    CHECK_EQ_CASE("desc_store writes the slot", page[17], SAFE);
    CHECK_EQ_CASE("desc_store writes nothing else", page[16] | page[18], 0);
}

int main(void)
{
    uint64_t d = SAFE;

    CHECK_EQ_CASE("the test's safe descriptor is accepted unchanged", desc_check(&d), 0);
    CHECK_EQ_CASE("the test's safe descriptor is accepted unchanged", d, SAFE);
    d = BAD_BASE;
    CHECK_EQ_CASE("the test's bad descriptor is refused", desc_check(&d), -EINVAL);
    test_set_gdt_refused();
    test_set_gdt();
    test_update_descriptor();
    test_ldt();
    test_gdt_entry();
    test_store();
    return check_report();
}
