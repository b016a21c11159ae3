/*
 * Scenario: NMIs (spec/traps.md NMI-1..NMI-3), from a test dom0.
 *
 * A registered NMI callback is used: VCPUOP_send_nmi (NULL argument; any
 * other is -EINVAL) enters it on FLAT_RING1_CS whatever CS was given at
 * registration (CB-5), with events masked, resuming where we were. A
 * second NMI raised inside the callback waits for its iret, then comes.
 * With the callback unregistered an NMI is dropped, and a callback at a
 * hypervisor address is refused (CB-8). Then a physical NMI: we block
 * (all domains idle, so the CPU waits in the hypervisor, ring 0), the
 * runner injects an NMI through QEMU's monitor when it sees our "waiting"
 * line, and the hypervisor must not panic: as Xen does with an NMI of
 * unknown cause, it hands it to dom0, whose callback then runs with
 * XEN_NMIREASON_unknown in shared_info.
 */
#include "pv/arch_x86_32.h"
#include "pv/callback.h"
#include "pv/errno.h"
#include "pv/layout.h"
#include "pv/vcpu.h"
#include "pvtime.h"
#include "test.h"

#define IRET_SLOT (23 * 32)

/* What the callback saw: the interrupted EIP, CS word, EFLAGS. */
struct nmi_frame {
    uint32_t eip, cs, eflags;
};

static volatile uint32_t nmis, nested_raised;
static volatile uint32_t mask_in_callback;
static struct nmi_frame last;
static volatile bool raise_nested;

void nmi_record(const struct nmi_frame *f);
void nmi_record(const struct nmi_frame *f)
{
    last = *f;
    nmis++;
    mask_in_callback = pv_shared_info()->vcpu_info[0].evtchn_upcall_mask;
    if (raise_nested) {
        raise_nested = false;
        nested_raised = nmis;
        /* NMI-3: this one must wait for our iret */
        hcall3(__HYPERVISOR_vcpu_op, VCPUOP_send_nmi, 0, 0);
        test_check("a nested NMI waits for the iret", nmis == nested_raised);
    }
}

void nmi_entry(void);
__asm__(
    "   .text\n"
    "   .globl nmi_entry\n"
    "nmi_entry:\n"
    "   pushal\n"
    "   cld\n"
    "   leal 32(%esp), %eax\n"
    "   pushl %eax\n"
    "   call nmi_record\n"
    "   addl $4, %esp\n"
    "   popal\n"
    "   jmp hypercall_page + 23 * 32\n");

static int32_t register_nmi(uint32_t cs, uint32_t eip)
{
    struct callback_register reg = { CALLBACKTYPE_nmi, 0, { cs, eip } };

    return hcall2(__HYPERVISOR_callback_op, CALLBACKOP_register, GPTR(&reg));
}

static int32_t unregister_nmi(void)
{
    struct callback_unregister un = { CALLBACKTYPE_nmi, 0 };

    return hcall2(__HYPERVISOR_callback_op, CALLBACKOP_unregister, GPTR(&un));
}

static int32_t send_nmi(uint32_t arg)
{
    return hcall3(__HYPERVISOR_vcpu_op, VCPUOP_send_nmi, 0, arg);
}

static void test_send_nmi(void)
{
    uint32_t before;

    CHECK_RC("CB-8 NMI callback at a hypervisor address refused",
             register_nmi(FLAT_RING1_CS, HYPERVISOR_VIRT_START), -EINVAL);
    CHECK_RC("register the NMI callback (a hypervisor CS: ignored, CB-5)",
             register_nmi(0xE008, GPTR(nmi_entry)), 0);
    CHECK_RC("VCPUOP_send_nmi with an argument", send_nmi(GPTR(&last)), -EINVAL);
    CHECK_RC("no NMI from the refused call", nmis, 0);

    CHECK_RC("VCPUOP_send_nmi", send_nmi(0), 0);
    CHECK_RC("NMI-3 the callback ran once", nmis, 1);
    CHECK_RC("... on FLAT_RING1_CS", last.cs & 0xFFFFu, FLAT_RING1_CS);
    CHECK_RC("... with events masked", mask_in_callback, 1);
    test_check("... resuming in our hypercall page",
               last.eip >= GPTR(hypercall_page) && last.eip < GPTR(hypercall_page) + 4096u);

    raise_nested = true;
    CHECK_RC("VCPUOP_send_nmi again", send_nmi(0), 0);
    CHECK_RC("NMI-3 the nested NMI came after the iret", nmis, 3);

    CHECK_RC("CB-6 unregister the NMI callback", unregister_nmi(), 0);
    before = nmis;
    CHECK_RC("VCPUOP_send_nmi with no callback", send_nmi(0), 0);
    CHECK_RC("NMI-3 dropped without a callback", nmis, before);
    CHECK_RC("register it again", register_nmi(FLAT_RING1_CS, GPTR(nmi_entry)), 0);
    CHECK_RC("NMI-3 the dropped one does not come later", nmis, before);
}

/* NMI-1, NMI-2: a physical NMI while the CPU waits in the hypervisor. */
static void test_physical_nmi(void)
{
    uint32_t before = nmis, i;
    volatile struct shared_info *s = pv_shared_info();

    s->arch.nmi_reason = 0;
    gprintf("cpu-nmi: waiting for an NMI\n");
    for (i = 0; i < 200 && nmis == before; i++)
        pv_sleep_ns(50000000ull);
    gprintf("cpu-nmi: %u NMI(s) after %u ms, nmi_reason %x\n", nmis - before, i * 50,
            (unsigned)s->arch.nmi_reason);
    test_check("NMI-2 the physical NMI reached dom0's callback", nmis > before);
    test_check("NMI-2 with reason 'unknown'", (s->arch.nmi_reason & XEN_NMIREASON_unknown) != 0);
}

int guest_main(struct start_info *si)
{
    (void)si;
    CHECK_RC("map shared_info", pv_map_shared_info(), 0);
    pv_shared_info()->vcpu_info[0].evtchn_upcall_mask = 1;
    test_send_nmi();
    test_physical_nmi();
    test_finish();
}
