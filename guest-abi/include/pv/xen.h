/*
 * The whole Bulkhead guest ABI: a compatible subset of Xen's 32-bit PAE
 * paravirtual interface (pv32pae). Include this, or only the parts needed.
 * The control interface (domctl) is not part of it.
 */
#ifndef PV_XEN_H
#define PV_XEN_H

#include "types.h"
#include "errno.h"
#include "layout.h"
#include "elfnote.h"
#include "hypercall.h"
#include "arch_x86_32.h"
#include "start_info.h"
#include "shared_info.h"
#include "mmu.h"
#include "multicall.h"
#include "memory.h"
#include "vm_assist.h"
#include "callback.h"
#include "sched.h"
#include "console.h"
#include "version.h"
#include "vcpu.h"
#include "event_channel.h"
#include "grant_table.h"
#include "physdev.h"
#include "io_ring.h"
#include "console_ring.h"
#include "xs_wire.h"
#include "domctl.h"

#endif
