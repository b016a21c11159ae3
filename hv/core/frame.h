/*
 * The frame table: one record per machine frame, and the frame allocator.
 *
 * Theory of operation. Every machine frame has an owner (a domain, the
 * hypervisor, the I/O space, or nobody when free), a general reference
 * count and a type with its own type count (the page-type state machine of
 * pagetype.h builds on these fields). A frame is free exactly when its
 * owner is FRAME_OWNER_FREE, and a free frame holds no reference and no
 * type. The allocator hands out only free frames, scrubbed to zero before
 * the new owner can see them, so no data survives from one owner to the
 * next; frame_free() refuses a frame that is still referenced.
 */
#ifndef CORE_FRAME_H
#define CORE_FRAME_H

#include "types.h"
#include "pv/errno.h"

/* Owners besides real domain ids (the values are Xen's reserved domids). */
#define DOMID_SELF         0x7FF0u
#define DOMID_IO           0x7FF1u  /* not RAM: MMIO and holes */
#define DOMID_XEN          0x7FF2u  /* hypervisor memory */
#define FRAME_OWNER_FREE   0x7FF4u  /* DOMID_INVALID: free RAM */
#define DOMID_FIRST_RESERVED 0x7FF0u

/* Page types (a frame has exactly one at a time). */
enum frame_type {
    PGT_NONE = 0,
    PGT_WRITABLE,
    PGT_L1,
    PGT_L2,
    PGT_L2_XEN,      /* the L2 under an L3's slot 3, carrying the hypervisor slots */
    PGT_L3,
    PGT_SEG_DESC,    /* GDT or LDT frame */
    PGT_NR_TYPES
};

/* frame.flags */
#define FRAME_VALIDATED  0x01u  /* the current table type has been validated */
#define FRAME_PINNED     0x02u  /* a pin holds one type and one general reference */

struct frame {
    uint32_t refcount;    /* general references: mappings, type refs, pins, holds */
    uint32_t type_count;  /* references to the current type */
    uint16_t owner;       /* domid, DOMID_XEN, DOMID_IO or FRAME_OWNER_FREE */
    uint8_t  type;        /* enum frame_type */
    uint8_t  flags;       /* FRAME_* */
    uint32_t aux;         /* reserved for the page-type machine */
};

struct frame_table {
    struct frame *frames;
    uint32_t nr_frames;
    uint32_t nr_free;
    uint32_t cursor;      /* where the next allocation scan starts */
};

#define INVALID_MFN 0xFFFFFFFFu

/*@ predicate frame_is_free(struct frame f) =
        f.owner == FRAME_OWNER_FREE && f.refcount == 0 &&
        f.type_count == 0 && f.type == PGT_NONE && f.flags == 0;

    predicate frame_table_ok(struct frame_table *ft) =
        \valid(ft) && ft->nr_frames > 0 && ft->nr_free <= ft->nr_frames &&
        ft->cursor < ft->nr_frames &&
        \valid(ft->frames + (0 .. ft->nr_frames - 1)) &&
        \separated(ft, ft->frames + (0 .. ft->nr_frames - 1));

    // frame_is_free() read through a pointer, field by field (cheaper
    // for the provers than loading the whole record).
    predicate frame_free_at{L}(struct frame *f) =
        f->owner == FRAME_OWNER_FREE && f->refcount == 0 &&
        f->type_count == 0 && f->type == PGT_NONE && f->flags == 0;

    // Number of free frames among frames[0 .. n-1].
    logic integer frame_count_free{L}(struct frame *frames, integer n) =
        n <= 0 ? 0 :
        frame_count_free(frames, n - 1) +
            (frames[n - 1].owner == FRAME_OWNER_FREE ? 1 : 0);

    // The allocator's invariant (theory of operation above): nr_free is
    // the number of free frames, a free frame holds no reference and no
    // type, and the table does not lie in the mapcache window through
    // which frames are scrubbed (proofs/include/proof_env.h).
    predicate frame_table_inv(struct frame_table *ft) =
        frame_table_ok(ft) &&
        ft->nr_free == frame_count_free(ft->frames, ft->nr_frames) &&
        (\forall integer i; 0 <= i < ft->nr_frames ==>
            ft->frames[i].owner == FRAME_OWNER_FREE ==>
            frame_free_at(ft->frames + i)) &&
        \separated(ft, env_map_window + (0 .. PAGE_SIZE - 1)) &&
        \separated(ft->frames + (0 .. ft->nr_frames - 1),
                   env_map_window + (0 .. PAGE_SIZE - 1));
*/

/*
 * Boot-time set-up: every frame starts as DOMID_IO (not RAM); the boot code
 * then releases the RAM it does not use with frame_release_boot().
 */
/*@ requires \valid(ft) && nr_frames > 0;
    requires \valid(frames + (0 .. nr_frames - 1));
    requires \separated(ft, frames + (0 .. nr_frames - 1));
    requires \separated(ft, env_map_window + (0 .. PAGE_SIZE - 1));
    requires \separated(frames + (0 .. nr_frames - 1),
                        env_map_window + (0 .. PAGE_SIZE - 1));
    assigns *ft, frames[0 .. nr_frames - 1];
    ensures frame_table_inv(ft);
    ensures ft->frames == frames && ft->nr_frames == nr_frames;
    ensures ft->nr_free == 0;
    ensures \forall integer i; 0 <= i < nr_frames ==>
        frames[i].owner == DOMID_IO && frames[i].refcount == 0 &&
        frames[i].type_count == 0 && frames[i].type == PGT_NONE &&
        frames[i].flags == 0;
*/
void frame_table_init(struct frame_table *ft, struct frame *frames, uint32_t nr_frames);

/*@ requires frame_table_inv(ft);
    assigns ft->nr_free, ft->frames[0 .. ft->nr_frames - 1];
    ensures frame_table_inv(ft);
    behavior released:
      assumes mfn < ft->nr_frames &&
              ft->frames[mfn].owner != FRAME_OWNER_FREE;
      ensures frame_free_at(ft->frames + mfn);
      ensures ft->nr_free == \old(ft->nr_free) + 1;
    behavior ignored:
      assumes mfn >= ft->nr_frames ||
              ft->frames[mfn].owner == FRAME_OWNER_FREE;
      assigns \nothing;
    complete behaviors;
    disjoint behaviors;
*/
void frame_release_boot(struct frame_table *ft, uint32_t mfn);

/*@ requires frame_table_inv(ft);
    requires owner != FRAME_OWNER_FREE;
    assigns ft->nr_free, ft->frames[0 .. ft->nr_frames - 1].owner;
    ensures frame_table_inv(ft);
    behavior set:
      assumes mfn < ft->nr_frames;
      ensures ft->frames[mfn].owner == owner;
      ensures ft->nr_free == \old(ft->nr_free) -
          (\old(ft->frames[mfn].owner) == FRAME_OWNER_FREE ? 1 : 0);
    behavior ignored:
      assumes mfn >= ft->nr_frames;
      assigns \nothing;
    complete behaviors;
    disjoint behaviors;
*/
void frame_set_owner_boot(struct frame_table *ft, uint32_t mfn, domid_t owner);

/*
 * Allocate one free frame for `owner`, scrubbed to zero.
 * Returns 0 and the frame in *mfn, or -ENOMEM when no frame is free.
 *
 * FA-1: only a free frame is handed out, and it leaves with no reference,
 *       no type and every byte zero (in the model: the mapped window).
 * FA-2: the free count is exact, so the scan succeeds whenever it is
 *       non-zero and -ENOMEM changes nothing.
 */
/*@ requires frame_table_inv(ft);
    requires owner != FRAME_OWNER_FREE;
    requires \valid(mfn);
    requires \separated(mfn, ft);
    requires \separated(mfn, ft->frames + (0 .. ft->nr_frames - 1));
    requires \separated(mfn, env_map_window + (0 .. PAGE_SIZE - 1));
    assigns *mfn, ft->nr_free, ft->cursor,
            ft->frames[0 .. ft->nr_frames - 1].owner,
            env_map_window[0 .. PAGE_SIZE - 1];
    ensures frame_table_inv(ft);
    behavior exhausted:
      assumes ft->nr_free == 0;
      assigns \nothing;
      ensures FA_2: \result == -ENOMEM;
    behavior allocated:
      assumes ft->nr_free > 0;
      ensures FA_2: \result == 0;
      ensures FA_1: *mfn < ft->nr_frames;
      ensures FA_1: \at(ft->frames[\at(*mfn, Post)].owner, Pre) == FRAME_OWNER_FREE;
      ensures FA_1: ft->frames[*mfn].owner == owner;
      ensures FA_1: ft->frames[*mfn].refcount == 0 &&
                    ft->frames[*mfn].type_count == 0 &&
                    ft->frames[*mfn].type == PGT_NONE &&
                    ft->frames[*mfn].flags == 0;
      ensures FA_1: \forall integer k; 0 <= k < PAGE_SIZE ==>
                    env_map_window[k] == 0;
      ensures ft->nr_free == \old(ft->nr_free) - 1;
      ensures \forall integer i; 0 <= i < ft->nr_frames && i != *mfn ==>
                    ft->frames[i].owner == \old(ft->frames[i].owner);
    complete behaviors;
    disjoint behaviors;
*/
int frame_alloc(struct frame_table *ft, domid_t owner, uint32_t *mfn);

/*
 * Return an allocated, unreferenced, untyped frame to the free pool.
 * Returns 0, -EINVAL if mfn is out of range or not allocated to a domain
 * or the hypervisor, or -EBUSY if it still holds references or a type.
 */
/*@ requires frame_table_inv(ft);
    assigns ft->nr_free, ft->frames[0 .. ft->nr_frames - 1];
    ensures frame_table_inv(ft);
    behavior out_of_range:
      assumes mfn >= ft->nr_frames;
      assigns \nothing;
      ensures \result == -EINVAL;
    behavior not_allocated:
      assumes mfn < ft->nr_frames;
      assumes ft->frames[mfn].owner == FRAME_OWNER_FREE ||
              ft->frames[mfn].owner == DOMID_IO;
      assigns \nothing;
      ensures \result == -EINVAL;
    behavior busy:
      assumes mfn < ft->nr_frames;
      assumes ft->frames[mfn].owner != FRAME_OWNER_FREE &&
              ft->frames[mfn].owner != DOMID_IO;
      assumes ft->frames[mfn].refcount != 0 ||
              ft->frames[mfn].type_count != 0 ||
              (ft->frames[mfn].flags & FRAME_PINNED) != 0;
      assigns \nothing;
      ensures \result == -EBUSY;
    behavior freed:
      assumes mfn < ft->nr_frames;
      assumes ft->frames[mfn].owner != FRAME_OWNER_FREE &&
              ft->frames[mfn].owner != DOMID_IO;
      assumes ft->frames[mfn].refcount == 0 &&
              ft->frames[mfn].type_count == 0 &&
              (ft->frames[mfn].flags & FRAME_PINNED) == 0;
      assigns ft->nr_free, ft->frames[mfn];
      ensures \result == 0;
      ensures frame_free_at(ft->frames + mfn);
      ensures ft->nr_free == \old(ft->nr_free) + 1;
    complete behaviors;
    disjoint behaviors;
*/
int frame_free(struct frame_table *ft, uint32_t mfn);

#endif
