/*
 * The control shell (see shell.h): the command table, the dispatch, and
 * the prompt. Each command lives in a cmd_*.c file and answers through
 * the helpers of shell_cmd.h, so every error reads the same way. Words
 * from xl (`xl list`, `xl sched-credit -d 1 -w 512`, ...) reach the same
 * commands, in xl's layouts where xl has one (spec/dom0.md maps each).
 */
#include "backend.h"
#include "configs.h"
#include "consoles.h"
#include "guest.h"
#include "line_edit.h"
#include "shell.h"
#include "shell_cmd.h"
#include "waits.h"
#include "serial_input.h"

#define LINE_LEN (LE_LINE_MAX + 1u)

static int cmd_help(const struct shell_cmd *c, int argc, char **argv);

/* Reached only when a tab follows "echo": shell_run prints "echo <text>" lines itself. */
static int cmd_echo(const struct shell_cmd *c, int argc, char **argv)
{
    int i;

    (void)c;
    for (i = 1; i < argc; i++)
        gprintf("%s%s", argv[i], i + 1 < argc ? " " : "");
    gputs("\n");
    return 0;
}

/* xl shutdown always names a domain: it never powers the machine off. */
static int xl_shutdown(const struct shell_cmd *c, int argc, char **argv)
{
    return argc == 2 ? cmd_shutdown(c, argc, argv) : sh_usage(c);
}

static const struct shell_cmd commands[] = {
    { "list", "", "domains: id, name, state, memory, CPU time, weight, pauses, why stopped", cmd_list },
    { "create", "[-c] [-p] <name|file.cfg>", "build and start a guest (-p: paused, -c: then its console)", cmd_create },
    { "destroy", "<dom>", "stop a guest and give back all it holds", cmd_destroy },
    { "pause", "<dom>", "stop running it (counted)", cmd_pause },
    { "unpause", "<dom>", "undo one pause", cmd_unpause },
    { "sched", "<dom> [<weight>]", "its CPU weight, 1..65535 (dom0's too)", cmd_sched },
    { "wait", "<dom>", "until it stops (Ctrl-C ends the wait)", cmd_wait },
    { "console", "<dom>", "its console: the last lines, then live; Ctrl-] returns", cmd_console },
    { "log", "<dom> [<lines>]", "its console log (the last <lines>)", cmd_log },
    { "devices", "", "every backend's state and counters", cmd_devices },
    { "configs", "", "the guest configurations known", cmd_configs },
    { "mem", "", "free machine memory", cmd_mem },
    { "sleep", "<ms>", "dom0 waits, guests run (Ctrl-C ends it)", cmd_sleep },
    { "cpustat", "<ms>", "each guest's share of the CPU over <ms> (Ctrl-C ends it)", cmd_cpustat },
    { "cycle", "<name> <count>", "create and destroy a guest <count> times (Ctrl-C ends it)", cmd_cycle },
    { "audit", "", "the hypervisor recounts every page-table reference", cmd_audit },
    { "mapcheck", "<dom>", "may dom0 map its frames now? (only while paused)", cmd_mapcheck },
    { "echo", "<text>", "print the text (scripts)", cmd_echo },
    { "shutdown", "[<dom>]", "power the machine off (with <dom>: ask it through xenstore; destroyed after 5 s)", cmd_shutdown },
    { "reboot", "<dom>", "ask it to reboot through xenstore, then create it again", cmd_reboot },
    { "mem-set", "[-w] <dom> <MiB>", "its memory target through xenstore (-w: until it holds it)", cmd_mem_set },
    { "xenstore-read", "<path>", "a node's value", cmd_xenstore_read },
    { "xenstore-write", "<path> <value>", "write a node (\"\" for empty)", cmd_xenstore_write },
    { "help", "", "this list", cmd_help },
};

/* xl's words: `xl <word> ...`; the ones that are not also commands above work bare too. */
static const struct shell_cmd xl_commands[] = {
    { "list", "[<dom>...]", "", cmd_xl_list },
    { "create", "[-c] [-p] <file.cfg|name>", "", cmd_create },
    { "destroy", "<dom>", "", cmd_destroy },
    { "shutdown", "<dom>", "", xl_shutdown },
    { "reboot", "<dom>", "", cmd_reboot },
    { "mem-set", "[-w] <dom> <MiB>", "", cmd_mem_set },
    { "pause", "<dom>", "", cmd_pause },
    { "unpause", "<dom>", "", cmd_unpause },
    { "console", "<dom>", "", cmd_console },
    { "sched-credit", "[-d <dom> [-w <weight>]]", "", cmd_sched_credit },
    { "vcpu-list", "[<dom>...]", "", cmd_vcpu_list },
    { "info", "", "", cmd_info },
    { "dmesg", "", "", cmd_dmesg },
};

#define NR(t) (sizeof(t) / sizeof((t)[0]))

static const struct shell_cmd *find(const struct shell_cmd *table, uint32_t n, const char *name)
{
    uint32_t i;

    for (i = 0; i < n; i++)
        if (!strcmp(table[i].name, name))
            return &table[i];
    return NULL;
}

static int cmd_help(const struct shell_cmd *c, int argc, char **argv)
{
    uint32_t i;
    char words[160];
    uint32_t n = 0;

    (void)argv;
    if (argc != 1)
        return sh_usage(c);
    gprintf("commands (<dom> is a domain id or name):\n");
    for (i = 0; i < NR(commands); i++) {
        char left[48];
        snprintf(left, sizeof(left), "%s %s", commands[i].name, commands[i].args);
        gprintf("  %-34s %s\n", left, commands[i].what);
    }
    for (i = 0; i < NR(xl_commands); i++)
        n += (uint32_t)snprintf(words + n, sizeof(words) - n, "%s%s", i ? ", " : "",
                                xl_commands[i].name);
    gprintf("xl's words, as `xl <word> ...`: %s\n", words);
    gprintf("keys: Backspace, Ctrl-U, Ctrl-W, Ctrl-C, Up/Down for the last 16 lines\n");
    return 0;
}

/* Split at spaces and tabs: the number of words, or -1 if more than SHELL_MAX_ARGS. */
static int split(char *line, char **argv)
{
    int argc = 0;

    for (;;) {
        while (*line == ' ' || *line == '\t')
            *line++ = '\0';
        if (!*line)
            return argc;
        if (argc == SHELL_MAX_ARGS)
            return -1;
        argv[argc++] = line;
        while (*line && *line != ' ' && *line != '\t')
            line++;
    }
}

static int dispatch(int argc, char **argv)
{
    const struct shell_cmd *c;

    if (!strcmp(argv[0], "xl")) {
        if (argc == 1)
            return sh_error("usage: xl <word> ... (help lists them)");
        c = find(xl_commands, NR(xl_commands), argv[1]);
        if (!c)
            return sh_error("xl %s: not one of the xl words dom0 knows (try help)", argv[1]);
        return c->run(c, argc - 1, argv + 1);
    }
    c = find(commands, NR(commands), argv[0]);
    if (!c)
        c = find(xl_commands, NR(xl_commands), argv[0]);
    if (!c)
        return sh_error("unknown command '%s' (try help)", argv[0]);
    return c->run(c, argc, argv);
}

int shell_run(const char *text)
{
    char line[LINE_LEN];
    char *argv[SHELL_MAX_ARGS];
    int argc;

    if (strnlen(text, LINE_LEN) == LINE_LEN)        /* DOM0-4 */
        return sh_error("line too long (at most %u characters); nothing was run", LE_LINE_MAX);
    memcpy(line, text, strlen(text) + 1);
    if (!strncmp(line, "echo ", 5) || !strcmp(line, "echo")) {
        gprintf("%s\n", line[4] ? line + 5 : "");
        return 0;
    }
    argc = split(line, argv);
    if (argc < 0)
        return sh_error("too many words (at most %u)", SHELL_MAX_ARGS);
    if (argc == 0 || argv[0][0] == '#')
        return 0;
    return dispatch(argc, argv);
}

#define PROMPT "dom0> "

/* The next typed byte; meanwhile the backends run, and guests' lines may be shown (DOM0-5). */
static int read_char(void)
{
    for (;;) {
        int c = input_getc();
        if (c >= 0)
            return c;
        backends_idle(WAIT_SLICE_NS);   /* the serial line raises no event */
        if (consoles_take_redraw()) {
            gputs(PROMPT);
            consoles_at_prompt(true);
        }
    }
}

/*
 * DOM0-4: edit one line at the prompt; what le_feed says to show is shown.
 * DOM0-5: while part of a line is typed, guests' console lines wait.
 */
static enum le_result read_line(struct line_edit *le)
{
    char echo[LE_ECHO_MAX];

    gputs(PROMPT);
    consoles_at_prompt(true);
    for (;;) {
        enum le_result r = le_feed(le, (uint8_t)read_char(), echo);
        bool typing = r == LE_MORE && (le->len > 0 || le->extra > 0);
        if (echo[0])
            gputs(echo);
        consoles_at_prompt(r == LE_MORE && !typing);
        consoles_hold(typing);
        if (r != LE_MORE)
            return r;
    }
}

void shell_interactive(void)
{
    static struct line_edit editor;

    le_init(&editor);
    for (;;) {
        switch (read_line(&editor)) {
        case LE_LINE:
            shell_run(editor.line);
            break;
        case LE_TOO_LONG:                   /* DOM0-4 */
            sh_error("line too long (at most %u characters); nothing was run", LE_LINE_MAX);
            break;
        default:
            break;
        }
    }
}

unsigned shell_load_configs(void)
{
    return configs_load();
}
