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
include dom0/dom0.mk
include tests/tests.mk
include proofs/prove.mk
include fuzz/fuzz.mk
include tests/tools.mk

.PHONY: clean
clean:
	rm -rf $(BUILD)
