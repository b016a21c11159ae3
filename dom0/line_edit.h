/*
 * The shell's line editor (spec/dom0.md, DOM0-4): bytes typed on the
 * serial line go in one at a time; what the terminal should show comes
 * out as text, and a finished line comes out whole.
 *
 * What it keeps: the line holds at most LE_LINE_MAX characters and is
 * always NUL-terminated; characters typed past that limit are counted,
 * not stored or shown (the terminal bell rings once), and Enter on such
 * a line refuses it (LE_TOO_LONG) instead of cutting it and running the
 * rest: backspace takes the uncounted ones back first. Backspace (DEL or ^H) removes the last character,
 * Ctrl-U the whole line, Ctrl-W the last word, Ctrl-C abandons the line
 * (LE_CANCEL). The Up and Down arrows (ESC [ A / ESC [ B, or ESC O A/B)
 * walk the last LE_HISTORY lines run; every other escape sequence and
 * every other control byte is swallowed, never echoed or stored. The
 * editor is pure: no I/O, state passed in, so the unit test feeds it
 * exactly what a terminal sends.
 */
#ifndef DOM0_LINE_EDIT_H
#define DOM0_LINE_EDIT_H

#include <stdbool.h>
#include <stdint.h>

#define LE_LINE_MAX 159u        /* characters in a command line */
#define LE_HISTORY  16u         /* lines remembered for the arrows */
#define LE_ECHO_MAX (4u * (LE_LINE_MAX + 1u))   /* the most one byte can make it print */

enum le_result {
    LE_MORE,        /* keep typing */
    LE_LINE,        /* Enter: le->line holds the line */
    LE_CANCEL,      /* Ctrl-C: the line is abandoned */
    LE_TOO_LONG,    /* Enter on a line typed past LE_LINE_MAX: abandoned */
};

struct line_edit {
    char line[LE_LINE_MAX + 1];
    uint32_t len;
    uint32_t extra;             /* typed past LE_LINE_MAX: counted, not kept */
    uint8_t esc;                /* where we are in an escape sequence (0: not in one) */
    bool after_cr;              /* a '\n' right after '\r' is the same Enter */
    bool done;                  /* the last byte ended a line: the next starts one */
    char history[LE_HISTORY][LE_LINE_MAX + 1];
    uint32_t nr_history;        /* lines kept, at most LE_HISTORY */
    uint32_t newest;            /* index of the most recent line */
    uint32_t browse;            /* 0: editing a new line; n: showing the n-th most recent */
};

void le_init(struct line_edit *le);

/*
 * Feed one typed byte. What the terminal should show for it is written
 * to echo (NUL-terminated, at most LE_ECHO_MAX bytes with the NUL). On
 * LE_LINE the line is in le->line and has been added to the history;
 * after any result other than LE_MORE the next byte starts a new line.
 */
enum le_result le_feed(struct line_edit *le, uint8_t c, char echo[LE_ECHO_MAX]);

/* Start a new, empty line (the history stays). */
void le_reset(struct line_edit *le);

#endif
