# Fuzz layer 2: the hostile guest under QEMU (fuzz/qemu/README.md).
#
#   make fuzz-qemu                  a campaign: FUZZ_QEMU_PROGRAMS programs or
#                                   FUZZ_QEMU_HYPERCALLS hostile hypercalls
#                                   (FUZZ_QEMU_SEED, FUZZ_QEMU_AUDIT=1|0)
#   make fuzz-qemu-repro FILE=...   boot with only that program (or pack)
#
# The guest images are also part of `guests`, so the smoke scenario
# (tests/guests/fuzz-qemu-smoke) finds them.

FQ_DIR      := $(BUILD)/fuzz-qemu
FQ_TOOL     := $(FQ_DIR)/progtool
FQ_PACK     := $(FQ_DIR)/corpus.pack
FQ_HOSTILE  := $(FQ_DIR)/hostile.elf
FQ_VICTIM   := $(FQ_DIR)/victim.elf
FQ_REPRO    := $(FQ_DIR)/hostile-repro.elf
FQ_GUEST_OBJS := $(BUILD)/guest/fuzz/qemu/hostile.o $(BUILD)/guest/fuzz/qemu/gen.o \
                 $(BUILD)/guest/fuzz/program.o

$(BUILD)/guest/fuzz/%.o: GUEST_CFLAGS += -Ifuzz -Ifuzz/qemu

$(FQ_TOOL): fuzz/qemu/progtool.c fuzz/qemu/gen.c fuzz/qemu/fq.h fuzz/program.c fuzz/program.h
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(CFLAGS_HOSTED) -Ifuzz -Ifuzz/qemu -o $@ fuzz/qemu/progtool.c fuzz/qemu/gen.c fuzz/program.c

# The layer-1 corpus as one pack, then layer 2's own regression programs
# (fuzz/qemu/regress/: inputs of its findings); while no corpus is
# committed, the corpus generator's output stands in for it.
FQ_CORPUS  := $(sort $(wildcard fuzz/corpus/*.bin))
FQ_REGRESS := $(sort $(wildcard fuzz/qemu/regress/*.bin))
ifneq ($(FQ_CORPUS),)
$(FQ_PACK): $(FQ_TOOL) $(FQ_CORPUS) $(FQ_REGRESS) fuzz/qemu/qemu.mk
	$(Q)$(FQ_TOOL) pack $@ $(FQ_CORPUS) $(FQ_REGRESS)
else ifneq ($(wildcard fuzz/gen_corpus.c),)
$(FQ_PACK): $(FQ_TOOL) fuzz/gen_corpus.c fuzz/program.c fuzz/program.h $(FQ_REGRESS) fuzz/qemu/qemu.mk
	$(Q)$(HOSTCC) -std=c11 -O1 -Wall -Wextra -Werror -Ifuzz -Iguest-abi/include -o $(FQ_DIR)/gen_corpus fuzz/gen_corpus.c fuzz/program.c
	$(Q)rm -rf $(FQ_DIR)/corpus && mkdir -p $(FQ_DIR)/corpus && $(FQ_DIR)/gen_corpus $(FQ_DIR)/corpus >/dev/null
	$(Q)$(FQ_TOOL) pack $@ $(FQ_DIR)/corpus/*.bin $(FQ_REGRESS)
else
$(FQ_PACK): $(FQ_TOOL) $(FQ_REGRESS) fuzz/qemu/qemu.mk
	$(Q)$(FQ_TOOL) pack $@ $(FQ_REGRESS)
endif

$(FQ_DIR)/blob-corpus.o: fuzz/qemu/blob.S $(FQ_PACK)
	$(Q)$(CC) $(ASFLAGS_FREESTANDING) -DFQ_PACK_PATH='"$(FQ_PACK)"' -c $< -o $@

$(FQ_HOSTILE): $(FQ_GUEST_OBJS) $(FQ_DIR)/blob-corpus.o $(GUEST_RT_LIB) $(GUEST_LD)
	$(call link_guest,$@,$(FQ_GUEST_OBJS) $(FQ_DIR)/blob-corpus.o,0,0x100000,0)

$(FQ_VICTIM): $(BUILD)/guest/fuzz/qemu/victim.o $(GUEST_RT_LIB) $(GUEST_LD)
	@mkdir -p $(dir $@)
	$(call link_guest,$@,$(BUILD)/guest/fuzz/qemu/victim.o,0,0x100000,0)

guests: $(FQ_HOSTILE) $(FQ_VICTIM) $(FQ_TOOL)

# A few minutes either way: the audit after every hypercall costs ~1000x
# (about 25 hostile hypercalls/s against 25,000/s without it).
FUZZ_QEMU_AUDIT      ?= 1
FUZZ_QEMU_PROGRAMS   ?= $(if $(filter 1,$(FUZZ_QEMU_AUDIT)),150,40000)
FUZZ_QEMU_HYPERCALLS ?= 0
FUZZ_QEMU_SEED       ?= $(shell date +%s)

.PHONY: fuzz-qemu fuzz-qemu-repro
fuzz-qemu: deps-check hv dom0 $(FQ_HOSTILE) $(FQ_VICTIM) $(FQ_TOOL)
	@fuzz/qemu/run.sh campaign --seed $(FUZZ_QEMU_SEED) --programs $(FUZZ_QEMU_PROGRAMS) \
		--hypercalls $(FUZZ_QEMU_HYPERCALLS) --audit $(FUZZ_QEMU_AUDIT) \
		--chunk $(if $(filter 1,$(FUZZ_QEMU_AUDIT)),300,5000) --out $(FQ_DIR)/campaign

# The repro image links FILE (one program, or a pack of several) in place
# of the corpus; it is relinked for every call.
fuzz-qemu-repro: deps-check hv dom0 $(FQ_VICTIM) $(FQ_TOOL) $(FQ_GUEST_OBJS) $(GUEST_RT_LIB)
	@test -n "$(FILE)" || { echo "usage: make fuzz-qemu-repro FILE=program.bin|programs.pack"; exit 2; }
	$(Q)if $(FQ_TOOL) print "$(FILE)" | grep -q '^-- pack entry'; then cp "$(FILE)" $(FQ_DIR)/repro.pack; \
		else $(FQ_TOOL) pack $(FQ_DIR)/repro.pack "$(FILE)"; fi
	$(Q)$(CC) $(ASFLAGS_FREESTANDING) -DFQ_PACK_PATH='"$(FQ_DIR)/repro.pack"' -c fuzz/qemu/blob.S -o $(FQ_DIR)/blob-repro.o
	$(call link_guest,$(FQ_REPRO),$(FQ_GUEST_OBJS) $(FQ_DIR)/blob-repro.o,0,0x100000,0)
	@fuzz/qemu/run.sh repro --pack $(FQ_DIR)/repro.pack --audit $(FUZZ_QEMU_AUDIT) --verbose $(or $(VERBOSE),1) --out $(FQ_DIR)/repro
