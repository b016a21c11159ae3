/*
 * dom0, the privileged control domain: it reports what start_info says,
 * reads its modules (guest kernels, *.cfg guest configurations, *.script
 * command scripts), runs every script's commands at boot in module order,
 * then serves the control shell on the serial console.
 */
#include "backend.h"
#include "guest.h"
#include "line_edit.h"
#include "modules.h"
#include "pv/version.h"
#include "shell.h"

static void print_start_info(const struct start_info *si)
{
    int32_t ver = hcall2(__HYPERVISOR_xen_version, XENVER_version, 0);

    gprintf("dom0: Bulkhead control domain, ABI %d.%d, magic '%s'\n",
            ver >> 16, ver & 0xFFFF, si->magic);
    gprintf("dom0: %u pages, flags %x, shared_info at machine %08x\n",
            si->nr_pages, si->flags, si->shared_info);
    gprintf("dom0: page tables at %08x (%u frames), P2M at %08x\n",
            si->pt_base, si->nr_pt_frames, si->mfn_list);
    gprintf("dom0: command line '%s'\n", si->cmd_line);
    shell_isolation_warning("dom0: ");
}

static void print_modules(void)
{
    uint32_t i, n = modules_init();

    gprintf("dom0: %u module(s)\n", n);
    for (i = 0; i < n; i++) {
        const struct module *m = module_at(i);
        gprintf("  module %u: %s, %u bytes, args '%s'\n", i, m->name, m->len, m->args);
    }
}

/*
 * Each line of a script module is one shell command. DOM0-4: a line too
 * long for the shell is refused whole, never cut and run; DOM0-3: a
 * command that Ctrl-C ended ends the script.
 */
static void run_script(const struct module *m)
{
    char line[LE_LINE_MAX + 1];
    uint32_t pos = 0, nr = 0;

    gprintf("dom0: running %s\n", m->name);
    while (pos < m->len) {
        uint32_t n = 0, len = 0;
        while (pos < m->len && m->data[pos] != '\n') {
            if (n < LE_LINE_MAX)
                line[n++] = (char)m->data[pos];
            len++;
            pos++;
        }
        pos++;
        nr++;
        line[n] = '\0';
        if (len > LE_LINE_MAX) {
            gprintf("error: %s line %u: longer than %u characters; not run\n", m->name, nr,
                    LE_LINE_MAX);
            continue;
        }
        if (!n)
            continue;
        gprintf("dom0> %s\n", line);
        backends_poll();                /* DEV-19: a long script keeps the backends served */
        if (shell_run(line) == SHELL_INTERRUPTED) {
            gprintf("dom0: %s interrupted at line %u; the rest is not run\n", m->name, nr);
            return;
        }
    }
}

static void run_scripts(void)
{
    uint32_t i;

    for (i = 0; i < modules_count(); i++) {
        const struct module *m = module_at(i);
        uint32_t n = (uint32_t)strlen(m->name);
        if (n > 7 && !strcmp(m->name + n - 7, ".script"))
            run_script(m);
    }
}

int guest_main(struct start_info *si)
{
    print_start_info(si);
    print_modules();
    gprintf("dom0: %u guest configuration(s)\n", shell_load_configs());
    run_scripts();
    shell_interactive();
}
