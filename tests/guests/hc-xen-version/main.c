/*
 * Scenario: xen_version answers, checked for sense and for leaks.
 *
 * Every sub-op that writes a buffer gets one pre-filled with 0xAA, so a
 * byte the hypervisor did not write (or wrote from an uninitialised local
 * of its own stack) shows up: each string must end within its ABI size and
 * every byte after its terminator must be zero. The values themselves are
 * checked against spec/hypercalls.md (version 4.2, "-bulkhead",
 * "xen-3.0-x86_32p", virt_start 0xF5800000, the feature bits). The guest
 * runs both as dom0 and as an unprivileged domain: the dom0 feature bit and
 * XENVER_commandline depend on that. A bad pointer for each sub-op gives
 * -EFAULT, including a buffer that starts mapped and runs off its page.
 */
#include "pv/elfnote.h"
#include "pv/errno.h"
#include "pv/layout.h"
#include "pv/mmu.h"
#include "pv/version.h"
#include "test.h"

#define FILL 0xAAu

/* Room for the largest answer (1024 bytes) plus a guard past it. */
static uint8_t buf[2048] __attribute__((aligned(4096)));
/* A page that we unmap, so a buffer ending in it runs into a hole. */
static uint8_t edge[2][4096] __attribute__((aligned(4096)));

static int32_t xv(uint32_t cmd, void *arg)
{
    return hcall2(__HYPERVISOR_xen_version, cmd, GPTR(arg));
}

static void fill(void)
{
    memset(buf, FILL, sizeof(buf));
}

/* Bytes past `size` must be untouched: the answer has an exact size. */
static void check_guard(const char *what, uint32_t size)
{
    uint32_t i, bad = 0;

    for (i = size; i < sizeof(buf); i++)
        bad += buf[i] != FILL;
    if (bad)
        gprintf("%s: %u bytes written past the answer\n", what, bad);
    test_check(what, bad == 0);
}

/*
 * A string field of `size` bytes at `p`: terminated inside the field, at
 * least `min_len` long, printable, and zero from the terminator to the end.
 */
static void check_string(const char *what, const uint8_t *p, uint32_t size, uint32_t min_len)
{
    uint32_t len = 0, i, dirty = 0, unprintable = 0;

    while (len < size && p[len])
        len++;
    if (len == size) {
        gprintf("FAILED: %s: no terminator within %u bytes\n", what, size);
        test_check(what, 0);
        return;
    }
    for (i = 0; i < len; i++)
        unprintable += p[i] < 0x20 || p[i] > 0x7E;
    for (i = len; i < size; i++)
        dirty += p[i] != 0;
    gprintf("%s: '%s' (%u of %u bytes, %u non-zero after the terminator)\n",
            what, (const char *)p, len, size, dirty);
    test_check(what, len >= min_len && !unprintable && !dirty);
}

static void version_and_pagesize(void)
{
    CHECK_RC("XENVER_version is 4.2", xv(XENVER_version, NULL), (4 << 16) | 2);
    CHECK_RC("XENVER_pagesize", xv(XENVER_pagesize, NULL), 4096);
}

static void strings(void)
{
    fill();
    CHECK_RC("XENVER_extraversion", xv(XENVER_extraversion, buf), 0);
    check_string("extraversion", buf, XEN_EXTRAVERSION_LEN, 1);
    test_check("extraversion is -bulkhead", !strcmp((const char *)buf, "-bulkhead"));
    check_guard("extraversion writes 16 bytes", XEN_EXTRAVERSION_LEN);

    fill();
    CHECK_RC("XENVER_capabilities", xv(XENVER_capabilities, buf), 0);
    check_string("capabilities", buf, XEN_CAPABILITIES_INFO_LEN, 1);
    test_check("capabilities name xen-3.0-x86_32p",
               strstr((const char *)buf, XEN_CAPABILITY_X86_32P) != NULL);
    check_guard("capabilities writes 1024 bytes", XEN_CAPABILITIES_INFO_LEN);

    fill();
    CHECK_RC("XENVER_changeset", xv(XENVER_changeset, buf), 0);
    check_string("changeset", buf, XEN_CHANGESET_INFO_LEN, 1);
    check_guard("changeset writes 64 bytes", XEN_CHANGESET_INFO_LEN);
}

static void compile_info(void)
{
    const struct xen_compile_info *ci = (const struct xen_compile_info *)buf;

    fill();
    CHECK_RC("XENVER_compile_info", xv(XENVER_compile_info, buf), 0);
    check_string("compiler", (const uint8_t *)ci->compiler, sizeof(ci->compiler), 1);
    check_string("compile_by", (const uint8_t *)ci->compile_by, sizeof(ci->compile_by), 1);
    /* Bulkhead names no compile domain: the whole field is padding. */
    check_string("compile_domain", (const uint8_t *)ci->compile_domain, sizeof(ci->compile_domain), 0);
    check_string("compile_date", (const uint8_t *)ci->compile_date, sizeof(ci->compile_date), 1);
    check_guard("compile_info writes 144 bytes", sizeof(*ci));
}

static void platform_parameters(void)
{
    struct xen_platform_parameters *pp = (struct xen_platform_parameters *)buf;

    fill();
    CHECK_RC("XENVER_platform_parameters", xv(XENVER_platform_parameters, buf), 0);
    gprintf("virt_start %08x\n", pp->virt_start);
    CHECK_RC("virt_start is HYPERVISOR_VIRT_START", pp->virt_start, HYPERVISOR_VIRT_START);
    CHECK_RC("virt_start is 0xF5800000", pp->virt_start, 0xF5800000u);
    check_guard("platform_parameters writes 4 bytes", sizeof(*pp));
}

static void features(bool privileged)
{
    struct xen_feature_info *fi = (struct xen_feature_info *)buf;
    uint32_t want = 1u << XENFEAT_mmu_pt_update_preserve_ad;

    if (privileged)
        want |= 1u << XENFEAT_dom0;
    fill();
    fi->submap_idx = 0;
    CHECK_RC("XENVER_get_features submap 0", xv(XENVER_get_features, buf), 0);
    gprintf("features[0] %08x\n", fi->submap);
    CHECK_RC("submap_idx left alone", fi->submap_idx, 0);
    CHECK_RC("features[0] are exactly the spec's", fi->submap, want);
    check_guard("get_features writes 8 bytes", sizeof(*fi));

    /* There is one submap (XENFEAT_NR_SUBMAPS): the others are empty. */
    fill();
    fi->submap_idx = 1;
    CHECK_RC("XENVER_get_features submap 1", xv(XENVER_get_features, buf), 0);
    CHECK_RC("features[1] are empty", fi->submap, 0);
}

static void handle_and_commandline(bool privileged)
{
    uint32_t i, nonzero = 0;

    fill();
    CHECK_RC("XENVER_guest_handle", xv(XENVER_guest_handle, buf), 0);
    for (i = 0; i < sizeof(xen_domain_handle_t); i++)
        nonzero += buf[i] != 0;
    test_check("guest_handle is all zero", nonzero == 0);
    check_guard("guest_handle writes 16 bytes", sizeof(xen_domain_handle_t));

    fill();
    if (!privileged) {
        CHECK_RC("XENVER_commandline is privileged", xv(XENVER_commandline, buf), -EPERM);
        check_guard("a refused commandline writes nothing", 0);
        return;
    }
    CHECK_RC("XENVER_commandline", xv(XENVER_commandline, buf), 0);
    check_string("commandline", buf, XEN_COMMANDLINE_INFO_LEN, 1);
    /* The scenario boots in test mode, which the command line says. */
    test_check("commandline names testmode", strstr((const char *)buf, "testmode") != NULL);
    check_guard("commandline writes 1024 bytes", XEN_COMMANDLINE_INFO_LEN);
}

/*
 * Bad buffers: a read-only one (our own L3), the hypervisor area, and one
 * that begins mapped and ends in an unmapped page. All are -EFAULT (an
 * unprivileged caller's commandline is -EPERM first, whatever the buffer).
 */
static void bad_pointers(bool privileged)
{
    static const struct { uint32_t cmd; uint32_t size; } outs[] = {
        { XENVER_extraversion, XEN_EXTRAVERSION_LEN },
        { XENVER_compile_info, sizeof(struct xen_compile_info) },
        { XENVER_capabilities, XEN_CAPABILITIES_INFO_LEN },
        { XENVER_changeset, XEN_CHANGESET_INFO_LEN },
        { XENVER_platform_parameters, sizeof(struct xen_platform_parameters) },
        { XENVER_get_features, sizeof(struct xen_feature_info) },
        { XENVER_guest_handle, sizeof(xen_domain_handle_t) },
        { XENVER_commandline, XEN_COMMANDLINE_INFO_LEN },
    };
    uint32_t i;

    CHECK_RC("unmap the edge page",
             hcall4(__HYPERVISOR_update_va_mapping, GPTR(edge[1]), 0, 0, UVMF_INVLPG), 0);
    for (i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
        int32_t want = outs[i].cmd == XENVER_commandline && !privileged ? -EPERM : -EFAULT;
        uint8_t *straddle = edge[1] - outs[i].size / 2u - 1u;

        gprintf("bad pointers for sub-op %u\n", outs[i].cmd);
        CHECK_RC("to NULL", hcall2(__HYPERVISOR_xen_version, outs[i].cmd, 0), want);
        CHECK_RC("to the read-only L3",
                 hcall2(__HYPERVISOR_xen_version, outs[i].cmd, start_info->pt_base), want);
        CHECK_RC("to the hypervisor area",
                 hcall2(__HYPERVISOR_xen_version, outs[i].cmd, HYPERVISOR_VIRT_START), want);
        CHECK_RC("to the last byte below the hypervisor",
                 hcall2(__HYPERVISOR_xen_version, outs[i].cmd, HYPERVISOR_VIRT_START - 1), want);
        if (outs[i].cmd == XENVER_get_features)
            ((struct xen_feature_info *)straddle)->submap_idx = 0;
        CHECK_RC("running off a mapped page into a hole",
                 hcall2(__HYPERVISOR_xen_version, outs[i].cmd, GPTR(straddle)), want);
    }
    CHECK_RC("still answering", xv(XENVER_version, NULL), (4 << 16) | 2);
}

/*
 * What the hypervisor's dom0 builder hands over: BOOT-12's start_info magic
 * and flags, BOOT-14's initial registers (saved by the runtime's entry).
 */
static void dom0_boot_protocol(const struct start_info *si)
{
    const struct guest_entry_regs *r = &guest_entry_regs;

    test_check("BOOT-12 magic", !strcmp(si->magic, PV_START_INFO_MAGIC));
    test_check("BOOT-12 SIF_PRIVILEGED|SIF_INITDOMAIN",
               (si->flags & (SIF_PRIVILEGED | SIF_INITDOMAIN)) == (SIF_PRIVILEGED | SIF_INITDOMAIN));
    test_check("BOOT-14 ESI is start_info", r->esi == GPTR(si));
    test_check("BOOT-14 ESP is the top of the boot stack page",
               r->esp == si->pt_base + (si->nr_pt_frames + 1) * 4096u);
    test_check("BOOT-14 other GPRs 0",
               !r->eax && !r->ebx && !r->ecx && !r->edx && !r->edi && !r->ebp);
    test_check("BOOT-14 CS 0xE019", r->cs == 0xE019);
    test_check("BOOT-14 data segments 0xE021", r->ds == 0xE021 && r->es == 0xE021 &&
               r->fs == 0xE021 && r->gs == 0xE021 && r->ss == 0xE021);
    test_check("BOOT-14 EFLAGS 0x202", r->eflags == 0x202);
}

int guest_main(struct start_info *si)
{
    bool privileged = (si->flags & SIF_PRIVILEGED) != 0;

    gprintf("hc-xen-version: answers as %s\n", privileged ? "dom0" : "an unprivileged domain");
    if (privileged)
        dom0_boot_protocol(si);
    /* Like XTF, unmap page 0 so NULL really is unmapped. */
    CHECK_RC("unmap page 0", hcall4(__HYPERVISOR_update_va_mapping, 0, 0, 0, UVMF_INVLPG), 0);
    version_and_pagesize();
    strings();
    compile_info();
    platform_parameters();
    features(privileged);
    handle_and_commandline(privileged);
    bad_pointers(privileged);
    test_finish();
}
