/*
 * Guest kernel entry and Xen ELF notes, shared by dom0 and every test
 * guest. The notes tell the domain builder where the image lives
 * (GUEST_VIRT_BASE comes from the link, see
 * guest.ld), that it wants the PAE pv32 ABI, and where the hypercall page
 * is. At entry ESI holds start_info's virtual address (the boot
 * protocol); we move to our own stack and call guest_start().
 */
#define XEN_ELFNOTE_ENTRY          1
#define XEN_ELFNOTE_HYPERCALL_PAGE 2
#define XEN_ELFNOTE_VIRT_BASE      3
#define XEN_ELFNOTE_PADDR_OFFSET   4
#define XEN_ELFNOTE_XEN_VERSION    5
#define XEN_ELFNOTE_GUEST_OS       6
#define XEN_ELFNOTE_GUEST_VERSION  7
#define XEN_ELFNOTE_LOADER         8
#define XEN_ELFNOTE_PAE_MODE       9
#define XEN_ELFNOTE_FEATURES       10

/* A note's descriptor is the bytes between labels 3 and 4. */
.macro xen_note_begin type
        .pushsection .note.Xen, "a", @note
        .align  4
        .long   2f - 1f         /* name size */
        .long   4f - 3f         /* descriptor size */
        .long   \type
1:      .asciz  "Xen"
2:      .align  4
3:
.endm
.macro xen_note_end
4:      .align  4
        .popsection
.endm
.macro xen_note_str type, text
        xen_note_begin \type
        .asciz  "\text"
        xen_note_end
.endm
.macro xen_note_num type, value
        xen_note_begin \type
        .long   \value
        xen_note_end
.endm

        xen_note_str XEN_ELFNOTE_GUEST_OS, "Bulkhead-guest"
        xen_note_str XEN_ELFNOTE_GUEST_VERSION, "1"
        xen_note_str XEN_ELFNOTE_XEN_VERSION, "xen-3.0"
        xen_note_str XEN_ELFNOTE_LOADER, "generic"
        xen_note_str XEN_ELFNOTE_PAE_MODE, "yes"
        xen_note_str XEN_ELFNOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb"
        xen_note_num XEN_ELFNOTE_VIRT_BASE, GUEST_VIRT_BASE
        xen_note_num XEN_ELFNOTE_PADDR_OFFSET, 0
        xen_note_num XEN_ELFNOTE_ENTRY, _start
        xen_note_num XEN_ELFNOTE_HYPERCALL_PAGE, hypercall_page

        .text
        .globl  _start
_start:
        /* The registers as the builder left them, for tests of the boot
         * protocol (struct guest_entry_regs in guest.h). */
        mov     %eax, guest_entry_regs + 0
        mov     %ebx, guest_entry_regs + 4
        mov     %ecx, guest_entry_regs + 8
        mov     %edx, guest_entry_regs + 12
        mov     %esi, guest_entry_regs + 16
        mov     %edi, guest_entry_regs + 20
        mov     %ebp, guest_entry_regs + 24
        mov     %esp, guest_entry_regs + 28
        pushfl
        popl    guest_entry_regs + 32
        mov     %cs, guest_entry_regs + 36
        mov     %ds, guest_entry_regs + 40
        mov     %es, guest_entry_regs + 44
        mov     %fs, guest_entry_regs + 48
        mov     %gs, guest_entry_regs + 52
        mov     %ss, guest_entry_regs + 56
        cld
        mov     $guest_stack_top, %esp
        xor     %ebp, %ebp
        pushl   %esi
        call    guest_start
1:      jmp     1b

/*
 * Filled by the builder; poisoned with RET so an unfilled page is
 * detectable (guest_start checks the first byte).
 */
        .section .text.hypercall_page, "ax"
        .align  4096
        .globl  hypercall_page
hypercall_page:
        .fill   4096, 1, 0xc3

        .bss
        .align  16
        .globl  guest_entry_regs
guest_entry_regs:
        .skip   60
        .align  16
guest_stack:
        .skip   16384
        .globl  guest_stack_top
guest_stack_top:

        .section .note.GNU-stack, "", @progbits
