/*
 * set_trap_table, stack_switch, set_callbacks and callback_op as the
 * hypervisor runs them (hv/core/trap_op.c): every error path with its
 * error, every accepted case, what changes and what the core asks of the
 * CPU through env.h (spec/traps.md TRAP-1..TRAP-8, CB-1..CB-9). The
 * checks of one entry or callback are test_trap_check.c's; here that
 * each hypercall applies them and installs only what passed.
 */
#include <string.h>

#include "check.h"
#include "hosted_env.h"
#include "trap_op.h"

#define WIN_VA  0x10000000u
#define WIN_LEN 0x1000u
#define HVS     HYPERVISOR_VIRT_START

static struct trap_vcpu tv, before;
static uint8_t win[WIN_LEN];

static void reset(void)
{
    hosted_env_init(1);
    hosted_guest_window(WIN_VA, win, WIN_LEN);
    memset(win, 0, sizeof(win));
    memset(&tv, 0, sizeof(tv));
    hosted_cpu_reset();
}

static bool unchanged(void)
{
    return memcmp(&tv, &before, sizeof(tv)) == 0;
}

static struct trap_info entry(uint8_t vector, uint8_t flags, uint16_t cs, uint32_t address)
{
    struct trap_info ti = { vector, flags, cs, address };

    return ti;
}

/* Entries at window offset `off`, as a guest's list. */
static void put_list(uint32_t off, const struct trap_info *ti, unsigned n)
{
    memcpy(win + off, ti, n * sizeof(*ti));
}

static int32_t set_table(uint32_t va)
{
    return trap_op_set_table(&tv, guest_ptr(va));
}

/* ------------------------------------------------------------------ */
/* set_trap_table                                                      */

static void test_table_accepts(void)
{
    const struct trap_info list[] = {
        entry(0x80, 3, FLAT_RING1_CS, 0x00401000u),
        entry(14, 0, 0xE018, 0x00402000u),          /* RPL 0: raised (TRAP-2) */
        entry(3, 3, FLAT_RING1_CS, 0x00403000u),
        entry(3, 3, FLAT_RING1_CS, 0x00404000u),    /* the same vector again: the later wins */
        entry(7, 0, FLAT_RING1_CS, 0),              /* TRAP-1: the end */
        entry(8, 0, FLAT_RING1_CS, 0x00405000u),    /* never read */
    };

    reset();
    tv.idt[6] = entry(6, 0, FLAT_RING1_CS, 0x00406000u);
    put_list(0, list, ARRAY_SIZE(list));
    CHECK_EQ_CASE("TRAP-1 a list of entries", set_table(WIN_VA), 0);
    CHECK_EQ_CASE("TRAP-1 ... each overwrites its vector", tv.idt[0x80].address, 0x00401000u);
    CHECK_EQ_CASE("TRAP-2 ... CS RPL 0 raised to 1", tv.idt[14].cs, FLAT_RING1_CS);
    CHECK_EQ_CASE("TRAP-1 ... a vector named twice keeps the later", tv.idt[3].address, 0x00404000u);
    CHECK_EQ_CASE("TRAP-1 ... merges: other vectors kept", tv.idt[6].address, 0x00406000u);
    CHECK_EQ_CASE("TRAP-1 ... the zero address ends the list", tv.idt[7].address, 0);
    CHECK_EQ_CASE("TRAP-1 ... nothing after it is taken", tv.idt[8].address, 0);
    CHECK_EQ_CASE("TRAP-5 ... the int 0x80 gate is shown", hosted_cpu()->int80_sets, 1);
    CHECK_EQ_CASE("TRAP-5 ... as trap_int80_gate() makes it", hosted_cpu()->int80_gate,
                  trap_int80_gate(&tv.idt[0x80]));
    CHECK(hosted_cpu()->int80_gate != 0);           /* TRAP-5: present */

    CHECK_EQ_CASE("TRAP-1 a NULL list", set_table(0), 0);
    CHECK_EQ_CASE("TRAP-1 ... clears every entry", tv.idt[0x80].address | tv.idt[6].address |
                  tv.idt[14].cs, 0);
    CHECK_EQ_CASE("TRAP-5 ... and the gate", hosted_cpu()->int80_gate, 0);
    CHECK_EQ_CASE("TRAP-5 ... shown again", hosted_cpu()->int80_sets, 2);
}

/* TRAP-1: at most one entry per vector is read, so a full list needs no terminator. */
static void test_table_full(void)
{
    static struct trap_info list[TRAP_VECTORS];
    static uint8_t big[TRAP_VECTORS * sizeof(struct trap_info)];
    unsigned i;

    reset();
    for (i = 0; i < TRAP_VECTORS; i++)
        list[i] = entry((uint8_t)i, 0, FLAT_RING1_CS, 0x00400000u + i);
    memcpy(big, list, sizeof(big));
    hosted_guest_window(WIN_VA, big, sizeof(big));     /* entry 256 would be past it */
    CHECK_EQ_CASE("TRAP-1 256 entries, no terminator", set_table(WIN_VA), 0);
    CHECK_EQ_CASE("TRAP-1 ... the last taken", tv.idt[255].address, 0x004000FFu);
}

static void test_table_refusals(void)
{
    static const struct { const char *name; struct trap_info bad; } cases[] = {
        { "TRAP-3 hypervisor CS is -EINVAL", { 13, 0, 0xE008, 0x00401000u } },
        { "TRAP-3 null CS is -EINVAL", { 13, 0, 0, 0x00401000u } },
        { "TRAP-3 data selector is -EINVAL", { 13, 0, FLAT_RING1_DS, 0x00401000u } },
        { "TRAP-7 address at HYPERVISOR_VIRT_START is -EINVAL", { 13, 0, FLAT_RING1_CS, HVS } },
        { "TRAP-7 address past it is -EINVAL", { 13, 0, FLAT_RING1_CS, 0xFFFFF000u } },
    };
    struct trap_info list[3];
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        reset();
        tv.idt[13] = entry(13, 0, FLAT_RING1_CS, 0x00409000u);
        list[0] = entry(0x80, 3, FLAT_RING1_CS, 0x00401000u);
        list[1] = cases[i].bad;
        list[2] = entry(2, 0, FLAT_RING1_CS, 0x00402000u);
        put_list(0, list, 3);
        CHECK_EQ_CASE(cases[i].name, set_table(WIN_VA), -EINVAL);
        CHECK_EQ_CASE("TRAP-8 ... the entry before it kept", tv.idt[0x80].address, 0x00401000u);
        CHECK_EQ_CASE("TRAP-8 ... the refused vector unchanged", tv.idt[13].address, 0x00409000u);
        CHECK_EQ_CASE("TRAP-8 ... the refused CS not stored", tv.idt[13].cs, FLAT_RING1_CS);
        CHECK_EQ_CASE("TRAP-8 ... nothing after it taken", tv.idt[2].address, 0);
        CHECK_EQ_CASE("TRAP-8 ... the gate follows what was merged", hosted_cpu()->int80_gate,
                      trap_int80_gate(&tv.idt[0x80]));
    }
}

static void test_table_faults(void)
{
    struct trap_info list[2];

    reset();
    tv.idt[5] = entry(5, 0, FLAT_RING1_CS, 0x00405000u);
    before = tv;
    CHECK_EQ_CASE("TRAP-8 an unreadable list is -EFAULT", set_table(WIN_VA - 8), -EFAULT);
    CHECK_EQ_CASE("TRAP-8 ... nothing changed", unchanged(), true);
    CHECK_EQ_CASE("TRAP-8 a list in the hypervisor is -EFAULT", set_table(HVS), -EFAULT);
    CHECK_EQ_CASE("TRAP-8 ... nothing changed", unchanged(), true);
    CHECK_EQ_CASE("TRAP-8 an entry straddling the window's end is -EFAULT",
                  set_table(WIN_VA + WIN_LEN - 4), -EFAULT);
    CHECK_EQ_CASE("TRAP-8 ... nothing changed", unchanged(), true);

    list[0] = entry(0x80, 3, FLAT_RING1_CS, 0x00401000u);
    list[1] = entry(6, 0, FLAT_RING1_CS, 0x00402000u);
    put_list(WIN_LEN - 16, list, 2);
    CHECK_EQ_CASE("TRAP-8 a list running off the window is -EFAULT",
                  set_table(WIN_VA + WIN_LEN - 16), -EFAULT);
    CHECK_EQ_CASE("TRAP-8 ... the entries before the fault kept",
                  tv.idt[0x80].address + tv.idt[6].address, 0x00401000u + 0x00402000u);
    CHECK_EQ_CASE("TRAP-8 ... the gate shown", hosted_cpu()->int80_gate,
                  trap_int80_gate(&tv.idt[0x80]));
}

/* ------------------------------------------------------------------ */
/* stack_switch                                                        */

static void test_stack_switch(void)
{
    static const struct { const char *name; uint32_t ss; } bad[] = {
        { "CB-7 null SS is -EINVAL", 0 },
        { "CB-7 the hypervisor's DS is -EINVAL", 0xE010 },
        { "CB-7 a code selector is -EINVAL", FLAT_RING1_CS },
        { "CB-7 past the GDT (0xFFF9) is -EINVAL", 0xFFF9 },
        { "CB-7 wider than 16 bits is -EINVAL", 0x10000u | FLAT_RING1_SS },
    };
    unsigned i;

    reset();
    tv.kernel_ss = FLAT_RING1_SS;
    tv.kernel_sp = 0x1234;
    before = tv;
    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        CHECK_EQ_CASE(bad[i].name, trap_op_stack_switch(&tv, bad[i].ss, 0x00500000u), -EINVAL);
        CHECK_EQ_CASE("CB-7 ... nothing changed", unchanged(), true);
    }
    CHECK_EQ_CASE("CB-7 ... the TSS not touched", hosted_cpu()->stack_sets, 0);

    CHECK_EQ_CASE("CB-7 FLAT_RING1_SS with RPL 0", trap_op_stack_switch(&tv, FLAT_RING1_SS & ~3u, 0x00500000u), 0);
    CHECK_EQ_CASE("CB-7 ... kept with RPL 1", tv.kernel_ss, FLAT_RING1_SS);
    CHECK_EQ_CASE("CB-7 ... and its ESP", tv.kernel_sp, 0x00500000u);
    CHECK_EQ_CASE("CB-7 ... the TSS told once", hosted_cpu()->stack_sets, 1);
    CHECK_EQ_CASE("CB-7 ... with the SS", hosted_cpu()->stack_ss, FLAT_RING1_SS);
    CHECK_EQ_CASE("CB-7 ... and the ESP", hosted_cpu()->stack_sp, 0x00500000u);
    CHECK_EQ_CASE("CB-7 an LDT selector", trap_op_stack_switch(&tv, 0x0007, 0x00600000u), 0);
    CHECK_EQ_CASE("CB-7 ... kept", tv.kernel_ss, 0x0007);
}

/* ------------------------------------------------------------------ */
/* set_callbacks                                                       */

static void test_set_callbacks(void)
{
    static const struct { const char *name; uint32_t ecs, eeip, fcs, feip; } bad[] = {
        { "CB-3 event CS the hypervisor's is -EINVAL", 0xE008, 0x00401000u, FLAT_RING1_CS, 0x00402000u },
        { "CB-3 event CS null is -EINVAL", 0, 0x00401000u, FLAT_RING1_CS, 0x00402000u },
        { "CB-3 event CS wider than 16 bits is -EINVAL", 0x10000u | FLAT_RING1_CS, 0x00401000u,
          FLAT_RING1_CS, 0x00402000u },
        { "CB-8 event address in the hypervisor is -EINVAL", FLAT_RING1_CS, HVS, FLAT_RING1_CS,
          0x00402000u },
        { "CB-3 failsafe CS the hypervisor's is -EINVAL", FLAT_RING1_CS, 0x00401000u, 0xE008,
          0x00402000u },
        { "CB-8 failsafe address in the hypervisor is -EINVAL", FLAT_RING1_CS, 0x00401000u,
          FLAT_RING1_CS, 0xFFFFFFF0u },
    };
    unsigned i;

    reset();
    tv.event_cb.cs = FLAT_RING1_CS;
    tv.event_cb.eip = 0x111;
    tv.failsafe_cb.cs = FLAT_RING1_CS;
    tv.failsafe_cb.eip = 0x222;
    before = tv;
    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        CHECK_EQ_CASE(bad[i].name, trap_op_set_callbacks(&tv, bad[i].ecs, bad[i].eeip, bad[i].fcs,
                                                         bad[i].feip), -EINVAL);
        CHECK_EQ_CASE("CB-3 ... neither installed", unchanged(), true);
    }
    CHECK_EQ_CASE("set_callbacks, both good",
                  trap_op_set_callbacks(&tv, 0xE018, 0x00401000u, 0x0061, 0x00402000u), 0);
    CHECK_EQ_CASE("CB-2 ... event CS RPL raised", tv.event_cb.cs, FLAT_RING1_CS);
    CHECK_EQ_CASE("CB-2 ... event address", tv.event_cb.eip, 0x00401000u);
    CHECK_EQ_CASE("CB-4 ... event masks events", tv.event_cb.mask_events, true);
    CHECK_EQ_CASE("CB-2 ... failsafe CS", tv.failsafe_cb.cs, 0x0061);
    CHECK_EQ_CASE("CB-2 ... failsafe address", tv.failsafe_cb.eip, 0x00402000u);
    CHECK_EQ_CASE("CB-4 ... failsafe without masking", tv.failsafe_cb.mask_events, false);
}

/* ------------------------------------------------------------------ */
/* callback_op                                                         */

static int32_t cb_register(uint16_t type, uint16_t flags, uint32_t cs, uint32_t eip)
{
    struct callback_register reg = { type, flags, { cs, eip } };

    memcpy(win, &reg, sizeof(reg));
    return trap_op_callback(&tv, CALLBACKOP_register, guest_ptr(WIN_VA));
}

static int32_t cb_unregister(uint16_t type)
{
    struct callback_unregister u = { type, 0 };

    memcpy(win + 0x100, &u, sizeof(u));
    return trap_op_callback(&tv, CALLBACKOP_unregister, guest_ptr(WIN_VA + 0x100));
}

static void test_callback_errors(void)
{
    static const uint32_t cmds[] = { 2, 3, 0x100u, 0xFFFFFFFFu };
    static const uint16_t types[] = {
        CALLBACKTYPE_syscall, CALLBACKTYPE_sysenter_deprecated, 6, 8, 0xFFFF,
    };
    unsigned i;

    reset();
    tv.nmi_cb.cs = FLAT_RING1_CS;
    tv.nmi_cb.eip = 0x333;
    before = tv;
    for (i = 0; i < ARRAY_SIZE(cmds); i++)
        CHECK_EQ_CASE("CB-9 an unknown command is -ENOSYS",
                      trap_op_callback(&tv, cmds[i], guest_ptr(WIN_VA)), -ENOSYS);
    CHECK_EQ_CASE("CB-9 register, argument unreadable, is -EFAULT",
                  trap_op_callback(&tv, CALLBACKOP_register, guest_ptr(WIN_VA + WIN_LEN - 4)), -EFAULT);
    CHECK_EQ_CASE("CB-9 register, argument in the hypervisor, is -EFAULT",
                  trap_op_callback(&tv, CALLBACKOP_register, guest_ptr(HVS)), -EFAULT);
    CHECK_EQ_CASE("CB-9 unregister, argument unreadable, is -EFAULT",
                  trap_op_callback(&tv, CALLBACKOP_unregister, guest_ptr(WIN_VA + WIN_LEN - 2)), -EFAULT);
    for (i = 0; i < ARRAY_SIZE(types); i++) {
        CHECK_EQ_CASE("CB-1 register of a type not taken is -ENOSYS",
                      cb_register(types[i], 0, FLAT_RING1_CS, 0x00401000u), -ENOSYS);
        CHECK_EQ_CASE("CB-6 unregister of an unknown type is -ENOSYS", cb_unregister(types[i]), -ENOSYS);
    }
    CHECK_EQ_CASE("CB-3 register with the hypervisor's CS is -EINVAL",
                  cb_register(CALLBACKTYPE_event, 0, 0xE008, 0x00401000u), -EINVAL);
    CHECK_EQ_CASE("CB-3 register with a CS wider than 16 bits is -EINVAL",
                  cb_register(CALLBACKTYPE_failsafe, 0, 0x1E019u, 0x00401000u), -EINVAL);
    CHECK_EQ_CASE("CB-8 register at a hypervisor address is -EINVAL",
                  cb_register(CALLBACKTYPE_sysenter, 0, FLAT_RING1_CS, HVS), -EINVAL);
    CHECK_EQ_CASE("CB-8 ... NMI included",
                  cb_register(CALLBACKTYPE_nmi, 0, FLAT_RING1_CS, 0xF6000000u), -EINVAL);
    CHECK_EQ_CASE("CB-6 unregister of event is -EINVAL", cb_unregister(CALLBACKTYPE_event), -EINVAL);
    CHECK_EQ_CASE("CB-6 unregister of failsafe is -EINVAL", cb_unregister(CALLBACKTYPE_failsafe), -EINVAL);
    CHECK_EQ_CASE("CB-6 unregister of sysenter is -EINVAL", cb_unregister(CALLBACKTYPE_sysenter), -EINVAL);
    CHECK_EQ_CASE("CB-6 unregister of syscall32 is -EINVAL", cb_unregister(CALLBACKTYPE_syscall32), -EINVAL);
    CHECK_EQ_CASE("... every refusal left the callbacks alone", unchanged(), true);
}

static void test_callback_register(void)
{
    static const struct { const char *name; uint16_t type; const struct trap_callback *slot; } types[] = {
        { "CB-1 register event", CALLBACKTYPE_event, &tv.event_cb },
        { "CB-1 register failsafe", CALLBACKTYPE_failsafe, &tv.failsafe_cb },
        { "CB-1 register sysenter", CALLBACKTYPE_sysenter, &tv.sysenter_cb },
        { "CB-1 register syscall32", CALLBACKTYPE_syscall32, &tv.syscall32_cb },
    };
    unsigned i;

    reset();
    for (i = 0; i < ARRAY_SIZE(types); i++) {
        bool always = types[i].type == CALLBACKTYPE_event;

        CHECK_EQ_CASE(types[i].name, cb_register(types[i].type, 0, 0x0060, 0x00401000u + i), 0);
        CHECK_EQ_CASE("CB-2 ... in its slot, CS RPL raised", types[i].slot->cs, 0x0061);
        CHECK_EQ_CASE("... at its address", types[i].slot->eip, 0x00401000u + i);
        CHECK_EQ_CASE("CB-4 ... masking only if it always does", types[i].slot->mask_events, always);
        CHECK_EQ_CASE(types[i].name, cb_register(types[i].type, CALLBACKF_mask_events | 0xFFFE,
                                                 FLAT_RING1_CS, 0x00501000u), 0);
        CHECK_EQ_CASE("CB-4 ... with CALLBACKF_mask_events masks", types[i].slot->mask_events, true);
    }
    CHECK_EQ_CASE("CB-5 register nmi with any CS", cb_register(CALLBACKTYPE_nmi, 0, 0xE008, 0x00402000u), 0);
    CHECK_EQ_CASE("CB-5 ... runs on FLAT_RING1_CS", tv.nmi_cb.cs, FLAT_RING1_CS);
    CHECK_EQ_CASE("CB-5 ... at its address", tv.nmi_cb.eip, 0x00402000u);
    CHECK_EQ_CASE("CB-4 ... masking events", tv.nmi_cb.mask_events, true);
    before = tv;
    CHECK_EQ_CASE("CB-6 unregister nmi", cb_unregister(CALLBACKTYPE_nmi), 0);
    CHECK_EQ_CASE("CB-6 ... cleared", tv.nmi_cb.cs | tv.nmi_cb.eip | tv.nmi_cb.mask_events, 0);
    tv.nmi_cb = before.nmi_cb;
    CHECK_EQ_CASE("CB-6 ... the others kept", unchanged(), true);
}

int main(void)
{
    test_table_accepts();
    test_table_full();
    test_table_refusals();
    test_table_faults();
    test_stack_switch();
    test_set_callbacks();
    test_callback_errors();
    test_callback_register();
    hosted_env_fini();
    return check_report();
}
