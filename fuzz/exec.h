/*
 * The in-process executor: runs a typed hypercall program (program.h) as
 * the attacker (and, op by op, as dom0) against the hosted machine
 * (machine.h), calling the pure core exactly as the hypervisor glue does
 * (hv/mm_hypercalls.c, hv/events.c, hv/desc_tables.c, hv/vcpu_ops.c,
 * hv/guest_fault.c, hv/emulate.c).
 *
 * After every operation it checks (fuzz/checks.c): no refused transition
 * (pt_ctx.bugs), no frame left mapped, the page-table audit with every
 * domain and hold declared (pt_audit.h), the victim's frame records,
 * memory and M2P entries unchanged, the hypervisor's frames unchanged,
 * the event-channel invariants (EVT-1, EVT-6, EVT-9) and, for the
 * attacker, only the channel changes it may cause; and each pure check
 * against an independent statement of its rule (fuzz/oracle.c). Any
 * failure is a finding: the program is printed and the process aborts,
 * which AFL++ and libFuzzer record as a crash.
 */
#ifndef FUZZ_EXEC_H
#define FUZZ_EXEC_H

#include <stdint.h>

#include "program.h"

/* Once per process: build the machine and take its snapshot. */
void exec_init(void);

/*
 * Reset the machine and run `p`. verbose 0: silent; 1: print each op with
 * its result. Returns the number of hypercalls issued (a batch is one).
 */
uint32_t exec_program(const struct program *p, int verbose);

/* Decode `len` bytes and run them (the fuzz entry points). */
uint32_t exec_bytes(const uint8_t *data, size_t len, int verbose);

/* Print `p` to stderr. */
void exec_print_program(const struct program *p);

#endif
