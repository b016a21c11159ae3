/*
 * The program pack linked into the hostile guest (fq.h): the layer-1
 * corpus for campaigns, the programs of one finding for a reproduction.
 * The build passes the file as FQ_PACK_PATH.
 */
        .section .rodata.fq_pack, "a"
        .balign 4
        .globl  fq_pack_start
fq_pack_start:
        .incbin FQ_PACK_PATH
fq_pack_end:
        .balign 4
        .globl  fq_pack_len
fq_pack_len:
        .long   fq_pack_end - fq_pack_start
        .section .note.GNU-stack, "", @progbits
