/*
 * The seed corpus, written as readable programs: one seed per hypercall
 * and sub-op the core implements, and one per attack class of the
 * hostile-guest scenarios and the Xen advisory families (the rule IDs of
 * spec/ are named in each description).
 *
 *   gen_corpus DIR    writes DIR/NNN-name.bin and DIR/README.md
 *
 * The output is committed (fuzz/corpus/); rerun after changing a seed.
 * Every seed must replay without a finding (make fuzz-smoke-report).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program.h"
#include "pv/physdev.h"
#include "pv/sched.h"
#include "pv/vcpu.h"
#include "pv/vm_assist.h"

/* ---- a small language for programs ------------------------------------- */

#define RAWK 0xFFu

static struct program P;
static char name_buf[64], desc_buf[256];
static FILE *readme;
static const char *dir;
static unsigned nr_seeds;

static struct prog_arg H(unsigned cls, uint64_t idx, uint64_t extra)
{
    struct prog_arg a = { (uint8_t)cls, idx | extra << 16 };

    return a;
}

static struct prog_arg R(uint64_t v)
{
    struct prog_arg a = { RAWK, v };

    return a;
}

/* A handle whose entry also carries high address bits (NX, reserved bits). */
static struct prog_arg HX(unsigned cls, uint64_t idx, uint64_t flags, uint64_t high)
{
    struct prog_arg a = { (uint8_t)cls, idx | flags << 16 | high << 52 };

    return a;
}

static const struct prog_arg NA = { 0, 0 };

/* Handles. Table types (U32, SEL, DESC, UVMF) take a table index. */
#define FR(c, i)          H(c, i, 0)
#define PTR(c, i, slot)   H(c, i, slot)
#define PTE(c, i, fl)     H(c, i, fl)
#define PTEX(c, i, fl, hi) HX(c, i, fl, hi)
#define VA(c, i, off)     H(c, i, off)
#define DOM(c)            H(c, 0, 0)
#define PORT(c, i)        H(c, i, 0)
#define TBL(i)            H(0, i, 0)

/* Entry flags (pte.h): RW data, RO, L2->L1, PDPTE, with PSE, with G. */
#define F_RW  0x067u
#define F_RO  0x025u
#define F_TAB 0x027u
#define F_PD  0x001u
#define F_PSE 0x0E7u
#define F_G   0x167u

#define DATA_SLOT(i) ((uint64_t)(i))       /* VC_DATA page index = L1 slot */

/* A VC_L3SLOT handle's index: L3 slot, L2 slot, page (resolve.c). */
static uint64_t l3s(uint64_t l3, uint64_t l2, uint64_t page)
{
    return l3 + (l2 << 2) + (page << 11);
}

static void seed(const char *name, const char *desc)
{
    memset(&P, 0, sizeof(P));
    snprintf(name_buf, sizeof(name_buf), "%s", name);
    snprintf(desc_buf, sizeof(desc_buf), "%s", desc);
}

static void opx(uint8_t code, uint8_t flags, uint8_t aux, uint8_t count, struct prog_arg a0,
                struct prog_arg a1, struct prog_arg a2, struct prog_arg a3)
{
    struct prog_op *o;

    if (P.nr_ops >= PROG_MAX_OPS) {
        fprintf(stderr, "seed %s: too many ops\n", name_buf);
        exit(1);
    }
    o = &P.ops[P.nr_ops++];
    o->op = code;
    o->flags = flags;
    o->aux = aux;
    o->count = count;
    o->a[0] = a0;
    o->a[1] = a1;
    o->a[2] = a2;
    o->a[3] = a3;
}

#define OP(c, a0, a1, a2, a3) opx(c, 0, 0, 0, a0, a1, a2, a3)
#define OP0(c, a0, a1, a2, a3) opx(c, PROG_F_DOM0, 0, 0, a0, a1, a2, a3)
#define JOIN(c, a0, a1, a2, a3) opx(c, PROG_F_JOIN, 0, 0, a0, a1, a2, a3)

static void emit(void)
{
    uint8_t bytes[PROG_MAX_BYTES];
    char path[512];
    size_t n = prog_encode(&P, bytes, sizeof(bytes));
    FILE *f;

    snprintf(path, sizeof(path), "%s/%03u-%s.bin", dir, nr_seeds, name_buf);
    f = fopen(path, "wb");
    if (!f || fwrite(bytes, 1, n, f) != n || fclose(f)) {
        perror(path);
        exit(1);
    }
    fprintf(readme, "- `%03u-%s.bin` (%u ops): %s\n", nr_seeds, name_buf, P.nr_ops, desc_buf);
    nr_seeds++;
}

/* Common moves. */
static void map_own(uint64_t slot, unsigned cls, uint64_t idx, uint64_t flags)
{
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, slot), PTE(cls, idx, flags), DOM(DC_SELF), NA);
}

static void unmap_own(uint64_t slot)
{
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, slot), R(0), DOM(DC_SELF), NA);
}

/* Write entry `slot` of unmapped spare frame `k` (a plain data write). */
static void spare_entry(uint64_t k, uint64_t slot, struct prog_arg val)
{
    OP(OP_MMU_NORMAL, PTR(FC_OWN_SPARE, k, slot), val, DOM(DC_SELF), NA);
}

/* ---- per-hypercall seeds ------------------------------------------------ */

static void seeds_mmu(void)
{
    seed("mmu-update-map", "mmu_update: map own data RW and RO in a free L1 slot, then unmap (PT-6, PT-7, PT-21)");
    map_own(20, FC_OWN_DATA, 3, F_RW);
    map_own(21, FC_OWN_DATA, 3, F_RO);
    OP(OP_RAW_WRITE, VA(VC_DATA, 20, 0x10), PTE(FC_OWN_DATA, 1, F_RW), NA, NA);
    unmap_own(20);
    unmap_own(21);
    emit();

    seed("mmu-machphys", "mmu_update MMU_MACHPHYS_UPDATE: own frame, victim frame, beyond RAM (PT-24)");
    OP(OP_MMU_MACHPHYS, PTR(FC_OWN_DATA, 2, 0), R(0x1234), DOM(DC_SELF), NA);
    OP(OP_MMU_MACHPHYS, PTR(FC_VICTIM, 2, 0), R(7), DOM(DC_SELF), NA);
    OP(OP_MMU_MACHPHYS, PTR(FC_NOT_RAM, 1, 0), R(7), DOM(DC_SELF), NA);
    OP0(OP_MMU_MACHPHYS, PTR(FC_BUILDER, 1, 0), R(9), DOM(DC_BUILDER), NA);
    emit();

    seed("mmu-preserve-ad", "mmu_update MMU_PT_UPDATE_PRESERVE_AD on a live entry, and the XSA-182 fast path");
    OP(OP_MMU_PRESERVE_AD, PTR(FC_OWN_L1, 0, 1), PTE(FC_OWN_DATA, 1, 0x007), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 1), PTE(FC_OWN_DATA, 1, 0xE67), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 1), PTE(FC_OWN_DATA, 1, 0x065), DOM(DC_SELF), NA);
    emit();

    seed("mmu-batch", "mmu_update batch of four with a failure in the middle; done count in the window (PT-17, PT-32)");
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 22), PTE(FC_OWN_DATA, 0, F_RW), DOM(DC_SELF), NA);
    P.ops[P.nr_ops - 1].aux = 0x4;
    JOIN(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 23), PTE(FC_OWN_DATA, 1, F_RW), NA, NA);
    JOIN(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 24), PTE(FC_VICTIM, 1, F_RW), NA, NA);
    JOIN(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 25), PTE(FC_OWN_DATA, 2, F_RW), NA, NA);
    emit();

    seed("mmu-bad-pointers", "mmu_update and mmuext_op with lists straddling the window, at the hypervisor, NULL, and done pointers that fault (PT-32)");
    opx(OP_MMU_NORMAL, 0, 0x1, 0, PTR(FC_OWN_L1, 0, 22), PTE(FC_OWN_DATA, 0, F_RW), DOM(DC_SELF), NA);
    opx(OP_MMU_NORMAL, 0, 0x2, 0, PTR(FC_OWN_L1, 0, 22), PTE(FC_OWN_DATA, 0, F_RW), DOM(DC_SELF), NA);
    opx(OP_MMU_NORMAL, 0, 0x3, 0, PTR(FC_OWN_L1, 0, 22), PTE(FC_OWN_DATA, 0, F_RW), DOM(DC_SELF), NA);
    opx(OP_MMU_NORMAL, 0, 0x8, 0, PTR(FC_OWN_L1, 0, 22), PTE(FC_OWN_DATA, 0, F_RW), DOM(DC_SELF), NA);
    opx(OP_MMU_NORMAL, 0, 0xC, 0, PTR(FC_OWN_L1, 0, 22), R(0), DOM(DC_SELF), NA);
    opx(OP_EXT_PIN_L1, 0, 0x9, 0, FR(FC_OWN_SPARE, 0), NA, DOM(DC_SELF), NA);
    emit();

    seed("mmu-unknown-cmd", "mmu_update with raw ptr commands 3..7 and misaligned entries (PT-22)");
    OP(OP_MMU_NORMAL, R(0x00000FFFu), R(0), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, R(0x40003u), R(0), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, R(0x40007u), R(0), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, R(0xFFFFFFFFFFFFFFF8ull), R(0), DOM(DC_SELF), NA);
    emit();
}

static void seeds_mmuext(void)
{
    seed("pin-l1", "build an L1 in an unmapped spare frame, pin it, link it into l2_low, map through it, unlink, unpin (PT-8, PT-25)");
    spare_entry(0, 0, PTE(FC_OWN_DATA, 4, F_RW));
    spare_entry(0, 1, PTE(FC_OWN_DATA, 5, F_RO));
    OP(OP_EXT_PIN_L1, FR(FC_OWN_SPARE, 0), NA, DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L2, 0, 5), PTE(FC_OWN_SPARE, 0, F_TAB), DOM(DC_SELF), NA);
    OP(OP_RAW_WRITE, VA(VC_L3SLOT, l3s(0, 5, 0), 0x20), R(0xAB), NA, NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L2, 0, 5), R(0), DOM(DC_SELF), NA);
    OP(OP_EXT_UNPIN, FR(FC_OWN_SPARE, 0), NA, DOM(DC_SELF), NA);
    emit();

    seed("pin-l2", "build and pin an L2 naming the boot L1, then use it in L3 slot 1 (PT-9)");
    spare_entry(1, 7, PTE(FC_OWN_L1, 0, F_TAB));
    OP(OP_EXT_PIN_L2, FR(FC_OWN_SPARE, 1), NA, DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L3, 0, 1), PTE(FC_OWN_SPARE, 1, F_PD), DOM(DC_SELF), NA);
    OP(OP_RAW_READ, VA(VC_L3SLOT, l3s(1, 7, 0), 0), NA, NA, NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L3, 0, 1), R(0), DOM(DC_SELF), NA);
    OP(OP_EXT_UNPIN, FR(FC_OWN_SPARE, 1), NA, DOM(DC_SELF), NA);
    emit();

    seed("pin-l3-baseptr", "a second address space: new L3 with a fresh slot-3 L2, pin, switch CR3 to it and back, unpin (PT-10, PT-26)");
    spare_entry(2, 0, PTE(FC_OWN_L2, 0, F_PD));
    spare_entry(2, 3, PTE(FC_OWN_SPARE, 3, F_PD));
    spare_entry(3, 0, PTE(FC_OWN_L1, 1, F_TAB));
    OP(OP_EXT_PIN_L3, FR(FC_OWN_SPARE, 2), NA, DOM(DC_SELF), NA);
    OP(OP_EXT_NEW_BASEPTR, FR(FC_OWN_SPARE, 2), NA, DOM(DC_SELF), NA);
    OP(OP_RAW_WRITE, VA(VC_DATA, 3, 0), R(0x5555), NA, NA);
    OP(OP_EXT_NEW_BASEPTR, FR(FC_OWN_L3, 0), NA, DOM(DC_SELF), NA);
    OP(OP_EXT_UNPIN, FR(FC_OWN_SPARE, 2), NA, DOM(DC_SELF), NA);
    OP(OP_EXT_PIN_L4, FR(FC_OWN_SPARE, 2), NA, DOM(DC_SELF), NA);
    emit();

    seed("unpin-errors", "unpin a frame never pinned, the base L3 in use, twice; pin twice (PT-25)");
    OP(OP_EXT_UNPIN, FR(FC_OWN_DATA, 0), NA, DOM(DC_SELF), NA);
    OP(OP_EXT_UNPIN, FR(FC_OWN_L3, 0), NA, DOM(DC_SELF), NA);
    OP(OP_EXT_UNPIN, FR(FC_OWN_L3, 0), NA, DOM(DC_SELF), NA);
    OP(OP_EXT_PIN_L3, FR(FC_OWN_L3, 0), NA, DOM(DC_SELF), NA);
    OP(OP_EXT_PIN_L3, FR(FC_OWN_L3, 0), NA, DOM(DC_SELF), NA);
    OP(OP_EXT_PIN_L1, FR(FC_OWN_L1, 0), NA, DOM(DC_SELF), NA);
    OP(OP_EXT_UNPIN, FR(FC_OWN_L1, 0), NA, DOM(DC_SELF), NA);
    OP(OP_EXT_UNPIN, FR(FC_VICTIM, 0), NA, DOM(DC_SELF), NA);
    emit();

    seed("flushes", "every TLB flush and invlpg variant, guest and hypervisor addresses, vCPU masks (PT-28)");
    OP(OP_EXT_TLB_FLUSH_LOCAL, NA, NA, DOM(DC_SELF), NA);
    OP(OP_EXT_TLB_FLUSH_MULTI, NA, VA(VC_ARGS, 0, 0), DOM(DC_SELF), NA);
    OP(OP_EXT_TLB_FLUSH_ALL, NA, NA, DOM(DC_SELF), NA);
    OP(OP_EXT_INVLPG_LOCAL, VA(VC_DATA, 1, 0), NA, DOM(DC_SELF), NA);
    OP(OP_EXT_INVLPG_LOCAL, VA(VC_EDGE, 4, 0), NA, DOM(DC_SELF), NA);
    OP(OP_EXT_INVLPG_MULTI, VA(VC_EDGE, 7, 0), VA(VC_EDGE, 5, 0), DOM(DC_SELF), NA);
    OP(OP_EXT_INVLPG_ALL, VA(VC_HIGH, 0, 0), NA, DOM(DC_SELF), NA);
    JOIN(OP_EXT_TLB_FLUSH_LOCAL, NA, NA, NA, NA);
    emit();

    seed("set-ldt", "MMUEXT_SET_LDT: valid, misaligned, 8193 entries, reaching the hypervisor, none (PT-27)");
    OP(OP_EXT_SET_LDT, VA(VC_DATA, 2, 0), R(16), DOM(DC_SELF), NA);
    OP(OP_EXT_SET_LDT, VA(VC_DATA, 2, 8), R(16), DOM(DC_SELF), NA);
    OP(OP_EXT_SET_LDT, VA(VC_DATA, 2, 0), TBL(11), DOM(DC_SELF), NA);
    OP(OP_EXT_SET_LDT, VA(VC_EDGE, 2, 0), R(8192), DOM(DC_SELF), NA);
    OP(OP_EXT_SET_LDT, VA(VC_EDGE, 6, 0), R(1), DOM(DC_SELF), NA);
    OP(OP_EXT_SET_LDT, R(0xDEADBEEF), R(0), DOM(DC_SELF), NA);
    emit();

    seed("mmuext-raw", "mmuext_op commands Bulkhead refuses: flush cache, new user base, clear/copy page, mark super, unknown (PT-30)");
    OP(OP_EXT_RAW, R(12), R(0), DOM(DC_SELF), R(0));
    OP(OP_EXT_RAW, R(15), R(0), DOM(DC_SELF), R(0));
    OP(OP_EXT_RAW, R(16), R(0x20), DOM(DC_SELF), R(0));
    OP(OP_EXT_RAW, R(17), R(0x20), DOM(DC_SELF), R(0x21));
    OP(OP_EXT_RAW, R(19), R(0x20), DOM(DC_SELF), R(0));
    OP(OP_EXT_RAW, TBL(14), R(0), DOM(DC_SELF), R(0));
    emit();
}

static void seeds_uvm(void)
{
    seed("update-va-mapping", "update_va_mapping: remap a data page, every flush flag, bitmap pointers that fault, hypervisor addresses (PT-29)");
    OP(OP_UVM, VA(VC_DATA, 1, 0), PTE(FC_OWN_DATA, 6, F_RW), TBL(1), NA);
    OP(OP_UVM, VA(VC_DATA, 1, 0), PTE(FC_OWN_DATA, 1, F_RW), TBL(2), NA);
    OP(OP_UVM, VA(VC_DATA, 1, 0), PTE(FC_OWN_DATA, 1, F_RW), TBL(6), NA);
    OP(OP_UVM, VA(VC_DATA, 1, 0), PTE(FC_OWN_DATA, 1, F_RW), TBL(7), NA);
    OP(OP_UVM, VA(VC_DATA, 1, 0), PTE(FC_OWN_DATA, 1, F_RW), R(0x10000006u), NA);
    OP(OP_UVM, VA(VC_EDGE, 4, 0), PTE(FC_OWN_DATA, 1, F_RW), TBL(0), NA);
    OP(OP_UVM, VA(VC_L3SLOT, 1, 0), PTE(FC_OWN_DATA, 1, F_RW), TBL(0), NA);
    OP(OP_UVM, VA(VC_HIGH, 0, 0), PTE(FC_OWN_DATA, 2, F_RO), TBL(4), NA);
    emit();

    seed("uvm-otherdomain", "update_va_mapping_otherdomain: unprivileged naming the victim, dom0 mapping the builder, dom0 naming the victim (PT-39)");
    OP(OP_UVM_OTHER, VA(VC_DATA, 1, 0), PTE(FC_VICTIM, 1, F_RW), TBL(0), DOM(DC_VICTIM));
    OP(OP_UVM_OTHER, VA(VC_DATA, 1, 0), PTE(FC_OWN_DATA, 1, F_RW), TBL(0), DOM(DC_SELF));
    OP(OP_UVM_OTHER, VA(VC_DATA, 1, 0), PTE(FC_OWN_DATA, 1, F_RW), TBL(0), DOM(DC_OWN));
    OP0(OP_UVM_OTHER, VA(VC_DATA, 30, 0), PTE(FC_BUILDER, 2, F_RW), TBL(0), DOM(DC_BUILDER));
    OP0(OP_UVM_OTHER, VA(VC_DATA, 31, 0), PTE(FC_VICTIM, 2, F_RW), TBL(0), DOM(DC_VICTIM));
    OP0(OP_UVM_OTHER, VA(VC_DATA, 31, 0), PTE(FC_BUILDER, 2, F_RW), TBL(0), DOM(DC_SELF));
    OP0(OP_UVM, VA(VC_DATA, 30, 0), R(0), TBL(1), NA);
    emit();
}

static void seeds_desc(void)
{
    seed("set-gdt", "set_gdt on a blank spare frame, then try to map it writable, update its descriptors (DESC-*, PT-7)");
    OP(OP_SET_GDT, FR(FC_OWN_SPARE, 0), R(512), FR(FC_OWN_SPARE, 1), NA);
    map_own(26, FC_OWN_SPARE, 0, F_RW);
    OP(OP_UPDATE_DESC, PTR(FC_OWN_SPARE, 0, 5), TBL(3), NA, NA);
    OP(OP_UPDATE_DESC, PTR(FC_OWN_SPARE, 0, 5), TBL(1), NA, NA);
    OP(OP_UPDATE_DESC, PTR(FC_OWN_SPARE, 0, 6), TBL(6), NA, NA);
    OP(OP_EXT_PIN_L1, FR(FC_OWN_SPARE, 0), NA, DOM(DC_SELF), NA);
    OP(OP_SET_GDT, FR(FC_OWN_SPARE, 0), R(1024), FR(FC_OWN_SPARE, 1), NA);
    OP(OP_SET_GDT, FR(FC_OWN_DATA, 0), R(512), NA, NA);
    OP(OP_SET_GDT, FR(FC_OWN_L1, 0), R(512), NA, NA);
    OP(OP_SET_GDT, FR(FC_OWN_SPARE, 0), R(0), NA, NA);
    emit();

    seed("set-gdt-limits", "set_gdt with 7169 entries, 2^32-1 entries, a victim frame, a hypervisor frame, a faulting list");
    OP(OP_SET_GDT, FR(FC_OWN_SPARE, 0), R(7169), NA, NA);
    OP(OP_SET_GDT, FR(FC_OWN_SPARE, 0), TBL(14), NA, NA);
    OP(OP_SET_GDT, FR(FC_VICTIM, 0), R(1), NA, NA);
    OP(OP_SET_GDT, FR(FC_XEN, 0), R(1), NA, NA);
    opx(OP_SET_GDT, 0, 1, 0, FR(FC_OWN_SPARE, 0), R(1), NA, NA);
    emit();

    seed("update-descriptor", "update_descriptor on a data frame, an L1, a victim frame, misaligned and beyond RAM (DESC-11)");
    OP(OP_UPDATE_DESC, PTR(FC_OWN_DATA, 0, 1), TBL(1), NA, NA);
    OP(OP_UPDATE_DESC, PTR(FC_OWN_DATA, 0, 1), TBL(3), NA, NA);
    OP(OP_UPDATE_DESC, PTR(FC_OWN_L1, 0, 1), TBL(1), NA, NA);
    OP(OP_UPDATE_DESC, PTR(FC_VICTIM, 0, 1), TBL(1), NA, NA);
    OP(OP_UPDATE_DESC, R(0x40004u), TBL(1), NA, NA);
    OP(OP_UPDATE_DESC, R(0x100000000000ull), TBL(1), NA, NA);
    emit();

    seed("ldt-lazy", "LDT on a frame mapped RO: set_ldt, fault page 0 in (SEG_DESC type), try to map it RW, drop it (PT-27, PT-7)");
    map_own(30, FC_OWN_SPARE, 1, F_RO);
    OP(OP_EXT_SET_LDT, VA(VC_DATA, 30, 0), R(16), DOM(DC_SELF), NA);
    OP(OP_LDT_FAULT, R(0), NA, NA, NA);
    OP(OP_LDT_FAULT, R(0), NA, NA, NA);
    OP(OP_LDT_FAULT, R(1), NA, NA, NA);
    map_own(31, FC_OWN_SPARE, 1, F_RW);
    OP(OP_EXT_SET_LDT, R(0), R(0), DOM(DC_SELF), NA);
    map_own(31, FC_OWN_SPARE, 1, F_RW);
    emit();

    seed("ldt-writable", "LDT base on a RW-mapped data page: the fault must not type it (PT-7)");
    OP(OP_EXT_SET_LDT, VA(VC_DATA, 2, 0), R(512), DOM(DC_SELF), NA);
    OP(OP_LDT_FAULT, R(0), NA, NA, NA);
    OP(OP_LDT_FAULT, R(15), NA, NA, NA);
    OP(OP_LDT_FAULT, R(16), NA, NA, NA);
    emit();
}

static void seeds_events(void)
{
    seed("evtchn-basics", "alloc_unbound, bind_interdomain (loopback), send, status, unmask, bind_vcpu, close (EVT-4..EVT-12)");
    OP(OP_EVT_ALLOC_UNBOUND, DOM(DC_SELF), DOM(DC_SELF), NA, NA);
    OP(OP_EVT_BIND_INTERDOMAIN, DOM(DC_SELF), PORT(PC_LEARNED, 0), NA, NA);
    OP(OP_EVT_SEND, PORT(PC_LEARNED, 1), NA, NA, NA);
    OP(OP_EVT_STATUS, DOM(DC_SELF), PORT(PC_LEARNED, 0), NA, NA);
    OP(OP_EVT_UNMASK, PORT(PC_LEARNED, 0), NA, NA, NA);
    OP(OP_EVT_BIND_VCPU, PORT(PC_LEARNED, 0), R(0), NA, NA);
    OP(OP_EVT_BIND_VCPU, PORT(PC_LEARNED, 0), R(1), NA, NA);
    OP(OP_EVT_CLOSE, PORT(PC_LEARNED, 0), NA, NA, NA);
    OP(OP_EVT_SEND, PORT(PC_LEARNED, 1), NA, NA, NA);
    OP(OP_EVT_CLOSE, PORT(PC_LEARNED, 1), NA, NA, NA);
    emit();

    seed("evtchn-victim", "bind to the victim's ports unbound for the attacker, send, close; try the dom0-only and VIRQ ports (EVT-5, EVT-7)");
    OP(OP_EVT_BIND_INTERDOMAIN, DOM(DC_VICTIM), R(2), NA, NA);
    OP(OP_EVT_BIND_INTERDOMAIN, DOM(DC_VICTIM), R(3), NA, NA);
    OP(OP_EVT_BIND_INTERDOMAIN, DOM(DC_VICTIM), R(1), NA, NA);
    OP(OP_EVT_BIND_INTERDOMAIN, DOM(DC_VICTIM), R(4), NA, NA);
    OP(OP_EVT_BIND_INTERDOMAIN, DOM(DC_DOM0), R(1), NA, NA);
    OP(OP_EVT_SEND, PORT(PC_LEARNED, 0), NA, NA, NA);
    OP(OP_EVT_STATUS, DOM(DC_VICTIM), R(1), NA, NA);
    OP(OP_EVT_CLOSE, PORT(PC_LEARNED, 0), NA, NA, NA);
    OP(OP_EVT_BIND_INTERDOMAIN, DOM(DC_VICTIM), PORT(PC_VICTIM_USED, 1), NA, NA);
    OP(OP_EVT_ALLOC_UNBOUND, DOM(DC_VICTIM), DOM(DC_SELF), NA, NA);
    OP(OP_EVT_ALLOC_UNBOUND, DOM(DC_SELF), DOM(DC_VICTIM), NA, NA);
    emit();

    seed("evtchn-port-bounds", "every event op on ports 0, 1023, 1024, 4096, 2^31-1, 2^31, 2^32-1 (EVT-1, EVT-2)");
    {
        unsigned e;

        for (e = 0; e < PROG_NR_EDGES; e++) {
            OP(OP_EVT_SEND, PORT(PC_EDGE, e), NA, NA, NA);
            OP(OP_EVT_CLOSE, PORT(PC_EDGE, e), NA, NA, NA);
            OP(OP_EVT_UNMASK, PORT(PC_EDGE, e), NA, NA, NA);
            OP(OP_EVT_STATUS, DOM(DC_SELF), PORT(PC_EDGE, e), NA, NA);
            OP(OP_EVT_BIND_VCPU, PORT(PC_EDGE, e), R(0), NA, NA);
            OP(OP_EVT_BIND_INTERDOMAIN, DOM(DC_VICTIM), PORT(PC_EDGE, e), NA, NA);
        }
    }
    emit();

    seed("evtchn-exhaustion", "allocate every port (4 x 256 calls) until -ENOSPC, then use port 1023 and free it (EVT-3)");
    opx(OP_EVT_ALLOC_UNBOUND, 0, 0, 255, DOM(DC_SELF), DOM(DC_VICTIM), NA, NA);
    opx(OP_EVT_ALLOC_UNBOUND, 0, 0, 255, DOM(DC_SELF), DOM(DC_VICTIM), NA, NA);
    opx(OP_EVT_BIND_IPI, 0, 0, 255, R(0), NA, NA, NA);
    opx(OP_EVT_ALLOC_UNBOUND, 0, 0, 255, DOM(DC_SELF), DOM(DC_SELF), NA, NA);
    OP(OP_EVT_SEND, PORT(PC_EDGE, 2), NA, NA, NA);
    OP(OP_EVT_CLOSE, PORT(PC_EDGE, 2), NA, NA, NA);
    OP(OP_EVT_BIND_VIRQ, R(1), R(0), NA, NA);
    OP(OP_EVT_BIND_INTERDOMAIN, DOM(DC_VICTIM), R(2), NA, NA);
    emit();

    seed("evtchn-virq", "bind_virq: per-vCPU and global VIRQs unprivileged and as dom0, twice, virq 24 and 2^32-1, vCPU 1; raise VIRQs (EVT-8, EVT-9)");
    OP(OP_EVT_BIND_VIRQ, R(0), R(0), NA, NA);
    OP(OP_EVT_BIND_VIRQ, R(1), R(0), NA, NA);
    OP(OP_EVT_BIND_VIRQ, R(1), R(0), NA, NA);
    OP(OP_EVT_BIND_VIRQ, R(2), R(0), NA, NA);
    OP(OP_EVT_BIND_VIRQ, R(24), R(0), NA, NA);
    OP(OP_EVT_BIND_VIRQ, TBL(14), R(0), NA, NA);
    OP(OP_EVT_BIND_VIRQ, R(7), R(1), NA, NA);
    OP0(OP_EVT_BIND_VIRQ, R(2), R(0), NA, NA);
    OP0(OP_EVT_BIND_VIRQ, R(3), R(1), NA, NA);
    OP(OP_EVT_RAISE_VIRQ, DOM(DC_ATTACKER), R(1), NA, NA);
    OP(OP_EVT_RAISE_VIRQ, DOM(DC_VICTIM), R(0), NA, NA);
    OP(OP_EVT_RAISE_VIRQ, DOM(DC_DOM0), R(2), NA, NA);
    OP(OP_EVT_RAISE_VIRQ, DOM(DC_NO_DOMAIN), R(0), NA, NA);
    OP(OP_EVT_RAISE_VIRQ, DOM(DC_ATTACKER), R(24), NA, NA);
    OP(OP_EVT_CLOSE, PORT(PC_LEARNED, 0), NA, NA, NA);
    emit();

    seed("evtchn-privilege", "alloc_unbound and status naming other domains, unprivileged and as dom0 (EVT-5, EVT-12)");
    OP(OP_EVT_ALLOC_UNBOUND, DOM(DC_VICTIM), DOM(DC_VICTIM), NA, NA);
    OP(OP_EVT_ALLOC_UNBOUND, DOM(DC_NO_DOMAIN), DOM(DC_SELF), NA, NA);
    OP(OP_EVT_STATUS, DOM(DC_VICTIM), R(1), NA, NA);
    OP(OP_EVT_STATUS, DOM(DC_XEN), R(1), NA, NA);
    OP0(OP_EVT_ALLOC_UNBOUND, DOM(DC_BUILDER), DOM(DC_SELF), NA, NA);
    OP0(OP_EVT_STATUS, DOM(DC_VICTIM), R(1), NA, NA);
    OP0(OP_EVT_STATUS, DOM(DC_BUILDER), R(1), NA, NA);
    OP0(OP_EVT_CLOSE, R(1), NA, NA, NA);
    OP0(OP_EVT_BIND_INTERDOMAIN, DOM(DC_BUILDER), R(1), NA, NA);
    emit();

    seed("evtchn-raw", "event_channel_op with bind_pirq, reset, the FIFO ops, unknown commands, and faulting argument pointers");
    OP(OP_EVT_RAW, R(2), R(0), R(0), R(0));
    OP(OP_EVT_RAW, R(10), R(0), R(0), R(0));
    OP(OP_EVT_RAW, R(11), R(0), R(0), R(0));
    OP(OP_EVT_RAW, R(14), R(0), R(0), R(0));
    OP(OP_EVT_RAW, TBL(14), R(0), R(0), R(0));
    OP(OP_EVT_RAW, R(6), R(0x7FF07FF0u), R(0), R(0));
    opx(OP_EVT_ALLOC_UNBOUND, 0, 1, 0, DOM(DC_SELF), DOM(DC_SELF), NA, NA);
    opx(OP_EVT_ALLOC_UNBOUND, 0, 2, 0, DOM(DC_SELF), DOM(DC_SELF), NA, NA);
    opx(OP_EVT_STATUS, 0, 1, 0, DOM(DC_SELF), R(1), NA, NA);
    opx(OP_EVT_SEND, 0, 3, 0, R(1), NA, NA, NA);
    emit();

    seed("evtchn-hostile-shared-info", "scribble over shared_info's pending, mask and selector words, then send, unmask, close (EVT-14)");
    OP(OP_RAW_WRITE, VA(VC_DATA, 11, 0x000), R(0xFFFFFFFFFFFFFFFFull), NA, NA);
    opx(OP_RAW_WRITE, 0, 3, 0, VA(VC_DATA, 11, 0x800), R(0xFFFFFFFFFFFFFFFFull), NA, NA);
    opx(OP_RAW_WRITE, 0, 3, 0, VA(VC_DATA, 11, 0x880), R(0xFFFFFFFFFFFFFFFFull), NA, NA);
    opx(OP_RAW_WRITE, 0, 3, 0, VA(VC_DATA, 11, 0xFF8), R(0xFFFFFFFFFFFFFFFFull), NA, NA);
    OP(OP_EVT_ALLOC_UNBOUND, DOM(DC_SELF), DOM(DC_SELF), NA, NA);
    OP(OP_EVT_BIND_INTERDOMAIN, DOM(DC_SELF), PORT(PC_LEARNED, 0), NA, NA);
    OP(OP_EVT_SEND, PORT(PC_LEARNED, 0), NA, NA, NA);
    OP(OP_EVT_UNMASK, PORT(PC_LEARNED, 1), NA, NA, NA);
    OP(OP_EVT_CLOSE, PORT(PC_LEARNED, 1), NA, NA, NA);
    OP(OP_EVT_RAISE_VIRQ, DOM(DC_OWN), R(0), NA, NA);
    emit();
}

static void seeds_cpu(void)
{
    unsigned i;

    seed("desc-check-table", "desc_check on every boundary descriptor: DPL 0, 4 GiB, truncation, expand-down, call gates to ring 0 and 1, TSS, LDT (DESC-1..DESC-11)");
    for (i = 0; i < PROG_NR_DESCS; i++)
        OP(OP_DESC_CHECK, TBL(i), NA, NA, NA);
    emit();

    seed("desc-check-edges", "descriptors just inside and outside 0xF6800000: byte and page granular, expand-down 16- and 32-bit (DESC-7..DESC-10)");
    OP(OP_DESC_CHECK, R(0x00CFB6000000FFFFull), NA, NA, NA);
    OP(OP_DESC_CHECK, R(0xF640B6000000FFFFull), NA, NA, NA);
    OP(OP_DESC_CHECK, R(0xF600B6000000FFFFull), NA, NA, NA);
    OP(OP_DESC_CHECK, R(0xF64FB20000000000ull), NA, NA, NA);
    OP(OP_DESC_CHECK, R(0x00CFB20000006800ull), NA, NA, NA);
    OP(OP_DESC_CHECK, R(0x0040B2000000FFFFull), NA, NA, NA);
    OP(OP_DESC_CHECK, R(0xF50FB200FFFFFFFFull), NA, NA, NA);
    OP(OP_DESC_CHECK, R(0x0000EC20E0191000ull), NA, NA, NA);
    OP(OP_DESC_CHECK, R(0x0000AC00000C1000ull), NA, NA, NA);
    OP(OP_DESC_CHECK, R(0x0000A400E0191000ull), NA, NA, NA);
    emit();

    seed("trap-table", "set_trap_table entries with ring-0, null, hypervisor, LDT and guest selectors; int 0x80 gates of every DPL (TRAP-1..TRAP-5)");
    for (i = 0; i < PROG_NR_SELS; i++)
        OP(OP_TRAP_CHECK, TBL(i), R(0xC0001000u), R(0x80u | (i % 4u) << 8 | (i % 3u) << 16), NA);
    OP(OP_TRAP_CHECK, TBL(1), R(0), R(0x0E), NA);
    OP(OP_TRAP_CHECK, TBL(1), R(0xC0001000u), R(0x0480u), NA);
    emit();

    seed("callbacks", "callback_register for every type with ring-0, hypervisor and guest selectors, CS above 16 bits (CB-1..CB-6)");
    for (i = 0; i < 9; i++)
        OP(OP_CALLBACK, R(i), TBL(i % PROG_NR_SELS), R(0xC0002000u), R(i & 1u));
    OP(OP_CALLBACK, R(0), R(0x1E019u), R(0xC0002000u), R(0));
    OP(OP_CALLBACK, R(4), TBL(5), R(0xC0002000u), R(0));
    OP(OP_CALLBACK, R(1), TBL(7), R(0xC0002000u), R(1));
    emit();

    seed("iret-frames", "iret to ring 0, with VM, with IOPL 3 and IF 0, to ring 3 with its stack, a frame at the hypervisor boundary (IRET-1..IRET-6)");
    OP(OP_IRET, TBL(7), R(0xC000100000000202ull), TBL(2), R(0xE0210000C0000000ull));
    OP(OP_IRET, TBL(1), R(0xC000100000020202ull), TBL(2), R(0xE0210000C0000000ull));
    OP(OP_IRET, TBL(1), R(0xC000100000003002ull), TBL(2), R(0xE0210000C0000000ull));
    OP(OP_IRET, TBL(3), R(0x0804800000000202ull), H(0, 4, 0xBFFFF000ull << 16), R(0xE0210000C0000000ull));
    OP(OP_IRET, TBL(1), R(0xC000100000000202ull), TBL(2), R(0xE0210000F57FFFD8ull));
    OP(OP_IRET, TBL(1), R(0xC000100000000202ull), TBL(2), R(0xE0210000F57FFFD9ull));
    OP(OP_IRET, R(0xE01A), R(0xC000100000000202ull), R(0xE018), R(0xE0210000C0000000ull));
    OP(OP_IRET, TBL(5), R(0xC000100000004302ull), TBL(6), R(0x00000000FFFFFFF0ull));
    emit();

    seed("bounce-frames", "bounce frames from ring 1 and 3, failsafe with error code, stacks at 0, at the hypervisor, segment bases that wrap (BOUNCE-1..BOUNCE-7)");
    OP(OP_BOUNCE, R(0x00000202C0001000ull), R(0xE021E019C0100000ull), R(0x0000E021C0200000ull), R(0x000000000000C000ull | 0xE019ull << 32));
    OP(OP_BOUNCE, R(0x00000202C0001000ull), R(0xE033E02BBFFFF000ull), R(0xE019E021C0200000ull), R(0x0007000EC0003000ull));
    OP(OP_BOUNCE, R(0x00000202C0001000ull), R(0xE021E01900000010ull), R(0xE019E021C0200000ull), R(0x0006000DC0003000ull));
    OP(OP_BOUNCE, R(0x00000202C0001000ull), R(0xE021E019F5800000ull), R(0xE019E021C0200000ull), R(0x0000000DC0003000ull));
    OP(OP_BOUNCE, R(0x00020202C0001000ull), R(0xE021E019C0100000ull), R(0xE019E021C0200000ull), R(0x0000000DC0003000ull));
    OP(OP_BOUNCE, R(0x00000202C0001000ull), R(0xE021E018C0100000ull), R(0xE019E021C0200000ull), R(0x0000000DC0003000ull));
    OP(OP_BOUNCE, R(0x00000202C0001000ull), R(0xE033E02BBFFFF000ull), R(0xE0190000C0200000ull), R(0x0000000DC0003000ull));
    OP(OP_BOUNCE, R(0x00000202C0001000ull), R(0xE021E0190000F000ull), R(0xE019E021C0200000ull), R(0x0030000DC0003000ull));
    OP(OP_BOUNCE, R(0x00000202C0001000ull), R(0xE021E019000FF000ull), R(0xE019E021C0200000ull), R(0x0060000DC0003000ull));
    emit();

    seed("emulate", "privileged instructions: cli/sti, in/out to hypervisor ports, mov cr0/cr3/cr4, mov dr7, rdmsr/wrmsr (hypercall page), cpuid, lock and prefixes (EMUL-1..EMUL-15)");
    OP(OP_EMUL, R(0xFA), R(0), R(0), R(0x0000001000000000ull));
    OP(OP_EMUL, R(0xFB), R(0), R(0), R(0x0000071000000000ull));
    OP(OP_EMUL, R(0x20E4), R(0), R(0), R(0x0000061000000000ull));
    OP(OP_EMUL, R(0xEC66), R(0), R(0), R(0x00000610000000CFull | 0xCF8ull));
    OP(OP_EMUL, R(0xEE), R(0), R(0), R(0x00000610000003F8ull));
    OP(OP_EMUL, R(0xD8220F), R(0), R(0x1000ull), R(0x0000001000000000ull));
    OP(OP_EMUL, R(0xC0220F), R(0), R(0x8005003Bull), R(0x0000001000000000ull));
    OP(OP_EMUL, R(0xE0220F), R(0), R(0x6B0ull), R(0x0000001000000000ull));
    OP(OP_EMUL, R(0xC0230F), R(0), R(0xF57FFFFEull), R(0x0000001000000000ull));
    OP(OP_EMUL, R(0xF8230F), R(0), R(0x00000403ull), R(0x0000001000000000ull));
    OP(OP_EMUL, R(0x320F), R(0), R(0x0000004000000000ull), R(0x0000001000000000ull));
    OP(OP_EMUL, R(0x300F), R(0), R(0x4000000000000000ull), R(0x0000001000000000ull));
    OP(OP_EMUL, R(0xA20F), R(0), R(0x40000000ull), R(0x0000001000000000ull));
    OP(OP_EMUL, R(0xA20F6E65780B0F), R(0), R(1), R(0x0000001000000000ull));
    OP(OP_EMUL, R(0x06220FF0), R(0), R(0), R(0x0000001000000000ull));
    OP(OP_EMUL, R(0x6666666666666666ull), R(0xFA66666666666666ull), R(0), R(0x0000001000000000ull));
    OP(OP_EMUL, R(0x80CD), R(0), R(0), R(0x0000000200000000ull));
    emit();

    seed("emulate-cr3-msr", "mov to cr3 with own, victim and spare frames; wrmsr of the hypercall page into own data, an L1 and a victim frame (PT-26, EMUL-8)");
    OP(OP_EMUL, R(0xD8220F), R(0), R(0), R(0x0000001000000000ull));
    OP(OP_EMUL, R(0xD8220F), R(0), R(0xFFFFFFFFull), R(0x0000001000000000ull));
    OP(OP_EMUL, R(0x300F), R(0), R(0x4000000000000000ull), R(0x0000001000000000ull));
    OP(OP_EMUL, R(0x300F), R(0), R(0x4000000000000000ull | 0xF000ull), R(0x0000001000000000ull));
    emit();

    seed("debug-registers", "DR0-3 at and past the hypervisor boundary, DR7 enabling them, I/O breakpoints, GD, DR4/5 aliases (EMUL-9..EMUL-11)");
    OP(OP_DR_WRITE, R(0), R(0xF57FFFFFu), NA, NA);
    OP(OP_DR_WRITE, R(7), R(0x00000403u), NA, NA);
    OP(OP_DR_WRITE, R(7), R(0x000C0403u), NA, NA);
    OP(OP_DR_WRITE, R(0), R(0xF57FFFF8u), NA, NA);
    OP(OP_DR_WRITE, R(7), R(0x00080403u), NA, NA);
    OP(OP_DR_WRITE, R(7), R(0x00020403u), NA, NA);
    OP(OP_DR_WRITE, R(7), R(0x00002403u), NA, NA);
    OP(OP_DR_WRITE, R(5), R(0x00000400u), NA, NA);
    OP(OP_DR_WRITE, R(1), R(0xFFFFFFFFu), NA, NA);
    OP(OP_DR_WRITE, R(7), R(0x0000040Cu), NA, NA);
    OP(OP_DR_WRITE, R(8), R(0), NA, NA);
    emit();
}

/* An ELF patch: width (1, 2, 4, 8 bytes) at offset, value. */
static struct prog_arg ELFP(unsigned width, uint32_t off, uint64_t v)
{
    static const uint8_t kinds[9] = { 0, 1, 2, 0, 3, 0, 0, 0, 4 };
    struct prog_arg a = { kinds[width], (uint64_t)off | v << 16 };

    return a;
}

static void seeds_elf(void)
{
    seed("elf-valid", "the three image templates (PT_NOTE notes, section notes with two segments, legacy __xen_guest) as built, and cut short");
    opx(OP_ELF, 0, 0, 0, NA, NA, NA, NA);
    opx(OP_ELF, 0, 1, 0, NA, NA, NA, NA);
    opx(OP_ELF, 0, 2, 0, NA, NA, NA, NA);
    opx(OP_ELF, 0, 0, 200, NA, NA, NA, NA);
    opx(OP_ELF, 0, 1, 100, NA, NA, NA, NA);
    opx(OP_ELF, 0, 2, 1, NA, NA, NA, NA);
    emit();

    seed("elf-overflow", "ELF images with sizes that overflow: p_filesz/p_memsz/p_offset near 2^32, e_phoff and e_shoff past the end, huge e_phnum, note sizes (ELF-*)");
    opx(OP_ELF, 0, 0, 0, ELFP(4, 52 + 16, 0xFFFFFFFFu), NA, NA, NA);
    opx(OP_ELF, 0, 0, 0, ELFP(4, 52 + 20, 0xFFFFF000u), NA, NA, NA);
    opx(OP_ELF, 0, 0, 0, ELFP(4, 52 + 4, 0xFFFFFC00u), NA, NA, NA);
    opx(OP_ELF, 0, 0, 0, ELFP(4, 52 + 12, 0xFFFFF000u), ELFP(4, 52 + 8, 0xFFFFF000u), NA, NA);
    opx(OP_ELF, 0, 0, 0, ELFP(4, 28, 0xFFFFFFF0u), NA, NA, NA);
    opx(OP_ELF, 0, 1, 0, ELFP(4, 32, 0xFFFFFFD8u), NA, NA, NA);
    opx(OP_ELF, 0, 0, 0, ELFP(2, 44, 0xFFFF), NA, NA, NA);
    opx(OP_ELF, 0, 1, 0, ELFP(2, 48, 0xFFFF), ELFP(2, 50, 0xFFFE), NA, NA);
    opx(OP_ELF, 0, 0, 0, ELFP(4, 0x100 + 4, 0xFFFFFFF0u), NA, NA, NA);
    opx(OP_ELF, 0, 0, 0, ELFP(4, 0x100, 0x7FFFFFFFu), NA, NA, NA);
    opx(OP_ELF, 0, 1, 0, ELFP(4, 0x300 + 80 + 20, 0xFFFFFFFFu), NA, NA, NA);
    opx(OP_ELF, 0, 2, 0, ELFP(4, 0x200 + 80 + 16, 0xFFFFFF00u), NA, NA, NA);
    opx(OP_ELF, 0, 1, 0, ELFP(4, 52 + 32 + 8, 0x1000800u), ELFP(4, 52 + 32 + 12, 0x1000800u), NA, NA);
    opx(OP_ELF, 0, 0, 0, ELFP(4, 52 + 8, 0xF57FF000u), ELFP(4, 52 + 12, 0xF57FF000u), ELFP(4, 24, 0xF57FF000u), NA);
    emit();
}

static void seed_boot_layout(void)
{
    seed("boot-layout", "start-of-day layouts: a small domU, virt_base at 3 GiB, kernel reaching the hypervisor, too few pages, wrapping sizes");
    OP(OP_BOOT_LAYOUT, R(0x0010000000000000ull), R(0x0000100000200000ull), R(0x0000000100000000ull), NA);
    OP(OP_BOOT_LAYOUT, R(0xC0100000C0000000ull), R(0x00002000C0400000ull), R(0), NA);
    OP(OP_BOOT_LAYOUT, R(0xC0000000C0000000ull), R(0x00003FFFF5000000ull), R(0), NA);
    OP(OP_BOOT_LAYOUT, R(0x0010000000000000ull), R(0x0000000100200000ull), R(0), NA);
    OP(OP_BOOT_LAYOUT, R(0xFFFFF000FFFFF000ull), R(0x00001000FFFFFFFFull), R(0xFFFFFFFFull), NA);
    emit();
}

/* ---- attack classes ------------------------------------------------------ */

static void seeds_attacks(void)
{
    seed("attack-linear-l2", "XSA-240 family: an L2 entry naming the L2 itself, an L1 entry naming its own L1 RW, L2 naming the L3 (PT-14)");
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L2, 0, 5), PTE(FC_OWN_L2, 0, F_TAB), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L2, 0, 6), PTE(FC_OWN_L2, 0, 0x025), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L2, 0, 7), PTE(FC_OWN_L3, 0, F_TAB), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L2, 1, 5), PTE(FC_OWN_L2, 1, F_TAB), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 40), PTE(FC_OWN_L1, 0, F_RW), DOM(DC_SELF), NA);
    spare_entry(0, 0, PTE(FC_OWN_SPARE, 0, F_TAB));
    OP(OP_EXT_PIN_L2, FR(FC_OWN_SPARE, 0), NA, DOM(DC_SELF), NA);
    OP(OP_EXT_PIN_L1, FR(FC_OWN_SPARE, 0), NA, DOM(DC_SELF), NA);
    emit();

    seed("attack-recursive-l3", "an L3 naming itself in slot 1, the slot-3 L2 in slot 0, a new L3 whose slot 0 names itself (PT-14, PT-10)");
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L3, 0, 1), PTE(FC_OWN_L3, 0, F_PD), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L3, 0, 1), PTE(FC_OWN_L2, 1, F_PD), DOM(DC_SELF), NA);
    spare_entry(2, 0, PTE(FC_OWN_SPARE, 2, F_PD));
    spare_entry(2, 3, PTE(FC_OWN_SPARE, 3, F_PD));
    OP(OP_EXT_PIN_L3, FR(FC_OWN_SPARE, 2), NA, DOM(DC_SELF), NA);
    OP(OP_EXT_NEW_BASEPTR, FR(FC_OWN_SPARE, 2), NA, DOM(DC_SELF), NA);
    emit();

    seed("attack-pse", "superpages: L2 entries with PSE over own data, over the hypervisor's frames, over a blank frame that would validate as an L1, and a raw write through them (PT-4)");
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L2, 0, 8), PTE(FC_OWN_DATA, 0, F_PSE), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L2, 0, 8), PTE(FC_XEN, 0, F_PSE), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L2, 0, 9), PTE(FC_OWN_SPARE, 1, F_PSE), DOM(DC_SELF), NA);
    OP(OP_UVM, VA(VC_L3SLOT, l3s(0, 8, 0), 0), PTE(FC_OWN_DATA, 0, F_PSE), TBL(0), NA);
    OP(OP_RAW_WRITE, VA(VC_L3SLOT, l3s(0, 8, 0), 0), R(1), NA, NA);
    spare_entry(0, 3, PTE(FC_OWN_DATA, 0, F_PSE));
    OP(OP_EXT_PIN_L2, FR(FC_OWN_SPARE, 0), NA, DOM(DC_SELF), NA);
    emit();

    seed("attack-l3-slot3", "L3 slot 3 changed, cleared, and its L2 reused in slot 0 and in a second L3; a pinned L2 as slot 3 (PT-10, PT-13)");
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L3, 0, 3), PTE(FC_OWN_L2, 0, F_PD), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L3, 0, 3), R(0), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L3, 0, 2), PTE(FC_OWN_L2, 1, F_PD), DOM(DC_SELF), NA);
    spare_entry(2, 3, PTE(FC_OWN_L2, 1, F_PD));
    OP(OP_EXT_PIN_L3, FR(FC_OWN_SPARE, 2), NA, DOM(DC_SELF), NA);
    OP(OP_EXT_PIN_L2, FR(FC_OWN_SPARE, 3), NA, DOM(DC_SELF), NA);
    spare_entry(1, 3, PTE(FC_OWN_SPARE, 3, F_PD));
    OP(OP_EXT_PIN_L3, FR(FC_OWN_SPARE, 1), NA, DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L2, 1, 428), PTE(FC_OWN_DATA, 0, F_RW), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L2, 1, 511), R(0), DOM(DC_SELF), NA);
    emit();

    seed("attack-type-races", "type-count confusion: map a live L1/L2/L3 RW, pin a frame mapped RW, map a pinned table RW, unpin with live references then map it (PT-7, PT-15, PT-18, PT-25)");
    map_own(40, FC_OWN_L1, 0, F_RW);
    map_own(40, FC_OWN_L2, 1, F_RW);
    map_own(40, FC_OWN_L3, 0, F_RW);
    OP(OP_EXT_PIN_L1, FR(FC_OWN_SPARE, 4), NA, DOM(DC_SELF), NA);
    OP(OP_EXT_PIN_L1, FR(FC_OWN_SPARE, 0), NA, DOM(DC_SELF), NA);
    map_own(41, FC_OWN_SPARE, 0, F_RW);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L2, 0, 9), PTE(FC_OWN_SPARE, 0, F_TAB), DOM(DC_SELF), NA);
    OP(OP_EXT_UNPIN, FR(FC_OWN_SPARE, 0), NA, DOM(DC_SELF), NA);
    map_own(41, FC_OWN_SPARE, 0, F_RW);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L2, 0, 9), R(0), DOM(DC_SELF), NA);
    map_own(41, FC_OWN_SPARE, 0, F_RW);
    OP(OP_RAW_WRITE, VA(VC_DATA, 41, 0), PTE(FC_VICTIM, 0, F_RW), NA, NA);
    OP(OP_EXT_PIN_L1, FR(FC_OWN_SPARE, 0), NA, DOM(DC_SELF), NA);
    unmap_own(41);
    OP(OP_EXT_PIN_L1, FR(FC_OWN_SPARE, 0), NA, DOM(DC_SELF), NA);
    emit();

    seed("attack-decrease", "drop references of mapped frames and tables: unmap the boot L1 from l2_low while CR3 uses it, remap data under live mappings (PT-18)");
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L2, 0, 2), R(0), DOM(DC_SELF), NA);
    OP(OP_RAW_WRITE, VA(VC_DATA, 0, 0), R(1), NA, NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L2, 0, 2), PTE(FC_OWN_L1, 0, F_TAB), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L3, 0, 0), R(0), DOM(DC_SELF), NA);
    OP(OP_EXT_UNPIN, FR(FC_OWN_L3, 0), NA, DOM(DC_SELF), NA);
    OP(OP_EXT_NEW_BASEPTR, FR(FC_OWN_DATA, 0), NA, DOM(DC_SELF), NA);
    OP(OP_RAW_WRITE, VA(VC_DATA, 10, 0), R(1), NA, NA);
    emit();

    seed("attack-many-references", "one data frame mapped through 40 L1 slots in one joined batch, then all unmapped (PT-16)");
    {
        unsigned s;

        for (s = 0; s < 32; s++)
            opx(OP_MMU_NORMAL, s ? PROG_F_JOIN : 0, 0, 0, PTR(FC_OWN_L1, 0, 100 + s),
                PTE(FC_OWN_DATA, 5, F_RW), DOM(DC_SELF), NA);
        opx(OP_MMU_NORMAL, 0, 0, 0xF4, PTR(FC_OWN_L1, 0, 200), PTE(FC_OWN_DATA, 5, F_RO), DOM(DC_SELF), NA);
        for (s = 0; s < 16; s++)
            opx(OP_MMU_NORMAL, s ? PROG_F_JOIN : 0, 0, 0, PTR(FC_OWN_L1, 0, 100 + s), R(0),
                DOM(DC_SELF), NA);
    }
    emit();

    seed("attack-foreign", "foreign frames: map victim/dom0/hypervisor/free/MMIO/beyond-RAM frames; foreigndom as victim, dom0, builder, own id, PFD, reserved ids (PT-6, PT-23, PT-33)");
    map_own(50, FC_VICTIM, 0, F_RW);
    map_own(50, FC_VICTIM, 3, F_RO);
    map_own(50, FC_OTHER, 0, F_RO);
    map_own(50, FC_XEN, 0, F_RO);
    map_own(50, FC_FREE, 0, F_RW);
    map_own(50, FC_NOT_RAM, 0, F_RW);
    map_own(50, FC_NOT_RAM, 1, F_RO);
    map_own(50, FC_BUILDER, 0, F_RO);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 50), PTE(FC_VICTIM, 0, F_RO), DOM(DC_VICTIM), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 50), PTE(FC_OWN_DATA, 0, F_RO), DOM(DC_OWN), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 50), PTE(FC_OWN_DATA, 0, F_RO), DOM(DC_PFD_OWN), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 50), PTE(FC_BUILDER, 0, F_RO), DOM(DC_BUILDER), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 50), PTE(FC_XEN, 0, F_RO), DOM(DC_XEN), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 50), PTE(FC_NOT_RAM, 0, F_RO), DOM(DC_IO), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L2, 0, 50), PTE(FC_VICTIM, 0, F_TAB), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L3, 0, 1), PTE(FC_VICTIM, 0, F_PD), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_VICTIM, 0, 0), R(0), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_XEN, 0, 0), R(0), DOM(DC_SELF), NA);
    emit();

    seed("attack-dom0-foreign", "dom0 maps a paused builder frame RW, the builder is unpaused, dom0 keeps and then drops the mapping; dom0 tries the victim and a table (PT-33..PT-38)");
    OP0(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 60), PTE(FC_BUILDER, 1, F_RW), DOM(DC_BUILDER), NA);
    OP0(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 61), PTE(FC_BUILDER, 2, F_RO), DOM(DC_BUILDER), NA);
    OP0(OP_RAW_WRITE, VA(VC_DATA, 60, 0x40), R(0x1234), NA, NA);
    OP0(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 62), PTE(FC_VICTIM, 1, F_RO), DOM(DC_VICTIM), NA);
    OP0(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 62), PTE(FC_OWN_DATA, 1, F_RO), DOM(DC_BUILDER), NA);
    OP0(OP_MMU_NORMAL, PTR(FC_OWN_L2, 0, 62), PTE(FC_BUILDER, 3, F_TAB), DOM(DC_BUILDER), NA);
    opx(OP_SET_MAPPABLE, 0, 0, 0, DOM(DC_BUILDER), NA, NA, NA);
    OP0(OP_RAW_READ, VA(VC_DATA, 60, 0), NA, NA, NA);
    OP0(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 60), R(0), DOM(DC_SELF), NA);
    OP0(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 61), PTE(FC_BUILDER, 2, F_RW), DOM(DC_SELF), NA);
    OP0(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 61), R(0), DOM(DC_SELF), NA);
    emit();

    seed("attack-dom0-maps-attacker", "the attacker paused: dom0 maps its frame RW, the attacker then tries to make it a table and a GDT, dom0 unmaps (PT-36, PT-7 across domains)");
    opx(OP_SET_MAPPABLE, 0, 1, 0, DOM(DC_ATTACKER), NA, NA, NA);
    OP0(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 70), PTE(FC_OTHER, 12, F_RW), DOM(DC_ATTACKER), NA);
    OP(OP_EXT_PIN_L1, FR(FC_OWN_ANY, 12), NA, DOM(DC_SELF), NA);
    OP(OP_SET_GDT, FR(FC_OWN_ANY, 12), R(1), NA, NA);
    OP0(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 71), PTE(FC_OTHER, 0, F_RW), DOM(DC_ATTACKER), NA);
    opx(OP_SET_MAPPABLE, 0, 0, 0, DOM(DC_ATTACKER), NA, NA, NA);
    OP0(OP_RAW_WRITE, VA(VC_DATA, 70, 0), R(0x77), NA, NA);
    OP0(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 70), R(0), DOM(DC_SELF), NA);
    OP(OP_EXT_PIN_L1, FR(FC_OWN_ANY, 12), NA, DOM(DC_SELF), NA);
    opx(OP_SET_MAPPABLE, 0, 1, 0, DOM(DC_VICTIM), NA, NA, NA);
    emit();

    seed("attack-flags", "L1 entries with G, PAT/PCD/PWT, reserved high bits, NX; L2 with G and PCD; L3 with RW/US/A and high bits (PT-1..PT-5)");
    map_own(80, FC_OWN_DATA, 0, F_G);
    map_own(80, FC_OWN_DATA, 0, 0x0FFu);
    map_own(80, FC_OWN_DATA, 0, 0x06Fu);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 80), PTEX(FC_OWN_DATA, 0, F_RW, 0x800), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 80), PTEX(FC_OWN_DATA, 0, F_RW, 0x001), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 80), PTEX(FC_OWN_DATA, 0, F_RW, 0x7FF), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L2, 0, 10), PTE(FC_OWN_L1, 0, 0x127), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L2, 0, 10), PTE(FC_OWN_L1, 0, 0x037), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L3, 0, 1), PTE(FC_OWN_L2, 0, 0x007), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L3, 0, 1), PTEX(FC_OWN_L2, 0, 0x001, 0x800), DOM(DC_SELF), NA);
    OP0(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 80), PTE(FC_OWN_DATA, 0, 0x07F), DOM(DC_SELF), NA);
    emit();

    seed("attack-data-as-table", "an L2 entry to a data frame, an L3 entry to a data frame and to an L1 (PT-8, PT-9)");
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L2, 0, 11), PTE(FC_OWN_DATA, 2, F_TAB), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L3, 0, 1), PTE(FC_OWN_DATA, 2, F_PD), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L3, 0, 1), PTE(FC_OWN_L1, 0, F_PD), DOM(DC_SELF), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L2, 0, 11), PTE(FC_OWN_SHARED, 0, F_TAB), DOM(DC_SELF), NA);
    emit();

    seed("attack-signed-lengths", "counts near 2^31 and 2^32: mmu_update, mmuext_op, set_gdt and set_ldt sizes that wrap (PT-32, PT-27)");
    opx(OP_MMU_NORMAL, 0, 0, 0xFC, PTR(FC_OWN_L1, 0, 90), PTE(FC_OWN_DATA, 0, F_RW), DOM(DC_SELF), NA);
    opx(OP_MMU_NORMAL, 0, 0, 0xFD, PTR(FC_OWN_L1, 0, 90), PTE(FC_OWN_DATA, 0, F_RW), DOM(DC_SELF), NA);
    opx(OP_MMU_NORMAL, 0, 0, 0xFE, PTR(FC_OWN_L1, 0, 90), PTE(FC_OWN_DATA, 0, F_RW), DOM(DC_SELF), NA);
    opx(OP_MMU_NORMAL, 0, 0, 0x20, PTR(FC_OWN_L1, 0, 90), PTE(FC_OWN_DATA, 0, F_RW), DOM(DC_SELF), NA);
    opx(OP_EXT_PIN_L1, 0, 0, 0xFC, FR(FC_OWN_SPARE, 0), NA, DOM(DC_SELF), NA);
    opx(OP_EXT_PIN_L1, 0, 0, 0xFE, FR(FC_OWN_SPARE, 0), NA, DOM(DC_SELF), NA);
    opx(OP_EXT_PIN_L1, 0, 0, 0xFF, FR(FC_OWN_SPARE, 0), NA, DOM(DC_SELF), NA);
    OP(OP_SET_GDT, FR(FC_OWN_SPARE, 0), TBL(13), NA, NA);
    OP(OP_EXT_SET_LDT, VA(VC_DATA, 0, 0), R(0x20000000u), DOM(DC_SELF), NA);
    OP(OP_EXT_SET_LDT, VA(VC_EDGE, 2, 0), R(512), DOM(DC_SELF), NA);
    OP(OP_EVT_BIND_VCPU, PORT(PC_EDGE, 6), TBL(13), NA, NA);
    emit();

    seed("attack-mixed", "multicall-like mixing: table updates, event ops, descriptor and CPU checks interleaved by the attacker and dom0");
    map_own(20, FC_OWN_DATA, 2, F_RW);
    OP(OP_EVT_ALLOC_UNBOUND, DOM(DC_SELF), DOM(DC_VICTIM), NA, NA);
    OP(OP_DESC_CHECK, TBL(5), NA, NA, NA);
    OP(OP_EXT_PIN_L1, FR(FC_OWN_SPARE, 0), NA, DOM(DC_SELF), NA);
    OP0(OP_EVT_SEND, R(1), NA, NA, NA);
    OP(OP_UVM, VA(VC_DATA, 20, 0), R(0), TBL(1), NA);
    JOIN(OP_EXT_TLB_FLUSH_ALL, NA, NA, NA, NA);
    OP(OP_EXT_INVLPG_LOCAL, VA(VC_DATA, 20, 0), NA, DOM(DC_SELF), NA);
    JOIN(OP_EXT_UNPIN, FR(FC_OWN_PINNED, 1), NA, NA, NA);
    JOIN(OP_EXT_PIN_L2, FR(FC_OWN_TABLE, 3), NA, NA, NA);
    OP(OP_IRET, TBL(1), R(0xC000100000000202ull), TBL(2), R(0xE0210000C0000000ull));
    OP0(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 20), PTE(FC_OWN_DATA, 3, F_RW), DOM(DC_SELF), NA);
    OP(OP_EVT_CLOSE, PORT(PC_OWN_USED, 0), NA, NA, NA);
    OP(OP_EVT_CLOSE, PORT(PC_OWN_USED, 0), NA, NA, NA);
    emit();
}

/* ---- grant tables --------------------------------------------------------- */

/* GNTMAP_* (host 2, readonly 4, application 8, contains_pte 16) in aux bits 2..7. */
#define GM(flags)       ((uint8_t)((flags) << 2))
#define GM_HOST         GM(2)
#define GM_RO           GM(2 | 4)
#define GM_PTE          GM(2 | 16)
/* GNTCOPY_source_gref / dest_gref in aux bits 2..3. */
#define GC_SREF         0x4u
#define GC_DREF         0x8u
#define GTF_PERMIT      1u
#define GTF_RO          5u              /* permit_access | readonly */
#define GREF(r)         H(GR_NUMBER, r, 0)
#define GCOPY(r, off, len) H(GR_NUMBER, r, (uint64_t)(off) | (uint64_t)(len) << 16)
#define GHANDLE(i)      H(GH_LEARNED, i, 0)
#define DATA_VA(page)   VA(VC_DATA, page, 0)

/* The attacker sets up one grant frame and grants `frame` to dom0. */
static void grant_to_dom0(uint64_t ref, uint64_t flags, unsigned cls, uint64_t idx)
{
    OP(OP_GNT_ENTRY, GREF(ref), R(flags), DOM(DC_DOM0), FR(cls, idx));
}

static void seeds_grants(void)
{
    seed("gnttab-setup-query", "setup_table and query_size: own table grown to 1 and past max_frames, another domain's (GNT-16, GNT-17), frame_list NULL, a count of 2; versions and unsupported commands (GNT-18)");
    OP(OP_GNT_SETUP, DOM(DC_SELF), TBL(1), NA, NA);
    OP(OP_GNT_QUERY, DOM(DC_SELF), NA, NA, NA);
    OP(OP_GNT_SETUP, DOM(DC_SELF), R(5), NA, NA);
    OP(OP_GNT_SETUP, DOM(DC_VICTIM), TBL(1), NA, NA);
    OP(OP_GNT_QUERY, DOM(DC_VICTIM), NA, NA, NA);
    OP(OP_GNT_SETUP, DOM(DC_NO_DOMAIN), TBL(1), NA, NA);
    opx(OP_GNT_SETUP, 0, 0x4, 0, DOM(DC_SELF), TBL(2), NA, NA);
    opx(OP_GNT_QUERY, 0, 0, 1, DOM(DC_SELF), NA, NA, NA);
    opx(OP_GNT_QUERY, 0, 0x2, 0, DOM(DC_SELF), NA, NA, NA);
    OP0(OP_GNT_SETUP, DOM(DC_BUILDER), TBL(2), NA, NA);
    OP(OP_GNT_RAW, R(8), R(1), R(1), R(0));                   /* set_version(1) */
    OP(OP_GNT_RAW, R(8), R(1), R(2), R(0));                   /* set_version(2) */
    OP(OP_GNT_RAW, R(10), R(1), R(2), R(0));                  /* get_version(victim) */
    OP(OP_GNT_RAW, R(4), R(1), R(0), R(0));                   /* transfer */
    OP(OP_GNT_RAW, R(0), R(513), R(0), R(0));                 /* map, count 513 */
    emit();

    seed("gnttab-map-unmap-twice", "dom0 maps a frame the attacker granted, unmaps it, and unmaps the same handle again (GNT-2, XSA-224); a stale and an out-of-range handle");
    OP(OP_GNT_SETUP, DOM(DC_SELF), TBL(1), NA, NA);
    grant_to_dom0(3, GTF_PERMIT, FC_OWN_DATA, 4);
    opx(OP_GNT_MAP, PROG_F_DOM0, GM_HOST, 0, DOM(DC_ATTACKER), GREF(3), DATA_VA(30), NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 4), R(0), DOM(DC_SELF), NA);
    OP(OP_EXT_PIN_L1, FR(FC_OWN_DATA, 4), NA, DOM(DC_SELF), NA);
    OP0(OP_GNT_UNMAP, GHANDLE(0), DATA_VA(30), NA, R(0));
    OP0(OP_GNT_UNMAP, GHANDLE(0), DATA_VA(30), NA, R(0));
    OP0(OP_GNT_UNMAP, H(GH_EDGE, 3, 0), DATA_VA(30), NA, R(0));
    OP(OP_EXT_PIN_L1, FR(FC_OWN_DATA, 4), NA, DOM(DC_SELF), NA);
    emit();

    seed("gnttab-map-revoke", "the attacker revokes and re-points a grant while dom0 maps it, then retypes the frame; dom0's second map is refused and its unmap returns the references (GNT-6, GNT-8, GNT-13)");
    OP(OP_GNT_SETUP, DOM(DC_SELF), TBL(1), NA, NA);
    grant_to_dom0(5, GTF_PERMIT, FC_OWN_SPARE, 1);
    opx(OP_GNT_MAP, PROG_F_DOM0, GM_HOST, 0, DOM(DC_ATTACKER), GREF(5), DATA_VA(31), NA);
    OP(OP_GNT_ENTRY, GREF(5), R(0), DOM(DC_DOM0), FR(FC_OWN_SPARE, 1));
    OP(OP_EXT_PIN_L1, FR(FC_OWN_SPARE, 1), NA, DOM(DC_SELF), NA);
    opx(OP_GNT_MAP, PROG_F_DOM0, GM_HOST, 0, DOM(DC_ATTACKER), GREF(5), DATA_VA(32), NA);
    grant_to_dom0(5, GTF_PERMIT, FC_OWN_SPARE, 2);
    opx(OP_GNT_MAP, PROG_F_DOM0, GM_HOST, 0, DOM(DC_ATTACKER), GREF(5), DATA_VA(32), NA);
    OP0(OP_GNT_UNMAP, GHANDLE(0), DATA_VA(31), NA, R(0));
    OP(OP_EXT_PIN_L1, FR(FC_OWN_SPARE, 1), NA, DOM(DC_SELF), NA);
    OP(OP_EXT_UNPIN, FR(FC_OWN_SPARE, 1), NA, DOM(DC_SELF), NA);
    emit();

    seed("gnttab-ro-writable", "a read-only grant: dom0's writable map and a copy into it are refused, the read-only map works; the victim's read-only grant copied from and into, its grant to nobody, its frame by number, a copy past the page (GNT-5, GNT-15)");
    OP(OP_GNT_SETUP, DOM(DC_SELF), TBL(1), NA, NA);
    grant_to_dom0(7, GTF_RO, FC_OWN_SPARE, 2);
    opx(OP_GNT_MAP, PROG_F_DOM0, GM_HOST, 0, DOM(DC_ATTACKER), GREF(7), DATA_VA(33), NA);
    opx(OP_GNT_MAP, PROG_F_DOM0, GM_RO, 0, DOM(DC_ATTACKER), GREF(7), DATA_VA(33), NA);
    opx(OP_GNT_COPY, PROG_F_DOM0, GC_DREF, 0, DOM(DC_SELF), GCOPY(0, 0, 64), DOM(DC_ATTACKER), GCOPY(7, 0, 0));
    opx(OP_GNT_COPY, 0, GC_SREF, 0, DOM(DC_VICTIM), GCOPY(1, 16, 256), DOM(DC_SELF), GCOPY(0, 32, 0));
    opx(OP_GNT_COPY, 0, GC_DREF, 0, DOM(DC_SELF), GCOPY(0, 0, 8), DOM(DC_VICTIM), GCOPY(1, 0, 0));
    opx(OP_GNT_COPY, 0, GC_SREF, 0, DOM(DC_VICTIM), GCOPY(2, 0, 8), DOM(DC_SELF), GCOPY(0, 0, 0));
    opx(OP_GNT_COPY, 0, 0, 0, DOM(DC_VICTIM), R(0), DOM(DC_SELF), GCOPY(1, 0, 0));
    opx(OP_GNT_COPY, 0, GC_SREF, 0, DOM(DC_VICTIM), GCOPY(1, 4000, 200), DOM(DC_SELF), GCOPY(0, 0, 0));
    opx(OP_GNT_COPY, 0, GC_SREF | GC_DREF, 0, DOM(DC_SELF), GCOPY(7, 0, 128), DOM(DC_SELF), GCOPY(7, 64, 0));
    OP0(OP_GNT_UNMAP, GHANDLE(0), DATA_VA(33), NA, R(0));
    emit();

    seed("gnttab-refcount", "one frame granted under two refs and mapped three times (RW, RO, through the PTE's machine address); a map over another grant's slot, into an L2, at a misaligned PTE address (XSA-227), an unmap at the wrong address, the attacker trying to host-map (GNT-8, GNT-9, GNT-10, GNT-14, GNT-19)");
    OP(OP_GNT_SETUP, DOM(DC_SELF), TBL(1), NA, NA);
    grant_to_dom0(1, GTF_PERMIT, FC_OWN_SPARE, 3);
    grant_to_dom0(2, GTF_PERMIT, FC_OWN_SPARE, 3);
    opx(OP_GNT_MAP, PROG_F_DOM0, GM_HOST, 0, DOM(DC_ATTACKER), GREF(1), DATA_VA(40), NA);
    opx(OP_GNT_MAP, PROG_F_DOM0, GM_RO, 0, DOM(DC_ATTACKER), GREF(2), DATA_VA(41), NA);
    opx(OP_GNT_MAP, PROG_F_DOM0, GM_PTE, 0, DOM(DC_ATTACKER), GREF(1), NA, PTR(FC_OWN_L1, 0, 42));
    opx(OP_GNT_MAP, PROG_F_DOM0, GM_HOST, 0, DOM(DC_ATTACKER), GREF(2), DATA_VA(40), NA);
    opx(OP_GNT_MAP, PROG_F_DOM0, GM_PTE, 0, DOM(DC_ATTACKER), GREF(1), NA, PTR(FC_OWN_L2, 0, 2));
    opx(OP_GNT_MAP, PROG_F_DOM0, GM_PTE, 0, DOM(DC_ATTACKER), GREF(1), NA, PTR(FC_OWN_L1, 0, 43 | 4 << 9));
    OP(OP_EXT_PIN_L1, FR(FC_OWN_SPARE, 3), NA, DOM(DC_SELF), NA);
    OP0(OP_GNT_UNMAP, GHANDLE(1), DATA_VA(40), NA, R(0));
    OP0(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 41), R(0), DOM(DC_SELF), NA);
    OP0(OP_GNT_UNMAP, GHANDLE(1), DATA_VA(41), NA, R(0));
    OP0(OP_GNT_UNMAP, GHANDLE(0), DATA_VA(40), NA, R(0));
    opx(OP_GNT_UNMAP, PROG_F_DOM0, 0x4, 0, GHANDLE(2), NA, PTR(FC_OWN_L1, 0, 42), R(0));
    opx(OP_GNT_MAP, 0, GM_HOST, 0, DOM(DC_VICTIM), GREF(1), DATA_VA(50), NA);
    opx(OP_GNT_MAP, 0, GM_HOST, 0, DOM(DC_SELF), GREF(1), DATA_VA(50), NA);
    OP(OP_EXT_PIN_L1, FR(FC_OWN_SPARE, 3), NA, DOM(DC_SELF), NA);
    emit();
}

/* ---- teardown ------------------------------------------------------------- */

static void seeds_teardown(void)
{
    seed("teardown-grant-orphan", "the attacker dies while dom0 maps its grant: the mapping becomes an orphan holding the frame, dom0's unmap returns it, the sweep frees the rest; a dead domain's hypercalls and a map of its grants are refused (GNT-20, EVT-13)");
    OP(OP_GNT_SETUP, DOM(DC_SELF), TBL(1), NA, NA);
    grant_to_dom0(4, GTF_PERMIT, FC_OWN_SPARE, 1);
    grant_to_dom0(6, GTF_PERMIT, FC_OWN_SPARE, 2);
    opx(OP_GNT_MAP, PROG_F_DOM0, GM_HOST, 0, DOM(DC_ATTACKER), GREF(4), DATA_VA(34), NA);
    OP(OP_EVT_BIND_INTERDOMAIN, DOM(DC_VICTIM), PORT(PC_VICTIM_USED, 1), NA, NA);
    OP(OP_DESTROY, DOM(DC_VICTIM), NA, NA, NA);
    OP(OP_DESTROY, DOM(DC_SELF), NA, NA, NA);
    OP(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 4), R(0), DOM(DC_SELF), NA);
    opx(OP_GNT_MAP, PROG_F_DOM0, GM_HOST, 0, DOM(DC_ATTACKER), GREF(6), DATA_VA(35), NA);
    OP0(OP_DESTROY, DOM(DC_ATTACKER), NA, NA, NA);
    OP0(OP_GNT_UNMAP, GHANDLE(0), DATA_VA(34), NA, R(0));
    OP0(OP_GNT_UNMAP, GHANDLE(0), DATA_VA(34), NA, R(0));
    OP0(OP_DESTROY, DOM(DC_ATTACKER), NA, NA, NA);
    OP0(OP_GNT_SETUP, DOM(DC_ATTACKER), TBL(1), NA, NA);
    OP0(OP_EVT_STATUS, DOM(DC_ATTACKER), PORT(PC_EDGE, 1), NA, NA);
    emit();

    seed("teardown-builder-mapped", "dom0 maps a paused guest's frames, destroys it while they are mapped (the frames stay held by the dying domain), unmaps and sweeps; dom0 cannot be destroyed, the victim neither (PT-33)");
    OP0(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 36), PTE(FC_BUILDER, 2, F_RW), DOM(DC_BUILDER), NA);
    OP0(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 37), PTE(FC_BUILDER, 3, F_RO), DOM(DC_BUILDER), NA);
    OP0(OP_DESTROY, DOM(DC_BUILDER), NA, NA, NA);
    OP0(OP_DESTROY, DOM(DC_SELF), NA, NA, NA);
    OP0(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 36), R(0), DOM(DC_SELF), NA);
    OP0(OP_DESTROY, DOM(DC_BUILDER), NA, NA, NA);
    OP0(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 37), R(0), DOM(DC_SELF), NA);
    OP0(OP_DESTROY, DOM(DC_BUILDER), NA, NA, NA);
    OP0(OP_MMU_NORMAL, PTR(FC_OWN_L1, 0, 38), PTE(FC_BUILDER, 4, F_RW), DOM(DC_BUILDER), NA);
    emit();

    seed("teardown-live-state", "the attacker shuts down with extra pinned tables, a new base table, a GDT and an LDT page in use: every reference goes back (drop_tables, desc_release_all)");
    spare_entry(0, 0, PTE(FC_OWN_DATA, 6, F_RO));
    OP(OP_EXT_PIN_L1, FR(FC_OWN_SPARE, 0), NA, DOM(DC_SELF), NA);
    OP(OP_SET_GDT, FR(FC_OWN_SPARE, 3), R(512), NA, NA);
    OP(OP_EXT_SET_LDT, DATA_VA(5), TBL(5), DOM(DC_SELF), NA);
    OP(OP_LDT_FAULT, TBL(0), NA, NA, NA);
    OP(OP_DESTROY, DOM(DC_OWN), NA, NA, NA);
    OP(OP_EXT_UNPIN, FR(FC_OWN_SPARE, 0), NA, DOM(DC_SELF), NA);
    OP0(OP_DESTROY, DOM(DC_ATTACKER), NA, NA, NA);
    emit();
}

/* Appended after the teardown seeds, so earlier seeds keep their numbers. */
static void seeds_desc_refused(void)
{
    seed("set-gdt-refused-undo", "set_gdt whose second or third frame is refused (an L1, a frame mapped writable): the frames typed before it are released, nothing changes (DESC-14)");
    OP(OP_SET_GDT, FR(FC_OWN_SPARE, 0), R(1024), FR(FC_OWN_L1, 0), NA);
    OP(OP_SET_GDT, FR(FC_OWN_SPARE, 2), R(1536), FR(FC_OWN_SPARE, 1), NA);
    OP(OP_SET_GDT, FR(FC_OWN_SPARE, 0), R(1024), FR(FC_OWN_SPARE, 1), NA);
    OP(OP_SET_GDT, FR(FC_OWN_SPARE, 2), R(1536), FR(FC_OWN_L1, 0), NA);
    emit();
}

/* Appended after the refused set_gdt seed: the vCPU-state hypercalls. */
static void seeds_vcpu_state(void)
{
    unsigned i;

    seed("stack-switch", "stack_switch with every selector of the table (null, ring 0, the hypervisor's, RPL 0, LDT), SS above 16 bits, ESP at the hypervisor (CB-7)");
    for (i = 0; i < PROG_NR_SELS; i++)
        OP(OP_STACK_SWITCH, TBL(i), R(0xC0003000u), NA, NA);
    OP(OP_STACK_SWITCH, R(0x1E021u), R(0xC0003000u), NA, NA);
    OP(OP_STACK_SWITCH, R(0xE020u), R(0xFFFFFFFCu), NA, NA);
    emit();

    seed("set-callbacks", "set_callbacks: both entries good, event or failsafe refused alone (ring 0, null, CS above 16 bits, at the hypervisor), nothing changes on a refusal (CB-2..CB-4, CB-8)");
    OP(OP_SET_CALLBACKS, TBL(1), R(0xC0001000u), TBL(1), R(0xC0002000u));
    OP(OP_SET_CALLBACKS, TBL(8), R(0xC0001000u), TBL(3), R(0xC0002000u));
    OP(OP_SET_CALLBACKS, TBL(5), R(0xC0001000u), TBL(1), R(0xC0002000u));
    OP(OP_SET_CALLBACKS, TBL(1), R(0xC0001000u), TBL(0), R(0xC0002000u));
    OP(OP_SET_CALLBACKS, R(0x1E019u), R(0xC0001000u), TBL(1), R(0xC0002000u));
    OP(OP_SET_CALLBACKS, TBL(1), R(0xF5800000u), TBL(1), R(0xC0002000u));
    OP(OP_SET_CALLBACKS, TBL(1), R(0xC0001000u), TBL(1), R(0xFFFFFFFFu));
    OP(OP_SET_CALLBACKS, TBL(12), R(0xC0001000u), TBL(13), R(0xC0002000u));
    emit();

    seed("vm-assist", "vm_assist enable and disable of every type Xen knows, types it refuses (6, 31, 32, 2^32-1) and unknown commands (HC-9)");
    for (i = 0; i <= MAX_VMASST_TYPE + 1u; i++) {
        OP(OP_VM_ASSIST, R(VMASST_CMD_enable), R(i), R(0), NA);
        OP(OP_VM_ASSIST, R(VMASST_CMD_disable), R(i), R(0xFFFFFFFFu), NA);
    }
    OP(OP_VM_ASSIST, R(2), R(VMASST_TYPE_architectural_iopl), R(0x10), NA);
    OP(OP_VM_ASSIST, R(0xFFFFFFFFu), R(VMASST_TYPE_writable_pagetables), R(0), NA);
    OP(OP_VM_ASSIST, R(VMASST_CMD_enable), R(31), R(0), NA);
    OP(OP_VM_ASSIST, R(VMASST_CMD_enable), R(32), R(0), NA);
    OP(OP_VM_ASSIST, R(5), R(0xFFFFFFFFu), R(0), NA);
    emit();

    seed("physdev-set-iopl", "physdev_op set_iopl 0..4 and 2^32-1, the structure straddling the window, at the hypervisor, NULL, unknown commands (HC-10, EMUL-25)");
    for (i = 0; i <= 4; i++)
        OP(OP_PHYSDEV, R(PHYSDEVOP_set_iopl), R(i), R(3u - i % 4u), NA);
    OP(OP_PHYSDEV, R(PHYSDEVOP_set_iopl), R(0xFFFFFFFFu), R(1), NA);
    for (i = 1; i < 4; i++)
        opx(OP_PHYSDEV, 0, (uint8_t)i, 0, R(PHYSDEVOP_set_iopl), R(1), R(0), NA);
    OP(OP_PHYSDEV, R(0), R(1), R(0), NA);
    OP(OP_PHYSDEV, R(PHYSDEVOP_set_iopl + 1u), R(1), R(0), NA);
    opx(OP_PHYSDEV, 0, 3, 0, R(0xFFFFFFFFu), R(9), R(2), NA);
    emit();

    seed("fpu-taskswitch", "fpu_taskswitch 0, 1 and any other value, from TS clear and set: the virtual and real TS agree (FPU-3)");
    for (i = 0; i < 4; i++) {
        opx(OP_FPU_TASKSWITCH, 0, (uint8_t)(i & 1u), 0, R(0), NA, NA, NA);
        opx(OP_FPU_TASKSWITCH, 0, (uint8_t)(i & 1u), 0, R(1), NA, NA, NA);
        opx(OP_FPU_TASKSWITCH, 0, (uint8_t)(i & 1u), 0, TBL(12 + i), NA, NA, NA);
    }
    emit();

    seed("sched-op", "sched_op yield, block and hlt with an upcall pending or not and masked or not, shutdown with every reason and past the last, its argument unreadable, the commands Bulkhead does not serve (SCHED-4, SCHED-5, EMUL-14)");
    OP(OP_SCHED, R(SCHEDOP_yield), NA, NA, NA);
    for (i = 0; i < 4; i++) {
        opx(OP_SCHED, 0, (uint8_t)(i << 2), 0, R(SCHEDOP_block), NA, NA, NA);
        opx(OP_SCHED, 0, (uint8_t)(0x10u | i << 2), 0, R(SCHEDOP_yield), NA, NA, NA);
    }
    for (i = 0; i <= SHUTDOWN_soft_reset + 1u; i++)
        OP(OP_SCHED, R(SCHEDOP_shutdown), R(i), NA, NA);
    OP(OP_SCHED, R(SCHEDOP_shutdown), R(0xFFFFFFFFu), NA, NA);
    for (i = 1; i < 4; i++)
        opx(OP_SCHED, 0, (uint8_t)i, 0, R(SCHEDOP_shutdown), R(0), NA, NA);
    for (i = SCHEDOP_remote_shutdown; i <= SCHEDOP_pin_override + 1u; i++)
        OP(OP_SCHED, R(i), R(0), NA, NA);
    OP(OP_SCHED, R(0xFFFFFFFFu), R(0), NA, NA);
    emit();

    seed("sched-poll", "SCHEDOP_poll on a pending and an idle own port, none, the victim's port, ports past the table, more than 128, the structure unreadable, with and without a timeout (SCHED-5, EVT-1)");
    OP(OP_EVT_SEND, PORT(PC_OWN_USED, 0), NA, NA, NA);
    OP(OP_SCHED, R(SCHEDOP_poll), R(1), PORT(PC_OWN_USED, 0), R(0));
    OP(OP_SCHED, R(SCHEDOP_poll), R(1), PORT(PC_OWN_USED, 1), R(1000000u));
    OP(OP_SCHED, R(SCHEDOP_poll), R(0), NA, R(0));
    OP(OP_SCHED, R(SCHEDOP_poll), R(1), PORT(PC_VICTIM_USED, 0), R(0));
    for (i = 0; i < PROG_NR_EDGES; i++)
        OP(OP_SCHED, R(SCHEDOP_poll), R(1), PORT(PC_EDGE, i), R(0));
    OP(OP_SCHED, R(SCHEDOP_poll), R(SCHED_POLL_MAX_PORTS), PORT(PC_OWN_USED, 0), R(0));
    OP(OP_SCHED, R(SCHEDOP_poll), R(SCHED_POLL_MAX_PORTS + 1u), PORT(PC_OWN_USED, 0), R(0));
    OP(OP_SCHED, R(SCHEDOP_poll), R(0xFFFFFFFFu), PORT(PC_OWN_USED, 0), R(0));
    for (i = 1; i < 4; i++)
        opx(OP_SCHED, 0, (uint8_t)i, 0, R(SCHEDOP_poll), R(1), PORT(PC_OWN_USED, 0), R(0));
    emit();

    seed("trap-table-pointers", "set_trap_table with the list straddling the window, at the hypervisor boundary, and NULL (clears every entry) (TRAP-1, TRAP-8)");
    for (i = 1; i < 4; i++)
        opx(OP_TRAP_CHECK, 0, (uint8_t)i, 0, TBL(1), R(0xC0001000u), R(0x80u), NA);
    emit();

    seed("vcpu-op", "vcpu_op on vCPU 1 and 2^32-1, every command Xen has and Bulkhead's count, periods at and past the bounds, singleshot deadlines past with and without VCPU_SSHOTTMR_future, arguments unreadable, send_nmi with an argument (TIME-5, NMI-2)");
    OP(OP_VCPU, R(VCPUOP_is_up), R(1), NA, NA);
    OP(OP_VCPU, R(VCPUOP_is_up), R(0xFFFFFFFFu), NA, NA);
    for (i = 0; i <= VCPUOP_register_vcpu_time_phys_area + 1u; i++)
        opx(OP_VCPU, 0, 3, 0, R(i), R(0), R(0), R(0));
    OP(OP_VCPU, R(VCPUOP_bulkhead_entry_count), R(0), NA, NA);
    OP(OP_VCPU, R(VCPUOP_get_runstate_info), R(0), NA, R(12345ull << 32));
    OP(OP_VCPU, R(VCPUOP_set_periodic_timer), R(0), R(999999u), NA);
    OP(OP_VCPU, R(VCPUOP_set_periodic_timer), R(0), R(1000000u), NA);
    OP(OP_VCPU, R(VCPUOP_set_periodic_timer), R(0), R(1ull << 50), NA);
    OP(OP_VCPU, R(VCPUOP_set_periodic_timer), R(0), R((1ull << 50) + 1u), NA);
    OP(OP_VCPU, R(VCPUOP_set_singleshot_timer), R(0), R(0), R(0));
    OP(OP_VCPU, R(VCPUOP_set_singleshot_timer), R(0), R(5), R(VCPU_SSHOTTMR_future));
    OP(OP_VCPU, R(VCPUOP_set_singleshot_timer), R(0), R(2000000000u), R(VCPU_SSHOTTMR_future));
    OP(OP_VCPU, R(VCPUOP_set_singleshot_timer), R(0), R(5), R(0xFFFFFFFEu));
    OP(OP_VCPU, R(VCPUOP_send_nmi), R(0), NA, NA);
    for (i = 1; i < 3; i++) {
        opx(OP_VCPU, 0, (uint8_t)i, 0, R(VCPUOP_get_runstate_info), R(0), NA, NA);
        opx(OP_VCPU, 0, (uint8_t)i, 0, R(VCPUOP_set_periodic_timer), R(0), R(1000000u), NA);
        opx(OP_VCPU, 0, (uint8_t)i, 0, R(VCPUOP_set_singleshot_timer), R(0), R(5), NA);
    }
    emit();

    seed("set-timer-op", "set_timer_op: 0 cancels, past, now, near and 2^50 ns ahead, negative, at the top of time (TIME-4)");
    OP(OP_SET_TIMER, R(0), R(1000000000u), NA, NA);
    OP(OP_SET_TIMER, R(1), R(1000000000u), NA, NA);
    OP(OP_SET_TIMER, R(1000000000u), R(1000000000u), NA, NA);
    OP(OP_SET_TIMER, R(1000000000u + (1ull << 50) - 1u), R(1000000000u), NA, NA);
    OP(OP_SET_TIMER, R(1000000000u + (1ull << 50)), R(1000000000u), NA, NA);
    OP(OP_SET_TIMER, R(0x8000000000000000ull), R(1000000000u), NA, NA);
    OP(OP_SET_TIMER, R(0xFFFFFFFFFFFFFFFFull), R(0), NA, NA);
    OP(OP_SET_TIMER, R(0x7FFFFFFFFFFFFFFFull), R(0x7FFFFFFFFFFFFFF0ull), NA, NA);
    emit();
}

int main(int argc, char **argv)
{
    char path[512];

    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    dir = argv[1];
    snprintf(path, sizeof(path), "%s/README.md", dir);
    readme = fopen(path, "w");
    if (!readme) {
        perror(path);
        return 1;
    }
    fprintf(readme, "# Seed corpus\n\nGenerated by `fuzz/gen_corpus.c` (`make fuzz-corpus`); "
                    "do not edit by hand. One typed hypercall program per file "
                    "(`build/fuzz/replay FILE` prints it).\n\n");
    seeds_mmu();
    seeds_mmuext();
    seeds_uvm();
    seeds_desc();
    seeds_events();
    seeds_cpu();
    seeds_elf();
    seed_boot_layout();
    seeds_attacks();
    seeds_grants();
    seeds_teardown();
    seeds_desc_refused();
    seeds_vcpu_state();
    fclose(readme);
    printf("gen_corpus: %u seeds in %s\n", nr_seeds, dir);
    return 0;
}
