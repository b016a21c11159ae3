/* The shared attack runner (see attack_table.h). */
#include "attack_table.h"

const char *attack_wanted(const struct start_info *si, uint32_t *len)
{
    const char *want = strstr(si->cmd_line, "attack=");

    if (!want)
        test_skip("no attack= on the command line");
    want += 7;
    for (*len = 0; want[*len] && want[*len] != ' '; (*len)++)
        ;
    return want;
}

bool attack_is(const struct attack *a, const char *want, uint32_t len)
{
    return !strncmp(a->name, want, len) && a->name[len] == '\0';
}

int attack_run(const struct start_info *si, const struct attack *table, uint32_t n,
               void (*after)(const struct attack *a))
{
    uint32_t len, i;
    const char *want = attack_wanted(si, &len);

    for (i = 0; i < n; i++) {
        int32_t rc;

        if (!attack_is(&table[i], want, len))
            continue;
        rc = table[i].run();
        gprintf("ATTACK %s %s: result %d, expected %d\n", table[i].rule, table[i].name, rc,
                table[i].expect);
        CHECK_RC(table[i].name, rc, table[i].expect);
        if (after)
            after(&table[i]);
        test_finish();
    }
    gprintf("unknown attack '%.*s'\n", (int)len, want);
    gprintf("Test result: ERROR\n");
    return 1;
}
