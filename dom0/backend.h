/*
 * dom0's device backends (spec/devices.md): for every guest, its PV
 * console, and the block devices and network interfaces its configuration
 * asks for (up to 4 of each, each served on its own: DEV-31). dom0 has
 * one vCPU and no threads: whatever it is doing —
 * reading the shell, waiting for a domain, sleeping — it calls
 * backends_poll() between steps, and backends_idle() where it would
 * otherwise sleep, so the backends run whenever dom0 would be idle.
 *
 * A guest's frontend is hostile: every index, ref, sector and length it
 * writes is checked (ring.h, cons_ring.h, and each backend); a frontend
 * whose ring indices are impossible is disconnected, with a log line.
 */
#ifndef DOM0_BACKEND_H
#define DOM0_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "pv/domctl.h"

/*
 * What the builder set up in the guest for dom0 (DEV-1): the console's
 * and the store's pages and unbound event channels. The block and net
 * frontends choose their own refs and channels (DEV-20..22).
 */
struct dev_ports {
    uint32_t console;
    uint32_t console_mfn;   /* start_info.console.domU.mfn */
    uint32_t store;         /* start_info.store_evtchn */
    uint32_t store_mfn;     /* start_info.store_mfn */
};

/*
 * Connect the backends of a guest under construction: map its console
 * page (grant ref 0), bind its console and store ports, write its
 * directory and devices' nodes in the store, reserve its disk ranges and
 * MACs, and wait in InitWait for its frontends (DEV-21). A guest whose
 * devices need more of dom0's grant maps than are left is refused first
 * (-ENOSPC, DEV-34). 0, or -errno with `why` filled; on failure nothing
 * stays attached.
 */
int backends_attach(domid_t id, const struct guest_config *cfg, const struct dev_ports *ports,
                    char *why, uint32_t why_len);
/* Unmap and unbind everything of guest `id` (before it is destroyed). */
void backends_detach(domid_t id);

/* One round over every backend; returns how many requests/bytes moved. */
uint32_t backends_poll(void);
/* Poll, then sleep until an event arrives or max_ns passes, then poll again. */
void backends_idle(uint64_t max_ns);

/* Console input for guest `id` (the `console` command): bytes accepted, or -errno. */
int backends_console_input(domid_t id, const char *buf, uint32_t len);
/* Show every guest's console lines that waited (consoles.h). */
void backends_show_consoles(void);
/* `console`: the last n lines of guest id's log and its current line, raw; 0 or -ESRCH. */
int backends_console_replay(domid_t id, uint32_t n);
/* `log`: the last n lines (0: all) of guest id's console log; 0 or -ESRCH. */
int backends_console_log(domid_t id, uint32_t n);
/* `devices`: every backend's state and counters. */
void backends_report(void);

#endif
