/*
 * Scalar types shared by every ABI header.
 *
 * These headers are compiled into the 32-bit hypervisor and guests and
 * into 64-bit hosted builds (unit tests, fuzzers). A layout that differed
 * between the two would make the hosted tests check a different ABI from
 * the one guests see, so no field may have a host-dependent width:
 *
 *  - a guest "unsigned long", pointer or guest handle is a uint32_t
 *    (xen_ulong_t, xen_pfn_t, pv_handle_t below), never a C pointer;
 *  - a 64-bit field is a pv_u64, which keeps the i386 rule of 4-byte
 *    alignment inside structs on every build (x86_64 would use 8).
 *
 * GCC and Clang honour an alignment attribute that lowers the alignment
 * of a typedef; the assertions at the end of this file prove it here.
 */
#ifndef PV_TYPES_H
#define PV_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef uint64_t pv_u64 __attribute__((aligned(4)));
typedef int64_t  pv_s64 __attribute__((aligned(4)));

typedef uint32_t xen_ulong_t;  /* a guest "unsigned long" (32 bits on x86_32) */
typedef uint32_t xen_pfn_t;    /* a frame number (machine or pseudo-physical) */
typedef uint32_t pv_handle_t;  /* a guest virtual address; 0 means "none" */

/*
 * hv/core/types.h declares the same typedef; C11 allows an identical
 * redefinition, so either header may come first.
 */
typedef uint16_t domid_t;

/* Layout pins used right after every ABI struct. */
#define PV_ABI_SIZE(type, n) \
    _Static_assert(sizeof(type) == (n), "ABI size of " #type)
#define PV_ABI_OFFSET(type, field, n) \
    _Static_assert(offsetof(type, field) == (n), "ABI offset of " #type "." #field)

_Static_assert(sizeof(pv_u64) == 8 && __alignof__(pv_u64) == 4, "pv_u64 must be i386-aligned");
_Static_assert(sizeof(pv_s64) == 8 && __alignof__(pv_s64) == 4, "pv_s64 must be i386-aligned");

#endif
