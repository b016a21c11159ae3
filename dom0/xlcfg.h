/*
 * Guest configurations in Xen's xl.cfg syntax (spec/dom0.md, "xl.cfg"):
 * one guest per file, KEY=VALUE pairs separated by newlines or ';',
 * values "strings" or 'strings', numbers (decimal, 0octal, 0xhex) and
 * [ lists ] that may span lines, '#' comments. The keys Bulkhead reads
 * are mapped onto the same struct guest_config as its own format:
 *
 *     name = "web"                    required; the domain's name
 *     kernel = "/boot/app.elf"        required; the boot module of that base name
 *     memory = 8                      required; MiB (as xl)
 *     maxmem = 8                      only equal to memory (no ballooning at build)
 *     vcpus = 1, maxvcpus = 1         one vCPU per domain
 *     cpu_weight = 512                1..65535 (default 256)
 *     cmdline = "..."                 or root = "..." and extra = "..." (as xl)
 *     type = "pv", builder = "generic"
 *     on_poweroff/on_reboot/on_crash/on_watchdog = "preserve"
 *     disk = [ 'disk.img@2048+4096,raw,xvda,rw' ]   at most one
 *     vif = [ 'mac=00:16:3e:00:00:01,bridge=xenbr0' ] at most one
 *
 * A disk's target is the ramdisk module disk.img (a path's directories
 * are dropped), all of it or the sectors START+COUNT after '@'; format
 * raw, access rw. A vif without mac= gets 00:16:3e and three bytes
 * derived from the guest's name. Any other key, value or spec field is
 * refused with "line N: <why>", so a configuration never means less
 * than it says; no number wraps into range (DOM0-1).
 */
#ifndef DOM0_XLCFG_H
#define DOM0_XLCFG_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

/* Is this text in xl.cfg syntax (its first statement is not a [section])? */
bool xlcfg_detect(const char *text, uint32_t len);

/* Parse one guest; 0, or -1 with error filled ("line N: why"). */
int xlcfg_parse(const char *text, uint32_t len, struct guest_config *g, char *error,
                uint32_t error_len);

#endif
