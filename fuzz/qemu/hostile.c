/*
 * The hostile guest of fuzz layer 2 (fuzz/qemu/README.md): an unprivileged
 * domain that decodes typed hypercall programs (fuzz/program.h) and runs
 * every op as a real hypercall against the real hypervisor, next to a
 * victim domain whose memory the runner watches.
 *
 * Handles resolve against what this guest really owns: a sandbox of
 * frames it sets aside at start (data frames mapped in a window, spare
 * frames for tables it builds and pins, two L1s of its own hooked into
 * its live L2s), its live tables, its ports, the victim's id and guessed
 * frames (from the read-only M2P), hypervisor frames, raw values.
 *
 * The guest must outlive its own programs, or one bad op would end the
 * campaign; a crash of this guest is not a finding. So a few guards keep
 * its vital memory out of reach (the boot-mapped image, stack and tables
 * and the argument window) while still sending every attack on them the
 * hypervisor must refuse:
 *   - entry writes (mmu_update) into its live L3 and L2s only in slots
 *     that map nothing of its own; never into the L1s that map the image;
 *   - no writable mapping of a vital data frame (one of a vital *table*
 *     is sent: the hypervisor must refuse it);
 *   - update_va_mapping and raw writes only at addresses outside the
 *     vital range, and a raw write only after a walk of the tables shows
 *     it does not reach a vital frame;
 *   - NEW_BASEPTR only to an L3 whose slot 0 is its own live low L2 (the
 *     image stays mapped) or to a frame it does not own (must be refused),
 *     and its own L3 is put back after every batch;
 *   - trap table and callbacks are put back right after an op changed them
 *     (the next op may fault), and
 *     %dr7 is cleared after a debug-register write.
 * A guarded op is skipped and counted. After each program a best-effort
 * reset (unpin what it pinned, restore the entries it wrote in known
 * tables, close its ports, drop its LDT and GDT) makes programs mostly
 * independent, so one program usually reproduces a finding alone.
 *
 * Self-checks: a raw access whose walk reaches a frame that is not ours
 * (PT-6), or update_va_mapping accepting a writable mapping of a live
 * table (PT-7), prints "FUZZ-FINDING:" and stops the campaign.
 *
 * Command line: seed=N start=I count=N calls=N corpus=0|1 gen=0|1
 * victim=ID self=ID verbose=0|1 status=N (see fuzz/qemu/run.sh).
 */
#include "fq.h"
#include "guest.h"
#include "pvtime.h"
#include "traps.h"
#include "pv/arch_x86_32.h"
#include "pv/callback.h"
#include "pv/errno.h"
#include "pv/event_channel.h"
#include "pv/grant_table.h"
#include "pv/layout.h"
#include "pv/memory.h"
#include "pv/mmu.h"
#include "pv/sched.h"
#include "pv/shared_info.h"

#define PAGE        4096u
#define L1_SPAN     (2u << 20)
#define NDATA       16u
#define NHIGH       8u
#define NARGS       4u
#define NSPARE      64u
#define NRESERVE    96u         /* replacement sandbox L1s, when one is lost */
#define ARGS_LEN    (NARGS * PAGE)
#define HIGH_VA     0xC0000000u
#define HV_L2_SLOT  ((HYPERVISOR_VIRT_START - HIGH_VA) >> 21)   /* first hypervisor slot */
#define MAX_FRAMES  (1u << 18)  /* frames the bitmaps cover (1 GiB) */
#define MAX_LIST    4096u
#define GDT_FRAMES  14u
#define LIST_OFF    0x100u
#define EVT_OFF     0x200u
#define SKIPPED     (-100000)   /* a guarded op: not sent */

#define E_P   0x001ull
#define E_RW  0x002ull
#define E_PSE 0x080ull
#define E_L1  0x063ull           /* P RW A D: a data page */
#define E_L2  0x067ull           /* P RW US A D: an L1 */
#define MFN_MASK 0x000FFFFFFFFFF000ull

extern const uint8_t fq_pack_start[];
extern const uint32_t fq_pack_len;      /* blob.S: the link computes it */
extern char __virt_base[];

/* ---- options and counters ---------------------------------------------- */

static struct {
    uint64_t seed;
    uint32_t start, count, calls, corpus, gen, victim, self, verbose, status;
} opt = { 1, 0, 100, 0, 1, 1, 1, 2, 0, 500 };

static uint32_t nr_calls, nr_ops, nr_skipped, nr_faults, nr_rebuilds;

static uint32_t arg_num(const char *cmd, const char *key, uint32_t dflt)
{
    const char *p = strstr(cmd, key);
    uint32_t v = 0;

    if (!p || (p != cmd && p[-1] != ' '))
        return dflt;
    p += strlen(key);
    if (*p < '0' || *p > '9')
        return dflt;
    while (*p >= '0' && *p <= '9')
        v = v * 10u + (uint32_t)(*p++ - '0');
    return v;
}

/* Every hostile hypercall goes through here, so the count is exact. */
static int32_t hc(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    nr_calls++;
    return hcall5(nr, a1, a2, a3, a4, a5);
}

__attribute__((noreturn, format(printf, 1, 2)))
static void finding(const char *fmt, ...)
{
    va_list ap;

    gputs("FUZZ-FINDING: ");
    va_start(ap, fmt);
    vgprintf(fmt, ap);
    va_end(ap);
    gprintf("\nfuzz-hostile: stopped programs=%u hypercalls=%u\n", nr_ops, nr_calls);
    guest_shutdown(SHUTDOWN_poweroff);
}

/* ---- faults the guest survives ------------------------------------------ */

static volatile uint32_t fault_resume, fault_vector;
#define NO_FAULT 0xFFFFu

static void on_fault(struct trap_frame *f)
{
    if (fault_resume) {
        fault_vector = f->vector;
        f->eip = fault_resume;
        fault_resume = 0;
        return;
    }
    if (f->vector == 1)                 /* a stray debug trap: carry on */
        return;
    guest_panic("fuzz-hostile: own fault %u at %08x (error %x)", f->vector, f->eip, f->error);
}

/* One access that may fault; returns the vector or NO_FAULT. */
static uint32_t try_store(uint32_t va, uint64_t v, uint32_t width)
{
    uint32_t lo = (uint32_t)v, hi = (uint32_t)(v >> 32);

    fault_vector = NO_FAULT;
    switch (width) {
    case 1:
        __asm__ volatile("movl $1f, %0\n\tmovb %b1, (%2)\n1:" : "=m"(fault_resume)
                         : "q"(lo), "r"(va) : "memory");
        break;
    case 2:
        __asm__ volatile("movl $1f, %0\n\tmovw %w1, (%2)\n1:" : "=m"(fault_resume)
                         : "r"(lo), "r"(va) : "memory");
        break;
    case 4:
        __asm__ volatile("movl $1f, %0\n\tmovl %1, (%2)\n1:" : "=m"(fault_resume)
                         : "r"(lo), "r"(va) : "memory");
        break;
    default:
        __asm__ volatile("movl $1f, %0\n\tmovl %1, (%3)\n\tmovl %2, 4(%3)\n1:"
                         : "=m"(fault_resume) : "r"(lo), "r"(hi), "r"(va) : "memory");
        break;
    }
    fault_resume = 0;
    return fault_vector;
}

static uint32_t try_load(uint32_t va)
{
    uint32_t v = 0;

    fault_vector = NO_FAULT;
    __asm__ volatile("movl $1f, %0\n\tmovl (%2), %1\n1:" : "=m"(fault_resume), "+r"(v)
                     : "r"(va) : "memory");
    fault_resume = 0;
    return fault_vector;
}

/* ---- the world: what this guest owns and where ---------------------------- */

static struct {
    const uint32_t *p2m;
    uint32_t nr_pages, v_end, data_va, args_va, walk_va, scratch_va;
    uint32_t l3, l2[4], nr_boot_l1, boot_l1[8];
    uint32_t data_l1, high_l1, args_l1, desc_mfn, shared_mfn, max_mfn;
    uint32_t data[NDATA], high[NHIGH], args[NARGS], spare[NSPARE];
    uint32_t reserve[NRESERVE], nr_reserve;
    uint32_t foreign[MAX_LIST], nr_foreign, invalid[MAX_LIST], nr_invalid;
    uint32_t gnt_va, gnt_mfn;           /* its grant table's first frame, mapped RW */
} W;

static uint32_t own_map[MAX_FRAMES / 32], vital_map[MAX_FRAMES / 32];

static bool bit(const uint32_t *m, uint64_t mfn)
{
    return mfn < MAX_FRAMES && (m[mfn / 32] >> (mfn % 32)) & 1u;
}

static void set_bit(uint32_t *m, uint32_t mfn)
{
    if (mfn < MAX_FRAMES)
        m[mfn / 32] |= 1u << (mfn % 32);
}

static uint32_t pfn_mfn(uint32_t pfn) { return W.p2m[pfn]; }
static uint32_t va_mfn(uint32_t va) { return pfn_mfn((va - GPTR(__virt_base)) / PAGE); }
static uint32_t e_mfn(uint64_t e) { return (uint32_t)((e & MFN_MASK) >> 12); }

/* The boot tables are mapped read-only in the boot region, in this order. */
static uint64_t boot_entry(uint32_t index, uint32_t slot)
{
    return ((const volatile uint64_t *)(uintptr_t)(start_info->pt_base + index * PAGE))[slot];
}

static bool live_table(uint32_t mfn)
{
    uint32_t i;

    if (mfn == W.l3 || mfn == W.args_l1)
        return true;
    for (i = 0; i < 4; i++)
        if (mfn == W.l2[i])
            return true;
    for (i = 0; i < W.nr_boot_l1; i++)
        if (mfn == W.boot_l1[i])
            return true;
    return false;
}

/* ---- housekeeping hypercalls (not counted) ------------------------------- */

static int32_t hk_mmu(uint32_t mfn, uint32_t slot, uint64_t val)
{
    static struct mmu_update u;

    u.ptr = ((uint64_t)mfn << 12) + slot * 8u;
    u.val = val;
    return hcall4(__HYPERVISOR_mmu_update, GPTR(&u), 1, 0, DOMID_SELF);
}

static int32_t hk_ext(uint32_t cmd, uint32_t arg1, uint32_t arg2)
{
    static struct mmuext_op op;

    op.cmd = cmd;
    op.arg1.mfn = arg1;
    op.arg2.nr_ents = arg2;
    return hcall4(__HYPERVISOR_mmuext_op, GPTR(&op), 1, 0, DOMID_SELF);
}

static int32_t hk_uvm(uint32_t va, uint64_t pte)
{
    return hcall4(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte, (uint32_t)(pte >> 32),
                  UVMF_INVLPG);
}

/* Read entry `slot` of our table frame `mfn` through the walk window. */
static int read_entry(uint32_t mfn, uint32_t slot, uint64_t *e)
{
    uint32_t i;

    for (i = 0; i < 4; i++)
        if (mfn == W.l2[i]) {
            *e = boot_entry(1 + i, slot);
            return 0;
        }
    if (mfn == W.l3) {
        *e = boot_entry(0, slot % 4u);
        return 0;
    }
    if (!bit(own_map, mfn) || hk_uvm(W.walk_va, ((uint64_t)mfn << 12) | E_P | 0x20u))
        return -1;
    *e = ((const volatile uint64_t *)(uintptr_t)W.walk_va)[slot];
    return 0;
}

/*
 * What a data access at `va` reaches, walked in our own live tables:
 * 0 and the frame, 1 when the access must fault (not present, or no RW
 * for a write), -1 when the walk cannot tell (then the op is skipped).
 */
static int walk(uint32_t va, bool write, uint32_t *leaf)
{
    uint64_t l3e, l2e, l1e;

    if (va >= HYPERVISOR_VIRT_START)
        return 1;
    l3e = boot_entry(0, va >> 30);
    if (!(l3e & E_P))
        return 1;
    if (read_entry(e_mfn(l3e), (va >> 21) & 511u, &l2e))
        return -1;
    if (!(l2e & E_P))
        return 1;
    if (l2e & E_PSE)
        return -1;
    if (read_entry(e_mfn(l2e), (va >> 12) & 511u, &l1e))
        return -1;
    if (!(l1e & E_P) || (write && !(l1e & l2e & E_RW)))
        return 1;
    *leaf = e_mfn(l1e);
    return 0;
}

/* ---- the sandbox -------------------------------------------------------- */

static uint32_t next_pfn;

static uint32_t take_frame(void)
{
    if (next_pfn >= W.nr_pages)
        guest_panic("fuzz-hostile: memory too small for the sandbox");
    return pfn_mfn(next_pfn++);
}

static void zero_frame(uint32_t mfn)
{
    if (hk_uvm(W.scratch_va, ((uint64_t)mfn << 12) | E_L1))
        guest_panic("fuzz-hostile: cannot map sandbox frame %u", mfn);
    memset((void *)(uintptr_t)W.scratch_va, 0, PAGE);
}

/* An L1 mapping `frames` from slot 0, hooked at `slot` of L2 `l2`. */
static int build_l1(uint32_t l1, const uint32_t *frames, uint32_t n, uint32_t l2, uint32_t slot)
{
    uint32_t i;
    int rc = hk_ext(MMUEXT_PIN_L1_TABLE, l1, 0);

    for (i = 0; rc == 0 && i < n; i++)
        rc = hk_mmu(l1, i, ((uint64_t)frames[i] << 12) | E_L1);
    if (rc == 0)
        rc = hk_mmu(l2, slot, ((uint64_t)l1 << 12) | E_L2);
    hk_ext(MMUEXT_UNPIN_TABLE, l1, 0);      /* the L2's reference keeps it typed */
    return rc;
}

/* A sandbox L1 was lost to a program (retyped, or it holds junk): use a
 * fresh zeroed frame from the reserve. */
static void rebuild_l1(uint32_t *l1, const uint32_t *frames, uint32_t n, uint32_t l2,
                       uint32_t slot)
{
    while (W.nr_reserve) {
        uint32_t f = W.reserve[--W.nr_reserve];

        zero_frame(f);
        hk_uvm(W.scratch_va, ((uint64_t)pfn_mfn((W.scratch_va - GPTR(__virt_base)) / PAGE) << 12) | E_L1);
        nr_rebuilds++;
        if (build_l1(f, frames, n, l2, slot) == 0) {
            *l1 = f;
            return;
        }
    }
}

static void find_layout(void)
{
    uint32_t i, slot;

    W.p2m = (const uint32_t *)(uintptr_t)start_info->mfn_list;
    W.nr_pages = start_info->nr_pages;
    W.l3 = va_mfn(start_info->pt_base);
    for (i = 0; i < 4; i++)
        W.l2[i] = e_mfn(boot_entry(0, i));
    for (slot = 0; slot < 512 && (boot_entry(1, slot) & E_P); slot++)
        if (slot < 8)
            W.boot_l1[W.nr_boot_l1++] = e_mfn(boot_entry(1, slot));
    W.v_end = slot * L1_SPAN;
    W.data_va = W.v_end;
    W.args_va = W.v_end + L1_SPAN;
    W.walk_va = W.args_va + (NARGS + 2) * PAGE;
    /* the first padding page after the boot stack: mapped, never used */
    W.scratch_va = start_info->pt_base + (start_info->nr_pt_frames + 1) * PAGE;
    W.shared_mfn = start_info->shared_info >> 12;
    W.max_mfn = (uint32_t)hcall2(__HYPERVISOR_memory_op, XENMEM_maximum_ram_page, 0);
    if (W.nr_boot_l1 > 8 || W.v_end + 2 * L1_SPAN > 0x40000000u)
        guest_panic("fuzz-hostile: unexpected boot layout");
}

static void mark_frames(void)
{
    const volatile uint32_t *m2p = (const volatile uint32_t *)MACH2PHYS_VIRT_START;
    uint32_t pfn, mfn;

    for (pfn = 0; pfn < W.nr_pages; pfn++) {
        set_bit(own_map, pfn_mfn(pfn));
        if (pfn < W.v_end / PAGE)
            set_bit(vital_map, pfn_mfn(pfn));
    }
    /* Guessed foreign frames: not ours, and the M2P names a pseudo-physical
     * frame (dom0's or the victim's); the rest is the hypervisor's or free. */
    for (mfn = 0; mfn <= W.max_mfn && mfn < MAX_FRAMES; mfn++) {
        uint32_t pfn_of = m2p[mfn];

        if (bit(own_map, mfn))
            continue;
        if (pfn_of < 0x100000u && W.nr_foreign < MAX_LIST)
            W.foreign[W.nr_foreign++] = mfn;
        else if (pfn_of >= 0x100000u && W.nr_invalid < MAX_LIST)
            W.invalid[W.nr_invalid++] = mfn;
    }
}

static void build_sandbox(void)
{
    uint32_t i, scratch_mfn = va_mfn(W.scratch_va);

    next_pfn = W.v_end / PAGE;
    W.data_l1 = take_frame();
    W.high_l1 = take_frame();
    W.args_l1 = take_frame();
    W.desc_mfn = take_frame();
    for (i = 0; i < NDATA; i++)
        W.data[i] = take_frame();
    for (i = 0; i < NHIGH; i++)
        W.high[i] = take_frame();
    for (i = 0; i < NARGS; i++)
        W.args[i] = take_frame();
    for (i = 0; i < NSPARE; i++)
        W.spare[i] = take_frame();
    for (i = 0; i < NRESERVE && next_pfn < W.nr_pages; i++)
        W.reserve[W.nr_reserve++] = take_frame();
    /* frames may hold a previous owner's bytes only if the scrub is broken;
     * tables must start empty either way */
    for (i = W.v_end / PAGE; i < next_pfn; i++)
        zero_frame(pfn_mfn(i));
    hk_uvm(W.scratch_va, ((uint64_t)scratch_mfn << 12) | E_L1);
    set_bit(vital_map, W.args_l1);
    for (i = 0; i < NARGS; i++)
        set_bit(vital_map, W.args[i]);
    if (build_l1(W.data_l1, W.data, NDATA, W.l2[0], W.data_va >> 21) ||
        build_l1(W.high_l1, W.high, NHIGH, W.l2[3], 0) ||
        build_l1(W.args_l1, W.args, NARGS, W.l2[0], W.args_va >> 21))
        guest_panic("fuzz-hostile: cannot build the sandbox tables");
}

/* ---- handles ------------------------------------------------------------ */

static uint32_t pinned[64], nr_pinned;      /* pin targets of this program */

static uint32_t pick(const uint32_t *list, uint32_t n, uint32_t index)
{
    return n ? list[index % n] : 0xFFFFFFFFu;
}

static uint32_t tables(uint32_t index, bool pinned_only)
{
    uint32_t list[16 + 64], n = 0, i;

    list[n++] = W.l3;
    if (!pinned_only) {
        list[n++] = W.data_l1;
        list[n++] = W.high_l1;
        list[n++] = W.l2[0];
        list[n++] = W.l2[3];
        for (i = 0; i < W.nr_boot_l1; i++)
            list[n++] = W.boot_l1[i];
    }
    for (i = 0; i < nr_pinned; i++)
        list[n++] = pinned[i];
    return list[index % n];
}

static uint32_t not_ram(uint32_t index)
{
    switch (index % 4u) {
    case 0:
        return 0xA0u + (index / 4u) % 0x60u;       /* the legacy VGA and ROM hole */
    case 1:
        return W.max_mfn + 1u + index / 4u;
    case 2:
        return 0xFFFFFu;
    default:
        return 0xFFFFFFFFu;
    }
}

static uint32_t frame_of(unsigned c, uint32_t index)
{
    switch (c) {
    case FC_OWN_DATA:   return W.data[index % NDATA];
    case FC_OWN_SPARE:  return W.spare[index % NSPARE];
    case FC_OWN_L1:     return index % 2u ? W.high_l1 : W.data_l1;
    case FC_OWN_L2:     return index % 2u ? W.l2[3] : W.l2[0];
    case FC_OWN_L3:     return W.l3;
    case FC_OWN_SHARED: return W.shared_mfn;
    case FC_OWN_TABLE:  return tables(index, false);
    case FC_OWN_PINNED: return tables(index, true);
    case FC_OWN_ANY:    return pfn_mfn(index % W.nr_pages);
    case FC_VICTIM:     return pick(W.foreign, W.nr_foreign, index);
    case FC_OTHER:      return pick(W.foreign, W.nr_foreign, index + W.nr_foreign / 2u);
    case FC_BUILDER:    return pick(W.foreign, W.nr_foreign, index * 7u + 3u);
    case FC_XEN:        return index % 2u ? 0x100u + (index / 2u) % 0x400u : (index / 2u) % 0x100u;
    case FC_FREE:       return pick(W.invalid, W.nr_invalid, index);
    case FC_NOT_RAM:    return not_ram(index);
    default:            return W.l3;                /* FC_CR3: always put back */
    }
}

static uint32_t res_frame(const struct prog_arg *a, uint32_t delta)
{
    if (!prog_arg_is_handle(T_FRAME, a))
        return (uint32_t)a->value + delta;
    return frame_of(prog_arg_class(T_FRAME, a), (uint32_t)(a->value & 0xFFFFu) + delta);
}

static uint64_t res_ptr(const struct prog_arg *a, uint32_t cmd)
{
    if (!prog_arg_is_handle(T_PTR, a))
        return a->value;
    return ((uint64_t)frame_of(prog_arg_class(T_PTR, a), (uint32_t)(a->value & 0xFFFFu)) << 12) +
           (uint32_t)((a->value >> 16) % 512u) * 8u + cmd;
}

static uint64_t res_pte(const struct prog_arg *a)
{
    if (!prog_arg_is_handle(T_PTE, a))
        return a->value;
    return ((uint64_t)frame_of(prog_arg_class(T_PTE, a), (uint32_t)(a->value & 0xFFFFu)) << 12) |
           ((a->value >> 16) & 0xFFFu) | (a->value & 0xFFF0000000000000ull);
}

static uint32_t res_va(const struct prog_arg *a)
{
    uint32_t idx = (uint32_t)(a->value & 0xFFFFu), off = (uint32_t)((a->value >> 16) & 0xFFFu);

    if (!prog_arg_is_handle(T_VA, a))
        return (uint32_t)a->value;
    switch (prog_arg_class(T_VA, a)) {
    case VC_DATA:
        return W.data_va + (idx % 512u) * PAGE + off;
    case VC_HIGH:
        return HIGH_VA + (idx % 512u) * PAGE + off;
    case VC_L3SLOT:
        return (idx % 4u) << 30 | ((idx >> 2) % 512u) << 21 | ((idx >> 11) % 32u) << 12 | off;
    case VC_EDGE:
        return prog_va_edges[idx % PROG_NR_EDGES];
    default:
        return W.args_va + (idx % NARGS) * PAGE + off;
    }
}

static uint32_t res_domid(const struct prog_arg *a)
{
    if (!prog_arg_is_handle(T_DOMID, a))
        return (uint32_t)a->value;
    switch (prog_arg_class(T_DOMID, a)) {
    case DC_SELF:      return DOMID_SELF;
    case DC_OWN:
    case DC_ATTACKER:  return opt.self;
    case DC_VICTIM:    return opt.victim;
    case DC_DOM0:      return 0;
    case DC_BUILDER:   return opt.self + 1u;        /* nobody is being built */
    case DC_NO_DOMAIN: return 4000;
    case DC_XEN:       return DOMID_XEN;
    case DC_IO:        return DOMID_IO;
    case DC_INVALID:   return DOMID_INVALID;
    case DC_PFD_OWN:   return (opt.self + 1u) << 16 | DOMID_SELF;
    default:           return 0xFFFFFFFFu;
    }
}

static uint32_t learned[64], nr_learned;
static bool learned_overflow;

static uint32_t res_port(const struct prog_arg *a)
{
    uint32_t idx = (uint32_t)(a->value & 0xFFFFu);

    if (!prog_arg_is_handle(T_PORT, a))
        return (uint32_t)a->value;
    switch (prog_arg_class(T_PORT, a)) {
    case PC_LEARNED:
    case PC_OWN_USED:
        return nr_learned ? learned[idx % nr_learned] : 1u + idx % 8u;
    case PC_VICTIM_USED:
        return 1u + idx % 8u;                       /* guessed: low ports */
    default:
        return prog_port_edges[idx % PROG_NR_EDGES];
    }
}

static void learn_port(uint32_t port)
{
    if (nr_learned < 64)
        learned[nr_learned++] = port;
    else
        learned_overflow = true;
}

static uint32_t res_u32(const struct prog_arg *a)
{
    if (!prog_arg_is_handle(T_U32, a))
        return (uint32_t)a->value;
    return prog_u32s[(a->value & 0xFFFFu) % PROG_NR_U32S];
}

static uint16_t res_sel(const struct prog_arg *a)
{
    if (!prog_arg_is_handle(T_SEL, a))
        return (uint16_t)a->value;
    return prog_sels[(a->value & 0xFFFFu) % PROG_NR_SELS];
}

static uint64_t res_desc(const struct prog_arg *a)
{
    if (!prog_arg_is_handle(T_DESC, a))
        return a->value;
    return prog_descs[(a->value & 0xFFFFu) % PROG_NR_DESCS];
}

static uint32_t res_uvmf(const struct prog_arg *a)
{
    if (!prog_arg_is_handle(T_UVMF, a))
        return (uint32_t)a->value;
    return prog_uvmfs[(a->value & 0xFFFFu) % PROG_NR_UVMFS];
}

/* ---- guards ------------------------------------------------------------- */

/* May an entry write at machine address `ptr` (command bits ignored) go? */
static bool ptr_ok(uint64_t ptr)
{
    uint64_t mfn = ptr >> 12;
    uint32_t slot = (uint32_t)(ptr & 0xFFFu) >> 3;

    if (!bit(vital_map, mfn))
        return true;
    if (mfn == W.l3)
        return slot == 1 || slot == 2;
    if (mfn == W.l2[0])
        return slot >= (W.v_end >> 21) && slot != (W.args_va >> 21);
    return mfn == W.l2[1] || mfn == W.l2[2] || mfn == W.l2[3];
}

/* A writable mapping of a vital data frame would let a program corrupt us;
 * one of a live table is an attack the hypervisor must refuse. */
static bool val_ok(uint64_t val)
{
    uint32_t mfn = e_mfn(val);

    if ((val & (E_P | E_RW)) != (E_P | E_RW) || !bit(vital_map, mfn))
        return true;
    return live_table(mfn);
}

static bool va_ok(uint32_t va)
{
    return va >= W.v_end && va - W.args_va >= L1_SPAN;
}

/* ---- the reset after a program ------------------------------------------ */

struct undo { uint32_t mfn, slot; };
static uint32_t gnt_dirty[16], nr_gnt_dirty;    /* its grant entries a program wrote */
static struct undo undos[256];
static uint32_t nr_undos;
static bool did_ldt, did_gdt;

static bool known_table(uint32_t mfn)
{
    return mfn == W.data_l1 || mfn == W.high_l1 || mfn == W.l3 || mfn == W.l2[0] ||
           mfn == W.l2[1] || mfn == W.l2[2] || mfn == W.l2[3];
}

static void note_write(uint64_t ptr)
{
    uint32_t mfn = (uint32_t)(ptr >> 12), i;

    if ((ptr >> 44) || !known_table(mfn))
        return;
    for (i = 0; i < nr_undos; i++)
        if (undos[i].mfn == mfn && undos[i].slot == ((uint32_t)ptr & 0xFFFu) >> 3)
            return;
    if (nr_undos < 256)
        undos[nr_undos++] = (struct undo){ mfn, ((uint32_t)ptr & 0xFFFu) >> 3 };
}

static void note_pin(uint32_t mfn)
{
    uint32_t i;

    for (i = 0; i < nr_pinned; i++)
        if (pinned[i] == mfn)
            return;
    if (nr_pinned < 64)
        pinned[nr_pinned++] = mfn;
}

/* The entry a known table held at start; false for slots never restored. */
static bool original(uint32_t mfn, uint32_t slot, uint64_t *e)
{
    *e = 0;
    if (mfn == W.data_l1) {
        if (slot < NDATA)
            *e = ((uint64_t)W.data[slot] << 12) | E_L1;
    } else if (mfn == W.high_l1) {
        if (slot < NHIGH)
            *e = ((uint64_t)W.high[slot] << 12) | E_L1;
    } else if (mfn == W.l3) {
        *e = ((uint64_t)W.l2[slot % 4u] << 12) | E_P;
    } else if (mfn == W.l2[0]) {
        if (slot == (W.data_va >> 21))
            *e = ((uint64_t)W.data_l1 << 12) | E_L2;
    } else if (mfn == W.l2[3]) {
        if (slot >= HV_L2_SLOT)
            return false;
        if (slot == 0)
            *e = ((uint64_t)W.high_l1 << 12) | E_L2;
    }
    return true;
}

/* Level of a known table: L3 entries first, then L2, then L1, so a
 * restored upper entry never points at a lower table still in flux. */
static uint32_t level(uint32_t mfn)
{
    return mfn == W.l3 ? 0 : (mfn == W.data_l1 || mfn == W.high_l1) ? 2 : 1;
}

static void restore_level(uint32_t lv)
{
    uint32_t i;

    for (i = 0; i < nr_undos; i++) {
        uint64_t e;

        if (level(undos[i].mfn) != lv || !original(undos[i].mfn, undos[i].slot, &e))
            continue;
        if (hk_mmu(undos[i].mfn, undos[i].slot, e) == 0)
            continue;
        /* A hook of a sandbox L1 that no longer validates: replace the L1. */
        if (undos[i].mfn == W.l2[0] && undos[i].slot == (W.data_va >> 21))
            rebuild_l1(&W.data_l1, W.data, NDATA, W.l2[0], undos[i].slot);
        else if (undos[i].mfn == W.l2[3] && undos[i].slot == 0)
            rebuild_l1(&W.high_l1, W.high, NHIGH, W.l2[3], 0);
    }
}

static void reset_program(void)
{
    uint32_t i;

    while (nr_pinned)
        hk_ext(MMUEXT_UNPIN_TABLE, pinned[--nr_pinned], 0);
    hk_ext(MMUEXT_PIN_L3_TABLE, W.l3, 0);        /* a program may have unpinned it */
    restore_level(0);
    restore_level(1);
    restore_level(2);
    nr_undos = 0;
    for (i = 0; i < nr_learned; i++) {
        struct evtchn_close c = { learned[i] };

        hcall2(__HYPERVISOR_event_channel_op, EVTCHNOP_close, GPTR(&c));
    }
    nr_learned = 0;
    if (learned_overflow) {
        for (uint32_t p = 1; p < 1024; p++) {
            struct evtchn_close c = { p };

            hcall2(__HYPERVISOR_event_channel_op, EVTCHNOP_close, GPTR(&c));
        }
        learned_overflow = false;
    }
    while (nr_gnt_dirty)
        try_store(W.gnt_va + gnt_dirty[--nr_gnt_dirty] * 8u, 0, 8);
    if (did_ldt)
        hk_ext(MMUEXT_SET_LDT, 0, 0);
    if (did_gdt)
        hcall2(__HYPERVISOR_set_gdt, W.args_va, 0);
    did_ldt = did_gdt = false;
}

/* ---- the argument window ------------------------------------------------ */

static uint32_t dirty_lo = ARGS_LEN, dirty_hi;

static uint32_t args_put(uint32_t off, const void *p, uint32_t len)
{
    if (off < ARGS_LEN && len <= ARGS_LEN - off) {
        memcpy((void *)(uintptr_t)(W.args_va + off), p, len);
        if (off < dirty_lo)
            dirty_lo = off;
        if (off + len > dirty_hi)
            dirty_hi = off + len;
    }
    return W.args_va + off;
}

/* Window, straddling its end (the page after it is unmapped), the
 * hypervisor boundary, NULL: as the in-process executor places them. */
static uint32_t args_place(uint32_t mode, uint32_t off, const void *p, uint32_t len)
{
    switch (mode % 4u) {
    case 0:
        return args_put(off, p, len);
    case 1: {
        uint32_t at = len + 8u <= ARGS_LEN ? ARGS_LEN + 8u - len : 0;

        if (at + len > ARGS_LEN)
            args_put(at, p, ARGS_LEN - at);
        return W.args_va + at;
    }
    case 2:
        return HYPERVISOR_VIRT_START - 8u;
    default:
        return 0;
    }
}

/* The window reads as zeros outside what an op put there (a count past
 * the list reads zero entries, as in-process). */
static void args_clean(void)
{
    if (dirty_hi > dirty_lo)
        memset((void *)(uintptr_t)(W.args_va + dirty_lo), 0, dirty_hi - dirty_lo);
    dirty_lo = ARGS_LEN;
    dirty_hi = 0;
}

/* ---- the operations ----------------------------------------------------- */

static uint32_t batch_count(const struct prog_op *op, uint32_t n)
{
    if (op->count == 0)
        return n;
    if (op->count < 0xF0u)
        return n + op->count;
    return prog_u32s[op->count - 0xF0u];
}

static uint32_t done_ptr(uint32_t aux)
{
    switch ((aux >> 2) % 4u) {
    case 0:  return 0;
    case 1:  return W.args_va;
    case 2:  return HYPERVISOR_VIRT_START;
    default: return W.args_va + ARGS_LEN - 2u;
    }
}

static int32_t exec_mmu(const struct prog_op *ops, uint32_t n)
{
    static struct mmu_update reqs[PROG_MAX_OPS];
    uint32_t i, k = 0, cnt;

    for (i = 0; i < n; i++) {
        uint8_t o = ops[i].op;
        uint32_t cmd = o == OP_MMU_MACHPHYS ? MMU_MACHPHYS_UPDATE :
                       o == OP_MMU_PRESERVE_AD ? MMU_PT_UPDATE_PRESERVE_AD : MMU_NORMAL_PT_UPDATE;
        uint64_t ptr = res_ptr(&ops[i].a[0], cmd);
        uint64_t val = o == OP_MMU_MACHPHYS ? res_u32(&ops[i].a[1]) : res_pte(&ops[i].a[1]);
        bool entry = (ptr & 7u) != MMU_MACHPHYS_UPDATE;

        if (entry && (!ptr_ok(ptr) || !val_ok(val))) {
            nr_skipped++;
            continue;
        }
        if (entry)
            note_write(ptr);
        reqs[k].ptr = ptr;
        reqs[k].val = val;
        k++;
    }
    if (!k)
        return SKIPPED;
    cnt = batch_count(&ops[0], n);
    if (cnt > n)                        /* extra entries read zeros, as in-process */
        cnt = cnt - n + k;
    else if (cnt == n)
        cnt = k;
    return hc(__HYPERVISOR_mmu_update, args_place(ops[0].aux, LIST_OFF, reqs, k * 16u), cnt,
              done_ptr(ops[0].aux), res_domid(&ops[0].a[2]), 0);
}

/* May NEW_BASEPTR name `mfn`? Our own frames only when slot 0 keeps our
 * image mapped; a frame we do not own must be refused anyway. */
static bool baseptr_ok(uint32_t mfn)
{
    uint64_t e;

    if (mfn == W.l3 || !bit(own_map, mfn))
        return true;
    return read_entry(mfn, 0, &e) == 0 && e_mfn(e) == W.l2[0] && (e & E_P);
}

static bool ext_args(const struct prog_op *op, struct mmuext_op *e)
{
    memset(e, 0, sizeof(*e));
    switch (op->op) {
    case OP_EXT_TLB_FLUSH_LOCAL:
    case OP_EXT_TLB_FLUSH_ALL:
        e->cmd = op->op == OP_EXT_TLB_FLUSH_ALL ? MMUEXT_TLB_FLUSH_ALL : MMUEXT_TLB_FLUSH_LOCAL;
        break;
    case OP_EXT_TLB_FLUSH_MULTI:
        e->cmd = MMUEXT_TLB_FLUSH_MULTI;
        e->arg2.vcpumask = res_va(&op->a[1]);
        break;
    case OP_EXT_INVLPG_LOCAL:
    case OP_EXT_INVLPG_MULTI:
    case OP_EXT_INVLPG_ALL:
        e->cmd = op->op == OP_EXT_INVLPG_LOCAL ? MMUEXT_INVLPG_LOCAL :
                 op->op == OP_EXT_INVLPG_MULTI ? MMUEXT_INVLPG_MULTI : MMUEXT_INVLPG_ALL;
        e->arg1.linear_addr = res_va(&op->a[0]);
        e->arg2.vcpumask = res_va(&op->a[1]);
        break;
    case OP_EXT_SET_LDT:
        e->cmd = MMUEXT_SET_LDT;
        e->arg1.linear_addr = res_va(&op->a[0]);
        e->arg2.nr_ents = res_u32(&op->a[1]);
        break;
    case OP_EXT_RAW:
        e->cmd = res_u32(&op->a[0]);
        e->arg1.mfn = (uint32_t)op->a[1].value;
        e->arg2.nr_ents = (uint32_t)op->a[3].value;
        break;
    default:
        e->cmd = op->op == OP_EXT_UNPIN ? MMUEXT_UNPIN_TABLE :
                 op->op == OP_EXT_NEW_BASEPTR ? MMUEXT_NEW_BASEPTR :
                 MMUEXT_PIN_L1_TABLE + (uint32_t)(op->op - OP_EXT_PIN_L1);
        e->arg1.mfn = res_frame(&op->a[0], 0);
        break;
    }
    if (e->cmd == MMUEXT_NEW_BASEPTR && !baseptr_ok(e->arg1.mfn))
        return false;
    if (e->cmd <= MMUEXT_PIN_L3_TABLE)
        note_pin(e->arg1.mfn);
    if (e->cmd == MMUEXT_SET_LDT)
        did_ldt = true;
    return true;
}

static int32_t exec_mmuext(const struct prog_op *ops, uint32_t n)
{
    static struct mmuext_op list[PROG_MAX_OPS];
    uint32_t i, k = 0, cnt;
    bool baseptr = false;
    int32_t rc;

    for (i = 0; i < n; i++) {
        if (!ext_args(&ops[i], &list[k])) {
            nr_skipped++;
            continue;
        }
        baseptr |= list[k].cmd == MMUEXT_NEW_BASEPTR;
        k++;
    }
    if (!k)
        return SKIPPED;
    cnt = batch_count(&ops[0], n);
    cnt = cnt > n ? cnt - n + k : cnt == n ? k : cnt;
    rc = hc(__HYPERVISOR_mmuext_op, args_place(ops[0].aux, LIST_OFF, list, k * 12u), cnt,
            done_ptr(ops[0].aux), res_domid(&ops[0].a[2]), 0);
    if (baseptr && hk_ext(MMUEXT_NEW_BASEPTR, W.l3, 0))
        guest_panic("fuzz-hostile: cannot return to its own L3");
    return rc;
}

static int32_t exec_uvm(const struct prog_op *op)
{
    uint32_t va = res_va(&op->a[0]), flags = res_uvmf(&op->a[2]);
    uint64_t pte = res_pte(&op->a[1]);
    int32_t rc;

    if (!va_ok(va) || !val_ok(pte)) {
        nr_skipped++;
        return SKIPPED;
    }
    if (va - W.data_va < L1_SPAN)
        note_write(((uint64_t)W.data_l1 << 12) + ((va - W.data_va) >> 12) * 8u);
    else if (va - HIGH_VA < L1_SPAN)
        note_write(((uint64_t)W.high_l1 << 12) + ((va - HIGH_VA) >> 12) * 8u);
    if (op->op == OP_UVM)
        rc = hc(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte, (uint32_t)(pte >> 32), flags, 0);
    else
        rc = hc(__HYPERVISOR_update_va_mapping_otherdomain, va, (uint32_t)pte,
                (uint32_t)(pte >> 32), flags, res_domid(&op->a[3]));
    if (rc == 0 && (pte & (E_P | E_RW)) == (E_P | E_RW) && live_table(e_mfn(pte)))
        finding("PT-7: update_va_mapping(%08x) accepted a writable mapping of live table %u",
                va, e_mfn(pte));
    return rc;
}

static int32_t exec_set_gdt(const struct prog_op *op)
{
    uint32_t mfns[GDT_FRAMES], i;

    for (i = 0; i < GDT_FRAMES; i++)
        mfns[i] = i == 1 ? res_frame(&op->a[2], 0) : res_frame(&op->a[0], i);
    did_gdt = true;
    return hc(__HYPERVISOR_set_gdt, args_place(op->aux % 2u ? 2u : 0u, LIST_OFF, mfns, sizeof(mfns)),
              res_u32(&op->a[1]), 0, 0, 0);
}

static int32_t update_desc(uint64_t maddr, uint64_t desc)
{
    /* the hypervisor stores descriptors into data frames too: not ours */
    if (bit(vital_map, maddr >> 12)) {
        nr_skipped++;
        return SKIPPED;
    }
    return hc(__HYPERVISOR_update_descriptor, (uint32_t)maddr, (uint32_t)(maddr >> 32),
              (uint32_t)desc, (uint32_t)(desc >> 32), 0);
}

/* Touch LDT page `page` through %fs: the hypervisor maps it lazily. */
static int32_t exec_ldt_fault(const struct prog_op *op)
{
    uint32_t page = res_u32(&op->a[0]);
    uint32_t sel = ((page % 16u) * 512u) << 3 | 4u | 1u;

    fault_vector = NO_FAULT;
    __asm__ volatile("movl $1f, %0\n\tmovw %w1, %%fs\n1:" : "=m"(fault_resume) : "r"(sel) : "memory");
    fault_resume = 0;
    __asm__ volatile("movw %w0, %%fs" : : "r"(0u));
    nr_calls++;                         /* the fault is a hypervisor entry */
    return fault_vector == NO_FAULT ? 0 : -(int32_t)fault_vector;
}

union evt_args {
    struct evtchn_bind_interdomain bind_interdomain;
    struct evtchn_bind_virq bind_virq;
    struct evtchn_close close;
    struct evtchn_send send;
    struct evtchn_status status;
    struct evtchn_alloc_unbound alloc_unbound;
    struct evtchn_bind_ipi bind_ipi;
    struct evtchn_bind_vcpu bind_vcpu;
    struct evtchn_unmask unmask;
    uint8_t raw[24];
};

static uint32_t evt_build(const struct prog_op *op, union evt_args *a)
{
    memset(a, 0, sizeof(*a));
    switch (op->op) {
    case OP_EVT_ALLOC_UNBOUND:
        a->alloc_unbound.dom = (domid_t)res_domid(&op->a[0]);
        a->alloc_unbound.remote_dom = (domid_t)res_domid(&op->a[1]);
        return EVTCHNOP_alloc_unbound;
    case OP_EVT_BIND_INTERDOMAIN:
        a->bind_interdomain.remote_dom = (domid_t)res_domid(&op->a[0]);
        a->bind_interdomain.remote_port = res_port(&op->a[1]);
        return EVTCHNOP_bind_interdomain;
    case OP_EVT_BIND_VIRQ:
        a->bind_virq.virq = res_u32(&op->a[0]);
        a->bind_virq.vcpu = res_u32(&op->a[1]);
        return EVTCHNOP_bind_virq;
    case OP_EVT_BIND_IPI:
        a->bind_ipi.vcpu = res_u32(&op->a[0]);
        return EVTCHNOP_bind_ipi;
    case OP_EVT_SEND:
        a->send.port = res_port(&op->a[0]);
        return EVTCHNOP_send;
    case OP_EVT_CLOSE:
        a->close.port = res_port(&op->a[0]);
        return EVTCHNOP_close;
    case OP_EVT_STATUS:
        a->status.dom = (domid_t)res_domid(&op->a[0]);
        a->status.port = res_port(&op->a[1]);
        return EVTCHNOP_status;
    case OP_EVT_UNMASK:
        a->unmask.port = res_port(&op->a[0]);
        return EVTCHNOP_unmask;
    case OP_EVT_BIND_VCPU:
        a->bind_vcpu.port = res_port(&op->a[0]);
        a->bind_vcpu.vcpu = res_u32(&op->a[1]);
        return EVTCHNOP_bind_vcpu;
    default: {
        uint64_t v[3] = { op->a[1].value, op->a[2].value, op->a[3].value };

        memcpy(a->raw, v, sizeof(a->raw));
        return res_u32(&op->a[0]);
    }
    }
}

static uint32_t returned_port(uint32_t cmd, const union evt_args *a)
{
    switch (cmd) {
    case EVTCHNOP_alloc_unbound:    return a->alloc_unbound.port;
    case EVTCHNOP_bind_interdomain: return a->bind_interdomain.local_port;
    case EVTCHNOP_bind_virq:        return a->bind_virq.port;
    case EVTCHNOP_bind_ipi:         return a->bind_ipi.port;
    default:                        return 0;
    }
}

static int32_t exec_evt(const struct prog_op *op)
{
    uint32_t reps = 1u + op->count, r;
    int32_t rc = 0;

    for (r = 0; r < reps; r++) {
        union evt_args a;
        uint32_t cmd = evt_build(op, &a), at = args_place(op->aux, EVT_OFF, &a, sizeof(a));

        rc = hc(__HYPERVISOR_event_channel_op, cmd, at, 0, 0, 0);
        if (rc == 0 && op->aux % 4u == 0) {
            memcpy(&a, (const void *)(uintptr_t)at, sizeof(a));
            if (returned_port(cmd, &a))
                learn_port(returned_port(cmd, &a));
        }
    }
    return rc;
}

extern char fuzz_failsafe[];
__asm__(".text\n fuzz_failsafe:\n ud2\n");

/* Our trap table and event callback back (NULL clears every vector first). */
static void restore_traps(void)
{
    hcall1(__HYPERVISOR_set_trap_table, 0);
    if (traps_init())
        guest_panic("fuzz-hostile: cannot restore the trap table");
}

/* set_trap_table with one entry, then ours back at once. */
static int32_t exec_trap(const struct prog_op *op)
{
    struct trap_info ti[2];
    int32_t rc;

    memset(ti, 0, sizeof(ti));
    ti[0].vector = (uint8_t)op->a[2].value;
    ti[0].flags = (uint8_t)(op->a[2].value >> 8);
    ti[0].cs = res_sel(&op->a[0]);
    ti[0].address = res_u32(&op->a[1]);
    rc = hc(__HYPERVISOR_set_trap_table, args_put(EVT_OFF, ti, sizeof(ti)), 0, 0, 0, 0);
    restore_traps();                    /* before the next op can fault */
    return rc;
}

static int32_t exec_callback(const struct prog_op *op)
{
    struct callback_register reg;
    int32_t rc;

    memset(&reg, 0, sizeof(reg));
    reg.type = (uint16_t)res_u32(&op->a[0]);
    reg.flags = (uint16_t)res_u32(&op->a[3]);
    reg.address.cs = prog_arg_is_handle(T_SEL, &op->a[1]) ? res_sel(&op->a[1])
                                                          : (uint32_t)op->a[1].value;
    reg.address.eip = res_u32(&op->a[2]);
    rc = hc(__HYPERVISOR_callback_op, CALLBACKOP_register, args_put(EVT_OFF, &reg, sizeof(reg)),
            0, 0, 0);
    if (rc == 0 && reg.type == CALLBACKTYPE_failsafe) {
        /* ours: a failsafe entry is a crash of this guest, never a finding */
        struct callback_register fs = { CALLBACKTYPE_failsafe, 0, { FLAT_RING1_CS, GPTR(fuzz_failsafe) } };

        hcall2(__HYPERVISOR_callback_op, CALLBACKOP_register, GPTR(&fs));
    } else if (rc == 0 && reg.type == CALLBACKTYPE_nmi) {
        struct callback_unregister un = { CALLBACKTYPE_nmi, 0 };

        hcall2(__HYPERVISOR_callback_op, CALLBACKOP_unregister, GPTR(&un));
    }
    restore_traps();                    /* the event callback comes back with traps_init */
    return rc;
}

/* mov to %drN from ring 1: the hypervisor emulates it (EMUL rules). */
static int32_t exec_dr(const struct prog_op *op)
{
    uint32_t reg = res_u32(&op->a[0]), v = res_u32(&op->a[1]);

    fault_vector = NO_FAULT;
    switch (reg) {
#define MOV_DR(n) case n: __asm__ volatile("movl $1f, %0\n\tmovl %1, %%db" #n "\n1:" \
                                          : "=m"(fault_resume) : "r"(v) : "memory"); break;
    MOV_DR(0) MOV_DR(1) MOV_DR(2) MOV_DR(3) MOV_DR(6) MOV_DR(7)
#undef MOV_DR
    default:
        nr_skipped++;
        return SKIPPED;
    }
    fault_resume = 0;
    nr_calls++;
    /* breakpoints on our own code would trap forever: disarm them */
    __asm__ volatile("movl $1f, %0\n\tmovl %1, %%db7\n1:" : "=m"(fault_resume) : "r"(0u) : "memory");
    fault_resume = 0;
    return fault_vector == NO_FAULT ? 0 : -(int32_t)fault_vector;
}

/*
 * emulate: one privileged instruction executed in ring 1, so the
 * hypervisor's #GP/#UD path decodes and emulates it (spec/emulation.md).
 * Only instructions that cannot move control or write our memory: IN/OUT,
 * CLI/STI, CLTS, WBINVD, RDTSC, CPUID (plain and the forced form),
 * RDMSR/WRMSR, MOV to/from CR and DR (register forms; no CR3 write, which
 * would leave our address space), INS/OUTS (refused, EMUL-16; ESI/EDI
 * point at a sandbox page), INT n to vectors our table handles. Not HLT
 * (nothing would wake us). The blob: a0, a1 the instruction bytes, a2
 * EAX and ECX, a3 bits 0..31 EDX; the bytes run up to the allowed
 * instruction's length, then RET.
 */
static uint8_t emul_stub[32] __attribute__((aligned(32)));
static uint32_t emul_saved_esp;

/* Length of an allowed instruction at b (after at most one prefix), 0 if not allowed. */
static uint32_t emul_allowed(const uint8_t *b)
{
    static const uint8_t forced[7] = { 0x0F, 0x0B, 0x78, 0x65, 0x6E, 0x0F, 0xA2 };
    uint32_t p = 0, i;

    if (b[0] == 0x66 || b[0] == 0xF3 || b[0] == 0x26 || b[0] == 0x2E || b[0] == 0x36 ||
        b[0] == 0x3E || b[0] == 0x64 || b[0] == 0x65)
        p = 1;
    switch (b[p]) {
    case 0xE4: case 0xE5: case 0xE6: case 0xE7:
        return p + 2;
    case 0xEC: case 0xED: case 0xEE: case 0xEF: case 0xFA: case 0xFB:
    case 0x6C: case 0x6D: case 0x6E: case 0x6F: case 0xCC: case 0xCE:
        return p + 1;
    case 0xCD:
        /* our table's vectors; never 0x80 (the direct system-call gate)
         * or 0x82 (a hypercall with random registers) */
        return b[p + 1] < 0x14 || b[p + 1] == 0x20 || b[p + 1] == 0x40 || b[p + 1] == 0x41 ||
               b[p + 1] == 0x81 ? p + 2 : 0;
    case 0x0F:
        break;
    default:
        return 0;
    }
    switch (b[p + 1]) {
    case 0x06: case 0x09: case 0x30: case 0x31: case 0x32: case 0xA2:
        return p + 2;
    case 0x0B:
        for (i = 0; i < 7; i++)
            if (b[p + i] != forced[i])
                return 0;
        return p + 7;
    case 0x20: case 0x21: case 0x22: case 0x23:
        /* register forms only, never %esp or %ebp (our stack), never a
         * CR3 write */
        if ((b[p + 2] & 0xC0) != 0xC0 || (b[p + 2] & 7u) == 4 || (b[p + 2] & 7u) == 5)
            return 0;
        return b[p + 1] == 0x22 && ((b[p + 2] >> 3) & 7u) == 3 ? 0 : p + 3;
    default:
        return 0;
    }
}

static int32_t exec_emul(const struct prog_op *op)
{
    uint8_t insn[18];
    uint32_t len, i, eax = (uint32_t)op->a[2].value, ecx = (uint32_t)(op->a[2].value >> 32);
    uint32_t edx = (uint32_t)op->a[3].value, esi = W.data_va, edi = W.data_va + 2048u;
    uint32_t stub = GPTR(emul_stub);

    for (i = 0; i < 16; i++)
        insn[i] = (uint8_t)(op->a[i / 8].value >> (8 * (i % 8)));
    insn[16] = insn[17] = 0;
    len = emul_allowed(insn);
    if (!len) {
        nr_skipped++;
        return SKIPPED;
    }
    if (insn[0] == 0xF3 && ecx > 16)
        ecx = 16;                       /* a REP INS/OUTS stays in its page */
    for (i = 0; i < len; i++)
        emul_stub[i] = insn[i];
    emul_stub[len] = 0xC3;              /* ret */
    fault_vector = NO_FAULT;
    __asm__ volatile("movl %%esp, %[sv]\n\t"
                     "movl $1f, %[fr]\n\t"
                     "call *%[stub]\n"
                     "1:\n\t"
                     "movl %[sv], %%esp"
                     : [fr] "=m"(fault_resume), [sv] "=m"(emul_saved_esp), "+a"(eax), "+c"(ecx),
                       "+d"(edx), "+S"(esi), "+D"(edi), [stub] "+b"(stub)   /* CPUID writes %ebx */
                     :
                     : "memory", "cc");
    fault_resume = 0;
    nr_calls++;                         /* the fault is the hypervisor entry */
    /* CLI/STI changed our upcall mask and a DR write may arm breakpoints */
    pv_shared_info()->vcpu_info[0].evtchn_upcall_mask = 1;
    __asm__ volatile("movl $1f, %0\n\tmovl %1, %%db7\n1:" : "=m"(fault_resume) : "r"(0u) : "memory");
    fault_resume = 0;
    return fault_vector == NO_FAULT ? 0 : -(int32_t)fault_vector;
}

/*
 * grant_table_op, as the in-process executor builds it (fuzz/exec_gnt.c):
 * the first structure from the op, `count` zeroed ones after it, `aux`
 * bits 0..1 the pointer mode. An unprivileged domain's host mappings are
 * refused (GNT-19), so what it really does is set up and query tables,
 * copy between its own frames and grants, and write its own entries. A
 * copy's local destination frame, and the frame its own entries grant,
 * are never a vital one (the hypervisor would write our image).
 */
#define GNT_OFF 0x400u
#define GNT_LIST_OFF 0x3000u
#define GNT_MAX_BATCH 64u

static uint32_t res_gref(const struct prog_arg *a)
{
    uint32_t idx = (uint32_t)(a->value & 0xFFFFu);

    if (!prog_arg_is_handle(T_GREF, a))
        return (uint32_t)a->value;
    return prog_arg_class(T_GREF, a) == GR_EDGE ? prog_gref_edges[idx % PROG_NR_EDGES] : idx;
}

static uint32_t res_ghandle(const struct prog_arg *a)
{
    uint32_t idx = (uint32_t)(a->value & 0xFFFFu);

    if (!prog_arg_is_handle(T_GHANDLE, a))
        return (uint32_t)a->value;
    /* no map of an unprivileged domain succeeds: nothing to learn */
    return prog_arg_class(T_GHANDLE, a) == GH_EDGE ? prog_ghandle_edges[idx % PROG_NR_EDGES] : idx;
}

static int32_t gnt_call(uint32_t cmd, const void *first, uint32_t size, uint32_t count,
                        uint32_t mode)
{
    static uint8_t buf[32 * GNT_MAX_BATCH];
    uint32_t n = count < GNT_MAX_BATCH ? count : GNT_MAX_BATCH;

    memset(buf, 0, size * n);
    memcpy(buf, first, size);
    return hc(__HYPERVISOR_grant_table_op, cmd, args_place(mode, GNT_OFF, buf, size * n), count,
              0, 0);
}

static int32_t gnt_status(int32_t rc, uint32_t mode, uint32_t status_off)
{
    int16_t st;

    if (rc || mode % 4u)
        return rc;
    memcpy(&st, (const void *)(uintptr_t)(W.args_va + GNT_OFF + status_off), sizeof(st));
    return st;
}

static int32_t exec_gnt(const struct prog_op *op)
{
    uint32_t count = 1u + op->count, mode = op->aux;

    switch (op->op) {
    case OP_GNT_SETUP: {
        struct gnttab_setup_table t;

        memset(&t, 0, sizeof(t));
        t.dom = (domid_t)res_domid(&op->a[0]);
        t.nr_frames = res_u32(&op->a[1]);
        t.frame_list = (op->aux & 4u) ? 0 : W.args_va + GNT_LIST_OFF;
        t.status = 1;
        return gnt_status(gnt_call(GNTTABOP_setup_table, &t, sizeof(t), count, mode), mode,
                          (uint32_t)((uintptr_t)&t.status - (uintptr_t)&t));
    }
    case OP_GNT_QUERY: {
        struct gnttab_query_size q;

        memset(&q, 0, sizeof(q));
        q.dom = (domid_t)res_domid(&op->a[0]);
        q.status = 1;
        return gnt_status(gnt_call(GNTTABOP_query_size, &q, sizeof(q), count, mode), mode,
                          (uint32_t)((uintptr_t)&q.status - (uintptr_t)&q));
    }
    case OP_GNT_MAP: {
        struct gnttab_map_grant_ref m;

        memset(&m, 0, sizeof(m));
        m.flags = op->aux >> 2;
        m.dom = (domid_t)res_domid(&op->a[0]);
        m.ref = res_gref(&op->a[1]);
        if (m.flags & GNTMAP_contains_pte) {
            m.host_addr = res_ptr(&op->a[3], 0) +
                          (prog_arg_is_handle(T_PTR, &op->a[3]) ? (op->a[3].value >> 25) & 7u : 0);
            if (!ptr_ok(m.host_addr))
                break;
        } else {
            m.host_addr = res_va(&op->a[2]);
            if (!va_ok((uint32_t)m.host_addr))
                break;
        }
        m.status = 1;
        return gnt_status(gnt_call(GNTTABOP_map_grant_ref, &m, sizeof(m), count, mode), mode,
                          (uint32_t)((uintptr_t)&m.status - (uintptr_t)&m));
    }
    case OP_GNT_UNMAP: {
        struct gnttab_unmap_grant_ref u;

        memset(&u, 0, sizeof(u));
        u.handle = res_ghandle(&op->a[0]);
        u.host_addr = (op->aux & 4u) ? res_ptr(&op->a[2], 0) : res_va(&op->a[1]);
        u.dev_bus_addr = op->a[3].value;
        u.status = 1;
        return gnt_status(gnt_call(GNTTABOP_unmap_grant_ref, &u, sizeof(u), count, mode), mode,
                          (uint32_t)((uintptr_t)&u.status - (uintptr_t)&u));
    }
    case OP_GNT_COPY: {
        struct gnttab_copy c;
        bool sref = op->aux & 4u, dref = op->aux & 8u;

        memset(&c, 0, sizeof(c));
        c.source.domid = (domid_t)res_domid(&op->a[0]);
        c.source.offset = (uint16_t)((op->a[1].value >> 16) & 0x1FFFu);
        c.source.u.ref = sref ? res_gref(&op->a[1]) :
                         prog_arg_is_handle(T_GREF, &op->a[1]) ?
                         W.data[(op->a[1].value & 0xFFFFu) % NDATA] : (uint32_t)op->a[1].value;
        c.dest.domid = (domid_t)res_domid(&op->a[2]);
        c.dest.offset = (uint16_t)((op->a[3].value >> 16) & 0x1FFFu);
        c.dest.u.ref = dref ? res_gref(&op->a[3]) :
                       prog_arg_is_handle(T_GREF, &op->a[3]) ?
                       W.data[(op->a[3].value & 0xFFFFu) % NDATA] : (uint32_t)op->a[3].value;
        if (!dref && bit(vital_map, c.dest.u.gmfn))
            break;
        c.len = (uint16_t)((op->a[1].value >> 32) & 0x1FFFu);
        c.flags = (uint16_t)((sref ? GNTCOPY_source_gref : 0) | (dref ? GNTCOPY_dest_gref : 0));
        c.status = 1;
        return gnt_status(gnt_call(GNTTABOP_copy, &c, sizeof(c), count, mode), mode,
                          (uint32_t)((uintptr_t)&c.status - (uintptr_t)&c));
    }
    case OP_GNT_ENTRY: {
        uint32_t ref = res_gref(&op->a[0]), frame = res_frame(&op->a[3], 0);
        uint64_t e;

        if (!W.gnt_va || ref >= PAGE / 8u || bit(vital_map, frame))
            break;
        e = (uint64_t)(uint16_t)op->a[1].value | (uint64_t)(uint16_t)res_domid(&op->a[2]) << 16 |
            (uint64_t)frame << 32;
        if (nr_gnt_dirty < 16)
            gnt_dirty[nr_gnt_dirty++] = ref;
        return try_store(W.gnt_va + ref * 8u, e, 8) == NO_FAULT ? 0 : -EFAULT;
    }
    default: {
        uint64_t raw[4] = { op->a[2].value, op->a[3].value, 0, 0 };

        return hc(__HYPERVISOR_grant_table_op, res_u32(&op->a[0]),
                  args_place(mode, GNT_OFF, raw, sizeof(raw)), res_u32(&op->a[1]), 0, 0);
    }
    }
    nr_skipped++;
    return SKIPPED;
}

/* Its grant table's first frame, mapped at a page of the argument L1. */
static void map_grant_table(void)
{
    struct gnttab_setup_table t;
    uint32_t frame = 0;

    memset(&t, 0, sizeof(t));
    t.dom = DOMID_SELF;
    t.nr_frames = 1;
    t.frame_list = GPTR(&frame);
    if (hcall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, GPTR(&t), 1) || t.status ||
        !frame)
        return;
    W.gnt_va = W.args_va + (NARGS + 3) * PAGE;
    if (hk_uvm(W.gnt_va, ((uint64_t)frame << 12) | E_L1)) {
        W.gnt_va = 0;
        return;
    }
    W.gnt_mfn = frame;
}

static void check_leaf(uint32_t va, uint32_t leaf)
{
    if (!bit(own_map, leaf) && leaf != W.shared_mfn && leaf != W.gnt_mfn)
        finding("PT-6: va %08x reaches frame %u, which is not ours", va, leaf);
}

static int32_t exec_raw(const struct prog_op *op)
{
    static const uint32_t widths[4] = { 1, 2, 4, 8 };
    uint32_t va = res_va(&op->a[0]), w = widths[op->aux % 4u], leaf = 0;
    bool write = op->op == OP_RAW_WRITE;
    int how;

    va &= ~(w - 1u);
    /* QEMU's TCG does not enforce segment limits, so above the limit of
     * every guest segment (DESC-7) a ring-1 access would reach the
     * hypervisor's supervisor mappings, which hardware and Bochs stop with
     * #GP; that rule is the seg-limit scenarios' (under Bochs), not ours */
    if (va > GUEST_SEGMENT_MAX_ADDR - w || (write && !va_ok(va))) {
        nr_skipped++;
        return SKIPPED;
    }
    how = walk(va, write, &leaf);
    if (how < 0 || (how == 0 && write && bit(vital_map, leaf))) {
        nr_skipped++;
        return SKIPPED;
    }
    if (how == 0)
        check_leaf(va, leaf);
    if ((write ? try_store(va, res_pte(&op->a[1]), w) : try_load(va)) != NO_FAULT) {
        nr_faults++;
        return -EFAULT;
    }
    return 0;
}

static int32_t run_op(const struct prog_op *op, uint32_t n)
{
    switch (prog_family(op->op)) {
    case 1:
        return exec_mmu(op, n);
    case 2:
        return exec_mmuext(op, n);
    default:
        break;
    }
    switch (op->op) {
    case OP_UVM:
    case OP_UVM_OTHER:
        return exec_uvm(op);
    case OP_SET_GDT:
        return exec_set_gdt(op);
    case OP_UPDATE_DESC:
        return update_desc(res_ptr(&op->a[0], 0), res_desc(&op->a[1]));
    case OP_DESC_CHECK:                 /* the real check is update_descriptor's */
        return update_desc(((uint64_t)W.desc_mfn << 12) + (op->aux % 512u) * 8u,
                           res_desc(&op->a[0]));
    case OP_LDT_FAULT:
        return exec_ldt_fault(op);
    case OP_TRAP_CHECK:
        return exec_trap(op);
    case OP_CALLBACK:
        return exec_callback(op);
    case OP_DR_WRITE:
        return exec_dr(op);
    case OP_EMUL:
        return exec_emul(op);
    case OP_RAW_WRITE:
    case OP_RAW_READ:
        return exec_raw(op);
    case OP_EVT_RAISE_VIRQ:             /* the hypervisor's own act, not a guest's */
        break;
    case OP_GNT_SETUP:
    case OP_GNT_QUERY:
    case OP_GNT_MAP:
    case OP_GNT_UNMAP:
    case OP_GNT_COPY:
    case OP_GNT_ENTRY:
    case OP_GNT_RAW:
        return exec_gnt(op);
    default:
        if (op->op >= OP_EVT_ALLOC_UNBOUND && op->op <= OP_EVT_RAW)
            return exec_evt(op);
        break;                          /* pure decoders, dom0's environment */
    }
    nr_skipped++;
    return SKIPPED;
}

/* ---- programs ----------------------------------------------------------- */

static void put_console(void *ctx, const char *s)
{
    (void)ctx;
    gputs(s);
}

static struct fq_pack pack;
static struct program prog;
static uint8_t bytes[PROG_MAX_BYTES];

static void run_program(void)
{
    uint32_t i = 0;

    while (i < prog.nr_ops) {
        uint32_t n = 1;
        int32_t rc;

        while (i + n < prog.nr_ops && prog_joins_previous(&prog, i + n))
            n++;
        if (opt.verbose)
            for (uint32_t k = 0; k < n; k++)
                prog_print_op(&prog.ops[i + k], i + k, k > 0, put_console, 0);
        rc = run_op(&prog.ops[i], n);
        args_clean();
        if (opt.verbose && rc == SKIPPED)
            gprintf("        -> not sent (guarded or not a guest op)\n");
        else if (opt.verbose)
            gprintf("        -> %d\n", rc);
        i += n;
    }
}

int guest_main(struct start_info *si)
{
    uint32_t index, end, nr_pack, ms;
    uint64_t t0;

    opt.seed = arg_num(si->cmd_line, "seed=", 1);
    opt.start = arg_num(si->cmd_line, "start=", 0);
    opt.count = arg_num(si->cmd_line, "count=", 100);
    opt.calls = arg_num(si->cmd_line, "calls=", 0);
    opt.corpus = arg_num(si->cmd_line, "corpus=", 1);
    opt.gen = arg_num(si->cmd_line, "gen=", 1);
    opt.victim = arg_num(si->cmd_line, "victim=", 1);
    opt.self = arg_num(si->cmd_line, "self=", 2);
    opt.verbose = arg_num(si->cmd_line, "verbose=", 0);
    opt.status = arg_num(si->cmd_line, "status=", 500);

    if (traps_init())
        guest_panic("fuzz-hostile: traps_init failed");
    for (index = 0; index < 20; index++)
        traps_set_handler(index, on_fault);
    /* the software-interrupt vectors an emulate op may reach */
    traps_set_handler(0x20, on_fault);
    traps_set_handler(0x40, on_fault);
    traps_set_handler(0x41, on_fault);
    traps_set_handler(0x81, on_fault);
    pv_shared_info()->vcpu_info[0].evtchn_upcall_mask = 1;  /* no upcalls needed */
    find_layout();
    mark_frames();
    build_sandbox();
    map_grant_table();
    nr_pack = fq_pack_open(&pack, fq_pack_start, fq_pack_len);
    gprintf("fuzz-hostile: seed=%u start=%u count=%u pack=%u sandbox at %08x, %u foreign "
            "frames guessed\n", (uint32_t)opt.seed, opt.start, opt.count, nr_pack, W.data_va,
            W.nr_foreign);

    t0 = pv_time_ns();
    end = opt.start + opt.count;
    for (index = opt.start; index < end; index++) {
        uint32_t len;

        if (opt.corpus && index < nr_pack) {
            const uint8_t *src = 0;

            len = fq_pack_get(&pack, index, &src);
            memcpy(bytes, src, len < sizeof(bytes) ? len : sizeof(bytes));
        } else if (opt.gen) {
            len = fq_generate(opt.seed, index, &pack, bytes);
        } else {
            break;
        }
        prog_decode(bytes, len, &prog);
        /* the runner's marker: a finding is blamed on the last one printed */
        gprintf("~P%u s%u\n", index, (uint32_t)opt.seed);
        run_program();
        reset_program();
        nr_ops += prog.nr_ops;
        if (opt.status && (index + 1u - opt.start) % opt.status == 0)
            gprintf("fuzz-hostile: status programs=%u hypercalls=%u skipped=%u\n",
                    index + 1u - opt.start, nr_calls, nr_skipped);
        if (opt.calls && nr_calls >= opt.calls) {
            index++;
            break;
        }
    }
    ms = (uint32_t)((pv_time_ns() - t0) / 1000000u);
    gprintf("fuzz-hostile: done programs=%u ops=%u hypercalls=%u skipped=%u faults=%u "
            "rebuilds=%u next=%u ms=%u rate=%u/s\n", index - opt.start, nr_ops, nr_calls,
            nr_skipped, nr_faults, nr_rebuilds, index, ms, ms ? (uint32_t)(nr_calls * 1000ull / ms) : 0);
    return 0;
}
