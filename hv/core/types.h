/*
 * Types shared by the pure core and its environments.
 *
 * Every value a guest can see or choose has a fixed width, so the core
 * behaves the same in the 32-bit hypervisor and in the 64-bit hosted
 * builds (unit tests, fuzzers). Guest addresses are wrapped in a struct so
 * that they can only be used through the copy seams of env.h, never
 * dereferenced by mistake.
 */
#ifndef CORE_TYPES_H
#define CORE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE  4096u

typedef uint16_t domid_t;

/* A guest virtual address handed to the hypervisor (a "guest handle"). */
typedef struct {
    uint32_t va;
} guest_ptr_t;

static inline guest_ptr_t guest_ptr(uint32_t va)
{
    guest_ptr_t p = { va };
    return p;
}

static inline guest_ptr_t guest_ptr_add(guest_ptr_t p, uint32_t off)
{
    return guest_ptr(p.va + off);
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
