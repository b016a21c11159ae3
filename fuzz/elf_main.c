/*
 * The ELF loader on raw bytes (libFuzzer): whatever the fuzzer writes is
 * the whole kernel image, copied into a buffer of exactly its size (so
 * ASan sees any read past the end), parsed by hv/core/elf_image.c, the
 * loader both builders use (the hypervisor's for dom0, dom0's for every
 * guest), and checked against every promise of elf_image.h; an accepted
 * image must then load page by page. The hypercall-program harness
 * reaches the loader only through patched templates; this one starts
 * from real images too (`make fuzz-elf`, fuzz/README.md).
 *
 *   build/fuzz/elf-fuzz DIR...     fuzz, growing the first corpus DIR
 *   build/fuzz/elf-fuzz FILE...    replay files (a finding aborts)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exec_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *img;

    if (size > 0x100000u)           /* far beyond any image the loader accepts */
        return 0;
    img = malloc(size ? size : 1);
    if (!img)
        abort();
    memcpy(img, data, size);
    (void)exec_elf_check(img, (uint32_t)size);
    free(img);
    return 0;
}
