/*
 * Proof-only model of the environment (force-included by proofs/prove.mk
 * with `-include`, never seen by a compiler).
 *
 * hv/core/env.h gives env_map_frame() a contract that says the returned
 * page is valid, but nothing about where it lies, so WP would have to
 * assume that writing the page may change any C object, the frame table
 * included. The hypervisor maps frames into its mapcache, a range of its
 * own virtual address space that holds no C object. We model that range
 * as one page-sized object, env_map_window, and add to env.h's contract
 * (Frama-C merges the two contracts of the same function) that every
 * mapping is that object. Functions that write a mapped frame then state
 * `\separated(..., env_map_window + (0 .. PAGE_SIZE - 1))` for the objects
 * they keep, which is true of every object the hypervisor owns.
 *
 * The window is declared `char` because WP's typed memory model treats
 * `void *` as `char *`: callers must access a mapping through `char *`
 * (or cast explicitly in one place) to stay within that model.
 */
#ifndef PROOF_ENV_H
#define PROOF_ENV_H

#include <stdint.h>

extern char env_map_window[4096];

/*@ assigns \nothing;
    ensures \result == (void *)&env_map_window[0];
*/
void *env_map_frame(uint32_t mfn);

#endif
