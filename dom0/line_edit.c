/*
 * The line editor (see line_edit.h). Its display model is the plainest a
 * terminal has: the cursor sits at the end of the line, a character is
 * removed by "\b \b", so whatever the editor prints never depends on
 * terminal escape codes, and a replay of the log shows what the operator
 * saw.
 */
#include "line_edit.h"
#include "string.h"

#define CTRL_C  0x03
#define CTRL_H  0x08
#define CTRL_U  0x15
#define CTRL_W  0x17
#define ESC     0x1b
#define DEL     0x7f
#define BELL    "\a"

enum { ESC_NONE, ESC_START, ESC_CSI };

struct out {
    char *buf;
    uint32_t n;
};

/* Append s; the callers' worst case (erase and redraw a full line) fits LE_ECHO_MAX. */
static void put(struct out *o, const char *s)
{
    uint32_t len = (uint32_t)strlen(s);

    if (len > LE_ECHO_MAX - 1u - o->n)
        len = LE_ECHO_MAX - 1u - o->n;
    memcpy(o->buf + o->n, s, len);
    o->n += len;
    o->buf[o->n] = '\0';
}

void le_reset(struct line_edit *le)
{
    le->line[0] = '\0';
    le->len = 0;
    le->extra = 0;
    le->esc = ESC_NONE;
    le->browse = 0;
    le->done = false;
}

void le_init(struct line_edit *le)
{
    memset(le, 0, sizeof(*le));
    le_reset(le);
}

static void erase_chars(struct line_edit *le, uint32_t n, struct out *o)
{
    while (n-- > 0 && le->len > 0) {
        le->line[--le->len] = '\0';
        put(o, "\b \b");
    }
}

static void erase_line(struct line_edit *le, struct out *o)
{
    le->extra = 0;
    erase_chars(le, le->len, o);
}

static void backspace(struct line_edit *le, struct out *o)
{
    if (le->extra > 0)
        le->extra--;            /* never shown, so nothing to erase on screen */
    else
        erase_chars(le, 1, o);
}

/* Ctrl-W: the spaces before the cursor, then the word before them. */
static void erase_word(struct line_edit *le, struct out *o)
{
    if (le->extra > 0) {
        le->extra = 0;
        return;
    }
    while (le->len > 0 && le->line[le->len - 1] == ' ')
        erase_chars(le, 1, o);
    while (le->len > 0 && le->line[le->len - 1] != ' ')
        erase_chars(le, 1, o);
}

static void insert(struct line_edit *le, char c, struct out *o)
{
    char s[2] = { c, '\0' };

    if (le->len == LE_LINE_MAX) {
        if (le->extra++ == 0)
            put(o, BELL);
        return;
    }
    le->line[le->len++] = c;
    le->line[le->len] = '\0';
    put(o, s);
}

/* The n-th most recent history line (1 = newest); n <= nr_history. */
static const char *history_at(const struct line_edit *le, uint32_t n)
{
    return le->history[(le->newest + LE_HISTORY - (n - 1u)) % LE_HISTORY];
}

static void show(struct line_edit *le, const char *text, struct out *o)
{
    erase_line(le, o);
    memcpy(le->line, text, strlen(text) + 1);
    le->len = (uint32_t)strlen(text);
    put(o, le->line);
}

/* Up (older) or Down (newer); Down past the newest gives an empty line. */
static void browse(struct line_edit *le, bool older, struct out *o)
{
    if (older && le->browse < le->nr_history) {
        le->browse++;
        show(le, history_at(le, le->browse), o);
    } else if (!older && le->browse > 1) {
        le->browse--;
        show(le, history_at(le, le->browse), o);
    } else if (!older && le->browse == 1) {
        le->browse = 0;
        erase_line(le, o);
    } else {
        put(o, BELL);
    }
}

static void remember(struct line_edit *le)
{
    if (le->len == 0)
        return;
    if (le->nr_history > 0 && !strcmp(history_at(le, 1), le->line))
        return;                 /* the same line again is one entry */
    le->newest = le->nr_history == 0 ? 0 : (le->newest + 1u) % LE_HISTORY;
    memcpy(le->history[le->newest], le->line, le->len + 1u);
    if (le->nr_history < LE_HISTORY)
        le->nr_history++;
}

/* One byte of an escape sequence: ESC, then '[' or 'O', parameters, a final byte. */
static void escape(struct line_edit *le, uint8_t c, struct out *o)
{
    if (le->esc == ESC_START) {
        le->esc = (c == '[' || c == 'O') ? ESC_CSI : ESC_NONE;
        return;
    }
    if (c >= 0x40 && c <= 0x7e) {
        le->esc = ESC_NONE;
        if (c == 'A' || c == 'B')
            browse(le, c == 'A', o);
        return;                 /* right, left, delete, function keys: ignored */
    }
    if (c < 0x20 || c > 0x3f)
        le->esc = ESC_NONE;     /* not a parameter byte: a broken sequence ends here */
}

static enum le_result finish(struct line_edit *le, struct out *o)
{
    enum le_result r = le->extra ? LE_TOO_LONG : LE_LINE;

    put(o, "\n");
    if (r == LE_LINE)
        remember(le);
    le->esc = ESC_NONE;
    le->browse = 0;
    le->extra = 0;
    le->done = true;
    return r;
}

enum le_result le_feed(struct line_edit *le, uint8_t c, char echo[LE_ECHO_MAX])
{
    struct out o = { echo, 0 };
    bool was_cr = le->after_cr;

    echo[0] = '\0';
    if (le->done)
        le_reset(le);
    le->after_cr = c == '\r';
    if (le->esc != ESC_NONE && c != CTRL_C) {
        escape(le, c, &o);
        return LE_MORE;
    }
    switch (c) {
    case '\n':
        if (was_cr)
            return LE_MORE;     /* CR LF from a terminal is one Enter */
        return finish(le, &o);
    case '\r':
        return finish(le, &o);
    case CTRL_C:
        put(&o, "^C\n");
        le_reset(le);
        return LE_CANCEL;
    case DEL:
    case CTRL_H:
        backspace(le, &o);
        return LE_MORE;
    case CTRL_U:
        erase_line(le, &o);
        return LE_MORE;
    case CTRL_W:
        erase_word(le, &o);
        return LE_MORE;
    case ESC:
        le->esc = ESC_START;
        return LE_MORE;
    default:
        if (c >= 0x20 && c < 0x7f)
            insert(le, (char)c, &o);
        else if (c == '\t')
            insert(le, ' ', &o);
        return LE_MORE;
    }
}
