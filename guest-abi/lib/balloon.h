/*
 * The balloon driver (spec/devices.md DEV-25..DEV-28), as Linux's
 * drivers/xen/balloon.c: the toolstack writes the guest's memory target
 * into memory/target (KiB, decimal); the guest watches that node and
 * gives frames back to the hypervisor (XENMEM_decrease_reservation) or
 * takes them again (XENMEM_increase_reservation) until it holds the
 * target.
 *
 * Theory of operation. The pool is the pseudo-physical frames above the
 * boot stack: the image, the modules, the P2M, start_info, the store and
 * console pages, the bootstrap page tables and the boot stack all lie at
 * or below it (spec/boot.md BOOT-10), and the runtime allocates nothing
 * else, so no frame of the pool holds anything of the runtime's. The
 * pool is used from the top: pfns below `top` are held, pfns from `top`
 * to the build-time size are given back. Invariant, between calls: for
 * every held pfn P2M[pfn] is its frame and the M2P names pfn; for every
 * given-back pfn P2M[pfn] is INVALID and no mapping of ours reaches the
 * frame it had. A frame is unmapped (where the bootstrap mapping covers
 * it) and its P2M entry cleared before it is given back, and a frame
 * taken again is entered in the M2P and the P2M before it is mapped, as
 * Linux does, so no stale translation survives a round trip.
 */
#ifndef GUEST_BALLOON_H
#define GUEST_BALLOON_H

#include <stdint.h>

/* Find the pool and watch memory/target (token "memory"): 0 or -errno. */
int balloon_init(void);
/*
 * Look at memory/target now and move the reservation toward it
 * (DEV-26..DEV-28): the pages held afterwards, or -ENOENT (no target),
 * -EINVAL (not a decimal number of KiB: ignored), -EIO (the hypervisor
 * refused a step: what was done stays consistent).
 */
int balloon_check(void);
/* Pseudo-physical frames held now (the pool's top). */
uint32_t balloon_pages(void);
/* The fewest frames the guest keeps: everything up to its boot stack. */
uint32_t balloon_floor(void);
/* The first frame past the bootstrap mapping (frames below it are mapped at their place). */
uint32_t balloon_mapped_end(void);

#endif
