/*
 * Boot modules and the multiboot2 tag walk (see boot_module.h).
 */
#include "boot_module.h"
#include "pv/errno.h"

/* Little-endian, any alignment: a hostile block need not align its words. */
/*@ requires \valid_read(p + (0 .. 3));
    assigns \nothing;
*/
static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] + (uint32_t)p[1] * 0x100u + (uint32_t)p[2] * 0x10000u +
           (uint32_t)p[3] * 0x1000000u;
}

int mb2_next_tag(const uint8_t *info, uint32_t total, uint32_t *off, struct mb2_tag *tag)
{
    uint32_t at = *off, size, pad;

    if (at > total || total - at < 8)
        return 0;                       /* no room for another tag header */
    tag->type = rd32(info + at);
    tag->size = size = rd32(info + at + 4);
    tag->off = at;
    if (tag->type == MB2_TAG_END)
        return 0;
    if (size < 8 || size > total - at)
        return -EINVAL;
    /* tags start 8-byte aligned; no sum here wraps, whatever the sizes */
    pad = (8u - size % 8u) % 8u;
    *off = pad > total - at - size ? total : at + size + pad;
    return 1;
}

int mb2_module(const uint8_t *info, const struct mb2_tag *tag, struct mb2_module *m)
{
    if (tag->type != MB2_TAG_MODULE || tag->size < MB2_MODULE_HEAD)
        return -EINVAL;
    m->start = rd32(info + tag->off + 8);
    m->end = rd32(info + tag->off + 12);
    m->cmdline_off = tag->off + MB2_MODULE_HEAD;
    m->cmdline_max = tag->size - MB2_MODULE_HEAD;
    return 0;
}

const char *boot_module_refusal(uint32_t start, uint32_t end, uint64_t limit)
{
    /* BOOT-4: its first frame would be shared with what lies before it */
    if (start % PAGE_SIZE != 0)
        return "starts inside a page: the boot loader ignored the page-alignment request (BOOT-4)";
    if (end < start)
        return "ends before it starts";
    if ((uint64_t)end > limit)
        return "reaches past the memory the hypervisor maps at boot";
    return NULL;
}

void boot_module_frames(uint32_t start, uint32_t end, uint32_t *first_pfn, uint32_t *end_pfn)
{
    *first_pfn = start / PAGE_SIZE;
    *end_pfn = end <= start ? *first_pfn : end / PAGE_SIZE + (end % PAGE_SIZE != 0);
}
