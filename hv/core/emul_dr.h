/*
 * A PV vCPU's debug registers (EMUL-9..EMUL-11 in spec/emulation.md).
 *
 * Theory of operation. A guest kernel writes DR0-DR7 with MOV, which
 * faults in ring 1 and comes here. The hypervisor loads the virtual
 * registers into the real ones while the vCPU runs, so a breakpoint the
 * guest sets fires for the hypervisor's own accesses too. The invariant
 * this module keeps on every vCPU's state (dr_state_safe below) is:
 *
 *  - every breakpoint DR7 enables (L or G bit) covers only bytes below
 *    HYPERVISOR_VIRT_START: [DRn, DRn + len) with len from DR7's LEN
 *    field, checked in subtraction form so nothing wraps (EMUL-9);
 *  - DR7 never enables general detect (GD would turn the hypervisor's own
 *    DR accesses into #DB), never enables an I/O breakpoint (RW = 10,
 *    which would trap the hypervisor's port accesses), and an instruction
 *    breakpoint has LEN 0, the only defined length (EMUL-10);
 *  - DR7's reserved bits hold their fixed values (EMUL-11).
 *
 * A write is checked against the whole state as it will be afterwards, so
 * no order of DRn and DR7 writes can break the invariant: a DRn write is
 * checked against the current DR7, a DR7 write against all four DRn.
 * On top of it a DRn write is refused, whatever DR7 says, unless the
 * address and the 4 bytes from it lie below HYPERVISOR_VIRT_START, the
 * check the last native 32-bit Xen makes (EMUL-20). A refused write
 * changes nothing. DR4/DR5 are DR6/DR7, as on a CPU with CR4.DE clear
 * (the guest's view: DE is hidden, EMUL-4).
 *
 * The same two functions serve the MOV emulation and the set_debugreg /
 * get_debugreg hypercalls (EMUL-21), so both see one state and one rule
 * set; the errors are Xen's: -EPERM for a value the rules refuse (#GP(0)
 * for MOV), -ENODEV for a register number past 7 (#UD).
 *
 * DR7's fields are read with division and remainder, never masks, so the
 * provers can relate them to the arithmetic of the range check.
 */
#ifndef CORE_EMUL_DR_H
#define CORE_EMUL_DR_H

#include "types.h"
#include "pv/errno.h"
#include "pv/layout.h"

#define EMUL_DR6_INIT   0xFFFF0FF0u   /* reset value; its bits are the read-as-1 ones */
#define EMUL_DR7_INIT   0x00000400u   /* reset value: bit 10 reads as 1 */
#define EMUL_DR7_GD     (1u << 13)
#define EMUL_DR7_RW_EXEC 0u
#define EMUL_DR7_RW_IO   2u
/* EMUL-20: DR0-3 hold only addresses with addr + 4 < HYPERVISOR_VIRT_START. */
#define EMUL_DR_ADDR_MAX (HYPERVISOR_VIRT_START - 5u)

struct emul_dr_state {
    uint32_t dr[4];
    uint32_t dr6;
    uint32_t dr7;
};

/*@ // 16^n: DR7's RW/LEN nibble of breakpoint n starts at bit 16 + 4n.
    logic integer dr7_nib(integer n) = n == 0 ? 1 : n == 1 ? 16 : n == 2 ? 256 : 4096;
    // 4^n: the L/G pair of breakpoint n starts at bit 2n.
    logic integer dr7_pair(integer n) = n == 0 ? 1 : n == 1 ? 4 : n == 2 ? 16 : 64;

    logic integer dr7_en(integer dr7, integer n) = (dr7 / dr7_pair(n)) % 4;
    logic integer dr7_rw(integer dr7, integer n) = (dr7 / (65536 * dr7_nib(n))) % 4;
    logic integer dr7_lenf(integer dr7, integer n) = (dr7 / (262144 * dr7_nib(n))) % 4;
    logic integer dr_len(integer lenf) = lenf == 0 ? 1 : lenf == 1 ? 2 : lenf == 2 ? 8 : 4;

    predicate dr7_fixed(integer dr7) =
        (dr7 / 1024) % 2 == 1 && (dr7 / 2048) % 4 == 0 && (dr7 / 16384) % 4 == 0;

    predicate bp_safe(integer addr, integer dr7, integer n) =
        dr7_en(dr7, n) != 0 ==>
            dr7_rw(dr7, n) != EMUL_DR7_RW_IO &&
            (dr7_rw(dr7, n) == EMUL_DR7_RW_EXEC ==> dr7_lenf(dr7, n) == 0) &&
            addr + dr_len(dr7_lenf(dr7, n)) <= HYPERVISOR_VIRT_START;

    predicate dr_state_safe(struct emul_dr_state s) =
        (s.dr7 / 8192) % 2 == 0 && dr7_fixed(s.dr7) &&
        bp_safe(s.dr[0], s.dr7, 0) && bp_safe(s.dr[1], s.dr7, 1) &&
        bp_safe(s.dr[2], s.dr7, 2) && bp_safe(s.dr[3], s.dr7, 3);

    predicate dr_state_same(struct emul_dr_state a, struct emul_dr_state b) =
        a.dr[0] == b.dr[0] && a.dr[1] == b.dr[1] && a.dr[2] == b.dr[2] &&
        a.dr[3] == b.dr[3] && a.dr6 == b.dr6 && a.dr7 == b.dr7;
*/

/* The state a vCPU starts with: no breakpoint, DR6/DR7 at reset values. */
/*@ requires \valid(s);
    assigns *s;
    ensures EMUL_9: dr_state_safe(*s);
*/
void emul_dr_init(struct emul_dr_state *s);

/* Bytes breakpoint n (0..3) of `dr7` covers: 1, 2, 8 or 4 for LEN 0..3. */
/*@ requires n <= 3;
    assigns \nothing;
    ensures \result == dr_len(dr7_lenf(dr7, n));
*/
uint32_t emul_dr7_len(uint32_t dr7, uint32_t n);

/* EMUL-9: [addr, addr + len) lies below HYPERVISOR_VIRT_START. */
/*@ requires 1 <= len <= 8;
    assigns \nothing;
    ensures EMUL_9: \result <==> addr + len <= HYPERVISOR_VIRT_START;
*/
bool emul_dr_range_ok(uint32_t addr, uint32_t len);

/*
 * EMUL-9..EMUL-11, EMUL-20, EMUL-21: DR[n] := value. 0 with the state
 * updated; -EPERM (MOV: #GP(0)) for a value that would break the
 * invariant or a DR0-3 address at or near the hypervisor; -ENODEV (MOV:
 * #UD) for n > 7. A refusal leaves the state unchanged. DR6 writes keep
 * the read-as-1 bits set.
 */
/*@ requires \valid(s);
    assigns *s;
    ensures \result == 0 || \result == -EPERM || \result == -ENODEV;
    ensures EMUL_9_kept: dr_state_safe(\old(*s)) ==> dr_state_safe(*s);
    ensures EMUL_9_checked: \result == 0 && n != 4 && n != 6 ==> dr_state_safe(*s);
    ensures EMUL_11_refused: \result != 0 ==> dr_state_same(*s, \old(*s));
    ensures EMUL_11_regs: n > 7 <==> \result == -ENODEV;
    ensures EMUL_19: \result == 0 && n <= 3 ==> value <= EMUL_DR_ADDR_MAX;
*/
int emul_dr_write(struct emul_dr_state *s, uint32_t n, uint32_t value);

/* EMUL-21: DR[n] for MOV from DRn and get_debugreg: 0, or -ENODEV for n > 7. */
/*@ requires \valid_read(s) && \valid(value);
    assigns *value;
    ensures \result == 0 || \result == -ENODEV;
    ensures n > 7 <==> \result == -ENODEV;
*/
int emul_dr_read(const struct emul_dr_state *s, uint32_t n, uint32_t *value);

/*
 * EMUL-22: whether DR7 enables any breakpoint (an L or G bit). Only then
 * does the glue load the registers when the vCPU runs, as Xen does: a
 * vCPU with none costs a switch nothing.
 */
/*@ assigns \nothing;
    ensures \result <==> s.dr7 % 256 != 0;
*/
bool emul_dr_active(struct emul_dr_state s);

/*
 * EMUL-23: a #DB from the guest's own execution. The CPU's DR6 status
 * bits (B0-B3, BD, BS, BT) are added to the virtual DR6, whose other bits
 * keep their fixed values; status bits already set stay set until the
 * guest clears them, as Xen keeps them (the guest's handler reads DR6 and
 * writes it back).
 */
/*@ requires \valid(s);
    assigns s->dr6;
    ensures EMUL_9_kept: dr_state_safe(\old(*s)) ==> dr_state_safe(*s);
*/
void emul_dr_note_db(struct emul_dr_state *s, uint32_t hw_dr6);

/*
 * EMUL-18: a #DB taken in the hypervisor. True when a breakpoint that DR7
 * enables as an instruction breakpoint matched (a fault: returning would
 * take it again forever); the glue then clears the real DR7 until the
 * vCPU is next loaded. EMUL-9 makes this unreachable; it is Xen's
 * safety measure all the same. Data breakpoints are traps and need
 * nothing.
 */
/*@ assigns \nothing; */
bool emul_dr_hv_db_fatal(uint32_t hw_dr6, uint32_t hw_dr7);

/*
 * EMUL-24: the debug registers of a vcpu_guest_context (setvcpucontext):
 * the reset state, then DR0-3, DR6 and DR7 written through
 * emul_dr_write() (DR4/DR5 ignored, as Xen does since 4.11). 0 with *s
 * replaced, or -EINVAL (Xen's answer for a bad breakpoint address) with
 * *s unchanged.
 */
/*@ requires \valid(s) && \valid_read(regs + (0 .. 7)) && \separated(s, regs + (0 .. 7));
    assigns *s;
    ensures \result == 0 || \result == -EINVAL;
    ensures EMUL_23: \result == 0 ==> dr_state_safe(*s);
    ensures \result != 0 ==> dr_state_same(*s, \old(*s));
*/
int emul_dr_load(struct emul_dr_state *s, const uint32_t *regs);

#endif
