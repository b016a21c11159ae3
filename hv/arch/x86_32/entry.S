/*
 * Every entry into the hypervisor: exceptions, interrupts, hypercalls.
 *
 * Each vector has a small stub that makes the frame uniform (a zero error
 * code where the CPU pushes none, the vector number in the upper half of
 * that word) and joins trap_common, which completes a struct cpu_regs
 * (arch/regs.h) and calls trap_dispatch(). For an entry from a guest, the
 * guest's data segments are saved in the frame and hypervisor ones loaded.
 *
 * The way back to a guest (return_to_guest) first lets C run deferred
 * work (scheduling, event delivery), which may replace the whole frame
 * with another vCPU's, then reloads the guest's segments and IRETs. Those
 * loads and the IRET can fault on a bad guest selector or frame; their
 * exception-table entries send such a fault to guest_exit_fault().
 */
#define HV_DS 0xE010

        .text


        .altmacro
.macro trap_stub vec
        .align 16
trap_stub_\vec:
        .if !(\vec == 8 || (\vec >= 10 && \vec <= 14) || \vec == 17 || \vec == 21 || \vec == 29 || \vec == 30)
        pushl   $0
        .endif
        movw    $\vec, 2(%esp)
        jmp     trap_common
.endm

.macro stub_entry vec
        .long trap_stub_\vec
.endm

        .set    vec, 0
        .rept   256
        trap_stub %vec
        .set    vec, vec + 1
        .endr

trap_common:
        cld
        pushl   %eax
        pushl   %ebp
        pushl   %edi
        pushl   %esi
        pushl   %edx
        pushl   %ecx
        pushl   %ebx
        testb   $3, 36(%esp)
        jz      1f
        mov     %es, %eax
        mov     %eax, 52(%esp)
        mov     %ds, %eax
        mov     %eax, 56(%esp)
        mov     %fs, %eax
        mov     %eax, 60(%esp)
        mov     %gs, %eax
        mov     %eax, 64(%esp)
        mov     $HV_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        xor     %eax, %eax
        mov     %eax, %fs
        mov     %eax, %gs
        mov     cr4_hypervisor, %eax    /* SMEP/SMAP back on (mm.c) */
        mov     %eax, %cr4
        /* The CPU keeps the guest's EFLAGS.AC across the gate: with SMAP,
         * an AC left set would open guest user pages to the hypervisor. */
        testl   $(1 << 21), %eax
        jz      1f
        clac
1:      mov     %esp, %eax
        pushl   %eax
        call    trap_dispatch
        addl    $4, %esp
        testb   $3, 36(%esp)
        jnz     return_to_guest
        /* Back into the hypervisor (a fixed-up fault). */
        popl    %ebx
        popl    %ecx
        popl    %edx
        popl    %esi
        popl    %edi
        popl    %ebp
        popl    %eax
        addl    $4, %esp
        iret

/*
 * return_to_guest: ESP points at the guest frame at the top of the stack.
 * Also the entry point used to start a vCPU for the first time.
 */
        .globl  return_to_guest
return_to_guest:
        mov     %esp, %eax
        pushl   %eax
        call    exit_to_guest_work
        addl    $4, %esp
        mov     cr4_guest, %eax         /* ring 1 is supervisor: SMEP/SMAP off */
        mov     %eax, %cr4
        .globl  guest_seg_load_start
guest_seg_load_start:
2:      mov     52(%esp), %es
3:      mov     56(%esp), %ds
4:      mov     60(%esp), %fs
5:      mov     64(%esp), %gs
        .globl  guest_seg_load_end
guest_seg_load_end:
        popl    %ebx
        popl    %ecx
        popl    %edx
        popl    %esi
        popl    %edi
        popl    %ebp
        popl    %eax
        addl    $4, %esp
6:      iret

        /* A faulting selector load or IRET: the frame is intact (the
         * fault was taken on top of it); hand it to C, which crashes the
         * domain or builds a failsafe frame, then try again. */
guest_exit_fixup_segs:
        mov     $HV_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        jmp     9f
guest_exit_fixup_iret:
        /* The IRET frame is 5 words; ESP is past the GPRs and error word. */
        subl    $32, %esp
        mov     $HV_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
9:      mov     %esp, %eax
        pushl   %eax
        call    guest_exit_fault
        addl    $4, %esp
        jmp     return_to_guest

        .section .ex_table, "a"
        .long   2b, guest_exit_fixup_segs
        .long   3b, guest_exit_fixup_segs
        .long   4b, guest_exit_fixup_segs
        .long   5b, guest_exit_fixup_segs
        .long   6b, guest_exit_fixup_iret
        .previous

/* enter_guest_frame(frame): switch to the frame and leave for the guest. */
        .globl  enter_guest_frame
enter_guest_frame:
        mov     4(%esp), %esp
        jmp     return_to_guest

/* Double fault: entered by task switch on its own stack. */
        .globl  double_fault_task
double_fault_task:
        cli
        call    double_fault_report
7:      hlt
        jmp     7b

        .section .rodata
        .align  4
        .globl  trap_stub_table
trap_stub_table:
        .set    vec, 0
        .rept   256
        stub_entry %vec
        .set    vec, vec + 1
        .endr

        .section .note.GNU-stack, "", @progbits
