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
 *
 * Only what must change is changed (PERF-1). CR4 is written only when the
 * hypervisor's value differs from the guest's (SMEP or SMAP in use) or,
 * from ring 0, from the interrupted code's. FS and GS are never used by
 * the hypervisor, so an entry leaves the guest's in place, and the way
 * back reloads them only when the reload could give something else than
 * they hold: the frame names other selectors, or fsgs_stale is set
 * (traps_reload_fs_gs(): the frame now belongs to another vCPU, or a
 * descriptor table of the running domain changed). Otherwise the reload
 * would read the same descriptors for the same selectors, so skipping it
 * changes nothing a guest can see, faults included. DS and ES are always
 * loaded both ways: C needs the hypervisor's, the guest needs its own.
 */
#define HV_DS 0xE010
#define HYPERCALL_VECTOR 0x82

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
        /* From a guest CR4 is cr4_guest (guests cannot write it): SMEP/SMAP
         * back on, when in use (mm.c). */
        mov     cr4_hypervisor, %eax
        cmp     cr4_guest, %eax
        je      1f
        mov     %eax, %cr4
        /* The CPU keeps the guest's EFLAGS.AC across the gate: with SMAP,
         * an AC left set would open guest user pages to the hypervisor. */
        testl   $(1 << 21), %eax
        jz      1f
        clac
1:      mov     %esp, %eax
        pushl   %eax
        cmpw    $HYPERCALL_VECTOR, 34(%esp)     /* entry_vector, past the pushed arg */
        je      2f
        call    trap_dispatch
        addl    $4, %esp
        jmp     return_to_guest
2:      call    hypercall_entry         /* PERF-1: the common case, straight */
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
        cmp     (%esp), %eax
        je      1f
        mov     %eax, %cr4
1:      leal    12(%esp), %eax
        pushl   %eax
        call    trap_dispatch
        addl    $4, %esp
        popl    %eax
        cmp     cr4_hypervisor, %eax
        je      1f
        mov     %eax, %cr4
1:      popl    %eax
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
        cmp     cr4_hypervisor, %eax
        je      1f
        mov     %eax, %cr4
        /* FS and GS: only if the frame is not the one whose selectors are
         * loaded, or names others (PERF-1). Decided while DS is ours. */
1:      cmpb    $0, fsgs_stale
        jne     3f
        mov     %fs, %eax
        cmpw    60(%esp), %ax
        jne     3f
        mov     %gs, %eax
        cmpw    64(%esp), %ax
        je      4f
3:      movb    $0, fsgs_stale
        .globl  guest_seg_load_start
guest_seg_load_start:
5:      mov     60(%esp), %fs
6:      mov     64(%esp), %gs
4:
7:      mov     52(%esp), %es
8:      mov     56(%esp), %ds
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
9:      iret

        /* A faulting selector load or IRET (BOUNCE-8). Reload our segments
         * and CR4 (the interrupted code's, put back on return from the
         * fault, may be the guest's), hand the frame to C, which enters the
         * failsafe callback or crashes the domain, then go back as usual,
         * reloading FS and GS whatever they hold now. A selector load
         * faults before the GPRs leave the frame, so it is intact. */
guest_exit_fixup_segs:
        xorl    %ecx, %ecx              /* a segment load faulted */
        jmp     2f
guest_exit_fixup_iret:
        /* The IRET faults after the GPRs left the frame, and the fault's
         * own frame was pushed over their words, so they are rebuilt from
         * the registers, which hold the guest's values again here (the
         * fault's way back restored them). ESP points at the IRET frame;
         * the error/vector word below it becomes 0. */
        pushl   $0
        pushl   %eax
        pushl   %ebp
        pushl   %edi
        pushl   %esi
        pushl   %edx
        pushl   %ecx
        pushl   %ebx
        movl    $1, %ecx                /* the IRET faulted */
2:      mov     $HV_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        movb    $1, fsgs_stale
        mov     cr4_hypervisor, %eax
        cmp     cr4_guest, %eax
        je      1f
        mov     %eax, %cr4
1:      mov     %esp, %eax
        pushl   %ecx
        pushl   %eax
        call    guest_exit_fault
        addl    $8, %esp
        jmp     return_to_guest

        .section .ex_table, "a"
        .long   5b, guest_exit_fixup_segs
        .long   6b, guest_exit_fixup_segs
        .long   7b, guest_exit_fixup_segs
        .long   8b, guest_exit_fixup_segs
        .long   9b, guest_exit_fixup_iret
        .previous

/*
 * BOOT-17, `benchgate` only: two ring-1 gates for make bench, interrupts
 * off. bench_gate_stub is the floor of every entry: nothing but the IRET
 * on the ring-0 stack, with the guest's segments and CR4. bench_seg_stub
 * adds what any entry that runs hypervisor code must do on a CPU where
 * segment limits isolate the hypervisor: build the frame, load our DS and
 * ES, and the guest's back (with the exit path's fixups, should a reload
 * fault). No C, no CR4.
 */
        .globl  bench_gate_stub
bench_gate_stub:
17:     iret

        .globl  bench_seg_stub
bench_seg_stub:
        pushl   $0
        cld
        pushl   %eax
        pushl   %ebp
        pushl   %edi
        pushl   %esi
        pushl   %edx
        pushl   %ecx
        pushl   %ebx
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
14:     mov     52(%esp), %es
15:     mov     56(%esp), %ds
        popl    %ebx
        popl    %ecx
        popl    %edx
        popl    %esi
        popl    %edi
        popl    %ebp
        popl    %eax
        addl    $4, %esp
16:     iret

        .section .ex_table, "a"
        .long   14b, guest_exit_fixup_segs
        .long   15b, guest_exit_fixup_segs
        .long   16b, guest_exit_fixup_iret
        .long   17b, guest_exit_fixup_iret  /* a guest CS limit can make it fault */
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

        .data
/* Nonzero: the way back reloads FS and GS (traps_reload_fs_gs()). */
        .globl  fsgs_stale
fsgs_stale:
        .byte   1

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
