# Tests: hosted unit tests, guest scenarios under QEMU/Bochs, the suite.

include tests/unit/unit.mk

# ---- test guests: every tests/guests/<name>/ with C sources is a guest
# kernel, linked like an XTF test (virt_base 0, loaded at 1 MiB). ------
GUEST_TEST_DIRS := $(patsubst %/,%,$(dir $(wildcard tests/guests/*/*.c)))
GUEST_TEST_DIRS := $(sort $(GUEST_TEST_DIRS))
GUEST_TEST_ELFS := $(patsubst tests/guests/%,$(BUILD)/guests/%.elf,$(GUEST_TEST_DIRS))
GUEST_TEST_COMMON := $(patsubst %.c,$(BUILD)/guest/%.o,$(wildcard tests/guests/common/*.c))

define guest_test_rule
$(BUILD)/guests/$(1).elf: $(patsubst %.c,$(BUILD)/guest/%.o,$(wildcard tests/guests/$(1)/*.c)) $(GUEST_TEST_COMMON) $(GUEST_RT_LIB) $(GUEST_LD)
	@mkdir -p $$(dir $$@)
	$$(call link_guest,$$@,$(patsubst %.c,$(BUILD)/guest/%.o,$(wildcard tests/guests/$(1)/*.c)) $(GUEST_TEST_COMMON),0,0x100000,0)
endef
$(foreach g,$(filter-out common,$(notdir $(GUEST_TEST_DIRS))),$(eval $(call guest_test_rule,$(g))))

$(BUILD)/guest/tests/guests/%.o: GUEST_CFLAGS += -Itests/guests/common
$(BUILD)/guest/tests/bench/%.o: GUEST_CFLAGS += -Itests/bench/guest


# ---- scenarios ------------------------------------------------------
SCENARIOS := $(sort $(wildcard tests/guests/*/scenario.conf))
SCENARIO_JOBS ?= 2

.PHONY: scenarios
scenarios: hv dom0 guests
	@printf '%s\n' $(SCENARIOS) | xargs -P $(SCENARIO_JOBS) -I{} sh -c \
		'n=$$(basename $$(dirname {})); tests/run-scenario.sh {} $(BUILD)/tests/$$n.log' \
		| tee $(BUILD)/scenarios.out
	@! grep -q '^FAIL' $(BUILD)/scenarios.out

# ---- the whole suite ------------------------------------------------
.PHONY: test
test: deps-check
	@tests/run-suite.sh

include tests/bench/bench.mk

.PHONY: bench
bench: deps-check hv dom0 guests $(BENCH_ELF)
	@tests/bench/run-bench.sh

# ---- malformed images for the loader scenarios -------------------------
MKBADELF := $(BUILD)/tools/mkbadelf
BSD_BAD_IMAGE_NAMES := bsd-two-symtabs bsd-bad-link bsd-symtab-outside
BAD_IMAGE_NAMES := $(patsubst tests/guests/bad-image-%/scenario.conf,%,$(wildcard tests/guests/bad-image-*/scenario.conf))
BAD_IMAGES := $(patsubst %,$(BUILD)/bad-images/%.elf,$(sort $(BAD_IMAGE_NAMES) $(BSD_BAD_IMAGE_NAMES)))

$(MKBADELF): tests/tools/mkbadelf.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -std=c11 -O1 -g -Wall -Wextra -Werror -o $@ $<

$(BUILD)/bad-images/%.elf: $(MKBADELF) $(DOM0_ELF)
	@mkdir -p $(dir $@)
	$(Q)$(MKBADELF) $* $(DOM0_ELF) $@

# The BSD_SYMTAB mutations need a kernel that carries the note and a symbol table.
$(BUILD)/bad-images/bsd-%.elf: $(MKBADELF) $(BUILD)/guests/bsd-symtab.elf
	@mkdir -p $(dir $@)
	$(Q)$(MKBADELF) bsd-$* $(BUILD)/guests/bsd-symtab.elf $@

# The block backend's ramdisk module: 8 MiB of zeros, cut into disks by
# the guests' `disk = START+COUNT` lines.
RAMDISK := $(BUILD)/disk.img
$(RAMDISK):
	@mkdir -p $(dir $@)
	$(Q)truncate -s 8M $@

.PHONY: guests
guests: $(filter-out $(BUILD)/guests/common.elf,$(GUEST_TEST_ELFS)) $(BAD_IMAGES) $(RAMDISK)


.PHONY: lint
lint:
	@tests/lint.sh $(BUILD)/lint | tee $(BUILD)/lint.out; ! grep -q '^FAIL' $(BUILD)/lint.out

# Rule IDs of spec/ whose chain (code, test, hostile test) is broken; the
# suite's lint stage fails on any.
.PHONY: trace
trace:
	@tests/rule-trace.py --summary
