/*
 * Every privileged instruction the hypervisor uses, as a one-line inline
 * wrapper. No other C file contains asm; the proofs see these functions
 * only through their contracts.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdbool.h>
#include <stdint.h>

#define CR0_PE  (1u << 0)
#define CR0_TS  (1u << 3)
#define CR0_WP  (1u << 16)
#define CR0_PG  (1u << 31)
#define CR4_PSE (1u << 4)
#define CR4_PAE (1u << 5)
#define CR4_PGE (1u << 7)
#define CR4_OSFXSR (1u << 9)
#define CR4_OSXMMEXCPT (1u << 10)
#define CR0_MP  (1u << 1)
#define CR0_EM  (1u << 2)
#define CR0_NE  (1u << 5)
#define CR4_SMEP (1u << 20)
#define CR4_SMAP (1u << 21)

#define EFLAGS_IF   0x200u
#define EFLAGS_IOPL 0x3000u
#define EFLAGS_AC   (1u << 18)

#define MSR_EFER     0xC0000080u
#define EFER_NXE     (1u << 11)

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint16_t inw(uint16_t port) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint32_t inl(uint16_t port) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static inline uint32_t read_cr0(void) { uint32_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline void write_cr0(uint32_t v) { __asm__ volatile("mov %0, %%cr0" :: "r"(v) : "memory"); }
static inline uint32_t read_cr2(void) { uint32_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint32_t read_cr3(void) { uint32_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline void write_cr3(uint32_t v) { __asm__ volatile("mov %0, %%cr3" :: "r"(v) : "memory"); }
static inline uint32_t read_cr4(void) { uint32_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr4(uint32_t v) { __asm__ volatile("mov %0, %%cr4" :: "r"(v) : "memory"); }

/* Debug registers: only hv/debugreg.c uses them (EMUL-18, EMUL-22, EMUL-23). */
static inline uint32_t read_dr6(void) { uint32_t v; __asm__ volatile("mov %%db6, %0" : "=r"(v)); return v; }
static inline uint32_t read_dr7(void) { uint32_t v; __asm__ volatile("mov %%db7, %0" : "=r"(v)); return v; }
static inline void write_dr0(uint32_t v) { __asm__ volatile("mov %0, %%db0" :: "r"(v)); }
static inline void write_dr1(uint32_t v) { __asm__ volatile("mov %0, %%db1" :: "r"(v)); }
static inline void write_dr2(uint32_t v) { __asm__ volatile("mov %0, %%db2" :: "r"(v)); }
static inline void write_dr3(uint32_t v) { __asm__ volatile("mov %0, %%db3" :: "r"(v)); }
static inline void write_dr6(uint32_t v) { __asm__ volatile("mov %0, %%db6" :: "r"(v)); }
static inline void write_dr7(uint32_t v) { __asm__ volatile("mov %0, %%db7" :: "r"(v) : "memory"); }

static inline void invlpg(uint32_t va) { __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory"); }
static inline void flush_tlb_local(void) { write_cr3(read_cr3()); }

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid_count(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
                               uint32_t *c, uint32_t *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

struct desc_ptr {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

static inline void lgdt(const struct desc_ptr *p) { __asm__ volatile("lgdt %0" :: "m"(*p)); }
static inline void lidt(const struct desc_ptr *p) { __asm__ volatile("lidt %0" :: "m"(*p)); }
static inline void ltr(uint16_t sel) { __asm__ volatile("ltr %0" :: "r"(sel)); }
static inline void lldt(uint16_t sel) { __asm__ volatile("lldt %0" :: "r"(sel)); }

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void halt(void) { __asm__ volatile("hlt" ::: "memory"); }
static inline void sti_halt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }
/* Let interrupts that are due in (STI takes effect after the NOP), then mask them again. */
static inline void irq_window(void) { __asm__ volatile("sti; nop; cli" ::: "memory"); }
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
/* Only valid when the CPU has SMAP (checked by the caller). */
static inline void stac(void) { __asm__ volatile("stac" ::: "memory", "cc"); }
static inline void clac(void) { __asm__ volatile("clac" ::: "memory", "cc"); }
static inline void clts(void) { __asm__ volatile("clts"); }

static inline void fxsave(void *area) { __asm__ volatile("fxsave (%0)" :: "r"(area) : "memory"); }
static inline void fxrstor(const void *area) { __asm__ volatile("fxrstor (%0)" :: "r"(area) : "memory"); }
static inline void fninit(void) { __asm__ volatile("fninit"); }
/*
 * Leave hypervisor-chosen x87 FIP/FDP/FOP behind (FPU-5): clear pending
 * exceptions, free ST7 so the push cannot overflow, load a known integer.
 */
static inline void fpu_zap_pointers(const int32_t *known)
{
    __asm__ volatile("fnclex\n ffree %%st(7)\n fildl %0" :: "m"(*known));
}

/*
 * BOOT-16: read 4 bytes at sel:off through FS. True if the CPU faulted
 * (the exception table resumes at 2:), false if the read went through.
 * FS is null afterwards.
 */
static inline bool seg_read_faults(uint16_t sel, uint32_t off)
{
    uint32_t faulted = 1, tmp = 0;

    __asm__ volatile("mov %[sel], %%fs\n"
                     "1: movl %%fs:(%[off]), %[tmp]\n"
                     "movl $0, %[f]\n"
                     "2: mov %[nul], %%fs\n"
                     ".section .ex_table, \"a\"\n .long 1b, 2b\n .previous\n"
                     : [f] "+r"(faulted), [tmp] "=&r"(tmp)
                     : [sel] "r"((uint32_t)sel), [off] "r"(off), [nul] "r"(0u)
                     : "memory");
    return faulted != 0;
}

static inline uint32_t read_ebp(void) { uint32_t v; __asm__ volatile("mov %%ebp, %0" : "=r"(v)); return v; }

static inline void barrier(void) { __asm__ volatile("" ::: "memory"); }

#endif
