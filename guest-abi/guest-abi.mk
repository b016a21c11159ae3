# The guest runtime library, and the recipe every guest image is linked with.

GUEST_INCLUDES := -Iguest-abi/include -Iguest-abi/lib -Ihv/lib
GUEST_CFLAGS   := $(CFLAGS_FREESTANDING) $(GUEST_INCLUDES)
GUEST_RT_SRCS  := $(wildcard guest-abi/lib/*.c) $(LIB_SRCS)
GUEST_RT_ASM   := $(wildcard guest-abi/lib/*.S)
GUEST_RT_OBJS  := $(patsubst %.c,$(BUILD)/guest/%.o,$(GUEST_RT_SRCS)) \
                  $(patsubst %.S,$(BUILD)/guest/%.o,$(GUEST_RT_ASM))
GUEST_RT_LIB   := $(BUILD)/guest/libguest.a
GUEST_LD       := guest-abi/lib/guest.ld

$(BUILD)/guest/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/guest/%.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ASFLAGS_FREESTANDING) $(GUEST_INCLUDES) -MMD -MP -c $< -o $@

$(GUEST_RT_LIB): $(GUEST_RT_OBJS)
	@rm -f $@
	$(Q)ar rcs $@ $^

# $(call link_guest,output,objects,virt_base,load_address,paddr_offset)
# head.o comes first so the notes and entry are in every image.
define link_guest
	$(Q)$(LD) -m elf_i386 -nostdlib -z noexecstack -z max-page-size=4096 -T $(GUEST_LD) \
		--defsym=GUEST_VIRT_BASE=$(3) --defsym=GUEST_LOAD=$(4) --defsym=GUEST_LMA_OFFSET=$(5) \
		-o $(1) $(BUILD)/guest/guest-abi/lib/head.o $(2) $(GUEST_RT_LIB) $(LIBGCC32)
	@echo "  LD  $(1)"
endef

-include $(GUEST_RT_OBJS:.o=.d)
