# The hypervisor: arch layer + glue + the pure core + freestanding lib,
# linked into one ELF32 image with multiboot1 and multiboot2 headers.

HV_ARCH_DIR := hv/arch/x86_32
HV_SRCS := \
	$(wildcard $(HV_ARCH_DIR)/*.c) \
	$(wildcard hv/*.c) \
	$(CORE_SRCS) $(LIB_SRCS)
HV_ASM  := $(wildcard $(HV_ARCH_DIR)/*.S)
HV_INCLUDES := -Ihv/include -Ihv/core -Ihv/lib -I$(HV_ARCH_DIR)/include -Iguest-abi/include

HV_CHANGESET := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
HV_DATE      := $(shell git log -1 --format=%cs 2>/dev/null || echo unknown)
HV_CFLAGS := $(CFLAGS_FREESTANDING) $(HV_INCLUDES) \
	-DBUILD_CHANGESET='"$(HV_CHANGESET)"' -DBUILD_DATE='"$(HV_DATE)"'

HV_OBJS := $(patsubst %.c,$(BUILD)/hv/%.o,$(HV_SRCS)) $(patsubst %.S,$(BUILD)/hv/%.o,$(HV_ASM))
HV_ELF  := $(BUILD)/bulkhead.elf

$(BUILD)/hv/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HV_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/hv/%.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ASFLAGS_FREESTANDING) $(HV_INCLUDES) -MMD -MP -c $< -o $@

$(HV_ELF): $(HV_OBJS) $(HV_ARCH_DIR)/hv.ld
	$(Q)$(LD) -m elf_i386 -nostdlib -z noexecstack -z max-page-size=4096 \
		-T $(HV_ARCH_DIR)/hv.ld -o $@ $(HV_OBJS) $(LIBGCC32)
	@echo "  LD  $@"

.PHONY: hv
hv: $(HV_ELF)

-include $(HV_OBJS:.o=.d)
