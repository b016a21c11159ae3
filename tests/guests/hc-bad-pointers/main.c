/*
 * Scenario: hypercalls given hostile pointers and counts.
 *
 * console_io, xen_version and sched_op receive NULL-page, unmapped,
 * hypervisor-area, hole-straddling and read-only pointers and huge
 * counts. Each must fail with -EFAULT (or -EINVAL/-ENOSYS where the
 * argument itself is malformed), never fault the hypervisor, and leave it
 * serving the next call. Unknown hypercall numbers answer -ENOSYS.
 */
#include "pv/console.h"
#include "pv/errno.h"
#include "pv/mmu.h"
#include "pv/sched.h"
#include "pv/version.h"
#include "pv/vm_assist.h"
#include "test.h"

#define UNMAPPED   0x30000000u   /* far above this guest's initial mapping */
#define HV_START   0xF5800000u
#define HV_TEXT    0xFF100000u

static const char text_in_rodata[] = "read-only buffer";

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
    CHECK_RC("unknown console_io cmd", hcall3(__HYPERVISOR_console_io, 7, 1, GPTR(text_in_rodata)), -ENOSYS);
    CHECK_RC("read into unmapped (dom0)", hcall3(__HYPERVISOR_console_io, CONSOLEIO_read, 16, UNMAPPED), 0);
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
    CHECK_RC("vm_assist enable writable_pagetables",
             hcall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0);
    CHECK_RC("vm_assist disable it again",
             hcall2(__HYPERVISOR_vm_assist, VMASST_CMD_disable, VMASST_TYPE_writable_pagetables), 0);
    CHECK_RC("vm_assist architectural_iopl is not offered",
             hcall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_architectural_iopl), -EINVAL);
    CHECK_RC("vm_assist unknown type 31",
             hcall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable, 31), -EINVAL);
    CHECK_RC("vm_assist unknown command",
             hcall2(__HYPERVISOR_vm_assist, 7, VMASST_TYPE_writable_pagetables), -ENOSYS);
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
    unknown_numbers();
    vm_assist_types();
    test_finish();
}
