/*
 * Hostile guest: attacks on the hypervisor's time (BSA-2026-3; spec
 * hypercalls.md HC-1..HC-7, CON-1..CON-4). Named on the command line
 * (`attack=<name>`); each prints what it is about to do, does it, and
 * reports the hypervisor's answer. The scenario checks the victim kept
 * running meanwhile (its `progress` lines between the attacker's lines).
 *
 *   giant-multicall        one multicall of 64 entries, each an mmu_update
 *                          of 65,536 requests (HC-1, HC-5): before the fix
 *                          it held the CPU for billions of cycles
 *   giant-multicall-small  the same shape, 8 x 8,192, for audit runs
 *   batches-forever        the giant multicall in a loop (make bench)
 *   console-io-flood       one console_io write of 3.9 GB, then 2,000 lines
 *                          (CON-2..CON-4): bounded, dropped, counted
 *   big-teardown           4,000 pinned L1 tables full of mappings, then
 *                          wait to be destroyed by dom0 (HC-7, PT-42)
 *   big-teardown-small     the same with 250 tables, for audit runs
 */
#include "pv/console.h"
#include "pv/errno.h"
#include "pv/grant_table.h"
#include "pv/mmu.h"
#include "pv/multicall.h"
#include "pv/sched.h"
#include "pvtime.h"
#include "attack_table.h"
#include "test.h"

#define GIANT_ENTRIES  64u
#define GIANT_REQS     65536u
#define SMALL_ENTRIES  8u
#define SMALL_REQS     8192u

static struct mmu_update reqs[GIANT_REQS];
static struct multicall_entry calls[GIANT_ENTRIES];
static uint32_t done[GIANT_ENTRIES];

static uint32_t p2m(uint32_t pfn)
{
    return ((const uint32_t *)(uintptr_t)start_info->mfn_list)[pfn];
}

/* ---- HC-1, HC-5: one multicall of long mmu_updates ---------------------- */

/*
 * Plain requests: each re-states the M2P entry of one of our own frames
 * (MMU_MACHPHYS_UPDATE), valid and cheap, so the batch is long only
 * because of its size.
 */
static int32_t multicall_of(uint32_t entries, uint32_t nreqs)
{
    uint32_t pfn = GPTR(reqs) / 4096u, i, bad = 0;
    int32_t rc;

    for (i = 0; i < nreqs; i++) {
        reqs[i].ptr = ((uint64_t)p2m(pfn) << 12) | MMU_MACHPHYS_UPDATE;
        reqs[i].val = pfn;
    }
    for (i = 0; i < entries; i++) {
        calls[i].op = __HYPERVISOR_mmu_update;
        calls[i].result = 0xAAAAAAAAu;
        calls[i].args[0] = GPTR(reqs);
        calls[i].args[1] = nreqs;
        calls[i].args[2] = GPTR(&done[i]);
        calls[i].args[3] = DOMID_SELF;
        done[i] = 0;
    }
    gprintf("ATTACK HC-1: issuing one multicall of %u x %u requests\n", entries, nreqs);
    rc = hcall2(__HYPERVISOR_multicall, GPTR(calls), entries);
    gprintf("ATTACK HC-1: the multicall returned %d\n", rc);
    for (i = 0; i < entries; i++)
        bad += calls[i].result != 0 || done[i] != nreqs;
    CHECK_RC("HC-5 every entry done exactly once, result 0", bad, 0);
    return rc;
}

static int32_t a_giant_multicall(void) { return multicall_of(GIANT_ENTRIES, GIANT_REQS); }

/* For `make bench`: the giant multicall again and again, until destroyed. */
static int32_t a_batches_forever(void)
{
    for (;;)
        if (multicall_of(GIANT_ENTRIES, GIANT_REQS) != 0)
            return -1;
}
static int32_t a_giant_multicall_small(void) { return multicall_of(SMALL_ENTRIES, SMALL_REQS); }

/* ---- CON-2..CON-4: console flood ------------------------------------------ */

static char block[1000];            /* ten lines of 99 F's */

static int32_t a_console_flood(void)
{
    uint32_t i, bad = 0;
    int32_t rc;

    for (i = 0; i < sizeof(block); i++)
        block[i] = i % 100 == 99 ? '\n' : 'F';
    gprintf("ATTACK CON-2: one write of everything below the hypervisor\n");
    /* the old hypervisor read (and busy-waited on) every byte it could */
    rc = hcall3(__HYPERVISOR_console_io, CONSOLEIO_write, 0xF5800000u - GPTR(block),
                GPTR(block));
    CHECK_RC("CON-2 the giant write", rc, 0);
    /* 2,000 lines in 200 calls of ten (few calls: the audit runs after each) */
    for (i = 0; i < 200; i++)
        bad += hcall3(__HYPERVISOR_console_io, CONSOLEIO_write, sizeof(block), GPTR(block)) != 0;
    CHECK_RC("CON-3 2,000 lines", bad, 0);
    /* our own bucket is empty now: let it refill for the report (CON-3) */
    pv_sleep_ns(1500000000ull);
    gprintf("ATTACK CON-3: flood over\n");
    return rc;
}

/* ---- HC-7, PT-42: a domain that takes long to take apart ------------------ */

#define BIG_L1S 4000u
#define SMALL_L1S 250u
#define BATCH 250u

static uint64_t templ[512] __attribute__((aligned(4096)));
static uint8_t target[4096] __attribute__((aligned(4096)));
static struct gnttab_copy copies[BATCH];
static struct mmuext_op pins[BATCH];

/* Frame i of the tables: from the top of our allowance, which nothing maps. */
static uint32_t table_mfn(uint32_t i)
{
    return p2m(start_info->nr_pages - 1u - i);
}

/* BATCH frames from `first` get the template's 512 entries (one grant
 * copy each: the frames are not mapped), then are pinned as L1s. */
static int32_t make_l1s(uint32_t first)
{
    uint32_t i;
    int32_t rc;

    memset(copies, 0, sizeof(copies));
    memset(pins, 0, sizeof(pins));
    for (i = 0; i < BATCH; i++) {
        copies[i].source.u.gmfn = p2m(GPTR(templ) / 4096u);
        copies[i].source.domid = DOMID_SELF;
        copies[i].dest.u.gmfn = table_mfn(first + i);
        copies[i].dest.domid = DOMID_SELF;
        copies[i].len = 4096;
        pins[i].cmd = MMUEXT_PIN_L1_TABLE;
        pins[i].arg1.mfn = table_mfn(first + i);
    }
    rc = hcall3(__HYPERVISOR_grant_table_op, GNTTABOP_copy, GPTR(copies), BATCH);
    for (i = 0; rc == 0 && i < BATCH; i++)
        rc = copies[i].status;
    return rc ? rc : hcall4(__HYPERVISOR_mmuext_op, GPTR(pins), BATCH, 0, DOMID_SELF);
}

static int32_t big_teardown(uint32_t nr_l1s)
{
    uint64_t pte = ((uint64_t)p2m(GPTR(target) / 4096u) << 12) | 0x21u;   /* P | A, read-only */
    uint32_t i;

    if (start_info->nr_pages < nr_l1s + 2048u)
        test_skip("not enough memory for the tables");
    for (i = 0; i < 512; i++)
        templ[i] = pte;
    for (i = 0; i < nr_l1s; i += BATCH) {
        int32_t rc = make_l1s(i);

        if (rc != 0)
            return rc;
    }
    gprintf("ATTACK HC-7: %u pinned L1 tables of 512 mappings each, ready to be destroyed\n",
            nr_l1s);
    for (;;)
        hcall2(__HYPERVISOR_sched_op, SCHEDOP_block, 0);
}

static int32_t a_big_teardown(void) { return big_teardown(BIG_L1S); }
static int32_t a_big_teardown_small(void) { return big_teardown(SMALL_L1S); }

static const struct attack attacks[] = {
    { "giant-multicall", "HC-1", a_giant_multicall, 0 },
    { "giant-multicall-small", "HC-1", a_giant_multicall_small, 0 },
    { "batches-forever", "HC-1", a_batches_forever, 0 },
    { "console-io-flood", "CON-2", a_console_flood, 0 },
    { "big-teardown", "HC-7", a_big_teardown, 0 },
    { "big-teardown-small", "HC-7", a_big_teardown_small, 0 },
};

int guest_main(struct start_info *si)
{
    return attack_run(si, attacks, sizeof(attacks) / sizeof(attacks[0]), NULL);
}
