/*
 * The register loaders and readers declared in fpu_regs.h. Plain cdecl:
 * arguments on the stack, EAX/ECX/EDX free.
 */
#include "fpu_regs.h"

#define LOAD_COMMON                                          \
    "        movl    4(%esp), %eax\n"                        \
    "        movl    8(%esp), %edx\n"                        \
    "        fninit\n"                                       \
    "        fldcw   0(%eax)\n"                              \
    "        ldmxcsr 4(%eax)\n"                              \
    "        movups  36(%eax), %xmm0\n"                      \
    "        movups  52(%eax), %xmm1\n"                      \
    "        movups  68(%eax), %xmm2\n"                      \
    "        movups  84(%eax), %xmm3\n"                      \
    "        movups  100(%eax), %xmm4\n"                     \
    "        movups  116(%eax), %xmm5\n"                     \
    "        movups  132(%eax), %xmm6\n"                     \
    "        movups  148(%eax), %xmm7\n"                     \
    "        fildl   8(%eax)\n"                              \
    "        fildl   12(%eax)\n"                             \
    "        fildl   16(%eax)\n"                             \
    "        fildl   20(%eax)\n"                             \
    "        fildl   24(%eax)\n"                             \
    "        fildl   28(%eax)\n"                             \
    "        fildl   32(%eax)\n"

__asm__(
    "        .text\n"
    "        .globl  fpu_load_lazy\n"
    "fpu_load_lazy:\n"
    LOAD_COMMON
    "        .globl  fpu_marker_lazy\n"
    "fpu_marker_lazy:\n"
    "        fildl   (%edx)\n"
    "        ret\n"
    "        .globl  fpu_load_eager\n"
    "fpu_load_eager:\n"
    LOAD_COMMON
    "        .globl  fpu_marker_eager\n"
    "fpu_marker_eager:\n"
    "        fildll  (%edx)\n"
    "        ret\n"
    "        .globl  fpu_env_read\n"
    "fpu_env_read:\n"
    "        movl    4(%esp), %eax\n"
    "        fnstenv (%eax)\n"
    "        fldenv  (%eax)\n"
    "        ret\n"
    "        .globl  fpu_fxsave\n"
    "fpu_fxsave:\n"
    "        movl    4(%esp), %eax\n"
    "        fxsave  (%eax)\n"
    "        ret\n"
    "        .globl  fpu_fxrstor\n"
    "fpu_fxrstor:\n"
    "        movl    4(%esp), %eax\n"
    "        fxrstor (%eax)\n"
    "        ret\n");
