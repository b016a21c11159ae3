/*
 * The hypervisor's GDT, TSS and IDT.
 *
 * The GDT lives in the per-domain area at GDT_VIRT: pages 0..13 hold the
 * running guest's own GDT frames (or a zero page), page 14 is the
 * hypervisor's reserved page with Xen's fixed selectors. Every guest
 * segment there stops at GUEST_SEGMENT_MAX_ADDR.
 */
#ifndef ARCH_DESC_H
#define ARCH_DESC_H

#include <stdbool.h>
#include <stdint.h>

#define FIRST_RESERVED_ENTRY 7168u
#define GDT_ENTRIES          (15u * 512u)
#define SEL(i)               ((uint16_t)((FIRST_RESERVED_ENTRY + (i)) << 3))

#define HV_DF_TSS_SEL  SEL(0)          /* 0xE000 */
#define HV_CS          SEL(1)          /* 0xE008 */
#define HV_DS          SEL(2)          /* 0xE010 */
#define GUEST_R1_CS    (SEL(3) | 1)    /* 0xE019 */
#define GUEST_R1_DS    (SEL(4) | 1)    /* 0xE021 */
#define GUEST_R3_CS    (SEL(5) | 3)    /* 0xE02B */
#define GUEST_R3_DS    (SEL(6) | 3)    /* 0xE033 */
#define HV_TSS_SEL     SEL(8)          /* 0xE040 */
#define HV_LDT_SEL     SEL(9)          /* 0xE048 */

#define HYPERCALL_VECTOR 0x82
#define BENCH_GATE_VECTOR 0x83     /* BOOT-17: with `benchgate` only */
#define BENCH_SEG_VECTOR  0x84
#define IRQ_BASE_VECTOR  0x20

struct cpu_regs;

void desc_init(uint32_t idle_l3_pa);
/* Entry `index` (0..511) of the reserved GDT page; 0 past it. */
uint64_t desc_reserved_entry(uint32_t index);
/* The page holding the reserved GDT entries (for the per-domain maps). */
uint32_t desc_reserved_gdt_mfn(void);
/* Ring-1 stack the CPU loads on a ring 3 -> 1 transition (int 0x80 gate). */
void desc_set_guest_kernel_stack(uint32_t ss, uint32_t esp);
struct cpu_regs *guest_frame(void);
/* Load an LDT of nr_ents descriptors at linear `base` (0 entries: none). */
void desc_set_ldt(uint32_t base, uint32_t nr_ents);
/*
 * BOOT-17: ring-1 gates at BENCH_GATE_VECTOR (returns at once) and
 * BENCH_SEG_VECTOR (switches DS and ES to ours and back, then returns).
 */
void desc_install_bench_gates(void);
/* The IDT gate for `int $0x80`: a guest's direct trap gate, or 0 for ours. */
void desc_set_int80_gate(uint64_t gate);
/*
 * BOOT-16: does this CPU enforce a data segment's limit? Probed once at
 * boot (after desc_init) with a read past a 4-byte test segment.
 */
bool desc_probe_seg_limits(void);
bool desc_seg_limits_enforced(void);

#endif
