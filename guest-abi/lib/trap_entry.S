/*
 * Guest-side trap entry: one stub per vector that makes the bounce frame
 * uniform (a zero error code where the hypervisor pushes none, then the
 * vector), saves the registers, calls guest_trap_dispatch(frame) and
 * returns through the iret hypercall (the frame's EIP, CS, EFLAGS and,
 * from ring 3, ESP and SS are exactly an IRET frame).
 *
 * Also the way into ring 3 and back: user_run() saves the kernel's
 * callee-saved registers and stack, and iret's into user code; when the
 * user code makes the exit system call, user_return() resumes the kernel
 * there as if user_run() had returned.
 */
#define HYPERCALL_IRET (23 * 32)
#define FLAT_RING3_CS 0xE02B
#define FLAT_RING3_DS 0xE033

.macro trap_entry vec, has_err
        .globl  guest_trap_\vec
guest_trap_\vec:
        .if !\has_err
        pushl   $0
        .endif
        pushl   $\vec
        jmp     trap_common
.endm

        .text
        trap_entry 0, 0
        trap_entry 1, 0
        trap_entry 2, 0
        trap_entry 3, 0
        trap_entry 4, 0
        trap_entry 5, 0
        trap_entry 6, 0
        trap_entry 7, 0
        trap_entry 8, 1
        trap_entry 9, 0
        trap_entry 10, 1
        trap_entry 11, 1
        trap_entry 12, 1
        trap_entry 13, 1
        trap_entry 14, 1
        trap_entry 16, 0
        trap_entry 17, 1
        trap_entry 18, 0
        trap_entry 19, 0
        trap_entry 32, 0        /* 0x20: software interrupt tests */
        trap_entry 64, 0        /* 0x40 */
        trap_entry 65, 0        /* 0x41 */
        trap_entry 129, 0       /* 0x81: a DPL-3 vector the hypervisor must bounce */
        trap_entry 256, 0       /* the event upcall */

/*
 * int $0x80 arrives through the direct trap gate, with no hypervisor
 * entry, and goes back to ring 3 with a native IRET (ring 1 may return to
 * a less privileged ring): a system call never enters the hypervisor.
 */
        .globl  guest_syscall_entry
guest_syscall_entry:
        pushl   $0
        pushl   $128
        pushal
        cld
        pushl   %esp
        call    guest_trap_dispatch
        addl    $4, %esp
        popal
        addl    $8, %esp
        iret

trap_common:
        pushal
        cld
        pushl   %esp
        call    guest_trap_dispatch
        addl    $4, %esp
        popal
        addl    $8, %esp                /* vector, error code */
        jmp     hypercall_page + HYPERCALL_IRET

/* uint32_t user_run(void (*fn)(void), uint32_t user_stack_top) */
        .globl  user_run
user_run:
        pushl   %ebp
        pushl   %ebx
        pushl   %esi
        pushl   %edi
        movl    %esp, kernel_resume_esp
        movl    20(%esp), %eax          /* fn */
        movl    24(%esp), %ecx          /* user stack */
        pushl   $FLAT_RING3_DS          /* SS */
        pushl   %ecx                    /* ESP */
        pushl   $0x202                  /* EFLAGS: IF */
        pushl   $FLAT_RING3_CS          /* CS */
        pushl   %eax                    /* EIP */
        movl    $FLAT_RING3_DS, %eax
        movl    %eax, %ds
        movl    %eax, %es
        jmp     hypercall_page + HYPERCALL_IRET

/*
 * uint32_t user_run_eflags(void (*fn)(void), uint32_t user_stack_top,
 *                          uint32_t eflags): user_run with the EFLAGS of the
 * iret frame given (under VMASST_TYPE_architectural_iopl its IOPL becomes
 * the virtual IOPL).
 */
        .globl  user_run_eflags
user_run_eflags:
        pushl   %ebp
        pushl   %ebx
        pushl   %esi
        pushl   %edi
        movl    %esp, kernel_resume_esp
        movl    20(%esp), %eax          /* fn */
        movl    24(%esp), %ecx          /* user stack */
        movl    28(%esp), %edx          /* eflags */
        pushl   $FLAT_RING3_DS          /* SS */
        pushl   %ecx                    /* ESP */
        pushl   %edx                    /* EFLAGS */
        pushl   $FLAT_RING3_CS          /* CS */
        pushl   %eax                    /* EIP */
        movl    $FLAT_RING3_DS, %eax
        movl    %eax, %ds
        movl    %eax, %es
        jmp     hypercall_page + HYPERCALL_IRET

/* Called from a system-call handler: back to user_run's caller, returning eax. */
        .globl  user_return
user_return:
        movl    4(%esp), %eax
        movl    kernel_resume_esp, %esp
        popl    %edi
        popl    %esi
        popl    %ebx
        popl    %ebp
        ret

        .bss
        .align  4
kernel_resume_esp:
        .long   0

        .section .note.GNU-stack, "", @progbits
