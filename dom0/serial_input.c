/*
 * The operator's serial line (see serial_input.h): a type-ahead ring in
 * front of console_io read.
 */
#include "guest.h"
#include "pv/console.h"
#include "serial_input.h"

#define TYPEAHEAD 256u          /* a few command lines */

static char ahead[TYPEAHEAD];
static uint32_t head, count, overflowed;

/* One byte from the UART, or -1. */
static int line_getc(void)
{
    char c = 0;

    if (hcall3(__HYPERVISOR_console_io, CONSOLEIO_read, 1, GPTR(&c)) != 1)
        return -1;
    return (unsigned char)c;
}

static void keep(char c)
{
    if (count == TYPEAHEAD) {
        overflowed++;           /* the operator typed far ahead: lose the newest */
        return;
    }
    ahead[(head + count) % TYPEAHEAD] = c;
    count++;
}

int input_getc(void)
{
    int c;

    if (!count)
        return line_getc();
    c = (unsigned char)ahead[head];
    head = (head + 1) % TYPEAHEAD;
    count--;
    return c;
}

bool input_interrupted(void)
{
    int c;

    while ((c = line_getc()) >= 0) {
        if (c == INPUT_CTRL_C) {
            /* like a terminal: what was typed before it goes too; what
             * follows it stays on the line for whatever runs next */
            head = count = 0;
            return true;
        }
        keep((char)c);
    }
    return false;
}

uint32_t input_discard(void)
{
    uint32_t n = count;

    head = count = 0;
    while (line_getc() >= 0)
        n++;
    return n;
}

uint32_t input_overflowed(void)
{
    return overflowed;
}
