# Freestanding support code shared by the hypervisor and the guest runtime.
LIB_SRCS := hv/lib/string.c hv/lib/fmt.c
