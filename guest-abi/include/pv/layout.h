/*
 * The fixed virtual-address layout every PV guest sees (32-bit PAE).
 * The hypervisor owns everything from HYPERVISOR_VIRT_START up; the first
 * 16 MiB of that is a read-only view of the machine-to-physical table.
 */
#ifndef PV_LAYOUT_H
#define PV_LAYOUT_H

#define HYPERVISOR_VIRT_START  0xF5800000u
#define MACH2PHYS_VIRT_START   0xF5800000u
#define MACH2PHYS_VIRT_END     0xF6800000u
#define GUEST_SEGMENT_MAX_ADDR 0xF6800000u   /* no guest segment reaches past this */

#define XEN_PAGE_SHIFT 12
#define XEN_PAGE_SIZE  4096u

#endif
