/*
 * The hypervisor command line: space-separated `name` or `name=value`
 * words. Unknown words and bad values do not stop the boot; they are
 * counted and the first one is kept so the caller can report it.
 *
 *   dom0_mem=<size>   dom0's memory: a number with K, M or G (no suffix: KiB, as Xen)
 *   loglvl=<level>    err | warn | info | debug, or 0..3
 *   testmode          leave QEMU through isa-debug-exit when dom0 stops
 *   audit             run the page-table invariant audit after every hypercall
 *   crashtest         with testmode only: fault in ring 0 after boot, to
 *                     show the panic path (register dump, backtrace, exit 5)
 *   sched_quantum_ms=<n>  scheduler time slice
 *   console_rate=<n>  bytes a second each unprivileged domain may print
 *                     through console_io (CON-3; 1..1048576, bucket 8 s of it)
 *   smep=<bool>, smap=<bool>  use SMEP / SMAP when the CPU has them (default
 *                     on); a boolean as Xen writes it: yes|on|true|enable|1,
 *                     no|off|false|disable|0, the bare name for on, `no-<name>`
 *                     for off
 *   benchgate         a ring-1 gate that returns at once (BOOT-17), the floor
 *                     `make bench` measures hypercalls against
 */
#ifndef CORE_CMDLINE_H
#define CORE_CMDLINE_H

#include "types.h"

struct hv_options {
    uint64_t dom0_mem;          /* bytes */
    int log_level;              /* 0..3 */
    bool test_mode;
    bool audit;
    bool crash_test;
    uint32_t sched_quantum_ms;
    uint32_t console_rate;      /* CON-3: bytes per second */
    bool smep;                  /* use SMEP if the CPU has it */
    bool smap;                  /* use SMAP if the CPU has it */
    bool bench_gate;
    uint32_t nr_bad;            /* unknown words and bad values */
    char first_bad[48];         /* the first of them, NUL-terminated */
};

/* Defaults, then every word of `line` (which need not be writable). */
void cmdline_parse(const char *line, struct hv_options *opt);

/* Parse "<number>[KMG]" (no suffix: KiB); returns 0 or -EINVAL. */
int cmdline_parse_size(const char *s, uint32_t len, uint64_t *bytes);

/* Parse a boolean value as Xen spells it (above); returns 0 or -EINVAL. */
int cmdline_parse_bool(const char *s, uint32_t len, bool *value);

#endif
