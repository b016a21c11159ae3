/*
 * uaccess_copy(dst, src, len): copy len bytes, either side possibly guest
 * memory. Returns the number of bytes NOT copied (0 on success). A fault
 * on either side stops the copy through the exception table instead of
 * reaching the hypervisor's fault handler.
 */
        .text
        .globl  uaccess_copy
uaccess_copy:
        pushl   %esi
        pushl   %edi
        movl    12(%esp), %edi
        movl    16(%esp), %esi
        movl    20(%esp), %ecx
1:      rep movsb
2:      movl    %ecx, %eax
        popl    %edi
        popl    %esi
        ret

        .section .ex_table, "a"
        .long   1b, 2b
        .previous

        .section .note.GNU-stack, "", @progbits
