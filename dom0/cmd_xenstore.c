/*
 * The store by hand (spec/dom0.md DOM0-8), as Xen's xenstore-read and
 * xenstore-write tools in dom0: one node read or written through dom0's
 * own privileged connection, so each is a wire request that obeys the
 * store's rules (path syntax, node size, quotas) and fires the watches a
 * toolstack write would. A value is one word (the shell splits at
 * spaces); an empty value is written as "". This is how an operator, or
 * a test, hands a guest a value no toolstack command would write.
 */
#include "guest.h"
#include "pv/errno.h"
#include "pv/xs_wire.h"
#include "shell.h"
#include "shell_cmd.h"
#include "xsd.h"

/*
 * A guest may write any bytes into its own nodes: control characters and
 * escape sequences would reach the operator's terminal (forged lines, a
 * NUL cutting the value short), so every byte outside printable ASCII,
 * and the backslash that starts an escape, is shown as \xNN (Xen's
 * xenstore-read escapes them too unless asked for raw output).
 */
static void print_value(const char *v, uint32_t len)
{
    static const char hex[] = "0123456789abcdef";
    uint32_t i;

    for (i = 0; i < len; i++) {
        uint8_t b = (uint8_t)v[i];
        if (b >= 0x20 && b <= 0x7e && b != '\\')
            gprintf("%c", b);
        else
            gprintf("\\x%c%c", hex[b >> 4], hex[b & 15]);
    }
    gprintf("\n");
}

int cmd_xenstore_read(const struct shell_cmd *c, int argc, char **argv)
{
    static char value[XENSTORE_PAYLOAD_MAX + 1];
    int n;

    if (argc != 2)
        return sh_usage(c);
    n = xsd_read(argv[1], value, sizeof(value));
    if (n < 0)
        return sh_fail(n, NULL, "%s %s", argv[0], argv[1]);
    print_value(value, (uint32_t)n);
    return 0;
}

int cmd_xenstore_write(const struct shell_cmd *c, int argc, char **argv)
{
    int rc;

    if (argc != 3)
        return sh_usage(c);
    rc = xsd_node(argv[1], strcmp(argv[2], "\"\"") ? argv[2] : "", -1, -1);
    if (rc)
        return sh_fail(rc, "the store refused it", "%s %s %s", argv[0], argv[1], argv[2]);
    return 0;
}
