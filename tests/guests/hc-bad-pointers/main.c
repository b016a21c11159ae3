/*
 * Scenario: hypercalls given hostile pointers and counts.
 *
 * console_io, xen_version, sched_op, vcpu_op, set_trap_table, callback_op
 * and physdev_op receive NULL-page, unmapped,
 * hypervisor-area, hole-straddling and read-only pointers and huge
 * counts. Each must fail with -EFAULT (or -EINVAL/-ENOSYS where the
 * argument itself is malformed), never fault the hypervisor, and leave it
 * serving the next call. Unknown hypercall numbers answer -ENOSYS.
 */
#include "events.h"
#include "pv/callback.h"
#include "pv/console.h"
#include "pv/errno.h"
#include "pv/mmu.h"
#include "pv/multicall.h"
#include "pv/physdev.h"
#include "pv/sched.h"
#include "pv/vcpu.h"
#include "pv/version.h"
#include "pv/vm_assist.h"
#include "test.h"

#define UNMAPPED   0x30000000u   /* far above this guest's initial mapping */
#define HV_START   0xF5800000u
#define HV_TEXT    0xFF100000u

static const char text_in_rodata[] = "read-only buffer";

/*
 * HC-11's "nothing waiting" case needs an empty serial input: whatever a
 * loaded host's emulator has put on the line is read (into a real buffer)
 * and shown first, so the case tests the pointer, not the line.
 */
static void drain_console_input(void)
{
    static char buf[16];
    int32_t n, i, total = 0;

    while (total < 4096 && (n = hcall3(__HYPERVISOR_console_io, CONSOLEIO_read, sizeof(buf), GPTR(buf))) > 0) {
        for (i = 0; i < n; i++)
            gprintf("hc-bad-pointers: serial input waiting: %02x\n", (uint8_t)buf[i]);
        total += n;
    }
}

static void console_io_pointers(void)
{
    CHECK_RC("write from NULL", hcall3(__HYPERVISOR_console_io, CONSOLEIO_write, 16, 0), -EFAULT);
    CHECK_RC("write from unmapped", hcall3(__HYPERVISOR_console_io, CONSOLEIO_write, 16, UNMAPPED), -EFAULT);
    CHECK_RC("write from M2P", hcall3(__HYPERVISOR_console_io, CONSOLEIO_write, 16, HV_START), -EFAULT);
    CHECK_RC("write from hypervisor text", hcall3(__HYPERVISOR_console_io, CONSOLEIO_write, 16, HV_TEXT), -EFAULT);
    CHECK_RC("write straddling the hole",
             hcall3(__HYPERVISOR_console_io, CONSOLEIO_write, 32, HV_START - 16), -EFAULT);
    CHECK_RC("write with a huge count",
             hcall3(__HYPERVISOR_console_io, CONSOLEIO_write, 0xFFFFFFFFu, GPTR(text_in_rodata)), -EFAULT);
    CHECK_RC("write with a wrapping range",
             hcall3(__HYPERVISOR_console_io, CONSOLEIO_write, 0x100, 0xFFFFFFF0u), -EFAULT);
    CHECK_RC("zero-length write", hcall3(__HYPERVISOR_console_io, CONSOLEIO_write, 0, UNMAPPED), 0);
    CHECK_RC("HC-11 unknown console_io cmd", hcall3(__HYPERVISOR_console_io, 7, 1, GPTR(text_in_rodata)), -ENOSYS);
    drain_console_input();
    CHECK_RC("HC-11 read into unmapped (dom0, nothing waiting)", hcall3(__HYPERVISOR_console_io, CONSOLEIO_read, 16, UNMAPPED), 0);
}

static void xen_version_pointers(void)
{
    static const uint32_t out_cmds[] = {
        XENVER_extraversion, XENVER_compile_info, XENVER_capabilities, XENVER_changeset,
        XENVER_platform_parameters, XENVER_get_features, XENVER_guest_handle, XENVER_commandline,
    };
    unsigned i;

    for (i = 0; i < sizeof(out_cmds) / sizeof(out_cmds[0]); i++) {
        CHECK_RC("xen_version to NULL", hcall2(__HYPERVISOR_xen_version, out_cmds[i], 0), -EFAULT);
        CHECK_RC("xen_version to unmapped", hcall2(__HYPERVISOR_xen_version, out_cmds[i], UNMAPPED), -EFAULT);
        CHECK_RC("xen_version to hypervisor", hcall2(__HYPERVISOR_xen_version, out_cmds[i], HV_TEXT), -EFAULT);
        CHECK_RC("xen_version to its read-only L3", hcall2(__HYPERVISOR_xen_version, out_cmds[i], start_info->pt_base), -EFAULT);
        CHECK_RC("xen_version straddling",
                 hcall2(__HYPERVISOR_xen_version, out_cmds[i], HV_START - 2), -EFAULT);
    }
    CHECK_RC("unknown xen_version cmd", hcall2(__HYPERVISOR_xen_version, 999, 0), -ENOSYS);
    CHECK_RC("xen_version still works", hcall2(__HYPERVISOR_xen_version, XENVER_version, 0), (4 << 16) | 2);
}

static void sched_op_pointers(void)
{
    CHECK_RC("shutdown from NULL", hcall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown, 0), -EFAULT);
    CHECK_RC("shutdown from unmapped", hcall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown, UNMAPPED), -EFAULT);
    CHECK_RC("shutdown from hypervisor", hcall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown, HV_START), -EFAULT);
    CHECK_RC("unknown sched_op cmd", hcall2(__HYPERVISOR_sched_op, 99, 0), -ENOSYS);
    {
        struct sched_shutdown bad = { 77 };
        CHECK_RC("shutdown with a bad reason", hcall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown, GPTR(&bad)), -EINVAL);
    }
    {
        /* SCHED-5: poll's port list: at most 128, each valid, readable */
        static uint32_t ports[129];
        struct sched_poll p;

        memset(&p, 0, sizeof(p));
        p.ports = GPTR(ports);
        p.nr_ports = 129;
        CHECK_RC("SCHED-5 poll on 129 ports", hcall2(__HYPERVISOR_sched_op, SCHEDOP_poll, GPTR(&p)), -EINVAL);
        ports[0] = 4096;
        p.nr_ports = 1;
        CHECK_RC("SCHED-5 poll on a port beyond the table", hcall2(__HYPERVISOR_sched_op, SCHEDOP_poll, GPTR(&p)), -EINVAL);
        p.ports = UNMAPPED;
        CHECK_RC("SCHED-5 poll on an unreadable list", hcall2(__HYPERVISOR_sched_op, SCHEDOP_poll, GPTR(&p)), -EFAULT);
        CHECK_RC("SCHED-5 poll from NULL", hcall2(__HYPERVISOR_sched_op, SCHEDOP_poll, 0), -EFAULT);
    }
}

/* SCHED-5: a poll with an unreadable argument or too many ports never sleeps. */
static void sched_poll_hostile(void)
{
    struct sched_poll p = { 0, SCHED_POLL_MAX_PORTS + 1, 0 };

    p.ports = UNMAPPED;
    CHECK_RC("SCHED-5 poll from hypervisor", hcall2(__HYPERVISOR_sched_op, SCHEDOP_poll, HV_START), -EFAULT);
    CHECK_RC("SCHED-5 poll on 129 ports", hcall2(__HYPERVISOR_sched_op, SCHEDOP_poll, GPTR(&p)), -EINVAL);
    p.nr_ports = 1;
    CHECK_RC("SCHED-5 poll on an unmapped port list", hcall2(__HYPERVISOR_sched_op, SCHEDOP_poll, GPTR(&p)), -EFAULT);
}

/* TIME-4, TIME-5, NMI-2: vcpu_op's hostile arguments, refused with Xen's errors; the timers then restored. */
static void vcpu_op_hostile(void)
{
    struct vcpu_set_periodic_timer per = { 999999u };
    struct vcpu_set_singleshot_timer one = { 1, VCPU_SSHOTTMR_future };

    CHECK_RC("TIME-5 vCPU 1 does not exist", hcall3(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 1, 0), -ENOENT);
    CHECK_RC("TIME-5 vCPU 0xFFFFFFFF", hcall3(__HYPERVISOR_vcpu_op, VCPUOP_stop_periodic_timer, 0xFFFFFFFFu, 0),
             -ENOENT);
    CHECK_RC("VCPUOP_initialise is not served", hcall3(__HYPERVISOR_vcpu_op, VCPUOP_initialise, 0, 0), -ENOSYS);
    CHECK_RC("TIME-5 period from hypervisor",
             hcall3(__HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0, HV_START), -EFAULT);
    CHECK_RC("TIME-5 period under 1 ms",
             hcall3(__HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0, GPTR(&per)), -EINVAL);
    per.period_ns = (1ull << 50) + 1;
    CHECK_RC("TIME-5 period past 2^50 ns",
             hcall3(__HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0, GPTR(&per)), -EINVAL);
    per.period_ns = 10000000u;
    CHECK_RC("TIME-5 the 10 ms period again",
             hcall3(__HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0, GPTR(&per)), 0);
    CHECK_RC("TIME-4 singleshot from unmapped",
             hcall3(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, UNMAPPED), -EFAULT);
    CHECK_RC("TIME-4 singleshot in the past with future",
             hcall3(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, GPTR(&one)), -ETIME);
    CHECK_RC("TIME-4 stop singleshot", hcall3(__HYPERVISOR_vcpu_op, VCPUOP_stop_singleshot_timer, 0, 0), 0);
    CHECK_RC("runstate to hypervisor text",
             hcall3(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, HV_TEXT), -EFAULT);
    CHECK_RC("runstate to its read-only L3",
             hcall3(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, start_info->pt_base), -EFAULT);
    CHECK_RC("NMI-2 send_nmi with an argument", hcall3(__HYPERVISOR_vcpu_op, VCPUOP_send_nmi, 0, UNMAPPED), -EINVAL);
    CHECK_RC("vcpu_op still works", hcall3(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 0, 0), 1);
}

static void unknown_numbers(void)
{
    CHECK_RC("hypercall 11 (unused)", hcall0(11), -ENOSYS);
    CHECK_RC("hypercall 63", hcall0(63), -ENOSYS);
    CHECK_RC("hypercall 64 (past the table)", hcall_raw3(64, 0, 0, 0), -ENOSYS);
    CHECK_RC("hypercall 0xFFFFFFFF", hcall_raw3(0xFFFFFFFFu, 0, 0, 0), -ENOSYS);
    CHECK_RC("set_segment_base (x86-64 only)", hcall2(__HYPERVISOR_set_segment_base, 0, 0), -ENOSYS);
}

/* vm_assist: the offered types toggle, the rest are refused. */
static void vm_assist_types(void)
{
    CHECK_RC("HC-9 vm_assist enable writable_pagetables",
             hcall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0);
    CHECK_RC("HC-9 vm_assist disable it again",
             hcall2(__HYPERVISOR_vm_assist, VMASST_CMD_disable, VMASST_TYPE_writable_pagetables), 0);
    CHECK_RC("EMUL-25 vm_assist architectural_iopl is offered",
             hcall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_architectural_iopl), 0);
    CHECK_RC("EMUL-25 ... and disabled again",
             hcall2(__HYPERVISOR_vm_assist, VMASST_CMD_disable, VMASST_TYPE_architectural_iopl), 0);
    CHECK_RC("HC-9 vm_assist unknown type 31",
             hcall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable, 31), -EINVAL);
    CHECK_RC("HC-9 vm_assist unknown command",
             hcall2(__HYPERVISOR_vm_assist, 7, VMASST_TYPE_writable_pagetables), -ENOSYS);
}

/*
 * TRAP-8, CB-9, HC-10: the guest-CPU hypercalls with an argument that
 * cannot be read, or a command they do not know, change nothing (this
 * guest's own trap table and callbacks go on serving it).
 */
static void cpu_op_pointers(void)
{
    CHECK_RC("TRAP-8 set_trap_table from unmapped", hcall1(__HYPERVISOR_set_trap_table, UNMAPPED), -EFAULT);
    CHECK_RC("TRAP-8 set_trap_table from the M2P", hcall1(__HYPERVISOR_set_trap_table, HV_START), -EFAULT);
    CHECK_RC("TRAP-8 set_trap_table from hypervisor text",
             hcall1(__HYPERVISOR_set_trap_table, HV_TEXT), -EFAULT);
    CHECK_RC("CB-9 callback_op register from unmapped",
             hcall2(__HYPERVISOR_callback_op, CALLBACKOP_register, UNMAPPED), -EFAULT);
    CHECK_RC("CB-9 callback_op register from hypervisor text",
             hcall2(__HYPERVISOR_callback_op, CALLBACKOP_register, HV_TEXT), -EFAULT);
    CHECK_RC("CB-9 callback_op unregister from NULL",
             hcall2(__HYPERVISOR_callback_op, CALLBACKOP_unregister, 0), -EFAULT);
    CHECK_RC("CB-9 callback_op unknown command",
             hcall2(__HYPERVISOR_callback_op, 2, GPTR(text_in_rodata)), -ENOSYS);
    CHECK_RC("HC-10 physdev_op set_iopl from unmapped",
             hcall2(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, UNMAPPED), -EFAULT);
    CHECK_RC("HC-10 physdev_op set_iopl from the M2P",
             hcall2(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, HV_START), -EFAULT);
    CHECK_RC("HC-10 physdev_op a command other than set_iopl",
             hcall2(__HYPERVISOR_physdev_op, 0, GPTR(text_in_rodata)), -ENOSYS);
}

/*
 * MC-3: more than 4096 entries -EINVAL; a list reaching the hypervisor area
 * -EFAULT before any entry runs; an unreadable entry -EFAULT.
 */
static void multicall_pointers(void)
{
    static struct multicall_entry mc[1] = { { __HYPERVISOR_xen_version, 0xAAAAu, { XENVER_version } } };

    CHECK_RC("MC-3 4097 entries", hcall2(__HYPERVISOR_multicall, GPTR(mc), 4097), -EINVAL);
    CHECK_RC("MC-3 list in the hypervisor area", hcall2(__HYPERVISOR_multicall, HV_START, 1), -EFAULT);
    CHECK_RC("MC-3 list running into the hypervisor area",
             hcall2(__HYPERVISOR_multicall, HV_START - 32u, 2), -EFAULT);
    CHECK_RC("MC-3 unreadable entry (page 0)", hcall2(__HYPERVISOR_multicall, 0, 1), -EFAULT);
    CHECK_RC("MC-3 a good list still runs", hcall2(__HYPERVISOR_multicall, GPTR(mc), 1), 0);
    CHECK_RC("... with its result", (int32_t)mc[0].result, (4 << 16) | 2);
}

/* EVT-10: close takes only a valid, allocated port; a port closed once is free. */
static void close_ports(void)
{
    uint32_t port = 0;

    CHECK_RC("EVT-10 close a port beyond the table", evtchn_close_port(4096), -EINVAL);
    CHECK_RC("EVT-10 close a free port", evtchn_close_port(1000), -EINVAL);
    CHECK_RC("EVT-10 allocate one", evtchn_alloc_unbound_port(DOMID_SELF, &port), 0);
    CHECK_RC("EVT-10 close it", evtchn_close_port(port), 0);
    CHECK_RC("EVT-10 close it again", evtchn_close_port(port), -EINVAL);
}

int guest_main(struct start_info *si)
{
    (void)si;
    gprintf("hc-bad-pointers: hostile pointers and counts\n");
    /* Like XTF, unmap page 0 so NULL really is unmapped. */
    CHECK_RC("unmap page 0", hcall4(__HYPERVISOR_update_va_mapping, 0, 0, 0, UVMF_INVLPG), 0);
    console_io_pointers();
    xen_version_pointers();
    sched_op_pointers();
    sched_poll_hostile();
    vcpu_op_hostile();
    unknown_numbers();
    vm_assist_types();
    cpu_op_pointers();
    multicall_pointers();
    close_ports();
    test_finish();
}
