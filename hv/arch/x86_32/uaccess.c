/*
 * Guest memory access: the arch side of env_copy_from_guest() and
 * env_copy_to_guest().
 *
 * A guest pointer is used only if the whole range lies below
 * HYPERVISOR_VIRT_START (checked without overflow); the access itself goes
 * through the current guest's page tables with CR0.WP set, so read-only
 * and unmapped guest pages fault, and the fault is turned into -EFAULT by
 * the exception table. This holds whatever the emulator does with segment
 * limits, because the range check, not the segment, keeps the hypervisor
 * area out. With SMAP on, access to guest user pages is opened only for
 * the copy itself.
 */
#include "arch/cpu.h"
#include "arch/mm.h"
#include "env.h"
#include "pv/errno.h"
#include "pv/layout.h"

uint32_t uaccess_copy(void *dst, const void *src, uint32_t len);

static bool guest_range_ok(guest_ptr_t p, uint32_t len)
{
    return p.va < HYPERVISOR_VIRT_START && len <= HYPERVISOR_VIRT_START - p.va;
}

static uint32_t copy_with_smap_open(void *dst, const void *src, uint32_t len)
{
    bool smap = cpu_has_smap();
    uint32_t left;

    if (smap)
        stac();
    left = uaccess_copy(dst, src, len);
    if (smap)
        clac();
    return left;
}

int env_copy_from_guest(void *dst, guest_ptr_t src, uint32_t len)
{
    if (len == 0)
        return 0;
    if (!guest_range_ok(src, len))
        return -EFAULT;
    return copy_with_smap_open(dst, (const void *)src.va, len) ? -EFAULT : 0;
}

int env_copy_to_guest(guest_ptr_t dst, const void *src, uint32_t len)
{
    if (len == 0)
        return 0;
    if (!guest_range_ok(dst, len))
        return -EFAULT;
    return copy_with_smap_open((void *)dst.va, src, len) ? -EFAULT : 0;
}
