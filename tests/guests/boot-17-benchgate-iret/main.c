/*
 * Scenario boot-17-benchgate-iret (BOOT-17, BOUNCE-8): with `benchgate`,
 * a ring-1 `int $0x83` whose return EIP lies past its code segment's
 * limit. The bare gate's IRET then faults in ring 0; like every other
 * IRET back to a guest it must end in the guest's failsafe callback (or
 * crash only the guest), never in a hypervisor panic. The code segment is
 * our own GDT entry 16 (base 0, 4 KiB granular) ending on the last byte
 * of int_page, where the two bytes of `int $0x83` sit. Under QEMU's TCG
 * limits are not enforced: the gate returns and the test reports SKIP.
 */
#include "pv/arch_x86_32.h"
#include "pv/callback.h"
#include "pv/mmu.h"
#include "test.h"

#define DESC(base, limit, access, flags)                                           \
    ((((uint64_t)(base) & 0xFF000000u) << 32) | ((uint64_t)((flags) & 0xF) << 52) | \
     (((uint64_t)(limit) & 0xF0000u) << 32) | ((uint64_t)((access) & 0xFF) << 40) | \
     (((uint64_t)(base) & 0xFF0000u) << 16) | (((uint64_t)(base) & 0xFFFFu) << 16) | \
     ((uint64_t)(limit) & 0xFFFFu))
#define CODE_R1   0xBBu                 /* present, DPL 1, execute/read code, accessed */
#define PAGES_32  0xCu                  /* 4 KiB granular, 32-bit */
#define CS_INDEX  16u
#define CS_SEL    ((CS_INDEX << 3) | 1u)

extern char int_page[];
void gate_returned(void);
void failsafe_entry(void);
void failsafe_c(const uint32_t *frame);

/* int $0x83 in the last two bytes of int_page; past it, back to the flat CS. */
__asm__(
    "   .section .text.intpage, \"ax\"\n"
    "   .balign 4096\n"
    "   .globl int_page\n"
    "int_page:\n"
    "   .skip 4094, 0xcc\n"
    "   int $0x83\n"
    "   ljmp $0xe019, $gate_returned\n"
    "   .previous\n"
    "   .text\n"
    "   .globl failsafe_entry\n"
    "failsafe_entry:\n"
    "   movl $0xE021, %eax\n movl %eax, %ds\n movl %eax, %es\n"
    "   pushl %esp\n"
    "   call failsafe_c\n"
    "1: jmp 1b\n");

static uint64_t gdt[512] __attribute__((aligned(4096)));

static uint32_t mfn_of(const void *va)
{
    return ((const uint32_t *)(uintptr_t)start_info->mfn_list)[GPTR(va) / 4096u];
}

void failsafe_c(const uint32_t *frame)
{
    /* the failsafe frame, as pushed: DS ES FS GS EIP CS (upcall mask in bits 16..23) */
    gprintf("failsafe callback: eip %08x cs %04x\n", frame[4], frame[5] & 0xFFFFu);
    test_check("the faulting IRET of the bench gate ended in the failsafe callback",
               frame[4] == GPTR(int_page) + 4096u && (frame[5] & 0xFFFFu) == CS_SEL);
    test_finish();
}

void gate_returned(void)
{
    __asm__ volatile("movl $0xE021, %%eax\n movl %%eax, %%ds\n movl %%eax, %%es" ::: "eax");
    test_skip("the gate returned past the code segment's limit: limits not enforced here");
}

int guest_main(struct start_info *si)
{
    struct callback_register reg;
    uint64_t pte;
    uint32_t gdt_mfn = mfn_of(gdt);
    struct {
        uint32_t off;
        uint16_t sel;
    } __attribute__((packed)) far = { GPTR(int_page) + 4094u, CS_SEL };

    (void)si;
    reg.type = CALLBACKTYPE_failsafe;
    reg.flags = CALLBACKF_mask_events;
    reg.address.cs = FLAT_RING1_CS;
    reg.address.eip = GPTR(failsafe_entry);
    CHECK_RC("register failsafe", hcall2(__HYPERVISOR_callback_op, CALLBACKOP_register, GPTR(&reg)), 0);
    gdt[CS_INDEX] = DESC(0, GPTR(int_page) >> 12, CODE_R1, PAGES_32);
    pte = ((uint64_t)gdt_mfn << 12) | 0x21u;
    CHECK_RC("GDT page read-only", hcall4(__HYPERVISOR_update_va_mapping, GPTR(gdt), (uint32_t)pte,
                                          (uint32_t)(pte >> 32), UVMF_INVLPG), 0);
    CHECK_RC("set_gdt", hcall2(__HYPERVISOR_set_gdt, GPTR(&gdt_mfn), 512), 0);
    gprintf("int $0x83 at %08x, code segment limit %08x\n", GPTR(int_page) + 4094u,
            GPTR(int_page) + 4095u);
    __asm__ volatile("ljmp *%0" :: "m"(far) : "memory");
    return 0;
}
