/*
 * The guest ABI headers, seen from a 64-bit hosted build.
 *
 * Every layout is already pinned by _Static_assert inside the headers, so
 * compiling this file on x86_64 proves the structs keep their i386 shape
 * there too. The checks below add what a compile-time pin cannot show:
 * that bytes placed at the documented offsets of a raw page are what the
 * struct fields read back, that arrays of 64-bit-bearing structs keep the
 * i386 stride, and that the helper macros compute what their comments say.
 * hv/core headers are included as well, to prove the shared names
 * (domid_t, DOMID_*) coexist in either order.
 */
#include <stdint.h>
#include <string.h>

#include "frame.h"        /* hv/core: DOMID_SELF etc. defined first */
#include "pv/xen.h"
#include "types.h"        /* hv/core/types.h again: domid_t redefinition */

#include "check.h"

struct size_case {
    const char *name;
    size_t      got;
    size_t      want;
};

static const struct size_case size_cases[] = {
    { "start_info",              sizeof(struct start_info),              1112 },
    { "xen_multiboot_mod_list",  sizeof(struct xen_multiboot_mod_list),  16 },
    { "vcpu_time_info",          sizeof(struct vcpu_time_info),          32 },
    { "vcpu_info",               sizeof(struct vcpu_info),               64 },
    { "mmu_update",              sizeof(struct mmu_update),              16 },
    { "mmuext_op",               sizeof(struct mmuext_op),               12 },
    { "multicall_entry",         sizeof(struct multicall_entry),         32 },
    { "trap_info",               sizeof(struct trap_info),               8 },
    { "cpu_user_regs",           sizeof(struct cpu_user_regs),           68 },
    { "vcpu_guest_context",      sizeof(struct vcpu_guest_context),      2800 },
    { "callback_register",       sizeof(struct callback_register),       12 },
    { "xen_memory_reservation",  sizeof(struct xen_memory_reservation),  20 },
    { "xen_memory_map",          sizeof(struct xen_memory_map),          8 },
    { "e820entry",               sizeof(struct e820entry),               20 },
    { "sched_poll",              sizeof(struct sched_poll),              16 },
    { "vcpu_runstate_info",      sizeof(struct vcpu_runstate_info),      44 },
    { "vcpu_set_singleshot_timer", sizeof(struct vcpu_set_singleshot_timer), 12 },
    { "vcpu_register_vcpu_info", sizeof(struct vcpu_register_vcpu_info), 16 },
    { "evtchn_status",           sizeof(struct evtchn_status),           24 },
    { "evtchn_op",               sizeof(struct evtchn_op),               28 },
    { "grant_entry_v1",          sizeof(struct grant_entry_v1),          8 },
    { "gnttab_map_grant_ref",    sizeof(struct gnttab_map_grant_ref),    32 },
    { "gnttab_copy",             sizeof(struct gnttab_copy),             24 },
    { "ring_shared_header",      sizeof(struct ring_shared_header),      64 },
    { "xsd_sockmsg",             sizeof(struct xsd_sockmsg),             16 },
};

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void check_sizes(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(size_cases); i++)
        CHECK_EQ_CASE(size_cases[i].name, size_cases[i].got, size_cases[i].want);
}

/* Bytes written at the facts-sheet offsets must read back through the struct. */
static void check_start_info_bytes(void)
{
    static uint8_t page[4096];
    struct start_info si;

    memset(page, 0, sizeof(page));
    memcpy(page, PV_START_INFO_MAGIC, sizeof(PV_START_INFO_MAGIC));
    put32(page + 36, 0x00ABC000u);   /* shared_info machine address */
    put32(page + 52, 0x11223344u);   /* console.domU.mfn */
    put32(page + 60, 0xC0102000u);   /* pt_base */
    page[80] = 'x';                   /* cmd_line[0] */
    put32(page + 1108, 7u);           /* nr_p2m_frames */
    memcpy(&si, page, sizeof(si));

    CHECK(strlen(PV_START_INFO_MAGIC) == 15);
    CHECK(strlen(PV_START_INFO_MAGIC) < sizeof(si.magic));
    CHECK(strcmp(si.magic, "xen-3.0-x86_32p") == 0);
    CHECK_EQ(si.shared_info, 0x00ABC000u);
    CHECK_EQ(si.console.domU.mfn, 0x11223344u);
    CHECK_EQ(si.console.dom0.info_off, 0x11223344u);
    CHECK_EQ(si.pt_base, 0xC0102000u);
    CHECK_EQ(si.cmd_line[0], 'x');
    CHECK_EQ(si.nr_p2m_frames, 7);
}

/* Arrays must keep the i386 stride, which differs from x86_64 without pv_u64. */
static void check_strides(void)
{
    struct e820entry map[3];
    struct shared_info *sh = NULL;

    CHECK_EQ((uintptr_t)&map[2] - (uintptr_t)&map[0], 40);
    CHECK_EQ(offsetof(struct shared_info, vcpu_info[2].time.system_time), 2 * 64 + 32 + 16);
    CHECK_EQ(sizeof(sh->evtchn_pending) * 8, NR_EVENT_CHANNELS);
    CHECK_EQ(sizeof(sh->evtchn_mask) * 8, NR_EVENT_CHANNELS);
    CHECK_EQ(offsetof(struct mmu_update, val), 8);
    CHECK_EQ(offsetof(struct vcpu_runstate_info, time[3]), 12 + 3 * 8);
}

static void check_hypercall_numbers(void)
{
    CHECK_EQ(__HYPERVISOR_set_trap_table, 0);
    CHECK_EQ(__HYPERVISOR_mmu_update, 1);
    CHECK_EQ(__HYPERVISOR_update_va_mapping, 14);
    CHECK_EQ(__HYPERVISOR_console_io, 18);
    CHECK_EQ(__HYPERVISOR_iret, 23);
    CHECK_EQ(__HYPERVISOR_mmuext_op, 26);
    CHECK_EQ(__HYPERVISOR_sched_op, 29);
    CHECK_EQ(__HYPERVISOR_callback_op, 30);
    CHECK_EQ(__HYPERVISOR_event_channel_op, 32);
    CHECK_EQ(__HYPERVISOR_arch_7, 55);
    CHECK_EQ(NR_hypercalls, 64);
    CHECK_EQ(HYPERCALL_VECTOR, 0x82);
    CHECK_EQ(HYPERCALL_PAGE_IRET_OFFSET, 0x2E0);
    CHECK_EQ(SCHEDOP_shutdown, 2);
    CHECK_EQ(SHUTDOWN_poweroff, 0);
    CHECK_EQ(SHUTDOWN_crash, 3);
    CHECK_EQ(MMUEXT_NEW_BASEPTR, 5);
    CHECK_EQ(MMUEXT_SET_LDT, 13);
    CHECK_EQ(CALLBACKTYPE_syscall32, 7);
    CHECK_EQ(GNTST_no_space, -13);
    CHECK_EQ(XENVER_get_features, 6);
    CHECK_EQ(PHYSDEVOP_set_iopl, 6);
}

static void check_selectors_and_helpers(void)
{
    struct trap_info ti = { 0x80, 0, FLAT_KERNEL_CS, 0xC0100000u };

    CHECK_EQ(FLAT_RING1_CS, 0xE019);
    CHECK_EQ(FLAT_RING1_DS, 0xE021);
    CHECK_EQ(FLAT_RING3_CS, 0xE02B);
    CHECK_EQ(FLAT_RING3_DS, 0xE033);
    CHECK_EQ(FLAT_KERNEL_CS & 3, 1);
    CHECK_EQ(FLAT_USER_SS & 3, 3);
    CHECK_EQ(FIRST_RESERVED_GDT_ENTRY, 7168);

    TI_SET_DPL(&ti, 3);
    TI_SET_IF(&ti, 1);
    CHECK_EQ(TI_GET_DPL(&ti), 3);
    CHECK(TI_GET_IF(&ti) != 0);
    TI_SET_DPL(&ti, 1);
    TI_SET_IF(&ti, 0);
    CHECK_EQ(ti.flags, 1);

    /* An L3 above 4 GiB (frame 0x123456) survives the CR3 fold. */
    CHECK_EQ(xen_pfn_to_cr3(0x123456u), 0x23456001u);
    CHECK_EQ(xen_cr3_to_pfn(xen_pfn_to_cr3(0x123456u)), 0x123456u);
    CHECK_EQ(xen_pfn_to_cr3(0x00ABCu), 0x00ABC000u);
}

static void check_domids(void)
{
    domid_t self = DOMID_SELF;

    CHECK_EQ(sizeof(domid_t), 2);
    CHECK_EQ(self, 0x7FF0);
    CHECK_EQ(DOMID_IO, 0x7FF1);
    CHECK_EQ(DOMID_XEN, 0x7FF2);
    CHECK_EQ(DOMID_INVALID, FRAME_OWNER_FREE);
    CHECK_EQ(DOMID_IDLE, 0x7FFF);
}

int main(void)
{
    check_sizes();
    check_start_info_bytes();
    check_strides();
    check_hypercall_numbers();
    check_selectors_and_helpers();
    check_domids();
    return check_report();
}
