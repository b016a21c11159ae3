/*
 * The operator's serial line (spec/dom0.md, DOM0-2, DOM0-3).
 *
 * The hypervisor hands dom0 whatever bytes wait on the UART (console_io
 * read, which never blocks); the line raises no event, so whoever waits
 * for the operator polls it. Bytes that arrive while a command runs (a
 * `wait`, a `sleep`) are kept, in order, in a bounded type-ahead buffer
 * for the shell, except Ctrl-C, which interrupts that command and
 * discards what was typed before it (DOM0-3). Nothing a guest does decides how
 * these bytes are read: a guest only ever receives them (`console`).
 */
#ifndef DOM0_SERIAL_INPUT_H
#define DOM0_SERIAL_INPUT_H

#include <stdbool.h>
#include <stdint.h>

#define INPUT_CTRL_C 0x03

/* The next typed byte (type-ahead first), or -1 if none is waiting; never blocks. */
int input_getc(void);

/*
 * Read what waits on the line into the type-ahead, up to the first Ctrl-C:
 * true if there was one (it is consumed with everything typed before it;
 * what follows it stays on the line, for the next command).
 */
bool input_interrupted(void);

/* Drop the type-ahead and everything waiting on the line; how many bytes. */
uint32_t input_discard(void);

/* Bytes lost because the type-ahead was full. */
uint32_t input_overflowed(void);

#endif
