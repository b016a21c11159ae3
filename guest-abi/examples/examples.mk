# The example guests (guest-abi/GUIDE.md): every guest-abi/examples/<name>/
# with C sources is one guest kernel, build/examples/<name>.elf, built on
# the guest runtime alone and linked as every guest is (virt_base 0,
# loaded at 1 MiB). Copy one to start your own.

EXAMPLE_DIRS := $(sort $(patsubst %/,%,$(dir $(wildcard guest-abi/examples/*/*.c))))
EXAMPLE_ELFS := $(patsubst guest-abi/examples/%,$(BUILD)/examples/%.elf,$(EXAMPLE_DIRS))

define example_rule
$(BUILD)/examples/$(1).elf: $(patsubst %.c,$(BUILD)/guest/%.o,$(wildcard guest-abi/examples/$(1)/*.c)) $(GUEST_RT_LIB) $(GUEST_LD)
	@mkdir -p $$(dir $$@)
	$$(call link_guest,$$@,$(patsubst %.c,$(BUILD)/guest/%.o,$(wildcard guest-abi/examples/$(1)/*.c)),0,0x100000,0)
endef
$(foreach e,$(notdir $(EXAMPLE_DIRS)),$(eval $(call example_rule,$(e))))

.PHONY: examples
examples: $(EXAMPLE_ELFS)
guests: examples

-include $(patsubst %.c,$(BUILD)/guest/%.d,$(wildcard guest-abi/examples/*/*.c))
