# Proofs: Frama-C WP over every file of PROVE_FILES (proofs/README.md).
#
#   make prove    prove each file, print goals per file and per function,
#                 rewrite proofs/summary.txt, fail on any unproved goal
#
# Add a file by appending to PROVE_FILES; every flag lives in PROVE_FLAGS.

PROVE_FILES := hv/core/elf_image.c hv/core/frame_alloc.c

PROVE_FLAGS := -machdep x86_32 \
	-cpp-extra-args="-Ihv/core -Iguest-abi/include -Iproofs/include -include proofs/include/proof_env.h" \
	-wp -wp-rte -warn-unsigned-overflow -warn-unsigned-downcast \
	-wp-prover z3,cvc4 -wp-timeout 20 -wp-par 2 -wp-cache none

.PHONY: prove
prove:
	python3 proofs/wp-summary.py --build $(BUILD)/proofs --summary proofs/summary.txt \
		$(PROVE_FILES) -- $(PROVE_FLAGS)
