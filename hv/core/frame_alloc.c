/*
 * Frame allocator over the frame table (see frame.h for the invariants).
 *
 * Allocation is next-fit: the scan starts where the last one ended, so a
 * run of allocations is linear overall, and a failed scan is avoided by
 * the free count. Scrubbing happens here, on the way out, so that a frame
 * never reaches a new owner holding the previous owner's data.
 *
 * Proof notes. frame_table_inv() (frame.h) says nr_free is the number of
 * frames whose owner is FRAME_OWNER_FREE. Every owner change goes through
 * frame_set_owner(), whose ghost loop (proof-only code, invisible to the
 * compiler) re-counts the table and so carries the count across the
 * store; frame_lemma_none_free() is the matching ghost lemma "no free
 * frame, count zero", used to show that a full scan cannot fail while
 * nr_free is non-zero.
 */
#include "frame.h"
#include "env.h"
#include "pv/errno.h"

/*@ ghost
  /@ requires \forall integer j; 0 <= j < n ==>
         frames[j].owner != FRAME_OWNER_FREE;
     assigns \nothing;
     ensures frame_count_free(frames, n) == 0;
  @/
  static void frame_lemma_none_free(struct frame *frames, uint32_t n)
  {
      /@ loop invariant 0 <= j <= n;
         loop invariant frame_count_free(frames, j) == 0;
         loop assigns j;
         loop variant n - j;
      @/
      for (uint32_t j = 0; j < n; j++)
          ;
  }
*/

/*@ requires mfn < nr && \valid(frames + (0 .. nr - 1));
    assigns frames[mfn].owner;
    ensures frames[mfn].owner == owner;
    ensures 0 <= frame_count_free(frames, nr) <= nr;
    ensures \forall integer m; 0 <= m <= nr ==>
        frame_count_free(frames, m) == \old(frame_count_free(frames, m)) +
            (m > mfn ? (owner == FRAME_OWNER_FREE ? 1 : 0) -
                       (\old(frames[mfn].owner) == FRAME_OWNER_FREE ? 1 : 0)
                     : 0);
*/
static void frame_set_owner(struct frame *frames, uint32_t mfn, uint16_t owner)
    /*@ ghost (uint32_t nr) */
{
    frames[mfn].owner = owner;
    /*@ ghost
      /@ loop invariant 0 <= j <= nr;
         loop invariant 0 <= frame_count_free(frames, j) <= j;
         loop invariant \forall integer m; 0 <= m <= j ==>
             frame_count_free(frames, m) ==
                 \at(frame_count_free(frames, m), Pre) +
                 (m > mfn ? (owner == FRAME_OWNER_FREE ? 1 : 0) -
                            (\at(frames[mfn].owner, Pre) == FRAME_OWNER_FREE ? 1 : 0)
                          : 0);
         loop assigns j;
         loop variant nr - j;
      @/
      for (uint32_t j = 0; j < nr; j++)
          ;
    */
}

/*@ requires \valid(f);
    assigns f->refcount, f->type_count, f->type, f->flags, f->aux;
    ensures f->refcount == 0 && f->type_count == 0 &&
            f->type == PGT_NONE && f->flags == 0 && f->aux == 0;
*/
static void frame_clear(struct frame *f)
{
    f->refcount = 0;
    f->type_count = 0;
    f->type = PGT_NONE;
    f->flags = 0;
    f->aux = 0;
}

/*@ requires mfn < nr && \valid(frames + (0 .. nr - 1));
    assigns frames[mfn].refcount, frames[mfn].type_count, frames[mfn].type,
            frames[mfn].flags, frames[mfn].aux, frames[mfn].owner;
    ensures frame_free_at(frames + mfn);
    ensures 0 <= frame_count_free(frames, nr) <= nr;
    ensures frame_count_free(frames, nr) ==
        \old(frame_count_free(frames, nr)) + 1 -
        (\old(frames[mfn].owner) == FRAME_OWNER_FREE ? 1 : 0);
*/
static void frame_make_free(struct frame *frames, uint32_t mfn)
    /*@ ghost (uint32_t nr) */
{
    frame_clear(&frames[mfn]);
    frame_set_owner(frames, mfn, FRAME_OWNER_FREE) /*@ ghost (nr) */;
}

void frame_table_init(struct frame_table *ft, struct frame *frames, uint32_t nr_frames)
{
    uint32_t i;

    /*@ loop invariant 0 <= i <= nr_frames;
        loop invariant frame_count_free(frames, i) == 0;
        loop invariant \forall integer j; 0 <= j < i ==>
            frames[j].owner == DOMID_IO && frames[j].refcount == 0 &&
            frames[j].type_count == 0 && frames[j].type == PGT_NONE &&
            frames[j].flags == 0;
        loop assigns i, frames[0 .. nr_frames - 1];
        loop variant nr_frames - i;
    */
    for (i = 0; i < nr_frames; i++) {
        frame_clear(&frames[i]);
        frame_set_owner(frames, i, DOMID_IO) /*@ ghost (nr_frames) */;
    }
    //@ ghost frame_lemma_none_free(frames, nr_frames);
    ft->frames = frames;
    ft->nr_frames = nr_frames;
    ft->nr_free = 0;
    ft->cursor = 0;
}

void frame_release_boot(struct frame_table *ft, uint32_t mfn)
{
    if (mfn >= ft->nr_frames || ft->frames[mfn].owner == FRAME_OWNER_FREE)
        return;
    frame_make_free(ft->frames, mfn) /*@ ghost (ft->nr_frames) */;
    ft->nr_free++;
}

void frame_set_owner_boot(struct frame_table *ft, uint32_t mfn, domid_t owner)
{
    bool was_free;

    if (mfn >= ft->nr_frames)
        return;
    was_free = ft->frames[mfn].owner == FRAME_OWNER_FREE;
    frame_set_owner(ft->frames, mfn, owner) /*@ ghost (ft->nr_frames) */;
    if (was_free)
        ft->nr_free--;
}

/*@ assigns env_map_window[0 .. PAGE_SIZE - 1];
    ensures \forall integer k; 0 <= k < PAGE_SIZE ==> env_map_window[k] == 0;
*/
static void scrub_frame(uint32_t mfn)
{
    char *p = env_map_frame(mfn);  /* char: WP's view of void * (proofs/README.md) */
    uint32_t i;

    /*@ loop invariant 0 <= i <= PAGE_SIZE;
        loop invariant \forall integer k; 0 <= k < i ==> p[k] == 0;
        loop assigns i, p[0 .. PAGE_SIZE - 1];
        loop variant PAGE_SIZE - i;
    */
    for (i = 0; i < PAGE_SIZE; i++)
        p[i] = 0;
    env_unmap_frame(p);
}

int frame_alloc(struct frame_table *ft, domid_t owner, uint32_t *mfn)
{
    uint32_t n, i;

    if (ft->nr_free == 0)
        return -ENOMEM;
    i = ft->cursor;
    /*@ loop invariant 0 <= n <= ft->nr_frames;
        loop invariant 0 <= i < ft->nr_frames;
        loop invariant i == (ft->cursor + n < ft->nr_frames ?
                             ft->cursor + n : ft->cursor + n - ft->nr_frames);
        loop invariant \forall integer j; 0 <= j < ft->nr_frames ==>
            ((ft->cursor <= j < ft->cursor + n) ||
             j < ft->cursor + n - ft->nr_frames) ==>
            ft->frames[j].owner != FRAME_OWNER_FREE;
        loop assigns n, i;
        loop variant ft->nr_frames - n;
    */
    for (n = 0; n < ft->nr_frames; n++) {
        if (ft->frames[i].owner == FRAME_OWNER_FREE) {
            frame_set_owner(ft->frames, i, owner) /*@ ghost (ft->nr_frames) */;
            ft->nr_free--;
            ft->cursor = i + 1 < ft->nr_frames ? i + 1 : 0;
            scrub_frame(i);
            *mfn = i;
            return 0;
        }
        i = i + 1 < ft->nr_frames ? i + 1 : 0;
    }
    //@ ghost frame_lemma_none_free(ft->frames, ft->nr_frames);
    return -ENOMEM;  /* nr_free disagreed with the table: refuse, never guess */
}

int frame_free(struct frame_table *ft, uint32_t mfn)
{
    struct frame *f;

    if (mfn >= ft->nr_frames)
        return -EINVAL;
    f = &ft->frames[mfn];
    if (f->owner == FRAME_OWNER_FREE || f->owner == DOMID_IO)
        return -EINVAL;
    if (f->refcount != 0 || f->type_count != 0 || (f->flags & FRAME_PINNED))
        return -EBUSY;
    frame_make_free(ft->frames, mfn) /*@ ghost (ft->nr_frames) */;
    ft->nr_free++;
    return 0;
}
