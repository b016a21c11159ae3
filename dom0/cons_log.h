/*
 * One guest's console log, as xenconsoled keeps it (spec/dom0.md,
 * DOM0-5): the lines the guest wrote to its PV console, newest last, in
 * a bounded ring. When a line does not fit, the oldest bytes go, and
 * every line that loses a byte is counted as dropped; a reader is never
 * handed part of a line. Readers hold line numbers (the n-th line the
 * guest ever wrote, 64-bit so they never wrap), and learn how many they
 * missed when the log dropped lines they had not read. Pure: the unit
 * test drives it.
 */
#ifndef DOM0_CONS_LOG_H
#define DOM0_CONS_LOG_H

#include <stdint.h>

#define CONS_LOG_SIZE 4096u     /* bytes kept per guest: some 50 to 100 lines */

struct cons_log {
    char buf[CONS_LOG_SIZE];
    uint64_t head;              /* bytes ever written: the next one goes to buf[head % size] */
    uint64_t first;             /* byte where the oldest whole line kept starts */
    uint64_t total;             /* lines ever written; the next line's number */
    uint32_t lines;             /* whole lines kept: numbers total - lines .. total - 1 */
    uint32_t dropped;           /* lines pushed out, whole or in part */
};

void cons_log_init(struct cons_log *l);

/* Add one line (len bytes, no newline; the log adds it). A line longer than the log is cut to fit. */
void cons_log_append(struct cons_log *l, const char *line, uint32_t len);

/* The number of the first of the last `n` lines (of the oldest kept if fewer are). */
uint64_t cons_log_tail(const struct cons_log *l, uint32_t n);

/*
 * Copy whole lines, from line number *next on, into out (at most max
 * bytes; each line ends in '\n'); *next moves past them. If *next fell
 * out of the log, it first moves to the oldest line kept and *lost
 * counts the lines skipped (else *lost is 0). Returns the bytes copied:
 * 0 when there is nothing more, or when the next line needs more than
 * max (a line is at most CONS_LOG_SIZE bytes with its newline).
 */
uint32_t cons_log_read(const struct cons_log *l, uint64_t *next, char *out, uint32_t max,
                       uint32_t *lost);

#endif
