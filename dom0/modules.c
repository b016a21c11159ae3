/*
 * Reading the module package (spec/boot.md BOOT-13): an array of
 * descriptors whose offsets are relative to the package start. The
 * package was written by the hypervisor, but dom0 still bounds every
 * offset by mod_len before it uses it.
 */
#include "guest.h"
#include "modules.h"

static struct module modules[MAX_MODULES];
static uint32_t nr_modules;

static void name_and_args(struct module *m, const char *cmdline, uint32_t room)
{
    uint32_t n = 0;

    while (n < room && cmdline[n] && cmdline[n] != ' ' && n + 1 < MODULE_NAME_LEN) {
        m->name[n] = cmdline[n];
        n++;
    }
    m->name[n] = '\0';
    while (n < room && cmdline[n] == ' ')
        n++;
    m->args = n < room ? cmdline + n : "";
}

uint32_t modules_init(void)
{
    const struct xen_multiboot_mod_list *d;
    const uint8_t *base = (const uint8_t *)(uintptr_t)start_info->mod_start;
    uint32_t len = start_info->mod_len, i;

    nr_modules = 0;
    if (!(start_info->flags & SIF_MULTIBOOT_MOD) || len < sizeof(*d))
        return 0;
    d = (const struct xen_multiboot_mod_list *)base;
    for (i = 0; i < MAX_MODULES && (i + 1) * sizeof(*d) <= len && d[i].mod_start; i++) {
        struct module *m = &modules[nr_modules];
        if (d[i].mod_end < d[i].mod_start || d[i].mod_end >= len || d[i].cmdline >= len) {
            gprintf("dom0: module %u has a bad descriptor; ignored\n", i);
            continue;
        }
        m->data = base + d[i].mod_start;
        m->len = d[i].mod_end - d[i].mod_start + 1;
        name_and_args(m, (const char *)base + d[i].cmdline, len - d[i].cmdline);
        nr_modules++;
    }
    return nr_modules;
}

const struct module *module_find(const char *name)
{
    uint32_t i;

    for (i = 0; i < nr_modules; i++)
        if (!strcmp(modules[i].name, name))
            return &modules[i];
    return NULL;
}

const struct module *module_at(uint32_t i)
{
    return i < nr_modules ? &modules[i] : NULL;
}

uint32_t modules_count(void)
{
    return nr_modules;
}
