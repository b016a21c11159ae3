/*
 * Unit tests for hv/core/trap_check.c: trap-table entries and the int 0x80
 * direct gate (TRAP-n), callbacks (CB-n), the iret frame (IRET-n) and
 * bounce frames (BOUNCE-n) of spec/traps.md. Case names carry the rule
 * IDs. iret_decode() and bounce_build() are also compared with reference
 * models written here with masks and shifts, on pseudo-random inputs.
 */
#include "check.h"
#include "trap_check.h"

#define HVS HYPERVISOR_VIRT_START

/* ------------------------------------------------------------------ */
/* Selectors and trap entries                                          */

struct entry_case {
    const char *name;
    uint16_t cs;
    int rc;
    uint16_t cs_after;
};

static const struct entry_case entry_cases[] = {
    { "TRAP-2 RPL 0 raised (0xE018 -> FLAT_RING1_CS)", 0xE018, 0, FLAT_RING1_CS },
    { "TRAP-2 guest GDT RPL 0 raised", 0x0060, 0, 0x0061 },
    { "TRAP-2 guest GDT RPL 3 kept", 0x0063, 0, 0x0063 },
    { "TRAP-3 FLAT_RING1_CS", FLAT_RING1_CS, 0, FLAT_RING1_CS },
    { "TRAP-3 FLAT_RING3_CS", FLAT_RING3_CS, 0, FLAT_RING3_CS },
    { "TRAP-3 LDT entry 0", 0x0004, 0, 0x0005 },
    { "TRAP-3 GDT entry 7167", 0xDFF9, 0, 0xDFF9 },
    { "TRAP-3 hypervisor CS refused", 0xE008, -EINVAL, 0xE008 },
    { "TRAP-3 hypervisor DS refused", 0xE010, -EINVAL, 0xE010 },
    { "TRAP-3 null selector refused", 0x0000, -EINVAL, 0x0000 },
    { "TRAP-3 null selector RPL 3 refused", 0x0003, -EINVAL, 0x0003 },
    { "TRAP-3 flat ring-1 DS refused", FLAT_RING1_DS, -EINVAL, FLAT_RING1_DS },
    { "TRAP-3 ring-3 CS slot with RPL 2 refused", 0xE02A, -EINVAL, 0xE02A },
    { "TRAP-3 TSS selector refused", 0xE040, -EINVAL, 0xE040 },
    { "TRAP-3 GDT entry 7168 refused", 0xE001, -EINVAL, 0xE001 },
    { "TRAP-3 past the reserved page refused", 0xF001, -EINVAL, 0xF001 },
};

struct addr_case {
    const char *name;
    uint32_t address;
    int rc;
};

static const struct addr_case addr_cases[] = {
    { "TRAP-7 handler below the hypervisor", 0xF57FFFFFu, 0 },
    { "TRAP-7 handler at HYPERVISOR_VIRT_START refused", HVS, -EINVAL },
    { "TRAP-7 handler in the read-only M2P refused", 0xF6000000u, -EINVAL },
    { "TRAP-7 handler in the hypervisor text refused", 0xFF001000u, -EINVAL },
    { "TRAP-7 handler at 0xFFFFFFFF refused", 0xFFFFFFFFu, -EINVAL },
    { "TRAP-7 handler at 1", 1, 0 },
};

static void test_entry_addresses(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(addr_cases); i++) {
        const struct addr_case *c = &addr_cases[i];
        struct trap_info ti = { 3, 0x3, 0xE018, c->address };

        CHECK_EQ_CASE(c->name, trap_check_entry(&ti), c->rc);
        /* a refused entry keeps its CS; an accepted one gets the RPL fix-up */
        CHECK_EQ_CASE(c->name, ti.cs, c->rc ? 0xE018 : FLAT_RING1_CS);
        CHECK_EQ_CASE(c->name, trap_handler_address_ok(c->address), c->rc == 0);
    }
    {
        struct trap_info ti = { 3, 0x3, 0xE008, HVS };

        CHECK_EQ_CASE("TRAP-3 and TRAP-7 both broken", trap_check_entry(&ti), -EINVAL);
    }
}

static void test_entries(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(entry_cases); i++) {
        const struct entry_case *c = &entry_cases[i];
        struct trap_info ti = { 14, 0x5, c->cs, 0xC0001000u };

        CHECK_EQ_CASE(c->name, trap_check_entry(&ti), c->rc);
        CHECK_EQ_CASE(c->name, ti.cs, c->cs_after);
        CHECK_EQ_CASE(c->name, ti.vector, 14);
        CHECK_EQ_CASE(c->name, ti.flags, 0x5);
        CHECK_EQ_CASE(c->name, ti.address, 0xC0001000u);
    }
}

static void test_soft_int(void)
{
    struct trap_info ti = { 0x80, 3, FLAT_RING1_CS, 0xC0001000u };
    unsigned v;

    CHECK_EQ_CASE("TRAP-4 DPL 3 from ring 3", trap_soft_int_permitted(&ti, 3), true);
    ti.flags = 1;
    CHECK_EQ_CASE("TRAP-4 DPL 1 from ring 3 refused", trap_soft_int_permitted(&ti, 3), false);
    CHECK_EQ_CASE("TRAP-4 DPL 1 from ring 1", trap_soft_int_permitted(&ti, 1), true);
    ti.flags = 0x4;
    CHECK_EQ_CASE("TRAP-4 DPL 0 (interrupt gate) from ring 1 refused",
                  trap_soft_int_permitted(&ti, 1), false);
    CHECK_EQ_CASE("TRAP-4 #GP error code for int 0x80", trap_soft_int_error_code(0x80), 0x402);
    CHECK_EQ_CASE("TRAP-4 #GP error code for int 0xff", trap_soft_int_error_code(0xFF), 0x7FA);

    for (v = 0; v < 40; v++) {
        bool want = v == 8 || (v >= 10 && v <= 14) || v == 17;
        char name[40];

        snprintf(name, sizeof(name), "TRAP-6 vector %u", v);
        CHECK_EQ_CASE(name, trap_vector_has_error_code(v), want);
    }
    CHECK_EQ_CASE("TRAP-6 vector 0x80", trap_vector_has_error_code(0x80), false);
}

struct int80_case {
    const char *name;
    struct trap_info ti;
    uint64_t gate;
};

static const struct int80_case int80_cases[] = {
    { "TRAP-5 DPL-3 trap gate to FLAT_RING1_CS", { 0x80, 3, FLAT_RING1_CS, 0xC0101234u },
      0xC010EF00E0191234ull },
    { "TRAP-5 DPL-3 trap gate to a guest GDT CS", { 0x80, 3, 0x0061, 0x00400000u },
      0x0040EF0000610000ull },
    { "TRAP-5 DPL-1 entry gives a DPL-1 gate", { 0x80, 1, FLAT_RING1_CS, 0x1000u },
      0x0000AF00E0191000ull },
    { "TRAP-5 LDT CS", { 0x80, 3, 0x0007, 0xFFFFFFFFu }, 0xFFFFEF000007FFFFull },
    { "TRAP-5 interrupt-gate flag: no direct gate", { 0x80, 7, FLAT_RING1_CS, 0xC0101234u }, 0 },
    { "TRAP-5 not registered: no direct gate", { 0x80, 3, FLAT_RING1_CS, 0 }, 0 },
    { "TRAP-5 FLAT_RING3_CS fails DESC-5", { 0x80, 3, FLAT_RING3_CS, 0xC0101234u }, 0 },
    { "TRAP-5 hypervisor CS", { 0x80, 3, 0xE009, 0xC0101234u }, 0 },
    { "TRAP-5 RPL-0 CS", { 0x80, 3, 0x0060, 0xC0101234u }, 0 },
    { "TRAP-5 null CS (TRAP-3)", { 0x80, 3, 0x0001, 0xC0101234u }, 0 },
};

static void test_int80(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(int80_cases); i++) {
        const struct int80_case *c = &int80_cases[i];

        CHECK_EQ_CASE(c->name, trap_int80_gate(&c->ti), c->gate);
        CHECK_EQ_CASE(c->name, trap_int80_direct_ok(&c->ti), c->gate != 0);
    }
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */

struct cb_case {
    const char *name;
    uint16_t type, flags;
    uint32_t cs;
    int rc;
    uint16_t cs_after;
    bool mask;
};

static const struct cb_case cb_cases[] = {
    { "CB-1 event", CALLBACKTYPE_event, 0, FLAT_RING1_CS, 0, FLAT_RING1_CS, true },
    { "CB-1 failsafe", CALLBACKTYPE_failsafe, 0, FLAT_RING1_CS, 0, FLAT_RING1_CS, false },
    { "CB-1 nmi", CALLBACKTYPE_nmi, 0, FLAT_RING1_CS, 0, FLAT_RING1_CS, true },
    { "CB-1 sysenter", CALLBACKTYPE_sysenter, 1, FLAT_RING1_CS, 0, FLAT_RING1_CS, true },
    { "CB-1 syscall32", CALLBACKTYPE_syscall32, 1, FLAT_RING1_CS, 0, FLAT_RING1_CS, true },
    { "CB-1 syscall (64-bit only)", CALLBACKTYPE_syscall, 0, FLAT_RING1_CS, -ENOSYS, 0, false },
    { "CB-1 sysenter_deprecated", CALLBACKTYPE_sysenter_deprecated, 0, FLAT_RING1_CS, -ENOSYS,
      0, false },
    { "CB-1 type 6", 6, 0, FLAT_RING1_CS, -ENOSYS, 0, false },
    { "CB-1 type 8", 8, 0, FLAT_RING1_CS, -ENOSYS, 0, false },
    { "CB-1 type 0xffff", 0xFFFF, 0, FLAT_RING1_CS, -ENOSYS, 0, false },
    { "CB-1 unknown type before a bad CS", 9, 0, 0xE008, -ENOSYS, 0, false },
    { "CB-2 RPL 0 raised", CALLBACKTYPE_event, 0, 0xE018, 0, FLAT_RING1_CS, true },
    { "CB-2 guest GDT CS RPL 0 raised", CALLBACKTYPE_failsafe, 1, 0x0010, 0, 0x0011, true },
    { "CB-3 CS above 16 bits refused", CALLBACKTYPE_event, 0, 0x1E019u, -EINVAL, 0, false },
    { "CB-3 hypervisor CS refused", CALLBACKTYPE_event, 0, 0xE008, -EINVAL, 0, false },
    { "CB-3 null CS refused", CALLBACKTYPE_syscall32, 0, 0, -EINVAL, 0, false },
    { "CB-3 hypervisor CS refused for failsafe", CALLBACKTYPE_failsafe, 0, 0xE009, -EINVAL, 0,
      false },
    { "CB-4 failsafe with mask_events", CALLBACKTYPE_failsafe, 1, FLAT_RING1_CS, 0,
      FLAT_RING1_CS, true },
    { "CB-4 event ignores a clear mask flag", CALLBACKTYPE_event, 0, FLAT_RING1_CS, 0,
      FLAT_RING1_CS, true },
    { "CB-4 syscall32 without mask_events", CALLBACKTYPE_syscall32, 0, FLAT_RING1_CS, 0,
      FLAT_RING1_CS, false },
    { "CB-4 only bit 0 of flags counts", CALLBACKTYPE_sysenter, 2, FLAT_RING1_CS, 0,
      FLAT_RING1_CS, false },
    { "CB-5 nmi ignores its CS", CALLBACKTYPE_nmi, 0, 0xE008, 0, FLAT_RING1_CS, true },
    { "CB-3 LDT CS accepted (judged when used)", CALLBACKTYPE_event, 0, 0x0007, 0, 0x0007, true },
    { "CB-3 GDT entry past the reserved page refused", CALLBACKTYPE_failsafe, 0, 0xFFF9, -EINVAL,
      0, false },
    { "CB-3 flat data selector refused", CALLBACKTYPE_event, 0, FLAT_RING1_DS, -EINVAL, 0, false },
};

struct cb_addr_case {
    const char *name;
    uint16_t type;
    uint32_t eip;
    int rc;
};

static const struct cb_addr_case cb_addr_cases[] = {
    { "CB-8 event at HYPERVISOR_VIRT_START refused", CALLBACKTYPE_event, HVS, -EINVAL },
    { "CB-8 failsafe in the hypervisor text refused", CALLBACKTYPE_failsafe, 0xFF001000u, -EINVAL },
    { "CB-8 nmi in the hypervisor refused", CALLBACKTYPE_nmi, 0xF6800000u, -EINVAL },
    { "CB-8 sysenter in the hypervisor refused", CALLBACKTYPE_sysenter, 0xFFFFFFF0u, -EINVAL },
    { "CB-8 syscall32 in the hypervisor refused", CALLBACKTYPE_syscall32, HVS + 4, -EINVAL },
    { "CB-8 event just below the hypervisor", CALLBACKTYPE_event, HVS - 1, 0 },
    { "CB-8 nmi just below the hypervisor", CALLBACKTYPE_nmi, HVS - 1, 0 },
    { "CB-1 unknown type wins over a bad address", 9, HVS, -ENOSYS },
};

static void test_callback_addresses(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cb_addr_cases); i++) {
        const struct cb_addr_case *c = &cb_addr_cases[i];
        struct callback_register reg = { c->type, 0, { FLAT_RING1_CS, c->eip } };
        struct trap_callback out = { 0xAAAAAAAAu, 0xBBBB, false };

        CHECK_EQ_CASE(c->name, trap_callback_register(&reg, &out), c->rc);
        CHECK_EQ_CASE(c->name, out.eip, c->rc ? 0xAAAAAAAAu : c->eip);
    }
}

struct stack_sel_case {
    const char *name;
    uint32_t ss;
    int rc;
    uint16_t out;
};

static const struct stack_sel_case stack_sel_cases[] = {
    { "CB-7 FLAT_RING1_SS", FLAT_RING1_SS, 0, FLAT_RING1_SS },
    { "CB-7 RPL 0 raised to FLAT_RING1_SS", 0xE020, 0, FLAT_RING1_SS },
    { "CB-7 FLAT_RING3_SS", FLAT_RING3_SS, 0, FLAT_RING3_SS },
    { "CB-7 guest GDT entry (filled in later)", 0x0069, 0, 0x0069 },
    { "CB-7 GDT entry 7167", 0xDFF9, 0, 0xDFF9 },
    { "CB-7 LDT selector with or without an LDT", 0x0007, 0, 0x0007 },
    { "CB-7 LDT selector 8191", 0xFFFF, 0, 0xFFFF },
    { "CB-7 past the GDT refused (BSA-2026-2: 0xFFF9)", 0xFFF9, -EINVAL, 0x5A5A },
    { "CB-7 first entry past the reserved page refused", 0xF001, -EINVAL, 0x5A5A },
    { "CB-7 null refused", 0x0000, -EINVAL, 0x5A5A },
    { "CB-7 null RPL 3 refused", 0x0003, -EINVAL, 0x5A5A },
    { "CB-7 hypervisor DS (ring 0) refused", 0xE010, -EINVAL, 0x5A5A },
    { "CB-7 hypervisor CS refused", 0xE008, -EINVAL, 0x5A5A },
    { "CB-7 TSS (system descriptor) refused", 0xE041, -EINVAL, 0x5A5A },
    { "CB-7 LDT descriptor slot refused", 0xE049, -EINVAL, 0x5A5A },
    { "CB-7 code where data: FLAT_RING1_CS refused", FLAT_RING1_CS, -EINVAL, 0x5A5A },
    { "CB-7 flat ring-1 DS with RPL 3 refused", 0xE023, -EINVAL, 0x5A5A },
    { "CB-7 above 16 bits refused", 0x1E021u, -EINVAL, 0x5A5A },
};

static void test_stack_switch(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(stack_sel_cases); i++) {
        const struct stack_sel_case *c = &stack_sel_cases[i];
        uint16_t out = 0x5A5A;

        CHECK_EQ_CASE(c->name, trap_stack_switch(c->ss, &out), c->rc);
        CHECK_EQ_CASE(c->name, out, c->out);
        if (c->ss <= 0xFFFFu)
            CHECK_EQ_CASE(c->name, trap_stack_selector_ok(trap_selector_fixup((uint16_t)c->ss)),
                          c->rc == 0);
    }
}

static void test_nmi(void)
{
    struct trap_callback none = { 0, 0, false }, cb = { 0xC0003000u, FLAT_RING1_CS, true };

    CHECK_EQ_CASE("NMI-3 nothing pending", trap_nmi_action(false, false, &cb), NMI_NONE);
    CHECK_EQ_CASE("NMI-3 pending, callback: deliver", trap_nmi_action(true, false, &cb),
                  NMI_DELIVER);
    CHECK_EQ_CASE("NMI-3 pending while an NMI frame is out: wait for iret",
                  trap_nmi_action(true, true, &cb), NMI_NONE);
    CHECK_EQ_CASE("NMI-3 pending, no callback: dropped", trap_nmi_action(true, false, &none),
                  NMI_DROP);
    CHECK_EQ_CASE("NMI-3 masked, no callback", trap_nmi_action(true, true, &none), NMI_NONE);
}

static void test_callbacks(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cb_cases); i++) {
        const struct cb_case *c = &cb_cases[i];
        struct callback_register reg = { c->type, c->flags, { c->cs, 0xC0002000u } };
        struct trap_callback out = { 0xAAAAAAAAu, 0xBBBB, false };

        CHECK_EQ_CASE(c->name, trap_callback_register(&reg, &out), c->rc);
        if (c->rc == 0) {
            CHECK_EQ_CASE(c->name, out.cs, c->cs_after);
            CHECK_EQ_CASE(c->name, out.eip, 0xC0002000u);
            CHECK_EQ_CASE(c->name, out.mask_events, c->mask);
        } else {
            CHECK_EQ_CASE(c->name, out.cs, 0xBBBB);
            CHECK_EQ_CASE(c->name, out.eip, 0xAAAAAAAAu);
        }
    }

    CHECK_EQ_CASE("CB-6 unregister event", trap_callback_unregister(CALLBACKTYPE_event), -EINVAL);
    CHECK_EQ_CASE("CB-6 unregister failsafe", trap_callback_unregister(CALLBACKTYPE_failsafe),
                  -EINVAL);
    CHECK_EQ_CASE("CB-6 unregister sysenter", trap_callback_unregister(CALLBACKTYPE_sysenter),
                  -EINVAL);
    CHECK_EQ_CASE("CB-6 unregister syscall32", trap_callback_unregister(CALLBACKTYPE_syscall32),
                  -EINVAL);
    CHECK_EQ_CASE("CB-6 unregister nmi", trap_callback_unregister(CALLBACKTYPE_nmi), 0);
    CHECK_EQ_CASE("CB-6 unregister syscall", trap_callback_unregister(CALLBACKTYPE_syscall),
                  -ENOSYS);
    CHECK_EQ_CASE("CB-6 unregister sysenter_deprecated",
                  trap_callback_unregister(CALLBACKTYPE_sysenter_deprecated), -ENOSYS);
    CHECK_EQ_CASE("CB-6 unregister type 42", trap_callback_unregister(42), -ENOSYS);

    CHECK_EQ_CASE("CB-7 stack_switch SS RPL raised", trap_selector_fixup(0xE020), FLAT_RING1_SS);
    CHECK_EQ_CASE("CB-7 stack_switch SS RPL kept", trap_selector_fixup(FLAT_RING1_SS),
                  FLAT_RING1_SS);
}

/* ------------------------------------------------------------------ */
/* iret                                                                */

static void test_iret_range(void)
{
    CHECK_EQ_CASE("IRET-1 frame ending at the hypervisor", iret_frame_range_ok(HVS - 40), true);
    CHECK_EQ_CASE("IRET-1 frame reaching the hypervisor", iret_frame_range_ok(HVS - 39), false);
    CHECK_EQ_CASE("IRET-1 frame wrapping", iret_frame_range_ok(0xFFFFFFF0u), false);
    CHECK_EQ_CASE("IRET-1 frame at 0", iret_frame_range_ok(0), true);
    CHECK_EQ_CASE("IRET-2 ring-1 frame", iret_frame_bytes(FLAT_RING1_CS), 16);
    CHECK_EQ_CASE("IRET-2 ring-0 frame (refused later)", iret_frame_bytes(0xE008), 16);
    CHECK_EQ_CASE("IRET-2 ring-2 frame", iret_frame_bytes(0x0062), 24);
    CHECK_EQ_CASE("IRET-2 ring-3 frame", iret_frame_bytes(FLAT_RING3_CS), 24);
}

struct iret_case {
    const char *name;
    uint32_t frame[6];
    uint32_t esp;
    int rc;
    struct iret_state want;
};

static const struct iret_case iret_cases[] = {
    { "IRET-2 return to ring 1", { 42, 0xC0001000u, FLAT_RING1_CS, 0x246, 0xDEAD, 0xBEEF },
      0xC0200000u, IRET_OK, { 42, 0xC0001000u, 0x246, 0xC0200010u, FLAT_RING1_CS, FLAT_RING1_SS, 0 } },
    { "IRET-2 return to ring 3 pops ESP and SS",
      { 7, 0x08048000u, FLAT_RING3_CS, 0x202, 0xBFFFF000u, FLAT_RING3_SS }, 0xC0200000u, IRET_OK,
      { 7, 0x08048000u, 0x202, 0xBFFFF000u, FLAT_RING3_CS, FLAT_RING3_SS, 0 } },
    { "IRET-3 upper half of the CS word ignored",
      { 0, 0x1000, 0xABCD0000u | FLAT_RING1_CS, 0x202, 0, 0 }, 0x1000, IRET_OK,
      { 0, 0x1000, 0x202, 0x1010, FLAT_RING1_CS, FLAT_RING1_SS, 0 } },
    { "IRET-2 upper half of the SS word ignored",
      { 0, 0x1000, FLAT_RING3_CS, 0x202, 0x2000, 0x12340000u | FLAT_RING3_SS }, 0x1000, IRET_OK,
      { 0, 0x1000, 0x202, 0x2000, FLAT_RING3_CS, FLAT_RING3_SS, 0 } },
    { "IRET-3 ring-0 CS crashes", { 0, 0x1000, 0xE008, 0x202, 0, 0 }, 0x1000, IRET_CRASH_RING0,
      { 0 } },
    { "IRET-3 null CS crashes", { 0, 0x1000, 0, 0x202, 0, 0 }, 0x1000, IRET_CRASH_RING0, { 0 } },
    { "IRET-4 IOPL 3 stripped", { 0, 0x1000, FLAT_RING1_CS, 0x3202, 0, 0 }, 0x1000, IRET_OK,
      { 0, 0x1000, 0x0202, 0x1010, FLAT_RING1_CS, FLAT_RING1_SS, 0 } },
    { "IRET-4/IRET-6 IF 0: real IF set, events masked",
      { 0, 0x1000, FLAT_RING1_CS, 0x0002, 0, 0 }, 0x1000, IRET_OK,
      { 0, 0x1000, 0x0202, 0x1010, FLAT_RING1_CS, FLAT_RING1_SS, 1 } },
    { "IRET-4 TF, NT, RF, AC, ID and the arithmetic flags kept",
      { 0, 0x1000, FLAT_RING3_CS, 0x255FD7u, 0x3000, FLAT_RING3_SS }, 0x1000, IRET_OK,
      { 0, 0x1000, 0x254FD7u, 0x3000, FLAT_RING3_CS, FLAT_RING3_SS, 0 } },
    { "IRET-5 VM86 crashes", { 0, 0x1000, FLAT_RING3_CS, 0x20202, 0, 0 }, 0x1000,
      IRET_CRASH_VM86, { 0 } },
    { "IRET-5 VM86 checked before the ring", { 0, 0x1000, 0xE008, 0x20202, 0, 0 }, 0x1000,
      IRET_CRASH_VM86, { 0 } },
    { "IRET-1 frame in the hypervisor crashes", { 0, 0x1000, FLAT_RING1_CS, 0x202, 0, 0 },
      HVS - 16, IRET_CRASH_RANGE, { 0 } },
    { "IRET-1 frame checked before anything else", { 0, 0x1000, 0xE008, 0x20202, 0, 0 },
      0xFFFFFFFCu, IRET_CRASH_RANGE, { 0 } },
};

static void test_iret(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(iret_cases); i++) {
        const struct iret_case *c = &iret_cases[i];
        struct iret_state out;
        int rc;

        memset(&out, 0, sizeof(out));
        rc = iret_decode(c->frame, c->esp, FLAT_RING1_SS, &out);
        CHECK_EQ_CASE(c->name, rc, c->rc);
        if (rc != IRET_OK)
            continue;
        CHECK_EQ_CASE(c->name, out.eax, c->want.eax);
        CHECK_EQ_CASE(c->name, out.eip, c->want.eip);
        CHECK_EQ_CASE(c->name, out.eflags, c->want.eflags);
        CHECK_EQ_CASE(c->name, out.esp, c->want.esp);
        CHECK_EQ_CASE(c->name, out.cs, c->want.cs);
        CHECK_EQ_CASE(c->name, out.ss, c->want.ss);
        CHECK_EQ_CASE(c->name, out.upcall_mask, c->want.upcall_mask);
    }
}

/* ------------------------------------------------------------------ */
/* Bounce frames                                                       */

/* A #PF from ring 3 with the usual flat selectors. */
static struct bounce_req pf_from_user(void)
{
    struct bounce_req r;

    memset(&r, 0, sizeof(r));
    r.eip = 0x08048123u;
    r.eflags = 0x246;
    r.esp = 0xBFFFF000u;
    r.cs = FLAT_RING3_CS;
    r.ss = FLAT_RING3_SS;
    r.ds = r.es = FLAT_RING3_DS;
    r.fs = 0x00D3;
    r.gs = 0x00E3;
    r.kernel_ss = FLAT_RING1_SS;
    r.kernel_sp = 0xC0400000u;
    r.handler_cs = FLAT_RING1_CS;
    r.handler_eip = 0xC0001000u;
    r.has_error = true;
    r.error_code = 6;
    return r;
}

static void check_words(const char *name, const struct bounce_frame *f, const uint32_t *want,
                        uint32_t n)
{
    uint32_t i;

    CHECK_EQ_CASE(name, f->nr_words, n);
    for (i = 0; i < n && i < BOUNCE_MAX_WORDS; i++)
        CHECK_EQ_CASE(name, f->words[i], want[i]);
}

static void test_bounce_layouts(void)
{
    struct bounce_req r = pf_from_user();
    struct bounce_frame f;

    {
        static const uint32_t w[] = { 6, 0x08048123u, FLAT_RING3_CS, 0x246, 0xBFFFF000u,
                                      FLAT_RING3_SS };
        const char *name = "BOUNCE-1/3 #PF from ring 3 on the kernel stack";

        CHECK_EQ_CASE(name, bounce_stack_selector(&r), FLAT_RING1_SS);
        CHECK_EQ_CASE(name, bounce_build(&r, &f), BOUNCE_OK);
        check_words(name, &f, w, 6);
        CHECK_EQ_CASE(name, f.esp, 0xC0400000u - 24);
        CHECK_EQ_CASE(name, f.frame_va, 0xC0400000u - 24);
        CHECK_EQ_CASE(name, f.ss, FLAT_RING1_SS);
        CHECK_EQ_CASE(name, f.cs, FLAT_RING1_CS);
        CHECK_EQ_CASE(name, f.eip, 0xC0001000u);
        CHECK_EQ_CASE(name, f.eflags, 0x246);
        CHECK_EQ_CASE(name, f.upcall_mask, 0);
    }
    {
        static const uint32_t w[] = { 0x08048123u, FLAT_RING3_CS, 0x246, 0xBFFFF000u,
                                      FLAT_RING3_SS };
        const char *name = "BOUNCE-3 no error code, interrupt gate masks events";

        r.has_error = false;
        r.mask_events = true;
        CHECK_EQ_CASE(name, bounce_build(&r, &f), BOUNCE_OK);
        check_words(name, &f, w, 5);
        CHECK_EQ_CASE(name, f.upcall_mask, 1);
    }
    {
        static const uint32_t w[] = { 0xC0101234u, FLAT_RING1_CS | (1u << 16), 0x0046 };
        const char *name = "BOUNCE-1/3 event from ring 1 with events masked, on the same stack";

        r.cs = FLAT_RING1_CS;
        r.ss = FLAT_RING1_SS;
        r.eip = 0xC0101234u;
        r.esp = 0xC0300000u;
        r.saved_mask = 1;
        r.kernel_ss = 0;             /* not used from ring 1 */
        CHECK_EQ_CASE(name, bounce_stack_selector(&r), FLAT_RING1_SS);
        CHECK_EQ_CASE(name, bounce_build(&r, &f), BOUNCE_OK);
        check_words(name, &f, w, 3);
        CHECK_EQ_CASE(name, f.esp, 0xC0300000u - 12);
        CHECK_EQ_CASE(name, f.ss, FLAT_RING1_SS);
        CHECK_EQ_CASE(name, f.upcall_mask, 1);
        CHECK_EQ_CASE(name, f.eflags, 0x246);
    }
    {
        static const uint32_t w[] = { FLAT_RING3_DS, FLAT_RING3_DS, 0x00D3, 0x00E3,
                                      0x08048123u, FLAT_RING3_CS, 0x246, 0xBFFFF000u,
                                      FLAT_RING3_SS };
        const char *name = "BOUNCE-3 failsafe frame from ring 3";

        r = pf_from_user();
        r.has_error = false;
        r.failsafe = true;
        CHECK_EQ_CASE(name, bounce_build(&r, &f), BOUNCE_OK);
        check_words(name, &f, w, 9);
        CHECK_EQ_CASE(name, f.esp, 0xC0400000u - 36);
    }
    {
        static const uint32_t w[] = { FLAT_RING3_DS, FLAT_RING3_DS, 0x00D3, 0x00E3, 6,
                                      0x08048123u, FLAT_RING3_CS | (0xFFu << 16), 0x046,
                                      0xBFFFF000u, FLAT_RING3_SS };
        const char *name = "BOUNCE-3 largest frame: failsafe, error code, outer ring";

        r = pf_from_user();
        r.failsafe = true;
        r.saved_mask = 0xFF;
        CHECK_EQ_CASE(name, bounce_build(&r, &f), BOUNCE_OK);
        check_words(name, &f, w, 10);
        CHECK_EQ_CASE(name, f.esp, 0xC0400000u - 40);
        CHECK_EQ_CASE(name, f.upcall_mask, 0xFF);
    }
    {
        static const uint32_t w[] = { 6, 0x08048123u, FLAT_RING3_CS, 0x14B47u, 0xBFFFF000u,
                                      FLAT_RING3_SS };
        const char *name = "BOUNCE-5 TF, NT, RF and IOPL cleared for the handler";

        r = pf_from_user();
        r.eflags = 0x17B47u;          /* RF NT IOPL=3 TF IF + arithmetic */
        CHECK_EQ_CASE(name, bounce_build(&r, &f), BOUNCE_OK);
        /* the frame keeps TF, NT, RF; IOPL cleared, IF = !saved_mask */
        check_words(name, &f, w, 6);
        CHECK_EQ_CASE(name, f.eflags, 0x0A47u);
    }
    {
        const char *name = "BOUNCE-4 segment base added to the frame address";

        r = pf_from_user();
        r.ss_base = 0x1000;
        CHECK_EQ_CASE(name, bounce_build(&r, &f), BOUNCE_OK);
        CHECK_EQ_CASE(name, f.esp, 0xC0400000u - 24);
        CHECK_EQ_CASE(name, f.frame_va, 0xC0401000u - 24);
    }
}

struct bounce_err_case {
    const char *name;
    uint16_t cs;          /* interrupted CS */
    uint32_t eflags;
    uint16_t handler_cs;
    uint16_t kernel_ss;
    uint32_t top;         /* kernel_sp (ring 3) or esp (ring 1) */
    uint32_t ss_base;
    int rc;
};

static const struct bounce_err_case bounce_err_cases[] = {
    { "BOUNCE-6 interrupted ring 0", 0xE008, 0x202, FLAT_RING1_CS, FLAT_RING1_SS, 0xC0000000u,
      0, BOUNCE_CRASH_CONTEXT },
    { "BOUNCE-6 interrupted VM86", FLAT_RING3_CS, 0x20202, FLAT_RING1_CS, FLAT_RING1_SS,
      0xC0000000u, 0, BOUNCE_CRASH_CONTEXT },
    { "BOUNCE-2 no handler (null CS)", FLAT_RING3_CS, 0x202, 0, FLAT_RING1_SS, 0xC0000000u, 0,
      BOUNCE_CRASH_HANDLER },
    { "BOUNCE-2 null CS with RPL 1", FLAT_RING3_CS, 0x202, 1, FLAT_RING1_SS, 0xC0000000u, 0,
      BOUNCE_CRASH_HANDLER },
    { "BOUNCE-2 ring-0 handler CS", FLAT_RING3_CS, 0x202, 0xE008, FLAT_RING1_SS, 0xC0000000u, 0,
      BOUNCE_CRASH_HANDLER },
    { "BOUNCE-1 null kernel SS from ring 3", FLAT_RING3_CS, 0x202, FLAT_RING1_CS, 0,
      0xC0000000u, 0, BOUNCE_CRASH_STACK_SEL },
    { "BOUNCE-1 RPL-0 kernel SS from ring 3", FLAT_RING3_CS, 0x202, FLAT_RING1_CS, 0xE010,
      0xC0000000u, 0, BOUNCE_CRASH_STACK_SEL },
    { "BOUNCE-4 kernel stack 0xFBADC0DE", FLAT_RING3_CS, 0x202, FLAT_RING1_CS, FLAT_RING1_SS,
      0xFBADC0DEu, 0, BOUNCE_CRASH_STACK },
    { "BOUNCE-4 stack top at the hypervisor start", FLAT_RING3_CS, 0x202, FLAT_RING1_CS,
      FLAT_RING1_SS, HVS, 0, BOUNCE_OK },
    { "BOUNCE-4 stack top one word into the hypervisor", FLAT_RING3_CS, 0x202, FLAT_RING1_CS,
      FLAT_RING1_SS, HVS + 4, 0, BOUNCE_CRASH_STACK },
    { "BOUNCE-4 ring-1 frame that would wrap below 0", FLAT_RING1_CS, 0x202, FLAT_RING1_CS, 0,
      8, 0, BOUNCE_CRASH_STACK },
    { "BOUNCE-4 ring-1 frame one byte short", FLAT_RING1_CS, 0x202, FLAT_RING1_CS, 0, 11, 0,
      BOUNCE_CRASH_STACK },
    { "BOUNCE-4 ring-1 frame ending at 0 fits", FLAT_RING1_CS, 0x202, FLAT_RING1_CS, 0, 12, 0,
      BOUNCE_OK },
    { "BOUNCE-4 segment base pushes the frame into the hypervisor", FLAT_RING3_CS, 0x202,
      FLAT_RING1_CS, FLAT_RING1_SS, HVS - 0x1000 + 4, 0x1000, BOUNCE_CRASH_STACK },
    { "BOUNCE-4 segment base within bounds", FLAT_RING3_CS, 0x202, FLAT_RING1_CS,
      FLAT_RING1_SS, HVS - 0x1000, 0x1000, BOUNCE_OK },
    { "BOUNCE-4 segment base above the hypervisor start", FLAT_RING3_CS, 0x202, FLAT_RING1_CS,
      FLAT_RING1_SS, 0x100, 0xF6000000u, BOUNCE_CRASH_STACK },
    { "BOUNCE-4 wrapping segment base", FLAT_RING3_CS, 0x202, FLAT_RING1_CS, FLAT_RING1_SS,
      0x2000, 0xFFFFF000u, BOUNCE_CRASH_STACK },
};

static void test_bounce_errors(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(bounce_err_cases); i++) {
        const struct bounce_err_case *c = &bounce_err_cases[i];
        struct bounce_req r = pf_from_user();
        struct bounce_frame f;

        r.has_error = false;
        r.cs = c->cs;
        r.eflags = c->eflags;
        r.handler_cs = c->handler_cs;
        r.kernel_ss = c->kernel_ss;
        r.kernel_sp = c->top;
        r.esp = c->top;
        r.ss_base = c->ss_base;
        CHECK_EQ_CASE(c->name, bounce_build(&r, &f), c->rc);
    }
}

/* ------------------------------------------------------------------ */
/* Reference models, pseudo-random inputs                              */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rnd32(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

static uint16_t rnd_sel(void)
{
    static const uint16_t sels[] = { 0, 1, 3, 0xE008, 0xE010, FLAT_RING1_CS, FLAT_RING3_CS,
                                     FLAT_RING1_SS, 0x0061, 0x0062, 0x0007 };
    uint32_t r = rnd32();

    return (r & 1) ? sels[(r >> 1) % ARRAY_SIZE(sels)] : (uint16_t)(r >> 8);
}

static int ref_iret(const uint32_t fr[6], uint32_t esp, uint16_t ss, struct iret_state *o)
{
    if (esp > HVS - 40)
        return IRET_CRASH_RANGE;
    if (fr[3] & EFLAGS_VM)
        return IRET_CRASH_VM86;
    if ((fr[2] & 3) == 0)
        return IRET_CRASH_RING0;
    o->eax = fr[0];
    o->eip = fr[1];
    o->cs = (uint16_t)fr[2];
    o->eflags = (fr[3] & ~EFLAGS_IOPL) | EFLAGS_IF;
    o->upcall_mask = !(fr[3] & EFLAGS_IF);
    if ((fr[2] & 3) == 1) {
        o->esp = esp + 16;
        o->ss = ss;
    } else {
        o->esp = fr[4];
        o->ss = (uint16_t)fr[5];
    }
    return IRET_OK;
}

static void test_iret_random(void)
{
    unsigned i, bad = 0, unsafe = 0;

    for (i = 0; i < 200000u; i++) {
        uint32_t fr[6];
        uint32_t esp = (rnd32() & 1) ? rnd32() : HVS - 48 + rnd32() % 16;
        struct iret_state got, want;
        int rc, want_rc;
        unsigned k;

        for (k = 0; k < 6; k++)
            fr[k] = rnd32();
        if (rnd32() & 1)
            fr[3] &= ~EFLAGS_VM;
        memset(&got, 0, sizeof(got));
        memset(&want, 0, sizeof(want));
        rc = iret_decode(fr, esp, FLAT_RING1_SS, &got);
        want_rc = ref_iret(fr, esp, FLAT_RING1_SS, &want);
        if (rc != want_rc || (rc == IRET_OK && memcmp(&got, &want, sizeof(got)) != 0))
            bad++;
        if (rc == IRET_OK && ((got.cs & 3) == 0 || (got.eflags & EFLAGS_IOPL) ||
                              !(got.eflags & EFLAGS_IF) || (got.eflags & EFLAGS_VM)))
            unsafe++;
    }
    CHECK_EQ_CASE("IRET-1..6 agree with the reference model", bad, 0);
    CHECK_EQ_CASE("IRET-3/4 never ring 0, IOPL, IF 0 or VM", unsafe, 0);
}

static int ref_bounce(const struct bounce_req *r, struct bounce_frame *o)
{
    bool outer = (r->cs & 2) != 0;
    uint32_t top = outer ? r->kernel_sp : r->esp;
    uint32_t n = 3 + (r->has_error ? 1 : 0) + (r->failsafe ? 4 : 0) + (outer ? 2 : 0);
    uint64_t lin_top = (uint64_t)r->ss_base + top;
    uint32_t w[BOUNCE_MAX_WORDS], *p = w + BOUNCE_MAX_WORDS;
    uint32_t i;

    if ((r->cs & 3) == 0 || (r->eflags & EFLAGS_VM))
        return BOUNCE_CRASH_CONTEXT;
    if ((r->handler_cs & ~3u) == 0 || (r->handler_cs & 3) == 0)
        return BOUNCE_CRASH_HANDLER;
    if (outer && ((r->kernel_ss & ~3u) == 0 || (r->kernel_ss & 3) == 0))
        return BOUNCE_CRASH_STACK_SEL;
    if (top < 4 * n || lin_top > HVS)
        return BOUNCE_CRASH_STACK;
    /* push, high to low, as the CPU would */
    if (outer) {
        *--p = r->ss;
        *--p = r->esp;
    }
    *--p = (r->eflags & ~(EFLAGS_IF | EFLAGS_IOPL)) | (r->saved_mask ? 0 : EFLAGS_IF);
    *--p = r->cs | ((uint32_t)r->saved_mask << 16);
    *--p = r->eip;
    if (r->has_error)
        *--p = r->error_code;
    if (r->failsafe) {
        *--p = r->gs;
        *--p = r->fs;
        *--p = r->es;
        *--p = r->ds;
    }
    memset(o, 0, sizeof(*o));
    for (i = 0; i < n; i++)
        o->words[i] = p[i];
    o->nr_words = n;
    o->esp = top - 4 * n;
    o->frame_va = r->ss_base + o->esp;
    o->ss = outer ? r->kernel_ss : r->ss;
    o->cs = r->handler_cs;
    o->eip = r->handler_eip;
    o->eflags = (r->eflags & ~(EFLAGS_TF | EFLAGS_NT | EFLAGS_RF | EFLAGS_VM | EFLAGS_IOPL)) |
                EFLAGS_IF;
    o->upcall_mask = r->mask_events ? 1 : r->saved_mask;
    return BOUNCE_OK;
}

static void test_bounce_random(void)
{
    unsigned i, bad = 0, unsafe = 0, ok = 0;

    for (i = 0; i < 200000u; i++) {
        struct bounce_req r;
        struct bounce_frame got, want;
        int rc, want_rc;

        memset(&r, 0, sizeof(r));
        r.eip = rnd32();
        r.eflags = rnd32() & ((rnd32() & 1) ? ~EFLAGS_VM : ~0u);
        r.esp = (rnd32() & 1) ? rnd32() : HVS - rnd32() % 64;
        r.cs = rnd_sel();
        r.ss = rnd_sel();
        r.ds = rnd_sel();
        r.es = rnd_sel();
        r.fs = rnd_sel();
        r.gs = rnd_sel();
        r.saved_mask = (uint8_t)((rnd32() & 1) ? rnd32() : 0);
        r.kernel_ss = rnd_sel();
        r.kernel_sp = (rnd32() & 1) ? rnd32() : HVS - rnd32() % 64;
        r.ss_base = (rnd32() % 4 == 0) ? rnd32() : 0;
        r.handler_cs = rnd_sel();
        r.handler_eip = rnd32();
        r.mask_events = rnd32() & 1;
        r.has_error = rnd32() & 1;
        r.error_code = rnd32();
        r.failsafe = rnd32() & 1;

        memset(&got, 0, sizeof(got));
        rc = bounce_build(&r, &got);
        want_rc = ref_bounce(&r, &want);
        if (rc != want_rc || (rc == BOUNCE_OK && memcmp(&got, &want, sizeof(got)) != 0))
            bad++;
        if (rc == BOUNCE_OK) {
            ok++;
            /* the glue judges the stack segment for exactly this frame (DESC-13) */
            if (bounce_frame_bytes(&r) != 4 * got.nr_words ||
                bounce_stack_top(&r) != got.esp + 4 * got.nr_words)
                bad++;
            if ((got.cs & 3) == 0 || got.cs < 4 || (got.eflags & EFLAGS_IOPL) ||
                !(got.eflags & EFLAGS_IF) ||
                (uint64_t)got.frame_va + 4 * got.nr_words > HVS)
                unsafe++;
        }
    }
    CHECK_EQ_CASE("BOUNCE-1..6 agree with the reference model", bad, 0);
    CHECK_EQ_CASE("BOUNCE-2/4/5 handler never ring 0, frame below the hypervisor", unsafe, 0);
    CHECK_CASE_GE("random bounces exercise the OK path", ok, 10000);
}

int main(void)
{
    test_entries();
    test_entry_addresses();
    test_soft_int();
    test_int80();
    test_callbacks();
    test_callback_addresses();
    test_stack_switch();
    test_nmi();
    test_iret_range();
    test_iret();
    test_bounce_layouts();
    test_bounce_errors();
    test_iret_random();
    test_bounce_random();
    return check_report();
}
