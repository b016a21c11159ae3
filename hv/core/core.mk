# The pure core: one object list, built freestanding into the hypervisor and
# hosted into the unit tests and fuzzers, and read by the proofs.
CORE_SRCS := \
	hv/core/frame_alloc.c \
	hv/core/cmdline.c
