/*
 * What the operator sees of the guests' PV consoles (spec/dom0.md,
 * DOM0-5). Every line a guest writes goes to its log (cons_log.h); it is
 * also shown on the serial line, `[name] text`, unless the operator is
 * busy: while a line is being typed at the prompt, or while `console`
 * talks to one guest, the others' lines wait in their logs and are shown
 * when the typed line ends or the console returns (lines the log had to
 * drop meanwhile are counted, not shown). During `console <dom>` that
 * guest's output is shown as it comes, raw, as xl console shows it.
 */
#ifndef DOM0_CONSOLES_H
#define DOM0_CONSOLES_H

#include <stdbool.h>

#include "pv/domctl.h"

#define CONSOLES_NONE ((domid_t)0xFFFFu)

/* The operator has typed part of a line: hold (true), or show what waited (false). */
void consoles_hold(bool hold);
/* The prompt is on the screen with nothing typed after it. */
void consoles_at_prompt(bool yes);
/* Lines were shown over an empty prompt: the shell should show it again (once). */
bool consoles_take_redraw(void);

/* `console`: this guest's output live, the others' held; CONSOLES_NONE ends it. */
void consoles_set_live(domid_t id);
domid_t consoles_live(void);

/* May a line of guest `id` be shown now? If so, the caller shows it after consoles_showing(). */
bool consoles_may_show(domid_t id);
/* About to show held or new lines: leaves an empty prompt's line first. */
void consoles_showing(void);

#endif
