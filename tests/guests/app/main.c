/*
 * A guest kernel that runs ring-3 applications: a tiny "process" in user
 * mode computes primes and asks its kernel, through int 0x80 system calls
 * (write = 1, exit = 0), to print them. The kernel serves the calls
 * directly, as the SOSP paper's fast system calls do, without entering the
 * hypervisor. Used by the `make run` demo: it runs the process three
 * times, ten seconds apart, and powers off, so the demo goes quiet.
 */
#include "guest.h"
#include "pvtime.h"
#include "traps.h"

extern char _image_start[], _image_end[];

static uint8_t user_stack[8192] __attribute__((aligned(16)));
static char user_line[64];

static void sys_call(struct trap_frame *f)
{
    if (f->eax == 0)
        user_return(f->ebx);
    if (f->eax == 1)
        gprintf("app: user process says: %s\n", (const char *)(uintptr_t)f->ebx);
}

static void user_write(const char *s)
{
    __asm__ volatile("int $0x80" :: "a"(1), "b"(s) : "memory");
}

/* Runs in ring 3. */
static void user_main(void)
{
    uint32_t n, d, found = 0;

    for (n = 2; found < 10; n++) {
        for (d = 2; d * d <= n && n % d; d++)
            ;
        if (d * d > n) {
            uint32_t cs;
            __asm__("mov %%cs, %0" : "=r"(cs));
            snprintf(user_line, sizeof(user_line), "prime #%u is %u (cs=%x)", ++found, n, cs);
            user_write(user_line);
        }
    }
    __asm__ volatile("int $0x80" :: "a"(0), "b"(found) : "memory");
}

#define RUNS 3     /* then the kernel stops: a demo guest does not print forever */

int guest_main(struct start_info *si)
{
    uint32_t round = 0;

    gprintf("app: kernel up, %u pages, cmdline '%s'\n", si->nr_pages, si->cmd_line);
    if (traps_init() || traps_make_user(GPTR(_image_start), GPTR(_image_end)))
        guest_panic("app: cannot set up traps or user mappings");
    traps_set_handler(0x80, sys_call);
    for (;;) {
        uint32_t n = user_run(user_main, GPTR(user_stack + sizeof(user_stack)));
        gprintf("app: user process %u exited with %u\n", ++round, n);
        if (round == RUNS)
            break;
        pv_sleep_ns(10ull * 1000000000ull);
    }
    gprintf("app: %u runs done; the kernel powers off\n", RUNS);
    return 0;
}
