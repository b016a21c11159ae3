# dom0: the privileged control domain, linked like a Linux dom0 at
# 0xC0100000 with pseudo-physical 0 at 0xC0000000. It shares the strict
# ELF front end and the boot layout with the hypervisor's dom0 builder.

DOM0_SHARED_CORE := hv/core/elf_image.c hv/core/elf_bsdsym.c hv/core/boot_layout.c
DOM0_SRCS := $(wildcard dom0/*.c) $(DOM0_SHARED_CORE)
DOM0_OBJS := $(patsubst %.c,$(BUILD)/guest/%.o,$(DOM0_SRCS))
DOM0_ELF  := $(BUILD)/dom0.elf

$(patsubst %.c,$(BUILD)/guest/%.o,$(wildcard dom0/*.c) $(DOM0_SHARED_CORE)): GUEST_CFLAGS += -Ihv/core -Idom0

$(DOM0_ELF): $(DOM0_OBJS) $(GUEST_RT_LIB) $(GUEST_LD)
	$(call link_guest,$@,$(DOM0_OBJS),0xC0000000,0xC0100000,0xC0000000)

.PHONY: dom0
dom0: $(DOM0_ELF)

-include $(DOM0_OBJS:.o=.d)
