/*
 * The configuration registry (see configs.h): [section] modules go to
 * config_parse, xl.cfg modules to xlcfg_parse; a module with an error is
 * left out whole, with a line saying where.
 */
#include "configs.h"
#include "guest.h"
#include "modules.h"
#include "xlcfg.h"
#include "xlcfg_spec.h"

#define MAX_SECTION_MODULES 4

static struct config_set sets[MAX_SECTION_MODULES];
static const char *set_module[MAX_SECTION_MODULES];
static uint32_t nr_sets;

static struct guest_config xl_guests[MAX_MODULES];
static const char *xl_module[MAX_MODULES];
static uint32_t nr_xl;

static bool is_cfg(const char *name)
{
    uint32_t n = (uint32_t)strlen(name);

    return n >= 4 && !strcmp(name + n - 4, ".cfg");
}

static uint32_t load_xl(const struct module *m)
{
    static char error[CFG_ERROR_LEN];

    if (xlcfg_parse((const char *)m->data, m->len, &xl_guests[nr_xl], error, sizeof(error))) {
        gprintf("error: %s: %s\n", m->name, error);
        return 0;
    }
    xl_module[nr_xl++] = m->name;
    return 1;
}

static uint32_t load_sections(const struct module *m)
{
    if (nr_sets == MAX_SECTION_MODULES) {
        gprintf("error: %s: more than %u [section] config modules; ignored\n", m->name,
                MAX_SECTION_MODULES);
        return 0;
    }
    if (config_parse((const char *)m->data, m->len, &sets[nr_sets])) {
        gprintf("error: %s: %s\n", m->name, sets[nr_sets].error);
        return 0;
    }
    set_module[nr_sets] = m->name;
    return sets[nr_sets++].nr;
}

uint32_t configs_load(void)
{
    uint32_t i, guests = 0;

    for (i = 0; i < modules_count(); i++) {
        const struct module *m = module_at(i);
        if (!is_cfg(m->name))
            continue;
        if (xlcfg_detect((const char *)m->data, m->len))
            guests += load_xl(m);
        else
            guests += load_sections(m);
    }
    return guests;
}

/* A module's file name: its xl guest, or the one guest of a [section] module. */
static const struct guest_config *by_module(const char *file, char *why, uint32_t why_len)
{
    uint32_t i;

    for (i = 0; i < nr_xl; i++)
        if (!strcmp(xl_module[i], file))
            return &xl_guests[i];
    for (i = 0; i < nr_sets; i++) {
        if (strcmp(set_module[i], file))
            continue;
        if (sets[i].nr == 1)
            return &sets[i].guests[0];
        snprintf(why, why_len, "%s has %u guests: name one of its [sections]", file, sets[i].nr);
        return NULL;
    }
    if (module_find(file) || is_cfg(file))
        snprintf(why, why_len, "%s is not a configuration dom0 could read (see its boot line)",
                 file);
    else
        snprintf(why, why_len, "no configuration or .cfg module has that name");
    return NULL;
}

const struct guest_config *configs_find(const char *what, char *why, uint32_t why_len)
{
    const char *file = xlspec_basename(what);

    if (file == what) {
        uint32_t i;
        for (i = 0; i < nr_sets; i++) {
            const struct guest_config *g = config_find(&sets[i], what);
            if (g)
                return g;
        }
        for (i = 0; i < nr_xl; i++)
            if (!strcmp(xl_guests[i].name, what))
                return &xl_guests[i];
    }
    return by_module(file, why, why_len);
}

void configs_each(void (*fn)(const struct guest_config *g, const char *module))
{
    uint32_t i, k;

    for (i = 0; i < nr_sets; i++)
        for (k = 0; k < sets[i].nr; k++)
            fn(&sets[i].guests[k], set_module[i]);
    for (i = 0; i < nr_xl; i++)
        fn(&xl_guests[i], xl_module[i]);
}
