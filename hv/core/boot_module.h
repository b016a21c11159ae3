/*
 * Boot modules as the loader hands them over (spec/boot.md BOOT-4,
 * BOOT-13), and the multiboot2 information block they are described in.
 *
 * Theory of operation. The loader is asked, by both multiboot headers, to
 * start every module on a page boundary. The hypervisor relies on it:
 * once dom0 is built, the frames that held the modules are freed (BOOT-13),
 * whole frames from the one holding the first byte. A module that started
 * inside a page would share that frame with whatever the loader put just
 * before it (the hypervisor image, another module, the information block)
 * and free it too; so such a module is refused and the boot stops
 * (boot_module_refusal), rather than guessed around.
 *
 * The frame holding a module's last byte is freed whole. What else can lie
 * in it is loader memory the hypervisor has finished with: the hypervisor
 * image starts and ends on page boundaries, its boot allocations are whole
 * pages clear of every module's bytes, every other module starts on a page
 * of its own, and the information block has been copied by then.
 *
 * The multiboot2 block is walked here over a byte buffer (in the
 * hypervisor, the loader's block through the boot identity map): every
 * tag is bounded by the block's size before it is read, so a malformed
 * block gives -EINVAL, never a read outside it.
 */
#ifndef CORE_BOOT_MODULE_H
#define CORE_BOOT_MODULE_H

#include "pv/errno.h"
#include "types.h"

#define MB2_TAG_END     0u
#define MB2_TAG_CMDLINE 1u
#define MB2_TAG_MODULE  3u
#define MB2_TAG_MMAP    6u

#define MB2_INFO_HEADER 8u      /* total_size, reserved */
#define MB2_MODULE_HEAD 16u     /* type, size, mod_start, mod_end; then the string */

/* One tag of a multiboot2 block: its type, size and offset in the block. */
struct mb2_tag {
    uint32_t type;
    uint32_t size;
    uint32_t off;
};

/* A module tag's contents. */
struct mb2_module {
    uint32_t start;         /* physical address of the first byte */
    uint32_t end;           /* exclusive */
    uint32_t cmdline_off;   /* offset of its string in the block */
    uint32_t cmdline_max;   /* bytes the tag holds for it */
};

/*
 * The tag at *off in info[0 .. total-1] (*off starts at MB2_INFO_HEADER):
 * 1 with *tag filled and *off moved to the next 8-byte aligned tag; 0 at
 * the end tag or when no further tag header fits; -EINVAL for a tag whose
 * size is below 8 or runs past the block.
 */
/*@ requires \valid_read(info + (0 .. total - 1));
    requires \valid(off) && \valid(tag) && \separated(off, tag);
    requires \separated(off, info + (0 .. total - 1)) && \separated(tag, info + (0 .. total - 1));
    assigns *off, *tag;
    ensures BOOT_4_result: \result == 1 || \result == 0 || \result == -EINVAL;
    ensures BOOT_4_inside: \result == 1 ==>
        tag->off == \old(*off) && 8 <= tag->size && tag->off + tag->size <= total &&
        \old(*off) < *off <= total;
    ensures BOOT_4_stays: \result != 1 ==> *off == \old(*off);
*/
int mb2_next_tag(const uint8_t *info, uint32_t total, uint32_t *off, struct mb2_tag *tag);

/* A module tag of at least MB2_MODULE_HEAD bytes: 0 with *m filled, or -EINVAL. */
/*@ requires \valid_read(tag) && \valid(m) && \separated(m, tag);
    requires tag->off + tag->size <= 0xFFFFFFFF;
    requires \valid_read(info + (tag->off .. tag->off + tag->size - 1));
    requires \separated(m, info + (tag->off .. tag->off + tag->size - 1));
    assigns *m;
    ensures \result == 0 || \result == -EINVAL;
    ensures \result == 0 ==> tag->type == MB2_TAG_MODULE &&
        m->cmdline_off + m->cmdline_max == tag->off + tag->size;
*/
int mb2_module(const uint8_t *info, const struct mb2_tag *tag, struct mb2_module *m);

/*
 * BOOT-4: NULL when the module [start, end) may be used, else why not (a
 * message for the boot log): it starts inside a page, ends before it
 * starts, or reaches past `limit` (the end of the boot identity map).
 */
/*@ assigns \nothing;
    ensures BOOT_4: \result == \null <==>
        start % PAGE_SIZE == 0 && start <= end && end <= limit;
*/
const char *boot_module_refusal(uint32_t start, uint32_t end, uint64_t limit);

/*
 * BOOT-13, BOOT-4: the frames a module accepted by boot_module_refusal
 * occupies, [*first_pfn, *end_pfn): the one holding its first byte up to
 * the one holding its last; none for an empty module.
 */
/*@ requires \valid(first_pfn) && \valid(end_pfn) && \separated(first_pfn, end_pfn);
    assigns *first_pfn, *end_pfn;
    ensures BOOT_13: *first_pfn == start / PAGE_SIZE && *first_pfn <= *end_pfn;
    ensures BOOT_13_covers: start < end ==> *end_pfn == (end - 1) / PAGE_SIZE + 1;
    ensures BOOT_13_empty: end <= start ==> *end_pfn == *first_pfn;
*/
void boot_module_frames(uint32_t start, uint32_t end, uint32_t *first_pfn, uint32_t *end_pfn);

#endif
