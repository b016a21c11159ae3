# Hosted unit tests: every tests/unit/test_*.c is one program, linked with
# the whole core object list and the hosted memory model, under ASan/UBSan.
# A test of code outside the core names its extra sources in
# UNIT_EXTRA_<test name> (compiled against the hosted C library).
#
# Each source is compiled once into an object shared by every test (make -j
# builds them in parallel). A test with extra sources also gets the extra
# include directories for all its code, as one compiler run over all its
# sources would, and hv/lib has its own string.h: those tests link a second
# object set, built with the extra directories (obj-extra/).

UNIT_TESTS    := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(wildcard tests/unit/test_*.c))
UNIT_INCLUDES := -Ihv/core -Iguest-abi/include -Itests/hosted -Itests/unit
UNIT_SUPPORT  := tests/hosted/hosted_env.c tests/hosted/hosted_desc_evt.c tests/hosted/hosted_sched.c tests/hosted/hosted_cpu.c tests/unit/pt_fixture.c

UNIT_EXTRA_test_dom0_config := dom0/config.c dom0/config_devs.c guest-abi/lib/devices.c
UNIT_EXTRA_test_bridge := dom0/bridge.c
UNIT_EXTRA_test_line_edit := dom0/line_edit.c
UNIT_EXTRA_test_cons_log := dom0/cons_log.c
UNIT_EXTRA_test_dom0_xlcfg := dom0/xlcfg.c dom0/xlcfg_spec.c dom0/config_devs.c guest-abi/lib/devices.c
UNIT_EXTRA_test_ring := guest-abi/lib/ring.c
UNIT_EXTRA_test_cons_ring := guest-abi/lib/cons_ring.c
UNIT_EXTRA_test_devices := guest-abi/lib/devices.c
UNIT_EXTRA_test_xb_state := dom0/xb_state.c
XS_UNIT_SRCS := $(wildcard dom0/xs_*.c) guest-abi/lib/xs_ring.c
UNIT_EXTRA_test_xenstore := $(XS_UNIT_SRCS)
UNIT_EXTRA_test_xs_ring := $(XS_UNIT_SRCS)
UNIT_EXTRA_test_xenstore_random := $(XS_UNIT_SRCS)
UNIT_EXTRA_INCLUDES := -Idom0 -Ihv/lib -Iguest-abi/lib

unit_set  = $(if $(UNIT_EXTRA_$(1)),obj-extra,obj)
unit_objs = $(patsubst %.c,$(BUILD)/unit/$(call unit_set,$(1))/%.o, \
	tests/unit/$(1).c $(CORE_SRCS) $(UNIT_SUPPORT) $(UNIT_EXTRA_$(1)))
UNIT_OBJS := $(sort $(foreach t,$(notdir $(UNIT_TESTS)),$(call unit_objs,$(t))))

$(BUILD)/unit/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(CFLAGS_HOSTED) $(UNIT_INCLUDES) -MMD -MP -c $< -o $@

$(BUILD)/unit/obj-extra/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(CFLAGS_HOSTED) $(UNIT_INCLUDES) $(UNIT_EXTRA_INCLUDES) -MMD -MP -c $< -o $@

.SECONDEXPANSION:
$(UNIT_TESTS): $(BUILD)/unit/%: $$(call unit_objs,$$*)
	$(Q)$(HOSTCC) $(CFLAGS_HOSTED) -o $@ $^

-include $(UNIT_OBJS:.o=.d)

.PHONY: unit unit-build
unit-build: $(UNIT_TESTS)

unit: $(UNIT_TESTS)
	@fail=0; for t in $(UNIT_TESTS); do \
		if ! $$t; then echo "UNIT FAILED: $$t"; fail=1; fi; \
	done; exit $$fail
