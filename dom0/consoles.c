/* Who may print guests' console lines, and when (see consoles.h). */
#include "backend.h"
#include "consoles.h"
#include "guest.h"

static bool held, at_prompt, redraw;
static domid_t live = CONSOLES_NONE;

void consoles_hold(bool hold)
{
    bool release = held && !hold;

    held = hold;
    if (release)
        backends_show_consoles();
}

void consoles_at_prompt(bool yes)
{
    at_prompt = yes;
}

bool consoles_take_redraw(void)
{
    bool r = redraw;

    redraw = false;
    return r;
}

void consoles_set_live(domid_t id)
{
    live = id;
    if (id == CONSOLES_NONE)
        backends_show_consoles();
}

domid_t consoles_live(void)
{
    return live;
}

bool consoles_may_show(domid_t id)
{
    (void)id;
    return !held && live == CONSOLES_NONE;
}

void consoles_showing(void)
{
    if (!at_prompt)
        return;
    gputs("\n");                /* the prompt's line stays as it was; the shell shows it again */
    at_prompt = false;
    redraw = true;
}
