/*
 * Scenario: memory/target drives ballooning (spec/devices.md DEV-25..DEV-28,
 * spec/dom0.md DOM0-7, DOM0-8).
 *
 * The guest runs the runtime's balloon driver and its control watcher
 * (DEV-24) and serves both until dom0 asks it to power off. After every
 * change of memory/target it reports its reservation as the hypervisor
 * counts it (XENMEM_current_reservation, which must have moved by exactly
 * the frames the driver gave back or took), and checks that it still
 * works: every frame it holds in the bootstrap mapping above its floor is
 * written and read back, the frames it gave back are no longer its own
 * (M2P entry invalid, P2M entry invalid), the frames it took again are
 * named by the M2P at their pfn and were scrubbed, and its own code,
 * stack and store connection still serve. A target that is not a number
 * is ignored; one above the maximum means the maximum (dom0's xl mem-set
 * refuses it, but the node can be written by other means), and the
 * hypervisor then refuses every frame beyond the maximum the last
 * mem-set gave it (DOM0-7). The dom0
 * script (run.script) checks the free-memory figures around each step.
 */
#include "balloon.h"
#include "control.h"
#include "pv/errno.h"
#include "pv/layout.h"
#include "pv/memory.h"
#include "pv/mmu.h"
#include "pv/sched.h"
#include "test.h"
#include "xenbus.h"

#define INVALID  0xFFFFFFFFu
#define PATTERN  0xA5C3E1F0u

extern char __virt_base[];

static int32_t cur0;                    /* reservation when the driver started */
static uint32_t held_before;

static uint32_t *p2m(void) { return (uint32_t *)(uintptr_t)start_info->mfn_list; }
static const uint32_t *m2p(void) { return (const uint32_t *)MACH2PHYS_VIRT_START; }
static volatile uint32_t *word(uint32_t pfn)
{
    return (volatile uint32_t *)(uintptr_t)(GPTR(__virt_base) + pfn * 4096u);
}

static int32_t current_pages(void)
{
    domid_t self = DOMID_SELF;
    return hcall2(__HYPERVISOR_memory_op, XENMEM_current_reservation, GPTR(&self));
}

/* Frames taken again are zero where we never wrote after they came back. */
static void check_taken(uint32_t from, uint32_t to)
{
    uint32_t pfn, dirty = 0;

    for (pfn = from; pfn < to; pfn++) {
        test_check("a frame taken again is named by the M2P", m2p()[p2m()[pfn]] == pfn);
        if (pfn < balloon_mapped_end())
            dirty += word(pfn)[0] != 0 || word(pfn)[1023] != 0;
    }
    CHECK_RC("frames taken again are scrubbed", dirty, 0);
}

/* Every held frame of the pool that is mapped: write, then read back. */
static void check_usable(void)
{
    uint32_t pfn, end = balloon_pages() < balloon_mapped_end() ? balloon_pages()
                                                               : balloon_mapped_end();
    uint32_t bad = 0;

    for (pfn = balloon_floor(); pfn < end; pfn++)
        word(pfn)[0] = word(pfn)[1023] = PATTERN ^ pfn;
    for (pfn = balloon_floor(); pfn < end; pfn++)
        bad += word(pfn)[0] != (PATTERN ^ pfn) || word(pfn)[1023] != (PATTERN ^ pfn);
    CHECK_RC("every held frame reads back what was written", bad, 0);
}

static void check_given_back(uint32_t from, uint32_t to)
{
    uint32_t pfn, stale = 0;

    for (pfn = from; pfn < to; pfn++)
        stale += p2m()[pfn] != INVALID;
    CHECK_RC("given-back pfns have no frame in the P2M", stale, 0);
}

/* After a look at memory/target: report and check what changed. */
static void after_check(int rc)
{
    uint32_t held = balloon_pages();
    int32_t cur = current_pages();

    if (rc == -EINVAL) {
        CHECK_RC("a malformed target changes nothing", held, held_before);
        return;
    }
    if (rc == -EIO) {
        /* DOM0-7: mem-set bound the hypervisor's maximum to the last target */
        domid_t self = DOMID_SELF;
        int32_t max = hcall2(__HYPERVISOR_memory_op, XENMEM_maximum_reservation, GPTR(&self));
        CHECK_RC("DOM0-7 taking more than mem-set allowed is refused: nothing taken", held, held_before);
        CHECK_RC("DOM0-7 ... the reservation is the hypervisor's maximum", cur, max);
        check_usable();
        gprintf("balloon-target: held at the hypervisor's maximum of %d pages\n", max);
        return;
    }
    test_check("the driver held its target", rc >= 0);
    CHECK_RC("the hypervisor counts exactly the frames given back or taken", cur,
             cur0 - (int32_t)(start_info->nr_pages - held));
    if (held == held_before)
        return;
    gprintf("balloon-target: reservation %d pages (%d KiB), holding %u of %u\n", cur, cur * 4,
            held, start_info->nr_pages);
    if (held < held_before)
        check_given_back(held, held_before);
    else
        check_taken(held_before, held);
    check_usable();
    held_before = held;
}

int guest_main(struct start_info *si)
{
    static struct xenbus_msg ev;

    CHECK_RC("open the store", xenbus_open(), 0);
    CHECK_RC("watch memory/target", balloon_init(), 0);
    CHECK_RC("watch control/shutdown", control_watch(), 0);
    /* DOM0-8: bytes meant for the operator's terminal, which xenstore-read must escape */
    CHECK_RC("a node with control bytes", xenbus_write(0, "data/forged", "\x1b[2J\r\nforged\\"), 0);
    cur0 = current_pages();
    held_before = balloon_pages();
    CHECK_RC("the driver starts holding everything", held_before, si->nr_pages);
    test_check("the floor is below the bootstrap mapping's end",
               balloon_floor() < balloon_mapped_end() && balloon_mapped_end() <= si->nr_pages);
    gprintf("balloon-target: %u pages, floor %u, mapped to %u, reservation %d\n", si->nr_pages,
            balloon_floor(), balloon_mapped_end(), cur0);
    if (test_failures)
        test_finish();
    for (;;) {
        int r = control_check();
        if (r == SHUTDOWN_poweroff) {
            gprintf("balloon-target: poweroff requested\n");
            check_usable();
            test_finish();
        }
        after_check(balloon_check());
        if (xenbus_event(&ev, 60000000000ull) == -ETIMEDOUT) {
            test_check("a store event within 60 s", 0);
            test_finish();
        }
    }
}
