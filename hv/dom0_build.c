#include "dom0_build.h"
#include "machine.h"
#include "printk.h"
void dom0_build(const struct boot_info *bi, const struct hv_options *opt)
{
    printk("dom0 module at %x-%x (%s), dom0_mem %u MiB\n", bi->mods[0].start, bi->mods[0].end, bi->mods[0].cmdline, (unsigned)(opt->dom0_mem >> 20));
    machine_exit(EXIT_DOM0_POWEROFF);
}
