/*
 * What an emulated privileged instruction may do (spec/emulation.md).
 *
 * Theory of operation. emul_decode() says what a faulting instruction is;
 * the functions here say what the guest gets when it runs it, and the
 * arch glue only carries the answer out. Each is pure: the state it needs
 * (host CPUID limits, the TSC, the vCPU's virtual IOPL) is passed in, and
 * the only output is the answer (decode, then commit). Every refusal is -EPERM, which the glue
 * turns into #GP(0) for the guest, as a CPU refusing the instruction would.
 *
 * The security rules, in short:
 *  - CPUID shows only features Bulkhead lets a PV guest use; everything
 *    not on an allow-list is hidden, so a new CPU feature stays hidden
 *    until someone decides otherwise (EMUL-3..EMUL-6).
 *  - MSRs: a handful of reads with made-up or harmless values, writes only
 *    to the hypercall-page MSR (EMUL-7, EMUL-8).
 *  - Debug registers (EMUL-9..11) have their own module, emul_dr.h.
 *  - Port I/O needs the virtual IOPL, and hypervisor-owned ports read as
 *    absent hardware even for a domain with I/O privilege (EMUL-12). The
 *    virtual IOPL admits ring 3 only at 3; it never widens the port
 *    policy, which is the domain's whatever the ring (EMUL-12, EMUL-25).
 *  - A #GP raised by a software interrupt through a gate the guest may not
 *    use is redirected only when the decoder agrees the bytes are that
 *    interrupt, and the return address is past all of them (EMUL-17).
 */
#ifndef CORE_EMUL_POLICY_H
#define CORE_EMUL_POLICY_H

#include "types.h"

/* ---- CPUID (EMUL-3..EMUL-6) ------------------------------------------ */

struct emul_cpuid_regs {
    uint32_t eax, ebx, ecx, edx;
};

/* Read once from the real CPU at boot: leaf 0 and leaf 0x80000000 EAX. */
struct emul_cpuid_host {
    uint32_t max_basic;
    uint32_t max_ext;
};

#define EMUL_CPUID_MAX_BASIC  0x00000007u   /* highest basic leaf shown */
#define EMUL_CPUID_MAX_EXT    0x80000008u   /* highest extended leaf shown */
#define EMUL_CPUID_HV_BASE    0x40000000u
#define EMUL_CPUID_HV_MAX     0x40000002u   /* highest hypervisor leaf */
#define EMUL_CPUID_HV_VERSION 0x00040002u   /* reported as Xen 4.2 */
#define EMUL_CPUID_HV_MSR     0x40000000u   /* hypercall-page MSR */

/* Leaf 1 */
#define EMUL_CPUID1_ECX_HYPERVISOR (1u << 31)

/*
 * What the guest sees for CPUID(leaf, subleaf), given what the real CPU
 * answered (`real`, ignored for the hypervisor leaves) and its limits.
 */
void emul_cpuid(const struct emul_cpuid_host *host, uint32_t leaf, uint32_t subleaf,
                const struct emul_cpuid_regs *real, struct emul_cpuid_regs *out);

/* ---- MSRs (EMUL-7, EMUL-8) ------------------------------------------- */

#define EMUL_MSR_TSC          0x00000010u
#define EMUL_MSR_APIC_BASE    0x0000001Bu
#define EMUL_MSR_MISC_ENABLE  0x000001A0u
#define EMUL_MSR_DEBUGCTL     0x000001D9u
#define EMUL_MSR_EFER              0xC0000080u
#define EMUL_MSR_HYPERCALL     EMUL_CPUID_HV_MSR

#define EMUL_APIC_BASE_VALUE  0xFEE00100ull   /* default base, BSP, disabled */
#define EMUL_EFER_NX               (1u << 11)

/* Facts the glue reads when the instruction runs. */
struct emul_msr_ctx {
    uint64_t tsc;                 /* the TSC now */
    uint64_t host_misc_enable;    /* IA32_MISC_ENABLE as read at boot */
};

/* EMUL-7: the value RDMSR(msr) gives the guest: 0, or -EPERM (#GP(0)). */
int emul_rdmsr(const struct emul_msr_ctx *ctx, uint32_t msr, uint64_t *val);

/* emul_wrmsr() results besides 0 (accepted, no effect) and -EPERM (#GP(0)). */
#define EMUL_WRMSR_HYPERCALL_PAGE 1   /* write the hypercall page into *mfn */

/*
 * EMUL-8: WRMSR(msr, val). The hypercall-page MSR takes the frame number
 * in bits 63:12 and the page index (only 0: there is one page) in 11:0;
 * for a PV guest the frame is a machine frame, which the glue still has
 * to check the guest owns. A write of the value a read returns is
 * accepted and ignored for the read-only MSRs; anything else is -EPERM.
 */
int emul_wrmsr(const struct emul_msr_ctx *ctx, uint32_t msr, uint64_t val, uint32_t *mfn);

/* ---- Port I/O, CLI/STI (EMUL-12, EMUL-13) ---------------------------- */

/* emul_io_check() results besides -EPERM (#GP(0)). */
#define EMUL_IO_PASS   0   /* do the access on the real port */
#define EMUL_IO_ABSENT 1   /* as if nothing answered: reads all ones, writes dropped */

struct emul_io_ctx {
    uint32_t viopl;       /* the vCPU's virtual IOPL, 0..3 */
    uint32_t ring;        /* the guest ring that faulted: 1 (kernel) or 3 */
    bool     io_capable;  /* the domain may touch hardware ports */
    bool     arch_iopl;   /* VMASST_TYPE_architectural_iopl is on (EMUL-25) */
};

/*
 * EMUL-12, EMUL-13, EMUL-25: the virtual IOPL admits the ring, as Xen's
 * iopl_ok(): ring 3 needs IOPL 3; ring 1 (the guest kernel) needs IOPL 1,
 * or nothing at all under VMASST_TYPE_architectural_iopl, where the kernel
 * counts as ring 0. A ring other than 1 or 3, or an IOPL above 3, never.
 */
bool emul_iopl_ok(uint32_t viopl, uint32_t ring, bool arch_iopl);

/*
 * EMUL-12, EMUL-13: from ring 3 only port I/O and CLI/STI are emulated
 * (under the virtual IOPL); any other privileged instruction a user
 * program runs gets the #GP it raised, as Xen.
 */
bool emul_user_kind_ok(uint32_t kind);

/*
 * EMUL-25: the virtual IOPL after an iret whose frame holds
 * `frame_eflags`: under VMASST_TYPE_architectural_iopl the frame's IOPL
 * field (bits 12..13), as Xen's compat_iret; otherwise unchanged (only
 * PHYSDEVOP_set_iopl sets it).
 */
uint32_t emul_iret_viopl(uint32_t viopl, uint32_t frame_eflags, bool arch_iopl);

/*
 * EMUL-12: may the guest access `size` (1, 2, 4) bytes at `port`?
 * -EPERM (#GP(0)) if the virtual IOPL refuses or the size is not 1/2/4;
 * EMUL_IO_ABSENT for a domain without I/O privilege, a hypervisor-owned
 * port, or a range past 0xFFFF; otherwise EMUL_IO_PASS.
 */
int emul_io_check(const struct emul_io_ctx *ctx, uint32_t port, uint32_t size);

/* True when any byte of [port, port + size) belongs to the hypervisor. */
bool emul_io_port_owned(uint32_t port, uint32_t size);

/* ---- The CMOS clock through its index and data ports (EMUL-19) ------- */

#define EMUL_RTC_INDEX_PORT 0x70u
#define EMUL_RTC_DATA_PORT  0x71u

/* emul_rtc_access() results. */
#define EMUL_RTC_NOT_RTC   0   /* not a 1-byte access to 0x70/0x71: EMUL-12 decides */
#define EMUL_RTC_DONE      1   /* answered here: *value for an IN, a write taken or dropped */
#define EMUL_RTC_READ_CMOS 2   /* the glue reads CMOS register *value (0..0x7F) for the IN */

struct emul_rtc_ctx {
    bool    privileged;   /* dom0, Xen's hardware domain: may read the CMOS */
    uint8_t index;        /* the domain's latched index register (in/out) */
};

/*
 * EMUL-19, as Xen mediates the RTC for PV guests, read-only: a 1-byte OUT
 * to 0x70 latches (value & 0x7F) as the domain's index, the NMI-mask bit
 * never reaching the hardware; IN from 0x70 reads that latch back; IN
 * from 0x71 reads CMOS register `index` for dom0 (EMUL_RTC_READ_CMOS, the
 * register in *value) and 0xFF (absent) for anyone else; OUT to 0x71 is
 * dropped for everyone (the clock and the CMOS stay the hypervisor's). The
 * caller has already applied EMUL-12's virtual-IOPL test. `write` is an
 * OUT, whose byte is the low byte of *value.
 */
int emul_rtc_access(struct emul_rtc_ctx *ctx, uint32_t port, uint32_t size, bool write,
                    uint32_t *value);

/* ---- Control registers (EMUL-15) ------------------------------------- */

#define EMUL_CR0_TS (1u << 3)

/* CR0, CR2, CR3, CR4 are emulated; any other CRn is -EPERM. */
bool emul_cr_known(uint32_t n);

/* EMUL-15: MOV to CR0 may change TS only: 0 or -EPERM. */
int emul_cr0_write(uint32_t vcr0, uint32_t value);

/* ---- Software interrupts through a refused gate (EMUL-17) ------------ */

/* The instruction that raised a #GP naming an IDT gate. */
struct emul_soft_int {
    uint32_t vector;    /* 0 .. 255: the guest's virtual IDT entry to consult */
    uint32_t len;       /* bytes, prefixes included: the return EIP is EIP + len */
};

/*
 * EMUL-17: a #GP whose error code names an IDT gate (bits 1:0 = 10b, the
 * vector in bits 3..10) was raised by the software interrupt at the
 * guest's EIP. Decodes insn[0 .. avail-1] (one hypervisor copy, EMUL-2)
 * and answers true with *si filled when the bytes are INT n with n the
 * error code's vector (segment overrides allowed; 66, 67, F2, F3 and F0
 * refused by the decoder), or INT3 / INTO for vector 3 / 4. Otherwise
 * (another error code, other bytes, a mismatched vector, truncated bytes)
 * false with *si zero: the #GP is reflected as it was.
 */
bool emul_soft_int(const uint8_t *insn, uint32_t avail, uint32_t error_code,
                   struct emul_soft_int *si);

#endif
