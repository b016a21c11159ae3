/*
 * The guest runtime: what dom0, the example guests and the test guests
 * are written against. A program provides guest_main(); the runtime calls
 * it on its own stack with start_info, and powers the domain off with the
 * value guest_main returns (0: poweroff, otherwise crash).
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "fmt.h"
#include "hcall.h"
#include "pv/start_info.h"
#include "string.h"

extern struct start_info *start_info;

/* The registers at the entry point, as the domain builder set them. */
struct guest_entry_regs {
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp, eflags;
    uint32_t cs, ds, es, fs, gs, ss;  /* 16-bit selectors, zero-extended */
};
extern struct guest_entry_regs guest_entry_regs;

int guest_main(struct start_info *si);

/* console_io output. */
void gputs(const char *s);
int gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vgprintf(const char *fmt, va_list ap);

/* SCHEDOP_shutdown with `reason`; does not return. */
void guest_shutdown(uint32_t reason) __attribute__((noreturn));
/* Report a broken invariant and crash the domain. */
void guest_panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
