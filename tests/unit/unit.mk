# Hosted unit tests: every tests/unit/test_*.c is one program, linked with
# the whole core object list and the hosted memory model, under ASan/UBSan.
# A test of code outside the core names its extra sources in
# UNIT_EXTRA_<test name> (compiled against the hosted C library).

UNIT_TESTS    := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(wildcard tests/unit/test_*.c))
UNIT_INCLUDES := -Ihv/core -Iguest-abi/include -Itests/hosted -Itests/unit
UNIT_SUPPORT  := tests/hosted/hosted_env.c tests/unit/pt_fixture.c

UNIT_EXTRA_test_dom0_config := dom0/config.c guest-abi/lib/devices.c
UNIT_EXTRA_test_bridge := dom0/bridge.c
UNIT_EXTRA_test_line_edit := dom0/line_edit.c
UNIT_EXTRA_test_cons_log := dom0/cons_log.c
UNIT_EXTRA_test_dom0_xlcfg := dom0/xlcfg.c dom0/xlcfg_spec.c guest-abi/lib/devices.c
UNIT_EXTRA_test_ring := guest-abi/lib/ring.c
UNIT_EXTRA_test_cons_ring := guest-abi/lib/cons_ring.c
UNIT_EXTRA_test_devices := guest-abi/lib/devices.c
UNIT_EXTRA_INCLUDES := -Idom0 -Ihv/lib -Iguest-abi/lib

.SECONDEXPANSION:
$(BUILD)/unit/%: tests/unit/%.c $(CORE_SRCS) $(UNIT_SUPPORT) $$(UNIT_EXTRA_$$*) \
		$(wildcard hv/core/*.h tests/unit/*.h tests/hosted/*.h guest-abi/include/pv/*.h dom0/*.h \
		guest-abi/lib/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(CFLAGS_HOSTED) $(UNIT_INCLUDES) $(if $(UNIT_EXTRA_$*),$(UNIT_EXTRA_INCLUDES)) \
		-o $@ $< $(CORE_SRCS) $(UNIT_SUPPORT) $(UNIT_EXTRA_$*)

.PHONY: unit unit-build
unit-build: $(UNIT_TESTS)

unit: $(UNIT_TESTS)
	@fail=0; for t in $(UNIT_TESTS); do \
		if ! $$t; then echo "UNIT FAILED: $$t"; fail=1; fi; \
	done; exit $$fail
