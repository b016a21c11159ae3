/*
 * First instructions: multiboot headers, then the switch to PAE paging.
 *
 * Both multiboot1 (QEMU -kernel) and multiboot2 (GRUB) loaders enter at
 * boot_entry in 32-bit protected mode with paging off, EAX = the loader's
 * magic and EBX = the physical address of its information block. This file
 * runs at its physical address (the .boot section has VMA == LMA), builds
 * throw-away page tables that map machine memory 1:1 below 3 GiB (2 MiB
 * pages) and the first 12 MiB again at DIRECTMAP_VIRT, turns on PAE paging
 * (and NX when the CPU has it), and jumps to the hypervisor's linked
 * address. C code then builds the real tables with W^X permissions.
 * (BOOT-1: both headers, one entry; the magic is checked in multiboot.c.)
 */
#define MB1_MAGIC     0x1BADB002
#define MB1_FLAGS     0x00000003      /* page-aligned modules, memory map (BOOT-2, BOOT-4) */
#define MB2_MAGIC     0xE85250D6
#define MB2_ARCH_I386 0

#define DIRECTMAP_VIRT 0xFF000000
#define PDE_2M_RW      0x083          /* present, writable, 2 MiB page */

        .section .multiboot, "a"
        .align 4
mb1_header:
        .long MB1_MAGIC
        .long MB1_FLAGS
        .long -(MB1_MAGIC + MB1_FLAGS)

        .align 8
mb2_header:
        .long MB2_MAGIC
        .long MB2_ARCH_I386
        .long mb2_header_end - mb2_header
        .long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
        .align 8
        .short 6, 0                   /* module alignment: page-align modules (BOOT-4) */
        .long 8
        .align 8
        .short 0, 0                   /* end tag */
        .long 8
mb2_header_end:

        .section .boot.text, "ax"
        .code32
        .globl boot_entry
boot_entry:
        cli
        cld
        mov     %eax, boot_magic
        mov     %ebx, boot_info_pa

        /* BOOT-3: PAE is mandatory: stop with a message on the serial line without it. */
        mov     $1, %eax
        cpuid
        test    $(1 << 6), %edx
        jz      no_pae

        /* Zero the boot tables (loaders need not clear NOLOAD sections). */
        mov     $boot_tables_start, %edi
        mov     $boot_tables_end, %ecx
        sub     %edi, %ecx
        shr     $2, %ecx
        xor     %eax, %eax
        rep stosl

        /* Identity map 0..3 GiB: 3 L2 tables of 512 2-MiB pages each. */
        mov     $boot_l2_identity, %edi
        mov     $PDE_2M_RW, %eax
        mov     $(3 * 512), %ecx
1:      mov     %eax, (%edi)
        add     $0x200000, %eax
        add     $8, %edi
        loop    1b

        /* 0xFF000000..0xFFC00000 -> machine 0..12 MiB (L2 slots 504..509). */
        mov     $(boot_l2_high + 504 * 8), %edi
        mov     $PDE_2M_RW, %eax
        mov     $6, %ecx
2:      mov     %eax, (%edi)
        add     $0x200000, %eax
        add     $8, %edi
        loop    2b

        /* The PDPT: four present entries (PAE L3 entries carry only P). */
        movl    $(boot_l2_identity + 0x0000 + 1), boot_l3 + 0
        movl    $(boot_l2_identity + 0x1000 + 1), boot_l3 + 8
        movl    $(boot_l2_identity + 0x2000 + 1), boot_l3 + 16
        movl    $(boot_l2_high + 1), boot_l3 + 24

        mov     %cr4, %eax
        or      $(1 << 5), %eax               /* PAE */
        mov     %eax, %cr4
        mov     $boot_l3, %eax
        mov     %eax, %cr3

        /* NX when available; C refuses to continue without it. */
        mov     $0x80000000, %eax
        cpuid
        cmp     $0x80000001, %eax
        jb      3f
        mov     $0x80000001, %eax
        cpuid
        test    $(1 << 20), %edx
        jz      3f
        mov     $0xC0000080, %ecx
        rdmsr
        or      $(1 << 11), %eax
        wrmsr
        movl    $1, boot_have_nx
3:
        mov     %cr0, %eax
        or      $0x80010001, %eax             /* PG | WP | PE */
        mov     %eax, %cr0
        mov     $start_high, %eax
        jmp     *%eax

no_pae:
        mov     $no_pae_msg, %esi
4:      lodsb
        test    %al, %al
        jz      5f
        mov     $0x3f8, %dx
        out     %al, %dx
        jmp     4b
5:      hlt
        jmp     5b

        .section .boot.data, "aw"
no_pae_msg:
        .asciz  "Bulkhead: this CPU has no PAE; cannot boot.\r\n"
        .align 4
        .globl boot_magic, boot_info_pa, boot_have_nx
boot_magic:     .long 0
boot_info_pa:   .long 0
boot_have_nx:   .long 0

        .section .boot.bss, "aw", @nobits
        .align 4096
boot_tables_start:
boot_l2_identity:
        .skip   3 * 4096
boot_l2_high:
        .skip   4096
boot_l3:
        .skip   32
        .align  4096
boot_tables_end:

/* ------------------------------------------------------------------ */
        .text
start_high:
        /* The top 68 bytes are the guest register frame (arch/regs.h):
         * C code starts below it so starting a guest cannot clobber it. */
        mov     $(boot_stack_top - 128), %esp
        xor     %ebp, %ebp
        /* Stack-protector canary: set before any protected function runs. */
        rdtsc
        xor     %edx, %eax
        rol     $13, %eax
        xor     $0x5a17c0de, %eax
        and     $0xffffff00, %eax              /* a NUL byte stops string overruns */
        mov     %eax, __stack_chk_guard
        pushl   boot_info_pa
        pushl   boot_magic
        call    hv_start
6:      cli
        hlt
        jmp     6b

        .section .note.GNU-stack, "", @progbits
