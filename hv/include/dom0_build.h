#ifndef HV_DOM0_BUILD_H
#define HV_DOM0_BUILD_H

#include "bootinfo.h"
#include "cmdline.h"

/*
 * Build dom0 from boot module 0 and hand it the other modules. A refused
 * image stops the machine with a one-line reason (EXIT_BAD_IMAGE).
 */
void dom0_build(const struct boot_info *bi, const struct hv_options *opt);

#endif
