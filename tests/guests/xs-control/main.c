/*
 * Control requests through xenstore (spec/devices.md DEV-24, spec/dom0.md
 * DOM0-6). With `cooperate` on its command line the guest watches
 * control/shutdown as a Xen kernel does (control_serve): the request
 * dom0's `shutdown` or `reboot` writes is acknowledged (the node is empty
 * again) and the guest stops with the matching reason. With `ignore` it
 * never looks, so dom0 must give up after its timeout and destroy it.
 * Both first check what the toolstack wrote for them (DEV-20): control/
 * readable but not writable, control/shutdown writable, memory/target and
 * static-max, console/ and its backend (not writable), and that another
 * guest's directory is not readable; and what the builder set up before
 * the guest first ran (DEV-1): grant refs 0 and 1 give dom0 the console
 * and store frames, and both event channels are bound to dom0; and that
 * the command line is the configuration's alone (DEV-2).
 */
#include "control.h"
#include "pv/event_channel.h"
#include "pv/grant_table.h"
#include "pv/mmu.h"
#include "pv/errno.h"
#include "pvtime.h"
#include "test.h"
#include "xenbus.h"

static bool has_word(const char *cmdline, const char *w)
{
    return strstr(cmdline, w) != NULL;
}

static void check_nodes(uint32_t mem_kib)
{
    char v[80], be[96], want[16];

    snprintf(want, sizeof(want), "%u", mem_kib);
    CHECK_RC("memory/target", xenbus_read(0, "memory/target", v, sizeof(v)), (int)strlen(want));
    test_check("memory/target in KiB", !strcmp(v, want));
    CHECK_RC("memory/static-max", xenbus_read(0, "memory/static-max", v, sizeof(v)),
             (int)strlen(want));
    CHECK_RC("platform-feature-xs_reset_watches",
             xenbus_read(0, "control/platform-feature-xs_reset_watches", v, sizeof(v)), 1);
    CHECK_RC("control/ is not ours", xenbus_write(0, "control/other", "x"), -EACCES);
    CHECK_RC("control/shutdown is ours", xenbus_write(0, "control/shutdown", ""), 0);
    CHECK_RC("console/type", xenbus_read(0, "console/type", v, sizeof(v)), 11);
    test_check("console type xenconsoled", !strcmp(v, "xenconsoled"));
    CHECK_RC("console/ring-ref is not ours", xenbus_write(0, "console/ring-ref", "1"), -EACCES);
    test_check("console/backend", xenbus_read(0, "console/backend", v, sizeof(v)) > 0);
    snprintf(be, sizeof(be), "%s/protocol", v);
    test_check("console backend readable", xenbus_read(0, be, v, sizeof(v)) == 5);
    CHECK_RC("another guest's directory", xenbus_read(0, "/local/domain/0/backend", v,
                                                      sizeof(v)), -EACCES);
}

/*
 * Our own grant frame, mapped here as any kernel would (setup_table). An
 * entry dom0 has mapped also carries the hypervisor's GTF_reading and
 * GTF_writing (the console: dom0 maps it through ref 0).
 */
static struct grant_entry_v1 gtab[GNTTAB_ENTRIES_PER_FRAME_V1] __attribute__((aligned(4096)));

static bool grant_to_dom0(uint32_t ref, uint32_t mfn)
{
    const volatile struct grant_entry_v1 *e = &gtab[ref];

    return (e->flags & (GTF_type_mask | GTF_readonly)) == GTF_permit_access && e->domid == 0 &&
           e->frame == mfn;
}

static bool bound_to_dom0(uint32_t port)
{
    struct evtchn_status st;

    memset(&st, 0, sizeof(st));
    st.dom = DOMID_SELF;
    st.port = port;
    return hcall2(__HYPERVISOR_event_channel_op, EVTCHNOP_status, GPTR(&st)) == 0 &&
           st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == 0;
}

/* DEV-1 and DEV-2: the builder's plumbing, as the guest finds it. */
static void check_plumbing(const struct start_info *si, const char *cmd)
{
    struct gnttab_setup_table setup;
    uint32_t mfn = 0;
    uint64_t pte;

    memset(&setup, 0, sizeof(setup));
    setup.dom = DOMID_SELF;
    setup.nr_frames = 1;
    setup.frame_list = GPTR(&mfn);
    CHECK_RC("DEV-1 setup_table", hcall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table,
                                         GPTR(&setup), 1), 0);
    pte = ((uint64_t)mfn << 12) | 0x63u;            /* present, writable, accessed, dirty */
    CHECK_RC("DEV-1 map the grant frame", hcall4(__HYPERVISOR_update_va_mapping, GPTR(gtab),
                                                 (uint32_t)pte, (uint32_t)(pte >> 32),
                                                 UVMF_INVLPG), 0);
    test_check("DEV-1 ref 0 gives dom0 the console frame",
               grant_to_dom0(0, si->console.domU.mfn));
    test_check("DEV-1 ref 1 gives dom0 the store frame", grant_to_dom0(1, si->store_mfn));
    test_check("DEV-1 the console's port is bound to dom0",
               bound_to_dom0(si->console.domU.evtchn));
    test_check("DEV-1 the store's port is bound to dom0", bound_to_dom0(si->store_evtchn));
    test_check("DEV-2 the command line is the configuration's alone",
               !strcmp(cmd, "cooperate") || !strcmp(cmd, "ignore"));
}

int guest_main(struct start_info *si)
{
    const char *cmd = (const char *)si->cmd_line;

    CHECK_RC("open the store", xenbus_open(), 0);
    check_nodes(si->nr_pages * 4u);
    check_plumbing(si, cmd);
    if (test_failures)
        test_finish();
    if (has_word(cmd, "ignore")) {
        gprintf("control: ignoring every request\n");
        for (;;)
            pv_sleep_ns(1000000000ull);
    }
    CHECK_RC("watch control/shutdown", control_watch(), 0);
    gprintf("control: watching\n");
    control_serve(60000000000ull);
    test_check("a request within 60 s", 0);
    test_finish();
}
