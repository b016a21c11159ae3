/*
 * The console log ring (see cons_log.h). The text between `first` and
 * `head` is always whole lines, each ending in '\n', `lines` of them:
 * appending first makes room by pushing out whole lines from the front,
 * so no reader ever sees a line's tail without its head.
 */
#include "cons_log.h"
#include "string.h"

void cons_log_init(struct cons_log *l)
{
    memset(l, 0, sizeof(*l));
}

static char at(const struct cons_log *l, uint64_t pos)
{
    return l->buf[pos % CONS_LOG_SIZE];
}

/* Push out the oldest line. */
static void drop_oldest(struct cons_log *l)
{
    while (l->first < l->head && at(l, l->first) != '\n')
        l->first++;
    l->first++;                 /* past its newline */
    l->lines--;
    l->dropped++;
}

void cons_log_append(struct cons_log *l, const char *line, uint32_t len)
{
    uint32_t i;

    if (len > CONS_LOG_SIZE - 1u)
        len = CONS_LOG_SIZE - 1u;
    while (l->lines > 0 && l->head - l->first + len + 1u > CONS_LOG_SIZE)
        drop_oldest(l);
    for (i = 0; i < len; i++)
        l->buf[(l->head + i) % CONS_LOG_SIZE] = line[i];
    l->buf[(l->head + len) % CONS_LOG_SIZE] = '\n';
    l->head += len + 1u;
    l->lines++;
    l->total++;
}

uint64_t cons_log_tail(const struct cons_log *l, uint32_t n)
{
    return n < l->lines ? l->total - n : l->total - l->lines;
}

/* The byte where line number `nr` starts (nr within the lines kept). */
static uint64_t line_start(const struct cons_log *l, uint64_t nr)
{
    uint64_t pos = l->first, skip = nr - (l->total - l->lines);

    for (; skip > 0; pos++)
        if (at(l, pos) == '\n')
            skip--;
    return pos;
}

uint32_t cons_log_read(const struct cons_log *l, uint64_t *next, char *out, uint32_t max,
                       uint32_t *lost)
{
    uint64_t oldest = l->total - l->lines, pos;
    uint32_t n = 0;

    *lost = 0;
    if (*next < oldest) {
        *lost = (uint32_t)(oldest - *next < 0xFFFFFFFFu ? oldest - *next : 0xFFFFFFFFu);
        *next = oldest;
    }
    if (*next >= l->total)
        return 0;
    pos = line_start(l, *next);
    while (*next < l->total) {
        uint64_t end = pos;
        while (at(l, end) != '\n')
            end++;
        if (end + 1u - pos > max - n)
            break;
        for (; pos <= end; pos++)
            out[n++] = at(l, pos);
        (*next)++;
    }
    return n;
}
