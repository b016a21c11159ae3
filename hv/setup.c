/*
 * The boot sequence, from the first C instruction to dom0's first one.
 * Order matters: the console first (so every later failure is visible),
 * then memory (everything else allocates), then descriptor tables, then
 * dom0, built from the first boot module exactly as Xen builds it.
 */
#include "arch/desc.h"
#include "arch/fpu.h"
#include "audit.h"
#include "console_io.h"
#include "arch/mm.h"
#include "arch/serial.h"
#include "bootinfo.h"
#include "cmdline.h"
#include "dom0_build.h"
#include "irq.h"
#include "machine.h"
#include "domain.h"
#include "printk.h"
#include "sched.h"
#include "time.h"
#include "version_info.h"

static struct boot_info boot_info;
static struct hv_options options;
const char *hv_cmdline = "";
extern uint32_t boot_have_nx;

void hv_start(uint32_t magic, uint32_t info_pa);

/* BOOT-16: say it loudly where guests cannot be kept out of the hypervisor. */
static void probe_seg_limits(void)
{
    if (desc_probe_seg_limits()) {
        log_info("boot: segment limits enforced (a read past a test segment's limit faulted)\n");
        return;
    }
    printk("\n*** WARNING: segment limits not enforced by this CPU: guests are not isolated from the hypervisor ***\n"
           "*** A read past a test segment's limit did not fault (an emulator such as QEMU's TCG does this):\n"
           "*** a guest kernel in ring 1 can read and write hypervisor memory. Do not run untrusted guests here.\n\n");
}

static void apply_options(void)
{
    cmdline_parse(boot_info.cmdline, &options);
    log_level = options.log_level;
    test_mode = options.test_mode;
    audit_enabled = options.audit;
    hv_cmdline = boot_info.cmdline;
    if (options.nr_bad)
        log_warn("cmdline: ignoring %u bad option(s), first: '%s'\n",
                 options.nr_bad, options.first_bad);
}

void hv_start(uint32_t magic, uint32_t info_pa)
{
    int rc;

    serial_init();
    printk("\nBulkhead hypervisor (%s) starting\n", BUILD_CHANGESET);
    rc = multiboot_parse(magic, info_pa, &boot_info);
    if (rc)
        panic("boot: cannot read the boot loader's information (%d)", rc);
    apply_options();
    log_info("boot: %s, command line '%s', %u module(s)\n",
             boot_info.loader, boot_info.cmdline, boot_info.nr_mods);
    if (!boot_have_nx)
        panic("boot: this CPU has no NX; Bulkhead needs PAE with NX");

    mm_init(&boot_info);
    mm_set_cr4(options.smep, options.smap);
    desc_init(idle_l3_pa);
    if (options.bench_gate) {
        desc_install_bench_gates();
        log_warn("boot: benchgate: int $0x%x and $0x%x from ring 1 return at once (BOOT-17)\n",
                 BENCH_GATE_VECTOR, BENCH_SEG_VECTOR);
    }
    probe_seg_limits();
    mapcache_init();
    irq_init();
    fpu_init();
    time_init();
    irq_unmask(0);
    sched_quantum_ns = (uint64_t)options.sched_quantum_ms * 1000000u;
    console_rate = options.console_rate;

    if (boot_info.nr_mods == 0)
        panic("boot: no dom0 image (give the dom0 kernel as the first module)");
    dom0_build(&boot_info, &options);
    mm_end_boot();
    audit_check("dom0 build", 0);
    if (options.crash_test && test_mode) {
        log_warn("crashtest: faulting in ring 0 on purpose\n");
        volatile uintptr_t page0 = 16;          /* page 0 is never mapped for us */
        *(volatile uint32_t *)page0 = 0;
    }
    log_info("boot: starting dom0\n");
    sched_start(domain_by_id(0));
}
