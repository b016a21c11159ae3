/*
 * Layer 2 of the hypercall fuzzer (fuzz/qemu/README.md): what the hostile
 * guest and the hosted program tool share. Freestanding, like
 * fuzz/program.c, so the very same generator runs in the 32-bit guest and
 * on the host: the runner regenerates a program from (seed, index) when a
 * run ends in a finding, instead of the guest dumping every program.
 *
 * Program packs. Programs linked into the hostile guest (the layer-1
 * corpus, or the programs of a reproduction) are one blob:
 *
 *   "FQPK"  u32 count  then count times: u32 len, len bytes, zero pad to 4
 *
 * little-endian. A pack that does not parse reads as empty.
 */
#ifndef FUZZ_QEMU_FQ_H
#define FUZZ_QEMU_FQ_H

#include <stddef.h>
#include <stdint.h>

#include "program.h"

#define FQ_PACK_MAGIC 0x4B505146u        /* "FQPK" */
#define FQ_PACK_MAX   4096u              /* programs a pack may hold */

struct fq_pack {
    const uint8_t *base;
    uint32_t len;
    uint32_t count;
    uint32_t off[FQ_PACK_MAX];          /* of each program's length word */
};

/* Index a pack; returns the number of programs (0 if malformed). */
uint32_t fq_pack_open(struct fq_pack *p, const uint8_t *base, uint32_t len);
/* Program i of an opened pack: its bytes and length (0 if out of range). */
uint32_t fq_pack_get(const struct fq_pack *p, uint32_t i, const uint8_t **bytes);

/*
 * Program `index` of the campaign with `seed`: random bytes shaped so the
 * decoder mostly yields ops a guest can run with handle arguments, or
 * (one time in four, when `corpus` has programs) a mutated corpus
 * program. Writes at most PROG_MAX_BYTES to `out`; returns the length.
 */
uint32_t fq_generate(uint64_t seed, uint32_t index, const struct fq_pack *corpus, uint8_t *out);

#endif
