# In-process fuzzing of the hypercall ABI (layer 1, fuzz/README.md).
#
#   make fuzz-build         replay + gen_corpus (ASan/UBSan), the AFL++
#                           harnesses (plain and ASan/UBSan), libFuzzer
#   make fuzz-corpus        regenerate the seeds in fuzz/corpus/
#   make fuzz               afl-fuzz for FUZZ_SECONDS (default 300)
#   make fuzz-repro FILE=x  replay one input with a trace; nonzero on a finding
#   make fuzz-cov           hv/core coverage reached by the corpus
#   make fuzz-cmin QUEUE=d  queue inputs adding hv/core edges -> fuzz/corpus/afl/
#   make fuzz-bench         programs/s in-process without sanitizers
#   make fuzz-selftest      planted core bugs must be found from the corpus
#   make fuzz-smoke-report  the suite's stage: corpus replay + a short AFL++ run
#   make fuzz-elf           libFuzzer on the ELF loader over raw images, for
#                           FUZZ_SECONDS; grows fuzz/corpus-elf/ (minimized)
#
# Every output goes under $(BUILD)/fuzz.

FUZZ_OUT      := $(BUILD)/fuzz
FUZZ_SECONDS  ?= 300
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_BENCH_SECONDS ?= 5
AFL_CC        ?= afl-clang-fast

# The executor (everything but the entry points and the seed generator).
FUZZ_EXEC_SRCS := fuzz/checks.c fuzz/exec.c fuzz/exec_cpu.c fuzz/exec_elf.c fuzz/exec_evt.c \
	fuzz/exec_gnt.c fuzz/exec_mem.c fuzz/exec_mm.c fuzz/exec_vcpu.c fuzz/machine.c fuzz/oracle.c fuzz/program.c \
	fuzz/resolve.c tests/hosted/hosted_env.c tests/hosted/hosted_desc_evt.c \
	tests/hosted/hosted_sched.c tests/hosted/hosted_cpu.c
FUZZ_INCLUDES  := -Ihv/core -Iguest-abi/include -Itests/hosted -Ifuzz
FUZZ_DEPS      := $(FUZZ_EXEC_SRCS) $(CORE_SRCS) fuzz/fuzz.mk \
	$(wildcard fuzz/*.h hv/core/*.h tests/hosted/*.h guest-abi/include/pv/*.h)
# Without sanitizers: the speed figure and the campaign build. LTO inlines
# the core's small predicates into the audit, which doubles the speed.
CFLAGS_FUZZ_PLAIN := $(filter-out -O1 -fsanitize=% -fno-sanitize-recover=%,$(CFLAGS_HOSTED))
CFLAGS_FUZZ_FAST  := $(CFLAGS_FUZZ_PLAIN) -O2 -flto -fuse-ld=lld
# AFL_USE_ASAN/UBSAN add the sanitizers; they abort on the first report.
CFLAGS_FUZZ_SAN   := $(CFLAGS_FUZZ_PLAIN) -O1 -fno-sanitize-recover=all

# The committed corpus: generated seeds, then minimized AFL++ finds and
# the inputs of fixed findings (never regenerated).
FUZZ_CORPUS = $(sort $(wildcard fuzz/corpus/*.bin)) $(sort $(wildcard fuzz/corpus/afl/*)) \
	$(sort $(wildcard fuzz/findings/*.bin))

FUZZ_REPLAY   := $(FUZZ_OUT)/replay
FUZZ_GEN      := $(FUZZ_OUT)/gen_corpus
FUZZ_FAST     := $(FUZZ_OUT)/replay-fast
FUZZ_AFL      := $(FUZZ_OUT)/afl-harness
FUZZ_AFL_SAN  := $(FUZZ_OUT)/afl-harness-san
FUZZ_LIBFUZZ  := $(FUZZ_OUT)/libfuzzer
FUZZ_COVBIN   := $(FUZZ_OUT)/cov/replay

$(FUZZ_REPLAY): fuzz/replay_main.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(CFLAGS_HOSTED) $(FUZZ_INCLUDES) -o $@ $< $(FUZZ_EXEC_SRCS) $(CORE_SRCS)

$(FUZZ_FAST): fuzz/replay_main.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(CFLAGS_FUZZ_FAST) $(FUZZ_INCLUDES) -o $@ $< $(FUZZ_EXEC_SRCS) $(CORE_SRCS)

$(FUZZ_GEN): fuzz/gen_corpus.c fuzz/program.c fuzz/program.h
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(CFLAGS_HOSTED) $(FUZZ_INCLUDES) -o $@ fuzz/gen_corpus.c fuzz/program.c

# AFL++ practice: the campaign runs the fast build; the sanitizer build
# (AFL_USE_ASAN/UBSAN) is for a secondary instance and for triage.
$(FUZZ_AFL): fuzz/fuzz_main.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(Q)AFL_QUIET=1 $(AFL_CC) $(CFLAGS_FUZZ_FAST) $(FUZZ_INCLUDES) -o $@ $< $(FUZZ_EXEC_SRCS) \
		$(CORE_SRCS)

$(FUZZ_AFL_SAN): fuzz/fuzz_main.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(Q)AFL_QUIET=1 AFL_USE_ASAN=1 AFL_USE_UBSAN=1 $(AFL_CC) $(CFLAGS_FUZZ_SAN) \
		-fno-sanitize-recover=all $(FUZZ_INCLUDES) -o $@ $< $(FUZZ_EXEC_SRCS) $(CORE_SRCS)

$(FUZZ_LIBFUZZ): fuzz/libfuzzer_main.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(CFLAGS_HOSTED) -fsanitize=fuzzer $(FUZZ_INCLUDES) -o $@ $< \
		$(FUZZ_EXEC_SRCS) $(CORE_SRCS)

# The ELF loader on raw bytes: the executor's checks, no machine.
FUZZ_ELF      := $(FUZZ_OUT)/elf-fuzz
$(FUZZ_ELF): fuzz/elf_main.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(CFLAGS_HOSTED) -fsanitize=fuzzer $(FUZZ_INCLUDES) -o $@ $< \
		$(FUZZ_EXEC_SRCS) $(CORE_SRCS)

$(FUZZ_COVBIN): fuzz/replay_main.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(CFLAGS_FUZZ_PLAIN) -O1 -fprofile-instr-generate -fcoverage-mapping \
		$(FUZZ_INCLUDES) -o $@ $< $(FUZZ_EXEC_SRCS) $(CORE_SRCS)

.PHONY: fuzz-build fuzz-corpus fuzz fuzz-repro fuzz-cov fuzz-bench fuzz-selftest \
	fuzz-smoke-report fuzz-elf
fuzz-build: $(FUZZ_REPLAY) $(FUZZ_GEN) $(FUZZ_FAST) $(FUZZ_AFL) $(FUZZ_AFL_SAN) $(FUZZ_LIBFUZZ) \
	$(FUZZ_ELF)

# Deterministic: the same generator always writes the same bytes.
fuzz-corpus: $(FUZZ_GEN)
	$(Q)rm -f fuzz/corpus/[0-9]*.bin fuzz/corpus/README.md
	$(Q)$(FUZZ_GEN) fuzz/corpus

# afl-fuzz wants one file per seed (no README) and its own directory.
# Resumes an earlier run in the same output directory (AFL_AUTORESUME).
FUZZ_RUN_ENV := AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
	AFL_AUTORESUME=1
fuzz: $(FUZZ_AFL)
	$(Q)rm -rf $(FUZZ_OUT)/seeds && mkdir -p $(FUZZ_OUT)/seeds $(FUZZ_OUT)/out
	$(Q)cp $(FUZZ_CORPUS) $(FUZZ_OUT)/seeds/
	$(Q)[ -t 1 ] || export AFL_NO_UI=1; $(FUZZ_RUN_ENV) afl-fuzz -i $(FUZZ_OUT)/seeds \
		-o $(FUZZ_OUT)/out -V $(FUZZ_SECONDS) -- $(FUZZ_AFL)
	$(Q)fuzz/afl-stats.sh $(FUZZ_OUT)/out/default

fuzz-repro: $(FUZZ_REPLAY)
	@[ -n "$(FILE)" ] || { echo "usage: make fuzz-repro FILE=input"; exit 2; }
	$(Q)$(FUZZ_REPLAY) -v $(FILE)

# Which hv/core lines, branches and regions the corpus (or every file in
# FUZZ_COV_DIR, e.g. an AFL++ queue) reaches.
fuzz-cov: $(FUZZ_COVBIN)
	$(Q)rm -f $(FUZZ_OUT)/cov/*.prof* $(FUZZ_OUT)/cov/inputs
	$(Q)$(if $(FUZZ_COV_DIR),find $(FUZZ_COV_DIR) -maxdepth 1 -type f ! -name '.*' \
		! -name 'README*',printf '%s\n' $(FUZZ_CORPUS)) > $(FUZZ_OUT)/cov/inputs
	$(Q)LLVM_PROFILE_FILE=$(FUZZ_OUT)/cov/run-%p.profraw xargs $(FUZZ_COVBIN) -q \
		< $(FUZZ_OUT)/cov/inputs >/dev/null
	$(Q)llvm-profdata merge -sparse -o $(FUZZ_OUT)/cov/run.profdata $(FUZZ_OUT)/cov/run-*.profraw
	$(Q)llvm-cov report $(FUZZ_COVBIN) -instr-profile=$(FUZZ_OUT)/cov/run.profdata $(CORE_SRCS) \
		> $(FUZZ_OUT)/cov/report.txt
	$(Q)llvm-cov show $(FUZZ_COVBIN) -instr-profile=$(FUZZ_OUT)/cov/run.profdata \
		-format=text $(CORE_SRCS) > $(FUZZ_OUT)/cov/show.txt
	$(Q)awk '/^TOTAL/ { printf "fuzz-cov: hv/core over %d inputs: regions %s, functions %s, lines %s, branches %s\n", \
		n, $$4, $$7, $$10, $$13 }' n=$$(wc -l < $(FUZZ_OUT)/cov/inputs) $(FUZZ_OUT)/cov/report.txt

fuzz-bench: $(FUZZ_FAST)
	$(Q)$(FUZZ_FAST) --bench $(FUZZ_BENCH_SECONDS) $(FUZZ_CORPUS)

# Seeds: the committed corpus, every guest image of the build (real
# kernels of three layouts) and the malformed images of the loader
# scenarios. New inputs land in the work corpus; the committed one is the
# merge-minimized union, without the inputs over 16 KiB (the built images
# they grew from are rebuilt anyway, and the repository stays small).
FUZZ_ELF_WORK := $(FUZZ_OUT)/elf-corpus
fuzz-elf: $(FUZZ_ELF) guests dom0
	$(Q)mkdir -p $(FUZZ_ELF_WORK) fuzz/corpus-elf
	$(Q)cp $(wildcard $(BUILD)/guests/*.elf) $(DOM0_ELF) $(wildcard $(BUILD)/bad-images/*.elf) \
		$(FUZZ_ELF_WORK)/
	$(Q)$(FUZZ_ELF) -max_total_time=$(FUZZ_SECONDS) -max_len=131072 -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_OUT)/elf- $(FUZZ_ELF_WORK) fuzz/corpus-elf
	$(Q)mkdir -p $(FUZZ_OUT)/elf-min && rm -f $(FUZZ_OUT)/elf-min/*
	$(Q)$(FUZZ_ELF) -merge=1 $(FUZZ_OUT)/elf-min fuzz/corpus-elf $(FUZZ_ELF_WORK) 2>&1 | tail -n 2
	$(Q)rm -f fuzz/corpus-elf/* && find $(FUZZ_OUT)/elf-min -type f -size -17k \
		-exec cp {} fuzz/corpus-elf/ \;
	$(Q)echo "fuzz-elf: $$(ls fuzz/corpus-elf | wc -l) inputs of at most 16 KiB kept in fuzz/corpus-elf/"

fuzz-smoke-report:
	$(Q)FUZZ_SMOKE_SECONDS=$(FUZZ_SMOKE_SECONDS) fuzz/smoke.sh $(BUILD)

# Instrumented in hv/core only: edges that speak of the core, for fuzz-cmin.
FUZZ_AFL_CORE := $(FUZZ_OUT)/afl-harness-core
$(FUZZ_AFL_CORE): fuzz/fuzz_main.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(Q)printf '%s\n' $(CORE_SRCS) > $@.allow
	$(Q)AFL_QUIET=1 AFL_LLVM_ALLOWLIST=$(abspath $@.allow) $(AFL_CC) $(CFLAGS_FUZZ_FAST) \
		$(FUZZ_INCLUDES) -o $@ $< $(FUZZ_EXEC_SRCS) $(CORE_SRCS)

# The inputs of an AFL++ queue (QUEUE=dir) that add hv/core edges to the
# corpus, into fuzz/corpus/afl/ (fuzz/cmin.sh).
QUEUE ?= $(FUZZ_OUT)/out/default/queue
FUZZ_CMIN_MAX ?= 299
.PHONY: fuzz-cmin
fuzz-cmin: $(FUZZ_AFL_CORE)
	$(Q)fuzz/cmin.sh $(BUILD) $(QUEUE) $(FUZZ_AFL_CORE) $(FUZZ_CMIN_MAX)

# Plants known bugs in copies of core files; each must be found (fuzz/selftest.sh).
fuzz-selftest:
	$(Q)HOSTCC=$(HOSTCC) fuzz/selftest.sh $(BUILD) "$(CORE_SRCS)" "$(FUZZ_EXEC_SRCS)" \
		"$(CFLAGS_HOSTED)" "$(FUZZ_INCLUDES)"
