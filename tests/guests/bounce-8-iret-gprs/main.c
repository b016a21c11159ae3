/*
 * Scenario bounce-8-iret-gprs (BOUNCE-8): the GPRs the failsafe callback sees after the
 * exit path's final IRET faults. The iret hypercall is made with known
 * EBX..EBP and EAX and a CS that is a data segment (FLAT_RING1_DS), so
 * the hypervisor's IRET raises #GP and the failsafe callback is entered;
 * as in Xen, it should find the registers of the context being returned to.
 */
#include "pv/arch_x86_32.h"
#include "pv/callback.h"
#include "test.h"

uint32_t seen[8];        /* pushal order: edi esi ebp esp ebx edx ecx eax */
extern uint32_t seen[8];

void failsafe_entry(void);
void failsafe_c(void);
__asm__(
    "   .text\n"
    "   .globl failsafe_entry\n"
    "failsafe_entry:\n"
    "   pushal\n"
    "   movl $0xE021, %eax\n movl %eax, %ds\n movl %eax, %es\n"
    "   movl %esp, %esi\n movl $seen, %edi\n movl $8, %ecx\n cld\n rep movsl\n"
    "   call failsafe_c\n"
    "1: jmp 1b\n");

void failsafe_c(void)
{
    static const char *const names[8] = { "edi", "esi", "ebp", "esp", "ebx", "edx", "ecx", "eax" };
    static const uint32_t want[8] = { 0x55555555u, 0x44444444u, 0x66666666u, 0, 0x11111111u,
                                      0x33333333u, 0x22222222u, 0x77777777u };
    uint32_t i;

    for (i = 0; i < 8; i++) {
        if (i == 3)
            continue;
        gprintf("failsafe %s %08x (the context's %08x)\n", names[i], seen[i], want[i]);
        test_check(names[i], seen[i] == want[i]);
    }
    test_finish();
}

int guest_main(struct start_info *si)
{
    struct callback_register reg;

    reg.type = CALLBACKTYPE_failsafe;
    reg.flags = CALLBACKF_mask_events;
    reg.address.cs = FLAT_RING1_CS;
    reg.address.eip = GPTR(failsafe_entry);

    (void)si;
    CHECK_RC("register failsafe", hcall2(__HYPERVISOR_callback_op, CALLBACKOP_register, GPTR(&reg)), 0);
    __asm__ volatile("pushl $0x202\n pushl $0xE021\n pushl $0\n"
                     "movl $0x11111111, %%ebx\n movl $0x22222222, %%ecx\n movl $0x33333333, %%edx\n"
                     "movl $0x44444444, %%esi\n movl $0x55555555, %%edi\n movl $0x66666666, %%ebp\n"
                     "movl $0x77777777, %%eax\n jmp hypercall_page + 23 * 32\n" ::: "memory");
    return 0;
}
