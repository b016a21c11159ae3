/*
 * GDT, TSS and IDT set-up (see arch/desc.h).
 *
 * All 256 IDT vectors have a gate, so `int $n` from a guest for a vector
 * the guest may not use raises #GP with error code (n << 3) | 2 (the gate's
 * DPL is 0) instead of #NP. The exceptions are #BP and #OF (DPL 3, as on
 * bare metal) and the hypercall vector 0x82 (DPL 1: guest kernels only).
 * A double fault switches to its own task and stack, so a hypervisor stack
 * overflow into a guard page is still reported.
 */
#include "arch/cpu.h"
#include "arch/desc.h"
#include "arch/layout.h"
#include "arch/regs.h"
#include "arch/traps.h"
#include "string.h"

struct tss {
    uint16_t link, pad0;
    uint32_t esp0;
    uint16_t ss0, pad1;
    uint32_t esp1;
    uint16_t ss1, pad2;
    uint32_t esp2;
    uint16_t ss2, pad3;
    uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint16_t es, pad4, cs, pad5, ss, pad6, ds, pad7, fs, pad8, gs, pad9, ldt, pad10;
    uint16_t trap, iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct tss) == 104, "tss layout");

extern const uint32_t trap_stub_table[256];
extern char boot_stack_top[], df_stack_top[];
void double_fault_task(void);

static uint64_t reserved_gdt[512] __attribute__((aligned(4096)));
static uint64_t idt[256] __attribute__((aligned(8)));
static struct tss hv_tss __attribute__((aligned(128)));
static struct tss df_tss __attribute__((aligned(128)));

static uint64_t seg_desc(uint32_t base, uint32_t limit_pages_or_bytes, uint8_t access, uint8_t flags)
{
    uint64_t lo = (limit_pages_or_bytes & 0xFFFFu) | ((base & 0xFFFFu) << 16);
    uint64_t hi = ((base >> 16) & 0xFFu) | ((uint32_t)access << 8) |
                  (limit_pages_or_bytes & 0xF0000u) | ((uint32_t)(flags & 0xFu) << 20) |
                  (base & 0xFF000000u);
    return lo | (hi << 32);
}

static uint64_t gate_of(uint32_t offset, uint16_t sel, uint8_t type, uint8_t dpl)
{
    uint64_t lo = (offset & 0xFFFFu) | ((uint32_t)sel << 16);
    uint64_t hi = (offset & 0xFFFF0000u) | 0x8000u | ((uint32_t)dpl << 13) | ((uint32_t)type << 8);
    return lo | (hi << 32);
}

#define ACC_CODE   0x9Bu   /* present, S, execute/read, accessed */
#define ACC_DATA   0x93u   /* present, S, read/write, accessed */
#define ACC_TSS    0x89u
#define FLAGS_4K32 0xCu    /* G, D */
#define GATE_INT   0xEu
#define GATE_TASK  0x5u

static void tss_init(struct tss *t, uint32_t esp, uint32_t eip, uint32_t cr3)
{
    memset(t, 0, sizeof(*t));
    t->esp0 = esp;
    t->ss0 = HV_DS;
    t->esp = esp;
    t->eip = eip;
    t->cr3 = cr3;
    t->eflags = 0x2;
    t->cs = HV_CS;
    t->ss = t->ds = t->es = HV_DS;
    t->iomap_base = sizeof(struct tss);   /* no I/O bitmap: all ports closed */
}

static void gdt_init(uint32_t idle_l3_pa)
{
    uint32_t guest_limit = (GUEST_SEGMENT_MAX_ADDR - 1) >> 12;

    reserved_gdt[1] = seg_desc(0, 0xFFFFF, ACC_CODE, FLAGS_4K32);
    reserved_gdt[2] = seg_desc(0, 0xFFFFF, ACC_DATA, FLAGS_4K32);
    reserved_gdt[3] = seg_desc(0, guest_limit, ACC_CODE | (1u << 5), FLAGS_4K32);
    reserved_gdt[4] = seg_desc(0, guest_limit, ACC_DATA | (1u << 5), FLAGS_4K32);
    reserved_gdt[5] = seg_desc(0, guest_limit, ACC_CODE | (3u << 5), FLAGS_4K32);
    reserved_gdt[6] = seg_desc(0, guest_limit, ACC_DATA | (3u << 5), FLAGS_4K32);

    /* The guest frame sits at the top of the stack; esp0 leaves room for
     * the four data-segment slots above SS (see arch/regs.h). */
    tss_init(&hv_tss, (uint32_t)boot_stack_top - 16, 0, idle_l3_pa);
    reserved_gdt[8] = seg_desc((uint32_t)&hv_tss, sizeof(hv_tss) - 1, ACC_TSS, 0);
    tss_init(&df_tss, (uint32_t)df_stack_top, (uint32_t)double_fault_task, idle_l3_pa);
    reserved_gdt[0] = seg_desc((uint32_t)&df_tss, sizeof(df_tss) - 1, ACC_TSS, 0);
}

static void idt_init(void)
{
    unsigned v;

    for (v = 0; v < 256; v++)
        idt[v] = gate_of(trap_stub_table[v], HV_CS, GATE_INT, 0);
    idt[3] = gate_of(trap_stub_table[3], HV_CS, GATE_INT, 3);
    idt[4] = gate_of(trap_stub_table[4], HV_CS, GATE_INT, 3);
    idt[HYPERCALL_VECTOR] = gate_of(trap_stub_table[HYPERCALL_VECTOR], HV_CS, GATE_INT, 1);
    idt[8] = gate_of(0, HV_DF_TSS_SEL, GATE_TASK, 0);
}

void desc_install_bench_gates(void)
{
    extern char bench_gate_stub[], bench_seg_stub[];

    idt[BENCH_GATE_VECTOR] = gate_of((uint32_t)bench_gate_stub, HV_CS, GATE_INT, 1);
    idt[BENCH_SEG_VECTOR] = gate_of((uint32_t)bench_seg_stub, HV_CS, GATE_INT, 1);
}

static void load_segments(void)
{
    __asm__ volatile(
        "ljmp %0, $1f\n"
        "1:\n"
        "mov %1, %%ds\n"
        "mov %1, %%es\n"
        "mov %1, %%ss\n"
        "mov %2, %%fs\n"
        "mov %2, %%gs\n"
        :: "i"(HV_CS), "r"((uint32_t)HV_DS), "r"(0u) : "memory");
}

void desc_init(uint32_t idle_l3_pa)
{
    struct desc_ptr gdtr = { GDT_ENTRIES * 8 - 1, GDT_VIRT };
    struct desc_ptr idtr = { sizeof(idt) - 1, (uint32_t)idt };

    gdt_init(idle_l3_pa);
    idt_init();
    lgdt(&gdtr);
    load_segments();
    ltr(HV_TSS_SEL);
    lldt(0);
    lidt(&idtr);
}

/*
 * BOOT-16. Everything that keeps ring-1 guests out of the hypervisor
 * rests on the CPU stopping an access past a data segment's limit (the
 * flat guest selectors end below the hypervisor, and ring 1 is a
 * supervisor ring for paging). Some emulators (QEMU's TCG) do not: find
 * out, with a 4-byte segment over probe_word read at offset 4. Where the
 * CPU does not enforce it the read lands harmlessly in probe_word[1].
 */
#define PROBE_ENTRY 10                  /* free in the reserved page; cleared after */
#define FLAGS_BYTE32 0x4u               /* D (32-bit), byte granular */

static uint32_t probe_word[2];
static bool seg_limits_enforced;

bool desc_probe_seg_limits(void)
{
    reserved_gdt[PROBE_ENTRY] = seg_desc((uint32_t)probe_word, sizeof(uint32_t) - 1, ACC_DATA, FLAGS_BYTE32);
    seg_limits_enforced = seg_read_faults(SEL(PROBE_ENTRY), sizeof(uint32_t));
    reserved_gdt[PROBE_ENTRY] = 0;
    return seg_limits_enforced;
}

bool desc_seg_limits_enforced(void)
{
    return seg_limits_enforced;
}

uint64_t desc_reserved_entry(uint32_t index)
{
    return index < 512u ? reserved_gdt[index] : 0;
}

uint32_t desc_reserved_gdt_mfn(void)
{
    return virt_to_phys(reserved_gdt) >> 12;
}

void desc_set_guest_kernel_stack(uint32_t ss, uint32_t esp)
{
    hv_tss.ss1 = (uint16_t)ss;
    hv_tss.esp1 = esp;
}

void desc_set_ldt(uint32_t base, uint32_t nr_ents)
{
    traps_reload_fs_gs();          /* PERF-1: an LDT selector may now mean another */
    if (!nr_ents) {
        lldt(0);
        return;
    }
    reserved_gdt[9] = seg_desc(base, nr_ents * 8 - 1, 0x82, 0);   /* present, DPL 0, LDT */
    lldt(HV_LDT_SEL);
}

void desc_set_int80_gate(uint64_t gate)
{
    /* No direct gate: our own DPL-0 one, so `int $0x80` raises #GP. */
    idt[0x80] = gate ? gate : gate_of(trap_stub_table[0x80], HV_CS, GATE_INT, 0);
}

struct cpu_regs *guest_frame(void)
{
    return (struct cpu_regs *)((uint32_t)boot_stack_top - sizeof(struct cpu_regs));
}
