# Bulkhead — top-level build.
#
#   make            hypervisor, dom0, test guests and the GRUB ISO
#   make run        boot the ISO in QEMU, serial on this terminal
#   make test       lint + unit + prove + guest scenarios + fuzz smoke
#   make deps       install every tool from Debian packages (idempotent)
#
# Each part of the tree adds its rules through its own fragment below.

BUILD      ?= build
Q          ?= @
SHELL      := /bin/bash
empty      :=
space      := $(empty) $(empty)

CC         := gcc
LD         := ld
HOSTCC     := clang

# Freestanding 32-bit code (hypervisor and guests).
CFLAGS_FREESTANDING := -m32 -std=c11 -O2 -g -ffreestanding -fno-pic -fno-pie \
	-fno-asynchronous-unwind-tables -fno-omit-frame-pointer -fno-strict-aliasing \
	-mgeneral-regs-only -mno-sse -mno-mmx -mno-80387 \
	-fstack-protector-strong -mstack-protector-guard=global \
	-ftrivial-auto-var-init=zero -fno-common \
	-Wall -Wextra -Werror -Wvla -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter
ASFLAGS_FREESTANDING := -m32 -g -Wa,--noexecstack
LIBGCC32   := $(shell $(CC) -m32 -print-libgcc-file-name 2>/dev/null)

# Hosted 64-bit builds of the core (unit tests, fuzzers) under the sanitizers.
CFLAGS_HOSTED := -std=c11 -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Werror -Wvla -Wshadow -Wno-unused-parameter \
	-D_DEFAULT_SOURCE

.PHONY: all
all: hv dom0 guests iso

include hv/core/core.mk
include hv/lib/lib.mk
include hv/hv.mk
include guest-abi/guest-abi.mk
include guest-abi/examples/examples.mk
include dom0/dom0.mk
include tests/tests.mk
include proofs/prove.mk
include fuzz/fuzz.mk
include fuzz/qemu/qemu.mk

# The demo: the hypervisor, dom0 and the example guests on a GRUB ISO.
# This block comes after the fragments above: its prerequisites name
# variables (HV_ELF, DOM0_ELF) that they define, and make expands a rule's
# prerequisites when it reads the rule.
ISO      := $(BUILD)/bulkhead.iso
RUN_MEM  ?= 512
RUN_ARGS ?= loglvl=info
DOM0_ARGS ?=
RUN_MODULES ?= $(BUILD)/guests/app.elf app.elf;$(BUILD)/guests/spin.elf spin.elf;$(BUILD)/guests/blkdisk.elf blkdisk.elf;$(BUILD)/guests/netdgram.elf netdgram.elf;$(BUILD)/examples/echo.elf echo.elf;$(BUILD)/disk.img disk.img;dom0/demo/demo.cfg demo.cfg;dom0/demo/echo.cfg echo.cfg;dom0/demo/demo.script demo.script
# The files RUN_MODULES names (the first word of each `;` item).
RUN_MODULE_FILES := $(foreach m,$(subst ;, ,$(subst $(space),^,$(RUN_MODULES))),$(firstword $(subst ^, ,$(m))))
# The command lines and module list, rewritten only when they change, so
# a new RUN_ARGS also rebuilds the ISO.
ISO_ARGS := $(BUILD)/iso.args
ISO_ARGS_TEXT := $(RUN_ARGS)|$(DOM0_ARGS)|$(RUN_MODULES)

.PHONY: iso run FORCE
iso: $(ISO)
$(ISO_ARGS): FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' '$(ISO_ARGS_TEXT)' | cmp -s - $@ || printf '%s\n' '$(ISO_ARGS_TEXT)' > $@
$(ISO): $(HV_ELF) $(DOM0_ELF) $(RUN_MODULE_FILES) $(ISO_ARGS) tests/mkiso.sh
	$(Q)tests/mkiso.sh $@ $(HV_ELF) "$(RUN_ARGS)" $(DOM0_ELF) "$(DOM0_ARGS)" "$(RUN_MODULES)"
	@echo "  ISO $@"

# `make debug`: the demo, held at the first instruction with QEMU's GDB
# stub on DEBUG_PORT; attach from another terminal with the command it
# prints (README, "Debugging"). tests/debug-gdb.sh drives the same script.
DEBUG_PORT ?= 1234
.PHONY: debug
debug: deps-check
	@$(MAKE) -s iso
	@tests/debug-gdb-script.sh $(BUILD) localhost:$(DEBUG_PORT) > $(BUILD)/debug.gdb
	@echo "QEMU is waiting for gdb. In another terminal, from this directory:"
	@echo "    gdb -x $(BUILD)/debug.gdb"
	@echo "then e.g.  hbreak do_xen_version  and  continue.  Quit QEMU with Ctrl-a x."
	qemu-system-i386 -accel tcg -cpu max -m $(RUN_MEM) -display none -no-reboot \
		-serial mon:stdio -cdrom $(ISO) -boot d -S -gdb tcp::$(DEBUG_PORT)

# Quit QEMU with Ctrl-a x (the serial line is multiplexed with its monitor).
run: deps-check
	@$(MAKE) -s iso
	qemu-system-i386 -accel tcg -cpu max -m $(RUN_MEM) -display none -no-reboot \
		-serial mon:stdio -cdrom $(ISO) -boot d

# ---- tools ----------------------------------------------------------
DEB_PACKAGES := gcc gcc-multilib binutils make git python3 grub-pc-bin grub-common xorriso mtools \
	qemu-system-x86 bochs bochsbios vgabios bochs-term frama-c-base why3 z3 cvc4 \
	afl++ clang clang-tools cppcheck gdb
DEP_COMMANDS := gcc ld git python3 grub-mkrescue xorriso mformat qemu-system-i386 bochs \
	frama-c why3 z3 cvc4 afl-clang-fast clang scan-build cppcheck gdb

.PHONY: deps deps-check
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "deps: installing" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $$missing >/dev/null || exit 1; \
	fi; \
	why3 config detect >/dev/null 2>&1 || { echo "deps: why3 config detect failed"; exit 1; }; \
	echo "deps: all tools present"

# `make run` and `make test` install the tools themselves when one is missing.
deps-check:
	@for c in $(DEP_COMMANDS); do command -v $$c >/dev/null || { $(MAKE) -s deps; break; }; done
	@[ -f $$HOME/.why3.conf ] || why3 config detect >/dev/null 2>&1

.PHONY: clean
clean:
	rm -rf $(BUILD)

# `make help`: every target a person runs, one line each (README has more).
define HELP_TEXT
Bulkhead make targets:
  make / make all     hypervisor, dom0, test guests and the GRUB ISO
  make run            boot the ISO in QEMU, serial on this terminal (quit: Ctrl-a x)
                      RUN_ARGS=, DOM0_ARGS=, RUN_MEM=, RUN_MODULES= change the boot
  make iso            the GRUB ISO alone (build/bulkhead.iso)
  make debug          make run, held for gdb (prints the gdb command; README "Debugging")
  make test           the whole suite: lint, unit, prove, build, scenarios, fuzz smoke
  make deps           install every tool from Debian packages (needs root)
  make hv | dom0 | guests   one part of the build
  make examples       the example guests to copy (guest-abi/GUIDE.md)
  make lint           Clang static analyzer and cppcheck, zero findings
  make unit           hosted unit tests of the pure core (ASan, UBSan)
  make prove          Frama-C WP over the proved files; fails on any unproved goal
  make scenarios      every guest scenario under QEMU (and Bochs where limits matter)
  make bench          benchmarks beside same-run baselines (tests/bench/README.md)
  make fuzz           AFL++ on the in-process hypercall harness, FUZZ_SECONDS (300)
  make fuzz-elf       libFuzzer on the ELF loader over raw images, FUZZ_SECONDS
  make fuzz-repro FILE=x   replay one fuzz input with a trace
  make fuzz-cov       hv/core coverage reached by the fuzz corpus
  make fuzz-qemu      the hostile guest under QEMU (fuzz/qemu/README.md)
  make clean          remove build/
endef
export HELP_TEXT
.PHONY: help
help:
	@echo "$$HELP_TEXT"
