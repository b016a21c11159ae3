/*
 * Every entry into the hypervisor: exceptions, interrupts, hypercalls.
 *
 * Each vector has a small stub that makes the frame uniform (a zero error
 * code where the CPU pushes none, the vector number in the upper half of
 * that word) and joins trap_common, which completes a struct cpu_regs
 * (arch/regs.h) and calls trap_dispatch(). Whatever ring the entry came
 * from, the hypervisor's own DS and ES (and its CR4) are loaded before
 * any C code runs (BOUNCE-8): an entry from a guest saves the guest's
 * data segments in the frame; an entry from ring 0 may have interrupted
 * the way back to a guest after some of the guest's segments were loaded,
 * whose limits end below the hypervisor, so it saves DS, ES and CR4 on
 * the stack and puts them back when it returns to the interrupted code.
 *
 * The way back to a guest (return_to_guest) first lets C run deferred
 * work (scheduling, NMI and event delivery), which may replace the whole
 * frame with another vCPU's, then reloads the guest's segments and IRETs.
 * Those loads and the IRET can fault on a bad guest selector or frame;
 * their exception-table entries send such a fault to guest_exit_fault(),
 * which enters the guest's failsafe callback or crashes the guest.
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
        jz      from_hypervisor
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
        jmp     return_to_guest

/*
 * From ring 0: a fixed-up fault (a guest-memory copy, a segment load or
 * the IRET on the way back to a guest), an interrupt in the idle loop, or
 * an NMI anywhere (BOUNCE-8, NMI-1). DS, ES and CR4 as the interrupted
 * code had them go on the stack below the frame; ours are loaded. FS and
 * GS are left alone: hypervisor code never uses them.
 */
from_hypervisor:
        mov     %ds, %eax
        pushl   %eax
        mov     %es, %eax
        pushl   %eax
        mov     %cr4, %eax
        pushl   %eax
        mov     $HV_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     cr4_hypervisor, %eax
        mov     %eax, %cr4
        leal    12(%esp), %eax
        pushl   %eax
        call    trap_dispatch
        addl    $4, %esp
        popl    %eax
        mov     %eax, %cr4
        popl    %eax
        /* Back as the interrupted code had them. Nothing run here removes
         * a descriptor, so these reloads succeed; should one fault all the
         * same, the hypervisor's segment stays (the fixups below). */
10:     mov     %eax, %es
11:     popl    %eax
12:     mov     %eax, %ds
13:     popl    %ebx
        popl    %ecx
        popl    %edx
        popl    %esi
        popl    %edi
        popl    %ebp
        popl    %eax
        addl    $4, %esp
        iret

        .section .ex_table, "a"
        .long   10b, 11b
        .long   12b, 13b
        .previous

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

        /* A faulting selector load or IRET (BOUNCE-8): the frame is intact
         * (the fault was taken on top of it). Reload our segments and CR4
         * (the interrupted code's, put back on return from the fault, may
         * be the guest's), hand the frame to C, which enters the failsafe
         * callback or crashes the domain, then go back as usual. */
guest_exit_fixup_segs:
        xorl    %ecx, %ecx              /* a segment load faulted */
        jmp     9f
guest_exit_fixup_iret:
        /* The IRET frame is 5 words; ESP is past the GPRs and error word. */
        subl    $32, %esp
        movl    $1, %ecx                /* the IRET faulted */
9:      mov     $HV_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     cr4_hypervisor, %eax
        mov     %eax, %cr4
        mov     %esp, %eax
        pushl   %ecx
        pushl   %eax
        call    guest_exit_fault
        addl    $8, %esp
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
