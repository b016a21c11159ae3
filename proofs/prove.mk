# Proofs: Frama-C WP over every file of PROVE_FILES (proofs/README.md).
#
#   make prove        prove each file, answering from the committed cache
#                     (proofs/wp-cache/) every goal whose exact prover task
#                     is there and running the provers on the rest; print
#                     goals per file and per function, rewrite
#                     proofs/summary.txt, fail on any unproved goal
#   make prove-cache  the same, then record the new answers in
#                     proofs/wp-cache/ and delete the ones no longer used:
#                     run it after changing a proved file, commit the result
#   make prove-cold   every goal to the provers, the cache ignored and left
#                     alone (summary in $(BUILD)/proofs-cold/summary.txt)
#
# Add a file by appending to PROVE_FILES; every flag lives in PROVE_FLAGS.
# Files prove in parallel, PROVE_JOBS Frama-C processes at a time.

PROVE_FILES := \
	hv/core/elf_image.c \
	hv/core/frame_alloc.c \
	hv/core/pte.c \
	hv/core/pagetype.c \
	hv/core/pt_ref.c \
	hv/core/held_frame.c \
	hv/core/mmu_decode.c \
	hv/core/hc_cont.c \
	hv/core/evtchn.c \
	hv/core/evtchn_2l.c \
	hv/core/gnttab_track.c \
	hv/core/emul_decode.c \
	hv/core/emul_dr.c \
	guest-abi/lib/ring.c \
	guest-abi/lib/cons_ring.c \
	guest-abi/lib/xs_ring.c \
	guest-abi/lib/ring_barrier.h \
	hv/core/desc_check.c \
	hv/core/seg_lookup.c \
	hv/core/trap_check.c \
	hv/core/boot_module.c \
	hv/core/elf_bsdsym.c

PROVE_FLAGS := -machdep x86_32 -c11 \
	-cpp-extra-args="-Ihv/core -Iguest-abi/include -Iguest-abi/lib -Ihv/lib -Iproofs/include -include proofs/include/proof_env.h" \
	-wp -wp-rte -warn-unsigned-overflow -warn-unsigned-downcast \
	-wp-prover z3,cvc4 -wp-timeout 60 -wp-par 2

PROVE_JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
PROVE_CACHE := proofs/wp-cache
PROVE_RUN    = python3 proofs/wp-summary.py --jobs $(PROVE_JOBS) --weights proofs/summary.txt

.PHONY: prove prove-cache prove-cold
prove:
	$(PROVE_RUN) --build $(BUILD)/proofs --summary proofs/summary.txt \
		--cache $(PROVE_CACHE) --cache-mode replay $(PROVE_FILES) -- $(PROVE_FLAGS)

prove-cache:
	$(PROVE_RUN) --build $(BUILD)/proofs --summary proofs/summary.txt \
		--cache $(PROVE_CACHE) --cache-mode cleanup $(PROVE_FILES) -- $(PROVE_FLAGS)

prove-cold:
	$(PROVE_RUN) --build $(BUILD)/proofs-cold --summary $(BUILD)/proofs-cold/summary.txt \
		$(PROVE_FILES) -- $(PROVE_FLAGS)

# For the suite: one PASS/FAIL line per proved file.
.PHONY: prove-report
prove-report:
	@$(MAKE) -s prove > $(BUILD)/prove.out 2>&1; \
	awk '/^[^ ].*: [0-9]+\/[0-9]+$$/ { split($$NF, g, "/"); f = $$1; sub(":$$", "", f); \
		print (g[1] == g[2] ? "PASS" : "FAIL") " prove/" f " (" $$NF " goals)" }' $(BUILD)/prove.out; \
	grep -q '^prove: FAILED' $(BUILD)/prove.out && exit 1 || true
