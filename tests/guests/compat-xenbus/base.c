/*
 * What every Xen PV kernel sets up before its first device: shared_info
 * mapped (for the pending bits and the clock), upcalls left masked (this
 * guest polls, SCHEDOP_poll, as Mini-OS does while it blocks), event
 * channels, and its grant table: GNTTABOP_query_size, then
 * GNTTABOP_setup_table for the frames, mapped like any frame of ours.
 * Grant entries are v1 as io/grant_table.h lays them out: the frame and
 * the grantee first, the flags last, so the hypervisor never sees a
 * valid entry with stale contents.
 */
#include "cxb.h"
#include "pv/errno.h"
#include "pv/layout.h"
#include "pv/mmu.h"
#include "pv/sched.h"
#include "pv/shared_info.h"

#define PTE_P_RW_A_D 0x063u

extern char __virt_base[];

static uint8_t si_page[4096] __attribute__((aligned(4096)));
static struct grant_entry_v1 gnttab[GNTTAB_ENTRIES_PER_FRAME_V1] __attribute__((aligned(4096)));
static grant_ref_t next_ref = GNTTAB_NR_RESERVED_ENTRIES;

static volatile struct shared_info *si(void)
{
    return (volatile struct shared_info *)(void *)si_page;
}

static int map_frame(void *va, uint32_t mfn)
{
    uint64_t pte = ((uint64_t)mfn << 12) | PTE_P_RW_A_D;

    return hcall4(__HYPERVISOR_update_va_mapping, GPTR(va), (uint32_t)pte,
                  (uint32_t)(pte >> 32), UVMF_INVLPG);
}

uint32_t cx_mfn(const void *va)
{
    const uint32_t *p2m = (const uint32_t *)(uintptr_t)start_info->mfn_list;

    return p2m[(GPTR(va) - GPTR(__virt_base)) / 4096u];
}

uint32_t cx_m2p(uint32_t mfn)
{
    return ((const volatile uint32_t *)(uintptr_t)MACH2PHYS_VIRT_START)[mfn];
}

static int gnttab_op(uint32_t cmd, void *arg)
{
    return hcall3(__HYPERVISOR_grant_table_op, cmd, GPTR(arg), 1);
}

/* As Linux's gnttab_expand: a second frame, the first one kept. */
static void grant_table_grow(uint32_t first)
{
    struct gnttab_setup_table st;
    struct gnttab_query_size q;
    uint32_t mfns[2] = { 0, 0 };

    memset(&st, 0, sizeof(st));
    st.dom = DOMID_SELF;
    st.nr_frames = 2;
    st.frame_list = GPTR(mfns);
    CHECK_RC("GNT-16 GNTTABOP_setup_table for 2 frames", gnttab_op(GNTTABOP_setup_table, &st), 0);
    CHECK_RC("GNT-16 ... status", st.status, GNTST_okay);
    test_check("GNT-16 ... the first frame stays, a second one is added", mfns[0] == first && mfns[1]);
    memset(&q, 0, sizeof(q));
    q.dom = DOMID_SELF;
    CHECK_RC("GNT-17 GNTTABOP_query_size", gnttab_op(GNTTABOP_query_size, &q), 0);
    CHECK_RC("GNT-17 ... now 2 frames", q.nr_frames, 2);
}

/* As Linux's gnttab_init: how many frames we have and may have, then map them. */
static int grant_table_init(void)
{
    struct gnttab_query_size q;
    struct gnttab_setup_table st;
    uint32_t mfn = 0;
    int rc;

    memset(&q, 0, sizeof(q));
    q.dom = DOMID_SELF;
    rc = gnttab_op(GNTTABOP_query_size, &q);
    CHECK_RC("GNTTABOP_query_size", rc, 0);
    CHECK_RC("GNTTABOP_query_size status", q.status, GNTST_okay);
    test_check("GNTTABOP_query_size: the builder's frame, room for more",
               q.nr_frames >= 1 && q.max_nr_frames >= q.nr_frames);
    memset(&st, 0, sizeof(st));
    st.dom = DOMID_SELF;
    st.nr_frames = 1;
    st.frame_list = GPTR(&mfn);
    rc = gnttab_op(GNTTABOP_setup_table, &st);
    CHECK_RC("GNTTABOP_setup_table", rc, 0);
    CHECK_RC("GNTTABOP_setup_table status", st.status, GNTST_okay);
    if (rc || st.status)
        return -EIO;
    rc = map_frame(gnttab, mfn);
    CHECK_RC("map the grant table frame", rc, 0);
    if (!rc)
        grant_table_grow(mfn);
    return rc;
}

int cx_base_init(void)
{
    int rc = map_frame(si_page, (uint32_t)(start_info->shared_info >> 12));

    CHECK_RC("map shared_info", rc, 0);
    if (rc)
        return rc;
    si()->vcpu_info[0].evtchn_upcall_mask = 1;      /* we poll; no callbacks */
    return grant_table_init();
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* vcpu_time_info: system_time + ((tsc - tsc_timestamp) << shift) * mul >> 32. */
uint64_t cx_now(void)
{
    volatile struct vcpu_time_info *t = &si()->vcpu_info[0].time;
    uint64_t ns;
    uint32_t v;

    do {
        uint64_t d;

        v = t->version;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        d = rdtsc() - t->tsc_timestamp;
        d = t->tsc_shift < 0 ? d >> -t->tsc_shift : d << t->tsc_shift;
        ns = t->system_time + (d >> 32) * t->tsc_to_system_mul +
             (((d & 0xFFFFFFFFu) * t->tsc_to_system_mul) >> 32);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    } while ((v & 1u) || v != t->version);
    return ns;
}

static int evtchn_op(uint32_t cmd, void *arg)
{
    return hcall2(__HYPERVISOR_event_channel_op, cmd, GPTR(arg));
}

int cx_evtchn_alloc(domid_t remote, uint32_t *port)
{
    struct evtchn_alloc_unbound a;
    int rc;

    memset(&a, 0, sizeof(a));
    a.dom = DOMID_SELF;
    a.remote_dom = remote;
    rc = evtchn_op(EVTCHNOP_alloc_unbound, &a);
    *port = rc ? 0 : a.port;
    return rc;
}

int cx_evtchn_close(uint32_t port)
{
    struct evtchn_close c = { port };

    return evtchn_op(EVTCHNOP_close, &c);
}

void cx_notify(uint32_t port)
{
    struct evtchn_send s = { port };

    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    evtchn_op(EVTCHNOP_send, &s);
}

static bool test_and_clear(uint32_t port)
{
    volatile xen_ulong_t *w = &si()->evtchn_pending[port / 32];
    xen_ulong_t bit = 1u << (port % 32);

    return (__atomic_fetch_and(w, ~bit, __ATOMIC_SEQ_CST) & bit) != 0;
}

int cx_wait(uint32_t port, uint64_t deadline)
{
    struct sched_poll p;

    if (test_and_clear(port))
        return 0;
    if (cx_now() >= deadline)
        return -ETIMEDOUT;
    memset(&p, 0, sizeof(p));
    p.ports = GPTR(&port);
    p.nr_ports = 1;
    p.timeout = deadline;
    hcall2(__HYPERVISOR_sched_op, SCHEDOP_poll, GPTR(&p));
    test_and_clear(port);
    return 0;
}

/* A short pause (a peer not yet connected): give the CPU away until the time has passed. */
void cx_sleep_ms(uint32_t ms)
{
    uint64_t end = cx_now() + ms * CXB_NS_PER_MS;

    while (cx_now() < end)
        hcall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
}

grant_ref_t cx_grant_alloc(void)
{
    if (next_ref >= GNTTAB_ENTRIES_PER_FRAME_V1)
        guest_panic("compat-xenbus: out of grant refs");
    return next_ref++;
}

void cx_grant(grant_ref_t ref, domid_t to, uint32_t mfn, bool readonly)
{
    volatile struct grant_entry_v1 *e = &gnttab[ref];

    e->domid = to;
    e->frame = mfn;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* valid only once complete */
    e->flags = (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0u));
}

/* As Linux's gnttab_end_foreign_access_ref: clear the flags only if no one is reading or writing. */
int cx_ungrant(grant_ref_t ref)
{
    uint16_t flags = __atomic_load_n(&gnttab[ref].flags, __ATOMIC_SEQ_CST);

    do {
        if (flags & (GTF_reading | GTF_writing))
            return -EBUSY;
    } while (!__atomic_compare_exchange_n(&gnttab[ref].flags, &flags, 0, false,
                                          __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    return 0;
}

const volatile struct grant_entry_v1 *cx_grant_entry(grant_ref_t ref)
{
    return &gnttab[ref];
}
